using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0010: a suppression of KN0009 says what is true. The method it sits on
/// must omit a tracepoint its 6.18 original emits (else there is nothing to
/// suppress), the justification names every tracepoint omitted, and a
/// justification that calls a tracepoint "not ported" is wrong once the port
/// has the tracepoint the method leaves out (include/trace/events/*.cs defines
/// trace_X): then it is to be emitted, not suppressed. KN0009 is suppressed
/// only this way, never with #pragma.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SuppressionsAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Suppressions,
        "Suppressions say what is true",
        "{0}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A [SuppressMessage] of KN0009 names each tracepoint the method leaves out and why; a claim that a tracepoint is not ported is checked against the port.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Suppressions));

    /// <summary>A clause that says tracepoints (their events, formats) are not ported.</summary>
    private static readonly Regex NotPorted = new(@"(tracepoints?|events?|formats?)\b[^;.]*\bnot (yet )?ported|\bnot (yet )?ported\b[^;.]*\b(tracepoints?|events?|formats?)\b", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    private static readonly Regex Word = new(@"\b(?:trace_)?([a-z][a-z0-9_]+)\b", RegexOptions.Compiled);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.Attribute);
        context.RegisterSyntaxTreeAction(AnalyzePragmas);
    }

    private static void AnalyzePragmas(SyntaxTreeAnalysisContext ctx)
    {
        if (!TreePath.Of(ctx.Tree, ctx.Options).IsKernel)
        {
            return;
        }

        foreach (var pragma in ctx.Tree.GetRoot(ctx.CancellationToken).DescendantTrivia().Select(t => t.GetStructure()).OfType<PragmaWarningDirectiveTriviaSyntax>())
        {
            if (pragma.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword) && pragma.ErrorCodes.Any(c => c.ToString() == RuleIdentifiers.Tracepoints))
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, pragma.GetLocation(), "KN0009 is suppressed only with [SuppressMessage(\"KernelNet.Port\", \"KN0009\", Justification = \"...\")] on the method, naming each tracepoint left out and why"));
            }
        }
    }

    private static void Analyze(SyntaxNodeAnalysisContext ctx)
    {
        var attribute = (AttributeSyntax)ctx.Node;
        var name = attribute.Name.ToString();
        if (!name.EndsWith("SuppressMessage", StringComparison.Ordinal) && !name.EndsWith("SuppressMessageAttribute", StringComparison.Ordinal))
        {
            return;
        }

        var args = attribute.ArgumentList?.Arguments;
        if (args == null || args.Value.Count < 2 || Constant(args.Value[1].Expression, ctx) is not { } id || !id.StartsWith(RuleIdentifiers.Tracepoints, StringComparison.Ordinal))
        {
            return;
        }

        var justification = args.Value.Where(a => a.NameEquals?.Name.Identifier.Text == "Justification").Select(a => Constant(a.Expression, ctx)).FirstOrDefault() ?? string.Empty;
        var method = attribute.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        if (method == null || !PortFile.TryOf(ctx.Node.SyntaxTree, ctx.Options, ctx.CancellationToken, out var port) ||
            !Provenance.TryRead(method, out var path, out var function) || function != method.Identifier.Text)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, attribute.GetLocation(), "KN0009 is suppressed only on a ported method (one under '// path: function'), naming the tracepoints it leaves out"));
            return;
        }

        var expected = port.Data.Tracepoints.TryGetValue(path + ":" + function, out var e) ? e : ImmutableArray<string>.Empty;
        var calls = TracepointsAnalyzer.Calls(method);
        var missing = expected.Where(t => !calls.Contains(t)).ToList();
        if (missing.Count == 0)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, attribute.GetLocation(), $"nothing to suppress: {function} calls every tracepoint 6.18's {function} ({path}) emits; remove the suppression"));
            return;
        }

        foreach (var tracepoint in missing)
        {
            var bare = tracepoint.Substring("trace_".Length);
            if (!Word.Matches(justification).Cast<Match>().Any(m => m.Groups[1].Value == bare))
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, attribute.GetLocation(), $"the justification does not name {bare}, which {function} leaves out: say why {bare} is not emitted here"));
            }
        }

        if (!NotPorted.IsMatch(justification))
        {
            return;
        }

        foreach (var tracepoint in missing)
        {
            var bare = tracepoint.Substring("trace_".Length);
            var ported = ctx.Compilation.GetSymbolsWithName(tracepoint, SymbolFilter.Member, ctx.CancellationToken).OfType<IMethodSymbol>().FirstOrDefault();
            if (ported != null)
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, attribute.GetLocation(), $"the justification says {bare} is not ported, but the port has {tracepoint} ({ported.ContainingType.Name}): emit it where 6.18's {function} does, or say the true reason"));
            }
        }
    }

    private static string? Constant(ExpressionSyntax e, SyntaxNodeAnalysisContext ctx) =>
        ctx.SemanticModel.GetConstantValue(e, ctx.CancellationToken).Value as string;
}
