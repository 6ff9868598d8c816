using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// Packetization-layer path MTU discovery (RFC 4821): tcp_mtup_init and
/// tcp_sync_mss (tcp_output.c), the probe (tcp_mtu_probe), its success and
/// failure (tcp_mtup_probe_success/failed in tcp_input.c), and black-hole
/// detection on a retransmission timeout (tcp_timer.c's tcp_mtu_probing).
/// a (10.0.1.2) - r - b (10.0.2.2); r's end of the link to b may have a smaller MTU
/// than every interface a and b have (so b still announces MSS 1460), and
/// r may drop the ICMP frag-needed it would send back (a PMTU black hole).
/// a sends a bulk transfer to b's listener.
/// </summary>
public sealed class tcp_mtu_probe_tests
{
    private const long Ms = 1_000_000;
    private const int Bulk = 400_000;

    private sealed class Outcome
    {
        public long Received { get; set; }

        /// <summary>When b had read all of it (virtual ns), or -1.</summary>
        public long DoneAt { get; set; } = -1;

        public sock? Sk { get; set; }

        public tcp_sock Tp => KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(Sk!);

        public inet_connection_sock Icsk => Tp;

        public Host? A { get; set; }

        public Host? R { get; set; }
    }

    /// <summary>
    /// Builds the three hosts (a's net.ipv4.tcp_mtu_probing = <paramref name="probing"/>), and runs the transfer.
    /// <paramref name="blackhole"/> drops every ICMP packet r sends (its OUTPUT chain).
    /// </summary>
    private static Outcome Transfer(int probing, int rbMtu, bool blackhole, long runNs = 30_000 * Ms)
    {
        var t = new Topology();
        var a = t.AddHost("a");
        var r = t.AddHost("r");
        var b = t.AddHost("b");
        devinet_c.devinet_sysctl_forward(r.Net, "all", null, true);
        netns_ipv4.of(a.Net).sysctl_tcp_mtu_probing = probing;

        var (aEth, rEth0) = t.AddVeth(a, "eth0", r, "eth0");
        var (rEth1, bEth) = t.AddVeth(r, "eth1", b, "eth0");

        // only r's side of the r-b link is narrow: b's own MTU (and so the MSS it announces) stays 1500
        Assert.Equal(0, Topology.SetMtu(rEth1, rbMtu));
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
        if (blackhole)
        {
            iptable_filter_c.iptables_append(r.Net, "OUTPUT", new ipt_entry { ip = new ipt_ip { proto = 1 }, verdict = netfilter_h.NF_DROP });
        }

        var o = new Outcome { A = a, R = r };
        t.Spawn(b, "rx", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.2.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, 4));
            var c = (int)await libc.Accept(fd);
            while (o.Received < Bulk)
            {
                var got = await libc.RecvFrom(c, new byte[65536], 65536, 0);
                if (got <= 0)
                {
                    break;
                }

                o.Received += got;
            }

