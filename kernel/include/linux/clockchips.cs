// Ports include/linux/clockchips.h: struct clock_event_device, a CPU's timer
// hardware as the tick and hrtimer code see it. This machine has one per CPU,
// the local APIC timer in TSC-deadline mode (arch/x86/kernel/apic/apic.c).
// not ported: the device states other than "programmed" and "stopped",
// min/max delta clamping, mult/shift (the deadline is written in ns), broadcast.
using System;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct clock_event_device: one CPU's one-shot timer and the expiry last written to it.</summary>
public sealed class clock_event_device
{
    public clock_event_device(int cpu)
    {
        this.cpu = cpu;
    }

    /// <summary>The CPU the device interrupts (cpumask in C: a per-CPU device has one).</summary>
    public int cpu { get; }

    /// <summary>next_event: the absolute CLOCK_MONOTONIC expiry programmed, KTIME_MAX when stopped.</summary>
    public long next_event { get; set; } = clockchips_h.KTIME_MAX;

    /// <summary>set_next_ktime: writes an absolute expiry (ns) to the hardware; it replaces the one before.</summary>
    public Action<clock_event_device, long>? set_next_ktime { get; set; }

    /// <summary>set_state_oneshot_stopped: nothing to expire, the hardware timer is disarmed.</summary>
    public Action<clock_event_device>? set_state_oneshot_stopped { get; set; }
}

public static class clockchips_h
{
    /// <summary>include/linux/ktime.h: KTIME_MAX, "no expiry".</summary>
    public const long KTIME_MAX = long.MaxValue;
}
