using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0005: drops carry reasons. A drop without a reason — a reference to
/// SKB_DROP_REASON_NOT_SPECIFIED, or a call of a reason-less free (kfree_skb,
/// kfree_skb_list, dev_kfree_skb, dev_kfree_skb_any, dev_kfree_skb_irq) — is
/// allowed only in a ported function whose 6.18 body does the same
/// (data/drop-not-specified.tsv); a reason passed to kfree_skb_reason (or any
/// function taking an skb_drop_reason) is a member of enum skb_drop_reason,
/// not a number.
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

    private const string NotSpecified = "SKB_DROP_REASON_NOT_SPECIFIED";

    /// <summary>The frees that report SKB_DROP_REASON_NOT_SPECIFIED.</summary>
    private static readonly ImmutableHashSet<string> Reasonless = ImmutableHashSet.Create(
        "kfree_skb", "kfree_skb_list", "dev_kfree_skb", "dev_kfree_skb_any", "dev_kfree_skb_irq");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeReference, OperationKind.FieldReference);
    }

    private static void Analyze(OperationAnalysisContext ctx)
    {
        var call = (IInvocationOperation)ctx.Operation;
        if (!TreePath.Of(call.Syntax.SyntaxTree, ctx.Options).IsKernel)
        {
            return;
        }

        if (Reasonless.Contains(call.TargetMethod.Name))
        {
            if (Unallowed(ctx, call, call.TargetMethod.Name) is { } problem)
            {
                ctx.ReportDiagnostic(Diagnostic.Create(Rule, call.Syntax.GetLocation(), problem));
            }

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

    private static void AnalyzeReference(OperationAnalysisContext ctx)
    {
        var field = (IFieldReferenceOperation)ctx.Operation;
        if (field.Field.Name != NotSpecified || field.Field.ContainingType?.Name != ReasonType || !TreePath.Of(field.Syntax.SyntaxTree, ctx.Options).IsKernel)
        {
            return;
        }

        if (Unallowed(ctx, field, NotSpecified) is { } problem)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, field.Syntax.GetLocation(), problem));
        }
    }

    /// <summary>Why a reason-less drop (<paramref name="what"/>) is not allowed where <paramref name="op"/> is, or null when 6.18's function does the same.</summary>
    private static string? Unallowed(OperationAnalysisContext ctx, IOperation op, string what)
    {
        const string Fix = "pass the SKB_DROP_REASON_* 6.18 gives at this site to kfree_skb_reason, or call consume_skb if this is not a drop";
        var method = op.Syntax.FirstAncestorOrSelf<MethodDeclarationSyntax>();
        var data = KernelData.From(ctx.Options, ctx.CancellationToken);
        if (method == null || data == null)
        {
            return $"{what} drops without a reason: {Fix}";
        }

        if (!Provenance.TryRead(method, out var path, out var function) || function != method.Identifier.Text)
        {
            return $"{what} drops without a reason in {method.Identifier.Text}, which ports no 6.18 function: {Fix}";
        }

        if (data.NotSpecified.TryGetValue(path + ":" + function, out var hows))
        {
            return null;
        }

        return $"{what} drops without a reason, but 6.18's {function} ({path}) never drops with SKB_DROP_REASON_NOT_SPECIFIED: {Fix}";
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
