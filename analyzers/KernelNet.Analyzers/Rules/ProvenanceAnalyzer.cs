using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>KN0002: a method named like a kernel function carries "// path: function", and 6.18 defines it in that file, the one this .cs ports.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProvenanceAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Provenance,
        "Ported functions carry their provenance",
        "{0}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Directly above every ported kernel function: // path/file.c: function — the file this .cs ports, where Linux 6.18 defines that function.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Provenance));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.MethodDeclaration);
    }

    private static void Analyze(SyntaxNodeAnalysisContext ctx)
    {
        var where = TreePath.Of(ctx.Node.SyntaxTree, ctx.Options);
        var stem = where.PortStem;
        var data = KernelData.From(ctx.Options, ctx.CancellationToken);
        if (stem == null || data == null)
        {
            return;
        }

        var method = (MethodDeclarationSyntax)ctx.Node;
        var name = method.Identifier.Text;
        var isKernelName = data.FunctionFiles.TryGetValue(name, out var definedIn);
        var hasLine = Provenance.TryRead(method, out var path, out var function);
        var at = method.Identifier.GetLocation();

        if (!hasLine)
        {
            if (isKernelName)
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, at, $"{name} is a Linux function ({string.Join(", ", definedIn!)}): put '// {First(definedIn)}: {name}' directly above it"));
            }

            return;
        }

        if (function != name)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, at, $"the provenance line names {function}, but the method is {name}"));
            return;
        }

        if (path != stem + ".c" && path != stem + ".h")
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, at, $"{name} comes from {path}, but this file ports {stem}: move it to kernel/{path.Substring(0, path.Length - 2)}.cs"));
            return;
        }

        if (data.FunctionListFiles.Contains(path) && (definedIn == null || !definedIn.Contains(path)))
        {
            var hint = definedIn == null ? "no such function in the 6.18 files listed" : "6.18 defines it in " + string.Join(", ", definedIn);
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, at, $"{path} does not define {name} in Linux 6.18 ({hint})"));
        }
    }

    private static string First(ImmutableHashSet<string>? set)
    {
        foreach (var s in set ?? ImmutableHashSet<string>.Empty)
        {
            return s;
        }

        return "?";
    }
}
