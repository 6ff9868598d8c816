namespace KernelNet.Packetdrill.Code;

/// <summary>A number, string, True or False.</summary>
public sealed record CodeLiteral(SourcePosition Position, CodeValue Value) : CodeExpression(Position)
{
    internal override CodeValue Evaluate(CodeEnvironment environment) => Value;

    /// <inheritdoc/>
    public override string ToString() => Value.Kind == CodeValueKind.Str ? $"'{Value}'" : Value.ToString();
}
