using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Drivers.Net;

/// <summary>drivers/net/veth.c through net/core/dev.c's __dev_forward_skb.</summary>
public class veth_tests
{
    [Fact]
    public void a_frame_too_big_for_the_peer_is_refused_by_dev_forward_skb_and_counted_on_both_ends()
    {
        // the peer takes mtu + header + a VLAN tag (__is_skb_forwardable); 1242 bytes > 1000 + 14 + 4
        var net = TwoHosts.OnVeth();
        net.VethB.mtu = 1000;
        net.T.K.trace.set_event("skb:kfree_skb");
        net.SendOnceFromA(new byte[1200], delayNs: 0);
        net.T.Run(50_000_000);

        Assert.Contains(net.T.K.trace.entries, e => e.Text.Contains("reason: NOT_SPECIFIED", System.StringComparison.Ordinal)
            && e.Text.Contains("location=____dev_forward_skb", System.StringComparison.Ordinal));
        Assert.Equal(1ul, net.VethB.core_stats.rx_dropped);
        Assert.True(net.VethA.stats.tx_dropped >= 1);
        Assert.Equal(0, net.T.K.leaked_skbs());
    }

    // veth_setup: max_mtu is ETH_MAX_MTU, so `ip link set veth mtu 9000` works (ether_setup alone allows 1500)
    [Fact]
    public void a_veth_takes_any_MTU_up_to_ETH_MAX_MTU()
    {
        var net = TwoHosts.OnVeth();

        Assert.Equal(0, KernelNet.Kernel.Net.Core.dev_c.netif_set_mtu(net.VethA, 9000));
        Assert.Equal(0, KernelNet.Kernel.Net.Core.dev_c.netif_set_mtu(net.VethA, 65535));
        Assert.Equal(-22, KernelNet.Kernel.Net.Core.dev_c.netif_set_mtu(net.VethA, 65536));
        Assert.Equal(65535u, net.VethA.mtu);
    }

    [Fact]
    public void a_frame_that_fits_reaches_the_peer_in_the_senders_context_through_netif_rx()
    {
        var net = TwoHosts.OnVeth();
        net.T.K.trace.set_event("net:netif_rx");
        long got = 0;
        net.ReceiveOnceOnB(100, r => got = r.Ret);
        net.SendOnceFromA(new byte[] { 1, 2, 3 });
        net.T.Run(50_000_000);

        Assert.Equal(3, got);
        Assert.All(net.T.K.trace.entries, e => Assert.Equal("client", e.Comm));
        Assert.Contains(net.T.K.trace.entries, e => e.Text.StartsWith("dev=veth1", System.StringComparison.Ordinal));
        Assert.Equal(0, net.T.K.leaked_skbs());
    }
}
