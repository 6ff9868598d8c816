using System.Collections.Immutable;
using System.Linq;

namespace KernelNet.Packetdrill.Ast;

/// <summary>A parsed script: its <c>--option</c> header lines and its events in file order.</summary>
public sealed record Script(string File, ImmutableArray<ScriptOption> Options, ImmutableArray<Event> Events)
{
    /// <summary>The value of header option <c>--name=value</c> (empty for a bare <c>--name</c>), or null when absent.</summary>
    public string? Option(string name) => Options.FirstOrDefault(o => o.Name == name)?.Value;

    /// <summary>True when the header has <c>--name</c>, with or without a value.</summary>
    public bool HasOption(string name) => Options.Any(o => o.Name == name);
}
