using System;
using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/tcp_bbr.c: BBR v1, the machine's default congestion control (CONFIG_DEFAULT_BBR=y; selected here with TCP_CONGESTION), over a
/// bottleneck: A and B on igb-like NICs joined by a cable of a given rate and one-way latency. A monitor
/// task on A samples the connected socket's BBR state (struct bbr, inet_csk_ca) between events.
/// </summary>
public sealed class tcp_bbr_tests
{
    /// <summary>One sample of the sender's BBR state.</summary>
    private readonly record struct Sample(long AtNs, uint Jiffies, bbr_mode Mode, uint PacingGain, uint Cwnd, ulong PacingRate, ulong ExpectedRate, uint MinRttStamp, uint MinRttUs, uint ProbeRttDoneStamp, uint InFlight);

    private sealed record BbrRun(Topology T, Host A, sock Sk, List<Sample> Samples, long Read);

    // BBR_UNIT (1 << 8) gains, as tcp_bbr.c defines them
    private const uint HighGain = (256 * 2885 / 1000) + 1;
    private const uint DrainGain = 256 * 1000 / 2885;

    /// <summary>
    /// B (CPU 1) reads until EOF; A (CPU 0) connects and writes <paramref name="bytes"/> in 64 KiB writes while a
    /// monitor samples BBR every <paramref name="everyNs"/> until <paramref name="runNs"/>.
    /// </summary>
    private static BbrRun Run(long bitsPerSecond, long latencyNs, long bytes, long runNs, long everyNs)
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (ethA, ethB, _) = t.AddIgbPair(a, "eth0", b, "eth1", bitsPerSecond, latencyNs);
        t.AddAddress(ethA, "10.0.0.1/24");
        t.AddAddress(ethB, "10.0.0.2/24");

        long read = 0;
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

