// Ports net/ipv4/igmp.c: the receive side of IGMP (RFC 1112, 2236, 3376) as
// far as a host with no multicast memberships needs it: igmp_rcv takes every
// IPPROTO_IGMP datagram (so none is an unknown protocol), checks its length
// and checksum, and frees it.
//
// not ported: multicast group membership (ip_mc_join_group, the per-device
// ip_mc_list, timers, reports and leaves) — no socket of the port joins a
// group, and igmp_heard_query / igmp_heard_report are not ported either: a
// query or report with a valid checksum is freed as dropped, where 6.18 may
// consume it (generated frames never carry a valid IGMP checksum); PIMv1
// (CONFIG_IP_PIMSM_V1); l3mdev.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class igmp_c
{
    /// <summary>sizeof(struct igmphdr): type, max response code, checksum, group.</summary>
    private const int IGMPHDR_SIZE = 8;

    // net/ipv4/igmp.c: igmp_rcv
    /// <summary>
    /// IPPROTO_IGMP's handler (NET_RX softirq): a datagram shorter than an
    /// IGMP header, or whose checksum over the message is wrong, is freed;
    /// so is every message a host without groups has nothing to do with.
    /// Consumes skb; returns 0 (InDelivers is counted by the caller).
    /// </summary>
    [Consumes("skb")]
    public static int igmp_rcv(sk_buff skb)
    {
        var dev = skb.dev!;

        var in_dev = Include.Linux.inetdevice_h.__in_dev_get_rcu(dev);
        if (in_dev is null)
        {
            goto drop;
        }

        if (!pskb_may_pull(skb, IGMPHDR_SIZE))
        {
            goto drop;
        }

        // skb_checksum_simple_validate: the message's own sum, no pseudo header.
        if (checksum_h.csum_fold(skb_checksum(skb, 0, skb.len, 0)) != 0)
        {
            goto drop;
        }

        // The type switch: queries and reports concern group memberships,
        // which the port does not keep (see the file header); the other
        // types (IGMPv3 reports, DVMRP, PIM, trace, leave) are left alone.
    drop:
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        return 0;
    }
}
