using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>[1]</c>, <c>[5, 6]</c>, <c>[]</c>: an array, or a pointer to an int when it has one element.</summary>
public sealed record ArrayExpression(SourcePosition Position, ImmutableArray<Expression> Elements) : Expression(Position)
{
    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", Elements) + "]";
}
