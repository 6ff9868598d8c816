using System.Linq;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Sched;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using static KernelNet.Tests.Support.WiredHost;
using Xunit;

namespace KernelNet.Tests.Net.Sched;

public sealed class sch_fifo_tests
{
    private static Qdisc GraftPfifo(net_device dev, uint? limit)
    {
        var opt = limit is { } l ? new tc_fifo_qopt { limit = l } : null;
        var q = sch_api_c.qdisc_create(dev, dev._txq[0], sch_api_c.qdisc_lookup_ops("pfifo")!, opt, out var err)!;
        Assert.Equal(0, err);
        Assert.Equal(0, sch_api_c.qdisc_graft(dev, null, q, dev.qdisc));
        return q;
    }

    [Fact]
    public void a_root_pfifo_with_limit_0_drops_every_packet_with_QDISC_DROP_and_sends_none()
    {
        var (t, h, dev) = HostOnWire();
        var q = GraftPfifo(dev, 0);
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("net:net_dev_start_xmit");

        SendBroadcasts(t, h, 5);
        t.Run(1_000_000_000);

        Assert.Same(q, dev._txq[0].qdisc);
        Assert.Equal(0u, q.flags & sch_generic_h.TCQ_F_CAN_BYPASS);
        Assert.Equal(5UL, q.drops);
        Assert.Equal(5, t.K.trace.entries.Count(e => e.Text.EndsWith("reason: QDISC_DROP", System.StringComparison.Ordinal)));
        Assert.DoesNotContain(t.K.trace.entries, e => e.Event == "net_dev_start_xmit");
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void pfifo_holds_limit_packets_while_the_queue_is_stopped_and_drops_the_rest()
    {
        var (t, h, dev) = HostOnWire();
        var q = GraftPfifo(dev, 3);
        netdevice_h.netif_tx_stop_queue(netdevice_h.netdev_get_tx_queue(dev, 0));
        t.K.trace.set_event("skb:kfree_skb");

        SendBroadcasts(t, h, 10);
        t.Run(1_000_000_000);

        Assert.NotEqual(0u, q.flags & sch_generic_h.TCQ_F_CAN_BYPASS);
        Assert.Equal(3, q.qlen);
        Assert.Equal(7UL, q.drops);
        Assert.Equal(7, t.K.trace.entries.Count(e => e.Text.EndsWith("reason: QDISC_DROP", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void pfifo_without_a_limit_takes_txqueuelen_and_sends_everything()
    {
        var (t, h, dev) = HostOnWire();
        var q = GraftPfifo(dev, null);
        t.K.trace.set_event("net:net_dev_start_xmit");

        SendBroadcasts(t, h, 20);
        t.Run(1_000_000_000);

        Assert.Equal(dev.tx_queue_len, q.limit);
        Assert.Equal(0UL, q.drops);
        Assert.Equal(20, t.K.trace.entries.Count(e => e.Event == "net_dev_start_xmit"));
    }

    [Fact]
    public void grafting_the_root_away_frees_what_the_old_qdisc_held_and_restores_pfifo_fast()
    {
        var (t, h, dev) = HostOnWire();
        var q = GraftPfifo(dev, 100);
        netdevice_h.netif_tx_stop_queue(netdevice_h.netdev_get_tx_queue(dev, 0));
        SendBroadcasts(t, h, 4);
        t.Run(1_000_000_000);
        Assert.Equal(4, q.qlen);

        Assert.Equal(0, sch_api_c.qdisc_graft(dev, null, null, q));

        Assert.Equal(0, q.qlen);
        Assert.Equal("pfifo_fast", dev.qdisc!.ops.id);
        Assert.Same(dev.qdisc, dev._txq[0].qdisc);
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
