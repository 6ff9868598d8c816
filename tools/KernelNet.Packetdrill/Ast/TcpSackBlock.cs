namespace KernelNet.Packetdrill.Ast;

/// <summary>One SACK block <c>START:END</c>.</summary>
public readonly record struct TcpSackBlock(uint Start, uint End)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Start}:{End}";
}
