using System;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Output;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Drivers.Net.Ethernet.Intel.Igb;

public sealed class igb_main_tests
{
    private const uint HostIp = 0x0a000002;

    /// <summary>A host with one igb NIC whose cable ends at a test wire tap.</summary>
    private static (Topology T, Host H, net_device Dev, Igb82576 Nic, WireTap Tap) HostOnWire()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var nic = new Igb82576(t.Machine, t.NextMac());
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap);
        var dev = igb_main_c.igb_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        t.SpreadIrqs(nic);
        return (t, h, dev, nic, tap);
    }

    private static byte[] UdpTo(net_device dev, uint src, int i) =>
        Frames.Udp(dev.dev_addr, new byte[] { 2, 0xaa, 0, 0, 0, 1 }, src, HostIp, (ushort)(10000 + i), 9, new byte[18], (ushort)i);

    private static ethtool_ops Ops(net_device dev) => (ethtool_ops)dev.ethtool_ops!;

    private static ulong Stat(net_device dev, string name) => Ops(dev).get_ethtool_stats(dev).Single(s => s.Name == name).Value;

    // demonstrates RX-1 and RX-9: frames land in ring buffers by DMA; the
    // poll turns descriptors into skbs and gives the ring fresh buffers.
    [Fact]
    public void received_frames_are_dmad_into_ring_buffers_and_the_ring_is_refilled()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        var adapter = netdevice_h.netdev_priv<igb_adapter>(dev);
        var ring = adapter.rx_ring[0]!;
        var tail0 = nic.rd32(Igb82576Registers.RDT(0));

        tap.Burst(Enumerable.Range(0, 3).Select(i => UdpTo(dev, 0x0a000001, i)), 1_000_000);
        // Long enough for the port-unreachable replies' neighbour (nobody
        // answers ARP on the tap) to fail and release them.
        t.Run(10_000_000_000);

        Assert.Equal(255u, tail0);
        Assert.Equal(3UL, ring.rx_stats.packets);
        Assert.Equal(3u, nic.rd32(Igb82576Registers.RDH(0)));
        Assert.Equal(255, ring.rx_buffer_info.Count(b => b.page is not null));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates RX-2: a ring with no free descriptor drops in the NIC; the
    // drops show in ethtool -S (per queue) and in /proc/net/dev.
    [Fact]
    public void full_rx_ring_drops_frames_counted_by_ethtool_and_proc_net_dev()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        Assert.Equal(0, Ops(dev).set_ringparam(dev, 64, 64));
        // Mask the vector so nothing is cleaned while the burst arrives.
        nic.wr32(Igb82576Registers.EIMC, ~0u);

        tap.Burst(Enumerable.Range(0, 100).Select(i => UdpTo(dev, 0x0a000001, i)), 1_000_000);
        t.Run(10_000_000);

        // 63 buffers were posted (one descriptor always stays empty).
        var drops = Stat(dev, "rx_queue_0_drops") + Stat(dev, "rx_missed_errors");
        Assert.Equal(37UL, drops);
        Assert.Equal(37UL, Stat(dev, "rx_no_buffer_count"));
        var line = KernelNet.Kernel.Net.Core.net_procfs_c.dev_seq_show(h.Net).Split('\n').Single(l => l.TrimStart().StartsWith("eth0:", System.StringComparison.Ordinal));
        var cols = line.Split(':')[1].Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("37", cols[4]); // fifo
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates RX-3 and OBS-2: ring sizes visible and settable; driver info.
    [Fact]
    public void ethtool_shows_and_sets_ring_sizes_and_driver_info()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        Assert.Contains("RX:\t\t\t4096", Ethtool.Rings(dev), System.StringComparison.Ordinal);
        Assert.Contains("Current hardware settings:\nRX:\t\t\t256", Ethtool.Rings(dev), System.StringComparison.Ordinal);

        Assert.Equal(0, Ops(dev).set_ringparam(dev, 1000, 512));

        Assert.Contains("Current hardware settings:\nRX:\t\t\t1000", Ethtool.Rings(dev), System.StringComparison.Ordinal);
        Assert.StartsWith("driver: igb\n", Ethtool.DriverInfo(dev), System.StringComparison.Ordinal);
        Assert.Contains("Combined:\t2", Ethtool.Channels(dev), System.StringComparison.Ordinal);
    }

    // demonstrates RX-4: the hard IRQ handler only schedules NAPI; the softirq does the rest.
    [Fact]
    public void hard_irq_only_schedules_napi_and_the_packet_is_handled_in_net_rx()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        t.K.trace.set_event("irq:*");
        t.K.trace.set_event("net:netif_receive_skb");
        t.K.trace.set_event("napi:napi_poll");

        tap.Send(UdpTo(dev, 0x0a000001, 0), 1_000_000);
        t.Run(10_000_000);

        var ev = t.K.trace.entries.Where(e => e.Text != "vec=1 [action=TIMER]").Select(e => $"{e.Flags[2]} {e.Event}").ToList();
        Assert.Equal(new[] { "h irq_handler_entry", "h softirq_raise", "h irq_handler_exit", "s softirq_entry", "s netif_receive_skb", "s napi_poll", "s softirq_exit" }, ev.Take(7));
    }

    // demonstrates RX-5, RX-6, RX-8 and FIELD-2: 8 queues whose vectors are all
    // on CPU 0, 1000 frames spread by RSS: each napi_poll does at most 64,
    // each net_rx_action at most netdev_budget (300, with the last poll's
    // overshoot), time_squeeze counts the cut-offs, and ksoftirqd/0 finishes.
    [Fact]
    public void burst_of_1000_frames_is_budgeted_squeezed_and_finished_by_ksoftirqd()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        Assert.Equal(0, Ops(dev).set_channels(dev, 8));
        Assert.Equal(0, Ops(dev).set_ringparam(dev, 4096, 256));
        foreach (var v in nic.MsixVectors)
        {
            KernelNet.Kernel.Kernel.Irq.manage_c.irq_set_affinity(t.K, v, 1);
        }

        t.K.trace.set_event("napi:napi_poll");
        t.K.trace.set_event("irq:softirq_entry");
        t.K.trace.set_event("irq:softirq_exit");
        // The burst starts at 7 ms; the backlog is still being polled when
        // the tick at 8 ms ends the softirq window (MAX_SOFTIRQ_TIME, one
        // jiffy at HZ=250) with NET_RX pending: ksoftirqd/0 takes the rest (RX-6).
        // (A sleeping task's timer is what makes the tick: the kernel is tickless when idle.)
        t.Spawn(h, "sleeper", 0, async libc => { await libc.Sleep(1); });
        tap.Burst(Enumerable.Range(0, 1000).Select(i => UdpTo(dev, 0x0a000100u + (uint)(i % 64), i)), 7_000_000);
        t.Run(200_000_000);

        var polls = t.K.trace.entries.Where(e => e.Event == "napi_poll").ToList();
        Assert.All(polls, p => Assert.InRange(WorkOf(p.Text), 0, 64));
        Assert.Equal(1000, polls.Sum(p => WorkOf(p.Text)));
        Assert.All(WorkPerNetRxAction(t.K.trace.entries), w => Assert.InRange(w, 0, 300 + 63));
        Assert.True(t.K.per_cpu(0).softnet_data.time_squeeze > 0, "net_rx_action ran out of budget");
        Assert.Contains(polls, p => p.Comm == "ksoftirqd/0");
        Assert.Equal(1000u, t.K.per_cpu(0).softnet_data.processed);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    private static byte[] SynTo(net_device dev) =>
        Frames.Tcp(dev.dev_addr, new byte[] { 2, 0xaa, 0, 0, 0, 1 }, 0x0a000001, HostIp, 40000, 9, 1000, 0, 0x02, 64240);

    private static ulong CsumErrors(net_device dev) =>
        (ulong)Ops(dev).get_ethtool_stats(dev).Where(s => s.Name.EndsWith("_csum_err", StringComparison.Ordinal)).Sum(s => (decimal)s.Value);

    // The 82576 checks a received segment's TCP sum (RXCSUM.TUOFL, on at reset) and reports TCPCS in the
    // write-back; igb_rx_checksum makes the skb CHECKSUM_UNNECESSARY, so TCP takes it without summing it.
    [Fact]
    public void a_tcp_segment_the_nic_verified_arrives_checksum_unnecessary()
    {
        var (t, h, dev, _, tap) = HostOnWire();
        t.K.trace.set_event("net:napi_gro_receive_entry");

        tap.Send(SynTo(dev), 1_000_000);
        t.Run(10_000_000);

        var entry = t.K.trace.entries.Single(e => e.Event == "napi_gro_receive_entry");
        Assert.Contains(" ip_summed=1 ", entry.Text, StringComparison.Ordinal);
        Assert.Equal(0UL, CsumErrors(dev));
        Assert.Equal("0", ProcNet.Snmp(h, "Tcp", "InCsumErrors"));
        Assert.Equal("1", ProcNet.Snmp(h, "Tcp", "OutRsts"));
    }

    // A corrupted TCP sum: the NIC flags it (TCPE), igb counts rx csum_err and leaves the skb CHECKSUM_NONE,
    // and tcp_v4_rcv finds the bad sum itself: tcp_bad_csum, TCP_CSUM, InCsumErrors, no RST.
    [Fact]
    public void a_tcp_segment_with_a_bad_sum_is_counted_by_the_nic_and_dropped_by_tcp()
    {
        var (t, h, dev, _, tap) = HostOnWire();
        t.K.trace.set_event("net:napi_gro_receive_entry");
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("tcp:tcp_bad_csum");
        var frame = SynTo(dev);
        frame[14 + 20 + 16] ^= 0x5a;

        tap.Send(frame, 1_000_000);
        t.Run(10_000_000);

        var entry = t.K.trace.entries.Single(e => e.Event == "napi_gro_receive_entry");
        Assert.Contains(" ip_summed=0 ", entry.Text, StringComparison.Ordinal);
        Assert.Equal(1UL, CsumErrors(dev));
        Assert.Contains(t.K.trace.entries, e => e.Event == "tcp_bad_csum");
        Assert.Contains(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: TCP_CSUM", StringComparison.Ordinal));
        Assert.Equal("1", ProcNet.Snmp(h, "Tcp", "InCsumErrors"));
        Assert.Equal("0", ProcNet.Snmp(h, "Tcp", "OutRsts"));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates TX-6, TX-7 and TX-8: descriptors and tx_buffer_info share
    // an index; the NIC sends by DMA; completion frees the skb under NET_RX.
    [Fact]
    public void transmit_uses_parallel_rings_and_completion_frees_under_net_rx()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        var adapter = netdevice_h.netdev_priv<igb_adapter>(dev);
        int? watchedIndex = null;
        sk_buff? watched = null;
        t.K.trace.set_event("skb:consume_skb");
        t.Spawn(h, "sender", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            // A broadcast needs no ARP: the datagram goes straight to the ring.
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, 6 /* SO_BROADCAST */, 1);
            await libc.SendTo(fd, new byte[100], 0, SockAddrIn.Parse("10.0.0.255:9"));
            var ring = adapter.tx_ring.Single(r => r is not null && r.tx_buffer_info.Any(b => b.skb is not null))!;
            var i = System.Array.FindIndex(ring.tx_buffer_info, b => b.skb is not null);
            watchedIndex = i;
            watched = ring.tx_buffer_info[i].skb;
            // the datagram is CHECKSUM_PARTIAL: igb_tx_csum's context descriptor takes slot i, the data
            // descriptor (EOP) the next one, which is what completion watches
            Assert.Equal(i + 1, ring.tx_buffer_info[i].next_to_watch);
        });

        t.Run(10_000_000);

        Assert.NotNull(watchedIndex);
        Assert.Single(tap.Received);
        Assert.Equal(14 + 20 + 8 + 100 + 4, tap.Received[0].Length);

        // the NIC inserted the UDP checksum the driver asked for (POPTS.TXSM): it verifies on the wire
        var ip = tap.Received[0].AsSpan(14, 20 + 8 + 100);
        var udpSum = KernelNet.Kernel.Include.Net.checksum_h.csum_tcpudp_nofold(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip[12..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip[16..]),
            108, 17, KernelNet.Kernel.Include.Net.checksum_h.csum_partial(ip[20..], 0));
        Assert.Equal(0, KernelNet.Kernel.Include.Net.checksum_h.csum_fold(udpSum));
        Assert.NotEqual(0, System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(ip[26..]));
        var free = t.K.trace.entries.Single(e => e.Text.StartsWith($"skbaddr={watched!.addr:x16}", System.StringComparison.Ordinal));
        Assert.Equal('s', free.Flags[2]);
        Assert.Contains("location=igb_clean_tx_irq", free.Text, System.StringComparison.Ordinal);
        Assert.Equal(1, t.K.per_cpu(0).softirqs[(int)softirq_nr.NET_RX_SOFTIRQ] + t.K.per_cpu(1).softirqs[(int)softirq_nr.NET_RX_SOFTIRQ]);
        Assert.Equal(0, t.K.per_cpu(0).softirqs[(int)softirq_nr.NET_TX_SOFTIRQ] + t.K.per_cpu(1).softirqs[(int)softirq_nr.NET_TX_SOFTIRQ]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates RX-7 and OBS-3: smp_affinity decides which CPU takes a
    // queue's interrupt, /proc/interrupts counts it there, and the softirq
    // work follows it (/proc/softirqs).
    [Fact]
    public void smp_affinity_moves_a_queues_interrupts_and_softirq_work_to_that_cpu()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        // MSI-X entry 0 is the "other" vector ("eth0"); queue 0's is entry 1.
        var vector = nic.MsixVectors[1];
        KernelNet.Kernel.Kernel.Irq.manage_c.irq_set_affinity(t.K, vector, 0b10);

        tap.Send(UdpTo(dev, 0x0a000001, 0), 1_000_000);
        t.Run(10_000_000_000);

        Assert.Equal("2\n", KernelNet.Kernel.Kernel.Irq.proc_c.irq_affinity_proc_show(t.K, vector));
        var line = KernelNet.Kernel.Kernel.Irq.proc_c.show_interrupts(t.K).Split('\n').First(l => l.TrimStart().StartsWith($"{vector}:", System.StringComparison.Ordinal));
        var counts = line.Split(':')[1].Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", counts[0]);
        Assert.NotEqual("0", counts[1]);
        Assert.EndsWith("eth0-TxRx-0", line, System.StringComparison.Ordinal);
        Assert.True(t.K.per_cpu(1).softirqs[(int)softirq_nr.NET_RX_SOFTIRQ] > 0);
    }

    // demonstrates RX-1 and LAYER-2 between two igb NICs on a cable in two
    // namespaces: a raw frame sent from A arrives on B as an skb whose head
    // is the very receive buffer the NIC wrote by DMA (build_skb, no CPU
    // copy), FCS stripped, Ethernet header pulled, protocol set.
    [Fact]
    public void frame_between_two_igb_nics_reaches_a_packet_tap_in_the_dma_buffer()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (devA, devB, cable) = t.AddIgbPair(a, "eth0", b, "eth0");
        var seen = new List<(ushort Protocol, byte PktType, int Len, int HeadLen, int Data)>();
        KernelNet.Kernel.Net.Core.dev_c.dev_add_pack(t.K, new packet_type(KernelRig.TestEthertype, (skb, dev, pt, orig) =>
        {
            seen.Add((skb.protocol, skb.pkt_type, skb.len, skb.head.Length, skb.data));
            KernelNet.Kernel.Net.Core.skbuff_c.consume_skb(skb);
            return 0;
        }) { dev = devB });
        var frame = new byte[100];
        devB.dev_addr.CopyTo(frame, 0);
        devA.dev_addr.CopyTo(frame, 6);
        frame[12] = 0x88;
        frame[13] = 0xB5;
        t.Spawn(a, "sender", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var skb = KernelNet.Kernel.Net.Core.skbuff_c.__alloc_skb(t.K, 256, 0)!;
            skbuff_h.skb_reserve(skb, 64);
            frame.CopyTo(skb.head, KernelNet.Kernel.Net.Core.skbuff_c.skb_put(skb, frame.Length));
            skb.dev = devA;
            skb.protocol = KernelRig.TestEthertype;
            netdevice_h.dev_queue_xmit(skb);
        });

        t.Run(10_000_000);

        var got = Assert.Single(seen);
        Assert.Equal(KernelRig.TestEthertype, got.Protocol);
        Assert.Equal(skbuff_h.PACKET_HOST, got.PktType);
        Assert.Equal(100 - 14, got.Len);
        // The head is the first half of a receive page (build_skb): the page is
        // the array, data an offset in it after IGB_SKB_PAD and the MAC header.
        Assert.Equal(mm_h.PAGE_SIZE, got.HeadLen);
        Assert.Equal(igb_h.IGB_SKB_PAD + 14, got.Data);
        Assert.Equal(1, cable.Frames);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // Closing the device returns every receive buffer, descriptor ring and
    // TX mapping: no DMA mapping of the driver survives igb_close.
    [Fact]
    public void close_releases_every_dma_mapping_and_skb()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        var before = 0;
        tap.Burst(Enumerable.Range(0, 20).Select(i => UdpTo(dev, 0x0a000001, i)), 1_000_000);
        t.Run(10_000_000_000);
        before = t.Machine.Dma.MappingCount;

        Assert.Equal(0, igb_main_c.igb_close(dev));

        Assert.True(before >= 2 * 255, "rings and their buffers were mapped while up");
        Assert.Equal(0, t.Machine.Dma.MappingCount);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    /// <summary>A frame of <paramref name="len"/> bytes (no FCS) of the test ethertype, its payload bytes counting up.</summary>
    private static byte[] TestFrame(net_device dev, int len)
    {
        var frame = new byte[len];
        dev.dev_addr.CopyTo(frame, 0);
        new byte[] { 2, 0xaa, 0, 0, 0, 1 }.CopyTo(frame, 6);
        frame[12] = 0x88;
        frame[13] = 0xB5;
        for (var i = 14; i < len; i++)
        {
            frame[i] = (byte)(i * 7);
        }

        return frame;
    }

    /// <summary>Collects what reaches the test ethertype's packet handler on <paramref name="dev"/>: the skb's shape and its bytes (skb_copy_bits over head and frags).</summary>
    private static List<(int Len, int HeadLen, int NrFrags, int[] FragSizes, byte[] Bytes)> Collect(Topology t, net_device dev)
    {
        var seen = new List<(int, int, int, int[], byte[])>();
        KernelNet.Kernel.Net.Core.dev_c.dev_add_pack(t.K, new packet_type(KernelRig.TestEthertype, (skb, d, pt, orig) =>
        {
            var bytes = new byte[skb.len];
            Assert.Equal(0, KernelNet.Kernel.Net.Core.skbuff_c.skb_copy_bits(skb, 0, bytes, skb.len));
            var frags = Enumerable.Range(0, skb.shinfo.nr_frags).Select(i => skbuff_h.skb_frag_size(skb.shinfo.frags[i])).ToArray();
            seen.Add((skb.len, skbuff_h.skb_headlen(skb), skb.shinfo.nr_frags, frags, bytes));
            KernelNet.Kernel.Net.Core.skbuff_c.consume_skb(skb);
            return 0;
        }) { dev = dev });
        return seen;
    }

    // A 9000-byte frame at MTU 9000: igb_set_rx_buffer_len gives the ring 3 KiB
    // buffers (halves of 8 KiB pages), the NIC spreads the frame over three
    // descriptors, and the driver builds one skb: the first buffer is its head
    // (igb_build_skb), the next two its page frags (igb_add_rx_frag) — the frame
    // is assembled, not dropped.
    [Fact]
    public void a_9000_byte_frame_is_delivered_as_one_skb_with_page_frags()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        Assert.Equal(0, Topology.SetMtu(dev, 9000));
        var ring = netdevice_h.netdev_priv<igb_adapter>(dev).rx_ring[0]!;
        Assert.True(igb_h.ring_uses_large_buffer(ring));
        Assert.Equal(igb_h.IGB_RXBUFFER_3072, igb_h.igb_rx_bufsz(ring));
        var seen = Collect(t, dev);
        var frame = TestFrame(dev, 9000);

        tap.Send(frame, 1_000_000);
        t.Run(10_000_000);

        var got = Assert.Single(seen);
        Assert.Equal(9000 - 14, got.Len);
        Assert.Equal(2, got.NrFrags);
        Assert.Equal(3072 - 14, got.HeadLen);
        Assert.Equal(new[] { 3072, 9000 - (2 * 3072) }, got.FragSizes);
        Assert.Equal(frame[14..], got.Bytes);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // legacy-rx (IGB_FLAG_RX_LEGACY): 2 KiB buffers and no build_skb, so a
    // 9000-byte frame spans five descriptors of the 2048-byte-buffer ring;
    // igb_construct_skb copies the headers eth_get_headlen finds (Ethernet,
    // IPv4, UDP: 42 bytes) into a small head and hangs the rest of the first
    // buffer and the four others on as page frags: one skb, never dropped.
    [Fact]
    public void a_9000_byte_frame_on_a_2048_byte_buffer_ring_is_one_skb_with_frags()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        var adapter = netdevice_h.netdev_priv<igb_adapter>(dev);
        adapter.flags |= igb_h.IGB_FLAG_RX_LEGACY;
        Assert.Equal(0, Topology.SetMtu(dev, 9000));
        var ring = adapter.rx_ring[0]!;
        Assert.False(igb_h.ring_uses_build_skb(ring));
        Assert.False(igb_h.ring_uses_large_buffer(ring));
        Assert.Equal(igb_h.IGB_RXBUFFER_2048, igb_h.igb_rx_bufsz(ring));
        var seen = new List<(int Len, int HeadLen, int[] FragSizes, byte[] Bytes)>();
        KernelNet.Kernel.Net.Core.dev_c.dev_add_pack(t.K, new packet_type(KernelNet.Kernel.Net.Core.dev_c.ETH_P_ALL, (skb, d, pt, orig) =>
        {
            var bytes = new byte[skb.len];
            Assert.Equal(0, KernelNet.Kernel.Net.Core.skbuff_c.skb_copy_bits(skb, 0, bytes, skb.len));
            seen.Add((skb.len, skbuff_h.skb_headlen(skb), Enumerable.Range(0, skb.shinfo.nr_frags).Select(i => skbuff_h.skb_frag_size(skb.shinfo.frags[i])).ToArray(), bytes));
            KernelNet.Kernel.Net.Core.skbuff_c.consume_skb(skb);
            return 0;
        }) { dev = dev });
        var payload = new byte[9000 - 42];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i * 13);
        }

        var frame = Frames.Udp(dev.dev_addr, new byte[] { 2, 0xaa, 0, 0, 0, 1 }, 0x0a000001, HostIp, 4000, 9, payload, 7);
        Assert.Equal(9000, frame.Length);

        tap.Send(frame, 1_000_000);
        t.Run(10_000_000_000);

        var got = seen.First(s => s.Len == 9000 - 14);
        Assert.Equal(42 - 14, got.HeadLen);
        Assert.Equal(new[] { 2048 - 42, 2048, 2048, 2048, 9000 - (4 * 2048) }, got.FragSizes);
        Assert.Equal(frame[14..], got.Bytes);
        Assert.Equal(1UL, ring.rx_stats.packets);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // The half-page flip: a receive page is DMA-mapped once with USHRT_MAX
    // references taken in advance; after its first half became an skb (and that
    // skb was freed), the same page, now pointing at its other half, goes back to
    // the NIC in the slot at next_to_alloc — no new page, no new mapping.
    [Fact]
    public void a_receive_page_is_flipped_to_its_other_half_and_reused()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        var ring = netdevice_h.netdev_priv<igb_adapter>(dev).rx_ring[0]!;
        var seen = Collect(t, dev);
        var first = ring.rx_buffer_info[0];
        var page = first.page!;
        Assert.Equal((uint)igb_h.IGB_SKB_PAD, first.page_offset);
        Assert.Equal(igb_h.USHRT_MAX, first.pagecnt_bias);
        Assert.Equal(igb_h.USHRT_MAX, page_ref_h.page_count(page));
        var mappings = t.Machine.Dma.MappingCount;
        var nta = ring.next_to_alloc;

        tap.Send(TestFrame(dev, 100), 1_000_000);
        t.Run(10_000_000);

        Assert.Single(seen);
        var reused = ring.rx_buffer_info[nta];
        Assert.Same(page, reused.page);
        Assert.Equal((uint)(igb_h.IGB_RXBUFFER_2048 + igb_h.IGB_SKB_PAD), reused.page_offset);
        Assert.Null(first.page);

        // The skb gave its reference back: the driver's bias is all that holds the page.
        Assert.Equal(reused.pagecnt_bias, page_ref_h.page_count(page));
        Assert.Equal(mappings, t.Machine.Dma.MappingCount);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    /// <summary>
    /// The counters `ip -s link` reads (rtnl_link_stats64 from dev_get_stats)
    /// and the ones ifconfig reads (/proc/net/dev: its fifo column is
    /// ifconfig's "overruns", its frame column the sum of length, over, crc
    /// and frame errors), by name.
    /// </summary>
    private static Dictionary<string, ulong> LinkCounters(Host h, net_device dev)
    {
        var s = KernelNet.Kernel.Net.Core.dev_c.dev_get_stats(dev);
        var line = KernelNet.Kernel.Net.Core.net_procfs_c.dev_seq_show(h.Net).Split('\n').Single(l => l.TrimStart().StartsWith(dev.name + ":", System.StringComparison.Ordinal));
        var p = line.Split(':')[1].Split(' ', System.StringSplitOptions.RemoveEmptyEntries).Select(c => ulong.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new Dictionary<string, ulong>
        {
            ["rx_packets"] = s.rx_packets, ["rx_bytes"] = s.rx_bytes, ["rx_errors"] = s.rx_errors, ["rx_dropped"] = s.rx_dropped,
            ["rx_missed_errors"] = s.rx_missed_errors, ["rx_length_errors"] = s.rx_length_errors, ["rx_crc_errors"] = s.rx_crc_errors,
            ["rx_frame_errors"] = s.rx_frame_errors, ["rx_fifo_errors"] = s.rx_fifo_errors, ["rx_over_errors"] = s.rx_over_errors,
            ["tx_packets"] = s.tx_packets, ["tx_bytes"] = s.tx_bytes, ["tx_errors"] = s.tx_errors, ["tx_dropped"] = s.tx_dropped,
            ["tx_fifo_errors"] = s.tx_fifo_errors, ["tx_carrier_errors"] = s.tx_carrier_errors, ["collisions"] = s.collisions,
            ["proc rx bytes"] = p[0], ["proc rx packets"] = p[1], ["proc rx errs"] = p[2], ["proc rx drop"] = p[3], ["proc rx fifo (overruns)"] = p[4], ["proc rx frame"] = p[5],
            ["proc tx bytes"] = p[8], ["proc tx packets"] = p[9], ["proc tx errs"] = p[10], ["proc tx drop"] = p[11], ["proc tx fifo"] = p[12], ["proc tx colls"] = p[13], ["proc tx carrier"] = p[14],
        };
    }

    /// <summary>Asserts that exactly the counters named in <paramref name="moved"/> changed, each by its amount, and every other stayed.</summary>
    private static Dictionary<string, ulong> AssertMoved(string step, Dictionary<string, ulong> before, Dictionary<string, ulong> now, Dictionary<string, ulong> moved)
    {
        foreach (var (name, value) in now)
        {
            var expected = before[name] + (moved.TryGetValue(name, out var d) ? d : 0);
            Assert.True(expected == value, $"{step}: {name} is {value}, expected {expected}");
        }

        return now;
    }

    // demonstrates OBS-1: the `ip -s link` / ifconfig counters move as the
    // events happen, each on its own: a delivered frame (RX packets, bytes),
    // a frame with a bad FCS (RX errors, crc, frame), a runt (RX errors,
    // length, frame), a frame no protocol takes (RX packets, bytes, dropped),
    // a transmitted ARP request (TX packets, bytes), and a burst into a ring
    // nobody cleans (RX overruns: fifo and missed). TX errors, dropped,
    // carrier and collisions stay 0: a full-duplex gigabit link has no
    // collisions or carrier-sense errors, and no event here makes the NIC or
    // the qdisc drop on transmit.
    [Fact]
    public void ip_s_link_counters_move_one_by_one_as_the_events_happen()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var nic = new Igb82576(t.Machine, t.NextMac());
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap);
        var dev = igb_main_c.igb_probe(t.K, h.Net, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        t.SpreadIrqs(nic);
        t.Spawn(h, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9"));
            await libc.RecvFrom(fd, 100, 0);
        });
        t.Run(1_000_000);
        var c = LinkCounters(h, dev);
        Assert.All(c.Values, v => Assert.Equal(0UL, v));

        // A 60-byte datagram for the bound socket.
        tap.Send(UdpTo(dev, 0x0a000001, 1), 2_000_000);
        t.Run(3_000_000);
        c = AssertMoved("delivered", c, LinkCounters(h, dev), new() { ["rx_packets"] = 1, ["rx_bytes"] = 60, ["proc rx packets"] = 1, ["proc rx bytes"] = 60 });

        // The same frame with its FCS broken: the NIC counts CRCERRS and drops it.
        var bad = new byte[64];
        UdpTo(dev, 0x0a000001, 2).CopyTo(bad, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(60), Frames.Crc32(bad.AsSpan(0, 60)) ^ 1);
        tap.SendRaw(bad, 4_000_000);
        t.Run(5_000_000);
        c = AssertMoved("bad FCS", c, LinkCounters(h, dev), new() { ["rx_errors"] = 1, ["rx_crc_errors"] = 1, ["proc rx errs"] = 1, ["proc rx frame"] = 1 });

        // A runt: 40 bytes with a good FCS, under the 64-byte minimum (RUC).
        var runt = new byte[44];
        UdpTo(dev, 0x0a000001, 3).AsSpan(0, 40).CopyTo(runt);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(runt.AsSpan(40), Frames.Crc32(runt.AsSpan(0, 40)));
        tap.SendRaw(runt, 6_000_000);
        t.Run(7_000_000);
        c = AssertMoved("runt", c, LinkCounters(h, dev), new() { ["rx_errors"] = 1, ["rx_length_errors"] = 1, ["proc rx errs"] = 1, ["proc rx frame"] = 1 });

        // A frame of an ethertype no protocol registered (0x88b5, local experimental): received, then dropped by the stack.
        var unclaimed = UdpTo(dev, 0x0a000001, 4);
        unclaimed[12] = 0x88;
        unclaimed[13] = 0xb5;
        tap.Send(unclaimed, 8_000_000);
        t.Run(9_000_000);
        c = AssertMoved("unclaimed", c, LinkCounters(h, dev), new() { ["rx_packets"] = 1, ["rx_bytes"] = 60, ["rx_dropped"] = 1, ["proc rx packets"] = 1, ["proc rx bytes"] = 60, ["proc rx drop"] = 1 });

        // A datagram to an unresolved neighbour: the ARP request (42 bytes) is what leaves.
        t.Spawn(h, "client", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("10.0.0.1:9"));
        });
        t.Run(20_000_000);
        Assert.Single(tap.Received);
        c = AssertMoved("transmitted", c, LinkCounters(h, dev), new() { ["tx_packets"] = 1, ["tx_bytes"] = 42, ["proc tx packets"] = 1, ["proc tx bytes"] = 42 });

        // 100 frames into a 64-descriptor ring whose vector is masked: what finds no buffer overruns.
        Assert.Equal(0, Ops(dev).set_ringparam(dev, 64, 64));
        nic.wr32(Igb82576Registers.EIMC, ~0u);
        var missedBefore = Stat(dev, "rx_missed_errors");
        tap.Burst(Enumerable.Range(0, 100).Select(i => UdpTo(dev, 0x0a000001, i)), 30_000_000);
        t.Run(40_000_000);
        var missed = Stat(dev, "rx_missed_errors") - missedBefore;
        c = AssertMoved("overrun", c, LinkCounters(h, dev), new() { ["rx_fifo_errors"] = 37, ["rx_missed_errors"] = missed, ["proc rx fifo (overruns)"] = 37, ["proc rx drop"] = missed });
    }

    // demonstrates OBS-4: the driver's NAPI weight (64) caps each poll and
    // net.core.netdev_budget caps each net_rx_action. With the budget lowered
    // to 100 and 1000 frames spread over four queues whose vectors all fire
    // on CPU 0, every poll does at most 64 and some do exactly 64; a run of
    // net_rx_action that finds two queues full does 64 + 64 (the budget is
    // checked after each poll) and stops there, never more than 100 + 63;
    // every run that spent its budget is counted in time_squeeze; and a NAPI
    // given a smaller weight (16) polls at most that.
    [Fact]
    public void each_poll_does_at_most_the_napi_weight_and_net_rx_action_stops_at_netdev_budget()
    {
        var (t, h, dev, nic, tap) = HostOnWire();
        Assert.All(dev.napi_list, n => Assert.Equal(64, n.weight));
        Assert.Equal(0, Ops(dev).set_channels(dev, 4));
        Assert.Equal(0, Ops(dev).set_ringparam(dev, 4096, 256));
        foreach (var v in nic.MsixVectors)
        {
            KernelNet.Kernel.Kernel.Irq.manage_c.irq_set_affinity(t.K, v, 1);
        }

        t.K.net_hotdata.netdev_budget = 100;
        t.K.trace.set_event("napi:napi_poll");
        t.K.trace.set_event("irq:softirq_entry");
        t.K.trace.set_event("irq:softirq_exit");
        tap.Burst(Enumerable.Range(0, 1000).Select(i => UdpTo(dev, 0x0a000100u + (uint)(i % 64), i)), 1_000_000);
        t.Run(200_000_000);

        var polls = t.K.trace.entries.Where(e => e.Event == "napi_poll" && e.Text.Contains("device eth0", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(1000, polls.Sum(p => WorkOf(p.Text)));
        Assert.All(polls, p => Assert.InRange(WorkOf(p.Text), 0, 64));
        Assert.All(polls, p => Assert.EndsWith("budget 64", p.Text, System.StringComparison.Ordinal));
        Assert.Contains(polls, p => WorkOf(p.Text) == 64);
        var runs = WorkPerNetRxAction(t.K.trace.entries).ToList();
        Assert.All(runs, w => Assert.InRange(w, 0, 100 + 63));
        Assert.True(runs.Contains(128), "a run that found two full queues did 64 + 64 and stopped: " + string.Join(",", runs));
        var spent = runs.Count(w => w >= 100);
        Assert.True(spent > 0, "some net_rx_action reached the budget");
        var squeezed = t.K.per_cpu(0).softnet_data.time_squeeze + t.K.per_cpu(1).softnet_data.time_squeeze;
        Assert.True(squeezed >= (uint)spent, $"time_squeeze {squeezed} counts each of the {spent} runs that spent the budget");
        Assert.Equal(0, t.K.leaked_skbs());

        // The weight is the NAPI's own: a smaller one caps the next burst's polls.
        foreach (var n in dev.napi_list)
        {
            n.weight = 16;
        }

        t.K.trace.clear();
        tap.Burst(Enumerable.Range(0, 200).Select(i => UdpTo(dev, 0x0a000100u + (uint)(i % 64), i)), t.Machine.Now + 1_000_000);
        t.Run(t.Machine.Now + 200_000_000);
        var small = t.K.trace.entries.Where(e => e.Event == "napi_poll" && e.Text.Contains("device eth0", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(200, small.Sum(p => WorkOf(p.Text)));
        Assert.All(small, p => Assert.InRange(WorkOf(p.Text), 0, 16));
        Assert.Contains(small, p => WorkOf(p.Text) == 16);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    private static int WorkOf(string napiPollText)
    {
        var parts = napiPollText.Split(' ');
        return int.Parse(parts[System.Array.IndexOf(parts, "work") + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IEnumerable<int> WorkPerNetRxAction(IReadOnlyList<KernelNet.Kernel.Kernel.Trace.trace_entry> entries)
    {
        var sums = new Dictionary<int, int>();
        foreach (var e in entries)
        {
            if (e.Event == "softirq_entry" && e.Text.Contains("NET_RX", System.StringComparison.Ordinal))
            {
                sums[e.Cpu] = 0;
            }
            else if (e.Event == "napi_poll" && sums.ContainsKey(e.Cpu))
            {
                sums[e.Cpu] += WorkOf(e.Text);
            }
            else if (e.Event == "softirq_exit" && e.Text.Contains("NET_RX", System.StringComparison.Ordinal) && sums.Remove(e.Cpu, out var s))
            {
                yield return s;
            }
        }
    }
}
