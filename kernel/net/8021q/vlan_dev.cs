// Ports net/8021q/vlan_dev.c: the VLAN device itself (eth0.10) — its set-up,
// its header ops, and its transmit, which tags the frame and hands it to the
// lower device.
//
// not ported: the egress priority map (the PCP sent is 0; no egress-qos-map
// in the simulation), ethtool and stats64 ops (the counters are kept in
// vlan_dev_priv), netpoll, MAC address filtering on the lower device
// (vlan_dev_open's dev_uc_add: ported devices receive every unicast frame
// eth_type_trans classifies), carrier and operstate, GSO/checksum feature
// negotiation beyond copying the lower device's (vlan_dev_fix_features).
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.if_vlan_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;

namespace KernelNet.Kernel.Net.Net8021q;

public static class vlan_dev_c
{
    // net/8021q/vlan_dev.c: vlan_dev_hard_header
    /// <summary>
    /// header_ops->create over a lower device that cannot insert tags: with
    /// REORDER_HDR (the default) the header is a plain Ethernet one and the
    /// tag goes beside the data at transmit; without it the tag is written
    /// here, in front of the payload. The source is the VLAN device's address.
    /// </summary>
    [Borrows("skb")]
    private static int vlan_dev_hard_header(sk_buff skb, net_device dev, ushort type, byte[]? daddr, byte[]? saddr, int len)
    {
        var vlan = vlan_dev_priv(dev);
        var vhdrlen = 0;

        if ((vlan.flags & VLAN_FLAG_REORDER_HDR) == 0)
        {
            var at = Core.skbuff_c.skb_push(skb, VLAN_HLEN);
            var vlan_tci = (ushort)(vlan.vlan_id | vlan_dev_get_egress_qos_mask(dev, skb.priority));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(skb.head.AsSpan(at), vlan_tci);

            // Before delegating work to the lower layer, enter our MAC header: the encapsulated type.
            var encap = type != Include.Uapi.Linux.if_ether_h.ETH_P_802_3 && type != Include.Uapi.Linux.if_ether_h.ETH_P_802_2 ? type : (ushort)len;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(skb.head.AsSpan(at + 2), encap);
            type = vlan.vlan_proto;
            vhdrlen = VLAN_HLEN;
        }

        // The source address is the VLAN device's unless one was given.
        saddr ??= dev.dev_addr;

        // Now make the underlying real hard header.
        dev = vlan.real_dev;
        var rc = dev_hard_header(skb, dev, type, daddr, saddr, len + vhdrlen);
        if (rc > 0)
        {
            rc += vhdrlen;
        }

        return rc;
    }

    // net/8021q/vlan_dev.c: vlan_dev_hard_start_xmit
    /// <summary>
    /// ndo_start_xmit: puts the device's tag beside the data (VID, PCP from
    /// the egress map) unless the frame already carries that TPID without
    /// REORDER_HDR, moves the skb to the lower device and queues it there
    /// (dev_queue_xmit: validate_xmit_vlan writes the tag into the frame for
    /// a device that cannot). Counts tx_packets/tx_bytes, or tx_dropped.
    /// Consumes the skb; always NETDEV_TX_OK.
    /// </summary>
    [Consumes("skb")]
    private static netdev_tx_t vlan_dev_hard_start_xmit(sk_buff skb, net_device dev)
    {
        // not ported: vlan_netpoll_send_skb — no netpoll
        var vlan = vlan_dev_priv(dev);
        var h_vlan_proto = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(skb.head.AsSpan(skb.data + 2 * Include.Uapi.Linux.if_ether_h.ETH_ALEN));

        // Frames sent through a raw socket may carry their own tag; REORDER_HDR tags every frame.
        if (h_vlan_proto != vlan.vlan_proto || (vlan.flags & VLAN_FLAG_REORDER_HDR) != 0)
        {
            var vlan_tci = (ushort)(vlan.vlan_id | vlan_dev_get_egress_qos_mask(dev, skb.priority));
            __vlan_hwaccel_put_tag(skb, vlan.vlan_proto, vlan_tci);
        }

        skb.dev = vlan.real_dev;
        var len = skb.len;

        // not ported: netpoll_tx_running — no netpoll.
        var ret = dev_queue_xmit(skb);

        // this_cpu_ptr(vlan_pcpu_stats): one set here.
        if (ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN)
        {
            vlan.tx_packets++;
            vlan.tx_bytes += (ulong)len;
        }
        else
        {
            vlan.tx_dropped++;
        }

        return netdev_tx_t.NETDEV_TX_OK;
    }


    // net/8021q/vlan_dev.c: vlan_dev_open
    /// <summary>ndo_open: a VLAN device comes up only over a lower device that is up (-ENETDOWN otherwise; LOOSE_BINDING is not ported).</summary>
    private static int vlan_dev_open(net_device dev)
    {
        // not ported: vlan_gvrp_request_join, vlan_mvrp_request_join — no GVRP/MVRP registration
        var vlan = vlan_dev_priv(dev);
        var real_dev = vlan.real_dev;

        if ((real_dev.flags & net_device.IFF_UP) == 0)
        {
            return -errno_h.ENETDOWN;
        }

        // not ported: ether_addr_equal, vlan_dev_inherit_address, ether_addr_copy — the lower device's unicast
        //   filter (dev_uc_add of an address other than its own, real_dev_addr to follow its changes): ported
        //   devices receive every unicast frame eth_type_trans classifies (see the header); no allmulti/promisc sync
        // not ported: netif_carrier_ok, netif_carrier_on, netif_carrier_off — no carrier state in the port
        return 0;
    }

