namespace KernelNet.Packetdrill.Code;

/// <summary><c>a and b</c>, <c>a or b</c>: short-circuit, yielding an operand as Python does.</summary>
public sealed record CodeLogical(SourcePosition Position, string Operator, CodeExpression Left, CodeExpression Right) : CodeExpression(Position)
{
    internal override CodeValue Evaluate(CodeEnvironment environment)
    {
        var left = Left.Evaluate(environment);
        var decided = Operator == "and" ? !left.IsTrue : left.IsTrue;
        return decided ? left : Right.Evaluate(environment);
    }

    /// <inheritdoc/>
    public override string ToString() => $"({Left} {Operator} {Right})";
}
