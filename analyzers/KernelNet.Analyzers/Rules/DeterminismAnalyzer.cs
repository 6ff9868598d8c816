using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>KN0004: no wall clock, threads, thread-pool tasks, timers, unseeded randomness or Guid.NewGuid in kernel/ or machine/.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeterminismAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Determinism,
        "Deterministic: virtual time only",
        "'{0}' makes runs differ: use the machine's virtual clock, the event queue, or a seeded generator hung off the kernel",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The same scenario gives the same trace byte for byte: one thread, a virtual clock, no unseeded randomness.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Determinism));

    /// <summary>Types whose every use is nondeterministic.</summary>
    private static readonly ImmutableHashSet<string> BannedTypes = ImmutableHashSet.Create(
        "System.Diagnostics.Stopwatch",
        "System.Threading.Thread",
        "System.Threading.ThreadPool",
        "System.Threading.Timer",
        "System.Threading.PeriodicTimer",
        "System.TimeProvider",
        "System.Timers.Timer",
        "System.Threading.Tasks.Parallel",
        "System.Threading.Tasks.TaskFactory");

    /// <summary>Members banned on otherwise usable types.</summary>
    private static readonly ImmutableHashSet<string> BannedMembers = ImmutableHashSet.Create(
        "System.DateTime.Now",
        "System.DateTime.UtcNow",
        "System.DateTime.Today",
        "System.DateTimeOffset.Now",
        "System.DateTimeOffset.UtcNow",
        "System.Environment.TickCount",
        "System.Environment.TickCount64",
        "System.Threading.Tasks.Task.Run",
        "System.Threading.Tasks.Task.Delay",
        "System.Threading.Tasks.Task.Factory",
        "System.Threading.Tasks.Task.Yield",
        "System.Random.Shared",
        "System.Guid.NewGuid");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeMember, OperationKind.PropertyReference, OperationKind.Invocation, OperationKind.FieldReference, OperationKind.MethodReference);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
    }

    private static bool InScope(IOperation op, AnalyzerOptions options)
    {
        var p = TreePath.Of(op.Syntax.SyntaxTree, options);
        return p.IsKernel || p.IsMachine;
    }

    private static string Name(ISymbol s) => s.ContainingType.ToDisplayString() + "." + s.Name;

    private static void AnalyzeMember(OperationAnalysisContext ctx)
    {
        ISymbol? member = ctx.Operation switch
        {
            IPropertyReferenceOperation p => p.Property,
            IInvocationOperation i => i.TargetMethod,
            IFieldReferenceOperation f => f.Field,
            IMethodReferenceOperation m => m.Method,
            _ => null,
        };
        if (member?.ContainingType == null || !InScope(ctx.Operation, ctx.Options))
        {
            return;
        }

        var type = member.ContainingType.OriginalDefinition.ToDisplayString();
        if (BannedMembers.Contains(Name(member)) || BannedTypes.Contains(type))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, ctx.Operation.Syntax.GetLocation(), Name(member)));
        }
    }

    private static void AnalyzeCreation(OperationAnalysisContext ctx)
    {
        var create = (IObjectCreationOperation)ctx.Operation;
        if (create.Type == null || !InScope(create, ctx.Options))
        {
            return;
        }

        var type = create.Type.OriginalDefinition.ToDisplayString();
        if (BannedTypes.Contains(type) || (type == "System.Random" && create.Arguments.Length == 0))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, create.Syntax.GetLocation(), type == "System.Random" ? "new Random() without a seed" : "new " + type));
        }
    }
}
