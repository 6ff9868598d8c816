using System;
using System.Linq;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>igmp.c: igmp_rcv is IPPROTO_IGMP's handler, so an IGMP datagram is delivered, not an unknown protocol.</summary>
public sealed class igmp_tests
{
    // An IGMP datagram whose checksum is wrong reaches igmp_rcv (InDelivers, as for
    // every protocol with a handler), which frees it; nothing counts
    // InUnknownProtos and no ICMP protocol unreachable goes back.
    [Fact]
    public void an_igmp_datagram_is_delivered_to_igmp_rcv_and_freed_without_protocol_unreachable()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        var f = Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, [1, 2, 3, 4, 5, 6, 7, 8]);
        f[14 + 9] = 2; // IPPROTO_IGMP
        f[14 + 10] = 0;
        f[14 + 11] = 0;
        var c = KernelNet.Kernel.Include.Net.checksum_h.ip_fast_csum(f.AsSpan(14), 5);
        f[14 + 10] = (byte)(c >> 8);
        f[14 + 11] = (byte)c;

        Inject.Frame(n.T, n.B, n.VethB, f);
        n.T.Run(100_000_000);

        var mib = netns_ipv4.of(n.B.Net).mib;
        Assert.Equal(1, mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INDELIVERS]);
        Assert.Equal(0, mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INUNKNOWNPROTOS]);
        Assert.Equal(0, mib.icmpmsg_statistics[0x100 | icmp_h.ICMP_DEST_UNREACH]);
        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.EndsWith("reason: NOT_SPECIFIED", drop.Text, StringComparison.Ordinal);
    }
}
