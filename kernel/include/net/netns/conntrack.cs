// Ports include/net/netns/conntrack.h: a namespace's conntrack settings
// (net.netfilter.nf_conntrack_* sysctls), per-protocol timeouts and the
// per-CPU statistics.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux.Netfilter;

namespace KernelNet.Kernel.Include.Net.Netns;

/// <summary>struct nf_tcp_net: the TCP tracker's timeouts (jiffies) and sysctls.</summary>
public sealed class nf_tcp_net
{
    /// <summary>timeouts[TCP_CONNTRACK_*], from tcp_timeouts (nf_conntrack_tcp_init_net).</summary>
    public uint[] timeouts { get; } = new uint[(int)Uapi.Linux.Netfilter.tcp_conntrack.TCP_CONNTRACK_TIMEOUT_MAX];

    /// <summary>nf_conntrack_tcp_loose (1): pick up connections already under way.</summary>
    public int tcp_loose = 1;

    /// <summary>nf_conntrack_tcp_be_liberal (0): only RSTs are checked against the window when set.</summary>
    public int tcp_be_liberal;

    /// <summary>nf_conntrack_tcp_max_retrans (3).</summary>
    public int tcp_max_retrans = 3;

    /// <summary>nf_conntrack_tcp_ignore_invalid_rst (0).</summary>
    public int tcp_ignore_invalid_rst;
}

/// <summary>struct netns_ct.</summary>
public sealed class netns_ct
{
    private netns_ct(int ncpus)
    {
        stat = new ip_conntrack_stat[ncpus];
        for (var i = 0; i < ncpus; i++)
        {
            stat[i] = new ip_conntrack_stat();
        }
    }

    /// <summary>sysctl_log_invalid (net.netfilter.nf_conntrack_log_invalid, 0).</summary>
    public int sysctl_log_invalid;

    /// <summary>sysctl_checksum (net.netfilter.nf_conntrack_checksum, 1): verify checksums at PREROUTING.</summary>
    public int sysctl_checksum = 1;

    /// <summary>sysctl_events (2): event delivery, as configured; no listeners in the simulation.</summary>
    public int sysctl_events = 2;

    /// <summary>stat: per-CPU counters.</summary>
    public ip_conntrack_stat[] stat { get; }

    /// <summary>nf_ct_proto.tcp.</summary>
    public nf_tcp_net tcp { get; } = new();

    /// <summary>nf_ct_proto.udp.timeouts[UDP_CT_UNREPLIED, UDP_CT_REPLIED] in jiffies.</summary>
    public uint[] udp_timeouts { get; } = new uint[2];

    /// <summary>nf_ct_proto.icmp.timeout in jiffies.</summary>
    public uint icmp_timeout;

    /// <summary>nf_ct_proto.generic.timeout in jiffies.</summary>
    public uint generic_timeout;

    /// <summary>net->ct, created with the namespace's conntrack state (nf_conntrack_init_net).</summary>
    [NotInLinux("net->ct, created on first use")]
    public static netns_ct of(net net)
    {
        if (!net.gen.TryGetValue("netns_ct", out var o))
        {
            var ct = new netns_ct(net.k.nr_cpu_ids);
            net.gen["netns_ct"] = ct;
            global::KernelNet.Kernel.Net.Netfilter.nf_conntrack_core_c.nf_conntrack_init_net(net, ct);
            o = ct;
        }

        return (netns_ct)o;
    }
}
