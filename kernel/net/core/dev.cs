// Ports net/core/dev.c: the device layer of both paths — NAPI scheduling and
// polling, net_rx_action, the per-CPU backlog (netif_rx), protocol delivery
// (__netif_receive_skb_core), and transmit (__dev_queue_xmit down to the
// driver's ndo_start_xmit, past the taps: dev_queue_xmit_nit), with
// net_tx_action for what the qdisc deferred.
//
// Receive Packet/Flow Steering: get_rps_cpu picks another CPU's backlog,
// napi_schedule_rps collects the CPUs to kick, net_rps_send_ipi kicks them
// with an IPI (rps_trigger_softirq); Transmit Packet Steering picks the TX
// queue mapped to the sending CPU (get_xps_queue).
//
// not ported: XDP, flow limit, accelerated RFS, busy polling, threaded NAPI,
// tc ingress/egress, rx_handlers (bridge/bond), netpoll; of validate_xmit_skb
// VLAN insertion, GSO and the checksum help (no xfrm).
// departure: __netif_receive_skb_list_core delivers each skb on its own
// (pt_prev->func) instead of batching into ip_list_rcv; the tracepoints and
// the order of delivery are the same.
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.bottom_half_h;
using static KernelNet.Kernel.Include.Linux.irqflags_h;
using static KernelNet.Kernel.Include.Linux.jiffies_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.preempt_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.sch_generic_h;
using static KernelNet.Kernel.Include.Trace.Events.napi_h;
using static KernelNet.Kernel.Include.Trace.Events.net_h;
using static KernelNet.Kernel.Include.Trace.Events.qdisc_h;
using static KernelNet.Kernel.Include.Net.rps_h;
using static KernelNet.Kernel.Kernel.smp_c;
using static KernelNet.Kernel.Kernel.softirq_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Sched.sch_generic_c;
using static KernelNet.Kernel.Include.Net.pkt_sched_h;

namespace KernelNet.Kernel.Net.Core;

public static class dev_c
{
    /// <summary>ETH_P_ALL: a packet_type of this type sees every frame (a tap).</summary>
    public const ushort ETH_P_ALL = 0x0003;

    /// <summary>ptype_base: protocol handlers by ethertype (global, not per namespace).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of the global ptype_base, which the port hangs off Vmlinux")]
    private static List<packet_type> ptype_base(Vmlinux k) => k.globals<dev_globals>().ptype_base;

    // net/core/dev.c: dev_add_pack
    /// <summary>Registers a protocol handler (ip_rcv for ETH_P_IP) or a tap (ETH_P_ALL).</summary>
    public static void dev_add_pack(Vmlinux k, packet_type pt)
    {
        // not ported: ptype_head — only ETH_P_ALL taps and per-protocol handlers on the netns list are kept
        if (pt.type == ETH_P_ALL)
        {
            (pt.dev?.ptype_all ?? pt.af_packet_net?.ptype_all ?? k.init_net.ptype_all).Add(pt);
        }
        else
        {
            (pt.dev?.ptype_specific ?? pt.af_packet_net?.ptype_specific ?? ptype_base(k)).Add(pt);
        }
    }

    // net/core/dev.c: __dev_remove_pack
    /// <summary>Unlinks a handler or tap; a caller that frees it must wait for readers first (dev_remove_pack does).</summary>
    public static void __dev_remove_pack(Vmlinux k, packet_type pt)
    {
        // not ported: ptype_head — only ETH_P_ALL taps and per-protocol handlers on the netns list are kept
        (pt.type == ETH_P_ALL
            ? pt.dev?.ptype_all ?? pt.af_packet_net?.ptype_all ?? k.init_net.ptype_all
            : pt.dev?.ptype_specific ?? pt.af_packet_net?.ptype_specific ?? ptype_base(k)).Remove(pt);
    }

    // net/core/dev.c: dev_remove_pack
    public static void dev_remove_pack(Vmlinux k, packet_type pt)
    {
        // not ported: synchronize_net — no RCU readers to wait for: single-threaded
        __dev_remove_pack(k, pt);

        // synchronize_net(): no reader can be inside the list on one thread.
    }

    // net/core/dev.c: dev_get_by_name
    public static net_device? dev_get_by_name(net net, string name)
    {
        // not ported: dev_get_by_name_rcu, dev_hold — the netns list is searched directly; no device refcounts
        foreach (var d in net.dev_base_head)
        {
            if (d.name == name)
            {
                return d;
            }
        }

        return null;
    }

    // net/core/dev.c: dev_get_by_index
    public static net_device? dev_get_by_index(net net, int ifindex)
    {
        // not ported: dev_get_by_index_rcu, dev_hold — the netns list is searched directly; no device refcounts
        foreach (var d in net.dev_base_head)
        {
            if (d.ifindex == ifindex)
            {
                return d;
            }
        }

        return null;
    }

    // net/core/dev.c: skb_loop_sk
    /// <summary>True when the tap belongs to the socket that sent the skb: a packet socket does not hear its own frames.</summary>
    [Borrows("skb")]
    private static bool skb_loop_sk(packet_type ptype, sk_buff skb)
    {
        if (ptype.af_packet_priv is null || skb.sk is null)
        {
            return false;
        }

        // id_match (fanout groups) is not ported: the owner is the socket itself.
        return ReferenceEquals(ptype.af_packet_priv, skb.sk);
    }

    // net/core/dev.c: dev_nit_active_rcu
    /// <summary>Whether a tap listens on this device: the namespace's ptype_all or the device's own.</summary>
    public static bool dev_nit_active_rcu(net_device dev) =>
        dev.nd_net.ptype_all.Count != 0 || dev.ptype_all.Count != 0;

    // net/core/dev.c: dev_queue_xmit_nit
    /// <summary>
    /// Shows an outgoing frame to the taps, the namespace's first, then the
    /// device's: one clone (PACKET_OUTGOING, MAC header at data) shared by
    /// all of them, each tap but the last taking an extra reference. Taps
    /// that ignore outgoing frames and the sender's own socket are passed by.
    /// The caller keeps <paramref name="skb"/>.
    /// </summary>
    [Borrows("skb")]
    public static void dev_queue_xmit_nit(sk_buff skb, net_device dev)
    {
        // not ported: dev_net_rcu, kfree_skb, skb_orphan_frags_rx, skb_tail_pointer, net_crit_ratelimited — netns read directly; no page frags to orphan; the bad-header case resets without the log line
        packet_type? pt_prev = null;
        sk_buff? skb2 = null;

        // rcu_read_lock(): the ptype lists are read under RCU.
        var ptype_list = dev_net(dev).ptype_all;
    again:
        foreach (var ptype in ptype_list)
        {
            if (ptype.ignore_outgoing)
            {
                continue;
            }

            // a tap's own sends are not looped back to it
            if (skb_loop_sk(ptype, skb))
            {
                continue;
            }

            if (pt_prev is not null)
            {
                deliver_skb(skb2!, pt_prev, skb.dev!);
                pt_prev = ptype;
                continue;
            }

            // Cloned once, for the first tap that wants it.
            skb2 = skb_clone(skb);
            if (skb2 is null)
            {
                goto out_unlock;
            }

            net_timestamp_set(skb2);
            skb_reset_mac_header(skb2);

            // The sender set the network header; a protocol that did not is buggy.
            if (skb_network_header(skb2) < skb2.data || skb_network_header(skb2) > skb2.tail)
            {
                skb_reset_network_header(skb2);
            }

            skb2.transport_header = skb2.network_header;
            skb2.pkt_type = PACKET_OUTGOING;
            pt_prev = ptype;
        }

        if (ptype_list != dev.ptype_all)
        {
            ptype_list = dev.ptype_all;
            goto again;
        }

    out_unlock:
        if (pt_prev is not null)
        {
            // skb_orphan_frags_rx: no page frags, nothing to copy.
            pt_prev.func(skb2!, skb.dev!, pt_prev, skb.dev!);
        }
    }

    // net/core/dev.c: __netif_schedule
    /// <summary>Puts a qdisc on this CPU's output_queue and raises NET_TX_SOFTIRQ (TX-5: the deferral).</summary>
    public static void __netif_schedule(Qdisc q)
    {
        if ((q.state & (1UL << Qdisc.__QDISC_STATE_SCHED)) == 0)
        {
            q.state |= 1UL << Qdisc.__QDISC_STATE_SCHED;
            __netif_reschedule(q);
        }
    }

    // net/core/dev.c: __netif_reschedule
    private static void __netif_reschedule(Qdisc q)
    {
        var k = q.dev_queue.dev.nd_net.k;
        local_irq_save(k, out var flags);
        var sd = k.this_cpu().softnet_data;

        // *sd->output_queue_tailp = q: appended, so qdiscs run in the order they were scheduled
        q.next_sched = null;
        if (sd.output_queue_tail is null)
        {
            sd.output_queue = q;
        }
        else
        {
            sd.output_queue_tail.next_sched = q;
        }

        sd.output_queue_tail = q;
        raise_softirq_irqoff(k, softirq_nr.NET_TX_SOFTIRQ);
        local_irq_restore(k, flags);
    }

    // net/core/dev.c: netif_tx_wake_queue
    /// <summary>The driver restarts a stopped queue: clear XOFF and let NET_TX run its qdisc.</summary>
    public static void netif_tx_wake_queue(netdev_queue dev_queue)
    {
        var xoff = 1UL << netdev_queue.__QUEUE_STATE_DRV_XOFF;
        if ((dev_queue.state & xoff) != 0)
        {
            dev_queue.state &= ~xoff;
            if (dev_queue.qdisc is { } q)
            {
                __netif_schedule(q);
            }
        }
    }

    // net/core/dev.c: dev_kfree_skb_irq_reason
    /// <summary>Frees from hard-IRQ context: the skb waits on completion_queue for net_tx_action.</summary>
    [Consumes("skb")]
    public static void dev_kfree_skb_irq_reason(sk_buff skb, skb_drop_reason reason)
    {
        // not ported: get_kfree_skb_cb, local_irq_save, local_irq_restore — the reason is written into the first four bytes of skb.cb, where struct dev_kfree_skb_cb puts it; single-threaded: no irq masking needed around the completion queue
        var k = skb.k;
        if (!skb_unref(skb))
        {
            return;
        }

        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(skb.cb, (int)reason); // get_kfree_skb_cb(skb)->reason
        var sd = k.this_cpu().softnet_data;

        // pushed at the head: net_tx_action frees the newest first, as 6.18 does
        skb.next = sd.completion_queue;
        sd.completion_queue = skb;
        raise_softirq_irqoff(k, softirq_nr.NET_TX_SOFTIRQ);
    }

    // net/core/dev.c: dev_kfree_skb_any_reason
    /// <summary>Frees from any context: deferred in hard IRQ (or with irqs off), immediate otherwise.</summary>
    [Consumes("skb")]
    public static void dev_kfree_skb_any_reason(sk_buff skb, skb_drop_reason reason)
    {
        var k = skb.k;
        if (in_hardirq(k) || irqs_disabled(k))
        {
            dev_kfree_skb_irq_reason(skb, reason);
        }
        else if (reason == skb_drop_reason.SKB_CONSUMED)
        {
            consume_skb(skb);
        }
        else
        {
            kfree_skb_reason(skb, reason);
        }
    }

