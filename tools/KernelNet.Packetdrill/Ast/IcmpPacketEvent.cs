namespace KernelNet.Packetdrill.Ast;

/// <summary>
/// <c>&lt; icmp unreachable host_unreachable [0:10(10)]</c>: Type and Code
/// keep their spelling; <see cref="Mtu"/> is <c>mtu N</c> (for frag_needed);
/// <see cref="Embedded"/> is the sequence range of the TCP segment quoted in
/// the ICMP payload.
/// </summary>
public sealed record IcmpPacketEvent(
    EventTime Time,
    SourcePosition Position,
    PacketDirection Direction,
    EcnCodepoint? Ecn,
    string Type,
    string? Code,
    uint? Mtu,
    SequenceRange? Embedded) : PacketEvent(Time, Position, Direction, Ecn)
{
    /// <inheritdoc/>
    public override PacketProtocol Protocol => PacketProtocol.Icmp;
}
