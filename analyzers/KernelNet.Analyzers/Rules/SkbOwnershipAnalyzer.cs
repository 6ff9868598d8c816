using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0012: every method in kernel/ that takes an sk_buff says who owns it
/// after the call: [Consumes("skb")] (it frees, queues or hands it on) or
/// [Borrows("skb")] (it stays the caller's). KN0006 relies on the first; the
/// second is checked: a method that borrows an skb does not pass it to a
/// parameter that consumes it (kfree_skb_reason, consume_skb, a [Consumes]
/// method). Each annotation names a parameter of type sk_buff, and one
/// parameter gets one of the two. The methods that had neither when the rule
/// came are listed in data/skb-ownership-baseline.tsv (file, method,
/// parameter) and tolerated; every new one is an error.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SkbOwnershipAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.SkbOwnership,
        "Methods taking an skb say who owns it",
        "{0}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Ownership of an sk_buff is the kernel's contract at every call: each method that takes one says [Consumes] or [Borrows] for it, and a borrower does not free it.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.SkbOwnership));

    private const string ConsumesAttribute = "KernelNet.Annotations.ConsumesAttribute";

    private const string BorrowsAttribute = "KernelNet.Annotations.BorrowsAttribute";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method);
        context.RegisterOperationAction(AnalyzeCall, OperationKind.Invocation);
    }

    private static bool InScope(ISymbol symbol, AnalyzerOptions options) =>
        symbol.Locations.FirstOrDefault(l => l.IsInSource) is { } l && l.SourceTree != null &&
        TreePath.Of(l.SourceTree, options) is { IsKernel: true, IsKernelGlue: false };

    private static bool IsSkb(ITypeSymbol type) => type is INamedTypeSymbol { Name: "sk_buff", TypeKind: TypeKind.Class };

    private static ImmutableArray<string> Named(IMethodSymbol method, string attribute) =>
        method.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == attribute && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string)
            .Select(a => (string)a.ConstructorArguments[0].Value!)
            .ToImmutableArray();

    private static void AnalyzeMethod(SymbolAnalysisContext ctx)
    {
        var method = (IMethodSymbol)ctx.Symbol;
        if (method.MethodKind != MethodKind.Ordinary || method.IsOverride || method.IsImplicitlyDeclared ||
            method.ExplicitInterfaceImplementations.Length > 0 || !InScope(method, ctx.Options))
        {
            return;
        }

        var consumes = Named(method, ConsumesAttribute);
        var borrows = Named(method, BorrowsAttribute);
        var location = method.Locations[0];
        foreach (var name in consumes.Concat(borrows).Distinct(StringComparer.Ordinal))
        {
            var p = method.Parameters.FirstOrDefault(x => x.Name == name);
            if (p == null || !IsSkb(p.Type))
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, location, $"{method.Name} says who owns '{name}', but has no sk_buff parameter of that name: name the parameter as declared"));
            }
            else if (consumes.Contains(name) && borrows.Contains(name))
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, location, $"{method.Name} says both [Consumes(\"{name}\")] and [Borrows(\"{name}\")]: keep the one that holds on every path (Consumes with WhenReturnsNonZero/UnlessSet for a conditional hand-over)"));
            }
        }

        var file = TreePath.Of(location.SourceTree!, ctx.Options).Relative;
        var data = KernelData.From(ctx.Options, ctx.CancellationToken);
        foreach (var p in method.Parameters)
        {
            if (p.RefKind == RefKind.Out || !IsSkb(p.Type) || consumes.Contains(p.Name) || borrows.Contains(p.Name) ||
                (data != null && data.OwnershipBaseline.Contains(file + ":" + method.Name + ":" + p.Name)))
            {
                continue;
            }

            ctx.ReportDiagnostic(Diagnostic.Create(Rule, p.Locations.FirstOrDefault() ?? location,
                $"{method.Name} takes the sk_buff '{p.Name}' without saying who owns it after the call: [Consumes(\"{p.Name}\")] if it frees, queues or hands it on, [Borrows(\"{p.Name}\")] if it stays the caller's"));
        }
    }

    /// <summary>
    /// The call passes a non-zero constant for the UnlessArgument flag of its
    /// [Consumes] on <paramref name="parameter"/> (tcp_transmit_skb(sk, skb,
    /// true): a clone goes out, the skb stays the caller's).
    /// </summary>
    private static bool FlagSet(IInvocationOperation call, string parameter)
    {
        foreach (var a in call.TargetMethod.OriginalDefinition.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() != ConsumesAttribute || a.ConstructorArguments.Length != 1 || (a.ConstructorArguments[0].Value as string) != parameter)
            {
                continue;
            }

            foreach (var named in a.NamedArguments)
            {
                if (named.Key == "UnlessArgument" && named.Value.Value is string flag &&
                    call.Arguments.FirstOrDefault(x => x.Parameter?.Name == flag)?.Value.ConstantValue is { HasValue: true } c &&
                    c.Value is true or (int and not 0))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A borrower that hands its skb to a consuming parameter.</summary>
    private static void AnalyzeCall(OperationAnalysisContext ctx)
    {
        if (ctx.ContainingSymbol is not IMethodSymbol caller || !InScope(caller, ctx.Options))
        {
            return;
        }

        var borrows = Named(caller, BorrowsAttribute);
        if (borrows.IsEmpty)
        {
            return;
        }

        var call = (IInvocationOperation)ctx.Operation;
        var consumed = Named(call.TargetMethod.OriginalDefinition, ConsumesAttribute);
        if (consumed.IsEmpty)
        {
            return;
        }

        foreach (var arg in call.Arguments)
        {
            var value = arg.Value;
            while (value is IConversionOperation c)
            {
                value = c.Operand;
            }

            if (value is IParameterReferenceOperation { Parameter: var p } && borrows.Contains(p.Name) &&
                arg.Parameter != null && consumed.Contains(arg.Parameter.Name) && !FlagSet(call, arg.Parameter.Name) &&
                SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, caller))
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, arg.Syntax.GetLocation(),
                    $"{caller.Name} says [Borrows(\"{p.Name}\")] but hands '{p.Name}' to {call.TargetMethod.Name}, which consumes it: say [Consumes(\"{p.Name}\")] (WhenReturnsNonZero/UnlessSet if only on some results)"));
            }
        }
    }
}
