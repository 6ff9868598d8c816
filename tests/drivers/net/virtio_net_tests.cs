using System;
using System.Linq;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Drivers.Virtio;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Drivers.Net;

/// <summary>virtio_net on the virtio-net PCI model runs the driver test kit, and pins what is its own.</summary>
public sealed class virtio_net_tests : DriverKit
{
    protected override string DriverName => "virtio_net";

    protected override (string Rx, string Tx) EthtoolQueueStats => ("rx0_kicks", "tx0_kicks");

    protected override (Topology T, Host H, net_device Dev, WireTap Tap, byte[] NicMac) HostOnWire()
    {
        var (t, h, dev, tap, nic) = Rig();
        return (t, h, dev, tap, nic.Mac);
    }

    protected override (Topology T, Host A, Host B, net_device DevA, net_device DevB) Pair()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (da, db, _) = t.AddVirtioPair(a, "eth0", b, "eth0");
        t.AddAddress(da, "10.0.0.1/24");
        t.AddAddress(db, "10.0.0.2/24");
        return (t, a, b, da, db);
    }

    protected override string RxIrqName(net_device dev) => "virtio0-input.0";

    private static (Topology T, Host H, net_device Dev, WireTap Tap, (VirtioNetPci Pci, byte[] Mac) Nic) RigFull()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        var mac = t.NextMac();
        var nic = new VirtioNetPci(t.Machine, mac);
        var tap = new WireTap(t.Machine);
        _ = new Cable(t.Machine, nic, tap);
        var dev = t.AddVirtioNet(h, nic, "eth0");
        t.Up(dev);
        t.AddAddress(dev, "10.0.0.2/24");
        return (t, h, dev, tap, (nic, mac));
    }

    private static (Topology T, Host H, net_device Dev, WireTap Tap, (VirtioNetPci Pci, byte[] Mac) Nic) Rig() => RigFull();

    [Fact]
    public void probe_negotiates_version_1_mac_mergeable_buffers_and_event_index()
    {
        var (_, _, dev, _, nic) = Rig();
        var vi = netdevice_h.netdev_priv<virtnet_info>(dev);

        Assert.True(vi.mergeable_rx_bufs);
        Assert.Equal(12, vi.hdr_len);
        Assert.True(vi.any_header_sg);
        Assert.Equal(12, dev.needed_headroom);
        Assert.True(virtio_config_h.virtio_has_feature(vi.vdev, 32));
        Assert.True(virtio_config_h.virtio_has_feature(vi.vdev, 29));
        Assert.Equal("virtio0", vi.vdev.dev_name);
        // ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK
        Assert.Equal(0x0f, nic.Pci.ioread8(VirtioNetPci.CommonCfgOffset + 20));
    }

    [Fact]
    public void the_queues_interrupt_names_are_those_of_proc_interrupts_on_a_virtio_guest()
    {
        var (t, _, _, _, _) = Rig();
        var text = KernelNet.Kernel.Kernel.Irq.proc_c.show_interrupts(t.K);

        Assert.Contains("virtio0-config", text, StringComparison.Ordinal);
        Assert.Contains("virtio0-input.0", text, StringComparison.Ordinal);
        Assert.Contains("virtio0-output.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void open_fills_the_receive_ring_with_mergeable_buffers_and_kicks_once()
    {
        var (t, _, dev, _, nic) = Rig();
        var vi = netdevice_h.netdev_priv<virtnet_info>(dev);
        t.Run(10_000_000);

        Assert.Equal(0, vi.rq[0].vq.num_free);
        Assert.Equal(256, virtio_ring_c.virtqueue_get_vring_size(vi.rq[0].vq));
        Assert.Equal(1UL, vi.rq[0].stats.kicks);
        Assert.Equal(1, nic.Pci.Notifies[0]);

        // Buffers of at least GOOD_PACKET_LEN (1518) behind the 12-byte header: 1536 bytes, cache-aligned.
        Assert.Equal(1518, vi.rq[0].min_buf_len);
    }

    [Fact]
    public void a_frame_longer_than_a_buffer_spans_two_and_comes_up_as_one_skb()
    {
        var (t, h, dev, tap, _) = Rig();
        byte[]? got = null;
        t.Spawn(h, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9"));
            got = (await libc.RecvFrom(fd, 4000, 0)).Data;
        });
        // 2042 bytes of frame and 12 of header: two 1536-byte buffers (num_buffers 2), the second a page frag.
        var payload = Enumerable.Range(0, 2000).Select(i => (byte)i).ToArray();
        tap.Send(UdpTo(dev, 1, payload: payload), 2_000_000);
        t.Run(50_000_000);

        Assert.Equal(payload, got);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void a_medium_frame_becomes_an_skb_built_around_its_buffer_and_a_small_one_is_copied()
    {
        var (t, h, dev, tap, _) = Rig();
        var got = new System.Collections.Generic.List<byte[]>();
        t.Spawn(h, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9"));
            got.Add((await libc.RecvFrom(fd, 4000, 0)).Data);
            got.Add((await libc.RecvFrom(fd, 4000, 0)).Data);
        });
        t.K.trace.set_event("net:napi_gro_receive_entry");
        var medium = Enumerable.Range(0, 500).Select(i => (byte)(i + 3)).ToArray();
        tap.Send(UdpTo(dev, 1, payload: medium), 2_000_000);
        tap.Send(UdpTo(dev, 2, payload: new byte[20]), 3_000_000);
        t.Run(50_000_000);

        Assert.Equal(medium, got[0]);
        Assert.Equal(20, got[1].Length);
        var gro = t.K.trace.entries.Where(e => e.Event == "napi_gro_receive_entry").Select(e => e.Text).ToList();

        // 542 bytes > GOOD_COPY_LEN with room for skb_shared_info behind them: build_skb, the buffer is the
        // head and all of it is linear (a copied head of 128 bytes would have taken only the Ethernet header,
        // leaving the 528 after it in a frag: data_len=528); 62 bytes are copied whole into a napi_alloc_skb
        // head. (GRO sees the length after eth_type_trans's pull.)
        Assert.Contains("len=528 data_len=0 ", gro[0], StringComparison.Ordinal);
        Assert.Contains("len=48 data_len=0 ", gro[1], StringComparison.Ordinal);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void ethtool_shows_the_names_rings_and_channels_this_machines_eth0_shows()
    {
        var (_, _, dev, _, _) = Rig();
        var ops = (ethtool_ops)dev.ethtool_ops!;

        // `ethtool -S eth0` on this machine (virtio_net of 6.18.44, one queue pair), names in order.
        var eth0 = new[]
        {
            "rx_drops", "rx_xdp_packets", "rx_xdp_tx", "rx_xdp_redirects", "rx_xdp_drops", "rx_kicks",
            "tx_xdp_tx", "tx_xdp_tx_drops", "tx_kicks", "tx_tx_timeouts",
            "rx0_drops", "rx0_xdp_packets", "rx0_xdp_tx", "rx0_xdp_redirects", "rx0_xdp_drops", "rx0_kicks",
            "tx0_xdp_tx", "tx0_xdp_tx_drops", "tx0_kicks", "tx0_tx_timeouts",
        };
        Assert.Equal(eth0, ops.get_ethtool_stats(dev).Select(s => s.Name).ToArray());

        // `ethtool -i`, `-g`, `-l`: driver virtio_net 1.0.0 at 0000:00:03.0, 256/256 rings, one combined channel.
        Assert.Equal(new ethtool_drvinfo("virtio_net", "1.0.0", "", "0000:00:03.0"), ops.get_drvinfo(dev));
        Assert.Equal(new ethtool_ringparam(256, 256, 256, 256), ops.get_ringparam(dev));
        Assert.Equal(new ethtool_channels(1, 1), ops.get_channels(dev));
    }

    [Fact]
    public void transmit_completion_runs_in_the_tx_napi_after_the_output_interrupt()
    {
        var (t, h, _, tap, _) = Rig();
        t.K.trace.set_event("irq:irq_handler_entry");
        t.K.trace.set_event("napi:napi_poll");
        t.K.trace.set_event("skb:consume_skb");
        SendBroadcasts(t, h, 1);
        t.Run(50_000_000);

        var ev = t.K.trace.entries.Where(e => e.Event != "irq_handler_entry" || e.Text.Contains("virtio", StringComparison.Ordinal)).ToList();
        var irq = ev.FindIndex(e => e.Event == "irq_handler_entry" && e.Text.Contains("name=virtio0-output.0", StringComparison.Ordinal));
        Assert.True(irq >= 0, string.Join("\n", ev.Select(e => e.Event + " " + e.Text)));
        var consume = ev.FindIndex(irq, e => e.Event == "consume_skb" && e.Text.Contains("location=__free_old_xmit", StringComparison.Ordinal));
        var poll = ev.FindIndex(irq, e => e.Event == "napi_poll");
        Assert.True(consume > irq && poll > consume, string.Join("\n", ev.Select(e => e.Event + " " + e.Text)));
        Assert.Single(tap.Received);
    }

    [Fact]
    public void remove_resets_the_device_and_returns_every_buffer_and_mapping()
    {
        var (t, h, dev, tap, nic) = Rig();
        var mappingsBefore = t.Machine.Dma.MappingCount;
        for (var i = 0; i < 10; i++)
        {
            tap.Send(UdpTo(dev, i, dst: 0x0a000063), 1_000_000 + (i * 10_000L));
        }

        SendBroadcasts(t, h, 5);
        t.Run(100_000_000);
        var vi = netdevice_h.netdev_priv<virtnet_info>(dev);

        virtio_c.unregister_virtio_device(vi.vdev);

        Assert.Equal(0, nic.Pci.ioread8(VirtioNetPci.CommonCfgOffset + 20) & 0x04);
        Assert.True(mappingsBefore > 0);
        Assert.Equal(0, t.Machine.Dma.MappingCount);
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