    // net/core/dev.c: netdev_stats_to_stats64
    /// <summary>
    /// A driver's own counters (dev->stats) as rtnl_link_stats64. dev->stats
    /// is already that struct here (struct net_device_stats in C), so every
    /// counter is copied except the one net_device_stats lacks, which starts
    /// at zero as the kernel leaves it.
    /// </summary>
    private static void netdev_stats_to_stats64(rtnl_link_stats64 stats64, rtnl_link_stats64 netdev_stats)
    {
        netdev_stats.CopyTo(stats64);
        stats64.rx_nohandler = 0;
        stats64.rx_otherhost_dropped = 0;
    }

    // net/core/dev.c: dev_get_stats
    /// <summary>The device's counters: the driver's (ndo_get_stats64, or dev->stats) plus the core's drops.</summary>
    public static rtnl_link_stats64 dev_get_stats(net_device dev)
    {
        // not ported: dev_get_dstats64, dev_get_tstats64 — no ported driver keeps per-CPU dstats or tstats
        var storage = new rtnl_link_stats64();
        if (dev.netdev_ops.ndo_get_stats64 is { } get)
        {
            get(dev, storage);
        }
        else
        {
            netdev_stats_to_stats64(storage, dev.stats);
        }

        storage.rx_dropped += dev.core_stats.rx_dropped;
        storage.tx_dropped += dev.core_stats.tx_dropped;
        storage.rx_nohandler += dev.core_stats.rx_nohandler;
        storage.rx_otherhost_dropped += dev.core_stats.rx_otherhost_dropped;
        return storage;
    }

    // net/core/dev.c: gso_features_check
    /// <summary>A GSO skb of more segments than the device takes loses every GSO feature (software segmentation then).</summary>
    [Borrows("skb")]
    private static ulong gso_features_check(sk_buff skb, net_device dev, ulong features)
    {
        // not ported: ipv6_has_hopopt_jumbo, skb_gso_has_extension_hdr, skb_header_pointer, skb_inner_network_offset, skb_network_offset, netif_get_gso_max_size, skb_warn_bad_offload — no IPv6 or tunnels: only the gso_max_segs and TCP fixed-ID checks apply
        if (skb.shinfo.gso_segs > dev.gso_max_segs)
        {
            return features & ~netdev_features_h.NETIF_F_GSO_MASK;
        }

        // IPv4 without a fixed ID: the device may not repeat the first segment's ID
        if ((skb.shinfo.gso_type & SKB_GSO_TCP_FIXEDID) == 0)
        {
            features &= ~netdev_features_h.NETIF_F_TSO_MANGLEID;
        }

        return features;
    }

    // net/core/dev.c: harmonize_features
    /// <summary>
    /// A device that cannot sum this protocol's checksum loses every checksum
    /// and segmentation feature for an skb that needs one (the stack then
    /// segments and sums in software).
    /// </summary>
    [Borrows("skb")]
    private static ulong harmonize_features(sk_buff skb, ulong features)
    {
        // not ported: skb_network_protocol's walk past in-data VLAN tags and net_mpls_features — no MPLS,
        // and the port's tagged skbs carry the encapsulated type in skb->protocol when they get here.
        var type = skb.protocol;

        if (skb.ip_summed != CHECKSUM_NONE && !can_checksum_protocol(features, type))
        {
            features &= ~(netdev_features_h.NETIF_F_CSUM_MASK | netdev_features_h.NETIF_F_GSO_MASK);
        }

        // not ported: illegal_highdma — no highmem.
        return features;
    }

    // net/core/dev.c: netif_skb_features
    /// <summary>What the device can do for this skb: its features, narrowed for a GSO skb by gso_features_check, then by harmonize_features for its checksum.</summary>
    [Borrows("skb")]
    [Borrows("skb")]
    public static ulong netif_skb_features(sk_buff skb)
    {
        // not ported: netdev_intersect_features, skb_vlan_tagged — no VLAN features to intersect (no tagged skb reaches a device here)
        var dev = skb.dev!;
        var features = dev.features;
        if (skb_is_gso(skb))
        {
            features = gso_features_check(skb, dev, features);
        }

        // not ported: hw_enc_features (no encapsulation), vlan_features for a tagged skb, ndo_features_check and
        // dflt_features_check — no driver of the port narrows per skb, and no tagged skb reaches a device that would.
        return harmonize_features(skb, features);
    }

    // net/core/dev.c: xmit_one
    /// <summary>
    /// Hands one skb to the driver, with the net_dev_start_xmit/net_dev_xmit
    /// tracepoints around it; taps see it first (dev_queue_xmit_nit), only
    /// when one is registered. The driver takes the skb unless it returns
    /// NETDEV_TX_BUSY; no [Consumes] form says that and lets net_dev_xmit
    /// take the (address of the) skb after the call, so it stays in
    /// skb-ownership-baseline.tsv (KN0012.md).
    /// </summary>
    private static int xmit_one(sk_buff skb, net_device dev, netdev_queue txq)
    {
        if (dev_nit_active_rcu(dev))
        {
            dev_queue_xmit_nit(skb, dev);
        }

        var len = skb.len;
        trace_net_dev_start_xmit(skb, dev);
        var rc = (int)netdev_start_xmit(skb, dev, txq);
        // skb may already be freed by the driver: the tracepoint prints its address only.
        trace_net_dev_xmit(skb, rc, dev, len);
        return rc;
    }

    // net/core/dev.c: dev_hard_start_xmit
    /// <summary>Transmits an skb (lists are not built here); returns null when the driver took it.</summary>
    [Consumes("first")]
    public static sk_buff? dev_hard_start_xmit(sk_buff first, net_device dev, netdev_queue txq, out int ret)
    {
        // not ported: netif_tx_queue_stopped — the list loop checks netif_xmit_stopped, which covers the driver stop bit
        sk_buff? skb = first;
        var rc = (int)netdev_tx_t.NETDEV_TX_OK;
        while (skb is not null)
        {
            var next = skb.next;
            skb_mark_not_on_list(skb);
            rc = xmit_one(skb, dev, txq);
            if (!dev_xmit_complete(rc))
            {
                skb.next = next;
                break;
            }

            skb = next;
            if (skb is not null && netif_xmit_stopped(txq))
            {
                rc = (int)netdev_tx_t.NETDEV_TX_BUSY;
                break;
            }
        }

        ret = rc;
        return skb;
    }

    // net/core/dev.c: validate_xmit_vlan
    /// <summary>
    /// A tag carried beside the data goes into the frame here when the device
    /// cannot insert it (no NETIF_F_HW_VLAN_CTAG_TX/STAG_TX for its TPID);
    /// null when there was no room (the skb is freed).
    /// </summary>
    [Consumes("skb")]
    private static sk_buff? validate_xmit_vlan(sk_buff skb, ulong features)
    {
        if (if_vlan_h.skb_vlan_tag_present(skb) && !if_vlan_h.vlan_hw_offload_capable(features, skb.vlan_proto))
        {
            return if_vlan_h.__vlan_hwaccel_push_inside(skb);
        }

        return skb;
    }

    // net/core/dev.c: skb_checksum_help
    /// <summary>
    /// Does in software what a CHECKSUM_PARTIAL skb asked of the device: sums
    /// from csum_start to the end and writes the folded sum at csum_offset
    /// (all ones for 0); the skb is CHECKSUM_NONE afterwards. A GSO skb is
    /// refused (-EINVAL: its segments are summed when cut).
    /// </summary>
    [Borrows("skb")]
    public static int skb_checksum_help(sk_buff skb)
    {
        uint csum;
        var ret = 0;
        int offset;

        if (skb.ip_summed == CHECKSUM_COMPLETE)
        {
            goto out_set_summed;
        }

        if (skb_is_gso(skb))
        {
            // not ported: skb_warn_bad_offload's report — the port's GSO skbs never get here.
            return -errno_base_h.EINVAL;
        }

        // not ported: skb_frags_readable — no unreadable (devmem) frags in the simulation.

        // A frag someone else may write under us would make the sum stale: copy it in first.
        if (skb_has_shared_frag(skb))
        {
            ret = __skb_linearize(skb);
            if (ret != 0)
            {
                goto @out;
            }
        }

        offset = skb_checksum_start_offset(skb);
        ret = -errno_base_h.EINVAL;
        if (offset >= skb_headlen(skb))
        {
            // not ported: skb_dump and WARN_ONCE (DO_ONCE_LITE) — a kernel log the simulation does not keep.
            goto @out;
        }

        csum = skb_checksum(skb, offset, skb.len - offset, 0);

        offset += skb.csum_offset;
        if (offset + sizeof(ushort) > skb_headlen(skb))
        {
            goto @out;
        }

        ret = skb_ensure_writable(skb, offset + sizeof(ushort));
        if (ret != 0)
        {
            goto @out;
        }

        var folded = checksum_h.csum_fold(csum);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(skb.head.AsSpan(skb.data + offset), folded != 0 ? folded : checksum_h.CSUM_MANGLED_0);
    out_set_summed:
        skb.ip_summed = CHECKSUM_NONE;
    @out:
        return ret;
    }

    // net/core/dev.c: skb_csum_hwoffload_help
    /// <summary>
    /// A CHECKSUM_PARTIAL skb on its way to a device: kept for a device that
    /// sums anything (NETIF_F_HW_CSUM) or TCP/UDP over IPv4 (NETIF_F_IP_CSUM),
    /// summed in software otherwise.
    /// </summary>
    [Borrows("skb")]
    public static int skb_csum_hwoffload_help(sk_buff skb, ulong features)
    {
        // not ported: skb_csum_is_sctp and skb_crc32c_csum_help — no SCTP.
        if ((features & netdev_features_h.NETIF_F_HW_CSUM) != 0)
        {
            return 0;
        }

        if ((features & (netdev_features_h.NETIF_F_IP_CSUM | netdev_features_h.NETIF_F_IPV6_CSUM)) != 0)
        {
            // not ported: vlan_get_protocol, skb_network_header_len, ipv6_has_hopopt_jumbo — no IPv6.
            switch (skb.csum_offset)
            {
                case 16: // offsetof(struct tcphdr, check)
                case 6: // offsetof(struct udphdr, check)
                    return 0;
            }
        }

        return skb_checksum_help(skb);
    }

    // net/core/dev.c: validate_xmit_skb
    /// <summary>
    /// The last check before the driver: a GSO skb the device cannot take
    /// whole is cut into segments here (software GSO), the original consumed.
    /// Returns the skb or the chain of segments, or null when segmentation
    /// failed (the skb is freed and counted in tx_dropped).
    /// </summary>
    [Consumes("skb")]
    public static sk_buff? validate_xmit_skb(sk_buff skb, net_device dev, ref bool again)
    {
        // not ported: validate_xmit_unreadable_skb — no unreadable (devmem) frags: every skb is readable
        // not ported: sk_validate_xmit_skb — no TLS or PSP device offload (sk_validate_xmit_skb is the hook)
        // not ported: kfree_skb — called as kfree_skb_reason with NOT_SPECIFIED, what the wrapper passes (KN0005)
        _ = again;
        var features = netif_skb_features(skb);

        var v = validate_xmit_vlan(skb, features);
        if (v is null)
        {
            goto out_null;
        }

        skb = v;

        if (netif_needs_gso(skb, features))
        {
            var segs = Include.Net.gso_h.skb_gso_segment(skb, features);
            if (segs is null)
            {
                goto out_kfree_skb;
            }

            consume_skb(skb);
            skb = segs;
        }
        else
        {
            // page frags for a device without scatter-gather, a frag_list for one without FRAGLIST: one linear buffer
            if (skb_needs_linearize(skb, features) && __skb_linearize(skb) != 0)
            {
                goto out_kfree_skb;
            }

            // A sum left to a device that cannot do it for this packet is done here.
            if (skb.ip_summed == CHECKSUM_PARTIAL)
            {
                // not ported: skb_set_inner_transport_header — no encapsulation.
                skb_set_transport_header(skb, skb_checksum_start_offset(skb));
                if (skb_csum_hwoffload_help(skb, features) != 0)
                {
                    goto out_kfree_skb;
                }
            }
        }

        // not ported: validate_xmit_xfrm — no IPsec.
        return skb;

    out_kfree_skb:
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
    out_null:
        dev_core_stats_tx_dropped_inc(dev);
        return null;
    }

