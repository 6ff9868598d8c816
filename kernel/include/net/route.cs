// Ports include/net/route.h: struct rtable and route types.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>Route types (include/uapi/linux/rtnetlink.h: RTN_*).</summary>
public enum rtn_type : byte
{
    RTN_UNSPEC = 0,
    RTN_UNICAST,
    RTN_LOCAL,
    RTN_BROADCAST,
    RTN_ANYCAST,
    RTN_MULTICAST,
    RTN_BLACKHOLE,
    RTN_UNREACHABLE,
    RTN_PROHIBIT,
    RTN_THROW,
    RTN_NAT,
}

/// <summary>struct rtable: an IPv4 route (a dst_entry plus the next hop).</summary>
public sealed class rtable : dst_entry
{
    public rtable(net_device? dev)
        : base(dev)
    {
    }

    public uint rt_flags { get; set; }

    public rtn_type rt_type { get; set; }

    public bool rt_is_input { get; set; }

    public bool rt_uses_gateway { get; set; }

    public int rt_iif { get; set; }

    /// <summary>The gateway, or 0 when the destination is on link.</summary>
    public uint rt_gw4 { get; set; }

    public uint rt_pmtu { get; set; }

    /// <summary>rt_mtu_locked: the path MTU came below ip_rt_min_pmtu and is held at that floor.</summary>
    public bool rt_mtu_locked { get; set; }

    /// <summary>rt_genid: the namespace's rt_genid when the route was made; a flush (rt_cache_flush) makes it stale.</summary>
    public int rt_genid { get; set; }
}

public static class route_h
{
    public const uint RTCF_DOREDIRECT = 0x01000000;
    public const uint RTCF_NOTIFY = 0x00010000;
    public const uint RTCF_REDIRECTED = 0x00040000;
    public const uint RTCF_BROADCAST = 0x10000000;
    public const uint RTCF_MULTICAST = 0x20000000;
    public const uint RTCF_LOCAL = 0x80000000;

    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;
    public const byte RT_SCOPE_HOST = 254;

    /// <summary>RT_SCOPE_NOWHERE: the destination does not exist (a host route's next hop scope).</summary>
    public const byte RT_SCOPE_NOWHERE = 255;

    public const uint RT_TABLE_MAIN = 254;
    public const uint RT_TABLE_LOCAL = 255;

    /// <summary>ip_tos2prio (net/ipv4/route.c): the TC_PRIO_* band of each TOS, by tos bits 1-4.</summary>
    private static System.ReadOnlySpan<byte> ip_tos2prio => [0, 0, 0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 4, 4, 4, 4];

    // not ported: IPTOS_TOS — the mask (0x1e) is applied inline
    // include/net/route.h: rt_tos2priority
    /// <summary>The skb priority a TOS maps to (pfifo_fast's band follows it).</summary>
    public static uint rt_tos2priority(byte tos) => ip_tos2prio[(tos & 0x1e) >> 1];

    // include/net/route.h: rt_is_input_route
    public static bool rt_is_input_route(rtable rt) => rt.rt_is_input;

    // include/net/route.h: rt_is_output_route
    public static bool rt_is_output_route(rtable rt) => !rt.rt_is_input;

    // not ported: dst_rtable, skb_dst — the dst is the skb's field, cast to rtable
    // include/net/route.h: skb_rtable
    [KernelNet.Annotations.Borrows("skb")]
    public static rtable? skb_rtable(sk_buff skb) => skb.dst as rtable;

    // include/net/route.h: rt_nexthop
    /// <summary>The address to resolve for this route: the gateway, or the destination itself.</summary>
    public static uint rt_nexthop(rtable rt, uint daddr) => rt.rt_gw4 != 0 ? rt.rt_gw4 : daddr;

