// Ports include/linux/netdevice.h: struct net_device, net_device_ops,
// napi_struct, softnet_data, netdev_queue, packet_type and the inline helpers
// drivers call (napi_schedule, napi_complete, netif_napi_add, queue state).
//
// not ported: XDP, busy polling, threaded NAPI, bonding/upper devices.
using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>netdev_tx_t: what ndo_start_xmit returns.</summary>
public enum netdev_tx_t
{
    NETDEV_TX_OK = 0x00,
    NETDEV_TX_BUSY = 0x10,
}

/// <summary>ndo_start_xmit: hand one skb to the driver; it owns the skb when it returns NETDEV_TX_OK.</summary>
public delegate netdev_tx_t ndo_start_xmit_t(sk_buff skb, net_device dev);

/// <summary>header_ops->parse: writes the frame's source hardware address into <paramref name="haddr"/>, returns its length.</summary>
public delegate int header_parse_t(sk_buff skb, Span<byte> haddr);

/// <summary>struct net_device_ops: the driver's entry points, a table of delegates.</summary>
public sealed class net_device_ops
{
    public Func<net_device, int>? ndo_open { get; init; }

    public Func<net_device, int>? ndo_stop { get; init; }

    /// <summary>ndo_uninit: the driver's undo of ndo_init, as the device is unregistered.</summary>
    public Action<net_device>? ndo_uninit { get; init; }

    public ndo_start_xmit_t? ndo_start_xmit { get; init; }

    /// <summary>Fills the device's statistics (/proc/net/dev, ip -s link).</summary>
    public Action<net_device, rtnl_link_stats64>? ndo_get_stats64 { get; init; }

    public Func<net_device, int, int>? ndo_change_mtu { get; init; }
}

/// <summary>struct netdev_queue: one TX queue of a device with its qdisc and flow-control state.</summary>
public sealed class netdev_queue
{
    public const int __QUEUE_STATE_DRV_XOFF = 0;
    public const int __QUEUE_STATE_STACK_XOFF = 1;
    public const int __QUEUE_STATE_FROZEN = 2;

    public netdev_queue(net_device dev, int index)
    {
        this.dev = dev;
        this.index = index;
    }

    public net_device dev { get; }

    public int index { get; }

    /// <summary>The qdisc packets are queued on (qdisc in C).</summary>
    public Qdisc? qdisc { get; set; }

    /// <summary>state bits (__QUEUE_STATE_*).</summary>
    public ulong state { get; set; }

    public long trans_start { get; set; }

    /// <summary>Which CPU holds _xmit_lock (-1: none): HARD_TX_LOCK's owner.</summary>
    public int xmit_lock_owner { get; set; } = -1;
}

/// <summary>struct xps_dev_maps (XPS_CPUS only): for each CPU, the TX queues whose xps_cpus name it.</summary>
public sealed class xps_dev_maps
{
    public xps_dev_maps(int nr_ids)
    {
        attr_map = new ushort[]?[nr_ids];
    }

    /// <summary>nr_ids: the CPUs the map covers.</summary>
    public int nr_ids => attr_map.Length;

    /// <summary>num_tc: traffic classes (1: no mqprio here).</summary>
    public int num_tc => 1;

    /// <summary>attr_map[cpu]: the queues of struct xps_map, or null.</summary>
    public ushort[]?[] attr_map { get; }
}

/// <summary>struct packet_type: a receive handler by protocol, or a tap (ETH_P_ALL).</summary>
public sealed class packet_type
{
    public packet_type(ushort type, Func<sk_buff, net_device, packet_type, net_device, int> func)
    {
        this.type = type;
        this.func = func;
    }

    /// <summary>Ethertype in host order (ETH_P_ALL for taps); an AF_PACKET socket rebinds it (packet_do_bind).</summary>
    public ushort type { get; set; }

    /// <summary>Only frames of this device, or all when null; an AF_PACKET socket rebinds it (packet_do_bind).</summary>
    public net_device? dev { get; set; }

    public Func<sk_buff, net_device, packet_type, net_device, int> func { get; }

    /// <summary>PACKET_IGNORE_OUTGOING: dev_queue_xmit_nit passes this tap by.</summary>
    public bool ignore_outgoing { get; set; }

    /// <summary>The owner (the AF_PACKET socket for taps).</summary>
    public object? af_packet_priv { get; init; }