    // net/core/dev.c: validate_xmit_skb_list
    /// <summary>validate_xmit_skb over a chain: the segments of each skb take its place in the chain.</summary>
    [Consumes("skb")]
    public static sk_buff? validate_xmit_skb_list(sk_buff? skb, net_device dev, ref bool again)
    {
        sk_buff? head = null, tail = null;
        while (skb is not null)
        {
            var next = skb.next;
            skb_mark_not_on_list(skb);

            // an skb GSO leaves whole is its own list
            skb.prev = skb;
            var segs = validate_xmit_skb(skb, dev, ref again);
            if (segs is not null)
            {
                var last = segs.prev ?? segs;
                if (head is null)
                {
                    head = segs;
                }
                else
                {
                    tail!.next = segs;
                }

                // the last segment of this skb: the next one is appended behind it
                tail = last;
            }

            skb = next;
        }

        return head;
    }

    // net/core/dev.c: skb_tx_hash
    /// <summary>
    /// Picks a TX queue without XPS: a forwarded packet keeps the number of
    /// the queue it came in on (folded into the TX queue count), any other
    /// takes its flow hash scaled into the queue count (reciprocal_scale).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [Borrows("skb")]
    private static ushort skb_tx_hash(net_device dev, net_device sb_dev, sk_buff skb)
    {
        // not ported: netdev_get_prio_tc_map — no mqprio traffic classes: one range of queues
        _ = sb_dev;
        ushort qoffset = 0;
        var qcount = (uint)dev.real_num_tx_queues;

        // dev->num_tc: no mqprio traffic classes here, one range of queues
        if (skb_rx_queue_recorded(skb))
        {
            uint hash = skb_get_rx_queue(skb);
            if (hash >= qoffset)
            {
                hash -= qoffset;
            }

            while (hash >= qcount)
            {
                hash -= qcount;
            }

            return (ushort)(hash + qoffset);
        }

        return (ushort)(reciprocal_scale(skb_get_hash(skb), qcount) + qoffset);
    }

    /// <summary>reciprocal_scale (include/linux/math.h): maps a 32-bit value into [0, ep_ro) by a multiply and shift.</summary>
    [KernelNet.Annotations.NotInLinux("reciprocal_scale is include/linux/math.h's inline, kept beside its callers")]
    private static uint reciprocal_scale(uint val, uint ep_ro) => (uint)(((ulong)val * ep_ro) >> 32);

    // net/core/dev.c: __get_xps_queue_idx
    /// <summary>The TX queue XPS picks from one CPU's map: its only queue, or one of several by the flow hash; -1 when none fits.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int __get_xps_queue_idx(net_device dev, sk_buff skb, xps_dev_maps dev_maps, uint tci)
    {
        // not ported: netdev_get_prio_tc_map — no mqprio traffic classes: one range of queues
        // netdev_get_prio_tc_map: one traffic class, tc 0
        var tc = 0;
        var queue_index = -1;
        if (tc >= dev_maps.num_tc || tci >= dev_maps.nr_ids)
        {
            return queue_index;
        }

        tci *= (uint)dev_maps.num_tc;
        tci += (uint)tc;
        if (dev_maps.attr_map[tci] is { } map)
        {
            queue_index = map.Length == 1 ? map[0] : map[reciprocal_scale(skb_get_hash(skb), (uint)map.Length)];
            if (queue_index >= dev.real_num_tx_queues)
            {
                queue_index = -1;
            }
        }

        return queue_index;
    }

    // net/core/dev.c: get_xps_queue
    /// <summary>
    /// Transmit Packet Steering: the queue the sending CPU is mapped to
    /// (tx-N/xps_cpus), or -1 when XPS is off or the CPU has no queue.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int get_xps_queue(net_device dev, net_device sb_dev, sk_buff skb)
    {
        // not ported: sk_rx_queue_get — no XPS by receive queue (xps_rxqs): only CPU maps
        var queue_index = -1;
        if (dev.nd_net.k.net_hotdata.xps_needed == 0)
        {
            return -1;
        }

        // rcu_read_lock(): the maps are replaced under RCU.
        // not ported: XPS_RXQS (xps_rxqs, by the receive queue of the socket) — sk_rx_queue is not kept
        if (sb_dev.xps_cpus_map is { } dev_maps)
        {
            var tci = skb.sender_cpu - 1;
            queue_index = __get_xps_queue_idx(dev, skb, dev_maps, tci);
        }

        return queue_index;
    }

    // net/core/dev.c: netif_set_xps_queue
    /// <summary>
    /// tx-N/xps_cpus: queue <paramref name="index"/> becomes one of the TX
    /// queues of every CPU in <paramref name="mask"/> and stops being one of
    /// the others'. A new map set turns the xps_needed key on; a map left with
    /// no queue at all is removed and turns it off.
    /// </summary>
    public static int netif_set_xps_queue(net_device dev, ulong mask, int index)
    {
        // not ported: __netif_set_xps_queue — the CPU map is written directly: no RX-queue maps or traffic classes
        var k = dev.nd_net.k;

        // __netif_set_xps_queue (XPS_CPUS, one traffic class): copy the old map, then edit the copy (RCU)
        var old = dev.xps_cpus_map;
        var dev_maps = new xps_dev_maps(k.nr_cpu_ids);
        var any = false;
        for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
        {
            var queues = new List<ushort>();
            if (old?.attr_map[cpu] is { } prev)
            {
                queues.AddRange(prev);
            }

            queues.Remove((ushort)index);
            if ((mask & (1UL << cpu)) != 0)
            {
                queues.Add((ushort)index);
            }

            if (queues.Count != 0)
            {
                dev_maps.attr_map[cpu] = queues.ToArray();
                any = true;
            }
        }

        dev.xps_cpus_map = any ? dev_maps : null;
        if (any && old is null)
        {
            k.net_hotdata.xps_needed++;
        }
        else if (!any && old is not null)
        {
            k.net_hotdata.xps_needed--;
        }

        return 0;
    }

    // net/core/dev.c: netdev_pick_tx
    /// <summary>
    /// The socket's recorded queue when it has one, else XPS's or the hash's
    /// choice, recorded in the socket (with a route) so its flow stays on
    /// one queue and its packets in order.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [Borrows("skb")]
    private static ushort netdev_pick_tx(net_device dev, sk_buff skb, net_device? sb_dev)
    {
        var sk = skb.sk;
        var queue_index = Include.Net.sock_h.sk_tx_queue_get(sk);
        sb_dev ??= dev;

        // not ported: skb->ooo_okay (TCP's "nothing in flight, may change queue"): a recorded queue is kept
        if (queue_index < 0 || queue_index >= dev.real_num_tx_queues)
        {
            var new_index = get_xps_queue(dev, sb_dev, skb);
            if (new_index < 0)
            {
                new_index = skb_tx_hash(dev, sb_dev, skb);
            }

            if (queue_index != new_index && sk is not null && Include.Net.sock_h.sk_fullsock(sk) && sk.sk_dst_cache is not null)
            {
                Include.Net.sock_h.sk_tx_queue_set(sk, new_index);
            }

            queue_index = new_index;
        }

        return (ushort)queue_index;
    }

    // net/core/dev.c: netdev_core_pick_tx
    /// <summary>Chooses the TX queue the skb goes out on and records it in queue_mapping; notes the sending CPU for XPS.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    [Borrows("skb")]
    public static netdev_queue netdev_core_pick_tx(net_device dev, sk_buff skb)
    {
        // not ported: netdev_cap_txqueue, raw_smp_processor_id, skb_set_queue_mapping — no ndo_select_queue to cap; the CPU and queue_mapping are written inline
        var k = dev.nd_net.k;
        var queue_index = 0;
        var sender_cpu = skb.sender_cpu - 1;
        if (sender_cpu >= (uint)k.nr_cpu_ids)
        {
            skb.sender_cpu = (uint)k.smp_processor_id() + 1;
        }

        if (dev.real_num_tx_queues != 1)
        {
            // no ndo_select_queue among the ported drivers
            queue_index = netdev_pick_tx(dev, skb, null);
        }

        skb.queue_mapping = (ushort)queue_index;
        return netdev_get_tx_queue(dev, queue_index);
    }

    // net/core/dev.c: dev_qdisc_enqueue
    [Consumes("skb")]
    private static int dev_qdisc_enqueue(sk_buff skb, Qdisc q, netdev_queue txq)
    {
        var rc = q.ops.enqueue(skb, q) & NET_XMIT_MASK;
        if (rc == NET_XMIT_SUCCESS)
        {
            trace_qdisc_enqueue(q, txq, skb);
        }

        return rc;
    }

    // net/core/dev.c: __dev_xmit_skb
    /// <summary>
    /// Through a lockless qdisc (pfifo_fast): an empty, idle queue is bypassed
    /// and the skb goes straight to the driver; otherwise it is enqueued and
    /// the qdisc run in this context (TX-5).
    /// </summary>
    [Consumes("skb")]
    private static int __dev_xmit_skb(sk_buff skb, Qdisc q, net_device dev, netdev_queue txq)
    {
        // not ported: __qdisc_drop, kfree_skb_list_reason, kfree_skb_reason, tcf_get_drop_reason, tcf_set_drop_reason — the to_free list is freed inside dev_qdisc_enqueue; no tc filters set drop reasons
        // not ported: qdisc_calculate_pkt_len, qdisc_lock, qdisc_is_running, qdisc_qlen, smp_processor_id, qdisc_bstats_update, qdisc_bstats_cpu_update — only the lockless (TCQ_F_NOLOCK) branch is ported: pfmemalloc qdiscs have no size tables and bstats are the q.bytes/q.packets writes
        int rc;
        if ((q.flags & TCQ_F_CAN_BYPASS) != 0 && nolock_qdisc_is_empty(q) && qdisc_run_begin(q))
        {
            q.bytes += (ulong)skb.len;
            q.packets++;
            if (sch_direct_xmit(skb, q, dev, txq, true) && !nolock_qdisc_is_empty(q))
            {
                __qdisc_run(q);
            }

            qdisc_run_end(q);
            return NET_XMIT_SUCCESS;
        }

        rc = dev_qdisc_enqueue(skb, q, txq);
        qdisc_run(q);
        return rc;
    }

