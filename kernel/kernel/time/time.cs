// Ports kernel/time/time.c: jiffies_to_msecs and jiffies_to_usecs.
//
// not ported: the rest of time.c (the time syscalls, timespec and
// timeval conversions): nothing in the port needs them.
namespace KernelNet.Kernel.Kernel.Time;

public static class time_c
{
    // kernel/time/time.c: jiffies_to_msecs
    /// <summary>A count of jiffies in milliseconds.</summary>
    public static uint jiffies_to_msecs(ulong j) => (uint)(j * (1000UL / Vmlinux.HZ));

    // kernel/time/time.c: jiffies_to_usecs
    /// <summary>A count of jiffies in microseconds (HZ divides a second evenly).</summary>
    public static uint jiffies_to_usecs(ulong j) => (uint)(j * (1_000_000UL / Vmlinux.HZ));
}
