using System.Collections.Generic;
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
        if (!PortFile.TryOf(ctx.Tree, ctx.Options, ctx.CancellationToken, out var port))
        {
            return;
        }

        var root = ctx.Tree.GetRoot(ctx.CancellationToken);
        var ported = PortedFiles(port);
        if (ported.Count == 0)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, Location.Create(ctx.Tree, default), $"{port.Where.Relative} should port {port.Stem}.c or {port.Stem}.h, which Linux 6.18 does not have: name the file after the C file it ports"));
            return;
        }

        var allowed = ported.Select(ClassName).ToList();
        foreach (var cls in TopLevelStaticClasses(root).Where(c => !allowed.Contains(c.Identifier.Text)))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, cls.Identifier.GetLocation(), $"the static class of {port.Where.Relative} is named {string.Join(" or ", allowed)} (it ports {string.Join(" or ", ported)}), not {cls.Identifier.Text}"));
        }
    }

    /// <summary>
    /// stem.c, else stem.h; both when Linux has both (net/core/dev.c and
    /// dev.h, igb's e1000_82575.c and .h): the one .cs then holds both.
    /// </summary>
    private static List<string> PortedFiles(PortFile port) =>
        port.Candidates.Where(port.Data.Files.Contains).ToList();

    /// <summary>net/core/dev.c -> dev_c, include/net/dropreason-core.h -> dropreason_core_h.</summary>
    private static string ClassName(string path) =>
        Provenance.ClassName(path.Substring(0, path.Length - 2), path[path.Length - 1]);

    private static IEnumerable<ClassDeclarationSyntax> TopLevelStaticClasses(SyntaxNode root) =>
        root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<ClassDeclarationSyntax>()
            .Where(c => c.Modifiers.Any(SyntaxKind.StaticKeyword));
}
