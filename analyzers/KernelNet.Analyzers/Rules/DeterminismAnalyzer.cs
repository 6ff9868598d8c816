using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0004: no wall clock, threads, thread-pool tasks, timers, unseeded or
/// run-dependent randomness (Random without a constant seed,
/// RandomNumberGenerator, Guid.NewGuid), and no per-process hash codes
/// (string.GetHashCode, StringComparer/EqualityComparer hashes of a string,
/// HashCode) in kernel/ or machine/.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeterminismAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Determinism,
        "Deterministic: virtual time only",
        "'{0}' makes runs differ: {1}",
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
        "System.Threading.Tasks.TaskFactory",
        "System.HashCode",
        "System.Security.Cryptography.RandomNumberGenerator");

    /// <summary>What to use instead, by banned type or member (the message names the fix).</summary>
    private static readonly ImmutableDictionary<string, string> Fixes = ImmutableDictionary.CreateRange(new[]
    {
        Fix("System.HashCode", "HashCode is seeded per process, so a key or bucket taken from it differs between runs: hash as the kernel does (jhash_h.jhash, hash_32, siphash) over the bytes"),
        Fix("System.String.GetHashCode", "string.GetHashCode is randomized per process, so a key or bucket taken from it differs between runs: hash the bytes as the kernel does (jhash_h.jhash over the name, as tcp_register_congestion_control does)"),
        Fix("System.Security.Cryptography.RandomNumberGenerator", "RandomNumberGenerator draws from the OS entropy pool: draw from the kernel's seeded source (random_c.get_random_bytes, get_random_u32)"),
        Fix("System.Random.Shared", "Random.Shared is seeded per process: draw from the kernel's seeded source (random_c.get_random_u32)"),
        Fix("System.Guid.NewGuid", "Guid.NewGuid is random per run: derive the name from the scenario, or draw from random_c.get_random_bytes"),
    });

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

    private const string DefaultFix = "use the machine's virtual clock and event queue (no threads, no timers), or the kernel's seeded random source (random_c)";

    private static System.Collections.Generic.KeyValuePair<string, string> Fix(string what, string fix) => new(what, fix);

    private static string FixFor(string member, string type) =>
        Fixes.TryGetValue(member, out var f) ? f : Fixes.TryGetValue(type, out var t) ? t : DefaultFix;

    private static string Name(ISymbol s) => s.ContainingType.ToDisplayString() + "." + s.Name;

    /// <summary>string.GetHashCode(), string.GetHashCode(StringComparison), string.GetHashCode(span), and object.GetHashCode() called on a string.</summary>
    private static bool IsStringHash(IOperation op, ISymbol member) =>
        member is IMethodSymbol { Name: "GetHashCode" } &&
        (member.ContainingType.SpecialType == SpecialType.System_String ||
         (op is IInvocationOperation { Instance: { } instance } && StripConversions(instance).Type?.SpecialType == SpecialType.System_String) ||
         (op is IInvocationOperation call && call.Arguments.Any(a => IsText(StripConversions(a.Value).Type))));

    /// <summary>string or ReadOnlySpan&lt;char&gt;: what StringComparer.X.GetHashCode(s) and EqualityComparer&lt;string&gt;.Default.GetHashCode(s) hash with the per-process seed.</summary>
    private static bool IsText(ITypeSymbol? type) =>
        type?.SpecialType == SpecialType.System_String ||
        (type is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span && span.TypeArguments[0].SpecialType == SpecialType.System_Char);

    private static IOperation StripConversions(IOperation op)
    {
        while (op is IConversionOperation c)
        {
            op = c.Operand;
        }

        return op;
    }

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
        if (IsStringHash(ctx.Operation, member))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, ctx.Operation.Syntax.GetLocation(), "System.String.GetHashCode", FixFor("System.String.GetHashCode", type)));
        }
        else if (BannedMembers.Contains(Name(member)) || BannedTypes.Contains(type))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, ctx.Operation.Syntax.GetLocation(), Name(member), FixFor(Name(member), type)));
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
        if (BannedTypes.Contains(type))
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, create.Syntax.GetLocation(), "new " + type, FixFor(type, type)));
        }
        else if (type == "System.Random" && create.Arguments.Length == 0)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, create.Syntax.GetLocation(), "new Random() without a seed", "draw from the kernel's seeded source (random_c.get_random_u32), or give Random a constant seed"));
        }
        else if (type == "System.Random" && !StripConversions(create.Arguments[0].Value).ConstantValue.HasValue)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, create.Arguments[0].Syntax.GetLocation(), "new Random(" + create.Arguments[0].Syntax + ")", "a seed computed at run time may differ between runs: give Random a constant seed, or draw from the kernel's seeded source (random_c.get_random_u32)"));
        }
    }
}