    // net/8021q/vlan_dev.c: vlan_passthru_hard_header
    /// <summary>header_ops->create over a lower device that inserts tags itself: the lower device's header, with the VLAN device's address as the source.</summary>
    [Borrows("skb")]
    private static int vlan_passthru_hard_header(sk_buff skb, net_device dev, ushort type, byte[]? daddr, byte[]? saddr, int len)
    {
        var vlan = vlan_dev_priv(dev);
        var real_dev = vlan.real_dev;

        saddr ??= dev.dev_addr;
        return dev_hard_header(skb, real_dev, type, daddr, saddr, len);
    }

    // net/8021q/vlan_dev.c: vlan_dev_init
    /// <summary>
    /// ndo_init: the VLAN device takes the lower device's flags (not UP), GSO
    /// limits, address and broadcast (when it has none), and the header ops
    /// that suit it — passthru when the lower device inserts tags (veth), the
    /// VLAN's own with four bytes more of header otherwise.
    /// </summary>
    public static int vlan_dev_init(net_device dev)
    {
        // not ported: netdev_alloc_pcpu_stats, netdev_hold — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: netdev_lockdep_set_classes — one thread: no locks, RCU grace periods, BH or preemption to guard against
        var vlan = vlan_dev_priv(dev);
        var real_dev = vlan.real_dev;

        // not ported: netif_carrier_off — no carrier state in the port
        // not ported: netif_inherit_tso_max — the port keeps no tso_max_size/tso_max_segs: the lower device's GSO
        //   limits are copied below instead
        // not ported: vlan_tnl_features — no hw_enc_features: no tunnel offloads
        // not ported: SET_NETDEV_DEVTYPE — no sysfs device type (no uevents)
        // not ported: is_zero_ether_addr, eth_hw_addr_set — written out: an all-zero address becomes a copy of the
        //   lower device's
        dev.flags = real_dev.flags & ~(net_device.IFF_UP | net_device.IFF_PROMISC | net_device.IFF_RUNNING | net_device.IFF_LOWER_UP);

        // departure: 6.18 builds features from the lower device's vlan_features (its offloads
        // minus the VLAN ones); the port keeps no vlan_features and derives them the same way.
        dev.features = real_dev.features & ~(netdev_features_h.NETIF_F_HW_VLAN_CTAG_TX | netdev_features_h.NETIF_F_HW_VLAN_CTAG_RX |
            netdev_features_h.NETIF_F_HW_VLAN_STAG_TX | netdev_features_h.NETIF_F_HW_VLAN_STAG_RX);
        dev.gso_max_size = real_dev.gso_max_size;
        dev.gso_ipv4_max_size = real_dev.gso_ipv4_max_size;
        dev.gso_max_segs = real_dev.gso_max_segs;

        if (System.Array.TrueForAll(dev.dev_addr, b => b == 0))
        {
            dev.dev_addr = (byte[])real_dev.dev_addr.Clone(); // NET_ADDR_STOLEN
        }

        if (System.Array.TrueForAll(dev.broadcast, b => b == 0))
        {
            dev.broadcast = (byte[])real_dev.broadcast.Clone();
        }

        dev.needed_headroom = real_dev.needed_headroom;
        if (vlan_hw_offload_capable(real_dev.features, vlan.vlan_proto))
        {
            dev.header_ops_create = vlan_passthru_hard_header;
            dev.hard_header_len = real_dev.hard_header_len;
        }
        else
        {
            dev.header_ops_create = vlan_dev_hard_header;
            dev.hard_header_len = (ushort)(real_dev.hard_header_len + VLAN_HLEN);
        }

        // eth_header_parse and parse_protocol read the frame alike with either ops.
        dev.header_ops_parse = real_dev.header_ops_parse;
        dev.header_ops_parse_protocol = real_dev.header_ops_parse_protocol;
        dev.driver_name = "802.1Q VLAN Support";
        return 0;
    }

    // net/8021q/vlan_dev.c: vlan_setup
    /// <summary>The rtnl_link_ops setup of a VLAN device: Ethernet, IFF_NO_QUEUE (no qdisc: txqueuelen 0), any MTU the lower device allows, no broadcast address until init copies one.</summary>
    public static void vlan_setup(net_device dev)
    {
        // not ported: eth_zero_addr — written out as a new all-zero broadcast address
        // not ported: netif_keep_dst — IFF_XMIT_DST_RELEASE is not modelled: no device drops the skb's route
        //   before its ndo_start_xmit, so there is nothing to keep
        Ethernet.eth_c.ether_setup(dev);

        // IFF_802_1Q_VLAN: is_vlan_dev tests for the vlan_dev_priv in dev->priv.
        dev.tx_queue_len = 0; // IFF_NO_QUEUE
        dev.netdev_ops = new net_device_ops { ndo_open = vlan_dev_open, ndo_start_xmit = vlan_dev_hard_start_xmit }; // vlan_netdev_ops
        dev.min_mtu = 0;
        dev.max_mtu = (uint)Include.Uapi.Linux.if_ether_h.ETH_MAX_MTU;
        dev.broadcast = new byte[6]; // eth_zero_addr, written out
    }
}
