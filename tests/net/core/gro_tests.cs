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
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Tests.Support.GroHost;

namespace KernelNet.Tests.Net.Core;

/// <summary>
/// GRO (net/core/gro.c, af_inet.c's inet_gro_receive, tcp_offload.c) on the
/// igb receive path: segments of one TCP flow that arrive in one NAPI poll
/// go up as one skb, and what the kernel says must end a flow ends it.
/// </summary>
public sealed class gro_tests
{
    private const int Payload = 1000;

    private const byte ACK = 0x10;
    private const byte PSH = 0x08;

    /// <summary>Segment <paramref name="i"/> of a flow from 10.0.0.1:5000 to 10.0.0.2:9 (a port nobody listens on): sequence, IP ID and payload follow i.</summary>
    private static byte[] Segment(net_device dev, int i, byte flags = ACK, int? seqIndex = null)
    {
        var payload = new byte[Payload];
        for (var b = 0; b < payload.Length; b++)
        {
            payload[b] = (byte)(i + b);
        }

        var s = seqIndex ?? i;
        return Frames.Tcp(dev.dev_addr, PeerMac, Peer, HostIp, 5000, 9, 1000 + (uint)(s * Payload), 77, flags, 1024, payload: payload, id: (ushort)(100 + s));
    }

    /// <summary>The frames of a burst: the warm-up datagram, then <paramref name="segments"/>.</summary>
    private static IEnumerable<byte[]> Burst(net_device dev, IEnumerable<byte[]> segments) => new[] { WarmUp(dev) }.Concat(segments);

    private static long Ip(Host h, ipstats_mib_field f) => netns_ipv4.of(h.Net).mib.ip_statistics[(int)f];

    private static long Tcp(Host h, tcp_mib_field f) => netns_ipv4.of(h.Net).mib.tcp_statistics[(int)f];

