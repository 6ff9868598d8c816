using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>htons(8080)</c>, <c>inet_addr("192.0.2.1")</c>: a function-call-like form inside an argument.</summary>
public sealed record CallExpression(SourcePosition Position, string Name, ImmutableArray<Expression> Arguments) : Expression(Position)
{
    /// <inheritdoc/>
    public override string ToString() => Name + "(" + string.Join(", ", Arguments) + ")";
}
