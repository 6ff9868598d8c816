using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0009: a ported function whose 6.18 body emits trace_X calls trace_X too,
/// in code that can run: a call only in unreachable code (after a return, under
/// a constant false condition) does not count, and a tracepoint 6.18 emits on
/// every pass through the body (data: "always") is not emitted only under a
/// condition (an if, a case, a loop body, a lambda).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TracepointsAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Tracepoints,
        "Tracepoints where the kernel has them",
        "{0} ({1}) emits {2} in Linux 6.18: {3}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The oracle compares the port's tracepoints with the real kernel's: a ported function emits the tracepoints its C original does.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Tracepoints));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.MethodDeclaration);
    }

    private static void Analyze(SyntaxNodeAnalysisContext ctx)
    {
        var method = (MethodDeclarationSyntax)ctx.Node;
        if (!PortFile.TryOf(ctx.Node.SyntaxTree, ctx.Options, ctx.CancellationToken, out var port) ||
            !Provenance.TryRead(method, out var path, out var function) || function != method.Identifier.Text)
        {
            return;
        }

        if (!port.Data.Tracepoints.TryGetValue(path + ":" + function, out var expected))
        {
            return;
        }

        var calls = Calls(method);
        var missing = expected.Where(t => !calls.Contains(t)).ToList();
        if (missing.Count > 0)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, method.Identifier.GetLocation(), function, path, string.Join(", ", missing), "call it here too, at the same point"));
        }

        var always = port.Data.TracepointCalls[path + ":" + function].Where(t => t.Always).Select(t => t.Tracepoint).ToImmutableHashSet();
        foreach (var tracepoint in expected.Where(calls.Contains))
        {
            var sites = calls[tracepoint].Where(call => Reachable(call, ctx.SemanticModel, ctx.CancellationToken)).ToList();
            if (sites.Count == 0)
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, calls[tracepoint].First().GetLocation(), function, path, tracepoint, "here the call is in code that never runs (unreachable, or under a constant false condition): call it where the kernel does"));
            }
            else if (always.Contains(tracepoint) && sites.All(call => Condition(call, method) != null))
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, sites[0].GetLocation(), function, path, tracepoint, $"on every pass through its body, but here only {Condition(sites[0], method)}: call it where the kernel does, unconditionally"));
            }
        }
    }

    /// <summary>What makes the call conditional within the method (an if, a switch case, a loop body, a lambda...), or null when it runs whenever the method gets there.</summary>
    private static string? Condition(SyntaxNode call, MethodDeclarationSyntax method)
    {
        for (var node = call; node != null && node != method; node = node.Parent)
        {
            var parent = node.Parent;
            switch (parent)
            {
                case IfStatementSyntax s when s.Condition != node:
                    return "under an if";
                case ElseClauseSyntax:
                    return "under an else";
                case SwitchSectionSyntax:
                case SwitchExpressionArmSyntax:
                    return "in one case of a switch";
                case ConditionalExpressionSyntax c when c.Condition != node:
                    return "in one arm of a ?:";
                case BinaryExpressionSyntax b when b.Right == node && (b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression) || b.IsKind(SyntaxKind.CoalesceExpression)):
                    return "on the right of " + b.OperatorToken.Text;
                case ConditionalAccessExpressionSyntax a when a.WhenNotNull == node:
                    return "behind ?.";
                case WhileStatementSyntax w when w.Condition != node:
                case ForStatementSyntax f when f.Statement == node:
                case ForEachStatementSyntax:
                    return "in a loop body that may not run";
                case CatchClauseSyntax:
                    return "in a catch";
                case AnonymousFunctionExpressionSyntax:
                case LocalFunctionStatementSyntax:
                    return "in a lambda or local function";
            }
        }

        return null;
    }

    /// <summary>Whether the statement holding the call can run: the compiler's reachability (constant conditions included).</summary>
    private static bool Reachable(InvocationExpressionSyntax call, SemanticModel model, System.Threading.CancellationToken ct)
    {
        // A call under "cond && false", "false ? x : y" and the like: the compiler folds the constant.
        for (SyntaxNode? node = call; node != null && node is not StatementSyntax; node = node.Parent)
        {
            if (node.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and_ && and_.Right == node && IsConstant(and_.Left, false, model, ct))
            {
                return false;
            }

            if (node.Parent is ConditionalExpressionSyntax cond && ((cond.WhenTrue == node && IsConstant(cond.Condition, false, model, ct)) || (cond.WhenFalse == node && IsConstant(cond.Condition, true, model, ct))))
            {
                return false;
            }
        }

        var statement = call.FirstAncestorOrSelf<StatementSyntax>();
        if (statement == null || statement.Parent is not (BlockSyntax or StatementSyntax or SwitchSectionSyntax))
        {
            return true;
        }

        var flow = model.AnalyzeControlFlow(statement);
        return flow == null || !flow.Succeeded || flow.StartPointIsReachable;
    }

    private static bool IsConstant(ExpressionSyntax e, bool value, SemanticModel model, System.Threading.CancellationToken ct) =>
        model.GetConstantValue(e, ct) is { HasValue: true, Value: bool b } && b == value;

    /// <summary>The calls in the method, by the name called.</summary>
    internal static ILookup<string, InvocationExpressionSyntax> Calls(MethodDeclarationSyntax method) =>
        method.DescendantNodes().OfType<InvocationExpressionSyntax>().ToLookup(Name);

    private static string Name(InvocationExpressionSyntax call) => call.Expression switch
    {
        IdentifierNameSyntax id => id.Identifier.Text,
        MemberAccessExpressionSyntax ma => ma.Name.Identifier.Text,
        GenericNameSyntax g => g.Identifier.Text,
        _ => string.Empty,
    };
}
