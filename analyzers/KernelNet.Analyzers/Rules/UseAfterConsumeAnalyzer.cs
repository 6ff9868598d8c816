using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0006: after a call that consumes an skb ([Consumes("skb")]: frees,
/// queues or hands it on), the variable passed is not read again on any path
/// unless it is reassigned first. A forward dataflow over the method's
/// control-flow graph: a variable is "consumed" on entry to a block if it is
/// consumed at the end of any predecessor.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAfterConsumeAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.UseAfterConsume,
        "No use of an skb after it is consumed",
        "'{0}' is read after {1}() consumed it; reassign it (skb = ...) or read what you need before the call",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A consumed skb may already be freed or owned by someone else: reading it is a use after free.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.UseAfterConsume));

    private const string ConsumesAttribute = "KernelNet.Annotations.ConsumesAttribute";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(Analyze, OperationKind.MethodBody, OperationKind.ConstructorBody);
    }

    private static void Analyze(OperationAnalysisContext ctx)
    {
        if (!TreePath.Of(ctx.Operation.Syntax.SyntaxTree, ctx.Options).IsKernel)
        {
            return;
        }

        var cfg = ctx.Operation switch
        {
            IMethodBodyOperation method => ControlFlowGraph.Create(method),
            IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor),
            _ => null,
        };
        if (cfg == null)
        {
            return;
        }

        var entry = FixedPoint(cfg);
        var reads = new List<(IOperation Read, string ConsumedBy)>();
        foreach (var block in cfg.Blocks)
        {
            var state = new Consumed(entry[block.Ordinal]);
            foreach (var op in BlockOperations(block))
            {
                Walk(op, state, reads);
            }
        }

        foreach (var (read, by) in reads)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, read.Syntax.GetLocation(), Variable(read)!.Name, by));
        }
    }

    /// <summary>
    /// The variables possibly consumed on entry to each block: a forward
    /// "may" dataflow, the union over predecessors, iterated to a fixed point
    /// (the sets only grow, so it terminates).
    /// </summary>
    private static Consumed[] FixedPoint(ControlFlowGraph cfg)
    {
        var entry = new Consumed[cfg.Blocks.Length];
        var exit = new Consumed[cfg.Blocks.Length];
        for (var i = 0; i < entry.Length; i++)
        {
            entry[i] = new Consumed();
            exit[i] = new Consumed();
        }

        var work = new Queue<BasicBlock>(cfg.Blocks);
        var queued = new HashSet<int>(cfg.Blocks.Select(b => b.Ordinal));
        while (work.Count > 0)
        {
            var block = work.Dequeue();
            queued.Remove(block.Ordinal);
            var state = new Consumed(entry[block.Ordinal]);
            foreach (var op in BlockOperations(block))
            {
                Walk(op, state, reads: null);
            }

            if (state.SameAs(exit[block.Ordinal]))
            {
                continue;
            }

            exit[block.Ordinal] = state;
            foreach (var successor in Successors(block))
            {
                entry[successor.Ordinal].UnionWith(state);
                if (queued.Add(successor.Ordinal))
                {
                    work.Enqueue(successor);
                }
            }
        }

        return entry;
    }

    private static IEnumerable<IOperation> BlockOperations(BasicBlock block)
    {
        foreach (var op in block.Operations)
        {
            yield return op;
        }

        if (block.BranchValue != null)
        {
            yield return block.BranchValue;
        }
    }

    private static IEnumerable<BasicBlock> Successors(BasicBlock block)
    {
        if (block.FallThroughSuccessor?.Destination is { } next)
        {
            yield return next;
        }

        if (block.ConditionalSuccessor?.Destination is { } branch)
        {
            yield return branch;
        }
    }

    /// <summary>Evaluates an operation in execution order: operands first, then its own effect.</summary>
    private static void Walk(IOperation op, Consumed consumed, List<(IOperation, string)>? reads)
    {
        switch (op)
        {
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
            case INameOfOperation:
                return;
            case ISimpleAssignmentOperation assign when Variable(assign.Target) is { } target:
                Walk(assign.Value, consumed, reads);
                consumed.Remove(target);
                return;
            case IDeconstructionAssignmentOperation deconstruction:
                Walk(deconstruction.Value, consumed, reads);
                RemoveDeclared(deconstruction.Target, consumed);
                return;
            case IPatternOperation pattern:
                // `is { } skb`, `is sk_buff skb`: the pattern assigns what it declares
                foreach (var child in pattern.ChildOperations)
                {
                    Walk(child, consumed, reads);
                }

                if (DeclaredBy(pattern) is { } declared)
                {
                    consumed.Remove(declared);
                }

                return;
            case IInvocationOperation call:
                WalkCall(call, consumed, reads);
                return;
            case ILocalReferenceOperation { IsDeclaration: true } declaration:
                consumed.Remove(declaration.Local);
                return;
            case ILocalReferenceOperation or IParameterReferenceOperation:
                if (consumed.By(Variable(op)!) is { } by)
                {
                    reads?.Add((op, by));
                }

                return;
        }

        foreach (var child in op.ChildOperations)
        {
            Walk(child, consumed, reads);
        }
    }

    private static void WalkCall(IInvocationOperation call, Consumed consumed, List<(IOperation, string)>? reads)
    {
        if (call.Instance != null)
        {
            Walk(call.Instance, consumed, reads);
        }

        foreach (var arg in call.Arguments)
        {
            if (arg.Parameter?.RefKind == RefKind.Out && Variable(arg.Value) is { } written)
            {
                consumed.Remove(written);
                continue;
            }

            Walk(arg.Value, consumed, reads);
        }

        foreach (var name in ConsumedParameters(call.TargetMethod))
        {
            var arg = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == name);
            if (arg != null && Variable(arg.Value) is { } v)
            {
                consumed.Add(v, call.TargetMethod.Name);
            }
        }
    }

    /// <summary>Every variable a deconstruction target writes: <c>var (o, e, skb)</c>, <c>(a, skb)</c>.</summary>
    private static void RemoveDeclared(IOperation target, Consumed consumed)
    {
        if (Variable(target) is { } v)
        {
            consumed.Remove(v);
            return;
        }

        foreach (var child in target.ChildOperations)
        {
            RemoveDeclared(child, consumed);
        }
    }

    private static ISymbol? DeclaredBy(IPatternOperation pattern) => pattern switch
    {
        IDeclarationPatternOperation d => d.DeclaredSymbol,
        IRecursivePatternOperation r => r.DeclaredSymbol,
        IListPatternOperation l => l.DeclaredSymbol,
        _ => null,
    };

    private static ISymbol? Variable(IOperation op)
    {
        while (op is IConversionOperation or IDeclarationExpressionOperation)
        {
            op = op is IConversionOperation c ? c.Operand : ((IDeclarationExpressionOperation)op).Expression;
        }

        return op switch
        {
            ILocalReferenceOperation l => l.Local,
            IParameterReferenceOperation p => p.Parameter,
            _ => null,
        };
    }

    private static IEnumerable<string> ConsumedParameters(IMethodSymbol method)
    {
        foreach (var a in method.OriginalDefinition.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() == ConsumesAttribute && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string name)
            {
                yield return name;
            }
        }
    }

    /// <summary>The variables possibly consumed at a program point, each with the call that consumed it.</summary>
    private sealed class Consumed
    {
        private readonly Dictionary<ISymbol, string> _by;

        public Consumed()
        {
            _by = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        }

        public Consumed(Consumed other)
        {
            _by = new Dictionary<ISymbol, string>(other._by, SymbolEqualityComparer.Default);
        }

        public string? By(ISymbol variable) => _by.TryGetValue(variable, out var by) ? by : null;

        public void Add(ISymbol variable, string by) => _by[variable] = by;

        public void Remove(ISymbol variable) => _by.Remove(variable);

        public void UnionWith(Consumed other)
        {
            foreach (var kv in other._by)
            {
                if (!_by.ContainsKey(kv.Key))
                {
                    _by.Add(kv.Key, kv.Value);
                }
            }
        }

        public bool SameAs(Consumed other) => _by.Count == other._by.Count && _by.Keys.All(other._by.ContainsKey);
    }
}