    /// <summary>Set for AF_PACKET taps: the namespace whose ptype lists hold it.</summary>
    public net? af_packet_net { get; init; }
}

/// <summary>struct napi_struct: one polling context (per RX queue for igb; the backlog per CPU).</summary>
public sealed class napi_struct
{
    public const int NAPI_STATE_SCHED = 0;
    public const int NAPI_STATE_MISSED = 1;
    public const int NAPI_STATE_DISABLE = 2;
    public const ulong NAPIF_STATE_SCHED = 1UL << NAPI_STATE_SCHED;
    public const ulong NAPIF_STATE_MISSED = 1UL << NAPI_STATE_MISSED;
    public const ulong NAPIF_STATE_DISABLE = 1UL << NAPI_STATE_DISABLE;

    public napi_struct(Vmlinux k, net_device? dev, Func<napi_struct, int, int> poll, int weight)
    {
        this.k = k;
        this.dev = dev;
        this.poll = poll;
        this.weight = weight;
        addr = k.alloc_address(512);
        poll_list = new LinkedListNode<napi_struct>(this);
    }

    /// <summary>The kernel this NAPI belongs to.</summary>
    public Vmlinux k { get; }

    /// <summary>The address the napi_poll tracepoint prints.</summary>
    public ulong addr { get; }

    /// <summary>Linkage on softnet_data.poll_list (list_empty when List is null).</summary>
    public LinkedListNode<napi_struct> poll_list { get; }

    public ulong state { get; set; }

    public int weight { get; set; }

    public Func<napi_struct, int, int> poll { get; }

    public net_device? dev { get; }

    public uint napi_id { get; set; }

    public int list_owner { get; set; } = -1;

    public int defer_hard_irqs_count { get; set; }

    /// <summary>gro_node.hash: the flows GRO holds, by bucket (RX hash &amp; (GRO_HASH_BUCKETS - 1)).</summary>
    public gro_list[] gro_hash { get; } = new gro_list[] { new(), new(), new(), new(), new(), new(), new(), new() };

    /// <summary>gro_node.bitmask: the buckets that hold something.</summary>
    public ulong gro_bitmask { get; set; }

    /// <summary>gro_node.rx_list: packets GRO passed up, delivered in batches of gro_normal_batch.</summary>
    public List<sk_buff> gro_rx_list { get; } = new();

    public int gro_rx_count { get; set; }

    /// <summary>The driver's queue vector this NAPI belongs to (container_of in C).</summary>
    public object? priv { get; set; }
}

/// <summary>struct gro_list: the skbs GRO holds in one bucket, newest first, and how many.</summary>
public sealed class gro_list
{
    /// <summary>list: index 0 is the head (list_add puts a new skb there; the oldest is last).</summary>
    public List<sk_buff> list { get; } = new();

    public int count { get; set; }
}

/// <summary>
/// struct softnet_data: one CPU's receive state — the NAPI poll list, the
/// backlog queue netif_rx feeds, and the counters of /proc/net/softnet_stat.
/// </summary>
public sealed class softnet_data
{
    public softnet_data(Vmlinux k, int cpu)
    {
        this.cpu = cpu;
        backlog = new napi_struct(k, null, (n, quota) => process_backlog(k, n, quota), 64);
    }

    public int cpu { get; }

    public LinkedList<napi_struct> poll_list { get; } = new();

    /// <summary>
    /// net_rx_action's two LIST_HEADs (list, repoll), on the softirq's stack
    /// in C: one pair per CPU serves, as NET_RX never nests on a CPU, and both
    /// are empty whenever net_rx_action returns.
    /// </summary>
    public LinkedList<napi_struct> net_rx_action_list { get; } = new();

    /// <inheritdoc cref="net_rx_action_list"/>
    public LinkedList<napi_struct> net_rx_action_repoll { get; } = new();

    public bool in_net_rx_action { get; set; }

    /// <summary>Packets processed (softnet_stat column 1).</summary>
    public uint processed { get; set; }

    /// <summary>net_rx_action runs that ran out of budget or time with work left (column 3).</summary>
    public uint time_squeeze { get; set; }

    /// <summary>Packets dropped because the backlog was full (column 2).</summary>
    public uint dropped { get; set; }

    /// <summary>RPS IPIs this CPU took to process its backlog (column 10).</summary>
    public uint received_rps { get; set; }

