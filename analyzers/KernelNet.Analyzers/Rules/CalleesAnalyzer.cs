using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0011: every callee of a port is accounted for. For a method under
/// "// path: function", each function or function-like macro the 6.18 body
/// calls (data/callees.tsv) is named in the C# body (called, or passed as a
/// method group), or named in a "// not ported: name — why" line in the
/// method or the file's header. Omissions the port had when the rule came are
/// listed in data/callees-baseline.tsv and tolerated; every new one is an
/// error. Compiler hints, barriers and lockdep annotations that mean nothing
/// in a single-threaded simulation are listed, with why, in
/// data/callees-ignored.tsv.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CalleesAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Callees,
        "Every 6.18 callee is called or named",
        "{0} ({1}) leaves out {2}, which the 6.18 body calls: call it where the kernel does, or name it in a '// not ported: {2} — why' line in the method or the file header",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "What a port leaves out of its C original is visible and deliberate: each callee of the 6.18 body is called or named in a not-ported line with the reason.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Callees));

    private static readonly Regex NotPortedLine = new(@"^//+\s*not ported\s*:(.*)$", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    private static readonly Regex Identifier = new(@"[A-Za-z_]\w*", RegexOptions.Compiled);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.MethodDeclaration);
    }

    private static void Analyze(SyntaxNodeAnalysisContext ctx)
    {
        var method = (MethodDeclarationSyntax)ctx.Node;
        if (!PortFile.TryOf(ctx.Node.SyntaxTree, ctx.Options, ctx.CancellationToken, out var port) ||
            !Provenance.TryRead(method, out var path, out var function) || function != method.Identifier.Text ||
            !port.Data.Callees.TryGetValue(path + ":" + function, out var callees))
        {
            return;
        }

        var named = NamesInBody(method);
        named.UnionWith(NotPortedNames(method.DescendantTrivia().Concat(method.GetLeadingTrivia())));
        named.UnionWith(NotPortedNames(ctx.Node.SyntaxTree.GetRoot(ctx.CancellationToken).GetFirstToken(includeZeroWidth: true).LeadingTrivia));

        var missing = callees
            .Where(c => !named.Contains(c) && !port.Data.CalleesIgnored.ContainsKey(c) && !port.Data.CalleeBaseline.Contains(path + ":" + function + ":" + c))
            .OrderBy(c => c, StringComparer.Ordinal)
            .ToList();
        foreach (var callee in missing)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, method.Identifier.GetLocation(), function, path, callee));
        }
    }

    /// <summary>Every name the body mentions: calls, method groups, member accesses.</summary>
    private static HashSet<string> NamesInBody(MethodDeclarationSyntax method)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        SyntaxNode? body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
        if (body != null)
        {
            foreach (var name in body.DescendantNodes().OfType<SimpleNameSyntax>())
            {
                names.Add(name.Identifier.Text);
            }
        }

        return names;
    }

    /// <summary>The identifiers of "// not ported: ..." lines and the comment lines that continue them.</summary>
    internal static IEnumerable<string> NotPortedNames(IEnumerable<SyntaxTrivia> trivia)
    {
        var inBlock = false;
        foreach (var t in trivia)
        {
            if (t.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                var text = t.ToString();
                var m = NotPortedLine.Match(text);
                if (m.Success)
                {
                    inBlock = true;
                    text = m.Groups[1].Value;
                }
                else if (!inBlock || text.StartsWith("///", StringComparison.Ordinal))
                {
                    inBlock = false;
                    continue;
                }

                foreach (Match id in Identifier.Matches(text))
                {
                    yield return id.Value;
                }
            }
            else if (t.IsKind(SyntaxKind.EndOfLineTrivia) || t.IsKind(SyntaxKind.WhitespaceTrivia))
            {
                continue;
            }
            else
            {
                inBlock = false;
            }
        }
    }
}
