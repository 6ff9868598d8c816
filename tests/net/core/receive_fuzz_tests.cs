using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Fuzz;
using Xunit;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Core;

/// <summary>
/// The receive-path fuzzer (tools/KernelNet.Scenarios/Fuzz): mutated Ethernet/ARP, 802.1Q,
/// IPv4 (options, fragments), ICMP, UDP and TCP frames into a host with UDP listeners, a TCP
/// listener and live connections; no exception may escape, and after every epoch of 1000
/// frames, once every socket is closed and the machine has run idle, no skb may be live and
/// every slab cache must be back to its count before the epoch. `kernelnet fuzz` runs millions.
/// </summary>
public sealed class receive_fuzz_tests
{
    /// <summary>KERNELNET_FUZZ_FRAMES overrides the suite's count (100,000: about 10 s of CPU).</summary>
    private static long SuiteFrames =>
        long.TryParse(Environment.GetEnvironmentVariable("KERNELNET_FUZZ_FRAMES"), out var n) && n > 0 ? n : 100_000;

    /// <summary>
    /// Seed 7's epoch 89 closed a connection whose release_cb transmitted; the ACK the peer sent back
    /// arrived, in the softirq that transmit ran, while the socket was still owned, and sat on a
    /// backlog nobody drained. 6.18's release_sock keeps bottom halves off (spin_lock_bh) until
    /// ownership is released, so softirq processes such a segment once the socket is free.
    /// </summary>
    [Fact]
    public void an_ack_arriving_while_release_sock_runs_release_cb_is_not_left_on_the_backlog()
    {
        var failure = new ReceiveFuzzer(seed: 7).Replay(89_999, TextWriter.Null);

        Assert.Null(failure?.ToString());
    }

    [Fact]
    public void a_hundred_thousand_mutated_frames_crash_nothing_and_leave_no_skb_or_slab_object_behind()
    {
        var fuzzer = new ReceiveFuzzer(seed: 1);
        var frames = SuiteFrames;

        var failure = fuzzer.Run(frames);

        Assert.Null(failure?.ToString());
        Assert.Equal(frames, fuzzer.Stats.Frames);

        // The frames reach every layer: link (OTHERHOST), IP header checks, options, reassembly,
        // ICMP, UDP and TCP's sequence, flag, timestamp and option checks.
        if (frames >= 100_000)
        {
            foreach (var r in new[] { "OTHERHOST", "IP_CSUM", "IP_INHDR", "PKT_TOO_SMALL", "FRAG_REASM_TIMEOUT", "DUP_FRAG", "ICMP_CSUM", "UDP_CSUM", "NO_SOCKET", "TCP_CSUM", "TCP_FLAGS", "TCP_INVALID_SEQUENCE", "TCP_OLD_SEQUENCE", "TCP_RFC7323_PAWS", "TCP_ACK_UNSENT_DATA", "TCP_RESET", "TCP_OFOMERGE" })
            {
                Assert.True(fuzzer.Stats.DropReasons.ContainsKey(r), $"no {r} drop in {frames} frames: {string.Join(", ", fuzzer.Stats.DropReasons.Keys)}");
            }
        }
    }

    [Fact]
    public void a_seed_gives_the_same_frames_every_time()
    {
        static List<string> Frames(ulong seed)
        {
            var addrs = new FuzzAddresses(new byte[] { 2, 0, 0, 0, 0, 2 }, new byte[] { 2, 0, 0, 0, 0, 1 }, 0x0a000002, 0x0a000001, 0x0a000502, 0x0a000501, 5);
            var gen = new FrameGenerator(new FuzzRandom(seed), addrs);
            var conns = new[] { new LiveConnection(0x0a000002, 80, 0x0a000001, 40000, 1000, 5000, 5300, 65535, 77, false) };
            return Enumerable.Range(0, 500).Select(_ => Convert.ToHexString(gen.Next(conns))).ToList();
        }

        Assert.Equal(Frames(7), Frames(7));
        Assert.NotEqual(Frames(7), Frames(8));
    }

    [Fact]
    public void a_leaked_skb_is_reported_with_the_seed_and_the_frame_that_leaked_it()
    {
        var fuzzer = new ReceiveFuzzer(seed: 3, epochFrames: 200)
        {
            // a planted bug: one skb allocated after frame 1234 and never freed
            AfterFrame = (k, i) =>
            {
                if (i == 1234)
                {
                    _ = __alloc_skb(k, 128, 0);
                }
            },
        };

        var failure = fuzzer.Run(1400);

        Assert.NotNull(failure);
        Assert.Equal(3UL, failure!.Seed);
        Assert.Equal(1234, failure.Frame);
        Assert.StartsWith("leak: 1 skb(s) live", failure.Message, StringComparison.Ordinal);
        Assert.Contains("--replay 3:1234", failure.ToString(), StringComparison.Ordinal);
    }
}
