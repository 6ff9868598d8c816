using System;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Output;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Drivers;

/// <summary>
/// The driver test kit: what every NIC driver of the port must do, written
/// once. A driver's test class derives from it and says how to build its
/// NIC (one host on a tapped wire, and two hosts joined by a cable); xunit
/// runs every [Fact] here for each driver. See docs/writing-a-driver.md.
/// </summary>
public abstract class DriverKit
{
    /// <summary>The host's address on the wire (the other end is 10.0.0.1).</summary>
    protected const uint HostIp = 0x0a000002;

    /// <summary>A MAC the tap uses as its own.</summary>
    protected static readonly byte[] TapMac = { 2, 0xaa, 0, 0, 0, 1 };

    /// <summary>What `ethtool -i` says the driver is called.</summary>
    protected abstract string DriverName { get; }

    /// <summary>
    /// One host "H" whose NIC's cable ends at a <see cref="WireTap"/>: the
    /// device probed as eth0, up, 10.0.0.2/24, receiving on one queue; and the
    /// NIC's own address (what probe must read from the hardware).
    /// </summary>
    protected abstract (Topology T, Host H, net_device Dev, WireTap Tap, byte[] NicMac) HostOnWire();

    /// <summary>Two hosts A (10.0.0.1/24) and B (10.0.0.2/24), each with one NIC as eth0, joined by a cable.</summary>
    protected abstract (Topology T, Host A, Host B, net_device DevA, net_device DevB) Pair();

    /// <summary>The name /proc/interrupts shows for the handler that receive interrupts run (eth0-TxRx-0, virtio0-input.0).</summary>
    protected abstract string RxIrqName(net_device dev);

    /// <summary>Two `ethtool -S` counters that must have moved after traffic in each direction.</summary>
    protected abstract (string Rx, string Tx) EthtoolQueueStats { get; }

    /// <summary>Frames with UDP to 10.0.0.2:9 (or to <paramref name="dst"/>), from the tap.</summary>
    protected static byte[] UdpTo(net_device dev, int i, uint dst = HostIp, byte[]? payload = null) =>
        Frames.Udp(dev.dev_addr, TapMac, 0x0a000001, dst, (ushort)(10000 + (i % 1000)), 9, payload ?? new byte[18], (ushort)i);

    /// <summary>/proc/net/dev's columns for <paramref name="dev"/>: rx bytes, packets, errs, drop, fifo, frame, compressed, multicast, then tx.</summary>
    protected static ulong[] ProcNetDev(Host h, net_device dev)
    {
        var line = KernelNet.Kernel.Net.Core.net_procfs_c.dev_seq_show(h.Net).Split('\n')
            .Single(l => l.TrimStart().StartsWith(dev.name + ":", StringComparison.Ordinal));
        return line.Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToArray();
    }

