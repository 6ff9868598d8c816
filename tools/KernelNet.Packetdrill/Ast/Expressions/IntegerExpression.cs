using System.Globalization;

namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>3</c>, <c>0x2</c>, <c>-1</c>. <see cref="IsHex"/> keeps the spelling for printing.</summary>
public sealed record IntegerExpression(SourcePosition Position, long Value, bool IsHex) : Expression(Position)
{
    /// <inheritdoc/>
    public override string ToString() => IsHex && Value >= 0
        ? "0x" + Value.ToString("x", CultureInfo.InvariantCulture)
        : Value.ToString(CultureInfo.InvariantCulture);
}
