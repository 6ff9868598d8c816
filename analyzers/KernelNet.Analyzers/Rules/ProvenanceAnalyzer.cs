using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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
        if (!PortFile.TryOf(ctx.Node.SyntaxTree, ctx.Options, ctx.CancellationToken, out var port))
        {
            return;
        }

        var method = (MethodDeclarationSyntax)ctx.Node;
        var problem = Provenance.TryRead(method, out var path, out var function)
            ? CheckLine(port, method.Identifier.Text, path, function)
            : MissingLine(port, method.Identifier.Text);
        if (problem != null)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, method.Identifier.GetLocation(), problem));
        }
    }

    /// <summary>A method without a provenance line is fine unless it is named like a Linux function.</summary>
    private static string? MissingLine(PortFile port, string name)
    {
        var data = port.Data;
        var stem = port.Stem;
        if (!data.FunctionFiles.TryGetValue(name, out var definedIn))
        {
            return null;
        }

        var own = port.Candidates.FirstOrDefault(p => data.Defines(p, name));
        if (own != null)
        {
            return $"{name} is a Linux 6.18 function ({string.Join(", ", Sorted(definedIn))}): put '// {own}: {name}' directly above it, above its doc comment and attributes";
        }

        var home = Sorted(definedIn).First();
        return $"{name} is a Linux 6.18 function of {string.Join(", ", Sorted(definedIn))}, not of {stem}.c/.h: move it to kernel/{home.Substring(0, home.Length - 2)}.cs under '// {home}: {name}', or give it a C# name if it is not a port";
    }

    /// <summary>The line names this method, the file this .cs ports, and a file that defines it in 6.18.</summary>
    private static string? CheckLine(PortFile port, string name, string path, string function)
    {
        var data = port.Data;
        if (function != name)
        {
            return $"the provenance line names {function}, but the method is {name}";
        }

        if (!port.Ports(path))
        {
            return $"{name} comes from {path}, but this file ports {port.Stem}.c/.h: move it to kernel/{path.Substring(0, path.Length - 2)}.cs";
        }

        if (data.ListedFiles.Contains(path) && !data.Defines(path, name))
        {
            var hint = data.FunctionFiles.TryGetValue(name, out var definedIn)
                ? "6.18 defines it in " + string.Join(", ", Sorted(definedIn))
                : "no function or macro of that name there";
            return $"{path} does not define {name} in Linux 6.18 ({hint})";
        }

        return null;
    }

    private static IEnumerable<string> Sorted(IEnumerable<string> paths) => paths.OrderBy(p => p, StringComparer.Ordinal);
}