    // net/core/dev.c: __dev_queue_xmit
    /// <summary>
    /// The transmit entry of every protocol: with BH disabled, pick a TX
    /// queue, then either queue on its qdisc or (noqueue devices such as
    /// veth and loopback) call the driver directly. Consumes the skb.
    /// </summary>
    [Consumes("skb")]
    public static int __dev_queue_xmit(sk_buff skb, net_device? sb_dev)
    {
        // not ported: qdisc_pkt_len_init, skb_dst_force, skb_dst_drop, kfree_skb_list — qdisc_skb_cb pkt_len is not used by the ported qdiscs; dst refs are not counted; a noqueue device's validated list is a single skb
        // not ported: sch_handle_egress, tcx_set_ingress, netdev_xmit_skip_txqueue, netdev_xmit_txqueue_skipped, netdev_tx_queue_mapping, skb_update_prio — no tc egress hook, no netprio cgroup
        // not ported: skb_assert_len, net_crit_ratelimited — debug checks and the "dead loop" log line only
        // not ported: HARD_TX_LOCK, HARD_TX_UNLOCK, netif_tx_owned, dev_xmit_recursion, dev_xmit_recursion_inc, dev_xmit_recursion_dec — single-threaded: the lock is the xmit_lock_owner field and the recursion count is sd.xmit_recursion, written inline
        var dev = skb.dev!;
        var k = dev.nd_net.k;
        int rc;

        skb_reset_mac_header(skb);

        // skb_assert_len: a debug check
        if ((skb.shinfo.tx_flags & (SKBTX_SCHED_TSTAMP | SKBTX_BPF)) != 0)
        {
            skbuff_c.__skb_tstamp_tx(skb, null, null, skb.sk, Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_SCHED);
        }

        // rcu_read_lock_bh(): BH stays off until the packet is handed on.
        local_bh_disable(k);

        var txq = netdev_core_pick_tx(dev, skb);
        var q = txq.qdisc;

        trace_net_dev_queue(skb);
        if (q is not null)
        {
            rc = __dev_xmit_skb(skb, q, dev, txq);
            goto @out;
        }

        // No queue: loopback and the software tunnels/veth.
        if ((dev.flags & net_device.IFF_UP) != 0)
        {
            var cpu = k.smp_processor_id();
            var sd = k.this_cpu().softnet_data;
            if (txq.xmit_lock_owner != cpu)
            {
                if (sd.xmit_recursion > XMIT_RECURSION_LIMIT)
                {
                    goto recursion_alert;
                }

                txq.xmit_lock_owner = cpu;
                var again = false;
                var vskb = validate_xmit_skb(skb, dev, ref again);
                if (vskb is null)
                {
                    txq.xmit_lock_owner = -1;
                    rc = -errno_base_h.ENOMEM;
                    goto @out;
                }

                skb = vskb;
                if (!netif_xmit_stopped(txq))
                {
                    sd.xmit_recursion++;
                    var left = dev_hard_start_xmit(skb, dev, txq, out rc);
                    sd.xmit_recursion--;
                    if (dev_xmit_complete(rc))
                    {
                        txq.xmit_lock_owner = -1;
                        goto @out;
                    }

                    skb = left!;
                }

                txq.xmit_lock_owner = -1;
            }

        recursion_alert:
            ;
        }

        rc = -errno_h.ENETDOWN;
        local_bh_enable(k);
        dev_core_stats_tx_dropped_inc(dev);
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        return rc;

    @out:
        local_bh_enable(k);
        return rc;
    }

    // net/core/dev.c: net_tx_action
    /// <summary>
    /// NET_TX_SOFTIRQ: frees the skbs hard IRQs deferred, then runs the
    /// qdiscs that __netif_schedule queued.
    /// </summary>
    [SoftirqContext]
    private static void net_tx_action(Vmlinux k)
    {
        // not ported: get_kfree_skb_cb, qdisc_lock, xfrm_dev_backlog — the reason is read from the first four bytes of skb.cb (struct dev_kfree_skb_cb); only lockless qdiscs; no xfrm offload
        var sd = k.this_cpu().softnet_data;
        if (sd.completion_queue is not null)
        {
            local_irq_disable(k);
            var clist = sd.completion_queue;
            sd.completion_queue = null;
            local_irq_enable(k);
            while (clist is not null)
            {
                var skb = clist;
                clist = clist.next;
                var reason = (skb_drop_reason)System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(skb.cb); // get_kfree_skb_cb(skb)->reason
                if (reason == skb_drop_reason.SKB_CONSUMED)
                {
                    Include.Trace.Events.skb_h.trace_consume_skb(skb, "net_tx_action");
                }
                else
                {
                    Include.Trace.Events.skb_h.trace_kfree_skb(skb, "net_tx_action", reason, null);
                }

                if (skb.fclone != SKB_FCLONE_UNAVAILABLE)
                {
                    __kfree_skb(skb);
                }
                else
                {
                    __napi_kfree_skb(skb, reason);
                }
            }
        }

        if (sd.output_queue is not null)
        {
            local_irq_disable(k);
            var head = sd.output_queue;
            sd.output_queue = null;
            sd.output_queue_tail = null;
            local_irq_enable(k);
            while (head is not null)
            {
                var q = head;
                head = head.next_sched;
                q.state &= ~(1UL << Qdisc.__QDISC_STATE_SCHED);
                // A lockless qdisc clears MISSED before it runs again.
                q.state &= ~(1UL << Qdisc.__QDISC_STATE_MISSED);
                qdisc_run(q);
            }
        }
    }

    // net/core/dev.c: rfs_slot
    /// <summary>The flow's slot in an RX queue's RFS table.</summary>
    private static uint rfs_slot(uint hash, rps_dev_flow_table flow_table) => hash_h.hash_32(hash, flow_table.log);

    // net/core/dev.c: set_rps_cpu
    /// <summary>Steers the flow to <paramref name="next_cpu"/>, remembering that CPU's backlog head so that a later move waits until this flow's packets there are processed.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void set_rps_cpu(net_device dev, sk_buff skb, rps_dev_flow_table flow_table, uint flow_id, ushort next_cpu, uint hash)
    {
        // not ported: skb_rx_queue_recorded, skb_get_rx_queue, rfs_slot, rps_flow_is_active — accelerated RFS (ndo_rx_flow_steer): no ported NIC steers flows in hardware
        _ = dev;
        _ = skb;
        _ = hash;
        ref var rflow = ref flow_table.flows[flow_id];
        if (next_cpu < dev.nd_net.k.nr_cpu_ids)
        {
            // not ported: accelerated RFS (ndo_rx_flow_steer) — no ported NIC steers flows in hardware
            var head = skb.k.per_cpu(next_cpu).softnet_data.input_queue_head;
            rps_input_queue_tail_save(ref rflow.last_qtail, head);
        }

        rflow.cpu = next_cpu;
    }

    // net/core/dev.c: get_rps_cpu
    /// <summary>
    /// The CPU whose backlog should take this packet, or -1 for "here, now".
    /// RFS first: if the socket table knows the CPU the flow's reader last
    /// ran on, steer there — switching CPUs only once the old CPU has taken
    /// every earlier packet of the flow off its backlog (in-order delivery).
    /// Otherwise RPS: the queue's rps_cpus map indexed by the flow hash. The
    /// flow's RFS entry comes back in <paramref name="flow_table"/>/<paramref name="flow_id"/>
    /// for enqueue_to_backlog to record the queue tail in.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int get_rps_cpu(net_device dev, sk_buff skb, out rps_dev_flow_table? flow_table_out, out uint flow_id_out)
    {
        var k = skb.k;
        var rxqueue = dev._rx[0];
        var cpu = -1;
        flow_table_out = null;
        flow_id_out = 0;

        if (skb_rx_queue_recorded(skb))
        {
            var index = skb_get_rx_queue(skb);
            if (index >= dev.real_num_rx_queues)
            {
                // WARN_ONCE in C when the device has several queues
                goto done;
            }

            rxqueue = dev._rx[index];
        }

        // the hash is computed only when RPS or RFS is on for this queue
        var flow_table = rxqueue.rps_flow_table;
        var map = rxqueue.rps_map;
        if (flow_table is null && map is null)
        {
            goto done;
        }

        skb_reset_network_header(skb);
        var hash = skb_get_hash(skb);
        if (hash == 0)
        {
            goto done;
        }

        var sock_flow_table = k.net_hotdata.rps_sock_flow_table;
        if (flow_table is not null && sock_flow_table is not null)
        {
            // Is the flow in the global table? Its high bits must match.
            var ident = sock_flow_table.ents[hash & sock_flow_table.mask];
            if (((ident ^ hash) & ~k.net_hotdata.rps_cpu_mask) != 0)
            {
                goto try_rps;
            }

            var next_cpu = ident & k.net_hotdata.rps_cpu_mask;

            // The flow is known: look at where this queue last steered it.
            var flow_id = rfs_slot(hash, flow_table);
            uint tcpu = flow_table.flows[flow_id].cpu;

            // Move to the reader's CPU when the current one is unset, or has
            // processed every packet this entry queued there.
            if (tcpu != next_cpu &&
                (tcpu >= (uint)k.nr_cpu_ids ||
                 (int)(k.per_cpu((int)tcpu).softnet_data.input_queue_head - flow_table.flows[flow_id].last_qtail) >= 0))
            {
                tcpu = next_cpu;
                set_rps_cpu(dev, skb, flow_table, flow_id, (ushort)next_cpu, hash);
            }

            // cpu_online: every simulated CPU is online
            if (tcpu < (uint)k.nr_cpu_ids)
            {
                flow_table_out = flow_table;
                flow_id_out = flow_id;
                cpu = (int)tcpu;
                goto done;
            }
        }

    try_rps:
        if (map is not null)
        {
            var tcpu = map.cpus[reciprocal_scale(hash, map.len)];
            cpu = tcpu;
        }

    done:
        return cpu;
    }

    // net/core/dev.c: rps_trigger_softirq
    /// <summary>The RPS IPI on the target CPU (hard IRQ): schedule this CPU's backlog, count received_rps.</summary>
    private static void rps_trigger_softirq(object? data)
    {
        var sd = (softnet_data)data!;
        ____napi_schedule(sd, sd.backlog, sd.backlog.k);
        sd.received_rps++;
    }

    // net/core/dev.c: napi_schedule_rps
    /// <summary>
    /// After the first packet went onto a backlog: our own backlog is NAPI
    /// scheduled here; another CPU's is put on our rps_ipi_list, to be kicked
    /// by an IPI when this CPU's net_rx_action ends (raising NET_RX here if
    /// it is not running).
    /// </summary>
    private static void napi_schedule_rps(softnet_data sd)
    {
        // not ported: use_backlog_threads — no backlog threads
        var k = sd.backlog.k;
        var mysd = k.this_cpu().softnet_data;
        if (sd != mysd)
        {
            // use_backlog_threads(): off (no PREEMPT_RT)
            sd.rps_ipi_next = mysd.rps_ipi_list;
            mysd.rps_ipi_list = sd;

            // not from net_rx_action: raise it, so that the IPIs are sent when it runs
            if (!mysd.in_net_rx_action)
            {
                __raise_softirq_irqoff(k, softirq_nr.NET_RX_SOFTIRQ);
            }

            return;
        }

        __napi_schedule_irqoff(mysd.backlog);
    }

