// Ports include/net/netns/mib.h: struct netns_mib, a namespace's SNMP counters.
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Net.Netns;

/// <summary>
/// struct netns_mib. The kernel keeps these per CPU and folds them when read;
/// the simulation has one thread, so one array per MIB is the same sum.
/// </summary>
public sealed class netns_mib
{
    public long[] ip_statistics { get; } = new long[(int)ipstats_mib_field.__IPSTATS_MIB_MAX];

    public long[] net_statistics { get; } = new long[(int)linux_mib_field.__LINUX_MIB_MAX];

    public long[] tcp_statistics { get; } = new long[(int)tcp_mib_field.__TCP_MIB_MAX];

    public long[] udp_statistics { get; } = new long[(int)udp_mib_field.__UDP_MIB_MAX];

    public long[] udplite_statistics { get; } = new long[(int)udp_mib_field.__UDP_MIB_MAX];

    public long[] icmp_statistics { get; } = new long[(int)icmp_mib_field.__ICMP_MIB_MAX];

    /// <summary>icmpmsg_statistics: per ICMP type, In at [type], Out at [type | 0x100] (ICMPMSG_MIB_MAX = 512).</summary>
    public long[] icmpmsg_statistics { get; } = new long[512];
}
