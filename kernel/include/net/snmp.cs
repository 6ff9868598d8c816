// Ports include/net/snmp.h: incrementing SNMP counters.
namespace KernelNet.Kernel.Include.Net;

public static class snmp_h
{
    /// <summary>SNMP_INC_STATS(mib, field).</summary>
    public static void SNMP_INC_STATS(long[] mib, int field) => mib[field]++;

    /// <summary>SNMP_ADD_STATS(mib, field, addend).</summary>
    public static void SNMP_ADD_STATS(long[] mib, int field, long addend) => mib[field] += addend;
}
