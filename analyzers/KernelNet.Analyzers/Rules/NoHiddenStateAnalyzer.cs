using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0003: no static mutable state in kernel/ or machine/. Flagged: static
/// fields that are not const or readonly; static properties with a setter;
/// static events (their subscriber list is state); static readonly fields
/// and get-only static auto-properties whose value still holds mutable state,
/// looked through: arrays, BCL collections outside
/// System.Collections.Immutable/Frozen, StringBuilder, Random, StrongBox,
/// Memory/ArraySegment, a type with a settable instance field or property,
/// and an immutable container (ImmutableArray, FrozenDictionary, Lazy, a
/// tuple, a record of this compilation) of any of those. Allowed: const,
/// static readonly of immutable types (string, delegates, ImmutableArray of
/// immutable elements, init-only records), and expression-bodied static
/// properties such as <c>static ReadOnlySpan&lt;byte&gt; table =&gt; new byte[] { ... }</c>.
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
        "System.Collections.Specialized",
        "System.Collections.ObjectModel");

    private static readonly ImmutableHashSet<string> MutableTypes = ImmutableHashSet.Create(
        "System.Text.StringBuilder",
        "System.Random",
        "System.Runtime.CompilerServices.StrongBox<T>",
        "System.Runtime.CompilerServices.ConditionalWeakTable<TKey, TValue>",
        "System.Memory<T>",
        "System.ArraySegment<T>",
        "System.Threading.ThreadLocal<T>",
        "System.Threading.AsyncLocal<T>",
        "System.IO.MemoryStream");

    /// <summary>Containers that are immutable themselves but hand out what they hold: judged by their type arguments.</summary>
    private static readonly ImmutableHashSet<string> ContainerNamespaces = ImmutableHashSet.Create(
        "System.Collections.Immutable",
        "System.Collections.Frozen");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeField, SymbolKind.Field);
        context.RegisterSymbolAction(AnalyzeProperty, SymbolKind.Property);
        context.RegisterSymbolAction(AnalyzeEvent, SymbolKind.Event);
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

        var why = !f.IsReadOnly ? "a static field that is not readonly" : MutableContents(f.Type, "static readonly field");
        if (why != null)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, f.Locations[0], f.Name, why));
        }
    }

    private static void AnalyzeProperty(SymbolAnalysisContext ctx)
    {
        var p = (IPropertySymbol)ctx.Symbol;
        if (!p.IsStatic || !InScope(p, ctx.Options))
        {
            return;
        }

        if (p.SetMethod != null)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, p.Locations[0], p.Name, "a static property with a setter"));
            return;
        }

        // A get-only auto-property ({ get; } = ...) keeps its value in a hidden readonly field:
        // judged like a static readonly field. An expression-bodied one builds its value anew each time.
        if (IsAutoProperty(p) && MutableContents(p.Type, "static get-only auto-property") is { } why)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, p.Locations[0], p.Name, why + "; every kernel shares the one object"));
        }
    }

    private static void AnalyzeEvent(SymbolAnalysisContext ctx)
    {
        var e = (IEventSymbol)ctx.Symbol;
        if (e.IsStatic && InScope(e, ctx.Options))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, e.Locations[0], e.Name, "a static event: its list of subscribers is state shared by every kernel; make it an instance event of the object that raises it"));
        }
    }

    private static bool IsAutoProperty(IPropertySymbol p) =>
        p.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => f.IsImplicitlyDeclared && SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, p));

    /// <summary>Why a value of <paramref name="type"/> held in a static readonly field is still mutable, or null.</summary>
    private static string? MutableContents(ITypeSymbol type, string holder) =>
        MutableContents(type, holder, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default), depth: 0);

    private static string? MutableContents(ITypeSymbol type, string holder, HashSet<ITypeSymbol> seen, int depth)
    {
        if (type is IArrayTypeSymbol)
        {
            return depth == 0
                ? $"a {holder} array: its elements can be written; use ImmutableArray or a ReadOnlySpan property"
                : $"a {holder} that holds an array ({type.ToDisplayString()}), whose elements can be written";
        }

        if (type is not INamedTypeSymbol named || type.SpecialType == SpecialType.System_String || !seen.Add(type))
        {
            return null;
        }

        var name = type.OriginalDefinition.ToDisplayString();
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        if (MutableTypes.Contains(name) || MutableNamespaces.Contains(ns))
        {
            return depth == 0
                ? $"a {holder} {type.Name}, whose contents can change"
                : $"a {holder} that holds a {type.ToDisplayString()}, whose contents can change";
        }

        if (named.TypeKind == TypeKind.Delegate || named.TypeKind == TypeKind.Enum || depth > 3)
        {
            return null;
        }

        // Immutable containers, Lazy, Nullable, tuples: mutable if what they hold is.
        if (ContainerNamespaces.Contains(ns) || name is "System.Lazy<T>" or "System.Nullable<T>" || named.IsTupleType || name.StartsWith("System.Tuple<", StringComparison.Ordinal) || name.StartsWith("System.ValueTuple<", StringComparison.Ordinal))
        {
            foreach (var arg in named.TypeArguments)
            {
                if (MutableContents(arg, holder, seen, depth + 1) is { } inner)
                {
                    return inner.StartsWith($"a {holder} that holds", StringComparison.Ordinal) || depth > 0 ? inner : $"a {holder} {type.Name} that holds {type.ToDisplayString()}: " + inner;
                }
            }

            return null;
        }

        // A reference type with a settable instance field or property (StrongBox.Value, a
        // class of this compilation); a struct in a readonly field cannot be written, so
        // only what it refers to counts.
        if (!type.IsValueType && SettableMember(type) is { } settable)
        {
            return depth == 0
                ? $"a {holder} {type.Name}, which has the settable instance member {settable}"
                : $"a {holder} that holds a {type.Name}, which has the settable instance member {settable}";
        }

        // A type of this compilation: look through its instance fields and properties.
        if (type.Locations.Any(l => l.IsInSource))
        {
            foreach (var member in type.GetMembers())
            {
                var memberType = member switch
                {
                    IFieldSymbol { IsStatic: false, IsConst: false } f => f.Type,
                    IPropertySymbol { IsStatic: false } p when IsAutoProperty(p) => p.Type,
                    _ => null,
                };
                if (memberType != null && MutableContents(memberType, holder, seen, depth + 1) is { } inner)
                {
                    return depth == 0 ? $"a {holder} {type.Name} whose {member.Name} is mutable: " + inner : inner;
                }
            }
        }

        return null;
    }

    /// <summary>The first public (or, for types of the compilation, any) settable instance field or property of the type or its bases.</summary>
    private static string? SettableMember(ITypeSymbol type)
    {
        for (var t = type; t != null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            var inSource = t.Locations.Any(l => l.IsInSource);
            foreach (var member in t.GetMembers())
            {
                if (member.IsStatic || (!inSource && member.DeclaredAccessibility != Accessibility.Public))
                {
                    continue;
                }

                if (member is IFieldSymbol { IsConst: false, IsReadOnly: false } f && (!f.IsImplicitlyDeclared || f.AssociatedSymbol is IPropertySymbol { SetMethod: { IsInitOnly: false } }))
                {
                    return f.IsImplicitlyDeclared ? f.AssociatedSymbol!.Name : f.Name;
                }

                if (member is IPropertySymbol { SetMethod: { IsInitOnly: false } setter } p && (inSource || setter.DeclaredAccessibility == Accessibility.Public))
                {
                    return p.Name;
                }
            }
        }

        return null;
    }
}
