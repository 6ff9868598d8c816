using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KernelNet.Analyzers.Rules;

/// <summary>
/// KN0007: layers. Drivers do not reach into IPv4/transport code; protocol
/// code does not reach into drivers; the kernel touches the machine only
/// through what is marked [HardwareInterface]; the machine never references
/// the kernel. (kernel/sim, the boot and syscall glue, is the entry point
/// and exempt from the machine rule.)
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LayersAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        RuleIdentifiers.Layers,
        "Layers stay layers",
        "{0}",
        RuleIdentifiers.Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Drivers talk to hardware and to the device layer; protocols reach devices through dev_queue_xmit and net_device_ops; the machine is reached through registers, DMA and interrupts.",
        helpLinkUri: RuleIdentifiers.HelpLink(RuleIdentifiers.Layers));

    private const string HardwareInterface = "KernelNet.Annotations.HardwareInterfaceAttribute";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.IdentifierName, SyntaxKind.GenericName);
    }

    private static void Analyze(SyntaxNodeAnalysisContext ctx)
    {
        var where = TreePath.Of(ctx.Node.SyntaxTree, ctx.Options);
        if (!where.IsKernel && !where.IsMachine)
        {
            return;
        }

        var symbol = ctx.SemanticModel.GetSymbolInfo(ctx.Node, ctx.CancellationToken).Symbol;
        if (symbol == null || symbol is INamespaceSymbol || symbol is ILocalSymbol || symbol is IParameterSymbol)
        {
            return;
        }

        var ns = symbol.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        var rel = where.Relative!;
        string? problem = null;
        if (rel.StartsWith("kernel/drivers/", StringComparison.Ordinal) && IsProtocol(ns))
        {
            problem = $"a driver uses {symbol.Name} from {ns}: drivers hand packets to the device layer (netif_rx, napi_gro_receive), never to IPv4/IPv6 or transport code";
        }
        else if (rel.StartsWith("kernel/net/", StringComparison.Ordinal) && ns.StartsWith("KernelNet.Kernel.Drivers", StringComparison.Ordinal) && !IsKernelService(ns))
        {
            problem = $"protocol code uses {symbol.Name} from {ns}: reach devices through dev_queue_xmit and net_device_ops";
        }
        else if (where.IsKernel && !where.IsKernelGlue && ns.StartsWith("KernelNet.Machine", StringComparison.Ordinal))
        {
            var hw = HardwareInterfaceOf(symbol);
            if (hw == null)
            {
                problem = $"kernel code uses {symbol.Name}, an internal of the machine: only registers, DMA, interrupts and CPU state marked [HardwareInterface] are the kernel's to touch";
            }
            else if (hw.Value.Seam != null && hw.Value.GlueOnly)
            {
                problem = $"{Describe(rel)} uses {Owner(symbol)}, which only the simulation glue (kernel/sim/, kernel/Vmlinux.cs) may touch: use {hw.Value.Seam}";
            }
            else if (hw.Value.Seam != null && !IsLowLevel(rel))
            {
                problem = $"{Describe(rel)} {(IsWrite(ctx.Node) ? "writes" : "uses")} {Owner(symbol)}, low-level hardware state that only kernel/drivers/, kernel/arch/ and kernel/kernel/irq/ touch: use {hw.Value.Seam}";
            }
        }
        else if (where.IsMachine && ns.StartsWith("KernelNet.Kernel", StringComparison.Ordinal))
        {
            problem = $"the machine uses {symbol.Name} from the kernel: hardware never calls the kernel except through the interrupt and syscall entry points";
        }

        if (problem != null)
        {
            ctx.ReportDiagnostic(Diagnostic.Create(Rule, ctx.Node.GetLocation(), problem));
        }
    }

    /// <summary>IPv4/IPv6 and the transports that live with them (tcp, udp, icmp are in net/ipv4 and net/ipv6).</summary>
    private static bool IsProtocol(string ns) =>
        ns.StartsWith("KernelNet.Kernel.Net.Ipv4", StringComparison.Ordinal) || ns.StartsWith("KernelNet.Kernel.Net.Ipv6", StringComparison.Ordinal);

    /// <summary>
    /// The nearest [HardwareInterface] on the symbol or a type containing it
    /// (the member's own wins over its type's), with its seam and whether it
    /// is the glue's alone; null when there is none.
    /// </summary>
    private static (string? Seam, bool GlueOnly)? HardwareInterfaceOf(ISymbol symbol)
    {
        for (var s = symbol; s != null; s = s.ContainingType)
        {
            if (s is IMethodSymbol m && m.ReducedFrom != null)
            {
                s = m.ReducedFrom;
            }

            if (s is IMethodSymbol { AssociatedSymbol: { } property } accessor && accessor.MethodKind is MethodKind.PropertyGet or MethodKind.PropertySet)
            {
                s = property;
            }

            foreach (var a in s.GetAttributes())
            {
                if (a.AttributeClass?.ToDisplayString() == HardwareInterface)
                {
                    string? seam = null;
                    var glueOnly = false;
                    foreach (var arg in a.NamedArguments)
                    {
                        if (arg.Key == "Seam")
                        {
                            seam = arg.Value.Value as string;
                        }
                        else if (arg.Key == "GlueOnly" && arg.Value.Value is bool b)
                        {
                            glueOnly = b;
                        }
                    }

                    return (seam, glueOnly);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The code that may touch low-level hardware (a [HardwareInterface] with a
    /// Seam): the drivers, the architecture code (interrupt entry, APIC, the
    /// EFLAGS.IF verbs of asm/irqflags.h) and the generic IRQ layer
    /// (kernel/irq: request_irq, affinity, /proc/irq).
    /// </summary>
    private static bool IsLowLevel(string rel) =>
        rel.StartsWith("kernel/drivers/", StringComparison.Ordinal) ||
        rel.StartsWith("kernel/arch/", StringComparison.Ordinal) ||
        rel.StartsWith("kernel/kernel/irq/", StringComparison.Ordinal);

    /// <summary>The layer a kernel file belongs to, for the message: "kernel/net/core/dev.cs (networking code)".</summary>
    private static string Describe(string rel)
    {
        var layer = rel.StartsWith("kernel/net/", StringComparison.Ordinal) ? "networking code"
            : rel.StartsWith("kernel/drivers/", StringComparison.Ordinal) ? "driver code"
            : rel.StartsWith("kernel/include/", StringComparison.Ordinal) ? "a kernel header"
            : "kernel code";
        return $"{rel} ({layer})";
    }

    /// <summary>Type.Member, or the type's name for a type.</summary>
    private static string Owner(ISymbol symbol) =>
        symbol is ITypeSymbol || symbol.ContainingType == null ? symbol.Name : symbol.ContainingType.Name + "." + symbol.Name;

    /// <summary>Whether the name is the target of an assignment (cpu.IrqsDisabled = true, x.Reg += 1).</summary>
    private static bool IsWrite(SyntaxNode node)
    {
        var target = node.Parent is MemberAccessExpressionSyntax ma && ma.Name == node ? ma : node;
        return target.Parent is AssignmentExpressionSyntax assign && assign.Left == target;
    }

    /// <summary>
    /// drivers/char/random.c lives among the drivers but is the whole kernel's
    /// random number source (get_random_bytes for keys, IP IDs, ports), not a
    /// device protocol code could bypass the device layer to reach.
    /// </summary>
    private static bool IsKernelService(string ns) => ns == "KernelNet.Kernel.Drivers.Char";
}