    // net/core/dev.c: enqueue_to_backlog
    /// <summary>
    /// Queues an skb on a CPU's backlog — this CPU's (netif_rx) or another's
    /// (RPS) — and schedules that backlog's NAPI when the queue was empty;
    /// drops with CPU_BACKLOG once netdev_max_backlog is reached. The queue's
    /// new tail goes to <paramref name="qtail"/> (the flow's RFS entry).
    /// </summary>
    [Consumes("skb")]
    private static int enqueue_to_backlog(sk_buff skb, int cpu, ref uint qtail)
    {
        // not ported: backlog_lock_irq_save, backlog_unlock_irq_restore, skb_queue_len_lockless — local_irq_save/preempt_disable stand for the backlog lock; single-threaded, the queue length is read plainly
        var k = skb.k;
        var reason = skb_drop_reason.SKB_DROP_REASON_DEV_READY;
        if (!netif_running(skb.dev!))
        {
            goto bad_dev;
        }

        reason = skb_drop_reason.SKB_DROP_REASON_CPU_BACKLOG;
        var sd = k.per_cpu(cpu).softnet_data;
        var max_backlog = k.net_hotdata.max_backlog;
        var qlen = skb_queue_len(sd.input_pkt_queue);
        if (qlen > max_backlog)
        {
            goto cpu_backlog_drop;
        }

        // backlog_lock_irq_save: irqs off and the queue lock held (the target CPU's).
        local_irq_save(k, out var flags);
        preempt_disable(k);
        qlen = skb_queue_len(sd.input_pkt_queue);

        // not ported: skb_flow_limit (net.core.flow_limit_cpu_bitmap is 0 by default)
        if (qlen <= max_backlog)
        {
            if (qlen == 0 && (sd.backlog.state & napi_struct.NAPIF_STATE_SCHED) == 0)
            {
                // The backlog "device" is scheduled once, by whoever queues first.
                sd.backlog.state |= napi_struct.NAPIF_STATE_SCHED;
                napi_schedule_rps(sd);
            }

            __skb_queue_tail(sd.input_pkt_queue, skb);
            var tail = rps_input_queue_tail_incr(sd);
            preempt_enable(k);
            local_irq_restore(k, flags);

            // the tail is saved outside the lock
            rps_input_queue_tail_save(ref qtail, tail);
            return NET_RX_SUCCESS;
        }

        preempt_enable(k);
        local_irq_restore(k, flags);

    cpu_backlog_drop:
        // numa_drop_add(&sd->drop_counters): softnet_stat's dropped column
        sd.dropped++;

    bad_dev:
        dev_core_stats_rx_dropped_inc(skb.dev!);
        kfree_skb_reason(skb, reason);
        return NET_RX_DROP;
    }

    // net/core/dev.c: net_enable_timestamp
    /// <summary>One more socket wants packets stamped on arrival (the static key's count).</summary>
    public static void net_enable_timestamp(Vmlinux k)
    {
        // not ported: schedule_work — the static key is flipped at once: no jump labels to patch
        // no deferred static-key work: one thread, the count is the key
        k.net_hotdata.netstamp_needed_key++;
    }

    // net/core/dev.c: net_timestamp_set
    /// <summary>A tap's copy of a sent frame gets the time it was seen, when some socket wants timestamps.</summary>
    [Borrows("skb")]
    private static void net_timestamp_set(sk_buff skb)
    {
        skb.tstamp = 0;
        if (skb.k.net_hotdata.netstamp_needed_key > 0)
        {
            // ktime_get_real: the simulation has one clock, the virtual one
            skb.tstamp = skb.k.ktime_get_ns();
        }
    }

    // net/core/dev.c: net_timestamp_check
    /// <summary>net_timestamp_check (a macro in dev.c): stamps a received packet not stamped yet, when wanted and <paramref name="cond"/>.</summary>
    [Borrows("skb")]
    private static void net_timestamp_check(bool cond, sk_buff skb)
    {
        if (skb.k.net_hotdata.netstamp_needed_key > 0 && cond && skb.tstamp == 0)
        {
            skb.tstamp = skb.k.ktime_get_ns();
        }
    }

    // net/core/dev.c: netif_rx_internal
    /// <summary>Queues on a backlog: the CPU RPS/RFS picks when RPS is on anywhere, else this one.</summary>
    [Consumes("skb")]
    [Consumes("skb")]
    private static int netif_rx_internal(sk_buff skb)
    {
        var k = skb.k;
        int ret;
        net_timestamp_check(k.net_hotdata.tstamp_prequeue, skb);
        trace_netif_rx(skb);
        if (k.net_hotdata.rps_needed > 0)
        {
            // rcu_read_lock(): the RPS maps are read under RCU.
            var cpu = get_rps_cpu(skb.dev!, skb, out var flow_table, out var flow_id);
            if (cpu < 0)
            {
                cpu = k.smp_processor_id();
            }

            uint voidflow = 0;
            ret = flow_table is null
                ? enqueue_to_backlog(skb, cpu, ref voidflow)
                : enqueue_to_backlog(skb, cpu, ref flow_table.flows[flow_id].last_qtail);
        }
        else
        {
            uint qtail = 0;
            ret = enqueue_to_backlog(skb, k.smp_processor_id(), ref qtail);
        }

        return ret;
    }

    // net/core/dev.c: is_skb_forwardable
    [Borrows("skb")]
    public static bool is_skb_forwardable(net_device dev, sk_buff skb) => __is_skb_forwardable(dev, skb, true);

    // net/core/dev.c: __dev_forward_skb2
    [Consumes("skb", WhenReturnsNonZero = true)]
    private static int __dev_forward_skb2(net_device dev, sk_buff skb, bool check_mtu)
    {
        // not ported: eth_hdr, skb_postpull_rcsum — eth_type_trans is done by the receiving driver here; no CHECKSUM_COMPLETE to fix up after the pull
        if (____dev_forward_skb(dev, skb, check_mtu) != 0)
        {
            return NET_RX_DROP;
        }

        skb.protocol = Ethernet.eth_c.eth_type_trans(skb, dev);
        return 0;
    }

    // net/core/dev.c: __dev_forward_skb
    /// <summary>Prepares an skb another device sent for this one's receive path (veth); on failure it is freed.</summary>
    [Consumes("skb", WhenReturnsNonZero = true)]
    public static int __dev_forward_skb(net_device dev, sk_buff skb) => __dev_forward_skb2(dev, skb, true);

    // net/core/dev.c: __netif_rx
    /// <summary>netif_rx for callers that already have BH disabled (veth, loopback).</summary>
    [Consumes("skb")]
    public static int __netif_rx(sk_buff skb)
    {
        // not ported: hardirq_count, softirq_count — lockdep_assert_once only
        var k = skb.k;
        trace_netif_rx_entry(skb);
        var ret = netif_rx_internal(skb);
        trace_netif_rx_exit(k, ret);
        return ret;
    }

    // net/core/dev.c: netif_rx
    /// <summary>Hands a received skb to this CPU's backlog, from any context; NET_RX will deliver it.</summary>
    [Consumes("skb")]
    public static int netif_rx(sk_buff skb)
    {
        // not ported: hardirq_count, softirq_count — lockdep_assert_once only
        var k = skb.k;
        var need_bh_off = !(in_hardirq(k) || irqs_disabled(k));
        if (need_bh_off)
        {
            local_bh_disable(k);
        }

        trace_netif_rx_entry(skb);
        var ret = netif_rx_internal(skb);
        trace_netif_rx_exit(k, ret);
        if (need_bh_off)
        {
            local_bh_enable(k);
        }

        return ret;
    }

    // net/core/dev.c: deliver_skb
    /// <summary>Gives a protocol handler or tap its own reference to the skb.</summary>
    [Borrows("skb")]
    private static int deliver_skb(sk_buff skb, packet_type pt_prev, net_device orig_dev)
    {
        // a tap may hold the skb for as long as its reader takes: user pages are copied first
        if (skb_orphan_frags_rx(skb, 0) != 0)
        {
            return -errno_base_h.ENOMEM;
        }

        skb.users++;
        return pt_prev.func(skb, skb.dev!, pt_prev, orig_dev);
    }

    // net/core/dev.c: __netif_receive_skb_core
    /// <summary>
    /// The receive fork: a frame with its 802.1Q/802.1ad tag in the data has
    /// it taken off (skb_vlan_untag); every tap in ptype_all gets the frame
    /// (RX-10: before netfilter); a tagged skb goes to its VLAN device and
    /// round again (vlan_do_receive), or, with no device for a nonzero VID,
    /// is marked PACKET_OTHERHOST (ip_rcv_core drops it) and a VID-0 priority
    /// tag is cleared; then the handler registered for skb.protocol. A frame
    /// nobody wants is dropped with UNHANDLED_PROTO. The last matching
    /// handler is not called here: it comes back in <paramref name="ppt_prev"/>
    /// with the skb (in <paramref name="pskb"/>, which untagging may replace),
    /// for the caller to deliver (so list receive can batch it).
    /// </summary>
    [Consumes("pskb", UnlessSet = nameof(ppt_prev))]
    private static int __netif_receive_skb_core(ref sk_buff? pskb, bool pfmemalloc, out packet_type? ppt_prev)
    {
        // not ported: skb_reset_mac_len, skb_reset_redirect, skb_skip_tc_classify — mac_len is computed inline; no tc redirect or classification
        // not ported: skb_pfmemalloc_protocol, migrate_disable, migrate_enable, dev_net_rcu — no pfmemalloc skbs; one CPU runs the softirq to its end; the netns is read directly
        var skb = pskb!;
        var k = skb.k;
        packet_type? pt_prev = null;
        var ret = NET_RX_DROP;
        var orig_dev = skb.dev!;
        var drop_reason = skb_drop_reason.SKB_DROP_REASON_UNHANDLED_PROTO;
        ppt_prev = null;

        net_timestamp_check(!k.net_hotdata.tstamp_prequeue, skb);
        trace_netif_receive_skb(skb);

        skb_reset_network_header(skb);
        if (!skb_transport_header_was_set(skb))
        {
            skb_reset_transport_header(skb);
        }

        skb.mac_len = (ushort)(skb.network_header - skb.mac_header);

    another_round:
        skb.skb_iif = skb.dev!.ifindex;
        k.this_cpu().softnet_data.processed++;

        // not ported: do_xdp_generic — no XDP.
        if (if_vlan_h.eth_type_vlan(skb.protocol))
        {
            skb = pskb = skb_vlan_untag(skb);
            if (skb is null)
            {
                goto @out;
            }
        }

        foreach (var ptype in skb.dev!.nd_net.ptype_all)
        {
            if (pt_prev is not null)
            {
                ret = deliver_skb(skb, pt_prev, orig_dev);
            }

            pt_prev = ptype;
        }

        foreach (var ptype in skb.dev.ptype_all)
        {
            if (pt_prev is not null)
            {
                ret = deliver_skb(skb, pt_prev, orig_dev);
            }

            pt_prev = ptype;
        }

        // not ported: sch_handle_ingress, nf_ingress — no tc or netfilter ingress hook.
        if (if_vlan_h.skb_vlan_tag_present(skb))
        {
            if (pt_prev is not null)
            {
                ret = deliver_skb(skb, pt_prev, orig_dev);
                pt_prev = null;
            }

            // The machine's kernel is built without 8021q (CONFIG_VLAN_8021Q unset), so its
            // vlan_do_receive is the stub that returns false; the port's finds no device either
            // until a VLAN device is configured on skb->dev.
            if (Net8021q.vlan_core_c.vlan_do_receive(ref pskb))
            {
                skb = pskb!;
                goto another_round;
            }
            else if (pskb is null)
            {
                goto @out;
            }

            skb = pskb;
        }

        // not ported: rx_handler (bridge, bond, macvlan) — none is ported; netdev_uses_dsa is false.
        if (if_vlan_h.skb_vlan_tag_present(skb))
        {
        check_vlan_id:
            if (if_vlan_h.skb_vlan_tag_get_id(skb) != 0)
            {
                // A nonzero VID and no VLAN device took it: not for this host.
                skb.pkt_type = PACKET_OTHERHOST;
            }
            else if (if_vlan_h.eth_type_vlan(skb.protocol))
            {
                // A VID-0 priority tag around another tag: strip the outer one and look at the inner.
                if_vlan_h.__vlan_hwaccel_clear_tag(skb);
                skb = pskb = skb_vlan_untag(skb);
                if (skb is null)
                {
                    goto @out;
                }

                if (Net8021q.vlan_core_c.vlan_do_receive(ref pskb))
                {
                    skb = pskb!;
                    goto another_round;
                }
                else if (pskb is null)
                {
                    goto @out;
                }

                skb = pskb;
                goto check_vlan_id;
            }

            // The priority bits of a tag nobody took are ignored.
            if_vlan_h.__vlan_hwaccel_clear_tag(skb);
        }

        var type = skb.protocol;
        deliver_ptype_list_skb(skb, ref pt_prev, ref ret, orig_dev, type, ptype_base(k));
        deliver_ptype_list_skb(skb, ref pt_prev, ref ret, orig_dev, type, skb.dev!.nd_net.ptype_specific);
        deliver_ptype_list_skb(skb, ref pt_prev, ref ret, orig_dev, type, orig_dev.ptype_specific);
        if (skb.dev != orig_dev)
        {
            deliver_ptype_list_skb(skb, ref pt_prev, ref ret, orig_dev, type, skb.dev.ptype_specific);
        }

        if (pt_prev is not null)
        {
            // The last handler takes the caller's reference: no extra users++.
            ppt_prev = pt_prev;
            return ret;
        }

        // rx_nohandler counts only frames an rx_handler asked to be delivered
        // exactly (RX_HANDLER_EXACT: bonding, macvlan); no rx_handler is
        // ported, so an unclaimed frame is a plain rx_dropped.
        dev_core_stats_rx_dropped_inc(skb.dev);
        kfree_skb_reason(skb, drop_reason);
        pskb = null;
        return NET_RX_DROP;

    @out:
        // The skb was freed where it was given up (pskb is null); every pt_prev was delivered before.
        return ret;
    }

