// Ports net/ipv4/netfilter/iptable_nat.c: the "nat" table. It has no hooks
// of its own: its chains (PREROUTING, INPUT, OUTPUT, POSTROUTING) are
// registered as lookups of NAT's hooks (nf_nat_ipv4_register_fn), which run
// them only for the first packet of a connection; its targets (SNAT, DNAT,
// MASQUERADE) set up the connection's mapping. Instantiated in a namespace
// the first time iptables uses it there. Creating the table loads NAT's
// hooks, not conntrack: the NAT targets take conntrack when they go in.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using static KernelNet.Kernel.Include.Linux.netfilter_h;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

public static class iptable_nat_c
{
    /// <summary>The nat table's valid hooks: PRE_ROUTING, POST_ROUTING, LOCAL_OUT, LOCAL_IN.</summary>
    private const uint NAT_VALID_HOOKS = (1u << (int)nf_inet_hooks.NF_INET_PRE_ROUTING) | (1u << (int)nf_inet_hooks.NF_INET_POST_ROUTING) |
                                         (1u << (int)nf_inet_hooks.NF_INET_LOCAL_OUT) | (1u << (int)nf_inet_hooks.NF_INET_LOCAL_IN);

    /// <summary>The namespace's nat table (xt_find_table(net, NFPROTO_IPV4, "nat")), once created.</summary>
    [NotInLinux("xt_find_table for the nat table")]
    public static xt_table? nat_table(net net) => net.gen.TryGetValue("iptable_nat", out var o) ? (xt_table)o : null;

    // net/ipv4/netfilter/iptable_nat.c: ipt_nat_register_lookups
    /// <summary>Adds the table's chain at each of its hooks to NAT's lookups, at the NAT priorities.</summary>
    private static int ipt_nat_register_lookups(net net)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: net_generic — field accessors: the port reads or sets these fields directly
        // not ported: xt_find_table — the table is the namespace's field (nat_table)
        // not ported: nf_nat_ipv4_unregister_fn — the failure path: registering a lookup cannot fail here
        var table = nat_table(net)!;
        var ops = new[]
        {
            new nf_hook_ops(ip_tables_c.ipt_do_table, NFPROTO_IPV4, nf_inet_hooks.NF_INET_PRE_ROUTING, netfilter_ipv4_h.NF_IP_PRI_NAT_DST, table),
            new nf_hook_ops(ip_tables_c.ipt_do_table, NFPROTO_IPV4, nf_inet_hooks.NF_INET_POST_ROUTING, netfilter_ipv4_h.NF_IP_PRI_NAT_SRC, table),
            new nf_hook_ops(ip_tables_c.ipt_do_table, NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_OUT, netfilter_ipv4_h.NF_IP_PRI_NAT_DST, table),
            new nf_hook_ops(ip_tables_c.ipt_do_table, NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_IN, netfilter_ipv4_h.NF_IP_PRI_NAT_SRC, table),
        };
        foreach (var o in ops)
        {
            var ret = Net.Netfilter.nf_nat_proto_c.nf_nat_ipv4_register_fn(net, o);
            if (ret != 0)
            {
                return ret;
            }

            table.ops.Add(o);
        }

        return 0;
    }

    // net/ipv4/netfilter/iptable_nat.c: iptable_nat_table_init
    /// <summary>Creates the namespace's nat table (every policy ACCEPT) and its NAT lookups.</summary>
    public static int iptable_nat_table_init(net net)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: ipt_alloc_initial_table — the table starts as an object with empty chains and ACCEPT policies,
        //   what the initial blob holds; ipt_unregister_table_exit — the failure path: nothing here can fail
        if (nat_table(net) is not null)
        {
            return 0;
        }

        var table = new xt_table("nat", NAT_VALID_HOOKS);
        net.gen["iptable_nat"] = table;
        ip_tables_c.ipt_register_table(net, table, 0, null);
        return ipt_nat_register_lookups(net);
    }

    /// <summary>`iptables -t nat -A CHAIN RULE` (PREROUTING, INPUT, OUTPUT, POSTROUTING, or a user chain).</summary>
    [NotInLinux("what `iptables -t nat -A` achieves through IPT_SO_SET_REPLACE")]
    public static void iptables_append(net net, string chain, ipt_entry rule)
    {
        iptable_nat_table_init(net);
        var table = nat_table(net)!;
        if (chain_hook(chain) is { } hook)
        {
            ip_tables_c.ipt_append_entry(table, hook, rule);
        }
        else
        {
            ip_tables_c.ipt_append_entry(table, chain, rule);
        }
    }

    /// <summary>`iptables -t nat -N CHAIN`.</summary>
    [NotInLinux("what `iptables -t nat -N` achieves")]
    public static void iptables_new_chain(net net, string chain)
    {
        iptable_nat_table_init(net);
        ip_tables_c.ipt_new_chain(nat_table(net)!, chain);
    }

    /// <summary>The built-in chain's hook, or null for a user chain.</summary>
    [NotInLinux("iptables' chain names")]
    public static nf_inet_hooks? chain_hook(string chain) => chain switch
    {
        "PREROUTING" => nf_inet_hooks.NF_INET_PRE_ROUTING,
        "INPUT" => nf_inet_hooks.NF_INET_LOCAL_IN,
        "OUTPUT" => nf_inet_hooks.NF_INET_LOCAL_OUT,
        "POSTROUTING" => nf_inet_hooks.NF_INET_POST_ROUTING,
        _ => null,
    };
}
