using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0008: atomic (hard-IRQ, softirq) code does not reach, through direct
/// calls, a method marked [MightSleep]. The atomic roots are the methods
/// marked [HardIrqContext]/[SoftirqContext] and every callback they reach
/// through a delegate: a delegate field, property or parameter invoked on an
/// atomic path (n.poll(n, budget), softirq_vec[nr](), t.function(t),
/// pt.func(skb, ...), okfn(net, sk, skb)) makes every method group ever
/// stored in it — its registration sites: an assignment, an initializer, an
/// argument passed on to it — a root of the same context.
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
        description: "Hard-IRQ and softirq code cannot block: a path from it (or from a callback it invokes through a delegate) to a [MightSleep] function (lock_sock, schedule(), a blocking socket wait) is a 'scheduling while atomic' bug.",
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
            start.RegisterOperationAction(
                op => graph.Record(op),
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.MethodReference,
                OperationKind.SimpleAssignment,
                OperationKind.Argument,
                OperationKind.VariableDeclarator,
                OperationKind.IsPattern);
            start.RegisterCompilationEndAction(end => Report(end, graph));
        });
    }

    private static bool Has(ISymbol m, string name) => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "KernelNet.Annotations." + name);

    private static string? AtomicContext(IMethodSymbol m) =>
        Has(m, "HardIrqContextAttribute") ? "hard-IRQ" : Has(m, "SoftirqContextAttribute") ? "softirq" : null;

    private static void Report(CompilationAnalysisContext end, CallGraph graph)
    {
        var sleepingCallbacks = new List<Diagnostic>();
        foreach (var root in FindRoots(graph, sleepingCallbacks))
        {
            foreach (var (callee, site) in graph.CallsFrom(root.Method))
            {
                var chain = FindSleeper(callee, root.Context, graph);
                if (chain == null)
                {
                    continue;
                }

                var path = root.Via + root.Method.Name + " -> " + string.Join(" -> ", chain.Select(m => m.Name)) + " [MightSleep]";
                if (graph.IsUnawaitedTask(site))
                {
                    path += " (its Task is not awaited: the sleep still happens, on this CPU's atomic path)";
                }

                end.ReportDiagnostic(Diagnostic.Create(Rule, site, root.Method.Name, root.Context, path));
            }
        }

        foreach (var d in sleepingCallbacks)
        {
            end.ReportDiagnostic(d);
        }
    }

    /// <summary>
    /// The atomic roots: the annotated methods, then every method a delegate
    /// slot invoked on an atomic path holds, with the context it inherits
    /// (hard-IRQ wins) and how it is reached ("call_timer_fn -> timer_list.function -> ").
    /// </summary>
    private static List<(IMethodSymbol Method, string Context, string Via)> FindRoots(CallGraph graph, List<Diagnostic> sleepingCallbacks)
    {
        var roots = new List<(IMethodSymbol, string, string)>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var context in new[] { "hard-IRQ", "softirq" })
        {
            var queue = new Queue<(IMethodSymbol Method, string Via)>();
            foreach (var m in graph.Methods.Where(m => AtomicContext(m) == context).OrderBy(m => m.ToDisplayString(), StringComparer.Ordinal))
            {
                if (seen.Add(m))
                {
                    roots.Add((m, context, string.Empty));
                    queue.Enqueue((m, string.Empty));
                }
            }

            // Everything reachable by calls from a root is atomic too; a delegate it invokes makes the slot's methods roots.
            var reached = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            while (queue.Count > 0)
            {
                var (root, _) = queue.Dequeue();
                var walk = new Queue<IMethodSymbol>();
                walk.Enqueue(root);
                reached.Add(root);
                while (walk.Count > 0)
                {
                    var m = walk.Dequeue();
                    foreach (var (callee, _) in graph.CallsFrom(m))
                    {
                        // A method marked with the other context is a root of its own (irq_exit_rcu's call into handle_softirqs).
                        if (!Enters(callee, context) && reached.Add(callee))
                        {
                            walk.Enqueue(callee);
                        }
                    }

                    foreach (var (slot, site) in graph.SlotsInvokedBy(m))
                    {
                        foreach (var target in graph.MethodsIn(slot))
                        {
                            if (Has(target, "MightSleepAttribute"))
                            {
                                // The callback itself sleeps: the invocation is the call that starts the chain.
                                sleepingCallbacks.Add(Diagnostic.Create(Rule, site, m.Name, context, m.Name + " -> " + SlotName(slot) + " -> " + target.Name + " [MightSleep]"));
                            }

                            if (seen.Add(target))
                            {
                                var via = m.Name + " -> " + SlotName(slot) + " -> ";
                                roots.Add((target, context, via));
                                queue.Enqueue((target, via));
                            }
                        }
                    }
                }
            }
        }

        return roots;
    }

    private static string SlotName(ISymbol slot) => slot switch
    {
        IParameterSymbol p => (p.ContainingSymbol?.Name ?? "?") + "(" + p.Name + ")",
        _ => (slot.ContainingType?.Name ?? "?") + "." + slot.Name,
    };

    /// <summary>Whether a call from <paramref name="context"/> code to <paramref name="callee"/> enters the other atomic context: the callee is marked for it.</summary>
    private static bool Enters(IMethodSymbol callee, string context) => AtomicContext(callee) is { } other && other != context;

    /// <summary>
    /// Breadth-first over direct calls from <paramref name="start"/> to a
    /// [MightSleep] method, not entering methods marked with the other atomic
    /// context (they report for themselves): the chain from start to it, or null.
    /// </summary>
    private static List<IMethodSymbol>? FindSleeper(IMethodSymbol start, string context, CallGraph graph)
    {
        if (Enters(start, context))
        {
            return null;
        }

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
                if (!parent.ContainsKey(callee) && !Enters(callee, context))
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

    /// <summary>
    /// The compilation's calls and delegate flow: direct calls (invocations,
    /// constructor calls) between methods, with their sites; which delegate
    /// slots (fields, properties, parameters) each method invokes; which
    /// methods each slot is given (a method group or lambda stored in it or
    /// passed to it) and which slots a parameter's value is passed on to.
    /// Calls inside a lambda count for the enclosing method and for the
    /// lambda itself (a callback of its own when stored in a slot).
    /// </summary>
    private sealed class CallGraph
    {
        private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentQueue<(IMethodSymbol, Location)>> _calls = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentQueue<(ISymbol, Location)>> _invokes = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ConcurrentQueue<IMethodSymbol>> _stored = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ConcurrentQueue<ISymbol>> _flows = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<Location, bool> _unawaited = new();

        public IEnumerable<IMethodSymbol> Methods => _calls.Keys.Concat(_invokes.Keys).Distinct<IMethodSymbol>(SymbolEqualityComparer.Default);

        public void Record(OperationAnalysisContext op)
        {
            // Stores happen in field initializers too (tcp_prot = new() { backlog_rcv = ... }); calls count only inside methods.
            var container = op.ContainingSymbol as IMethodSymbol;
            switch (op.Operation)
            {
                case IInvocationOperation or IObjectCreationOperation when container == null:
                    break;
                case IInvocationOperation call when call.TargetMethod.MethodKind == MethodKind.DelegateInvoke:
                    if (Slot(call.Instance) is { } invoked)
                    {
                        foreach (var caller in Callers(container!, op.Operation))
                        {
                            _invokes.GetOrAdd(caller, _ => new ConcurrentQueue<(ISymbol, Location)>()).Enqueue((invoked, op.Operation.Syntax.GetLocation()));
                        }
                    }

                    break;
                case IInvocationOperation call:
                    AddCall(container!, op.Operation, call.TargetMethod);
                    if (IsTask(call.TargetMethod.ReturnType) && !IsAwaited(op.Operation))
                    {
                        _unawaited[op.Operation.Syntax.GetLocation()] = true;
                    }

                    break;
                case IObjectCreationOperation create when create.Constructor != null:
                    AddCall(container!, op.Operation, create.Constructor);
                    break;
                case IMethodReferenceOperation reference:
                    if (Destination(reference) is { } slot)
                    {
                        _stored.GetOrAdd(slot, _ => new ConcurrentQueue<IMethodSymbol>()).Enqueue(reference.Method.OriginalDefinition);
                    }

                    break;
                case ISimpleAssignmentOperation assign when Unwrap(assign.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } && Slot(assign.Target) is { } lambdaSlot:
                    _stored.GetOrAdd(lambdaSlot, _ => new ConcurrentQueue<IMethodSymbol>()).Enqueue(lambda.Symbol);
                    break;
                case ISimpleAssignmentOperation assign when IsDelegate(assign.Value) && Slot(assign.Value) is { } from && Slot(assign.Target) is { } target:
                    // A delegate copied from one slot to another (timer.function = func): whatever the first holds, the second does.
                    _flows.GetOrAdd(from, _ => new ConcurrentQueue<ISymbol>()).Enqueue(target);
                    break;
                case IVariableDeclaratorOperation { Initializer: { } init } declarator when IsDelegate(init.Value) && Slot(init.Value) is { } read:
                    // var f = rhp.func; ... f(rhp): the local holds what the slot does.
                    _flows.GetOrAdd(read, _ => new ConcurrentQueue<ISymbol>()).Enqueue(declarator.Symbol);
                    break;
                case IIsPatternOperation test when IsDelegate(test.Value) && Slot(test.Value) is { } tested && DeclaredBy(test.Pattern) is { } local:
                    // curr.func_key is { } fk ? fk(...) : ...
                    _flows.GetOrAdd(tested, _ => new ConcurrentQueue<ISymbol>()).Enqueue(local);
                    break;
                case IArgumentOperation { Parameter: { } parameter } argument:
                    var value = Unwrap(argument.Value);
                    if (IsDelegate(argument.Value) && Slot(value) is { } passed)
                    {
                        _flows.GetOrAdd(passed, _ => new ConcurrentQueue<ISymbol>()).Enqueue(parameter.OriginalDefinition);
                    }
                    else if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation fn })
                    {
                        _stored.GetOrAdd(parameter.OriginalDefinition, _ => new ConcurrentQueue<IMethodSymbol>()).Enqueue(fn.Symbol);
                    }

                    break;
            }
        }

        public IEnumerable<(IMethodSymbol Callee, Location Site)> CallsFrom(IMethodSymbol caller) =>
            _calls.TryGetValue(caller, out var calls) ? calls : Enumerable.Empty<(IMethodSymbol, Location)>();

        public IEnumerable<(ISymbol Slot, Location Site)> SlotsInvokedBy(IMethodSymbol caller) =>
            _invokes.TryGetValue(caller, out var slots) ? slots : Enumerable.Empty<(ISymbol, Location)>();

        /// <summary>Every method stored in <paramref name="slot"/> or in a slot whose value is passed on to it (a parameter stored in a field).</summary>
        public IEnumerable<IMethodSymbol> MethodsIn(ISymbol slot)
        {
            // Parameters flow forward into fields and parameters: find every source that can reach this slot.
            var sources = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { slot };
            var changed = true;
            while (changed)
            {
                changed = false;
                foreach (var kv in _flows)
                {
                    if (!sources.Contains(kv.Key) && kv.Value.Any(sources.Contains))
                    {
                        sources.Add(kv.Key);
                        changed = true;
                    }
                }
            }

            return sources
                .SelectMany(s => _stored.TryGetValue(s, out var ms) ? ms : Enumerable.Empty<IMethodSymbol>())
                .Distinct<IMethodSymbol>(SymbolEqualityComparer.Default)
                .OrderBy(m => m.ToDisplayString(), StringComparer.Ordinal);
        }

        public bool IsUnawaitedTask(Location site) => _unawaited.ContainsKey(site);

        private void AddCall(IMethodSymbol container, IOperation operation, IMethodSymbol callee)
        {
            foreach (var caller in Callers(container, operation))
            {
                _calls.GetOrAdd(caller, _ => new ConcurrentQueue<(IMethodSymbol, Location)>())
                    .Enqueue((callee.OriginalDefinition, operation.Syntax.GetLocation()));
            }
        }

        /// <summary>The enclosing method and every lambda around the operation.</summary>
        private static IEnumerable<IMethodSymbol> Callers(IMethodSymbol container, IOperation operation)
        {
            yield return container.OriginalDefinition;
            for (var p = operation.Parent; p != null; p = p.Parent)
            {
                if (p is IAnonymousFunctionOperation fn)
                {
                    yield return fn.Symbol;
                }
            }
        }

        /// <summary>Where a method group goes: the field, property or parameter it is assigned to or passed as.</summary>
        private static ISymbol? Destination(IMethodReferenceOperation reference)
        {
            IOperation current = reference;
            while (current.Parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
            {
                current = current.Parent;
            }

            return current.Parent switch
            {
                ISimpleAssignmentOperation assign when assign.Value == current => Slot(assign.Target),
                IArgumentOperation { Parameter: { } p } => p.OriginalDefinition,
                IVariableInitializerOperation { Parent: IFieldInitializerOperation field } => field.InitializedFields.FirstOrDefault()?.OriginalDefinition,
                IVariableInitializerOperation { Parent: IPropertyInitializerOperation property } => property.InitializedProperties.FirstOrDefault()?.OriginalDefinition,
                _ => null,
            };
        }

        /// <summary>The field, property or parameter a delegate is read from or stored to (through an array element, ?? or a conversion).</summary>
        private static ISymbol? Slot(IOperation? operation)
        {
            switch (Unwrap(operation))
            {
                case IFieldReferenceOperation f:
                    return f.Field.OriginalDefinition;
                case IPropertyReferenceOperation p:
                    return p.Property.OriginalDefinition;
                case IParameterReferenceOperation p:
                    return p.Parameter.OriginalDefinition;
                case ILocalReferenceOperation l:
                    return l.Local;
                case IArrayElementReferenceOperation a:
                    return Slot(a.ArrayReference);
                case ICoalesceOperation c:
                    return Slot(c.Value);
                case IConditionalAccessInstanceOperation instance:
                    for (var p = instance.Parent; p != null; p = p.Parent)
                    {
                        if (p is IConditionalAccessOperation access)
                        {
                            return Slot(access.Operation);
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        private static ISymbol? DeclaredBy(IPatternOperation pattern) => pattern switch
        {
            IRecursivePatternOperation r => r.DeclaredSymbol,
            IDeclarationPatternOperation d => d.DeclaredSymbol,
            _ => null,
        };

        private static IOperation? Unwrap(IOperation? operation)
        {
            while (operation is IConversionOperation or IParenthesizedOperation)
            {
                operation = operation is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)operation).Operand;
            }

            return operation;
        }

        private static bool IsDelegate(IOperation? operation) => operation?.Type?.TypeKind == TypeKind.Delegate;

        private static bool IsTask(ITypeSymbol type) =>
            type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks" && type.Name is "Task" or "ValueTask";

        private static bool IsAwaited(IOperation operation)
        {
            var p = operation.Parent;
            while (p is IConversionOperation or IParenthesizedOperation)
            {
                p = p.Parent;
            }

            return p is IAwaitOperation;
        }
    }
}
