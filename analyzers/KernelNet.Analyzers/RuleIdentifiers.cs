namespace KernelNet.Analyzers;

/// <summary>The rule IDs, in one place (docs/analyzers/KNxxxx.md each).</summary>
public static class RuleIdentifiers
{
    public const string FilePortsFile = "KN0001";
    public const string Provenance = "KN0002";
    public const string NoHiddenState = "KN0003";
    public const string Determinism = "KN0004";
    public const string DropsCarryReasons = "KN0005";
    public const string UseAfterConsume = "KN0006";
    public const string Layers = "KN0007";
    public const string Context = "KN0008";
    public const string Tracepoints = "KN0009";
    public const string Suppressions = "KN0010";
    public const string Callees = "KN0011";
    public const string SkbOwnership = "KN0012";

    public const string Category = "KernelNet.Port";

    /// <summary>The rule's documentation page.</summary>
    public static string HelpLink(string id) => $"https://kernelnet.invalid/docs/analyzers/{id}.md";
}
