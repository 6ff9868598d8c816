using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelNet.Analyzers;

/// <summary>Reads the "// path: function" line directly above a ported method.</summary>
internal static class Provenance
{
    private static readonly Regex Line = new(@"^//\s*([\w./\-]+\.[ch]):\s*(\w+)\s*$", RegexOptions.Compiled);

    /// <summary>The last plain // comment in the method's leading trivia (above its doc comment and attributes).</summary>
    public static SyntaxTrivia? Comment(MethodDeclarationSyntax method)
    {
        SyntaxTrivia? last = null;
        foreach (var t in method.GetFirstToken().LeadingTrivia)
        {
            // Without documentation parsing, /// lines are plain comments too: skip them.
            if (t.IsKind(SyntaxKind.SingleLineCommentTrivia) && !t.ToString().StartsWith("///", System.StringComparison.Ordinal))
            {
                last = t;
            }
        }

        return last;
    }

    public static bool TryRead(MethodDeclarationSyntax method, out string path, out string function)
    {
        path = function = string.Empty;
        var c = Comment(method);
        if (c == null)
        {
            return false;
        }

        var m = Line.Match(c.Value.ToString());
        if (!m.Success)
        {
            return false;
        }

        path = m.Groups[1].Value;
        function = m.Groups[2].Value;
        return true;
    }

    /// <summary>The file name of a static class that ports <paramref name="stem"/>: dropreason-core.h -> dropreason_core_h.</summary>
    public static string ClassName(string stem, char kind) =>
        new string(stem.Substring(stem.LastIndexOf('/') + 1).Select(ch => ch == '-' || ch == '.' ? '_' : ch).ToArray()) + "_" + kind;
}
