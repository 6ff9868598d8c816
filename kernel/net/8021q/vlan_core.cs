// Ports net/8021q/vlan_core.c: the part of 802.1Q that lives in the core
// (built in whenever 8021q is configured): vlan_do_receive, which hands a
// tagged frame to its VLAN device, and the lower device's VID list.
//
// not ported: GRO for VLAN frames (vlan_gro_receive), the lower device's VID
// filter (ndo_vlan_rx_add_vid: no ported driver filters), vlan_vids_add_by_dev
// (bonding/team), netpoll.
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.if_vlan_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Net8021q;

public static class vlan_core_c
{
    // net/8021q/vlan_core.c: vlan_do_receive
    /// <summary>
    /// The skb carries a tag beside its data (skb_vlan_untag took it off the
    /// frame, or the NIC did): if the lower device has a VLAN device for that
    /// TPID and VID, the skb becomes that device's — PACKET_OTHERHOST turns
    /// into PACKET_HOST when the frame is for the VLAN device's own address,
    /// skb->priority comes from the ingress map, the tag is cleared, the VLAN
    /// device counts it — and true sends __netif_receive_skb_core round again
    /// (taps and handlers of the VLAN device). False with *skb intact when no
    /// device takes the VID; false with null when the VLAN device is down
    /// (the skb is freed). Softirq.
    /// </summary>
    [KernelNet.Annotations.Borrows("skbp")]
    public static bool vlan_do_receive(ref sk_buff? skbp)
    {
        // not ported: eth_hdr — field accessors: the port reads or sets these fields directly
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        var skb = skbp!;
        var vlan_proto = skb.vlan_proto;
        var vlan_id = skb_vlan_tag_get_id(skb);

        var vlan_dev = vlan_h.vlan_find_dev(skb.dev!, vlan_proto, vlan_id);
        if (vlan_dev is null)
        {
            return false;
        }

        skb = skbp = skb_share_check(skb);
        if (skb is null)
        {
            return false;
        }

        if ((vlan_dev.flags & net_device.IFF_UP) == 0)
        {
            // 6.18 frees it with plain kfree_skb: NOT_SPECIFIED
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            skbp = null;
            return false;
        }

        skb.dev = vlan_dev;
        if (skb.pkt_type == PACKET_OTHERHOST)
        {
            // The lower device thought it was not ours: the VLAN device may have its own address.
            // not ported: ether_addr_equal_64bits — written out as a span comparison of the six bytes
            var h_dest = skb.head.AsSpan(skb_mac_header(skb), Include.Uapi.Linux.if_ether_h.ETH_ALEN);
            if (h_dest.SequenceEqual(vlan_dev.dev_addr))
            {
                skb.pkt_type = PACKET_HOST;
            }
        }

        if ((vlan_dev_priv(vlan_dev).flags & VLAN_FLAG_REORDER_HDR) == 0)
        {
            // Without REORDER_HDR the VLAN device's taps see the tag in the frame again.
            // not ported: netif_is_macvlan_port, netif_is_bridge_port — neither is ported.
            var offset = skb.data - skb_mac_header(skb);
            skb_push(skb, offset);
            skb = skbp = vlan_insert_inner_tag(skb, skb.vlan_proto, skb.vlan_tci, skb.mac_len);
            if (skb is null)
            {
                return false;
            }

            skb_pull(skb, offset + VLAN_HLEN);
            skb_reset_mac_len(skb);
        }

        skb.priority = vlan_c.vlan_get_ingress_priority(vlan_dev, skb.vlan_tci);
        __vlan_hwaccel_clear_tag(skb);

        // this_cpu_ptr(vlan_pcpu_stats), under u64_stats_update_begin: one set here.
        var rx_stats = vlan_dev_priv(vlan_dev);
        rx_stats.rx_packets++;
        rx_stats.rx_bytes += (ulong)skb.len;
        if (skb.pkt_type == PACKET_MULTICAST)
        {
            rx_stats.rx_multicast++;
        }

        return true;
    }

