// Ports net/netfilter/xt_MASQUERADE.c: "-t nat -A POSTROUTING -j MASQUERADE"
// (with an optional --to-ports range).
//
// not ported: the IPv6 target.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

namespace KernelNet.Kernel.Net.Netfilter;

public static class xt_MASQUERADE_c
{
    // net/netfilter/xt_MASQUERADE.c: masquerade_tg_check
    /// <summary>No fixed address may be given; the rule takes conntrack for the namespace.</summary>
    private static int masquerade_tg_check(xt_tgchk_param par)
    {
        var range = (nf_nat_range2)par.targinfo!;
        if ((range.flags & nf_nat_h.NF_NAT_RANGE_MAP_IPS) != 0)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        return nf_conntrack_proto_c.nf_ct_netns_get(par.net, par.family);
    }

    // net/netfilter/xt_MASQUERADE.c: masquerade_tg
    [KernelNet.Annotations.Borrows("skb")]
    private static uint masquerade_tg(sk_buff skb, xt_action_param par)
    {
        // not ported: xt_hooknum, xt_out — field accessors: the port reads or sets these fields directly
        var mr = (nf_nat_range2)par.targinfo!;
        var range = new nf_nat_range2 { flags = mr.flags, min_proto = mr.min_proto, max_proto = mr.max_proto };
        return nf_nat_masquerade_c.nf_nat_masquerade_ipv4(skb, par.hooknum, range, par.state.@out!);
    }

    // net/netfilter/xt_MASQUERADE.c: masquerade_tg_destroy
    private static void masquerade_tg_destroy(xt_tgchk_param par) => nf_conntrack_proto_c.nf_ct_netns_put(par.net, par.family);

    /// <summary>masquerade_tg_reg: table nat, hook POST_ROUTING.</summary>
    public static readonly xt_target masquerade_tg_reg = new()
    {
        name = "MASQUERADE",
        target = masquerade_tg,
        checkentry = masquerade_tg_check,
        destroy = masquerade_tg_destroy,
        table = "nat",
        hooks = 1u << (int)nf_inet_hooks.NF_INET_POST_ROUTING,
    };
}
