using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0003: no static mutable state in kernel/ or machine/. Flagged: static
/// fields that are not const or readonly; static readonly fields that still
/// hold mutable state (arrays, BCL collections outside
/// System.Collections.Immutable/Frozen, StringBuilder, or a type of this
/// compilation with a settable instance field or property); static
/// properties with a setter. Allowed: const, static readonly of immutable
/// types (string, delegates, ImmutableArray, FrozenDictionary, init-only
/// records), and get-only static properties such as
/// <c>static ReadOnlySpan&lt;byte&gt; table =&gt; new byte[] { ... }</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoHiddenStateAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.NoHiddenState,
        "No hidden state",
        "Static mutable state '{0}' ({1}): hang it off the kernel object that owns it (Vmlinux, net, net_device, sock), or make it immutable",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Nothing in kernel/ or machine/ is static and mutable, so that several kernels can run side by side and every run is the same.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.NoHiddenState));

    private static readonly ImmutableHashSet<string> MutableNamespaces = ImmutableHashSet.Create(
        "System.Collections",
        "System.Collections.Generic",
        "System.Collections.Concurrent",
        "System.Collections.Specialized");

    private static readonly ImmutableHashSet<string> MutableTypes = ImmutableHashSet.Create(
        "System.Text.StringBuilder",
        "System.Random");

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
        var tree = symbol.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree;
        if (tree == null)
        {
            return false;
        }

        var p = TreePath.Of(tree, options);
        return p.IsKernel || p.IsMachine;
    }

    private static void AnalyzeField(SymbolAnalysisContext ctx)
    {
        var f = (IFieldSymbol)ctx.Symbol;
        if (!f.IsStatic || f.IsConst || f.IsImplicitlyDeclared || !InScope(f, ctx.Options))
        {
            return;
        }

        var why = !f.IsReadOnly ? "a static field that is not readonly" : MutableContents(f.Type);
        if (why != null)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, f.Locations[0], f.Name, why));
        }
    }

    private static void AnalyzeProperty(SymbolAnalysisContext ctx)
    {
        var p = (IPropertySymbol)ctx.Symbol;
        if (p.IsStatic && p.SetMethod != null && InScope(p, ctx.Options))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, p.Locations[0], p.Name, "a static property with a setter"));
        }
    }

    /// <summary>Why a value of <paramref name="type"/> held in a static readonly field is still mutable, or null.</summary>
    private static string? MutableContents(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol)
        {
            return "a static readonly array: its elements can be written; use ImmutableArray or a ReadOnlySpan property";
        }

        var name = type.OriginalDefinition.ToDisplayString();
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        if (MutableTypes.Contains(name) || MutableNamespaces.Contains(ns))
        {
            return $"a static readonly {type.Name}, whose contents can change";
        }

        if (type.Locations.Any(l => l.IsInSource) && HasSettableInstanceState(type))
        {
            return $"a static readonly {type.Name}, which has settable instance fields or properties";
        }

        return null;
    }

    private static bool HasSettableInstanceState(ITypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic)
            {
                continue;
            }

            if (member is IFieldSymbol { IsConst: false, IsReadOnly: false, IsImplicitlyDeclared: false })
            {
                return true;
            }

            if (member is IPropertySymbol { SetMethod: { IsInitOnly: false } })
            {
                return true;
            }
        }

        return false;
    }
}
