namespace KernelNet.Packetdrill.Code;

/// <summary>Arithmetic and bitwise operators: <c>+ - * / // % ** &amp; | ^ &lt;&lt; &gt;&gt;</c>; '%' on a str formats.</summary>
public sealed record CodeBinary(SourcePosition Position, string Operator, CodeExpression Left, CodeExpression Right) : CodeExpression(Position)
{
    internal override CodeValue Evaluate(CodeEnvironment environment) =>
        CodeOperations.Binary(Operator, Left.Evaluate(environment), Right.Evaluate(environment), Position);

    /// <inheritdoc/>
    public override string ToString() => $"({Left} {Operator} {Right})";
}
