// Ports include/linux/ip.h: the IPv4 header of an skb.
using System;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Linux;

public static class ip_h
{
    // not ported: skb_network_header — the header is read at skb.network_header directly
    // include/linux/ip.h: ip_hdr
    /// <summary>The IPv4 header at the skb's network header.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static iphdr ip_hdr(sk_buff skb) => new(skb.head.AsSpan(skb.network_header));
}
