// Ports drivers/net/veth.c: a virtual Ethernet pair. What one end sends,
// the other receives through the per-CPU backlog, in the sender's context:
// net_dev_start_xmit, netif_rx on the peer, NET_RX raised and run when the
// sender re-enables BH (the shape of real veth traces).
//
// not ported: veth's own NAPI (used only with XDP or GRO enabled), XDP,
// per-queue stats, netlink creation (veth_newlink is the builder's call).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Kernel.Drivers.Net;

public static class veth_c
{
    // drivers/net/veth.c: veth_forward_skb
    /// <summary>Through dev.c's __dev_forward_skb (which frees a refused skb), then the peer's backlog.</summary>
    [Consumes("skb")]
    private static int veth_forward_skb(net_device dev, sk_buff skb)
    {
        // not ported: veth_xdp_rx — the peer's NAPI ring (XDP or GRO on); without it the skb goes to __netif_rx, as here
        if (__dev_forward_skb(dev, skb) != 0)
        {
            return NET_RX_DROP;
        }

        return __netif_rx(skb);
    }

    // drivers/net/veth.c: veth_xmit
    /// <summary>ndo_start_xmit: hand the skb to the peer's receive path; count it on both ends.</summary>
    [Consumes("skb")]
    private static netdev_tx_t veth_xmit(sk_buff skb, net_device dev)
    {
        // not ported: dev_kfree_skb_any, kfree_skb — the drop frees through kfree_skb_reason, as the port requires (NOT_SPECIFIED, as 6.18's kfree_skb)
        // not ported: dev_sw_netstats_tx_add — the per-cpu counters are the dev.stats counters here (ip -s link shows their sums)
        // not ported: netdev_get_tx_queue, netif_tx_stop_queue, qdisc_txq_has_no_queue, net_crit_ratelimited — the NETDEV_TX_BUSY back-pressure when the peer's NAPI ring is full; no veth NAPI
        // not ported: veth_skb_is_eligible_for_gro, __veth_xdp_flush, __skb_push, skb_get_queue_mapping — the peer's NAPI receive queue (XDP or GRO on); without it the skb goes to the peer's backlog
        var rcv = dev.peer;
        var length = skb.len;
        if (rcv is null || !pskb_may_pull(skb, Include.Uapi.Linux.if_ether_h.ETH_HLEN))
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            dev.stats.tx_dropped++;
            return netdev_tx_t.NETDEV_TX_OK;
        }

        skb_tx_timestamp(skb);

        if (veth_forward_skb(rcv, skb) == NET_RX_SUCCESS)
        {
            dev.stats.tx_packets++;
            dev.stats.tx_bytes += (ulong)length;
            rcv.stats.rx_packets++;
            rcv.stats.rx_bytes += (ulong)length;
        }
        else
        {
            // veth's priv->dropped, reported as the sender's tx_dropped
            dev.stats.tx_dropped++;
        }

        return netdev_tx_t.NETDEV_TX_OK;
    }

    /// <summary>VETH_FEATURES: what a veth offers — everything software can finish (GSO, checksums) passes to the peer untouched.</summary>
    private const ulong VETH_FEATURES = netdev_features_h.NETIF_F_SG | netdev_features_h.NETIF_F_FRAGLIST | netdev_features_h.NETIF_F_HW_CSUM |
        netdev_features_h.NETIF_F_RXCSUM | netdev_features_h.NETIF_F_SCTP_CRC | netdev_features_h.NETIF_F_HIGHDMA |
        netdev_features_h.NETIF_F_GSO_SOFTWARE | netdev_features_h.NETIF_F_GSO_ENCAP_ALL |
        netdev_features_h.NETIF_F_HW_VLAN_CTAG_TX | netdev_features_h.NETIF_F_HW_VLAN_CTAG_RX |
        netdev_features_h.NETIF_F_HW_VLAN_STAG_TX | netdev_features_h.NETIF_F_HW_VLAN_STAG_RX;

    // drivers/net/veth.c: veth_setup
    private static void veth_setup(net_device dev, byte[] mac)
    {
        // not ported: netif_set_tso_max_size — the port's net_device default TSO limit (GSO_MAX_SIZE) is what veth sets
        ether_setup(dev);
        dev.tx_queue_len = 0; // IFF_NO_QUEUE
        dev.netdev_ops = new net_device_ops { ndo_start_xmit = veth_xmit };
        dev.dev_addr = mac;
        dev.driver_name = "veth";
        dev.features |= VETH_FEATURES;
        dev.max_mtu = (uint)Include.Uapi.Linux.if_ether_h.ETH_MAX_MTU; // any MTU up to 65535, where ether_setup allows 1500
        dev.hw_features = VETH_FEATURES;
    }

    // drivers/net/veth.c: veth_disable_gro
    /// <summary>veth keeps GRO off unless asked (register_netdevice turned it on).</summary>
    private static void veth_disable_gro(net_device dev)
    {
        dev.features &= ~netdev_features_h.NETIF_F_GRO;

        // not ported: wanted_features and netdev_update_features — no ethtool -K to reconcile with.
    }

    // drivers/net/veth.c: veth_newlink
    /// <summary>`ip link add A netns X type veth peer name B netns Y`: both ends, registered, joined.</summary>
    public static (net_device A, net_device B) veth_newlink(net netA, string nameA, byte[] macA, net netB, string nameB, byte[] macB)
    {
        // not ported: unregister_netdevice, free_netdev — the error unwind; registering a fresh pair cannot fail here
        // not ported: veth_init_queues, veth_set_xdp_features — no veth NAPI or XDP (see the file header)
        // not ported: netif_inherit_tso_max — both ends get the same TSO limits from the port's net_device defaults
        // not ported: netif_carrier_off — the carrier follows the port's open of both ends (no carrier-off window between registration and open)
        // not ported: eth_hw_addr_random — the caller gives both MACs (the scenario fixes them, for determinism)
        // not ported: rtnl_nla_parse_ifinfomsg, nla_data, rtnl_newlink_peer_net, rtnl_create_link, rtnl_configure_link — the pair is made from the port's arguments (names, MACs, namespaces), not from netlink attributes
        var a = new net_device(netA, nameA, 1, 1);
        var b = new net_device(netB, nameB, 1, 1);
        veth_setup(a, macA);
        veth_setup(b, macB);
        a.peer = b;
        b.peer = a;
        register_netdevice(a);
        veth_disable_gro(a);
        register_netdevice(b);
        veth_disable_gro(b);
        return (a, b);
    }
}
