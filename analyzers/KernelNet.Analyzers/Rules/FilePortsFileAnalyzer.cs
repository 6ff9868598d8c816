using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>KN0001: kernel/X/Y.cs ports X/Y.c or X/Y.h of Linux 6.18, and its static class is named Y_c or Y_h.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FilePortsFileAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.FilePortsFile,
        "A file ports a file",
        "{0}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every .cs under kernel/ ports the C file at the same relative path, which must exist in Linux 6.18; its static class is named after it (dev_c, skbuff_h).",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.FilePortsFile));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxTreeAction(Analyze);
    }

    private static void Analyze(SyntaxTreeAnalysisContext ctx)
    {
        var where = TreePath.Of(ctx.Tree, ctx.Options);
        var stem = where.PortStem;
        var data = KernelData.From(ctx.Options, ctx.CancellationToken);
        if (stem == null || data == null)
        {
            return;
        }

        var root = ctx.Tree.GetRoot(ctx.CancellationToken);
        var hasC = data.Files.Contains(stem + ".c");
        var hasH = data.Files.Contains(stem + ".h");
        if (!hasC && !hasH)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, FirstLine(root), $"{where.Relative} should port {stem}.c or {stem}.h, which Linux 6.18 does not have: name the file after the C file it ports"));
            return;
        }

        var expected = hasC ? Provenance.ClassName(stem, 'c') : Provenance.ClassName(stem, 'h');
        foreach (var cls in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
        {
            if (cls.Parent is not BaseNamespaceDeclarationSyntax && cls.Parent is not CompilationUnitSyntax)
            {
                continue;
            }

            if (cls.Modifiers.Any(SyntaxKind.StaticKeyword) && cls.Identifier.Text != expected)
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, cls.Identifier.GetLocation(), $"the static class of {where.Relative} is named {expected} (it ports {stem}{(hasC ? ".c" : ".h")}), not {cls.Identifier.Text}"));
            }
        }
    }

    private static Location FirstLine(SyntaxNode root) =>
        Location.Create(root.SyntaxTree, new Microsoft.CodeAnalysis.Text.TextSpan(0, 0));
}
