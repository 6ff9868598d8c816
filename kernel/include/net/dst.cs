// Ports include/net/dst.h: struct dst_entry (the base of struct rtable) and
// the inline helpers that move a packet to its next stage.
using System;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct dst_entry: where a packet goes next — input for received packets, output for sent ones.</summary>
public class dst_entry
{
    public dst_entry(net_device? dev)
    {
        this.dev = dev;
    }

    public net_device? dev { get; set; }

    /// <summary>Continuation for received packets (ip_local_deliver, ip_forward, ip_error).</summary>
    public Func<sk_buff, int> input { get; set; } = _ => 0;

    /// <summary>Continuation for sent packets (ip_output, ip_rt_bug).</summary>
    public Func<net, sock?, sk_buff, int> output { get; set; } = (_, _, _) => 0;

    /// <summary>A positive errno for routes that reject (unreachable).</summary>
    public int error { get; set; }

    public ushort flags { get; set; }

    /// <summary>dst.expires: the jiffy a learned path MTU stops applying (0: never set).</summary>
    public ulong expires { get; set; }
}

public static class dst_h
{
    // include/net/dst.h: skb_dst_drop
    public static void skb_dst_drop(sk_buff skb) => skb.dst = null;

    // include/net/dst.h: dst_input
    /// <summary>Hands a received skb to its route's input (ip_local_deliver for ours).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int dst_input(sk_buff skb) => skb_dst(skb)!.input(skb);

    // include/net/dst.h: dst_output
    /// <summary>Hands a sent skb to its route's output (ip_output).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int dst_output(net net, sock? sk, sk_buff skb) => skb_dst(skb)!.output(net, sk, skb);

    // include/net/dst.h: dst_link_failure
    /// <summary>The next hop of the skb's route failed: tells the route's family (dst->ops->link_failure: ipv4_link_failure).</summary>
    public static void dst_link_failure(sk_buff skb)
    {
        if (skb_dst(skb) is not null)
        {
            KernelNet.Kernel.Net.Ipv4.route_c.ipv4_link_failure(skb);
        }
    }

    // include/net/dst.h: dst_mtu
    /// <summary>dst->ops->mtu: ipv4_mtu for IPv4 routes (a learned path MTU until it expires, else the device's).</summary>
    public static uint dst_mtu(dst_entry dst) => dst is rtable rt ? KernelNet.Kernel.Net.Ipv4.route_c.ipv4_mtu(rt) : dst.dev!.mtu;
}
