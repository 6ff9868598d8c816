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

    /// <summary>udp_port_hash: the bound port (host order).</summary>
    public ushort udp_port_hash { get; set; }

    /// <summary>The secondary hash key: (bound address, port) — the port's ipv4_portaddr_hash without its jhash.</summary>
    public (uint Addr, ushort Port) udp_portaddr_hash { get; set; }

    /// <summary>peeking_with_offset (SO_PEEK_OFF): not ported, always false.</summary>
    public bool peeking_with_offset { get; set; }
}

public static class udp_h
{
    // include/linux/udp.h: udp_hdr
    /// <summary>The UDP header at the skb's transport header.</summary>
    public static udphdr udp_hdr(sk_buff skb) => new(skb.head.AsSpan(skb.transport_header, udphdr.Size));
}
