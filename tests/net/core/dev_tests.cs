using System;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.interrupt_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Core;

public sealed class dev_tests
{
    private const int TestVector = 0x40;

    /// <summary>Installs a handler on a test vector that runs <paramref name="work"/> in hard-IRQ context.</summary>
    private static void OnIrq(KernelRig rig, System.Action work)
    {
        request_irq(rig.K, TestVector, (irq, dev) =>
        {
            work();
            return irqreturn_t.IRQ_HANDLED;
        }, "test", null);
    }

    private static List<sk_buff> CaptureTestFrames(KernelRig rig)
    {
        var got = new List<sk_buff>();
        dev_add_pack(rig.K, new packet_type(KernelRig.TestEthertype, (skb, dev, pt, orig) =>
        {
            got.Add(skb);
            consume_skb(skb);
            return 0;
        }));
        return got;
    }

    /// <summary>The usual rig for delivery tests: one device, and every frame of the test ethertype captured.</summary>
    private static (KernelRig Rig, net_device Dev, List<sk_buff> Got) RigCapturingTestFrames()
    {
        var rig = new KernelRig();
        var dev = rig.AddDevice("test0");
        return (rig, dev, CaptureTestFrames(rig));
    }

    /// <summary>Enough of the trace to attribute each poll's work to the NET_RX round (and the context) that did it.</summary>
    private static void TracePollsAndSoftirqs(KernelRig rig)
    {
        rig.K.trace.set_event("napi:napi_poll");
        rig.K.trace.set_event("irq:softirq_entry");
        rig.K.trace.set_event("irq:softirq_exit");
    }

    /// <summary>Fires the test vector at 1 ms and runs the machine until it is idle.</summary>
    private static void RaiseTestIrqAndRun(KernelRig rig)
    {
        rig.Machine.Interrupts.Raise(TestVector, 1_000_000);
        rig.Run();
    }

