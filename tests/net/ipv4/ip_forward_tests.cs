using System.Linq;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// a (10.0.1.2) - r - b (10.0.2.2): r forwards between 10.0.1.0/24 and
/// 10.0.2.0/24 (net.ipv4.ip_forward=1 before its links exist, as the recorder sets it).
/// </summary>
public sealed class ip_forward_tests
{
    private const long Ms = 1_000_000;

    private sealed record Net3(Topology T, Host A, Host R, Host B);

    private static Net3 Build(int rbMtu = 1500, bool forwarding = true)
    {
        var t = new Topology();
        var a = t.AddHost("a");
        var r = t.AddHost("r");
        var b = t.AddHost("b");
        if (forwarding)
        {
            devinet_c.devinet_sysctl_forward(r.Net, "all", null, true);
        }

        var (aEth, rEth0) = t.AddVeth(a, "eth0", r, "eth0");
        var (rEth1, bEth) = t.AddVeth(r, "eth1", b, "eth0");
        Assert.Equal(0, Topology.SetMtu(rEth1, rbMtu));
        Assert.Equal(0, Topology.SetMtu(bEth, rbMtu));
        t.AddAddress(aEth, "10.0.1.2/24");
        t.AddAddress(rEth0, "10.0.1.1/24");
        t.AddAddress(rEth1, "10.0.2.1/24");
        t.AddAddress(bEth, "10.0.2.2/24");
        foreach (var d in new[] { aEth, rEth0, rEth1, bEth })
        {
            t.Up(d);
        }

        Assert.Equal(0, Topology.AddRoute(a, 0, 0, 0x0a000101, null, 0));
        Assert.Equal(0, Topology.AddRoute(b, 0, 0, 0x0a000201, null, 0));
        t.K.trace.set_event("skb:kfree_skb");
        return new Net3(t, a, r, b);
    }

    private static long Ip(Host h, ipstats_mib_field f) => netns_ipv4.of(h.Net).mib.ip_statistics[(int)f];

