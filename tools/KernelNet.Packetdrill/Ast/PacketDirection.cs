namespace KernelNet.Packetdrill.Ast;

/// <summary><c>&lt;</c> is a packet the script injects; <c>&gt;</c> is one the stack must send.</summary>
public enum PacketDirection
{
    /// <summary><c>&lt;</c>: injected into the stack under test.</summary>
    Inbound,

    /// <summary><c>&gt;</c>: expected from the stack under test.</summary>
    Outbound,
}
