using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Tests.Support.ProcNet;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// TCP loss recovery (tcp_input.c's SACK scoreboard and state machine,
/// tcp_recovery.c's RACK, tcp_output.c's loss probe) against a scripted peer
/// on B that permits SACK and reports what it holds in SACK blocks
/// (tests/Support/TcpPeer). A's veth has TSO off, so the peer sees each
/// 1460-byte segment on its own.
/// </summary>
public sealed class tcp_recovery_tests
{
    private const int Mss = 1460;

    /// <summary>What the client on A did: its sock and the values it noted.</summary>
    private sealed class Client
    {
        public sock? Sk { get; set; }

        public long Connect { get; set; } = 1;

        public Dictionary<string, long> Notes { get; } = new();

        public tcp_sock Tp => KernelNet.Kernel.Include.Linux.tcp_h.tcp_sk(Sk!);

        public byte CaState => inet_connection_sock_h.inet_csk(Sk!).icsk_ca_state;
    }

    /// <summary>A connects from 10.0.0.1:7000 to the SACK-permitting peer at 10.0.0.2:9000 and runs <paramref name="script"/>; tcp:tcp_cong_state_set and tcp:tcp_retransmit_skb are traced.</summary>
    private static (TwoHosts Net, TcpPeer Peer, Client C) Run(Func<Libc, int, Client, Task> script, Func<TcpPeer, TcpSegment, Task> onSegment, long runNs = 2_000_000_000, string? congestion = null)
    {
        var net = TwoHosts.OnVeth();
        net.VethA.features &= ~netdev_features_h.NETIF_F_ALL_TSO;
        var peer = TcpPeer.Start(net, onSegment, runNs, sack: true);
        var c = new Client();
        SimTask? task = null;
        task = net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, Libc.IPPROTO_TCP);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.1:7000")));
            if (congestion is not null)
            {
                Assert.Equal(0, await libc.SetSockOpt(fd, Libc.IPPROTO_TCP, Libc.TCP_CONGESTION, System.Text.Encoding.ASCII.GetBytes(congestion)));
            }

