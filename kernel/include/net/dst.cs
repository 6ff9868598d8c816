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

    /// <summary>
    /// dst.obsolete: DST_OBSOLETE_FORCE_CHK for every IPv4 route (so users
    /// must ask ipv4_dst_check), DST_OBSOLETE_KILL once an exception or a
    /// flush makes a cached route stale.
    /// </summary>
    public short obsolete { get; set; }

    /// <summary>
    /// dst.__rcuref: the references held on the route (1 from dst_alloc; the
    /// next-hop cache, a socket's sk_dst_cache and a refcounted skb each hold
    /// one). The memory itself is the garbage collector's, so the count is
    /// bookkeeping that tests read, not what frees the route.
    /// </summary>
    public int __rcuref { get; set; } = 1;
}

public static class dst_h
{
    /// <summary>DST_OBSOLETE_NONE: a route that needs no check (not IPv4's).</summary>
    public const short DST_OBSOLETE_NONE = 0;

    /// <summary>DST_OBSOLETE_DEAD: the route was released by its last owner.</summary>
    public const short DST_OBSOLETE_DEAD = 2;

    /// <summary>DST_OBSOLETE_FORCE_CHK: users must call ops->check (ipv4_dst_check) before trusting it.</summary>
    public const short DST_OBSOLETE_FORCE_CHK = -1;

    /// <summary>DST_OBSOLETE_KILL: stale (an exception appeared for its next hop); the next check fails.</summary>
    public const short DST_OBSOLETE_KILL = -2;

    // include/net/dst.h: dst_hold
    /// <summary>Takes a reference on a route that is known to be alive.</summary>
    public static void dst_hold(dst_entry dst)
    {
        System.Diagnostics.Debug.Assert(dst.__rcuref > 0, "dst_hold on a released route");
        dst.__rcuref++;
    }

    // include/net/dst.h: dst_hold_safe
    /// <summary>Takes a reference unless the last one is already gone (a dying cached route).</summary>
    public static bool dst_hold_safe(dst_entry dst)
    {
        // rcuref_get: fails once the count has dropped to zero.
        if (dst.__rcuref <= 0)
        {
            return false;
        }

        dst.__rcuref++;
        return true;
    }

    // include/net/dst.h: dst_check
    /// <summary>A route still fit to use: those that ask for a check (all IPv4 routes) go through ops->check, ipv4_dst_check.</summary>
    public static dst_entry? dst_check(dst_entry dst, uint cookie)
    {
        if (dst.obsolete != DST_OBSOLETE_NONE)
        {
            // INDIRECT_CALL_INET(dst->ops->check, ...): IPv4 routes only in the port.
            return KernelNet.Kernel.Net.Ipv4.route_c.ipv4_dst_check(dst, cookie);
        }

        return dst;
    }

    // include/net/dst.h: skb_dst_drop
    /// <summary>Detaches the skb's route.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_dst_drop(sk_buff skb)
    {
        // not ported: refdst_drop's dst_release — an skb's reference on its route is not counted
        // (skb frees, clones and copies move _skb_refdst as a plain pointer), so only
        // the next-hop caches' and sockets' references are.
        skb.dst = null;
    }

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
    [KernelNet.Annotations.Borrows("skb")]
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
