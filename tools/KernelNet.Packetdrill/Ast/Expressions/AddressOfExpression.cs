namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>&amp;x</c>.</summary>
public sealed record AddressOfExpression(SourcePosition Position, Expression Operand) : Expression(Position)
{
    /// <inheritdoc/>
    public override string ToString() => "&" + Operand;
}
