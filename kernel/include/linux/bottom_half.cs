// Ports include/linux/bottom_half.h: disabling and enabling softirq processing.
using static KernelNet.Kernel.Include.Linux.preempt_h;
using static KernelNet.Kernel.Kernel.softirq_c;

namespace KernelNet.Kernel.Include.Linux;

public static class bottom_half_h
{
    // include/linux/bottom_half.h: local_bh_disable
    /// <summary>Defers softirqs on this CPU until the matching <see cref="local_bh_enable"/>.</summary>
    public static void local_bh_disable(Vmlinux k) => __local_bh_disable_ip(k, SOFTIRQ_DISABLE_OFFSET);

    // include/linux/bottom_half.h: local_bh_enable
    /// <summary>Re-enables softirqs and runs any that were raised meanwhile (in process context).</summary>
    public static void local_bh_enable(Vmlinux k) => __local_bh_enable_ip(k, SOFTIRQ_DISABLE_OFFSET);
}
