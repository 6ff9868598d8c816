// Ports include/linux/if_vlan.h: the 802.1Q tag as the stack carries it —
// in the frame (struct vlan_hdr after the MAC addresses) or beside it
// (skb->vlan_proto and skb->vlan_tci, "hardware accelerated"), the helpers
// that move it between the two, and what a VLAN device keeps (vlan_dev_priv).
//
// not ported: QinQ helpers beyond one tag (__vlan_get_protocol's walk),
// the egress priority map (vlan_dev_get_egress_qos_mask returns the PCP
// bits of 0: no `ip link ... egress-qos-map` in the simulation), GRO for
// VLAN frames, vlan_features (offloads of stacked devices).
using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Uapi.Linux.if_ether_h;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct vlan_hdr: the tag as it sits in the data (TCI, then the encapsulated ethertype), a view over bytes.</summary>
public readonly ref struct vlan_hdr
{
    private readonly Span<byte> _b;

    public vlan_hdr(Span<byte> b) => _b = b;

    public ushort h_vlan_TCI => BinaryPrimitives.ReadUInt16BigEndian(_b);

    public ushort h_vlan_encapsulated_proto => BinaryPrimitives.ReadUInt16BigEndian(_b[2..]);
}

/// <summary>struct vlan_dev_priv: what a VLAN device (eth0.10) keeps — its VID, TPID, lower device and flags.</summary>
public sealed class vlan_dev_priv
{
    public ushort vlan_proto { get; set; } = ETH_P_8021Q;

    public ushort vlan_id { get; set; }

    /// <summary>VLAN_FLAG_*: REORDER_HDR is on by default (`ip link add ... type vlan` sets it).</summary>
    public uint flags { get; set; } = if_vlan_h.VLAN_FLAG_REORDER_HDR;

    /// <summary>ingress_priority_map: skb->priority for each PCP value (all 0 unless ingress-qos-map is given).</summary>
    public uint[] ingress_priority_map { get; } = new uint[8];

    public net_device real_dev { get; set; } = null!;

    /// <summary>vlan_pcpu_stats summed over CPUs (rx_packets, rx_bytes, rx_multicast, tx_packets, tx_bytes, tx_dropped).</summary>
    public ulong rx_packets { get; set; }

    public ulong rx_bytes { get; set; }

    public ulong rx_multicast { get; set; }

    public ulong tx_packets { get; set; }

    public ulong tx_bytes { get; set; }

    public ulong tx_dropped { get; set; }
}

public static class if_vlan_h
{
    /// <summary>VLAN_HLEN: the tag's four bytes (TPID/TCI in the frame: TCI and inner ethertype after the pull).</summary>
    public const int VLAN_HLEN = 4;

    /// <summary>VLAN_ETH_HLEN: an Ethernet header with one tag.</summary>
    public const int VLAN_ETH_HLEN = 18;

    public const ushort VLAN_PRIO_MASK = 0xe000;
    public const int VLAN_PRIO_SHIFT = 13;
    public const ushort VLAN_CFI_MASK = 0x1000;
    public const ushort VLAN_VID_MASK = 0x0fff;
    public const int VLAN_N_VID = 4096;

    /// <summary>VLAN_FLAG_REORDER_HDR (uapi if_vlan.h): received frames leave the VLAN device untagged.</summary>
    public const uint VLAN_FLAG_REORDER_HDR = 0x1;

    // include/linux/if_vlan.h: is_vlan_dev
    /// <summary>Is this an 802.1Q device (IFF_802_1Q_VLAN in priv_flags; here: its private area is a vlan_dev_priv)?</summary>
    public static bool is_vlan_dev(net_device dev) => dev.priv is vlan_dev_priv;

    // include/linux/if_vlan.h: vlan_dev_priv
    public static vlan_dev_priv vlan_dev_priv(net_device dev) => (vlan_dev_priv)dev.priv!;

