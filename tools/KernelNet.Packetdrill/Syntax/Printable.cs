using System.Text;

namespace KernelNet.Packetdrill.Syntax;

/// <summary>Keeps diagnostics on one line: control characters in quoted script text print as \xNN.</summary>
internal static class Printable
{
    public static string Escape(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            s.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }

        return s.ToString();
    }
}
