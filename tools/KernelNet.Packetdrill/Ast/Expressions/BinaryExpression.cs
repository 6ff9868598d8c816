namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>O_RDWR|O_NONBLOCK</c>: the only binary operator the language has is '|'.</summary>
public sealed record BinaryExpression(SourcePosition Position, string Operator, Expression Left, Expression Right) : Expression(Position)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Left}{Operator}{Right}";
}
