using System.Collections.Generic;
using System.Collections.Immutable;

namespace KernelNet.Packetdrill.Code;

/// <summary>
/// A parsed %{ }% block. packetdrill hands these to Python with the socket's
/// tcp_info fields (tcpi_*) and SO_MEMINFO values (SK_MEMINFO_*) bound as
/// variables; the kernel selftests only ever assert over them, so the
/// supported subset is a sequence of <c>assert COND[, MSG]</c> statements
/// separated by newlines or ';', with Python's expression semantics
/// (chained comparisons, and/or/not, arithmetic, bitwise operators, '%'
/// formatting of the message, int/abs/min/max). Anything else is a
/// <see cref="PacketdrillSyntaxException"/>.
/// </summary>
public sealed record CodeBlock(ImmutableArray<AssertStatement> Statements, ImmutableArray<string> Variables)
{
    /// <summary>
    /// Parses block text that starts at <paramref name="start"/> in its script
    /// (so errors carry script line and column).
    /// </summary>
    public static CodeBlock Parse(string code, SourcePosition start) => new CodeParser(code, start).ParseBlock();

    /// <summary>
    /// Runs the assertions in order with <paramref name="variables"/> bound
    /// (names not found there fall back to <see cref="CodeConstants"/>); stops
    /// at the first that fails. Throws <see cref="CodeEvaluationException"/>
    /// when a name is unbound or an operation is invalid.
    /// </summary>
    public CodeResult Evaluate(IReadOnlyDictionary<string, long> variables)
    {
        var environment = new CodeEnvironment(variables);
        foreach (var statement in Statements)
        {
            if (!statement.Condition.Evaluate(environment).IsTrue)
            {
                var message = statement.Message?.Evaluate(environment).ToString();
                return new CodeResult(false, statement.Text, message, statement.Position);
            }
        }

        return CodeResult.Pass;
    }
}
