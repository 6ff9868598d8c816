// Ports net/ipv4/fib_frontend.c: the routes an address brings with it
// (fib_add_ifaddr), address-type lookups, and source validation.
//
// not ported: rtnetlink route requests (routes are added by the scenario
// builder through fib_magic-like calls), reverse-path filtering.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using static KernelNet.Kernel.Net.Ipv4.fib_trie_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class fib_frontend_c
{
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
        if (addr == 0xffffffff)
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
        var ret = rtn_type.RTN_BROADCAST;
        if (fib_table_lookup(table, fl4, res, 0) == 0)
        {
            ret = res.type;
        }

        return ret;
    }

    // net/ipv4/fib_frontend.c: inet_addr_type_table
    public static rtn_type inet_addr_type_table(net net, uint addr, uint tb_id) => __inet_dev_addr_type(net, null, addr, tb_id);

    // net/ipv4/fib_frontend.c: inet_addr_type
    public static rtn_type inet_addr_type(net net, uint addr) => __inet_dev_addr_type(net, null, addr, route_h.RT_TABLE_LOCAL);

    // net/ipv4/fib_frontend.c: inet_addr_type_dev_table
    public static rtn_type inet_addr_type_dev_table(net net, net_device dev, uint addr) => __inet_dev_addr_type(net, dev, addr, route_h.RT_TABLE_LOCAL);
}
