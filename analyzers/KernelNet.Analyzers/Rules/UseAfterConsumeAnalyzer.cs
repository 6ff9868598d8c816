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
        var p = TreePath.Of(ctx.Operation.Syntax.SyntaxTree, ctx.Options);
        if (!p.IsKernel)
        {
            return;
        }

        ControlFlowGraph cfg;
        try
        {
            cfg = ctx.Operation is IMethodBodyOperation mb ? ControlFlowGraph.Create(mb) : ControlFlowGraph.Create((IConstructorBodyOperation)ctx.Operation);
        }
        catch (System.Exception)
        {
            return;
        }

        var blocks = cfg.Blocks;
        var outSets = new Dictionary<int, Dictionary<ISymbol, string>>();
        var reported = new HashSet<Location>();
        var changed = true;
        var rounds = 0;
        while (changed && rounds++ < 50)
        {
            changed = false;
            foreach (var block in blocks)
            {
                var state = Join(block, outSets);
                foreach (var op in block.Operations)
                {
                    Walk(op, state, ctx, reported, report: rounds > 1 || true);
                }

                if (block.BranchValue != null)
                {
                    Walk(block.BranchValue, state, ctx, reported, report: true);
                }

                if (!outSets.TryGetValue(block.Ordinal, out var old) || !Same(old, state))
                {
                    outSets[block.Ordinal] = state;
                    changed = true;
                }
            }
        }
    }

    private static Dictionary<ISymbol, string> Join(BasicBlock block, Dictionary<int, Dictionary<ISymbol, string>> outSets)
    {
        var state = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        foreach (var pred in block.Predecessors)
        {
            if (outSets.TryGetValue(pred.Source.Ordinal, out var o))
            {
                foreach (var kv in o)
                {
                    state[kv.Key] = kv.Value;
                }
            }
        }

        return state;
    }

    private static bool Same(Dictionary<ISymbol, string> a, Dictionary<ISymbol, string> b) =>
        a.Count == b.Count && a.Keys.All(k => b.ContainsKey(k));

    /// <summary>Evaluates an operation in execution order: operands first, then the operation's own effect.</summary>
    private static void Walk(IOperation op, Dictionary<ISymbol, string> consumed, OperationAnalysisContext ctx, HashSet<Location> reported, bool report)
    {
        switch (op)
        {
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
            case INameOfOperation:
                return;
            case ISimpleAssignmentOperation assign when Variable(assign.Target) is { } target:
                Walk(assign.Value, consumed, ctx, reported, report);
                consumed.Remove(target);
                return;
            case IInvocationOperation call:
                if (call.Instance != null)
                {
                    Walk(call.Instance, consumed, ctx, reported, report);
                }

                foreach (var arg in call.Arguments)
                {
                    Walk(arg.Value, consumed, ctx, reported, report);
                }

                foreach (var name in ConsumedParameters(call.TargetMethod))
                {
                    var arg = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == name);
                    if (arg != null && Variable(arg.Value) is { } v)
                    {
                        consumed[v] = call.TargetMethod.Name;
                    }
                }

                return;
            case ILocalReferenceOperation or IParameterReferenceOperation:
                var sym = Variable(op)!;
                if (report && consumed.TryGetValue(sym, out var by) && reported.Add(op.Syntax.GetLocation()))
                {
                    ctx.ReportDiagnostic(Diagnostic.Create(Rule, op.Syntax.GetLocation(), sym.Name, by));
                }

                return;
        }

        foreach (var child in op.ChildOperations)
        {
            Walk(child, consumed, ctx, reported, report);
        }
    }

    private static ISymbol? Variable(IOperation op)
    {
        while (op is IConversionOperation c)
        {
            op = c.Operand;
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
}