    /// <summary>b binds 10.0.2.2:9000 and reads (nonblocking) after a has sent each of <paramref name="sizes"/> with the given options.</summary>
    private static (long[] Sent, long Received) Exchange(Net3 n, int[] sizes, int ttl = 0, int pmtudisc = -1)
    {
        var sent = new long[sizes.Length];
        long received = -1;
        var bReady = false;
        n.T.Spawn(n.B, "rx", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.2.2:9000")));
            bReady = true;
            await libc.Sleep(500 * Ms);
            received = await libc.RecvFrom(fd, new byte[4096], 4096, Libc.MSG_DONTWAIT);
        });
        n.T.Spawn(n.A, "tx", 0, async libc =>
        {
            await libc.Sleep(10 * Ms);
            Assert.True(bReady);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            if (ttl != 0)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_IP, in_h.IP_TTL, ttl));
            }

            if (pmtudisc >= 0)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_IP, in_h.IP_MTU_DISCOVER, pmtudisc));
            }

            for (var i = 0; i < sizes.Length; i++)
            {
                sent[i] = await libc.SendTo(fd, new byte[sizes[i]], 0, SockAddrIn.Parse("10.0.2.2:9000"));
                await libc.Sleep(100 * Ms);
            }
        });
        n.T.Run(2_000 * Ms);
        return (sent, received);
    }

    private static string[] Drops(Net3 n) =>
        n.T.K.trace.entries.Where(e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", System.StringComparison.Ordinal)).Select(e => e.Text).ToArray();

    // RFC 1812 5.3.1: a router takes one off the TTL of what it forwards;
    // ip_forward counts OutForwDatagrams (ForwDatagrams in /proc/net/snmp).
    [Fact]
    public void a_forwarding_router_passes_the_datagram_on_and_counts_ForwDatagrams()
    {
        var n = Build();

        var (sent, received) = Exchange(n, [100]);

        Assert.Equal(100, sent[0]);
        Assert.Equal(100, received);
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_OUTFORWDATAGRAMS));
        Assert.Equal(0, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_INDELIVERS));
        Assert.Empty(Drops(n));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // Without forwarding the router has no route for b's subnet to give the
    // packet: ip_error drops it IP_INADDRERRORS and nothing is forwarded.
    [Fact]
    public void a_router_without_ip_forward_drops_with_InAddrErrors()
    {
        var n = Build(forwarding: false);

        var (_, received) = Exchange(n, [100]);

        Assert.Equal(-Libc.EAGAIN, received);
        Assert.Equal(0, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_OUTFORWDATAGRAMS));
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_INADDRERRORS));
        Assert.EndsWith("reason: IP_INADDRERRORS", Assert.Single(Drops(n)), System.StringComparison.Ordinal);
    }

    // RFC 1812 5.3.1: a packet whose TTL would reach 0 is dropped and the
    // source gets ICMP time exceeded (code 0); 6.18 counts InHdrErrors.
    [Fact]
    public void ttl_one_is_dropped_with_InHdrErrors_and_answered_with_time_exceeded()
    {
        var n = Build();

        var (sent, received) = Exchange(n, [100], ttl: 1);

        Assert.Equal(100, sent[0]);
        Assert.Equal(-Libc.EAGAIN, received);
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_INHDRERRORS));
        Assert.Equal(0, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_OUTFORWDATAGRAMS));
        Assert.EndsWith("reason: IP_INHDR", Assert.Single(Drops(n)), System.StringComparison.Ordinal);
        Assert.Equal(1, netns_ipv4.of(n.R.Net).mib.icmpmsg_statistics[0x100 | icmp_h.ICMP_TIME_EXCEEDED]);
        Assert.Equal(1, netns_ipv4.of(n.A.Net).mib.icmpmsg_statistics[icmp_h.ICMP_TIME_EXCEEDED]);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // RFC 1191: a DF datagram larger than the next hop's MTU is dropped
    // (FragFails, PKT_TOO_BIG) and answered with frag-needed carrying that
    // MTU; the sender keeps it as a next-hop exception, so its next DF
    // datagram of that size fails at once with EMSGSIZE and a smaller one passes.
    [Fact]
    public void df_above_the_next_hop_mtu_gets_frag_needed_and_the_sender_learns_the_path_mtu()
    {
        var n = Build(rbMtu: 1280);

        var (sent, received) = Exchange(n, [1400, 1400, 1200], pmtudisc: 2 /* IP_PMTUDISC_DO */);

        Assert.Equal(1400, sent[0]);
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.EMSGSIZE, sent[1]);
        Assert.Equal(1200, sent[2]);
        Assert.Equal(1200, received);
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS));
        Assert.EndsWith("reason: PKT_TOO_BIG", Assert.Single(Drops(n)), System.StringComparison.Ordinal);
        Assert.Equal(1, netns_ipv4.of(n.A.Net).mib.icmpmsg_statistics[icmp_h.ICMP_DEST_UNREACH]);
        var exceptions = netns_ipv4.of(n.A.Net).fib_main.tb_data.Where(fa => fa.nhc_exceptions is not null).SelectMany(fa => fa.nhc_exceptions!).ToList();
        var fnhe = Assert.Single(exceptions);
        Assert.Equal(0x0a000202u, fnhe.fnhe_daddr);
        Assert.Equal(1280u, fnhe.fnhe_pmtu);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // IP_PMTUDISC_PROBE (ip(7)): DF on every datagram, sized by the device's
    // MTU and not the learned path MTU (ip_sk_use_pmtu, ip_skb_dst_mtu): both
    // 1400-byte datagrams leave a whole with DF, and the router refuses both
    // (__ip_make_skb sets DF for PROBE as for DO).
    [Fact]
    public void a_probing_socket_sends_df_at_the_device_mtu_even_after_learning_a_smaller_path_mtu()
    {
        var n = Build(rbMtu: 1280);

        var (sent, received) = Exchange(n, [1400, 1400], pmtudisc: 3 /* IP_PMTUDISC_PROBE */);

        Assert.Equal(1400, sent[0]);
        Assert.Equal(1400, sent[1]);
        Assert.Equal(-Libc.EAGAIN, received);
        Assert.Equal(2, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS));
        Assert.Equal(0, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGOKS));
        Assert.Equal(0, Ip(n.A, ipstats_mib_field.IPSTATS_MIB_FRAGOKS));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // A frag-needed below ip_rt_min_pmtu (552) is held at 552 and locked
    // (__ip_rt_update_pmtu); with a locked MTU a socket at the default
    // IP_PMTUDISC_WANT sends without DF (ip_dont_fragment's ip_mtu_locked), so
    // the router fragments the next 528-byte datagram for its 500-byte hop
    // instead of refusing it again.
    [Fact]
    public void after_a_frag_needed_below_the_minimum_the_locked_path_mtu_lets_the_router_fragment()
    {
        var n = Build(rbMtu: 500);

        var (sent, received) = Exchange(n, [1400, 500]);

        Assert.Equal(1400, sent[0]);
        Assert.Equal(500, sent[1]);
        Assert.Equal(500, received);
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS));
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGOKS));
        var fnhe = Assert.Single(netns_ipv4.of(n.A.Net).fib_main.tb_data.Where(fa => fa.nhc_exceptions is not null).SelectMany(fa => fa.nhc_exceptions!));
        Assert.True(fnhe.fnhe_mtu_locked);
        Assert.Equal(552u, fnhe.fnhe_pmtu);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // Without DF the router fragments what it forwards to fit the next hop.
    // a's datagram fits a's veth, so it left CHECKSUM_PARTIAL: ip_do_fragment
    // fills the sum in (skb_checksum_help) before cutting, and b's UDP, which
    // verifies the reassembled datagram, finds it right.
    [Fact]
    public void without_df_the_router_fragments_for_the_smaller_next_hop()
    {
        var n = Build(rbMtu: 1280);

        var (sent, received) = Exchange(n, [1400], pmtudisc: 0 /* IP_PMTUDISC_DONT */);

        Assert.Equal(1400, sent[0]);
        Assert.Equal(1400, received);
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGOKS));
        Assert.Equal(2, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGCREATES));
        Assert.Equal(0, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS));
        Assert.Equal(0, netns_ipv4.of(n.B.Net).mib.udp_statistics[(int)KernelNet.Kernel.Include.Uapi.Linux.udp_mib_field.UDP_MIB_CSUMERRORS]);
        Assert.Equal(1, netns_ipv4.of(n.B.Net).mib.udp_statistics[(int)KernelNet.Kernel.Include.Uapi.Linux.udp_mib_field.UDP_MIB_INDATAGRAMS]);
    }

    // The filter table's FORWARD chain sees forwarded packets (after the
    // hop is counted): a drop rule frees them NETFILTER_DROP at the router.
    [Fact]
    public void a_forward_chain_drop_rule_stops_the_forwarded_datagram()
    {
        var n = Build();
        iptable_filter_c.iptables_append(n.R.Net, "FORWARD", new ipt_entry
        {
            ip = new ipt_ip { proto = 17 },
            ports = new xt_ports { spts_lo = 0, spts_hi = 0xffff, dpts_lo = 9000, dpts_hi = 9000 },
            verdict = KernelNet.Kernel.Include.Linux.netfilter_h.NF_DROP,
        });

        var (_, received) = Exchange(n, [100]);

        Assert.Equal(-Libc.EAGAIN, received);
        Assert.Equal(1, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_OUTFORWDATAGRAMS));
        Assert.EndsWith("reason: NETFILTER_DROP", Assert.Single(Drops(n)), System.StringComparison.Ordinal);
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // A TCP sender on the 9000-byte link hands its veth one GSO skb of several
    // 1448-byte segments (the receiver's MSS); ip_exceeds_mtu lets it through
    // because each segment would fit the 1500-byte next hop
    // (skb_gso_validate_network_len), and ip_finish_output_gso sends it on
    // whole: no frag-needed, no PKT_TOO_BIG, the receiver reads it in one go.
    [Fact]
    public void a_forwarded_gso_burst_whose_segments_fit_the_next_hop_goes_on_whole()
    {
        var n = Build(rbMtu: 9000);
        n.T.K.trace.set_event("net:net_dev_queue");
        long sent = -1, got = -1;
        n.T.Spawn(n.A, "rx", 0, async libc =>
        {
            var l = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(l, SockAddrIn.Parse("10.0.1.2:9000")));
            Assert.Equal(0, await libc.Listen(l, 8));
            var s = (int)await libc.Accept(l);
            await libc.Sleep(300 * Ms);
            got = await libc.RecvFrom(s, new byte[20000], 20000, Libc.MSG_DONTWAIT);
        });
        n.T.Spawn(n.B, "tx", 0, async libc =>
        {
            await libc.Sleep(10 * Ms);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.1.2:9000")));
            await libc.Sleep(50 * Ms);
            sent = await libc.SendTo(fd, new byte[7000], 0, null);
        });
        n.T.Run(1_000 * Ms);

        Assert.Equal(7000, sent);
        Assert.Equal(7000, got);
        Assert.Equal(0, Ip(n.R, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS));
        Assert.Empty(Drops(n));
        // b's eth0 and then r's eth0 queue the burst as one skb: 7000 bytes, 32 of TCP header (timestamps), 20 of IP, 14 of Ethernet
        Assert.Equal(2, n.T.K.trace.entries.Count(e => e.Event == "net_dev_queue" && e.Text.EndsWith("len=7066", System.StringComparison.Ordinal)));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }
}
