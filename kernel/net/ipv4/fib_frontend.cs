// Ports net/ipv4/fib_frontend.c: the routes an address brings with it
// (fib_add_ifaddr), address-type lookups, and source validation.
//
// not ported: rtnetlink route requests (routes are added by the scenario
// builder through fib_magic-like calls), reverse-path filtering.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Net.Ipv4.fib_trie_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class fib_frontend_c
{
    // net/ipv4/fib_frontend.c: inet_rtm_newroute
    /// <summary>
    /// `ip route add DST/LEN [via GW] [dev DEV] [table T]`: checks the next
    /// hop as fib_create_info/fib_check_nh do (a gateway must be reachable
    /// on link; its device is found by a lookup when none is given) and
    /// inserts the route. 0, or -ENETUNREACH / -ENODEV / -EINVAL / -EEXIST.
    /// </summary>
    public static int inet_rtm_newroute(net net, fib_config cfg)
    {
        var ipv4 = netns_ipv4.of(net);
        net_device? dev = null;
        if (cfg.fc_oif != 0)
        {
            dev = Core.dev_c.dev_get_by_index(net, cfg.fc_oif);
            if (dev is null)
            {
                return -Include.Uapi.AsmGeneric.errno_base_h.ENODEV;
            }
        }

        if (cfg.fc_dst_len < 0 || cfg.fc_dst_len > 32 || (cfg.fc_dst & ~Include.Linux.inetdevice_h.inet_make_mask(cfg.fc_dst_len)) != 0)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        var scope = cfg.fc_scope ?? (cfg.fc_gw4 != 0 ? route_h.RT_SCOPE_UNIVERSE : route_h.RT_SCOPE_LINK);
        if (cfg.fc_gw4 != 0)
        {
            // fib_check_nh_v4_gw: the gateway must be on link (a route of link scope or narrower covers it).
            var fl4 = new flowi4 { daddr = cfg.fc_gw4, flowi4_scope = (byte)(scope + 1), flowi4_oif = cfg.fc_oif, flowi4_iif = 0 };
            var res = new fib_result();
            if (fib_table_lookup(ipv4.fib_main, fl4, res, 0) != 0 || res.type != rtn_type.RTN_UNICAST && res.type != rtn_type.RTN_LOCAL)
            {
                return -Include.Uapi.AsmGeneric.errno_h.ENETUNREACH;
            }

            dev ??= res.fa!.nh_dev;
        }

        if (dev is null)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.ENODEV;
        }

        var tb = cfg.fc_table == route_h.RT_TABLE_LOCAL ? ipv4.fib_local : ipv4.fib_main;
        return fib_table_insert(tb, new fib_alias
        {
            dst = cfg.fc_dst,
            dst_len = cfg.fc_dst_len,
            fa_type = cfg.fc_type,
            fa_scope = scope,
            tb_id = cfg.fc_table,
            fib_priority = cfg.fc_priority,
            fib_prefsrc = cfg.fc_prefsrc,
            nh_dev = dev,
            nh_gw4 = cfg.fc_gw4,
        });
    }

    // net/ipv4/fib_frontend.c: fib_magic
    /// <summary>Inserts a route the kernel derives from an address (local, broadcast, prefix).</summary>
    private static void fib_magic(net net, rtn_type type, uint dst, int dst_len, in_ifaddr ifa, net_device dev, uint tb_id, byte scope)
    {
        var ipv4 = netns_ipv4.of(net);
        fib_table_insert(tb_id == route_h.RT_TABLE_LOCAL ? ipv4.fib_local : ipv4.fib_main, new fib_alias
        {
            dst = dst,
            dst_len = dst_len,
            fa_type = type,
            fa_scope = scope,
            tb_id = tb_id,
            fib_prefsrc = ifa.ifa_local,
            nh_dev = dev,
        });
    }

    // net/ipv4/fib_frontend.c: fib_add_ifaddr
    /// <summary>
    /// What `ip addr add A/N dev D` installs: a local route for A, a
    /// broadcast route, and the on-link prefix route in main.
    /// </summary>
    public static void fib_add_ifaddr(in_ifaddr ifa, net_device dev)
    {
        var net = dev.nd_net;
        var prefix = ifa.ifa_address & ifa.ifa_mask;
        fib_magic(net, rtn_type.RTN_LOCAL, ifa.ifa_local, 32, ifa, dev, route_h.RT_TABLE_LOCAL, route_h.RT_SCOPE_HOST);
        if (ifa.ifa_broadcast != 0 && ifa.ifa_broadcast != 0xffffffff)
        {
            fib_magic(net, rtn_type.RTN_BROADCAST, ifa.ifa_broadcast, 32, ifa, dev, route_h.RT_TABLE_LOCAL, route_h.RT_SCOPE_LINK);
        }

        if (ifa.ifa_prefixlen < 32)
        {
            var type = (dev.flags & net_device.IFF_LOOPBACK) != 0 ? rtn_type.RTN_LOCAL : rtn_type.RTN_UNICAST;
            var table = type == rtn_type.RTN_LOCAL ? route_h.RT_TABLE_LOCAL : route_h.RT_TABLE_MAIN;
            var scope = type == rtn_type.RTN_LOCAL ? route_h.RT_SCOPE_HOST : route_h.RT_SCOPE_LINK;
            fib_magic(net, type, prefix, ifa.ifa_prefixlen, ifa, dev, table, scope);
        }
    }

    // net/ipv4/fib_frontend.c: __inet_dev_addr_type
    /// <summary>The type of <paramref name="addr"/> by a lookup in the local table (RTN_LOCAL for our own addresses).</summary>
    private static rtn_type __inet_dev_addr_type(net net, net_device? dev, uint addr, uint tb_id)
    {
        // 0.0.0.0/8 and the limited broadcast
        if ((addr & 0xff000000) == 0 || addr == 0xffffffff)
        {
            return rtn_type.RTN_BROADCAST;
        }

        if ((addr & 0xf0000000) == 0xe0000000)
        {
            return rtn_type.RTN_MULTICAST;
        }

        var ipv4 = netns_ipv4.of(net);
        var table = tb_id == route_h.RT_TABLE_LOCAL ? ipv4.fib_local : ipv4.fib_main;
        var fl4 = new flowi4 { daddr = addr, flowi4_iif = 0, flowi4_oif = 0 };
        var res = new fib_result();

        // the table exists (both always do here): an address it has no route for is a plain unicast one
        var ret = rtn_type.RTN_UNICAST;
        if (fib_table_lookup(table, fl4, res, 0) == 0 && (dev is null || dev == res.fa?.nh_dev))
        {
            ret = res.type;
        }

        return ret;
    }

    // net/ipv4/fib_frontend.c: fib_compute_spec_dst
    /// <summary>
    /// The address this host answers a received packet from: its
    /// destination when that is one of ours (a local, not broadcast,
    /// route); otherwise the preferred source of the route back to the
    /// sender, or an address of the receiving device.
    /// </summary>
    public static uint fib_compute_spec_dst(sk_buff skb)
    {
        var dev = skb.dev!;
        var rt = route_h.skb_rtable(skb)!;
        if ((rt.rt_flags & (route_h.RTCF_BROADCAST | route_h.RTCF_MULTICAST | route_h.RTCF_LOCAL)) == route_h.RTCF_LOCAL)
        {
            return ip_hdr(skb).daddr;
        }

        var net = dev.nd_net;
        var scope = route_h.RT_SCOPE_UNIVERSE;
        if (ip_hdr(skb).saddr != 0)
        {
            // not ported: l3mdev and the src_valid_mark flow mark (no VRF; the mark sysctl is not modelled).
            var fl4 = new flowi4
            {
                flowi4_iif = 1, // LOOPBACK_IFINDEX
                daddr = ip_hdr(skb).saddr,
                flowi4_tos = (byte)(ip_hdr(skb).tos & 0xfc),
                flowi4_scope = scope,
            };
            var res = new fib_result();
            if (ip_fib_h.fib_lookup(net, fl4, res, 0) == 0)
            {
                // fib_result_prefsrc (fib_semantics.c): the route's prefsrc, else an address of its device for its gateway.
                var fa = res.fa!;
                return fa.fib_prefsrc != 0 ? fa.fib_prefsrc : devinet_c.inet_select_addr(fa.nh_dev!, fa.nh_gw4, fa.fa_scope);
            }
        }
        else
        {
            scope = route_h.RT_SCOPE_LINK;
        }

        return devinet_c.inet_select_addr(dev, ip_hdr(skb).saddr, scope);
    }

    // net/ipv4/fib_frontend.c: inet_addr_type_table
    public static rtn_type inet_addr_type_table(net net, uint addr, uint tb_id) => __inet_dev_addr_type(net, null, addr, tb_id);

    // net/ipv4/fib_frontend.c: inet_addr_type
    public static rtn_type inet_addr_type(net net, uint addr) => __inet_dev_addr_type(net, null, addr, route_h.RT_TABLE_LOCAL);

    // net/ipv4/fib_frontend.c: inet_addr_type_dev_table
    public static rtn_type inet_addr_type_dev_table(net net, net_device dev, uint addr) => __inet_dev_addr_type(net, dev, addr, route_h.RT_TABLE_LOCAL);
}
