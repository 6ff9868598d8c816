// Ports kernel/time/hrtimer.c, reduced to soft, pinned timers of
// CLOCK_MONOTONIC on a high-resolution clock event: hrtimer_start programs
// this CPU's local APIC timer for the earliest soft expiry, the timer
// interrupt (hrtimer_interrupt) raises HRTIMER_SOFTIRQ once it is due, and
// hrtimer_run_softirq runs the expired functions. TCP's pacing timer is the
// one user.
//
// departures: the tick is not itself an hrtimer here (timer.c programs the
// same local APIC timer for the wheel, and local_apic_timer_interrupt runs
// both); each programming is its own interrupt delivery, so an hrtimer
// re-armed earlier leaves a spurious later interrupt that finds nothing due.
// not ported: hard (non-soft) timers, clocks other than CLOCK_MONOTONIC,
// slack/range, migration between CPUs, hrtimer_cancel's waiting, the
// hrtimer tracepoints (no recording enables them), low-resolution mode.
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Kernel.softirq_c;

namespace KernelNet.Kernel.Kernel.Time;

/// <summary>struct hrtimer_cpu_base, its soft clock base only: the enqueued timers by expiry.</summary>
public sealed class hrtimer_cpu_base
{
    /// <summary>The soft CLOCK_MONOTONIC base's timers, earliest first (a timerqueue in C).</summary>
    public List<hrtimer> soft_active { get; } = new();

    /// <summary>softirq_expires_next: the earliest soft expiry programmed (long.MaxValue: none).</summary>
    public long softirq_expires_next { get; set; } = long.MaxValue;

    /// <summary>softirq_activated: HRTIMER_SOFTIRQ is raised and not yet run.</summary>
    public bool softirq_activated { get; set; }
}

public static class hrtimer_c
{
    [KernelNet.Annotations.NotInLinux("C# accessor of per_cpu(hrtimer_bases, cpu), a per-cpu variable hung off the CPU")]
    private static hrtimer_cpu_base base_of(Vmlinux k, int cpu) => k.per_cpu(cpu).hrtimer_bases;

    // kernel/time/hrtimer.c: hrtimer_setup
    /// <summary>Initialises a timer with its function; it starts inactive.</summary>
    public static void hrtimer_setup(hrtimer timer, System.Func<hrtimer, hrtimer_restart> function, int mode)
    {
        // not ported: clock ids other than CLOCK_MONOTONIC, debug objects, the hrtimer_setup tracepoint.
        timer.function = function;
        timer.enqueued = false;
        timer.is_soft = (mode & hrtimer_h.HRTIMER_MODE_SOFT) != 0;
    }

    // kernel/time/hrtimer.c: enqueue_hrtimer
    /// <summary>Into the CPU's queue, kept in expiry order (FIFO among equals).</summary>
    private static void enqueue_hrtimer(hrtimer_cpu_base @base, hrtimer timer)
    {
        var i = @base.soft_active.Count;
        while (i > 0 && @base.soft_active[i - 1].expires > timer.expires)
        {
            i--;
        }

        @base.soft_active.Insert(i, timer);
        timer.enqueued = true;
    }

    // kernel/time/hrtimer.c: hrtimer_update_softirq_timer
    /// <summary>Programs the local APIC timer for the earliest soft expiry, when it moved earlier.</summary>
    private static void hrtimer_update_softirq_timer(Vmlinux k, int cpu, hrtimer_cpu_base @base)
    {
        if (@base.softirq_activated || @base.soft_active.Count == 0)
        {
            return;
        }

        var next = @base.soft_active[0].expires;
        if (next >= @base.softirq_expires_next)
        {
            return;
        }

        @base.softirq_expires_next = next;

        // tick_program_event: an expiry in the past fires at once
        k.machine.Interrupts.ArmLocalTimer(cpu, System.Math.Max(next, k.ktime_get_ns()));
    }

