// Ports net/ipv4/ip_forward.c: a router's path for a packet that is not
// ours — hop limit, path MTU, the FORWARD hook, then out by the route.
//
// not ported: the router alert chain (ip_call_ra_chain: no socket can join
// it), xfrm policy checks (no IPsec), switchdev offload marks,
// LRO (skb_warn_if_lro: no device here aggregates).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Include.Net.route_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class ip_forward_c
{
    // net/ipv4/ip_forward.c: ip_exceeds_mtu
    /// <summary>
    /// Whether a packet may not go out on an MTU of <paramref name="mtu"/>:
    /// it is longer and carries DF (or was reassembled from fragments
    /// longer than that), and it is neither ignore_df nor a GSO packet whose
    /// segments would fit.
    /// </summary>
    [Borrows("skb")]
    private static bool ip_exceeds_mtu(sk_buff skb, uint mtu)
    {
        if (skb.len <= mtu)
        {
            return false;
        }

        if ((ip_hdr(skb).frag_off & Include.Uapi.Linux.ip_h.IP_DF) == 0)
        {
            return false;
        }

        if (IPCB(skb).frag_max_size > mtu)
        {
            return true;
        }

        if (skb.ignore_df)
        {
            return false;
        }

        // a GSO packet (a TSO burst handed over a veth as one skb) passes when each of its segments would fit
        if (skb_is_gso(skb) && Core.gso_c.skb_gso_validate_network_len(skb, mtu))
        {
            return false;
        }

        return true;
    }

    // net/ipv4/ip_forward.c: ip_forward_finish
    /// <summary>After the FORWARD hook: out by the route (ip_output). Consumes skb.</summary>
    [Consumes("skb")]
    private static int ip_forward_finish(net net, sock? sk, sk_buff skb)
    {
        // not ported: consume_skb — only for a packet a switchdev ASIC already forwarded (offload_l3_fwd_mark): no switchdev
        if (IPCB(skb).opt.optlen != 0)
        {
            ip_options_c.ip_forward_options(skb);
        }

        skb.tstamp = 0; // skb_clear_tstamp
        return dst_output(net, sk, skb);
    }

    // net/ipv4/ip_forward.c: ip_forward
    /// <summary>
    /// The input of a forwarding route (NET_RX softirq of the receiving
    /// CPU): a packet whose TTL would reach 0 gets ICMP time exceeded; one
    /// with DF that does not fit the next hop's MTU gets ICMP frag-needed
    /// with that MTU; the rest loses a hop and goes through NF_INET_FORWARD
    /// to ip_forward_finish. Counts ForwDatagrams, InHdrErrors, FragFails.
    /// Consumes skb on every path.
    /// </summary>
    [Consumes("skb")]
    public static int ip_forward(sk_buff skb)
    {
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        // not ported: skb_sec_path, xfrm4_policy_check, xfrm4_route_forward — no IPsec (xfrm) or PSP
        // not ported: SKB_DR, SKB_DR_SET — the reason is a plain variable
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        net net;
        rtable rt;
        uint mtu;

        if (skb.pkt_type != PACKET_HOST)
        {
            goto drop;
        }

        if (skb.sk is not null)
        {
            goto drop;
        }

        // skb_forward_csum: a checksum over the whole packet stops being
        // right once the TTL changes; CHECKSUM_COMPLETE is forgotten.
        if (skb.ip_summed == CHECKSUM_COMPLETE)
        {
            skb.ip_summed = CHECKSUM_NONE;
        }

        net = skb.dev!.nd_net;

        if (ip_hdr(skb).ttl <= 1)
        {
            goto too_many_hops;
        }

        rt = skb_rtable(skb)!;

        // a strict source route allows no gateway between this hop and the next
        if (IPCB(skb).opt.is_strictroute && rt.rt_uses_gateway)
        {
            goto sr_failed;
        }

        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTFORWDATAGRAMS);

        IPCB(skb).flags |= IPSKB_FORWARDED;
        mtu = ip_dst_mtu_maybe_forward(rt, true);
        if (ip_exceeds_mtu(skb, mtu))
        {
            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS);
            Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH, Include.Uapi.Linux.icmp_h.ICMP_FRAG_NEEDED, mtu);
            reason = skb_drop_reason.SKB_DROP_REASON_PKT_TOO_BIG;
            goto drop;
        }

        // The header is about to change: make it ours (a tap may share it).
        if (skb_cow(skb, LL_RESERVED_SPACE(rt.dev!)) != 0)
        {
            goto drop;
        }

        var iph = ip_hdr(skb);
        ip_decrease_ttl(iph);

        // not ported: ip_rt_send_redirect (IPSKB_DOREDIRECT is set by
        // __mkroute_input, but no redirect is sent: see route.cs).
        if (Include.Net.Netns.netns_ipv4.of(net).sysctl_ip_fwd_update_priority)
        {
            skb.priority = rt_tos2priority(iph.tos);
        }

        return NF_HOOK(NFPROTO_IPV4, nf_inet_hooks.NF_INET_FORWARD, net, null, skb, skb.dev, rt.dev, ip_forward_finish);

    sr_failed:
        Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH, Include.Uapi.Linux.icmp_h.ICMP_SR_FAILED, 0);
        goto drop;

    too_many_hops:
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INHDRERRORS);
        Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_TIME_EXCEEDED, Include.Uapi.Linux.icmp_h.ICMP_EXC_TTL, 0);
        reason = skb_drop_reason.SKB_DROP_REASON_IP_INHDR;
    drop:
        kfree_skb_reason(skb, reason);
        return NET_RX_DROP;
    }
}
