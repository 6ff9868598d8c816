using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0002: every method of a port file says where it comes from. A method
/// carries "// path: function" (the file this .cs ports, where 6.18 defines
/// that function, function-like macro or tracepoint), or [NotInLinux("why")]
/// when it has no counterpart in Linux. A method named like a 6.18 function
/// must carry the line (it cannot claim [NotInLinux]).
/// </summary>
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
        description: "Directly above every ported kernel function: // path/file.c: function — the file this .cs ports, where Linux 6.18 defines that function; every other method says why it is not in Linux with [NotInLinux(\"why\")].",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Provenance));

    private const string NotInLinux = "KernelNet.Annotations.NotInLinuxAttribute";

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
        var name = method.Identifier.Text;
        var notInLinux = NotInLinuxReason(method, ctx.SemanticModel, ctx.CancellationToken);
        string? problem;
        if (Provenance.TryRead(method, out var path, out var function))
        {
            problem = CheckLine(port, name, path, function);
            if (problem == null && notInLinux != null)
            {
                problem = $"{name} carries both '// {path}: {function}' and [NotInLinux]: a port is in Linux, remove [NotInLinux]";
            }
        }
        else
        {
            problem = MissingLine(port, method, name, notInLinux);
        }

        if (problem != null)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, method.Identifier.GetLocation(), problem));
        }
    }

    /// <summary>The reason of the method's [NotInLinux], "" when it gives none, null when it has none.</summary>
    private static string? NotInLinuxReason(MethodDeclarationSyntax method, SemanticModel model, System.Threading.CancellationToken ct)
    {
        foreach (var attribute in method.AttributeLists.SelectMany(l => l.Attributes))
        {
            var n = attribute.Name.ToString();
            if (n != "NotInLinux" && n != "NotInLinuxAttribute" && !n.EndsWith(".NotInLinux", StringComparison.Ordinal) && !n.EndsWith(".NotInLinuxAttribute", StringComparison.Ordinal))
            {
                continue;
            }

            if (model.GetSymbolInfo(attribute, ct).Symbol is IMethodSymbol ctor && ctor.ContainingType.ToDisplayString() != NotInLinux)
            {
                continue;
            }

            var arg = attribute.ArgumentList?.Arguments.FirstOrDefault();
            return arg == null ? string.Empty : model.GetConstantValue(arg.Expression, ct).Value as string ?? string.Empty;
        }

        return null;
    }

    /// <summary>A method without a provenance line: a 6.18 name needs the line; anything else needs [NotInLinux("why")].</summary>
    private static string? MissingLine(PortFile port, MethodDeclarationSyntax method, string name, string? notInLinux)
    {
        var data = port.Data;
        var stem = port.Stem;
        var own = port.Candidates.FirstOrDefault(p => data.Defines(p, name));
        if (own != null)
        {
            return $"{name} is a Linux 6.18 function of {own}: put '// {own}: {name}' directly above it, above its doc comment and attributes" +
                (notInLinux != null ? ", and remove [NotInLinux]" : string.Empty);
        }

        if (data.FunctionFiles.TryGetValue(name, out var definedIn))
        {
            var home = Sorted(definedIn).First();
            return $"{name} is a Linux 6.18 function of {string.Join(", ", Sorted(definedIn))}, not of {stem}.c/.h: move it to kernel/{home.Substring(0, home.Length - 2)}.cs under '// {home}: {name}' (or call the port there), or give this helper a C# name and [NotInLinux(\"why\")]";
        }

        if (IsObjectProtocol(method))
        {
            return null;
        }

        if (notInLinux == null && data.MacroFiles.TryGetValue(name, out var macroIn))
        {
            var home = Sorted(macroIn).First();
            return $"{name} is a Linux 6.18 macro of {string.Join(", ", Sorted(macroIn))}, not of {stem}.c/.h: port it in kernel/{home.Substring(0, home.Length - 2)}.cs under '// {home}: {name}' and call it there, or keep this local stand-in with [NotInLinux(\"why\")]";
        }

        if (notInLinux == null)
        {
            var like = LikelyOriginal(port, name);
            return like != null
                ? $"{name} has no provenance line: if it ports {like.Value.Path}'s {like.Value.Function}, name it so and put '// {like.Value.Path}: {like.Value.Function}' directly above it; if it has no counterpart in Linux 6.18, say why with [NotInLinux(\"...\")]"
                : $"{name} has no provenance line: if it ports a Linux 6.18 function of {string.Join(" or ", port.Candidates)}, put '// path: function' directly above it; if it has no counterpart in Linux 6.18, say why with [NotInLinux(\"...\")]";
        }

        if (notInLinux.Trim().Length < 8)
        {
            return $"[NotInLinux] on {name} needs the reason it has no counterpart in Linux 6.18 (a sentence, not '{notInLinux}')";
        }

        return null;
    }

    /// <summary>Overrides and explicit interface implementations answer C#'s object protocol (ToString, Equals): not ports.</summary>
    private static bool IsObjectProtocol(MethodDeclarationSyntax method) =>
        method.Modifiers.Any(SyntaxKind.OverrideKeyword) || method.ExplicitInterfaceSpecifier != null;

    /// <summary>A function of this file's C originals whose name the method's contains, or that contains it (a renamed port): the longest.</summary>
    private static (string Path, string Function)? LikelyOriginal(PortFile port, string name)
    {
        if (name.Length < 4)
        {
            return null;
        }

        (string, string)? best = null;
        var bestLength = 0;
        foreach (var kv in port.Data.FunctionFiles)
        {
            if (kv.Key.Length < 4 || kv.Key.Length <= bestLength)
            {
                continue;
            }

            var path = port.Candidates.FirstOrDefault(kv.Value.Contains);
            if (path != null && (name.IndexOf(kv.Key, StringComparison.Ordinal) >= 0 || kv.Key.IndexOf(name, StringComparison.Ordinal) >= 0))
            {
                best = (path, kv.Key);
                bestLength = kv.Key.Length;
            }
        }

        return best;
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
            var elsewhere = data.DefiningFiles(name).ToList();
            var hint = elsewhere.Count > 0
                ? "6.18 defines it in " + string.Join(", ", elsewhere)
                : "no function, macro or tracepoint of that name there: if the method has no counterpart in Linux, give it a C# name and [NotInLinux(\"why\")]";
            return $"{path} does not define {name} in Linux 6.18 ({hint})";
        }

        return null;
    }

    private static IEnumerable<string> Sorted(IEnumerable<string> paths) => paths.OrderBy(p => p, StringComparer.Ordinal);
}
