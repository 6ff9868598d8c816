using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Net.Core;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Core;

/// <summary>
/// net/core/dev.c's packet steering: RPS (rx-N/rps_cpus: get_rps_cpu, a
/// remote backlog, the IPI that kicks it), RFS (the socket flow table and a
/// queue's rps_flow_cnt: the reader's CPU), XPS (tx-N/xps_cpus:
/// netdev_pick_tx by the sending CPU), and the seed claims about spreading
/// receive work over queues and CPUs (RX-8, FIELD-2).
/// </summary>
public sealed class dev_rps_tests
{
    private const uint HostIp = 0x0a000002;

    /// <summary>A's client on CPU 0 sends <paramref name="count"/> datagrams to B:9000 from port 5000+flow (flow = i % flows); B's server (on <paramref name="serverCpu"/>) reads them.</summary>
    private static List<int> Exchange(TwoHosts net, int count, int flows, int serverCpu, bool connectServer = false)
    {
        var got = new List<int>();
        net.T.Spawn(net.B, "server", serverCpu, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            if (connectServer)
            {
                Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.1:5000")));
            }

            for (var i = 0; i < count; i++)
            {
                var r = await libc.RecvFrom(fd, 100, 0);
                got.Add((int)r.Ret);
            }
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fds = new int[flows];
            for (var f = 0; f < flows; f++)
            {
                fds[f] = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
                Assert.Equal(0, await libc.Bind(fds[f], SockAddrIn.Parse($"10.0.0.1:{5000 + f}")));
            }

            for (var i = 0; i < count; i++)
            {
                await libc.SendTo(fds[i % flows], new byte[32], 0, SockAddrIn.Parse("10.0.0.2:9000"));

                // one datagram at a time: the reader runs between them
                await libc.Sleep(1_000_000);
            }
        });
        return got;
    }

    /// <summary>The CPUs on which B's veth handed a packet to the stack (net:netif_receive_skb).</summary>
    private static List<int> ReceiveCpus(TwoHosts net) =>
        net.T.K.trace.entries.Where(e => e.Event == "netif_receive_skb" && e.Text.Contains($"dev={net.VethB.name}", System.StringComparison.Ordinal) && e.Text.Contains("len=60", System.StringComparison.Ordinal)).Select(e => e.Cpu).ToList();

    private static string[] SoftnetColumns(TwoHosts net, int cpu) =>
        net_procfs_c.softnet_seq_show(net.T.K).Split('\n')[cpu].Split(' ');

    // RPS: with rx-0/rps_cpus = 2 on B's veth, a datagram A sends from CPU 0
    // is queued on CPU 1's backlog; CPU 0 kicks CPU 1 with the call-function
    // IPI (ipi_send_cpu, call_function_single_entry), whose handler schedules
    // the backlog (received_rps, column 10 of softnet_stat), and CPU 1's
    // NET_RX softirq delivers it. Without the map everything stays on CPU 0.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void rps_cpus_moves_a_veth_flow_to_the_mapped_cpus_backlog_by_an_ipi(bool rps)
    {
        var net = TwoHosts.OnVeth();
        var k = net.T.K;
        if (rps)
        {
            Assert.Equal(2, net_sysfs_c.store_rps_map(net.VethB._rx[0], "2\n"));
            Assert.Equal("2\n", net_sysfs_c.show_rps_map(net.VethB._rx[0]));
        }

        k.trace.set_event("net:netif_receive_skb");
        k.trace.set_event("ipi:ipi_send_cpu");
        k.trace.set_event("irq_vectors:call_function_single_entry");
        var got = Exchange(net, 5, 1, serverCpu: 0);
        net.T.Run(1_000_000_000);

        Assert.Equal([32, 32, 32, 32, 32], got);
        var cpus = ReceiveCpus(net);
        Assert.Equal(5, cpus.Count);
        var ipis = k.trace.entries.Where(e => e.Event == "ipi_send_cpu").ToList();
        if (rps)
        {
            Assert.All(cpus, c => Assert.Equal(1, c));
            Assert.NotEmpty(ipis);
            Assert.All(ipis, e => Assert.Equal("cpu=1 callsite=generic_exec_single+0x0/0x0 callback=generic_smp_call_function_single_interrupt+0x0/0x0", e.Text));
            Assert.All(k.trace.entries.Where(e => e.Event == "call_function_single_entry"), e => Assert.Equal((1, "vector=251"), (e.Cpu, e.Text)));
            Assert.True(k.per_cpu(1).softnet_data.received_rps >= 1);
            Assert.Equal(k.per_cpu(1).softnet_data.received_rps, k.per_cpu(1).irq_call_count);
            Assert.Equal($"{k.per_cpu(1).softnet_data.received_rps:x8}", SoftnetColumns(net, 1)[9]);
        }
        else
        {
            Assert.All(cpus, c => Assert.Equal(0, c));
            Assert.Empty(ipis);
            Assert.Equal(0u, k.per_cpu(1).softnet_data.received_rps);
            Assert.Equal("00000000", SoftnetColumns(net, 1)[9]);
        }

        Assert.Equal("00000001", SoftnetColumns(net, 1)[12]);
        Assert.Equal(0, k.leaked_skbs());
    }

    // RPS spreads flows, not packets: with rps_cpus = 3, 16 flows land on
    // both CPUs (by their flow hash), and each flow stays on one CPU.
    [Fact]
    public void rps_spreads_many_flows_over_the_mapped_cpus_and_keeps_each_flow_on_one()
    {
        var net = TwoHosts.OnVeth();
        Assert.Equal(2, net_sysfs_c.store_rps_map(net.VethB._rx[0], "3\n"));
        net.T.K.trace.set_event("net:netif_receive_skb");
        var got = Exchange(net, 64, 16, serverCpu: 0);
        net.T.Run(2_000_000_000);

        Assert.Equal(64, got.Count);
        var cpus = ReceiveCpus(net);
        Assert.Equal(64, cpus.Count);
        Assert.Contains(0, cpus);
        Assert.Contains(1, cpus);

        // datagram i belongs to flow i % 16: every flow's four datagrams on one CPU
        for (var f = 0; f < 16; f++)
        {
            Assert.Single(Enumerable.Range(0, 4).Select(j => cpus[f + (16 * j)]).Distinct());
        }
    }

    // RFS: B's reader runs on CPU 1 and the sender on CPU 0. With
    // rps_sock_flow_entries and rx-0/rps_flow_cnt set (no rps_cpus), the
    // first datagram is processed where it arrived (CPU 0: the flow is not
    // yet known); the reader's recvmsg records its CPU for the flow's hash,
    // and every later datagram is steered to CPU 1. Without RFS all stay on CPU 0.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void rfs_steers_a_flow_to_the_cpu_its_reader_runs_on(bool rfs)
    {
        var net = TwoHosts.OnVeth();
        var k = net.T.K;
        if (rfs)
        {
            var buf = "32768\n";
            Assert.Equal(0, sysctl_net_core_c.rps_sock_flow_sysctl(k, true, ref buf));
            Assert.Equal(4, net_sysfs_c.store_rps_dev_flow_table_cnt(net.VethB._rx[0], "256\n"));
            var read = "";
            Assert.Equal(0, sysctl_net_core_c.rps_sock_flow_sysctl(k, false, ref read));
            Assert.Equal("32768\n", read);
            Assert.Equal("256\n", net_sysfs_c.show_rps_dev_flow_table_cnt(net.VethB._rx[0]));
        }

        k.trace.set_event("net:netif_receive_skb");
        var got = Exchange(net, 6, 1, serverCpu: 1, connectServer: true);
        net.T.Run(1_000_000_000);

        Assert.Equal(6, got.Count);
        var cpus = ReceiveCpus(net);
        Assert.Equal(rfs ? [0, 1, 1, 1, 1, 1] : [0, 0, 0, 0, 0, 0], cpus);
        Assert.Equal(0, k.leaked_skbs());
    }

    // RFS for TCP, its main use: B's reader runs on CPU 1; once it has read
    // (recvmsg records the CPU for the flow's hash, saved by tcp_v4_do_rcv),
    // A's data segments are processed on CPU 1. Without RFS they stay on CPU 0.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void rfs_steers_a_tcp_connection_to_the_cpu_its_reader_runs_on(bool rfs)
    {
        var net = TwoHosts.OnVeth();
        var k = net.T.K;
        if (rfs)
        {
            var buf = "4096";
            Assert.Equal(0, sysctl_net_core_c.rps_sock_flow_sysctl(k, true, ref buf));
            Assert.Equal(3, net_sysfs_c.store_rps_dev_flow_table_cnt(net.VethB._rx[0], "64\n"));
        }

        k.trace.set_event("net:netif_receive_skb");
        var reads = 0;
        net.T.Spawn(net.B, "server", 1, async libc =>
        {
            var lfd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(lfd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(lfd, 1));
            var fd = (int)await libc.Accept(lfd);
            while (reads < 5)
            {
                Assert.Equal(100, (await libc.RecvFrom(fd, 100, 0)).Ret);
                reads++;
            }
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            for (var i = 0; i < 5; i++)
            {
                await libc.Sleep(10_000_000);
                Assert.Equal(100, await libc.SendTo(fd, new byte[100], 0, null));
            }
        });
        net.T.Run(1_000_000_000);

        Assert.Equal(5, reads);

        // B's data segments: 100 bytes of payload behind the IP and TCP headers
        var data = k.trace.entries.Where(e => e.Event == "netif_receive_skb" && e.Text.StartsWith($"dev={net.VethB.name} ", System.StringComparison.Ordinal)
            && int.Parse(e.Text[(e.Text.LastIndexOf("len=", System.StringComparison.Ordinal) + 4)..], System.Globalization.CultureInfo.InvariantCulture) > 100).Select(e => e.Cpu).ToList();
        Assert.Equal(5, data.Count);
        Assert.Equal(rfs ? [1, 1, 1, 1] : [0, 0, 0, 0], data.Skip(1));
        Assert.Equal(0, k.leaked_skbs());
    }

    // The socket flow table's size is a power of two; 0 removes it and turns RFS off; too large is EINVAL.
    [Fact]
    public void rps_sock_flow_entries_rounds_up_and_zero_turns_rfs_off()
    {
        var k = new Topology().K;
        var buf = "1000";
        Assert.Equal(0, sysctl_net_core_c.rps_sock_flow_sysctl(k, true, ref buf));
        Assert.Equal(1023u, k.net_hotdata.rps_sock_flow_table!.mask);
        Assert.True(KernelNet.Kernel.Include.Net.rps_h.rfs_is_needed(k));
        Assert.Equal(1, k.net_hotdata.rps_needed);

        buf = "536870913";
        Assert.Equal(-22, sysctl_net_core_c.rps_sock_flow_sysctl(k, true, ref buf));

        buf = "0";
        Assert.Equal(0, sysctl_net_core_c.rps_sock_flow_sysctl(k, true, ref buf));
        Assert.Null(k.net_hotdata.rps_sock_flow_table);
        Assert.False(KernelNet.Kernel.Include.Net.rps_h.rfs_is_needed(k));
        Assert.Equal(0, k.net_hotdata.rps_needed);
    }

    /// <summary>A host with one igb NIC (2 queues by default) on a cable to a test tap.</summary>
    private static (Topology T, Host H, net_device Dev, Igb82576 Nic, WireTap Tap) IgbHost()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var nic = new Igb82576(t.Machine, t.NextMac());
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap);
        var dev = igb_main_c.igb_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        return (t, h, dev, nic, tap);
    }

    private static byte[] UdpTo(net_device dev, uint src, int i) =>
        Frames.Udp(dev.dev_addr, new byte[] { 2, 0xaa, 0, 0, 0, 1 }, src, HostIp, (ushort)(10000 + i), 9, new byte[18], (ushort)i);

    private static ulong[] RxPerQueue(net_device dev)
    {
        var adapter = netdevice_h.netdev_priv<igb_adapter>(dev);
        return adapter.rx_ring.Where(r => r is not null).Select(r => r!.rx_stats.packets).ToArray();
    }

    private static long NetRx(Topology t, int cpu) => t.K.per_cpu(cpu).softirqs[(int)softirq_nr.NET_RX_SOFTIRQ];

    // RX-8 (demonstrates): RSS hashes 64 flows over the NIC's 2 queues, and
    // with each queue's vector on its own CPU (irqbalance's spreading) both
    // CPUs take interrupts and run NET_RX: /proc/softirqs and softnet_stat's
    // processed count both CPUs. Fails if RSS put every frame on one queue, or
    // if the queues' interrupts did not follow their affinity.
    [Fact]
    public void rss_spreads_frames_over_queues_and_their_irqs_spread_the_softirq_work_over_cpus()
    {
        var (t, h, dev, nic, tap) = IgbHost();
        t.SpreadIrqs(nic);
        tap.Burst(Enumerable.Range(0, 256).Select(i => UdpTo(dev, 0x0a000100u + (uint)(i % 64), i)), 1_000_000);
        t.Run(100_000_000);

        var perQueue = RxPerQueue(dev);
        Assert.Equal(2, perQueue.Length);
        Assert.Equal(256UL, perQueue[0] + perQueue[1]);
        Assert.All(perQueue, n => Assert.True(n > 0, "every queue got frames"));
        var processed = new[] { t.K.per_cpu(0).softnet_data.processed, t.K.per_cpu(1).softnet_data.processed };
        Assert.All(processed, n => Assert.True(n > 0, "every CPU processed frames"));
        Assert.True(NetRx(t, 0) > 0 && NetRx(t, 1) > 0, "NET_RX ran on both CPUs");
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // FIELD-2 (demonstrates): with every queue's interrupt on CPU 0 (irqbalance
    // off), all receive softirq work lands on CPU 0 — softnet_stat's processed
    // column and /proc/softirqs' NET_RX show CPU 1 idle. Setting rps_cpus on
    // each RX queue to CPU 1 moves the protocol work there (received_rps counts
    // the IPIs), the remedy the kernel documents for this imbalance.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void all_queue_irqs_on_one_cpu_pile_the_softirq_work_there_until_rps_moves_it(bool rps)
    {
        var (t, h, dev, nic, tap) = IgbHost();
        foreach (var v in nic.MsixVectors)
        {
            KernelNet.Kernel.Kernel.Irq.manage_c.irq_set_affinity(t.K, v, 1);
        }

        if (rps)
        {
            foreach (var q in dev._rx)
            {
                Assert.Equal(2, net_sysfs_c.store_rps_map(q, "2\n"));
            }
        }

        tap.Burst(Enumerable.Range(0, 256).Select(i => UdpTo(dev, 0x0a000100u + (uint)(i % 64), i)), 1_000_000);
        t.Run(100_000_000);

        var perQueue = RxPerQueue(dev);
        Assert.All(perQueue, n => Assert.True(n > 0));
        var line0 = net_procfs_c.softnet_seq_show(t.K).Split('\n')[0].Split(' ');
        var line1 = net_procfs_c.softnet_seq_show(t.K).Split('\n')[1].Split(' ');
        if (!rps)
        {
            Assert.Equal($"{256:x8}", line0[0]);
            Assert.Equal("00000000", line1[0]);
            Assert.Equal(0, NetRx(t, 1));
            Assert.Equal(0u, t.K.per_cpu(1).softnet_data.received_rps);
        }
        else
        {
            // the NIC's poll still runs on CPU 0 (it only queues); CPU 1's backlog delivers all 256
            Assert.Equal($"{256:x8}", line1[0]);
            Assert.NotEqual("00000000", line1[9]);
            Assert.True(NetRx(t, 1) > 0);
        }

        Assert.Equal(0, t.K.leaked_skbs());
    }

    // XPS: tx-0/xps_cpus = 2 and tx-1/xps_cpus = 1 — a datagram sent from CPU 0
    // leaves on TX queue 1, one sent from CPU 1 on TX queue 0; the sysfs
    // files read back what was written.
    [Fact]
    public void xps_cpus_picks_the_tx_queue_mapped_to_the_sending_cpu()
    {
        var (t, h, dev, nic, tap) = IgbHost();
        Assert.Equal(2, net_sysfs_c.xps_cpus_store(netdevice_h.netdev_get_tx_queue(dev, 0), "2\n"));
        Assert.Equal(2, net_sysfs_c.xps_cpus_store(netdevice_h.netdev_get_tx_queue(dev, 1), "1\n"));
        Assert.Equal(2, net_sysfs_c.xps_cpus_show(netdevice_h.netdev_get_tx_queue(dev, 0), out var shown));
        Assert.Equal("2\n", shown);
        var adapter = netdevice_h.netdev_priv<igb_adapter>(dev);
        ulong Sent(int q) => adapter.tx_ring[q]!.tx_stats.packets;

        foreach (var (cpu, expectQueue) in new[] { (0, 1), (1, 0), (0, 1) })
        {
            var before = (Sent(0), Sent(1));
            t.Spawn(h, $"sender{cpu}", cpu, async libc =>
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
                await libc.SetSockOpt(fd, Libc.SOL_SOCKET, 6 /* SO_BROADCAST */, 1);
                Assert.Equal(100, await libc.SendTo(fd, new byte[100], 0, SockAddrIn.Parse("10.0.0.255:9")));
            });
            t.Run(t.Machine.Now + 10_000_000);
            Assert.Equal(expectQueue == 0 ? (before.Item1 + 1, before.Item2) : (before.Item1, before.Item2 + 1), (Sent(0), Sent(1)));
        }

        Assert.Equal(-22, net_sysfs_c.xps_cpus_store(netdevice_h.netdev_get_tx_queue(dev, 0), "zz\n"));
    }
}
