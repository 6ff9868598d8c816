// Ports arch/x86/kernel/apic/apic.c: the local APIC timer as each CPU's clock
// event device (TSC-deadline mode: one deadline register, rewritten), and its
// interrupt, which runs the hrtimers and the tick.
// not ported: calibration, periodic mode, the other LVT entries.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Kernel.Rcu.tree_c;
using static KernelNet.Kernel.Kernel.softirq_c;
using static KernelNet.Kernel.Kernel.Time.timer_c;

namespace KernelNet.Kernel.Arch.X86.Kernel.Apic;

public static class apic_c
{
    // arch/x86/kernel/apic/apic.c: lapic_next_deadline
    /// <summary>Writes the CPU's deadline register (MSR_IA32_TSC_DEADLINE); the write replaces the deadline before it.</summary>
    private static int lapic_next_deadline(Vmlinux k, clock_event_device evt, long expires)
    {
        // departure: installed as set_next_ktime (an absolute expiry in ns of the machine clock), not set_next_event with a TSC delta.
        k.machine.Interrupts.ArmLocalTimer(evt.cpu, expires);
        return 0;
    }

    // arch/x86/kernel/apic/apic.c: lapic_timer_shutdown
    /// <summary>Disarms the CPU's timer: a zero deadline fires nothing.</summary>
    private static int lapic_timer_shutdown(Vmlinux k, clock_event_device evt)
    {
        k.machine.Interrupts.StopLocalTimer(evt.cpu);
        return 0;
    }

    // arch/x86/kernel/apic/apic.c: setup_APIC_timer
    /// <summary>Boot, per CPU: the local APIC timer becomes that CPU's tick device.</summary>
    public static void setup_APIC_timer(Vmlinux k, int cpu)
    {
        // not ported: clockevents_register_device, clockevents_config_and_register, smp_processor_id — the CPU's one clock event device (tick_cpu_device) is set up in place: there is no device list to register on or choose from
        // not ported: lapic_clockevent's mult/shift and rating — there is no other clock event device to choose.
        var evt = k.per_cpu(cpu).tick_cpu_device;
        evt.set_next_ktime = (dev, expires) => lapic_next_deadline(k, dev, expires);
        evt.set_state_oneshot_stopped = dev => lapic_timer_shutdown(k, dev);
    }

    // arch/x86/kernel/apic/apic.c: sysvec_apic_timer_interrupt
    /// <summary>The tick: in hard-IRQ context, raise TIMER_SOFTIRQ for expired timers; it runs on irq exit.</summary>
    [KernelNet.Annotations.HardIrqContext]
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
        // not ported: smp_processor_id — the CPU is k.this_cpu()
        // not ported: lapic_timer_shutdown — the no-event-handler case: every CPU's handler is set at boot
        // evt->event_handler: hrtimer_interrupt in high-resolution mode; the tick
        // (tick_sched_timer -> update_process_times -> run_local_timers) is not an hrtimer here.
        var hres = KernelNet.Kernel.Kernel.Time.hrtimer_c.hrtimer_interrupt(k);

        // tick_sched_timer runs only when the tick's own expiry came: an interrupt
        // that an hrtimer expiry programmed leaves a later tick where it is.
        var tick = k.this_cpu().timer_base.programmed;
        if (!hres || tick == 0 || !KernelNet.Kernel.Include.Linux.jiffies_h.time_before(k.jiffies, tick))
        {
            run_local_timers(k);

            // user_tick 0: the simulation's tasks run no user-mode code the tick could interrupt.
            rcu_sched_clock_irq(k, 0);
        }

        KernelNet.Kernel.Kernel.Time.hrtimer_c.hrtimer_interrupt_reprogram(k);
    }
}
