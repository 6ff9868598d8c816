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

    // demonstrates TX-10: the default qdisc holds txqueuelen (1000) packets; more are dropped.
    [Fact]
    public void pfifo_fast_holds_txqueuelen_packets_and_drops_the_rest_with_QDISC_DROP()
    {
        var (t, h, dev) = HostOnWire();
        Assert.Equal(1000u, dev.tx_queue_len);
        var txq = netdevice_h.netdev_get_tx_queue(dev, 0);
        netdevice_h.netif_tx_stop_queue(txq);
        t.K.trace.set_event("skb:kfree_skb");

        SendBroadcasts(t, h, 1200);
        t.Run(1_000_000_000);

        Assert.Equal(1000, txq.qdisc!.qlen);
        Assert.Equal(200, t.K.trace.entries.Count(e => e.Text.EndsWith("reason: QDISC_DROP", System.StringComparison.Ordinal)));
    }
}
