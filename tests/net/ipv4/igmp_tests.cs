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

    private const uint Group = 0xef010101; // 239.1.1.1

    /// <summary>An Ethernet frame from A to B carrying IGMP bytes (checksum set over them) as IPPROTO_IGMP.</summary>
    private static byte[] IgmpFrame(TwoHosts n, byte[] igmp, byte[]? dstMac = null)
    {
        var sum = KernelNet.Kernel.Include.Net.checksum_h.csum_fold(KernelNet.Kernel.Include.Net.checksum_h.csum_partial(igmp, 0));
        igmp[2] = (byte)(sum >> 8);
        igmp[3] = (byte)sum;
        var f = Frames.Udp(dstMac ?? n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 1, 1, new byte[igmp.Length - 8]);
        igmp.CopyTo(f, 34);
        f[14 + 9] = 2; // IPPROTO_IGMP
        f[14 + 10] = 0;
        f[14 + 11] = 0;
        var c = KernelNet.Kernel.Include.Net.checksum_h.ip_fast_csum(f.AsSpan(14), 5);
        f[14 + 10] = (byte)(c >> 8);
        f[14 + 11] = (byte)c;
        return f;
    }

    private static byte[] Igmp(byte type, byte code, uint group, int len = 8)
    {
        var m = new byte[len];
        m[0] = type;
        m[1] = code;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), group);
        return m;
    }

    private static KernelNet.Kernel.Include.Linux.in_device InDevB(TwoHosts n) => KernelNet.Kernel.Include.Linux.inetdevice_h.__in_dev_get_rcu(n.VethB)!;

    // igmp_heard_query with an 8-byte query and a non-zero code: an IGMPv2 querier
    // (mr_v2_seen), and the joined group's report timer armed within code/10 s
    // (+2 jiffies); the query is consumed, not dropped.
    [Fact]
    public void a_v2_query_is_consumed_and_arms_the_report_timer_of_a_joined_group()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        n.T.K.trace.set_event("skb:consume_skb");
        var in_dev = InDevB(n);
        KernelNet.Kernel.Net.Ipv4.igmp_c.ip_mc_inc_group(in_dev, Group);
        var im = Assert.Single(in_dev.mc_list, g => g.multiaddr == Group);
        Assert.False(im.tm_running);

        Inject.Frame(n.T, n.B, n.VethB, IgmpFrame(n, Igmp(0x11, 255, 0)));
        n.T.Run(100_000_000);
        var now = n.T.K.jiffies;

        Assert.True(im.tm_running);
        Assert.InRange((long)(im.timer!.expires - now), 0, (255 * (KernelNet.Kernel.Vmlinux.HZ / 10)) + 2);
        Assert.NotEqual(0UL, in_dev.mr_v2_seen);
        Assert.Equal(0UL, in_dev.mr_v1_seen);
        Assert.DoesNotContain(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.Contains(n.T.K.trace.entries, e => e.Event == "consume_skb");

        // the timer fires within 25.5 s: the group is the one we reported
        n.T.Run(26_200_000_000); // T.Run takes an absolute virtual time
        Assert.False(im.tm_running);
        Assert.True(im.reporter);
    }

    // igmp_heard_report: another member's v2 report for our group, received as
    // link-layer multicast, stops our pending report; the report is consumed.
    [Fact]
    public void a_multicast_report_for_a_joined_group_cancels_our_pending_report()
    {
        var n = TwoHosts.OnVeth();
        var in_dev = InDevB(n);
        KernelNet.Kernel.Net.Ipv4.igmp_c.ip_mc_inc_group(in_dev, Group);
        var im = Assert.Single(in_dev.mc_list);
        Inject.Frame(n.T, n.B, n.VethB, IgmpFrame(n, Igmp(0x11, 255, 0)));
        n.T.Run(100_000_000);
        Assert.True(im.tm_running);

        n.T.K.trace.set_event("skb:kfree_skb");
        n.T.K.trace.set_event("skb:consume_skb");
        byte[] mcastMac = [0x01, 0x00, 0x5e, 0x01, 0x01, 0x01];
        Inject.Frame(n.T, n.B, n.VethB, IgmpFrame(n, Igmp(0x16, 0, Group), mcastMac));
        n.T.Run(200_000_000);

        Assert.False(im.tm_running);
        Assert.False(im.reporter);
        Assert.DoesNotContain(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.Contains(n.T.K.trace.entries, e => e.Event == "consume_skb");
    }

    // A report sent to us as unicast is not relied on: igmp_rcv frees it (kfree_skb)
    // and the pending report stays armed.
    [Fact]
    public void a_unicast_report_is_dropped_and_leaves_our_timer_alone()
    {
        var n = TwoHosts.OnVeth();
        var in_dev = InDevB(n);
        KernelNet.Kernel.Net.Ipv4.igmp_c.ip_mc_inc_group(in_dev, Group);
        var im = Assert.Single(in_dev.mc_list);
        Inject.Frame(n.T, n.B, n.VethB, IgmpFrame(n, Igmp(0x11, 255, 0)));
        n.T.Run(100_000_000);

        n.T.K.trace.set_event("skb:kfree_skb");
        Inject.Frame(n.T, n.B, n.VethB, IgmpFrame(n, Igmp(0x16, 0, Group)));
        n.T.Run(200_000_000);

        Assert.True(im.tm_running);
        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.EndsWith("reason: NOT_SPECIFIED", drop.Text, StringComparison.Ordinal);
    }

    // igmp_heard_query: a query of 9..11 bytes is bogus (returns true), so
    // igmp_rcv frees it with kfree_skb (NOT_SPECIFIED) and arms nothing.
    [Fact]
    public void a_query_between_v2_and_v3_length_is_dropped_not_specified()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        var in_dev = InDevB(n);
        KernelNet.Kernel.Net.Ipv4.igmp_c.ip_mc_inc_group(in_dev, Group);

        Inject.Frame(n.T, n.B, n.VethB, IgmpFrame(n, Igmp(0x11, 100, 0, len: 10)));
        n.T.Run(100_000_000);

        Assert.False(Assert.Single(in_dev.mc_list).tm_running);
        Assert.Equal(0UL, in_dev.mr_v2_seen);
        var drop = Assert.Single(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
        Assert.EndsWith("reason: NOT_SPECIFIED", drop.Text, StringComparison.Ordinal);
    }

    // An IGMPv3 general query (12 bytes, group 0, no sources) sets the querier
    // parameters (QRV, QQIC) and arms the interface's general-query timer; consumed.
    [Fact]
    public void a_v3_general_query_records_the_querier_parameters_and_arms_the_general_query_timer()
    {
        var n = TwoHosts.OnVeth();
        n.T.K.trace.set_event("skb:kfree_skb");
        var in_dev = InDevB(n);
        var q = Igmp(0x11, 50, 0, len: 12);
        q[8] = 3;  // QRV
        q[9] = 60; // QQIC: 60 s
        Inject.Frame(n.T, n.B, n.VethB, IgmpFrame(n, q));
        n.T.Run(100_000_000);

        Assert.Equal(3, in_dev.mr_qrv);
        Assert.Equal(60 * KernelNet.Kernel.Vmlinux.HZ, in_dev.mr_qi);
        Assert.Equal(5 * KernelNet.Kernel.Vmlinux.HZ, in_dev.mr_maxdelay);
        Assert.True(in_dev.mr_gq_running);
        Assert.DoesNotContain(n.T.K.trace.entries, e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal));
    }
}