    // A burst of eight in-order segments of one flow is in the ring when NAPI
    // polls: GRO holds the first, merges the seven others into it (their heads
    // become page frags of it), and napi_complete_done hands it up as one skb
    // of eight segments. Each segment passed napi_gro_receive_entry; the IP MIB
    // counts segments (gso_segs), TCP counts the one skb.
    [Fact]
    public void a_burst_of_tcp_segments_on_igb_reaches_tcp_as_one_merged_skb()
    {
        var (t, h, dev, tap) = HostOnWire();
        tap.Burst(Burst(dev, Enumerable.Range(0, 8).Select(i => Segment(dev, i))), 1_000_000);
        t.Run(1_000_000_000);

        var entries = t.K.trace.entries.Where(e => e.Event == "napi_gro_receive_entry").Skip(1).ToList();
        Assert.Equal(8, entries.Count);
        Assert.All(entries, e => Assert.Contains($"len={20 + 20 + Payload} data_len=0 ", e.Text, StringComparison.Ordinal));

        // GRO_NORMAL (3) for the datagram, GRO_HELD (2) for the first segment,
        // GRO_MERGED_FREE (1: the head was stolen as a frag) for the others.
        var exits = t.K.trace.entries.Where(e => e.Event == "napi_gro_receive_exit").Select(e => e.Text).ToList();
        Assert.Equal(new[] { "ret=3", "ret=2" }.Concat(Enumerable.Repeat("ret=1", 7)), exits);

        Assert.Equal(new[] { 20 + 20 + (8 * Payload) }, Delivered(t, dev));
        Assert.Equal(1 + 8, Ip(h, ipstats_mib_field.IPSTATS_MIB_NOECTPKTS));
        Assert.Equal(1 + 1, Ip(h, ipstats_mib_field.IPSTATS_MIB_INPKTS));
        Assert.Equal(1, Tcp(h, tcp_mib_field.TCP_MIB_INSEGS));

        // No listener: one reset (sequence = the segments' ACK) answers the one merged skb, not eight.
        var rst = Assert.Single(tap.Received, f => f.Length >= 54 && f[23] == 6);
        Assert.Equal(77u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rst.AsSpan(14 + 20 + 4)));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A connection over two igb NICs: the receiver's TCP takes GRO's merged
    // skbs (gso_size and gso_segs set, CHECKSUM_PARTIAL, payload in page frags)
    // and the reader gets every byte, in order.
    [Fact]
    public void a_tcp_stream_over_igb_is_merged_by_gro_and_read_intact()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (ethA, ethB, _) = t.AddIgbPair(a, "eth0", b, "eth1");
        t.AddAddress(ethA, "10.0.0.1/24");
        t.AddAddress(ethB, "10.0.0.2/24");
        t.K.trace.set_event("net:netif_receive_skb");
        var data = new byte[200_000];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((i * 31) + (i >> 8));
        }

        var got = new List<byte>();
        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 8));
            var s = (int)await libc.Accept(fd);
            var buf = new byte[65536];
            while (true)
            {
                var n = await libc.RecvFrom(s, buf, buf.Length, 0);
                if (n <= 0)
                {
                    break;
                }

                got.AddRange(buf.AsSpan(0, (int)n).ToArray());
            }
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(data.Length, await libc.SendTo(fd, data, 0, null));
            await libc.Close(fd);
        });
        t.Run(2_000_000_000);

        Assert.Equal(data, got.ToArray());
        var lens = Delivered(t, ethB);
        Assert.Contains(lens, l => l > 1500);
        Assert.True(Ip(b, ipstats_mib_field.IPSTATS_MIB_NOECTPKTS) > Tcp(b, tcp_mib_field.TCP_MIB_INSEGS), "more segments than skbs reached TCP");
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // PSH ends a flow: the PSH segment is merged, and the held skb goes up at
    // once (tcp_gro_receive returns it to be completed); the segments after it
    // start a new flow, completed at the end of the poll.
    [Fact]
    public void a_segment_with_psh_is_merged_and_flushes_the_flow()
    {
        var (t, h, dev, tap) = HostOnWire();
        tap.Burst(Burst(dev, Enumerable.Range(0, 6).Select(i => Segment(dev, i, i == 3 ? (byte)(ACK | PSH) : ACK))), 1_000_000);
        t.Run(1_000_000_000);

        Assert.Equal(new[] { 40 + (4 * Payload), 40 + (2 * Payload) }, Delivered(t, dev));
        Assert.Equal(1 + 6, Ip(h, ipstats_mib_field.IPSTATS_MIB_NOECTPKTS));
        Assert.Equal(2, Tcp(h, tcp_mib_field.TCP_MIB_INSEGS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A segment that is not the next in sequence cannot be merged: the held
    // skb is completed, and the out-of-order segment is held in its place; so
    // is the one after it (it does not follow the out-of-order one either).
    [Fact]
    public void an_out_of_order_segment_flushes_the_held_flow()
    {
        var (t, h, dev, tap) = HostOnWire();
        var order = new[] { 0, 1, 3, 2 };
        tap.Burst(Burst(dev, order.Select((s, i) => Segment(dev, i, ACK, s))), 1_000_000);
        t.Run(1_000_000_000);

        Assert.Equal(new[] { 40 + (2 * Payload), 40 + Payload, 40 + Payload }, Delivered(t, dev));
        Assert.Equal(3, Tcp(h, tcp_mib_field.TCP_MIB_INSEGS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // With GRO off (ethtool -K eth0 gro off clears NETIF_F_GRO), every segment
    // goes up alone.
    [Fact]
    public void without_netif_f_gro_every_segment_goes_up_alone()
    {
        var (t, h, dev, tap) = HostOnWire();
        dev.features &= ~netdev_features_h.NETIF_F_GRO;
        tap.Burst(Burst(dev, Enumerable.Range(0, 4).Select(i => Segment(dev, i))), 1_000_000);
        t.Run(1_000_000_000);

        Assert.Equal(Enumerable.Repeat(40 + Payload, 4), Delivered(t, dev));
        Assert.Equal(4, Tcp(h, tcp_mib_field.TCP_MIB_INSEGS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // The scenario "TCP burst over igb merged by GRO" (simulation only: a cable
    // between two igb-like NICs), pinned whole: steps, counters, the frames on
    // the cable, socket states and each skb's journey (napi_gro_receive_entry/
    // exit included). A reviewer reads a change of GRO's behaviour here.
    [Fact]
    public void the_tcp_burst_over_igb_scenario_is_pinned()
    {
        var dir = System.IO.Path.GetDirectoryName(ThisFile())!;
        var scenario = ScenarioLoader.Load(System.IO.Path.Combine(dir, "gro-tcp-burst-over-igb.yaml"));
        var outDir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kn-gro-igb-{Guid.NewGuid():N}");
        try
        {
            new ScenarioSimulator().Run(scenario, outDir);
            var r = Normalizer.Load(outDir);
            var steps = RecordingLayout.ReadManifest(outDir).Steps;
            Assert.All(steps, st => Assert.True(st.Matched, $"line {st.Line}: {st.Verb} expected {st.Expected}, got {st.Outcome}"));

            // Merging happened: some skb reached netif_receive_skb longer than one segment.
            Assert.Contains(r.Journeys, j => j.Contains("napi_gro_receive_entry", StringComparison.Ordinal));
            var sb = new System.Text.StringBuilder();
            sb.Append("# steps\n");
            foreach (var st in steps)
            {
                sb.Append(CultureInfo.InvariantCulture, $"line {st.Line}: {st.Verb} {st.Host} -> {st.Outcome}\n");
            }

            sb.Append("# counters\n");
            foreach (var c in r.Counters)
            {
                sb.Append(c).Append('\n');
            }

            foreach (var (link, frames) in r.Wire)
            {
                sb.Append(CultureInfo.InvariantCulture, $"# wire {link}\n");
                foreach (var f in frames)
                {
                    sb.Append(f).Append('\n');
                }
            }

            sb.Append("# sockets\n");
            foreach (var (socket, states) in r.Sockets)
            {
                sb.Append(socket).Append(": ").Append(string.Join(", ", states)).Append('\n');
            }

            sb.Append("# journeys\n");
            foreach (var j in r.Journeys)
            {
                sb.Append(j).Append('\n');
            }

            Snapshot.Match(sb.ToString(), "gro-tcp-burst-over-igb");
        }
        finally
        {
            if (System.IO.Directory.Exists(outDir))
            {
                System.IO.Directory.Delete(outDir, recursive: true);
            }
        }
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    // GRO is on where 6.18's register_netdevice puts it (NETIF_F_SOFT_FEATURES),
    // except on veth, which keeps it off by default.
    [Fact]
    public void gro_is_on_for_igb_and_loopback_and_off_for_veth()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (ethA, _, _) = t.AddIgbPair(a, "eth0", b, "eth0");
        var (vethA, vethB) = t.AddVeth(a, "veth0", b, "veth0");

        Assert.NotEqual(0UL, ethA.features & netdev_features_h.NETIF_F_GRO);
        Assert.NotEqual(0UL, a.Net.loopback_dev!.features & netdev_features_h.NETIF_F_GRO);
        Assert.Equal(0UL, vethA.features & netdev_features_h.NETIF_F_GRO);
        Assert.Equal(0UL, vethB.features & netdev_features_h.NETIF_F_GRO);
    }
}
