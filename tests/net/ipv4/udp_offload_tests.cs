using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Machine.Nic;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Tests.Support.GroHost;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// UDP GRO (net/ipv4/udp_offload.c) on the igb receive path: datagrams of
/// one flow to a socket with UDP_GRO are merged into one SKB_GSO_UDP_L4 skb
/// that the reader gets whole with a UDP_GRO cmsg (gso_size); without
/// UDP_GRO every datagram goes up on its own.
/// </summary>
public sealed class udp_offload_tests
{
    private const int SOL_UDP = 17;
    private const int UDP_GRO = 104;

    /// <summary>Datagram <paramref name="i"/> from 10.0.0.1:5000 to 10.0.0.2:9000, <paramref name="size"/> payload bytes that follow i; IP ID counts up.</summary>
    private static byte[] Datagram(net_device dev, int i, int size = 1000)
    {
        var payload = Payload(i, size);
        return Frames.Udp(dev.dev_addr, PeerMac, Peer, HostIp, 5000, 9000, payload, (ushort)(100 + i));
    }

    private static byte[] Payload(int i, int size)
    {
        var payload = new byte[size];
        for (var b = 0; b < payload.Length; b++)
        {
            payload[b] = (byte)((i * 7) + b);
        }

        return payload;
    }

    private static List<string> Exits(Topology t) =>
        t.K.trace.entries.Where(e => e.Event == "napi_gro_receive_exit").Select(e => e.Text).ToList();

    private static long Ip(Host h, ipstats_mib_field f) => netns_ipv4.of(h.Net).mib.ip_statistics[(int)f];

    private static long Udp(Host h, udp_mib_field f) => netns_ipv4.of(h.Net).mib.udp_statistics[(int)f];

