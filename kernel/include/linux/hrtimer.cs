// Ports include/linux/hrtimer.h (with hrtimer_types.h and hrtimer_defs.h):
// struct hrtimer, its modes and return values, hrtimer_start and
// hrtimer_is_queued — for the one high-resolution timer the ported stack
// arms, TCP's pacing timer (a soft timer, pinned, absolute CLOCK_MONOTONIC).
using System;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>enum hrtimer_restart: what an expired timer's function asks for.</summary>
public enum hrtimer_restart
{
    HRTIMER_NORESTART,
    HRTIMER_RESTART,
}

/// <summary>struct hrtimer: an expiry in nanoseconds of CLOCK_MONOTONIC and the function it runs.</summary>
public sealed class hrtimer
{
    /// <summary>function: runs at expiry (in HRTIMER_SOFTIRQ for a soft timer).</summary>
    public Func<hrtimer, hrtimer_restart>? function { get; set; }

    /// <summary>node.expires: absolute expiry, ns.</summary>
    public long expires { get; set; }

    /// <summary>state &amp; HRTIMER_STATE_ENQUEUED: waiting in its CPU's queue.</summary>
    public bool enqueued { get; set; }

    /// <summary>is_soft: expires from HRTIMER_SOFTIRQ rather than the hard interrupt.</summary>
    public bool is_soft { get; set; }

    /// <summary>The CPU whose base holds it while enqueued.</summary>
    public int cpu { get; set; }

    /// <summary>What embeds the timer (container_of in C).</summary>
    public object? owner { get; set; }
}

public static class hrtimer_h
{
    /// <summary>HRTIMER_MODE_ABS: the expiry is absolute.</summary>
    public const int HRTIMER_MODE_ABS = 0x00;

    /// <summary>HRTIMER_MODE_PINNED: stays on the CPU that arms it.</summary>
    public const int HRTIMER_MODE_PINNED = 0x02;

    /// <summary>HRTIMER_MODE_SOFT: expires in softirq context.</summary>
    public const int HRTIMER_MODE_SOFT = 0x04;

    /// <summary>HRTIMER_MODE_ABS_PINNED_SOFT.</summary>
    public const int HRTIMER_MODE_ABS_PINNED_SOFT = HRTIMER_MODE_ABS | HRTIMER_MODE_PINNED | HRTIMER_MODE_SOFT;

    // include/linux/hrtimer.h: hrtimer_start
    /// <summary>Arms <paramref name="timer"/> to expire at <paramref name="tim"/> (no slack).</summary>
    public static void hrtimer_start(Vmlinux k, hrtimer timer, long tim, int mode) =>
        KernelNet.Kernel.Kernel.Time.hrtimer_c.hrtimer_start_range_ns(k, timer, tim, 0, mode);

    // include/linux/hrtimer.h: hrtimer_is_queued
    /// <summary>True while the timer waits to expire.</summary>
    public static bool hrtimer_is_queued(hrtimer timer) => timer.enqueued;
}
