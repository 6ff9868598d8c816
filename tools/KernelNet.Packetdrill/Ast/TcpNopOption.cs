namespace KernelNet.Packetdrill.Ast;

/// <summary><c>nop</c> (kind 1).</summary>
public sealed record TcpNopOption(SourcePosition Position) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => "nop";
}
