// Ports include/net/ip_fib.h: FIB tables, results, and fib_lookup.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// One route in a table (struct fib_alias with its fib_info and next hop
/// folded in: one next hop per route, no multipath).
/// </summary>
public sealed class fib_alias
{
    public uint dst { get; init; }

    public int dst_len { get; init; }

    public rtn_type fa_type { get; init; }

    public byte fa_scope { get; init; }

    /// <summary>The table the route was added to (local routes stay 255 in the merged trie).</summary>
    public uint tb_id { get; init; }

    public uint fib_priority { get; init; }

    public uint fib_prefsrc { get; init; }

    public net_device? nh_dev { get; init; }

    public uint nh_gw4 { get; init; }

    /// <summary>
    /// fib_nh_scope: the scope of the next hop — RT_SCOPE_NOWHERE for a host route (a local
    /// address: it survives its device going down), RT_SCOPE_HOST for a direct one, the gateway's
    /// route's scope (link) for one via a gateway (fib_create_info, fib_check_nh).
    /// </summary>
    public byte fib_nh_scope { get; init; } = route_h.RT_SCOPE_HOST;

    /// <summary>fi->fib_flags: RTNH_F_DEAD once its only next hop is dead (fib_sync_down_dev, fib_sync_down_addr); fib_flush removes it then.</summary>
    public uint fib_flags { get; set; }

    /// <summary>fib_nh_flags: the next hop's RTNH_F_DEAD and RTNH_F_LINKDOWN.</summary>
    public uint fib_nh_flags { get; set; }

    /// <summary>nhc_rth_input: the input route cached for this next hop (local delivery or forwarding through it).</summary>
    public rtable? nhc_rth_input { get; set; }

    /// <summary>
    /// nhc_pcpu_rth_output: the output route cached for this next hop, one per
    /// CPU (fib_nh_common_init's alloc_percpu, made here when the first route is cached: nr_cpu_ids slots).
    /// </summary>
    public rtable?[]? nhc_pcpu_rth_output { get; set; }

    /// <summary>nhc_exceptions: what was learned about single destinations behind this next hop (path MTU), by destination.</summary>
    public List<fib_nh_exception>? nhc_exceptions { get; set; }
}

/// <summary>
/// struct fib_nh_exception: a per-destination exception of a next hop (a
/// learned path MTU or a redirect's gateway), which routes to that
/// destination copy (rt_bind_exception).
/// </summary>
public sealed class fib_nh_exception
{
    public uint fnhe_daddr { get; set; }

    public uint fnhe_gw { get; set; }

    public uint fnhe_pmtu { get; set; }

    public bool fnhe_mtu_locked { get; set; }

    /// <summary>The jiffy the exception lapses (ip_rt_mtu_expires after it was learned).</summary>
    public ulong fnhe_expires { get; set; }

    /// <summary>The jiffy it was last updated (fnhe_remove_oldest's age).</summary>
    public ulong fnhe_stamp { get; set; }
}

/// <summary>struct fib_table. The local table aliases the main table's data, as fib_trie does when no custom rules exist.</summary>
public sealed class fib_table
{
    public fib_table(net net, uint tb_id, List<fib_alias> data)
    {
        this.net = net;
        this.tb_id = tb_id;
        tb_data = data;
    }

    public net net { get; }

    public uint tb_id { get; }

    /// <summary>The routes (the trie in C), shared between local and main.</summary>
    public List<fib_alias> tb_data { get; }
}

/// <summary>struct fib_config: a route request (`ip route add` as rtm_to_fib_config reads it).</summary>
public sealed class fib_config
{
    public uint fc_dst { get; init; }

    public int fc_dst_len { get; init; }

    /// <summary>RT_TABLE_MAIN unless given.</summary>
    public uint fc_table { get; init; } = route_h.RT_TABLE_MAIN;

    public rtn_type fc_type { get; init; } = rtn_type.RTN_UNICAST;

    /// <summary>`ip route` picks link scope for a route without gateway, universe with one.</summary>
    public byte? fc_scope { get; init; }

    /// <summary>The gateway (via), 0 for on-link.</summary>
    public uint fc_gw4 { get; init; }

    /// <summary>The output device's ifindex (dev), 0 to find it from the gateway.</summary>
    public int fc_oif { get; init; }

    public uint fc_prefsrc { get; init; }

    public uint fc_priority { get; init; }
}

/// <summary>struct fib_result: what a FIB lookup found, on its caller's stack (passed by ref, as C passes a pointer).</summary>
public struct fib_result
{
    public byte prefixlen;

    public rtn_type type;

    public byte scope;

    public fib_alias? fa;

    public fib_table? table;
}

public static class ip_fib_h
{
    /// <summary>RTNH_F_DEAD (include/uapi/linux/rtnetlink.h): the next hop is dead.</summary>
    public const uint RTNH_F_DEAD = 1;

    /// <summary>RTNH_F_LINKDOWN: the next hop's carrier is down.</summary>
    public const uint RTNH_F_LINKDOWN = 16;

    // include/net/ip_fib.h: fib_lookup
    /// <summary>Without custom rules the kernel looks in the main table, whose trie also holds the local routes.</summary>
    public static int fib_lookup(net net, in flowi4 flp, ref fib_result res, uint flags)
    {
        // not ported: fib_get_table, __fib_lookup — no policy routing rules: the main table is searched directly
        var ipv4 = Netns.netns_ipv4.of(net);
        return KernelNet.Kernel.Net.Ipv4.fib_trie_c.fib_table_lookup(ipv4.fib_main, in flp, ref res, flags);
    }

    // include/net/ip_fib.h: fib_validate_source_reason
    /// <summary>Source checks on input; with rp_filter off (the default in a new namespace) only a local source is a martian.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static skb_drop_reason fib_validate_source_reason(sk_buff skb, uint src, uint dst, net_device dev)
    {
        // not ported: fib_validate_source — only the local-source check is ported: no rp_filter or source routing
        if (src != 0 && KernelNet.Kernel.Net.Ipv4.fib_frontend_c.inet_addr_type(dev.nd_net, src) == rtn_type.RTN_LOCAL && (dev.flags & net_device.IFF_LOOPBACK) == 0)
        {
            return skb_drop_reason.SKB_DROP_REASON_IP_LOCAL_SOURCE;
        }

        return skb_drop_reason.SKB_NOT_DROPPED_YET;
    }
}
