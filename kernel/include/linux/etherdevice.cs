// Ports include/linux/etherdevice.h: the inline helpers of Ethernet drivers
// and of eth.c.
//
// not ported: the address helpers (is_valid_ether_addr, eth_random_addr,
// ether_addr_equal_64bits and friends) — the port compares byte spans
// directly; eth_skb_pull_mac — eth_type_trans pulls the header itself.
using System;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Uapi.Linux.if_ether_h;

namespace KernelNet.Kernel.Include.Linux;

public static class etherdevice_h
{
    // include/linux/etherdevice.h: eth_skb_pkt_type
    /// <summary>
    /// Whose frame this is, by the destination at the MAC header: ours,
    /// broadcast, multicast or another host's (which ip_rcv drops as
    /// OTHERHOST). Writes PACKET_HOST too, rather than relying on the
    /// zeroed field of a fresh skb as the kernel does.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void eth_skb_pkt_type(sk_buff skb, net_device dev)
    {
        // not ported: eth_hdr, is_multicast_ether_addr_64bits — the header is read at the mac offset; the multicast bit is tested on the first byte
        var dest = new ethhdr(skb.head.AsSpan(skb_mac_header(skb), ETH_HLEN)).h_dest;
        if (dest.SequenceEqual(dev.dev_addr))
        {
            skb.pkt_type = PACKET_HOST;
        }
        else if ((dest[0] & 1) != 0)
        {
            // every group address has the I/G bit; only all-ones is broadcast
            skb.pkt_type = dest.IndexOfAnyExcept((byte)0xff) < 0 ? PACKET_BROADCAST : PACKET_MULTICAST;
        }
        else
        {
            skb.pkt_type = PACKET_OTHERHOST;
        }
    }
}
