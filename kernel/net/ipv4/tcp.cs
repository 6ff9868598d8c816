// Ports net/ipv4/tcp.c: a TCP socket's set-up (tcp_init_sock), its state
// changes (tcp_set_state), its end (tcp_done), close (tcp_close: the FIN
// of a connected socket through tcp_close_state and tcp_send_fin, the
// backlog processed, a closed socket destroyed; a listener's unaccepted
// children reset by inet_csk_listen_stop), tcp_disconnect (the RST of a
// synchronized connection), setsockopt(SOL_TCP) for TCP_CONGESTION, and
// getsockopt(SOL_TCP) for TCP_INFO (tcp_get_info).
//
// not ported yet: sending and receiving data (tcp_sendmsg, tcp_recvmsg and
// everything under them), poll, shutdown, close's RST on unread data,
// SO_LINGER, the orphaned FIN_WAIT2 timer and tcp_check_oom; the other
// SOL_TCP options of getsockopt (they answer ENOPROTOOPT), TCP's memory
// accounting (tcp_mem), the per-CPU orphan counters.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.inet_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_c
{
    // net/ipv4/tcp.c: tcp_init_sock
    /// <summary>
    /// What every TCP socket starts with: the retransmit timers, an initial
    /// RTO of 1 s, an initial congestion window of 10 and an infinite
    /// ssthresh, the default MSS, Reno until an algorithm is assigned, and the
    /// tcp_rmem/tcp_wmem default buffer sizes.
    /// </summary>
    public static void tcp_init_sock(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);

        tcp_timer_c.tcp_init_xmit_timers(sk);
        icsk.icsk_rto = TCP_TIMEOUT_INIT;

        // icsk_rto_min, icsk_delack_max: the route metrics' defaults (TCP_RTO_MIN, TCP_DELACK_MAX).
        tp.mss_cache = TCP_MSS_DEFAULT;

        tp.snd_cwnd = TCP_INIT_CWND;

        tp.snd_ssthresh = TCP_INFINITE_SSTHRESH;
        tp.scaling_ratio = TCP_DEFAULT_SCALING_RATIO;

        // The namespace's default algorithm (cubic); TCP_CONGESTION may change it before connect.
        tcp_cong_c.tcp_assign_congestion_control(sk);

        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);
        sk.sk_sndbuf = ipv4.sysctl_tcp_wmem[1];
        sk.sk_rcvbuf = ipv4.sysctl_tcp_rmem[1];
    }

    // net/ipv4/tcp.c: tcp_set_state
    /// <summary>
    /// Moves <paramref name="sk"/> to <paramref name="state"/>: CurrEstab and
    /// EstabResets follow; CLOSE unhashes the socket and gives back a port the
    /// user did not bind; the store itself traces inet_sock_set_state.
    /// </summary>
    public static void tcp_set_state(sock sk, int state)
    {
        var oldstate = sk.sk_state;
        var net = sk.sk_net;

        // BPF_SOCK_OPS_STATE_CB: no BPF.
        switch (state)
        {
            case TCP_ESTABLISHED:
                if (oldstate != TCP_ESTABLISHED)
                {
                    TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_CURRESTAB);
                }

                break;
            case TCP_CLOSE_WAIT:
                if (oldstate == TCP_SYN_RECV)
                {
                    TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_CURRESTAB);
                }

                break;
            case TCP_CLOSE:
                if (oldstate is TCP_CLOSE_WAIT or TCP_ESTABLISHED)
                {
                    TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_ESTABRESETS);
                }

                sk.sk_prot!.unhash!(sk);
                if (inet_csk(sk).icsk_bind_hash is not null && (sk.sk_userlocks & SOCK_BINDPORT_LOCK) == 0)
                {
                    inet_hashtables_c.inet_put_port(sk);
                }

                goto default;
            default:
                if (oldstate is TCP_ESTABLISHED or TCP_CLOSE_WAIT)
                {
                    TCP_DEC_STATS(net, tcp_mib_field.TCP_MIB_CURRESTAB);
                }

                break;
        }

        af_inet_c.inet_sk_state_store(sk, state);
    }

    // net/ipv4/tcp.c: tcp_done
    /// <summary>
    /// The connection is over: AttemptFails if it never got established,
    /// CLOSE, timers stopped, both directions shut; the owner is woken
    /// (sk_state_change) or, orphaned, the socket is destroyed.
    /// </summary>
    public static void tcp_done(sock sk)
    {
        // fastopen_rsk: no fast open.
        if (sk.sk_state is TCP_SYN_SENT or TCP_SYN_RECV)
        {
            TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_ATTEMPTFAILS);
        }

        tcp_set_state(sk, TCP_CLOSE);
        tcp_clear_xmit_timers(sk);
        sk.sk_shutdown = SHUTDOWN_MASK;
        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            sk.sk_state_change!(sk);
        }
        else
        {
            inet_connection_sock_c.inet_csk_destroy_sock(sk);
        }
    }

    // net/ipv4/tcp.c: tcp_write_queue_purge
    /// <summary>
    /// Frees everything not yet acknowledged — the write queue and the
    /// retransmit queue — without a tracepoint (sk_wmem_free_skb is
    /// __kfree_skb), and forgets the retransmission state.
    /// </summary>
    public static void tcp_write_queue_purge(sock sk)
    {
        // tcp_skb_tsorted_anchor_cleanup per skb: no tsorted list.
        while (__skb_dequeue(sk.sk_write_queue) is { } skb)
        {
            Core.skbuff_c.__kfree_skb(skb);
        }

        tcp_rtx_queue_purge(sk);
        tcp_clear_all_retrans_hints(tcp_sk(sk));
        tcp_sk(sk).packets_out = 0;
        inet_csk(sk).icsk_backoff = 0;
    }

    // net/ipv4/tcp.c: tcp_rtx_queue_purge
    private static void tcp_rtx_queue_purge(sock sk)
    {
        var tp = tcp_sk(sk);
        while (__skb_dequeue(tp.tcp_rtx_queue) is { } skb)
        {
            // tcp_rtx_queue_unlink + tcp_wmem_free_skb (sk_wmem_free_skb: no tracepoint)
            Core.skbuff_c.__kfree_skb(skb);
        }
    }

    // net/ipv4/tcp.c: __tcp_close
    /// <summary>
    /// close() of a TCP socket: the receive queue is flushed, a connected
    /// socket moves on (tcp_close_state) and sends its FIN, then is orphaned;
    /// what softirq queued on the backlog meanwhile is processed; a socket in
    /// CLOSE is destroyed. The RST on unread data, linger, the orphaned
    /// FIN_WAIT2 timer and the listener's children (inet_csk_listen_stop) are
    /// not ported.
    /// </summary>
    private static void __tcp_close(sock sk, long timeout)
    {
        sk.sk_shutdown = SHUTDOWN_MASK;

        if (sk.sk_state == TCP_LISTEN)
        {
            tcp_set_state(sk, TCP_CLOSE);

            // Special case.
            inet_connection_sock_c.inet_csk_listen_stop(sk);
        }

        while (__skb_dequeue(sk.sk_receive_queue) is { } skb)
        {
            Core.skbuff_c.__kfree_skb(skb);
        }

        if (sk.sk_state != TCP_CLOSE && tcp_close_state(sk))
        {
            tcp_output_c.tcp_send_fin(sk);
        }

        // sk_stream_wait_close: no linger time, close() does not wait.
        // adjudge_to_death:
        var state = sk.sk_state;
        sock_orphan(sk);

        Core.sock_c.__release_sock(sk);

        if (state != TCP_CLOSE && sk.sk_state == TCP_CLOSE)
        {
            return;
        }

        // An orphan in FIN_WAIT2 (the FIN_WAIT2 timer), tcp_check_oom: not ported.
        if (sk.sk_state == TCP_CLOSE)
        {
            // inet_csk_destroy_sock ends the socket; tcp_close's sock_put drops the last reference (sk_free).
            inet_connection_sock_c.inet_csk_destroy_sock(sk);
        }
    }

    // net/ipv4/tcp.c: tcp_close_state
    /// <summary>
    /// The state close() moves to — ESTABLISHED and SYN_RECV to FIN_WAIT1,
    /// CLOSE_WAIT to LAST_ACK, the rest to CLOSE or where they are — and
    /// whether a FIN goes out.
    /// </summary>
    private static bool tcp_close_state(sock sk)
    {
        int next;
        var fin = true;
        switch (sk.sk_state)
        {
            case TCP_ESTABLISHED:
            case TCP_SYN_RECV:
                next = TCP_FIN_WAIT1;
                break;
            case TCP_CLOSE_WAIT:
                next = TCP_LAST_ACK;
                break;
            case TCP_FIN_WAIT1:
            case TCP_FIN_WAIT2:
            case TCP_CLOSING:
            case TCP_LAST_ACK:
                next = sk.sk_state;
                fin = false;
                break;
            default:
                next = TCP_CLOSE;
                fin = false;
                break;
        }

        tcp_set_state(sk, next);
        return fin;
    }

    // net/ipv4/tcp.c: tcp_close
    public static void tcp_close(sock sk, long timeout)
    {
        lock_sock(sk);
        __tcp_close(sk, timeout);
        Core.sock_c.release_sock(sk);
    }

    // net/ipv4/tcp.c: tcp_need_reset
    /// <summary>The synchronized states whose abort the peer must hear about (a RST).</summary>
    private static bool tcp_need_reset(int state) =>
        ((1 << state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | TCPF_SYN_RECV)) != 0;

    // net/ipv4/tcp.c: tcp_disconnect
    /// <summary>
    /// Returns a socket to CLOSE with fresh connection state (connect's
    /// sock_error path, AF_UNSPEC connect, a listener's unaccepted child). A
    /// listener frees its accept queue; a synchronized connection is aborted
    /// with a RST (tcp_send_active_reset) and reports ECONNRESET.
    /// </summary>
    public static int tcp_disconnect(sock sk, int flags)
    {
        var inet = inet_sk(sk);
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var old_state = sk.sk_state;

        if (old_state != TCP_CLOSE)
        {
            tcp_set_state(sk, TCP_CLOSE);
        }

        // The RFC 793 abort: what the peer is told depends on how far the connection got.
        if (old_state == TCP_LISTEN)
        {
            inet_connection_sock_c.inet_csk_listen_stop(sk);
        }
        else if (tcp_need_reset(old_state))
        {
            tcp_output_c.tcp_send_active_reset(sk);
            sk.sk_err = errno_h.ECONNRESET;
        }
        else if (tp.snd_nxt != tp.write_seq && ((1 << old_state) & (TCPF_CLOSING | TCPF_LAST_ACK)) != 0)
        {
            tcp_output_c.tcp_send_active_reset(sk);
            sk.sk_err = errno_h.ECONNRESET;
        }
        else if (old_state == TCP_SYN_SENT)
        {
            sk.sk_err = errno_h.ECONNRESET;
        }

        tcp_clear_xmit_timers(sk);
        __skb_queue_purge(sk.sk_receive_queue);
        tp.copied_seq = tp.rcv_nxt;
        tcp_write_queue_purge(sk);

        inet.inet_dport = 0;
        inet_bhash2_reset_saddr_stub(sk);

        sk.sk_shutdown = 0;
        sock_reset_flag(sk, sock_flags.SOCK_DONE);
        tp.srtt_us = 0;
        tp.write_seq += tp.max_window + 2;
        if (tp.write_seq == 0)
        {
            tp.write_seq = 1;
        }

        tp.snd_cwnd = TCP_INIT_CWND;
        tp.snd_ssthresh = TCP_INFINITE_SSTHRESH;
        tp.window_clamp = 0;
        tp.rx_opt.ts_recent = 0;
        tp.rx_opt.ts_recent_stamp = 0;
        icsk.icsk_retransmits = 0;
        icsk.icsk_pmtu_cookie = 0;
        tp.max_window = 0;
        tp.snd_wnd = 0;
        tp.total_retrans = 0;
        tp.segs_in = 0;
        tp.segs_out = 0;
        tp.data_segs_out = 0;
        sk_dst_reset(sk);
        sk.sk_error_report?.Invoke(sk);
        return 0;
    }

    /// <summary>inet_bhash2_reset_saddr (inet_hashtables.c): without bhash2, a source address the user did not bind is forgotten.</summary>
    private static void inet_bhash2_reset_saddr_stub(sock sk)
    {
        if ((sk.sk_userlocks & SOCK_BINDADDR_LOCK) == 0)
        {
            var inet = inet_sk(sk);
            inet.inet_saddr = 0;
            inet.inet_rcv_saddr = 0;
        }
    }

    // net/ipv4/tcp.c: do_tcp_setsockopt
    /// <summary>SOL_TCP options with an int value: none is ported yet (ENOPROTOOPT).</summary>
    private static int do_tcp_setsockopt(sock sk, int level, int optname, long val) => -errno_h.ENOPROTOOPT;

    // net/ipv4/tcp.c: do_tcp_setsockopt
    /// <summary>SOL_TCP options given as a buffer: TCP_CONGESTION takes a name; the others an int.</summary>
    private static int do_tcp_setsockopt(sock sk, int level, int optname, byte[] optval, int optlen)
    {
        switch (optname)
        {
            case Include.Uapi.Linux.tcp_h.TCP_CONGESTION:
            {
                if (optlen < 1)
                {
                    return -errno_base_h.EINVAL;
                }

                var len = System.Math.Min(optlen, Include.Uapi.Linux.tcp_h.TCP_CA_NAME_MAX - 1);
                var n = System.Array.IndexOf(optval, (byte)0, 0, len);
                var name = System.Text.Encoding.ASCII.GetString(optval, 0, n < 0 ? len : n);

                // lock_sock(sk); programs run as root: CAP_NET_ADMIN.
                return tcp_cong_c.tcp_set_congestion_control(sk, name, true, true);
            }
        }

        if (optlen < 4)
        {
            return -errno_base_h.EINVAL;
        }

        return do_tcp_setsockopt(sk, level, optname, System.BitConverter.ToInt32(optval, 0));
    }

    // net/ipv4/tcp.c: tcp_setsockopt
    /// <summary>setsockopt on a TCP socket: SOL_TCP here, other levels to IP (ip_setsockopt).</summary>
    public static int tcp_setsockopt(sock sk, int level, int optname, long val)
    {
        if (level != in_h.IPPROTO_TCP)
        {
            return ip_sockglue_c.ip_setsockopt(sk, level, optname, val);
        }

        return do_tcp_setsockopt(sk, level, optname, val);
    }

    // net/ipv4/tcp.c: tcp_setsockopt
    public static int tcp_setsockopt(sock sk, int level, int optname, byte[] optval, int optlen)
    {
        if (level != in_h.IPPROTO_TCP)
        {
            return optlen < 4 ? -errno_base_h.EINVAL : ip_sockglue_c.ip_setsockopt(sk, level, optname, System.BitConverter.ToInt32(optval, 0));
        }

        return do_tcp_setsockopt(sk, level, optname, optval, optlen);
    }

    // net/ipv4/tcp.c: tcp_get_info_chrono_stats
    /// <summary>Busy, receive-window-limited and send-buffer-limited time: the chrono accounting is not ported, all 0.</summary>
    private static void tcp_get_info_chrono_stats(tcp_sock tp, tcp_info info)
    {
        info.tcpi_busy_time = 0;
        info.tcpi_rwnd_limited = 0;
        info.tcpi_sndbuf_limited = 0;
    }

    // net/ipv4/tcp.c: tcp_get_info
    /// <summary>
    /// The connection's state as TCP_INFO reports it. A listener reports its
    /// accept queue (tcpi_unacked: waiting children, tcpi_sacked: the backlog).
    /// Fields whose state the port does not keep yet read 0: tcpi_probes,
    /// tcpi_rcv_mss (icsk_ack.rcv_mss), tcpi_last_data_recv's lrcvtime (reported
    /// as 0 ms), tcpi_rttvar (mdev_us), tcpi_reordering, tcpi_rcv_rtt,
    /// tcpi_rcv_space, tcpi_bytes_acked/received, tcpi_min_rtt (rtt_min),
    /// tcpi_data_segs_in, the rate sample (tcpi_delivery_rate,
    /// app_limited), the chrono times, tcpi_bytes_sent/retrans, tcpi_dsack_dups,
    /// tcpi_reord_seen, tcpi_rcv_ooopack, tcpi_rehash, tcpi_total_rto*; no
    /// pacing: tcpi_pacing_rate keeps sock_init_data's ~0. ECN is never
    /// negotiated, so its fields are truly 0, as is tcpi_ca_state (TCP_CA_Open:
    /// no congestion state machine yet).
    /// </summary>
    public static void tcp_get_info(sock sk, tcp_info info)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        // memset(info, 0, sizeof(*info)): the caller's struct is fresh.
        if (sk.sk_type != socket_h.SOCK_STREAM)
        {
            return;
        }

        info.tcpi_state = (byte)sk.sk_state; // inet_sk_state_load

        // Meaningful in every state, listeners included.
        info.tcpi_pacing_rate = ulong.MaxValue;
        info.tcpi_max_pacing_rate = ulong.MaxValue;

        info.tcpi_reordering = 0; // tp->reordering: not kept by the port
        info.tcpi_snd_cwnd = tp.snd_cwnd; // tcp_snd_cwnd

        if (info.tcpi_state == TCP_LISTEN)
        {
            // A listener's numbers are its accept queue's: ready children and the backlog.
            info.tcpi_unacked = sk.sk_ack_backlog;
            info.tcpi_sacked = sk.sk_max_ack_backlog;
            return;
        }

        // lock_sock_fast: one thread, nothing changes meanwhile.
        info.tcpi_ca_state = 0; // icsk_ca_state: TCP_CA_Open
        info.tcpi_retransmits = icsk.icsk_retransmits;
        info.tcpi_probes = 0; // icsk_probes_out
        info.tcpi_backoff = icsk.icsk_backoff;

        if (tp.rx_opt.tstamp_ok)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_TIMESTAMPS;
        }

        if (tp.rx_opt.sack_ok != 0) // tcp_is_sack
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_SACK;
        }

        if (tp.rx_opt.wscale_ok)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_WSCALE;
            info.tcpi_snd_wscale = tp.rx_opt.snd_wscale;
            info.tcpi_rcv_wscale = tp.rx_opt.rcv_wscale;
        }

        // ECN, fast open: never negotiated here.
        if (tp.tcp_usec_ts)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_USEC_TS;
        }

        const uint usec_per_jiffy = 1_000_000 / Vmlinux.HZ;

        // tcp_delack_max (tcp_output.c): the smaller of TCP_DELACK_MAX and a jiffy under TCP_RTO_MIN (no route rto_min).
        var delack_max = System.Math.Min(TCP_DELACK_MAX, System.Math.Max((uint)(TCP_RTO_MIN_MS * Vmlinux.HZ / 1000), 2) - 1);
        info.tcpi_rto = (uint)(icsk.icsk_rto * usec_per_jiffy); // jiffies_to_usecs
        info.tcpi_ato = System.Math.Min(icsk.icsk_ack_ato, delack_max) * usec_per_jiffy;
        info.tcpi_snd_mss = tp.mss_cache;
        info.tcpi_rcv_mss = 0; // icsk_ack.rcv_mss

        info.tcpi_unacked = tp.packets_out;
        info.tcpi_sacked = tp.sacked_out;
        info.tcpi_lost = tp.lost_out;
        info.tcpi_retrans = tp.retrans_out;

        var now = (uint)sk.sk_net.k.jiffies; // tcp_jiffies32
        const uint msec_per_jiffy = 1000 / Vmlinux.HZ;
        info.tcpi_last_data_sent = unchecked(now - tp.lsndtime) * msec_per_jiffy; // jiffies_to_msecs
        info.tcpi_last_data_recv = 0; // icsk_ack.lrcvtime
        info.tcpi_last_ack_recv = unchecked(now - tp.rcv_tstamp) * msec_per_jiffy;

        info.tcpi_pmtu = icsk.icsk_pmtu_cookie;
        info.tcpi_rcv_ssthresh = tp.rcv_ssthresh;
        info.tcpi_rtt = tp.srtt_us >> 3;
        info.tcpi_rttvar = 0; // mdev_us >> 2
        info.tcpi_snd_ssthresh = tp.snd_ssthresh;
        info.tcpi_advmss = tp.advmss;

        info.tcpi_rcv_rtt = 0; // rcv_rtt_est.rtt_us >> 3
        info.tcpi_rcv_space = 0; // rcvq_space.space

        info.tcpi_total_retrans = tp.total_retrans;

        info.tcpi_bytes_acked = 0; // bytes_acked
        info.tcpi_bytes_received = 0; // bytes_received
        info.tcpi_notsent_bytes = (uint)System.Math.Max(0, (int)unchecked(tp.write_seq - tp.snd_nxt));
        tcp_get_info_chrono_stats(tp, info);

        info.tcpi_segs_out = tp.segs_out;
        info.tcpi_segs_in = tp.segs_in;
        info.tcpi_data_segs_in = 0; // data_segs_in

        info.tcpi_min_rtt = 0; // tcp_min_rtt: no windowed minimum kept
        info.tcpi_data_segs_out = tp.data_segs_out;

        // tcp_compute_delivery_rate: no rate samples, no rate.
        info.tcpi_delivered = tp.delivered;
        info.tcpi_snd_wnd = tp.snd_wnd;
        info.tcpi_rcv_wnd = tp.rcv_wnd;
    }

    // net/ipv4/tcp.c: do_tcp_getsockopt
    /// <summary>
    /// SOL_TCP options read into a buffer of the caller's length: TCP_INFO
    /// copies as much of struct tcp_info as fits (a longer buffer gets the
    /// 280 bytes); the rest are not ported (ENOPROTOOPT).
    /// </summary>
    private static (int Err, int Len) do_tcp_getsockopt(sock sk, int level, int optname, byte[] optval)
    {
        switch (optname)
        {
            case Include.Uapi.Linux.tcp_h.TCP_INFO:
            {
                var info = new tcp_info();
                tcp_get_info(sk, info);
                var len = System.Math.Min(optval.Length, tcp_info.Size);
                info.WriteTo(new System.Span<byte>(optval, 0, len));
                return (0, len);
            }

            default:
                return (-errno_h.ENOPROTOOPT, 0);
        }
    }

    // net/ipv4/tcp.c: tcp_getsockopt
    /// <summary>getsockopt on a TCP socket into a buffer: SOL_TCP here; IP-level options are not ported for buffers (ENOPROTOOPT).</summary>
    public static (int Err, int Len) tcp_getsockopt(sock sk, int level, int optname, byte[] optval)
    {
        if (level != in_h.IPPROTO_TCP)
        {
            return (-errno_h.ENOPROTOOPT, 0);
        }

        return do_tcp_getsockopt(sk, level, optname, optval);
    }

    // net/ipv4/tcp.c: tcp_init
    /// <summary>Boot-time TCP: the bind buckets' slab caches, the congestion control algorithms (Reno, and CUBIC as the default) and the IPv4 part (tcp_v4_init).</summary>
    public static void tcp_init(Vmlinux k)
    {
        // The bind buckets' caches: 128 bytes each on the real machine (where SLUB merges both into one cache).
        var hinfo = tcp_ipv4_c.tcp_hashinfo(k);
        const ulong flags = Include.Linux.slab_h.SLAB_HWCACHE_ALIGN | Include.Linux.slab_h.SLAB_PANIC | Include.Linux.slab_h.SLAB_ACCOUNT;
        hinfo.bind_bucket_cachep = Mm.slab_common_c.__kmem_cache_create_args(k, "tcp_bind_bucket", 128, 0, flags);
        hinfo.bind2_bucket_cachep = Mm.slab_common_c.__kmem_cache_create_args(k, "tcp_bind2_bucket", 128, 0, flags);

        tcp_cong_c.tcp_register_congestion_control(k, tcp_cong_c.tcp_reno);
        tcp_cubic_c.cubictcp_register(k);
        tcp_ipv4_c.tcp_v4_init(k);
    }
}
