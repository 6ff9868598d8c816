// Ports net/ipv4/tcp_minisocks.c: the passive open's second half — the
// request sock's answer to the ACK completing the handshake
// (tcp_check_req), the full socket it becomes (tcp_create_openreq_child),
// the child's first segment (tcp_child_process), and the receive window a
// SYN-ACK offers (tcp_openreq_init_rwin); TIME_WAIT: the timewait sock a
// closing socket leaves (tcp_time_wait) and its answer to the peer's FIN
// (tcp_timewait_state_process: FIN_WAIT2 substate to TIME_WAIT, an ACK).
//
// tcp_check_req also takes a Fast Open child's segments and holds back a
// bare ACK while TCP_DEFER_ACCEPT lasts.
//
// In TIME_WAIT: the window check (tcp_in_window), a RST killing the timewait
// sock, a SYN reusing the 4-tuple (TCP_TW_SYN).
//
// not ported: PAWS for timewait socks and the rate limit of their
// out-of-window ACKs; PAWS
// on the ACK, retransmitted SYNs (a SYN on a request sock re-sends the
// SYN-ACK), ECN negotiation, MPTCP, the
// out-of-window checks of tcp_check_req (an ACK whose ack_seq is not
// snt_isn + 1 earns a reset from the listener; other segments that are not
// a plain ACK are dropped).
// not ported: tcp_accecn_option_init, tcp_ca_no_fallback_rfc3168, tcp_ecn_received_counters_payload — AccECN
//   (RFC 9768) negotiation is not ported: a connection is RFC 3168 ECN or none
// not ported: tcp_ao_len_aligned, tcp_ao_time_wait, tcp_rsk_used_ao — no TCP-AO (RFC 5925): TCP_AO_ADD_KEY is
//   not ported, so no socket or request has an AO key
// not ported: tcp_bpf_clone, tcp_rwnd_init_bpf — no BPF sock_ops programs can be attached in the simulation
// not ported: psp_twsk_rx_policy_check — no PSP encryption (no PSP device is simulated): every skb is
//   plaintext
// not ported: smc_check_reset_syn_req — no SMC (AF_SMC is not ported): the SMC experimental option is never
//   sent or looked for
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_minisocks_c
{
    // not ported: dst_metric_advmss — routes carry no RTAX_ADVMSS metric: the advertised MSS comes from the
    //   device MTU
    // not ported: dst_metric — routes carry no RTAX_ metrics (no "ip route ... initcwnd/window"), so the
    //   per-route value is always 0
    // net/ipv4/tcp_minisocks.c: tcp_openreq_init_rwin
    /// <summary>The window a SYN-ACK offers: the listener's full space, in whole MSS less the timestamp option; its scale.</summary>
    public static void tcp_openreq_init_rwin(request_sock req, sock sk_listener, dst_entry dst)
    {
        var tp = tcp_sk(sk_listener);
        var mss = (int)tcp_mss_clamp(tp, (ushort)route_c.ipv4_default_advmss(dst));
        var window_clamp = tp.window_clamp;

        // dst_metric(dst, RTAX_WINDOW): no route metrics.
        req.rsk_window_clamp = window_clamp;

        var full_space = tcp_full_space(sk_listener);
        if ((sk_listener.sk_userlocks & SOCK_RCVBUF_LOCK) != 0 && (req.rsk_window_clamp > full_space || req.rsk_window_clamp == 0))
        {
            req.rsk_window_clamp = (uint)full_space;
        }

        // tcp_rwnd_init_bpf: no BPF; dst_metric(dst, RTAX_INITRWND): 0.
        var wc = req.rsk_window_clamp;
        tcp_output_c.tcp_select_initial_window(sk_listener, full_space, (uint)(mss - (req.tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0)), out var rcv_wnd, ref wc, req.wscale_ok, out var rcv_wscale, 0);
        req.rsk_rcv_wnd = rcv_wnd;
        req.rsk_window_clamp = wc;
        req.rcv_wscale = rcv_wscale;
    }

    // net/ipv4/tcp_minisocks.c: tcp_ecn_openreq_child
    /// <summary>
    /// The child inherits the request's ECN outcome: RFC 3168 mode when the
    /// SYN-ACK agreed to ECN (ecn_ok), off otherwise.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_ecn_openreq_child(sock sk, request_sock req, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        // not ported: the accecn_ok branch (AccECN mode, syn_ect_snt, tcp_accecn_third_ack, the counters) — AccECN is not ported.
        _ = skb;
        tcp_ecn_mode_set(tp, req.ecn_ok ? TCP_ECN_MODE_RFC3168 : TCP_ECN_DISABLED);
    }

    // net/ipv4/tcp_minisocks.c: tcp_create_openreq_child
    /// <summary>
    /// The full socket for a completed handshake: a clone of the listener
    /// (inet_csk_clone_lock, traced LISTEN -> SYN_RECV) whose sequence space,
    /// window, options and timestamps are the request's. Counts PassiveOpens.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock tcp_create_openreq_child(sock sk, request_sock req, sk_buff skb)
    {
        var newsk = inet_connection_sock_c.inet_csk_clone_lock(sk, req);
        var oldtp = tcp_sk(sk);
        var newtp = tcp_sk(newsk);
        var newicsk = inet_csk(newsk);
        var seq = req.rcv_isn + 1;

        // smc_check_reset_syn_req, the receive-side queues: fresh.
        newtp.rcv_wup = seq;
        newtp.copied_seq = seq;
        newtp.rcv_nxt = seq;
        newtp.segs_in = 1;

        seq = req.snt_isn + 1;
        newtp.snd_sml = seq;
        newtp.snd_una = seq;
        newtp.snd_nxt = seq;
        newtp.snd_up = seq;

        // INIT_LIST_HEAD(&newtp->tsq_node), tcp_rtx_queue: the clone starts with nothing sent.
        tcp_init_wl(newtp, req.rcv_isn);

        // not ported: minmax_reset — the windowed min-RTT filter is one sample and its time, reset by hand
        newtp.rtt_min = uint.MaxValue;
        newtp.rtt_min_stamp = tcp_jiffies32(sk);

        newtp.srtt_us = 0;
        newicsk.icsk_rto = TCP_TIMEOUT_INIT;
        newtp.packets_out = 0;
        newtp.retrans_out = 0;
        newtp.sacked_out = 0;
        newtp.snd_ssthresh = TCP_INFINITE_SSTHRESH;
        newtp.snd_cwnd = TCP_INIT_CWND;
        newtp.delivered = 0;
        newtp.total_retrans = (uint)req.num_retrans;
        newtp.segs_out = 0;
        newtp.data_segs_out = 0;
        newicsk.icsk_ack_lrcvtime = tcp_jiffies32(sk);
        newtp.lsndtime = tcp_jiffies32(sk);
        newtp.rcv_tstamp = tcp_jiffies32(sk);

        newtp.write_seq = req.snt_isn + 1;
        newtp.pushed_seq = newtp.write_seq;
        newtp.scaling_ratio = oldtp.scaling_ratio;
        newtp.reordering = oldtp.reordering; // tcp_init_sock's, which sk_clone_lock's copy of the listener carries in C
        newtp.rx_opt.user_mss = oldtp.rx_opt.user_mss;

        // sk_clone_lock copies the whole tcp_sock in 6.18: the listener's keepalive, linger2, user-timeout and SYN-count options with it
        newtp.keepalive_time = oldtp.keepalive_time;
        newtp.keepalive_intvl = oldtp.keepalive_intvl;
        newtp.keepalive_probes = oldtp.keepalive_probes;
        newtp.linger2 = oldtp.linger2;
        newicsk.icsk_user_timeout = inet_csk(sk).icsk_user_timeout;
        newicsk.icsk_syn_retries = inet_csk(sk).icsk_syn_retries;

        // The clone's timers are its own.
        tcp_timer_c.tcp_init_xmit_timers(newsk);

        if (sock_flag(newsk, sock_flags.SOCK_KEEPOPEN))
        {
            tcp_timer_c.tcp_reset_keepalive_timer(newsk, (ulong)keepalive_time_when(newtp));
        }
        newicsk.icsk_ca_ops = inet_csk(sk).icsk_ca_ops;

        newtp.rx_opt.tstamp_ok = req.tstamp_ok;
        newtp.rx_opt.sack_ok = (byte)(req.sack_ok ? 1 : 0);
        newtp.window_clamp = req.rsk_window_clamp;
        newtp.rcv_ssthresh = req.rsk_rcv_wnd;
        newtp.rcv_wnd = req.rsk_rcv_wnd;
        newtp.rx_opt.wscale_ok = req.wscale_ok;
        if (newtp.rx_opt.wscale_ok)
        {
            newtp.rx_opt.snd_wscale = req.snd_wscale;
            newtp.rx_opt.rcv_wscale = req.rcv_wscale;
        }
        else
        {
            newtp.rx_opt.snd_wscale = 0;
            newtp.rx_opt.rcv_wscale = 0;
            newtp.window_clamp = System.Math.Min(newtp.window_clamp, 65535U);
        }

        newtp.snd_wnd = (uint)(tcp_hdr(skb).window << newtp.rx_opt.snd_wscale);
        newtp.max_window = newtp.snd_wnd;
        newsk.sk_txhash = req.txhash;

        if (newtp.rx_opt.tstamp_ok)
        {
            newtp.rx_opt.ts_recent = req.ts_recent;
            // not ported: ktime_get_seconds — written out: the virtual clock's nanoseconds in whole seconds
            newtp.rx_opt.ts_recent_stamp = sk.sk_net.k.ktime_get_ns() / 1_000_000_000;
            newtp.tcp_header_len = tcphdr.Size + TCPOLEN_TSTAMP_ALIGNED;
        }
        else
        {
            newtp.rx_opt.ts_recent_stamp = 0;
            newtp.tcp_header_len = tcphdr.Size;
        }

        // not ported: tcp_clock_ms, tcp_clock_us — a child whose SYN-ACK timed out (req->num_timeout) does not
        //   inherit that RTO episode (total_rto, total_rto_time, retrans_stamp, undo_marker): it starts clean
        newtp.tsoffset = req.ts_off;
        newtp.tcp_usec_ts = req.req_usec_ts;
        newtp.rx_opt.mss_clamp = req.mss;

        tcp_ecn_openreq_child(newsk, req, skb);
        // the clone has no fastopen_req or fastopen_rsk (new fields start empty here); MPTCP: not ported.
        // not ported: __TCP_INC_STATS — counted with the port's TCP_INC_STATS (one copy of the MIB per netns)
        TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_PASSIVEOPENS);
        return newsk;
    }

    // not ported: between — written out as two sequence comparisons
    // not ported: SKB_DR_SET — the drop reason is assigned directly to a local
    // net/ipv4/tcp_minisocks.c: tcp_check_req
    /// <summary>
    /// A segment for a request sock. The ACK of our SYN-ACK makes the child
    /// (tcp_v4_syn_recv_sock) and hands it to the accept queue
    /// (inet_csk_complete_hashdance); the child is returned. The listener is
    /// returned when the segment deserves a reset (an ACK of something else);
    /// null when it is to be dropped.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock? tcp_check_req(sock sk, sk_buff skb, request_sock req, bool fastopen, out bool req_stolen, ref skb_drop_reason drop_reason)
    {
        // not ported: tcp_flag_word — the flags are read from the parsed header's flags byte
        var th = tcp_hdr(skb);
        var flg = th.flags & (TCPHDR_RST | TCPHDR_SYN | TCPHDR_ACK);
        req_stolen = false;

        // not ported: tcp_parse_options, tcp_paws_reject, ktime_get_seconds, reqsk_timeout — the ACK's options are
        //   not parsed, so PAWS against the request's timestamp (TCP_RFC7323_PAWS) is not ported: the timestamp
        //   the child echoes is the SYN's
        // not ported: tcp_rtx_synack, mod_timer_pending, tcp_oow_rate_limited — a retransmitted SYN is dropped
        //   without 6.18's resent SYN-ACK (and its pushed-back timer), and an out-of-window segment without
        //   its rate-limited ACK
        if ((flg & TCPHDR_SYN) != 0)
        {
            return null;
        }

        // "If the ACK bit is on and SEG.ACK =< ISS, or SEG.ACK > SND.NXT, form a reset."
        // A Fast Open child checks the ACK itself (tcp_ack): it may have sent data already.
        if ((flg & TCPHDR_ACK) != 0 && !fastopen && TCP_SKB_CB(skb).ack_seq != req.snt_isn + 1)
        {
            return sk;
        }

        // RFC 793's sequence check first
        // not ported: tcp_in_window, tcp_synack_window — written out as two sequence comparisons against the
        //   request's window (rsk_rcv_wnd)
        if (before(TCP_SKB_CB(skb).end_seq, req.rcv_nxt) || after(TCP_SKB_CB(skb).seq, req.rcv_nxt + req.rsk_rcv_wnd))
        {
            // Out of window: send ACK (not ported).
            drop_reason = skb_drop_reason.SKB_DROP_REASON_TCP_OVERWINDOW;
            return null;
        }

        // RFC 793's second check, the RST bit (a new SYN here is caught above)
        if ((flg & TCPHDR_RST) != 0)
        {
            TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_ATTEMPTFAILS);

            // embryonic_reset: a valid RST on a Fast Open child resets the child itself
            if (fastopen)
            {
                Core.request_sock_c.reqsk_fastopen_remove(sk, req, true);
                tcp_input_c.tcp_reset(sk, skb);
                return null;
            }

            // otherwise the request goes; no drop reason is set (the caller's NOT_SPECIFIED frees the RST)
            var unlinked = inet_connection_sock_c.inet_csk_reqsk_queue_drop(sk, req);
            // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (one copy of the MIB per netns);
            //   TCPMigrateReqFailure is SO_REUSEPORT's, not ported
            if (unlinked)
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_EMBRYONICRSTS);
            }

            req_stolen = !unlinked;
            return null;
        }

        if ((flg & TCPHDR_ACK) == 0)
        {
            return null;
        }

        // For Fast Open no more processing is needed (sk is the child socket).
        if (fastopen)
        {
            return sk;
        }

        // TCP_DEFER_ACCEPT: a bare ACK does not make the connection while the deferral lasts; data will
        if (req.num_timeout < inet_csk(sk).icsk_accept_queue!.rskq_defer_accept && TCP_SKB_CB(skb).end_seq == req.rcv_isn + 1)
        {
            req.acked = true;
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPDEFERACCEPTDROP);
            return null;
        }

        var child = tcp_ipv4_c.tcp_v4_syn_recv_sock(sk, skb, req, null, req, out var own_req);
        if (child is null)
        {
            // listen_overflow: net.ipv4.tcp_abort_on_overflow is 0: the ACK is forgotten (inet_rsk(req)->acked).
            drop_reason = skb_drop_reason.SKB_DROP_REASON_TCP_LISTEN_OVERFLOW;
            return null;
        }

        // not ported: rsk_drop_req, reqsk_queue_removed, inet_csk_reqsk_queue_drop_and_put — a request marked to be
        //   dropped once it has its child (an MPTCP subflow's drop_req) : MPTCP is not ported
        // RFS learns the flow's hash for the child
        Include.Net.sock_h.sock_rps_save_rxhash(child, skb);
        tcp_input_c.tcp_synack_rtt_meas(child, req);
        req_stolen = !own_req;
        return inet_connection_sock_c.inet_csk_complete_hashdance(sk, child, req, own_req);
    }

    // not ported: sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // not ported: bh_unlock_sock — the socket spinlock: one simulated CPU, and process context holds the
    //   socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code never finds it
    //   held
    // net/ipv4/tcp_minisocks.c: tcp_child_process
    /// <summary>
    /// The child's first segment, in the listener's softirq: processed at once
    /// (tcp_rcv_state_process) unless a task holds the child; when it leaves
    /// SYN_RECV the listener's owner is woken (sk_data_ready). 0 or a reason to reset.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", WhenReturns = 0)]
    public static skb_drop_reason tcp_child_process(sock parent, sock child, sk_buff skb)
    {
        var reason = skb_drop_reason.SKB_NOT_DROPPED_YET;
        var state = child.sk_state;

        // not ported: sk_mark_napi_id_set — busy polling (SO_BUSY_POLL, napi ids) is not ported
        tcp_segs_in(tcp_sk(child), skb);
        if (!sock_owned_by_user(child))
        {
            reason = tcp_input_c.tcp_rcv_state_process(child, skb);

            // Wakeup parent, send SIGIO
            if (state == TCP_SYN_RECV && child.sk_state != state)
            {
                parent.sk_data_ready!(parent);
            }
        }
        else
        {
            __sk_add_backlog(child, skb);
        }

        return reason;
    }

    // net/ipv4/tcp_minisocks.c: tcp_time_wait
    /// <summary>
    /// Hands a closing connection to TIME_WAIT (or an orphaned FIN_WAIT2): a timewait sock
    /// keeps what answering the peer needs (sequence numbers, window,
    /// timestamps), takes the socket's place in the established table for
    /// <paramref name="timeo"/> (TIME_WAIT: 60 s), and the socket is done.
    /// </summary>
    public static void tcp_time_wait(sock sk, int state, int timeo)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);

        var tw = inet_timewait_sock_c.inet_twsk_alloc(sk, state);
        var rto = (int)((icsk.icsk_rto << 2) - (icsk.icsk_rto >> 1));
        tw.tw_mark = sk.sk_mark;
        tw.tw_priority = sk.sk_priority;
        tw.tw_rcv_wscale = tp.rx_opt.rcv_wscale;

        // not ported: tcp_time_wait_init — it copies the socket's TCP-MD5/AO keys: neither is ported
        tw.tw_rcv_nxt = tp.rcv_nxt;
        tw.tw_snd_nxt = tp.snd_nxt;
        tw.tw_rcv_wnd = tcp_receive_window(tp);
        tw.tw_ts_recent = tp.rx_opt.ts_recent;
        tw.tw_ts_recent_stamp = tp.rx_opt.ts_recent_stamp;
        tw.tw_ts_offset = tp.tsoffset;
        tw.tw_entry_stamp = tcp_time_stamp_ms(tp);

        if (timeo < rto)
        {
            timeo = rto;
        }

        if (state == TCP_TIME_WAIT)
        {
            timeo = TCP_TIMEWAIT_LEN;
        }

        // Linkage updates. This is the critical section: the timewait sock replaces the socket in the hash.
        inet_timewait_sock_c.inet_twsk_hashdance_schedule(tw, sk, timeo);

        // not ported: NET_INC_STATS — TCPTimeWaitOverflow counts a failed timewait allocation, which the port's
        //   never is
        // not ported: tcp_update_metrics — the metrics cache keeps no RTT/cwnd/ssthresh (only Fast Open's)
        tcp_c.tcp_done(sk);
    }

    // net/ipv4/tcp_minisocks.c: tcp_in_window
    /// <summary>RFC 793's acceptability test for a segment [seq, end_seq) against the window [s_win, e_win].</summary>
    private static bool tcp_in_window(uint seq, uint end_seq, uint s_win, uint e_win)
    {
        if (seq == s_win)
        {
            return true;
        }

        if (after(end_seq, s_win) && before(seq, e_win))
        {
            return true;
        }

        return seq == e_win && seq == end_seq;
    }

    // not ported: twsk_net — one network namespace per simulated host: the timewait sock's netns is read as a
    //   field
    // net/ipv4/tcp_minisocks.c: tcp_timewait_check_oow_rate_limit
    /// <summary>An out-of-window segment for a timewait sock is answered with an ACK (TCP_TW_ACK_OOW).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static tcp_tw_status tcp_timewait_check_oow_rate_limit(inet_timewait_sock tw, sk_buff skb, linux_mib_field mib_idx)
    {
        // not ported: tcp_oow_rate_limited on the timewait sock's tw_last_oow_ack_time (TCPACKSkippedFinWait2/TimeWait) —
        // every such segment is answered.
        // not ported: inet_twsk_put — timewait socks are not refcounted
        _ = (tw, skb, mib_idx);
        return tcp_tw_status.TCP_TW_ACK_OOW;
    }

    // not ported: twsk_net — one network namespace per simulated host: the timewait sock's netns is read as a
    //   field
    // net/ipv4/tcp_minisocks.c: tcp_timewait_state_process
    /// <summary>
    /// A segment for a timewait sock. In FIN_WAIT2 substate: out of window,
    /// an ACK; a RST kills it; the peer's FIN (in order, with an ACK) moves it
    /// to TIME_WAIT for 60 s and is answered with an ACK (TCP_TW_ACK); a
    /// duplicate ACK is ignored; new data or a SYN earns a RST. In TIME_WAIT:
    /// an in-window RST kills it (tcp_rfc1337 0), an in-window bare ACK
    /// restarts the timer; a new SYN past the old sequence space (or with a
    /// newer timestamp) may reopen the 4-tuple (TCP_TW_SYN, with the ISN the
    /// new connection starts from in <paramref name="tw_isn"/>); anything else
    /// but a RST is ACKed. PAWS is not ported.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static tcp_tw_status tcp_timewait_state_process(inet_timewait_sock tw, sk_buff skb, tcphdr th, out uint tw_isn, ref skb_drop_reason drop_reason)
    {
        var tmp_opt = new tcp_options_received();
        var rcv_nxt = tw.tw_rcv_nxt;
        var cb = TCP_SKB_CB(skb);
        tw_isn = 0;

        // psp_twsk_rx_policy_check: no PSP.
        tmp_opt.saw_tstamp = false;

        // tw_ts_recent_stamp (ktime_get_seconds) says a timestamp was seen; the virtual clock's first second stores 0, so tw_ts_recent says it too.
        if (th.doff > tcphdr.Size >> 2 && (tw.tw_ts_recent_stamp != 0 || tw.tw_ts_recent != 0))
        {
            tcp_input_c.tcp_parse_options(tw.sk.sk_net, skb, ref tmp_opt, false, ref System.Runtime.CompilerServices.Unsafe.NullRef<tcp_fastopen_cookie>());

            // not ported: PAWS (tcp_paws_reject) for timewait socks.
            // not ported: __NET_INC_STATS — PAWSTimewait (LINUX_MIB_PAWS_TW_REJECTED) counts PAWS rejects: not ported
        }

        if (tw.tw_substate == TCP_FIN_WAIT2)
        {
            // the same checks as tcp_rcv_state_process

            // Out of window, send ACK
            if (!tcp_in_window(cb.seq, cb.end_seq, rcv_nxt, rcv_nxt + tw.tw_rcv_wnd))
            {
                return tcp_timewait_check_oow_rate_limit(tw, skb, linux_mib_field.LINUX_MIB_TCPACKSKIPPEDFINWAIT2);
            }

            if (th.rst)
            {
                goto kill;
            }

            if (th.syn && !before(cb.seq, rcv_nxt))
            {
                return tcp_tw_status.TCP_TW_RST;
            }

            // Dup ACK?
            if (!th.ack || !after(cb.end_seq, rcv_nxt) || cb.end_seq == cb.seq)
            {
                // inet_twsk_put: timewait socks are not refcounted.
                return tcp_tw_status.TCP_TW_SUCCESS;
            }

            // new data after our half-close, or anything but the FIN, resets
            if (!th.fin || cb.end_seq != rcv_nxt + 1)
            {
                return tcp_tw_status.TCP_TW_RST;
            }

            // FIN arrived, enter true time-wait state.
            tw.tw_substate = TCP_TIME_WAIT;
            tw.tw_rcv_nxt = cb.end_seq; // twsk_rcv_nxt_update
            // with timestamps, the FIN's arrival restarts tcp_tw_reuse_delay's clock (tw_entry_stamp) and is
            // when the peer's timestamp was seen
            if (tmp_opt.saw_tstamp)
            {
                var ts = tcp_clock_ms(tw.sk.sk_net.k);
                tw.tw_entry_stamp = (uint)ts;
                tw.tw_ts_recent_stamp = (long)(ts / 1000);
                tw.tw_ts_recent = tmp_opt.rcv_tsval;
            }

            inet_timewait_sock_c.__inet_twsk_schedule(tw, TCP_TIMEWAIT_LEN, true); // inet_twsk_reschedule
            return tcp_tw_status.TCP_TW_ACK;
        }

        // Real TIME-WAIT. RFC 1122 lets a new SYN reopen the connection if its ISN is past the old one's
        // sequence space, and the state returns to TIME_WAIT if that SYN was an old duplicate.
        if (cb.seq == rcv_nxt && (cb.seq == cb.end_seq || th.rst))
        {
            // In window: only a RST or a bare ACK.
            if (th.rst)
            {
                // TIME_WAIT assassination (RFC 1337): net.ipv4.tcp_rfc1337 is 0, so the RST ends it.
                goto kill;
            }

            inet_timewait_sock_c.__inet_twsk_schedule(tw, TCP_TIMEWAIT_LEN, true); // inet_twsk_reschedule

            if (tmp_opt.saw_tstamp)
            {
                tw.tw_ts_recent = tmp_opt.rcv_tsval;
                tw.tw_ts_recent_stamp = tw.sk.sk_net.k.ktime_get_ns() / 1_000_000_000; // ktime_get_seconds
            }

            return tcp_tw_status.TCP_TW_SUCCESS;
        }

        // Out of window. Everything is ACKed but a new SYN: one past the old sequence space, or with a newer
        // timestamp, may open a new connection on the 4-tuple.
        if (th.syn && !th.rst && !th.ack &&
            (after(cb.seq, rcv_nxt) || (tmp_opt.saw_tstamp && (int)(tw.tw_ts_recent - tmp_opt.rcv_tsval) < 0)))
        {
            var isn = unchecked(tw.tw_snd_nxt + 65535 + 2);
            if (isn == 0)
            {
                isn++;
            }

            tw_isn = isn;
            return tcp_tw_status.TCP_TW_SYN;
        }

        if (!th.rst)
        {
            // An ACK restarts the TIME_WAIT timer; an ACKless SYN may be an old duplicate as well as a new SYN
            // below rcv_nxt, and does not.
            if (th.ack)
            {
                inet_timewait_sock_c.__inet_twsk_schedule(tw, TCP_TIMEWAIT_LEN, true); // inet_twsk_reschedule
            }

            return tcp_timewait_check_oow_rate_limit(tw, skb, linux_mib_field.LINUX_MIB_TCPACKSKIPPEDTIMEWAIT);
        }

        // out_put: inet_twsk_put.
        _ = drop_reason;
        return tcp_tw_status.TCP_TW_SUCCESS;

    kill:
        inet_timewait_sock_c.inet_twsk_deschedule_put(tw);
        return tcp_tw_status.TCP_TW_SUCCESS;
    }
}

/// <summary>enum tcp_tw_status: what tcp_timewait_state_process asks of its caller.</summary>
public enum tcp_tw_status
{
    TCP_TW_SUCCESS = 0,
    TCP_TW_RST = 1,
    TCP_TW_ACK = 2,
    TCP_TW_SYN = 3,
    TCP_TW_ACK_OOW = 4,
}