    // net/core/dev.c: deliver_ptype_list_skb
    [Borrows("skb")]
    private static void deliver_ptype_list_skb(sk_buff skb, ref packet_type? pt, ref int ret, net_device orig_dev, ushort type, List<packet_type> ptype_list)
    {
        var pt_prev = pt;
        foreach (var ptype in ptype_list)
        {
            if (ptype.type != type)
            {
                continue;
            }

            if (pt_prev is not null)
            {
                ret = deliver_skb(skb, pt_prev, orig_dev);
            }

            pt_prev = ptype;
        }

        pt = pt_prev;
    }

    // net/core/dev.c: __netif_receive_skb_one_core
    [Consumes("skb")]
    private static int __netif_receive_skb_one_core(sk_buff skb, bool pfmemalloc)
    {
        var orig_dev = skb.dev!;
        sk_buff? pskb = skb;
        var ret = __netif_receive_skb_core(ref pskb, pfmemalloc, out var pt_prev);
        if (pt_prev is not null)
        {
            ret = pt_prev.func(pskb!, pskb!.dev!, pt_prev, orig_dev);
        }

        return ret;
    }

    // not ported: sk_memalloc_socks, skb_pfmemalloc — no swap over the network: no pfmemalloc skbs
    // net/core/dev.c: __netif_receive_skb
    [Consumes("skb")]
    private static int __netif_receive_skb(sk_buff skb) => __netif_receive_skb_one_core(skb, false);

    // net/core/dev.c: __netif_receive_skb_list
    private static void __netif_receive_skb_list(List<sk_buff> head)
    {
        // not ported: sk_memalloc_socks, skb_pfmemalloc — no swap over the network: no pfmemalloc skbs
        foreach (var skb in head)
        {
            __netif_receive_skb_one_core(skb, false);
        }
    }

    // net/core/dev.c: netif_receive_skb_list_internal
    /// <summary>
    /// Delivers a batch GRO passed up (gro_normal_list): with RPS on, each skb
    /// steered to another CPU (or to this CPU's backlog) leaves the batch for
    /// that backlog; the rest are delivered here and now.
    /// </summary>
    public static void netif_receive_skb_list_internal(List<sk_buff> head)
    {
        // not ported: skb_defer_rx_timestamp, skb_list_del_init — no PTP-classifying driver; steered skbs leave the C# List by compaction
        foreach (var skb in head)
        {
            net_timestamp_check(skb.k.net_hotdata.tstamp_prequeue, skb);

            // skb_defer_rx_timestamp: no PTP-classifying driver here
        }

        if (head.Count != 0 && head[0].k.net_hotdata.rps_needed > 0)
        {
            var kept = 0;
            for (var i = 0; i < head.Count; i++)
            {
                var skb = head[i];
                var cpu = get_rps_cpu(skb.dev!, skb, out var flow_table, out var flow_id);
                if (cpu >= 0)
                {
                    // handled by that backlog: out of the list
                    uint voidflow = 0;
                    if (flow_table is null)
                    {
                        enqueue_to_backlog(skb, cpu, ref voidflow);
                    }
                    else
                    {
                        enqueue_to_backlog(skb, cpu, ref flow_table.flows[flow_id].last_qtail);
                    }

                    continue;
                }

                head[kept++] = skb;
            }

            head.RemoveRange(kept, head.Count - kept);
        }

        __netif_receive_skb_list(head);
    }

    // net/core/dev.c: netif_receive_skb_internal
    /// <summary>Delivers now, unless RPS steers the skb to a backlog (another CPU's, or this one's).</summary>
    [Consumes("skb")]
    private static int netif_receive_skb_internal(sk_buff skb)
    {
        // not ported: skb_defer_rx_timestamp — no PTP-classifying driver here
        var k = skb.k;
        net_timestamp_check(k.net_hotdata.tstamp_prequeue, skb);

        // skb_defer_rx_timestamp: no PTP-classifying driver here
        // rcu_read_lock()
        if (k.net_hotdata.rps_needed > 0)
        {
            var cpu = get_rps_cpu(skb.dev!, skb, out var flow_table, out var flow_id);
            if (cpu >= 0)
            {
                uint voidflow = 0;
                return flow_table is null
                    ? enqueue_to_backlog(skb, cpu, ref voidflow)
                    : enqueue_to_backlog(skb, cpu, ref flow_table.flows[flow_id].last_qtail);
            }
        }

        return __netif_receive_skb(skb);
    }

    // net/core/dev.c: netif_receive_skb
    /// <summary>Delivers one skb up the stack now, in the caller's (softirq) context.</summary>
    [Consumes("skb")]
    public static int netif_receive_skb(sk_buff skb)
    {
        var k = skb.k;
        trace_netif_receive_skb_entry(skb);
        var ret = netif_receive_skb_internal(skb);
        trace_netif_receive_skb_exit(k, ret);
        return ret;
    }

    // net/core/dev.c: process_backlog
    /// <summary>
    /// The backlog NAPI's poll: delivers up to <paramref name="quota"/> skbs
    /// from process_queue, refilling it from input_pkt_queue, and completes
    /// itself when both are empty.
    /// </summary>
    [SoftirqContext]
    public static int process_backlog(Vmlinux k, napi_struct napi, int quota)
    {
        // not ported: backlog_lock_irq_disable, backlog_unlock_irq_enable — local_irq_disable/enable stand for the backlog lock
        var sd = k.this_cpu().softnet_data;
        var again = true;
        var work = 0;

        // IPIs this CPU owes others go now rather than at net_rx_action's end.
        if (sd_has_rps_ipi_waiting(sd))
        {
            local_irq_disable(k);
            net_rps_action_and_irq_enable(sd);
        }

        napi.weight = k.net_hotdata.dev_rx_weight;
        while (again)
        {
            while (__skb_dequeue(sd.process_queue) is { } skb)
            {
                __netif_receive_skb(skb);
                CostHooks.ChargeRxPacket(k);
                if (++work >= quota)
                {
                    rps_input_queue_head_add(sd, work);
                    return work;
                }
            }

            local_irq_disable(k);
            if (skb_queue_empty(sd.input_pkt_queue))
            {
                // A custom __napi_complete: only this CPU touches its backlog.
                napi.state = 0;
                again = false;
            }
            else
            {
                skb_queue_splice_tail_init(sd.input_pkt_queue, sd.process_queue);
            }

            local_irq_enable(k);
        }

        if (work != 0)
        {
            rps_input_queue_head_add(sd, work);
        }

        return work;
    }

    // net/core/dev.c: ____napi_schedule
    /// <summary>Puts the NAPI on this CPU's poll list and raises NET_RX unless net_rx_action is already looping.</summary>
    private static void ____napi_schedule(softnet_data sd, napi_struct napi, Vmlinux k)
    {
        // not ported: use_backlog_threads, wake_up_process — no threaded NAPI or backlog threads: every NAPI runs from NET_RX softirq
        sd.poll_list.AddLast(napi.poll_list);
        napi.list_owner = k.smp_processor_id();
        if (!sd.in_net_rx_action)
        {
            raise_softirq_irqoff(k, softirq_nr.NET_RX_SOFTIRQ);
        }
    }

    // net/core/dev.c: __napi_schedule
    public static void __napi_schedule(napi_struct n)
    {
        var k = NapiKernel(n);
        local_irq_save(k, out var flags);
        ____napi_schedule(k.this_cpu().softnet_data, n, k);
        local_irq_restore(k, flags);
    }

    // net/core/dev.c: napi_schedule_prep
    /// <summary>Claims NAPI_STATE_SCHED; if already set, records MISSED so the poller runs once more.</summary>
    public static bool napi_schedule_prep(napi_struct n)
    {
        var val = n.state;
        if ((val & napi_struct.NAPIF_STATE_DISABLE) != 0)
        {
            return false;
        }

        var @new = val | napi_struct.NAPIF_STATE_SCHED;
        if ((val & napi_struct.NAPIF_STATE_SCHED) != 0)
        {
            @new |= napi_struct.NAPIF_STATE_MISSED;
        }

        n.state = @new;
        return (val & napi_struct.NAPIF_STATE_SCHED) == 0;
    }

    // net/core/dev.c: __napi_schedule_irqoff
    public static void __napi_schedule_irqoff(napi_struct n)
    {
        // not ported: __napi_schedule — no PREEMPT_RT: ____napi_schedule is called directly as on non-RT kernels
        var k = NapiKernel(n);
        ____napi_schedule(k.this_cpu().softnet_data, n, k);
    }

    // net/core/dev.c: napi_complete_done
    /// <summary>
    /// The driver is done (work below budget): flush GRO's batch, take the
    /// NAPI off the poll list, clear SCHED — or reschedule at once if an
    /// interrupt came meanwhile (MISSED). True means "re-enable interrupts".
    /// </summary>
    public static bool napi_complete_done(napi_struct n, int work_done)
    {
        // not ported: napi_get_defer_hard_irqs, napi_get_gro_flush_timeout, hrtimer_start, local_irq_save, local_irq_restore — no deferred hard IRQs or GRO flush timer (both 0 by default); single-threaded
        Include.Net.gro_h.gro_flush_normal(n, false);

        if (n.poll_list.List is not null)
        {
            n.poll_list.List.Remove(n.poll_list);
        }

        n.list_owner = -1;
        var val = n.state;
        var @new = val & ~(napi_struct.NAPIF_STATE_MISSED | napi_struct.NAPIF_STATE_SCHED);
        if ((val & napi_struct.NAPIF_STATE_MISSED) != 0)
        {
            @new |= napi_struct.NAPIF_STATE_SCHED;
        }

        n.state = @new;
        if ((val & napi_struct.NAPIF_STATE_MISSED) != 0)
        {
            __napi_schedule(n);
            return false;
        }

        return true;
    }

