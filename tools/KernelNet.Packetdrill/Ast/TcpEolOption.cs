namespace KernelNet.Packetdrill.Ast;

/// <summary><c>eol</c> (kind 0).</summary>
public sealed record TcpEolOption(SourcePosition Position) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => "eol";
}