    /// <summary>
    /// A reader bound to 10.0.0.2:9000 (with UDP_GRO when <paramref name="gro"/>)
    /// that, after the burst, reads every datagram with recvmsg: the lengths and
    /// the SOL_UDP cmsgs (gso_size) of each read, and its bytes.
    /// </summary>
    private static List<(long Len, int? GsoSize, byte[] Data)> ReadAll(Topology t, Host h, bool gro, List<long>? opts = null)
    {
        var reads = new List<(long Len, int? GsoSize, byte[] Data)>();
        t.Spawn(h, "reader", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            opts?.Add(await libc.GetSockOpt(fd, SOL_UDP, UDP_GRO));
            if (gro)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, SOL_UDP, UDP_GRO, 1));
                opts?.Add(await libc.GetSockOpt(fd, SOL_UDP, UDP_GRO));
            }

            await libc.Sleep(20_000_000);
            while (true)
            {
                var buf = new byte[65536];
                var msg = new UserMsg { ControlLen = 64 };
                msg.Iov.Add((buf, buf.Length));
                var n = await libc.RecvMsg(fd, msg, Libc.MSG_DONTWAIT);
                if (n <= 0)
                {
                    break;
                }

                int? gso = null;
                foreach (var (level, type, data) in msg.Control)
                {
                    if (level == SOL_UDP && type == UDP_GRO)
                    {
                        gso = BitConverter.ToInt32(data, 0);
                    }
                }

                reads.Add((n, gso, buf.AsSpan(0, (int)n).ToArray()));
            }

            await libc.Close(fd);
        });
        return reads;
    }

    // Eight equal datagrams to a socket with UDP_GRO: GRO looks the socket up
    // (udp_encap_needed_key is on), holds the first and merges the seven others
    // (GRO_MERGED_FREE: their page-frag heads are stolen); the poll's end
    // completes one SKB_GSO_UDP_L4 skb, which the reader gets whole — 8000
    // bytes in order — with a UDP_GRO cmsg saying 1000.
    [Fact]
    public void a_burst_of_equal_datagrams_to_a_udp_gro_socket_is_read_as_one_skb_with_its_gso_size()
    {
        var (t, h, dev, tap) = HostOnWire();
        var opts = new List<long>();
        var reads = ReadAll(t, h, gro: true, opts);
        tap.Burst(new[] { WarmUp(dev) }.Concat(Enumerable.Range(0, 8).Select(i => Datagram(dev, i))), 1_000_000);
        t.Run(100_000_000);

        Assert.Equal(new long[] { 0, 1 }, opts);
        var entries = t.K.trace.entries.Where(e => e.Event == "napi_gro_receive_entry").Skip(1).ToList();
        Assert.Equal(8, entries.Count);
        Assert.All(entries, e => Assert.Contains($"len={20 + 8 + 1000} data_len=0 ", e.Text, StringComparison.Ordinal));
        Assert.Equal(new[] { "ret=3", "ret=2" }.Concat(Enumerable.Repeat("ret=1", 7)), Exits(t));
        Assert.Equal(new[] { 20 + 8 + 8000 }, Delivered(t, dev));

        var read = Assert.Single(reads);
        Assert.Equal(8000, read.Len);
        Assert.Equal(1000, read.GsoSize);
        Assert.Equal(Enumerable.Range(0, 8).SelectMany(i => Payload(i, 1000)).ToArray(), read.Data);

        // The IP MIB counts the datagrams (gso_segs); UDP counts the one skb it took.
        Assert.Equal(1 + 8, Ip(h, ipstats_mib_field.IPSTATS_MIB_NOECTPKTS));
        Assert.Equal(1 + 1, Ip(h, ipstats_mib_field.IPSTATS_MIB_INPKTS));
        Assert.Equal(1, Udp(h, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // The same burst to a socket without UDP_GRO: no socket asked for GRO, so
    // udp4_gro_receive does not even look one up, every datagram is flushed
    // (GRO_NORMAL) and read on its own, without a cmsg.
    [Fact]
    public void without_udp_gro_each_datagram_of_a_burst_arrives_separately()
    {
        var (t, h, dev, tap) = HostOnWire();
        var opts = new List<long>();
        var reads = ReadAll(t, h, gro: false, opts);
        tap.Burst(new[] { WarmUp(dev) }.Concat(Enumerable.Range(0, 8).Select(i => Datagram(dev, i))), 1_000_000);
        t.Run(100_000_000);

        Assert.Equal(new long[] { 0 }, opts);
        Assert.Equal(Enumerable.Repeat("ret=3", 9), Exits(t));
        Assert.Equal(Enumerable.Repeat(20 + 8 + 1000, 8), Delivered(t, dev));
        Assert.Equal(8, reads.Count);
        Assert.All(reads, r => Assert.Equal((1000L, (int?)null), (r.Len, r.GsoSize)));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => Payload(i, 1000)), reads.Select(r => r.Data));
        Assert.Equal(8, Udp(h, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A shorter datagram is merged and ends the flow (udp_gro_receive_segment
    // returns the held skb to be completed); the two after it start a new one.
    [Fact]
    public void a_shorter_datagram_is_merged_last_and_ends_the_flow()
    {
        var (t, h, dev, tap) = HostOnWire();
        var reads = ReadAll(t, h, gro: true);
        var sizes = new[] { 1000, 1000, 1000, 1000, 1000, 400, 1000, 1000 };
        tap.Burst(new[] { WarmUp(dev) }.Concat(sizes.Select((s, i) => Datagram(dev, i, s))), 1_000_000);
        t.Run(100_000_000);

        Assert.Equal(new[] { 28 + 5400, 28 + 2000 }, Delivered(t, dev));
        Assert.Equal(new[] { (5400L, (int?)1000), (2000L, (int?)1000) }, reads.Select(r => (r.Len, r.GsoSize)));
        Assert.Equal(sizes.SelectMany((s, i) => Payload(i, s)).ToArray(), reads.SelectMany(r => r.Data).ToArray());
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A longer datagram does not join: the held skb is completed without it and the longer one is held anew.
    [Fact]
    public void a_longer_datagram_completes_the_flow_and_starts_its_own()
    {
        var (t, h, dev, tap) = HostOnWire();
        var reads = ReadAll(t, h, gro: true);
        var sizes = new[] { 500, 500, 500, 1000, 1000 };
        tap.Burst(new[] { WarmUp(dev) }.Concat(sizes.Select((s, i) => Datagram(dev, i, s))), 1_000_000);
        t.Run(100_000_000);

        Assert.Equal(new[] { 28 + 1500, 28 + 2000 }, Delivered(t, dev));
        Assert.Equal(new[] { (1500L, (int?)500), (2000L, (int?)1000) }, reads.Select(r => (r.Len, r.GsoSize)));
        Assert.Equal(sizes.SelectMany((s, i) => Payload(i, s)).ToArray(), reads.SelectMany(r => r.Data).ToArray());
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