    [Fact]
    public void netif_rx_from_hard_irq_is_delivered_by_the_backlog_napi_in_net_rx()
    {
        var (rig, dev, got) = RigCapturingTestFrames();
        OnIrq(rig, () => netif_rx(rig.NewSkb(dev, 100)));
        rig.K.trace.set_event("*:*");

        RaiseTestIrqAndRun(rig);

        Assert.Single(got);
        // the scheduler's events (the tasks' context switches) are not this path's
        var events = rig.K.trace.entries.Where(e => e.System != "sched").Select(e => e.Event).ToList();
        Assert.Equal(
            new[] { "irq_handler_entry", "netif_rx_entry", "netif_rx", "softirq_raise", "netif_rx_exit", "irq_handler_exit", "softirq_entry", "netif_receive_skb", "consume_skb", "napi_poll", "softirq_exit" },
            events);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // net/core/dev.c: dev_kfree_skb_irq_reason pushes on the CPU's completion_queue
    // and net_tx_action takes the whole list, so the skbs a hard IRQ freed are traced
    // and freed newest first.
    [Fact]
    public void skbs_freed_in_hard_irq_are_freed_by_net_tx_action_newest_first()
    {
        var (rig, dev, _) = RigCapturingTestFrames();
        var freed = new List<sk_buff>();
        OnIrq(rig, () =>
        {
            var first = rig.NewSkb(dev, 60);
            var second = rig.NewSkb(dev, 60);
            freed.Add(first);
            freed.Add(second);
            dev_kfree_skb_irq_reason(first, skb_drop_reason.SKB_CONSUMED);
            dev_kfree_skb_irq_reason(second, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        });
        rig.K.trace.set_event("skb:consume_skb");
        rig.K.trace.set_event("skb:kfree_skb");
        rig.K.trace.set_event("irq:softirq_entry");

        RaiseTestIrqAndRun(rig);

        var events = rig.K.trace.entries.Select(e => e.Event == "softirq_entry" ? e.Text : e.Event).ToList();
        Assert.Equal(new[] { "vec=2 [action=NET_TX]", "kfree_skb", "consume_skb" }, events);
        var addrs = rig.K.trace.entries.Where(e => e.Event != "softirq_entry").Select(e => e.Text.Split(' ')[0]).ToList();
        Assert.Equal(new[] { $"skbaddr={freed[1].addr:x16}", $"skbaddr={freed[0].addr:x16}" }, addrs);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // demonstrates RX-5 and RX-6 on the per-CPU backlog: one napi_poll does at
    // most its weight (64); a NAPI that used its whole weight goes to the
    // repoll list and waits for the next net_rx_action round, which — with a
    // task waiting for the CPU — ksoftirqd runs.
    [Fact]
    public void burst_of_1000_on_the_backlog_is_polled_64_at_a_time_and_finished_by_ksoftirqd()
    {
        var (rig, dev, got) = RigCapturingTestFrames();
        OnIrq(rig, () =>
        {
            // A task becomes runnable on this CPU: handle_softirqs must not
            // hog the CPU with restarts, so ksoftirqd gets the rest (RX-6).
            rig.Machine.CreateTask("waiter", rig.Machine.CurrentCpu.Id, _ => System.Threading.Tasks.Task.CompletedTask);
            for (var i = 0; i < 1000; i++)
            {
                netif_rx(rig.NewSkb(dev, 60));
            }
        });
        TracePollsAndSoftirqs(rig);

        RaiseTestIrqAndRun(rig);

        Assert.Equal(1000, got.Count);
        var polls = rig.K.trace.entries.Where(e => e.Event == "napi_poll").Select(e => WorkOf(e.Text)).ToList();
        Assert.All(polls, w => Assert.InRange(w, 0, 64));
        foreach (var perAction in WorkPerNetRxAction(rig.K.trace.entries))
        {
            Assert.InRange(perAction, 0, 300 + 63);
        }

        var sd = rig.K.per_cpu(0).softnet_data;
        Assert.Contains(rig.K.trace.entries, e => e.Comm.StartsWith("ksoftirqd/", System.StringComparison.Ordinal) && e.Event == "napi_poll");
        Assert.Equal(1000u, sd.processed);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // demonstrates RX-5: with several NAPIs busy on one CPU, one net_rx_action
    // stops after netdev_budget (300) packets, counts a time_squeeze and
    // re-raises NET_RX for the rest.
    [Fact]
    public void net_rx_action_stops_at_netdev_budget_across_napis_and_counts_time_squeeze()
    {
        var (rig, dev, got) = RigCapturingTestFrames();
        var queues = new List<sk_buff_head>();
        var napis = new List<napi_struct>();
        for (var q = 0; q < 6; q++)
        {
            var queue = new sk_buff_head();
            queues.Add(queue);
            napis.Add(new napi_struct(rig.K, dev, (n, budget) => PollQueue(n, queue, budget), 64));
        }

        OnIrq(rig, () =>
        {
            foreach (var queue in queues)
            {
                for (var i = 0; i < 100; i++)
                {
                    skbuff_h.__skb_queue_tail(queue, rig.NewSkb(dev, 60));
                }
            }

            foreach (var n in napis)
            {
                netdevice_h.napi_schedule(n);
            }
        });
        TracePollsAndSoftirqs(rig);

        RaiseTestIrqAndRun(rig);

        Assert.Equal(600, got.Count);
        var perAction = WorkPerNetRxAction(rig.K.trace.entries).ToList();
        Assert.Equal(320, perAction[0]);
        Assert.All(perAction, w => Assert.InRange(w, 0, 300 + 63));
        Assert.True(rig.K.per_cpu(0).softnet_data.time_squeeze >= 1);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    /// <summary>A driver-like poll: deliver up to budget skbs from a queue, complete when it runs dry.</summary>
    private static int PollQueue(napi_struct n, sk_buff_head queue, int budget)
    {
        var work = 0;
        while (work < budget && skbuff_h.__skb_dequeue(queue) is { } skb)
        {
            netif_receive_skb(skb);
            work++;
        }

        if (work < budget)
        {
            napi_complete_done(n, work);
        }

        return work;
    }

    [Fact]
    public void backlog_beyond_netdev_max_backlog_drops_with_CPU_BACKLOG_and_counts_softnet_dropped()
    {
        var (rig, dev, got) = RigCapturingTestFrames();
        rig.K.net_hotdata.max_backlog = 10;
        OnIrq(rig, () =>
        {
            for (var i = 0; i < 20; i++)
            {
                netif_rx(rig.NewSkb(dev, 60));
            }
        });
        rig.K.trace.set_event("skb:kfree_skb");

        RaiseTestIrqAndRun(rig);

        Assert.Equal(11, got.Count);
        Assert.Equal(9u, rig.K.per_cpu(0).softnet_data.dropped);
        Assert.Equal(9ul, dev.core_stats.rx_dropped);
        Assert.All(rig.K.trace.entries, e => Assert.EndsWith("reason: CPU_BACKLOG", e.Text, System.StringComparison.Ordinal));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    [Fact]
    public void frame_with_no_protocol_handler_is_dropped_UNHANDLED_PROTO_and_counted_rx_dropped()
    {
        var rig = new KernelRig();
        var dev = rig.AddDevice("test0");
        OnIrq(rig, () => netif_rx(rig.NewSkb(dev, 60, protocol: 0x88b6)));
        rig.K.trace.set_event("skb:kfree_skb");

        RaiseTestIrqAndRun(rig);

        var drop = Assert.Single(rig.K.trace.entries);
        Assert.Contains("protocol=34998", drop.Text, System.StringComparison.Ordinal);
        Assert.EndsWith("reason: UNHANDLED_PROTO", drop.Text, System.StringComparison.Ordinal);
        Assert.Equal(1ul, dev.core_stats.rx_dropped);
        Assert.Equal(0ul, dev.core_stats.rx_nohandler);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    [Fact]
    public void taps_in_ptype_all_see_the_frame_before_the_protocol_handler()
    {
        var rig = new KernelRig();
        var dev = rig.AddDevice("test0");
        var order = new List<string>();
        dev_add_pack(rig.K, new packet_type(ETH_P_ALL, (skb, d, pt, orig) =>
        {
            order.Add("tap");
            consume_skb(skb);
            return 0;
        }));
        dev_add_pack(rig.K, new packet_type(KernelRig.TestEthertype, (skb, d, pt, orig) =>
        {
            order.Add("ip");
            consume_skb(skb);
            return 0;
        }));
        OnIrq(rig, () => netif_rx(rig.NewSkb(dev, 60)));

        RaiseTestIrqAndRun(rig);

        Assert.Equal(new[] { "tap", "ip" }, order);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    private static int WorkOf(string napiPollText)
    {
        var parts = napiPollText.Split(' ');
        return int.Parse(parts[System.Array.IndexOf(parts, "work") + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IEnumerable<int> WorkPerNetRxAction(IReadOnlyList<KernelNet.Kernel.Kernel.Trace.trace_entry> entries)
    {
        var sum = -1;
        foreach (var e in entries)
        {
            if (e.Event == "softirq_entry" && e.Text.Contains("NET_RX", System.StringComparison.Ordinal))
            {
                sum = 0;
            }
            else if (e.Event == "napi_poll" && sum >= 0)
            {
                sum += WorkOf(e.Text);
            }
            else if (e.Event == "softirq_exit" && e.Text.Contains("NET_RX", System.StringComparison.Ordinal))
            {
                yield return sum;
                sum = -1;
            }
        }
    }
    // A UDP datagram from A to B over veth: __ip_append_data makes it
    // CHECKSUM_PARTIAL (veth has NETIF_F_HW_CSUM), udp4_hwcsum leaves only the
    // pseudo-header sum in the check field, and veth hands the skb over as it
    // is, so B's tap still sees CHECKSUM_PARTIAL from the UDP header on.
    // skb_checksum_help on a copy then writes the sum a device would have, and
    // B's UDP takes the datagram without verifying (no InCsumErrors).
    [Fact]
    public void a_udp_datagram_crosses_veth_checksum_partial_and_skb_checksum_help_completes_its_sum()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, _, b, _, vb) = hosts;
        var seen = new List<(byte ip_summed, int start, ushort check_before, ushort check_after, int help)>();
        var verified = new List<uint>();
        dev_add_pack(t.K, new packet_type(KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_ALL, (skb, dev, pt, orig) =>
        {
            if (skb.protocol == KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_IP)
            {
                var c = skb_copy(skb)!;
                var start = skbuff_h.skb_checksum_start_offset(c);
                var before = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(c.head.AsSpan(c.data + start + c.csum_offset));
                var summed = c.ip_summed;

                // skb_csum_hwoffload_help keeps the offload for a device that sums UDP over IPv4 or anything.
                Assert.Equal(0, skb_csum_hwoffload_help(c, netdev_features_h.NETIF_F_IP_CSUM));
                Assert.Equal(0, skb_csum_hwoffload_help(c, netdev_features_h.NETIF_F_HW_CSUM));
                Assert.Equal(skbuff_h.CHECKSUM_PARTIAL, c.ip_summed);
                var help = skb_checksum_help(c);
                var after = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(c.head.AsSpan(c.data + start + c.csum_offset));
                seen.Add((summed, start, before, after, help));

                // The whole datagram now sums to zero against its pseudo-header.
                var ip = c.head.AsSpan(c.data, c.len);
                var saddr = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
                var daddr = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
                var udp = ip[start..];
                verified.Add(checksum_h.csum_tcpudp_magic(saddr, daddr, udp.Length, 17, checksum_h.csum_partial(udp, 0)));
                Assert.Equal(skbuff_h.CHECKSUM_NONE, c.ip_summed);
                consume_skb(c);
            }

            consume_skb(skb);
            return 0;
        }) { dev = vb });
        KernelNet.Machine.RecvResult? got = null;
        hosts.ReceiveOnceOnB(100, r => got = r);
        hosts.SendOnceFromA(new byte[] { 1, 2, 3, 4, 5 });

        t.Run(1_000_000_000);

        var one = Assert.Single(seen);
        Assert.Equal(skbuff_h.CHECKSUM_PARTIAL, one.ip_summed);
        Assert.Equal(20, one.start);
        Assert.Equal(0, one.help);
        Assert.NotEqual(one.check_before, one.check_after);
        Assert.Equal(0u, Assert.Single(verified));
        Assert.Equal(5, got!.Value.Ret);
        var mib = KernelNet.Kernel.Include.Net.Netns.netns_ipv4.of(b.Net).mib.udp_statistics;
        Assert.Equal(1, mib[(int)KernelNet.Kernel.Include.Uapi.Linux.udp_mib_field.UDP_MIB_INDATAGRAMS]);
        Assert.Equal(0, mib[(int)KernelNet.Kernel.Include.Uapi.Linux.udp_mib_field.UDP_MIB_CSUMERRORS]);
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
