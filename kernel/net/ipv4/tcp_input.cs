// Ports net/ipv4/tcp_input.c: what a TCP socket does with a segment — the
// three-way handshake: a listener's SYN (tcp_conn_request: a request sock
// and the SYN-ACK), SYN_SENT's SYN-ACK (tcp_finish_connect and the ACK) or
// RST (tcp_reset), SYN_RECV's ACK, and the option parsing they need
// (tcp_parse_options: MSS, window scale, timestamps, SACK-permitted); the
// acknowledgement of what was sent (tcp_ack: the send window, the
// retransmit queue, TCPDelivered, TCPPureAcks, ts_recent); the close: the
// peer's FIN (tcp_data_queue queues it, tcp_fin moves the state: CLOSE_WAIT,
// CLOSING, TIME_WAIT), the ACK of our FIN in FIN_WAIT1 (FIN_WAIT2, then the
// timewait sock), CLOSING and LAST_ACK, and whether an ACK is sent now or
// delayed (tcp_ack_snd_check). tcp_rcv_established takes every segment on
// its slow path.
//
// not ported yet: data (tcp_data_queue drops a segment with data), header
// prediction, tcp_validate_incoming's checks (PAWS, sequence window, RST,
// SYN), quick-ACK mode, SACK, simultaneous open, SYN cookies, fast open,
// ECN, congestion control and RTT estimation, window probes, urgent data,
// the FIN_WAIT2 timer of an orphan (tcp_fin_time over TCP_TIMEWAIT_LEN, or
// a FIN_WAIT2 reached while the socket is owned: it waits).
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
    private const int FLAG_SND_UNA_ADVANCED = 0x400;
    private const int FLAG_SLOWPATH = 0x100;
    private const int FLAG_UPDATE_TS_RECENT = 0x4000;
    private const int FLAG_NO_CHALLENGE_ACK = 0x8000;

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
    private static void tcp_snd_una_update(tcp_sock tp, uint ack)
    {
        // bytes_acked: not modelled.
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

    // net/ipv4/tcp_input.c: tcp_clean_rtx_queue
    /// <summary>Frees what the ACK covers from the retransmit queue (freed without a tracepoint); each counts as delivered.</summary>
    private static int tcp_clean_rtx_queue(sock sk, sk_buff skb, uint prior_fack, uint prior_snd_una)
    {
        var tp = tcp_sk(sk);
        var flag = 0;
        while (tp.tcp_rtx_queue.first is { } head)
        {
            var scb = TCP_SKB_CB(head);
            if (after(scb.end_seq, tp.snd_una))
            {
                break;
            }

            tp.packets_out--;
            tp.delivered++; // tcp_count_delivered
            flag |= FLAG_SND_UNA_ADVANCED;

            // tcp_rtx_queue_unlink_and_free: sk_wmem_free_skb.
            Include.Linux.skbuff_h.__skb_unlink(head, tp.tcp_rtx_queue);
            __kfree_skb(head);
        }

        // tcp_rearm_rto: nothing left in flight, the retransmit timer stops.
        if (tp.packets_out == 0)
        {
            inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
        }

        return flag;
    }

    // net/ipv4/tcp_input.c: tcp_newly_delivered
    /// <summary>Counts newly delivered segments in TCPDelivered.</summary>
    private static uint tcp_newly_delivered(sock sk, uint prior_delivered, int flag)
    {
        var tp = tcp_sk(sk);
        var delivered = tp.delivered - prior_delivered;
        Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDELIVERED, (int)delivered);
        return delivered;
    }

    // net/ipv4/tcp_input.c: tcp_ack
    /// <summary>
    /// Processes an arriving ACK: an ACK
    /// of unsent data is TCP_ACK_UNSENT_DATA (negative), an old one is
    /// ignored (0). Otherwise the window is updated, a segment without data
    /// counts TCPPureAcks, acknowledged segments leave the retransmit queue
    /// and count in TCPDelivered. Congestion control, SACK, RACK, undo are not ported.
    /// </summary>
    private static int tcp_ack(sock sk, sk_buff skb, int flag)
    {
        var tp = tcp_sk(sk);
        var prior_snd_una = tp.snd_una;
        var ack_seq = TCP_SKB_CB(skb).seq;
        var ack = TCP_SKB_CB(skb).ack_seq;
        var prior_packets = tp.packets_out;

        if (before(ack, prior_snd_una))
        {
            // tcp_send_challenge_ack on a very old ACK: not ported.
            return 0;
        }

        if (after(ack, tp.snd_nxt))
        {
            return -(int)skb_drop_reason.SKB_DROP_REASON_TCP_ACK_UNSENT_DATA;
        }

        var prior_delivered = tp.delivered;

        if ((flag & FLAG_UPDATE_TS_RECENT) != 0)
        {
            tcp_replace_ts_recent(tp, TCP_SKB_CB(skb).seq);
        }
        // The slow path: no header prediction.
        if (ack_seq != TCP_SKB_CB(skb).end_seq)
        {
            flag |= FLAG_DATA;
        }
        else
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPPUREACKS);
        }

        flag |= tcp_ack_update_window(sk, skb, ack, ack_seq);

        sk.sk_err_soft = 0;
        tp.rcv_tstamp = (uint)sk.sk_net.k.jiffies;
        if (prior_packets == 0)
        {
            goto no_queue;
        }

        flag |= tcp_clean_rtx_queue(sk, skb, prior_snd_una, prior_snd_una);
        tcp_newly_delivered(sk, prior_delivered, flag);
        return 1;

    no_queue:
        // the zero-window probe backoff reset (tcp_ack_probe) is not ported: no window probes yet
        return 1;
    }

    // net/ipv4/tcp_input.c: tcp_init_transfer
    /// <summary>The connection is about to carry data: the congestion window's initial value (tcp_init_cwnd) and the congestion control's init; metrics and buffer autotuning are not ported.</summary>
    public static void tcp_init_transfer(sock sk, int bpf_op, sk_buff? skb)
    {
        var tp = tcp_sk(sk);

        // tcp_mtup_init, rebuild_header, tcp_init_metrics: the route from the handshake stands.
        // stamped now, so the first data segment does not look like a restart after idle
        tp.lsndtime = (uint)sk.sk_net.k.jiffies;
        tp.snd_cwnd = TCP_INIT_CWND; // tcp_init_cwnd: no RTAX_INITCWND

        // tcp_init_congestion_control, tcp_init_buffer_space: not ported.
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

        // tcp_data_snd_check: nothing is ever queued to send.
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

        // tcp_state != TCP_CLOSE: tcp_data_snd_check (nothing queued to send), tcp_ack_snd_check.
        if (sk.sk_state != TCP_CLOSE)
        {
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
