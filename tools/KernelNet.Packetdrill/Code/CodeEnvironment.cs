using System.Collections.Generic;

namespace KernelNet.Packetdrill.Code;

/// <summary>Name lookup during evaluation: the caller's variables first, then <see cref="CodeConstants"/>.</summary>
internal sealed class CodeEnvironment
{
    private readonly IReadOnlyDictionary<string, long> _variables;

    public CodeEnvironment(IReadOnlyDictionary<string, long> variables) => _variables = variables;

    public CodeValue Lookup(string name, SourcePosition position)
    {
        if (_variables.TryGetValue(name, out var value) || CodeConstants.All.TryGetValue(name, out value))
        {
            return CodeValue.Int(value);
        }

        throw new CodeEvaluationException(position, $"name '{name}' is not defined");
    }
}
