// Ports the part of include/linux/time.h the network stack uses.
namespace KernelNet.Kernel.Include.Linux;

public static class time_h
{
    // include/linux/time.h: time_between32
    /// <summary>l &lt;= t &lt;= h in 32-bit wrapping time.</summary>
    public static bool time_between32(uint t, uint l, uint h) => unchecked(h - l >= t - l);
}
