using System.Collections.Immutable;
using System.Linq;

namespace KernelNet.Packetdrill.Code;

/// <summary>A call of a built-in: <c>int(x)</c>, <c>abs(x)</c>, <c>min(a, b, ...)</c>, <c>max(a, b, ...)</c>.</summary>
public sealed record CodeCall(SourcePosition Position, string Function, ImmutableArray<CodeExpression> Arguments) : CodeExpression(Position)
{
    /// <summary>The functions the subset knows.</summary>
    public static ImmutableArray<string> Builtins { get; } = ImmutableArray.Create("int", "abs", "min", "max");

    internal override CodeValue Evaluate(CodeEnvironment environment) =>
        CodeOperations.Call(Function, Arguments.Select(a => a.Evaluate(environment)).ToImmutableArray(), Position);

    /// <inheritdoc/>
    public override string ToString() => Function + "(" + string.Join(", ", Arguments) + ")";
}
