// Ports drivers/net/loopback.c: the loopback device. What is sent on it is
// received on it: loopback_xmit hands the skb to this CPU's backlog
// (netif_rx), and NET_RX delivers it — no NIC, no driver queue (LO-1).
//
// not ported: blackhole_netdev, per-CPU lstats (one counter set).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Kernel.Drivers.Net;

public static class loopback_c
{
    // drivers/net/loopback.c: loopback_xmit
    /// <summary>Turns the sent skb around into a received one: orphan it, eth_type_trans, __netif_rx.</summary>
    [Consumes("skb")]
    private static netdev_tx_t loopback_xmit(sk_buff skb, net_device dev)
    {
        // not ported: dev_lstats_add — per-CPU lstats are not ported (see the file header): one counter set
        // not ported: skb_dst_force — the port's dst is a managed reference with no noref state, so there is nothing to force
        // not ported: skb_clear_tstamp — written as the tstamp store (see the comment below)
        skb_tx_timestamp(skb);

        // skb_clear_tstamp: the receive side stamps it afresh
        skb.tstamp = 0;
        skb_orphan(skb);
        skb.protocol = eth_type_trans(skb, dev);
        var len = skb.len;
        if (__netif_rx(skb) == NET_RX_SUCCESS)
        {
            dev.stats.tx_packets++;
            dev.stats.tx_bytes += (ulong)len;
            dev.stats.rx_packets++;
            dev.stats.rx_bytes += (ulong)len;
        }

        return netdev_tx_t.NETDEV_TX_OK;
    }

    // drivers/net/loopback.c: loopback_setup
    /// <summary>lo: 64 KiB MTU, Ethernet headers, IFF_LOOPBACK, no queue (txqueuelen 0).</summary>
    private static void loopback_setup(net_device dev)
    {
        // not ported: gen_lo_setup — its settings for loopback_ops are written out here
        dev.mtu = 64 * 1024;
        dev.hard_header_len = if_ether_h.ETH_HLEN;
        dev.min_mtu = 0;
        dev.max_mtu = 0;
        dev.addr_len = if_ether_h.ETH_ALEN;
        dev.type = if_arp_h.ARPHRD_LOOPBACK;
        dev.flags = net_device.IFF_LOOPBACK;
        dev.tx_queue_len = 0;
        // eth_header_ops
        dev.header_ops_create = eth_header;
        dev.header_ops_parse = eth_header_parse;
        dev.header_ops_parse_protocol = eth_header_parse_protocol;
        dev.netdev_ops = new net_device_ops { ndo_start_xmit = loopback_xmit };
        dev.driver_name = "loopback";

        // a GSO skb crosses lo whole: nothing on the way needs it cut
        dev.hw_features = netdev_features_h.NETIF_F_GSO_SOFTWARE;
        dev.features = netdev_features_h.NETIF_F_SG | netdev_features_h.NETIF_F_FRAGLIST | netdev_features_h.NETIF_F_GSO_SOFTWARE |
            netdev_features_h.NETIF_F_HW_CSUM | netdev_features_h.NETIF_F_RXCSUM | netdev_features_h.NETIF_F_SCTP_CRC |
            netdev_features_h.NETIF_F_HIGHDMA | netdev_features_h.NETIF_F_VLAN_CHALLENGED | netdev_features_h.NETIF_F_LOOPBACK;
    }

    // drivers/net/loopback.c: loopback_net_init
    /// <summary>Every namespace has its "lo", registered first (ifindex 1).</summary>
    public static int loopback_net_init(net net)
    {
        // not ported: net_eq, free_netdev — the init_net check only sets blackhole_netdev's fallback (not ported); registration cannot fail, so there is no unwind
        // not ported: register_netdev — written as register_netdevice: the RTNL that register_netdev takes has nothing to exclude (one thread)
        // not ported: alloc_netdev, dev_net_set — the net_device is constructed in the namespace directly
        var dev = new net_device(net, "lo", 1, 1);
        loopback_setup(dev);
        register_netdevice(dev);
        net.loopback_dev = dev;
        return 0;
    }
}
