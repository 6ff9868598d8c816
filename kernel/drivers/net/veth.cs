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
    /// <summary>__dev_forward_skb (net/core/dev.c): scrub the skb for the other namespace and classify it for the peer.</summary>
    private static int veth_dev_forward(net_device rcv, sk_buff skb)
    {
        if ((rcv.flags & net_device.IFF_UP) == 0 || skb.len > rcv.mtu + rcv.hard_header_len)
        {
            return NET_RX_DROP;
        }

        // skb_scrub_packet: the packet leaves this namespace.
        skb_orphan(skb);
        skb.dst = null;
        skb.mark = 0;
        skb.protocol = eth_type_trans(skb, rcv);
        return NET_RX_SUCCESS;
    }

    // drivers/net/veth.c: veth_forward_skb
    [Consumes("skb")]
    private static int veth_forward_skb(net_device dev, sk_buff skb)
    {
        if (veth_dev_forward(dev, skb) != NET_RX_SUCCESS)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_DEV_READY);
            return NET_RX_DROP;
        }

        return __netif_rx(skb);
    }

    // drivers/net/veth.c: veth_xmit
    /// <summary>ndo_start_xmit: hand the skb to the peer's receive path; count it on both ends.</summary>
    [Consumes("skb")]
    private static netdev_tx_t veth_xmit(sk_buff skb, net_device dev)
    {
        var rcv = dev.peer;
        var length = skb.len;
        if (rcv is null)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            dev.stats.tx_dropped++;
            return netdev_tx_t.NETDEV_TX_OK;
        }

        if (veth_forward_skb(rcv, skb) == NET_RX_SUCCESS)
        {
            dev.stats.tx_packets++;
            dev.stats.tx_bytes += (ulong)length;
            rcv.stats.rx_packets++;
            rcv.stats.rx_bytes += (ulong)length;
        }
        else
        {
            dev.stats.tx_dropped++;
        }

        return netdev_tx_t.NETDEV_TX_OK;
    }

    // drivers/net/veth.c: veth_setup
    private static void veth_setup(net_device dev, byte[] mac)
    {
        ether_setup(dev);
        dev.tx_queue_len = 0; // IFF_NO_QUEUE
        dev.netdev_ops = new net_device_ops { ndo_start_xmit = veth_xmit };
        dev.dev_addr = mac;
        dev.driver_name = "veth";
    }

    // drivers/net/veth.c: veth_newlink
    /// <summary>`ip link add A netns X type veth peer name B netns Y`: both ends, registered, joined.</summary>
    public static (net_device A, net_device B) veth_newlink(net netA, string nameA, byte[] macA, net netB, string nameB, byte[] macB)
    {
        var a = new net_device(netA, nameA, 1, 1);
        var b = new net_device(netB, nameB, 1, 1);
        veth_setup(a, macA);
        veth_setup(b, macB);
        a.peer = b;
        b.peer = a;
        register_netdevice(a);
        register_netdevice(b);
        return (a, b);
    }
}
