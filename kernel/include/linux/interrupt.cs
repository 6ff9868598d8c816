// Ports include/linux/interrupt.h: softirq numbers, irqreturn_t and the
// irqaction a request_irq() installs.
using System;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>The softirq vectors, in the kernel's order (softirq_to_name).</summary>
public enum softirq_nr
{
    HI_SOFTIRQ = 0,
    TIMER_SOFTIRQ,
    NET_TX_SOFTIRQ,
    NET_RX_SOFTIRQ,
    BLOCK_SOFTIRQ,
    IRQ_POLL_SOFTIRQ,
    TASKLET_SOFTIRQ,
    SCHED_SOFTIRQ,
    HRTIMER_SOFTIRQ,
    RCU_SOFTIRQ,
}

/// <summary>include/linux/irqreturn.h: irqreturn_t.</summary>
public enum irqreturn_t
{
    IRQ_NONE = 0,
    IRQ_HANDLED = 1,
    IRQ_WAKE_THREAD = 2,
}

/// <summary>An interrupt handler: <c>irq_handler_t</c>.</summary>
public delegate irqreturn_t irq_handler_t(int irq, object? dev_id);

/// <summary>struct irqaction: the handler request_irq() installed on a line.</summary>
public sealed class irqaction
{
    public irqaction(irq_handler_t handler, object? dev_id, string name)
    {
        this.handler = handler;
        this.dev_id = dev_id;
        this.name = name;
    }

    public irq_handler_t handler { get; }

    public object? dev_id { get; }

    public string name { get; }
}

public static class interrupt_h
{
    // include/linux/interrupt.h: request_irq
    /// <summary>Installs an interrupt handler (request_threaded_irq without a thread).</summary>
    public static int request_irq(Vmlinux k, int irq, irq_handler_t handler, string name, object? dev) =>
        KernelNet.Kernel.Kernel.Irq.manage_c.request_threaded_irq(k, irq, handler, name, dev);

    public const int NR_SOFTIRQS = 10;

    /// <summary>
    /// The names /proc/softirqs and the softirq tracepoints print (kernel/softirq.c: softirq_to_name).
    /// Built once: every softirq tracepoint reads it, and an array expression here would allocate per read.
    /// </summary>
    public static readonly System.Collections.Immutable.ImmutableArray<string> softirq_to_name =
    [
        "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU",
    ];
}
