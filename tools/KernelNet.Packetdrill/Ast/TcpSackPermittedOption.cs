namespace KernelNet.Packetdrill.Ast;

/// <summary><c>sackOK</c> (kind 4).</summary>
public sealed record TcpSackPermittedOption(SourcePosition Position) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => "sackOK";
}
