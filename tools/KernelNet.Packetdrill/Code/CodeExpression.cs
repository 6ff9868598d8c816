namespace KernelNet.Packetdrill.Code;

/// <summary>A node of a %{ }% expression tree; ToString gives a fully parenthesized spelling.</summary>
public abstract record CodeExpression(SourcePosition Position)
{
    internal abstract CodeValue Evaluate(CodeEnvironment environment);
}
