namespace KernelNet.Packetdrill.Ast;

/// <summary>A packet line. <see cref="Ecn"/> is null when the line names no ECN codepoint.</summary>
public abstract record PacketEvent(EventTime Time, SourcePosition Position, PacketDirection Direction, EcnCodepoint? Ecn)
    : Event(Time, Position)
{
    /// <summary>Which protocol the line describes.</summary>
    public abstract PacketProtocol Protocol { get; }
}
