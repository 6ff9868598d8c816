// Ports kernel/time/timer.c: timer_list timers in jiffies, expired from the
// TIMER softirq, and schedule_timeout() on top of them.
//
// departure: the base keeps pending timers in a sorted set instead of the
// kernel's hierarchical wheel; expiry order and granularity (one jiffy) are
// the same, and the wheel's level granularity for far timers is not modelled.
// The tick is programmed only for the next expiry (NO_HZ_IDLE behaviour).
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.sched_h;
using static KernelNet.Kernel.Kernel.Sched.core_c;
using static KernelNet.Kernel.Kernel.softirq_c;

namespace KernelNet.Kernel.Kernel.Time;

/// <summary>struct timer_list.</summary>
public sealed class timer_list
{
    public timer_list(Action<timer_list> function)
    {
        this.function = function;
    }

    /// <summary>Expiry, in jiffies.</summary>
    public ulong expires { get; set; }

    public Action<timer_list> function { get; }

    /// <summary>The base the timer is queued on, or null when not pending.</summary>
    internal timer_base? @base { get; set; }

    internal long seq { get; set; }

    /// <summary>What the timer belongs to (from_timer/container_of in C).</summary>
    public object? owner { get; set; }
}

/// <summary>struct timer_base: one CPU's pending timers.</summary>
public sealed class timer_base
{
    internal timer_base(int cpu)
    {
        this.cpu = cpu;
    }

    public int cpu { get; }

    internal SortedSet<timer_list> pending { get; } = new(Comparer<timer_list>.Create((a, b) =>
    {
        var c = a.expires.CompareTo(b.expires);
        return c != 0 ? c : a.seq.CompareTo(b.seq);
    }));

    internal long next_seq { get; set; }

    /// <summary>The expiry the local APIC timer is programmed for (0 = none).</summary>
    internal ulong programmed { get; set; }
}

public static class timer_c
{
    private static long jiffies_to_ns(ulong j) => (long)unchecked(j - Vmlinux.INITIAL_JIFFIES) * (1_000_000_000L / Vmlinux.HZ);

    // kernel/time/timer.c: add_timer
    /// <summary>Starts a timer on the current CPU at timer.expires.</summary>
    public static void add_timer(Vmlinux k, timer_list timer)
    {
        __mod_timer(k, timer, timer.expires);
    }

    // kernel/time/timer.c: mod_timer
    /// <summary>(Re)starts a timer at <paramref name="expires"/>; true if it was pending.</summary>
    public static bool mod_timer(Vmlinux k, timer_list timer, ulong expires) => __mod_timer(k, timer, expires);

    // kernel/time/timer.c: __mod_timer
    private static bool __mod_timer(Vmlinux k, timer_list timer, ulong expires)
    {
        var was_pending = detach_if_pending(timer);
        var @base = k.this_cpu().timer_base;
        timer.expires = expires;
        timer.seq = @base.next_seq++;
        timer.@base = @base;
        @base.pending.Add(timer);
        program_tick(k, @base, expires);
        return was_pending;
    }

    // kernel/time/timer.c: timer_delete
    /// <summary>Stops a pending timer; true if it was pending.</summary>
    public static bool timer_delete(timer_list timer) => detach_if_pending(timer);

    // kernel/time/timer.c: timer_delete_sync
    /// <summary>Stops a timer and (here trivially) waits for a running handler.</summary>
    public static bool timer_delete_sync(timer_list timer) => detach_if_pending(timer);

    // kernel/time/timer.c: detach_if_pending
    private static bool detach_if_pending(timer_list timer)
    {
        var @base = timer.@base;
        if (@base is null)
        {
            return false;
        }

        @base.pending.Remove(timer);
        timer.@base = null;
        return true;
    }

    /// <summary>clockevents: program this CPU's local APIC timer for the first jiffy at or after <paramref name="expires"/>.</summary>
    private static void program_tick(Vmlinux k, timer_base @base, ulong expires)
    {
        if (@base.programmed != 0 && (long)(@base.programmed - expires) <= 0)
        {
            return;
        }

        @base.programmed = expires;
        k.machine.Interrupts.ArmLocalTimer(@base.cpu, jiffies_to_ns(expires));
    }

    // kernel/time/timer.c: run_local_timers
    /// <summary>From the tick: raise TIMER_SOFTIRQ when a timer on this CPU has expired.</summary>
    public static void run_local_timers(Vmlinux k)
    {
        var @base = k.this_cpu().timer_base;
        @base.programmed = 0;
        if (@base.pending.Count == 0)
        {
            return;
        }

        if ((long)(k.jiffies - @base.pending.Min!.expires) >= 0)
        {
            raise_softirq(k, softirq_nr.TIMER_SOFTIRQ);
        }
        else
        {
            program_tick(k, @base, @base.pending.Min!.expires);
        }
    }

    // kernel/time/timer.c: __run_timers
    /// <summary>Runs every expired timer of the base, earliest first.</summary>
    [SoftirqContext]
    private static void __run_timers(Vmlinux k, timer_base @base)
    {
        while (@base.pending.Count > 0 && (long)(k.jiffies - @base.pending.Min!.expires) >= 0)
        {
            var timer = @base.pending.Min!;
            detach_if_pending(timer);
            call_timer_fn(timer);
        }

        if (@base.pending.Count > 0)
        {
            program_tick(k, @base, @base.pending.Min!.expires);
        }
    }

    // kernel/time/timer.c: call_timer_fn
    private static void call_timer_fn(timer_list timer) => timer.function(timer);

    // kernel/time/timer.c: run_timer_softirq
    /// <summary>TIMER_SOFTIRQ's handler.</summary>
    [SoftirqContext]
    private static void run_timer_softirq(Vmlinux k) => __run_timers(k, k.this_cpu().timer_base);

    // kernel/time/timer.c: init_timers
    public static void init_timers(Vmlinux k)
    {
        open_softirq(k, softirq_nr.TIMER_SOFTIRQ, () => run_timer_softirq(k));
    }

    // kernel/time/timer.c: process_timeout
    private static void process_timeout(Vmlinux k, timer_list t) => wake_up_process(k, (task_struct)t.owner!);

    // kernel/time/timer.c: schedule_timeout
    /// <summary>
    /// Sleeps until woken or <paramref name="timeout"/> jiffies pass; returns
    /// the jiffies left (0 when the time ran out). The caller sets the task
    /// state first, as in C.
    /// </summary>
    [MightSleep]
    public static async Task<long> schedule_timeout(Vmlinux k, long timeout)
    {
        if (timeout == MAX_SCHEDULE_TIMEOUT)
        {
            await schedule(k);
            return timeout;
        }

        if (timeout < 0)
        {
            __set_current_state(k, TASK_RUNNING);
            return 0;
        }

        var expire = k.jiffies + (ulong)timeout;
        var timer = new timer_list(t => process_timeout(k, t)) { owner = k.current };
        mod_timer(k, timer, expire);
        await schedule(k);
        timer_delete_sync(timer);

        var left = (long)(expire - k.jiffies);
        return left < 0 ? 0 : left;
    }
}
