// Ports net/ipv4/fib_semantics.c: what happens to routes when their next
// hop's device or preferred source goes away or comes back (fib_sync_down_dev,
// fib_sync_down_addr, fib_sync_up).
//
// A route here is a fib_alias with its fib_info and its one next hop folded in
// (include/net/ip_fib.h), so "every fib_info on this device" is every route whose
// next hop is the device, and a fib_info is dead when its one next hop is.
//
// not ported: multipath (fib_rebalance, nexthop objects), the fib_info hash tables
// (fib_info_devhash, fib_info_laddrhash: the namespace's one route list is walked),
// creating and releasing fib_info (fib_create_info, fib_release_info: fib_frontend.c
// builds routes directly), route metrics, the FIB notifiers (call_fib_nh_notifiers).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using static KernelNet.Kernel.Include.Net.ip_fib_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class fib_semantics_c
{
    // not ported: fib_info_laddrhash_bucket, l3mdev_fib_table — the namespace's route list is walked, no VRF
    // (the main table); dev_net, net_eq — the list is the device's namespace's own.
    // net/ipv4/fib_semantics.c: fib_sync_down_addr
    /// <summary>
    /// The local address <paramref name="local"/> is gone: every main-table route that named it as
    /// its preferred source dies (RTNH_F_DEAD). Returns how many; fib_flush removes them.
    /// </summary>
    public static int fib_sync_down_addr(net_device dev, uint local)
    {
        var tb_id = route_h.RT_TABLE_MAIN;
        var net = dev.nd_net;
        var ret = 0;

        if (local == 0)
        {
            return 0;
        }

        foreach (var fi in netns_ipv4.of(net).fib_main.tb_data)
        {
            if (fi.tb_id != tb_id)
            {
                continue;
            }

            if (fi.fib_prefsrc == local)
            {
                fi.fib_flags |= RTNH_F_DEAD;
                ret++;
            }
        }

        return ret;
    }

    // not ported: call_fib_nh_notifiers — no FIB notifier listeners; fib_rebalance — one next hop per route;
    // fib_devindex_hashfn, the devhash walk — every route of the namespace is looked at; the multipath
    // count of dead next hops — one next hop, so a fib_info is dead exactly when its next hop is; change_nexthops,
    // endfor_nexthops, fib_nh_head — the one next hop is the route's own fields.
    // net/ipv4/fib_semantics.c: fib_sync_down_dev
    /// <summary>
    /// <paramref name="dev"/> went down (NETDEV_DOWN), away (NETDEV_UNREGISTER) or lost its
    /// carrier (NETDEV_CHANGE): the next hops through it are marked — dead and link-down, or
    /// only link-down on NETDEV_CHANGE — except, unless <paramref name="force"/>, those of host
    /// scope (RT_SCOPE_NOWHERE: the local routes of addresses that stay). A route whose next hop
    /// is so marked is dead too. Returns the number of routes that died.
    /// </summary>
    public static int fib_sync_down_dev(net_device dev, int @event, bool force)
    {
        var ret = 0;
        var scope = (int)route_h.RT_SCOPE_NOWHERE;

        if (force)
        {
            scope = -1;
        }

        foreach (var fi in netns_ipv4.of(dev.nd_net).fib_main.tb_data)
        {
            if (fi.nh_dev != dev)
            {
                continue;
            }

            var dead = 0;
            if ((fi.fib_nh_flags & RTNH_F_DEAD) != 0)
            {
                dead++;
            }
            else if (fi.nh_dev == dev && fi.fib_nh_scope != scope)
            {
                switch (@event)
                {
                    case netdevice_h.NETDEV_DOWN:
                    case netdevice_h.NETDEV_UNREGISTER:
                        fi.fib_nh_flags |= RTNH_F_DEAD;
                        fi.fib_nh_flags |= RTNH_F_LINKDOWN;
                        break;
                    case netdevice_h.NETDEV_CHANGE:
                        fi.fib_nh_flags |= RTNH_F_LINKDOWN;
                        break;
                }

                dead++;
            }

            // fib_nhs is 1
            if (dead == 1)
            {
                switch (@event)
                {
                    case netdevice_h.NETDEV_DOWN:
                    case netdevice_h.NETDEV_UNREGISTER:
                        fi.fib_flags |= RTNH_F_DEAD;
                        fi.fib_flags |= RTNH_F_LINKDOWN;
                        break;
                    case netdevice_h.NETDEV_CHANGE:
                        fi.fib_flags |= RTNH_F_LINKDOWN;
                        break;
                }

                ret++;
            }
        }

        return ret;
    }

    // not ported: netif_get_flags — the port's IFF_RUNNING and IFF_LOWER_UP live in dev->flags; change_nexthops,
    // endfor_nexthops, fib_nh_head — the one next hop is the route's own fields; __in_dev_get_rtnl —
    // __in_dev_get_rcu, the same pointer (no RTNL or RCU here); call_fib_nh_notifiers
    // — no FIB notifier listeners; fib_rebalance — one next hop per route; fib_devindex_hashfn — every route of the
    // namespace is looked at.
    // net/ipv4/fib_semantics.c: fib_sync_up
    /// <summary>
    /// <paramref name="dev"/> is up again: its next hops lose the <paramref name="nh_flags"/>
    /// marks (RTNH_F_DEAD; with it RTNH_F_LINKDOWN when the carrier is up) and their routes
    /// come alive. Returns how many routes did. Routes fib_flush already removed do not come
    /// back this way: NETDEV_UP re-adds those of the device's addresses (fib_add_ifaddr).
    /// </summary>
    public static int fib_sync_up(net_device dev, uint nh_flags)
    {
        var ret = 0;

        if ((dev.flags & net_device.IFF_UP) == 0)
        {
            return 0;
        }

        if ((nh_flags & RTNH_F_DEAD) != 0)
        {
            var flags = dev.flags;

            if ((flags & (net_device.IFF_RUNNING | net_device.IFF_LOWER_UP)) != 0)
            {
                nh_flags |= RTNH_F_LINKDOWN;
            }
        }

        foreach (var fi in netns_ipv4.of(dev.nd_net).fib_main.tb_data)
        {
            if (fi.nh_dev != dev)
            {
                continue;
            }

            var alive = 0;
            if ((fi.fib_nh_flags & nh_flags) == 0)
            {
                alive++;
            }
            else if (fi.nh_dev is { } nh_dev && (nh_dev.flags & net_device.IFF_UP) != 0 && nh_dev == dev && inetdevice_h.__in_dev_get_rcu(dev) is not null)
            {
                alive++;
                fi.fib_nh_flags &= ~nh_flags;
            }

            if (alive > 0)
            {
                fi.fib_flags &= ~nh_flags;
                ret++;
            }
        }

        return ret;
    }
}