            o.DoneAt = libc.Now;
        });
        SimTask? tx = null;
        tx = t.Spawn(a, "tx", 0, async libc =>
        {
            await libc.Sleep(10 * Ms);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            o.Sk = ((socket)t.K.task_of(tx!).files[fd]).sk;
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.2.2:9000")));
            var sent = 0L;
            while (sent < Bulk)
            {
                var n = await libc.SendTo(fd, new byte[Bulk - sent], 0, null);
                Assert.True(n > 0);
                sent += n;
            }

            await Task.CompletedTask;
        });
        t.Run(runNs);
        return o;
    }

    private static long Ext(Outcome o, string field) => long.Parse(Netstat(o.A!, "TcpExt", field), System.Globalization.CultureInfo.InvariantCulture);

    // The control: with net.ipv4.tcp_mtu_probing 0 (the default) a path that silently drops everything above
    // 1200 bytes stalls a connection whose MSS comes from a 1500-byte interface: every full segment is lost.
    [Fact]
    public void Without_MTU_probing_a_PMTU_black_hole_stalls_the_transfer()
    {
        var o = Transfer(probing: 0, rbMtu: 1200, blackhole: true, runNs: 20_000 * Ms);

        Assert.True(o.Received < Bulk, $"received {o.Received}");
        Assert.False(o.Icsk.icsk_mtup_enabled);
        Assert.Equal(1448u, o.Tp.mss_cache);
    }

    // tcp_mtu_probing 1: probing starts only when black-hole detection fires — a retransmission timeout after
    // tcp_retries1 (3) backed-off RTOs (tcp_write_timeout -> tcp_mtu_probing). The MSS drops to what search_low
    // allows (tcp_base_mss 1024), the retransmissions get through, and the transfer completes.
    [Fact]
    public void With_MTU_probing_1_black_hole_detection_lowers_the_MSS_after_retries1_timeouts_and_the_transfer_completes()
    {
        var o = Transfer(probing: 1, rbMtu: 1200, blackhole: true);

        Assert.Equal(Bulk, o.Received);
        Assert.True(o.Icsk.icsk_mtup_enabled);

        // it took timeouts to notice: at least the 3 s that tcp_retries1 backed-off 200 ms RTOs add up to
        Assert.True(o.DoneAt > 3_000 * Ms, $"done at {o.DoneAt / Ms} ms");
        Assert.True(long.Parse(Netstat(o.A!, "TcpExt", "TCPTimeouts"), System.Globalization.CultureInfo.InvariantCulture) >= 4);

        // what probing found afterwards stays below the path's MTU
        Assert.True(o.Tp.mss_cache + 52 <= 1200, $"mss {o.Tp.mss_cache}");
        Assert.True(o.Icsk.icsk_mtup_search_low <= 1200);
    }

    // tcp_mtu_probing 2 over a path narrower than even tcp_base_mss (900 < 1076): the segments of MSS 1024 are
    // black-holed too; after tcp_retries1 timeouts, tcp_mtu_probing halves the MSS search_low allows (512), the
    // transfer gets through, and the later probes that are too big fail (TCPMTUPFail) without stalling it.
    [Fact]
    public void With_MTU_probing_2_a_black_hole_below_the_base_MSS_is_recovered_by_probing_down()
    {
        var o = Transfer(probing: 2, rbMtu: 900, blackhole: true);

        Assert.Equal(Bulk, o.Received);
        Assert.True(o.Icsk.icsk_mtup_search_low <= 900, $"search_low {o.Icsk.icsk_mtup_search_low}");
        Assert.True(o.Icsk.icsk_mtup_search_low >= 564, $"search_low {o.Icsk.icsk_mtup_search_low}");
        Assert.True(o.Tp.mss_cache + 52 <= 900, $"mss {o.Tp.mss_cache}");
        Assert.True(Ext(o, "TCPMTUPFail") >= 1);
    }

    // tcp_mtu_probing 2 over a path with a 1200-byte hop: the connection starts at MSS 1024 (search_low from
    // tcp_base_mss), a probe of 1288 bytes is lost (TCPMTUPFail: search_high comes down, cwnd is not cut),
    // smaller ones are acknowledged (TCPMTUPSuccess: search_low rises) — the binary search ends within
    // tcp_probe_threshold (8 bytes) below 1200, and nothing stalls.
    [Fact]
    public void With_MTU_probing_2_the_search_converges_below_a_narrower_hop()
    {
        var o = Transfer(probing: 2, rbMtu: 1200, blackhole: true);

        Assert.Equal(Bulk, o.Received);
        Assert.True(Ext(o, "TCPMTUPFail") >= 1);
        Assert.True(Ext(o, "TCPMTUPSuccess") >= 1);
        Assert.InRange(o.Icsk.icsk_mtup_search_low, 1200 - 8, 1200);
        Assert.True(o.Icsk.icsk_mtup_search_high - o.Icsk.icsk_mtup_search_low < 8);
        Assert.Equal((uint)(o.Icsk.icsk_mtup_search_low - 52), o.Tp.mss_cache);

        // no timeout was needed: a failed probe is repaired by tcp_simple_retransmit, not by the RTO
        Assert.Equal(0, Ext(o, "TCPTimeouts"));
    }

    // tcp_mtu_probing 2 over a clean 1500-byte path: every probe succeeds, search_low climbs from 1076
    // (tcp_base_mss 1024 + headers) to within tcp_probe_threshold of 1500, and the MSS with it.
    [Fact]
    public void With_MTU_probing_2_on_a_clean_path_probes_succeed_and_search_low_rises()
    {
        var o = Transfer(probing: 2, rbMtu: 1500, blackhole: false);

        Assert.Equal(Bulk, o.Received);
        Assert.Equal(0, Ext(o, "TCPMTUPFail"));
        Assert.True(Ext(o, "TCPMTUPSuccess") >= 2);
        Assert.True(o.Icsk.icsk_mtup_search_low > 1076 + 300, $"search_low {o.Icsk.icsk_mtup_search_low}");
        Assert.Equal(1500, o.Icsk.icsk_mtup_search_high);
        Assert.True(o.Tp.mss_cache > 1024, $"mss {o.Tp.mss_cache}");
    }
}