                read += n;
            }
        });

        sock? sk = null;
        SimTask? client = null;
        client = t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);

            // bbr as the machine's programs get it by default (CONFIG_DEFAULT_BBR=y; the port's default is cubic, see Vmlinux)
            Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, System.Text.Encoding.ASCII.GetBytes("bbr")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            sk = ((socket)t.K.task_of(client!).files[fd]).sk;
            var chunk = new byte[65536];
            for (long sent = 0; sent < bytes;)
            {
                var n = await libc.SendTo(fd, bytes - sent >= chunk.Length ? chunk : new byte[bytes - sent], 0, null);
                Assert.True(n > 0, $"send returned {n}");
                sent += n;
            }

            await libc.Close(fd);
        });

        var samples = new List<Sample>();
        t.Spawn(a, "monitor", 0, async libc =>
        {
            while (t.K.ktime_get_ns() < runNs - everyNs)
            {
                await libc.Sleep(everyNs);
                if (sk is null || sk.sk_state != sock_h.TCP_ESTABLISHED)
                {
                    continue;
                }

                var ca = inet_connection_sock_h.inet_csk_ca<bbr>(sk);
                var tp = KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk);
                samples.Add(new Sample(t.K.ktime_get_ns(), (uint)t.K.jiffies, ca.mode, ca.pacing_gain, tp.snd_cwnd, sk.sk_pacing_rate, PacingRate(sk, ca), ca.min_rtt_stamp, ca.min_rtt_us, ca.probe_rtt_done_stamp, KernelNet.Kernel.Include.Net.tcp_h.tcp_packets_in_flight(tp)));
            }
        });

        t.Run(runNs);
        Assert.NotNull(sk);
        return new BbrRun(t, a, sk!, samples, read);
    }

    /// <summary>
    /// What bbr_bw_to_pacing_rate makes of the model's bandwidth (the policer's rate when one was found)
    /// at the current pacing gain: bw (packets per µs, 24 fractional bits) x mss x gain / 256, less the 1%
    /// margin, per second; within SO_MAX_PACING_RATE.
    /// </summary>
    private static ulong PacingRate(sock sk, bbr ca)
    {
        ulong rate = ca.lt_use_bw ? ca.lt_bw : KernelNet.Kernel.Include.Linux.win_minmax_h.minmax_get(ca.bw);
        rate *= KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(sk).mss_cache;
        rate *= ca.pacing_gain;
        rate >>= 8;
        rate *= 1_000_000 / 100 * 99;
        rate >>= 24;
        return Math.Min(rate, sk.sk_max_pacing_rate);
    }

    /// <summary>The modes the samples went through, each run of equal samples folded into one.</summary>
    private static List<bbr_mode> Modes(IEnumerable<Sample> samples)
    {
        var modes = new List<bbr_mode>();
        foreach (var s in samples)
        {
            if (modes.Count == 0 || modes[^1] != s.Mode)
            {
                modes.Add(s.Mode);
            }
        }

        return modes;
    }

    // Over a 100 Mbit/s bottleneck with a 1 ms RTT, STARTUP (pacing gain 2/ln2) doubles the delivery rate
    // each round until it stops growing by a quarter for three rounds (bbr_check_full_bw_reached,
    // full_bw_cnt 3); DRAIN (gain ln2/2) then empties the queue STARTUP built, and PROBE_BW cycles its gains
    // (5/4, 3/4, 1) around the bandwidth it found, which is the bottleneck's.
    [Fact]
    public void startup_gives_way_to_drain_and_probe_bw_once_the_bandwidth_plateaus_for_three_rounds()
    {
        var run = Run(100_000_000, 500_000, 3_000_000, 400_000_000, 50_000);

        Assert.Equal(3_000_000, run.Read);
        Assert.Equal("bbr", inet_connection_sock_h.inet_csk(run.Sk).icsk_ca_ops!.name);
        var modes = Modes(run.Samples);
        Assert.Equal(new[] { bbr_mode.BBR_STARTUP, bbr_mode.BBR_DRAIN, bbr_mode.BBR_PROBE_BW }, modes.Take(3));

        var ca = inet_connection_sock_h.inet_csk_ca<bbr>(run.Sk);
        Assert.True(ca.full_bw_reached);
        Assert.Equal(3u, ca.full_bw_cnt);
        Assert.All(run.Samples.Where(s => s.Mode == bbr_mode.BBR_STARTUP), s => Assert.Equal(HighGain, s.PacingGain));
        Assert.All(run.Samples.Where(s => s.Mode == bbr_mode.BBR_DRAIN), s => Assert.Equal(DrainGain, s.PacingGain));
        Assert.All(run.Samples.Where(s => s.Mode == bbr_mode.BBR_PROBE_BW), s => Assert.Contains(s.PacingGain, new uint[] { 320, 192, 256 }));

        // the bandwidth found is the bottleneck's: 100 Mbit/s of frames carrying 1448 of their 1538 wire bytes
        var bytesPerSec = (double)KernelNet.Kernel.Include.Linux.win_minmax_h.minmax_get(ca.bw) * KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(run.Sk).mss_cache * 1e6 / (1 << 24);
        var goodput = 100e6 / 8 * 1448 / 1538;
        Assert.InRange(bytesPerSec, goodput * 0.8, goodput * 1.05);
    }

    // bbr_set_pacing_rate: once the pipe is full every ACK sets sk_pacing_rate to the pacing gain of the
    // cycle phase times the bandwidth estimate (bbr_bw_to_pacing_rate, 1% margin), whatever the phase.
    [Fact]
    public void in_probe_bw_the_pacing_rate_is_the_phase_gain_times_the_bottleneck_bandwidth()
    {
        var run = Run(100_000_000, 500_000, 3_000_000, 400_000_000, 50_000);

        var probeBw = run.Samples.Where(s => s.Mode == bbr_mode.BBR_PROBE_BW).ToList();
        Assert.True(probeBw.Count >= 10, $"{probeBw.Count} samples in PROBE_BW");
        Assert.All(probeBw, s => Assert.Equal(s.ExpectedRate, s.PacingRate));

        // more than one phase of the cycle was seen, and the rate moved with the gain
        Assert.True(probeBw.Select(s => s.PacingGain).Distinct().Count() > 1, "the gain cycle advanced");
        Assert.True(probeBw.Select(s => s.PacingRate).Distinct().Count() > 1, "the pacing rate followed it");
    }

    // bbr_update_min_rtt: a min_rtt not refreshed for 10 s expires; the next ACK puts BBR in PROBE_RTT,
    // where bbr_set_cwnd holds cwnd at bbr_cwnd_min_target (4) for 200 ms and a round, after which it
    // goes back to PROBE_BW (the pipe was full) with the cwnd it saved.
    [Fact]
    public void an_expired_min_rtt_enters_probe_rtt_with_a_cwnd_of_four()
    {
        var run = Run(10_000_000, 5_000_000, 20_000_000, 10_600_000_000, 1_000_000);

        var entry = run.Samples.FindIndex(s => s.Mode == bbr_mode.BBR_PROBE_RTT);
        Assert.True(entry > 0, $"PROBE_RTT entered; modes {string.Join(",", Modes(run.Samples))}");
        var before = run.Samples[entry - 1];
        var at = run.Samples[entry];

        // the min_rtt in force before had been taken at least 10 s (bbr_min_rtt_win_sec) earlier
        var jiffiesNow = at.Jiffies;
        Assert.True((int)(jiffiesNow - before.MinRttStamp) >= 10 * KernelNet.Kernel.Vmlinux.HZ, $"min_rtt {before.MinRttStamp} expired at {jiffiesNow}");
        Assert.Equal(bbr_mode.BBR_PROBE_BW, before.Mode);
        Assert.True(before.Cwnd > 4, $"cwnd {before.Cwnd} before PROBE_RTT");

        var probeRtt = run.Samples.Skip(entry).TakeWhile(s => s.Mode == bbr_mode.BBR_PROBE_RTT).ToList();
        Assert.All(probeRtt, s => Assert.Equal(4u, s.Cwnd));
        Assert.True(entry + probeRtt.Count < run.Samples.Count, "PROBE_RTT ended");
        var after = run.Samples[entry + probeRtt.Count];
        var heldNs = after.AtNs - at.AtNs;
        Assert.True(heldNs >= 200_000_000 && heldNs <= 300_000_000, $"PROBE_RTT from {at.AtNs} ns for {heldNs} ns: {string.Join(" ", run.Samples.Skip(entry - 1).Take(probeRtt.Count + 2).Select(s => $"{s.Mode}/{s.Jiffies}/{s.ProbeRttDoneStamp}/{s.InFlight}/{s.Cwnd}"))}");

        // the 200 ms count from when inflight first fell to 4
        Assert.Contains(probeRtt, s => s.InFlight <= 4 && s.ProbeRttDoneStamp != 0);
        Assert.Equal(bbr_mode.BBR_PROBE_BW, after.Mode);
        Assert.True(after.Cwnd >= before.Cwnd, $"cwnd {after.Cwnd} after PROBE_RTT, {before.Cwnd} before");
    }

    // tcp_congestion_default (late_initcall) makes CONFIG_DEFAULT_TCP_CONG init_net's default, and
    // tcp_sk_init gives every namespace made afterwards init_net's default of that moment.
    [Fact]
    public void new_namespaces_inherit_init_nets_default_congestion_control()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        Assert.Equal(Vmlinux.CONFIG_DEFAULT_TCP_CONG, ((tcp_congestion_ops)netns_ipv4.of(t.K.init_net).tcp_congestion_control!).name);
        Assert.Equal(Vmlinux.CONFIG_DEFAULT_TCP_CONG, ((tcp_congestion_ops)netns_ipv4.of(a.Net).tcp_congestion_control!).name);

        // sysctl net.ipv4.tcp_congestion_control=bbr in init_net: later namespaces start with bbr, earlier ones keep theirs
        Assert.Equal(0, tcp_cong_c.tcp_set_default_congestion_control(t.K.init_net, "bbr"));
        var b = t.AddHost("B");
        Assert.Equal("bbr", ((tcp_congestion_ops)netns_ipv4.of(b.Net).tcp_congestion_control!).name);
        Assert.Equal(Vmlinux.CONFIG_DEFAULT_TCP_CONG, ((tcp_congestion_ops)netns_ipv4.of(a.Net).tcp_congestion_control!).name);
    }

    // issue 16: struct bbr is laid over icsk_ca_priv as in the kernel, so it must fit ICSK_CA_PRIV_SIZE (104 bytes, the
    // kernel's BUILD_BUG_ON) and its bitfields share their words: a store keeps only the field's width (lt_rtt_cnt:7,
    // full_bw_cnt:2) and leaves its neighbours alone. inet_csk_ca hands out a reference: a write through it is what the
    // next call reads.
    [Fact]
    public void struct_bbr_fits_icsk_ca_priv_its_bitfields_keep_their_widths_and_inet_csk_ca_writes_through()
    {
        Assert.True(System.Runtime.CompilerServices.Unsafe.SizeOf<bbr>() <= inet_connection_sock_h.ICSK_CA_PRIV_SIZE);
        Assert.True(System.Runtime.CompilerServices.Unsafe.SizeOf<bictcp>() <= inet_connection_sock_h.ICSK_CA_PRIV_SIZE);

        var c = KernelNet.Tests.Support.IdleConnection.Open();
        ref var ca = ref inet_connection_sock_h.inet_csk_ca<bbr>(c.Child);
        ca = default;
        ca.mode = bbr_mode.BBR_PROBE_RTT;
        ca.cycle_idx = 2;
        ca.lt_rtt_cnt = 130; // 7 bits: 130 & 127; bit 7 would spill into lt_use_bw
        ca.full_bw_cnt = 5; // 2 bits: 5 & 3; bit 2 would spill into cycle_idx

        var again = inet_connection_sock_h.inet_csk_ca<bbr>(c.Child);
        Assert.Equal(2u, again.lt_rtt_cnt);
        Assert.False(again.lt_use_bw);
        Assert.False(again.lt_is_sampling);
        Assert.Equal(1u, again.full_bw_cnt);
        Assert.False(again.full_bw_reached);
        Assert.Equal(2u, again.cycle_idx);
        Assert.Equal(bbr_mode.BBR_PROBE_RTT, again.mode);
        Assert.Equal(0, again.prev_ca_state);
    }

}
