using System.Collections.Immutable;
using System.Text;

namespace KernelNet.Packetdrill.Code;

/// <summary>
/// A comparison chain, <c>5000 &lt;= tcpi_rtt &lt;= 20000</c>: Operands has one
/// more entry than Operators; it holds when every adjacent pair does, each
/// operand evaluated once, stopping at the first false pair (Python semantics).
/// </summary>
public sealed record CodeComparison(SourcePosition Position, ImmutableArray<CodeExpression> Operands, ImmutableArray<string> Operators)
    : CodeExpression(Position)
{
    internal override CodeValue Evaluate(CodeEnvironment environment)
    {
        var left = Operands[0].Evaluate(environment);
        for (var i = 0; i < Operators.Length; i++)
        {
            var right = Operands[i + 1].Evaluate(environment);
            if (!CodeOperations.Compare(Operators[i], left, right, Operands[i + 1].Position))
            {
                return CodeValue.Bool(false);
            }

            left = right;
        }

        return CodeValue.Bool(true);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var s = new StringBuilder("(").Append(Operands[0]);
        for (var i = 0; i < Operators.Length; i++)
        {
            s.Append(' ').Append(Operators[i]).Append(' ').Append(Operands[i + 1]);
        }

        return s.Append(')').ToString();
    }
}
