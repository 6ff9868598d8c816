namespace KernelNet.Packetdrill;

/// <summary>A place in a script: file name as given to the parser, 1-based line and column (a tab is one column).</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    /// <summary><c>FILE:LINE:COL</c>, the prefix of every diagnostic.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