    // include/net/route.h: ip_route_input
    /// <summary>
    /// ip_route_input_noref for a caller that keeps the route past the RCU
    /// section (ip_options_rcv_srr): SKB_NOT_DROPPED_YET with the route on the
    /// skb, else why not.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static skb_drop_reason ip_route_input(sk_buff skb, uint dst, uint src, byte dscp, net_device devin)
    {
        // rcu_read_lock/unlock: nothing runs concurrently in the simulation.
        var reason = KernelNet.Kernel.Net.Ipv4.route_c.ip_route_input_noref(skb, dst, src, dscp, devin);
        if (reason == skb_drop_reason.SKB_NOT_DROPPED_YET)
        {
            // not ported: skb_dst_force — the port's dst references are plain references, never noref ones.
            if (Linux.skbuff_h.skb_dst(skb) is null)
            {
                reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
            }
        }

        return reason;
    }

    // include/net/route.h: ip_neigh_for_gw
    /// <summary>The neighbour of the route's next hop (the gateway or the destination), created if needed.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static neighbour? ip_neigh_for_gw(rtable rt, sk_buff skb)
    {
        // not ported: ip_neigh_gw4, ip_neigh_gw6 — no IPv6 gateways: the IPv4 lookup-or-create of ip_neigh_gw4 is written in place
        var dev = rt.dev!;
        var nexthop = rt_nexthop(rt, Linux.ip_h.ip_hdr(skb).daddr);
        var tbl = dev.nd_net.k.globals<KernelNet.Kernel.Net.Ipv4.arp_globals>().arp_tbl;
        return arp_h.__ipv4_neigh_lookup_noref(dev, nexthop)
            ?? KernelNet.Kernel.Net.Core.neighbour_c.__neigh_create(tbl, nexthop, dev, false);
    }

    // include/net/route.h: ip_route_connect_init
    /// <summary>Fills the flow of a connecting socket.</summary>
    public static void ip_route_connect_init(ref flowi4 fl4, uint dst, uint src, int oif, byte protocol, ushort sport, ushort dport, sock sk)
    {
        // not ported: flowi4_init_output, ip_sock_rt_scope, ip_sock_rt_tos, sk_uid — the flow fields are written one by one; scope is universe (no SO_DONTROUTE/RTO_ONLINK); tos is the inet_sock's; no uids
        fl4.flowi4_oif = oif;
        fl4.flowi4_mark = sk.sk_mark;
        fl4.flowi4_tos = ((inet_sock)sk.proto_data!).tos;
        fl4.flowi4_proto = protocol;
        fl4.flowi4_flags = 0; // inet_sk_flowi_flags: no transparent or nonlocal sockets
        fl4.daddr = dst;
        fl4.saddr = src;
        fl4.fl4_sport = sport;
        fl4.fl4_dport = dport;
    }

    // include/net/route.h: ip_route_connect
    /// <summary>The route of a connecting socket: the source address from the FIB when unbound, then the full lookup.</summary>
    public static rtable? ip_route_connect(ref flowi4 fl4, uint dst, uint src, int oif, byte protocol, ushort sport, ushort dport, sock sk, out int err)
    {
        // not ported: __ip_route_output_key, ip_rt_put, flowi4_update_output, flowi4_to_flowi_common — the first lookup is ip_route_output_flow without a socket; the route is a C# object (no ref to put) and the lookup writes the chosen addresses into fl4 itself
        var net = sk.sk_net;
        ip_route_connect_init(ref fl4, dst, src, oif, protocol, sport, dport, sk);
        if (dst == 0 || src == 0)
        {
            var rt = KernelNet.Kernel.Net.Ipv4.route_c.ip_route_output_flow(net, ref fl4, null, out err); // __ip_route_output_key
            if (rt is null)
            {
                return null;
            }

            // ip_rt_put(rt); flowi4_update_output: the lookup chose the addresses.
        }

        return KernelNet.Kernel.Net.Ipv4.route_c.ip_route_output_flow(net, ref fl4, sk, out err);
    }

    // include/net/route.h: ip_route_output_key
    public static rtable? ip_route_output_key(net net, ref flowi4 flp, out int err) =>
        KernelNet.Kernel.Net.Ipv4.route_c.ip_route_output_flow(net, ref flp, null, out err);
}
