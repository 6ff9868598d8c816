namespace KernelNet.Packetdrill.Ast;

/// <summary><c>wscale 7</c> (kind 3).</summary>
public sealed record TcpWindowScaleOption(SourcePosition Position, byte Shift) : TcpOption(Position)
{
    /// <inheritdoc/>
    public override string ToString() => $"wscale {Shift}";
}
