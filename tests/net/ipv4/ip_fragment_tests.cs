using System;
using System.Linq;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>demonstrates TX-11 (and TX-3: fragmentation happens in __ip_finish_output, above the MTU only).</summary>
public sealed class ip_fragment_tests
{
    private static long Ip(Host h, ipstats_mib_field f) => netns_ipv4.of(h.Net).mib.ip_statistics[(int)f];

    [Theory]
    // RFC 791: fragments carry at most MTU - 20 data bytes, a multiple of 8 except the last.
    [InlineData(1500u, 4000, 3)]  // 4008 bytes of UDP: 1480 + 1480 + 1048
    [InlineData(576u, 4000, 8)]   // 556 -> 552 per fragment: 7 * 552 + 144
    [InlineData(1500u, 1000, 0)]  // fits: not fragmented
    public void udp_datagram_above_the_mtu_is_fragmented_and_reassembled(uint mtu, int size, int fragments)
    {
        var hosts = TwoHosts.OnVeth(mtu);
        var (t, a, b, _, _) = hosts;
        t.K.trace.set_event("net:net_dev_queue");
        var payload = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        byte[]? got = null;

        hosts.ReceiveOnceOnB(65536, r => got = r.Data);
        hosts.SendOnceFromA(payload, sent: ret => Assert.Equal(size, ret));

        t.Run(2_000_000_000);

        Assert.Equal(payload, got);
        var ipFrames = t.K.trace.entries.Count(e => e.Event == "net_dev_queue" && e.Text.Contains("dev=veth0", System.StringComparison.Ordinal) && !e.Text.EndsWith("len=42", System.StringComparison.Ordinal));
        Assert.Equal(fragments == 0 ? 1 : fragments, ipFrames);
        Assert.Equal(fragments == 0 ? 0 : 1, Ip(a, ipstats_mib_field.IPSTATS_MIB_FRAGOKS));
        Assert.Equal(fragments, Ip(a, ipstats_mib_field.IPSTATS_MIB_FRAGCREATES));
        Assert.Equal(fragments, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMREQDS));
        Assert.Equal(fragments == 0 ? 0 : 1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMOKS));
        Assert.Equal(0, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMFAILS));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // A fragment whose siblings never come: after ipfrag_time (30 s) the queue
    // is dropped, ReasmFails and ReasmTimeout count, and the sender gets ICMP
    // time exceeded (fragment reassembly) because the first fragment was there.
    [Fact]
    public void lone_first_fragment_times_out_after_ipfrag_time()
    {
        var (t, _, b, va, vb) = TwoHosts.OnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        // First fragment only (MF set, offset 0) of a UDP datagram 10.0.0.1 -> 10.0.0.2.
        var frame = Support.Frames.Udp(vb.dev_addr, va.dev_addr, 0x0a000001, 0x0a000002, 1000, 9000, new byte[64], id: 77);
        frame[14 + 6] = 0x20; // MF, offset 0 (DF cleared)
        frame[14 + 7] = 0x00;
        frame[14 + 10] = 0;
        frame[14 + 11] = 0;
        var c = KernelNet.Kernel.Include.Net.checksum_h.ip_fast_csum(frame.AsSpan(14), 5);
        frame[14 + 10] = (byte)(c >> 8);
        frame[14 + 11] = (byte)c;
        Support.Inject.Frame(t, b, vb, frame);

        t.Run(40_000_000_000);

        Assert.Equal(1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMREQDS));
        Assert.Equal(1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMFAILS));
        Assert.Equal(1, Ip(b, ipstats_mib_field.IPSTATS_MIB_REASMTIMEOUT));
        Assert.Equal(1, netns_ipv4.of(b.Net).mib.icmpmsg_statistics[0x100 | 11]); // OutType11
        Assert.Equal(0, t.K.leaked_skbs());
    }
}