    // include/linux/if_vlan.h: skb_vlan_tag_present
    /// <summary>Does the skb carry a tag beside its data (vlan_all nonzero: a TPID is set even for VID 0, PCP 0)?</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_vlan_tag_present(sk_buff skb) => skb.vlan_proto != 0 || skb.vlan_tci != 0;

    // include/linux/if_vlan.h: skb_vlan_tag_get
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort skb_vlan_tag_get(sk_buff skb) => skb.vlan_tci;

    // include/linux/if_vlan.h: skb_vlan_tag_get_id
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort skb_vlan_tag_get_id(sk_buff skb) => (ushort)(skb.vlan_tci & VLAN_VID_MASK);

    // include/linux/if_vlan.h: skb_vlan_tag_get_prio
    [KernelNet.Annotations.Borrows("skb")]
    public static int skb_vlan_tag_get_prio(sk_buff skb) => (skb.vlan_tci & VLAN_PRIO_MASK) >> VLAN_PRIO_SHIFT;

    // include/linux/if_vlan.h: __vlan_hwaccel_put_tag
    /// <summary>Puts a tag beside the data (the form veth and the stack carry it in between devices).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void __vlan_hwaccel_put_tag(sk_buff skb, ushort vlan_proto, ushort vlan_tci)
    {
        skb.vlan_proto = vlan_proto;
        skb.vlan_tci = vlan_tci;
    }

    // include/linux/if_vlan.h: __vlan_hwaccel_clear_tag
    [KernelNet.Annotations.Borrows("skb")]
    public static void __vlan_hwaccel_clear_tag(sk_buff skb)
    {
        skb.vlan_proto = 0;
        skb.vlan_tci = 0;
    }

    // include/linux/if_vlan.h: eth_type_vlan
    /// <summary>Is this ethertype a VLAN TPID (802.1Q or 802.1ad)?</summary>
    public static bool eth_type_vlan(ushort ethertype) => ethertype == ETH_P_8021Q || ethertype == ETH_P_8021AD;

    // include/linux/if_vlan.h: vlan_hw_offload_capable
    /// <summary>Can a device with these features carry a tag of this TPID beside the data (the NIC inserts it)?</summary>
    public static bool vlan_hw_offload_capable(ulong features, ushort proto) =>
        (proto == ETH_P_8021Q && (features & netdev_features_h.NETIF_F_HW_VLAN_CTAG_TX) != 0) ||
        (proto == ETH_P_8021AD && (features & netdev_features_h.NETIF_F_HW_VLAN_STAG_TX) != 0);

    // include/linux/if_vlan.h: skb_vlan_tagged
    /// <summary>Is the skb tagged, beside its data or in it?</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_vlan_tagged(sk_buff skb) => skb_vlan_tag_present(skb) || eth_type_vlan(skb.protocol);

    // include/linux/if_vlan.h: vlan_set_encap_proto
    /// <summary>
    /// After the tag is pulled: skb->protocol from the encapsulated type —
    /// an ethertype as it is; a length means 802.3, raw (0xFFFF, Novell) or
    /// LLC (802.2), as eth_type_trans decides for an untagged frame.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void vlan_set_encap_proto(sk_buff skb, ushort encapsulated_proto, int rawp_offset)
    {
        // not ported: eth_proto_is_802_3 — the 802.3 test is written inline against ETH_P_802_3_MIN
        if (encapsulated_proto >= ETH_P_802_3_MIN)
        {
            skb.protocol = encapsulated_proto;
            return;
        }

        var rawp = BinaryPrimitives.ReadUInt16BigEndian(skb.head.AsSpan(rawp_offset, 2));
        skb.protocol = rawp == 0xFFFF ? ETH_P_802_3 : ETH_P_802_2;
    }

