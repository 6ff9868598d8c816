// Ports kernel/time/hrtimer.c, reduced to soft, pinned timers of
// CLOCK_MONOTONIC on a high-resolution clock event: hrtimer_start programs
// this CPU's clock event device (the local APIC timer) for the earliest
// expiry, the timer interrupt (hrtimer_interrupt) raises HRTIMER_SOFTIRQ once
// a soft timer is due, and hrtimer_run_softirq runs the expired functions.
// TCP's pacing timer is the one soft user.
//
// departure: the tick is not itself an hrtimer here (tick-sched.c's
// sched_timer is kept as its expiry only, tick_expires, which timer.c sets);
// __hrtimer_get_next_event takes the earlier of it and the soft expiry, so
// the one clock event device is always programmed for the earliest of both,
// as in C.
// not ported: hard (non-soft) timers, clocks other than CLOCK_MONOTONIC,
// slack/range, migration between CPUs, hrtimer_cancel's waiting, the
// hrtimer tracepoints (no recording enables them), low-resolution mode,
// hang detection.
// not ported: lock_hrtimer_base, unlock_hrtimer_base, hrtimer_cpu_base_lock_expiry, hrtimer_cpu_base_unlock_expiry, hrtimer_sync_wait_running — one thread: the base lock and the expiry lock have nothing to exclude (and hrtimer_cancel's waiting is not ported)
// not ported: debug_activate, debug_setup, debug_hrtimer_deactivate, lockdep_hrtimer_enter, lockdep_hrtimer_exit — debug objects and lockdep
// not ported: for_each_active_base, hrtimer_update_base — one clock base (CLOCK_MONOTONIC soft): no base walk and no realtime/boottime offsets to update
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Kernel.softirq_c;
using static KernelNet.Kernel.Kernel.Time.tick_oneshot_c;

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

    /// <summary>expires_next: what the clock event device is programmed for (long.MaxValue: stopped).</summary>
    public long expires_next { get; set; } = long.MaxValue;

    /// <summary>The tick's expiry (tick_sched.sched_timer in C; set by the timer wheel's program_tick), long.MaxValue when the tick is stopped.</summary>
    public long tick_expires { get; set; } = long.MaxValue;
}

public static class hrtimer_c
{
    [KernelNet.Annotations.NotInLinux("C# accessor of per_cpu(hrtimer_bases, cpu), a per-cpu variable hung off the CPU")]
    private static hrtimer_cpu_base base_of(Vmlinux k, int cpu) => k.per_cpu(cpu).hrtimer_bases;

    // kernel/time/hrtimer.c: hrtimer_setup
    /// <summary>Initialises a timer with its function; it starts inactive.</summary>
    public static void hrtimer_setup(hrtimer timer, System.Func<hrtimer, hrtimer_restart> function, int mode)
    {
        // not ported: __hrtimer_setup — its steps for a soft CLOCK_MONOTONIC timer are written out here
        // not ported: clock ids other than CLOCK_MONOTONIC, debug objects, the hrtimer_setup tracepoint.
        timer.function = function;
        timer.enqueued = false;
        timer.is_soft = (mode & hrtimer_h.HRTIMER_MODE_SOFT) != 0;
    }

    // kernel/time/hrtimer.c: enqueue_hrtimer
    /// <summary>Into the CPU's queue, kept in expiry order (FIFO among equals).</summary>
    private static void enqueue_hrtimer(hrtimer_cpu_base @base, hrtimer timer)
    {
        // not ported: debug_activate — debug objects
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
        // not ported: __hrtimer_get_next_event — the soft base's first timer is its next event (one base)
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
        hrtimer_reprogram(k, @base, next);
    }

    // kernel/time/hrtimer.c: __hrtimer_get_next_event
    /// <summary>The earliest expiry this CPU waits for: its first soft timer (unless the softirq is already raised) or its tick.</summary>
    private static long __hrtimer_get_next_event(hrtimer_cpu_base @base)
    {
        // not ported: __hrtimer_next_event_base — the soft base's earliest expiry is kept in softirq_expires_next; the hard bases are the tick's expiry (see the departure above)
        var soft = @base.softirq_activated ? long.MaxValue : @base.softirq_expires_next;
        return System.Math.Min(soft, @base.tick_expires);
    }

    // kernel/time/hrtimer.c: __hrtimer_reprogram
    /// <summary>Writes the new earliest expiry to this CPU's clock event device.</summary>
    private static void __hrtimer_reprogram(Vmlinux k, hrtimer_cpu_base @base, long expires_next)
    {
        // not ported: hrtimer_hres_active — always in high-resolution mode (low-resolution mode is not ported)
        @base.expires_next = expires_next;
        tick_program_event(k, expires_next, true);
    }