    // net/8021q/vlan_core.c: vlan_dev_real_dev
    /// <summary>The Ethernet device under a stack of VLAN devices.</summary>
    public static net_device vlan_dev_real_dev(net_device dev)
    {
        var ret = vlan_dev_priv(dev).real_dev;
        while (is_vlan_dev(ret))
        {
            ret = vlan_dev_priv(ret).real_dev;
        }

        return ret;
    }

    // net/8021q/vlan_core.c: vlan_dev_vlan_id
    public static ushort vlan_dev_vlan_id(net_device dev) => vlan_dev_priv(dev).vlan_id;

    // net/8021q/vlan_core.c: vlan_dev_vlan_proto
    public static ushort vlan_dev_vlan_proto(net_device dev) => vlan_dev_priv(dev).vlan_proto;

    // not ported: kzalloc — a new vlan_info object (its group and VID list empty)
    // net/8021q/vlan_core.c: vlan_info_alloc
    private static vlan_info vlan_info_alloc(net_device dev) => new(dev);

    // net/8021q/vlan_core.c: __vlan_vid_add
    /// <summary>A new VID on the lower device (the device filter is not programmed: see the file header).</summary>
    private static int __vlan_vid_add(vlan_info vlan_info, ushort proto, ushort vid)
    {
        // not ported: vlan_vid_info_alloc — a VID is a (TPID, VID) key of vid_list with its reference count, not
        //   a vlan_vid_info object
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: vlan_add_rx_filter_info — no ported driver has NETIF_F_HW_VLAN_CTAG_FILTER.
        vlan_info.vid_list[(proto, vid)] = 0;
        return 0;
    }

    // net/8021q/vlan_core.c: vlan_vid_add
    /// <summary>Takes a reference on VID <paramref name="vid"/> of <paramref name="dev"/>, giving it a vlan_info on the first. 0 or -errno.</summary>
    public static int vlan_vid_add(net_device dev, ushort proto, ushort vid)
    {
        // not ported: vlan_vid_info_get — written out as a lookup of (TPID, VID) in vid_list
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // ASSERT_RTNL
        var vlan_info = dev.vlan_info as vlan_info;
        if (vlan_info is null)
        {
            vlan_info = vlan_info_alloc(dev);
            dev.vlan_info = vlan_info;
        }

        if (!vlan_info.vid_list.ContainsKey((proto, vid)))
        {
            var err = __vlan_vid_add(vlan_info, proto, vid);
            if (err != 0)
            {
                return err;
            }
        }

        vlan_info.vid_list[(proto, vid)]++;
        return 0;
    }

    // net/8021q/vlan_core.c: vlan_vid_del
    /// <summary>Drops a reference on the VID; the last one removes it (and the vlan_info, when it was the last VID).</summary>
    public static void vlan_vid_del(net_device dev, ushort proto, ushort vid)
    {
        // not ported: vlan_vid_info_get — written out as a lookup of (TPID, VID) in vid_list
        // not ported: __vlan_vid_del — written out below: the last reference removes the (TPID, VID) key; there is no device filter to unprogram (see the header)
        // not ported: call_rcu — one thread: no locks, RCU grace periods, BH or preemption to guard against
        if (dev.vlan_info is not vlan_info vlan_info || !vlan_info.vid_list.TryGetValue((proto, vid), out var refcount))
        {
            return;
        }

        if (--refcount > 0)
        {
            vlan_info.vid_list[(proto, vid)] = refcount;
            return;
        }

        // __vlan_vid_del
        vlan_info.vid_list.Remove((proto, vid));
        if (vlan_info.vid_list.Count == 0 && vlan_info.grp.nr_vlan_devs == 0)
        {
            dev.vlan_info = null; // vlan_info_rcu_free
        }
    }
}
