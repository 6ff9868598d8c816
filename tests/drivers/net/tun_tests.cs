using System;
using System.Linq;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Run;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using TcpSegment = KernelNet.Packetdrill.Run.TcpSegment;
using virtio_net_h = KernelNet.Kernel.Include.Uapi.Linux.virtio_net_h;
using Xunit;

namespace KernelNet.Tests.Drivers.Net;

/// <summary>drivers/net/tun.c: the device TUNSETIFF makes, and packets both ways through /dev/net/tun.</summary>
public sealed class tun_tests
{
    [Fact]
    public void TUNSETIFF_makes_an_L3_point_to_point_device_with_tuns_defaults()
    {
        var h = new SimulatedHost(new RunConfig());

        var dev = h.Tun;

        Assert.Equal(tun_c.ARPHRD_NONE, dev.type);
        Assert.Equal((ushort)0, dev.hard_header_len);
        Assert.Equal(tun_c.IFF_POINTOPOINT | net_device.IFF_NOARP | net_device.IFF_MULTICAST, dev.flags & ~(net_device.IFF_UP | net_device.IFF_RUNNING | net_device.IFF_LOWER_UP));
        Assert.Equal((1500u, 500u), (dev.mtu, dev.tx_queue_len));
        // tun_net_fix_features keeps only the user features TUNSETOFFLOAD asked for: the runner asks for
        // checksum and TSO, as packetdrill's set_device_offload_flags does
        Assert.NotEqual(0UL, dev.features & netdev_features_h.NETIF_F_TSO);
        Assert.NotEqual(0UL, dev.features & netdev_features_h.NETIF_F_HW_CSUM);
        Assert.Equal(0UL, dev.features & netdev_features_h.NETIF_F_GSO_UDP_L4);
        Assert.Equal(dev.hw_features, dev.hw_features | dev.features);
        Assert.Equal("tun", dev.driver_name);
    }

    [Fact]
    public void A_SYN_written_into_tun0_to_a_closed_port_is_answered_by_a_RST_read_from_tun0()
    {
        var h = new SimulatedHost(new RunConfig());
        var syn = new TcpSegment { Source = h.RemoteAddress, Destination = h.LocalAddress, SourcePort = 40000, DestinationPort = 9, Seq = 100, Flags = TcpFlags.Syn, Window = 1000 };
        long written = 0;

        h.Inject(syn.ToBytes(), r => written = r);
        h.RunTo(h.Now + 10_000_000);

        Assert.Equal(syn.ToBytes().Length, written);
        var rst = TcpSegment.Parse(Assert.Single(h.Outbound).Bytes)!;
        Assert.Equal(TcpFlags.Rst | TcpFlags.Ack, rst.Flags);
        Assert.Equal((h.LocalAddress, h.RemoteAddress, (ushort)9, (ushort)40000, 101u), (rst.Source, rst.Destination, rst.SourcePort, rst.DestinationPort, rst.AckSeq));
        Assert.True(rst.ChecksumsOk);
        Assert.Equal((1UL, 1UL), (h.Tun.stats.rx_packets, h.Tun.stats.tx_packets));
    }

    [Fact]
    public void A_write_that_is_not_an_IP_packet_is_refused_with_EINVAL_and_counted_as_rx_dropped()
    {
        var h = new SimulatedHost(new RunConfig());
        long written = 0;

        h.Inject(new byte[] { 0x20, 0, 0, 0 }, r => written = r);
        h.RunTo(h.Now + 1_000_000);

        Assert.Equal(-22, written);
        Assert.Equal(1UL, h.Tun.core_stats.rx_dropped);
        Assert.Equal(0UL, h.Tun.stats.rx_packets);
    }

    [Fact]
    public void Transmit_with_nobody_reading_fills_the_ring_then_drops_with_FULL_RING()
    {
        var t = new Topology();
        var host = t.AddHost("H");
        var (_, dev, tunFd) = TunHost.PlainTun(t, host);
        t.Spawn(host, "sender", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            for (var i = 0; i < 501; i++)
            {
                await libc.SendTo(fd, new byte[10], 0, SockAddrIn.Parse("10.1.0.2:9"));
            }
        });

        t.Run(t.Sim.Now + 100_000_000);

