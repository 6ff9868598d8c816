// Ports net/ipv4/fib_frontend.c: the routes an address brings with it
// (fib_add_ifaddr) and takes away (fib_del_ifaddr), what a device going down,
// coming up or going away does to routes (fib_netdev_event, fib_disable_ip,
// fib_flush), address-type lookups, and source validation.
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
        // not ported: rtm_to_fib_config — no netlink: the caller hands the fib_config; fib_new_table — the main
        //   table always exists (netns_ipv4.fib_main: no other table ids); rtnl_net_lock, rtnl_net_unlock — no RTNL (one thread)
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
        var gw_scope = route_h.RT_SCOPE_HOST;
        if (cfg.fc_gw4 != 0)
        {
            // fib_check_nh_v4_gw: the gateway must be on link (a route of link scope or narrower covers it).
            var fl4 = new flowi4 { daddr = cfg.fc_gw4, flowi4_scope = (byte)(scope + 1), flowi4_oif = cfg.fc_oif, flowi4_iif = 0 };
            var res = new fib_result();
            if (fib_table_lookup(ipv4.fib_main, fl4, ref res, 0) != 0 || res.type != rtn_type.RTN_UNICAST && res.type != rtn_type.RTN_LOCAL)
            {
                return -Include.Uapi.AsmGeneric.errno_h.ENETUNREACH;
            }

            dev ??= res.fa!.nh_dev;
            gw_scope = res.scope;
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

            // fib_create_info and fib_check_nh: a host route's next hop has no scope, a gateway's is the scope of the route that reaches it
            fib_nh_scope = scope == route_h.RT_SCOPE_HOST ? route_h.RT_SCOPE_NOWHERE : gw_scope,
        });
    }

    // not ported: l3mdev_fib_table, fib_new_table — no VRF; the main and local tables always exist; dev_net — the
    // device's nd_net.
    // net/ipv4/fib_frontend.c: fib_magic
    /// <summary>
    /// Adds (RTM_NEWROUTE) or deletes (RTM_DELROUTE) a route the kernel derives from an address:
    /// in the main table for a unicast prefix, the local table otherwise; link scope, or host
    /// scope for a local route; the address as preferred source, out of its device.
    /// </summary>
    private static void fib_magic(int cmd, rtn_type type, uint dst, int dst_len, in_ifaddr ifa, uint rt_priority)
    {
        var dev = ifa.ifa_dev!.dev;
        var net = dev.nd_net;
        var ipv4 = netns_ipv4.of(net);
        var tb_id = type == rtn_type.RTN_UNICAST ? route_h.RT_TABLE_MAIN : route_h.RT_TABLE_LOCAL;
        var tb = tb_id == route_h.RT_TABLE_LOCAL ? ipv4.fib_local : ipv4.fib_main;
        var scope = type != rtn_type.RTN_LOCAL ? route_h.RT_SCOPE_LINK : route_h.RT_SCOPE_HOST;

        if (cmd == RTM_NEWROUTE)
        {
            // fib_create_info: a host-scope route's next hop has no scope of its own (RT_SCOPE_NOWHERE);
            // a direct one is of host scope (fib_check_nh_nongw)
            fib_table_insert(tb, new fib_alias
            {
                dst = dst,
                dst_len = dst_len,
                fa_type = type,
                fa_scope = scope,
                tb_id = tb_id,
                fib_priority = rt_priority,
                fib_prefsrc = ifa.ifa_local,
                nh_dev = dev,
                fib_nh_scope = scope == route_h.RT_SCOPE_HOST ? route_h.RT_SCOPE_NOWHERE : route_h.RT_SCOPE_HOST,
            });
        }
        else
        {
            fib_table_delete(net, tb, new fib_config
            {
                fc_type = type,
                fc_dst = dst,
                fc_dst_len = dst_len,
                fc_priority = rt_priority,
                fc_prefsrc = ifa.ifa_local,
                fc_oif = dev.ifindex,
                fc_table = tb_id,
                fc_scope = scope,
            });
        }
    }

    /// <summary>RTM_NEWROUTE, RTM_DELROUTE (include/uapi/linux/rtnetlink.h): the two commands fib_magic is given.</summary>
    private const int RTM_NEWROUTE = 24;
    private const int RTM_DELROUTE = 25;

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/in.h's ipv4_is_zeronet in host order, a header not ported")]
    private static bool ipv4_is_zeronet(uint a) => (a & 0xff000000) == 0;

    // not ported: inet_ifa_byprefix and the IFA_F_SECONDARY branch — no secondary addresses (every address is a
    // primary here); IFA_F_NOPREFIXROUTE — `ip addr add` never sets it here; arp_invalidate — an ARP entry for a
    // broadcast address cannot exist here (arp_constructor makes broadcast entries NOARP without a cache entry).
    // net/ipv4/fib_frontend.c: fib_add_ifaddr
    /// <summary>
    /// The routes an address brings: its local route (always, even on a device that is down),
    /// and on a device that is up the broadcast route of its explicit broadcast, the prefix
    /// route (main table) and the subnet's broadcast route when the prefix is shorter than 31.
    /// </summary>
    public static void fib_add_ifaddr(in_ifaddr ifa)
    {
        var in_dev = ifa.ifa_dev!;
        var dev = in_dev.dev;
        var prim = ifa;
        var mask = ifa.ifa_mask;
        var addr = ifa.ifa_local;
        var prefix = ifa.ifa_address & mask;

        fib_magic(RTM_NEWROUTE, rtn_type.RTN_LOCAL, addr, 32, prim, 0);

        if ((dev.flags & net_device.IFF_UP) == 0)
        {
            return;
        }

        // the broadcast address, when one was given
        if (ifa.ifa_broadcast != 0 && ifa.ifa_broadcast != 0xffffffff)
        {
            fib_magic(RTM_NEWROUTE, rtn_type.RTN_BROADCAST, ifa.ifa_broadcast, 32, prim, 0);
        }

        if (!ipv4_is_zeronet(prefix) && (prefix != addr || ifa.ifa_prefixlen < 32))
        {
            fib_magic(RTM_NEWROUTE, (dev.flags & net_device.IFF_LOOPBACK) != 0 ? rtn_type.RTN_LOCAL : rtn_type.RTN_UNICAST, prefix, ifa.ifa_prefixlen, prim, 0);

            // the subnet's broadcast address, where a subnet has one
            if (ifa.ifa_prefixlen < 31)
            {
                fib_magic(RTM_NEWROUTE, rtn_type.RTN_BROADCAST, prefix | ~mask, 32, prim, 0);
            }
        }
    }

    // not ported: inet_ifa_byprefix, IFA_F_SECONDARY and address promotion (iprim) — no secondary addresses here,
    // every address is a primary; IFA_F_NOPREFIXROUTE — never set here; in_dev_for_each_ifa_rcu — the device's
    // ifa_list is walked (no RCU); dev_net — the device's nd_net.
    // net/ipv4/fib_frontend.c: fib_del_ifaddr
    /// <summary>
    /// The routes <paramref name="ifa"/> brought go with it — its prefix route, its broadcast
    /// routes and its local route — except those another address of the device still needs
    /// (the same local address, the same broadcast); a local address that is gone for good
    /// also kills the routes that named it as preferred source (fib_sync_down_addr, fib_flush).
    /// </summary>
    public static void fib_del_ifaddr(in_ifaddr ifa, in_ifaddr? iprim)
    {
        var in_dev = ifa.ifa_dev!;
        var dev = in_dev.dev;
        var prim = ifa;
        in_ifaddr? prim1 = null;
        var brd = ifa.ifa_address | ~ifa.ifa_mask;
        var any = ifa.ifa_address & ifa.ifa_mask;
        const uint LOCAL_OK = 1;
        const uint BRD_OK = 2;
        const uint BRD0_OK = 4;
        const uint BRD1_OK = 8;
        uint ok = 0;
        var subnet = false;
        var gone = true;

        if (!ipv4_is_zeronet(any) && (any != ifa.ifa_local || ifa.ifa_prefixlen < 32))
        {
            fib_magic(RTM_DELROUTE, (dev.flags & net_device.IFF_LOOPBACK) != 0 ? rtn_type.RTN_LOCAL : rtn_type.RTN_UNICAST, any, ifa.ifa_prefixlen, prim, 0);
            subnet = true;
        }

        if (in_dev.dead)
        {
            goto no_promotions;
        }

        // the other addresses of the device: what they still need stays
        foreach (var ifa1 in in_dev.ifa_list)
        {
            if (ifa1 == ifa)
            {
                // promotion, keep the IP
                gone = false;
                continue;
            }

            // ignore the addresses of the subnet being deleted
            if (iprim is not null && ifa1.ifa_mask == iprim.ifa_mask && inetdevice_h.inet_ifa_match(ifa1.ifa_address, iprim))
            {
                continue;
            }

            // every address is a primary: one with another local address is not ours to look at
            if (prim.ifa_local != ifa1.ifa_local)
            {
                continue;
            }

            prim1 = ifa1;

            if (ifa.ifa_local == ifa1.ifa_local)
            {
                ok |= LOCAL_OK;
            }

            if (ifa.ifa_broadcast == ifa1.ifa_broadcast)
            {
                ok |= BRD_OK;
            }

            if (brd == ifa1.ifa_broadcast)
            {
                ok |= BRD1_OK;
            }

            if (any == ifa1.ifa_broadcast)
            {
                ok |= BRD0_OK;
            }

            // a primary has its subnet's broadcast routes
            if (prim1 == ifa1 && ifa1.ifa_prefixlen < 31)
            {
                var brd1 = ifa1.ifa_address | ~ifa1.ifa_mask;
                var any1 = ifa1.ifa_address & ifa1.ifa_mask;

                if (!ipv4_is_zeronet(any1))
                {
                    if (ifa.ifa_broadcast == brd1 || ifa.ifa_broadcast == any1)
                    {
                        ok |= BRD_OK;
                    }

                    if (brd == brd1 || brd == any1)
                    {
                        ok |= BRD1_OK;
                    }

                    if (any == brd1 || any == any1)
                    {
                        ok |= BRD0_OK;
                    }
                }
            }
        }

    no_promotions:
        if ((ok & BRD_OK) == 0)
        {
            fib_magic(RTM_DELROUTE, rtn_type.RTN_BROADCAST, ifa.ifa_broadcast, 32, prim, 0);
        }

        if (subnet && ifa.ifa_prefixlen < 31)
        {
            if ((ok & BRD1_OK) == 0)
            {
                fib_magic(RTM_DELROUTE, rtn_type.RTN_BROADCAST, brd, 32, prim, 0);
            }

            if ((ok & BRD0_OK) == 0)
            {
                fib_magic(RTM_DELROUTE, rtn_type.RTN_BROADCAST, any, 32, prim, 0);
            }
        }

        if ((ok & LOCAL_OK) == 0)
        {
            fib_magic(RTM_DELROUTE, rtn_type.RTN_LOCAL, ifa.ifa_local, 32, prim, 0);

            // is the local address gone for good?
            var addr_type = inet_addr_type_dev_table(dev.nd_net, dev, ifa.ifa_local);
            if (gone && addr_type != rtn_type.RTN_LOCAL)
            {
                // routes that still name it as their preferred source go too
                if (fib_semantics_c.fib_sync_down_addr(dev, ifa.ifa_local) != 0)
                {
                    fib_flush(dev.nd_net);
                }
            }
        }
    }

    // net/ipv4/fib_frontend.c: __inet_dev_addr_type
    /// <summary>The type of <paramref name="addr"/> by a lookup in the local table (RTN_LOCAL for our own addresses).</summary>
    private static rtn_type __inet_dev_addr_type(net net, net_device? dev, uint addr, uint tb_id)
    {
        // not ported: fib_get_table — the namespace's two tables are fields (fib_local, fib_main), both always
        //   there; fib_info_nhc — the next hop's device is the alias's field nh_dev
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
        if (fib_table_lookup(table, fl4, ref res, 0) == 0 && (dev is null || dev == res.fa?.nh_dev))
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
    [KernelNet.Annotations.Borrows("skb")]
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
        // ipv4_is_zeronet: a source in 0.0.0.0/8 asks for a link-scope address
        if ((ip_hdr(skb).saddr & 0xff000000) != 0)
        {
            // not ported: __in_dev_get_rcu, IN_DEV_SRC_VMARK — src_valid_mark is not a knob here (0): the lookup
            //   carries no mark; l3mdev_master_ifindex_rcu — no VRF (l3mdev) devices
            var fl4 = new flowi4
            {
                flowi4_iif = 1, // LOOPBACK_IFINDEX
                daddr = ip_hdr(skb).saddr,
                flowi4_tos = Include.Net.ip_h.ip4h_dscp(ip_hdr(skb)),
                flowi4_scope = scope,
            };
            var res = new fib_result();
            if (ip_fib_h.fib_lookup(net, fl4, ref res, 0) == 0)
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

    // not ported: l3mdev_fib_table — no VRF (l3mdev) devices: always the local table
    // net/ipv4/fib_frontend.c: inet_addr_type_dev_table
    public static rtn_type inet_addr_type_dev_table(net net, net_device dev, uint addr) => __inet_dev_addr_type(net, dev, addr, route_h.RT_TABLE_LOCAL);

    // net/ipv4/fib_frontend.c: fib_flush
    /// <summary>Removes the dead routes of every table (fib_table_flush); cached routes are flushed if any went.</summary>
    public static void fib_flush(net net)
    {
        var ipv4 = netns_ipv4.of(net);
        var flushed = 0;

        // the namespace's tables: main and local (fib_table_hash holds no others here)
        flushed += fib_table_flush(net, ipv4.fib_main, false);
        flushed += fib_table_flush(net, ipv4.fib_local, false);

        if (flushed != 0)
        {
            route_c.rt_cache_flush(net);
        }
    }

    // not ported: dev_net — the device's nd_net.
    // net/ipv4/fib_frontend.c: fib_disable_ip
    /// <summary>
    /// IPv4 stops using <paramref name="dev"/>: the routes through it die and are flushed
    /// (with <paramref name="force"/> its local routes too), and its neighbours go (arp_ifdown).
    /// </summary>
    private static void fib_disable_ip(net_device dev, int @event, bool force)
    {
        if (fib_semantics_c.fib_sync_down_dev(dev, @event, force) != 0)
        {
            fib_flush(dev.nd_net);
        }
        else
        {
            route_c.rt_cache_flush(dev.nd_net);
        }

        arp_c.arp_ifdown(dev);
    }

    // not ported: dev_addr_genid — nothing in the port reads it; dev_net — the device's nd_net.
    // net/ipv4/fib_frontend.c: fib_inetaddr_event
    /// <summary>
    /// The inetaddr notifier: an address added (NETDEV_UP) brings its routes; one deleted
    /// (NETDEV_DOWN) takes them, and the device's last one takes IPv4 off the device
    /// (fib_disable_ip, forced: its local routes too).
    /// </summary>
    public static int fib_inetaddr_event(in_ifaddr ifa, int @event)
    {
        var dev = ifa.ifa_dev!.dev;
        var net = dev.nd_net;

        switch (@event)
        {
            case netdevice_h.NETDEV_UP:
                fib_add_ifaddr(ifa);

                // CONFIG_IP_ROUTE_MULTIPATH
                fib_semantics_c.fib_sync_up(dev, ip_fib_h.RTNH_F_DEAD);
                route_c.rt_cache_flush(net);
                break;
            case netdevice_h.NETDEV_DOWN:
                fib_del_ifaddr(ifa, null);
                if (ifa.ifa_dev.ifa_list.Count == 0)
                {
                    // the device's last address is gone: IPv4 is off it
                    fib_disable_ip(dev, @event, true);
                }
                else
                {
                    route_c.rt_cache_flush(net);
                }

                break;
        }

        return 0; // NOTIFY_DONE
    }

    // not ported: rt_flush_dev — the port keeps no uncached-route list (rt_add_uncached_list), so no route outside
    // the FIB points at the device; sockets' cached routes fall to rt_cache_flush's new generation;
    // netdev_notifier_info_to_dev — the device is the argument; dev_addr_genid — nothing reads it;
    // NETDEV_CHANGEMTU's fib_sync_mtu — route MTUs are read from the device when used; NETDEV_CHANGEUPPER —
    // no L3 master devices (VRF), netif_is_l3_master; netif_get_flags — the port's dev->flags hold IFF_RUNNING and
    // IFF_LOWER_UP; __in_dev_get_rtnl — __in_dev_get_rcu, the same pointer; in_dev_for_each_ifa_rtnl — the
    // device's ifa_list is walked; dev_net — the device's nd_net.
    // net/ipv4/fib_frontend.c: fib_netdev_event
    /// <summary>
    /// The FIB's netdevice notifier. Unregistration takes every route through the device
    /// (fib_disable_ip, forced); NETDEV_DOWN the routes through it but its local ones (an
    /// address survives `ip link set down`); NETDEV_UP brings back the routes of the addresses
    /// it still has; NETDEV_CHANGE follows the carrier.
    /// </summary>
    public static int fib_netdev_event(net_device dev, int @event)
    {
        var net = dev.nd_net;

        if (@event == netdevice_h.NETDEV_UNREGISTER)
        {
            fib_disable_ip(dev, @event, true);
            return 0; // NOTIFY_DONE
        }

        var in_dev = inetdevice_h.__in_dev_get_rcu(dev);
        if (in_dev is null)
        {
            return 0;
        }

        switch (@event)
        {
            case netdevice_h.NETDEV_UP:
                foreach (var ifa in in_dev.ifa_list.ToArray())
                {
                    fib_add_ifaddr(ifa);
                }

                // CONFIG_IP_ROUTE_MULTIPATH
                fib_semantics_c.fib_sync_up(dev, ip_fib_h.RTNH_F_DEAD);
                route_c.rt_cache_flush(net);
                break;
            case netdevice_h.NETDEV_DOWN:
                fib_disable_ip(dev, @event, false);
                break;
            case netdevice_h.NETDEV_CHANGE:
                if ((dev.flags & (net_device.IFF_RUNNING | net_device.IFF_LOWER_UP)) != 0)
                {
                    fib_semantics_c.fib_sync_up(dev, ip_fib_h.RTNH_F_LINKDOWN);
                }
                else
                {
                    fib_semantics_c.fib_sync_down_dev(dev, @event, false);
                }

                route_c.rt_cache_flush(net);
                break;
        }

        return 0;
    }

    // not ported: fib_trie_init — the tables are lists made with the namespace; register_pernet_subsys(fib_net_ops) —
    // netns_ipv4 makes each namespace's tables; rtnl_register_many — no rtnetlink.
    // net/ipv4/fib_frontend.c: ip_fib_init
    /// <summary>Boot: the FIB follows devices (fib_netdev_event) and addresses (fib_inetaddr_event).</summary>
    public static void ip_fib_init(Vmlinux k)
    {
        Core.dev_c.register_netdevice_notifier(k, fib_netdev_event);
        devinet_c.register_inetaddr_notifier(k, fib_inetaddr_event);
    }
}