    // include/linux/if_vlan.h: __vlan_insert_inner_tag
    /// <summary>
    /// Writes a tag into the frame at data (the MAC header): the addresses
    /// move four bytes forward and TPID/TCI go after them; mac_len is the
    /// length of the MAC header before the tag. -ENOMEM without headroom.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int __vlan_insert_inner_tag(sk_buff skb, ushort vlan_proto, ushort vlan_tci, int mac_len)
    {
        // not ported: skb_mac_header_was_set — the caller always has the mac header set; the header offset is reset unconditionally
        if (skb_cow_head(skb, VLAN_HLEN) < 0)
        {
            return -Uapi.AsmGeneric.errno_base_h.ENOMEM;
        }

        KernelNet.Kernel.Net.Core.skbuff_c.skb_push(skb, VLAN_HLEN);

        // Move the MAC addresses to the new start of the frame.
        skb.head.AsSpan(skb.data + VLAN_HLEN, mac_len - ETH_TLEN).CopyTo(skb.head.AsSpan(skb.data, mac_len - ETH_TLEN));
        if (skb.mac_header != sk_buff.MAC_HEADER_UNSET)
        {
            skb.mac_header -= VLAN_HLEN;
        }

        var veth = skb.data + mac_len - ETH_HLEN;
        BinaryPrimitives.WriteUInt16BigEndian(skb.head.AsSpan(veth + 2 * ETH_ALEN), vlan_proto);
        BinaryPrimitives.WriteUInt16BigEndian(skb.head.AsSpan(veth + 2 * ETH_ALEN + 2), vlan_tci);
        return 0;
    }

    // include/linux/if_vlan.h: __vlan_insert_tag
    [KernelNet.Annotations.Borrows("skb")]
    public static int __vlan_insert_tag(sk_buff skb, ushort vlan_proto, ushort vlan_tci) => __vlan_insert_inner_tag(skb, vlan_proto, vlan_tci, ETH_HLEN);

    // include/linux/if_vlan.h: vlan_insert_inner_tag
    /// <summary>Inserts the tag into the frame; on failure the skb is freed and null returned.</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static sk_buff? vlan_insert_inner_tag(sk_buff skb, ushort vlan_proto, ushort vlan_tci, int mac_len)
    {
        // not ported: dev_kfree_skb_any — freed with kfree_skb_reason(NOT_SPECIFIED): dev_kfree_skb_any outside hard IRQ is the same free
        if (__vlan_insert_inner_tag(skb, vlan_proto, vlan_tci, mac_len) != 0)
        {
            kfree_skb_reason(skb, Include.Net.skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return null;
        }

        return skb;
    }

    // include/linux/if_vlan.h: vlan_insert_tag_set_proto
    /// <summary>Inserts the tag into the frame and makes the TPID the skb's protocol.</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static sk_buff? vlan_insert_tag_set_proto(sk_buff skb, ushort vlan_proto, ushort vlan_tci)
    {
        // not ported: vlan_insert_tag — vlan_insert_inner_tag with ETH_HLEN is what vlan_insert_tag calls
        var r = vlan_insert_inner_tag(skb, vlan_proto, vlan_tci, ETH_HLEN);
        if (r is not null)
        {
            r.protocol = vlan_proto;
        }

        return r;
    }

    // include/linux/if_vlan.h: __vlan_hwaccel_push_inside
    /// <summary>For a device that cannot insert tags: the tag beside the data goes into the frame (validate_xmit_vlan).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static sk_buff? __vlan_hwaccel_push_inside(sk_buff skb)
    {
        var r = vlan_insert_tag_set_proto(skb, skb.vlan_proto, skb_vlan_tag_get(skb));
        if (r is not null)
        {
            __vlan_hwaccel_clear_tag(r);
        }

        return r;
    }

    // include/linux/if_vlan.h: vlan_dev_get_egress_qos_mask
    /// <summary>The PCP bits for skb->priority: the egress map is not ported, so always 0 (see the file header).</summary>
    public static ushort vlan_dev_get_egress_qos_mask(net_device dev, uint skprio)
    {
        // not ported: vlan_dev_priv — no VLAN devices (CONFIG_VLAN_8021Q unset on the machine): the mask is 0
        _ = dev;
        _ = skprio;
        return 0;
    }
}
