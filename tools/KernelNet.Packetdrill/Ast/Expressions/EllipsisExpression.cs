namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>...</c>: an elided argument (any value, or a buffer the tool supplies).</summary>
public sealed record EllipsisExpression(SourcePosition Position) : Expression(Position)
{
    /// <inheritdoc/>
    public override string ToString() => "...";
}
