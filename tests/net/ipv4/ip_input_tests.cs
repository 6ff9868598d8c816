using System;
using System.Linq;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>ip_rcv_core's header checks, table-driven (STYLE 16). demonstrates RX-11.</summary>
public sealed class ip_input_tests
{
    private const string Mac = "020000000002";
    private const string OtherMac = "02aaaaaaaaaa";
    private const string Src = "020000000001";

    // IPv4 10.0.0.1 -> 10.0.0.2, UDP, total length 32; "cccc" is replaced by the right checksum.
    private const string GoodIp = "450000200000400040110000" + "0a0000010a000002";
    private const string Udp = "30390009000c0000" + "deadbeef";

    public static TheoryData<string, string, string?, ipstats_mib_field?> Cases => new()
    {
        // RFC 1122 3.2.1.1: a datagram whose version is not 4 must be discarded.
        { "version 6 in an IPv4 frame", Mac + Src + "0800" + Csum("6" + GoodIp[1..]) + Udp, "IP_INHDR", ipstats_mib_field.IPSTATS_MIB_INHDRERRORS },
        // RFC 791: IHL is at least 5 words.
        { "ihl of 4", Mac + Src + "0800" + Csum("44" + GoodIp[2..]) + Udp, "IP_INHDR", ipstats_mib_field.IPSTATS_MIB_INHDRERRORS },
        // RFC 1122 3.2.1.2: a datagram with a bad header checksum must be silently discarded.
        { "bad header checksum", Mac + Src + "0800" + GoodIp[..20] + "beef" + GoodIp[24..] + Udp, "IP_CSUM", ipstats_mib_field.IPSTATS_MIB_CSUMERRORS },
        // RFC 791 total length: more than the frame carries.
        { "total length beyond the frame", Mac + Src + "0800" + Csum("45000040" + GoodIp[8..]) + Udp, "PKT_TOO_SMALL", ipstats_mib_field.IPSTATS_MIB_INTRUNCATEDPKTS },
        // Total length shorter than the header itself.
        { "total length below the header", Mac + Src + "0800" + Csum("45000010" + GoodIp[8..]) + Udp, "IP_INHDR", ipstats_mib_field.IPSTATS_MIB_INHDRERRORS },
        // Shorter than an IPv4 header: pskb_may_pull fails.
        { "truncated header", Mac + Src + "0800" + GoodIp[..20], "IP_INHDR", ipstats_mib_field.IPSTATS_MIB_INHDRERRORS },
        // A unicast frame for another station's MAC: not ours, dropped before any counting.
        { "frame for another host", OtherMac + Src + "0800" + Csum(GoodIp) + Udp, "OTHERHOST", null },
        // The valid datagram reaches UDP (no socket: NO_SOCKET, past IP).
        { "valid datagram", Mac + Src + "0800" + Csum(GoodIp) + Udp, "NO_SOCKET", ipstats_mib_field.IPSTATS_MIB_INDELIVERS },
    };

    /// <summary>Fills in a 20-byte header's checksum (over the bytes as given).</summary>
    private static string Csum(string hdr)
    {
        var b = Convert.FromHexString(hdr);
        b[10] = 0;
        b[11] = 0;
        var c = KernelNet.Kernel.Include.Net.checksum_h.csum_fold(KernelNet.Kernel.Include.Net.checksum_h.csum_partial(b, 0));
        b[10] = (byte)(c >> 8);
        b[11] = (byte)c;
        return Convert.ToHexString(b);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ip_rcv_core_checks_drop_with_the_kernels_reason_and_counter(string what, string hex, string? reason, ipstats_mib_field? counter)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (_, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(vb, "10.0.0.2/24");
        var mib = netns_ipv4.of(b.Net).mib.ip_statistics;
        var before = (long[])mib.Clone();
        t.K.trace.set_event("skb:kfree_skb");

        Inject.Frame(t, b, vb, Convert.FromHexString(hex));
        // Long enough for an ICMP error to 10.0.0.1 (which never answers ARP) to give up.
        t.Run(5_000_000_000);

        var drops = t.K.trace.entries.Where(e => e.Text.Contains("protocol=2048", StringComparison.Ordinal)).ToList();
        Assert.True(drops.Count >= 1, what);
        Assert.EndsWith("reason: " + reason, drops[0].Text, StringComparison.Ordinal);
        if (counter is { } c)
        {
            Assert.Equal(before[(int)c] + 1, mib[(int)c]);
        }
        else
        {
            Assert.Equal(before[(int)ipstats_mib_field.IPSTATS_MIB_INPKTS], mib[(int)ipstats_mib_field.IPSTATS_MIB_INPKTS]);
        }

        Assert.Equal(0, t.K.leaked_skbs());
    }
}
