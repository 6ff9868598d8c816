// Ports net/netfilter/xt_nat.c: the SNAT and DNAT targets (revision 2: a
// struct nf_nat_range2 as the rule's data), "--to-source ADDR[:PORTS]" and
// "--to-destination ADDR[:PORTS]".
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class xt_nat_c
{
    // net/netfilter/xt_nat.c: xt_nat_checkentry
    /// <summary>A NAT rule takes conntrack for the namespace.</summary>
    private static int xt_nat_checkentry(xt_tgchk_param par) => nf_conntrack_proto_c.nf_ct_netns_get(par.net, par.family);

    // net/netfilter/xt_nat.c: xt_nat_destroy
    private static void xt_nat_destroy(xt_tgchk_param par) => nf_conntrack_proto_c.nf_ct_netns_put(par.net, par.family);

    // net/netfilter/xt_nat.c: xt_snat_target_v2
    /// <summary>Maps the new connection's source into the range.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static uint xt_snat_target_v2(sk_buff skb, xt_action_param par)
    {
        var ct = nf_ct_get(skb, out _)!;
        return nf_nat_core_c.nf_nat_setup_info(ct, (nf_nat_range2)par.targinfo!, nf_nat_manip_type.NF_NAT_MANIP_SRC);
    }

    // net/netfilter/xt_nat.c: xt_dnat_target_v2
    /// <summary>Maps the new connection's destination into the range.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static uint xt_dnat_target_v2(sk_buff skb, xt_action_param par)
    {
        var ct = nf_ct_get(skb, out _)!;
        return nf_nat_core_c.nf_nat_setup_info(ct, (nf_nat_range2)par.targinfo!, nf_nat_manip_type.NF_NAT_MANIP_DST);
    }

    /// <summary>The SNAT target: nat table, POST_ROUTING and LOCAL_IN.</summary>
    public static readonly xt_target snat_reg = new()
    {
        name = "SNAT",
        target = xt_snat_target_v2,
        checkentry = xt_nat_checkentry,
        destroy = xt_nat_destroy,
        table = "nat",
        hooks = (1u << (int)nf_inet_hooks.NF_INET_POST_ROUTING) | (1u << (int)nf_inet_hooks.NF_INET_LOCAL_IN),
    };

    /// <summary>The DNAT target: nat table, PRE_ROUTING and LOCAL_OUT.</summary>
    public static readonly xt_target dnat_reg = new()
    {
        name = "DNAT",
        target = xt_dnat_target_v2,
        checkentry = xt_nat_checkentry,
        destroy = xt_nat_destroy,
        table = "nat",
        hooks = (1u << (int)nf_inet_hooks.NF_INET_PRE_ROUTING) | (1u << (int)nf_inet_hooks.NF_INET_LOCAL_OUT),
    };
}
