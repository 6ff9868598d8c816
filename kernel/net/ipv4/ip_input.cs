// Ports net/ipv4/ip_input.c: receiving IPv4 — header checks, PREROUTING,
// the input route, LOCAL_IN, and delivery to the transport (RX-11).
//
// not ported: list receive (ip_list_rcv: each skb comes through ip_rcv),
// early demux, l3mdev, ip_call_ra_chain (no socket can ask for router alert
// packets: IP_ROUTER_ALERT is not ported, so the chain is always empty).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.dst_metadata_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ipv4.route_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class ip_input_c
{
    // net/ipv4/ip_input.c: ip_protocol_deliver_rcu
    /// <summary>
    /// Raw sockets of the protocol get their clones first (raw_local_deliver);
    /// then iph->protocol's handler takes the skb (RX-11: 6 TCP, 17 UDP,
    /// 1 ICMP). An unknown protocol gets ICMP protocol-unreachable and
    /// IP_NOPROTO — unless a raw socket took it, which makes it delivered.
    /// </summary>
    [Consumes("skb")]
    public static void ip_protocol_deliver_rcu(net net, sk_buff skb, int protocol)
    {
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        // not ported: xfrm4_policy_check — no IPsec (xfrm) or PSP
        var raw = raw_c.raw_local_deliver(skb, protocol);

        var ipprot = net.k.globals<protocol_globals>().inet_protos[protocol];
        if (ipprot is not null)
        {
            if (!ipprot.no_policy)
            {
                // xfrm4_policy_check: no xfrm, every packet passes; the conntrack goes (IGMP's case)
                nf_reset_ct(skb);
            }

            var ret = ipprot.handler(skb);
            if (ret < 0)
            {
                // A handler asking for resubmission to another protocol is not ported.
                return;
            }

            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INDELIVERS);
        }
        else
        {
            if (raw == 0)
            {
                IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INUNKNOWNPROTOS);
                Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH, Include.Uapi.Linux.icmp_h.ICMP_PROT_UNREACH, 0);
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_IP_NOPROTO);
            }
            else
            {
                IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INDELIVERS);
                consume_skb(skb);
            }
        }
    }

    // net/ipv4/ip_input.c: ip_local_deliver_finish
    /// <summary>
    /// After LOCAL_IN: a sender's user pages (MSG_ZEROCOPY over loopback) are
    /// copied before a local socket may hold them (the sender's completion
    /// then says COPIED); pull the IP header (RX-14) and hand the skb to its
    /// transport.
    /// </summary>
    [Consumes("skb")]
    private static int ip_local_deliver_finish(net net, sock? sk, sk_buff skb)
    {
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        if (skb_orphan_frags_rx(skb, 0) != 0)
        {
            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INDISCARDS);
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOMEM);
            return 0;
        }

        // not ported: skb_clear_delivery_time — the port keeps no clock type beside tstamp to clear
        __skb_pull(skb, skb_network_header_len(skb));
        ip_protocol_deliver_rcu(net, skb, ip_hdr(skb).protocol);
        return 0;
    }

    // net/ipv4/ip_input.c: ip_local_deliver
    /// <summary>
    /// The input of local routes: reassemble fragments — the one that
    /// completes a datagram goes on as the whole datagram, the others stop
    /// here — then NF_INET_LOCAL_IN (where INPUT rules act).
    /// </summary>
    [Consumes("skb")]
    public static int ip_local_deliver(sk_buff skb)
    {
        var net = skb.dev!.nd_net;
        if (Include.Net.ip_h.ip_is_fragment(ip_hdr(skb)))
        {
            if (ip_fragment_c.ip_defrag(net, skb, ip_fragment_c.IP_DEFRAG_LOCAL_DELIVER) != 0)
            {
                return 0;
            }
        }

        return NF_HOOK(NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_IN, net, null, skb, skb.dev, null, ip_local_deliver_finish);
    }

    // net/ipv4/ip_input.c: ip_rcv_options
    /// <summary>
    /// A packet with options (ihl above 5): its header is made private
    /// (the options are written to in place), then checked and compiled
    /// into IPCB(skb)->opt; a malformed option is IP_INHDR (InHdrErrors, and
    /// ip_options_compile answered it with parameter problem). A source route
    /// is refused (NOT_SPECIFIED, no counter) unless the device accepts them
    /// (IN_DEV_SOURCE_ROUTE: net.ipv4.conf.all and conf.DEV accept_source_route,
    /// all is 0 in a new namespace); an accepted one goes to ip_options_rcv_srr,
    /// which may give the packet a new route towards the route's next hop.
    /// </summary>
    [Borrows("skb")]
    private static skb_drop_reason ip_rcv_options(sk_buff skb, net_device dev)
    {
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        if (skb_cow(skb, skb_headroom(skb)) != 0)
        {
            IP_INC_STATS(dev.nd_net, ipstats_mib_field.IPSTATS_MIB_INDISCARDS);
            return skb_drop_reason.SKB_DROP_REASON_NOMEM;
        }

        var iph = ip_hdr(skb);
        var opt = IPCB(skb).opt;
        opt.optlen = (iph.ihl * 4) - iphdr.Size;

        if (ip_options_c.ip_options_compile(dev.nd_net, opt, skb) != 0)
        {
            IP_INC_STATS(dev.nd_net, ipstats_mib_field.IPSTATS_MIB_INHDRERRORS);
            return skb_drop_reason.SKB_DROP_REASON_IP_INHDR;
        }

        if (opt.srr != 0)
        {
            var in_dev = Include.Linux.inetdevice_h.__in_dev_get_rcu(dev);
            if (in_dev is not null)
            {
                if (!Include.Linux.inetdevice_h.IN_DEV_SOURCE_ROUTE(in_dev))
                {
                    // not ported: IN_DEV_LOG_MARTIANS, net_info_ratelimited — the kernel log is not modelled (log_martians is 0 by default).
                    return skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
                }
            }

            if (ip_options_c.ip_options_rcv_srr(skb, dev) != 0)
            {
                return skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
            }
        }

        return skb_drop_reason.SKB_NOT_DROPPED_YET;
    }

    // net/ipv4/ip_input.c: ip_rcv_finish_core
    /// <summary>Attaches the input route (ip_route_input_noref) and counts broadcasts; drops with the route's reason.</summary>
    [Consumes("skb", WhenReturns = 1)]
    private static int ip_rcv_finish_core(net net, sk_buff skb, net_device dev)
    {
        // not ported: udp_v4_early_demux — no UDP early demux (see udp.cs's header)
        // not ported: __IP_UPD_PO_STATS — the port uses IP_UPD_PO_STATS
        // not ported: __NET_INC_STATS — the port uses NET_INC_STATS
        // not ported: skb_dst — field accessors: the port reads or sets these fields directly
        // not ported: ip_can_use_hint, ip_route_use_hint — no list receive (the header): a packet never has a hint;
        //   tcp_v4_early_demux, ip_is_fragment — no early demux (the header); __in_dev_get_rcu, IN_DEV_ORCONF — NOPOLICY's
        //   IPSKB_NOPOLICY matters only to xfrm (no xfrm)
        var iph = ip_hdr(skb);
        skb_drop_reason drop_reason;

        if (!skb_valid_dst(skb))
        {
            drop_reason = ip_route_input_noref(skb, iph.daddr, iph.saddr, ip4h_dscp(iph), dev);
            if (drop_reason != skb_drop_reason.SKB_NOT_DROPPED_YET)
            {
                goto drop_error;
            }
        }

        if (iph.ihl > 5)
        {
            drop_reason = ip_rcv_options(skb, dev);
            if (drop_reason != skb_drop_reason.SKB_NOT_DROPPED_YET)
            {
                goto drop;
            }
        }

        var rt = skb_rtable(skb)!;
        if (rt.rt_type == rtn_type.RTN_MULTICAST)
        {
            IP_UPD_PO_STATS(net, ipstats_mib_field.IPSTATS_MIB_INMCASTPKTS, ipstats_mib_field.IPSTATS_MIB_INMCASTOCTETS, skb.len);
        }
        else if (rt.rt_type == rtn_type.RTN_BROADCAST)
        {
            IP_UPD_PO_STATS(net, ipstats_mib_field.IPSTATS_MIB_INBCASTPKTS, ipstats_mib_field.IPSTATS_MIB_INBCASTOCTETS, skb.len);
        }

        return NET_RX_SUCCESS;

    drop:
        kfree_skb_reason(skb, drop_reason);
        return NET_RX_DROP;

    drop_error:
        if (drop_reason == skb_drop_reason.SKB_DROP_REASON_IP_RPFILTER)
        {
            NET_INC_STATS(net, linux_mib_field.LINUX_MIB_IPRPFILTER);
        }

        goto drop;
    }

    // net/ipv4/ip_input.c: ip_rcv_finish
    /// <summary>After PREROUTING: route the packet, then follow the route (dst_input).</summary>
    [Consumes("skb")]
    private static int ip_rcv_finish(net net, sock? sk, sk_buff skb)
    {
        // not ported: l3mdev_ip_rcv — no VRF (l3mdev) devices in the simulation
        var dev = skb.dev!;
        var ret = ip_rcv_finish_core(net, skb, dev);
        if (ret != NET_RX_DROP)
        {
            ret = dst_input(skb);
        }

        return ret;
    }

    // net/ipv4/ip_input.c: ip_rcv_core
    /// <summary>
    /// The RFC 1122 header checks (RX-11): not for us, too short, bad version
    /// or ihl, bad checksum, truncated — each with its drop reason and MIB
    /// counter. Trims link-layer padding and sets the transport header.
    /// Returns the skb to go on with, or null when it was consumed.
    /// </summary>
    [Consumes("skb")]
    private static sk_buff? ip_rcv_core(sk_buff skb, net net)
    {
        // not ported: __IP_ADD_STATS — the port uses IP_ADD_STATS
        // not ported: __IP_INC_STATS — the port uses IP_INC_STATS
        // not ported: __IP_UPD_PO_STATS — the port uses IP_UPD_PO_STATS
        // not ported: iph_totlen — field accessors: the port reads or sets these fields directly
        // not ported: skb_sk_is_prefetched — no BPF programs
        // not ported: pskb_trim_rcsum — pskb_trim: skb->csum is not kept (no CHECKSUM_COMPLETE), and a trim cannot
        //   fail for memory here
        skb_drop_reason drop_reason;
        int len;

        if (skb.pkt_type == PACKET_OTHERHOST)
        {
            netdevice_h.dev_core_stats_rx_otherhost_dropped_inc(skb.dev!);
            drop_reason = skb_drop_reason.SKB_DROP_REASON_OTHERHOST;
            goto drop;
        }

        IP_UPD_PO_STATS(net, ipstats_mib_field.IPSTATS_MIB_INPKTS, ipstats_mib_field.IPSTATS_MIB_INOCTETS, skb.len);

        var shared = skb_share_check(skb);
        if (shared is null)
        {
            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INDISCARDS);
            goto @out;
        }

        skb = shared;
        drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        if (!pskb_may_pull(skb, iphdr.Size))
        {
            goto inhdr_error;
        }

        var iph = ip_hdr(skb);
        if (iph.ihl < 5 || iph.version != 4)
        {
            goto inhdr_error;
        }

        // A GSO skb (veth and lo pass TSO packets up whole) counts as the segments it stands for.
        IP_ADD_STATS(net, ipstats_mib_field.IPSTATS_MIB_NOECTPKTS + (iph.tos & 3), System.Math.Max((ushort)1, skb.shinfo.gso_segs));

        if (!pskb_may_pull(skb, iph.ihl * 4))
        {
            goto inhdr_error;
        }

        iph = ip_hdr(skb);
        if (checksum_h.ip_fast_csum(iph.bytes, iph.ihl) != 0)
        {
            goto csum_error;
        }

        len = iph.tot_len;
        if (skb.len < len)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_PKT_TOO_SMALL;
            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INTRUNCATEDPKTS);
            goto drop;
        }
        else if (len < iph.ihl * 4)
        {
            goto inhdr_error;
        }

        // Ethernet pads short frames: cut the padding off.
        pskb_trim(skb, len);

        iph = ip_hdr(skb);
        skb.transport_header = (ushort)(skb.network_header + iph.ihl * 4);
        IPCB_memset(skb).iif = skb.skb_iif;
        skb_orphan(skb);
        return skb;

    csum_error:
        drop_reason = skb_drop_reason.SKB_DROP_REASON_IP_CSUM;
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_CSUMERRORS);
    inhdr_error:
        if (drop_reason == skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED)
        {
            drop_reason = skb_drop_reason.SKB_DROP_REASON_IP_INHDR;
        }

        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_INHDRERRORS);
    drop:
        kfree_skb_reason(skb, drop_reason);
    @out:
        return null;
    }

    // net/ipv4/ip_input.c: ip_rcv
    /// <summary>ETH_P_IP's packet_type handler: check the header, then NF_INET_PRE_ROUTING -> ip_rcv_finish.</summary>
    [Consumes("skb")]
    public static int ip_rcv(sk_buff skb, net_device dev, packet_type pt, net_device orig_dev)
    {
        var net = dev.nd_net;
        var checkedSkb = ip_rcv_core(skb, net);
        if (checkedSkb is null)
        {
            return NET_RX_DROP;
        }

        return NF_HOOK(NFPROTO_IPV4, nf_inet_hooks.NF_INET_PRE_ROUTING, net, null, checkedSkb, dev, null, ip_rcv_finish);
    }
}
