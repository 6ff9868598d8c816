namespace KernelNet.Packetdrill.Code;

/// <summary><c>-x</c>, <c>+x</c>, <c>~x</c>, <c>not x</c>.</summary>
public sealed record CodeUnary(SourcePosition Position, string Operator, CodeExpression Operand) : CodeExpression(Position)
{
    internal override CodeValue Evaluate(CodeEnvironment environment) =>
        CodeOperations.Unary(Operator, Operand.Evaluate(environment), Position);

    /// <inheritdoc/>
    public override string ToString() => Operator == "not" ? $"(not {Operand})" : $"({Operator}{Operand})";
}
