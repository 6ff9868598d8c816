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
        // evt->event_handler: hrtimer_interrupt in high-resolution mode; the tick
        // (tick_sched_timer -> update_process_times -> run_local_timers) is not an hrtimer here.
        var hres = KernelNet.Kernel.Kernel.Time.hrtimer_c.hrtimer_interrupt(k);

        // tick_sched_timer runs only when the tick's own expiry came: an interrupt
        // that an hrtimer expiry programmed leaves a later tick where it is.
        var tick = k.this_cpu().timer_base.programmed;
        if (hres && tick != 0 && KernelNet.Kernel.Include.Linux.jiffies_h.time_before(k.jiffies, tick))
        {
            return;
        }

        run_local_timers(k);

        // user_tick 0: the simulation's tasks run no user-mode code the tick could interrupt.
        rcu_sched_clock_irq(k, 0);
    }
}
