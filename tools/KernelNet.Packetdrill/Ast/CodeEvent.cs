using KernelNet.Packetdrill.Code;

namespace KernelNet.Packetdrill.Ast;

/// <summary>
/// A <c>%{ ... }%</c> block; <see cref="Code"/> is the text between the
/// delimiters and <see cref="CodePosition"/> where it starts, so the block's
/// own diagnostics point into the script.
/// </summary>
public sealed record CodeEvent(EventTime Time, SourcePosition Position, string Code, SourcePosition CodePosition) : Event(Time, Position)
{
    /// <summary>Parses the block's assertions; throws <see cref="PacketdrillSyntaxException"/> on anything outside the supported subset.</summary>
    public CodeBlock ParseCode() => CodeBlock.Parse(Code, CodePosition);
}
