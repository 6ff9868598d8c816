// Ports include/net/snmp.h: incrementing SNMP counters.
namespace KernelNet.Kernel.Include.Net;

public static class snmp_h
{
    // include/net/snmp.h: SNMP_INC_STATS
    /// <summary>SNMP_INC_STATS(mib, field).</summary>
    public static void SNMP_INC_STATS(long[] mib, int field) => mib[field]++;

    // include/net/snmp.h: SNMP_ADD_STATS
    /// <summary>SNMP_ADD_STATS(mib, field, addend).</summary>
    public static void SNMP_ADD_STATS(long[] mib, int field, long addend) => mib[field] += addend;
}