    /// <summary>A task on <paramref name="h"/> that sends <paramref name="count"/> broadcasts of <paramref name="size"/> bytes to 10.0.0.255:9.</summary>
    protected static void SendBroadcasts(Topology t, Host h, int count, int size = 64) =>
        t.Spawn(h, "sender", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SetSockOpt(fd, Libc.SOL_SOCKET, 6 /* SO_BROADCAST */, 1);
            for (var i = 0; i < count; i++)
            {
                var payload = new byte[size];
                payload[0] = (byte)i;
                await libc.SendTo(fd, payload, 0, SockAddrIn.Parse("10.0.0.255:9"));
            }
        });

    private static ethtool_ops Ops(net_device dev) => (ethtool_ops)dev.ethtool_ops!;

    [Fact]
    public void probe_registers_eth0_with_the_address_read_from_the_nic_and_the_driver_name()
    {
        var (t, h, dev, _, mac) = HostOnWire();

        Assert.Same(dev, KernelNet.Kernel.Net.Core.dev_c.dev_get_by_name(h.Net, "eth0"));
        Assert.Equal(mac, dev.dev_addr);
        Assert.StartsWith($"driver: {DriverName}\n", Ethtool.DriverInfo(dev), StringComparison.Ordinal);
        Assert.Contains(RxIrqName(dev), KernelNet.Kernel.Kernel.Irq.proc_c.show_interrupts(t.K), StringComparison.Ordinal);
    }

    [Fact]
    public void an_opened_device_is_running_with_its_transmit_queue_started()
    {
        var (_, _, dev, _, _) = HostOnWire();

        Assert.True(netdevice_h.netif_running(dev));
        Assert.False(netdevice_h.netif_tx_queue_stopped(netdevice_h.netdev_get_tx_queue(dev, 0)));
        Assert.True(Ops(dev).get_ringparam(dev).rx_pending > 0);
    }

    [Fact]
    public void a_udp_datagram_from_the_wire_reaches_a_bound_socket()
    {
        var (t, h, dev, tap, _) = HostOnWire();
        byte[]? got = null;
        t.Spawn(h, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9"));
            got = (await libc.RecvFrom(fd, 100, 0)).Data;
        });

        tap.Send(UdpTo(dev, 1, payload: "hello, driver"u8.ToArray()), 2_000_000);
        t.Run(50_000_000);

        Assert.Equal("hello, driver"u8.ToArray(), got);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void a_udp_datagram_from_a_socket_leaves_on_the_wire_with_its_payload()
    {
        var (t, h, dev, tap, _) = HostOnWire();
        SendBroadcasts(t, h, 1, 100);
        t.Run(50_000_000);

        var frame = Assert.Single(tap.Received, f => f.Length > 42 && f[23] == 17);
        Assert.Equal(dev.dev_addr, frame.AsSpan(6, 6).ToArray());
        Assert.Equal(14 + 20 + 8 + 100 + 4, frame.Length);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void a_tcp_transfer_between_two_hosts_arrives_whole()
    {
        var (t, a, b, _, _) = Pair();
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        var got = new List<byte>();
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            await libc.Listen(fd, 4);
            var c = (int)await libc.Accept(fd);
            var buf = new byte[65536];
            long n;
            while ((n = await libc.Read(c, buf, buf.Length)) > 0)
            {
                got.AddRange(buf.AsSpan(0, (int)n).ToArray());
            }

            await libc.Close(c);
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            var off = 0;
            while (off < data.Length)
            {
                var chunk = data.AsSpan(off, Math.Min(16384, data.Length - off)).ToArray();
                off += (int)await libc.Write(fd, chunk, chunk.Length);
            }

            await libc.Close(fd);
        });
        t.Run(5_000_000_000);

        Assert.Equal(data.Length, got.Count);
        Assert.True(data.AsSpan().SequenceEqual(got.ToArray()));
    }

    [Fact]
    public void more_frames_than_receive_slots_wrap_the_ring_and_all_are_received()
    {
        var (t, h, dev, tap, _) = HostOnWire();
        var slots = (int)Ops(dev).get_ringparam(dev).rx_pending;
        var n = (3 * slots) + 5;

        // To an address that is not the host's: IP drops each (no forwarding), after the driver received it.
        for (var i = 0; i < n; i++)
        {
            tap.Send(UdpTo(dev, i, dst: 0x0a000063), 2_000_000 + (i * 20_000L));
        }

        t.Run(2_000_000_000);

        Assert.Equal((ulong)n, ProcNetDev(h, dev)[1]);
        Assert.Equal(0UL, ProcNetDev(h, dev)[3]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void more_datagrams_than_transmit_slots_all_leave_and_every_skb_is_freed()
    {
        var (t, h, dev, tap, _) = HostOnWire();
        var slots = (int)Ops(dev).get_ringparam(dev).tx_pending;
        var n = (2 * slots) + 5;
        t.K.trace.set_event("net:net_dev_xmit");

        SendBroadcasts(t, h, n);
        t.Run(2_000_000_000);

        Assert.Equal(n, tap.Received.Count(f => f.Length > 42 && f[23] == 17));
        Assert.Equal(n, t.K.trace.entries.Count(e => e.Event == "net_dev_xmit" && e.Text.Contains("dev=eth0", StringComparison.Ordinal)));
        Assert.Equal((ulong)n, ProcNetDev(h, dev)[9]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void the_skb_ledger_is_back_to_zero_after_close()
    {
        var (t, h, dev, tap, _) = HostOnWire();

        // Frames IP drops and broadcasts: nothing waits on a neighbour that nobody answers.
        for (var i = 0; i < 20; i++)
        {
            tap.Send(UdpTo(dev, i, dst: 0x0a000063), 1_000_000 + (i * 10_000L));
        }

        SendBroadcasts(t, h, 20);
        t.Run(100_000_000);
        Assert.Equal(0, dev.netdev_ops!.ndo_stop!(dev));
        t.Run(10_000_000_000);

        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void a_received_frame_goes_interrupt_then_napi_then_gro_then_netif_receive_skb()
    {
        var (t, _, dev, tap, _) = HostOnWire();
        foreach (var e in new[] { "irq:irq_handler_entry", "irq:softirq_raise", "irq:softirq_entry", "net:napi_gro_receive_entry", "net:netif_receive_skb", "napi:napi_poll" })
        {
            t.K.trace.set_event(e);
        }

        tap.Send(UdpTo(dev, 1, dst: 0x0a000063), 5_000_000);
        t.Run(50_000_000);

        var ev = t.K.trace.entries.ToList();
        var irq = ev.FindIndex(e => e.Event == "irq_handler_entry" && e.Text.Contains("name=" + RxIrqName(dev), StringComparison.Ordinal));
        Assert.True(irq >= 0, "no receive interrupt");
        int After(int from, string name, string? text = null) =>
            ev.FindIndex(from + 1, e => e.Event == name && (text is null || e.Text.Contains(text, StringComparison.Ordinal)));
        var raise = After(irq, "softirq_raise", "NET_RX");
        var entry = After(raise, "softirq_entry", "NET_RX");
        var gro = After(entry, "napi_gro_receive_entry");
        var rcv = After(gro, "netif_receive_skb");
        var poll = After(rcv, "napi_poll");
        Assert.True(raise > irq && entry > raise && gro > entry && rcv > gro && poll > rcv, $"order: irq {irq} raise {raise} entry {entry} gro {gro} rcv {rcv} poll {poll}");
    }

    [Fact]
    public void traffic_shows_in_proc_net_dev_and_ethtool_statistics()
    {
        var (t, h, dev, tap, _) = HostOnWire();
        for (var i = 0; i < 10; i++)
        {
            tap.Send(UdpTo(dev, i, dst: 0x0a000063), 1_000_000 + (i * 10_000L));
        }

        SendBroadcasts(t, h, 10);
        t.Run(100_000_000);

        var cols = ProcNetDev(h, dev);
        Assert.Equal(10UL, cols[1]);
        Assert.True(cols[9] >= 10, $"tx packets {cols[9]}");
        var stats = Ops(dev).get_ethtool_stats(dev);
        var (rx, tx) = EthtoolQueueStats;
        Assert.True(stats.Single(s => s.Name == rx).Value > 0, rx);
        Assert.True(stats.Single(s => s.Name == tx).Value > 0, tx);
        Assert.Contains(rx, Ethtool.Statistics(dev), StringComparison.Ordinal);
    }
}
