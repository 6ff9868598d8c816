using System;
using System.Linq;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Run;
using KernelNet.Scenarios.Sim;
using TcpSegment = KernelNet.Packetdrill.Run.TcpSegment;
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
        long tunFd = 0;
        t.K.trace.set_event("skb:kfree_skb");
        t.Spawn(host, "owner", 0, async libc =>
        {
            tunFd = await libc.Open("/dev/net/tun", 2);
            var ifr = new byte[40];
            "tun0"u8.CopyTo(ifr);
            BitConverter.GetBytes((ushort)(tun_c.IFF_TUN | tun_c.IFF_NO_PI)).CopyTo(ifr, 16);
            await libc.Ioctl((int)tunFd, tun_c.TUNSETIFF, ifr);
        });
        t.Run(t.Sim.Now + 1_000_000);
        var dev = host.Device("tun0");
        t.Up(dev);
        t.AddAddress(dev, "10.1.0.1/24");
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
}
