namespace KernelNet.Packetdrill.Ast;

/// <summary><c>TS val 100 ecr 0</c> (kind 8).</summary>
public sealed record TcpTimestampOption(SourcePosition Position, uint Value, uint EchoReply) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => $"TS val {Value} ecr {EchoReply}";
}
