// Ports kernel/time/time.c: jiffies_to_msecs, jiffies_to_usecs, and
// jiffies_to_clock_t (the USER_HZ ticks, 100 a second, that /proc files report).
//
// not ported: the rest of time.c (the time syscalls, timespec and timeval
// conversions): nothing in the port needs them.
namespace KernelNet.Kernel.Kernel.Time;

public static class time_c
{
    // kernel/time/time.c: jiffies_to_msecs
    /// <summary>A count of jiffies in milliseconds.</summary>
    public static uint jiffies_to_msecs(ulong j) => (uint)(j * (1000UL / Vmlinux.HZ));

    // kernel/time/time.c: jiffies_to_usecs
    /// <summary>A count of jiffies in microseconds (HZ divides a second evenly).</summary>
    public static uint jiffies_to_usecs(ulong j) => (uint)(j * (1_000_000UL / Vmlinux.HZ));

    /// <summary>USER_HZ: the clock ticks user space counts in.</summary>
    public const long USER_HZ = 100;

    // kernel/time/time.c: nsecs_to_jiffies64
    /// <summary>Nanoseconds to jiffies, rounded down (NSEC_PER_SEC / HZ per jiffy).</summary>
    public static ulong nsecs_to_jiffies64(ulong n) => n / (1_000_000_000UL / Vmlinux.HZ);

    // kernel/time/time.c: nsecs_to_jiffies
    /// <summary>Nanoseconds to jiffies, rounded down.</summary>
    public static ulong nsecs_to_jiffies(ulong n) => nsecs_to_jiffies64(n);

    // kernel/time/time.c: jiffies_to_clock_t
    /// <summary>Jiffies (HZ 250) to USER_HZ ticks, rounded down: HZ is not a multiple of USER_HZ, so through nanoseconds (TICK_NSEC).</summary>
    public static long jiffies_to_clock_t(long x) => x * (1_000_000_000L / Vmlinux.HZ) / (1_000_000_000L / USER_HZ);

    // kernel/time/time.c: clock_t_to_jiffies
    /// <summary>USER_HZ ticks to jiffies: x * HZ / USER_HZ, rounded down (HZ 250 is not a multiple of USER_HZ).</summary>
    public static long clock_t_to_jiffies(long x) => x * Vmlinux.HZ / USER_HZ;
}
