// Ports include/linux/preempt.h: the layout of preempt_count and the context
// tests built on it. The count itself is per-CPU kernel state (Vmlinux.percpu).

namespace KernelNet.Kernel.Include.Linux;

public static class preempt_h
{
    public const int PREEMPT_BITS = 8;
    public const int SOFTIRQ_BITS = 8;
    public const int HARDIRQ_BITS = 4;
    public const int NMI_BITS = 4;

    public const int PREEMPT_SHIFT = 0;
    public const int SOFTIRQ_SHIFT = PREEMPT_SHIFT + PREEMPT_BITS;
    public const int HARDIRQ_SHIFT = SOFTIRQ_SHIFT + SOFTIRQ_BITS;
    public const int NMI_SHIFT = HARDIRQ_SHIFT + HARDIRQ_BITS;

    public const int PREEMPT_MASK = ((1 << PREEMPT_BITS) - 1) << PREEMPT_SHIFT;
    public const int SOFTIRQ_MASK = ((1 << SOFTIRQ_BITS) - 1) << SOFTIRQ_SHIFT;
    public const int HARDIRQ_MASK = ((1 << HARDIRQ_BITS) - 1) << HARDIRQ_SHIFT;
    public const int NMI_MASK = ((1 << NMI_BITS) - 1) << NMI_SHIFT;

    public const int PREEMPT_OFFSET = 1 << PREEMPT_SHIFT;
    public const int SOFTIRQ_OFFSET = 1 << SOFTIRQ_SHIFT;
    public const int HARDIRQ_OFFSET = 1 << HARDIRQ_SHIFT;

    /// <summary>local_bh_disable() adds twice SOFTIRQ_OFFSET so that "serving a softirq" (odd) and "BH disabled" (even) differ.</summary>
    public const int SOFTIRQ_DISABLE_OFFSET = 2 * SOFTIRQ_OFFSET;

    [KernelNet.Annotations.NotInLinux("stand-in for arch/x86/include/asm/preempt.h's preempt_count (per-cpu pcpu_hot), a header not ported")]
    public static int preempt_count(Vmlinux k) => k.this_cpu().preempt_count;

    // include/linux/preempt.h: preempt_count_add
    /// <summary>
    /// The macro of a kernel without CONFIG_DEBUG_PREEMPT/TRACE_PREEMPT_TOGGLE
    /// (kernel/sched/core.c's function is the debug build's, with its
    /// underflow checks and preempt_off tracepoint): a plain add.
    /// </summary>
    public static void preempt_count_add(Vmlinux k, int val) => k.this_cpu().preempt_count += val;

    // include/linux/preempt.h: preempt_count_sub
    /// <summary>The non-debug macro, as preempt_count_add.</summary>
    public static void preempt_count_sub(Vmlinux k, int val) => k.this_cpu().preempt_count -= val;

    // include/linux/preempt.h: preempt_disable
    public static void preempt_disable(Vmlinux k) => preempt_count_add(k, PREEMPT_OFFSET);

    // include/linux/preempt.h: preempt_enable
    public static void preempt_enable(Vmlinux k) => preempt_count_sub(k, PREEMPT_OFFSET);

    // include/linux/preempt.h: in_hardirq
    public static bool in_hardirq(Vmlinux k) => (preempt_count(k) & HARDIRQ_MASK) != 0;

    // include/linux/preempt.h: in_softirq
    /// <summary>Serving a softirq or with BH disabled.</summary>
    public static bool in_softirq(Vmlinux k) => (preempt_count(k) & SOFTIRQ_MASK) != 0;

    // include/linux/preempt.h: in_serving_softirq
    /// <summary>Actually running a softirq handler right now.</summary>
    public static bool in_serving_softirq(Vmlinux k) => (preempt_count(k) & SOFTIRQ_OFFSET) != 0;

    // include/linux/preempt.h: in_interrupt
    public static bool in_interrupt(Vmlinux k) => (preempt_count(k) & (HARDIRQ_MASK | SOFTIRQ_MASK | NMI_MASK)) != 0;

    // include/linux/preempt.h: in_task
    public static bool in_task(Vmlinux k) => (preempt_count(k) & (HARDIRQ_MASK | SOFTIRQ_OFFSET | NMI_MASK)) == 0;
}
