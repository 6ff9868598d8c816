namespace KernelNet.Packetdrill.Ast;

/// <summary>The protocol of a packet line.</summary>
public enum PacketProtocol
{
    /// <summary>A TCP segment: flags, sequence range, ack, window, options.</summary>
    Tcp,

    /// <summary><c>udp (LEN)</c>.</summary>
    Udp,

    /// <summary><c>icmp TYPE [CODE] [mtu N] [START:END(LEN)]</c>.</summary>
    Icmp,
}
