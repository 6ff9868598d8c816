// Ports arch/x86/include/asm/irqflags.h: the CPU's interrupt flag (EFLAGS.IF)
// read, cleared and set — cli, sti and pushf of the machine's CPU. This is the
// one place outside the drivers and the interrupt entry that touches the
// machine's interrupt state; everything else goes through include/linux/irqflags.h.
//
// not ported: the halt and safe_halt family (the machine's idle loop halts a
// CPU itself); the CONFIG_PARAVIRT_XXL indirections (a Xen PV guest's: on
// bare metal and KVM they land on the native functions ported here).
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Arch.X86.Include.Asm;

public static class irqflags_h
{
    /// <summary>X86_EFLAGS_IF (arch/x86/include/uapi/asm/processor-flags.h): interrupts enabled.</summary>
    public const ulong X86_EFLAGS_IF = 1UL << 9;

    // arch/x86/include/asm/irqflags.h: native_save_fl
    /// <summary>pushf; pop: the CPU's flags word, of which only IF is modelled.</summary>
    private static ulong native_save_fl(Vmlinux k) => k.machine.CurrentCpu.IrqsDisabled ? 0 : X86_EFLAGS_IF;

    // arch/x86/include/asm/irqflags.h: native_irq_disable
    /// <summary>cli: this CPU takes no maskable interrupt until sti.</summary>
    private static void native_irq_disable(Vmlinux k) => k.machine.CurrentCpu.IrqsDisabled = true;

    // arch/x86/include/asm/irqflags.h: native_irq_enable
    /// <summary>sti: interrupts that came due meanwhile are taken at the CPU's next charge point.</summary>
    private static void native_irq_enable(Vmlinux k) => k.machine.CurrentCpu.IrqsDisabled = false;

    // arch/x86/include/asm/irqflags.h: arch_local_save_flags
    public static ulong arch_local_save_flags(Vmlinux k) => native_save_fl(k);

    // arch/x86/include/asm/irqflags.h: arch_local_irq_disable
    public static void arch_local_irq_disable(Vmlinux k) => native_irq_disable(k);

    // arch/x86/include/asm/irqflags.h: arch_local_irq_enable
    public static void arch_local_irq_enable(Vmlinux k) => native_irq_enable(k);

    // arch/x86/include/asm/irqflags.h: arch_local_irq_save
    /// <summary>The flags as they were, then interrupts off.</summary>
    public static ulong arch_local_irq_save(Vmlinux k)
    {
        var flags = arch_local_save_flags(k);
        arch_local_irq_disable(k);
        return flags;
    }

    // arch/x86/include/asm/irqflags.h: arch_irqs_disabled_flags
    public static bool arch_irqs_disabled_flags(ulong flags) => (flags & X86_EFLAGS_IF) == 0;

    // arch/x86/include/asm/irqflags.h: arch_irqs_disabled
    public static bool arch_irqs_disabled(Vmlinux k)
    {
        var flags = arch_local_save_flags(k);
        return arch_irqs_disabled_flags(flags);
    }

    // arch/x86/include/asm/irqflags.h: arch_local_irq_restore
    /// <summary>
    /// Back to the saved state. As on x86 this only ever enables: a section
    /// entered with interrupts off leaves them as its body left them.
    /// </summary>
    public static void arch_local_irq_restore(Vmlinux k, ulong flags)
    {
        if (!arch_irqs_disabled_flags(flags))
        {
            arch_local_irq_enable(k);
        }
    }
}
