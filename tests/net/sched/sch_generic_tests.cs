using System.Linq;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using static KernelNet.Tests.Support.WiredHost;
using Xunit;

namespace KernelNet.Tests.Net.Sched;

public sealed class sch_generic_tests
{
    // demonstrates TX-5: while the driver keeps up, the sender's own context
    // runs the qdisc (it is bypassed when empty); once the ring stops the
    // queue, packets wait in pfifo_fast and NET_TX_SOFTIRQ finishes them —
    // a handful of NET_TX runs for 400 packets.
    [Fact]
    public void the_qdisc_runs_in_the_senders_context_and_net_tx_takes_over_only_when_stopped()
    {
        var (t, h, dev) = HostOnWire();
        t.K.trace.set_event("net:net_dev_start_xmit");
        t.K.trace.set_event("irq:softirq_entry");

        SendBroadcasts(t, h, 400);
        t.Run(1_000_000_000);

        var starts = t.K.trace.entries.Where(e => e.Event == "net_dev_start_xmit").ToList();
        Assert.Equal(400, starts.Count);
        Assert.Contains(starts, e => e.Comm == "sender" && e.Flags[2] == '.');
        var netTx = t.K.per_cpu(0).softirqs[(int)softirq_nr.NET_TX_SOFTIRQ] + t.K.per_cpu(1).softirqs[(int)softirq_nr.NET_TX_SOFTIRQ];
        var netRx = t.K.per_cpu(0).softirqs[(int)softirq_nr.NET_RX_SOFTIRQ] + t.K.per_cpu(1).softirqs[(int)softirq_nr.NET_RX_SOFTIRQ];
        Assert.True(netTx > 0, "NET_TX ran for the packets the stopped queue held back");
        Assert.InRange(netTx, 1, 400 / 64 + 2);
        Assert.True(netRx > 0, "TX completions run under NET_RX");
        Assert.Contains(starts, e => e.Flags[2] == 's');
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates TX-10: each pfifo_fast band is a ring of txqueuelen (1000) slots; a packet finding its band
    // full is dropped with QDISC_OVERLIMIT (6.18's pfifo_fast_enqueue, tcf_set_drop_reason), not QDISC_DROP.
    [Fact]
    public void pfifo_fast_holds_txqueuelen_packets_per_band_and_drops_the_rest_with_QDISC_OVERLIMIT()
    {
        var (t, h, dev) = HostOnWire();
        Assert.Equal(1000u, dev.tx_queue_len);
        var txq = netdevice_h.netdev_get_tx_queue(dev, 0);
        netdevice_h.netif_tx_stop_queue(txq);
        t.K.trace.set_event("skb:kfree_skb");

        SendBroadcasts(t, h, 1200);
        t.Run(1_000_000_000);

        // The first broadcast found the queue stopped on the bypass path and was requeued (gso_skb, outside the
        // bands); the band then filled with 1000 and the remaining 199 were dropped.
        Assert.Equal(1, txq.qdisc!.gso_skb.qlen);
        Assert.Equal(1001, txq.qdisc.qlen);
        Assert.Equal(199UL, txq.qdisc.drops);
        Assert.Equal(199, t.K.trace.entries.Count(e => e.Text.EndsWith("reason: QDISC_OVERLIMIT", System.StringComparison.Ordinal)));
        Assert.DoesNotContain(t.K.trace.entries, e => e.Text.EndsWith("reason: QDISC_DROP", System.StringComparison.Ordinal));
    }

    // The limit is per band, not on the qdisc's total: with band 1 (priority 0) full, packets of priority 6
    // (TC_PRIO_INTERACTIVE, band 0) are still queued.
    [Fact]
    public void a_full_pfifo_fast_band_does_not_stop_a_packet_of_another_band()
    {
        var (t, h, dev) = HostOnWire();
        var txq = netdevice_h.netdev_get_tx_queue(dev, 0);
        netdevice_h.netif_tx_stop_queue(txq);
        SendBroadcasts(t, h, 1000);
        t.Run(1_000_000_000);
        var q = txq.qdisc!;
        Assert.Equal(1000, q.qlen); // 999 in band 1, one requeued in gso_skb
        SendBroadcasts(t, h, 5);
        t.Run(1_000_000_000);
        Assert.Equal(1001, q.qlen); // band 1 is full now
        Assert.Equal(4UL, q.drops);

        for (var i = 0; i < 3; i++)
        {
            var skb = KernelNet.Kernel.Net.Core.skbuff_c.__alloc_skb(t.K, 128, 0)!;
            KernelNet.Kernel.Net.Core.skbuff_c.skb_put(skb, 64);
            skb.dev = dev;
            skb.priority = 6;
            Assert.Equal(netdevice_h.NET_XMIT_SUCCESS, q.ops.enqueue(skb, q));
        }

        Assert.Equal(1004, q.qlen);
        Assert.Equal(4UL, q.drops);
        Assert.Equal(6u, q.ops.peek(q)!.priority);
    }
}
