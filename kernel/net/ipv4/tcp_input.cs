// Ports net/ipv4/tcp_input.c: what a TCP socket does with a segment — the
// three-way handshake: a listener's SYN (tcp_conn_request: a request sock
// and the SYN-ACK, a Fast Open child, or a SYN cookie once the SYN queue is
// full), SYN_SENT's SYN-ACK (tcp_finish_connect and the ACK) or
// RST (tcp_reset), SYN_RECV's ACK, and the option parsing they need
// (tcp_parse_options: MSS, window scale, timestamps, SACK-permitted); the
// acknowledgement of what was sent: tcp_ack (the send window, the old-ACK
// and SEG.ACK > SND.NXT challenge ACKs of RFC 5961 as 6.18-stable sends
// them, TCPPureAcks, ts_recent), tcp_clean_rtx_queue (TX-9: the acked skbs
// freed, TCPDelivered, tcp_remove_reno_sacks; a GSO skb acked in part is
// trimmed by tcp_tso_acked), the RTT estimator
// (tcp_ack_update_rtt from the ACK's timing or the echoed timestamp,
// tcp_synack_rtt_meas for a passive open, tcp_rtt_estimator, tcp_set_rto, a
// one-sample min-RTT), tcp_rearm_rto, tcp_cong_control/tcp_cong_avoid into
// the congestion module, the pacing rate TSO autosizing reads
// (tcp_update_pacing_rate),
// tcp_ack_probe; loss recovery: the sender's SACK scoreboard
// (tcp_sacktag_write_queue and its walk, D-SACK detection, reordering
// detection, SACK reneging), the NewReno/SACK state machine
// (tcp_fastretrans_alert: Open, Disorder, CWR, Recovery, Loss; Reno's
// duplicate-ACK counting; limited transmit falls out of the in-flight
// count), PRR (tcp_cwnd_reduction), undo by D-SACK or timestamps
// (tcp_try_undo_*), the Loss state after an RTO with F-RTO (tcp_enter_loss,
// tcp_process_loss), tcp_process_tlp_ack for loss probes, and
// tcp_xmit_recovery; waking writers (tcp_check_space, tcp_new_space,
// send-buffer autotuning tcp_sndbuf_expand), tcp_data_snd_check; the close: the
// peer's FIN (tcp_data_queue queues it, tcp_fin moves the state: CLOSE_WAIT,
// CLOSING, TIME_WAIT), the ACK of our FIN in FIN_WAIT1 (FIN_WAIT2, then the
// timewait sock), CLOSING and LAST_ACK, and whether an ACK is sent now or
// delayed (tcp_ack_snd_check). The receive side of an established
// connection: tcp_rcv_established with header prediction (the fast path for
// pure ACKs and in-order data, TCPHPHits) and the slow path;
// tcp_validate_incoming (PAWS with the disordered-ACK exception, the
// sequence window and its dupacks, RST and SYN with RFC 5961 challenge ACKs,
// rate limited by tcp_invalid_ratelimit), the 6.18-stable challenge ACK for
// an ACK of unsent data (upstream 42726ec644cb); tcp_data_queue (in order,
// old, partly old, beyond the window, zero window), the out-of-order queue
// (tcp_data_queue_ofo, tcp_ofo_queue) with SACK and D-SACK blocks
// (tcp_sack_new_ofo_skb, tcp_sack_remove, tcp_dsack_set); the delayed-ACK
// engine (tcp_event_data_recv, tcp_measure_rcv_mss, quick-ACK mode,
// __tcp_ack_snd_check); receive memory (tcp_try_rmem_schedule) and
// autotuning (tcp_rcv_rtt_*, tcp_rcv_space_adjust, tcp_rcvbuf_grow,
// tcp_grow_window, tcp_init_buffer_space); tcp_fin with data before it.
// Traces tcp_probe, tcp_rcv_space_adjust, tcp_rcvbuf_grow.
//
// Segments coalesce in the queues (tcp_try_coalesce, TCPRcvCoalesce) when
// the tail skb's tailroom holds them or their page frags can be handed over.
//
// not ported yet: pruning under memory pressure
// (tcp_prune_queue, tcp_prune_ofo_queue, tcp_collapse), compressed SACKs
// (their hrtimer: every ofo ACK goes at once), the deferred ACK of an owned
// socket (TCP_ACK_DEFERRED), the retransmit hint
// (the walks start at the head), ECN beyond the handshake (CE marks, ECE echo, CWR) and AccECN, urgent data beyond tcp_urg (MSG_OOB reads, SIGURG), the FIN_WAIT2 timer of an
// orphan (tcp_fin_time over TCP_TIMEWAIT_LEN, or a FIN_WAIT2 reached while the
// socket is owned: it waits). Data after our close resets (TCPAbortOnData).
// not ported: tcp_data_ecn_check, tcp_ecn_accept_cwr, tcp_ecn_queue_cwr, tcp_ecn_rcv_ecn_echo,
//   tcp_ecn_withdraw_cwr — RFC 3168 ECN after the handshake is not ported: a CE mark is not echoed, an ECE
//   does not reduce cwnd, and no CWR is queued (only a qdisc's verdict enters CWR, in __tcp_transmit_skb)
// not ported: tcp_prune_queue, tcp_prune_ofo_queue — pruning under receive-memory pressure is not ported
// not ported: tcp_init_metrics, tcp_update_metrics — the metrics cache keeps no RTT/cwnd/ssthresh (only Fast
//   Open's), so nothing is seeded at connect or saved at close
// not ported: tcp_try_undo_spurious_syn — a spurious SYN or SYN-ACK timeout (the ACK echoes the first SYN's
//   timestamp) leaves undo_marker set
// not ported: smc_check_reset_syn, smc_parse_options — no SMC (AF_SMC is not ported): the SMC experimental
//   option is never sent or looked for
// not ported: tcp_accecn_opt_demand_min, tcp_accecn_option_init, tcp_accecn_process,
//   tcp_accecn_saw_opt_fail_recv, tcp_accecn_third_ack, tcp_ca_needs_accecn, tcp_count_delivered_ce,
//   tcp_ecn_mode_accecn, tcp_ecn_received_counters, tcp_ecn_received_counters_payload, tcp_send_ack_reflect_ect
//   — AccECN (RFC 9768) negotiation is not ported: a connection is RFC 3168 ECN or none
// not ported: tcp_ao_established, tcp_ao_finish_connect, tcp_rcv_sne_update, tcp_snd_sne_update — no TCP-AO
//   (RFC 5925): TCP_AO_ADD_KEY is not ported, so no socket or request has an AO key
// not ported: bpf_skops_established, bpf_skops_parse_hdr, tcp_bpf_rtt — no BPF sock_ops programs can be
//   attached in the simulation
// not ported: mptcp_incoming_options, sk_is_mptcp — no MPTCP: IPPROTO_MPTCP is not ported, every socket is
//   plain TCP
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_input_c
{
    /// <summary>TCP_TIMEOUT_MIN: 2 jiffies.</summary>
    private const ulong TCP_TIMEOUT_MIN = 2;

    /// <summary>TCP_MAX_QUICKACKS: the most ACKs quick-ACK mode sends at once.</summary>
    private const uint TCP_MAX_QUICKACKS = 16;

    /// <summary>TCP_MIN_MSS.</summary>
    private const int TCP_MIN_MSS = 88;

    /// <summary>TCP_NUM_SACKS: the SACK blocks we remember.</summary>
    private const int TCP_NUM_SACKS = 4;

    /// <summary>TCP_SACK_BLOCKS_EXPECTED: past this many blocks a compressed SACK is flushed first.</summary>
    private const int TCP_SACK_BLOCKS_EXPECTED = 2;

    /// <summary>TCP_FASTRETRANS_THRESH: dupacks before the sender retransmits; that many ofo ACKs go out uncompressed.</summary>
    private const int TCP_FASTRETRANS_THRESH = 3;

    /// <summary>TCP_PAWS_WINDOW: the replay window of the PAWS test on the established path.</summary>
    private const int TCP_PAWS_WINDOW = 1;

    /// <summary>TCP_PAWS_WRAP: seconds after which ts_recent is too old to judge by (INT_MAX / USEC_PER_SEC).</summary>
    private const long TCP_PAWS_WRAP = int.MaxValue / 1_000_000;

    /// <summary>TCP_REMNANT: the flags of a segment that may legitimately be short (FIN, URG, SYN, PSH), in tcp_flag_word's host order.</summary>
    private const uint TCP_REMNANT = 0x00010000 | 0x00200000 | 0x00020000 | 0x00080000;

    /// <summary>TCP_HP_BITS: the bits of tcp_flag_word header prediction compares — all but the reserved ones and PSH.</summary>
    private const uint TCP_HP_BITS = ~(0x0E000000u | 0x00080000u);

    // not ported: tcp_hdr — the header is read through the port's parsed tcphdr (skb.tcp_header / a local th)
    // not ported: skb_transport_header — the header is read through the port's parsed tcphdr
    // net/ipv4/tcp_input.c: tcp_measure_rcv_mss
    /// <summary>
    /// Learns the peer's segment size from what arrives (icsk_ack.rcv_mss),
    /// which decides when an ACK is owed at once; a full segment also resets
    /// the len/truesize scaling ratio the window is computed with. A short
    /// one with PSH asks the reader's cleanup for an ACK (ICSK_ACK_PUSHED).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_measure_rcv_mss(sock sk, sk_buff skb)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var lss = icsk.icsk_ack_last_seg_size;

        icsk.icsk_ack_last_seg_size = 0;

        // a GSO skb (from a veth or lo peer, or a tun writer) stands for segments of gso_size
        var len = skb.shinfo.gso_size != 0 ? skb.shinfo.gso_size : (uint)skb.len;
        if (len >= icsk.icsk_ack_rcv_mss)
        {
            if (len != icsk.icsk_ack_rcv_mss)
            {
                var val = (ulong)skb.len << TCP_RMEM_TO_WIN_SCALE;
                var old_ratio = tp.scaling_ratio;

                val /= skb.truesize;
                tp.scaling_ratio = val != 0 ? (byte)System.Math.Min(val, 255) : (byte)1;

                if (old_ratio != tp.scaling_ratio)
                {
                    var win = tcp_win_from_space(sk, sk.sk_rcvbuf);
                    tcp_c.tcp_set_window_clamp(sk, win);

                    if (tp.window_clamp < tp.rcvq_space.space)
                    {
                        tp.rcvq_space.space = tp.window_clamp;
                    }
                }
            }

            icsk.icsk_ack_rcv_mss = (ushort)System.Math.Min(len, tp.advmss);

            if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_PSH) != 0)
            {
                icsk.icsk_ack_pending |= ICSK_ACK_PUSHED;
            }
        }
        else
        {
            // The same test on the whole segment with its header, as SACK blocks make the option length vary.
            len += (uint)(skb.data - skb.transport_header);
            if (len >= TCP_MSS_DEFAULT + tcphdr.Size ||
                (len >= TCP_MIN_MSS + tcphdr.Size && (Include.Uapi.Linux.tcp_h.tcp_flag_word(skb) & TCP_REMNANT) == 0))
            {
                len -= tp.tcp_header_len;
                icsk.icsk_ack_last_seg_size = (ushort)len;
                if (len == lss)
                {
                    icsk.icsk_ack_rcv_mss = (ushort)len;
                    return;
                }
            }

            if ((icsk.icsk_ack_pending & ICSK_ACK_PUSHED) != 0)
            {
                icsk.icsk_ack_pending |= ICSK_ACK_PUSHED2;
            }

            icsk.icsk_ack_pending |= ICSK_ACK_PUSHED;
        }
    }

    // net/ipv4/tcp_input.c: tcp_incr_quickack
    /// <summary>Quick-ACK credit: half the window in segments, at least 2, at most <paramref name="max_quickacks"/>.</summary>
    private static void tcp_incr_quickack(sock sk, uint max_quickacks)
    {
        var icsk = inet_csk(sk);
        var rcv_mss = System.Math.Max(1U, icsk.icsk_ack_rcv_mss);
        var quickacks = tcp_sk(sk).rcv_wnd / (2 * rcv_mss);

        if (quickacks == 0)
        {
            quickacks = 2;
        }

        quickacks = System.Math.Min(quickacks, max_quickacks);
        if (quickacks > icsk.icsk_ack_quick)
        {
            icsk.icsk_ack_quick = (byte)quickacks;
        }
    }

    // net/ipv4/tcp_input.c: tcp_enter_quickack_mode
    /// <summary>ACK every segment for a while, leaving interactive (pingpong) mode; ato back to its minimum.</summary>
    public static void tcp_enter_quickack_mode(sock sk, uint max_quickacks)
    {
        var icsk = inet_csk(sk);

        tcp_incr_quickack(sk, max_quickacks);
        inet_csk_exit_pingpong_mode(sk);
        icsk.icsk_ack_ato = TCP_ATO_MIN;
    }

    // net/ipv4/tcp_input.c: tcp_in_quickack_mode
    /// <summary>Quick-ACK credit is left and the connection is not interactive (no per-route quickack: dst_quick_ack is 0).</summary>
    private static bool tcp_in_quickack_mode(sock sk)
    {
        var icsk = inet_csk(sk);
        return icsk.icsk_ack_quick != 0 && !inet_csk_in_pingpong_mode(sk);
    }

    // net/ipv4/tcp_input.c: __tcp_grow_window
    /// <summary>For a segment whose truesize overhead is large: grow only while rcv_ssthresh is small enough that such segments still fit tcp_rmem[2].</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int __tcp_grow_window(sock sk, sk_buff skb, uint skbtruesize)
    {
        var tp = tcp_sk(sk);
        var truesize = tcp_win_from_space(sk, (int)skbtruesize) >> 1;
        var window = tcp_win_from_space(sk, Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_rmem[2]) >> 1;

        while (tp.rcv_ssthresh <= window)
        {
            if (truesize <= skb.len)
            {
                return 2 * inet_csk(sk).icsk_ack_rcv_mss;
            }

            truesize >>= 1;
            window >>= 1;
        }

        return 0;
    }

    // not ported: tcp_under_memory_pressure — the simulation never enters TCP memory pressure
    //   (tcp_memory_pressure stays 0), so the branch it guards never runs
    // not ported: tcp_adjust_rcv_ssthresh — the receiver-side ssthresh clamp under memory pressure: the
    //   simulation never enters TCP memory pressure
    // net/ipv4/tcp_input.c: tcp_grow_window
    /// <summary>
    /// Slow start of the offered window: rcv_ssthresh grows by at least two
    /// segments while the buffer has room and segments use their truesize
    /// well. Memory pressure (tcp_adjust_rcv_ssthresh) is not ported.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_grow_window(sock sk, sk_buff skb, bool adjust)
    {
        var tp = tcp_sk(sk);
        var room = System.Math.Min((int)tp.window_clamp, tcp_space(sk)) - (int)tp.rcv_ssthresh;

        if (room <= 0)
        {
            return;
        }

        // not ported: truesize_adjust — no skb here carries page-pool frags whose truesize 6.18 discounts
        var truesize = skb.truesize;
        _ = adjust;
        int incr;

        if (tcp_win_from_space(sk, (int)truesize) <= skb.len)
        {
            incr = 2 * tp.advmss;
        }
        else
        {
            incr = __tcp_grow_window(sk, skb, truesize);
        }

        if (incr != 0)
        {
            incr = System.Math.Max(incr, 2 * (int)skb.len);
            tp.rcv_ssthresh += (uint)System.Math.Min(room, incr);
            inet_csk(sk).icsk_ack_quick |= 1;
        }
    }

    // net/ipv4/tcp_input.c: tcp_init_buffer_space
    /// <summary>
    /// Right after the connection is established: the window clamp keeps
    /// 1/2^tcp_app_win of the buffer for the application (and one segment in
    /// reserve), and autotuning's first measure starts from ten segments;
    /// the send buffer grows for the initial window unless SO_SNDBUF fixed it.
    /// </summary>
    private static void tcp_init_buffer_space(sock sk)
    {
        var tcp_app_win = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_app_win;
        var tp = tcp_sk(sk);

        tcp_output_c.tcp_mstamp_refresh(tp);
        tp.rcvq_space.time = tp.tcp_mstamp;
        tp.rcvq_space.seq = tp.copied_seq;

        if ((sk.sk_userlocks & SOCK_SNDBUF_LOCK) == 0)
        {
            tcp_sndbuf_expand(sk);
        }

        var maxwin = (uint)tcp_full_space(sk);

        if (tp.window_clamp >= maxwin)
        {
            tp.window_clamp = maxwin;

            if (tcp_app_win != 0 && maxwin > 4U * tp.advmss)
            {
                tp.window_clamp = System.Math.Max(maxwin - (maxwin >> tcp_app_win), 4U * tp.advmss);
            }
        }

        // keep one segment's worth in reserve
        if (tcp_app_win != 0 && tp.window_clamp > 2U * tp.advmss && tp.window_clamp + tp.advmss > maxwin)
        {
            tp.window_clamp = System.Math.Max(2U * tp.advmss, maxwin - tp.advmss);
        }

        tp.rcv_ssthresh = System.Math.Min(tp.rcv_ssthresh, tp.window_clamp);
        tp.snd_cwnd_stamp = tcp_jiffies32(sk);
        tp.rcvq_space.space = System.Math.Min(System.Math.Min(tp.rcv_ssthresh, tp.rcv_wnd), (uint)TCP_INIT_CWND * tp.advmss);
    }

    // net/ipv4/tcp_input.c: tcp_initialize_rcv_mss
    /// <summary>A first, low guess of the peer's MSS (between 88 and 536), until tcp_measure_rcv_mss sees real segments.</summary>
    public static void tcp_initialize_rcv_mss(sock sk)
    {
        var tp = tcp_sk(sk);
        var hint = System.Math.Min(tp.advmss, tp.mss_cache);

        hint = System.Math.Min(hint, tp.rcv_wnd / 2);
        hint = System.Math.Min(hint, TCP_MSS_DEFAULT);
        hint = System.Math.Max(hint, TCP_MIN_MSS);

        inet_csk(sk).icsk_ack_rcv_mss = (ushort)hint;
    }

    // net/ipv4/tcp_input.c: tcp_rcv_rtt_update
    /// <summary>Feeds one RTT sample (us) to the receiver's estimate: the minimum, or (with timestamps) a smoothed value.</summary>
    private static void tcp_rcv_rtt_update(tcp_sock tp, uint sample, int win_dep)
    {
        var old_sample = tp.rcv_rtt_est.rtt_us;
        var m = (long)sample << 3;
        uint new_sample;

        if (old_sample == 0 || m < old_sample)
        {
            new_sample = (uint)m;
        }
        else
        {
            // without timestamps only a new minimum counts, and only with the queue drained
            if (win_dep != 0)
            {
                return;
            }

            if (tp.rcv_nxt != tp.copied_seq)
            {
                return;
            }

            new_sample = old_sample - (old_sample >> 3) + sample;
        }

        tp.rcv_rtt_est.rtt_us = new_sample;
    }

    // not ported: tcp_stamp_us_delta — written out as the difference of the two microsecond stamps
    // net/ipv4/tcp_input.c: tcp_rcv_rtt_measure
    /// <summary>Without timestamps: the time it takes the peer to fill one window is an RTT sample.</summary>
    private static void tcp_rcv_rtt_measure(tcp_sock tp)
    {
        if (tp.rcv_rtt_est.time == 0)
        {
            goto new_measure;
        }

        if (before(tp.rcv_nxt, tp.rcv_rtt_est.seq))
        {
            return;
        }

        var delta_us = (uint)(tp.tcp_mstamp - tp.rcv_rtt_est.time);
        if (delta_us == 0)
        {
            delta_us = 1;
        }

        tcp_rcv_rtt_update(tp, delta_us, 1);

    new_measure:
        tp.rcv_rtt_est.seq = tp.rcv_nxt + tp.rcv_wnd;
        tp.rcv_rtt_est.time = tp.tcp_mstamp;
    }

    // net/ipv4/tcp_input.c: tcp_rtt_tsopt_us
    /// <summary>The RTT the echoed timestamp tells, in us (-1 if absurd).</summary>
    private static int tcp_rtt_tsopt_us(tcp_sock tp, uint min_delta)
    {
        var delta = tcp_time_stamp_ts(tp) - tp.rx_opt.rcv_tsecr;
        if (tp.tcp_usec_ts)
        {
            return (int)delta;
        }

        if (delta < int.MaxValue / 1000)
        {
            if (delta == 0)
            {
                delta = min_delta;
            }

            return (int)(delta * 1000);
        }

        return -1;
    }

    // net/ipv4/tcp_input.c: tcp_rcv_rtt_measure_ts
    /// <summary>With timestamps: a full segment echoing a new tsecr gives an RTT sample.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_rcv_rtt_measure_ts(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        if (tp.rx_opt.rcv_tsecr == tp.rcv_rtt_last_tsecr)
        {
            return;
        }

        tp.rcv_rtt_last_tsecr = tp.rx_opt.rcv_tsecr;

        if (TCP_SKB_CB(skb).end_seq - TCP_SKB_CB(skb).seq >= inet_csk(sk).icsk_ack_rcv_mss)
        {
            var delta = tcp_rtt_tsopt_us(tp, 0);
            if (delta > 0)
            {
                tcp_rcv_rtt_update(tp, (uint)delta, 0);
            }
        }
    }

    // net/ipv4/tcp_input.c: tcp_rcvbuf_grow
    /// <summary>
    /// Autotuning's step: sk_rcvbuf grows to twice what the reader took in
    /// an RTT (plus the growth, as the sender may double, plus what waits
    /// out of order), up to tcp_rmem[2]; the window clamp follows. Not when
    /// the user set SO_RCVBUF or tcp_moderate_rcvbuf is off.
    /// </summary>
    public static void tcp_rcvbuf_grow(sock sk, uint newval)
    {
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);
        var tp = tcp_sk(sk);

        var oldval = tp.rcvq_space.space;
        tp.rcvq_space.space = newval;

        if (!ipv4.sysctl_tcp_moderate_rcvbuf || (sk.sk_userlocks & SOCK_RCVBUF_LOCK) != 0)
        {
            return;
        }

        // The measure is one RTT old.
        var rcvwin = (ulong)newval << 1;

        // the sender may double its rate in slow start
        var grow = rcvwin * (newval - oldval);
        if (oldval != 0)
        {
            grow /= oldval;
        }

        rcvwin += grow << 1;

        if (tp.out_of_order_queue is { Count: > 0 })
        {
            rcvwin += TCP_SKB_CB(tp.ooo_last_skb!).end_seq - tp.rcv_nxt;
        }

        var cap = (uint)ipv4.sysctl_tcp_rmem[2];

        var rcvbuf = (uint)System.Math.Min((ulong)tcp_space_from_win(sk, (int)System.Math.Min(rcvwin, int.MaxValue)), cap);
        if (rcvbuf > sk.sk_rcvbuf)
        {
            sk.sk_rcvbuf = (int)rcvbuf;

            // the clamp follows the buffer
            tp.window_clamp = (uint)tcp_win_from_space(sk, (int)rcvbuf);
        }
    }

    // not ported: tcp_stamp_us_delta — written out as the difference of the two microsecond stamps
    // net/ipv4/tcp_input.c: tcp_rcv_space_adjust
    /// <summary>
    /// After a copy to the user (tcp_recvmsg): once per receiver RTT, what
    /// the reader took in that RTT, if more than the last measure, grows the
    /// buffer (tcp_rcvbuf_grow). Traces tcp_rcv_space_adjust on every call.
    /// </summary>
    public static void tcp_rcv_space_adjust(sock sk)
    {
        var tp = tcp_sk(sk);

        Include.Trace.Events.tcp_h.trace_tcp_rcv_space_adjust(sk);

        tcp_output_c.tcp_mstamp_refresh(tp);
        var time = (int)(tp.tcp_mstamp - tp.rcvq_space.time);
        if (time < (tp.rcv_rtt_est.rtt_us >> 3) || tp.rcv_rtt_est.rtt_us == 0)
        {
            return;
        }

        // bytes the reader took in the last RTT, less what still waits
        var copied = (int)(tp.copied_seq - tp.rcvq_space.seq);
        var inq = (int)(tp.rcv_nxt - tp.copied_seq);
        copied -= inq;
        if (copied <= (int)tp.rcvq_space.space)
        {
            goto new_measure;
        }

        Include.Trace.Events.tcp_h.trace_tcp_rcvbuf_grow(sk, time);

        tcp_rcvbuf_grow(sk, (uint)copied);

    new_measure:
        tp.rcvq_space.seq = tp.copied_seq;
        tp.rcvq_space.time = tp.tcp_mstamp;
    }

    // not ported: tcp_save_lrcv_flowlabel — IPv6 flow labels: the port has no IPv6
    // net/ipv4/tcp_input.c: tcp_event_data_recv
    /// <summary>
    /// Data arrived in order: an ACK is owed; the peer's MSS is measured;
    /// the delayed-ACK timeout (ato) adapts to the gap since the last data
    /// — the first data of a connection starts in quick-ACK mode, and a gap
    /// over the RTO enters it again; a segment of 128 bytes or more may grow
    /// the window.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_event_data_recv(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        inet_csk_schedule_ack(sk);

        tcp_measure_rcv_mss(sk, skb);

        tcp_rcv_rtt_measure(tp);

        var now = tcp_jiffies32(sk);

        if (icsk.icsk_ack_ato == 0)
        {
            // The first data: the delayed-ACK engine starts here.
            tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
            icsk.icsk_ack_ato = TCP_ATO_MIN;
        }
        else
        {
            var m = (int)(now - icsk.icsk_ack_lrcvtime);

            if (m <= TCP_ATO_MIN / 2)
            {
                icsk.icsk_ack_ato = (icsk.icsk_ack_ato >> 1) + TCP_ATO_MIN / 2;
            }
            else if (m < icsk.icsk_ack_ato)
            {
                icsk.icsk_ack_ato = (icsk.icsk_ack_ato >> 1) + (uint)m;
                if (icsk.icsk_ack_ato > icsk.icsk_rto)
                {
                    icsk.icsk_ack_ato = icsk.icsk_rto;
                }
            }
            else if (m > icsk.icsk_rto)
            {
                // A long silence: the sender probably lost its window; ACK quickly again.
                tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
            }
        }

        icsk.icsk_ack_lrcvtime = now;

        // tcp_save_lrcv_flowlabel: IPv6 only.
        if (skb.len >= 128)
        {
            tcp_grow_window(sk, skb, true);
        }
    }

    // net/ipv4/tcp_input.c: tcp_clear_retrans
    public static void tcp_clear_retrans(tcp_sock tp)
    {
        tp.retrans_out = 0;
        tp.lost_out = 0;
        tp.undo_marker = 0;
        tp.undo_retrans = -1;
        tp.sacked_out = 0;
        tp.rto_stamp = 0;
        tp.total_rto = 0;
        tp.total_rto_recoveries = 0;
        tp.total_rto_time = 0;
    }

    // net/ipv4/tcp_input.c: tcp_reset
    /// <summary>A RST was accepted: the error BSD reports for the state (ECONNREFUSED in SYN_SENT), and the socket is done.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_reset(sock sk, sk_buff skb)
    {
        int err;

        Include.Trace.Events.tcp_h.trace_tcp_receive_reset(sk);

        switch (sk.sk_state)
        {
            case TCP_SYN_SENT:
                err = errno_h.ECONNREFUSED;
                break;
            case TCP_CLOSE_WAIT:
                err = errno_base_h.EPIPE;
                break;
            case TCP_CLOSE:
                return;
            default:
                err = errno_h.ECONNRESET;
                break;
        }

        tcp_done_with_error(sk, err);
    }

    // net/ipv4/tcp_input.c: tcp_done_with_error
    /// <summary>Posts <paramref name="err"/>, frees what was queued to send, closes the socket and tells its owner.</summary>
    public static void tcp_done_with_error(sock sk, int err)
    {
        sk.sk_err = err;
        tcp_c.tcp_write_queue_purge(sk);
        tcp_c.tcp_done(sk);
        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            Core.sock_c.sk_error_report(sk);
        }
    }

    // not ported: skb_rbtree_walk_from — the queue is an ordered list in the port, walked by a loop over
    //   .next
    // net/ipv4/tcp_input.c: tcp_rcv_fastopen_synack
    /// <summary>
    /// An active Fast Open's SYN-ACK: the server's MSS and cookie are cached
    /// (an unsolicited cookie ignored; a SYN lost if it timed out and the
    /// SYN-ACK carries neither cookie nor data ACK; no cookie for a request:
    /// try the other option format next time). SYN data not acknowledged is
    /// marked lost and sent again (TCPFastOpenActiveFail; true). Otherwise
    /// acknowledged SYN data counts TCPFastOpenActive, and data on the
    /// SYN-ACK is queued (tcp_fastopen_add_skb); false.
    /// </summary>
    [KernelNet.Annotations.Borrows("synack")]
    private static bool tcp_rcv_fastopen_synack(sock sk, sk_buff synack, ref tcp_fastopen_cookie cookie)
    {
        var tp = tcp_sk(sk);
        var data = tp.syn_data ? tcp_rtx_queue_head(sk) : null;
        var mss = tp.rx_opt.mss_clamp;
        ushort try_exp = 0;
        var syn_drop = false;

        if (mss == tp.rx_opt.user_mss)
        {
            // Get original SYNACK MSS value if user MSS sets mss_clamp
            // not ported: tcp_clear_options — a new tcp_options_received starts clear
            var opt = new tcp_options_received();
            opt.user_mss = 0;
            opt.mss_clamp = 0;
            tcp_parse_options(sk.sk_net, synack, ref opt, false, ref System.Runtime.CompilerServices.Unsafe.NullRef<tcp_fastopen_cookie>());
            mss = opt.mss_clamp;
        }

        if (!tp.syn_fastopen)
        {
            // Ignore an unsolicited cookie
            cookie.len = -1;
        }
        else if (tp.total_retrans != 0)
        {
            // The SYN timed out and the SYN-ACK has no cookie and acknowledges no data: the
            // server saw only the retransmitted plain SYNs, the SYN-data or its SYN-ACK was lost.
            syn_drop = cookie.len < 0 && data is not null;
        }
        else if (cookie.len < 0 && !tp.syn_data)
        {
            // A cookie was asked for and none came: try the other option format next time.
            try_exp = (ushort)(tp.syn_fastopen_exp ? 2 : 1);
        }

        tcp_metrics_c.tcp_fastopen_cache_set(sk, mss, ref cookie, syn_drop, try_exp);

        if (data is not null)
        {
            // Retransmit unacked data in SYN
            tp.fastopen_client_fail = tp.total_retrans != 0 ? Include.Uapi.Linux.tcp_h.TFO_SYN_RETRANSMITTED : Include.Uapi.Linux.tcp_h.TFO_DATA_NOT_ACKED;

            // skb_rbtree_walk_from(data)
            for (var skb = data; skb is not null; skb = skb.next)
            {
                tcp_mark_skb_lost(sk, skb);
            }

            tcp_non_congestion_loss_retransmit(sk);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENACTIVEFAIL);
            return true;
        }

        tp.syn_data_acked = tp.syn_data;
        if (tp.syn_data_acked)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENACTIVE);

            // SYN-data is counted as two separate packets in tcp_ack()
            if (tp.delivered > 1)
            {
                --tp.delivered;
            }
        }

        tcp_fastopen_c.tcp_fastopen_add_skb(sk, synack);
        return false;
    }

    // net/ipv4/tcp_input.c: tcp_mtup_probe_failed
    /// <summary>The MTU probe was lost (the ACKs stop at its first byte): nothing that big gets through, TCPMTUPFail.</summary>
    private static void tcp_mtup_probe_failed(sock sk)
    {
        var icsk = inet_csk(sk);

        icsk.icsk_mtup_search_high = icsk.icsk_mtup_probe_size - 1;
        icsk.icsk_mtup_probe_size = 0;
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPMTUPFAIL);
    }

    // net/ipv4/tcp_input.c: tcp_mtup_probe_success
    /// <summary>
    /// The MTU probe was acknowledged: search_low rises to its size, the MSS
    /// follows (tcp_sync_mss), and cwnd is rescaled so that the bytes in
    /// flight stay as they were; TCPMTUPSuccess.
    /// </summary>
    private static void tcp_mtup_probe_success(sock sk)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        tp.prior_ssthresh = tcp_current_ssthresh(sk);

        // the same bytes in flight in bigger segments: fewer of them
        var val = (ulong)tcp_snd_cwnd(tp) * (ulong)tcp_output_c.tcp_mss_to_mtu(sk, (int)tp.mss_cache);
        val /= (ulong)icsk.icsk_mtup_probe_size;
        tcp_snd_cwnd_set(tp, Math.Max(1U, (uint)val));

        tp.snd_cwnd_cnt = 0;
        tp.snd_cwnd_stamp = tcp_jiffies32(sk);
        tp.snd_ssthresh = tcp_current_ssthresh(sk);

        icsk.icsk_mtup_search_low = icsk.icsk_mtup_probe_size;
        icsk.icsk_mtup_probe_size = 0;
        tcp_output_c.tcp_sync_mss(sk, icsk.icsk_pmtu_cookie);
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPMTUPSUCCESS);
    }

    // net/ipv4/tcp_input.c: tcp_non_congestion_loss_retransmit
    /// <summary>A loss not caused by congestion (a Fast Open SYN's data not taken): the Loss state without undo, then the lost segments go again.</summary>
    private static void tcp_non_congestion_loss_retransmit(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);

        if (icsk.icsk_ca_state != TCP_CA_Loss)
        {
            tp.high_seq = tp.snd_nxt;
            tp.snd_ssthresh = tcp_current_ssthresh(sk);
            tp.prior_ssthresh = 0;
            tp.undo_marker = 0;
            tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Loss);
        }

        tcp_output_c.tcp_xmit_retransmit_queue(sk);
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // not ported: skb_rbtree_walk — the queue is an ordered list in the port, walked by a loop over its links
    // net/ipv4/tcp_input.c: tcp_simple_retransmit
    /// <summary>
    /// The path MTU fell (tcp_v4_mtu_reduced): every segment in the
    /// retransmit queue now longer than the current MSS is marked lost (all of
    /// them while a Fast Open SYN with data is outstanding, which sits in the
    /// queue as two skbs) and sent again at the new size, without touching
    /// the congestion window.
    /// </summary>
    public static void tcp_simple_retransmit(sock sk)
    {
        var tp = tcp_sk(sk);
        var mss = tp.syn_data && sk.sk_state == TCP_SYN_SENT ? -1 : (int)tcp_output_c.tcp_current_mss(sk);

        // skb_rbtree_walk over the retransmit queue
        for (var skb = tcp_rtx_queue_head(sk); skb is not null; skb = skb.next)
        {
            if (tcp_skb_seglen(skb) > mss)
            {
                tcp_mark_skb_lost(sk, skb);
            }
        }

        if (tp.lost_out == 0)
        {
            return;
        }

        if (tcp_is_reno(tp))
        {
            tcp_limit_reno_sacked(tp);
        }

        // tcp_verify_left_out: a debugging check (WARN_ON) only.

        // The window stays: no more data is in flight, only in smaller units.
        tcp_non_congestion_loss_retransmit(sk);
    }

    // not ported: sk_wake_async — SIGIO/O_ASYNC (FASYNC) is not ported: no process asks for signals
    // not ported: SKB_DR_SET — the drop reason is assigned directly to a local
    // not ported: SKB_DR — the drop reason is a plain local set where the kernel would SKB_DR_SET it
    // net/ipv4/tcp_input.c: tcp_rcv_synsent_state_process
    /// <summary>
    /// A segment for a socket in SYN_SENT. An ACK must acknowledge exactly our
    /// SYN (else the caller resets: TCP_INVALID_ACK_SEQUENCE); with RST, the
    /// connection is refused (tcp_reset) and the RST is freed without a
    /// tracepoint. Returns 0 when the skb was consumed, else the drop reason
    /// for the caller's reset. A SYN-ACK completes the handshake (an active
    /// Fast Open's cookie and SYN data handled by tcp_rcv_fastopen_synack).
    /// A SYN without ACK is a simultaneous open: SYN_RECV, and our queued
    /// SYN goes out again as a SYN-ACK (tcp_send_synack); the ACK that
    /// completes it is tcp_rcv_state_process's SYN_RECV case.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    public static skb_drop_reason tcp_rcv_synsent_state_process(sock sk, sk_buff skb, tcphdr th)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var foc = new tcp_fastopen_cookie { len = -1 };
        var saved_clamp = tp.rx_opt.mss_clamp;
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;

        tcp_parse_options(sk.sk_net, skb, ref tp.rx_opt, false, ref foc);
        if (tp.rx_opt.saw_tstamp && tp.rx_opt.rcv_tsecr != 0)
        {
            tp.rx_opt.rcv_tsecr -= tp.tsoffset;
        }

        if (th.ack)
        {
            if (!after(TCP_SKB_CB(skb).ack_seq, tp.snd_una) || after(TCP_SKB_CB(skb).ack_seq, tp.snd_nxt))
            {
                if (icsk.icsk_retransmits == 0)
                {
                    tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_TIMEOUT_MIN, false);
                }

                reason = skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_ACK_SEQUENCE;
                goto reset_and_undo;
            }

            if (tp.rx_opt.saw_tstamp && tp.rx_opt.rcv_tsecr != 0 && !between(tp.rx_opt.rcv_tsecr, tp.retrans_stamp, tcp_time_stamp_ts(tp)))
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_PAWSACTIVEREJECTED);
                reason = skb_drop_reason.SKB_DROP_REASON_TCP_RFC7323_PAWS;
                goto reset_and_undo;
            }

            if (th.rst)
            {
                tcp_reset(sk, skb);
                __kfree_skb(skb);
                return 0;
            }

            if (!th.syn)
            {
                reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
                goto discard_and_undo;
            }

            if (tcp_ecn_mode_any(tp))
            {
                tcp_ecn_h.tcp_ecn_rcv_synack(sk, th);
            }

            tcp_init_wl(tp, TCP_SKB_CB(skb).seq);

            tcp_ack(sk, skb, FLAG_SLOWPATH);

            tp.rcv_nxt = TCP_SKB_CB(skb).seq + 1;
            tp.rcv_wup = TCP_SKB_CB(skb).seq + 1;

            tp.snd_wnd = th.window;

            if (!tp.rx_opt.wscale_ok)
            {
                tp.rx_opt.snd_wscale = 0;
                tp.rx_opt.rcv_wscale = 0;
                tp.window_clamp = System.Math.Min(tp.window_clamp, 65535U);
            }

            if (tp.rx_opt.saw_tstamp)
            {
                tp.rx_opt.tstamp_ok = true;
                tp.tcp_header_len = tcphdr.Size + TCPOLEN_TSTAMP_ALIGNED;
                tp.advmss -= TCPOLEN_TSTAMP_ALIGNED;
                tcp_store_ts_recent(tp);
            }
            else
            {
                tp.tcp_header_len = tcphdr.Size;
            }

            tcp_output_c.tcp_sync_mss(sk, icsk.icsk_pmtu_cookie);
            tcp_initialize_rcv_mss(sk);

            tp.copied_seq = tp.rcv_nxt;

            tcp_finish_connect(sk, skb);

            var fastopen_fail = (tp.syn_fastopen || tp.syn_data) && tcp_rcv_fastopen_synack(sk, skb, ref foc);

            if (!sock_flag(sk, sock_flags.SOCK_DEAD))
            {
                sk.sk_state_change!(sk);

                // sk_wake_async: no SIGIO.
            }

            if (fastopen_fail)
            {
                return (skb_drop_reason)(-1);
            }

            // A writer already waiting, TCP_DEFER_ACCEPT or TCP_QUICKACK=0 (pingpong): the ACK
            // waits for data to ride on, at most TCP_DELACK_MAX (the delayed-ACK timer sends it).
            if (sk.sk_write_pending != 0 || (icsk.icsk_accept_queue?.rskq_defer_accept ?? 0) != 0 || inet_csk_in_pingpong_mode(sk))
            {
                inet_csk_schedule_ack(sk);
                tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
                tcp_reset_xmit_timer(sk, ICSK_TIME_DACK, TCP_DELACK_MAX, false);
                __kfree_skb(skb);
                return 0;
            }

            tcp_output_c.tcp_send_ack(sk);
            return (skb_drop_reason)(-1);
        }

        // No ACK in the segment: "If the RST bit is set, drop the segment and return."
        if (th.rst)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_RESET;
            goto discard_and_undo;
        }

        // PAWS: only once a timestamp was stored (never, in SYN_SENT, unless a crossing SYN came before)
        if (tp.rx_opt.ts_recent_stamp != 0 && tp.rx_opt.saw_tstamp && Include.Net.tcp_h.tcp_paws_reject(sk.sk_net.k, in tp.rx_opt, 0))
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_RFC7323_PAWS;
            goto discard_and_undo;
        }

        if (th.syn)
        {
            // The SYNs crossed (or the socket connected to itself): simultaneous open.
            // not ported: TCP-AO's risn/rcv_sne — no TCP-AO keys in the port.
            tcp_c.tcp_set_state(sk, TCP_SYN_RECV);

            if (tp.rx_opt.saw_tstamp)
            {
                tp.rx_opt.tstamp_ok = true;
                tcp_store_ts_recent(tp);
                tp.tcp_header_len = tcphdr.Size + TCPOLEN_TSTAMP_ALIGNED;
            }
            else
            {
                tp.tcp_header_len = tcphdr.Size;
            }

            tp.rcv_nxt = TCP_SKB_CB(skb).seq + 1;
            tp.copied_seq = tp.rcv_nxt;
            tp.rcv_wup = TCP_SKB_CB(skb).seq + 1;

            // a SYN's window is never scaled (RFC 7323)
            tp.snd_wnd = th.window;
            tp.snd_wl1 = TCP_SKB_CB(skb).seq;
            tp.max_window = tp.snd_wnd;

            tcp_ecn_h.tcp_ecn_rcv_syn(tp, th);

            tcp_output_c.tcp_mtup_init(sk);
            tcp_output_c.tcp_sync_mss(sk, icsk.icsk_pmtu_cookie);
            tcp_initialize_rcv_mss(sk);

            // the SYN-ACK reuses our queued SYN: the original ISN, our SYN's options
            tcp_output_c.tcp_send_synack(sk);

            // data on the SYN is not accepted here (6.18 keeps the "return -1" path compiled out): consumed
            __kfree_skb(skb);
            return 0;
        }

        // "fifth, if neither of the SYN or RST bits is set then drop the segment and return": reason stays NOT_SPECIFIED

    discard_and_undo:
        tcp_clear_options(ref tp.rx_opt);
        tp.rx_opt.mss_clamp = saved_clamp;
        tcp_drop_reason(sk, skb, reason);
        return 0;

    reset_and_undo:
        tcp_clear_options(ref tp.rx_opt);
        tp.rx_opt.mss_clamp = saved_clamp;
        return reason;
    }

    /// <summary>FLAG_* bits of tcp_ack.</summary>
    private const int FLAG_DATA = 0x01;
    private const int FLAG_WIN_UPDATE = 0x02;
    private const int FLAG_DATA_ACKED = 0x04;
    private const int FLAG_RETRANS_DATA_ACKED = 0x08;
    private const int FLAG_SYN_ACKED = 0x10;
    private const int FLAG_DATA_SACKED = 0x20;
    private const int FLAG_ECE = 0x40;
    private const int FLAG_LOST_RETRANS = 0x80;
    private const int FLAG_SLOWPATH = 0x100;
    private const int FLAG_ORIG_SACK_ACKED = 0x200;
    private const int FLAG_SND_UNA_ADVANCED = 0x400;
    private const int FLAG_DSACKING_ACK = 0x800;
    private const int FLAG_SET_XMIT_TIMER = 0x1000;
    private const int FLAG_SACK_RENEGING = 0x2000;
    private const int FLAG_UPDATE_TS_RECENT = 0x4000;
    private const int FLAG_NO_CHALLENGE_ACK = 0x8000;
    private const int FLAG_ACK_MAYBE_DELAYED = 0x10000;
    private const int FLAG_DSACK_TLP = 0x20000;
    private const int FLAG_ACKED = FLAG_DATA_ACKED | FLAG_SYN_ACKED;
    private const int FLAG_NOT_DUP = FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED;
    private const int FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK;
    private const int FLAG_FORWARD_PROGRESS = FLAG_ACKED | FLAG_DATA_SACKED;

    // net/ipv4/tcp_input.c: tcp_do_parse_auth_options
    /// <summary>
    /// Finds a TCP-MD5 or TCP-AO option in the segment's header (offsets into
    /// skb.head, -1 when absent). A malformed one is -EINVAL; two signatures
    /// are -EEXIST. Options too short to hold a signature end the walk.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_do_parse_auth_options(sk_buff skb, out int md5_hash, out int ao_hash)
    {
        var th = tcp_hdr(skb);
        var length = th.doff * 4 - tcphdr.Size;
        var ptr = skb.transport_header + tcphdr.Size;

        // CONFIG_TCP_AO: the shortest signature is an AO header (4 bytes) and one byte of MAC
        const int minlen = 4 + 1;

        md5_hash = -1;
        ao_hash = -1;

        while (length >= minlen)
        {
            var opcode = skb.head[ptr++];
            int opsize;
            switch (opcode)
            {
                case TCPOPT_EOL:
                    return 0;
                case TCPOPT_NOP:
                    length--;
                    continue;
                default:
                    opsize = skb.head[ptr++];
                    if (opsize < 2 || opsize > length)
                    {
                        return -errno_base_h.EINVAL;
                    }

                    if (opcode == TCPOPT_MD5SIG)
                    {
                        if (opsize != TCPOLEN_MD5SIG)
                        {
                            return -errno_base_h.EINVAL;
                        }

                        if (md5_hash >= 0 || ao_hash >= 0)
                        {
                            return -errno_base_h.EEXIST;
                        }

                        md5_hash = ptr;
                    }
                    else if (opcode == TCPOPT_AO)
                    {
                        if (opsize <= 4)
                        {
                            return -errno_base_h.EINVAL;
                        }

                        if (md5_hash >= 0 || ao_hash >= 0)
                        {
                            return -errno_base_h.EEXIST;
                        }

                        ao_hash = ptr;
                    }

                    break;
            }

            ptr += opsize - 2;
            length -= opsize;
        }

        return 0;
    }

    // net/ipv4/tcp_input.c: tcp_parse_fastopen_option
    /// <summary>A Fast Open option's cookie into <paramref name="foc"/>: only on a SYN or SYN-ACK, an even length; 0 is a request, 4..16 a cookie, else len -1.</summary>
    private static void tcp_parse_fastopen_option(int len, byte[] buf, int cookie, bool syn, ref tcp_fastopen_cookie foc, bool exp_opt)
    {
        // Valid only in SYN or SYN-ACK with an even length.
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref foc) || !syn || len < 0 || (len & 1) != 0)
        {
            return;
        }

        if (len >= TCP_FASTOPEN_COOKIE_MIN && len <= TCP_FASTOPEN_COOKIE_MAX)
        {
            buf.AsSpan(cookie, len).CopyTo(foc.val);
        }
        else if (len != 0)
        {
            len = -1;
        }

        foc.len = (sbyte)len;
        foc.exp = exp_opt;
    }

    // not ported: tcp_sack_reset — written out as clearing num_sacks/dsack in place
    // not ported: net_info_ratelimited — an informational printk
    // net/ipv4/tcp_input.c: tcp_parse_options
    /// <summary>
    /// Reads the TCP options of a segment (in practice a SYN or SYN-ACK).
    /// MSS, window scale and SACK-permitted count only on a SYN before the
    /// connection is established; timestamps as the sysctl or the
    /// connection allows; a Fast Open option (34, or 254 with its magic) on a
    /// SYN or SYN-ACK into <paramref name="foc"/>. Other options (SACK blocks, MD5) are skipped.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_parse_options(net net, sk_buff skb, ref tcp_options_received opt_rx, bool estab, ref tcp_fastopen_cookie foc)
    {
        var th = tcp_hdr(skb);
        var length = th.doff * 4 - tcphdr.Size;
        var ptr = skb.transport_header + tcphdr.Size;
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);

        opt_rx.saw_tstamp = false;
        while (length > 0)
        {
            var opcode = skb.head[ptr++];
            switch (opcode)
            {
                case TCPOPT_EOL:
                    return;
                case TCPOPT_NOP: // one-byte padding between options
                    length--;
                    continue;
                default:
                    if (length < 2)
                    {
                        return;
                    }

                    var opsize = skb.head[ptr++];
                    if (opsize < 2 || opsize > length)
                    {
                        return; // don't parse partial options
                    }

                    switch (opcode)
                    {
                        case TCPOPT_MSS:
                            if (opsize == TCPOLEN_MSS && th.syn && !estab)
                            {
                                var in_mss = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(System.MemoryExtensions.AsSpan(skb.head, ptr));
                                if (in_mss != 0)
                                {
                                    if (opt_rx.user_mss != 0 && opt_rx.user_mss < in_mss)
                                    {
                                        in_mss = opt_rx.user_mss;
                                    }

                                    opt_rx.mss_clamp = in_mss;
                                }
                            }

                            break;
                        case TCPOPT_WINDOW:
                            if (opsize == TCPOLEN_WINDOW && th.syn && !estab && ipv4.sysctl_tcp_window_scaling)
                            {
                                var snd_wscale = skb.head[ptr];
                                opt_rx.wscale_ok = true;
                                if (snd_wscale > TCP_MAX_WSCALE)
                                {
                                    // a window scale above 14 is clamped (the kernel logs it)
                                    snd_wscale = TCP_MAX_WSCALE;
                                }

                                opt_rx.snd_wscale = snd_wscale;
                            }

                            break;
                        case TCPOPT_TIMESTAMP:
                            if (opsize == TCPOLEN_TIMESTAMP && ((estab && opt_rx.tstamp_ok) || (!estab && ipv4.sysctl_tcp_timestamps != 0)))
                            {
                                opt_rx.saw_tstamp = true;
                                opt_rx.rcv_tsval = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.MemoryExtensions.AsSpan(skb.head, ptr));
                                opt_rx.rcv_tsecr = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.MemoryExtensions.AsSpan(skb.head, ptr + 4));
                            }

                            break;
                        case TCPOPT_SACK:
                            // where the blocks are, for tcp_sacktag_write_queue (the receive cb's sacked holds the offset)
                            if (opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
                                (opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK == 0 && opt_rx.sack_ok != 0)
                            {
                                TCP_SKB_CB(skb).sacked = (byte)(ptr - 2 - skb.transport_header);
                            }

                            break;
                        case TCPOPT_SACK_PERM:
                            if (opsize == TCPOLEN_SACK_PERM && th.syn && !estab && ipv4.sysctl_tcp_sack)
                            {
                                opt_rx.sack_ok = 1; // TCP_SACK_SEEN; tcp_sack_reset
                            }

                            break;
                        case Include.Net.tcp_h.TCPOPT_FASTOPEN:
                            tcp_parse_fastopen_option(opsize - Include.Net.tcp_h.TCPOLEN_FASTOPEN_BASE, skb.head, ptr, th.syn, ref foc, false);
                            break;
                        case Include.Net.tcp_h.TCPOPT_EXP:
                            // Fast Open's pre-RFC option: kind 254 and a 16-bit magic
                            if (opsize >= Include.Net.tcp_h.TCPOLEN_EXP_FASTOPEN_BASE &&
                                System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(System.MemoryExtensions.AsSpan(skb.head, ptr)) == Include.Net.tcp_h.TCPOPT_FASTOPEN_MAGIC)
                            {
                                tcp_parse_fastopen_option(opsize - Include.Net.tcp_h.TCPOLEN_EXP_FASTOPEN_BASE, skb.head, ptr + 2, th.syn, ref foc, true);
                            }

                            // smc_parse_options, saw_unknown: not ported
                            break;
                    }

                    ptr += opsize - 2;
                    length -= opsize;
                    break;
            }
        }
    }

    // net/ipv4/tcp_input.c: tcp_parse_aligned_timestamp
    /// <summary>The common option layout NOP NOP TS: read the timestamps straight, without the general parser.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_parse_aligned_timestamp(tcp_sock tp, sk_buff skb)
    {
        var ptr = System.MemoryExtensions.AsSpan(skb.head, skb.transport_header + tcphdr.Size, TCPOLEN_TSTAMP_ALIGNED);
        var word = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ptr);
        if (word == ((uint)TCPOPT_NOP << 24 | (uint)TCPOPT_NOP << 16 | (uint)TCPOPT_TIMESTAMP << 8 | TCPOLEN_TIMESTAMP))
        {
            tp.rx_opt.saw_tstamp = true;
            tp.rx_opt.rcv_tsval = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ptr[4..]);
            var tsecr = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ptr[8..]);
            tp.rx_opt.rcv_tsecr = tsecr != 0 ? tsecr - tp.tsoffset : 0;
            return true;
        }

        return false;
    }

    // net/ipv4/tcp_input.c: tcp_fast_parse_options
    /// <summary>Options of a segment on a connection: none, the aligned timestamp alone, or the general parser. False when the header has no options.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_fast_parse_options(net net, sk_buff skb, tcphdr th, tcp_sock tp)
    {
        if (th.doff == tcphdr.Size / 4)
        {
            tp.rx_opt.saw_tstamp = false;
            return false;
        }
        else if (tp.rx_opt.tstamp_ok && th.doff == (tcphdr.Size + TCPOLEN_TSTAMP_ALIGNED) / 4)
        {
            if (tcp_parse_aligned_timestamp(tp, skb))
            {
                return true;
            }
        }

        tcp_parse_options(net, skb, ref tp.rx_opt, true, ref System.Runtime.CompilerServices.Unsafe.NullRef<tcp_fastopen_cookie>());
        if (tp.rx_opt.saw_tstamp && tp.rx_opt.rcv_tsecr != 0)
        {
            tp.rx_opt.rcv_tsecr -= tp.tsoffset;
        }

        return true;
    }

    // net/ipv4/tcp_input.c: __tcp_oow_rate_limited
    /// <summary>Whether an out-of-window ACK must wait: one went out less than tcp_invalid_ratelimit ago (counted in <paramref name="mib_idx"/>).</summary>
    private static bool __tcp_oow_rate_limited(net net, linux_mib_field mib_idx, tcp_sock tp)
    {
        var val = tp.last_oow_ack_time;
        var now = (uint)net.k.jiffies;

        if (val != 0)
        {
            var elapsed = (int)(now - val);

            if (0 <= elapsed && elapsed < Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_invalid_ratelimit)
            {
                Include.Net.ip_h.NET_INC_STATS(net, mib_idx);
                return true;
            }
        }

        tp.last_oow_ack_time = now;
        return false;
    }

    // net/ipv4/tcp_input.c: tcp_oow_rate_limited
    /// <summary>Data segments (without SYN) are never rate limited: they are no part of an ACK loop.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_oow_rate_limited(net net, sk_buff skb, linux_mib_field mib_idx, tcp_sock tp)
    {
        if (TCP_SKB_CB(skb).seq != TCP_SKB_CB(skb).end_seq && !tcp_hdr(skb).syn)
        {
            return false;
        }

        return __tcp_oow_rate_limited(net, mib_idx, tp);
    }

    // net/ipv4/tcp_input.c: tcp_send_challenge_ack
    /// <summary>
    /// RFC 5961's challenge ACK (TCPChallengeACK): the socket's own rate
    /// limit first (TCPACKSkippedChallenge), then the namespace's
    /// tcp_challenge_ack_limit per second (INT_MAX by default: no limit).
    /// No AccECN: the ACK reflects nothing.
    /// </summary>
    private static void tcp_send_challenge_ack(sock sk)
    {
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);

        if (__tcp_oow_rate_limited(net, linux_mib_field.LINUX_MIB_TCPACKSKIPPEDCHALLENGE, tp))
        {
            return;
        }

        var ack_limit = ipv4.sysctl_tcp_challenge_ack_limit;
        if (ack_limit == int.MaxValue)
        {
            goto send_ack;
        }

        // The per-second budget of the namespace, drawn at random in [limit/2, limit*3/2) in 6.18; the simulation takes the limit itself.
        var now = (uint)(net.k.jiffies / (ulong)Vmlinux.HZ);
        if (now != ipv4.tcp_challenge_timestamp)
        {
            ipv4.tcp_challenge_timestamp = now;
            ipv4.tcp_challenge_count = (uint)ack_limit;
        }

        var count = ipv4.tcp_challenge_count;
        if (count > 0)
        {
            ipv4.tcp_challenge_count = count - 1;
            goto send_ack;
        }

        return;

    send_ack:
        Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPCHALLENGEACK);

        // tcp_send_ack_reflect_ect without AccECN
        tcp_output_c.tcp_send_ack(sk);
    }

    // net/ipv4/tcp_input.c: tcp_store_ts_recent
    private static void tcp_store_ts_recent(tcp_sock tp)
    {
        tp.rx_opt.ts_recent = tp.rx_opt.rcv_tsval;
        // not ported: ktime_get_seconds — written out: the virtual clock's nanoseconds in whole seconds
        tp.rx_opt.ts_recent_stamp = tp.sk.sk_net.k.ktime_get_ns() / 1_000_000_000;
    }

    /// <summary>FLAG_TS_PROGRESS: the peer's timestamp moved forward.</summary>
    private const int FLAG_TS_PROGRESS = 0x40000;

    // net/ipv4/tcp_input.c: __tcp_replace_ts_recent
    private static int __tcp_replace_ts_recent(tcp_sock tp, int tstamp_delta)
    {
        tcp_store_ts_recent(tp);
        return tstamp_delta > 0 ? FLAG_TS_PROGRESS : 0;
    }

    // net/ipv4/tcp_input.c: tcp_rcv_nxt_update
    /// <summary>rcv_nxt moves to <paramref name="seq"/>; bytes_received counts the step.</summary>
    private static void tcp_rcv_nxt_update(tcp_sock tp, uint seq)
    {
        var delta = seq - tp.rcv_nxt;
        tp.bytes_received += delta;
        tp.rcv_nxt = seq;
    }

    // net/ipv4/tcp_input.c: tcp_snd_una_update
    /// <summary>snd_una moves to <paramref name="ack"/>; bytes_acked counts the advance.</summary>
    private static void tcp_snd_una_update(tcp_sock tp, uint ack)
    {
        var delta = ack - tp.snd_una;

        tp.bytes_acked += delta;

        // tcp_snd_sne_update: no TCP-AO.
        tp.snd_una = ack;
    }

    // net/ipv4/tcp_input.c: tcp_may_update_window
    private static bool tcp_may_update_window(tcp_sock tp, uint ack, uint ack_seq, uint nwin) =>
        after(ack, tp.snd_una) || after(ack_seq, tp.snd_wl1) || (ack_seq == tp.snd_wl1 && (nwin > tp.snd_wnd || nwin == 0));

    // not ported: tcp_update_wl — written out as the snd_wl1 assignment it is
    // net/ipv4/tcp_input.c: tcp_ack_update_window
    /// <summary>Update our send window (RFC 793 5.3.7 rule); the fast path and the window-shrink accounting are not ported.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_ack_update_window(sock sk, sk_buff skb, uint ack, uint ack_seq)
    {
        var tp = tcp_sk(sk);
        var flag = 0;
        var nwin = (uint)tcp_hdr(skb).window;
        if (!tcp_hdr(skb).syn)
        {
            nwin <<= tp.rx_opt.snd_wscale;
        }

        if (tcp_may_update_window(tp, ack, ack_seq, nwin))
        {
            flag |= FLAG_WIN_UPDATE;
            tcp_init_wl(tp, ack_seq); // tcp_update_wl
            if (tp.snd_wnd != nwin)
            {
                tp.snd_wnd = nwin;

                // the one place a sender's fast path comes back (pred_flags carries the window)
                tp.pred_flags = 0;
                tcp_fast_path_check(sk);

                // a window that opens after an idle spell restarts slow start for the queued data
                if (!tcp_write_queue_empty(sk))
                {
                    tcp_slow_start_after_idle_check(sk);
                }

                if (nwin > tp.max_window)
                {
                    tp.max_window = nwin;
                    tcp_output_c.tcp_sync_mss(sk, inet_csk(sk).icsk_pmtu_cookie);
                }
            }
        }

        tcp_snd_una_update(tp, ack);
        return flag;
    }

    // net/ipv4/tcp_input.c: tcp_rtt_estimator
    /// <summary>
    /// Jacobson's estimator (SIGCOMM '88) as 6.18 keeps it: srtt_us holds 8 x
    /// the smoothed RTT, mdev_us 4 x the mean deviation; rttvar_us follows the
    /// largest mdev of the last window of data, decaying once per RTT, and
    /// never below rto_min. A falling RTT moves mdev with a finer gain.
    /// </summary>
    private static void tcp_rtt_estimator(sock sk, long mrtt_us)
    {
        var tp = tcp_sk(sk);
        var m = mrtt_us;
        long srtt = tp.srtt_us;

        if (srtt != 0)
        {
            m -= srtt >> 3; // the error of the estimate
            srtt += m; // srtt = 7/8 srtt + 1/8 sample
            if (m < 0)
            {
                m = -m;
                m -= tp.mdev_us >> 2;

                // an RTT decrease moves mdev with gain 1/32 instead of 1/4 (a variant of Eifel's idea), so the RTO does not grow
                if (m > 0)
                {
                    m >>= 3;
                }
            }
            else
            {
                m -= tp.mdev_us >> 2;
            }

            tp.mdev_us = (uint)(tp.mdev_us + m); // mdev = 3/4 mdev + 1/4 |error|
            if (tp.mdev_us > tp.mdev_max_us)
            {
                tp.mdev_max_us = tp.mdev_us;
                if (tp.mdev_max_us > tp.rttvar_us)
                {
                    tp.rttvar_us = tp.mdev_max_us;
                }
            }

            if (after(tp.snd_una, tp.rtt_seq))
            {
                if (tp.mdev_max_us < tp.rttvar_us)
                {
                    tp.rttvar_us -= (tp.rttvar_us - tp.mdev_max_us) >> 2;
                }

                tp.rtt_seq = tp.snd_nxt;
                tp.mdev_max_us = tcp_rto_min_us(sk);

                // tcp_bpf_rtt: no BPF.
            }
        }
        else
        {
            // the first sample: srtt is the sample, mdev half of it, so rto = 3 x rtt
            srtt = m << 3;
            tp.mdev_us = (uint)(m << 1);
            tp.rttvar_us = Math.Max(tp.mdev_us, tcp_rto_min_us(sk));
            tp.mdev_max_us = tp.rttvar_us;
            tp.rtt_seq = tp.snd_nxt;
        }

        tp.srtt_us = (uint)Math.Max(1L, srtt);
    }

    // net/ipv4/tcp_input.c: tcp_update_pacing_rate
    /// <summary>
    /// sk_pacing_rate: twice the current rate (mss * cwnd / srtt) in slow
    /// start, 1.2 times it later (tcp_pacing_ss_ratio/ca_ratio). No qdisc of
    /// the port paces, but TCP itself sizes its TSO skbs by this rate
    /// (tcp_tso_autosize).
    /// </summary>
    private static void tcp_update_pacing_rate(sock sk)
    {
        var tp = tcp_sk(sk);
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);

        // srtt_us is kept << 3: USEC_PER_SEC/100 << 3 makes the ratio a percentage
        var rate = (ulong)tp.mss_cache * ((1000000UL / 100) << 3);

        // slow start well below ssthresh: the rate doubles each RTT, so pace ahead of it
        if (tcp_snd_cwnd(tp) < tp.snd_ssthresh / 2)
        {
            rate *= (ulong)ipv4.sysctl_tcp_pacing_ss_ratio;
        }
        else
        {
            rate *= (ulong)ipv4.sysctl_tcp_pacing_ca_ratio;
        }

        rate *= Math.Max(tcp_snd_cwnd(tp), tp.packets_out);

        if (tp.srtt_us != 0)
        {
            rate /= tp.srtt_us;
        }

        // WRITE_ONCE: sch_fq reads it locklessly in 6.18
        sk.sk_pacing_rate = Math.Min(rate, sk.sk_max_pacing_rate);
    }

    // net/ipv4/tcp_input.c: tcp_set_rto
    /// <summary>RTO = srtt + rttvar (already at least rto_min), bounded by TCP_RTO_MAX. The backoff is not applied here.</summary>
    private static void tcp_set_rto(sock sk)
    {
        var tp = tcp_sk(sk);

        inet_csk(sk).icsk_rto = __tcp_set_rto(tp);

        // no clamp at TCP_RTO_MIN: rttvar never falls below it
        tcp_bound_rto(sk);
    }

    // not ported: dst_metric — routes carry no RTAX_ metrics (no "ip route ... initcwnd/window"), so the
    //   per-route value is always 0
    // net/ipv4/tcp_input.c: tcp_init_cwnd
    /// <summary>The initial window: the route's initcwnd metric (none here) or TCP_INIT_CWND (IW10, RFC 6928), within snd_cwnd_clamp.</summary>
    public static uint tcp_init_cwnd(tcp_sock tp, dst_entry? dst)
    {
        uint cwnd = 0; // dst_metric(dst, RTAX_INITCWND): no route metrics

        if (cwnd == 0)
        {
            cwnd = TCP_INIT_CWND;
        }

        return Math.Min(cwnd, tp.snd_cwnd_clamp);
    }

    // net/ipv4/tcp_input.c: tcp_update_rtt_min
    /// <summary>
    /// The windowed minimum RTT (net.ipv4.tcp_min_rtt_wlen). departure: 6.18
    /// keeps a three-sample minmax filter; one sample that expires after the
    /// window stands in for it here. Suspected delayed ACKs are skipped.
    /// </summary>
    private static void tcp_update_rtt_min(sock sk, uint rtt_us, int flag)
    {
        var wlen = (uint)(Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_min_rtt_wlen * Vmlinux.HZ);
        var tp = tcp_sk(sk);
        var now = tcp_jiffies32(sk);

        if ((flag & FLAG_ACK_MAYBE_DELAYED) != 0 && rtt_us > tcp_min_rtt(tp))
        {
            // a peer that keeps delaying its ACKs would make the filter overestimate the path
            return;
        }

        var sample = rtt_us != 0 ? rtt_us : Kernel.Time.time_c.jiffies_to_usecs(1);
        // not ported: minmax_running_min — 6.18's three-sample windowed filter: one sample that expires after
        //   the window stands in for it
        if (sample <= tp.rtt_min || now - tp.rtt_min_stamp > wlen)
        {
            tp.rtt_min = sample;
            tp.rtt_min_stamp = now;
        }
    }

    // net/ipv4/tcp_input.c: tcp_ack_update_rtt
    /// <summary>
    /// An RTT sample from the ACK's timing (never from retransmitted data:
    /// Karn), else from the echoed timestamp when the ACK advanced snd_una;
    /// it updates the min-RTT, the estimator and the RTO, and resets the
    /// backoff (RFC 6298). False when there was no sample.
    /// </summary>
    private static bool tcp_ack_update_rtt(sock sk, int flag, long seq_rtt_us, long sack_rtt_us, long ca_rtt_us)
    {
        var tp = tcp_sk(sk);

        // RTT from the ACK's timing is preferred to TS-ECR, which middleboxes may mangle
        if (seq_rtt_us < 0)
        {
            seq_rtt_us = sack_rtt_us;
        }

        // RTTM: a TSecr counts only when the segment acknowledges new data
        if (seq_rtt_us < 0 && tp.rx_opt.saw_tstamp && tp.rx_opt.rcv_tsecr != 0 && (flag & FLAG_ACKED) != 0)
        {
            seq_rtt_us = ca_rtt_us = tcp_rtt_tsopt_us(tp, 1);
        }

        // rs->rtt_us: no rate sampler.
        if (seq_rtt_us < 0)
        {
            return false;
        }

        tcp_update_rtt_min(sk, (uint)ca_rtt_us, flag);
        tcp_rtt_estimator(sk, seq_rtt_us);
        tcp_set_rto(sk);

        // RFC 6298: the backoff goes only with a valid RTT sample
        inet_csk(sk).icsk_backoff = 0;
        return true;
    }

    // net/ipv4/tcp_input.c: tcp_synack_rtt_meas
    /// <summary>
    /// The handshake's RTT sample: from the last SYN-ACK to the ACK that
    /// completes it, usable only when the SYN-ACK was not retransmitted (Karn);
    /// without one, the echoed timestamp may still give a sample.
    /// </summary>
    public static void tcp_synack_rtt_meas(sock sk, request_sock? req)
    {
        long rtt_us = -1;

        if (req is not null && req.num_retrans == 0 && req.snt_synack != 0)
        {
            rtt_us = tcp_stamp_us_delta(tcp_clock_us(sk.sk_net.k), req.snt_synack);
        }

        tcp_ack_update_rtt(sk, FLAG_SYN_ACKED, rtt_us, -1, rtt_us);
    }

    // net/ipv4/tcp_input.c: tcp_cong_avoid
    /// <summary>The congestion control grows cwnd for <paramref name="acked"/> segments.</summary>
    private static void tcp_cong_avoid(sock sk, uint ack, uint acked)
    {
        var icsk = inet_csk(sk);

        icsk.icsk_ca_ops!.cong_avoid!(sk, ack, acked);
        tcp_sk(sk).snd_cwnd_stamp = tcp_jiffies32(sk);
    }

    // net/ipv4/tcp_input.c: tcp_rearm_rto
    /// <summary>After progress the retransmit timer restarts for a full RTO (RFC 6298 5.3); with nothing in flight it stops.</summary>
    public static void tcp_rearm_rto(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);

        // A Fast Open child's SYN-ACK retransmissions still own the timer: stay put.
        if (tp.fastopen_rsk is not null)
        {
            return;
        }

        if (tp.packets_out == 0)
        {
            inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
        }
        else
        {
            var rto = (ulong)inet_csk(sk).icsk_rto;

            // from the reordering timer or a loss probe: the RTO keeps counting from the head's send time
            if (icsk.icsk_pending == ICSK_TIME_REO_TIMEOUT || icsk.icsk_pending == ICSK_TIME_LOSS_PROBE)
            {
                var delta_us = tcp_rto_delta_us(sk);

                // not positive when the timer fired late
                rto = (ulong)Include.Linux.jiffies_h.usecs_to_jiffies(Math.Max((int)delta_us, 1));
            }

            tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, rto, true);
        }
    }

    // net/ipv4/tcp_input.c: tcp_set_xmit_timer
    /// <summary>A loss probe if one can be scheduled, else the RTO.</summary>
    private static void tcp_set_xmit_timer(sock sk)
    {
        if (!tcp_output_c.tcp_schedule_loss_probe(sk, true))
        {
            tcp_rearm_rto(sk);
        }
    }

    // not ported: after — read only in a BUG_ON assertion
    // net/ipv4/tcp_input.c: tcp_tso_acked
    /// <summary>A GSO skb acked in part loses its acked head (tcp_trim_head); returns how many of its segments that took.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static uint tcp_tso_acked(sock sk, sk_buff skb)
    {
        // not ported: before — only in a BUG_ON (the skb is not empty)
        var tp = tcp_sk(sk);
        var packets_acked = (uint)tcp_skb_pcount(skb);
        if (tcp_output_c.tcp_trim_head(sk, skb, tp.snd_una - TCP_SKB_CB(skb).seq) != 0)
        {
            return 0;
        }

        packets_acked -= (uint)tcp_skb_pcount(skb);
        return packets_acked;
    }

    // not ported: tcp_skb_tsorted_save — the port keeps the send-time order on its own links (tcp_tsorted_*),
    //   which a copy or clone does not share, so there is nothing to save across it
    // not ported: tcp_skb_tsorted_restore — the port keeps the send-time order on its own links
    //   (tcp_tsorted_*), which a copy or clone does not share, so there is nothing to restore
    // net/ipv4/tcp_input.c: tcp_ack_tstamp
    /// <summary>
    /// SO_TIMESTAMPING's TX_ACK: when the skb asked for it and this ACK moved
    /// snd_una past its key (the last byte) for the first time, report
    /// SCM_TSTAMP_ACK. The skb stays queued or is freed by the caller.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("ack_skb")]
    private static void tcp_ack_tstamp(sock sk, sk_buff skb, sk_buff ack_skb, uint prior_snd_una)
    {
        if (TCP_SKB_CB(skb).txstamp_ack == 0)
        {
            return;
        }

        var shinfo = skb.shinfo;
        if (!before(shinfo.tskey, prior_snd_una) && before(shinfo.tskey, tcp_sk(sk).snd_una))
        {
            // tcp_skb_tsorted_save/restore: the tsorted anchor shares the skb's dev field in C; the port keeps them apart
            Core.skbuff_c.__skb_tstamp_tx(skb, ack_skb, null, sk, Include.Uapi.Linux.errqueue_h.SCM_TSTAMP_ACK);
        }
    }

    // not ported: skb_rb_next — the queue is an ordered list in the port, walked by .next instead of rb_next
    // not ported: skb_rb_first — the retransmit/out-of-order queue is an ordered list in the port, walked by
    //   its links instead of rb_first
    // net/ipv4/tcp_input.c: tcp_clean_rtx_queue
    /// <summary>
    /// Frees what the ACK covers from the retransmit queue (TX-9; the free is
    /// __kfree_skb, which no tracepoint reports), counting each as delivered
    /// (those not SACKed before) and taking them off sacked_out, lost_out and
    /// retrans_out; a partly acked multi-segment skb is trimmed
    /// (tcp_tso_acked). The oldest never-retransmitted skb acked gives the RTT
    /// sample, the SACK state the SACK RTT; RACK advances; a never-retransmitted
    /// hole filled below what was SACKed is reordering; an ACK that stops at a
    /// SACKed skb is reneging; each skb feeds the rate sample. Congestion
    /// control's pkts_acked hook hears of it.
    /// An skb whose timestamp key this ACK covers reports SCM_TSTAMP_ACK (tcp_ack_tstamp).
    /// </summary>
    [KernelNet.Annotations.Borrows("ack_skb")]
    private static int tcp_clean_rtx_queue(sock sk, sk_buff ack_skb, uint prior_fack, uint prior_snd_una, ref tcp_sacktag_state sack)
    {
        var icsk = inet_csk(sk);
        ulong first_ackt = 0, last_ackt = 0;
        var tp = tcp_sk(sk);
        var prior_sacked = tp.sacked_out;
        var reord = tp.snd_nxt; // the lowest acked sequence never retransmitted nor SACKed
        var fully_acked = true;
        long sack_rtt_us = -1L;
        long seq_rtt_us = -1L;
        long ca_rtt_us = -1L;
        uint pkts_acked = 0;
        var flag = 0;

        sk_buff? skb;
        sk_buff? next;
        for (skb = tp.tcp_rtx_queue_made?.first; skb is not null; skb = next)
        {
            var scb = TCP_SKB_CB(skb);
            var start_seq = scb.seq;
            var sacked = scb.sacked;
            uint acked_pcount;

            // how much of it is acked, whole or (a multi-segment skb) in part
            if (after(scb.end_seq, tp.snd_una))
            {
                if (tcp_skb_pcount(skb) == 1 || !after(tp.snd_una, scb.seq))
                {
                    break;
                }

                acked_pcount = tcp_tso_acked(sk, skb);
                if (acked_pcount == 0)
                {
                    break;
                }

                fully_acked = false;
            }
            else
            {
                acked_pcount = (uint)tcp_skb_pcount(skb);
            }

            if ((sacked & TCPCB_RETRANS) != 0)
            {
                if ((sacked & TCPCB_SACKED_RETRANS) != 0)
                {
                    tp.retrans_out -= acked_pcount;
                }

                flag |= FLAG_RETRANS_DATA_ACKED;
            }
            else if ((sacked & TCPCB_SACKED_ACKED) == 0)
            {
                last_ackt = tcp_skb_timestamp_us(skb);
                if (first_ackt == 0)
                {
                    first_ackt = last_ackt;
                }

                if (before(start_seq, reord))
                {
                    reord = start_seq;
                }

                if (!after(scb.end_seq, tp.high_seq))
                {
                    flag |= FLAG_ORIG_SACK_ACKED;
                }
            }

            if ((sacked & TCPCB_SACKED_ACKED) != 0)
            {
                tp.sacked_out -= acked_pcount;

                // delivered_bytes: AccECN's only (not ported)
            }
            else if (tcp_is_sack(tp))
            {
                tcp_count_delivered(tp, acked_pcount);
                if (!tcp_skb_spurious_retrans(tp, skb))
                {
                    tcp_recovery_c.tcp_rack_advance(tp, sacked, scb.end_seq, tcp_skb_timestamp_us(skb));
                }
            }

            if ((sacked & TCPCB_LOST) != 0)
            {
                tp.lost_out -= acked_pcount;
            }

            tp.packets_out -= acked_pcount;
            pkts_acked += acked_pcount;
            tcp_rate_c.tcp_rate_skb_delivered(sk, skb, ref sack.rate);

            // the SYN is no data: it must not count as data acked (slow start would end a segment early)
            if ((scb.tcp_flags & TCPHDR_SYN) == 0)
            {
                flag |= FLAG_DATA_ACKED;
            }
            else
            {
                flag |= FLAG_SYN_ACKED;
                tp.retrans_stamp = 0;
            }

            // a multi-segment skb acked in part stays queued, trimmed to what is still outstanding
            if (!fully_acked)
            {
                break;
            }

            tcp_ack_tstamp(sk, skb, ack_skb, prior_snd_una);

            next = skb.next;
            tcp_highest_sack_replace(sk, skb, next);
            tcp_rtx_queue_unlink_and_free(skb, sk);
        }

        // the retransmit queue emptied: nothing more to be busy with
        if (tcp_rtx_queue_head(sk) is null)
        {
            tcp_output_c.tcp_chrono_stop(sk, TCP_CHRONO_BUSY);
        }

        if (between(tp.snd_up, prior_snd_una, tp.snd_una))
        {
            tp.snd_up = tp.snd_una;
        }

        // the ACK stopped at an skb the peer had SACKed: it dropped it (reneging)
        if (skb is not null)
        {
            tcp_ack_tstamp(sk, skb, ack_skb, prior_snd_una);
            if ((TCP_SKB_CB(skb).sacked & TCPCB_SACKED_ACKED) != 0)
            {
                flag |= FLAG_SACK_RENEGING;
            }
        }

        if (first_ackt != 0 && (flag & FLAG_RETRANS_DATA_ACKED) == 0)
        {
            seq_rtt_us = tcp_stamp_us_delta(tp.tcp_mstamp, first_ackt);
            ca_rtt_us = tcp_stamp_us_delta(tp.tcp_mstamp, last_ackt);

            if (pkts_acked == 1 && fully_acked && prior_sacked == 0 &&
                (tp.snd_una - prior_snd_una) < tp.mss_cache &&
                sack.rate.prior_delivered + 1 == tp.delivered &&
                (flag & (FLAG_CA_ALERT | FLAG_SYN_ACKED)) == 0)
            {
                // a lone runt acknowledged on its own: most likely a delayed ACK
                flag |= FLAG_ACK_MAYBE_DELAYED;
            }
        }

        if (sack.first_sackt != 0)
        {
            sack_rtt_us = tcp_stamp_us_delta(tp.tcp_mstamp, sack.first_sackt);
            ca_rtt_us = tcp_stamp_us_delta(tp.tcp_mstamp, sack.last_sackt);
        }

        // the rate sample's RTT: that of the last (S)ACKed skb (tcp_ack_update_rtt's rs->rtt_us)
        sack.rate.rtt_us = ca_rtt_us;
        var rtt_update = tcp_ack_update_rtt(sk, flag, seq_rtt_us, sack_rtt_us, ca_rtt_us);

        if ((flag & FLAG_ACKED) != 0)
        {
            flag |= FLAG_SET_XMIT_TIMER; // set TLP or RTO timer

            // the ACK covers the whole MTU probe
            if (icsk.icsk_mtup_probe_size != 0 && !after(tp.mtu_probe_probe_seq_end, tp.snd_una))
            {
                tcp_mtup_probe_success(sk);
            }

            if (tcp_is_reno(tp))
            {
                tcp_remove_reno_sacks(sk, (int)pkts_acked);

                // without SACK, a retransmission among what was acked is no proof that the originals got there
                if ((flag & FLAG_RETRANS_DATA_ACKED) != 0)
                {
                    flag &= ~FLAG_ORIG_SACK_ACKED;
                }
            }
            else
            {
                // a hole never retransmitted got filled: reordering
                if (before(reord, prior_fack))
                {
                    tcp_check_sack_reordering(sk, reord, 0);
                }
            }
        }
        else if (skb is not null && rtt_update && sack_rtt_us >= 0 &&
                 sack_rtt_us > tcp_stamp_us_delta(tp.tcp_mstamp, tcp_skb_timestamp_us(skb)))
        {
            // a SACK RTT from data sent before the head's last (re)transmission: the RTO may move
            flag |= FLAG_SET_XMIT_TIMER;
        }

        if (icsk.icsk_ca_ops?.pkts_acked is { } hook)
        {
            var sample = new ack_sample(pkts_acked, (int)sack.rate.rtt_us, tp.mss_cache * (tp.delivered - sack.rate.prior_delivered));
            hook(sk, sample);
        }

        return flag;
    }

    // net/ipv4/tcp_input.c: tcp_limit_reno_sacked
    /// <summary>Without SACK: duplicate ACKs counted beyond what can be out of order (packets_out less the holes) are cut back; true if they were.</summary>
    private static bool tcp_limit_reno_sacked(tcp_sock tp)
    {
        var holes = Math.Max(tp.lost_out, 1U);
        holes = Math.Min(holes, tp.packets_out);

        if (tp.sacked_out + holes > tp.packets_out)
        {
            tp.sacked_out = tp.packets_out - holes;
            return true;
        }

        return false;
    }

    // net/ipv4/tcp_input.c: tcp_check_reno_reordering
    /// <summary>More duplicate ACKs than segments could cause: reordering (TCPRenoReorder).</summary>
    private static void tcp_check_reno_reordering(sock sk, int addend)
    {
        var tp = tcp_sk(sk);

        if (!tcp_limit_reno_sacked(tp))
        {
            return;
        }

        tp.reordering = Math.Min((uint)((int)tp.packets_out + addend), (uint)Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_max_reordering);
        tp.reord_seen++;
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPRENOREORDER);
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // net/ipv4/tcp_input.c: tcp_add_reno_sack
    /// <summary>Without SACK, a duplicate ACK stands for a segment that arrived out of order: sacked_out counts it, and it is delivered.</summary>
    private static void tcp_add_reno_sack(sock sk, int num_dupack)
    {
        if (num_dupack != 0)
        {
            var tp = tcp_sk(sk);
            var prior_sacked = tp.sacked_out;

            tp.sacked_out += (uint)num_dupack;
            tcp_check_reno_reordering(sk, 0);
            var delivered = (int)(tp.sacked_out - prior_sacked);
            if (delivered > 0)
            {
                tcp_count_delivered(tp, (uint)delivered);
            }

            // tcp_verify_left_out: a WARN only
        }
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // net/ipv4/tcp_input.c: tcp_remove_reno_sacks
    /// <summary>
    /// Without SACK (sacked_out counts duplicate ACKs then), the segments a
    /// cumulative ACK covers are delivered: those that were not already
    /// counted by a duplicate ACK are counted now.
    /// </summary>
    private static void tcp_remove_reno_sacks(sock sk, int acked)
    {
        var tp = tcp_sk(sk);

        if (acked > 0)
        {
            // one ACK for the segment that was counted by a duplicate ACK
            tcp_count_delivered(tp, (uint)Math.Max(acked - (int)tp.sacked_out, 1));
            if (acked - 1 >= tp.sacked_out)
            {
                tp.sacked_out = 0;
            }
            else
            {
                tp.sacked_out -= (uint)(acked - 1);
            }
        }

        tcp_check_reno_reordering(sk, acked);
    }

    // net/ipv4/tcp_input.c: tcp_reset_reno_sack
    private static void tcp_reset_reno_sack(tcp_sock tp) => tp.sacked_out = 0;

    // not ported: tcp_ecn_mode_rfc3168 — written as a test of the port's ecn_flags (TCP_ECN_OK), the only ECN
    //   mode it has
    // net/ipv4/tcp_input.c: tcp_count_delivered
    private static void tcp_count_delivered(tcp_sock tp, uint delivered)
    {
        tp.delivered += delivered;

        // delivered_ce: no ECN.
    }

    // net/ipv4/tcp_input.c: tcp_ack_probe
    /// <summary>With data waiting: a window that now takes the head stops the zero-window probe timer; otherwise the probe is rescheduled with its backoff.</summary>
    private static void tcp_ack_probe(sock sk)
    {
        var icsk = inet_csk(sk);
        var head = tcp_send_head(sk);
        var tp = tcp_sk(sk);

        // was a usable window opened?
        if (head is null)
        {
            return;
        }

        if (!after(TCP_SKB_CB(head).end_seq, tcp_wnd_end(tp)))
        {
            icsk.icsk_backoff = 0;

            icsk.icsk_probes_tstamp = 0;
            inet_csk_clear_xmit_timer(sk, ICSK_TIME_PROBE0);

            // the writer is woken by the tcp_data_snd_check that follows
        }
        else
        {
            var when = tcp_probe0_when(sk, tcp_rto_max(sk));

            when = tcp_timer_c.tcp_clamp_probe0_to_user_timeout(sk, when);
            tcp_reset_xmit_timer(sk, ICSK_TIME_PROBE0, when, true);
        }
    }

    // net/ipv4/tcp_input.c: tcp_ack_is_dubious
    private static bool tcp_ack_is_dubious(sock sk, int flag) =>
        (flag & FLAG_NOT_DUP) == 0 || (flag & FLAG_CA_ALERT) != 0 || inet_csk(sk).icsk_ca_state != TCP_CA_Open;

    // net/ipv4/tcp_input.c: tcp_may_raise_cwnd
    /// <summary>cwnd grows on data acked in order (RFC 5681); with heavy reordering, on any forward progress.</summary>
    private static bool tcp_may_raise_cwnd(sock sk, int flag)
    {
        if (tcp_sk(sk).reordering > Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_reordering)
        {
            return (flag & FLAG_FORWARD_PROGRESS) != 0;
        }

        return (flag & FLAG_DATA_ACKED) != 0;
    }

    // net/ipv4/tcp_input.c: tcp_cong_control
    /// <summary>
    /// At the end of an ACK: an algorithm with its own cong_control (BBR)
    /// sets cwnd and pacing from the rate sample; otherwise in CWR or
    /// Recovery PRR sets cwnd (tcp_cwnd_reduction), else cwnd grows
    /// (tcp_cong_avoid) when allowed, and the pacing rate follows
    /// (tcp_update_pacing_rate).
    /// </summary>
    private static void tcp_cong_control(sock sk, uint ack, uint acked_sacked, int flag, rate_sample rs)
    {
        var icsk = inet_csk(sk);

        if (icsk.icsk_ca_ops!.cong_control is not null)
        {
            icsk.icsk_ca_ops.cong_control(sk, ack, flag, rs);
            return;
        }

        if (tcp_in_cwnd_reduction(sk))
        {
            // the state asks for a reduction
            tcp_cwnd_reduction(sk, (int)acked_sacked, rs.losses, flag);
        }
        else if (tcp_may_raise_cwnd(sk, flag))
        {
            tcp_cong_avoid(sk, ack, acked_sacked);
        }

        tcp_update_pacing_rate(sk);
    }

    // not ported: tcp_ecn_mode_rfc3168 — written as a test of the port's ecn_flags (TCP_ECN_OK), the only ECN
    //   mode it has
    // net/ipv4/tcp_input.c: tcp_newly_delivered
    /// <summary>Counts newly delivered segments in TCPDelivered.</summary>
    private static uint tcp_newly_delivered(sock sk, uint prior_delivered, int flag)
    {
        var tp = tcp_sk(sk);
        var delivered = tp.delivered - prior_delivered;
        Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDELIVERED, (int)delivered);

        // TCPDeliveredCE: no ECN.
        return delivered;
    }

    // not ported: tcp_hdr — the header is read through the port's parsed tcphdr (skb.tcp_header / a local th)
    // not ported: sk_dst_confirm — TCP's neighbour confirmation (sk_dst_pending_confirm, dst_confirm_neigh on
    //   the next send) is not ported: ARP entries age on the neighbour timers alone
    // net/ipv4/tcp_input.c: tcp_ack
    /// <summary>
    /// Processes an arriving ACK. An ACK older than the window of what was
    /// acked is answered by a challenge ACK (TCP_TOO_OLD_ACK), an old one
    /// ignored (0); one above SND.NXT is refused (TCP_ACK_UNSENT_DATA) and,
    /// as the 6.18-stable backport of "tcp: send a challenge ACK on SEG.ACK >
    /// SND.NXT" does, answered with a challenge ACK. Otherwise the window is
    /// updated, acknowledged skbs leave the retransmit queue (RTT sample,
    /// RTO), TCPDelivered counts them, cwnd grows (tcp_cong_control), and a
    /// zero-window probe is settled when nothing was in flight. SACK blocks
    /// tag the scoreboard (tcp_sacktag_write_queue) and count as delivered; a
    /// loss probe's outcome is judged (tcp_process_tlp_ack); a dubious ACK
    /// (duplicate, SACK, or any outside Open) runs the recovery state machine
    /// (tcp_fastretrans_alert); the timer becomes a loss probe or the RTO;
    /// PRR or cwnd growth follows, then what recovery retransmits.
    /// The rate sample is taken (tcp_rate_gen) and RACK's reordering window
    /// adjusted from it. Not ported: ECN/AccECN.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_ack(sock sk, sk_buff skb, int flag)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var prior_snd_una = tp.snd_una;
        var ack_seq = TCP_SKB_CB(skb).seq;
        var ack = TCP_SKB_CB(skb).ack_seq;
        var prior_packets = tp.packets_out;
        var delivered = tp.delivered;
        var lost = tp.lost;
        var is_sack_reneg = tp.is_sack_reneg;
        int num_dupack = 0;
        var rexmit = REXMIT_NONE;
        uint prior_fack;
        var sack_state = default(tcp_sacktag_state);

        // an ACK older than what was already acked is probably to be ignored
        if (before(ack, prior_snd_una))
        {
            // never accept an ACK for bytes we never sent
            var max_window = (uint)Math.Min(tp.max_window, tp.bytes_acked);

            // an ACK far below the window is blind injection (RFC 5961 section 5.2)
            if (before(ack, prior_snd_una - max_window))
            {
                if ((flag & FLAG_NO_CHALLENGE_ACK) == 0)
                {
                    tcp_send_challenge_ack(sk);
                }

                return -(int)skb_drop_reason.SKB_DROP_REASON_TCP_TOO_OLD_ACK;
            }

            goto old_ack;
        }

        // an ACK of data not yet sent is refused (RFC 793 3.9) and challenged (RFC 5961 5.2, 6.18-stable)
        if (after(ack, tp.snd_nxt))
        {
            if ((flag & FLAG_NO_CHALLENGE_ACK) == 0)
            {
                tcp_send_challenge_ack(sk);
            }

            return -(int)skb_drop_reason.SKB_DROP_REASON_TCP_ACK_UNSENT_DATA;
        }

        if (after(ack, prior_snd_una))
        {
            flag |= FLAG_SND_UNA_ADVANCED;
            icsk.icsk_retransmits = 0;

            // tcp_clean_acked (kTLS device offload): not ported.
        }

        prior_fack = tcp_is_sack(tp) ? tcp_highest_sack_seq(tp) : tp.snd_una;
        sack_state.rate.prior_in_flight = tcp_packets_in_flight(tp);

        // ts_recent is updated only once the segment is known to be in the window
        if ((flag & FLAG_UPDATE_TS_RECENT) != 0)
        {
            tcp_replace_ts_recent(tp, TCP_SKB_CB(skb).seq);
        }

        if ((flag & (FLAG_SLOWPATH | FLAG_SND_UNA_ADVANCED)) == FLAG_SND_UNA_ADVANCED)
        {
            // header prediction promised an unchanged window: only snd_una moves (snd_wl2 is snd_una)
            tcp_update_wl(tp, ack_seq);
            tcp_snd_una_update(tp, ack);
            flag |= FLAG_WIN_UPDATE;
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPHPACKS);
        }
        else
        {
            if (ack_seq != TCP_SKB_CB(skb).end_seq)
            {
                flag |= FLAG_DATA;
            }
            else
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPPUREACKS);
            }

            flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);

            if (TCP_SKB_CB(skb).sacked != 0)
            {
                flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una, ref sack_state);
            }

            if (sack_state.sack_delivered != 0)
            {
                tcp_count_delivered(tp, sack_state.sack_delivered);
            }
        }

        // something worked: the soft error of earlier attempts is forgotten
        sk.sk_err_soft = 0;
        icsk.icsk_probes_out = 0;
        tp.rcv_tstamp = tcp_jiffies32(sk);
        if (prior_packets == 0)
        {
            goto no_queue;
        }

        // what can come off the retransmit queue
        flag |= tcp_clean_rtx_queue(sk, skb, prior_fack, prior_snd_una, ref sack_state);

        tcp_recovery_c.tcp_rack_update_reo_wnd(sk, ref sack_state.rate);

        // tcp_accecn_process: no AccECN.
        // not ported: tcp_in_ack_event — no algorithm here has in_ack_event (no DCTCP, BPF or AccECN state)
        if (tp.tlp_high_seq != 0)
        {
            tcp_process_tlp_ack(sk, ack, flag);
        }

        if (tcp_ack_is_dubious(sk, flag))
        {
            if ((flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DSACKING_ACK)) == 0)
            {
                num_dupack = 1;

                // pure ACKs aggregated by tcp_add_backlog count each
                if ((flag & FLAG_DATA) == 0)
                {
                    num_dupack = Math.Max(1, (int)skb.shinfo.gso_segs);
                }
            }

            tcp_fastretrans_alert(sk, prior_snd_una, num_dupack, ref flag, ref rexmit);
        }

        // the loss probe or RTO timer, unless RACK armed its own
        if ((flag & FLAG_SET_XMIT_TIMER) != 0)
        {
            tcp_set_xmit_timer(sk);
        }

        // sk_dst_confirm: neighbour confirmation is not modelled.
        delivered = tcp_newly_delivered(sk, delivered, flag);

        // freshly marked lost
        lost = tp.lost - lost;
        sack_state.rate.is_ack_delayed = (flag & FLAG_ACK_MAYBE_DELAYED) != 0;
        tcp_rate_c.tcp_rate_gen(sk, delivered, lost, is_sack_reneg, ref sack_state.rate);
        tcp_cong_control(sk, ack, delivered, flag, sack_state.rate);
        tcp_xmit_recovery(sk, rexmit);
        return 1;

    no_queue:
        // data D-SACKed with nothing in flight: maybe a reduction can be undone
        if ((flag & FLAG_DSACKING_ACK) != 0)
        {
            tcp_fastretrans_alert(sk, prior_snd_una, num_dupack, ref flag, ref rexmit);
            tcp_newly_delivered(sk, delivered, flag);
        }

        // a window that opens with nothing in flight ends the zero-window probing and its backoff
        tcp_ack_probe(sk);

        if (tp.tlp_high_seq != 0)
        {
            tcp_process_tlp_ack(sk, ack, flag);
        }

        return 1;

    old_ack:
        // SACK blocks of an old ACK still tag the scoreboard; a D-SACK may undo
        if (TCP_SKB_CB(skb).sacked != 0)
        {
            flag |= tcp_sacktag_write_queue(sk, skb, prior_snd_una, ref sack_state);
            tcp_fastretrans_alert(sk, prior_snd_una, num_dupack, ref flag, ref rexmit);
            tcp_newly_delivered(sk, delivered, flag);
            tcp_xmit_recovery(sk, rexmit);
        }

        return 0;
    }

    /// <summary>struct tcp_sacktag_state: what one ACK's SACK blocks did (on the stack in C: a struct passed by ref).</summary>
    private struct tcp_sacktag_state
    {
        /// <summary>first_sackt, last_sackt: send times (µs) of the first and last never-retransmitted skbs newly SACKed.</summary>
        public ulong first_sackt;

        public ulong last_sackt;

        /// <summary>reord: the lowest sequence newly SACKed below the highest SACK (reordering evidence).</summary>
        public uint reord;

        /// <summary>sack_delivered: segments newly SACKed (and D-SACKed).</summary>
        public uint sack_delivered;

        public int flag;

        public uint mss_now;

        /// <summary>rate: this ACK's rate sample (a pointer to tcp_ack's in C).</summary>
        public rate_sample rate;
    }

    // net/ipv4/tcp_input.c: tcp_dsack_seen
    /// <summary>
    /// A D-SACK block: how many segments it reports received twice (0 for a
    /// dubious one: larger than any window, or more duplicates than were ever
    /// retransmitted). Marks D-SACK seen, and RACK's window may grow.
    /// </summary>
    private static uint tcp_dsack_seen(tcp_sock tp, uint start_seq, uint end_seq, ref tcp_sacktag_state state)
    {
        uint dup_segs = 1;

        if (!before(start_seq, end_seq))
        {
            return 0;
        }

        var seq_len = end_seq - start_seq;

        // a D-SACK wider than the largest window ever offered is not believed
        if (seq_len > tp.max_window)
        {
            return 0;
        }

        if (seq_len > tp.mss_cache)
        {
            dup_segs = (seq_len + tp.mss_cache - 1) / tp.mss_cache;
        }
        else if (tp.tlp_high_seq != 0 && tp.tlp_high_seq == end_seq)
        {
            state.flag |= FLAG_DSACK_TLP;
        }

        tp.dsack_dups += dup_segs;

        // more duplicates than retransmissions: not ours
        if (tp.dsack_dups > tp.total_retrans)
        {
            return 0;
        }

        tp.rx_opt.sack_ok |= TCP_DSACK_SEEN;

        // reordering seen and not a probe's duplicate: RACK's window may have been too small
        if (tp.reord_seen != 0 && (state.flag & FLAG_DSACK_TLP) == 0)
        {
            tp.rack.dsack_seen = true;
        }

        state.flag |= FLAG_DSACKING_ACK;

        // a needless retransmission was delivered
        state.sack_delivered += dup_segs;

        return dup_segs;
    }

    /// <summary>TCP_DSACK_SEEN: bit of rx_opt.sack_ok.</summary>
    private const byte TCP_DSACK_SEEN = 1 << 2;

    // net/ipv4/tcp_input.c: tcp_check_sack_reordering
    /// <summary>
    /// Data below the highest SACK (never retransmitted) was delivered late:
    /// reordering, measured in segments from low_seq to the highest SACK and
    /// remembered in tp.reordering (up to tcp_max_reordering); counted in
    /// TCPTSReorder (<paramref name="ts"/>) or TCPSACKReorder.
    /// </summary>
    private static void tcp_check_sack_reordering(sock sk, uint low_seq, int ts)
    {
        var tp = tcp_sk(sk);
        var mss = tp.mss_cache;

        var fack = tcp_highest_sack_seq(tp);
        if (!before(low_seq, fack))
        {
            return;
        }

        var metric = fack - low_seq;
        if (metric > tp.reordering * mss && mss != 0)
        {
            tp.reordering = Math.Min((metric + mss - 1) / mss, (uint)Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_max_reordering);
        }

        tp.reord_seen++;
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, ts != 0 ? linux_mib_field.LINUX_MIB_TCPTSREORDER : linux_mib_field.LINUX_MIB_TCPSACKREORDER);
    }

    // net/ipv4/tcp_input.c: tcp_notify_skb_loss_event
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_notify_skb_loss_event(tcp_sock tp, sk_buff skb) => tp.lost += (uint)tcp_skb_pcount(skb);

    // net/ipv4/tcp_input.c: tcp_mark_skb_lost
    /// <summary>
    /// Marks a segment lost (lost_out, tp.lost); a lost segment whose
    /// retransmission is lost too stops counting as retransmitted
    /// (TCPLostRetransmit). A SACKed segment is never lost.
    /// not ported: tcp_verify_retransmit_hint (no retransmit hint).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    internal static void tcp_mark_skb_lost(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var cb = TCP_SKB_CB(skb);
        var sacked = cb.sacked;

        if ((sacked & TCPCB_SACKED_ACKED) != 0)
        {
            return;
        }

        if ((sacked & TCPCB_LOST) != 0)
        {
            if ((sacked & TCPCB_SACKED_RETRANS) != 0)
            {
                // the retransmission is lost as well
                cb.sacked &= unchecked((byte)~TCPCB_SACKED_RETRANS);
                tp.retrans_out -= (uint)tcp_skb_pcount(skb);
                Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPLOSTRETRANSMIT, tcp_skb_pcount(skb));
                tcp_notify_skb_loss_event(tp, skb);
            }
        }
        else
        {
            tp.lost_out += (uint)tcp_skb_pcount(skb);
            cb.sacked |= TCPCB_LOST;
            tcp_notify_skb_loss_event(tp, skb);
        }
    }

    // net/ipv4/tcp_input.c: tcp_is_sackblock_valid
    /// <summary>
    /// Is a SACK block believable? It must lie between snd_una (exclusive) and
    /// snd_nxt; a D-SACK may lie below snd_una, down to undo_marker (or a
    /// window below it when it straddles).
    /// </summary>
    private static bool tcp_is_sackblock_valid(tcp_sock tp, bool is_dsack, uint start_seq, uint end_seq)
    {
        // beyond what was sent, or reversed
        if (after(end_seq, tp.snd_nxt) || !before(start_seq, end_seq))
        {
            return false;
        }

        // a start_seq that wrapped past snd_nxt
        if (!before(start_seq, tp.snd_nxt))
        {
            return false;
        }

        // inside what is outstanding: valid, D-SACK or not
        if (after(start_seq, tp.snd_una))
        {
            return true;
        }

        if (!is_dsack || tp.undo_marker == 0)
        {
            return false;
        }

        // a D-SACK must then lie wholly below snd_una
        if (after(end_seq, tp.snd_una))
        {
            return false;
        }

        if (!before(start_seq, tp.undo_marker))
        {
            return true;
        }

        // older than the loss episode
        if (!after(end_seq, tp.undo_marker))
        {
            return false;
        }

        // straddling undo_marker: accepted within a window's reach
        return !before(start_seq, end_seq - tp.max_window);
    }

    // net/ipv4/tcp_input.c: tcp_check_dsack
    /// <summary>
    /// Is the first block a D-SACK? Below the ACK (TCPDSACKRecv), or inside
    /// the second block (TCPDSACKOfoRecv). A believable one counts its segments
    /// (TCPDSACKRecvSegs) and, below snd_una, takes them off undo_retrans; a
    /// dubious one counts TCPDSACKIgnoredDubious.
    /// </summary>
    [KernelNet.Annotations.Borrows("ack_skb")]
    private static bool tcp_check_dsack(sock sk, sk_buff ack_skb, int sp_wire, int num_sacks, uint prior_snd_una, ref tcp_sacktag_state state)
    {
        var tp = tcp_sk(sk);
        var start_seq_0 = sack_wire_seq(ack_skb, sp_wire, 0, false);
        var end_seq_0 = sack_wire_seq(ack_skb, sp_wire, 0, true);

        if (before(start_seq_0, TCP_SKB_CB(ack_skb).ack_seq))
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDSACKRECV);
        }
        else if (num_sacks > 1)
        {
            var end_seq_1 = sack_wire_seq(ack_skb, sp_wire, 1, true);
            var start_seq_1 = sack_wire_seq(ack_skb, sp_wire, 1, false);

            if (after(end_seq_0, end_seq_1) || before(start_seq_0, start_seq_1))
            {
                return false;
            }

            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDSACKOFORECV);
        }
        else
        {
            return false;
        }

        var dup_segs = tcp_dsack_seen(tp, start_seq_0, end_seq_0, ref state);
        if (dup_segs == 0)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDSACKIGNOREDDUBIOUS);
            return false;
        }

        Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDSACKRECVSEGS, (int)dup_segs);

        // a D-SACK of data already acked: count it off what an undo waits for
        if (tp.undo_marker != 0 && tp.undo_retrans > 0 &&
            !after(end_seq_0, prior_snd_una) &&
            after(end_seq_0, tp.undo_marker))
        {
            tp.undo_retrans = Math.Max(0, tp.undo_retrans - (int)dup_segs);
        }

        return true;
    }

    /// <summary>get_unaligned_be32 of struct tcp_sack_block_wire: block <paramref name="i"/>'s start or end in the ACK's SACK option at offset <paramref name="sp_wire"/> of the head.</summary>
    [KernelNet.Annotations.NotInLinux("get_unaligned_be32 of a struct tcp_sack_block_wire field, read in place in C")]
    [KernelNet.Annotations.Borrows("ack_skb")]
    private static uint sack_wire_seq(sk_buff ack_skb, int sp_wire, int i, bool end) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ack_skb.head.AsSpan(sp_wire + (i * 8) + (end ? 4 : 0), 4));

    // net/ipv4/tcp_input.c: tcp_match_skb_to_sack
    /// <summary>
    /// Is the skb inside the SACK block? A multi-segment skb that the block
    /// covers only in part is cut (tcp_fragment) at an MSS boundary so that a
    /// whole part matches. 1: inside, 0: not, negative: the cut failed.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_match_skb_to_sack(sock sk, sk_buff skb, uint start_seq, uint end_seq)
    {
        var in_sack = !after(start_seq, TCP_SKB_CB(skb).seq) && !before(end_seq, TCP_SKB_CB(skb).end_seq);

        if (tcp_skb_pcount(skb) > 1 && !in_sack && after(TCP_SKB_CB(skb).end_seq, start_seq))
        {
            var mss = (uint)tcp_skb_mss(skb);
            uint pkt_len;
            in_sack = !after(start_seq, TCP_SKB_CB(skb).seq);

            if (!in_sack)
            {
                pkt_len = start_seq - TCP_SKB_CB(skb).seq;
                if (pkt_len < mss)
                {
                    pkt_len = mss;
                }
            }
            else
            {
                pkt_len = end_seq - TCP_SKB_CB(skb).seq;
                if (pkt_len < mss)
                {
                    return -errno_base_h.EINVAL;
                }
            }

            // whole MSSes only (or the small remainder)
            if (pkt_len > mss)
            {
                var new_len = pkt_len / mss * mss;
                if (!in_sack && new_len < pkt_len)
                {
                    new_len += mss;
                }

                pkt_len = new_len;
            }

            if (pkt_len >= skb.len && !in_sack)
            {
                return 0;
            }

            var err = tcp_output_c.tcp_fragment(sk, skb, pkt_len, mss, 0);
            if (err < 0)
            {
                return err;
            }
        }

        return in_sack ? 1 : 0;
    }

    // net/ipv4/tcp_input.c: tcp_sacktag_one
    /// <summary>
    /// Tags a newly SACKed range: a D-SACK of a retransmission counts off
    /// undo_retrans; a newly SACKed skb leaves lost_out (and retrans_out if
    /// its lost original was retransmitted), joins sacked_out, advances RACK,
    /// and if it was never retransmitted and lies below the highest SACK it
    /// is reordering evidence; returns the new sacked bits.
    /// </summary>
    private static byte tcp_sacktag_one(sock sk, ref tcp_sacktag_state state, byte sacked, uint start_seq, uint end_seq, bool dup_sack, int pcount, ulong xmit_time)
    {
        var tp = tcp_sk(sk);

        // a D-SACK for a retransmitted segment
        if (dup_sack && (sacked & TCPCB_RETRANS) != 0)
        {
            if (tp.undo_marker != 0 && tp.undo_retrans > 0 && after(end_seq, tp.undo_marker))
            {
                tp.undo_retrans = Math.Max(0, tp.undo_retrans - pcount);
            }

            if ((sacked & TCPCB_SACKED_ACKED) != 0 && before(start_seq, state.reord))
            {
                state.reord = start_seq;
            }
        }

        // already cumulatively acked: about to be freed
        if (!after(end_seq, tp.snd_una))
        {
            return sacked;
        }

        if ((sacked & TCPCB_SACKED_ACKED) == 0)
        {
            tcp_recovery_c.tcp_rack_advance(tp, sacked, end_seq, xmit_time);

            if ((sacked & TCPCB_SACKED_RETRANS) != 0)
            {
                // a retransmission still counts as in flight unless its original was lost
                if ((sacked & TCPCB_LOST) != 0)
                {
                    sacked &= unchecked((byte)~(TCPCB_LOST | TCPCB_SACKED_RETRANS));
                    tp.lost_out -= (uint)pcount;
                    tp.retrans_out -= (uint)pcount;
                }
            }
            else
            {
                if ((sacked & TCPCB_RETRANS) == 0)
                {
                    // never retransmitted and it filled a hole below the highest SACK: reordering
                    if (before(start_seq, tcp_highest_sack_seq(tp)) && before(start_seq, state.reord))
                    {
                        state.reord = start_seq;
                    }

                    if (!after(end_seq, tp.high_seq))
                    {
                        state.flag |= FLAG_ORIG_SACK_ACKED;
                    }

                    if (state.first_sackt == 0)
                    {
                        state.first_sackt = xmit_time;
                    }

                    state.last_sackt = xmit_time;
                }

                if ((sacked & TCPCB_LOST) != 0)
                {
                    sacked &= unchecked((byte)~TCPCB_LOST);
                    tp.lost_out -= (uint)pcount;
                }
            }

            sacked |= TCPCB_SACKED_ACKED;
            state.flag |= FLAG_DATA_SACKED;
            tp.sacked_out += (uint)pcount;

            // delivered out of order
            state.sack_delivered += (uint)pcount;
        }

        // a D-SACK shows a retransmission was needless: it no longer counts as in flight
        if (dup_sack && (sacked & TCPCB_SACKED_RETRANS) != 0)
        {
            sacked &= unchecked((byte)~TCPCB_SACKED_RETRANS);
            tp.retrans_out -= (uint)pcount;
        }

        return sacked;
    }

    // net/ipv4/tcp_input.c: tcp_shifted_skb
    /// <summary>
    /// <paramref name="shifted"/> newly SACKed bytes (<paramref name="pcount"/>
    /// segments) moved from the head of <paramref name="skb"/> to the end of
    /// the SACKed <paramref name="prev"/>: the range is tagged, the sequence
    /// numbers and segment counts follow the bytes. When skb is left empty it
    /// is unlinked and freed (TCPSackMerged, true: prev stands for both);
    /// otherwise TCPSackShifted and false.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturnsNonZero = true)]
    [KernelNet.Annotations.Borrows("prev")]
    private static bool tcp_shifted_skb(sock sk, sk_buff prev, sk_buff skb, ref tcp_sacktag_state state, int pcount, int shifted, int mss, bool dup_sack)
    {
        var tp = tcp_sk(sk);
        var start_seq = TCP_SKB_CB(skb).seq; // start of newly-SACKed
        var end_seq = start_seq + (uint)shifted; // end of newly-SACKed

        if (pcount == 0)
        {
            throw new InvalidOperationException("tcp_shifted_skb: no segment shifted (BUG_ON)");
        }

        // Tag the range first: moving seq below advances tcp_highest_sack_seq
        // when skb is the highest SACKed one. prev is tagged already, so the
        // returned bits are not kept.
        tcp_sacktag_one(sk, ref state, TCP_SKB_CB(skb).sacked, start_seq, end_seq, dup_sack, pcount, tcp_skb_timestamp_us(skb));
        tcp_rate_c.tcp_rate_skb_delivered(sk, skb, ref state.rate);

        TCP_SKB_CB(prev).end_seq += (uint)shifted;
        TCP_SKB_CB(skb).seq += (uint)shifted;

        tcp_skb_pcount_add(prev, pcount);
        System.Diagnostics.Debug.Assert(tcp_skb_pcount(skb) >= pcount, "tcp_shifted_skb: more segments than the skb had (WARN_ON_ONCE)");
        tcp_skb_pcount_add(skb, -pcount);

        // a prev of one segment has no gso_size yet: give it the MSS, so a later D-SACK can still cut it
        if (TCP_SKB_CB(prev).tcp_gso_size == 0)
        {
            TCP_SKB_CB(prev).tcp_gso_size = (ushort)mss;
        }

        // as for any skb of one segment
        if (tcp_skb_pcount(skb) <= 1)
        {
            TCP_SKB_CB(skb).tcp_gso_size = 0;
        }

        // both are acknowledged by the same cumulative ACK: the union of their retransmit history will do
        TCP_SKB_CB(prev).sacked |= (byte)(TCP_SKB_CB(skb).sacked & TCPCB_EVER_RETRANS);

        if (skb.len > 0)
        {
            if (tcp_skb_pcount(skb) == 0)
            {
                throw new InvalidOperationException("tcp_shifted_skb: bytes left without a segment (BUG_ON)");
            }

            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_SACKSHIFTED);
            return false;
        }

        // The whole skb was eaten.
        // retransmit_skb_hint is not modelled: nothing points at skb.
        TCP_SKB_CB(prev).tcp_flags |= TCP_SKB_CB(skb).tcp_flags;
        TCP_SKB_CB(prev).eor = TCP_SKB_CB(skb).eor;
        if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
        {
            TCP_SKB_CB(prev).end_seq++;
        }

        if (skb == tcp_highest_sack(sk))
        {
            tcp_advance_highest_sack(sk, skb);
        }

        tcp_output_c.tcp_skb_collapse_tstamp(prev, skb);
        if (TCP_SKB_CB(prev).tx.delivered_mstamp != 0)
        {
            TCP_SKB_CB(prev).tx.delivered_mstamp = 0;
        }

        tcp_rtx_queue_unlink_and_free(skb, sk);

        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_SACKMERGED);

        return true;
    }

    // net/ipv4/tcp_input.c: tcp_skb_seglen
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_skb_seglen(sk_buff skb) => tcp_skb_pcount(skb) == 1 ? skb.len : tcp_skb_mss(skb);

    // net/ipv4/tcp_input.c: skb_can_shift
    /// <summary>Only page frags can be shifted between skbs: an skb with a linear head cannot.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool skb_can_shift(sk_buff skb) => skbuff_h.skb_headlen(skb) == 0 && skbuff_h.skb_is_nonlinear(skb);

    // net/ipv4/tcp_input.c: tcp_skb_shift
    /// <summary>
    /// skb_shift within what tcp_gso_segs can count: no more than 65535
    /// segments of TCP_MIN_GSO_SIZE bytes in one skb. The bytes shifted, 0
    /// when nothing moved.
    /// </summary>
    [KernelNet.Annotations.Borrows("to")]
    [KernelNet.Annotations.Borrows("from")]
    internal static int tcp_skb_shift(sk_buff to, sk_buff from, int pcount, int shiftlen)
    {
        if (to.len + shiftlen >= 65535 * TCP_MIN_GSO_SIZE)
        {
            return 0;
        }

        if (tcp_skb_pcount(to) + pcount > 65535)
        {
            return 0;
        }

        return Core.skbuff_c.skb_shift(to, from, shiftlen);
    }

    // not ported: skb_rb_prev — the queue is an ordered list in the port, walked by .prev instead of rb_prev
    // not ported: skb_rb_next — the queue is an ordered list in the port, walked by .next instead of rb_next
    // net/ipv4/tcp_input.c: tcp_shift_skb_data
    /// <summary>
    /// Merges the newly SACKed part of <paramref name="skb"/> (all of it, or
    /// its head up to <paramref name="end_seq"/> on MSS boundaries) into the
    /// SACKed skb before it, so SACKed runs collapse into one skb
    /// (tcp_shifted_skb); a hole so filled also lets the next SACKed skb
    /// join. Returns prev when it took the bytes (the walk goes on from it),
    /// skb when nothing was to be done (noop), or null — TCPSackShiftFallback
    /// — when tcp_sacktag_walk must tag skb on its own (a linear head, a prev
    /// not plainly SACKed, differing MSS, no room for the frags...).
    /// When it returns prev, skb may be gone (merged and freed); no
    /// [Consumes] form says "unless it returns null or skb itself", so it
    /// stays in skb-ownership-baseline.tsv (KN0012.md).
    /// </summary>
    private static sk_buff? tcp_shift_skb_data(sock sk, sk_buff skb, ref tcp_sacktag_state state, uint start_seq, uint end_seq, bool dup_sack)
    {
        var tp = tcp_sk(sk);
        sk_buff? prev;
        int mss;
        int pcount;
        int len;
        bool in_sack;

        // a retransmission that is not lost does not turn into plain SACKed
        if (!dup_sack && (TCP_SKB_CB(skb).sacked & (TCPCB_LOST | TCPCB_SACKED_RETRANS)) == TCPCB_SACKED_RETRANS)
        {
            goto fallback;
        }

        if (!skb_can_shift(skb))
        {
            goto fallback;
        }

        // This frame is about to be dropped (was ACKed).
        if (!after(TCP_SKB_CB(skb).end_seq, tp.snd_una))
        {
            goto fallback;
        }

        // only after a delayed D-SACK and a discard
        prev = skb.prev; // skb_rb_prev: the retransmit queue is a list in sequence order
        if (prev is null)
        {
            goto fallback;
        }

        if ((TCP_SKB_CB(prev).sacked & TCPCB_TAGBITS) != TCPCB_SACKED_ACKED)
        {
            goto fallback;
        }

        if (!tcp_skb_can_collapse(prev, skb))
        {
            goto fallback;
        }

        in_sack = !after(start_seq, TCP_SKB_CB(skb).seq) && !before(end_seq, TCP_SKB_CB(skb).end_seq);

        if (in_sack)
        {
            len = skb.len;
            pcount = tcp_skb_pcount(skb);
            mss = tcp_skb_seglen(skb);

            // a D-SACK could otherwise cut an already SACKed skb off its MSS
            if (mss != tcp_skb_seglen(prev))
            {
                goto fallback;
            }
        }
        else
        {
            if (!after(TCP_SKB_CB(skb).end_seq, start_seq))
            {
                goto noop;
            }

            // a one-segment skb the block covers only partly: nothing whole to move
            if (tcp_skb_pcount(skb) <= 1)
            {
                goto noop;
            }

            in_sack = !after(start_seq, TCP_SKB_CB(skb).seq);
            if (!in_sack)
            {
                // the block starts inside skb: merging its tail into the next skb is not attempted
                goto fallback;
            }

            len = (int)(end_seq - TCP_SKB_CB(skb).seq);
            if (len < 0 || len > skb.len)
            {
                throw new InvalidOperationException("tcp_shift_skb_data: the SACKed length lies outside the skb (BUG_ON)");
            }

            // only whole segments move, so pcount stays exact
            mss = tcp_skb_mss(skb);

            // a D-SACK could otherwise cut an already SACKed skb off its MSS
            if (mss != tcp_skb_seglen(prev))
            {
                goto fallback;
            }

            if (len == mss)
            {
                pcount = 1;
            }
            else if (len < mss)
            {
                goto noop;
            }
            else
            {
                pcount = len / mss;
                len = pcount * mss;
            }
        }

        // tcp_sacktag_one() does not tag what lies below snd_una
        if (!after(TCP_SKB_CB(skb).seq + (uint)len, tp.snd_una))
        {
            goto fallback;
        }

        if (tcp_skb_shift(prev, skb, pcount, len) == 0)
        {
            goto fallback;
        }

        if (!tcp_shifted_skb(sk, prev, skb, ref state, pcount, len, mss, dup_sack))
        {
            goto @out;
        }

        // The hole is filled: the next skb may join prev as well (useful when every nth segment is lost).
        var next = prev.next; // skb_rb_next
        if (next is null)
        {
            goto @out;
        }

        skb = next;

        if (!skb_can_shift(skb) ||
            (TCP_SKB_CB(skb).sacked & TCPCB_TAGBITS) != TCPCB_SACKED_ACKED ||
            mss != tcp_skb_seglen(skb))
        {
            goto @out;
        }

        if (!tcp_skb_can_collapse(prev, skb))
        {
            goto @out;
        }

        len = skb.len;
        pcount = tcp_skb_pcount(skb);
        if (tcp_skb_shift(prev, skb, pcount, len) != 0)
        {
            tcp_shifted_skb(sk, prev, skb, ref state, pcount, len, mss, false);
        }

    @out:
        return prev;

    noop:
        return skb;

    fallback:
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_SACKSHIFTFALLBACK);
        return null;
    }

    // not ported: skb_rbtree_walk_from — the queue is an ordered list in the port, walked by a loop over
    //   .next
    // net/ipv4/tcp_input.c: tcp_sacktag_walk
    /// <summary>
    /// Tags the skbs from <paramref name="skb"/> that lie in [start_seq,
    /// end_seq) (cutting multi-segment skbs at the block's edges); a D-SACK
    /// block nested inside (<paramref name="next_dup"/>) marks what it covers
    /// as duplicates. Newly SACKed skbs leave the send-time list and may
    /// advance highest_sack. Returns where the walk stopped.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static sk_buff? tcp_sacktag_walk(sk_buff? skb, sock sk, tcp_sack_block? next_dup, ref tcp_sacktag_state state, uint start_seq, uint end_seq, bool dup_sack_in)
    {
        var tp = tcp_sk(sk);

        for (; skb is not null; skb = skb.next)
        {
            var in_sack = 0;
            var dup_sack = dup_sack_in;

            // the queue is in sequence order: past the block, stop
            if (!before(TCP_SKB_CB(skb).seq, end_seq))
            {
                break;
            }

            if (next_dup is { } nd && before(TCP_SKB_CB(skb).seq, nd.end_seq))
            {
                in_sack = tcp_match_skb_to_sack(sk, skb, nd.start_seq, nd.end_seq);
                if (in_sack > 0)
                {
                    dup_sack = true;
                }
            }

            if (in_sack <= 0)
            {
                var tmp = tcp_shift_skb_data(sk, skb, ref state, start_seq, end_seq, dup_sack);
                if (tmp is not null)
                {
                    if (tmp != skb)
                    {
                        skb = tmp;
                        continue;
                    }

                    in_sack = 0;
                }
                else
                {
                    in_sack = tcp_match_skb_to_sack(sk, skb, start_seq, end_seq);
                }
            }

            if (in_sack < 0)
            {
                break;
            }

            if (in_sack != 0)
            {
                TCP_SKB_CB(skb).sacked = tcp_sacktag_one(sk, ref state, TCP_SKB_CB(skb).sacked, TCP_SKB_CB(skb).seq, TCP_SKB_CB(skb).end_seq,
                    dup_sack, tcp_skb_pcount(skb), tcp_skb_timestamp_us(skb));

                tcp_rate_c.tcp_rate_skb_delivered(sk, skb, ref state.rate);
                if ((TCP_SKB_CB(skb).sacked & TCPCB_SACKED_ACKED) != 0)
                {
                    tcp_tsorted_del_init(tp, skb);
                }

                if (!before(TCP_SKB_CB(skb).seq, tcp_highest_sack_seq(tp)))
                {
                    tcp_advance_highest_sack(sk, skb);
                }
            }
        }

        return skb;
    }

    // not ported: rb_to_skb — the queue is an ordered list of sk_buffs in the port, so there is no rb_node to
    //   convert
    // net/ipv4/tcp_input.c: tcp_sacktag_bsearch
    /// <summary>The skb of the retransmit queue holding <paramref name="seq"/> (an rbtree search in 6.18; the port's queue is a list in sequence order).</summary>
    private static sk_buff? tcp_sacktag_bsearch(sock sk, uint seq)
    {
        for (var skb = tcp_sk(sk).tcp_rtx_queue_made?.first; skb is not null; skb = skb.next)
        {
            if (before(seq, TCP_SKB_CB(skb).seq))
            {
                return null;
            }

            if (before(seq, TCP_SKB_CB(skb).end_seq))
            {
                return skb;
            }
        }

        return null;
    }

    // net/ipv4/tcp_input.c: tcp_sacktag_skip
    [KernelNet.Annotations.Borrows("skb")]
    private static sk_buff? tcp_sacktag_skip(sk_buff? skb, sock sk, uint skip_to_seq)
    {
        if (skb is not null && after(TCP_SKB_CB(skb).seq, skip_to_seq))
        {
            return skb;
        }

        return tcp_sacktag_bsearch(sk, skip_to_seq);
    }

    // net/ipv4/tcp_input.c: tcp_maybe_skipping_dsack
    [KernelNet.Annotations.Borrows("skb")]
    private static sk_buff? tcp_maybe_skipping_dsack(sk_buff? skb, sock sk, tcp_sack_block? next_dup, ref tcp_sacktag_state state, uint skip_to_seq)
    {
        if (next_dup is not { } nd)
        {
            return skb;
        }

        if (before(nd.start_seq, skip_to_seq))
        {
            skb = tcp_sacktag_skip(skb, sk, nd.start_seq);
            skb = tcp_sacktag_walk(skb, sk, null, ref state, nd.start_seq, nd.end_seq, true);
        }

        return skb;
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // not ported: skb_transport_header — the header is read through the port's parsed tcphdr
    // net/ipv4/tcp_input.c: tcp_sacktag_write_queue
    /// <summary>
    /// The SACK blocks of an ACK tag the retransmit queue: a D-SACK is
    /// recognised (tcp_check_dsack); each block is validated
    /// (TCPSACKDiscard, TCPDSACKIgnoredOld/NoUndo), sorted, and walked,
    /// skipping what the previous ACK's blocks (recv_sack_cache) already
    /// tagged; reordering is checked at the end. Returns the FLAG_* bits.
    /// </summary>
    [KernelNet.Annotations.Borrows("ack_skb")]
    private static int tcp_sacktag_write_queue(sock sk, sk_buff ack_skb, uint prior_snd_una, ref tcp_sacktag_state state)
    {
        // not ported: tcp_sack_cache_ok — written out as an index test against the cache's length
        // not ported: tcp_packets_in_flight — only in a WARN_ON (in flight never negative)
        var tp = tcp_sk(sk);
        var ptr = ack_skb.transport_header + TCP_SKB_CB(ack_skb).sacked;
        var sp_wire = ptr + 2;
        Span<tcp_sack_block> sp = stackalloc tcp_sack_block[TCP_NUM_SACKS];
        var num_sacks = Math.Min(TCP_NUM_SACKS, (ack_skb.head[ptr + 1] - TCPOLEN_SACK_BASE) >> 3);
        int used_sacks;
        int i, j;
        int first_sack_index;
        int cache;

        state.flag = 0;
        state.reord = tp.snd_nxt;

        if (tp.sacked_out == 0)
        {
            tcp_highest_sack_reset(sk);
        }

        var found_dup_sack = tcp_check_dsack(sk, ack_skb, sp_wire, num_sacks, prior_snd_una, ref state);

        // an ACK older than a window is ignored; fresher ones still carry valid SACKs
        if (before(TCP_SKB_CB(ack_skb).ack_seq, prior_snd_una - tp.max_window))
        {
            return 0;
        }

        if (tp.packets_out == 0)
        {
            goto @out;
        }

        used_sacks = 0;
        first_sack_index = 0;
        for (i = 0; i < num_sacks; i++)
        {
            var dup_sack = i == 0 && found_dup_sack;

            sp[used_sacks].start_seq = sack_wire_seq(ack_skb, sp_wire, i, false);
            sp[used_sacks].end_seq = sack_wire_seq(ack_skb, sp_wire, i, true);

            if (!tcp_is_sackblock_valid(tp, dup_sack, sp[used_sacks].start_seq, sp[used_sacks].end_seq))
            {
                linux_mib_field mib_idx;

                if (dup_sack)
                {
                    mib_idx = tp.undo_marker == 0 ? linux_mib_field.LINUX_MIB_TCPDSACKIGNOREDNOUNDO : linux_mib_field.LINUX_MIB_TCPDSACKIGNOREDOLD;
                }
                else
                {
                    // an old block from a reordered ACK is not counted
                    if (TCP_SKB_CB(ack_skb).ack_seq != tp.snd_una && !after(sp[used_sacks].end_seq, tp.snd_una))
                    {
                        continue;
                    }

                    mib_idx = linux_mib_field.LINUX_MIB_TCPSACKDISCARD;
                }

                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, mib_idx);
                if (i == 0)
                {
                    first_sack_index = -1;
                }

                continue;
            }

            // wholly below what was already acked: skip it early
            if (!after(sp[used_sacks].end_seq, prior_snd_una))
            {
                if (i == 0)
                {
                    first_sack_index = -1;
                }

                continue;
            }

            used_sacks++;
        }

        // sort the blocks so the queue is walked once, in order
        for (i = used_sacks - 1; i > 0; i--)
        {
            for (j = 0; j < i; j++)
            {
                if (after(sp[j].start_seq, sp[j + 1].start_seq))
                {
                    (sp[j], sp[j + 1]) = (sp[j + 1], sp[j]);

                    // follow where the first block went
                    if (j == first_sack_index)
                    {
                        first_sack_index = j + 1;
                    }
                }
            }
        }

        state.mss_now = tcp_output_c.tcp_current_mss(sk);
        sk_buff? skb = null;
        i = 0;

        var recv_sack_cache = tp.recv_sack_cache;
        if (tp.sacked_out == 0)
        {
            // nothing SACKed before: the cache says nothing
            cache = recv_sack_cache.Length;
        }
        else
        {
            cache = 0;

            // skip the empty blocks at the head of the cache
            while (cache < recv_sack_cache.Length && recv_sack_cache[cache].start_seq == 0 && recv_sack_cache[cache].end_seq == 0)
            {
                cache++;
            }
        }

        while (i < used_sacks)
        {
            var start_seq = sp[i].start_seq;
            var end_seq = sp[i].end_seq;
            var dup_sack = found_dup_sack && i == first_sack_index;
            tcp_sack_block? next_dup = null;

            if (found_dup_sack && (i + 1) == first_sack_index)
            {
                next_dup = sp[i + 1];
            }

            // cached blocks wholly before this one
            while (cache < recv_sack_cache.Length && !before(start_seq, recv_sack_cache[cache].end_seq))
            {
                cache++;
            }

            // overlapping what the cache says was tagged already: only the new parts are walked
            if (cache < recv_sack_cache.Length && !dup_sack && after(end_seq, recv_sack_cache[cache].start_seq))
            {
                // the head first
                if (before(start_seq, recv_sack_cache[cache].start_seq))
                {
                    skb = tcp_sacktag_skip(skb, sk, start_seq);
                    skb = tcp_sacktag_walk(skb, sk, next_dup, ref state, start_seq, recv_sack_cache[cache].start_seq, dup_sack);
                }

                // nothing beyond the cached block
                if (!after(end_seq, recv_sack_cache[cache].end_seq))
                {
                    goto advance_sp;
                }

                skb = tcp_maybe_skipping_dsack(skb, sk, next_dup, ref state, recv_sack_cache[cache].end_seq);

                // the tail is left: from highest_sack if the cached block ends there
                if (tcp_highest_sack_seq(tp) == recv_sack_cache[cache].end_seq)
                {
                    skb = tcp_highest_sack(sk);
                    if (skb is null)
                    {
                        break;
                    }

                    cache++;
                    goto walk;
                }

                skb = tcp_sacktag_skip(skb, sk, recv_sack_cache[cache].end_seq);

                // the next cached block may overlap too
                cache++;
                continue;
            }

            if (!before(start_seq, tcp_highest_sack_seq(tp)))
            {
                skb = tcp_highest_sack(sk);
                if (skb is null)
                {
                    break;
                }
            }

            skb = tcp_sacktag_skip(skb, sk, start_seq);

        walk:
            skb = tcp_sacktag_walk(skb, sk, next_dup, ref state, start_seq, end_seq, dup_sack);

        advance_sp:
            i++;
        }

        // the cache keeps this ACK's blocks, at its tail
        for (i = 0; i < recv_sack_cache.Length - used_sacks; i++)
        {
            recv_sack_cache[i].start_seq = 0;
            recv_sack_cache[i].end_seq = 0;
        }

        for (j = 0; j < used_sacks; j++)
        {
            recv_sack_cache[i++] = sp[j];
        }

        if (inet_csk(sk).icsk_ca_state != TCP_CA_Loss || tp.undo_marker != 0)
        {
            tcp_check_sack_reordering(sk, state.reord, 0);
        }

        // tcp_verify_left_out: a WARN only
    @out:
        return state.flag;
    }

    // net/ipv4/tcp_input.c: tcp_init_undo
    /// <summary>Remembers where a loss episode began, and how many retransmissions (a loss probe's included) must be D-SACKed before an undo; never 0, which would mean "undo now".</summary>
    private static void tcp_init_undo(tcp_sock tp)
    {
        tp.undo_marker = tp.snd_una;

        // retransmissions still in flight may draw D-SACKs later
        tp.undo_retrans = (int)tp.retrans_out;

        // and a retransmitted loss probe
        if (tp.tlp_high_seq != 0 && tp.tlp_retrans)
        {
            tp.undo_retrans++;
        }

        if (tp.undo_retrans == 0)
        {
            tp.undo_retrans = -1;
        }
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // not ported: tcp_clear_all_retrans_hints — the port keeps no retransmit hints
    //   (lost_skb_hint/retransmit_skb_hint)
    // not ported: skb_rbtree_walk_from — the queue is an ordered list in the port, walked by a loop over
    //   .next
    // net/ipv4/tcp_input.c: tcp_timeout_mark_lost
    /// <summary>
    /// After an RTO the head and every segment RACK would no longer wait for
    /// count as lost; SACKed ones stay SACKed, unless the head itself is SACKed:
    /// then the peer reneged (TCPSACKReneging) and every SACK is forgotten.
    /// </summary>
    private static void tcp_timeout_mark_lost(sock sk)
    {
        var tp = tcp_sk(sk);
        var head = tcp_rtx_queue_head(sk);
        var is_reneg = head is not null && (TCP_SKB_CB(head).sacked & TCPCB_SACKED_ACKED) != 0;
        if (is_reneg)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPSACKRENEGING);
            tp.sacked_out = 0;

            // until this loss episode is over
            tp.is_sack_reneg = true;
        }
        else if (tcp_is_reno(tp))
        {
            tcp_reset_reno_sack(tp);
        }

        for (var skb = head; skb is not null; skb = skb.next)
        {
            if (is_reneg)
            {
                TCP_SKB_CB(skb).sacked &= unchecked((byte)~TCPCB_SACKED_ACKED);
            }
            else if (skb != head && tcp_recovery_c.tcp_rack_skb_timeout(tp, skb, 0) > 0)
            {
                // sent too recently to call lost yet
                continue;
            }

            tcp_mark_skb_lost(sk, skb);
        }

        // tcp_verify_left_out: a WARN only. tcp_clear_all_retrans_hints: no hints.
    }

    // net/ipv4/tcp_input.c: tcp_enter_loss
    /// <summary>
    /// The RTO fired: the Loss state, with ssthresh from the congestion
    /// control (first timeout of an episode), cwnd down to one more than what is
    /// still in flight, the lost segments marked, high_seq the point recovery
    /// must reach, and F-RTO (RFC 5682, net.ipv4.tcp_frto) armed for a new
    /// episode or a repeated timeout.
    /// </summary>
    public static void tcp_enter_loss(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        var new_recovery = icsk.icsk_ca_state < TCP_CA_Recovery;

        tcp_timeout_mark_lost(sk);

        // ssthresh is cut once per window of data: not again inside this one.
        if (icsk.icsk_ca_state <= TCP_CA_Disorder || !after(tp.high_seq, tp.snd_una) || (icsk.icsk_ca_state == TCP_CA_Loss && icsk.icsk_retransmits == 0))
        {
            tp.prior_ssthresh = tcp_current_ssthresh(sk);
            tp.prior_cwnd = tcp_snd_cwnd(tp);
            tp.snd_ssthresh = icsk.icsk_ca_ops!.ssthresh!(sk);
            tcp_ca_event(sk, CA_EVENT_LOSS);
            tcp_init_undo(tp);
        }

        tcp_snd_cwnd_set(tp, tcp_packets_in_flight(tp) + 1);
        tp.snd_cwnd_cnt = 0;
        tp.snd_cwnd_stamp = tcp_jiffies32(sk);

        // a timeout after many duplicate ACKs: reordering was overestimated
        var reordering = (uint)Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_reordering;
        if (icsk.icsk_ca_state <= TCP_CA_Disorder && tp.sacked_out >= reordering)
        {
            tp.reordering = Math.Min(tp.reordering, reordering);
        }

        tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Loss);
        tp.high_seq = tp.snd_nxt;
        tp.tlp_high_seq = 0;

        // F-RTO step 1: unless recovery was already under way (other than a repeated timeout), or an MTU probe is out
        tp.frto = Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_frto != 0 && (new_recovery || icsk.icsk_retransmits != 0) &&
            icsk.icsk_mtup_probe_size == 0;
    }

    // net/ipv4/tcp_input.c: tcp_check_sack_reneging
    /// <summary>
    /// The ACK stopped at data the peer had SACKed: rather than forget the
    /// scoreboard at once, the RTO is pulled in to max(RTT/2, 10 ms) to give
    /// the peer a chance to set it right.
    /// </summary>
    private static bool tcp_check_sack_reneging(sock sk, ref int ack_flag)
    {
        if ((ack_flag & FLAG_SACK_RENEGING) != 0 && (ack_flag & FLAG_SND_UNA_ADVANCED) != 0)
        {
            var tp = tcp_sk(sk);
            var delay = (ulong)Math.Max(Include.Linux.jiffies_h.usecs_to_jiffies(tp.srtt_us >> 4), Include.Linux.jiffies_h.msecs_to_jiffies(10));

            tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, delay, false);
            ack_flag &= ~FLAG_SET_XMIT_TIMER;
            return true;
        }

        return false;
    }

    // net/ipv4/tcp_input.c: tcp_time_to_recover
    /// <summary>Recovery starts once loss detection (RACK, or NewReno's dupacks) has marked a segment lost.</summary>
    private static bool tcp_time_to_recover(tcp_sock tp) => tp.lost_out != 0;

    // net/ipv4/tcp_input.c: tcp_tsopt_ecr_before
    private static bool tcp_tsopt_ecr_before(tcp_sock tp, uint when) =>
        tp.rx_opt.saw_tstamp && tp.rx_opt.rcv_tsecr != 0 && before(tp.rx_opt.rcv_tsecr, when);

    // net/ipv4/tcp_input.c: tcp_skb_spurious_retrans
    /// <summary>A retransmitted skb whose ACK echoes a timestamp from before the retransmission: the original got there.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_skb_spurious_retrans(tcp_sock tp, sk_buff skb) =>
        (TCP_SKB_CB(skb).sacked & TCPCB_RETRANS) != 0 && tcp_tsopt_ecr_before(tp, tcp_skb_timestamp_ts(tp.tcp_usec_ts, skb));

    // net/ipv4/tcp_input.c: tcp_packet_delayed
    /// <summary>Was the "lost" data only delayed? The echoed timestamp predates the first retransmission, or nothing was retransmitted yet.</summary>
    private static bool tcp_packet_delayed(tcp_sock tp)
    {
        if (tp.retrans_stamp != 0)
        {
            return tcp_tsopt_ecr_before(tp, tp.retrans_stamp);
        }

        // retrans_stamp cleared by tcp_is_non_sack_preventing_reopen
        if (!tcp_is_sack(tp) && !before(tp.snd_una, tp.high_seq))
        {
            return false;
        }

        // cleared when the SYN was acked
        if (tp.sk.sk_state == TCP_SYN_SENT)
        {
            return false;
        }

        // nothing retransmitted yet
        return true;
    }

    // net/ipv4/tcp_input.c: tcp_any_retrans_done
    /// <summary>Is anything retransmitted still unacknowledged?</summary>
    private static bool tcp_any_retrans_done(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tp.retrans_out != 0)
        {
            return true;
        }

        var skb = tcp_rtx_queue_head(sk);
        return skb is not null && (TCP_SKB_CB(skb).sacked & TCPCB_EVER_RETRANS) != 0;
    }

    // net/ipv4/tcp_input.c: tcp_retrans_stamp_cleanup
    /// <summary>No retransmission left out: the next episode's stamp starts afresh.</summary>
    private static void tcp_retrans_stamp_cleanup(sock sk)
    {
        if (!tcp_any_retrans_done(sk))
        {
            tcp_sk(sk).retrans_stamp = 0;
        }
    }

    // not ported: tcp_clear_all_retrans_hints — the port keeps no retransmit hints
    //   (lost_skb_hint/retransmit_skb_hint)
    // not ported: skb_rbtree_walk — the queue is an ordered list in the port, walked by a loop over its links
    // net/ipv4/tcp_input.c: tcp_undo_cwnd_reduction
    /// <summary>
    /// The loss was not real: cwnd comes back (the algorithm's undo_cwnd),
    /// ssthresh too if it was higher; <paramref name="unmark_loss"/> forgets
    /// every lost mark. RACK re-examines its losses.
    /// </summary>
    private static void tcp_undo_cwnd_reduction(sock sk, bool unmark_loss)
    {
        var tp = tcp_sk(sk);

        if (unmark_loss)
        {
            for (var skb = tp.tcp_rtx_queue_made?.first; skb is not null; skb = skb.next)
            {
                TCP_SKB_CB(skb).sacked &= unchecked((byte)~TCPCB_LOST);
            }

            tp.lost_out = 0;
        }

        if (tp.prior_ssthresh != 0)
        {
            var icsk = inet_csk(sk);

            tcp_snd_cwnd_set(tp, icsk.icsk_ca_ops!.undo_cwnd!(sk));

            if (tp.prior_ssthresh > tp.snd_ssthresh)
            {
                tp.snd_ssthresh = tp.prior_ssthresh;

            }
        }

        tp.snd_cwnd_stamp = tcp_jiffies32(sk);
        tp.undo_marker = 0;
        tp.rack.advanced = true;
    }

    // net/ipv4/tcp_input.c: tcp_may_undo
    /// <summary>An undo is possible: every retransmission was D-SACKed, or the echoed timestamps show the originals arrived.</summary>
    private static bool tcp_may_undo(tcp_sock tp) => tp.undo_marker != 0 && (tp.undo_retrans == 0 || tcp_packet_delayed(tp));

    // net/ipv4/tcp_input.c: tcp_is_non_sack_preventing_reopen
    /// <summary>Without SACK, the state is held until something above high_seq is acked (RFC 2582: no false fast retransmits).</summary>
    private static bool tcp_is_non_sack_preventing_reopen(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tp.snd_una == tp.high_seq && tcp_is_reno(tp))
        {
            if (!tcp_any_retrans_done(sk))
            {
                tp.retrans_stamp = 0;
            }

            return true;
        }

        return false;
    }

    // not ported: DBGUNDO — a debug printk compiled in only with FASTRETRANS_DEBUG > 1
    // net/ipv4/tcp_input.c: tcp_try_undo_recovery
    /// <summary>
    /// Recovery (or Loss) is over: if the reduction was needless it is undone
    /// (TCPFullUndo, or TCPLossUndo in Loss); then back to Open, unless a
    /// peer without SACK must first ack beyond high_seq.
    /// </summary>
    private static bool tcp_try_undo_recovery(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tcp_may_undo(tp))
        {
            // nothing was retransmitted, or the originals got there
            tcp_undo_cwnd_reduction(sk, false);
            var mib_idx = inet_csk(sk).icsk_ca_state == TCP_CA_Loss ? linux_mib_field.LINUX_MIB_TCPLOSSUNDO : linux_mib_field.LINUX_MIB_TCPFULLUNDO;
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, mib_idx);
        }
        else if (tp.rack.reo_wnd_persist != 0)
        {
            tp.rack.reo_wnd_persist--;
        }

        if (tcp_is_non_sack_preventing_reopen(sk))
        {
            return true;
        }

        tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Open);
        tp.is_sack_reneg = false;
        return false;
    }

    // not ported: DBGUNDO — a debug printk compiled in only with FASTRETRANS_DEBUG > 1
    // net/ipv4/tcp_input.c: tcp_try_undo_dsack
    /// <summary>D-SACKs covered every retransmission: the reduction is undone (TCPDSACKUndo) and RACK's window persists longer.</summary>
    private static bool tcp_try_undo_dsack(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tp.undo_marker != 0 && tp.undo_retrans == 0)
        {
            tp.rack.reo_wnd_persist = (byte)Math.Min(TCP_RACK_RECOVERY_THRESH, tp.rack.reo_wnd_persist + 1);
            tcp_undo_cwnd_reduction(sk, false);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDSACKUNDO);
            return true;
        }

        return false;
    }

    // not ported: DBGUNDO — a debug printk compiled in only with FASTRETRANS_DEBUG > 1
    // net/ipv4/tcp_input.c: tcp_try_undo_loss
    /// <summary>
    /// In Loss, after a partial ACK or an F-RTO verdict: a spurious timeout is
    /// undone (TCPLossUndo; TCPSpuriousRTOs for F-RTO), the lost marks
    /// forgotten, and (SACK or F-RTO) the state returns to Open.
    /// </summary>
    private static bool tcp_try_undo_loss(sock sk, bool frto_undo)
    {
        var tp = tcp_sk(sk);

        if (frto_undo || tcp_may_undo(tp))
        {
            tcp_undo_cwnd_reduction(sk, true);

            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPLOSSUNDO);
            if (frto_undo)
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPSPURIOUSRTOS);
            }

            inet_csk(sk).icsk_retransmits = 0;
            if (tcp_is_non_sack_preventing_reopen(sk))
            {
                return true;
            }

            if (frto_undo || tcp_is_sack(tp))
            {
                tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Open);
                tp.is_sack_reneg = false;
            }

            return true;
        }

        return false;
    }

    // net/ipv4/tcp_input.c: tcp_init_cwnd_reduction
    /// <summary>A cwnd reduction (CWR or Recovery) begins: PRR's counters start at zero and ssthresh comes from the congestion control.</summary>
    private static void tcp_init_cwnd_reduction(sock sk)
    {
        var tp = tcp_sk(sk);

        tp.high_seq = tp.snd_nxt;
        tp.tlp_high_seq = 0;
        tp.snd_cwnd_cnt = 0;
        tp.prior_cwnd = tcp_snd_cwnd(tp);
        tp.prr_delivered = 0;
        tp.prr_out = 0;
        tp.snd_ssthresh = inet_csk(sk).icsk_ca_ops!.ssthresh!(sk);

    }

    // net/ipv4/tcp_input.c: tcp_cwnd_reduction
    /// <summary>
    /// PRR (RFC 6937): with more in flight than ssthresh, send in proportion
    /// (ssthresh/prior_cwnd) to what was delivered; below it, as much as was
    /// delivered (one more on an ACK that advanced snd_una with no new loss),
    /// up to ssthresh. At least one segment when nothing was sent yet in the
    /// reduction (the fast retransmit). cwnd becomes in-flight plus that.
    /// not ported: the tcp_cwnd_reduction_tp BPF tracepoint (no event format).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_cwnd_reduction_tp is a bare BPF tracepoint (DECLARE_TRACE): it has no tracefs event or format to print")]
    internal static void tcp_cwnd_reduction(sock sk, int newly_acked_sacked, int newly_lost, int flag)
    {
        var tp = tcp_sk(sk);
        int sndcnt;
        var delta = (int)tp.snd_ssthresh - (int)tcp_packets_in_flight(tp);

        if (newly_acked_sacked <= 0 || tp.prior_cwnd == 0)
        {
            return;
        }

        tp.prr_delivered += (uint)newly_acked_sacked;
        if (delta < 0)
        {
            var dividend = ((ulong)tp.snd_ssthresh * tp.prr_delivered) + tp.prior_cwnd - 1;
            sndcnt = (int)(dividend / tp.prior_cwnd) - (int)tp.prr_out;
        }
        else
        {
            sndcnt = Math.Max((int)tp.prr_delivered - (int)tp.prr_out, newly_acked_sacked);
            if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && newly_lost == 0)
            {
                sndcnt++;
            }

            sndcnt = Math.Min(delta, sndcnt);
        }

        // the fast retransmit goes out on entering recovery
        sndcnt = Math.Max(sndcnt, tp.prr_out != 0 ? 0 : 1);
        tcp_snd_cwnd_set(tp, (uint)((int)tcp_packets_in_flight(tp) + sndcnt));
    }

    // net/ipv4/tcp_input.c: tcp_end_cwnd_reduction
    /// <summary>The reduction is over: cwnd drops to ssthresh (in CWR, or in Recovery unless undone); CA_EVENT_COMPLETE_CWR.</summary>
    private static void tcp_end_cwnd_reduction(sock sk)
    {
        var tp = tcp_sk(sk);

        if (inet_csk(sk).icsk_ca_ops!.cong_control is not null)
        {
            return;
        }

        if (tp.snd_ssthresh < TCP_INFINITE_SSTHRESH &&
            (inet_csk(sk).icsk_ca_state == TCP_CA_CWR || tp.undo_marker != 0))
        {
            tcp_snd_cwnd_set(tp, tp.snd_ssthresh);
            tp.snd_cwnd_stamp = tcp_jiffies32(sk);
        }

        tcp_ca_event(sk, CA_EVENT_COMPLETE_CWR);
    }

    // net/ipv4/tcp_input.c: tcp_enter_cwr
    /// <summary>Congestion was signalled (ECN, local congestion): the CWR state, a PRR reduction with no undo.</summary>
    public static void tcp_enter_cwr(sock sk)
    {
        var tp = tcp_sk(sk);

        tp.prior_ssthresh = 0;
        if (inet_csk(sk).icsk_ca_state < TCP_CA_CWR)
        {
            tp.undo_marker = 0;
            tcp_init_cwnd_reduction(sk);
            tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_CWR);
        }
    }

    // net/ipv4/tcp_input.c: tcp_try_keep_open
    /// <summary>Open, or Disorder while something is SACKed, lost or retransmitted.</summary>
    private static void tcp_try_keep_open(sock sk)
    {
        var tp = tcp_sk(sk);
        var state = TCP_CA_Open;

        if (tcp_left_out(tp) != 0 || tcp_any_retrans_done(sk))
        {
            state = TCP_CA_Disorder;
        }

        if (inet_csk(sk).icsk_ca_state != state)
        {
            tcp_cong_c.tcp_set_ca_state(sk, state);
            tp.high_seq = tp.snd_nxt;
        }
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // net/ipv4/tcp_input.c: tcp_try_to_open
    /// <summary>No loss to recover: stay open (or Disorder); an ECE enters CWR.</summary>
    private static void tcp_try_to_open(sock sk, int flag)
    {
        var tp = tcp_sk(sk);

        if (!tcp_any_retrans_done(sk))
        {
            tp.retrans_stamp = 0;
        }

        if ((flag & FLAG_ECE) != 0)
        {
            tcp_enter_cwr(sk);
        }

        if (inet_csk(sk).icsk_ca_state != TCP_CA_CWR)
        {
            tcp_try_keep_open(sk);
        }
    }

    // net/ipv4/tcp_input.c: tcp_enter_recovery
    /// <summary>
    /// Fast recovery begins (TCPSackRecovery, or TCPRenoRecovery without
    /// SACK): the undo state is set, and unless a reduction is already under
    /// way, ssthresh is cut (PRR from here), remembering the old one for an
    /// undo unless ECN demanded the cut.
    /// </summary>
    internal static void tcp_enter_recovery(sock sk, bool ece_ack)
    {
        var tp = tcp_sk(sk);

        // the clock starts with the fast retransmit, for undo and ETIMEDOUT
        tcp_retrans_stamp_cleanup(sk);

        var mib_idx = tcp_is_reno(tp) ? linux_mib_field.LINUX_MIB_TCPRENORECOVERY : linux_mib_field.LINUX_MIB_TCPSACKRECOVERY;
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, mib_idx);

        tp.prior_ssthresh = 0;
        tcp_init_undo(tp);

        if (!tcp_in_cwnd_reduction(sk))
        {
            if (!ece_ack)
            {
                tp.prior_ssthresh = tcp_current_ssthresh(sk);
            }

            tcp_init_cwnd_reduction(sk);
        }

        tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Recovery);
    }

    // net/ipv4/tcp_input.c: tcp_update_rto_time
    /// <summary>An RTO recovery ended: its time adds to total_rto_time.</summary>
    private static void tcp_update_rto_time(tcp_sock tp)
    {
        if (tp.rto_stamp != 0)
        {
            tp.total_rto_time += tcp_time_stamp_ms(tp) - tp.rto_stamp;
            tp.rto_stamp = 0;
        }
    }

    /// <summary>REXMIT_*: what tcp_xmit_recovery is asked to send after an ACK.</summary>
    private const int REXMIT_NONE = 0;
    private const int REXMIT_LOST = 1;
    private const int REXMIT_NEW = 2;

    // net/ipv4/tcp_input.c: tcp_process_loss
    /// <summary>
    /// An ACK in the Loss state (after an RTO): a partial ACK may show the
    /// timeout was spurious (tcp_try_undo_loss); F-RTO (RFC 5682) judges by
    /// whether never-retransmitted data is (S)ACKed, sending new data first
    /// (REXMIT_NEW) when the first ACK advances; once high_seq is acked the
    /// state ends (tcp_try_undo_recovery); otherwise the lost segments go out
    /// again (REXMIT_LOST).
    /// </summary>
    private static void tcp_process_loss(sock sk, int flag, int num_dupack, ref int rexmit)
    {
        var tp = tcp_sk(sk);
        var recovered = !before(tp.snd_una, tp.high_seq);

        // a Fast Open child still waiting for its SYN-ACK's ACK may undo the loss state whatever the ACK advanced
        if (((flag & FLAG_SND_UNA_ADVANCED) != 0 || tp.fastopen_rsk is not null) && tcp_try_undo_loss(sk, false))
        {
            return;
        }

        if (tp.frto)
        {
            // F-RTO step 3.b: (S)ACKed never-retransmitted data means not everything was lost
            if ((flag & FLAG_ORIG_SACK_ACKED) != 0 && tcp_try_undo_loss(sk, true))
            {
                return;
            }

            if (after(tp.snd_nxt, tp.high_seq))
            {
                // step 3.a: a duplicate ACK or SACK after new data: the loss was real
                if ((flag & FLAG_DATA_SACKED) != 0 || num_dupack != 0)
                {
                    tp.frto = false;
                }
            }
            else if ((flag & FLAG_SND_UNA_ADVANCED) != 0 && !recovered)
            {
                tp.high_seq = tp.snd_nxt;

                // step 2.b: new data next (once tcp_ack has updated cwnd), else conventional recovery
                if (!tcp_write_queue_empty(sk) && after(tcp_wnd_end(tp), tp.snd_nxt))
                {
                    rexmit = REXMIT_NEW;
                    return;
                }

                tp.frto = false;
            }
        }

        if (recovered)
        {
            // F-RTO step 2.a, and the first part of 3.a
            tcp_try_undo_recovery(sk);
            return;
        }

        if (tcp_is_reno(tp))
        {
            // a Reno duplicate ACK after F-RTO's new data: lower in-flight to clock out more
            if (after(tp.snd_nxt, tp.high_seq) && num_dupack != 0)
            {
                tcp_add_reno_sack(sk, num_dupack);
            }
            else if ((flag & FLAG_SND_UNA_ADVANCED) != 0)
            {
                tcp_reset_reno_sack(tp);
            }
        }

        rexmit = REXMIT_LOST;
    }

    // not ported: DBGUNDO — a debug printk compiled in only with FASTRETRANS_DEBUG > 1
    // net/ipv4/tcp_input.c: tcp_try_undo_partial
    /// <summary>
    /// A partial ACK in Recovery that the timestamps show was the original
    /// (delayed, not lost): reordering is noted; with no retransmission out the
    /// reduction is undone (TCPPartialUndo); true holds further retransmits back.
    /// </summary>
    private static bool tcp_try_undo_partial(sock sk, uint prior_snd_una)
    {
        var tp = tcp_sk(sk);

        if (tp.undo_marker != 0 && tcp_packet_delayed(tp))
        {
            // the hole was filled by the delayed original
            tcp_check_sack_reordering(sk, prior_snd_una, 1);

            // retransmissions out: clock out new data but mark and retransmit nothing more
            if (tp.retrans_out != 0)
            {
                return true;
            }

            if (!tcp_any_retrans_done(sk))
            {
                tp.retrans_stamp = 0;
            }

            tcp_undo_cwnd_reduction(sk, true);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPPARTIALUNDO);
            tcp_try_keep_open(sk);
        }

        return false;
    }

    // net/ipv4/tcp_input.c: tcp_identify_packet_loss
    /// <summary>Loss detection after an ACK: NewReno without SACK, RACK with it (RACK's own timer then replaces the RTO re-arm; a lost retransmission flags FLAG_LOST_RETRANS).</summary>
    private static void tcp_identify_packet_loss(sock sk, ref int ack_flag)
    {
        var tp = tcp_sk(sk);

        if (tcp_rtx_queue_empty(sk))
        {
            return;
        }

        if (tcp_is_reno(tp))
        {
            tcp_recovery_c.tcp_newreno_mark_lost(sk, (ack_flag & FLAG_SND_UNA_ADVANCED) != 0);
        }
        else
        {
            var prior_retrans = tp.retrans_out;

            if (tcp_recovery_c.tcp_rack_mark_lost(sk))
            {
                ack_flag &= ~FLAG_SET_XMIT_TIMER;
            }

            if (prior_retrans > tp.retrans_out)
            {
                ack_flag |= FLAG_LOST_RETRANS;
            }
        }
    }

    // not ported: tcp_verify_left_out — a WARN_ON-only consistency check of sacked_out+lost_out against
    //   packets_out
    // net/ipv4/tcp_input.c: tcp_fastretrans_alert
    /// <summary>
    /// A dubious ACK (a duplicate, a SACK, or any ACK outside Open): the
    /// NewReno/SACK state machine. SACK reneging is checked; CWR and Recovery
    /// end once high_seq is acked (undo, or the end of the PRR reduction);
    /// Recovery handles partial ACKs and D-SACK undo; Loss goes to
    /// tcp_process_loss; Open/Disorder count Reno dupacks, try a D-SACK undo,
    /// run loss detection and enter Recovery once something is lost.
    /// Whatever is lost is then retransmitted (REXMIT_LOST).
    /// A lost MTU probe is a failed probe, not congestion (tcp_mtup_probe_failed).
    /// </summary>
    private static void tcp_fastretrans_alert(sock sk, uint prior_snd_una, int num_dupack, ref int ack_flag, ref int rexmit)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var flag = ack_flag;
        var ece_ack = (flag & FLAG_ECE) != 0;

        if (tp.packets_out == 0 && tp.sacked_out != 0)
        {
            tp.sacked_out = 0;
        }

        // A. ECE: the reduction is required, no undo
        if (ece_ack)
        {
            tp.prior_ssthresh = 0;
        }

        // B. reneging SACKs, in every state
        if (tcp_check_sack_reneging(sk, ref ack_flag))
        {
            return;
        }

        // C. tcp_verify_left_out: a WARN only.
        // D. the state may end once high_seq is acked
        if (icsk.icsk_ca_state == TCP_CA_Open)
        {
            tp.retrans_stamp = 0;
        }
        else if (!before(tp.snd_una, tp.high_seq))
        {
            switch (icsk.icsk_ca_state)
            {
                case TCP_CA_CWR:
                    // held until something above high_seq is acked, so CWR reached the peer
                    if (tp.snd_una != tp.high_seq)
                    {
                        tcp_end_cwnd_reduction(sk);
                        tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Open);
                    }

                    break;
                case TCP_CA_Recovery:
                    if (tcp_is_reno(tp))
                    {
                        tcp_reset_reno_sack(tp);
                    }

                    if (tcp_try_undo_recovery(sk))
                    {
                        return;
                    }

                    tcp_end_cwnd_reduction(sk);
                    break;
            }
        }

        // E. the state's own processing
        switch (icsk.icsk_ca_state)
        {
            case TCP_CA_Recovery:
                if ((flag & FLAG_SND_UNA_ADVANCED) == 0)
                {
                    if (tcp_is_reno(tp))
                    {
                        tcp_add_reno_sack(sk, num_dupack);
                    }
                }
                else if (tcp_try_undo_partial(sk, prior_snd_una))
                {
                    return;
                }

                if (tcp_try_undo_dsack(sk))
                {
                    tcp_try_to_open(sk, flag);
                }

                tcp_identify_packet_loss(sk, ref ack_flag);
                if (icsk.icsk_ca_state != TCP_CA_Recovery)
                {
                    if (!tcp_time_to_recover(tp))
                    {
                        return;
                    }

                    // undone, but the loss is evident: a new recovery (reordering, then loss)
                    tcp_enter_recovery(sk, ece_ack);
                }

                break;
            case TCP_CA_Loss:
                tcp_process_loss(sk, flag, num_dupack, ref rexmit);
                if (icsk.icsk_ca_state != TCP_CA_Loss)
                {
                    tcp_update_rto_time(tp);
                }

                tcp_identify_packet_loss(sk, ref ack_flag);
                if (!(icsk.icsk_ca_state == TCP_CA_Open || (ack_flag & FLAG_LOST_RETRANS) != 0))
                {
                    return;
                }

                // undone, or retransmissions lost: on as in Open
                goto default;
            default:
                if (tcp_is_reno(tp))
                {
                    if ((flag & FLAG_SND_UNA_ADVANCED) != 0)
                    {
                        tcp_reset_reno_sack(tp);
                    }

                    tcp_add_reno_sack(sk, num_dupack);
                }

                if (icsk.icsk_ca_state <= TCP_CA_Disorder)
                {
                    tcp_try_undo_dsack(sk);
                }

                tcp_identify_packet_loss(sk, ref ack_flag);
                if (!tcp_time_to_recover(tp))
                {
                    tcp_try_to_open(sk, flag);
                    return;
                }

                // the lost segment is the MTU probe: a failed probe, not congestion, so cwnd is not cut
                if (icsk.icsk_ca_state < TCP_CA_CWR &&
                    icsk.icsk_mtup_probe_size != 0 &&
                    tp.snd_una == tp.mtu_probe_probe_seq_start)
                {
                    tcp_mtup_probe_failed(sk);

                    // give back the cwnd tcp_mtu_probe took for it
                    tcp_snd_cwnd_set(tp, tcp_snd_cwnd(tp) + 1);
                    tcp_simple_retransmit(sk);
                    return;
                }

                tcp_enter_recovery(sk, ece_ack);
                break;
        }

        rexmit = REXMIT_LOST;
    }

    // net/ipv4/tcp_input.c: tcp_process_tlp_ack
    /// <summary>
    /// An ACK during a loss probe episode (tlp_high_seq set): the probe of new
    /// data, or a D-SACK of the probe, or a pure duplicate ACK, ends the
    /// episode without loss; an ACK beyond the probe of a retransmission shows
    /// a loss that the probe repaired: a CWR-style cwnd reduction
    /// (TCPLossProbeRecovery).
    /// </summary>
    private static void tcp_process_tlp_ack(sock sk, uint ack, int flag)
    {
        var tp = tcp_sk(sk);

        if (before(ack, tp.tlp_high_seq))
        {
            return;
        }

        if (!tp.tlp_retrans)
        {
            // a probe of new data was acked
            tp.tlp_high_seq = 0;
        }
        else if ((flag & FLAG_DSACK_TLP) != 0)
        {
            // the original and the probe both arrived
            tp.tlp_high_seq = 0;
        }
        else if (after(ack, tp.tlp_high_seq))
        {
            // the probe repaired a loss: reduce cwnd (tcp_init_cwnd_reduction resets tlp_high_seq)
            tcp_init_cwnd_reduction(sk);
            tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_CWR);
            tcp_end_cwnd_reduction(sk);
            tcp_try_keep_open(sk);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPLOSSPROBERECOVERY);
        }
        else if ((flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DATA_SACKED)) == 0)
        {
            // a pure duplicate ACK: the original and the probe both arrived
            tp.tlp_high_seq = 0;
        }
    }

    // net/ipv4/tcp_input.c: tcp_xmit_recovery
    /// <summary>After an ACK in loss recovery: the lost segments go out again (tcp_xmit_retransmit_queue), or new data for F-RTO.</summary>
    private static void tcp_xmit_recovery(sock sk, int rexmit)
    {
        var tp = tcp_sk(sk);

        if (rexmit == REXMIT_NONE || sk.sk_state == TCP_SYN_SENT)
        {
            return;
        }

        if (rexmit == REXMIT_NEW)
        {
            tcp_output_c.__tcp_push_pending_frames(sk, tcp_output_c.tcp_current_mss(sk), TCP_NAGLE_OFF);
            if (after(tp.snd_nxt, tp.high_seq))
            {
                return;
            }

            tp.frto = false;
        }

        tcp_output_c.tcp_xmit_retransmit_queue(sk);
    }

    // not ported: __sk_dst_get — reads the route as the field sk.sk_dst_cache
    // net/ipv4/tcp_input.c: tcp_init_transfer
    /// <summary>The connection is about to carry data: the congestion window's initial value (tcp_init_cwnd) and the congestion control's init; metrics and buffer autotuning are not ported.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_init_transfer(sock sk, int bpf_op, sk_buff? skb)
    {
        var tp = tcp_sk(sk);

        tcp_output_c.tcp_mtup_init(sk);

        // rebuild_header, tcp_init_metrics: the route from the handshake stands.
        // stamped now, so the first data segment does not look like a restart after idle
        tp.lsndtime = tcp_jiffies32(sk);

        // a SYN retransmitted more than once, with undo state: cwnd starts at 1 (RFC 6298 5.7's spirit)
        if (tp.total_retrans > 1 && tp.undo_marker != 0)
        {
            tcp_snd_cwnd_set(tp, 1);
        }
        else
        {
            tcp_snd_cwnd_set(tp, tcp_init_cwnd(tp, sk.sk_dst_cache as dst_entry));
        }

        tp.snd_cwnd_stamp = tcp_jiffies32(sk);

        // bpf_skops_established: no BPF.
        if (!inet_csk(sk).icsk_ca_initialized)
        {
            tcp_cong_c.tcp_init_congestion_control(sk);
        }

        tcp_init_buffer_space(sk);
    }

    // not ported: sk_mark_napi_id — busy polling (SO_BUSY_POLL, napi ids) is not ported
    // net/ipv4/tcp_input.c: tcp_finish_connect
    /// <summary>The active open's last step: ESTABLISHED, the transfer state initialized.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_finish_connect(sock sk, sk_buff? skb)
    {
        var tp = tcp_sk(sk);

        // tcp_ao_finish_connect: no AO.
        tcp_c.tcp_set_state(sk, TCP_ESTABLISHED);

        // the SYN-ACK is the first receive: idle times (tcpi_last_data_recv) count from it
        inet_csk(sk).icsk_ack_lrcvtime = tcp_jiffies32(sk);

        // sk_rx_dst_set, security_inet_conn_established, sk_mark_napi_id: not modelled.
        tcp_init_transfer(sk, 0, skb);

        tp.lsndtime = tcp_jiffies32(sk);

        if (sock_flag(sk, sock_flags.SOCK_KEEPOPEN))
        {
            tcp_timer_c.tcp_reset_keepalive_timer(sk, (ulong)keepalive_time_when(tp));
        }

        if (tp.rx_opt.snd_wscale == 0)
        {
            __tcp_fast_path_on(tp, tp.snd_wnd);
        }
        else
        {
            tp.pred_flags = 0;
        }
    }

    // net/ipv4/tcp_input.c: tcp_replace_ts_recent
    /// <summary>The peer's timestamp becomes the one we echo, for a segment that does not start beyond the window we last advertised.</summary>
    private static int tcp_replace_ts_recent(tcp_sock tp, uint seq)
    {
        if (tp.rx_opt.saw_tstamp && !after(seq, tp.rcv_wup))
        {
            // pure ACKs and expired timestamps can reach here: the PAWS test proper decides
            if (Include.Net.tcp_h.tcp_paws_check(tp.sk.sk_net.k, in tp.rx_opt, 0))
            {
                var delta = (int)(tp.rx_opt.rcv_tsval - tp.rx_opt.ts_recent);
                return __tcp_replace_ts_recent(tp, delta);
            }
        }

        return 0;
    }

    // not ported: tcp_sack_reset — written out as clearing num_sacks/dsack in place
    // not ported: sk_wake_async — SIGIO/O_ASYNC (FASYNC) is not ported: no process asks for signals
    // net/ipv4/tcp_input.c: tcp_fin
    /// <summary>
    /// Process the FIN bit: an ACK is owed, the reading side is shut, and the
    /// state moves on — ESTABLISHED to CLOSE_WAIT (pingpong: the ACK waits),
    /// FIN_WAIT1 to CLOSING and FIN_WAIT2 to TIME_WAIT with an ACK at once.
    /// </summary>
    public static void tcp_fin(sock sk)
    {
        inet_csk_schedule_ack(sk);
        sk.sk_shutdown |= RCV_SHUTDOWN;
        sock_set_flag(sk, sock_flags.SOCK_DONE);

        switch (sk.sk_state)
        {
            case TCP_SYN_RECV:
            case TCP_ESTABLISHED:
                // Move to CLOSE_WAIT
                tcp_c.tcp_set_state(sk, TCP_CLOSE_WAIT);
                inet_csk_enter_pingpong_mode(sk);
                break;
            case TCP_CLOSE_WAIT:
            case TCP_CLOSING:
            case TCP_LAST_ACK:
                break;
            case TCP_FIN_WAIT1:
                tcp_output_c.tcp_send_ack(sk);
                tcp_c.tcp_set_state(sk, TCP_CLOSING);
                break;
            case TCP_FIN_WAIT2:
                tcp_output_c.tcp_send_ack(sk);
                tcp_minisocks_c.tcp_time_wait(sk, TCP_TIME_WAIT, 0);
                break;
        }

        // what waits out of order beyond the FIN is dropped
        var tp = tcp_sk(sk);
        skb_rbtree_purge(tp.out_of_order_queue);
        tp.ooo_last_skb = null;
        if (tcp_is_sack(tp))
        {
            tp.rx_opt.num_sacks = 0; // tcp_sack_reset
            tp.rx_opt.dsack = 0;
        }

        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            sk.sk_state_change!(sk);
            // sk_wake_async: no async I/O.
        }
    }

    // net/ipv4/tcp_input.c: tcp_sack_extend
    /// <summary>Widens <paramref name="sp"/> to cover [seq, end_seq) if the two touch or overlap.</summary>
    private static bool tcp_sack_extend(ref tcp_sack_block sp, uint seq, uint end_seq)
    {
        if (!after(seq, sp.end_seq) && !after(sp.start_seq, end_seq))
        {
            if (before(seq, sp.start_seq))
            {
                sp.start_seq = seq;
            }

            if (after(end_seq, sp.end_seq))
            {
                sp.end_seq = end_seq;
            }

            return true;
        }

        return false;
    }

    // net/ipv4/tcp_input.c: tcp_dsack_set
    /// <summary>Reports [seq, end_seq) as received twice (RFC 2883): TCPDSACKOldSent below rcv_nxt, TCPDSACKOfoSent above.</summary>
    private static void tcp_dsack_set(sock sk, uint seq, uint end_seq)
    {
        var tp = tcp_sk(sk);

        if (tcp_is_sack(tp) && Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_dsack)
        {
            var mib_idx = before(seq, tp.rcv_nxt) ? linux_mib_field.LINUX_MIB_TCPDSACKOLDSENT : linux_mib_field.LINUX_MIB_TCPDSACKOFOSENT;

            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, mib_idx);

            tp.rx_opt.dsack = 1;
            tp.duplicate_sack[0].start_seq = seq;
            tp.duplicate_sack[0].end_seq = end_seq;
        }
    }

    // net/ipv4/tcp_input.c: tcp_dsack_extend
    private static void tcp_dsack_extend(sock sk, uint seq, uint end_seq)
    {
        var tp = tcp_sk(sk);

        if (tp.rx_opt.dsack == 0)
        {
            tcp_dsack_set(sk, seq, end_seq);
        }
        else
        {
            tcp_sack_extend(ref tp.duplicate_sack[0], seq, end_seq);
        }
    }

    // not ported: tcp_rcv_spurious_retrans — flow hashes (sk_txhash) are not ported, so there is no hash to
    //   re-roll on a spurious retransmission
    // net/ipv4/tcp_input.c: tcp_send_dupack
    /// <summary>
    /// The ACK for a segment outside the window: for old data, also
    /// DelayedACKLost, quick-ACK mode and a D-SACK of the duplicate
    /// (tcp_rcv_spurious_retrans is IPv6's).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_send_dupack(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        if (TCP_SKB_CB(skb).end_seq != TCP_SKB_CB(skb).seq && before(TCP_SKB_CB(skb).seq, tp.rcv_nxt))
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_DELAYEDACKLOST);
            tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);

            if (tcp_is_sack(tp) && Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_dsack)
            {
                var end_seq = TCP_SKB_CB(skb).end_seq;

                if (after(TCP_SKB_CB(skb).end_seq, tp.rcv_nxt))
                {
                    end_seq = tp.rcv_nxt;
                }

                tcp_dsack_set(sk, TCP_SKB_CB(skb).seq, end_seq);
            }
        }

        tcp_output_c.tcp_send_ack(sk);
    }

    // net/ipv4/tcp_input.c: tcp_sack_maybe_coalesce
    /// <summary>The first block grew: fold into it every other block it now touches.</summary>
    private static void tcp_sack_maybe_coalesce(tcp_sock tp)
    {
        var sp = tp.selective_acks;

        for (var this_sack = 1; this_sack < tp.rx_opt.num_sacks;)
        {
            if (tcp_sack_extend(ref sp[0], sp[this_sack].start_seq, sp[this_sack].end_seq))
            {
                // drop this_sack, moving the later ones up
                tp.rx_opt.num_sacks--;
                for (var i = this_sack; i < tp.rx_opt.num_sacks; i++)
                {
                    sp[i] = sp[i + 1];
                }

                continue;
            }

            this_sack++;
        }
    }

    // not ported: tcp_sack_compress_send_ack — compressed SACK ACKs are not ported
    // net/ipv4/tcp_input.c: tcp_sack_new_ofo_skb
    /// <summary>
    /// An out-of-order range arrived: the block it extends moves to the
    /// front (RFC 2018: the most recent first), or a new block goes there,
    /// the oldest falling off past TCP_NUM_SACKS. Compressed SACKs are not
    /// ported, so there is never one to flush.
    /// </summary>
    private static void tcp_sack_new_ofo_skb(sock sk, uint seq, uint end_seq)
    {
        var tp = tcp_sk(sk);
        var sp = tp.selective_acks;
        int cur_sacks = tp.rx_opt.num_sacks;
        int this_sack;

        if (cur_sacks == 0)
        {
            this_sack = 0;
            goto new_sack;
        }

        for (this_sack = 0; this_sack < cur_sacks; this_sack++)
        {
            if (tcp_sack_extend(ref sp[this_sack], seq, end_seq))
            {
                // tcp_sack_compress_send_ack past TCP_SACK_BLOCKS_EXPECTED: no compressed ACK is ever pending.
                for (; this_sack > 0; this_sack--)
                {
                    (sp[this_sack], sp[this_sack - 1]) = (sp[this_sack - 1], sp[this_sack]);
                }

                if (cur_sacks > 1)
                {
                    tcp_sack_maybe_coalesce(tp);
                }

                return;
            }
        }

        // no block touches it: a new one at the front, shifting the others (the oldest is forgotten when all are used)
        if (this_sack >= TCP_NUM_SACKS)
        {
            this_sack--;
            tp.rx_opt.num_sacks--;
        }

        for (; this_sack > 0; this_sack--)
        {
            sp[this_sack] = sp[this_sack - 1];
        }

    new_sack:
        sp[0].start_seq = seq;
        sp[0].end_seq = end_seq;
        tp.rx_opt.num_sacks++;
    }

    // net/ipv4/tcp_input.c: tcp_sack_remove
    /// <summary>rcv_nxt advanced: blocks it now covers are dropped; an empty out-of-order queue clears them all.</summary>
    private static void tcp_sack_remove(tcp_sock tp)
    {
        var sp = tp.selective_acks;
        int num_sacks = tp.rx_opt.num_sacks;

        if (tp.out_of_order_queue is not { Count: > 0 })
        {
            tp.rx_opt.num_sacks = 0;
            return;
        }

        for (var this_sack = 0; this_sack < num_sacks;)
        {
            if (!before(tp.rcv_nxt, sp[this_sack].start_seq))
            {
                for (var i = this_sack + 1; i < num_sacks; i++)
                {
                    sp[i - 1] = sp[i];
                }

                num_sacks--;
                continue;
            }

            this_sack++;
        }

        tp.rx_opt.num_sacks = (byte)num_sacks;
    }

    // not ported: tcp_add_receive_queue — written out as __skb_queue_tail on sk_receive_queue
    // not ported: skb_peek_tail — read as the .last of the queue
    // not ported: rb_to_skb — the queue is an ordered list of sk_buffs in the port, so there is no rb_node to
    //   convert
    // net/ipv4/tcp_input.c: tcp_ofo_queue
    /// <summary>
    /// The hole before the out-of-order queue filled: every segment that now
    /// starts at or below rcv_nxt moves to the receive queue (what was
    /// already there is D-SACKed, a segment wholly old is dropped as
    /// TCP_OFO_DROP); a FIN among them is processed and ends the walk.
    /// </summary>
    private static void tcp_ofo_queue(sock sk)
    {
        var tp = tcp_sk(sk);
        var dsack_high = tp.rcv_nxt;
        var q = tp.out_of_order_queue!;

        while (q.Count > 0)
        {
            var skb = q[0];
            if (after(TCP_SKB_CB(skb).seq, tp.rcv_nxt))
            {
                break;
            }

            if (before(TCP_SKB_CB(skb).seq, dsack_high))
            {
                var dsack = dsack_high;

                if (before(TCP_SKB_CB(skb).end_seq, dsack_high))
                {
                    dsack = TCP_SKB_CB(skb).end_seq;
                }

                tcp_dsack_extend(sk, TCP_SKB_CB(skb).seq, dsack);
            }

            q.RemoveAt(0);
            if (q.Count == 0)
            {
                tp.ooo_last_skb = null;
            }

            if (!after(TCP_SKB_CB(skb).end_seq, tp.rcv_nxt))
            {
                tcp_drop_reason(sk, skb, skb_drop_reason.SKB_DROP_REASON_TCP_OFO_DROP);
                continue;
            }

            var tail = sk.sk_receive_queue.last;
            var fragstolen = false;
            var eaten = tail is not null && tcp_try_coalesce(sk, tail, skb, out fragstolen);
            tcp_rcv_nxt_update(tp, TCP_SKB_CB(skb).end_seq);
            var fin = (TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0;
            if (!eaten)
            {
                Include.Linux.skbuff_h.__skb_queue_tail(sk.sk_receive_queue, skb); // tcp_add_receive_queue
            }
            else
            {
                kfree_skb_partial(skb, fragstolen);
            }

            if (fin)
            {
                // tcp_fin empties the out-of-order queue: the walk ends here
                tcp_fin(sk);
                break;
            }
        }
    }

    // net/ipv4/tcp_input.c: tcp_can_ingest
    /// <summary>The payload still fits sk_rcvbuf (judged by len, not truesize, so a small SO_RCVBUF still takes full segments).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_can_ingest(sock sk, sk_buff skb) => (uint)sk.sk_rmem_alloc + skb.len <= (uint)sk.sk_rcvbuf;

    // net/ipv4/tcp_input.c: tcp_try_rmem_schedule
    /// <summary>Room for the skb in the receive memory; 0, or -1 when there is none. Pruning (collapsing the queues, tcp_prune_ofo_queue) is not ported.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_try_rmem_schedule(sock sk, sk_buff skb, int size)
    {
        if (!tcp_can_ingest(sk, skb) || !sk_rmem_schedule(sk, skb, size))
        {
            return -1;
        }

        return 0;
    }

    // not ported: tcp_save_lrcv_flowlabel — IPv6 flow labels: the port has no IPv6
    // not ported: skb_rb_next — the queue is an ordered list in the port, walked by .next instead of rb_next
    // not ported: rb_to_skb — the queue is an ordered list of sk_buffs in the port, so there is no rb_node to
    //   convert
    // net/ipv4/tcp_input.c: tcp_data_queue_ofo
    /// <summary>
    /// A segment beyond rcv_nxt: kept in the out-of-order queue in sequence
    /// order (TCPOFOQueue); the fast path goes off and an ACK is owed.
    /// Overlaps are resolved as 6.18 does — a segment wholly present is
    /// dropped (TCPOFOMerge, TCP_OFOMERGE) and D-SACKed, one that covers
    /// others replaces them — and the range is SACKed. Coalescing with a
    /// neighbour (tcp_ooo_try_coalesce) is not ported.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static void tcp_data_queue_ofo(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        sk_buff? skb1;

        // tcp_save_lrcv_flowlabel: IPv6 only.
        if (tcp_try_rmem_schedule(sk, skb, (int)skb.truesize) != 0)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPOFODROP);
            sk.sk_data_ready!(sk);
            tcp_drop_reason(sk, skb, skb_drop_reason.SKB_DROP_REASON_PROTO_MEM);
            return;
        }

        tcp_measure_rcv_mss(sk, skb);

        // no header prediction while there is a hole
        tp.pred_flags = 0;
        inet_csk_schedule_ack(sk);

        tp.rcv_ooopack += 1;
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPOFOQUEUE);
        var seq = TCP_SKB_CB(skb).seq;
        var end_seq = TCP_SKB_CB(skb).end_seq;

        var q = tp.out_of_order_queue ??= new System.Collections.Generic.List<sk_buff>();
        // what stays queued at the end: null once the segment was merged or dropped (skb = NULL in C)
        sk_buff? queued = skb;
        int pos;
        if (q.Count == 0)
        {
            // the first out-of-order segment: one SACK block
            if (tcp_is_sack(tp))
            {
                tp.rx_opt.num_sacks = 1;
                tp.selective_acks[0].start_seq = seq;
                tp.selective_acks[0].end_seq = end_seq;
            }

            q.Add(skb);
            tp.ooo_last_skb = skb;
            goto end;
        }

        // usually the segment goes after the last one, and may join it
        if (tcp_ooo_try_coalesce(sk, tp.ooo_last_skb!, skb, out var fragstolen))
        {
            goto coalesce_done;
        }

        if (!before(seq, TCP_SKB_CB(tp.ooo_last_skb!).end_seq))
        {
            pos = q.Count;
            goto insert;
        }

        // find its place (the rbtree walk as an ordered scan), resolving overlaps on the way
        for (pos = 0; pos < q.Count; pos++)
        {
            skb1 = q[pos];
            if (before(seq, TCP_SKB_CB(skb1).seq))
            {
                break;
            }

            if (before(seq, TCP_SKB_CB(skb1).end_seq))
            {
                if (!after(end_seq, TCP_SKB_CB(skb1).end_seq))
                {
                    // every byte is already here
                    Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPOFOMERGE);
                    tcp_drop_reason(sk, skb, skb_drop_reason.SKB_DROP_REASON_TCP_OFOMERGE);
                    queued = null;
                    tcp_dsack_set(sk, seq, end_seq);
                    goto add_sack;
                }

                if (after(seq, TCP_SKB_CB(skb1).seq))
                {
                    // overlapping the tail of skb1
                    tcp_dsack_set(sk, seq, TCP_SKB_CB(skb1).end_seq);
                }
                else
                {
                    // same start, and it covers skb1: it takes skb1's place
                    q[pos] = skb;
                    tcp_dsack_extend(sk, TCP_SKB_CB(skb1).seq, TCP_SKB_CB(skb1).end_seq);
                    Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPOFOMERGE);
                    tcp_drop_reason(sk, skb1, skb_drop_reason.SKB_DROP_REASON_TCP_OFOMERGE);
                    goto merge_right;
                }
            }
            else if (tcp_ooo_try_coalesce(sk, skb1, skb, out fragstolen))
            {
                goto coalesce_done;
            }
        }

    insert:
        q.Insert(pos, skb);
        goto merge_right;

    coalesce_done:
        // without SACK the window stays put, so the sender sees duplicate ACKs
        if (tcp_is_sack(tp))
        {
            tcp_grow_window(sk, skb, true);
        }

        kfree_skb_partial(skb, fragstolen);
        queued = null;
        goto add_sack;

    merge_right:
        // drop the segments it covers
        skb1 = null;
        while (pos + 1 < q.Count)
        {
            skb1 = q[pos + 1];
            if (!after(end_seq, TCP_SKB_CB(skb1).seq))
            {
                break;
            }

            if (before(end_seq, TCP_SKB_CB(skb1).end_seq))
            {
                tcp_dsack_extend(sk, TCP_SKB_CB(skb1).seq, end_seq);
                break;
            }

            q.RemoveAt(pos + 1);
            tcp_dsack_extend(sk, TCP_SKB_CB(skb1).seq, TCP_SKB_CB(skb1).end_seq);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPOFOMERGE);
            tcp_drop_reason(sk, skb1, skb_drop_reason.SKB_DROP_REASON_TCP_OFOMERGE);
            skb1 = null;
        }

        if (pos + 1 == q.Count)
        {
            tp.ooo_last_skb = skb;
        }

    add_sack:
        if (tcp_is_sack(tp))
        {
            tcp_sack_new_ofo_skb(sk, seq, end_seq);
        }

    end:
        if (queued is not null)
        {
            // without SACK the window stays put, so the sender sees duplicate ACKs
            if (tcp_is_sack(tp))
            {
                tcp_grow_window(sk, queued, false);
            }

            // not ported: skb_condense — the port's received heads (tun's, the drivers') are not
            // sized as 6.18's, so recharging them SKB_TRUESIZE(end) would move the advertised window
            // away from the kernel's (tcp_ooo_rcv_mss.pkt); a paged skb off loopback or veth is a
            // clone, which skb_condense leaves alone anyway.
            skb_set_owner_r(queued, sk);
        }

        // not for a socket nobody accepted or owns any more
        if (sk.sk_socket is not null)
        {
            tcp_rcvbuf_grow(sk, tp.rcvq_space.space);
        }
    }

    // not ported: skb_hwtstamps — hardware timestamps: no simulated NIC stamps packets
    // net/ipv4/tcp_input.c: tcp_try_coalesce
    /// <summary>
    /// Appends <paramref name="from"/> to the queued <paramref name="to"/> it
    /// directly follows, when skb_try_coalesce can (a copy into to's
    /// tailroom, or from's page frags handed over); to's charge
    /// grows by the truesize delta, TCPRcvCoalesce counts it, and to takes
    /// over from's end_seq, ack_seq, flags and receive timestamp. True when
    /// the caller must free from (kfree_skb_partial).
    /// </summary>
    [KernelNet.Annotations.Borrows("to")]
    [KernelNet.Annotations.Borrows("from")]
    private static bool tcp_try_coalesce(sock sk, sk_buff to, sk_buff from, out bool fragstolen)
    {
        fragstolen = false;

        // the two may overlap
        if (TCP_SKB_CB(from).seq != TCP_SKB_CB(to).end_seq)
        {
            return false;
        }

        if (!tcp_skb_can_collapse_rx(to, from))
        {
            return false;
        }

        if (!skb_try_coalesce(to, from, out fragstolen, out var delta))
        {
            return false;
        }

        sk.sk_rmem_alloc += delta;
        sk_mem_charge(sk, delta);
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPRCVCOALESCE);
        TCP_SKB_CB(to).end_seq = TCP_SKB_CB(from).end_seq;
        TCP_SKB_CB(to).ack_seq = TCP_SKB_CB(from).ack_seq;
        TCP_SKB_CB(to).tcp_flags |= TCP_SKB_CB(from).tcp_flags;

        if (TCP_SKB_CB(from).has_rxtstamp)
        {
            TCP_SKB_CB(to).has_rxtstamp = true;
            to.tstamp = from.tstamp;
        }

        return true;
    }

    // net/ipv4/tcp_input.c: tcp_ooo_try_coalesce
    /// <summary>tcp_try_coalesce in the out-of-order queue (gso_segs bookkeeping: no GSO here).</summary>
    [KernelNet.Annotations.Borrows("to")]
    [KernelNet.Annotations.Borrows("from")]
    private static bool tcp_ooo_try_coalesce(sock sk, sk_buff to, sk_buff from, out bool fragstolen) =>
        tcp_try_coalesce(sk, to, from, out fragstolen);

    // not ported: tcp_add_receive_queue — written out as __skb_queue_tail on sk_receive_queue
    // not ported: skb_peek_tail — read as the .last of the queue
    // net/ipv4/tcp_input.c: tcp_queue_rcv
    /// <summary>
    /// An in-order segment joins the receive queue: appended to the tail
    /// skb when they coalesce (1: eaten, the caller frees it), else queued
    /// and charged to the socket (0); rcv_nxt moves past it either way.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_queue_rcv(sock sk, sk_buff skb, out bool fragstolen)
    {
        var tail = sk.sk_receive_queue.last;
        fragstolen = false;

        var eaten = tail is not null && tcp_try_coalesce(sk, tail, skb, out fragstolen) ? 1 : 0;
        tcp_rcv_nxt_update(tcp_sk(sk), TCP_SKB_CB(skb).end_seq);
        if (eaten == 0)
        {
            Include.Linux.skbuff_h.__skb_queue_tail(sk.sk_receive_queue, skb); // tcp_add_receive_queue
            skb_set_owner_r(skb, sk);
        }

        return eaten;
    }

    // net/ipv4/tcp_input.c: tcp_data_ready
    /// <summary>Wake the reader once there is enough to read (SO_RCVLOWAT), or the FIN.</summary>
    public static void tcp_data_ready(sock sk)
    {
        if (tcp_epollin_ready(sk, sk.sk_rcvlowat) || sock_flag(sk, sock_flags.SOCK_DONE))
        {
            sk.sk_data_ready!(sk);
        }
    }

    // not ported: tcp_rcv_spurious_retrans — flow hashes (sk_txhash) are not ported, so there is no hash to
    //   re-roll on a spurious retransmission
    // not ported: tcp_cleanup_skb — the skb's dst and secpath: the port keeps no dst reference on received
    //   skbs and has no IPsec
    // not ported: skb_queue_len — read as the queue's qlen field
    // net/ipv4/tcp_input.c: tcp_data_queue
    /// <summary>
    /// The text of a segment (RFC 9293 step seven). In order and in window:
    /// charged to the receive memory (or dropped as PROTO_MEM, TCPRcvQDrop,
    /// when it is exhausted and other data waits), queued for the reader
    /// (tcp_queue_rcv), accounted (tcp_event_data_recv), its FIN processed,
    /// the out-of-order queue drained behind it; the reader is woken. Old
    /// data is dropped (TCP_OLD_DATA, DelayedACKLost, D-SACK) with quick-ACK
    /// mode on; beyond the window (TCP_OVERWINDOW) or into a zero window
    /// (TCP_ZEROWINDOW) likewise; a segment starting below rcv_nxt keeps its
    /// new part; one beyond rcv_nxt goes to tcp_data_queue_ofo.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static void tcp_data_queue(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        skb_drop_reason reason;

        if (TCP_SKB_CB(skb).seq == TCP_SKB_CB(skb).end_seq)
        {
            __kfree_skb(skb);
            return;
        }

        // tcp_cleanup_skb: the route is not needed any more
        skb.dst = null;
        Include.Linux.skbuff_h.__skb_pull(skb, tcp_hdr(skb).doff * 4);

        reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        tp.rx_opt.dsack = 0;

        if (TCP_SKB_CB(skb).seq == tp.rcv_nxt)
        {
            if (tcp_receive_window(tp) == 0)
            {
                // a bare FIN still gets in: it costs nothing
                if (skb.len == 0 && (TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
                {
                    goto queue_and_out;
                }

                reason = skb_drop_reason.SKB_DROP_REASON_TCP_ZEROWINDOW;
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPZEROWINDOWDROP);
                goto out_of_window;
            }

            goto queue_and_out;
        }

        if (!after(TCP_SKB_CB(skb).end_seq, tp.rcv_nxt))
        {
            // tcp_rcv_spurious_retrans: IPv6 only. A retransmission: ACK at once.
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_OLD_DATA;
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_DELAYEDACKLOST);
            tcp_dsack_set(sk, TCP_SKB_CB(skb).seq, TCP_SKB_CB(skb).end_seq);
            goto out_of_window;
        }

        // beyond the window (a zero-window probe, say)
        if (!before(TCP_SKB_CB(skb).seq, tp.rcv_nxt + tcp_receive_window(tp)))
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_OVERWINDOW;
            goto out_of_window;
        }

        if (before(TCP_SKB_CB(skb).seq, tp.rcv_nxt))
        {
            // partly old: seq < rcv_nxt < end_seq
            tcp_dsack_set(sk, TCP_SKB_CB(skb).seq, tp.rcv_nxt);

            // a closed window takes none of it, but the D-SACK of the old part stands
            if (tcp_receive_window(tp) == 0)
            {
                reason = skb_drop_reason.SKB_DROP_REASON_TCP_ZEROWINDOW;
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPZEROWINDOWDROP);
                goto out_of_window;
            }

            goto queue_and_out;
        }

        tcp_data_queue_ofo(sk, skb);
        return;

    // restructured: C# cannot jump into a block, so the in-order case sits at method level
    queue_and_out:
        if (tcp_try_rmem_schedule(sk, skb, (int)skb.truesize) != 0)
        {
            inet_csk(sk).icsk_ack_pending |= ICSK_ACK_NOMEM | ICSK_ACK_NOW;
            inet_csk_schedule_ack(sk);
            sk.sk_data_ready!(sk);

            if (sk.sk_receive_queue.qlen != 0 && skb.len != 0)
            {
                reason = skb_drop_reason.SKB_DROP_REASON_PROTO_MEM;
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPRCVQDROP);
                goto drop;
            }

            tcp_output_c.sk_forced_mem_schedule(sk, (int)skb.truesize);
        }

        var eaten = tcp_queue_rcv(sk, skb, out var fragstolen);
        if (skb.len != 0)
        {
            tcp_event_data_recv(sk, skb);
        }

        if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
        {
            tcp_fin(sk);
        }

        if (tp.out_of_order_queue is { Count: > 0 })
        {
            tcp_ofo_queue(sk);

            // RFC 5681 4.2: ACK at once when the hole is filled
            if (tp.out_of_order_queue.Count == 0)
            {
                inet_csk(sk).icsk_ack_pending |= ICSK_ACK_NOW;
            }
        }

        if (tp.rx_opt.num_sacks != 0)
        {
            tcp_sack_remove(tp);
        }

        tcp_fast_path_check(sk);

        if (eaten > 0)
        {
            kfree_skb_partial(skb, fragstolen);
        }

        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            tcp_data_ready(sk);
        }

        return;

    out_of_window:
        tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
        inet_csk_schedule_ack(sk);
    drop:
        tcp_drop_reason(sk, skb, reason);
    }

    // net/ipv4/tcp_input.c: tcp_sndbuf_expand
    /// <summary>
    /// Send buffer autotuning: room for twice the larger of cwnd and IW10
    /// segments (cubic needs ~1.7 x for fast recovery), each as one skb with a
    /// kmalloc'ed head, up to tcp_wmem[2].
    /// </summary>
    private static void tcp_sndbuf_expand(sock sk)
    {
        var tp = tcp_sk(sk);

        // worst case without GSO: one skb per segment, its head a power of two
        var per_mss = (int)Math.Max(tp.rx_opt.mss_clamp, tp.mss_cache) + tcp_output_c.MAX_TCP_HEADER + Include.Linux.skbuff_h.SKB_DATA_ALIGN(Include.Linux.skbuff_h.SKB_SHINFO_SIZE);
        per_mss = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)per_mss) + Include.Linux.skbuff_h.SKB_TRUESIZE_OVERHEAD;

        var nr_segs = Math.Max(TCP_INIT_CWND, tcp_snd_cwnd(tp));
        nr_segs = Math.Max(nr_segs, tp.reordering + 1);

        // fast recovery (RFC 5681 3.2): CUBIC needs 1.7 cwnds, rounded up to 2; an algorithm may ask for more
        var ca_ops = inet_csk(sk).icsk_ca_ops;
        var sndmem = ca_ops?.sndbuf_expand is not null ? (int)ca_ops.sndbuf_expand(sk) : 2;
        sndmem *= (int)nr_segs * per_mss;

        if (sk.sk_sndbuf < sndmem)
        {
            sk.sk_sndbuf = Math.Min(sndmem, Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_wmem[2]);
        }
    }

    // not ported: tcp_under_memory_pressure — the simulation never enters TCP memory pressure
    //   (tcp_memory_pressure stays 0), so the branch it guards never runs
    // not ported: sk_unused_reserved_mem — SO_RESERVE_MEM is not ported: no socket has reserved memory
    // not ported: sk_memory_allocated, sk_prot_mem_limits — protocol-wide memory accounting
    //   (tcp_memory_allocated) is not kept: the limit test never fires
    // net/ipv4/tcp_input.c: tcp_should_expand_sndbuf
    /// <summary>The send buffer grows unless the user fixed it (SO_SNDBUF) or cwnd is full (memory pressure is not modelled).</summary>
    private static bool tcp_should_expand_sndbuf(sock sk)
    {
        var tp = tcp_sk(sk);

        if ((sk.sk_userlocks & SOCK_SNDBUF_LOCK) != 0)
        {
            return false;
        }

        // tcp_under_memory_pressure, sk_memory_allocated: tcp_mem is not ported.
        if (tcp_packets_in_flight(tp) >= tcp_snd_cwnd(tp))
        {
            return false;
        }

        return true;
    }

    // net/ipv4/tcp_input.c: tcp_new_space
    /// <summary>Room was made: the buffer may grow, and writers hear of it (sk_write_space: sk_stream_write_space).</summary>
    private static void tcp_new_space(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tcp_should_expand_sndbuf(sk))
        {
            tcp_sndbuf_expand(sk);
            tp.snd_cwnd_stamp = tcp_jiffies32(sk);
        }

        sk.sk_write_space!(sk);
    }

    // net/ipv4/tcp_input.c: tcp_check_space
    /// <summary>After the queues shrank (an ACK freed skbs, or sent data left the write queue): a writer that ran out of room (SOCK_NOSPACE) may go on.</summary>
    public static void tcp_check_space(sock sk)
    {
        // smp_mb: pairs with tcp_poll (one thread here)
        if (sk.sk_socket is socket s && (s.flags & (1UL << net_h.SOCK_NOSPACE)) != 0)
        {
            tcp_new_space(sk);
            if ((s.flags & (1UL << net_h.SOCK_NOSPACE)) == 0)
            {
                tcp_output_c.tcp_chrono_stop(sk, TCP_CHRONO_SNDBUF_LIMITED);
            }
        }
    }

    // net/ipv4/tcp_input.c: tcp_data_snd_check
    /// <summary>After an incoming segment: send what the new window allows, then see whether writers can be woken.</summary>
    private static void tcp_data_snd_check(sock sk)
    {
        tcp_push_pending_frames(sk);
        tcp_check_space(sk);
    }

    // not ported: hrtimer_is_queued, hrtimer_start_range_ns, sock_hold, sock_owned_by_user_nocheck,
    //   tcp_is_sack — compressed SACK ACKs (the compressed_ack_timer) are not ported
    // net/ipv4/tcp_input.c: __tcp_ack_snd_check
    /// <summary>
    /// ACK now, or later: at once when more than one full segment is
    /// unacknowledged and the window would advance (or SO_RCVLOWAT is not
    /// met), in quick-ACK mode, or when an immediate ACK was asked for
    /// (ICSK_ACK_NOW); else the delayed-ACK timer. With out-of-order data
    /// and SACK, the first three duplicate ACKs go at once; compressing the
    /// ones after (the compressed-ACK hrtimer) is not ported: they go at once
    /// too. The TCP_ACK_DEFERRED of a socket owned by a task is not ported.
    /// </summary>
    private static void __tcp_ack_snd_check(sock sk, int ofo_possible)
    {
        var tp = tcp_sk(sk);

        if ((tp.rcv_nxt - tp.rcv_wup > inet_csk(sk).icsk_ack_rcv_mss &&
             (tp.rcv_nxt - tp.copied_seq < (uint)sk.sk_rcvlowat || tcp_output_c.__tcp_select_window(sk) >= tp.rcv_wnd)) ||
            tcp_in_quickack_mode(sk) ||
            (inet_csk(sk).icsk_ack_pending & ICSK_ACK_NOW) != 0)
        {
            goto send_now;
        }

        if (ofo_possible == 0 || tp.out_of_order_queue is not { Count: > 0 })
        {
            tcp_output_c.tcp_send_delayed_ack(sk);
            return;
        }

        // !tcp_is_sack, or the compressed-ACK budget (tcp_comp_sack_nr) spent; then the first dupacks
        // (dup_ack_counter) — the compression after them is not ported.
    send_now:
        tcp_output_c.tcp_send_ack(sk);
    }

    // net/ipv4/tcp_input.c: tcp_ack_snd_check
    private static void tcp_ack_snd_check(sock sk)
    {
        if (!inet_csk_ack_scheduled(sk))
        {
            return;
        }

        __tcp_ack_snd_check(sk, 1);
    }

    // not ported: SKB_DR_INIT — the drop reason is assigned directly to a local
    // net/ipv4/tcp_input.c: tcp_disordered_ack_check
    /// <summary>
    /// PAWS failed; may the segment pass anyway as a reordered duplicate ACK
    /// (a pure ACK at rcv_nxt acknowledging snd_una, not moving the window,
    /// within the replay window)? 0 if so, else the reason to drop:
    /// TCP_RFC7323_PAWS_ACK for an old pure ACK, TCP_RFC7323_PAWS otherwise.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static skb_drop_reason tcp_disordered_ack_check(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var th = tcp_hdr(skb);
        var reason = skb_drop_reason.SKB_DROP_REASON_TCP_RFC7323_PAWS;
        var ack = TCP_SKB_CB(skb).ack_seq;
        var seq = TCP_SKB_CB(skb).seq;

        // not a pure ACK
        if (!th.ack || seq != TCP_SKB_CB(skb).end_seq)
        {
            return reason;
        }

        // not at the expected sequence
        if (seq != tp.rcv_nxt)
        {
            return before(seq, tp.rcv_nxt) ? skb_drop_reason.SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK : reason;
        }

        // not a duplicate ACK
        if (ack != tp.snd_una)
        {
            return reason;
        }

        // it would move the window
        if (tcp_may_update_window(tp, ack, seq, (uint)th.window << tp.rx_opt.snd_wscale))
        {
            return reason;
        }

        // beyond the replay window: about an RTO's worth of the peer's clock at up to 1200 Hz
        // not ported: tcp_tsval_replay — written out: the window for ms or µs timestamps
        var replay = tp.tcp_usec_ts ? inet_csk(sk).icsk_rto * (1_000_000 / Vmlinux.HZ) : inet_csk(sk).icsk_rto * 1200 / Vmlinux.HZ;
        if ((int)(tp.rx_opt.ts_recent - tp.rx_opt.rcv_tsval) > replay)
        {
            return reason;
        }

        return 0;
    }

    // not ported: skb_queue_len — read as the queue's qlen field
    // net/ipv4/tcp_input.c: tcp_sequence
    /// <summary>
    /// Is the segment's range acceptable (RFC 9293 3.10.7.4)? Old when it
    /// ends before rcv_wup (TCP_OLD_SEQUENCE), invalid when it starts beyond
    /// the window (TCP_INVALID_SEQUENCE); one that only ends beyond it is
    /// taken while the receive queue is empty (else TCP_INVALID_END_SEQUENCE).
    /// </summary>
    private static skb_drop_reason tcp_sequence(sock sk, uint seq, uint end_seq)
    {
        var tp = tcp_sk(sk);

        if (before(end_seq, tp.rcv_wup))
        {
            return skb_drop_reason.SKB_DROP_REASON_TCP_OLD_SEQUENCE;
        }

        if (after(end_seq, tp.rcv_nxt + tcp_receive_window(tp)))
        {
            if (after(seq, tp.rcv_nxt + tcp_receive_window(tp)))
            {
                return skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_SEQUENCE;
            }

            // the end may overshoot only into an empty receive queue
            if (sk.sk_receive_queue.qlen != 0)
            {
                return skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_END_SEQUENCE;
            }
        }

        return skb_drop_reason.SKB_NOT_DROPPED_YET;
    }

    // net/ipv4/tcp_input.c: tcp_reset_check
    /// <summary>A RST at rcv_nxt - 1 is good once the peer's FIN is in (CLOSE_WAIT, LAST_ACK, CLOSING).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_reset_check(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        return TCP_SKB_CB(skb).seq == tp.rcv_nxt - 1 &&
            sk.sk_state is TCP_CLOSE_WAIT or TCP_LAST_ACK or TCP_CLOSING;
    }

    // not ported: SKB_DR_SET — the drop reason is assigned directly to a local
    // not ported: SKB_DR — the drop reason is a plain local set where the kernel would SKB_DR_SET it
    // net/ipv4/tcp_input.c: tcp_validate_incoming
    /// <summary>
    /// The checks every segment of a synchronized connection passes before
    /// its ACK and text are looked at: PAWS (PAWSEstabRejected and a dupack,
    /// or PAWS_OLD_ACK for an old pure ACK), the sequence window (a dupack
    /// for what falls outside, BeyondWindow), RST (accepted only at rcv_nxt
    /// or the right edge of the SACKed data, else a challenge ACK: RFC
    /// 5961 3.2), SYN (a challenge ACK, TCPSYNChallenge, RFC 5961 4.2).
    /// Consumes the skb when it returns false.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    private static bool tcp_validate_incoming(sock sk, sk_buff skb, tcphdr th, int syn_inerr)
    {
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        skb_drop_reason reason;

        // RFC 7323 H1: PAWS first.
        if (!tcp_fast_parse_options(net, skb, th, tp) ||
            !tp.rx_opt.saw_tstamp ||
            Include.Net.tcp_h.tcp_paws_check(net.k, in tp.rx_opt, TCP_PAWS_WINDOW))
        {
            goto step1;
        }

        reason = tcp_disordered_ack_check(sk, skb);
        if (reason == 0)
        {
            goto step1;
        }

        // a RST is let through PAWS
        if (th.rst)
        {
            goto step1;
        }

        if (th.syn)
        {
            goto syn_challenge;
        }

        // old ACKs are common: counted, not answered
        if (reason == skb_drop_reason.SKB_DROP_REASON_TCP_RFC7323_PAWS_ACK)
        {
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_PAWS_OLD_ACK);
            goto discard;
        }

        Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_PAWSESTABREJECTED);
        if (!tcp_oow_rate_limited(net, skb, linux_mib_field.LINUX_MIB_TCPACKSKIPPEDPAWS, tp))
        {
            tcp_send_dupack(sk, skb);
        }

        goto discard;

    step1:
        // Step 1: the sequence number
        reason = tcp_sequence(sk, TCP_SKB_CB(skb).seq, TCP_SKB_CB(skb).end_seq);
        if (reason != 0)
        {
            // RFC 793 p. 69: an unacceptable segment is answered with an ACK, unless it is a RST
            if (!th.rst)
            {
                if (th.syn)
                {
                    goto syn_challenge;
                }

                if (reason is skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_SEQUENCE or skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_END_SEQUENCE)
                {
                    Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_BEYOND_WINDOW);
                }

                if (!tcp_oow_rate_limited(net, skb, linux_mib_field.LINUX_MIB_TCPACKSKIPPEDSEQ, tp))
                {
                    tcp_send_dupack(sk, skb);
                }
            }
            else if (tcp_reset_check(sk, skb))
            {
                goto reset;
            }

            goto discard;
        }

        // Step 2: the RST bit (RFC 5961 3.2, extended to rcv_nxt - 1 after a FIN and to the highest SACK)
        if (th.rst)
        {
            if (TCP_SKB_CB(skb).seq == tp.rcv_nxt || tcp_reset_check(sk, skb))
            {
                goto reset;
            }

            if (tcp_is_sack(tp) && tp.rx_opt.num_sacks > 0)
            {
                var max_sack = tp.selective_acks[0].end_seq;

                for (var this_sack = 1; this_sack < tp.rx_opt.num_sacks; ++this_sack)
                {
                    max_sack = after(tp.selective_acks[this_sack].end_seq, max_sack) ? tp.selective_acks[this_sack].end_seq : max_sack;
                }

                if (TCP_SKB_CB(skb).seq == max_sack)
                {
                    goto reset;
                }
            }

            // An out-of-order RST on an active Fast Open socket that received no data: a middlebox, perhaps.
            if (tp.syn_fastopen && tp.data_segs_in == 0 && sk.sk_state == TCP_ESTABLISHED)
            {
                tcp_fastopen_c.tcp_fastopen_active_disable(sk);
            }

            tcp_send_challenge_ack(sk);
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_RESET;
            goto discard;
        }

        // step 3 (security and precedence) is ignored.
        // step 4: a SYN gets a challenge ACK (RFC 5961 4.2); no AccECN.
        if (th.syn)
        {
            if (sk.sk_state == TCP_SYN_RECV && sk.sk_socket is not null && th.ack &&
                TCP_SKB_CB(skb).seq + 1 == TCP_SKB_CB(skb).end_seq &&
                TCP_SKB_CB(skb).seq + 1 == tp.rcv_nxt &&
                TCP_SKB_CB(skb).ack_seq == tp.snd_nxt)
            {
                goto pass;
            }

            goto syn_challenge;
        }

    pass:
        // bpf_skops_parse_hdr: no BPF.
        return true;

    syn_challenge:
        if (syn_inerr != 0)
        {
            TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_INERRS);
        }

        Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPSYNCHALLENGE);
        tcp_send_challenge_ack(sk);
        reason = skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_SYN;

    discard:
        tcp_drop_reason(sk, skb, reason);
        return false;

    reset:
        tcp_reset(sk, skb);
        __kfree_skb(skb);
        return false;
    }

    // net/ipv4/tcp_input.c: tcp_check_urg
    /// <summary>
    /// A segment with URG: the urgent pointer (one byte back, RFC 793's
    /// reading, unless tcp_stdurg) names a new urgent byte ahead of what was
    /// read: the socket waits for it (TCP_URG_NOTYET, urg_seq) and header
    /// prediction is off. An urgent byte just read is stepped over when a new one comes.
    /// </summary>
    private static void tcp_check_urg(sock sk, tcphdr th)
    {
        var tp = tcp_sk(sk);
        uint ptr = th.urg_ptr;

        // net.ipv4.tcp_stdurg: 0, its default (the sysctl is not ported)
        if (ptr != 0)
        {
            ptr--;
        }

        ptr += th.seq;

        // urgent data already seen and read
        if (after(tp.copied_seq, ptr))
        {
            return;
        }

        // a pointer into data already received is not replayed
        if (before(ptr, tp.rcv_nxt))
        {
            return;
        }

        // a newer (or the same) urgent pointer is already known
        if (tp.urg_data != 0 && !after(ptr, tp.urg_seq))
        {
            return;
        }

        // not ported: sk_send_sigurg — no SIGURG delivery, no file owner
        if (tp.urg_seq == tp.copied_seq && tp.urg_data != 0 && !sock_flag(sk, sock_flags.SOCK_URGINLINE) && tp.copied_seq != tp.rcv_nxt)
        {
            var skb = skbuff_h.skb_peek(sk.sk_receive_queue);
            tp.copied_seq++;
            if (skb is not null && !before(tp.copied_seq, TCP_SKB_CB(skb).end_seq))
            {
                skbuff_h.__skb_unlink(skb, sk.sk_receive_queue);
                __kfree_skb(skb);
            }
        }

        tp.urg_data = TCP_URG_NOTYET;
        tp.urg_seq = ptr;

        // header prediction off
        tp.pred_flags = 0;
    }

    // net/ipv4/tcp_input.c: tcp_urg
    /// <summary>Urgent data: a new pointer noted (tcp_check_urg); when the awaited urgent byte is in this segment, it is kept (TCP_URG_VALID) and the reader woken.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_urg(sock sk, sk_buff skb, tcphdr th)
    {
        var tp = tcp_sk(sk);

        if (th.urg)
        {
            tcp_check_urg(sk, th);
        }

        if (tp.urg_data == TCP_URG_NOTYET)
        {
            var ptr = tp.urg_seq - th.seq + (uint)(th.doff * 4) - (th.syn ? 1u : 0u);

            // does the pointer point into this segment?
            if (ptr < skb.len)
            {
                Span<byte> tmp = stackalloc byte[1];
                skb_copy_bits(skb, (int)ptr, tmp, 1);
                tp.urg_data = (ushort)(TCP_URG_VALID | tmp[0]);
                if (!sock_flag(sk, sock_flags.SOCK_DEAD))
                {
                    sk.sk_data_ready!(sk);
                }
            }
        }
    }

    // not ported: tcp_cleanup_skb — the skb's dst and secpath: the port keeps no dst reference on received
    //   skbs and has no IPsec
    // net/ipv4/tcp_input.c: tcp_rcv_established
    /// <summary>
    /// A segment for an ESTABLISHED socket (softirq, or the owner's backlog).
    /// Header prediction first: a segment with the expected flags and
    /// window, at rcv_nxt, acknowledging nothing unsent, and with a
    /// timestamp not older than ts_recent, is a pure ACK (tcp_ack, freed) or
    /// in-order data that fits the window and the forward allocation
    /// (TCPHPHits: queued, tcp_event_data_recv, ACKed now or later). The
    /// rest takes the slow path: tcp_validate_incoming, tcp_ack, the text
    /// (tcp_data_queue) and tcp_ack_snd_check. Traces tcp_probe. A segment
    /// carrying data, or taking the slow path, has its checksum checked here:
    /// a bad one is traced (tcp_bad_csum), counted (CsumErrors, InErrs) and
    /// dropped TCP_CSUM (a pure ACK was checked whole on entry, being short).
    /// Consumes the skb.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static void tcp_rcv_established(sock sk, sk_buff skb)
    {
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        var th = tcp_hdr(skb);
        var tp = tcp_sk(sk);
        var len = (int)skb.len;

        // congestion window tracking
        Include.Trace.Events.tcp_h.trace_tcp_probe(sk, skb);

        tcp_output_c.tcp_mstamp_refresh(tp);

        // sk_rx_dst_set: no early demux, the route is looked up per segment.
        tp.rx_opt.saw_tstamp = false;

        // Header prediction (Van Jacobson's): the expected header word, in
        // order, and no ACK of unsent data. PSH does not matter.
        if ((Include.Uapi.Linux.tcp_h.tcp_flag_word(skb) & TCP_HP_BITS) == tp.pred_flags &&
            TCP_SKB_CB(skb).seq == tp.rcv_nxt &&
            !after(TCP_SKB_CB(skb).ack_seq, tp.snd_nxt))
        {
            var tcp_header_len = (int)tp.tcp_header_len;
            var delta = 0;
            var flag = 0;

            // pred_flags matched, so doff*4 is tcp_header_len: only the timestamp's layout is left to check
            if (tcp_header_len == tcphdr.Size + TCPOLEN_TSTAMP_ALIGNED)
            {
                if (!tcp_parse_aligned_timestamp(tp, skb))
                {
                    goto slow_path;
                }

                delta = (int)(tp.rx_opt.rcv_tsval - tp.rx_opt.ts_recent);

                // a PAWS suspect takes the careful way
                if (delta < 0)
                {
                    goto slow_path;
                }

                // ts_recent is updated only below, once the segment is known good
            }

            if (len <= tcp_header_len)
            {
                // a pure ACK: we are the sender
                if (len == tcp_header_len)
                {
                    // in window by construction: seq == rcv_nxt and rcv_wup <= rcv_nxt
                    if (tcp_header_len == tcphdr.Size + TCPOLEN_TSTAMP_ALIGNED && tp.rcv_nxt == tp.rcv_wup)
                    {
                        flag |= __tcp_replace_ts_recent(tp, delta);
                    }

                    // tcp_ecn_received_counters: no ECN.
                    tcp_ack(sk, skb, flag);
                    __kfree_skb(skb);
                    tcp_data_snd_check(sk);
                    tp.rcv_rtt_last_tsecr = tp.rx_opt.rcv_tsecr;
                    return;
                }

                reason = skb_drop_reason.SKB_DROP_REASON_PKT_TOO_SMALL;
                TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_INERRS);
                goto discard;
            }
            else
            {
                // data: we are the receiver
                if (tcp_checksum_complete(skb))
                {
                    goto csum_error;
                }

                if (after(TCP_SKB_CB(skb).end_seq, tp.rcv_nxt + tcp_receive_window(tp)))
                {
                    goto validate;
                }

                if ((int)skb.truesize > sk.sk_forward_alloc)
                {
                    goto step5;
                }

                if (tcp_header_len == tcphdr.Size + TCPOLEN_TSTAMP_ALIGNED && tp.rcv_nxt == tp.rcv_wup)
                {
                    flag |= __tcp_replace_ts_recent(tp, delta);
                }

                tcp_rcv_rtt_measure_ts(sk, skb);

                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPHPHITS);

                // tcp_cleanup_skb
                skb.dst = null;
                Include.Linux.skbuff_h.__skb_pull(skb, tcp_header_len);

                // tcp_ecn_received_counters: no ECN.
                var eaten = tcp_queue_rcv(sk, skb, out var fragstolen);

                tcp_event_data_recv(sk, skb);

                if (TCP_SKB_CB(skb).ack_seq != tp.snd_una)
                {
                    // it acknowledges something too
                    tcp_ack(sk, skb, flag | FLAG_DATA);
                    tcp_data_snd_check(sk);
                    if (!inet_csk_ack_scheduled(sk))
                    {
                        goto no_ack;
                    }
                }
                else
                {
                    tcp_update_wl(tp, TCP_SKB_CB(skb).seq);
                }

                __tcp_ack_snd_check(sk, 0);
            no_ack:
                if (eaten != 0)
                {
                    kfree_skb_partial(skb, fragstolen);
                }

                tcp_data_ready(sk);
                return;
            }
        }

    slow_path:
        if (len < th.doff * 4 || tcp_checksum_complete(skb))
        {
            goto csum_error;
        }

        if (!th.ack && !th.rst && !th.syn)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
            goto discard;
        }

    // Standard slow path.
    validate:
        if (!tcp_validate_incoming(sk, skb, th, 1))
        {
            return;
        }

    step5:
        // tcp_ecn_received_counters_payload: no ECN.
        var ackr = tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT);
        if (ackr < 0)
        {
            reason = (skb_drop_reason)(-ackr);
            goto discard;
        }

        tcp_rcv_rtt_measure_ts(sk, skb);

        // step 6: the URG bit
        tcp_urg(sk, skb, th);

        // step 7: the segment's text
        tcp_data_queue(sk, skb);

        tcp_data_snd_check(sk);
        tcp_ack_snd_check(sk);
        return;

    csum_error:
        reason = skb_drop_reason.SKB_DROP_REASON_TCP_CSUM;
        Include.Trace.Events.tcp_h.trace_tcp_bad_csum(skb);
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_CSUMERRORS);
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_INERRS);

    discard:
        tcp_drop_reason(sk, skb, reason);
    }

    // net/ipv4/tcp_input.c: tcp_ecn_create_request
    /// <summary>
    /// A SYN with ECE and CWR asks for classic ECN; the request agrees
    /// (ecn_ok, so the SYN-ACK carries ECE) when net.ipv4.tcp_ecn is non-zero
    /// and the SYN itself arrived Not-ECT — or with a reserved bit or AE set,
    /// which RFC 8311 allows future extensions to use. An ECT-marked SYN is a
    /// broken middlebox or peer: no ECN then.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_ecn_create_request(request_sock req, sk_buff skb, sock listen_sk, dst_entry dst)
    {
        var th = tcp_hdr(skb);
        var net = listen_sk.sk_net;
        var th_ecn = (th.flags & (TCPHDR_ECE | TCPHDR_CWR)) == (TCPHDR_ECE | TCPHDR_CWR);

        // not ported: the AccECN request (tcp_accecn_syn_requested with tcp_ecn >= 3: accecn_ok, syn_ect_rcv) — AccECN is not ported;
        // such a SYN (ECE|CWR|AE) takes the classic path below.
        if (!th_ecn)
        {
            return;
        }

        var ect = (TCP_SKB_CB(skb).ip_dsfield & inet_ecn_h.INET_ECN_MASK) != inet_ecn_h.INET_ECN_NOT_ECT; // !INET_ECN_is_not_ect
        _ = dst; // dst_feature(dst, DST_FEATURE_ECN_MASK): no route carries RTAX_FEATURE_ECN in the port, so 0
        var ecn_ok = Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_ecn != 0;

        // tcp_ca_needs_ecn, DST_FEATURE_ECN_CA, tcp_bpf_ca_needs_ecn: no congestion control or route here needs ECN.
        if ((!ect || th.res1 != 0 || th.ae) && ecn_ok)
        {
            req.ecn_ok = true;
        }
    }

    // not ported: inet_request_mark — SO_MARK / fwmark_reflect is not ported: requests carry no mark
    // net/ipv4/tcp_input.c: tcp_openreq_init
    /// <summary>The request sock from the SYN: the peer's ISN and options, the ports.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_openreq_init(request_sock req, in tcp_options_received rx_opt, sk_buff skb, sock sk)
    {
        req.rsk_rcv_wnd = 0;
        req.rcv_isn = TCP_SKB_CB(skb).seq;
        req.rcv_nxt = TCP_SKB_CB(skb).seq + 1;
        req.snt_synack = 0;
        req.mss = rx_opt.mss_clamp;
        req.ts_recent = rx_opt.saw_tstamp ? rx_opt.rcv_tsval : 0;
        req.tstamp_ok = rx_opt.tstamp_ok;
        req.sack_ok = rx_opt.sack_ok != 0;
        req.snd_wscale = rx_opt.snd_wscale;
        req.wscale_ok = rx_opt.wscale_ok;
        req.ecn_ok = false;
        req.ir_rmt_port = tcp_hdr(skb).source;
        req.ir_num = tcp_hdr(skb).dest;
    }

    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TCPREQQFULLDOCOOKIES,
    //   LINUX_MIB_TCPREQQFULLDROP): with one simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_input.c: tcp_syn_flood_action
    /// <summary>
    /// The SYN queue is full (or net.ipv4.tcp_syncookies is 2): with cookies
    /// enabled the SYN is answered statelessly (TCPReqQFullDoCookies, true),
    /// otherwise dropped (TCPReqQFullDrop, false). The first time per
    /// listener the "Possible SYN flooding" warning is due (synflood_warned).
    /// </summary>
    private static bool tcp_syn_flood_action(sock sk, string proto)
    {
        var queue = inet_csk(sk).icsk_accept_queue!;
        var net = sk.sk_net;
        var want_cookie = false;

        var syncookies = Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_syncookies;

        // CONFIG_SYN_COOKIES is set on 6.18's usual configs (and this machine's).
        if (syncookies != 0)
        {
            want_cookie = true;
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPREQQFULLDOCOOKIES);
        }
        else
        {
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPREQQFULLDROP);
        }

        if (syncookies != 2 && !queue.synflood_warned)
        {
            queue.synflood_warned = true;

            // not ported: net_info_ratelimited("%s: Possible SYN flooding on port %pI4:%u. %s.") — the port keeps no kernel log.
            _ = proto;
        }

        return want_cookie;
    }

    // not ported: tcp_hdr — the header is read through the port's parsed tcphdr (skb.tcp_header / a local th)
    // not ported: sk_rx_queue_set — multi-queue NICs are not simulated: sk_rx_queue_mapping is not kept
    // not ported: dst_tcp_usec_ts — per-route usec TCP timestamps (RTAX_FEATURE_TCP_USEC_TS) are not ported:
    //   timestamps tick in ms
    // net/ipv4/tcp_input.c: tcp_conn_request
    /// <summary>
    /// A SYN for a listener. A full SYN queue (or tcp_syncookies 2) means a
    /// SYN cookie (tcp_syn_flood_action) or a drop; a full accept queue a drop
    /// (ListenOverflows); every drop counts ListenDrops. Otherwise a request
    /// sock from the SYN's options, routed back, with our ISN (a cookie's
    /// encodes the MSS; under pressure without cookies the last quarter of
    /// max_syn_backlog is kept for proven peers), its timestamp offset and
    /// window. Unless it answers with a cookie, Fast Open may make the child
    /// at once (tcp_try_fastopen): the child joins the accept queue and the
    /// SYN-ACK goes from it. Otherwise a normal request enters the SYN queue
    /// with its timer; a cookie's is freed once its SYN-ACK is out. A SYN that
    /// reused a TIME_WAIT 4-tuple (tcp_tw_isn) bypasses the queue limits.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_conn_request(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        var tmp_opt = new tcp_options_received();
        var foc = new tcp_fastopen_cookie { len = -1 };
        sock? fastopen_sk = null;
        var want_cookie = false;
        var syncookies = 0;
        request_sock req;
        dst_entry? dst = null;

        var isn = net.k.this_cpu().tcp_tw_isn; // __this_cpu_read(tcp_tw_isn)
        if (isn != 0)
        {
            // a SYN that took over a TIME_WAIT 4-tuple: the peer is evidently real, the queue limits do not apply
            net.k.this_cpu().tcp_tw_isn = 0;
        }
        else
        {
            syncookies = Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_syncookies;

            if (syncookies == 2 || inet_csk_reqsk_queue_is_full(sk))
            {
                want_cookie = tcp_syn_flood_action(sk, "TCP"); // rsk_ops->slab_name: tcp_request_sock_ops's family name
                if (!want_cookie)
                {
                    goto drop;
                }
            }
        }

        if (sk_acceptq_is_full(sk))
        {
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_LISTENOVERFLOWS);
            goto drop;
        }

        req = inet_connection_sock_c.inet_reqsk_alloc(sk, !want_cookie);

        req.syncookie = want_cookie;
        req.ts_off = 0;
        req.req_usec_ts = false;

        tcp_clear_options(ref tmp_opt);
        tmp_opt.mss_clamp = TCP_MSS_DEFAULT; // tcp_request_sock_ipv4_ops.mss_clamp
        tmp_opt.user_mss = tp.rx_opt.user_mss;
        // a cookie's SYN-ACK carries no Fast Open cookie: its option is not parsed
        tcp_parse_options(net, skb, ref tmp_opt, false, ref want_cookie ? ref System.Runtime.CompilerServices.Unsafe.NullRef<tcp_fastopen_cookie>() : ref foc);

        if (want_cookie && !tmp_opt.saw_tstamp)
        {
            tcp_clear_options(ref tmp_opt);
        }
        tmp_opt.tstamp_ok = tmp_opt.saw_tstamp;
        tcp_openreq_init(req, in tmp_opt, skb, sk);

        // no_srccheck: IP_TRANSPARENT is not ported.
        // not ported: inet_request_bound_dev_if — written out without l3mdev (no VRF): the SYN's input device
        req.ir_iif = skb.skb_iif;

        // af_ops->route_req: tcp_v4_route_req.
        var fl4 = new flowi4();
        dst = tcp_ipv4_c.tcp_v4_route_req(sk, skb, ref fl4, req);
        if (dst is null)
        {
            goto drop_and_free;
        }

        var st = default(Core.tcp_seq_and_ts_off);
        if (tmp_opt.tstamp_ok || (!want_cookie && isn == 0))
        {
            st = tcp_ipv4_c.tcp_v4_init_seq_and_ts_off(net, skb);
        }

        if (tmp_opt.tstamp_ok)
        {
            req.req_usec_ts = false; // dst_tcp_usec_ts: no RTAX_FEATURE_TCP_USEC_TS route
            req.ts_off = st.ts_off;
        }

        if (!want_cookie && isn == 0)
        {
            var max_syn_backlog = Include.Net.Netns.netns_ipv4.of(net).sysctl_max_syn_backlog;

            // without cookies the last quarter of the SYN queue is kept for peers known to be alive
            if (syncookies == 0 &&
                max_syn_backlog - inet_csk_reqsk_queue_len(sk) < (max_syn_backlog >> 2) &&
                !tcp_metrics_c.tcp_peer_is_proven(req, dst))
            {
                // not ported: pr_drop_req (net_dbg_ratelimited) — the port keeps no kernel log.
                goto drop_and_release;
            }

            isn = st.seq;
        }

        tcp_ecn_create_request(req, skb, sk, dst);
        if (want_cookie)
        {
            var mss = req.mss;
            isn = cookie_init_sequence(sk, skb, ref mss);
            req.mss = mss;
            if (!tmp_opt.tstamp_ok)
            {
                req.ecn_ok = false;
            }
        }

        // tcp_parse_auth_options: no TCP-AO.
        req.snt_isn = isn;
        req.txhash = net_tx_rndhash(net.k);
        tcp_minisocks_c.tcp_openreq_init_rwin(req, sk, dst);

        if (!want_cookie)
        {
            // tcp_reqsk_record_syn: saved SYNs are not ported.
            fastopen_sk = tcp_fastopen_c.tcp_try_fastopen(sk, skb, req, ref foc, dst);
        }

        if (fastopen_sk is not null)
        {
            tcp_ipv4_c.tcp_v4_send_synack(fastopen_sk, dst, ref fl4, req, ref foc, tcp_synack_type.TCP_SYNACK_FASTOPEN, skb);

            // The child goes straight onto the accept queue.
            if (inet_connection_sock_c.inet_csk_reqsk_queue_add(sk, req, fastopen_sk) is null)
            {
                // bh_unlock_sock(fastopen_sk); sock_put(fastopen_sk)
                goto drop_and_free;
            }

            sk.sk_data_ready!(sk);

            // bh_unlock_sock(fastopen_sk); sock_put(fastopen_sk)
        }
        else
        {
            req.tfo_listener = false;
            if (!want_cookie)
            {
                req.timeout = tcp_timeout_init(request_sock_h.req_to_sk(req));
                if (!inet_connection_sock_c.inet_csk_reqsk_queue_hash_add(sk, req, req.timeout))
                {
                    request_sock_h.reqsk_free(req);
                    return 0; // dst_release: routes are not refcounted
                }
            }

            tcp_ipv4_c.tcp_v4_send_synack(sk, dst, ref fl4, req, ref foc, !want_cookie ? tcp_synack_type.TCP_SYNACK_NORMAL : tcp_synack_type.TCP_SYNACK_COOKIE, skb);
            if (want_cookie)
            {
                request_sock_h.reqsk_free(req);
                return 0;
            }
        }

        request_sock_h.reqsk_put(req);
        return 0;

    drop_and_release:
        // dst_release: routes are not refcounted.
    drop_and_free:
        request_sock_h.__reqsk_free(req);
    drop:
        tcp_listendrop(sk);
        return 0;
    }

    // not ported: sk_drops_skbadd — the per-socket drop counter (sk_drops, shown by ss -m) is not kept
    // net/ipv4/tcp_input.c: tcp_drop_reason
    [KernelNet.Annotations.Consumes("skb")]
    private static void tcp_drop_reason(sock sk, sk_buff skb, skb_drop_reason reason)
    {
        sk_drops_inc(sk);
        sk_skb_reason_drop(sk, skb, reason);
    }

    // net/ipv4/tcp_input.c: tcp_rcv_synrecv_state_fastopen
    /// <summary>
    /// A Fast Open child's handshake completes (the ACK of its SYN-ACK): a
    /// SYN-ACK timeout undone if the echo allows, the timeouts forgotten, the
    /// request let go (reqsk_fastopen_remove) and the RTO re-armed for any
    /// data already sent.
    /// </summary>
    private static void tcp_rcv_synrecv_state_fastopen(sock sk)
    {
        var tp = tcp_sk(sk);

        // Still in the SYN-ACK's RTO: the timestamp echo may allow undo (not when SACKs started recovery).
        if (inet_csk(sk).icsk_ca_state == TCP_CA_Loss && tp.packets_out == 0)
        {
            tcp_try_undo_recovery(sk);
        }

        // the SYN-ACK's RTO episode, if any, ends: its time adds to total_rto_time
        tcp_update_rto_time(tp);
        inet_csk(sk).icsk_retransmits = 0;

        // tcp_fastopen_synack_timer set retrans_stamp without entering Loss
        tcp_retrans_stamp_cleanup(sk);

        // Out of SYN_RECV (or FIN_WAIT1) the request is not needed.
        Core.request_sock_c.reqsk_fastopen_remove(sk, tp.fastopen_rsk!, false);

        // Data may have been sent meanwhile: the timer restarts as after an ACK of new data.
        tcp_rearm_rto(sk);
    }

    // not ported: sk_wake_async — SIGIO/O_ASYNC (FASYNC) is not ported: no process asks for signals
    // not ported: sk_dst_confirm — TCP's neighbour confirmation (sk_dst_pending_confirm, dst_confirm_neigh on
    //   the next send) is not ported: ARP entries age on the neighbour timers alone
    // not ported: SKB_DR_SET — the drop reason is assigned directly to a local
    // not ported: SKB_DR — the drop reason is a plain local set where the kernel would SKB_DR_SET it
    // net/ipv4/tcp_input.c: tcp_rcv_state_process
    /// <summary>
    /// A segment for a socket in any state but ESTABLISHED and TIME_WAIT. CLOSE
    /// drops (TCP_CLOSE); SYN_SENT goes to tcp_rcv_synsent_state_process. The
    /// other states (LISTEN, SYN_RECV, the closing states) are not ported:
    /// their segments are dropped as TCP_FLAGS. 0, or a reason to reset.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    public static skb_drop_reason tcp_rcv_state_process(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var th = tcp_hdr(skb);
        var queued = false;
        skb_drop_reason reason;

        switch (sk.sk_state)
        {
            case TCP_CLOSE:
                reason = skb_drop_reason.SKB_DROP_REASON_TCP_CLOSE;
                goto discard;
            case TCP_LISTEN:
                if (th.ack)
                {
                    return skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
                }

                if (th.rst)
                {
                    reason = skb_drop_reason.SKB_DROP_REASON_TCP_RESET;
                    goto discard;
                }

                if (th.syn)
                {
                    if (th.fin)
                    {
                        reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
                        goto discard;
                    }

                    // a SYN may come from the backlog (process context): bottom halves off around conn_request
                    Include.Linux.bottom_half_h.local_bh_disable(sk.sk_net.k);
                    var acceptable = tcp_ipv4_c.tcp_v4_conn_request(sk, skb) >= 0;
                    Include.Linux.bottom_half_h.local_bh_enable(sk.sk_net.k);
                    if (!acceptable)
                    {
                        return skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
                    }

                    consume_skb(skb);
                    return 0;
                }

                reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
                goto discard;
            case TCP_SYN_SENT:
                tp.rx_opt.saw_tstamp = false;
                tcp_output_c.tcp_mstamp_refresh(tp);
                var r = tcp_rcv_synsent_state_process(sk, skb, th);
                if ((int)r >= 0)
                {
                    return r;
                }

                // the rest of the segment's processing, done here (tcp_urg: no urgent data)
                __kfree_skb(skb);
                tcp_data_snd_check(sk);
                return 0;
        }

        tcp_output_c.tcp_mstamp_refresh(tp);
        tp.rx_opt.saw_tstamp = false;

        var req = tp.fastopen_rsk;
        if (req is not null)
        {
            // WARN_ON_ONCE: only SYN_RECV and FIN_WAIT1 keep fastopen_rsk
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_FASTOPEN;
            if (tcp_minisocks_c.tcp_check_req(sk, skb, req, true, out _, ref reason) is null)
            {
                goto discard;
            }
        }

        if (!th.ack && !th.rst && !th.syn)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
            goto discard;
        }

        if (!tcp_validate_incoming(sk, skb, th, 0))
        {
            return 0;
        }

        if (!th.ack)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
            goto discard;
        }

        // step 5: check the ACK field
        var ackr = tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT | FLAG_NO_CHALLENGE_ACK);
        if (ackr <= 0)
        {
            if (sk.sk_state == TCP_SYN_RECV)
            {
                // send one RST
                return ackr == 0 ? skb_drop_reason.SKB_DROP_REASON_TCP_OLD_ACK : (skb_drop_reason)(-ackr);
            }

            // an old ACK is tolerated while closing; an impossible one is challenged
            if (ackr < 0)
            {
                tcp_send_challenge_ack(sk);
                reason = (skb_drop_reason)(-ackr);
                goto discard;
            }
        }

        switch (sk.sk_state)
        {
            case TCP_SYN_RECV:
                tp.delivered++;

                // tcp_check_req measured the others; a Fast Open child measures here
                if (tp.srtt_us == 0)
                {
                    tcp_synack_rtt_meas(sk, req);
                }

                // before tcp_init_transfer: a simultaneous open's buffer space is sized from it
                if (tp.rx_opt.tstamp_ok)
                {
                    tp.advmss -= TCPOLEN_TSTAMP_ALIGNED;
                }

                if (req is not null)
                {
                    tcp_rcv_synrecv_state_fastopen(sk);
                }
                else
                {
                    // a simultaneous open (a full socket in SYN_RECV without a request)
                    tp.retrans_stamp = 0;
                    tcp_init_transfer(sk, 0, skb);
                    tp.copied_seq = tp.rcv_nxt;
                }

                // tcp_ao_established: no TCP-AO.
                tcp_c.tcp_set_state(sk, TCP_ESTABLISHED);
                sk.sk_state_change!(sk);

                // sk_wake_async (a crossed-SYN socket has a user): no SIGIO.
                tp.snd_una = TCP_SKB_CB(skb).ack_seq;
                tp.snd_wnd = (uint)(th.window << tp.rx_opt.snd_wscale);
                tcp_init_wl(tp, TCP_SKB_CB(skb).seq);

                if (inet_csk(sk).icsk_ca_ops?.cong_control is null)
                {
                    tcp_update_pacing_rate(sk);
                }
                tp.lsndtime = tcp_jiffies32(sk);
                tcp_initialize_rcv_mss(sk);

                // tcp_accecn_third_ack: AccECN is not ported.
                tcp_fast_path_on(tp);

                // shutdown(SHUT_WR) while the crossed SYNs were still in flight: the FIN goes now
                if ((sk.sk_shutdown & SEND_SHUTDOWN) != 0)
                {
                    tcp_c.tcp_shutdown(sk, SEND_SHUTDOWN);
                }

                break;
            case TCP_FIN_WAIT1:
                {
                    if (req is not null)
                    {
                        tcp_rcv_synrecv_state_fastopen(sk);
                    }

                    if (tp.snd_una != tp.write_seq)
                    {
                        break;
                    }

                    tcp_c.tcp_set_state(sk, TCP_FIN_WAIT2);
                    sk.sk_shutdown |= SEND_SHUTDOWN;

                    // sk_dst_confirm: no neighbour confirmation from TCP.
                    if (!sock_flag(sk, sock_flags.SOCK_DEAD))
                    {
                        // Wake up lingering close()
                        sk.sk_state_change!(sk);
                        break;
                    }

                    // TCP_LINGER2 < 0: an orphan does not wait in FIN_WAIT2 at all
                    if (tp.linger2 < 0)
                    {
                        tcp_c.tcp_done(sk);
                        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTONDATA);
                        return skb_drop_reason.SKB_DROP_REASON_TCP_ABORT_ON_DATA;
                    }

                    // not ported: tcp_fastopen_active_disable — data or a FIN past rcv_nxt after our close (abort on
                    //   data, which may pause active Fast Open) is not ported
                    var tmo = tcp_fin_time(sk);
                    if (tmo > TCP_TIMEWAIT_LEN)
                    {
                        // the FIN_WAIT2 timer (sk_timer, tcp_keepalive_timer) covers what TIME_WAIT's length does not
                        tcp_timer_c.tcp_reset_keepalive_timer(sk, (ulong)(tmo - TCP_TIMEWAIT_LEN));
                        break;
                    }

                    if (th.fin || sock_owned_by_user(sk))
                    {
                        // a FIN here could be lost otherwise: the whole fin time on the FIN_WAIT2 timer
                        tcp_timer_c.tcp_reset_keepalive_timer(sk, (ulong)tmo);
                        break;
                    }

                    tcp_minisocks_c.tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
                    __kfree_skb(skb); // consume
                    return 0;
                }

            case TCP_CLOSING:
                if (tp.snd_una == tp.write_seq)
                {
                    tcp_minisocks_c.tcp_time_wait(sk, TCP_TIME_WAIT, 0);
                    __kfree_skb(skb); // consume
                    return 0;
                }

                break;
            case TCP_LAST_ACK:
                if (tp.snd_una == tp.write_seq)
                {
                    tcp_c.tcp_done(sk);
                    __kfree_skb(skb); // consume
                    return 0;
                }

                break;
        }

        // step 6: check the URG bit
        tcp_urg(sk, skb, th);

        // then the segment's data (the seventh step of RFC 793's processing)
        switch (sk.sk_state)
        {
            case TCP_CLOSE_WAIT:
            case TCP_CLOSING:
            case TCP_LAST_ACK:
                // the peer's FIN is in: nothing new can follow it; only a retransmission goes on to be acknowledged
                if (!before(TCP_SKB_CB(skb).seq, tp.rcv_nxt))
                {
                    break;
                }

                goto case TCP_FIN_WAIT1;
            case TCP_FIN_WAIT1:
            case TCP_FIN_WAIT2:
                // RFC 1122 (and BSD): new data for a socket that will not read any more resets the connection
                if ((sk.sk_shutdown & RCV_SHUTDOWN) != 0)
                {
                    if (TCP_SKB_CB(skb).end_seq != TCP_SKB_CB(skb).seq &&
                        after(TCP_SKB_CB(skb).end_seq - (th.fin ? 1U : 0U), tp.rcv_nxt))
                    {
                        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTONDATA);
                        tcp_reset(sk, skb);
                        return skb_drop_reason.SKB_DROP_REASON_TCP_ABORT_ON_DATA;
                    }
                }

                goto case TCP_ESTABLISHED;
            case TCP_ESTABLISHED:
                tcp_data_queue(sk, skb);
                queued = true;
                break;
        }

        // tcp_data could move the socket to TIME-WAIT
        if (sk.sk_state != TCP_CLOSE)
        {
            tcp_data_snd_check(sk);
            tcp_ack_snd_check(sk);
        }

        if (!queued)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
            goto discard;
        }

        return 0;

    discard:
        tcp_drop_reason(sk, skb, reason);
        return 0;
    }
}
