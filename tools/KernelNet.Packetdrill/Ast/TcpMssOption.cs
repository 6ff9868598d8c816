namespace KernelNet.Packetdrill.Ast;

/// <summary><c>mss 1460</c> (kind 2).</summary>
public sealed record TcpMssOption(SourcePosition Position, ushort Mss) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => $"mss {Mss}";
}
