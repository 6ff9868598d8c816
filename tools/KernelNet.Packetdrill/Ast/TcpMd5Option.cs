namespace KernelNet.Packetdrill.Ast;

/// <summary><c>md5 000102...0e0f</c> (kind 19): the 16-byte digest as written, in hex.</summary>
public sealed record TcpMd5Option(SourcePosition Position, string Digest) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => $"md5 {Digest}";
}
