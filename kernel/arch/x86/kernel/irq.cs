// Ports arch/x86/kernel/irq.c: the device interrupt entry (common_interrupt)
// that the machine's interrupt controller vectors into.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Kernel.Irq.handle_c;
using static KernelNet.Kernel.Kernel.softirq_c;

namespace KernelNet.Kernel.Arch.X86.Kernel;

public static class irq_c
{
    // arch/x86/kernel/irq.c: common_interrupt
    /// <summary>
    /// A device vector arrived on this CPU: enter hard-IRQ context, run the
    /// line's handler, and on the way out run the softirqs it raised (RX-4).
    /// The local APIC timer and the call-function IPI have their own entries.
    /// </summary>
    [KernelNet.Annotations.HardIrqContext]
    public static void common_interrupt(Vmlinux k, int vector)
    {
        if (vector == Machine.InterruptController.LocalTimerVector)
        {
            Apic.apic_c.sysvec_apic_timer_interrupt(k);
            return;
        }

        if (vector == Machine.InterruptController.CallFunctionSingleVector)
        {
            smp_c.sysvec_call_function_single(k);
            return;
        }

        var cpu = k.machine.CurrentCpu;
        cpu.IrqsDisabled = true;
        irq_enter_rcu(k);
        if (k.irq_descs.TryGetValue(vector, out var desc))
        {
            handle_irq_event(k, desc);
        }

        irq_exit_rcu(k);
    }
}
