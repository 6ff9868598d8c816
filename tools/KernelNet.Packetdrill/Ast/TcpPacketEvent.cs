namespace KernelNet.Packetdrill.Ast;

/// <summary>
/// <c>&lt; S. 0:0(0) ack 1 win 32792 &lt;mss 1000,nop,wscale 7&gt;</c>.
/// <see cref="FlagsText"/> keeps the spelling ("S.", "SEW", "-"). Ack, Window
/// and Urgent are null when the line omits them; Options is null when the line
/// has no &lt;...&gt; list at all.
/// </summary>
public sealed record TcpPacketEvent(
    EventTime Time,
    SourcePosition Position,
    PacketDirection Direction,
    EcnCodepoint? Ecn,
    TcpFlags Flags,
    string FlagsText,
    SequenceRange Sequence,
    uint? Ack,
    ushort? Window,
    ushort? Urgent,
    TcpOptionList? Options) : PacketEvent(Time, Position, Direction, Ecn)
{
    /// <inheritdoc/>
    public override PacketProtocol Protocol => PacketProtocol.Tcp;
}