    /// <summary>rps_ipi_list: CPUs this one queued packets for and must kick (net_rps_send_ipi).</summary>
    public softnet_data? rps_ipi_list { get; set; }

    /// <summary>rps_ipi_next: the next softnet_data on another CPU's rps_ipi_list.</summary>
    public softnet_data? rps_ipi_next { get; set; }

    /// <summary>csd: the call that runs rps_trigger_softirq on this CPU (INIT_CSD in net_dev_init).</summary>
    public call_single_data_t? csd { get; set; }

    public uint cpu_collision { get; set; }

    /// <summary>output_queue: qdiscs waiting for net_tx_action, linked through next_sched in the order they were scheduled.</summary>
    public Qdisc? output_queue { get; set; }

    /// <summary>The last qdisc on output_queue (null when it is empty): what output_queue_tailp points into.</summary>
    public Qdisc? output_queue_tail { get; set; }

    /// <summary>completion_queue: skbs freed from hard-IRQ context, linked through skb->next newest first, freed later in net_tx_action.</summary>
    public sk_buff? completion_queue { get; set; }

    public sk_buff_head input_pkt_queue { get; } = new();

    public sk_buff_head process_queue { get; } = new();

    public uint input_queue_head { get; set; }

    public uint input_queue_tail { get; set; }

    /// <summary>The per-CPU backlog's NAPI (process_backlog), used by netif_rx, veth and loopback.</summary>
    public napi_struct backlog { get; }

    /// <summary>defer_list: skbs freed on other CPUs, waiting to be freed here (skb_attempt_defer_free).</summary>
    public sk_buff_head defer_list { get; } = new();

    /// <summary>defer_count: skbs queued on <see cref="defer_list"/> since its last flush.</summary>
    public long defer_count { get; set; }

    /// <summary>xmit_recursion: nesting depth of dev_queue_xmit on this CPU.</summary>
    public int xmit_recursion { get; set; }
}

/// <summary>struct net_device.</summary>
public sealed class net_device
{
    public const uint IFF_UP = 1 << 0;
    public const uint IFF_BROADCAST = 1 << 1;
    public const uint IFF_LOOPBACK = 1 << 3;
    public const uint IFF_POINTOPOINT = 1 << 4;
    public const uint IFF_NOARP = 1 << 7;
    public const uint IFF_PROMISC = 1 << 8;
    public const uint IFF_MULTICAST = 1 << 12;
    public const uint IFF_LOWER_UP = 1 << 16;
    public const uint IFF_RUNNING = 1 << 6;

    public net_device(net nd_net, string name, int num_tx_queues, int num_rx_queues)
    {
        this.nd_net = nd_net;
        this.name = name;
        _tx = new netdev_queue[num_tx_queues];
        for (var i = 0; i < num_tx_queues; i++)
        {
            _tx[i] = new netdev_queue(this, i);
        }

        this.num_rx_queues = num_rx_queues;
        _rx = new netdev_rx_queue[num_rx_queues];
        for (var i = 0; i < num_rx_queues; i++)
        {
            _rx[i] = new netdev_rx_queue(this, i);
        }

        real_num_tx_queues = num_tx_queues;
        real_num_rx_queues = num_rx_queues;
    }

    public string name { get; set; }

    public int ifindex { get; set; }

    /// <summary>The namespace the device is in (dev_net).</summary>
    public net nd_net { get; set; }

    public uint flags { get; set; }

    /// <summary>reg_state: where the device is in its registration life (NETREG_*).</summary>
    public int reg_state { get; set; }

    public uint mtu { get; set; } = 1500;

    public uint min_mtu { get; set; } = 68;

    public uint max_mtu { get; set; } = 9000;

    /// <summary>ARPHRD_* hardware type.</summary>
    public ushort type { get; set; } = 1;

    public ushort hard_header_len { get; set; } = 14;

    public ushort needed_headroom { get; set; }

    public byte addr_len { get; set; } = 6;

    public byte[] dev_addr { get; set; } = new byte[6];

    public byte[] broadcast { get; set; } = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

    /// <summary>txqueuelen: the default qdisc's limit (TX-10: 1000).</summary>
    public uint tx_queue_len { get; set; } = 1000;

    public net_device_ops netdev_ops { get; set; } = new();

    /// <summary>The driver's ethtool entry points (struct ethtool_ops).</summary>
    public object? ethtool_ops { get; set; }