    // kernel/time/hrtimer.c: hrtimer_start_range_ns
    /// <summary>
    /// (Re)arms a soft timer, pinned to this CPU, to expire at
    /// <paramref name="tim"/> ns of CLOCK_MONOTONIC; the clock event is
    /// reprogrammed when it becomes the earliest.
    /// </summary>
    public static void hrtimer_start_range_ns(Vmlinux k, hrtimer timer, long tim, ulong delta_ns, int mode)
    {
        // not ported: relative modes, slack (delta_ns), hard timers — the pacing timer is absolute, pinned and soft.
        var cpu = k.smp_processor_id();
        if (timer.enqueued)
        {
            base_of(k, timer.cpu).soft_active.Remove(timer);
            timer.enqueued = false;
        }

        timer.expires = tim;
        timer.cpu = cpu;
        var @base = base_of(k, cpu);
        enqueue_hrtimer(@base, timer);
        hrtimer_update_softirq_timer(k, cpu, @base);
    }

    // kernel/time/hrtimer.c: hrtimer_try_to_cancel
    /// <summary>Dequeues an armed timer: 1 if it was queued, 0 if not (a running callback, -1 in C, cannot be caught mid-run here).</summary>
    public static int hrtimer_try_to_cancel(Vmlinux k, hrtimer timer)
    {
        if (!timer.enqueued)
        {
            return 0;
        }

        base_of(k, timer.cpu).soft_active.Remove(timer);
        timer.enqueued = false;
        return 1;
    }

    // kernel/time/hrtimer.c: __run_hrtimer
    /// <summary>Runs one expired timer: it leaves the queue first, and goes back if its function asks to restart.</summary>
    [SuppressMessage("KernelNet.Port", "KN0009", Justification = "hrtimer_expire_entry, hrtimer_expire_exit: the hrtimer tracepoints (include/trace/events/timer.h) are not ported; no recording enables them")]
    private static void __run_hrtimer(hrtimer_cpu_base @base, hrtimer timer)
    {
        @base.soft_active.Remove(timer);
        timer.enqueued = false;
        var restart = timer.function!(timer);
        if (restart != hrtimer_restart.HRTIMER_NORESTART && !timer.enqueued)
        {
            enqueue_hrtimer(@base, timer);
        }
    }

    // kernel/time/hrtimer.c: __hrtimer_run_queues
    /// <summary>Runs every soft timer due at <paramref name="now"/>, earliest first.</summary>
    private static void __hrtimer_run_queues(hrtimer_cpu_base @base, long now)
    {
        while (@base.soft_active.Count > 0 && @base.soft_active[0].expires <= now)
        {
            __run_hrtimer(@base, @base.soft_active[0]);
        }
    }

    // kernel/time/hrtimer.c: hrtimer_run_softirq
    /// <summary>HRTIMER_SOFTIRQ: the due soft timers run, then the clock event is programmed for the next.</summary>
    private static void hrtimer_run_softirq(Vmlinux k)
    {
        var cpu = k.smp_processor_id();
        var @base = base_of(k, cpu);
        var now = k.ktime_get_ns();

        __hrtimer_run_queues(@base, now);

        @base.softirq_activated = false;
        @base.softirq_expires_next = long.MaxValue;
        hrtimer_update_softirq_timer(k, cpu, @base);
    }

    // kernel/time/hrtimer.c: hrtimer_interrupt
    /// <summary>The clock event fired (hard IRQ): when the earliest soft timer is due, HRTIMER_SOFTIRQ is raised (and true returned).</summary>
    public static bool hrtimer_interrupt(Vmlinux k)
    {
        var @base = base_of(k, k.smp_processor_id());
        var now = k.ktime_get_ns();

        // not ported: hard timers (__hrtimer_run_queues in hard-IRQ context), hang detection.
        if (@base.softirq_expires_next != long.MaxValue && now >= @base.softirq_expires_next)
        {
            @base.softirq_expires_next = long.MaxValue;
            @base.softirq_activated = true;
            raise_softirq_irqoff(k, softirq_nr.HRTIMER_SOFTIRQ);
            return true;
        }

        return false;
    }

    // kernel/time/hrtimer.c: hrtimers_init
    /// <summary>Boot: HRTIMER_SOFTIRQ runs the soft timers.</summary>
    public static void hrtimers_init(Vmlinux k)
    {
        open_softirq(k, softirq_nr.HRTIMER_SOFTIRQ, () => hrtimer_run_softirq(k));
    }
}
