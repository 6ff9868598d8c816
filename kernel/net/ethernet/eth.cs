// Ports net/ethernet/eth.c: building and parsing Ethernet headers, and the
// defaults of an Ethernet net_device.
//
// not ported: GRO callbacks, header caching (hh_cache), MAC address changes,
// platform/firmware MAC lookups, DSA tagging.
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.etherdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Uapi.Linux.if_ether_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ethernet;

public static class eth_c
{
    // net/ethernet/eth.c: eth_header
    /// <summary>
    /// header_ops->create: pushes the 14-byte header (LAYER-2). Without a
    /// destination (neighbour not resolved) returns -ETH_HLEN so the caller
    /// knows the header is incomplete.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int eth_header(sk_buff skb, net_device dev, ushort type, byte[]? daddr, byte[]? saddr, int len)
    {
        var at = skb_push(skb, ETH_HLEN);
        var eth = new ethhdr(skb.head.AsSpan(at, ETH_HLEN));
        eth.h_proto = type != ETH_P_802_3 && type != ETH_P_802_2 ? type : (ushort)len;
        (saddr ?? dev.dev_addr).AsSpan(0, ETH_ALEN).CopyTo(eth.h_source);
        if (daddr is not null)
        {
            daddr.AsSpan(0, ETH_ALEN).CopyTo(eth.h_dest);
            return ETH_HLEN;
        }

        if ((dev.flags & (net_device.IFF_LOOPBACK | net_device.IFF_NOARP)) != 0)
        {
            // not ported: eth_zero_addr — written out as clearing the six bytes
            eth.h_dest.Clear();
            return ETH_HLEN;
        }

        return -ETH_HLEN;
    }

    // net/ethernet/eth.c: eth_get_headlen
    /// <summary>
    /// How many of the first <paramref name="len"/> bytes of a received frame
    /// are headers (Ethernet, IPv4 and the transport header): what a driver
    /// copies into a small head, leaving the payload in its page. A frame the
    /// dissector cannot read past stops at its last known header.
    /// </summary>
    public static uint eth_get_headlen(net_device dev, Span<byte> data, uint len)
    {
        const uint flags = flow_dissector_h.FLOW_DISSECTOR_F_PARSE_1ST_FRAG;

        // A frame shorter than its Ethernet header does not reach here.
        if (len < ETH_HLEN)
        {
            return len;
        }

        var keys = new flow_keys_basic();
        var h_proto = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(data[12..]);
        if (!skb_flow_dissect_flow_keys_basic(netdevice_h.dev_net(dev), null, keys, data, h_proto, ETH_HLEN, (int)len, flags))
        {
            return Math.Max(keys.control.thoff, (uint)ETH_HLEN);
        }

        return Math.Min(Core.flow_dissector_c.__skb_get_poff(null, data, keys, (int)len), len);
    }

    // net/ethernet/eth.c: eth_type_trans
    /// <summary>
    /// On receive: sets dev and the MAC header, pulls the Ethernet header
    /// (RX-14), classifies the frame as ours, broadcast, multicast or another
    /// host's, and returns the protocol for skb->protocol.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort eth_type_trans(sk_buff skb, net_device dev)
    {
        // not ported: netdev_uses_dsa — no DSA switches
        // not ported: eth_skb_pull_mac — written out: the header is read at data, then pulled
        // not ported: eth_proto_is_802_3 — written out as a compare with ETH_P_802_3_MIN (the same test
        //   without its byte-order trick)
        skb.dev = dev;
        skb_reset_mac_header(skb);
        var eth = new ethhdr(skb.head.AsSpan(skb.data, ETH_HLEN));
        var proto = eth.h_proto;
        skb_pull(skb, ETH_HLEN);
        eth_skb_pkt_type(skb, dev);

        if (proto >= ETH_P_802_3_MIN)
        {
            return proto;
        }

        // Novell's raw 802.3 IPX starts with 0xFFFF; anything else is 802.2 LLC.
        Span<byte> _service_access_point = stackalloc byte[2];
        var sap = skb_header_pointer(skb, 0, 2, _service_access_point);
        if (!sap.IsEmpty && sap[0] == 0xFF && sap[1] == 0xFF)
        {
            return ETH_P_802_3;
        }

        return ETH_P_802_2;
    }

    // net/ethernet/eth.c: eth_header_parse
    /// <summary>header_ops->parse: the source MAC of the frame at the MAC header (what a packet socket reports as sll_addr).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int eth_header_parse(sk_buff skb, Span<byte> haddr)
    {
        // not ported: eth_hdr — field accessors: the port reads or sets these fields directly
        // eth_hdr(skb): the header sits at the MAC header, wherever data is now.
        var eth = new ethhdr(skb.head.AsSpan(skb_mac_header(skb), ETH_HLEN));
        eth.h_source.CopyTo(haddr);
        return ETH_ALEN;
    }

    // net/ethernet/eth.c: eth_header_parse_protocol
    /// <summary>header_ops->parse_protocol: the ethertype of the frame at the MAC header.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort eth_header_parse_protocol(sk_buff skb)
    {
        // not ported: eth_hdr — field accessors: the port reads or sets these fields directly
        var eth = new ethhdr(skb.head.AsSpan(skb_mac_header(skb), ETH_HLEN));
        return eth.h_proto;
    }

    // net/ethernet/eth.c: eth_validate_addr
    /// <summary>ndo_validate_addr: a unicast, non-zero address.</summary>
    public static int eth_validate_addr(net_device dev)
    {
        // not ported: is_valid_ether_addr — written out: neither multicast nor all zeros
        var a = dev.dev_addr;
        var zero = a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0 && a[5] == 0;
        return (a[0] & 1) != 0 || zero ? -Include.Uapi.AsmGeneric.errno_h.EADDRNOTAVAIL : 0;
    }

    // net/ethernet/eth.c: ether_setup
    /// <summary>The Ethernet defaults: header ops, ARPHRD_ETHER, MTU 1500 (TX-11), txqueuelen 1000 (TX-10), broadcast.</summary>
    public static void ether_setup(net_device dev)
    {
        // not ported: eth_broadcast_addr — written out as a new all-ones broadcast address
        // eth_header_ops
        dev.header_ops_create = eth_header;
        dev.header_ops_parse = eth_header_parse;
        dev.header_ops_parse_protocol = eth_header_parse_protocol;
        dev.type = 1; // ARPHRD_ETHER
        dev.hard_header_len = ETH_HLEN;
        dev.min_mtu = ETH_MIN_MTU;
        dev.max_mtu = ETH_DATA_LEN;
        dev.mtu = ETH_DATA_LEN;
        dev.addr_len = ETH_ALEN;
        dev.tx_queue_len = 1000;
        dev.flags = net_device.IFF_BROADCAST | net_device.IFF_MULTICAST;
        dev.broadcast = new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }; // eth_broadcast_addr, written out
    }

    // net/ethernet/eth.c: alloc_etherdev_mqs
    /// <summary>A new Ethernet net_device in <paramref name="ns"/> with the given queue counts, set up by ether_setup.</summary>
    public static net_device alloc_etherdev_mqs(net ns, string name, int txqs, int rxqs)
    {
        // not ported: alloc_netdev_mqs — the net_device is constructed in its namespace with its queues, then
        //   ether_setup runs as alloc_netdev_mqs's setup would
        var dev = new net_device(ns, name, txqs, rxqs);
        ether_setup(dev);
        return dev;
    }
}