    private readonly netdev_queue[] _tx;

    public IReadOnlyList<netdev_queue> _txq => _tx;

    public int num_tx_queues => _tx.Length;

    public int real_num_tx_queues { get; set; }

    public int num_rx_queues { get; }

    /// <summary>_rx: the receive queues as the core sees them (RPS/RFS state per queue).</summary>
    public netdev_rx_queue[] _rx { get; }

    /// <summary>xps_maps[XPS_CPUS]: per CPU, the TX queues it sends on (tx-N/xps_cpus); null when none is set.</summary>
    public xps_dev_maps? xps_cpus_map { get; set; }

    public int real_num_rx_queues { get; set; }

    /// <summary>The root qdisc (for single-queue devices the queue's qdisc).</summary>
    public Qdisc? qdisc { get; set; }

    /// <summary>dev->stats: the legacy counters software devices keep.</summary>
    public rtnl_link_stats64 stats { get; } = new();

    /// <summary>dev->core_stats: drops the core counts for any device (rx_dropped, tx_dropped, rx_nohandler).</summary>
    public rtnl_link_stats64 core_stats { get; } = new();

    /// <summary>Taps bound to this device (ETH_P_ALL with dev set).</summary>
    public List<packet_type> ptype_all { get; } = new();

    public List<packet_type> ptype_specific { get; } = new();

    /// <summary>The driver's private area (netdev_priv).</summary>
    public object? priv { get; set; }

    /// <summary>IPv4 per-device state (struct in_device, ip_ptr).</summary>
    public object? ip_ptr { get; set; }

    /// <summary>Neighbour/ARP, header building: header_ops->create.</summary>
    public Func<sk_buff, net_device, ushort, byte[]?, byte[]?, int, int>? header_ops_create { get; set; }

    /// <summary>header_ops->parse: copies the source hardware address of the frame at the MAC header; returns its length.</summary>
    public header_parse_t? header_ops_parse { get; set; }

    /// <summary>header_ops->parse_protocol: the protocol the link-layer header names (host order here).</summary>
    public Func<sk_buff, ushort>? header_ops_parse_protocol { get; set; }

    public List<napi_struct> napi_list { get; } = new();

    /// <summary>Driver name for ethtool -i.</summary>
    public string driver_name { get; set; } = "";

    public uint gso_max_size { get; set; } = 65536;

    /// <summary>gso_ipv4_max_size: the largest IPv4 GSO packet the stack builds for this device (GSO_LEGACY_MAX_SIZE).</summary>
    public uint gso_ipv4_max_size { get; set; } = netdevice_h.GSO_LEGACY_MAX_SIZE;

    /// <summary>gso_max_segs: the most segments one GSO packet may carry (GSO_MAX_SEGS).</summary>
    public uint gso_max_segs { get; set; } = netdevice_h.GSO_MAX_SEGS;

    /// <summary>dev->features: the offloads in use (NETIF_F_*, netdev_features_h).</summary>
    public ulong features { get; set; }

    /// <summary>dev->hw_features: the offloads the user may switch (ethtool -K).</summary>
    public ulong hw_features { get; set; }

    /// <summary>The peer of a veth pair (veth_priv.peer).</summary>
    public net_device? peer { get; set; }

    /// <summary>vlan_info: the VLAN devices on this one, by TPID and VID (net/8021q's struct vlan_info; null until the first).</summary>
    public object? vlan_info { get; set; }

    public override string ToString() => name;
}

public static class netdevice_h
{
    /// <summary>GSO_LEGACY_MAX_SIZE: the GSO packet size limit of a device that asks for no more (64 KiB).</summary>
    public const uint GSO_LEGACY_MAX_SIZE = 65536;

    /// <summary>GSO_MAX_SEGS: the most segments a GSO packet may carry.</summary>
    public const uint GSO_MAX_SEGS = 65535;

    // include/linux/netdevice.h: net_gso_ok
    /// <summary>Do <paramref name="features"/> include every segmentation bit <paramref name="gso_type"/> asks for (SKB_GSO_* n is NETIF_F bit 16 + n)?</summary>
    public static bool net_gso_ok(ulong features, uint gso_type)
    {
        var feature = ((ulong)gso_type << netdev_features_h.NETIF_F_GSO_SHIFT) & netdev_features_h.NETIF_F_GSO_MASK;
        return (features & feature) == feature;
    }

