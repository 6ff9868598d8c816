using System;

namespace KernelNet.Annotations;

/// <summary>
/// The method takes ownership of the skb passed in the named parameter: on
/// every path it frees it, queues it or hands it on. The caller must not read
/// that variable again unless it reassigns it (KN0006). Where the kernel's
/// contract is conditional, say so with <see cref="WhenReturnsNonZero"/>,
/// <see cref="WhenReturns"/>, <see cref="UnlessReturns"/> or
/// <see cref="UnlessSet"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ConsumesAttribute : Attribute
{
    public ConsumesAttribute(string parameterName)
    {
        ParameterName = parameterName;
    }

    public string ParameterName { get; }

    /// <summary>
    /// Consumes the skb only when it returns non-zero; on 0 the caller still
    /// owns it (neigh_event_send: 0 means "send it now", 1 "queued or
    /// dropped"). KN0006 follows the result when the call, or the local it is
    /// stored in, is compared with a constant as a branch condition
    /// (<c>if (f(skb) == 0)</c>, <c>if (ret != 0)</c>) or, a bool, tested as
    /// it is; anywhere else the call counts as consuming.
    /// </summary>
    public bool WhenReturnsNonZero { get; set; }

    /// <summary>
    /// Consumes the skb only when it returns this value (0 stands for null
    /// where the method returns a reference); on any other result
    /// the caller still owns it (tcp_rcv_state_process: 0 means "taken", a
    /// drop reason hands it back for the reset and the free). KN0006 follows
    /// the result when the call, or the local it is stored in, is compared
    /// with a constant as a branch condition.
    /// </summary>
    public int WhenReturns { get; set; }

    /// <summary>
    /// Consumes the skb unless it returns this value: then the caller still
    /// owns it (nf_hook: 1 means "accepted, call okfn yourself"). KN0006
    /// follows the result as for <see cref="WhenReturns"/>.
    /// </summary>
    public int UnlessReturns { get; set; }

    /// <summary>
    /// Consumes the skb unless the named flag parameter is set: then the
    /// method works on a copy and the skb stays the caller's
    /// (__tcp_transmit_skb's clone_it). KN0006 keeps the skb with the caller
    /// where the argument is a non-zero constant (<c>true</c>, <c>1</c>);
    /// anything else counts as consuming.
    /// </summary>
    public string? UnlessArgument { get; set; }

    /// <summary>
    /// Consumes the skb unless the named out parameter comes back non-null:
    /// then the skb is handed back to the caller with it
    /// (__netif_receive_skb_core's pt_prev, whose func the caller calls
    /// with the skb). KN0006 counts the skb as consumed until a null test of
    /// the variable passed there, and as the caller's on its non-null branch.
    /// </summary>
    public string? UnlessSet { get; set; }
}

/// <summary>Runs in hard-IRQ context (an interrupt handler): must not sleep (KN0008).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Delegate, Inherited = false)]
public sealed class HardIrqContextAttribute : Attribute
{
}

/// <summary>Runs in softirq context (NET_RX/NET_TX, timers): must not sleep (KN0008).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Delegate, Inherited = false)]
public sealed class SoftirqContextAttribute : Attribute
{
}

/// <summary>
/// May sleep (<c>might_sleep()</c> territory): blocking socket waits,
/// <c>GFP_KERNEL</c>-style allocation, <c>schedule()</c>. Never called from
/// hard-IRQ or softirq context (KN0008).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class MightSleepAttribute : Attribute
{
}

/// <summary>
/// Marks a type or member of the machine that a driver may use as a real
/// driver uses a NIC: registers, DMA memory, interrupts, CPU state (KN0007).
/// </summary>
/// <remarks>
/// With <see cref="Seam"/> set, the member or type is low-level hardware (a
/// NIC, DMA memory, a cable, the interrupt controller, the CPU's interrupt
/// flag): only drivers and the arch and IRQ code (kernel/drivers/,
/// kernel/arch/, kernel/kernel/irq/) touch it, and everything else is told to
/// use the seam named. With <see cref="GlueOnly"/> as well, not even they may:
/// only the simulation glue (kernel/sim/, kernel/Vmlinux.cs) does.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Enum | AttributeTargets.Delegate, Inherited = false)]
public sealed class HardwareInterfaceAttribute : Attribute
{
    /// <summary>The kernel seam the rest of the kernel uses instead (named in KN0007's message); null when any kernel code may touch it.</summary>
    public string? Seam { get; set; }

    /// <summary>Reserved to the simulation glue (kernel/sim/, kernel/Vmlinux.cs): no port body, drivers included, touches it.</summary>
    public bool GlueOnly { get; set; }
}

/// <summary>
/// The skb passed in the named parameter stays the caller's: the method reads
/// or changes it but neither frees, queues nor hands it on (KN0006). Every
/// kernel method taking an sk_buff says [Consumes] or [Borrows] for it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class BorrowsAttribute : Attribute
{
    public BorrowsAttribute(string parameterName)
    {
        ParameterName = parameterName;
    }

    public string ParameterName { get; }
}

/// <summary>
/// A method of a port file that has no counterpart in Linux 6.18 (a C#
/// accessor, a formatting helper, simulation glue), with the reason (KN0002).
/// Every other method carries its provenance line, <c>// path/file.c: function</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class NotInLinuxAttribute : Attribute
{
    public NotInLinuxAttribute(string why)
    {
        Why = why;
    }

    public string Why { get; }
}
