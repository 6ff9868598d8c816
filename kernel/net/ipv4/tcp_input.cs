// Ports net/ipv4/tcp_input.c: what a TCP socket does with a segment — the
// three-way handshake: a listener's SYN (tcp_conn_request: a request sock
// and the SYN-ACK), SYN_SENT's SYN-ACK (tcp_finish_connect and the ACK) or
// RST (tcp_reset), SYN_RECV's ACK, and the option parsing they need
// (tcp_parse_options: MSS, window scale, timestamps, SACK-permitted); the
// acknowledgement of what was sent: tcp_ack (the send window, the old-ACK
// and SEG.ACK > SND.NXT challenge ACKs of RFC 5961 as 6.18-stable sends
// them, TCPPureAcks, ts_recent), tcp_clean_rtx_queue (TX-9: the acked skbs
// freed, TCPDelivered, tcp_remove_reno_sacks), the RTT estimator
// (tcp_ack_update_rtt from the ACK's timing or the echoed timestamp,
// tcp_rtt_estimator, tcp_set_rto, a one-sample min-RTT), tcp_rearm_rto,
// tcp_cong_control/tcp_cong_avoid into the congestion module,
// tcp_ack_probe, the Loss state after an RTO (tcp_enter_loss,
// tcp_timeout_mark_lost, tcp_process_loss, tcp_try_undo_recovery,
// tcp_xmit_recovery), waking writers (tcp_check_space, tcp_new_space,
// send-buffer autotuning tcp_sndbuf_expand), tcp_data_snd_check; the close: the
// peer's FIN (tcp_data_queue queues it, tcp_fin moves the state: CLOSE_WAIT,
// CLOSING, TIME_WAIT), the ACK of our FIN in FIN_WAIT1 (FIN_WAIT2, then the
// timewait sock), CLOSING and LAST_ACK, and whether an ACK is sent now or
// delayed (tcp_ack_snd_check). tcp_rcv_established takes every segment on
// its slow path.
//
// not ported yet: data (tcp_data_queue drops a segment with data), header
// prediction, tcp_validate_incoming's checks (PAWS, sequence window, RST,
// SYN), quick-ACK mode, SACK, simultaneous open, SYN cookies, fast open,
// ECN, fast retransmit and recovery (duplicate ACKs, PRR), undo and F-RTO,
// RACK, TLP, the rate sampler, window probes' timer side, urgent data,
// the FIN_WAIT2 timer of an orphan (tcp_fin_time over TCP_TIMEWAIT_LEN, or
// a FIN_WAIT2 reached while the socket is owned: it waits).
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

    // net/ipv4/tcp_input.c: tcp_clear_retrans
    public static void tcp_clear_retrans(tcp_sock tp)
    {
        tp.retrans_out = 0;
        tp.lost_out = 0;
        tp.sacked_out = 0;
    }

    // net/ipv4/tcp_input.c: tcp_reset
    /// <summary>A RST was accepted: the error BSD reports for the state (ECONNREFUSED in SYN_SENT), and the socket is done.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_receive_reset: the tcp: tracepoints are not ported yet (the recordings do not enable them)")]
    public static void tcp_reset(sock sk, sk_buff skb)
    {
        int err;

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

    // net/ipv4/tcp_input.c: tcp_rcv_synsent_state_process
    /// <summary>
    /// A segment for a socket in SYN_SENT. An ACK must acknowledge exactly our
    /// SYN (else the caller resets: TCP_INVALID_ACK_SEQUENCE); with RST, the
    /// connection is refused (tcp_reset) and the RST is freed without a
    /// tracepoint. Returns 0 when the skb was consumed, else the drop reason
    /// for the caller's reset. Completing the handshake (SYN-ACK) and
    /// simultaneous open are not ported: such segments are dropped
    /// (TCP_FLAGS), so the SYN's retransmit timer stays the only way on.
    /// </summary>
    public static skb_drop_reason tcp_rcv_synsent_state_process(sock sk, sk_buff skb, tcphdr th)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var saved_clamp = tp.rx_opt.mss_clamp;
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;

        tcp_parse_options(sk.sk_net, skb, tp.rx_opt, false);
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

            tcp_init_wl(tp, TCP_SKB_CB(skb).seq);

            // tcp_try_undo_spurious_syn: the SYN was not retransmitted.
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

            tp.copied_seq = tp.rcv_nxt;

            tcp_finish_connect(sk, skb);

            if (!sock_flag(sk, sock_flags.SOCK_DEAD))
            {
                sk.sk_state_change!(sk);

                // sk_wake_async: no SIGIO.
            }

            // Delayed ACK (write_pending, TCP_DEFER_ACCEPT, pingpong) is not ported: acknowledge at once.
            tcp_output_c.tcp_send_ack(sk);
            return (skb_drop_reason)(-1);
        }

        // No ACK in the segment: "If the RST bit is set, drop the segment and return."
        if (th.rst)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_RESET;
            goto discard_and_undo;
        }

        // Simultaneous open (a SYN without ACK) is not ported.
        reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;

    discard_and_undo:
        tp.rx_opt.mss_clamp = saved_clamp;
        tcp_drop_reason(sk, skb, reason);
        return 0;

    reset_and_undo:
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
    private const int FLAG_SLOWPATH = 0x100;
    private const int FLAG_ORIG_SACK_ACKED = 0x200;
    private const int FLAG_SND_UNA_ADVANCED = 0x400;
    private const int FLAG_DSACKING_ACK = 0x800;
    private const int FLAG_SET_XMIT_TIMER = 0x1000;
    private const int FLAG_UPDATE_TS_RECENT = 0x4000;
    private const int FLAG_NO_CHALLENGE_ACK = 0x8000;
    private const int FLAG_ACK_MAYBE_DELAYED = 0x10000;
    private const int FLAG_ACKED = FLAG_DATA_ACKED | FLAG_SYN_ACKED;
    private const int FLAG_NOT_DUP = FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED;
    private const int FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK;
    private const int FLAG_FORWARD_PROGRESS = FLAG_ACKED | FLAG_DATA_SACKED;

    // net/ipv4/tcp_input.c: tcp_parse_options
    /// <summary>
    /// Reads the TCP options of a segment (in practice a SYN or SYN-ACK).
    /// MSS, window scale and SACK-permitted count only on a SYN before the
    /// connection is established; timestamps as the sysctl or the
    /// connection allows. Other options (SACK blocks, MD5, fast open) are skipped.
    /// </summary>
    public static void tcp_parse_options(net net, sk_buff skb, tcp_options_received opt_rx, bool estab)
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
                        case TCPOPT_SACK_PERM:
                            if (opsize == TCPOLEN_SACK_PERM && th.syn && !estab && ipv4.sysctl_tcp_sack)
                            {
                                opt_rx.sack_ok = 1; // TCP_SACK_SEEN; tcp_sack_reset
                            }

                            break;
                    }

                    ptr += opsize - 2;
                    length -= opsize;
                    break;
            }
        }
    }

    // net/ipv4/tcp_input.c: tcp_store_ts_recent
    private static void tcp_store_ts_recent(tcp_sock tp)
    {
        tp.rx_opt.ts_recent = tp.rx_opt.rcv_tsval;
        tp.rx_opt.ts_recent_stamp = tp.sk.sk_net.k.ktime_get_ns() / 1_000_000_000; // ktime_get_seconds
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

    // net/ipv4/tcp_input.c: tcp_ack_update_window
    /// <summary>Update our send window (RFC 793 5.3.7 rule); the fast path and the window-shrink accounting are not ported.</summary>
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

                // tcp_fast_path_check: no header prediction.
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

    // net/ipv4/tcp_input.c: tcp_rtt_tsopt_us
    /// <summary>The RTT the echoed timestamp tells (µs), at least <paramref name="min_delta"/> ticks; -1 if implausible.</summary>
    private static int tcp_rtt_tsopt_us(tcp_sock tp, uint min_delta)
    {
        var delta = tcp_time_stamp_ts(tp) - tp.rx_opt.rcv_tsecr;
        if (tp.tcp_usec_ts)
        {
            return (int)delta;
        }

        if (delta < int.MaxValue / (1_000_000 / TCP_TS_HZ))
        {
            if (delta == 0)
            {
                delta = min_delta;
            }

            return (int)(delta * (1_000_000 / TCP_TS_HZ));
        }

        return -1;
    }

    /// <summary>TCP_TS_HZ: the timestamp option ticks in milliseconds.</summary>
    private const uint TCP_TS_HZ = 1000;

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

    // net/ipv4/tcp_input.c: tcp_set_rto
    /// <summary>RTO = srtt + rttvar (already at least rto_min), bounded by TCP_RTO_MAX. The backoff is not applied here.</summary>
    private static void tcp_set_rto(sock sk)
    {
        var tp = tcp_sk(sk);

        inet_csk(sk).icsk_rto = __tcp_set_rto(tp);

        // no clamp at TCP_RTO_MIN: rttvar never falls below it
        tcp_bound_rto(sk);
    }

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
        var now = (uint)sk.sk_net.k.jiffies;

        if ((flag & FLAG_ACK_MAYBE_DELAYED) != 0 && rtt_us > tp.rtt_min)
        {
            // a peer that keeps delaying its ACKs would make the filter overestimate the path
            return;
        }

        var sample = rtt_us != 0 ? rtt_us : Kernel.Time.time_c.jiffies_to_usecs(1);
        if (sample <= tp.rtt_min || now - tp.rtt_min_stamp > wlen)
        {
            tp.rtt_min = sample; // minmax_running_min
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

    // net/ipv4/tcp_input.c: tcp_cong_avoid
    /// <summary>The congestion control grows cwnd for <paramref name="acked"/> segments.</summary>
    private static void tcp_cong_avoid(sock sk, uint ack, uint acked)
    {
        var icsk = inet_csk(sk);

        icsk.icsk_ca_ops!.cong_avoid!(sk, ack, acked);
        tcp_sk(sk).snd_cwnd_stamp = (uint)sk.sk_net.k.jiffies;
    }

    // net/ipv4/tcp_input.c: tcp_rearm_rto
    /// <summary>After progress the retransmit timer restarts for a full RTO (RFC 6298 5.3); with nothing in flight it stops.</summary>
    public static void tcp_rearm_rto(sock sk)
    {
        var tp = tcp_sk(sk);

        // fastopen_rsk: no fast open.
        if (tp.packets_out == 0)
        {
            inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
        }
        else
        {
            var rto = inet_csk(sk).icsk_rto;

            // the RACK reorder timer and TLP are never armed: no offset to take off
            tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, rto, true);
        }
    }

    // net/ipv4/tcp_input.c: tcp_set_xmit_timer
    /// <summary>A loss probe if one can be scheduled (TLP is not ported: never), else the RTO.</summary>
    private static void tcp_set_xmit_timer(sock sk) => tcp_rearm_rto(sk);

    // net/ipv4/tcp_input.c: tcp_clean_rtx_queue
    /// <summary>
    /// Frees what the ACK covers from the retransmit queue (TX-9; the free is
    /// __kfree_skb, which no tracepoint reports), counting each as delivered;
    /// a partly acked skb at the head is not trimmed here (that waits for its
    /// retransmission, __tcp_retransmit_skb). The oldest never-retransmitted
    /// skb acked gives the RTT sample; congestion control's pkts_acked hook
    /// hears of it. SACK, RACK and the rate sampler are not ported.
    /// </summary>
    private static int tcp_clean_rtx_queue(sock sk, sk_buff ack_skb, uint prior_fack, uint prior_snd_una)
    {
        var icsk = inet_csk(sk);
        ulong first_ackt = 0, last_ackt = 0;
        var tp = tcp_sk(sk);
        var prior_sacked = tp.sacked_out;
        var fully_acked = true;
        long sack_rtt_us = -1L;
        long seq_rtt_us = -1L;
        long ca_rtt_us = -1L;
        uint pkts_acked = 0;
        var flag = 0;
        var prior_delivered = tp.delivered; // rate->prior_delivered stands in (no rate sampler)

        sk_buff? skb;
        for (skb = tp.tcp_rtx_queue.first; skb is not null; skb = tp.tcp_rtx_queue.first)
        {
            var scb = TCP_SKB_CB(skb);
            var sacked = scb.sacked;
            uint acked_pcount;

            // how much of it is acked, whole or (a multi-segment skb) in part
            if (after(scb.end_seq, tp.snd_una))
            {
                // tcp_tso_acked: every skb here is a single segment
                break;
            }

            acked_pcount = (uint)tcp_skb_pcount(skb);

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

                if (!after(scb.end_seq, tp.high_seq))
                {
                    flag |= FLAG_ORIG_SACK_ACKED;
                }
            }

            if ((sacked & TCPCB_SACKED_ACKED) != 0)
            {
                tp.sacked_out -= acked_pcount;
            }
            else if (tcp_is_sack(tp))
            {
                // tcp_rack_advance: no RACK
                tcp_count_delivered(tp, acked_pcount);
            }

            if ((sacked & TCPCB_LOST) != 0)
            {
                tp.lost_out -= acked_pcount;
            }

            tp.packets_out -= acked_pcount;
            pkts_acked += acked_pcount;

            // tcp_rate_skb_delivered: no rate sampler.
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

            // tcp_ack_tstamp: SO_TIMESTAMPING is not ported. retransmit_skb_hint, tcp_highest_sack_replace: no scoreboard.
            tcp_rtx_queue_unlink_and_free(skb, sk);
        }

        // tcp_chrono_stop(TCP_CHRONO_BUSY): no chronographs.
        if (between(tp.snd_up, prior_snd_una, tp.snd_una))
        {
            tp.snd_up = tp.snd_una;
        }

        if (first_ackt != 0 && (flag & FLAG_RETRANS_DATA_ACKED) == 0)
        {
            seq_rtt_us = tcp_stamp_us_delta(tp.tcp_mstamp, first_ackt);
            ca_rtt_us = tcp_stamp_us_delta(tp.tcp_mstamp, last_ackt);

            // (6.18 also asks the rate sample that nothing else was delivered since the skb left: no rate sampler here)
            if (pkts_acked == 1 && fully_acked && prior_sacked == 0 &&
                (tp.snd_una - prior_snd_una) < tp.mss_cache &&
                (flag & (FLAG_CA_ALERT | FLAG_SYN_ACKED)) == 0)
            {
                // a lone runt acknowledged on its own: most likely a delayed ACK
                flag |= FLAG_ACK_MAYBE_DELAYED;
            }
        }

        var rtt_update = tcp_ack_update_rtt(sk, flag, seq_rtt_us, sack_rtt_us, ca_rtt_us);

        if ((flag & FLAG_ACKED) != 0)
        {
            flag |= FLAG_SET_XMIT_TIMER; // set TLP or RTO timer

            // icsk_mtup.probe_size: no MTU probing.
            if (tcp_is_reno(tp))
            {
                tcp_remove_reno_sacks(sk, (int)pkts_acked);

                // without SACK, a retransmission among what was acked is no proof that the originals got there
                if ((flag & FLAG_RETRANS_DATA_ACKED) != 0)
                {
                    flag &= ~FLAG_ORIG_SACK_ACKED;
                }
            }

            // tcp_check_sack_reordering: no reordering detection.
        }

        _ = rtt_update;

        if (icsk.icsk_ca_ops?.pkts_acked is { } hook)
        {
            var sample = new ack_sample(pkts_acked, (int)ca_rtt_us, tp.mss_cache * (tp.delivered - prior_delivered));
            hook(sk, sample);
        }

        return flag;
    }

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

        // tcp_check_reno_reordering, tcp_verify_left_out: no reordering detection.
    }

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

            // icsk_probes_tstamp: TCP_USER_TIMEOUT is not ported.
            inet_csk_clear_xmit_timer(sk, ICSK_TIME_PROBE0);

            // the writer is woken by the tcp_data_snd_check that follows
        }
        else
        {
            var when = tcp_probe0_when(sk, tcp_rto_max(sk));

            // tcp_clamp_probe0_to_user_timeout: no TCP_USER_TIMEOUT.
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
    /// <summary>At the end of an ACK: cwnd grows (tcp_cong_avoid) when allowed; a cwnd reduction (PRR) is not ported; nor is pacing (tcp_update_pacing_rate).</summary>
    private static void tcp_cong_control(sock sk, uint ack, uint acked_sacked, int flag)
    {
        // cong_control: no algorithm here has one (BBR is not ported).
        if (tcp_in_cwnd_reduction(sk))
        {
            // tcp_cwnd_reduction (PRR): no fast recovery or CWR yet
        }
        else if (tcp_may_raise_cwnd(sk, flag))
        {
            tcp_cong_avoid(sk, ack, acked_sacked);
        }

        // tcp_update_pacing_rate: no pacing.
    }

    // net/ipv4/tcp_input.c: __tcp_oow_rate_limited
    /// <summary>At most one out-of-window ACK per tcp_invalid_ratelimit ms; a suppressed one counts in <paramref name="mib_idx"/>.</summary>
    private static bool __tcp_oow_rate_limited(net net, linux_mib_field mib_idx, tcp_sock tp)
    {
        var val = tp.last_oow_ack_time;
        var now = (uint)net.k.jiffies;

        if (val != 0)
        {
            var elapsed = (int)(now - val);

            if (elapsed >= 0 && elapsed < Include.Linux.jiffies_h.msecs_to_jiffies(Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_invalid_ratelimit))
            {
                Include.Net.ip_h.NET_INC_STATS(net, mib_idx);
                return true; // rate-limited: no ACK now
            }
        }

        tp.last_oow_ack_time = now;
        return false;
    }

    // net/ipv4/tcp_input.c: tcp_send_challenge_ack
    /// <summary>
    /// RFC 5961 7: a challenge ACK, rate limited per socket
    /// (tcp_invalid_ratelimit, TCPACKSkippedChallenge) and host-wide
    /// (tcp_challenge_ack_limit, INT_MAX by default: unlimited); TCPChallengeACK.
    /// </summary>
    private static void tcp_send_challenge_ack(sock sk)
    {
        var tp = tcp_sk(sk);
        var net = sk.sk_net;

        // the per-socket dupack rate limit first
        if (__tcp_oow_rate_limited(net, linux_mib_field.LINUX_MIB_TCPACKSKIPPEDCHALLENGE, tp))
        {
            return;
        }

        var ack_limit = Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_challenge_ack_limit;
        if (ack_limit != int.MaxValue)
        {
            // the host-wide budget per second (tcp_challenge_count): not ported beyond the default
        }

        Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPCHALLENGEACK);
        tcp_output_c.tcp_send_ack(sk); // tcp_send_ack_reflect_ect: no AccECN
    }

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

    // net/ipv4/tcp_input.c: tcp_ack
    /// <summary>
    /// Processes an arriving ACK. An ACK older than the window of what was
    /// acked is answered by a challenge ACK (TCP_TOO_OLD_ACK), an old one
    /// ignored (0); one above SND.NXT is refused (TCP_ACK_UNSENT_DATA) and,
    /// as the 6.18-stable backport of "tcp: send a challenge ACK on SEG.ACK >
    /// SND.NXT" does, answered with a challenge ACK. Otherwise the window is
    /// updated, acknowledged skbs leave the retransmit queue (RTT sample,
    /// RTO), TCPDelivered counts them, cwnd grows (tcp_cong_control), and a
    /// zero-window probe is settled when nothing was in flight.
    /// Not ported: SACK, ECN, RACK, TLP, undo, fast recovery.
    /// </summary>
    private static int tcp_ack(sock sk, sk_buff skb, int flag)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var prior_snd_una = tp.snd_una;
        var ack_seq = TCP_SKB_CB(skb).seq;
        var ack = TCP_SKB_CB(skb).ack_seq;
        var prior_packets = tp.packets_out;
        var delivered = tp.delivered;
        int num_dupack = 0;
        var rexmit = REXMIT_NONE;
        uint prior_fack;

        // an ACK older than what was already acked is probably to be ignored
        if (before(ack, prior_snd_una))
        {
            // never accept an ACK for bytes we never sent
            var max_window = (uint)Math.Min(tp.max_window, tp.bytes_acked);

            // RFC 5961 5.2 [Blind Data Injection Attack].[Mitigation]
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

        prior_fack = tp.snd_una; // tcp_highest_sack_seq: no SACK

        // rs.prior_in_flight: no rate sampler.
        // ts_recent is updated only once the segment is known to be in the window
        if ((flag & FLAG_UPDATE_TS_RECENT) != 0)
        {
            tcp_replace_ts_recent(tp, TCP_SKB_CB(skb).seq);
        }

        // The slow path (header prediction, where a pure forward advance skips the window checks and counts TCPHPAcks, is not ported).
        if (ack_seq != TCP_SKB_CB(skb).end_seq)
        {
            flag |= FLAG_DATA;
        }
        else
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPPUREACKS);
        }

        flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);

        // tcp_sacktag_write_queue, tcp_ecn_rcv_ecn_echo, tcp_ecn_accept_cwr: not ported.
        // something worked: the soft error of earlier attempts is forgotten
        sk.sk_err_soft = 0;
        icsk.icsk_probes_out = 0;
        tp.rcv_tstamp = (uint)sk.sk_net.k.jiffies;
        if (prior_packets == 0)
        {
            goto no_queue;
        }

        // what can come off the retransmit queue
        flag |= tcp_clean_rtx_queue(sk, skb, prior_fack, prior_snd_una);

        // tcp_rack_update_reo_wnd, tcp_accecn_process: not ported. tcp_in_ack_event: no cwnd_event for ACKs here.
        if (tcp_ack_is_dubious(sk, flag))
        {
            if ((flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DSACKING_ACK)) == 0)
            {
                num_dupack = 1;
            }

            tcp_fastretrans_alert(sk, prior_snd_una, num_dupack, ref flag, ref rexmit);
        }

        // reset the RTO timer (no TLP)
        if ((flag & FLAG_SET_XMIT_TIMER) != 0)
        {
            tcp_set_xmit_timer(sk);
        }

        // sk_dst_confirm: neighbour confirmation is not modelled.
        delivered = tcp_newly_delivered(sk, delivered, flag);

        // tcp_rate_gen: no rate sampler.
        tcp_cong_control(sk, ack, delivered, flag);
        tcp_xmit_recovery(sk, rexmit);
        return 1;

    no_queue:
        // a window that opens with nothing in flight ends the zero-window probing and its backoff
        tcp_ack_probe(sk);
        return 1;

    old_ack:
        // SACK/DSACK blocks of an old ACK: not ported.
        return 0;
    }

    /// <summary>REXMIT_*: what tcp_xmit_recovery is asked to send after an ACK.</summary>
    private const int REXMIT_NONE = 0;
    private const int REXMIT_LOST = 1;
    private const int REXMIT_NEW = 2;

    // net/ipv4/tcp_input.c: tcp_process_loss
    /// <summary>
    /// An ACK in the Loss state (after an RTO): once everything sent before
    /// the timeout is acked (high_seq), the state returns to Open
    /// (tcp_try_undo_recovery); until then the lost segments go out again as
    /// cwnd allows (REXMIT_LOST). F-RTO's spurious-timeout detection and undo
    /// are not ported.
    /// </summary>
    private static void tcp_process_loss(sock sk, int flag, int num_dupack, ref int rexmit)
    {
        var tp = tcp_sk(sk);
        var recovered = !before(tp.snd_una, tp.high_seq);

        // tcp_try_undo_loss and F-RTO (RFC 5682): not ported.
        if (recovered)
        {
            tcp_try_undo_recovery(sk);
            return;
        }

        if (tcp_is_reno(tp))
        {
            // a Reno duplicate ACK: new data got there; counting it as a SACK lowers in-flight (not ported: tcp_add_reno_sack)
            if ((flag & FLAG_SND_UNA_ADVANCED) != 0)
            {
                tp.sacked_out = 0; // tcp_reset_reno_sack
            }
        }

        rexmit = REXMIT_LOST;
    }

    // net/ipv4/tcp_input.c: tcp_try_undo_recovery
    /// <summary>
    /// Recovery is over. Without SACK the state is held until something above
    /// high_seq is acked (RFC 2582: no false fast retransmits); otherwise back
    /// to Open. Undoing a false loss (tcp_may_undo) is not ported.
    /// </summary>
    private static bool tcp_try_undo_recovery(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tp.snd_una == tp.high_seq && tcp_is_reno(tp))
        {
            if (tp.retrans_out == 0 && tp.retrans_stamp != 0 && !tcp_any_retrans_done(sk))
            {
                tp.retrans_stamp = 0;
            }

            return true;
        }

        tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Open);
        return false;
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

    // net/ipv4/tcp_input.c: tcp_fastretrans_alert
    /// <summary>
    /// A dubious ACK (a duplicate, or any ACK outside the Open state). Only
    /// the Loss state's part is ported: the state ends once high_seq is
    /// acked. Duplicate-ACK counting, fast retransmit and recovery (Disorder,
    /// Recovery, PRR), SACK reneging and RACK are not.
    /// </summary>
    private static void tcp_fastretrans_alert(sock sk, uint prior_snd_una, int num_dupack, ref int flag, ref int rexmit)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);

        // no packets in flight: nothing is left to recover
        if (tp.packets_out == 0 && tp.sacked_out != 0)
        {
            tp.sacked_out = 0;
        }

        // D. the state may end once high_seq is acked
        if (icsk.icsk_ca_state == TCP_CA_Open)
        {
            tp.retrans_stamp = 0;
        }

        // E. the state's own processing
        switch (icsk.icsk_ca_state)
        {
            case TCP_CA_Loss:
                tcp_process_loss(sk, flag, num_dupack, ref rexmit);
                break;
            default:
                // Open/Disorder: tcp_add_reno_sack, tcp_time_to_recover, tcp_enter_recovery: not ported.
                break;
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

    // net/ipv4/tcp_input.c: tcp_init_undo
    /// <summary>Remembers where a loss episode began, so a false alarm could be undone.</summary>
    private static void tcp_init_undo(tcp_sock tp)
    {
        tp.undo_marker = tp.snd_una;

        // undo_retrans is -1 with nothing retransmitted (6.18 keeps it signed): 0 here.
        tp.undo_retrans = tp.retrans_out;

        // retransmissions of the last loss episode no longer count (tcp_retrans_stamp): retrans_stamp stays
    }

    // net/ipv4/tcp_input.c: tcp_timeout_mark_lost
    /// <summary>After an RTO every unacked segment counts as lost (the head always; without SACK, all).</summary>
    private static void tcp_timeout_mark_lost(sock sk)
    {
        var tp = tcp_sk(sk);
        var head = tcp_rtx_queue_head(sk);
        var is_reneg = head is not null && (TCP_SKB_CB(head).sacked & TCPCB_SACKED_ACKED) != 0;
        if (is_reneg)
        {
            tp.sacked_out = 0;
        }

        for (var skb = head; skb is not null; skb = skb.next)
        {
            if (!is_reneg && (TCP_SKB_CB(skb).sacked & TCPCB_SACKED_ACKED) != 0)
            {
                continue;
            }

            // RACK's tcp_rack_skb_timeout test: no RACK, so every segment counts
            tcp_mark_skb_lost(sk, skb);
        }

        // tcp_verify_left_out, tcp_clear_all_retrans_hints: no scoreboard hints.
    }

    // net/ipv4/tcp_input.c: tcp_mark_skb_lost
    /// <summary>Marks a segment lost (a lost retransmission stops counting as retransmitted).</summary>
    private static void tcp_mark_skb_lost(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var cb = TCP_SKB_CB(skb);
        var sacked = cb.sacked;

        if ((sacked & TCPCB_SACKED_ACKED) != 0)
        {
            return;
        }

        if ((sacked & TCPCB_SACKED_RETRANS) != 0)
        {
            cb.sacked &= unchecked((byte)~TCPCB_SACKED_RETRANS);
            tp.retrans_out -= (uint)tcp_skb_pcount(skb);
            Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPLOSTRETRANSMIT, tcp_skb_pcount(skb));
        }
        else
        {
            // tcp_notify_skb_loss_event: no ULP hooks
            if ((sacked & TCPCB_LOST) == 0)
            {
                tp.lost_out += (uint)tcp_skb_pcount(skb);
                tp.lost += (uint)tcp_skb_pcount(skb);
                cb.sacked |= TCPCB_LOST;
            }
        }
    }

    // net/ipv4/tcp_input.c: tcp_enter_loss
    /// <summary>
    /// The RTO fired: the Loss state, with ssthresh from the congestion
    /// control (first timeout of an episode), cwnd down to one more than what is
    /// still in flight (one segment), every segment marked lost, high_seq the
    /// point recovery must reach. F-RTO is not ported.
    /// </summary>
    public static void tcp_enter_loss(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        var new_recovery = icsk.icsk_ca_state < TCP_CA_Recovery;

        tcp_timeout_mark_lost(sk);

        // Reduce ssthresh if it has not yet been made inside this window.
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
        tp.snd_cwnd_stamp = (uint)sk.sk_net.k.jiffies;

        // without SACK, duplicate ACKs of earlier loss episodes are forgotten (tcp_reset_reno_sack)
        if (tcp_is_reno(tp))
        {
            tp.sacked_out = 0;
        }

        // a timeout while recovery was under way: reordering was not the cause
        var reordering = (uint)Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_reordering;
        if (icsk.icsk_ca_state <= TCP_CA_Disorder && tp.sacked_out >= reordering)
        {
            tp.reordering = Math.Min(tp.reordering, reordering);
        }

        tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Loss);
        tp.high_seq = tp.snd_nxt;

        // tcp_ecn_queue_cwr: no ECN.
        // F-RTO (net.ipv4.tcp_frto 2) would be armed here for the first timeout of an episode: not ported.
        tp.frto = false;
        _ = new_recovery;
    }

    // net/ipv4/tcp_input.c: tcp_init_transfer
    /// <summary>The connection is about to carry data: the congestion window's initial value (tcp_init_cwnd) and the congestion control's init; metrics and buffer autotuning are not ported.</summary>
    public static void tcp_init_transfer(sock sk, int bpf_op, sk_buff? skb)
    {
        var tp = tcp_sk(sk);

        // tcp_mtup_init, rebuild_header, tcp_init_metrics: the route from the handshake stands.
        // stamped now, so the first data segment does not look like a restart after idle
        tp.lsndtime = (uint)sk.sk_net.k.jiffies;

        // a SYN retransmitted more than once, with undo state: cwnd starts at 1 (RFC 6298 5.7's spirit)
        if (tp.total_retrans > 1 && tp.undo_marker != 0)
        {
            tcp_snd_cwnd_set(tp, 1);
        }
        else
        {
            tcp_snd_cwnd_set(tp, tcp_init_cwnd(tp, sk.sk_dst_cache as dst_entry));
        }

        tp.snd_cwnd_stamp = (uint)sk.sk_net.k.jiffies;

        // bpf_skops_established: no BPF.
        if (!inet_csk(sk).icsk_ca_initialized)
        {
            tcp_cong_c.tcp_init_congestion_control(sk);
        }

        // tcp_init_buffer_space: its send half — the send buffer sized for the initial window
        // (tcp_sndbuf_expand, unless SO_SNDBUF fixed it); the receive half is not ported.
        if ((sk.sk_userlocks & SOCK_SNDBUF_LOCK) == 0)
        {
            tcp_sndbuf_expand(sk);
        }
    }

    // net/ipv4/tcp_input.c: tcp_finish_connect
    /// <summary>The active open's last step: ESTABLISHED, the transfer state initialized.</summary>
    public static void tcp_finish_connect(sock sk, sk_buff? skb)
    {
        var tp = tcp_sk(sk);

        // tcp_ao_finish_connect: no AO.
        tcp_c.tcp_set_state(sk, TCP_ESTABLISHED);

        // icsk_ack.lrcvtime, sk_rx_dst_set, security_inet_conn_established, sk_mark_napi_id: not modelled.
        tcp_init_transfer(sk, 0, skb);

        tp.lsndtime = (uint)sk.sk_net.k.jiffies;

        // SOCK_KEEPOPEN: keepalive is not ported. __tcp_fast_path_on: no fast path.
    }

    // net/ipv4/tcp_input.c: tcp_replace_ts_recent
    /// <summary>The peer's timestamp becomes the one we echo, for a segment that does not start beyond the window we last advertised.</summary>
    private static void tcp_replace_ts_recent(tcp_sock tp, uint seq)
    {
        if (tp.rx_opt.saw_tstamp && !after(seq, tp.rcv_wup))
        {
            // PAWS bug workaround wrt. ACK frames: tcp_paws_check is not ported.
            tcp_store_ts_recent(tp);
        }
    }

    // net/ipv4/tcp_input.c: tcp_fin
    /// <summary>
    /// Process the FIN bit: an ACK is owed, the reading side is shut, and the
    /// state moves on — ESTABLISHED to CLOSE_WAIT (pingpong: the ACK waits),
    /// FIN_WAIT1 to CLOSING and FIN_WAIT2 to TIME_WAIT with an ACK at once.
    /// </summary>
    private static void tcp_fin(sock sk)
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

        // data queued out of order beyond the FIN would be dropped here: there is no out-of-order queue yet
        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            sk.sk_state_change!(sk);
            // sk_wake_async: no async I/O.
        }
    }

    // net/ipv4/tcp_input.c: tcp_data_queue
    /// <summary>
    /// Queues a segment for the reader: one without sequence space is freed
    /// without a tracepoint; the in-order FIN joins the receive queue (freed
    /// when the socket closes) and is processed (tcp_fin). Data is not ported
    /// yet (dropped).
    /// </summary>
    private static void tcp_data_queue(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        if (TCP_SKB_CB(skb).seq == TCP_SKB_CB(skb).end_seq)
        {
            __kfree_skb(skb);
            return;
        }

        var th = tcp_hdr(skb);
        if (TCP_SKB_CB(skb).seq == tp.rcv_nxt && skb.len == th.doff * 4 && th.fin)
        {
            Include.Linux.skbuff_h.__skb_pull(skb, th.doff * 4);

            // tcp_queue_rcv: nothing to coalesce with.
            tp.rcv_nxt = TCP_SKB_CB(skb).end_seq; // tcp_rcv_nxt_update
            Include.Linux.skbuff_h.__skb_queue_tail(sk.sk_receive_queue, skb);
            tcp_fin(sk);

            // tcp_fast_path_check: no fast path.
            if (!sock_flag(sk, sock_flags.SOCK_DEAD))
            {
                sk.sk_data_ready?.Invoke(sk); // tcp_data_ready
            }

            return;
        }

        tcp_drop_reason(sk, skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
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

        // ca_ops->sndbuf_expand: no algorithm here has one
        var sndmem = 2 * (int)nr_segs * per_mss;

        if (sk.sk_sndbuf < sndmem)
        {
            sk.sk_sndbuf = Math.Min(sndmem, Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_wmem[2]);
        }
    }

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
            tp.snd_cwnd_stamp = (uint)sk.sk_net.k.jiffies;
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

            // tcp_chrono_stop(TCP_CHRONO_SNDBUF_LIMITED): no chronographs.
        }
    }

    // net/ipv4/tcp_input.c: tcp_data_snd_check
    /// <summary>After an incoming segment: send what the new window allows, then see whether writers can be woken.</summary>
    private static void tcp_data_snd_check(sock sk)
    {
        tcp_push_pending_frames(sk);
        tcp_check_space(sk);
    }

    // net/ipv4/tcp_input.c: __tcp_ack_snd_check
    /// <summary>Whether an ACK goes out: at once past a full segment unacknowledged or in quick-ACK mode, else delayed.</summary>
    private static void __tcp_ack_snd_check(sock sk, int ofo_possible)
    {
        var tp = tcp_sk(sk);

        // over a full segment unacknowledged (rcv_mss: the advertised MSS stands in); quick-ACK mode is not modelled beyond pingpong.
        if (tp.rcv_nxt - tp.rcv_wup > tp.advmss)
        {
            tcp_output_c.tcp_send_ack(sk);
            return;
        }

        _ = ofo_possible;
        tcp_output_c.tcp_send_delayed_ack(sk);
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

    // net/ipv4/tcp_input.c: tcp_rcv_established
    /// <summary>
    /// A segment for an ESTABLISHED socket. Header prediction is not ported:
    /// every segment takes the slow path — the timestamp option is parsed,
    /// the ACK field processed (tcp_ack), the segment queued (tcp_data_queue)
    /// and an ACK sent or delayed (tcp_ack_snd_check). Consumes the skb.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_bad_csum, tcp_probe: the tcp: tracepoints are not ported yet (the recordings do not enable them)")]
    public static void tcp_rcv_established(sock sk, sk_buff skb)
    {
        var th = tcp_hdr(skb);
        var tp = tcp_sk(sk);
        skb_drop_reason reason;

        tcp_output_c.tcp_mstamp_refresh(tp);
        tp.rx_opt.saw_tstamp = false;

        // slow_path: tcp_checksum_complete was done by tcp_v4_do_rcv.
        if (!th.ack && !th.rst && !th.syn)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
            goto discard;
        }

        // Standard slow path. tcp_validate_incoming: tcp_fast_parse_options only (PAWS, sequence, RST and SYN checks are not ported).
        tcp_parse_options(sk.sk_net, skb, tp.rx_opt, true);

        // step5: check the ACK field
        if (tcp_ack(sk, skb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT) < 0)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_ACK_UNSENT_DATA;
            goto discard;
        }

        // tcp_rcv_rtt_measure_ts, tcp_urg: not ported. step 7: process the segment text
        tcp_data_queue(sk, skb);

        tcp_data_snd_check(sk);
        tcp_ack_snd_check(sk);
        return;

    discard:
        tcp_drop_reason(sk, skb, reason);
    }

    // net/ipv4/tcp_input.c: tcp_openreq_init
    /// <summary>The request sock from the SYN: the peer's ISN and options, the ports.</summary>
    private static void tcp_openreq_init(request_sock req, tcp_options_received rx_opt, sk_buff skb, sock sk)
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

    // net/ipv4/tcp_input.c: tcp_conn_request
    /// <summary>
    /// A SYN for a listener: unless the accept queue is full (ListenOverflows,
    /// ListenDrops), a request sock from the SYN's options, routed back, with
    /// our ISN and timestamp offset, enters the SYN queue and the SYN-ACK goes
    /// out (tcp_v4_send_synack). SYN cookies and fast open are not ported.
    /// </summary>
    public static int tcp_conn_request(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        var tmp_opt = new tcp_options_received();

        // a SYN reusing a TIME_WAIT 4-tuple (isn) is not handled
        // syncookies: the SYN queue's limit (inet_csk_reqsk_queue_is_full) would want one: not ported.
        if (sk_acceptq_is_full(sk))
        {
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_LISTENOVERFLOWS);
            goto drop;
        }

        var req = inet_connection_sock_c.inet_reqsk_alloc(sk);

        // tcp_clear_options
        tmp_opt.mss_clamp = TCP_MSS_DEFAULT; // tcp_request_sock_ipv4_ops.mss_clamp
        tmp_opt.user_mss = tp.rx_opt.user_mss;
        tcp_parse_options(net, skb, tmp_opt, false);
        tmp_opt.tstamp_ok = tmp_opt.saw_tstamp;
        tcp_openreq_init(req, tmp_opt, skb, sk);
        req.ir_iif = skb.skb_iif; // inet_request_bound_dev_if

        // af_ops->route_req: tcp_v4_route_req.
        var fl4 = new flowi4();
        var dst = tcp_ipv4_c.tcp_v4_route_req(sk, skb, fl4, req);
        if (dst is null)
        {
            goto drop;
        }

        if (tmp_opt.tstamp_ok)
        {
            req.req_usec_ts = false; // dst_tcp_usec_ts
            req.ts_off = tcp_ipv4_c.tcp_v4_init_ts_off(net, skb);
        }

        // Kill the following clause, if you dislike this way: the SYN-queue
        // pressure check (max_syn_backlog) needs tcp_peer_is_proven: not ported.
        var isn = tcp_ipv4_c.tcp_v4_init_seq(skb);

        // tcp_ecn_create_request: no ECN.
        req.snt_isn = isn;
        tcp_minisocks_c.tcp_openreq_init_rwin(req, sk, dst);

        // tcp_reqsk_record_syn, tcp_try_fastopen: not ported.
        if (!inet_connection_sock_c.inet_csk_reqsk_queue_hash_add(sk, req))
        {
            request_sock_h.reqsk_free(req);
            return 0;
        }

        tcp_ipv4_c.tcp_v4_send_synack(sk, dst, fl4, req, skb);
        request_sock_h.reqsk_put(req);
        return 0;

    drop:
        tcp_listendrop(sk);
        return 0;
    }

    /// <summary>include/net/tcp.h's tcp_fin_time: how long an orphan waits in FIN_WAIT2 — tcp_fin_timeout (60 s), at least 3.5 RTO.</summary>
    private static int fin_wait2_time(sock sk)
    {
        var fin_timeout = 60 * Vmlinux.HZ; // tp->linger2 unset: net.ipv4.tcp_fin_timeout
        var rto = (int)inet_csk(sk).icsk_rto;
        if (fin_timeout < (rto << 2) - (rto >> 1))
        {
            fin_timeout = (rto << 2) - (rto >> 1);
        }

        return fin_timeout;
    }

    // net/ipv4/tcp_input.c: tcp_drop_reason
    private static void tcp_drop_reason(sock sk, sk_buff skb, skb_drop_reason reason)
    {
        sk_drops_inc(sk);
        sk_skb_reason_drop(sk, skb, reason);
    }

    // net/ipv4/tcp_input.c: tcp_rcv_state_process
    /// <summary>
    /// A segment for a socket in any state but ESTABLISHED and TIME_WAIT. CLOSE
    /// drops (TCP_CLOSE); SYN_SENT goes to tcp_rcv_synsent_state_process. The
    /// other states (LISTEN, SYN_RECV, the closing states) are not ported:
    /// their segments are dropped as TCP_FLAGS. 0, or a reason to reset.
    /// </summary>
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

                    var acceptable = tcp_ipv4_c.tcp_v4_conn_request(sk, skb) >= 0;
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

                // Do step6 onward by hand. (tcp_urg: no urgent data; tcp_data_snd_check: nothing queued.)
                __kfree_skb(skb);
                return 0;
        }

        tcp_output_c.tcp_mstamp_refresh(tp);
        tp.rx_opt.saw_tstamp = false;

        // fastopen_rsk: no fast open.
        if (!th.ack && !th.rst && !th.syn)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
            goto discard;
        }

        // tcp_validate_incoming (PAWS, sequence, RST, SYN checks): not ported.
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

            // an old ACK is tolerated while closing
            if (ackr < 0)
            {
                reason = (skb_drop_reason)(-ackr);
                goto discard;
            }
        }

        switch (sk.sk_state)
        {
            case TCP_SYN_RECV:
                tp.delivered++;

                // tcp_synack_rtt_meas, tcp_try_undo_spurious_syn: no RTT estimation.
                tp.retrans_stamp = 0;
                tcp_init_transfer(sk, 0, skb);
                tp.copied_seq = tp.rcv_nxt;

                tcp_c.tcp_set_state(sk, TCP_ESTABLISHED);
                sk.sk_state_change!(sk);

                tp.snd_una = TCP_SKB_CB(skb).ack_seq;
                tp.snd_wnd = (uint)(th.window << tp.rx_opt.snd_wscale);
                tcp_init_wl(tp, TCP_SKB_CB(skb).seq);

                if (tp.rx_opt.tstamp_ok)
                {
                    tp.advmss -= TCPOLEN_TSTAMP_ALIGNED;
                }

                // tcp_update_pacing_rate, tcp_initialize_rcv_mss, tcp_fast_path_on: not modelled.
                tp.lsndtime = (uint)sk.sk_net.k.jiffies;
                break;
            case TCP_FIN_WAIT1:
                {
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

                    // linger2 < 0, data after the FIN (abort on data): not ported.
                    var tmo = fin_wait2_time(sk);
                    if (tmo > TCP_TIMEWAIT_LEN || th.fin || sock_owned_by_user(sk))
                    {
                        // inet_csk_reset_keepalive_timer: the FIN_WAIT2 timer is not ported; the socket waits.
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
                    // tcp_update_metrics: no metrics cache.
                    tcp_c.tcp_done(sk);
                    __kfree_skb(skb); // consume
                    return 0;
                }

                break;
        }

        // step 6: check the URG bit (tcp_urg: not ported)
        // then the segment's data (the seventh step of RFC 793's processing)
        switch (sk.sk_state)
        {
            case TCP_CLOSE_WAIT:
            case TCP_CLOSING:
            case TCP_LAST_ACK:
                // The peer's FIN is in: data beyond it (the fall through to tcp_data_queue) is not ported; the segment is freed.
                break;
            case TCP_FIN_WAIT1:
            case TCP_FIN_WAIT2:
            // data arriving after our shutdown (where 6.18 answers with a reset) is not ported
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