    // not ported: skb_has_frag_list — the frag_list is tested for null inline
    // include/linux/netdevice.h: skb_gso_ok
    /// <summary>Can a device with <paramref name="features"/> take this GSO skb whole?</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_gso_ok(sk_buff skb, ulong features) =>
        net_gso_ok(features, skb.shinfo.gso_type) && (skb.shinfo.frag_list is null || (features & netdev_features_h.NETIF_F_FRAGLIST) != 0);

    // include/linux/netdevice.h: netif_needs_gso
    /// <summary>
    /// Must the stack cut this skb into segments before the driver sees it?
    /// When the device cannot take it whole, or when its checksum is neither
    /// left to the device (CHECKSUM_PARTIAL) nor already verified.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("skb")]
    public static bool netif_needs_gso(sk_buff skb, ulong features) =>
        skbuff_h.skb_is_gso(skb) && (!skb_gso_ok(skb, features) ||
            (skb.ip_summed != skbuff_h.CHECKSUM_PARTIAL && skb.ip_summed != skbuff_h.CHECKSUM_UNNECESSARY));

    // include/linux/netdevice.h: can_checksum_protocol
    /// <summary>
    /// Can a device with <paramref name="features"/> fill in an IP transport
    /// checksum of this network protocol: any with NETIF_F_HW_CSUM, IPv4's
    /// with NETIF_F_IP_CSUM, IPv6's with NETIF_F_IPV6_CSUM.
    /// </summary>
    public static bool can_checksum_protocol(ulong features, ushort protocol)
    {
        // not ported: the ETH_P_FCOE case (NETIF_F_FCOE_CRC) — no FCoE.
        if ((features & netdev_features_h.NETIF_F_HW_CSUM) != 0)
        {
            return true;
        }

        return protocol switch
        {
            Uapi.Linux.if_ether_h.ETH_P_IP => (features & netdev_features_h.NETIF_F_IP_CSUM) != 0,
            Uapi.Linux.if_ether_h.ETH_P_IPV6 => (features & netdev_features_h.NETIF_F_IPV6_CSUM) != 0,
            _ => false,
        };
    }

    // include/linux/netdevice.h: __is_skb_forwardable
    /// <summary>The peer is up and the frame fits its MTU (plus header and a VLAN tag), or is a GSO skb (segmented, if at all, further on).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool __is_skb_forwardable(net_device dev, sk_buff skb, bool check_mtu)
    {
        const uint vlan_hdr_len = 4;
        if ((dev.flags & net_device.IFF_UP) == 0)
        {
            return false;
        }

        return !check_mtu || skb.len <= dev.mtu + dev.hard_header_len + vlan_hdr_len || skbuff_h.skb_is_gso(skb);
    }

    // include/linux/netdevice.h: ____dev_forward_skb
    /// <summary>
    /// The common part of handing an skb to another device's receive path:
    /// refuse it (rx_dropped, a plain kfree_skb) if the device cannot take
    /// it, else scrub what belonged to the sending side.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturnsNonZero = true)]
    public static int ____dev_forward_skb(net_device dev, sk_buff skb, bool check_mtu)
    {
        if (!__is_skb_forwardable(dev, skb, check_mtu))
        {
            dev_core_stats_rx_dropped_inc(dev);
            skbuff_h.kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return NET_RX_DROP;
        }

        KernelNet.Kernel.Net.Core.skbuff_c.skb_scrub_packet(skb, !ReferenceEquals(dev.nd_net, skb.dev!.nd_net));
        skb.priority = 0;
        return 0;
    }

    public const int NET_RX_SUCCESS = 0;
    public const int NET_RX_DROP = 1;

    public const int NET_XMIT_SUCCESS = 0x00;
    /// <summary>enum netdev_cmd: a device came up (netif_open).</summary>
    public const int NETDEV_UP = 1;

    /// <summary>enum netdev_cmd: a device's carrier or operational state changed (netdev_state_change).</summary>
    public const int NETDEV_CHANGE = 4;

    /// <summary>enum netdev_cmd: a device was registered (register_netdevice).</summary>
    public const int NETDEV_REGISTER = 5;

    /// <summary>enum netdev_cmd: a device went down (netif_close_many).</summary>
    public const int NETDEV_DOWN = 2;

    /// <summary>enum netdev_cmd: a device is being unregistered (unregister_netdevice_many_notify).</summary>
    public const int NETDEV_UNREGISTER = 6;

