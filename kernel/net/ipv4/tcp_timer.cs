// Ports net/ipv4/tcp_timer.c: the TCP timers' set-up and the initial RTO;
// the retransmit timer (tcp_write_timer, tcp_write_timer_handler) and what
// it dispatches: tcp_retransmit_timer (the Loss state, the head of the
// retransmit queue sent again — the SYN too while connecting —, TCPTimeouts,
// the RTO doubled up to TCP_RTO_MAX, SYN_SENT's linear timeouts, the zero
// window case), the tail loss probe (tcp_send_loss_probe) and RACK's
// reordering timeout (tcp_rack_reo_timeout), tcp_write_timeout (tcp_retries1/2 through
// retransmits_timed_out and tcp_model_timeout, syn_retries plus
// tcp_syn_linear_timeouts while connecting, orphans' tcp_orphan_retries,
// ETIMEDOUT by tcp_write_err: TCPAbortOnTimeout), and the zero-window probe
// timer (tcp_probe_timer); the delayed-ACK timer (tcp_delack_timer_handler:
// the ACK, DelayedACKs); a request's SYN-ACK timeout (tcp_syn_ack_timeout:
// TCPTimeouts); a Fast Open child's SYN-ACK timer (tcp_fastopen_synack_timer);
// TCP_USER_TIMEOUT's clamps of the RTO and of the window probes; the
// keepalive timer (sk_timer: keepalive probes, ETIMEDOUT after keepcnt
// unanswered ones, and an orphan's FIN_WAIT2 timeout).
//
// MTU black-hole detection (tcp_mtu_probing) on a timeout past tcp_retries1.
//
// not ported yet: thin-stream linear timeouts, the
// compressed SACK timer, the orphan
// limits of tcp_out_of_resources, a timer firing while a task owns the
// socket (TCP_WRITE_TIMER_DEFERRED / TCP_DELACK_TIMER_DEFERRED: with one
// thread, timers never find the socket owned).
// not ported: BPF_SOCK_OPS_TEST_FLAG, tcp_call_bpf_3arg — no BPF sock_ops programs can be attached in the
//   simulation
// not ported: mptcp_active_detect_blackhole — no MPTCP: IPPROTO_MPTCP is not ported, every socket is plain
//   TCP
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_timer_c
{
    // net/ipv4/tcp_timer.c: tcp_clamp_rto_to_user_timeout
    /// <summary>The RTO, but no later than TCP_USER_TIMEOUT after the first retransmission (retrans_stamp); 1 jiffy once that has passed.</summary>
    private static uint tcp_clamp_rto_to_user_timeout(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        var user_timeout = icsk.icsk_user_timeout;
        if (user_timeout == 0)
        {
            return icsk.icsk_rto;
        }

        var elapsed = tcp_time_stamp_ts(tp) - tp.retrans_stamp;
        if (tp.tcp_usec_ts)
        {
            elapsed /= 1000;
        }

        var remaining = unchecked((int)(user_timeout - elapsed));
        if (remaining <= 0)
        {
            // the user timeout is already over: fire at once
            return 1;
        }

        return System.Math.Min(icsk.icsk_rto, (uint)Include.Linux.jiffies_h.msecs_to_jiffies((uint)remaining));
    }

    // net/ipv4/tcp_timer.c: tcp_clamp_probe0_to_user_timeout
    /// <summary>A window probe's interval <paramref name="when"/>, but no later than TCP_USER_TIMEOUT after the first probe (icsk_probes_tstamp), and at least TCP_TIMEOUT_MIN.</summary>
    public static ulong tcp_clamp_probe0_to_user_timeout(sock sk, ulong when)
    {
        var icsk = inet_csk(sk);

        var user_timeout = icsk.icsk_user_timeout;
        if (user_timeout == 0 || icsk.icsk_probes_tstamp == 0)
        {
            return when;
        }

        var elapsed = unchecked((int)(tcp_jiffies32(sk) - icsk.icsk_probes_tstamp));
        if (elapsed < 0)
        {
            elapsed = 0;
        }

        var remaining = unchecked((uint)Include.Linux.jiffies_h.msecs_to_jiffies(user_timeout) - (uint)elapsed);
        remaining = System.Math.Max(remaining, TCP_TIMEOUT_MIN);

        return System.Math.Min(remaining, when);
    }

    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TCPABORTONTIMEOUT): with
    //   one simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_timer.c: tcp_write_err
    /// <summary>The connection timed out: the soft error (or ETIMEDOUT) is posted and the socket is done (TCPAbortOnTimeout).</summary>
    private static void tcp_write_err(sock sk)
    {
        tcp_input_c.tcp_done_with_error(sk, sk.sk_err_soft != 0 ? sk.sk_err_soft : errno_h.ETIMEDOUT);
        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTONTIMEOUT);
    }

    // not ported: tcp_rto_max — TCP_RTO_MAX_MS is not ported: the cap is the constant TCP_RTO_MAX
    // not ported: check_net — one network namespace per simulated host, never dismantled while its sockets
    //   run
    // not ported: tcp_check_oom, tcp_send_active_reset, tcp_done, __NET_INC_STATS — an orphan over
    //   tcp_max_orphans or the tcp_mem limit is reset (TCPAbortOnMemory): neither limit is ported
    // net/ipv4/tcp_timer.c: tcp_out_of_resources
    /// <summary>
    /// An orphan may be killed early when orphans are too many or memory is
    /// short: neither limit is modelled here, so the orphan lives on (0).
    /// </summary>
    private static int tcp_out_of_resources(sock sk, bool do_reset) => 0;

    // net/ipv4/tcp_timer.c: tcp_orphan_retries
    /// <summary>How often an orphan retransmits: tcp_orphan_retries, 8 (over 100 s at the minimal RTO) when 0 and the connection still lives.</summary>
    private static int tcp_orphan_retries(sock sk, bool alive)
    {
        var retries = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_orphan_retries;

        // an ICMP told us something is wrong
        if (sk.sk_err_soft != 0 && !alive)
        {
            retries = 0;
        }

        if (retries == 0 && alive)
        {
            retries = 8;
        }

        return retries;
    }

    // net/ipv4/tcp_timer.c: tcp_mtu_probing
    /// <summary>
    /// Black-hole detection on a retransmission timeout past tcp_retries1
    /// (RFC 4821): with net.ipv4.tcp_mtu_probing set, probing turns on (mode
    /// 1 starts it only here); once on, each such timeout halves the MSS the
    /// search starts from (no lower than tcp_mtu_probe_floor and
    /// tcp_min_snd_mss, no higher than tcp_base_mss), and the MSS follows.
    /// </summary>
    private static void tcp_mtu_probing(inet_connection_sock icsk, sock sk)
    {
        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);

        if (ipv4.sysctl_tcp_mtu_probing == 0)
        {
            return;
        }

        if (!icsk.icsk_mtup_enabled)
        {
            icsk.icsk_mtup_enabled = true;
            icsk.icsk_mtup_probe_timestamp = tcp_jiffies32(sk);
        }
        else
        {
            var mss = tcp_output_c.tcp_mtu_to_mss(sk, icsk.icsk_mtup_search_low) >> 1;
            mss = System.Math.Min(ipv4.sysctl_tcp_base_mss, mss);
            mss = System.Math.Max(mss, ipv4.sysctl_tcp_mtu_probe_floor);
            mss = System.Math.Max(mss, ipv4.sysctl_tcp_min_snd_mss);
            icsk.icsk_mtup_search_low = tcp_output_c.tcp_mss_to_mtu(sk, mss);
        }

        tcp_output_c.tcp_sync_mss(sk, icsk.icsk_pmtu_cookie);
    }

    // net/ipv4/tcp_timer.c: tcp_model_timeout
    /// <summary>The time (ms) that <paramref name="boundary"/> exponentially backed-off retransmissions from <paramref name="rto_base"/> take, with the RTO capped at its maximum.</summary>
    private static uint tcp_model_timeout(sock sk, uint boundary, uint rto_base)
    {
        uint timeout;
        var linear_backoff_thresh = (uint)System.Numerics.BitOperations.Log2(tcp_rto_max(sk) / rto_base);

        if (boundary <= linear_backoff_thresh)
        {
            timeout = ((2U << (int)boundary) - 1) * rto_base;
        }
        else
        {
            timeout = (((2U << (int)linear_backoff_thresh) - 1) * rto_base) + ((boundary - linear_backoff_thresh) * tcp_rto_max(sk));
        }

        return time_c.jiffies_to_msecs(timeout);
    }

    // net/ipv4/tcp_timer.c: retransmits_timed_out
    /// <summary>
    /// Has the connection been retransmitting longer than
    /// <paramref name="boundary"/> backed-off RTOs from TCP_RTO_MIN (the
    /// initial RTO while connecting) would take? Measured from retrans_stamp.
    /// </summary>
    private static bool retransmits_timed_out(sock sk, uint boundary, uint timeout)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        if (inet_csk(sk).icsk_retransmits == 0)
        {
            return false;
        }

        var start_ts = tp.retrans_stamp;
        if (timeout == 0)
        {
            var rto_base = TCP_RTO_MIN;

            if (((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_SYN_SENT | Include.Net.tcp_states_h.TCPF_SYN_RECV)) != 0)
            {
                rto_base = tcp_timeout_init(sk);
            }

            timeout = tcp_model_timeout(sk, boundary, rto_base);
        }

        if (tp.tcp_usec_ts)
        {
            // the timer may fire up to a jiffy late
            var delta = (uint)tp.tcp_mstamp - start_ts + time_c.jiffies_to_usecs(1);
            return (int)(delta - (timeout * 1000)) >= 0;
        }

        return (int)(tcp_time_stamp_ts(tp) - start_ts - timeout) >= 0;
    }

    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TCPTIMEOUTREHASH): with
    //   one simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_timer.c: tcp_write_timeout
    /// <summary>
    /// Has the connection retransmitted long enough to give up? While
    /// connecting: syn_retries (plus SYN_SENT's linear timeouts) RTOs. Else
    /// tcp_retries2's worth of backed-off time (an orphan: tcp_orphan_retries).
    /// Gives up with ETIMEDOUT (tcp_write_err) and returns 1.
    /// </summary>
    private static int tcp_write_timeout(sock sk)
    {
        var icsk = inet_csk(sk);
        var net = sk.sk_net;
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);
        var expired = false;
        int retry_until;

        if (((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_SYN_SENT | Include.Net.tcp_states_h.TCPF_SYN_RECV)) != 0)
        {
            // not ported: __dst_negative_advice — IPv4's negative advice drops the cached route only when it is
            //   obsolete or its PMTU exception expired: the port's cached routes never go obsolete, so it stays
            // TCP_SYNCNT, else the sysctl
            retry_until = icsk.icsk_syn_retries != 0 ? icsk.icsk_syn_retries : ipv4.sysctl_tcp_syn_retries;

            var max_retransmits = retry_until;
            if (sk.sk_state == Include.Net.tcp_states_h.TCP_SYN_SENT)
            {
                max_retransmits += ipv4.sysctl_tcp_syn_linear_timeouts;
            }

            expired = icsk.icsk_retransmits >= max_retransmits;
        }
        else
        {
            if (retransmits_timed_out(sk, (uint)ipv4.sysctl_tcp_retries1, 0))
            {
                // black-hole detection: segments this big may never get through
                tcp_mtu_probing(icsk, sk);
            }

            retry_until = ipv4.sysctl_tcp_retries2;
            if (sock_h.sock_flag(sk, sock_flags.SOCK_DEAD))
            {
                var alive = icsk.icsk_rto < tcp_rto_max(sk);

                retry_until = tcp_orphan_retries(sk, alive);
                var do_reset = alive || !retransmits_timed_out(sk, (uint)retry_until, 0);

                if (tcp_out_of_resources(sk, do_reset) != 0)
                {
                    return 1;
                }
            }
        }

        if (!expired)
        {
            expired = retransmits_timed_out(sk, (uint)retry_until, icsk.icsk_user_timeout);
        }

        tcp_fastopen_c.tcp_fastopen_active_detect_blackhole(sk, expired);

        // MPTCP black-hole detection, BPF_SOCK_OPS_RTO_CB: not ported.
        if (expired)
        {
            // it has gone just too far
            tcp_write_err(sk);
            return 1;
        }

        // a new flow hash after a timeout, in case the path it picked is the broken one
        if (sock_h.sk_rethink_txhash(sk))
        {
            Include.Linux.tcp_h.tcp_sk(sk).timeout_rehash++;
            Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPTIMEOUTREHASH);
        }

        return 0;
    }

    // not ported: read_pnet — one network namespace per simulated host: the request's netns is the listener's
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TCPTIMEOUTS): with one
    //   simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_timer.c: tcp_syn_ack_timeout
    /// <summary>The request timer fired: it counts as a TCP timeout (TCPTimeouts) of the request's namespace.</summary>
    public static void tcp_syn_ack_timeout(request_sock req)
    {
        Include.Net.ip_h.NET_INC_STATS(req.sk.sk_net, linux_mib_field.LINUX_MIB_TCPTIMEOUTS);
    }

    // not ported: tcp_sack_compress_send_ack — compressed SACK ACKs are not ported
    // not ported: sk_reset_timer — the timer is armed with mod_timer directly; the socket reference
    //   sk_reset_timer takes is not counted in the port
    // not ported: icsk_delack_timeout — the deadline is read as the field icsk_ack_timeout
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_DELAYEDACKS): with one
    //   simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_timer.c: tcp_delack_timer_handler
    /// <summary>Send the ACK that was delayed, if one is still owed: DelayedACKs counts it; a socket in pingpong mode leaves it.</summary>
    public static void tcp_delack_timer_handler(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        var k = sk.sk_net.k;

        if (sk.sk_state is Include.Net.sock_h.TCP_CLOSE or Include.Net.tcp_states_h.TCP_LISTEN)
        {
            return;
        }

        // compressed SACKs are not ported
        if ((icsk.icsk_ack_pending & ICSK_ACK_TIMER) == 0)
        {
            return;
        }

        if (Include.Linux.jiffies_h.time_after(icsk.icsk_ack_timeout, k.jiffies))
        {
            timer_c.mod_timer(k, inet_csk_delack_timer(sk), icsk.icsk_ack_timeout);
            return;
        }

        icsk.icsk_ack_pending &= unchecked((byte)~ICSK_ACK_TIMER);

        if (inet_csk_ack_scheduled(sk))
        {
            if (!inet_csk_in_pingpong_mode(sk))
            {
                icsk.icsk_ack_ato = System.Math.Min(icsk.icsk_ack_ato << 1, icsk.icsk_rto);
            }
            else
            {
                inet_csk_exit_pingpong_mode(sk);
                icsk.icsk_ack_ato = Include.Net.tcp_h.TCP_ATO_MIN;
            }

            tcp_output_c.tcp_mstamp_refresh(tp);
            tcp_output_c.tcp_send_ack(sk);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, Include.Uapi.Linux.linux_mib_field.LINUX_MIB_DELAYEDACKS);
        }
    }

    // not ported: timer_container_of — the owner is read from the timer_list's owner field, the port's
    //   stand-in for container_of
    // not ported: sock_hold, sock_put — the port does not count socket references: the GC keeps a socket
    //   alive while anything reaches it
    // not ported: bh_lock_sock, bh_unlock_sock — the socket spinlock: one simulated CPU, and process context
    //   holds the socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code
    //   never finds it held
    // net/ipv4/tcp_timer.c: tcp_delack_timer
    /// <summary>The delayed-ACK timer fired (softirq); the socket is never owned by a task when timers run here.</summary>
    private static void tcp_delack_timer(timer_list t)
    {
        // not ported: sock_owned_by_user, __NET_INC_STATS — the owned branch (the ACK deferred to release_sock,
        //   DelayedACKLocked): a task holds the socket only with bottom halves off, so a timer never finds it held
        var sk = (sock)t.owner!;
        tcp_delack_timer_handler(sk);
    }

    // net/ipv4/tcp_timer.c: tcp_probe_timer
    /// <summary>
    /// The zero-window probe timer: while nothing is in flight and data
    /// waits, a probe goes out (tcp_send_probe0); after tcp_retries2 probes
    /// (an orphan: tcp_orphan_retries) the connection times out.
    /// </summary>
    private static void tcp_probe_timer(sock sk)
    {
        var icsk = inet_csk(sk);
        var skb = tcp_send_head(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        if (tp.packets_out != 0 || skb is null)
        {
            icsk.icsk_probes_out = 0;
            icsk.icsk_probes_tstamp = 0;
            return;
        }

        // RFC 1122 4.2.2.17: stay open as long as probes are answered (the ACKs reset probes_out);
        // an orphan, or TCP_USER_TIMEOUT counted from the first probe, ends it anyway.
        if (icsk.icsk_probes_tstamp == 0)
        {
            icsk.icsk_probes_tstamp = tcp_jiffies32(sk);
        }
        else
        {
            var user_timeout = icsk.icsk_user_timeout;
            if (user_timeout != 0 && unchecked((int)(tcp_jiffies32(sk) - icsk.icsk_probes_tstamp)) >= Include.Linux.jiffies_h.msecs_to_jiffies(user_timeout))
            {
                goto abort;
            }
        }

        var max_probes = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_retries2;
        if (sock_h.sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            var rto_max = tcp_rto_max(sk);
            var alive = inet_csk_rto_backoff(icsk, rto_max) < rto_max;

            max_probes = tcp_orphan_retries(sk, alive);
            if (!alive && icsk.icsk_backoff >= max_probes)
            {
                goto abort;
            }

            if (tcp_out_of_resources(sk, true) != 0)
            {
                return;
            }
        }

        if (icsk.icsk_probes_out >= max_probes)
        {
            goto abort;
        }

        // only another probe if nothing was closed meanwhile
        tcp_output_c.tcp_send_probe0(sk);
        return;

    abort:
        tcp_write_err(sk);
    }

    // net/ipv4/tcp_timer.c: tcp_update_rto_stats
    /// <summary>One more RTO of this episode (icsk_retransmits) and in all (total_rto); the first starts a recovery.</summary>
    private static void tcp_update_rto_stats(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        if (icsk.icsk_retransmits == 0)
        {
            tp.total_rto_recoveries++;
            tp.rto_stamp = tcp_time_stamp_ms(tp);
        }

        icsk.icsk_retransmits++;
        tp.total_rto++;
    }

    // net/ipv4/tcp_timer.c: tcp_rtx_probe0_timed_out
    /// <summary>With a zero window, retransmissions are probes: they give up only after twice TCP_RTO_MAX without hearing from the peer.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_rtx_probe0_timed_out(sock sk, sk_buff skb, uint rtx_delta)
    {
        var icsk = inet_csk(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        var timeout = (int)tcp_rto_max(sk) * 2;

        var user_timeout = icsk.icsk_user_timeout;
        if (user_timeout != 0)
        {
            // with a user timeout, window-0 answers do not keep a connection alive that makes no progress
            if (rtx_delta > user_timeout)
            {
                return true;
            }

            timeout = (int)System.Math.Min((uint)timeout, (uint)Include.Linux.jiffies_h.msecs_to_jiffies(user_timeout));
        }

        // The timer may fire late, so rcv_delta may be negative.
        var rcv_delta = (int)((uint)icsk.icsk_timeout - tp.rcv_tstamp);
        if (rcv_delta <= timeout)
        {
            return false;
        }

        return Include.Linux.jiffies_h.msecs_to_jiffies(rtx_delta) > timeout;
    }

    // net/ipv4/tcp_timer.c: tcp_fastopen_synack_timer
    /// <summary>
    /// A Fast Open child's SYN-ACK timer (sk is the child): the SYN-ACK goes
    /// again — one retry more than tcp_synack_retries, then the child times
    /// out (tcp_write_err) — the first timeout lowers cwnd (tcp_enter_loss),
    /// and the timer backs off from the request's initial timeout.
    /// </summary>
    private static void tcp_fastopen_synack_timer(sock sk, request_sock req)
    {
        var icsk = inet_csk(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        tcp_syn_ack_timeout(req); // rsk_ops->syn_ack_timeout

        // One more retry for Fast Open (icsk_syn_retries, TCP_SYNCNT: not ported).
        var max_retries = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_synack_retries + 1;

        if (req.num_timeout >= max_retries)
        {
            tcp_write_err(sk);
            return;
        }

        // Lower cwnd after certain SYNACK timeout like tcp_init_transfer()
        if (icsk.icsk_retransmits == 1)
        {
            tcp_input_c.tcp_enter_loss(sk);
        }

        // The error of the SYN-ACK's send is ignored: an accepted child should not give up too easily.
        tcp_output_c.tcp_rtx_synack(sk, req);
        req.num_timeout++;
        tcp_update_rto_stats(sk);
        if (tp.retrans_stamp == 0)
        {
            tp.retrans_stamp = tcp_time_stamp_ts(tp);
        }

        tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, (ulong)req.timeout << req.num_timeout, false);
    }

    // not ported: net_dbg_ratelimited — a debug-only printk
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TCPTIMEOUTS): with one
    //   simulated CPU the non-preemptible variant is the same
    // net/ipv4/tcp_timer.c: tcp_retransmit_timer
    /// <summary>
    /// The RTO fired with data in flight: unless the connection has timed out
    /// (tcp_write_timeout), it enters the Loss state, the head of the
    /// retransmit queue goes out again (counted in TCPTimeouts and
    /// RetransSegs), and the RTO doubles (exponential backoff, at most
    /// TCP_RTO_MAX; SYN_SENT's first tcp_syn_linear_timeouts stay linear).
    /// A zero window makes the retransmission a window probe.
    /// </summary>
    public static void tcp_retransmit_timer(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        var net = sk.sk_net;
        var icsk = inet_csk(sk);
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);

        var req = tp.fastopen_rsk;
        if (req is not null)
        {
            // WARN_ON_ONCE: only SYN_RECV and FIN_WAIT1 keep fastopen_rsk
            tcp_fastopen_synack_timer(sk, req);

            // Until our SYN-ACK is acknowledged nothing else (data, FIN) is retransmitted.
            return;
        }

        if (tp.packets_out == 0)
        {
            return;
        }

        var skb = tcp_rtx_queue_head(sk);
        if (skb is null)
        {
            return;
        }

        if (tp.snd_wnd == 0 && !sock_h.sock_flag(sk, sock_flags.SOCK_DEAD) &&
            ((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_SYN_SENT | Include.Net.tcp_states_h.TCPF_SYN_RECV)) == 0)
        {
            // The receiver shrank its window to nothing: the retransmissions are zero-window probes and
            // do not time the connection out, unless the peer has been silent too long.
            var rtx_delta = tcp_time_stamp_ts(tp) - (tp.retrans_stamp != 0 ? tp.retrans_stamp : tcp_skb_timestamp_ts(tp.tcp_usec_ts, skb));
            if (tp.tcp_usec_ts)
            {
                rtx_delta /= 1000;
            }

            // not ported: jiffies_to_msecs — it formats net_dbg_ratelimited's "Probing zero-window": no kernel log
            if (tcp_rtx_probe0_timed_out(sk, skb, rtx_delta))
            {
                tcp_write_err(sk);
                return;
            }

            tcp_input_c.tcp_enter_loss(sk);
            tcp_output_c.tcp_retransmit_skb(sk, skb, 1);

            // not ported: __sk_dst_reset — the cached route is kept: the port's routes never go stale and a new
            //   lookup would find the same one
            goto out_reset_timer;
        }

        Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPTIMEOUTS);
        if (tcp_write_timeout(sk) != 0)
        {
            return;
        }

        if (icsk.icsk_retransmits == 0)
        {
            linux_mib_field? mib_idx = null;

            if (icsk.icsk_ca_state == TCP_CA_Recovery)
            {
                mib_idx = tcp_is_sack(tp) ? linux_mib_field.LINUX_MIB_TCPSACKRECOVERYFAIL : linux_mib_field.LINUX_MIB_TCPRENORECOVERYFAIL;
            }
            else if (icsk.icsk_ca_state == TCP_CA_Loss)
            {
                mib_idx = linux_mib_field.LINUX_MIB_TCPLOSSFAILURES;
            }
            else if (icsk.icsk_ca_state == TCP_CA_Disorder || tp.sacked_out != 0)
            {
                mib_idx = tcp_is_sack(tp) ? linux_mib_field.LINUX_MIB_TCPSACKFAILURES : linux_mib_field.LINUX_MIB_TCPRENOFAILURES;
            }

            if (mib_idx is { } m)
            {
                Include.Net.ip_h.NET_INC_STATS(net, m);
            }
        }

        tcp_input_c.tcp_enter_loss(sk);

        tcp_update_rto_stats(sk);
        if (tcp_output_c.tcp_retransmit_skb(sk, tcp_rtx_queue_head(sk)!, 1) > 0)
        {
            // a local congestion refused it: senders take turns for the local resources
            tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_RESOURCE_PROBE_INTERVAL, false);
            return;
        }

    // Each retransmission doubles the timeout, the RTT estimate staying as it was (Jacobson, SIGCOMM '88), up to TCP_RTO_MAX.
    out_reset_timer:
        // not ported: tcp_stream_is_thin, __tcp_set_rto, tcp_rto_min — thin streams' linear timeouts
        //   (tcp_thin_linear_timeouts, TCP_THIN_LINEAR_TIMEOUTS) are not ported: the timeout always doubles
        if (sk.sk_state != Include.Net.tcp_states_h.TCP_SYN_SENT || tp.total_rto > ipv4.sysctl_tcp_syn_linear_timeouts)
        {
            icsk.icsk_backoff++;
            icsk.icsk_rto = System.Math.Min(icsk.icsk_rto << 1, tcp_rto_max(sk));
        }

        tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, tcp_clamp_rto_to_user_timeout(sk), false);

        // not ported: retransmits_timed_out — past tcp_retries1 + 1 6.18 drops the cached route (__sk_dst_reset):
        //   the port's routes never go stale, so the route is kept
    }

    // not ported: sk_reset_timer — the timer is armed with mod_timer directly; the socket reference
    //   sk_reset_timer takes is not counted in the port
    // net/ipv4/tcp_timer.c: tcp_write_timer_handler
    /// <summary>The retransmit timer's event: RACK's reordering timeout, the tail loss probe, the RTO (tcp_retransmit_timer) or the zero-window probe (tcp_probe_timer); early, it is re-armed.</summary>
    public static void tcp_write_timer_handler(sock sk)
    {
        var icsk = inet_csk(sk);
        var k = sk.sk_net.k;

        if (((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_CLOSE | Include.Net.tcp_states_h.TCPF_LISTEN)) != 0 || icsk.icsk_pending == 0)
        {
            return;
        }

        if (Include.Linux.jiffies_h.time_after(icsk.icsk_timeout, k.jiffies))
        {
            timer_c.mod_timer(k, inet_csk_retransmit_timer(sk), icsk.icsk_timeout); // sk_reset_timer
            return;
        }

        tcp_output_c.tcp_mstamp_refresh(Include.Linux.tcp_h.tcp_sk(sk));
        int @event = icsk.icsk_pending;

        switch (@event)
        {
            case ICSK_TIME_REO_TIMEOUT:
                tcp_recovery_c.tcp_rack_reo_timeout(sk);
                break;
            case ICSK_TIME_LOSS_PROBE:
                tcp_output_c.tcp_send_loss_probe(sk);
                break;
            case ICSK_TIME_RETRANS:
                icsk.icsk_pending = 0;
                tcp_retransmit_timer(sk);
                break;
            case ICSK_TIME_PROBE0:
                icsk.icsk_pending = 0;
                tcp_probe_timer(sk);
                break;
        }
    }

    // not ported: timer_container_of — the owner is read from the timer_list's owner field, the port's
    //   stand-in for container_of
    // not ported: sock_hold, sock_put — the port does not count socket references: the GC keeps a socket
    //   alive while anything reaches it
    // not ported: bh_lock_sock, bh_unlock_sock — the socket spinlock: one simulated CPU, and process context
    //   holds the socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code
    //   never finds it held
    // net/ipv4/tcp_timer.c: tcp_write_timer
    /// <summary>The retransmit timer fired (softirq); the socket is never owned by a task when timers run here (no TCP_WRITE_TIMER_DEFERRED).</summary>
    private static void tcp_write_timer(timer_list t)
    {
        var sk = (sock)t.owner!;

        // without a pending event the socket is not even locked
        if (inet_csk(sk).icsk_pending == 0)
        {
            return;
        }

        // not ported: sock_owned_by_user — the owned branch (TCP_WRITE_TIMER_DEFERRED): a task holds the socket
        //   only with bottom halves off, so a timer never finds it held
        tcp_write_timer_handler(sk);
    }

    // not ported: sk_reset_timer — the timer is armed with mod_timer directly; the socket reference
    //   sk_reset_timer takes is not counted in the port
    // net/ipv4/tcp_timer.c: tcp_reset_keepalive_timer
    /// <summary>(Re)arms the keepalive timer (sk_timer) <paramref name="len"/> jiffies from now (sk_reset_timer).</summary>
    public static void tcp_reset_keepalive_timer(sock sk, ulong len)
    {
        var k = sk.sk_net.k;
        timer_c.mod_timer(k, inet_csk_sk_timer(sk), k.jiffies + len);
    }

    // net/ipv4/tcp_timer.c: tcp_delete_keepalive_timer
    /// <summary>Stops the keepalive timer (sk_stop_timer).</summary>
    private static void tcp_delete_keepalive_timer(sock sk)
    {
        // not ported: sk_stop_timer — its timer_delete is called directly (the socket reference a pending timer
        //   holds is not counted)
        if (sk.sk_timer is { } t)
        {
            timer_c.timer_delete(t);
        }
    }

    // net/ipv4/tcp_timer.c: tcp_set_keepalive
    /// <summary>
    /// SO_KEEPALIVE on a TCP socket (sk_prot->keepalive): turning it on arms
    /// the timer for keepalive_time_when from now (unless it was on already);
    /// off stops it. A closed or listening socket has no timer to arm.
    /// Called before sock.c updates SOCK_KEEPOPEN.
    /// </summary>
    public static void tcp_set_keepalive(sock sk, int val)
    {
        if (((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_CLOSE | Include.Net.tcp_states_h.TCPF_LISTEN)) != 0)
        {
            return;
        }

        if (val != 0 && !sock_h.sock_flag(sk, sock_flags.SOCK_KEEPOPEN))
        {
            tcp_reset_keepalive_timer(sk, (ulong)keepalive_time_when(Include.Linux.tcp_h.tcp_sk(sk)));
        }
        else if (val == 0)
        {
            tcp_delete_keepalive_timer(sk);
        }
    }

    // not ported: timer_container_of — the owner is read from the timer_list's owner field, the port's
    //   stand-in for container_of
    // not ported: sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // not ported: bh_lock_sock, bh_unlock_sock — the socket spinlock: one simulated CPU, and process context
    //   holds the socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code
    //   never finds it held
    // net/ipv4/tcp_timer.c: tcp_keepalive_timer
    /// <summary>
    /// sk_timer fired (softirq). For an orphan in FIN_WAIT2 it is the
    /// FIN_WAIT2 timer: the rest of tcp_fin_time goes to a timewait minisock,
    /// or (linger2 &lt; 0, or nothing left) a RST ends it. Otherwise, with
    /// SO_KEEPALIVE on an idle synchronized connection: after
    /// keepalive_time_when of silence from the peer a probe goes out
    /// (tcp_write_wakeup: an old-sequence ACK, TCPKeepAlive) every
    /// keepalive_intvl_when; once keepalive_probes went unanswered — or, with
    /// TCP_USER_TIMEOUT, once that long has passed with a probe out — a RST
    /// goes out and the connection fails with ETIMEDOUT. A connection with
    /// data in flight or queued is alive: the timer just comes back later.
    /// The socket is never owned by a task when timers run here (no HZ/20 retry).
    /// </summary>
    private static void tcp_keepalive_timer(timer_list t)
    {
        var sk = (sock)t.owner!;
        var icsk = inet_csk(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        uint elapsed;

        // not ported: sock_owned_by_user — the owned branch (retry in HZ/20): a task holds the socket only with
        //   bottom halves off, so a timer never finds it held
        if (sk.sk_state == Include.Net.tcp_states_h.TCP_LISTEN)
        {
            // pr_err "keepalive on a LISTEN": no kernel log.
            return;
        }

        tcp_output_c.tcp_mstamp_refresh(tp);
        if (sk.sk_state == Include.Net.tcp_states_h.TCP_FIN_WAIT2 && sock_h.sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            if (tp.linger2 >= 0)
            {
                var tmo = tcp_fin_time(sk) - TCP_TIMEWAIT_LEN;

                if (tmo > 0)
                {
                    tcp_minisocks_c.tcp_time_wait(sk, Include.Net.tcp_states_h.TCP_FIN_WAIT2, tmo);
                    return;
                }
            }

            tcp_output_c.tcp_send_active_reset(sk, sk_rst_reason.SK_RST_REASON_TCP_STATE);
            goto death;
        }

        if (!sock_h.sock_flag(sk, sock_flags.SOCK_KEEPOPEN) ||
            ((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_CLOSE | Include.Net.tcp_states_h.TCPF_SYN_SENT)) != 0)
        {
            return;
        }

        elapsed = (uint)keepalive_time_when(tp);

        // data in flight or waiting: the connection shows it is alive without probes
        if (tp.packets_out != 0 || !tcp_write_queue_empty(sk))
        {
            goto resched;
        }

        elapsed = keepalive_time_elapsed(tp);

        if (elapsed >= keepalive_time_when(tp))
        {
            var user_timeout = icsk.icsk_user_timeout;

            // TCP_USER_TIMEOUT, when set, decides instead of the probe count
            if ((user_timeout != 0 && elapsed >= Include.Linux.jiffies_h.msecs_to_jiffies(user_timeout) && icsk.icsk_probes_out > 0) ||
                (user_timeout == 0 && icsk.icsk_probes_out >= keepalive_probes(tp)))
            {
                tcp_output_c.tcp_send_active_reset(sk, sk_rst_reason.SK_RST_REASON_TCP_KEEPALIVE_TIMEOUT);
                tcp_write_err(sk);
                return;
            }

            if (tcp_output_c.tcp_write_wakeup(sk, linux_mib_field.LINUX_MIB_TCPKEEPALIVE) <= 0)
            {
                icsk.icsk_probes_out++;
                elapsed = (uint)keepalive_intvl_when(tp);
            }
            else
            {
                // the probe was refused locally (congestion): try again sooner
                elapsed = TCP_RESOURCE_PROBE_INTERVAL;
            }
        }
        else
        {
            // the first probe is due keepalive_time_when after the peer was last heard
            elapsed = (uint)keepalive_time_when(tp) - elapsed;
        }

    resched:
        tcp_reset_keepalive_timer(sk, elapsed);
        return;

    death:
        tcp_c.tcp_done(sk);
    }

    // net/ipv4/tcp_timer.c: tcp_init_xmit_timers
    /// <summary>A TCP socket's timers: retransmit, delayed ACK, keepalive, and the pacing hrtimer (the compressed-ACK hrtimer is not ported).</summary>
    public static void tcp_init_xmit_timers(sock sk)
    {
        inet_connection_sock_c.inet_csk_init_xmit_timers(sk, tcp_write_timer, tcp_delack_timer, tcp_keepalive_timer);

        // not ported: hrtimer_setup — the pacing hrtimer is made and set up when pacing first needs it
        //   (tcp_pacing_check): an idle socket never does, and holds no hrtimer

        // not ported: compressed_ack_timer (tcp_compressed_ack_kick) — ACK compression is not ported.
    }
}