            c.Connect = await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:9000"));
            c.Sk = ((socket)net.T.K.task_of(task!).files[fd]).sk;
            c.Sk!.sk_net.k.trace.set_event("tcp:tcp_cong_state_set");
            c.Sk!.sk_net.k.trace.set_event("tcp:tcp_retransmit_skb");
            await script(libc, fd, c);
        });
        net.T.Run(runNs);
        Assert.Equal(0, c.Connect);
        return (net, peer, c);
    }

    private static byte[] Bytes(int n) => Enumerable.Repeat((byte)'x', n).ToArray();

    private static List<TcpSegment> Data(TcpPeer peer) => peer.Seen.Where(s => s.PayloadLength > 0).ToList();

    /// <summary>The cong_state= values tcp:tcp_cong_state_set printed, in order.</summary>
    private static List<string> CongStates(TwoHosts net) =>
        net.T.K.trace.entries.Where(e => e.Event == "tcp_cong_state_set").Select(e => e.Text[(e.Text.LastIndexOf('=') + 1)..]).ToList();

    // Ten segments (IW10) leave at once and the first is lost. Each later segment draws a duplicate ACK
    // with a SACK block. The first SACK only puts the sender in Disorder (RACK waits a reordering window,
    // min_rtt/4, before it calls the hole lost); by the third, sacked_out reaches tp->reordering (3), RACK's
    // window drops to zero and the head is marked lost: Recovery (TCPSackRecovery), and PRR's first step
    // sends the fast retransmit (TCPFastRetrans) at once — no RTO. When the retransmission is acked the
    // reduction ends at CUBIC's ssthresh (10 x 717/1024 = 7) and the state is Open again.
    // The socket selects cubic (TCP_CONGESTION) as a program must on this machine, whose default is bbr.
    // SACK shifting (tcp_shift_skb_data): the ten segments leave as one GSO skb whose bytes are one frag
    // of the task's 32 KiB frag page. The first SACK finds no SACKed skb before the part it covers, so
    // it falls back (TCPSackShiftFallback) and tcp_match_skb_to_sack cuts the skb; from then on each
    // newly SACKed segment's bytes move onto the SACKed skb before it — the frags continue each other in
    // the page, so they merge into one — as a partial shift (TCPSackShifted) while the source keeps
    // unSACKed segments, and as a merge that frees the emptied source (TCPSackMerged) otherwise. When the
    // head is retransmitted the queue holds it and one skb of nine SACKed segments in a single frag.
    [Fact]
    public void sacked_segments_merge_into_the_sacked_skb_before_them()
    {
        var at_retransmit = new Dictionary<string, long>();
        Client? client = null;
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                client = c;
                await libc.SendTo(fd, Bytes(10 * Mss), 0, null);
                await libc.Sleep(500_000_000);
            },
            async (peer, seg) =>
            {
                var base0 = peer.ClientIsn + 1;
                if (seg.PayloadLength == 0)
                {
                    return;
                }

                if (seg.Seq == base0)
                {
                    if (peer.Seen.Count(s => s.PayloadLength > 0 && s.Seq == base0) > 1)
                    {
                        var q = client!.Tp.tcp_rtx_queue;
                        at_retransmit["qlen"] = q.qlen;
                        at_retransmit["pcount"] = KernelNet.Kernel.Include.Net.tcp_h.tcp_skb_pcount(q.last!);
                        at_retransmit["len"] = q.last!.len;
                        at_retransmit["nr_frags"] = q.last!.shinfo.nr_frags;
                        at_retransmit["headlen"] = skbuff_h.skb_headlen(q.last!);
                        await peer.Ack(base0 + (10 * Mss));
                    }

                    return;
                }

                await peer.AckSack(base0, (base0 + Mss, seg.EndSeq));
            });

        Assert.Equal(11, Data(peer).Count);
        Assert.Equal(2, at_retransmit["qlen"]);
        Assert.Equal(9, at_retransmit["pcount"]);
        Assert.Equal(9 * Mss, at_retransmit["len"]);
        Assert.Equal(1, at_retransmit["nr_frags"]);
        Assert.Equal(0, at_retransmit["headlen"]);
        Assert.Equal("2", Netstat(net.A, "TcpExt", "TCPSackShiftFallback"));
        Assert.Equal("6", Netstat(net.A, "TcpExt", "TCPSackShifted"));
        Assert.Equal("2", Netstat(net.A, "TcpExt", "TCPSackMerged"));
        Assert.Equal(0u, c.Tp.sacked_out);
    }

    [Fact]
    public void a_third_SACKed_duplicate_ACK_enters_recovery_and_retransmits_the_head()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(10 * Mss), 0, null);
                await libc.Sleep(500_000_000);
                c.Notes["ca_state"] = c.CaState;
                c.Notes["cwnd"] = c.Tp.snd_cwnd;
                c.Notes["ssthresh"] = c.Tp.snd_ssthresh;
                c.Notes["sacked_out"] = c.Tp.sacked_out;
                c.Notes["lost_out"] = c.Tp.lost_out;
                c.Notes["retrans_out"] = c.Tp.retrans_out;
                c.Notes["rate_delivered"] = c.Tp.rate_delivered;
                c.Notes["rate_interval_us"] = c.Tp.rate_interval_us;
                c.Notes["min_rtt"] = c.Tp.rtt_min;
                var info = new KernelNet.Kernel.Include.Uapi.Linux.tcp_info();
                KernelNet.Kernel.Net.Ipv4.tcp_c.tcp_get_info(c.Sk!, info);
                c.Notes["delivery_rate"] = (long)info.tcpi_delivery_rate;
            },
            async (peer, seg) =>
            {
                var base0 = peer.ClientIsn + 1;
                if (seg.PayloadLength == 0)
                {
                    return;
                }

                if (seg.Seq == base0)
                {
                    // the original of segment 0 is lost; its retransmission is acked with everything
                    if (peer.Seen.Count(s => s.PayloadLength > 0 && s.Seq == base0) > 1)
                    {
                        await peer.Ack(base0 + (10 * Mss));
                    }

                    return;
                }

                await peer.AckSack(base0, (base0 + Mss, seg.EndSeq));
            },
            congestion: "cubic");

        var data = Data(peer);
        Assert.Equal(11, data.Count);
        var original = data[0];
        var retrans = data[10];
        Assert.Equal(original.Seq, retrans.Seq);

        // sent on the third SACK, well before RACK's 2 ms minimum timer and the 200 ms RTO
        var thirdSack = peer.AcksSent[2].AtNs;
        Assert.InRange(retrans.AtNs - thirdSack, 0, 1_000_000);
        Assert.True(retrans.AtNs - peer.AcksSent[1].AtNs > 0, "not before the third SACK");

        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPSackRecovery"));
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPFastRetrans"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPTimeouts"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPLossProbes"));
        Assert.Equal("1", Snmp(net.A, "Tcp", "RetransSegs"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPSACKReorder"));

        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_Open, c.Notes["ca_state"]);
        Assert.Equal(7, c.Notes["cwnd"]);
        Assert.Equal(7, c.Notes["ssthresh"]);
        Assert.Equal(0, c.Notes["sacked_out"]);
        Assert.Equal(0, c.Notes["lost_out"]);
        Assert.Equal(0, c.Notes["retrans_out"]);

        // Disorder on the first SACK, Recovery on the third, Open when the retransmission is acked
        Assert.Equal(new[] { "1", "3", "0" }, CongStates(net));

        // the rate sampler: the last sample's segments over an interval no shorter than min_rtt, as TCP_INFO reports it
        Assert.True(c.Notes["rate_delivered"] > 0, "a delivery rate sample was taken");
        Assert.True(c.Notes["rate_interval_us"] >= c.Notes["min_rtt"], $"interval {c.Notes["rate_interval_us"]} us, min_rtt {c.Notes["min_rtt"]} us");
        Assert.Equal(c.Notes["rate_delivered"] * Mss * 1_000_000L / c.Notes["rate_interval_us"], c.Notes["delivery_rate"]);
        var traced = net.T.K.trace.entries.Single(e => e.Event == "tcp_retransmit_skb");
        Assert.EndsWith("state=TCP_ESTABLISHED err=0", traced.Text, StringComparison.Ordinal);
    }

    // A lone segment at the tail goes unacknowledged. The SACK connection in Open arms a tail loss probe
    // (tcp_schedule_loss_probe) instead of the RTO: 2 x srtt plus TCP_RTO_MIN with one segment out (the
    // peer may be delaying its ACK), but no later than the RTO would fire — over veth's microsecond RTT
    // that is the RTO's own time, 200 ms + srtt, rounded up to the 4 ms jiffy. The probe resends the last
    // segment (TCPLossProbes), with no timeout counted and no Loss state; its ACK ends the episode.
    [Fact]
    public void a_lost_tail_segment_is_resent_by_a_loss_probe_instead_of_the_RTO()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(100), 0, null);
                await libc.Sleep(50_000_000);
                c.Notes["rto"] = inet_connection_sock_h.inet_csk(c.Sk!).icsk_rto;
                await libc.SendTo(fd, Bytes(100), 0, null);
                c.Notes["pending"] = inet_connection_sock_h.inet_csk(c.Sk!).icsk_pending;
                await libc.Sleep(500_000_000);
                c.Notes["ca_state"] = c.CaState;
                c.Notes["tlp_high_seq"] = c.Tp.tlp_high_seq;
                c.Notes["packets_out"] = c.Tp.packets_out;
            },
            async (peer, seg) =>
            {
                var base0 = peer.ClientIsn + 1;
                if (seg.PayloadLength == 0)
                {
                    return;
                }

                // the first segment is acked at once; the second only when it comes again
                if (seg.Seq == base0 || peer.Seen.Count(s => s.PayloadLength > 0 && s.Seq == seg.Seq) > 1)
                {
                    await peer.Ack(seg.EndSeq);
                }
            });

        Assert.Equal(inet_connection_sock_h.ICSK_TIME_LOSS_PROBE, c.Notes["pending"]);
        var data = Data(peer);
        Assert.Equal(3, data.Count);
        Assert.Equal(data[1].Seq, data[2].Seq);
        var rtoNs = c.Notes["rto"] * 1_000_000_000L / KernelNet.Kernel.Vmlinux.HZ;
        var pto = data[2].AtNs - data[1].AtNs;
        Assert.InRange(pto, 200_000_000, rtoNs + 4_000_000);

        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPLossProbes"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPTimeouts"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPLossProbeRecovery"));
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_Open, c.Notes["ca_state"]);
        Assert.Equal(0, c.Notes["packets_out"]);
        Assert.Empty(CongStates(net));
        Assert.Single(net.T.K.trace.entries, e => e.Event == "tcp_retransmit_skb");
    }

    // Delay, not loss: segment 0 is held up in the network. The SACKs of segments 1-9 send the sender
    // into Recovery and the fast retransmission goes out; its ACK reaches high_seq, which ends Recovery
    // with cwnd at ssthresh (no undo: nothing shows yet that the retransmission was needless). Then the
    // delayed original arrives as a duplicate and the peer reports it in a D-SACK block below the ACK
    // (TCPDSACKRecv). With nothing left in flight, tcp_ack's no_queue path still runs the state machine
    // for a D-SACK: the one retransmission is counted off (undo_retrans 0) and tcp_try_undo_dsack restores
    // cwnd and ssthresh (TCPDSACKUndo) — ssthresh to the infinity of slow start.
    [Fact]
    public void a_DSACK_of_the_only_retransmission_undoes_the_cwnd_reduction()
    {
        var (net, peer, c) = Run(
            async (libc, fd, c) =>
            {
                await libc.SendTo(fd, Bytes(10 * Mss), 0, null);
                await libc.Sleep(500_000_000);
                c.Notes["ca_state"] = c.CaState;
                c.Notes["cwnd"] = c.Tp.snd_cwnd;
                c.Notes["ssthresh"] = c.Tp.snd_ssthresh;
                c.Notes["undo_marker"] = c.Tp.undo_marker;
            },
            async (peer, seg) =>
            {
                var base0 = peer.ClientIsn + 1;
                if (seg.PayloadLength == 0)
                {
                    return;
                }

                if (seg.Seq == base0)
                {
                    // the retransmission fills the hole; 1 ms later the delayed original arrives: D-SACK it
                    if (peer.Seen.Count(s => s.PayloadLength > 0 && s.Seq == base0) > 1)
                    {
                        await peer.Ack(base0 + (10 * Mss));
                        await peer.Sleep(1_000_000);
                        await peer.AckSack(base0 + (10 * Mss), (base0, base0 + Mss));
                    }

                    return;
                }

                await peer.AckSack(base0, (base0 + Mss, seg.EndSeq));
            });

        Assert.Equal(11, Data(peer).Count);
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPSackRecovery"));
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPDSACKRecv"));
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPDSACKRecvSegs"));
        Assert.Equal("1", Netstat(net.A, "TcpExt", "TCPDSACKUndo"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPFullUndo"));
        Assert.Equal("0", Netstat(net.A, "TcpExt", "TCPTimeouts"));

        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_CA_Open, c.Notes["ca_state"]);
        Assert.Equal(KernelNet.Kernel.Include.Net.tcp_h.TCP_INFINITE_SSTHRESH, (uint)c.Notes["ssthresh"]);
        Assert.True(c.Notes["cwnd"] >= 10, $"cwnd {c.Notes["cwnd"]} restored to at least the 10 before recovery");
        Assert.Equal(0, c.Notes["undo_marker"]);
        Assert.Equal(new[] { "1", "3", "0" }, CongStates(net));
    }
}
