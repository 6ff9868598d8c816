using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace KernelNet.Analyzers.Tests.Support;

/// <summary>A diagnostic a test expects: its rule (null for "the rule under test") and where.</summary>
public readonly record struct ExpectedDiagnostic(string? Id, TextSpan Span);

/// <summary>
/// Test source with inline expectations: <c>[|code|]</c> marks a diagnostic
/// of the rule under test, <c>{|KN0003:code|}</c> one of that rule. Spans
/// may nest.
/// </summary>
public sealed class Markup
{
    private Markup(string source, IReadOnlyList<ExpectedDiagnostic> expected)
    {
        Source = source;
        Expected = expected;
    }

    /// <summary>The code with the markers removed.</summary>
    public string Source { get; }

    public IReadOnlyList<ExpectedDiagnostic> Expected { get; }

    public static Markup Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var expected = new List<ExpectedDiagnostic>();
        var open = new Stack<(string? Id, int Start, char Close)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((null, source.Length, ']'));
                i++;
            }
            else if (At(markup, i, "{|") && markup.IndexOf(':', i) is var colon and > 0)
            {
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length, '}'));
                i = colon;
            }
            else if (open.Count > 0 && markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == open.Peek().Close)
            {
                var (id, start, _) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new System.ArgumentException("unclosed [| or {| in test markup");
        }

        return new Markup(source.ToString(), expected);
    }

    private static bool At(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;
}
