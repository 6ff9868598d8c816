using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0003: no static mutable state in kernel/ or machine/. Flagged: static
/// fields that are not const or readonly, static readonly fields of arrays
/// or mutable collections, static properties with a setter. State hangs off
/// Vmlinux, net, net_device or sock instead.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoHiddenStateAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.NoHiddenState,
        "No hidden state",
        "Static mutable state '{0}': hang it off the kernel object that owns it (Vmlinux.globals<T>(), net, net_device, sock)",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Nothing in kernel/ or machine/ is static and mutable, so that several kernels can run side by side and every run is the same.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.NoHiddenState));

    private static readonly ImmutableHashSet<string> MutableCollections = ImmutableHashSet.Create(
        "List", "Dictionary", "HashSet", "Queue", "Stack", "LinkedList", "SortedSet", "SortedDictionary", "ConcurrentDictionary", "ConcurrentQueue", "ConcurrentBag", "PriorityQueue", "StringBuilder");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeField, SymbolKind.Field);
        context.RegisterSymbolAction(AnalyzeProperty, SymbolKind.Property);
    }

    private static bool InScope(ISymbol symbol, AnalyzerOptions options)
    {
        foreach (var loc in symbol.Locations)
        {
            if (loc.SourceTree is { } tree)
            {
                var p = TreePath.Of(tree, options);
                return p.IsKernel || p.IsMachine;
            }
        }

        return false;
    }

    private static void AnalyzeField(SymbolAnalysisContext ctx)
    {
        var f = (IFieldSymbol)ctx.Symbol;
        if (!f.IsStatic || f.IsConst || f.IsImplicitlyDeclared || !InScope(f, ctx.Options))
        {
            return;
        }

        if (!f.IsReadOnly || f.Type is IArrayTypeSymbol || MutableCollections.Contains(f.Type.Name))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, f.Locations[0], f.Name));
        }
    }

    private static void AnalyzeProperty(SymbolAnalysisContext ctx)
    {
        var p = (IPropertySymbol)ctx.Symbol;
        if (p.IsStatic && p.SetMethod != null && InScope(p, ctx.Options))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, p.Locations[0], p.Name));
        }
    }
}