        Assert.Equal(3, tunFd);
        Assert.Equal(0UL, dev.stats.tx_packets);
        Assert.Equal(1UL, dev.core_stats.tx_dropped);
        Assert.Single(t.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("reason: FULL_RING", StringComparison.Ordinal));
    }

    [Fact]
    public void Closing_the_tun_fd_frees_the_queued_packets_and_unregisters_the_device()
    {
        var t = new Topology();
        var host = t.AddHost("H");
        var (owner, dev, tunFd) = TunHost.PlainTun(t, host);
        t.Spawn(host, "sender", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            for (var i = 0; i < 5; i++)
            {
                await libc.SendTo(fd, new byte[10], 0, SockAddrIn.Parse("10.1.0.2:9"));
            }

            await libc.Close(fd);
        });
        t.Run(t.Sim.Now + 10_000_000);
        Assert.Equal(5, t.K.leaked_skbs()); // five datagrams wait in tun0's ring for a reader

        long closed = long.MinValue, again = long.MinValue;
        t.Syscalls.SpawnThread(owner, "closer", 0, async libc =>
        {
            closed = await libc.Close((int)tunFd);
            again = await libc.Close((int)tunFd);
        });
        t.Run(t.Sim.Now + 10_000_000);

        Assert.Equal(0L, closed);
        Assert.Equal(-(long)Libc.EBADF, again);
        Assert.Null(KernelNet.Kernel.Net.Core.dev_c.dev_get_by_name(host.Net, "tun0"));
        Assert.Equal(0UL, dev.flags & net_device.IFF_UP);
        Assert.Equal(0, t.K.leaked_skbs());
        // tun_queue_purge frees them with a plain kfree_skb (__skb_array_destroy_skb)
        Assert.Equal(5, t.K.trace.entries.Count(e => e.Event == "kfree_skb" && e.Text.EndsWith("reason: NOT_SPECIFIED", StringComparison.Ordinal)));
    }

    /// <summary>A tun0 opened with IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, up as 192.168.0.1/16, tracing netif_receive_skb_entry; returns the process that owns the tun fd.</summary>
    private static (Topology T, SimTask H, net_device Dev, int Fd) VnetTun()
    {
        var t = new Topology();
        var host = t.AddHost("H");
        long fd = 0;
        t.K.trace.set_event("net:netif_receive_skb_entry");
        var owner = t.Spawn(host, "owner", 0, async libc =>
        {
            fd = await libc.Open("/dev/net/tun", 2);
            var ifr = new byte[40];
            "tun0"u8.CopyTo(ifr);
            BitConverter.GetBytes((ushort)(tun_c.IFF_TUN | tun_c.IFF_NO_PI | tun_c.IFF_VNET_HDR)).CopyTo(ifr, 16);
            await libc.Ioctl((int)fd, tun_c.TUNSETIFF, ifr);
        });
        t.Run(t.Sim.Now + 1_000_000);
        var dev = host.Device("tun0");
        t.Up(dev);
        t.AddAddress(dev, "192.168.0.1/16");
        return (t, owner, dev, (int)fd);
    }

    private static byte[] VnetFrame(byte gsoType, ushort gsoSize, int payload)
    {
        var seg = new TcpSegment
        {
            Source = SockAddrIn.ParseAddress("192.0.2.1"), Destination = SockAddrIn.ParseAddress("192.168.0.1"),
            SourcePort = 40000, DestinationPort = 9, Seq = 1, AckSeq = 1, Flags = TcpFlags.Ack, Window = 257, Payload = new byte[payload],
        };
        var ip = seg.ToBytes();
        var frame = new byte[virtio_net_hdr.Size + ip.Length];
        new virtio_net_hdr { gso_type = gsoType, gso_size = gsoSize }.WriteTo(frame);
        ip.CopyTo(frame, virtio_net_hdr.Size);
        return frame;
    }

    private static long WriteFrom(Topology t, SimTask h, int fd, byte[] frame)
    {
        long written = long.MinValue;
        t.Syscalls.SpawnThread(h, "writer", 0, async libc => written = await libc.Write(fd, frame, frame.Length));
        t.Run(t.Sim.Now + 10_000_000);
        return written;
    }

    [Fact]
    public void A_write_with_a_TCPV4_vnet_header_of_gso_size_1000_arrives_as_a_dodgy_GSO_skb_of_that_size()
    {
        var (t, h, dev, fd) = VnetTun();
        var frame = VnetFrame(virtio_net_h.VIRTIO_NET_HDR_GSO_TCPV4, 1000, 9000);

        var written = WriteFrom(t, h, fd, frame);

        Assert.Equal(frame.Length, written);
        var entry = Assert.Single(t.K.trace.entries, e => e.Event == "netif_receive_skb_entry");
        // SKB_GSO_TCPV4 | SKB_GSO_DODGY; the 10-byte header is not part of the packet
        Assert.Contains("len=9040 ", entry.Text, StringComparison.Ordinal);
        Assert.Contains("gso_size=1000 gso_type=0x3", entry.Text, StringComparison.Ordinal);
        Assert.Equal(((ulong)1, (ulong)9040), (dev.stats.rx_packets, dev.stats.rx_bytes));
    }

    [Fact]
    public void A_GSO_vnet_header_on_a_packet_of_one_segment_is_ignored()
    {
        var (t, h, _, fd) = VnetTun();

        var written = WriteFrom(t, h, fd, VnetFrame(virtio_net_h.VIRTIO_NET_HDR_GSO_TCPV4, 1000, 1000));

        Assert.Equal(virtio_net_hdr.Size + 1040, written);
        var entry = Assert.Single(t.K.trace.entries, e => e.Event == "netif_receive_skb_entry");
        Assert.Contains("gso_size=0 gso_type=0", entry.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_GSO_vnet_header_with_gso_size_0_is_refused_with_EINVAL_and_counted_as_a_frame_error()
    {
        var (t, h, dev, fd) = VnetTun();

        var written = WriteFrom(t, h, fd, VnetFrame(virtio_net_h.VIRTIO_NET_HDR_GSO_TCPV4, 0, 9000));

        Assert.Equal(-22, written);
        Assert.Equal(1L, ((tun_struct)dev.priv!).rx_frame_errors);
        Assert.Equal(0UL, dev.stats.rx_packets);
        Assert.DoesNotContain(t.K.trace.entries, e => e.Event == "netif_receive_skb_entry");
    }

    [Fact]
    public void TUNSETVNETHDRSZ_refuses_a_size_below_a_virtio_net_hdr_and_TUNGETVNETHDRSZ_reads_it_back()
    {
        var (t, h, _, fd) = VnetTun();
        long small = 0, set = 0, get = 0;
        var got = new byte[4];
        t.Syscalls.SpawnThread(h, "cfg", 0, async libc =>
        {
            small = await libc.Ioctl(fd, tun_c.TUNSETVNETHDRSZ, BitConverter.GetBytes(9));
            set = await libc.Ioctl(fd, tun_c.TUNSETVNETHDRSZ, BitConverter.GetBytes(12));
            get = await libc.Ioctl(fd, tun_c.TUNGETVNETHDRSZ, got);
        });
        t.Run(t.Sim.Now + 1_000_000);

        Assert.Equal((-22L, 0L, 0L), (small, set, get));
        Assert.Equal(12, BitConverter.ToInt32(got));
    }

    [Fact]
    public void The_runner_reads_each_outbound_packet_from_behind_its_vnet_header_and_sends_mss_sized_GSO_headers_inbound()
    {
        var h = new SimulatedHost(new RunConfig { Mss = 1000 });
        h.Tun.nd_net.k.trace.set_event("net:netif_receive_skb_entry");
        var ack = new TcpSegment { Source = h.RemoteAddress, Destination = h.LocalAddress, SourcePort = 40000, DestinationPort = 9, Seq = 100, AckSeq = 1, Flags = TcpFlags.Ack, Window = 1000, Payload = new byte[3000] };
        long written = 0;

        h.Inject(ack.ToBytes(), r => written = r);
        h.RunTo(h.Now + 10_000_000);

        Assert.Equal(ack.ToBytes().Length, written);
        Assert.Contains(h.Tun.nd_net.k.trace.entries, e => e.Event == "netif_receive_skb_entry" && e.Text.Contains("gso_size=1000 gso_type=0x3", StringComparison.Ordinal));
        // the RST for the closed port, its vnet header taken off
        var rst = TcpSegment.Parse(Assert.Single(h.Outbound).Bytes)!;
        Assert.Equal(TcpFlags.Rst, rst.Flags);
        Assert.True(rst.ChecksumsOk);
    }
}
