// Ports net/ipv4/netfilter/iptable_mangle.c: the "mangle" table, hooked at
// all five hooks with priority NF_IP_PRI_MANGLE (after conntrack, before
// NAT's DNAT), instantiated in a namespace the first time iptables uses it.
//
// not ported: the re-route of ipt_mangle_out (ip_route_me_harder when a rule
// changed the mark, TOS or addresses) — no target here changes them, so the
// packet's route always stays valid.
// not ported: ipt_alloc_initial_table — a table starts as an object with empty
// chains and ACCEPT policies, what the initial blob holds.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

public static class iptable_mangle_c
{
    /// <summary>MANGLE_VALID_HOOKS: every hook.</summary>
    private const uint MANGLE_VALID_HOOKS = (1u << (int)nf_inet_hooks.NF_INET_NUMHOOKS) - 1;

    /// <summary>The namespace's mangle table, once created.</summary>
    [NotInLinux("xt_find_table for the mangle table")]
    public static xt_table? mangle_table(net net) => net.gen.TryGetValue("iptable_mangle", out var o) ? (xt_table)o : null;

    // not ported: ip_hdr, NF_DROP_ERR — the saved addresses, TOS and mark feed only the re-route (see the header)
    // net/ipv4/netfilter/iptable_mangle.c: ipt_mangle_out
    /// <summary>LOCAL_OUT: the table's verdict (the re-route it may need is not ported; see the file header).</summary>
    [Borrows("skb")]
    private static uint ipt_mangle_out(sk_buff skb, nf_hook_state state, object? priv) => ip_tables_c.ipt_do_table(priv, skb, state);

    // net/ipv4/netfilter/iptable_mangle.c: iptable_mangle_hook
    /// <summary>The mangle table's hook function.</summary>
    [Borrows("skb")]
    private static uint iptable_mangle_hook(object? priv, sk_buff skb, nf_hook_state state) =>
        state.hook == nf_inet_hooks.NF_INET_LOCAL_OUT ? ipt_mangle_out(skb, state, priv) : ip_tables_c.ipt_do_table(priv, skb, state);

    // net/ipv4/netfilter/iptable_mangle.c: iptable_mangle_table_init
    /// <summary>Creates the namespace's mangle table (every policy ACCEPT) and registers its hooks.</summary>
    public static int iptable_mangle_table_init(net net)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        if (mangle_table(net) is not null)
        {
            return 0;
        }

        var table = new xt_table("mangle", MANGLE_VALID_HOOKS);
        net.gen["iptable_mangle"] = table;
        return ip_tables_c.ipt_register_table(net, table, netfilter_ipv4_h.NF_IP_PRI_MANGLE, iptable_mangle_hook);
    }

    /// <summary>`iptables -t mangle -A CHAIN RULE` (a built-in chain or a user chain).</summary>
    [NotInLinux("what `iptables -t mangle -A` achieves through IPT_SO_SET_REPLACE")]
    public static void iptables_append(net net, string chain, ipt_entry rule)
    {
        iptable_mangle_table_init(net);
        var table = mangle_table(net)!;
        if (iptable_nat_c.chain_hook(chain) is { } hook)
        {
            ip_tables_c.ipt_append_entry(table, hook, rule);
        }
        else if (chain == "FORWARD")
        {
            ip_tables_c.ipt_append_entry(table, nf_inet_hooks.NF_INET_FORWARD, rule);
        }
        else
        {
            ip_tables_c.ipt_append_entry(table, chain, rule);
        }
    }

    /// <summary>`iptables -t mangle -N CHAIN`.</summary>
    [NotInLinux("what `iptables -t mangle -N` achieves")]
    public static void iptables_new_chain(net net, string chain)
    {
        iptable_mangle_table_init(net);
        ip_tables_c.ipt_new_chain(mangle_table(net)!, chain);
    }
}
