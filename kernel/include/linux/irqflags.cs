// Ports include/linux/irqflags.h: local_irq_disable/enable/save/restore and
// irqs_disabled, the seam through which generic kernel code (net/, kernel/)
// switches this CPU's interrupts off and on. They reach the CPU only through
// the arch functions of arch/x86/include/asm/irqflags.h (KN0007).
//
// not ported: the CONFIG_TRACE_IRQFLAGS variants (trace_hardirqs_on/off and
// the irq_disable/irq_enable tracepoints: off in the kernel these machines
// run, which takes the plain raw_ mappings), lockdep's hardirq/softirq
// context annotations, raw_check_bogus_irq_restore (debug only), safe_halt.
using static KernelNet.Kernel.Arch.X86.Include.Asm.irqflags_h;

namespace KernelNet.Kernel.Include.Linux;

public static class irqflags_h
{
    // include/linux/irqflags.h: raw_local_irq_disable
    public static void raw_local_irq_disable(Vmlinux k) => arch_local_irq_disable(k);

    // include/linux/irqflags.h: raw_local_irq_enable
    public static void raw_local_irq_enable(Vmlinux k) => arch_local_irq_enable(k);

    // include/linux/irqflags.h: raw_local_irq_save
    /// <summary>The macro assigns its argument; here the flags come back in <paramref name="flags"/>.</summary>
    public static void raw_local_irq_save(Vmlinux k, out ulong flags) => flags = arch_local_irq_save(k);

    // include/linux/irqflags.h: raw_local_irq_restore
    public static void raw_local_irq_restore(Vmlinux k, ulong flags) => arch_local_irq_restore(k, flags);

    // include/linux/irqflags.h: raw_local_save_flags
    public static void raw_local_save_flags(Vmlinux k, out ulong flags) => flags = arch_local_save_flags(k);

    // include/linux/irqflags.h: raw_irqs_disabled_flags
    public static bool raw_irqs_disabled_flags(ulong flags) => arch_irqs_disabled_flags(flags);

    // include/linux/irqflags.h: local_irq_enable
    /// <summary>Interrupts on for this CPU (the !CONFIG_TRACE_IRQFLAGS mapping).</summary>
    public static void local_irq_enable(Vmlinux k) => raw_local_irq_enable(k);

    // include/linux/irqflags.h: local_irq_disable
    /// <summary>Interrupts off for this CPU until local_irq_enable.</summary>
    public static void local_irq_disable(Vmlinux k) => raw_local_irq_disable(k);

    // include/linux/irqflags.h: local_irq_save
    /// <summary>Interrupts off, the previous state kept in <paramref name="flags"/> for local_irq_restore.</summary>
    public static void local_irq_save(Vmlinux k, out ulong flags) => raw_local_irq_save(k, out flags);

    // include/linux/irqflags.h: local_irq_restore
    /// <summary>Interrupts back on if they were on at the matching local_irq_save.</summary>
    public static void local_irq_restore(Vmlinux k, ulong flags) => raw_local_irq_restore(k, flags);

    // include/linux/irqflags.h: local_save_flags
    public static void local_save_flags(Vmlinux k, out ulong flags) => raw_local_save_flags(k, out flags);

    // include/linux/irqflags.h: irqs_disabled
    /// <summary>Whether this CPU runs with interrupts off (the CONFIG_TRACE_IRQFLAGS_SUPPORT form: save, then test).</summary>
    public static bool irqs_disabled(Vmlinux k)
    {
        raw_local_save_flags(k, out var _flags);
        return raw_irqs_disabled_flags(_flags);
    }

    // include/linux/irqflags.h: irqs_disabled_flags
    public static bool irqs_disabled_flags(ulong flags) => raw_irqs_disabled_flags(flags);
}
