// Ports include/linux/jiffies.h: conversions and wrap-safe comparisons.
namespace KernelNet.Kernel.Include.Linux;

public static class jiffies_h
{
    // not ported: __msecs_to_jiffies, _msecs_to_jiffies — HZ (250) divides 1000: the rounded-up division is written in one line, no constant-folding split
    // include/linux/jiffies.h: msecs_to_jiffies
    /// <summary>Milliseconds to jiffies, rounding up as the kernel does.</summary>
    public static long msecs_to_jiffies(long m) => (m * Vmlinux.HZ + 999) / 1000;

    // not ported: __usecs_to_jiffies, _usecs_to_jiffies, jiffies_to_usecs — the rounded-up division is written in one line, no constant-folding split or overflow clamp
    // include/linux/jiffies.h: usecs_to_jiffies
    /// <summary>Microseconds to jiffies, rounding up.</summary>
    public static long usecs_to_jiffies(long u) => (u * Vmlinux.HZ + 999_999) / 1_000_000;

    // include/linux/jiffies.h: time_after_eq
    /// <summary>time_after_eq(a, b): a is at or after b, wrap-safe.</summary>
    public static bool time_after_eq(ulong a, ulong b) => (long)(a - b) >= 0;

    // include/linux/jiffies.h: time_after
    /// <summary>time_after(a, b): a is after b, wrap-safe.</summary>
    public static bool time_after(ulong a, ulong b) => (long)(b - a) < 0;

    // include/linux/jiffies.h: time_before_eq
    /// <summary>time_before_eq(a, b).</summary>
    public static bool time_before_eq(ulong a, ulong b) => (long)(a - b) <= 0;

    // include/linux/jiffies.h: time_before
    /// <summary>time_before(a, b).</summary>
    public static bool time_before(ulong a, ulong b) => (long)(a - b) < 0;

    // include/linux/jiffies.h: jiffies_delta_to_clock_t
    /// <summary>A time left, in USER_HZ ticks, never negative.</summary>
    public static long jiffies_delta_to_clock_t(long delta) => Kernel.Time.time_c.jiffies_to_clock_t(System.Math.Max(0, delta));
}
