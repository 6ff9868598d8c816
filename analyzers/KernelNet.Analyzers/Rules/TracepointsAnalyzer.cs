using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>KN0009: a ported function whose 6.18 body emits trace_X calls trace_X too.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TracepointsAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Tracepoints,
        "Tracepoints where the kernel has them",
        "{0} ({1}) emits {2} in Linux 6.18: call it here too, at the same point",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The oracle compares the port's tracepoints with the real kernel's: a ported function emits the tracepoints its C original does.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Tracepoints));

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
            !Provenance.TryRead(method, out var path, out var function) || function != method.Identifier.Text)
        {
            return;
        }

        if (!port.Data.Tracepoints.TryGetValue(path + ":" + function, out var expected))
        {
            return;
        }

        var called = new HashSet<string>(method.DescendantNodes().OfType<InvocationExpressionSyntax>().Select(Name));
        var missing = expected.Where(t => !called.Contains(t)).ToList();
        if (missing.Count > 0)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, method.Identifier.GetLocation(), function, path, string.Join(", ", missing)));
        }
    }

    private static string Name(InvocationExpressionSyntax call) => call.Expression switch
    {
        IdentifierNameSyntax id => id.Identifier.Text,
        MemberAccessExpressionSyntax ma => ma.Name.Identifier.Text,
        GenericNameSyntax g => g.Identifier.Text,
        _ => string.Empty,
    };
}