    /// <summary>enum netdev_cmd: a device is about to go down (__dev_close_many).</summary>
    public const int NETDEV_GOING_DOWN = 10;

    /// <summary>enum netdev_cmd: a device was renamed (dev_change_name); 11 in 6.18's enum (NETDEV_GOING_DOWN is 10).</summary>
    public const int NETDEV_CHANGENAME = 11;

    /// <summary>enum netdev_cmd: just before ndo_uninit of an unregistering device.</summary>
    public const int NETDEV_PRE_UNINIT = 18;

    /// <summary>enum netdev_reg_state: not yet registered.</summary>
    public const int NETREG_UNINITIALIZED = 0;

    /// <summary>enum netdev_reg_state: register_netdevice completed.</summary>
    public const int NETREG_REGISTERED = 1;

    /// <summary>enum netdev_reg_state: unregister_netdevice called.</summary>
    public const int NETREG_UNREGISTERING = 2;

    // include/linux/netdevice.h: unregister_netdevice
    /// <summary>Unregisters one device at once (no batch list).</summary>
    public static void unregister_netdevice(net_device dev) => KernelNet.Kernel.Net.Core.dev_c.unregister_netdevice_queue(dev, null);

    public const int NET_XMIT_DROP = 0x01;
    public const int NET_XMIT_CN = 0x02;
    public const int NET_XMIT_MASK = 0x0f;

    /// <summary>XMIT_RECURSION_LIMIT.</summary>
    public const int XMIT_RECURSION_LIMIT = 8;

    /// <summary>One more received packet the core dropped (DEV_CORE_STATS_INC(rx_dropped): rx_dropped of ip -s link; per CPU in C).</summary>
    [KernelNet.Annotations.NotInLinux("generated in include/linux/netdevice.h by DEV_CORE_STATS_INC(rx_dropped), a macro the function data cannot list")]
    public static void dev_core_stats_rx_dropped_inc(net_device dev) => dev.core_stats.rx_dropped++;

    /// <summary>DEV_CORE_STATS_INC(tx_dropped): one more packet the core dropped on transmit.</summary>
    [KernelNet.Annotations.NotInLinux("generated in include/linux/netdevice.h by DEV_CORE_STATS_INC(tx_dropped), a macro the function data cannot list")]
    public static void dev_core_stats_tx_dropped_inc(net_device dev) => dev.core_stats.tx_dropped++;

    /// <summary>DEV_CORE_STATS_INC(rx_nohandler): a frame an rx_handler wanted delivered exactly and nobody took.</summary>
    [KernelNet.Annotations.NotInLinux("generated in include/linux/netdevice.h by DEV_CORE_STATS_INC(rx_nohandler), a macro the function data cannot list")]
    public static void dev_core_stats_rx_nohandler_inc(net_device dev) => dev.core_stats.rx_nohandler++;

    /// <summary>A frame addressed to another host's MAC that IP refused (DEV_CORE_STATS_INC(rx_otherhost_dropped); ip -s -s link: otherhost).</summary>
    [KernelNet.Annotations.NotInLinux("generated in include/linux/netdevice.h by DEV_CORE_STATS_INC(rx_otherhost_dropped), a macro the function data cannot list")]
    public static void dev_core_stats_rx_otherhost_dropped_inc(net_device dev) => dev.core_stats.rx_otherhost_dropped++;

    // include/linux/netdevice.h: netdev_priv
    public static T netdev_priv<T>(net_device dev) where T : class => (T)dev.priv!;

    // not ported: read_pnet — one field: no CONFIG_NET_NS indirection
    // include/linux/netdevice.h: dev_net
    public static net dev_net(net_device dev) => dev.nd_net;

    // include/linux/netdevice.h: netdev_get_tx_queue
    public static netdev_queue netdev_get_tx_queue(net_device dev, int index) => dev._txq[index];

    // include/linux/netdevice.h: netif_running
    public static bool netif_running(net_device dev) => (dev.flags & net_device.IFF_UP) != 0;

    // include/linux/netdevice.h: napi_schedule
    /// <summary>Schedules a NAPI poll on this CPU unless it is already scheduled (RX-4).</summary>
    public static bool napi_schedule(napi_struct n)
    {
        if (napi_schedule_prep(n))
        {
            __napi_schedule(n);
            return true;
        }

        return false;
    }

