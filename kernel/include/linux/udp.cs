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
}

public static class udp_h
{
    // include/linux/udp.h: udp_hdr
    /// <summary>The UDP header at the skb's transport header.</summary>
    public static udphdr udp_hdr(sk_buff skb) => new(skb.head.AsSpan(skb.transport_header, udphdr.Size));
}
