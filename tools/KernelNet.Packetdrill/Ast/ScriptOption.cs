namespace KernelNet.Packetdrill.Ast;

/// <summary>A header line <c>--name=value</c> (<c>--mss=1000</c>) or <c>--name</c> (<c>--send_omit_free</c>, Value empty).</summary>
public sealed record ScriptOption(string Name, string Value, SourcePosition Position);
