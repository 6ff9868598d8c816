// Ports include/net/netns/ipv4.h: struct netns_ipv4, a namespace's IPv4 state.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net.Netns;

/// <summary>struct netns_ipv4, with the defaults of a new namespace on 6.18 (sysctl_net.fresh-netns.txt).</summary>
public sealed class netns_ipv4
{
    public netns_ipv4(net net)
    {
        var data = new List<fib_alias>();
        fib_main = new fib_table(net, route_h.RT_TABLE_MAIN, data);
        fib_local = new fib_table(net, route_h.RT_TABLE_LOCAL, data);
        this.net = net;
    }

    public net net { get; }

    public fib_table fib_main { get; }

    public fib_table fib_local { get; }

    /// <summary>net.mib: this namespace's SNMP counters.</summary>
    public netns_mib mib { get; } = new();

    /// <summary>net.ipv4.ip_default_ttl.</summary>
    public int sysctl_ip_default_ttl { get; set; } = 64;

    /// <summary>net.ipv4.conf.all.forwarding (0 in a new namespace).</summary>
    public bool devconf_all_forwarding { get; set; }

    /// <summary>net.ipv4.ip_local_port_range.</summary>
    public (int Low, int High) ip_local_ports { get; set; } = (32768, 60999);

    /// <summary>net.ipv4.icmp_echo_ignore_all.</summary>
    public bool sysctl_icmp_echo_ignore_all { get; set; }

    /// <summary>net.ipv4.icmp_ratelimit (ms) and icmp_ratemask.</summary>
    public int sysctl_icmp_ratelimit { get; set; } = 1000;

    public int sysctl_icmp_ratemask { get; set; } = 6168;

    /// <summary>The IPv4 fragment queues and their sysctls (ipfrag_high_thresh, ipfrag_time...), made by ipv4_frags_init_net.</summary>
    public fqdir? fqdir { get; set; }

    /// <summary>ip_id_key: the namespace's key for hashing a flow to its IP ID counter (__ip_select_ident), drawn on first use.</summary>
    public KernelNet.Kernel.Include.Linux.siphash_key_t ip_id_key { get; } = new();

    /// <summary>The iptables filter table, once iptables has used it in this namespace (net->ipv4.iptable_filter).</summary>
    public Linux.Netfilter.xt_table? iptable_filter { get; set; }

    /// <summary>State other IPv4 files keep per namespace (udp table, frag queues), by owner type.</summary>
    public Dictionary<System.Type, object> priv { get; } = new();

    /// <summary>The namespace's netns_ipv4, made on first use.</summary>
    public static netns_ipv4 of(net net)
    {
        if (net.ipv4 is not netns_ipv4 v)
        {
            v = new netns_ipv4(net);
            net.ipv4 = v;
        }

        return v;
    }
}
