using System.Text;

namespace KernelNet.Packetdrill.Ast.Expressions;

/// <summary><c>"/tmp/testfile"</c>, <c>"\xa1\xa1"</c>: Value has escapes decoded, one char per byte.</summary>
public sealed record StringExpression(SourcePosition Position, string Value) : Expression(Position)
{
    /// <summary>The bytes the string stands for.</summary>
    public byte[] Bytes() => Encoding.Latin1.GetBytes(Value);

    /// <inheritdoc/>
    public override string ToString()
    {
        var s = new StringBuilder("\"");
        foreach (var c in Value)
        {
            s.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\x{(int)c:x2}");
        }

        return s.Append('"').ToString();
    }
}
