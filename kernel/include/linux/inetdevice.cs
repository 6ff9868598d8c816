// Ports include/linux/inetdevice.h: struct in_device (IPv4 per device) and
// struct in_ifaddr (one address).
using System.Collections.Generic;
using KernelNet.Kernel.Kernel.Time;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct in_ifaddr: an address with its prefix (ip addr add 10.0.0.1/24).</summary>
public sealed class in_ifaddr
{
    public uint ifa_local { get; set; }

    public uint ifa_address { get; set; }

    public uint ifa_mask { get; set; }

    public uint ifa_broadcast { get; set; }

    public byte ifa_prefixlen { get; set; }

    public byte ifa_scope { get; set; }

    public string ifa_label { get; set; } = "";

    /// <summary>ifa_dev: the in_device the address is on (the inetaddr notifiers reach the device through it).</summary>
    public in_device? ifa_dev { get; set; }
}

/// <summary>struct ip_mc_list: one multicast group joined on a device (include/linux/igmp.h).</summary>
public sealed class ip_mc_list
{
    public ip_mc_list(in_device @interface, uint multiaddr)
    {
        this.@interface = @interface;
        this.multiaddr = multiaddr;
    }

    public in_device @interface { get; }

    /// <summary>The group, host order.</summary>
    public uint multiaddr { get; }

    /// <summary>The report timer (timer_setup'd with igmp_timer_expire by ____ip_mc_inc_group).</summary>
    public timer_list? timer { get; set; }

    public int users { get; set; }

    public bool tm_running { get; set; }

    /// <summary>reporter: this host sent the last report for the group.</summary>
    public bool reporter { get; set; }

    public int unsolicit_count { get; set; }

    /// <summary>gsquery: the pending report answers a group-and-source-specific query.</summary>
    public bool gsquery { get; set; }
}

/// <summary>struct in_device.</summary>
public sealed class in_device
{
    public in_device(net_device dev)
    {
        this.dev = dev;
    }

    public net_device dev { get; }

    public List<in_ifaddr> ifa_list { get; } = new();

    /// <summary>dead: inetdev_destroy is taking the device's IPv4 state down (no address promotion then).</summary>
    public bool dead { get; set; }

    /// <summary>net.ipv4.conf.DEV.forwarding.</summary>
    public bool forwarding { get; set; }

    /// <summary>net.ipv4.conf.DEV.accept_source_route (a copy of conf.default's when the device got its in_device).</summary>
    public bool accept_source_route { get; set; }

    /// <summary>cnf.state's bit for accept_source_route: the device's own value was written, so conf.default writes pass it by.</summary>
    public bool accept_source_route_state { get; set; }

    /// <summary>net.ipv4.conf.DEV.send_redirects (1 by default).</summary>
    public bool send_redirects { get; set; } = true;

    /// <summary>net.ipv4.conf.DEV.route_localnet.</summary>
    public bool route_localnet { get; set; }

    /// <summary>net.ipv4.conf.DEV.arp_ignore.</summary>
    public int arp_ignore { get; set; }

    /// <summary>mc_list: the groups joined on this device, newest first (ip_mc_list, igmp.c).</summary>
    public List<ip_mc_list> mc_list { get; } = new();

    /// <summary>mr_v1_seen: jiffies until which an IGMPv1 querier is taken to be present (0: none heard).</summary>
    public ulong mr_v1_seen { get; set; }

    /// <summary>mr_v2_seen: jiffies until which an IGMPv2 querier is taken to be present (0: none heard).</summary>
    public ulong mr_v2_seen { get; set; }

    /// <summary>mr_maxdelay: the last IGMPv3 query's maximum response delay, in jiffies.</summary>
    public int mr_maxdelay { get; set; }

    /// <summary>mr_qi: the querier's query interval, in jiffies.</summary>
    public int mr_qi { get; set; }

    /// <summary>mr_qri: the query response interval, in jiffies.</summary>
    public int mr_qri { get; set; }

    /// <summary>mr_qrv: the querier's robustness variable.</summary>
    public int mr_qrv { get; set; }

    /// <summary>mr_gq_running: the general-query response timer is armed.</summary>
    public bool mr_gq_running { get; set; }

    /// <summary>mr_gq_timer: answers an IGMPv3 general query (set up by ip_mc_init_dev).</summary>
    public timer_list? mr_gq_timer { get; set; }

    /// <summary>arp_parms: this device's ARP parameters (net.ipv4.neigh.DEV.*), a copy of arp_tbl's defaults when the device got its in_device.</summary>
    public Net.neigh_parms? arp_parms { get; set; }
}

public static class inetdevice_h
{
    // include/linux/inetdevice.h: __in_dev_get_rcu
    public static in_device? __in_dev_get_rcu(net_device dev) => dev.ip_ptr as in_device;

    // include/linux/inetdevice.h: IN_DEV_SOURCE_ROUTE
    /// <summary>Whether the device accepts source-routed packets: conf.all and conf.DEV must both say so (IN_DEV_ANDCONF).</summary>
    public static bool IN_DEV_SOURCE_ROUTE(in_device in_dev) =>
        Net.Netns.netns_ipv4.of(in_dev.dev.nd_net).devconf_all_accept_source_route && in_dev.accept_source_route;

    // include/linux/inetdevice.h: inet_make_mask
    public static uint inet_make_mask(int logmask) => logmask == 0 ? 0 : ~((1u << (32 - logmask)) - 1);

    // include/linux/inetdevice.h: inet_ifa_match
    public static bool inet_ifa_match(uint addr, in_ifaddr ifa) => ((addr ^ ifa.ifa_address) & ifa.ifa_mask) == 0;
}