    // net/core/dev.c: __napi_poll
    /// <summary>Calls the driver's poll with the NAPI's weight; a poll that used its whole weight asks to be polled again.</summary>
    private static int __napi_poll(napi_struct n, ref bool repoll)
    {
        // not ported: napi_complete_done, napi_disable_pending, napi_prefer_busy_poll, napi_schedule, xdp_do_check_flushed — no busy polling, threaded NAPI or XDP; a disabled NAPI is completed through napi_complete
        var k = NapiKernel(n);
        var weight = n.weight;
        var work = 0;
        if (napi_is_scheduled(n))
        {
            work = n.poll(n, weight);
            trace_napi_poll(k, n, work, weight);
        }

        if (work > weight)
        {
            throw new InvalidOperationException($"NAPI poll of {n.dev?.name ?? "backlog"} returned {work}, exceeding its budget of {weight}");
        }

        if (work < weight)
        {
            return work;
        }

        if ((n.state & napi_struct.NAPIF_STATE_DISABLE) != 0)
        {
            napi_complete(n);
            return work;
        }

        // HZ < 1000: flush everything GRO holds before polling again.
        Include.Net.gro_h.gro_flush_normal(n, true);

        if (n.poll_list.List is not null)
        {
            return work;
        }

        repoll = true;
        return work;
    }

    // net/core/dev.c: napi_poll
    private static int napi_poll(napi_struct n, LinkedList<napi_struct> repoll)
    {
        // not ported: napi_is_scheduled — the poll is always of a scheduled NAPI taken off the list; __napi_poll checks it
        var do_repoll = false;
        n.poll_list.List?.Remove(n.poll_list);
        var work = __napi_poll(n, ref do_repoll);
        if (do_repoll)
        {
            repoll.AddLast(n.poll_list);
        }

        return work;
    }

    // net/core/dev.c: skb_defer_free_flush
    /// <summary>Frees the skbs other CPUs consumed but this CPU allocated (napi_consume_skb: consume_skb, location skb_defer_free_flush).</summary>
    private static void skb_defer_free_flush(Vmlinux k)
    {
        var sd = k.this_cpu().softnet_data;
        if (sd.defer_list.qlen == 0)
        {
            return;
        }

        sd.defer_count = 0;
        while (__skb_dequeue(sd.defer_list) is { } skb)
        {
            napi_consume_skb(skb, 1, nameof(skb_defer_free_flush));
        }
    }

    // net/core/dev.c: net_rx_action
    /// <summary>
    /// NET_RX_SOFTIRQ: polls the NAPIs on this CPU's poll list until the
    /// list is empty, netdev_budget packets are done, or netdev_budget_usecs
    /// pass; then counts a time_squeeze and re-raises itself for the rest
    /// (RX-5) — which, if it keeps happening, ksoftirqd runs (RX-6).
    /// </summary>
    [SoftirqContext]
    private static void net_rx_action(Vmlinux k)
    {
        var sd = k.this_cpu().softnet_data;
        var time_limit = k.jiffies + (ulong)usecs_to_jiffies(k.net_hotdata.netdev_budget_usecs);
        var budget = k.net_hotdata.netdev_budget;
        // LIST_HEAD(list), LIST_HEAD(repoll): the softirq's stack is the CPU's pair
        var list = sd.net_rx_action_list;
        var repoll = sd.net_rx_action_repoll;
        System.Diagnostics.Debug.Assert(list.Count == 0 && repoll.Count == 0, "net_rx_action nested on one CPU");

    start:
        sd.in_net_rx_action = true;
        local_irq_disable(k);
        SpliceInit(sd.poll_list, list);
        local_irq_enable(k);

        for (;;)
        {
            skb_defer_free_flush(k);
            if (list.Count == 0)
            {
                if (repoll.Count == 0)
                {
                    sd.in_net_rx_action = false;
                    // ____napi_schedule may have refilled poll_list meanwhile.
                    if (sd.poll_list.Count != 0)
                    {
                        goto start;
                    }

                    if (!sd_has_rps_ipi_waiting(sd))
                    {
                        return;
                    }
                }

                break;
            }

            var n = list.First!.Value;
            budget -= napi_poll(n, repoll);

            // The softirq window is spent: punt. Up to 2 jiffies, an average
            // latency of 1.5/HZ.
            if (budget <= 0 || time_after_eq(k.jiffies, time_limit))
            {
                sd.time_squeeze++;
                break;
            }
        }

        local_irq_disable(k);
        SpliceTailInit(sd.poll_list, list);
        SpliceTailInit(repoll, list);
        SpliceInit(list, sd.poll_list);
        if (sd.poll_list.Count != 0)
        {
            __raise_softirq_irqoff(k, softirq_nr.NET_RX_SOFTIRQ);
        }
        else
        {
            sd.in_net_rx_action = false;
        }

        net_rps_action_and_irq_enable(sd);
    }

    // net/core/dev.c: net_rps_send_ipi
    /// <summary>Kicks each CPU on the list with an IPI that runs rps_trigger_softirq there.</summary>
    private static void net_rps_send_ipi(Vmlinux k, softnet_data? remsd)
    {
        while (remsd is not null)
        {
            var next = remsd.rps_ipi_next;

            // cpu_online: every simulated CPU is online
            smp_call_function_single_async(k, remsd.cpu, remsd.csd!);
            remsd = next;
        }
    }

    // net/core/dev.c: net_rps_action_and_irq_enable
    /// <summary>Entered with irqs off: takes the pending RPS IPIs off this CPU, enables irqs and sends them.</summary>
    private static void net_rps_action_and_irq_enable(softnet_data sd)
    {
        // not ported: use_backlog_threads — no backlog threads
        var k = sd.backlog.k;
        var remsd = sd.rps_ipi_list;
        if (remsd is not null)
        {
            sd.rps_ipi_list = null;
            local_irq_enable(k);

            // the remote CPUs process the packets queued for them
            net_rps_send_ipi(k, remsd);
        }
        else
        {
            local_irq_enable(k);
        }
    }

    // not ported: use_backlog_threads — no backlog threads
    // net/core/dev.c: sd_has_rps_ipi_waiting
    private static bool sd_has_rps_ipi_waiting(softnet_data sd) => sd.rps_ipi_list is not null;

    /// <summary>list_splice_init(from, to): moves all of <paramref name="from"/> to the front of <paramref name="to"/>.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/list.h's list_splice_init over the port's linked list")]
    private static void SpliceInit(LinkedList<napi_struct> from, LinkedList<napi_struct> to)
    {
        var node = from.Last;
        while (node is not null)
        {
            var prev = node.Previous;
            from.Remove(node);
            to.AddFirst(node);
            node = prev;
        }
    }

    /// <summary>list_splice_tail_init(from, to): moves all of <paramref name="from"/> to the back of <paramref name="to"/>.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/list.h's list_splice_tail_init over the port's linked list")]
    private static void SpliceTailInit(LinkedList<napi_struct> from, LinkedList<napi_struct> to)
    {
        while (from.First is { } node)
        {
            from.Remove(node);
            to.AddLast(node);
        }
    }

    [KernelNet.Annotations.NotInLinux("C# accessor: the kernel object a NAPI context belongs to (global in C)")]
    private static Vmlinux NapiKernel(napi_struct n) => n.k;

    // net/core/dev.c: register_netdevice_notifier
    /// <summary>
    /// Adds <paramref name="nb"/> to netdev_chain and replays what it missed:
    /// NETDEV_REGISTER, and NETDEV_UP for running devices, for every device
    /// of every namespace (call_netdevice_register_net_notifiers).
    /// </summary>
    public static int register_netdevice_notifier(Vmlinux k, Func<net_device, int, int> nb)
    {
        // not ported: rtnl_lock, rtnl_unlock, __rtnl_net_lock, __rtnl_net_unlock, for_each_net, for_each_net_continue_reverse, call_netdevice_register_net_notifiers, call_netdevice_unregister_net_notifiers — single-threaded; the replay walks k.nets inline and cannot fail, so there is no rollback
        k.globals<dev_globals>().netdev_chain.Add(nb);
        foreach (var net in k.nets)
        {
            foreach (var dev in net.dev_base_head)
            {
                nb(dev, NETDEV_REGISTER);
                if ((dev.flags & net_device.IFF_UP) != 0)
                {
                    nb(dev, NETDEV_UP);
                }
            }
        }

        return 0;
    }

    // net/core/dev.c: call_netdevice_notifiers
    /// <summary>Tells every netdevice notifier, in the order they registered, that <paramref name="val"/> happened to <paramref name="dev"/>; the first error stops the chain.</summary>
    public static int call_netdevice_notifiers(int val, net_device dev)
    {
        // not ported: call_netdevice_notifiers_extack — no extack: the chain is walked directly
        foreach (var nb in dev.nd_net.k.globals<dev_globals>().netdev_chain)
        {
            var err = nb(dev, val);
            if (err != 0)
            {
                return err;
            }
        }

        return 0;
    }

    // net/core/dev.c: register_netdevice
    /// <summary>
    /// Adds a device to its namespace with a fresh ifindex and the software
    /// offloads (NETIF_F_SOFT_FEATURES: GSO and GRO), gives its queues
    /// the noop qdisc (dev_init_scheduler) and announces it (NETDEV_REGISTER:
    /// IPv4 gives it an in_device then).
    /// </summary>
    public static int register_netdevice(net_device dev)
    {
        // not ported: __netdev_update_features, netdev_do_alloc_pcpu_stats, netdev_do_free_pcpu_stats, netdev_register_kobject, linkwatch_init_dev, netdev_hold, rtmsg_ifinfo, unregister_netdevice_queue — features are set inline; no per-CPU stats, sysfs, linkwatch, refcounts or rtnetlink; registration does not fail
        // not ported: dev_get_valid_name, netdev_name_node_head_alloc, netdev_name_node_free, dev_index_reserve, dev_index_release, list_netdevice — names are given by the caller; the netns hands out ifindex and keeps the device list
        // not ported: netdev_lock, netdev_unlock, netdev_lock_ops, netdev_unlock_ops, netdev_set_addr_lockdep_class, netdev_WARN, add_device_randomness — single-threaded: no instance locks, lockdep or entropy pool
        dev.ifindex = dev.nd_net.dev_new_index();

        // Every device gets the software offloads (GSO, GRO) on, and may turn on the ones off by default.
        dev.hw_features |= netdev_features_h.NETIF_F_SOFT_FEATURES | netdev_features_h.NETIF_F_SOFT_FEATURES_OFF;
        dev.features |= netdev_features_h.NETIF_F_SOFT_FEATURES;
        dev_init_scheduler(dev);
        dev.nd_net.dev_base_head.Add(dev);
        dev.reg_state = NETREG_REGISTERED;
        if ((dev.flags & net_device.IFF_LOOPBACK) != 0)
        {
            dev.nd_net.loopback_dev = dev;
        }

        call_netdevice_notifiers(NETDEV_REGISTER, dev);
        return 0;
    }

