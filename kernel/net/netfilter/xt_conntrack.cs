// Ports net/netfilter/xt_conntrack.c: "-m conntrack --ctstate", matching the
// packet's relation to its connection (NEW, ESTABLISHED, RELATED, INVALID,
// UNTRACKED, and the virtual SNAT/DNAT states).
//
// not ported: the tuple, status, expiry and direction parts of the match
// (--ctorigsrc, --ctstatus, --ctexpire, ...): no scenario uses them.
// not ported: conntrack_mt_origsrc, conntrack_mt_origdst, conntrack_mt_replsrc, conntrack_mt_repldst,
//   ct_proto_port_check, ct_proto_port_check_v3, nf_ct_expires — those parts: the match info carries the state
//   mask only
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.xt_conntrack_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class xt_conntrack_c
{
    // net/netfilter/xt_conntrack.c: conntrack_mt
    /// <summary>The packet's state bit (INVALID without a conntrack) against the rule's mask, inverted by "!".</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool conntrack_mt(sk_buff skb, xt_conntrack_mtinfo info, ushort state_mask)
    {
        // not ported: CTINFO2DIR, xt_family — field accessors: the port reads or sets these fields directly
        var ct = nf_ct_get(skb, out var ctinfo);
        ushort statebit;
        if (ct is not null)
        {
            statebit = XT_CONNTRACK_STATE_BIT(ctinfo);
        }
        else if (ctinfo == ip_conntrack_info.IP_CT_UNTRACKED)
        {
            statebit = XT_CONNTRACK_STATE_UNTRACKED;
        }
        else
        {
            statebit = XT_CONNTRACK_STATE_INVALID;
        }

        if ((info.match_flags & XT_CONNTRACK_STATE) != 0)
        {
            if (ct is not null)
            {
                if ((ct.status & IPS_SRC_NAT) != 0)
                {
                    statebit |= XT_CONNTRACK_STATE_SNAT;
                }

                if ((ct.status & IPS_DST_NAT) != 0)
                {
                    statebit |= XT_CONNTRACK_STATE_DNAT;
                }
            }

            if (((state_mask & statebit) != 0) ^ ((info.invert_flags & XT_CONNTRACK_STATE) == 0))
            {
                return false;
            }
        }

        if (ct is null)
        {
            return (info.match_flags & XT_CONNTRACK_STATE) != 0;
        }

        return true;
    }

    // net/netfilter/xt_conntrack.c: conntrack_mt_v3
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("skb")]
    public static bool conntrack_mt_v3(sk_buff skb, xt_conntrack_mtinfo info) => conntrack_mt(skb, info, info.state_mask);

    // net/netfilter/xt_conntrack.c: conntrack_mt_check
    /// <summary>The rule needs conntrack in its namespace: nf_ct_netns_get.</summary>
    public static int conntrack_mt_check(net net, xt_conntrack_mtinfo info)
    {
        _ = info;
        return nf_conntrack_proto_c.nf_ct_netns_get(net, Include.Linux.netfilter_h.NFPROTO_IPV4);
    }
}
