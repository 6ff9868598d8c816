using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Ast;

/// <summary>A packet's &lt;...&gt; list. <see cref="Elided"/> is <c>&lt;...&gt;</c>: any options match; Items is then empty.</summary>
public sealed record TcpOptionList(bool Elided, ImmutableArray<TcpOption> Items)
{
    /// <summary>Script spelling without the angle brackets.</summary>
    public override string ToString() => Elided ? "..." : string.Join(",", Items);
}
