using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0008: a method marked [HardIrqContext] or [SoftirqContext] does not
/// call, directly or through other methods of the compilation, one marked
/// [MightSleep]. Calls through delegates are not followed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContextAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Context,
        "Interrupt context does not sleep",
        "{0} runs in {1} context but may sleep: {2}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Hard-IRQ and softirq code cannot block: a path from it to a [MightSleep] function (a blocking socket wait, schedule()) is a 'scheduling while atomic' bug.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Context),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var calls = new ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(op =>
            {
                if (op.ContainingSymbol is IMethodSymbol caller)
                {
                    var callee = ((IInvocationOperation)op.Operation).TargetMethod.OriginalDefinition;
                    calls.GetOrAdd(caller.OriginalDefinition, _ => new ConcurrentBag<IMethodSymbol>()).Add(callee);
                }
            }, OperationKind.Invocation);
            start.RegisterCompilationEndAction(end => Report(end, calls));
        });
    }

    private static bool Has(ISymbol m, string name) => m.GetAttributes().Any(a => a.AttributeClass?.Name == name);

    private static void Report(CompilationAnalysisContext end, ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>> calls)
    {
        foreach (var root in calls.Keys)
        {
            var context = Has(root, "HardIrqContextAttribute") ? "hard-IRQ" : Has(root, "SoftirqContextAttribute") ? "softirq" : null;
            if (context == null)
            {
                continue;
            }

            var path = FindSleeper(root, calls);
            if (path != null && root.Locations.FirstOrDefault(l => l.IsInSource) is { } loc)
            {
                end.ReportDiagnostic(Diagnostic.Create(Rule, loc, root.Name, context, string.Join(" -> ", path.Select(m => m.Name)) + " [MightSleep]"));
            }
        }
    }

    /// <summary>Breadth-first from <paramref name="root"/> to a [MightSleep] method; the chain, or null.</summary>
    private static List<IMethodSymbol>? FindSleeper(IMethodSymbol root, ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>> calls)
    {
        var parent = new Dictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default) { [root] = null };
        var queue = new Queue<IMethodSymbol>();
        queue.Enqueue(root);
        while (queue.Count > 0)
        {
            var m = queue.Dequeue();
            if (!calls.TryGetValue(m, out var callees))
            {
                continue;
            }

            foreach (var c in callees)
            {
                if (parent.ContainsKey(c))
                {
                    continue;
                }

                parent[c] = m;
                if (Has(c, "MightSleepAttribute"))
                {
                    var chain = new List<IMethodSymbol>();
                    for (IMethodSymbol? x = c; x != null; x = parent[x])
                    {
                        chain.Add(x);
                    }

                    chain.Reverse();
                    return chain;
                }

                queue.Enqueue(c);
            }
        }

        return null;
    }
}
