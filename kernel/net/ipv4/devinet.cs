// Ports net/ipv4/devinet.c: IPv4 addresses on devices.
//
// not ported: rtnetlink, address lifetimes, secondary address promotion,
// devconf sysctl tables (the defaults live on in_device).
//
// The inetaddr notifier chain (inetaddr_chain) is a list of the callbacks
// register_inetaddr_notifier added; the FIB is its one listener (fib_inetaddr_event).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.inetdevice_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Net.Ipv4.fib_frontend_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class devinet_c
{
    // net/ipv4/devinet.c: inetdev_init
    /// <summary>Gives a device its IPv4 state (struct in_device).</summary>
    public static in_device inetdev_init(net_device dev)
    {
        // not ported: ip_mc_up — a device is not joined to all-hosts and sends no unsolicited IGMP reports (igmp.c's header)
        // not ported: devinet_sysctl_register — written out below: its neigh directory only (conf/DEV is not ported)
        // not ported: netif_disable_lro — no device does LRO; neigh_parms_release — the failure path of a
        //   sysctl registration that cannot fail here
        // not ported: IPV4_DEVCONF — the new device copies only the conf knobs the port keeps (forwarding,
        //   accept_source_route) from the namespace's default
        // not ported: kzalloc, kfree, netdev_hold, in_dev_put — the in_device is a C# object: allocated with new,
        //   freed by the garbage collector; devices and in_devices carry no reference counts
        // the new device's devconf starts as a copy of net.ipv4.conf.default
        var ipv4 = Include.Net.Netns.netns_ipv4.of(dev.nd_net);
        var in_dev = new in_device(dev) { forwarding = ipv4.devconf_dflt_forwarding, accept_source_route = ipv4.devconf_dflt_accept_source_route };
        in_dev.arp_parms = Core.neighbour_c.neigh_parms_alloc(dev, dev.nd_net.k.globals<arp_globals>().arp_tbl);
        dev.ip_ptr = in_dev;
        igmp_c.ip_mc_init_dev(in_dev);

        // devinet_sysctl_register: the device's neigh directory (its conf directory is not ported).
        Core.neighbour_c.neigh_sysctl_register(dev, in_dev.arp_parms, null);
        return in_dev;
    }

    // net/ipv4/devinet.c: register_inetaddr_notifier
    /// <summary>Adds <paramref name="nb"/> to inetaddr_chain: it hears of every IPv4 address added (NETDEV_UP) and deleted (NETDEV_DOWN).</summary>
    public static int register_inetaddr_notifier(Vmlinux k, System.Func<in_ifaddr, int, int> nb)
    {
        k.globals<devinet_globals>().inetaddr_chain.Add(nb);
        return 0;
    }

    [KernelNet.Annotations.NotInLinux("kernel/notifier.c's blocking_notifier_call_chain over inetaddr_chain, a file not ported")]
    private static void inetaddr_chain_call(in_ifaddr ifa, int val)
    {
        foreach (var nb in ifa.ifa_dev!.dev.nd_net.k.globals<devinet_globals>().inetaddr_chain)
        {
            nb(ifa, val);
        }
    }

    // not ported: address lifetimes (IFA_F_PERMANENT, check_lifetime), IFA_F_SECONDARY (every address is a
    // primary), inet_hash_insert, rtmsg_ifa, the validator chain — no netlink, no inet_addr_lst lookups;
    // cancel_delayed_work, queue_delayed_work — no address lifetime worker; inet_free_ifa — the garbage collector
    // frees a refused address; dev_net — the device's nd_net.
    // net/ipv4/devinet.c: __inet_insert_ifa
    /// <summary>
    /// Adds the address to its device (an address already there is -EEXIST) and announces it
    /// on inetaddr_chain (NETDEV_UP): the FIB installs its routes (fib_inetaddr_event).
    /// </summary>
    private static int __inet_insert_ifa(in_ifaddr ifa, in_device in_dev)
    {
        foreach (var ifa1 in in_dev.ifa_list)
        {
            if (ifa1.ifa_mask == ifa.ifa_mask && inet_ifa_match(ifa1.ifa_address, ifa) && ifa1.ifa_local == ifa.ifa_local)
            {
                return -Include.Uapi.AsmGeneric.errno_base_h.EEXIST;
            }
        }

        ifa.ifa_dev = in_dev;
        in_dev.ifa_list.Add(ifa);

        // Send message first, then the notifiers (the FIB)
        inetaddr_chain_call(ifa, NETDEV_UP);
        return 0;
    }

    // not ported: address promotion (IN_DEV_PROMOTE_SECONDARIES) and the deletion of a primary's secondaries —
    // no secondary addresses, so neither inet_ifa_match's subnet test nor the promotion's fib_del_ifaddr and
    // fib_add_ifaddr run (the inetaddr notifier takes the deleted address's routes); inet_hash_remove, rtmsg_ifa — no inet_addr_lst, no netlink; inet_free_ifa — the
    // garbage collector frees the address (the destroy argument).
    // net/ipv4/devinet.c: __inet_del_ifa
    /// <summary>
    /// Unlinks the address from its device and announces it gone on inetaddr_chain
    /// (NETDEV_DOWN): the FIB takes its routes (fib_inetaddr_event, fib_del_ifaddr).
    /// </summary>
    private static void __inet_del_ifa(in_device in_dev, in_ifaddr ifa1)
    {
        in_dev.ifa_list.Remove(ifa1);
        inetaddr_chain_call(ifa1, NETDEV_DOWN);
    }

    // net/ipv4/devinet.c: inet_del_ifa
    /// <summary>Deletes the address (no netlink requester to answer).</summary>
    private static void inet_del_ifa(in_device in_dev, in_ifaddr ifa) => __inet_del_ifa(in_dev, ifa);

    // not ported: in_dev_put — the garbage collector frees the in_device once nothing refers to it;
    // inet_free_ifa — likewise the addresses; devinet_sysctl_unregister — of the device's sysctl directories only
    // the neigh one is ported: neigh_sysctl_unregister is called for it here.
    // net/ipv4/devinet.c: inetdev_destroy
    /// <summary>
    /// The device leaves IPv4 (it is unregistered): its multicast groups go, every address is
    /// deleted (each taking its routes), the device forgets its in_device, its ARP parameters
    /// and sysctl directory go, and its neighbours are flushed (arp_ifdown).
    /// </summary>
    private static void inetdev_destroy(in_device in_dev)
    {
        var dev = in_dev.dev;

        in_dev.dead = true;

        igmp_c.ip_mc_destroy_dev(in_dev);

        while (in_dev.ifa_list.Count > 0)
        {
            inet_del_ifa(in_dev, in_dev.ifa_list[0]);
        }

        dev.ip_ptr = null;

        // devinet_sysctl_unregister: the device's neigh directory (its conf directory is not ported)
        if (in_dev.arp_parms is { } parms)
        {
            Core.neighbour_c.neigh_sysctl_unregister(parms);
            Core.neighbour_c.neigh_parms_release(dev.nd_net.k.globals<arp_globals>().arp_tbl, parms);
        }

        arp_c.arp_ifdown(dev);
    }

    // net/ipv4/devinet.c: inet_insert_ifa
    /// <summary>Adds an address made in the kernel (not by netlink); 0.0.0.0 is refused quietly.</summary>
    public static int inet_insert_ifa(in_ifaddr ifa, in_device in_dev)
    {
        // not ported: inet_free_ifa — the garbage collector frees the refused address
        if (ifa.ifa_local == 0)
        {
            return 0;
        }

        return __inet_insert_ifa(ifa, in_dev);
    }

    // net/ipv4/devinet.c: inet_rtm_newaddr
    /// <summary>`ip addr add ADDR/PREFIX dev DEV` (broadcast derived, as `ip` does with "brd +").</summary>
    public static int inet_rtm_newaddr(net_device dev, uint addr, int prefixlen)
    {
        // not ported: cancel_delayed_work, queue_delayed_work — no address lifetime worker (every address is permanent);
        //   ip_mc_autojoin_config — no IFA_F_MCAUTOJOIN; rtmsg_ifa — no netlink listeners; rtnl_net_lock, rtnl_net_unlock —
        //   no RTNL (one thread); inet_free_ifa — the garbage collector frees a refused address
        // not ported: find_matching_ifa, set_ifa_lifetime, fib_modify_prefix_metric — `ip addr add` asks NLM_F_EXCL,
        //   so an address already there is -EEXIST from __inet_insert_ifa; no lifetimes, no prefix route metrics
        // not ported: inet_validate_rtm, inet_rtm_to_ifa, nla_get_in_addr — no netlink: the caller hands device,
        //   address and prefix, and the in_ifaddr is built here (broadcast as `ip`'s "brd +")
        var in_dev = __in_dev_get_rcu(dev) ?? inetdev_init(dev);
        var mask = inet_make_mask(prefixlen);
        var ifa = new in_ifaddr
        {
            ifa_local = addr,
            ifa_address = addr,
            ifa_mask = mask,
            ifa_prefixlen = (byte)prefixlen,
            ifa_broadcast = prefixlen < 31 ? (addr & mask) | ~mask : 0,
            ifa_scope = (dev.flags & net_device.IFF_LOOPBACK) != 0 ? Include.Net.route_h.RT_SCOPE_HOST : Include.Net.route_h.RT_SCOPE_UNIVERSE,
            ifa_label = dev.name,
            ifa_dev = in_dev,
        };
        return __inet_insert_ifa(ifa, in_dev);
    }

    // net/ipv4/devinet.c: inet_addr_onlink
    /// <summary>Whether <paramref name="a"/> (and <paramref name="b"/>, when given) is on one of the device's subnets.</summary>
    public static bool inet_addr_onlink(in_device in_dev, uint a, uint b)
    {
        // not ported: in_dev_for_each_ifa_rcu — the address list is walked directly (no RCU: one thread)
        foreach (var ifa in in_dev.ifa_list)
        {
            if (inet_ifa_match(a, ifa) && (b == 0 || inet_ifa_match(b, ifa)))
            {
                return true;
            }
        }

        return false;
    }

    // net/ipv4/devinet.c: inet_forward_change
    /// <summary>
    /// Writing net.ipv4.ip_forward or net.ipv4.conf.all.forwarding: the
    /// namespace's all and default values and every device's follow.
    /// </summary>
    public static void inet_forward_change(net net, bool on)
    {
        // not ported: for_each_netdev, __in_dev_get_rtnl_net — the device list is walked directly, dev.ip_ptr read
        //   through __in_dev_get_rcu (no RTNL); dev_disable_lro — no device does LRO; inet_netconf_notify_devconf — no
        //   netlink listeners (RTM_NEWNETCONF)
        // not ported: IPV4_DEVCONF_ALL, IPV4_DEVCONF_DFLT, IN_DEV_CONF_SET — the confs the port keeps are fields
        //   (netns_ipv4.devconf_*_forwarding, in_device.forwarding); accept_redirects, which forwarding turns off, is not kept
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);
        ipv4.devconf_all_forwarding = on;
        ipv4.devconf_dflt_forwarding = on;
        foreach (var dev in net.dev_base_head)
        {
            if (__in_dev_get_rcu(dev) is { } in_dev)
            {
                in_dev.forwarding = on;
            }
        }
    }

    // net/ipv4/devinet.c: devinet_sysctl_forward
    /// <summary>
    /// The write handler of the forwarding sysctls: conf.all (and
    /// ip_forward) flips every device; conf.default only what new devices
    /// get; conf.DEV one device (<paramref name="dev"/>).
    /// </summary>
    public static void devinet_sysctl_forward(net net, string which, net_device? dev, bool on)
    {
        // not ported: proc_dointvec — the caller hands the parsed value; IPV4_DEVCONF_ALL, IPV4_DEVCONF_DFLT — the
        //   all/default values are netns_ipv4 fields; rtnl_net_trylock, rtnl_net_unlock — no RTNL (one thread), so no restart;
        //   dev_disable_lro — no device does LRO; inet_netconf_notify_devconf — no netlink listeners (RTM_NEWNETCONF)
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);
        switch (which)
        {
            case "all":
                // a write that changes nothing does nothing (each device keeps its own value)
                if (ipv4.devconf_all_forwarding == on)
                {
                    return;
                }

                inet_forward_change(net, on);
                break;
            case "default":
                ipv4.devconf_dflt_forwarding = on;
                return;
            default:
                if (dev is null)
                {
                    return;
                }

                var in_dev = __in_dev_get_rcu(dev) ?? inetdev_init(dev);
                if (in_dev.forwarding == on)
                {
                    return;
                }

                in_dev.forwarding = on;
                break;
        }

        route_c.rt_cache_flush(net);
    }

    // net/ipv4/devinet.c: devinet_copy_dflt_conf
    /// <summary>
    /// A write to conf.default reaches every device whose own value of the
    /// knob was never written (its cnf.state bit clear). Only the knob the
    /// port keeps per conf for this handler: accept_source_route.
    /// </summary>
    private static void devinet_copy_dflt_conf(net net)
    {
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);

        // not ported: for_each_netdev_rcu — the namespace's device list is walked directly (no RCU: one thread).
        foreach (var dev in net.dev_base_head)
        {
            if (__in_dev_get_rcu(dev) is { } in_dev && !in_dev.accept_source_route_state)
            {
                in_dev.accept_source_route = ipv4.devconf_dflt_accept_source_route;
            }
        }
    }

    // net/ipv4/devinet.c: devinet_conf_proc
    /// <summary>
    /// `sysctl -w net.ipv4.conf.{all,default,DEV}.accept_source_route=V`:
    /// stores the value in that conf and marks it written (set_bit on
    /// cnf.state); a default write is copied to the devices that kept the
    /// default (devinet_copy_dflt_conf). 0, or -EINVAL for a knob this
    /// handler does not keep.
    /// </summary>
    public static int devinet_conf_proc(net net, string which, net_device? dev, string knob, int value)
    {
        // not ported: proc_dointvec's parsing (the caller hands the integer); rt_cache_flush and
        // inet_netconf_notify_devconf, which follow accept_local, route_localnet, bc_forwarding,
        // rp_filter, proxy_arp and ignore_routes_with_linkdown — knobs this handler does not keep.
        // not ported: devinet_conf_ifindex — only the netconf notifications above need it.
        if (knob != "accept_source_route")
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);
        var on = value != 0;
        switch (which)
        {
            case "all":
                ipv4.devconf_all_accept_source_route = on;
                break;
            case "default":
                ipv4.devconf_dflt_accept_source_route = on;
                devinet_copy_dflt_conf(net);
                break;
            default:
                if (dev is null)
                {
                    return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
                }

                var in_dev = __in_dev_get_rcu(dev) ?? inetdev_init(dev);
                in_dev.accept_source_route = on;
                in_dev.accept_source_route_state = true;
                break;
        }

        return 0;
    }

    // not ported: inetdev_valid_mtu and NETDEV_CHANGEMTU's disabling of IP below 68 bytes — MTUs under 68 are
    // refused by the port's devices; ip_mc_up, ip_mc_down — the port never joins all-hosts on a device and sends
    // no unsolicited IGMP reports (igmp.c's header); inetdev_send_gratuitous_arp — arp_notify is 0 in a new
    // namespace; ip_mc_unmap, ip_mc_remap — no device type changes; inetdev_changename's label renames — the
    // labels are not shown.
    // net/ipv4/devinet.c: inetdev_event
    /// <summary>
    /// IPv4's netdevice notifier: a registered device gets its in_device (so
    /// a device that is down still has one: ARP and the neighbour layer can
    /// work on it); on NETDEV_UP loopback gets 127.0.0.1/8 as the kernel gives it;
    /// an unregistered device loses it, with its addresses (inetdev_destroy).
    /// </summary>
    public static int inetdev_event(net_device dev, int @event)
    {
        // not ported: IN_DEV_CONF_SET, ipv4_devconf_setall, neigh_parms_data_state_setall — loopback's NOXFRM/NOPOLICY
        //   (no xfrm) and the conf state bits they mark; IN_DEV_ARP_NOTIFY — arp_notify is not a knob the port keeps (always 0)
        // not ported: inet_alloc_ifa, inet_make_mask, inet_insert_ifa — loopback's 127.0.0.1/8 is added through
        //   inet_rtm_newaddr, which builds the same host-scope address; set_ifa_lifetime — every address is permanent
        // not ported: netdev_notifier_info_to_dev — the notifier is handed the device itself; __in_dev_get_rtnl —
        //   dev.ip_ptr through __in_dev_get_rcu (no RTNL)
        var in_dev = __in_dev_get_rcu(dev);
        if (in_dev is null)
        {
            if (@event == NETDEV_REGISTER)
            {
                inetdev_init(dev);
            }

            // not ported: NETDEV_CHANGEMTU re-enabling IP on a device whose MTU grew back to 68.
            return 0;
        }

        if (@event == NETDEV_UP && (dev.flags & net_device.IFF_LOOPBACK) != 0 && in_dev.ifa_list.Count == 0)
        {
            inet_rtm_newaddr(dev, 0x7f000001, 8);
        }

        if (@event == NETDEV_UNREGISTER)
        {
            inetdev_destroy(in_dev);
            return 0;
        }

        if (@event == NETDEV_CHANGENAME && in_dev.arp_parms is { } parms)
        {
            // devinet_sysctl_unregister + devinet_sysctl_register: the neigh directory follows the new name.
            Core.neighbour_c.neigh_sysctl_unregister(parms);
            Core.neighbour_c.neigh_sysctl_register(dev, parms, null);
        }

        return 0;
    }

    // not ported: register_pernet_subsys — namespaces are not torn down and their IPv4 state is made with them;
    //   rtnl_af_register, rtnl_register_many — no netlink
    // net/ipv4/devinet.c: devinet_init
    /// <summary>Boot: IPv4 starts listening to netdevice events (ip_netdev_notifier).</summary>
    public static void devinet_init(Vmlinux k) => Core.dev_c.register_netdevice_notifier(k, inetdev_event);

    // net/ipv4/devinet.c: in_dev_select_addr
    /// <summary>The first address of <paramref name="in_dev"/> wider than link scope and within <paramref name="scope"/>, or 0.</summary>
    private static uint in_dev_select_addr(in_device in_dev, byte scope)
    {
        // not ported: in_dev_for_each_ifa_rcu — the address list is walked directly (no RCU: one thread);
        //   IFA_F_SECONDARY is never set (every address is a primary)
        foreach (var ifa in in_dev.ifa_list)
        {
            if (ifa.ifa_scope != Include.Net.route_h.RT_SCOPE_LINK && ifa.ifa_scope <= scope)
            {
                return ifa.ifa_local;
            }
        }

        return 0;
    }

    // net/ipv4/devinet.c: inet_select_addr
    /// <summary>
    /// A source address on <paramref name="dev"/> for reaching <paramref name="dst"/>:
    /// one on the same subnet first, else the device's first within scope; a
    /// device without one borrows the first suitable address of another device
    /// of the namespace (loopback first, as it is first in the list).
    /// </summary>
    public static uint inet_select_addr(net_device dev, uint dst, byte scope)
    {
        // not ported: l3mdev_master_ifindex_rcu, dev_get_by_index_rcu — no VRF devices: every device's master index is 0
        // not ported: dev_net_rcu — the device's nd_net; in_dev_for_each_ifa_rcu, for_each_netdev_rcu — the lists
        //   are walked directly (no RCU: one thread); IFA_F_SECONDARY is never set (every address is a primary)
        uint addr = 0;
        var localnet_scope = Include.Net.route_h.RT_SCOPE_HOST;
        var net = dev.nd_net;
        var in_dev = __in_dev_get_rcu(dev);
        if (in_dev is null)
        {
            goto no_in_dev;
        }

        // IN_DEV_ROUTE_LOCALNET: with route_localnet, 127/8 addresses count as link scope
        if (in_dev.route_localnet)
        {
            localnet_scope = Include.Net.route_h.RT_SCOPE_LINK;
        }

        foreach (var ifa in in_dev.ifa_list)
        {
            if (System.Math.Min(ifa.ifa_scope, localnet_scope) > scope)
            {
                continue;
            }

            if (dst == 0 || inet_ifa_match(dst, ifa))
            {
                addr = ifa.ifa_local;
                break;
            }

            if (addr == 0)
            {
                addr = ifa.ifa_local;
            }
        }

        if (addr != 0)
        {
            return addr;
        }

    no_in_dev:
        foreach (var d in net.dev_base_head)
        {
            var other = __in_dev_get_rcu(d);
            if (other is null)
            {
                continue;
            }

            addr = in_dev_select_addr(other, scope);
            if (addr != 0)
            {
                return addr;
            }
        }

        return addr;
    }
}

/// <summary>devinet.c's globals: inetaddr_chain, the listeners to IPv4 address changes.</summary>
public sealed class devinet_globals
{
    public System.Collections.Generic.List<System.Func<in_ifaddr, int, int>> inetaddr_chain { get; } = new();
}
