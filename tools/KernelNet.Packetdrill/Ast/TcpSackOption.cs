using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Ast;

/// <summary><c>sack 2001:4001 6001:7001</c> (kind 5): one or more blocks.</summary>
public sealed record TcpSackOption(SourcePosition Position, ImmutableArray<TcpSackBlock> Blocks) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => "sack " + string.Join(" ", Blocks);
}