    // include/linux/netdevice.h: napi_complete
    public static bool napi_complete(napi_struct n) => napi_complete_done(n, 0);

    // include/linux/netdevice.h: napi_is_scheduled
    public static bool napi_is_scheduled(napi_struct n) => (n.state & napi_struct.NAPIF_STATE_SCHED) != 0;

    // include/linux/netdevice.h: netif_napi_add_weight
    public static void netif_napi_add_weight(net_device dev, napi_struct napi)
    {
        // not ported: netdev_lock, netdev_unlock, netif_napi_add_weight_locked — single-threaded: no instance lock; the locked body is written in place
        dev.napi_list.Add(napi);
        napi.napi_id = (uint)(dev.nd_net.k.net_hotdata.napi_gen_id++);
    }

    // include/linux/netdevice.h: napi_gro_receive
    /// <summary>A driver passes a received skb to GRO (which, here, never merges: it batches and delivers).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int napi_gro_receive(napi_struct napi, sk_buff skb) => (int)KernelNet.Kernel.Net.Core.gro_c.gro_receive_skb(napi, skb);

    // include/linux/netdevice.h: dev_hard_header
    /// <summary>Builds the link-layer header in front of data through dev->header_ops->create; negative if it could not.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int dev_hard_header(sk_buff skb, net_device dev, ushort type, byte[]? daddr, byte[]? saddr, int len)
    {
        if (dev.header_ops_create is null)
        {
            return 0;
        }

        return dev.header_ops_create(skb, dev, type, daddr, saddr, len);
    }

    // include/linux/netdevice.h: dev_parse_header
    /// <summary>The frame's source hardware address into <paramref name="haddr"/> (header_ops->parse); its length, or 0 without one.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int dev_parse_header(sk_buff skb, Span<byte> haddr)
    {
        var dev = skb.dev!;
        if (dev.header_ops_parse is null)
        {
            return 0;
        }

        return dev.header_ops_parse(skb, haddr);
    }

    // include/linux/netdevice.h: dev_parse_header_protocol
    /// <summary>The protocol the link-layer header carries (header_ops->parse_protocol), 0 without one.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort dev_parse_header_protocol(sk_buff skb)
    {
        var dev = skb.dev!;
        if (dev.header_ops_parse_protocol is null)
        {
            return 0;
        }

        return dev.header_ops_parse_protocol(skb);
    }

    // include/linux/netdevice.h: dev_validate_header
    /// <summary>
    /// Whether <paramref name="len"/> bytes hold a whole link-layer header. The
    /// port's devices all have min_header_len == hard_header_len (Ethernet and
    /// loopback), so a shorter header is never valid and the CAP_SYS_RAWIO
    /// padding and header_ops->validate branches cannot be reached.
    /// </summary>
    public static bool dev_validate_header(net_device dev, Span<byte> ll_header, int len)
    {
        return len >= dev.hard_header_len;
    }

    // include/linux/netdevice.h: dev_has_header
    /// <summary>The device has a link-layer header the stack builds (header_ops->create): taps see it.</summary>
    public static bool dev_has_header(net_device dev) => dev.header_ops_create is not null;

    /// <summary>HH_DATA_MOD: link-layer headroom is reserved in multiples of 16 bytes.</summary>
    public const int HH_DATA_MOD = 16;

    // include/linux/netdevice.h: LL_RESERVED_SPACE
    /// <summary>Headroom for the link-layer header, rounded up to HH_DATA_MOD (16 for Ethernet's 14).</summary>
    public static int LL_RESERVED_SPACE(net_device dev) => ((dev.hard_header_len + dev.needed_headroom) & ~(HH_DATA_MOD - 1)) + HH_DATA_MOD;

    // include/linux/netdevice.h: net_xmit_errno
    /// <summary>A positive NET_XMIT_* code as an errno: congestion (CN) is not an error, anything else is -ENOBUFS.</summary>
    public static int net_xmit_errno(int e) => e != NET_XMIT_CN ? -Uapi.AsmGeneric.errno_h.ENOBUFS : 0;

    // include/linux/netdevice.h: dev_nit_active
    /// <summary>Whether any tap (ETH_P_ALL) would see this device's outgoing frames.</summary>
    public static bool dev_nit_active(net_device dev)
    {
        // rcu_read_lock(): the ptype lists are read under RCU.
        return dev_nit_active_rcu(dev);
    }

