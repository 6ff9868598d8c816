using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0005: drops carry reasons. The reason-less kfree_skb is not called in
/// kernel/; a reason passed to kfree_skb_reason (or any function taking an
/// skb_drop_reason) is a member of enum skb_drop_reason, not a number.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DropsCarryReasonsAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.DropsCarryReasons,
        "Drops carry reasons",
        "{0}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every dropped skb goes through kfree_skb_reason with the SKB_DROP_REASON_* the kernel uses at that site, so the kfree_skb tracepoint says why.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.DropsCarryReasons));

    private const string ReasonType = "skb_drop_reason";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext ctx)
    {
        var call = (IInvocationOperation)ctx.Operation;
        if (!TreePath.Of(call.Syntax.SyntaxTree, ctx.Options).IsKernel)
        {
            return;
        }

        if (call.TargetMethod.Name == "kfree_skb")
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, call.Syntax.GetLocation(), "kfree_skb drops without a reason: call kfree_skb_reason(skb, SKB_DROP_REASON_...) with the reason the kernel gives here, or consume_skb if this is not a drop"));
            return;
        }

        foreach (var arg in call.Arguments)
        {
            if (arg.Parameter?.Type.Name == ReasonType && arg.ArgumentKind == ArgumentKind.Explicit && IsNumber(arg.Value))
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, arg.Syntax.GetLocation(), "a drop reason is a member of enum skb_drop_reason (SKB_DROP_REASON_...), not a number or a cast"));
            }
        }
    }

    /// <summary>A constant that is not spelt as a member of enum skb_drop_reason: 3, (skb_drop_reason)3, default.</summary>
    private static bool IsNumber(IOperation value)
    {
        if (value is IConversionOperation { IsImplicit: true } implicitConversion)
        {
            value = implicitConversion.Operand;
        }

        if (value is IFieldReferenceOperation field && field.Field.ContainingType?.Name == ReasonType)
        {
            return false;
        }

        return value.ConstantValue.HasValue;
    }
}
