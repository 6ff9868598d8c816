// Ports net/ipv4/netfilter/iptable_raw.c: the "raw" table, hooked at
// PREROUTING and OUTPUT with priority NF_IP_PRI_RAW (before every other
// table, and before connection tracking), instantiated in a namespace the
// first time iptables uses it there.
//
// not ported: the raw_before_defrag module parameter (off by default) and
// the CT/NOTRACK target (xt_CT): the table's rules give ACCEPT or DROP
// verdicts, jump and return.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

public static class iptable_raw_c
{
    /// <summary>NF_IP_PRI_RAW (include/uapi/linux/netfilter_ipv4.h).</summary>
    public const int NF_IP_PRI_RAW = -300;

    /// <summary>RAW_VALID_HOOKS: PRE_ROUTING, LOCAL_OUT.</summary>
    private const uint RAW_VALID_HOOKS = (1u << (int)nf_inet_hooks.NF_INET_PRE_ROUTING) | (1u << (int)nf_inet_hooks.NF_INET_LOCAL_OUT);

    // net/ipv4/netfilter/iptable_raw.c: iptable_raw_table_init
    /// <summary>Creates the namespace's raw table (every policy ACCEPT) and registers its hooks.</summary>
    public static int iptable_raw_table_init(net net)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: ipt_alloc_initial_table — the table starts as an object with empty chains and ACCEPT policies,
        //   what the initial blob holds
        var ipv4 = netns_ipv4.of(net);
        if (ipv4.iptable_raw is not null)
        {
            return 0;
        }

        var table = new xt_table("raw", RAW_VALID_HOOKS);
        ipv4.iptable_raw = table;
        return ip_tables_c.ipt_register_table(net, table, NF_IP_PRI_RAW);
    }

    /// <summary>
    /// `iptables -t raw -A CHAIN RULE` in <paramref name="net"/>: CHAIN is
    /// PREROUTING or OUTPUT. Instantiates the table on first use, as the
    /// kernel does when iptables first opens it.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the scenario's iptables -A on the raw table (iptables(8) replaces the table through setsockopt)")]
    public static void iptables_append(net net, string chain, ipt_entry rule)
    {
        iptable_raw_table_init(net);
        var table = netns_ipv4.of(net).iptable_raw!;
        if (table.chains.ContainsKey(chain))
        {
            ip_tables_c.ipt_append_entry(table, chain, rule);
            return;
        }

        ip_tables_c.ipt_append_entry(table, chain_hook(chain), rule);
    }

    /// <summary>`iptables -t raw -N CHAIN`: a user chain.</summary>
    [KernelNet.Annotations.NotInLinux("iptables -N in user space: the port creates the chain directly, not through IPT_SO_SET_REPLACE")]
    public static void iptables_new_chain(net net, string chain)
    {
        iptable_raw_table_init(net);
        ip_tables_c.ipt_new_chain(netns_ipv4.of(net).iptable_raw!, chain);
    }

    /// <summary>The built-in chain's hook.</summary>
    [KernelNet.Annotations.NotInLinux("the scenario's chain name to its hook, as iptables(8) maps it")]
    public static nf_inet_hooks chain_hook(string chain) => chain switch
    {
        "PREROUTING" => nf_inet_hooks.NF_INET_PRE_ROUTING,
        "OUTPUT" => nf_inet_hooks.NF_INET_LOCAL_OUT,
        _ => throw new System.ArgumentException($"iptables: no chain {chain} in the raw table"),
    };
}
