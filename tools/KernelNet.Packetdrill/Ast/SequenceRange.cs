namespace KernelNet.Packetdrill.Ast;

/// <summary><c>START:END(LEN)</c>; the parser checks END - START == LEN (mod 2^32).</summary>
public readonly record struct SequenceRange(uint Start, uint End, uint Length)
{
    /// <summary>Script spelling.</summary>
    public override string ToString() => $"{Start}:{End}({Length})";
}
