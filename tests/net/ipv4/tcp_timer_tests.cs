using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// tcp_timer.c's keepalive timer on idle connections between two simulated
/// hosts (a veth pair): what an idle ESTABLISHED connection costs over hours
/// of simulated time.
/// </summary>
public sealed class tcp_timer_tests
{
    private const int SO_KEEPALIVE = 9;
    private const int TCP_KEEPIDLE = 4;
    private const int TCP_KEEPINTVL = 5;

    private const long Second = 1_000_000_000;

    /// <summary>What both hosts did while the connections sat idle.</summary>
    private sealed record Idle(long TcpSegments, long TimerSoftirqs, long NetRxSoftirqs, ulong KeepAlivesA, ulong KeepAlivesB, int Established);

    /// <summary>
    /// A connects <paramref name="n"/> times to B:9000 (B accepts them all),
    /// optionally with SO_KEEPALIVE on A's sockets, and everything then stays
    /// silent. The idle window is measured from <c>warmupNs</c> (the handshakes
    /// and their delayed ACKs are over) to <c>warmupNs + idleNs</c>: TCP segments
    /// sent by both hosts (Tcp OutSegs), TIMER and NET_RX softirqs run on all CPUs (one
    /// simulated kernel hosts both namespaces), and TCPKeepAlive of each.
    /// </summary>
    private static Idle IdleConnections(int n, long idleNs, bool keepalive, int keepidle = 0, int keepintvl = 0)
    {
        var net = Support.TwoHosts.OnVeth();
        var (t, a, b) = (net.T, net.A, net.B);
        const long warmupNs = 10 * Second;
        var established = 0;

        t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            Assert.Equal(0, await libc.Listen(fd, n));
            for (var i = 0; i < n; i++)
            {
                Assert.True(await libc.Accept(fd) >= 0);
            }

            // the connections stay open and silent; the server sleeps past the idle window
            await libc.Sleep(2 * (warmupNs + idleNs));
        });
        t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(Second);
            for (var i = 0; i < n; i++)
            {
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
                if (keepalive)
                {
                    Assert.Equal(0, await libc.SetSockOpt(fd, Libc.SOL_SOCKET, SO_KEEPALIVE, 1));
                }

                if (keepidle != 0)
                {
                    Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_KEEPIDLE, keepidle));
                }

                if (keepintvl != 0)
                {
                    Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, TCP_KEEPINTVL, keepintvl));
                }

                Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
                established++;
            }

            // the connections stay open and silent; the process sleeps past the idle window
            await libc.Sleep(2 * (warmupNs + idleNs));
        });

        t.Run(warmupNs);
        var k = t.K;
        long Softirqs(softirq_nr nr) => Enumerable.Range(0, k.nr_cpu_ids).Sum(c => k.per_cpu(c).softirqs[(int)nr]);
        ulong KeepAlives(KernelNet.Kernel.Include.Net.net ns) => (ulong)netns_ipv4.of(ns).mib.net_statistics[(int)linux_mib_field.LINUX_MIB_TCPKEEPALIVE];
        var timer = Softirqs(softirq_nr.TIMER_SOFTIRQ);
        var rx = Softirqs(softirq_nr.NET_RX_SOFTIRQ);
        var kaA = KeepAlives(a.Net);
        var kaB = KeepAlives(b.Net);
        long OutSegs() => long.Parse(Support.ProcNet.Snmp(a, "Tcp", "OutSegs"), System.Globalization.CultureInfo.InvariantCulture) + long.Parse(Support.ProcNet.Snmp(b, "Tcp", "OutSegs"), System.Globalization.CultureInfo.InvariantCulture);
        var segs = OutSegs();

        t.Run(warmupNs + idleNs);

        return new Idle(
            OutSegs() - segs,
            Softirqs(softirq_nr.TIMER_SOFTIRQ) - timer,
            Softirqs(softirq_nr.NET_RX_SOFTIRQ) - rx,
            KeepAlives(a.Net) - kaA,
            KeepAlives(b.Net) - kaB,
            established);
    }

    // TCP-5 (seed-claims.md: "idle connections cost no CPU beyond keepalives"), the baseline: 64 ESTABLISHED
    // connections without SO_KEEPALIVE sit for five simulated hours: no segment, no receive softirq, and no TCP timer
    // — the only timer softirqs are the two neighbour entries' (each host's ARP entry for the other leaves
    // REACHABLE once), whatever the number of connections.
    [Fact]
    public void idle_connections_without_keepalive_cost_nothing_for_hours()
    {
        var idle = IdleConnections(64, 5 * 3600 * Second, keepalive: false);

        Assert.Equal(64, idle.Established);
        Assert.Equal(0L, idle.TcpSegments);
        Assert.InRange(idle.TimerSoftirqs, 0, 2);
        Assert.Equal(0L, idle.NetRxSoftirqs);
        Assert.Equal((0UL, 0UL), (idle.KeepAlivesA, idle.KeepAlivesB));
    }

    // TCP-5 with keepalives, at the 6.18 defaults (tcp_keepalive_time 7200 s, tcp_keepalive_intvl 75 s): over five
    // hours each of A's 64 connections sends exactly what tcp_keepalive_timer predicts — a probe (an ACK with
    // snd_una - 1, TCPKeepAlive) after 7200 s of silence, which B answers with an ACK; the timer then checks again
    // keepalive_intvl later, finds the peer heard from 75 s ago, and sleeps until 7200 s after the answer. A 7200 s
    // timer sits in the wheel's level 5 (131 s granularity at HZ=250), so each probe may come up to ~2 minutes late:
    // the second is due by ~14800 s, the third not before 21600 s — 2 probes and 2 answers per connection
    // (4 x 64 = 256 segments) in 18000 s. Per probe at most 2 keepalive-timer firings (the probe, the intvl check):
    // TIMER softirqs are bounded by 2 x 128 — fewer where several connections' timers share a jiffy — plus a few
    // neighbour timers (the ARP entries going stale and being re-confirmed). Each segment costs at most one receive
    // softirq (veth: netif_rx, backlog NAPI), plus the ARP exchange's.
    [Fact]
    public void idle_connections_with_keepalive_cost_only_the_keepalive_probes()
    {
        const int n = 64;
        var idle = IdleConnections(n, 5 * 3600 * Second, keepalive: true);

        Assert.Equal(n, idle.Established);
        Assert.Equal(2UL * n, idle.KeepAlivesA);
        Assert.Equal(0UL, idle.KeepAlivesB);
        Assert.Equal(4L * n, idle.TcpSegments);
        Assert.InRange(idle.TimerSoftirqs, 2, (2 * 2 * n) + 8);
        Assert.InRange(idle.NetRxSoftirqs, 1, (4 * n) + 8);
    }

    // TCP_KEEPIDLE 60 s with TCP_KEEPINTVL 75 s: once the peer answered, the next check (75 s later) already finds
    // 60 s of silence, so every firing sends a probe: one probe, one answer, one timer firing per cycle. A 60-75 s
    // timer sits in the wheel's level 3 (512 jiffies, ~2 s granularity): the first probe comes 61-63 s after the
    // connect, then one every 75-77 s, so an idle window of 800 s (ending 810 s after the connect) holds exactly 10.
    [Fact]
    public void TCP_KEEPIDLE_and_TCP_KEEPINTVL_set_the_probe_schedule()
    {
        const int n = 4;
        var idle = IdleConnections(n, 800 * Second, keepalive: true, keepidle: 60, keepintvl: 75);

        Assert.Equal(10UL * n, idle.KeepAlivesA);
        Assert.Equal(2L * 10 * n, idle.TcpSegments);
        Assert.InRange(idle.TimerSoftirqs, 10, (10 * n) + 8);
    }
}
