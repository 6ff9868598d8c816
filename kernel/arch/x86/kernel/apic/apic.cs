// Ports arch/x86/kernel/apic/apic.c: the local APIC timer interrupt, the tick
// that expires timer_list timers.
using static KernelNet.Kernel.Kernel.Rcu.tree_c;
using static KernelNet.Kernel.Kernel.softirq_c;
using static KernelNet.Kernel.Kernel.Time.timer_c;

namespace KernelNet.Kernel.Arch.X86.Kernel.Apic;

public static class apic_c
{
    // arch/x86/kernel/apic/apic.c: sysvec_apic_timer_interrupt
    /// <summary>The tick: in hard-IRQ context, raise TIMER_SOFTIRQ for expired timers; it runs on irq exit.</summary>
    public static void sysvec_apic_timer_interrupt(Vmlinux k)
    {
        var cpu = k.machine.CurrentCpu;
        cpu.IrqsDisabled = true;
        irq_enter_rcu(k);
        local_apic_timer_interrupt(k);
        irq_exit_rcu(k);
    }

    // arch/x86/kernel/apic/apic.c: local_apic_timer_interrupt
    private static void local_apic_timer_interrupt(Vmlinux k)
    {
        // tick_handle_periodic/tick_sched_timer -> update_process_times -> run_local_timers, rcu_sched_clock_irq
        run_local_timers(k);

        // user_tick 0: the simulation's tasks run no user-mode code the tick could interrupt.
        rcu_sched_clock_irq(k, 0);
    }
}
