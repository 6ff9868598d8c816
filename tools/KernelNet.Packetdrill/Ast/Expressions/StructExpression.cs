using System.Collections.Immutable;
using System.Linq;

namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>{events=EPOLLOUT, fd=4}</c> or <c>{1, 2}</c>.</summary>
public sealed record StructExpression(SourcePosition Position, ImmutableArray<StructField> Fields) : Expression(Position)
{
    /// <summary>The value of the member named <paramref name="name"/>, or null.</summary>
    public Expression? Field(string name) => Fields.FirstOrDefault(f => f.Name == name)?.Value;

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(", ", Fields) + "}";
}
