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
        "{0} runs in {1} context and must not sleep: {2}",
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
            var graph = new CallGraph();
            start.RegisterOperationAction(op => graph.Record(op), OperationKind.Invocation, OperationKind.ObjectCreation);
            start.RegisterCompilationEndAction(end => Report(end, graph));
        });
    }

    private static bool Has(ISymbol m, string name) => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "KernelNet.Annotations." + name);

    private static string? AtomicContext(IMethodSymbol m) =>
        Has(m, "HardIrqContextAttribute") ? "hard-IRQ" : Has(m, "SoftirqContextAttribute") ? "softirq" : null;

    private static void Report(CompilationAnalysisContext end, CallGraph graph)
    {
        foreach (var root in graph.Callers)
        {
            var context = AtomicContext(root);
            if (context == null)
            {
                continue;
            }

            foreach (var (callee, site) in graph.CallsFrom(root))
            {
                var chain = FindSleeper(callee, graph);
                if (chain != null)
                {
                    var path = root.Name + " -> " + string.Join(" -> ", chain.Select(m => m.Name)) + " [MightSleep]";
                    end.ReportDiagnostic(Diagnostic.Create(Rule, site, root.Name, context, path));
                }
            }
        }
    }

    /// <summary>Breadth-first from <paramref name="start"/> to a [MightSleep] method: the chain from start to it, or null.</summary>
    private static List<IMethodSymbol>? FindSleeper(IMethodSymbol start, CallGraph graph)
    {
        var parent = new Dictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default) { [start] = null };
        var queue = new Queue<IMethodSymbol>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var m = queue.Dequeue();
            if (Has(m, "MightSleepAttribute"))
            {
                return Chain(m, parent);
            }

            foreach (var (callee, _) in graph.CallsFrom(m))
            {
                if (!parent.ContainsKey(callee))
                {
                    parent[callee] = m;
                    queue.Enqueue(callee);
                }
            }
        }

        return null;
    }

    private static List<IMethodSymbol> Chain(IMethodSymbol last, Dictionary<IMethodSymbol, IMethodSymbol?> parent)
    {
        var chain = new List<IMethodSymbol>();
        for (IMethodSymbol? x = last; x != null; x = parent[x])
        {
            chain.Add(x);
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>Direct calls (invocations and constructor calls) between methods of the compilation, with their sites.</summary>
    private sealed class CallGraph
    {
        private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentQueue<(IMethodSymbol, Location)>> _calls = new(SymbolEqualityComparer.Default);

        public IEnumerable<IMethodSymbol> Callers => _calls.Keys;

        public void Record(OperationAnalysisContext op)
        {
            var callee = op.Operation switch
            {
                IInvocationOperation call => call.TargetMethod,
                IObjectCreationOperation create => create.Constructor,
                _ => null,
            };
            if (op.ContainingSymbol is IMethodSymbol caller && callee != null)
            {
                _calls.GetOrAdd(caller.OriginalDefinition, _ => new ConcurrentQueue<(IMethodSymbol, Location)>())
                    .Enqueue((callee.OriginalDefinition, op.Operation.Syntax.GetLocation()));
            }
        }

        public IEnumerable<(IMethodSymbol Callee, Location Site)> CallsFrom(IMethodSymbol caller) =>
            _calls.TryGetValue(caller, out var calls) ? calls : Enumerable.Empty<(IMethodSymbol, Location)>();
    }
}
