// Ports net/ipv4/netfilter/iptable_filter.c: the "filter" table, hooked at
// INPUT, FORWARD and OUTPUT with priority NF_IP_PRI_FILTER, instantiated in
// a namespace the first time iptables uses it there (so a namespace without
// rules runs no hooks at all).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using static KernelNet.Kernel.Include.Linux.netfilter_h;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

public static class iptable_filter_c
{
    /// <summary>NF_IP_PRI_FILTER (include/uapi/linux/netfilter_ipv4.h).</summary>
    public const int NF_IP_PRI_FILTER = 0;

    /// <summary>FILTER_VALID_HOOKS: LOCAL_IN, FORWARD, LOCAL_OUT.</summary>
    private const uint FILTER_VALID_HOOKS = (1u << (int)nf_inet_hooks.NF_INET_LOCAL_IN) | (1u << (int)nf_inet_hooks.NF_INET_FORWARD) | (1u << (int)nf_inet_hooks.NF_INET_LOCAL_OUT);

    // net/ipv4/netfilter/iptable_filter.c: iptable_filter_table_init
    /// <summary>Creates the namespace's filter table (every policy ACCEPT) and registers its hooks.</summary>
    public static int iptable_filter_table_init(net net)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: ipt_alloc_initial_table — the table starts as an object with empty chains and ACCEPT policies,
        //   what the initial blob holds (forward=1's policy: FORWARD stays ACCEPT)
        var ipv4 = netns_ipv4.of(net);
        if (ipv4.iptable_filter is not null)
        {
            return 0;
        }

        var table = new xt_table("filter", FILTER_VALID_HOOKS);
        ipv4.iptable_filter = table;
        return ip_tables_c.ipt_register_table(net, table, NF_IP_PRI_FILTER);
    }

    /// <summary>
    /// `iptables [-t filter] -A CHAIN RULE` in <paramref name="net"/>: CHAIN
    /// is INPUT, FORWARD or OUTPUT. Instantiates the table on first use, as
    /// the kernel does when iptables first opens it.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the scenario's iptables -A on the filter table (iptables(8) replaces the table through setsockopt)")]
    public static void iptables_append(net net, string chain, ipt_entry rule)
    {
        iptable_filter_table_init(net);
        var table = netns_ipv4.of(net).iptable_filter!;
        if (table.chains.ContainsKey(chain))
        {
            ip_tables_c.ipt_append_entry(table, chain, rule);
            return;
        }

        ip_tables_c.ipt_append_entry(table, chain_hook(chain), rule);
    }

    /// <summary>`iptables -t filter -N CHAIN`: a user chain.</summary>
    [KernelNet.Annotations.NotInLinux("iptables -N in user space: the port creates the chain directly, not through IPT_SO_SET_REPLACE")]
    public static void iptables_new_chain(net net, string chain)
    {
        iptable_filter_table_init(net);
        ip_tables_c.ipt_new_chain(netns_ipv4.of(net).iptable_filter!, chain);
    }

    /// <summary>`iptables -P CHAIN ACCEPT|DROP` (<paramref name="verdict"/> NF_ACCEPT or NF_DROP).</summary>
    [KernelNet.Annotations.NotInLinux("the scenario's iptables -P on the filter table (iptables(8) replaces the table through setsockopt)")]
    public static void iptables_policy(net net, string chain, uint verdict)
    {
        iptable_filter_table_init(net);
        ip_tables_c.ipt_set_policy(netns_ipv4.of(net).iptable_filter!, chain_hook(chain), verdict);
    }

    /// <summary>The built-in chain's hook.</summary>
    [KernelNet.Annotations.NotInLinux("the scenario's chain name to its hook, as iptables(8) maps it")]
    public static nf_inet_hooks chain_hook(string chain) => chain switch
    {
        "INPUT" => nf_inet_hooks.NF_INET_LOCAL_IN,
        "FORWARD" => nf_inet_hooks.NF_INET_FORWARD,
        "OUTPUT" => nf_inet_hooks.NF_INET_LOCAL_OUT,
        _ => throw new System.ArgumentException($"iptables: no chain {chain} in the filter table"),
    };
}