    // kernel/time/hrtimer.c: hrtimer_force_reprogram
    /// <summary>
    /// Recomputes the earliest expiry and programs the device for it, even when it moved
    /// later; with <paramref name="skip_equal"/> an unchanged expiry leaves the device alone.
    /// </summary>
    private static void hrtimer_force_reprogram(Vmlinux k, hrtimer_cpu_base @base, bool skip_equal)
    {
        // not ported: hrtimer_update_next_event — written out: __hrtimer_get_next_event takes the earlier of the soft expiry and the tick's
        var expires_next = __hrtimer_get_next_event(@base);
        if (skip_equal && expires_next == @base.expires_next)
        {
            return;
        }

        __hrtimer_reprogram(k, @base, expires_next);
    }

    // kernel/time/hrtimer.c: hrtimer_reprogram
    /// <summary>A timer now expires at <paramref name="expires"/>: program the device only when that is earlier than what it waits for.</summary>
    private static void hrtimer_reprogram(Vmlinux k, hrtimer_cpu_base @base, long expires)
    {
        // not ported: hrtimer_get_expires, hrtimer_get_expires_tv64 — the caller passes the timer's expiry (no slack to separate)
        if (expires >= @base.expires_next)
        {
            return;
        }

        __hrtimer_reprogram(k, @base, expires);
    }

    /// <summary>
    /// The tick moved: tick-sched.c restarts its sched_timer (hrtimer_start on
    /// a hard timer in C) at <paramref name="expires"/>, or cancels it with
    /// long.MaxValue, and the device is programmed for whatever is earliest now.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the tick's sched_timer restart (kernel/time/tick-sched.c: tick_nohz_restart / hrtimer_start of a hard timer): hard hrtimers are not ported, so the tick is kept as an expiry")]
    public static void tick_sched_timer_restart(Vmlinux k, long expires)
    {
        var @base = base_of(k, k.smp_processor_id());
        @base.tick_expires = expires;
        hrtimer_force_reprogram(k, @base, skip_equal: true);
    }

    /// <summary>The tick's expiry came (its sched_timer was dequeued to run): nothing is programmed for it until the tick code restarts it.</summary>
    [KernelNet.Annotations.NotInLinux("the dequeue of the tick's sched_timer when it runs (__run_hrtimer in C): hard hrtimers are not ported")]
    public static void tick_sched_timer_expired(Vmlinux k)
    {
        base_of(k, k.smp_processor_id()).tick_expires = long.MaxValue;
    }

    // kernel/time/hrtimer.c: hrtimer_start_range_ns
    /// <summary>
    /// (Re)arms a soft timer, pinned to this CPU, to expire at
    /// <paramref name="tim"/> ns of CLOCK_MONOTONIC; the clock event is
    /// reprogrammed when it becomes the earliest.
    /// </summary>
    public static void hrtimer_start_range_ns(Vmlinux k, hrtimer timer, long tim, ulong delta_ns, int mode)
    {
        // not ported: __hrtimer_start_range_ns, hrtimer_reprogram — its steps (remove, set the expiry, enqueue on this CPU) are written out; the device is reprogrammed through hrtimer_update_softirq_timer, as a soft timer's start does
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
        // not ported: hrtimer_active, hrtimer_callback_running, remove_hrtimer — a running callback is never interrupted here (one thread), so the -1 case is absent; the timer is taken off the list directly
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
        // not ported: __remove_hrtimer — the timer is taken off the sorted list directly
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
        // not ported: hrtimer_get_softexpires_tv64 — no slack: a timer's soft expiry is its expiry
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
        // not ported: raise_timer_softirq — that is timer.c's TIMER_SOFTIRQ raise for the hard tick; here the tick runs through the port's tick code
        // not ported: hrtimer_update_next_event, tick_program_event — the reprogramming tail is hrtimer_interrupt_reprogram, called after the port's tick runs
        var @base = base_of(k, k.smp_processor_id());
        var now = k.ktime_get_ns();

        // The device fired: it is programmed for nothing until the interrupt's end reprograms it.
        @base.expires_next = long.MaxValue;

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

    /// <summary>
    /// The end of hrtimer_interrupt, split off because the port runs the tick
    /// after it (local_apic_timer_interrupt): program the device for the
    /// earliest expiry left, the tick's included.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the tail of hrtimer_interrupt, split off so the port's tick runs before the device is reprogrammed")]
    public static void hrtimer_interrupt_reprogram(Vmlinux k)
    {
        hrtimer_force_reprogram(k, base_of(k, k.smp_processor_id()), skip_equal: false);
    }

    // kernel/time/hrtimer.c: hrtimers_init
    /// <summary>Boot: HRTIMER_SOFTIRQ runs the soft timers.</summary>
    public static void hrtimers_init(Vmlinux k)
    {
        // not ported: hrtimers_prepare_cpu, hrtimers_cpu_starting, smp_processor_id — each CPU's base is initialised with the CPU object; no hotplug
        open_softirq(k, softirq_nr.HRTIMER_SOFTIRQ, () => hrtimer_run_softirq(k));
    }
}
