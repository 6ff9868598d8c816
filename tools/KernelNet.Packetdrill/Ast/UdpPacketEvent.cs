namespace KernelNet.Packetdrill.Ast;

/// <summary><c>&lt; udp (LEN)</c>: a UDP datagram with LEN payload bytes.</summary>
public sealed record UdpPacketEvent(
    EventTime Time,
    SourcePosition Position,
    PacketDirection Direction,
    EcnCodepoint? Ecn,
    uint Length) : PacketEvent(Time, Position, Direction, Ecn)
{
    /// <inheritdoc/>
    public override PacketProtocol Protocol => PacketProtocol.Udp;
}
