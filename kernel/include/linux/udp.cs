// Ports include/linux/udp.h: struct udp_sock.
using System;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct udp_sock: an inet_sock with UDP's reader queue and forward memory.</summary>
public sealed class udp_sock : inet_sock
{
    public udp_sock(sock sk)
        : base(sk)
    {
    }

    /// <summary>reader_queue: where the reader splices sk_receive_queue to, to dequeue without the producer's lock.</summary>
    public sk_buff_head reader_queue { get; } = new();

    /// <summary>forward_deficit: memory released by the reader not yet returned (udp_rmem_release batches it).</summary>
    public int forward_deficit { get; set; }

    /// <summary>forward_threshold: sk_rcvbuf / 4 — below it, freed memory is returned lazily while the reader queue is not empty.</summary>
    public int forward_threshold { get; set; }

    /// <summary>udp_port_hash (skc_u16hashes[0]): the bound port (host order), which picks the primary slot.</summary>
    public ushort udp_port_hash { get; set; }

    /// <summary>udp_portaddr_hash (skc_u16hashes[1]): ipv4_portaddr_hash of the bound (address, port), which picks the secondary slot.</summary>
    public ushort udp_portaddr_hash { get; set; }

    /// <summary>udp_portaddr_node (skc_portaddr_node): the socket's link in its secondary slot; C overlays it on skc_bind_node, which a UDP socket never uses.</summary>
    public ref hlist_node<sock> udp_portaddr_node => ref sk.skc_portaddr_node;

    /// <summary>peeking_with_offset (SO_PEEK_OFF): not ported, always false.</summary>
    public bool peeking_with_offset { get; set; }

    /// <summary>udp_flags' UDP_FLAGS_GRO_ENABLED: the socket asked for UDP_GRO (GRO may merge its datagrams).</summary>
    public bool gro_enabled { get; set; }

    /// <summary>udp_flags' UDP_FLAGS_ACCEPT_L4: the socket takes SKB_GSO_UDP_L4 skbs whole (set with UDP_GRO).</summary>
    public bool accept_l4 { get; set; }

    /// <summary>udp_flags' UDP_FLAGS_ENCAP_ENABLED: the socket counted once in udp_encap_needed_key.</summary>
    public bool encap_enabled { get; set; }
}

public static class udp_h
{
    /// <summary>UDP_HTABLE_SIZE_MIN_PERNET: the fewest slots a table can have (a namespace's own, at the least).</summary>
    public const int UDP_HTABLE_SIZE_MIN_PERNET = 128;

    /// <summary>UDP_GRO (include/uapi/linux/udp.h): the SOL_UDP option for taking GRO-merged datagrams; also the cmsg type carrying their gso_size.</summary>
    public const int UDP_GRO = 104;

    // include/linux/udp.h: udp_cmsg_recv
    /// <summary>A GRO-merged skb (SKB_GSO_UDP_L4) tells the reader its segment size: a SOL_UDP/UDP_GRO cmsg with gso_size as an int.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void udp_cmsg_recv(msghdr msg, sock sk, sk_buff skb)
    {
        // not ported: skb_shinfo — the port's sk_buff holds its shared info as skb.shinfo
        if ((skb.shinfo.gso_type & skbuff_h.SKB_GSO_UDP_L4) != 0)
        {
            int gso_size = skb.shinfo.gso_size;
            KernelNet.Kernel.Net.Core.scm_c.put_cmsg(msg, socket_h.SOL_UDP, UDP_GRO, BitConverter.GetBytes(gso_size));
        }
    }

    // not ported: skb_transport_header — the header is read at skb.transport_header directly
    // include/linux/udp.h: udp_hdr
    /// <summary>The UDP header at the skb's transport header.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static udphdr udp_hdr(sk_buff skb) => new(skb.head.AsSpan(skb.transport_header, udphdr.Size));

    // include/linux/udp.h: udp_hashfn
    /// <summary>The primary slot of local port <paramref name="num"/>: the port plus the namespace's hash mix, under the mask.</summary>
    public static uint udp_hashfn(net net, uint num, uint mask) => unchecked(num + Net.Netns.hash_h.net_hash_mix(net)) & mask;

    // not ported: hlist_for_each_entry — the walk follows each socket's skc_portaddr_node.next to the chain's end
    // include/linux/udp.h: udp_portaddr_for_each_entry
    /// <summary>The sockets of a secondary (port and address) slot, first to last, through skc_portaddr_node (a macro in C; the _rcu walk is the same here).</summary>
    public static sk_chain<sk_bind_link> udp_portaddr_for_each_entry(in hlist_head<sock> head) => new(head.first);
}
