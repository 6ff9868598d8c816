// Ports kernel/time/time.c: converting jiffies to the USER_HZ ticks (100 a
// second) that /proc files report. The rest of the file (time syscalls,
// timespec conversions) is not ported.
namespace KernelNet.Kernel.Kernel.Time;

public static class time_c
{
    /// <summary>USER_HZ: the clock ticks user space counts in.</summary>
    public const long USER_HZ = 100;

    // kernel/time/time.c: jiffies_to_clock_t
    /// <summary>Jiffies (HZ 250) to USER_HZ ticks, rounded down: HZ is not a multiple of USER_HZ, so through nanoseconds (TICK_NSEC).</summary>
    public static long jiffies_to_clock_t(long x) => x * (1_000_000_000L / Vmlinux.HZ) / (1_000_000_000L / USER_HZ);
}