    /// <summary>NAPI_POLL_WEIGHT: the default weight netif_napi_add gives a driver's NAPI (OBS-4).</summary>
    public const int NAPI_POLL_WEIGHT = 64;

    // include/linux/netdevice.h: netif_tx_start_all_queues
    /// <summary>Lets the stack hand packets to every TX queue of the device (a driver's open).</summary>
    public static void netif_tx_start_all_queues(net_device dev)
    {
        // not ported: netdev_get_tx_queue, netif_tx_start_queue — the DRV_XOFF bit of each queue is cleared in place
        for (var i = 0; i < dev.num_tx_queues; i++)
        {
            dev._txq[i].state &= ~(1UL << netdev_queue.__QUEUE_STATE_DRV_XOFF);
        }
    }

    // include/linux/netdevice.h: netif_tx_stop_queue
    public static void netif_tx_stop_queue(netdev_queue dev_queue) => dev_queue.state |= 1UL << netdev_queue.__QUEUE_STATE_DRV_XOFF;

    // include/linux/netdevice.h: netif_tx_queue_stopped
    public static bool netif_tx_queue_stopped(netdev_queue dev_queue) => (dev_queue.state & (1UL << netdev_queue.__QUEUE_STATE_DRV_XOFF)) != 0;

    // include/linux/netdevice.h: netif_xmit_frozen_or_stopped
    public static bool netif_xmit_frozen_or_stopped(netdev_queue dev_queue) =>
        (dev_queue.state & ((1UL << netdev_queue.__QUEUE_STATE_DRV_XOFF) | (1UL << netdev_queue.__QUEUE_STATE_FROZEN))) != 0;

    // include/linux/netdevice.h: netif_xmit_stopped
    public static bool netif_xmit_stopped(netdev_queue dev_queue) =>
        (dev_queue.state & ((1UL << netdev_queue.__QUEUE_STATE_DRV_XOFF) | (1UL << netdev_queue.__QUEUE_STATE_STACK_XOFF))) != 0;

    // include/linux/netdevice.h: dev_xmit_complete
    public static bool dev_xmit_complete(int rc) => rc < NET_XMIT_MASK;

    // include/linux/netdevice.h: dev_queue_xmit
    /// <summary>Queues an skb for transmission on skb.dev; consumes it on every path (TX-5).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int dev_queue_xmit(sk_buff skb) => __dev_queue_xmit(skb, null);

    // include/linux/netdevice.h: __netdev_start_xmit
    [KernelNet.Annotations.Consumes("skb", UnlessReturns = (int)netdev_tx_t.NETDEV_TX_BUSY)]
    private static netdev_tx_t __netdev_start_xmit(net_device_ops ops, sk_buff skb, net_device dev)
    {
        // not ported: netdev_xmit_set_more — xmit_more is not passed on: every ported driver sends each skb at once
        return ops.ndo_start_xmit!(skb, dev);
    }

    // include/linux/netdevice.h: netdev_start_xmit
    /// <summary>
    /// Calls the driver's ndo_start_xmit and, if it took the skb, records the
    /// queue's transmit time. The skb is the driver's unless NETDEV_TX_BUSY
    /// comes back; left in skb-ownership-baseline.tsv because xmit_one's
    /// tracepoint reads it after the call (KN0012.md).
    /// </summary>
    public static netdev_tx_t netdev_start_xmit(sk_buff skb, net_device dev, netdev_queue txq)
    {
        // not ported: txq_trans_update — trans_start is written inline
        var rc = __netdev_start_xmit(dev.netdev_ops, skb, dev);
        if (rc == netdev_tx_t.NETDEV_TX_OK)
        {
            txq.trans_start = dev.nd_net.k.ktime_get_ns();
        }

        return rc;
    }

    // include/linux/netdevice.h: dev_kfree_skb_any
    /// <summary>Drops an skb from any context (a drop: reason NOT_SPECIFIED is the kernel's here too).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static void dev_kfree_skb_any(sk_buff skb) => dev_kfree_skb_any_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);

    // include/linux/netdevice.h: dev_consume_skb_any
    [KernelNet.Annotations.Consumes("skb")]
    public static void dev_consume_skb_any(sk_buff skb) => dev_kfree_skb_any_reason(skb, skb_drop_reason.SKB_CONSUMED);
}