    // net/core/dev.c: __dev_open
    /// <summary>Brings a device up: the driver's ndo_open, IFF_UP, and the default qdiscs (dev_activate).</summary>
    private static int __dev_open(net_device dev)
    {
        // not ported: call_netdevice_notifiers_extack, netif_set_up, dev_set_rx_mode, netpoll_poll_disable, netpoll_poll_enable — no NETDEV_PRE_UP notifier user, IFF_UP is set directly, no RX filters to program, no netpoll
        // not ported: add_device_randomness, dev_addr_check, netif_device_present, netdev_ops_assert_locked — no entropy pool, devices are always present with a valid address, no per-device ops lock
        var ret = dev.netdev_ops.ndo_open?.Invoke(dev) ?? 0;
        if (ret != 0)
        {
            return ret;
        }

        dev.flags |= net_device.IFF_UP | net_device.IFF_RUNNING | net_device.IFF_LOWER_UP;
        dev_activate(dev);
        call_netdevice_notifiers(NETDEV_UP, dev); // __dev_notify_flags, from netif_open
        return 0;
    }

    // net/core/dev.c: __netif_set_mtu
    /// <summary>The driver's own MTU change when it has one (one with buffers to resize), else just the field.</summary>
    public static int __netif_set_mtu(net_device dev, int new_mtu)
    {
        if (dev.netdev_ops.ndo_change_mtu is { } change)
        {
            return change(dev, new_mtu);
        }

        dev.mtu = (uint)new_mtu;
        return 0;
    }

    // net/core/dev.c: dev_validate_mtu
    /// <summary>The device's [min_mtu, max_mtu] range; a max_mtu of 0 means no upper bound (lo).</summary>
    public static int dev_validate_mtu(net_device dev, int new_mtu)
    {
        if (new_mtu < 0 || new_mtu < dev.min_mtu)
        {
            return -errno_base_h.EINVAL;
        }

        return dev.max_mtu > 0 && new_mtu > dev.max_mtu ? -errno_base_h.EINVAL : 0;
    }

    // net/core/dev.c: netif_set_mtu
    /// <summary>
    /// `ip link set DEV mtu N`. The NETDEV_PRECHANGEMTU/NETDEV_CHANGEMTU
    /// notifiers are not ported: nothing here caches a device's MTU (routes
    /// read dev.mtu when they are used).
    /// </summary>
    public static int netif_set_mtu(net_device dev, int new_mtu)
    {
        // not ported: netif_set_mtu_ext, net_err_ratelimited — no extack: __netif_set_mtu is called directly
        if (new_mtu == dev.mtu)
        {
            return 0;
        }

        var err = dev_validate_mtu(dev, new_mtu);
        return err != 0 ? err : __netif_set_mtu(dev, new_mtu);
    }

    // net/core/dev.c: netif_open
    /// <summary>`ip link set DEV up`: opens the device unless it is already up.</summary>
    public static int netif_open(net_device dev)
    {
        // not ported: call_netdevice_notifiers, rtmsg_ifinfo — NETDEV_UP is sent from __dev_open; no rtnetlink listeners
        if ((dev.flags & net_device.IFF_UP) != 0)
        {
            return 0;
        }

        return __dev_open(dev);
    }

    // not ported: netpoll_poll_disable, netpoll_poll_enable — no netpoll in the simulation;
    // netdev_ops_assert_locked — one thread, no instance lock.
    // net/core/dev.c: __dev_close_many
    /// <summary>
    /// Takes the devices of <paramref name="head"/> down: NETDEV_GOING_DOWN, their
    /// qdiscs swapped for noop and emptied (dev_deactivate_many), the driver's
    /// ndo_stop, IFF_UP and the running bits cleared. Process context, RTNL held in C.
    /// </summary>
    private static void __dev_close_many(List<net_device> head)
    {
        foreach (var dev in head)
        {
            call_netdevice_notifiers(NETDEV_GOING_DOWN, dev);

            // clear_bit(__LINK_STATE_START): netif_running is IFF_RUNNING here, cleared with IFF_UP below
        }

        dev_deactivate_many(head);

        foreach (var dev in head)
        {
            dev.netdev_ops.ndo_stop?.Invoke(dev);

            // not ported: netif_set_up — the port keeps IFF_UP and the running bits in dev->flags alone: cleared here
            dev.flags &= ~(net_device.IFF_UP | net_device.IFF_RUNNING | net_device.IFF_LOWER_UP);
        }
    }

    // not ported: rtmsg_ifinfo — no rtnetlink listeners in the simulation.
    // net/core/dev.c: netif_close_many
    /// <summary>Closes the devices of <paramref name="head"/> that are up and tells the notifiers NETDEV_DOWN.</summary>
    private static void netif_close_many(List<net_device> head, bool unlink)
    {
        head.RemoveAll(d => (d.flags & net_device.IFF_UP) == 0);
        __dev_close_many(head);
        foreach (var dev in head)
        {
            call_netdevice_notifiers(NETDEV_DOWN, dev);
        }

        if (unlink)
        {
            head.Clear();
        }
    }

    // net/core/dev.c: netif_close
    /// <summary>`ip link set DEV down`: closes the device if it is up (NETDEV_GOING_DOWN, then NETDEV_DOWN).</summary>
    public static void netif_close(net_device dev)
    {
        if ((dev.flags & net_device.IFF_UP) != 0)
        {
            var single = new List<net_device> { dev };
            netif_close_many(single, true);
        }
    }

    // not ported: netdev_for_each_altname, netdev_name_node_del — the port names a device by dev->name only;
    // dev_base_seq_inc — no netlink dump sequence. dev_net is dev.nd_net.
    // net/core/dev.c: unlist_netdevice
    /// <summary>Takes the device off its namespace's lists: no lookup by name or index finds it any more.</summary>
    private static void unlist_netdevice(net_device dev)
    {
        var net = dev.nd_net;
        net.dev_base_head.Remove(dev);
        if (ReferenceEquals(net.loopback_dev, dev))
        {
            net.loopback_dev = null;
        }
    }

    // not ported: netdev_need_ops_lock, netdev_lock, netdev_unlock, netdev_lock_ops, netdev_unlock_ops,
    // netif_close_many_and_unlock, netif_close_many_and_unlock_cond — one thread, no instance locks: every
    // device closes through netif_close_many;
    // flush_all_backlogs, synchronize_net — no RCU readers or other CPUs' backlogs hold a device here;
    // dev_tcx_uninstall, dev_xdp_uninstall, dev_memory_provider_uninstall, netdev_offload_xstats_disable_all,
    // net_shaper_flush_netdev, netdev_rss_contexts_free — no tcx, XDP, memory providers, offload stats, shapers, RSS contexts;
    // rtmsg_ifinfo_build_skb, rtmsg_ifinfo_send — no rtnetlink; dev_uc_flush, dev_mc_flush — no address lists;
    // netdev_name_node_alt_flush, netdev_name_node_free — names are dev->name only; netdev_has_any_upper_dev,
    // netdev_has_any_lower_dev — WARN_ONs; netdev_unregister_kobject — no sysfs; netif_reset_xps_queues_gt — no XPS;
    // netdev_put, net_set_todo — no reference counts or todo list: the garbage collector frees the device
    // once nothing refers to it.
    // net/core/dev.c: unregister_netdevice_many_notify
    /// <summary>
    /// Unregisters the devices of <paramref name="head"/>: closes those up
    /// (netif_close_many), unlists them, shuts their qdiscs down (dev_shutdown),
    /// tells the notifiers NETDEV_UNREGISTER and NETDEV_PRE_UNINIT, and calls the
    /// driver's ndo_uninit. Process context, RTNL held in C.
    /// </summary>
    public static void unregister_netdevice_many_notify(List<net_device> head)
    {
        if (head.Count == 0)
        {
            return;
        }

        head.RemoveAll(d => d.reg_state == NETREG_UNINITIALIZED);

        var close_head = new List<net_device>(head);
        netif_close_many(close_head, true);

        foreach (var dev in head)
        {
            unlist_netdevice(dev);
            dev.reg_state = NETREG_UNREGISTERING;
        }

        foreach (var dev in head)
        {
            dev_shutdown(dev);
            call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
            call_netdevice_notifiers(NETDEV_PRE_UNINIT, dev);
            dev.netdev_ops.ndo_uninit?.Invoke(dev);
        }

        head.Clear();
    }

    // net/core/dev.c: unregister_netdevice_queue
    /// <summary>Unregisters <paramref name="dev"/> now (a null <paramref name="head"/>), or queues it on head for a batch.</summary>
    public static void unregister_netdevice_queue(net_device dev, List<net_device>? head)
    {
        if (head is not null)
        {
            head.Add(dev);
            return;
        }

        var single = new List<net_device> { dev };
        unregister_netdevice_many(single);
    }

    // net/core/dev.c: unregister_netdevice_many
    /// <summary>Unregisters every device of <paramref name="head"/> (no netlink requester to answer).</summary>
    public static void unregister_netdevice_many(List<net_device> head) => unregister_netdevice_many_notify(head);

    // net/core/dev.c: net_dev_init
    /// <summary>Boot-time set-up of the device layer: the backlog NAPIs and the NET_TX/NET_RX softirqs.</summary>
    public static void net_dev_init(Vmlinux k)
    {
        // not ported: skb_queue_head_init, INIT_CSD, net_page_pool_create, page_pool_destroy, xdp_unreg_page_pool, smpboot_register_percpu_thread, use_backlog_threads, net_enable_timestamp — softnet queues are built with their object; no page pools, XDP or backlog threads; timestamps default on
        // not ported: dev_proc_init, netdev_kobject_init, register_pernet_subsys, register_pernet_device, net_dev_struct_check, flush_backlogs_alloc, gro_init — /proc and sysfs are rendered on demand; netns setup is Vmlinux's; no struct layout checks
        for (var i = 0; i < k.nr_cpu_ids; i++)
        {
            var sd = k.per_cpu(i).softnet_data;

            // INIT_CSD(&sd->csd, rps_trigger_softirq, sd)
            sd.csd = new call_single_data_t(rps_trigger_softirq, sd);
        }

        // rps_cpu_mask = roundup_pow_of_two(nr_cpu_ids) - 1
        k.net_hotdata.rps_cpu_mask = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)k.nr_cpu_ids) - 1;

        open_softirq(k, softirq_nr.NET_TX_SOFTIRQ, () => net_tx_action(k));
        open_softirq(k, softirq_nr.NET_RX_SOFTIRQ, () => net_rx_action(k));
    }

    // net/core/dev.c: netif_tx_stop_all_queues
    /// <summary>Stops every TX queue of the device (a driver going down).</summary>
    public static void netif_tx_stop_all_queues(net_device dev)
    {
        // not ported: netdev_get_tx_queue — the queue array is walked directly
        for (var i = 0; i < dev.num_tx_queues; i++)
        {
            netif_tx_stop_queue(dev._txq[i]);
        }
    }
}

/// <summary>net/core/dev.c's globals, one set per kernel (Vmlinux.globals).</summary>
public sealed class dev_globals
{
    /// <summary>ptype_base: the protocol handlers (ip_rcv, arp_rcv) by ethertype.</summary>
    public List<packet_type> ptype_base { get; } = new();

    /// <summary>netdev_chain: the netdevice notifiers (inetdev_event, ...), called on NETDEV_* events.</summary>
    public List<Func<net_device, int, int>> netdev_chain { get; } = new();
}

/// <summary>net/core/dev.h: the core's private inline helpers.</summary>
public static class dev_h
{
    // net/core/dev.h: netif_set_gso_max_segs
    /// <summary>`ip link set DEV gso_max_segs N` (do_setlink): the most segments one GSO packet through the device may carry; sockets read it in sk_setup_caps.</summary>
    public static void netif_set_gso_max_segs(net_device dev, uint segs)
    {
        // WRITE_ONCE: sk_setup_caps reads it without the RTNL lock.
        dev.gso_max_segs = segs;
    }
}
