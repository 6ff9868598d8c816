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
/// consumed along any edge into it. Conditional consumers
/// (<c>WhenReturnsNonZero</c>, <c>WhenReturns</c>, <c>UnlessReturns</c>,
/// <c>UnlessSet</c>) are resolved on the edges leaving the branch that tests
/// their result: the call itself, or the local it was stored in.
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
    /// "may" dataflow, the union over incoming edges, each edge refined by the
    /// branch it leaves on, iterated to a fixed point (the marks only grow,
    /// from "consumed unless" to "consumed", so it terminates).
    /// </summary>
    private static Consumed[] FixedPoint(ControlFlowGraph cfg)
    {
        var entry = new Consumed[cfg.Blocks.Length];
        for (var i = 0; i < entry.Length; i++)
        {
            entry[i] = new Consumed();
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

            foreach (var (successor, taken) in Edges(block))
            {
                if (entry[successor.Ordinal].UnionWith(state.Along(block.BranchValue, taken)) && queued.Add(successor.Ordinal))
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

    /// <summary>
    /// The block's successors, each with the value of its branch condition
    /// on that edge (null: unconditional, or a return value).
    /// </summary>
    private static IEnumerable<(BasicBlock Block, bool? Taken)> Edges(BasicBlock block)
    {
        var conditional = block.ConditionKind != ControlFlowConditionKind.None;
        var jumpsWhen = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        if (block.FallThroughSuccessor?.Destination is { } next)
        {
            yield return (next, conditional ? !jumpsWhen : null);
        }

        if (block.ConditionalSuccessor?.Destination is { } branch)
        {
            yield return (branch, conditional ? jumpsWhen : null);
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
                // a new value in a result local ends what the old one said about its skb
                consumed.Unguard(target);
                Walk(assign.Value, consumed, reads);
                consumed.Remove(target);
                if (target is ILocalSymbol flag && Constant(assign.Value) is { } value)
                {
                    // `queued = true` after tcp_data_queue: the skb is gone only where the flag still says so
                    consumed.Pin(flag, value);
                }

                return;
            case ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                // `i++`, `rc |= x`: a result or flag local that changes says nothing any more
                foreach (var child in op.ChildOperations)
                {
                    Walk(child, consumed, reads);
                }

                if (Variable(op is ICompoundAssignmentOperation compound ? compound.Target : ((IIncrementOrDecrementOperation)op).Target) is { } changed)
                {
                    consumed.Unguard(changed);
                }

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
                consumed.Unguard(written);
                continue;
            }

            Walk(arg.Value, consumed, reads);
            if (arg.Parameter?.RefKind == RefKind.Ref && Variable(arg.Value) is { } changed)
            {
                consumed.Unguard(changed);
            }
        }

        foreach (var consumes in ConsumedParameters(call.TargetMethod))
        {
            if (Argument(call, consumes.Parameter) is not { } arg || Variable(arg) is not { } v)
            {
                continue;
            }

            var by = call.TargetMethod.Name;
            if (consumes.UnlessArgument != null && Argument(call, consumes.UnlessArgument) is { } flag && Constant(flag) is { } set && set != 0)
            {
                // __tcp_transmit_skb(sk, skb, clone_it: true): a clone goes out, the skb stays where it was
                continue;
            }

            if (consumes.Kept is { } kept && DirectTest(call) is { } direct)
            {
                // the call is the branch condition: kept on the edge whose fact says so, consumed on the others
                var keptWhenTaken = kept.Holds(direct.Fact(true)) == true;
                var keptWhenNotTaken = kept.Holds(direct.Fact(false)) == true;
                if (keptWhenTaken && keptWhenNotTaken)
                {
                    continue;
                }

                if (keptWhenTaken || keptWhenNotTaken)
                {
                    consumed.AddOnBranch(v, by, keptWhenNotTaken);
                }
                else
                {
                    consumed.Add(v, by);
                }
            }
            else if (consumes.Kept is { } keptWhen && StoredIn(call) is { } result)
            {
                consumed.AddUnlessResult(v, by, result, keptWhen);
            }
            else if (consumes.UnlessSet != null && Argument(call, consumes.UnlessSet) is { } handedBack && Variable(handedBack) is { } guard)
            {
                consumed.AddUnless(v, by, guard);
            }
            else
            {
                consumed.Add(v, by);
            }
        }
    }

    private static IOperation? Argument(IInvocationOperation call, string parameter) =>
        call.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter)?.Value;

    /// <summary>
    /// For a call that is itself the whole branch condition, compared with a
    /// constant (<c>if (f(skb) == 0)</c>, <c>!= 1</c>, <c>&lt; 0</c>) or a
    /// bool used as it is (<c>if (f(skb))</c>, <c>if (!f(skb))</c>): the
    /// test. Null when the result goes anywhere else.
    /// </summary>
    private static ResultTest? DirectTest(IOperation call)
    {
        var result = call;
        while (result.Parent is IConversionOperation conversion)
        {
            result = conversion;
        }

        return result.Parent == null ? ResultTest.Of(result, _ => true) : result.Parent.Parent == null ? ResultTest.Of(result.Parent, o => o == result) : null;
    }

    /// <summary>The local a call's result is stored in (<c>var rc = f(skb)</c>, <c>rc = f(skb)</c>), or null.</summary>
    private static ISymbol? StoredIn(IOperation call)
    {
        var result = call;
        while (result.Parent is IConversionOperation conversion)
        {
            result = conversion;
        }

        return result.Parent is ISimpleAssignmentOperation assign && assign.Value == result && Variable(assign.Target) is ILocalSymbol local ? local : null;
    }

    private static long? Constant(IOperation op)
    {
        if (!op.ConstantValue.HasValue)
        {
            return null;
        }

        return op.ConstantValue.Value switch
        {
            null => 0,
            bool b => b ? 1 : 0,
            int i => i,
            long l => l,
            uint u => u,
            short h => h,
            ushort h => h,
            byte b => b,
            sbyte b => b,
            _ => null,
        };
    }

    /// <summary>What a branch condition says about one value: <c>x OP c</c>, or a bool tested as it is.</summary>
    private sealed class ResultTest
    {
        private readonly BinaryOperatorKind _op;
        private readonly long _constant;

        private ResultTest(IOperation tested, BinaryOperatorKind op, long constant)
        {
            Tested = tested;
            _op = op;
            _constant = constant;
        }

        public IOperation Tested { get; }

        /// <summary>The test <paramref name="condition"/> makes, when its tested operand satisfies <paramref name="isOperand"/>.</summary>
        public static ResultTest? Of(IOperation condition, System.Func<IOperation, bool> isOperand)
        {
            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not when isOperand(not.Operand) || isOperand(Strip(not.Operand)):
                    return new ResultTest(not.Operand, BinaryOperatorKind.Equals, 0);
                case IBinaryOperation test when Constant(test.RightOperand) is { } c && isOperand(test.LeftOperand):
                    return Comparison(test.LeftOperand, test.OperatorKind, c, swapped: false);
                case IBinaryOperation test when Constant(test.LeftOperand) is { } c && isOperand(test.RightOperand):
                    return Comparison(test.RightOperand, test.OperatorKind, c, swapped: true);
                case IBinaryOperation:
                    return null;
                case IIsPatternOperation { Pattern: IConstantPatternOperation c } test when IsNull(c.Value) && isOperand(test.Value):
                    return new ResultTest(test.Value, BinaryOperatorKind.Equals, 0);
                case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation c } } test when IsNull(c.Value) && isOperand(test.Value):
                    return new ResultTest(test.Value, BinaryOperatorKind.NotEquals, 0);
                default:
                    return isOperand(condition) && condition.Type?.SpecialType == SpecialType.System_Boolean ? new ResultTest(condition, BinaryOperatorKind.NotEquals, 0) : null;
            }
        }

        private static IOperation Strip(IOperation op)
        {
            while (op is IConversionOperation c)
            {
                op = c.Operand;
            }

            return op;
        }

        private static ResultTest? Comparison(IOperation tested, BinaryOperatorKind op, long c, bool swapped)
        {
            if (swapped)
            {
                op = op switch
                {
                    BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
                    BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
                    BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
                    BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
                    _ => op,
                };
            }

            return op is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or
                BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
                ? new ResultTest(tested, op, c)
                : null;
        }

        /// <summary>The fact about the tested value on the edge where the condition is <paramref name="taken"/>.</summary>
        public (BinaryOperatorKind Op, long Constant) Fact(bool taken)
        {
            if (taken)
            {
                return (_op, _constant);
            }

            return (_op switch
            {
                BinaryOperatorKind.Equals => BinaryOperatorKind.NotEquals,
                BinaryOperatorKind.NotEquals => BinaryOperatorKind.Equals,
                BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThanOrEqual,
                BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThan,
                BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThanOrEqual,
                _ => BinaryOperatorKind.LessThan,
            }, _constant);
        }
    }

    /// <summary>When a conditional consumer leaves the skb with the caller: its result is (or, negated, is not) <see cref="Value"/>.</summary>
    private sealed class KeptWhen
    {
        public KeptWhen(long value, bool negated)
        {
            Value = value;
            Negated = negated;
        }

        public long Value { get; }

        public bool Negated { get; }

        /// <summary>Whether the skb was kept, given a fact about the result; null when the fact does not settle it.</summary>
        public bool? Holds((BinaryOperatorKind Op, long Constant) fact)
        {
            var (op, c) = fact;
            bool? equal = op switch
            {
                BinaryOperatorKind.Equals => Value == c,
                BinaryOperatorKind.NotEquals => Value == c ? false : null,
                BinaryOperatorKind.LessThan => Value >= c ? false : null,
                BinaryOperatorKind.LessThanOrEqual => Value > c ? false : null,
                BinaryOperatorKind.GreaterThan => Value <= c ? false : null,
                BinaryOperatorKind.GreaterThanOrEqual => Value < c ? false : null,
                _ => null,
            };
            return equal is bool e ? e != Negated : null;
        }

        public bool SameAs(KeptWhen? other) => other != null && other.Value == Value && other.Negated == Negated;
    }

    private static bool IsNull(IOperation op) => op.ConstantValue.HasValue && op.ConstantValue.Value is null;

    /// <summary>
    /// A branch condition that tests a variable against null (<c>x is null</c>,
    /// <c>x is not null</c>, <c>x == null</c>, <c>x != null</c>, negated): the
    /// variable, and whether the condition is true when it is null.
    /// </summary>
    private static (ISymbol Variable, bool TrueWhenNull)? NullTest(IOperation? condition)
    {
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return NullTest(not.Operand) is { } inner ? (inner.Variable, !inner.TrueWhenNull) : null;
            case IIsPatternOperation { Pattern: IConstantPatternOperation c } test when IsNull(c.Value) && Variable(test.Value) is { } v:
                return (v, true);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation c } } test when IsNull(c.Value) && Variable(test.Value) is { } v:
                return (v, false);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } test:
                var other = IsNull(test.RightOperand) ? test.LeftOperand : IsNull(test.LeftOperand) ? test.RightOperand : null;
                return other != null && Variable(other) is { } tested ? (tested, test.OperatorKind == BinaryOperatorKind.Equals) : null;
            default:
                return null;
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

    private static IEnumerable<Consumes> ConsumedParameters(IMethodSymbol method)
    {
        foreach (var a in method.OriginalDefinition.GetAttributes())
        {
            if (a.AttributeClass?.ToDisplayString() == ConsumesAttribute && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string name)
            {
                KeptWhen? kept = null;
                string? unlessSet = null;
                string? unlessArgument = null;
                foreach (var named in a.NamedArguments)
                {
                    switch (named.Key)
                    {
                        case "WhenReturnsNonZero" when named.Value.Value is true:
                            kept = new KeptWhen(0, negated: false);
                            break;
                        case "UnlessReturns" when named.Value.Value is int k:
                            kept = new KeptWhen(k, negated: false);
                            break;
                        case "WhenReturns" when named.Value.Value is int k:
                            kept = new KeptWhen(k, negated: true);
                            break;
                        case "UnlessSet":
                            unlessSet = named.Value.Value as string;
                            break;
                        case "UnlessArgument":
                            unlessArgument = named.Value.Value as string;
                            break;
                    }
                }

                yield return new Consumes(name, kept, unlessSet, unlessArgument);
            }
        }
    }

    /// <summary>One [Consumes] of a method: which parameter, and on what condition.</summary>
    private readonly struct Consumes
    {
        public Consumes(string parameter, KeptWhen? kept, string? unlessSet, string? unlessArgument)
        {
            Parameter = parameter;
            Kept = kept;
            UnlessSet = unlessSet;
            UnlessArgument = unlessArgument;
        }

        /// <summary>A flag parameter that, passed as a non-zero constant, leaves the skb with the caller; null when none.</summary>
        public string? UnlessArgument { get; }

        public string Parameter { get; }

        /// <summary>The results on which the skb stays the caller's (WhenReturnsNonZero, WhenReturns, UnlessReturns); null when none.</summary>
        public KeptWhen? Kept { get; }

        public string? UnlessSet { get; }
    }

    /// <summary>
    /// The variables possibly consumed at a program point, each with the call
    /// that consumed it and, for a call that hands the skb back through an out
    /// variable, that variable (consumed unless it is non-null). Reads of
    /// either are reported.
    /// </summary>
    private sealed class Consumed
    {
        private readonly Dictionary<ISymbol, Mark> _marks;

        /// <summary>Consumptions that hang on this block's branch condition: the variable, the call, the condition value that means "consumed".</summary>
        private readonly List<(ISymbol Variable, string By, bool WhenTaken)> _onBranch = new();

        public Consumed()
        {
            _marks = new Dictionary<ISymbol, Mark>(SymbolEqualityComparer.Default);
        }

        public Consumed(Consumed other)
        {
            _marks = new Dictionary<ISymbol, Mark>(other._marks, SymbolEqualityComparer.Default);
        }

        public string? By(ISymbol variable) => _marks.TryGetValue(variable, out var mark) ? mark.By : null;

        public void Add(ISymbol variable, string by) => _marks[variable] = new Mark(by, null);

        public void AddUnless(ISymbol variable, string by, ISymbol guard) => _marks[variable] = new Mark(by, guard);

        /// <summary>Consumed unless the result stored in <paramref name="result"/> turns out to be one that leaves the skb with the caller.</summary>
        public void AddUnlessResult(ISymbol variable, string by, ISymbol result, KeptWhen kept) => _marks[variable] = new Mark(by, result, kept);

        /// <summary>
        /// A local was just set to a constant: every skb consumed on the way
        /// here was consumed where it holds that value, so a later test that
        /// proves otherwise clears them (tcp_rcv_state_process's
        /// <c>queued = 1</c> ... <c>if (!queued) goto discard</c>).
        /// </summary>
        public void Pin(ISymbol local, long value)
        {
            foreach (var kv in _marks.Where(kv => kv.Value.Unless == null).ToList())
            {
                _marks[kv.Key] = new Mark(kv.Value.By, local, new KeptWhen(value, negated: true));
            }
        }

        /// <summary>The result local is written again: what it said about an skb is lost, and the skb counts as consumed.</summary>
        public void Unguard(ISymbol result)
        {
            foreach (var kv in _marks.Where(kv => kv.Value.Kept != null && SymbolEqualityComparer.Default.Equals(kv.Value.Unless, result)).ToList())
            {
                _marks[kv.Key] = new Mark(kv.Value.By, null);
            }
        }

        public void AddOnBranch(ISymbol variable, string by, bool whenTaken) => _onBranch.Add((variable, by, whenTaken));

        public void Remove(ISymbol variable) => _marks.Remove(variable);

        /// <summary>The state along an edge leaving the block whose condition is <paramref name="condition"/>, with value <paramref name="taken"/> on that edge.</summary>
        public Consumed Along(IOperation? condition, bool? taken)
        {
            var next = new Consumed(this);
            foreach (var (variable, by, whenTaken) in _onBranch)
            {
                if (taken == null || taken == whenTaken)
                {
                    next.Add(variable, by);
                }
            }

            if (taken is bool edge && condition != null && ResultTest.Of(condition, o => Variable(o) is ILocalSymbol) is { } resultTest)
            {
                var fact = resultTest.Fact(edge);
                var local = Variable(resultTest.Tested);
                foreach (var kv in _marks.Where(kv => kv.Value.Kept != null && SymbolEqualityComparer.Default.Equals(kv.Value.Unless, local)))
                {
                    switch (kv.Value.Kept!.Holds(fact))
                    {
                        case true:
                            next.Remove(kv.Key);
                            break;
                        case false:
                            next.Add(kv.Key, kv.Value.By);
                            break;
                    }
                }
            }

            if (taken is bool value && NullTest(condition) is { } test)
            {
                var isNull = value == test.TrueWhenNull;
                foreach (var kv in _marks.Where(kv => kv.Value.Unless != null && kv.Value.Kept == null && SymbolEqualityComparer.Default.Equals(kv.Value.Unless, test.Variable)))
                {
                    if (isNull)
                    {
                        next.Add(kv.Key, kv.Value.By);
                    }
                    else
                    {
                        next.Remove(kv.Key);
                    }
                }
            }

            return next;
        }

        /// <summary>Joins <paramref name="other"/> in ("consumed" wins over "consumed unless"); true if this changed.</summary>
        public bool UnionWith(Consumed other)
        {
            var changed = false;
            foreach (var kv in other._marks)
            {
                if (!_marks.TryGetValue(kv.Key, out var mine))
                {
                    _marks.Add(kv.Key, kv.Value);
                    changed = true;
                }
                else if (mine.Unless != null && (!SymbolEqualityComparer.Default.Equals(mine.Unless, kv.Value.Unless) ||
                    (mine.Kept != null && !mine.Kept.SameAs(kv.Value.Kept))))
                {
                    _marks[kv.Key] = new Mark(mine.By, null);
                    changed = true;
                }
            }

            return changed;
        }

        private readonly struct Mark
        {
            public Mark(string by, ISymbol? unless, KeptWhen? kept = null)
            {
                By = by;
                Unless = unless;
                Kept = kept;
            }

            public string By { get; }

            /// <summary>The out variable that, non-null, gives the skb back, or (with <see cref="Kept"/>) the local holding the call's result; null when it is simply consumed.</summary>
            public ISymbol? Unless { get; }

            /// <summary>For a stored result: the results that leave the skb with the caller.</summary>
            public KeptWhen? Kept { get; }
        }
    }
}
