// Ports include/net/inet_connection_sock.h: struct inet_connection_sock, the
// connection-oriented part of an INET socket (bind bucket, retransmit timer,
// RTO, congestion control), the delayed-ACK state (icsk_ack: pending bits
// including PUSHED/NOW/NOMEM, quick, ato, rcv_mss, lrcvtime), and the timer
// helpers around it.
//
// not ported: // icsk_af_ops (IPv4 only: tcp_ipv4.c's functions are called directly),
// icsk_ulp_ops.
using KernelNet.Kernel.Kernel.Time;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct inet_connection_sock: embeds inet_sock; tcp_sock extends it.</summary>
public class inet_connection_sock : inet_sock
{
    public inet_connection_sock(sock sk)
        : base(sk)
    {
    }

    /// <summary>icsk_bind_hash: the bind bucket of the local port (inet_bind_hash).</summary>
    public inet_bind_bucket? icsk_bind_hash { get; set; }

    /// <summary>
    /// icsk_accept_queue: a listener's accept queue and SYN queue length. The
    /// kernel embeds it in every connection socket; here it is made when the
    /// socket listens (reqsk_queue_alloc from inet_csk_listen_start), or earlier
    /// by a setsockopt that configures it (TCP_DEFER_ACCEPT, TCP_FASTOPEN,
    /// TCP_FASTOPEN_KEY). Null reads as the zeroed struct: a socket that never
    /// listened, or a child, whose queue inet_csk_clone_lock zeroes.
    /// </summary>
    public request_sock_queue? icsk_accept_queue { get; set; }

    /// <summary>icsk_ack.pending: ICSK_ACK_SCHED (an ACK is owed), ICSK_ACK_TIMER (the delayed-ACK timer is armed).</summary>
    public byte icsk_ack_pending { get; set; }

    /// <summary>icsk_ack.ato: the delayed-ACK timeout, in jiffies (0 until data arrives).</summary>
    public uint icsk_ack_ato { get; set; }

    /// <summary>icsk_ack.pingpong: interactive (request/response) mode, where ACKs wait for data to ride on.</summary>
    public byte icsk_ack_pingpong { get; set; }

    /// <summary>icsk_ack.quick: ACKs still to send at once (quick-ACK mode).</summary>
    public byte icsk_ack_quick { get; set; }

    /// <summary>icsk_ack.rcv_mss: our guess of the peer's MSS, which decides when an ACK is owed at once.</summary>
    public ushort icsk_ack_rcv_mss { get; set; }

    /// <summary>icsk_ack.last_seg_size: the size of the last small segment (tcp_measure_rcv_mss).</summary>
    public ushort icsk_ack_last_seg_size { get; set; }

    /// <summary>icsk_ack.lrcvtime: when data last arrived (jiffies).</summary>
    public uint icsk_ack_lrcvtime { get; set; }

    /// <summary>icsk_ack.timeout: when the delayed-ACK timer fires, in jiffies.</summary>
    public ulong icsk_ack_timeout { get; set; }

    /// <summary>
    /// icsk_retransmit_timer: resends unacknowledged data (and the SYN). The
    /// kernel embeds the timer_list; here it is made when first armed, from the
    /// function timer_setup gave it (icsk_retransmit_timer_function), so a socket
    /// that never arms it (an idle accepted child) holds none. Null reads as a
    /// timer that is not pending.
    /// </summary>
    public timer_list? icsk_retransmit_timer { get; set; }

    /// <summary>icsk_retransmit_timer.function, as inet_csk_init_xmit_timers' timer_setup left it until the timer is made.</summary>
    public System.Action<timer_list>? icsk_retransmit_timer_function { get; set; }

    /// <summary>icsk_delack_timer: made when first armed, as icsk_retransmit_timer (a connection that never delays an ACK holds none).</summary>
    public timer_list? icsk_delack_timer { get; set; }

    /// <summary>icsk_delack_timer.function, as timer_setup left it until the timer is made.</summary>
    public System.Action<timer_list>? icsk_delack_timer_function { get; set; }

    /// <summary>icsk_rto: the retransmit timeout, in jiffies.</summary>
    public uint icsk_rto { get; set; }

    /// <summary>icsk_ca_ops: the congestion control algorithm.</summary>
    public tcp_congestion_ops? icsk_ca_ops { get; set; }

    /// <summary>icsk_pending: ICSK_TIME_* of the scheduled retransmit-timer event (0: none).</summary>
    public byte icsk_pending { get; set; }

    /// <summary>icsk_backoff: exponential backoff of the RTO.</summary>
    public byte icsk_backoff { get; set; }

    /// <summary>icsk_retransmits: timeouts since the last ACK.</summary>
    public byte icsk_retransmits { get; set; }

    /// <summary>icsk_ext_hdr_len: IP options (none here) and PSP overhead.</summary>
    public int icsk_ext_hdr_len { get; set; }

    /// <summary>icsk_pmtu_cookie: the path MTU the MSS was last synced to.</summary>
    public uint icsk_pmtu_cookie { get; set; }

    /// <summary>icsk_mtup.enabled: MTU probing (RFC 4821) runs for this socket.</summary>
    public bool icsk_mtup_enabled { get; set; }

    /// <summary>icsk_mtup.search_high: the largest MTU still believed possible (a failed probe lowers it).</summary>
    public int icsk_mtup_search_high { get; set; }

    /// <summary>icsk_mtup.search_low: the largest MTU known to work (a successful probe raises it).</summary>
    public int icsk_mtup_search_low { get; set; }

    /// <summary>icsk_mtup.probe_size: the MTU of the probe in flight (0: none).</summary>
    public int icsk_mtup_probe_size { get; set; }

    /// <summary>icsk_mtup.probe_timestamp: when the search range was last reset (jiffies, 32 bits).</summary>
    public uint icsk_mtup_probe_timestamp { get; set; }

    /// <summary>icsk_timeout: when the retransmit timer fires, in jiffies.</summary>
    public ulong icsk_timeout { get; set; }

    /// <summary>icsk_ca_state: TCP_CA_Open, Disorder, CWR, Recovery or Loss.</summary>
    public byte icsk_ca_state { get; set; }

    /// <summary>icsk_ca_initialized: the algorithm's init ran (tcp_init_congestion_control).</summary>
    public bool icsk_ca_initialized { get; set; }

    /// <summary>
    /// icsk_ca_priv: the congestion control algorithm's per-socket state
    /// (struct bictcp for CUBIC, struct bbr for BBR), ICSK_CA_PRIV_SIZE bytes
    /// embedded as in the kernel; inet_csk_ca overlays the algorithm's struct.
    /// </summary>
    public u64_array13 icsk_ca_priv;

    /// <summary>icsk_probes_out: unanswered zero-window probes.</summary>
    public byte icsk_probes_out { get; set; }

    /// <summary>icsk_probes_tstamp: when the first unanswered zero-window probe went out (tcp_jiffies32; 0: none).</summary>
    public uint icsk_probes_tstamp { get; set; }

    /// <summary>icsk_user_timeout: TCP_USER_TIMEOUT, in ms (0: the retries sysctls decide).</summary>
    public uint icsk_user_timeout { get; set; }

    /// <summary>icsk_syn_retries: TCP_SYNCNT (0: net.ipv4.tcp_syn_retries / tcp_synack_retries).</summary>
    public byte icsk_syn_retries { get; set; }
}

/// <summary>u64[104 / sizeof(u64)]: icsk_ca_priv's words, embedded in inet_connection_sock as the kernel embeds the array.</summary>
[System.Runtime.CompilerServices.InlineArray(13)]
public struct u64_array13
{
    private ulong _element0;
}

public static class inet_connection_sock_h
{
    /// <summary>ICSK_CA_PRIV_SIZE: the bytes an algorithm's private state may take.</summary>
    public const int ICSK_CA_PRIV_SIZE = 104;

    public const int ICSK_TIME_RETRANS = 1;
    public const int ICSK_TIME_DACK = 2;
    public const int ICSK_TIME_PROBE0 = 3;
    public const int ICSK_TIME_LOSS_PROBE = 5;
    public const int ICSK_TIME_REO_TIMEOUT = 6;
    public const byte ICSK_ACK_SCHED = 1;
    public const byte ICSK_ACK_TIMER = 2;
    public const byte ICSK_ACK_PUSHED = 4;
    public const byte ICSK_ACK_PUSHED2 = 8;
    public const byte ICSK_ACK_NOW = 16;
    public const byte ICSK_ACK_NOMEM = 32;
    public const byte TCP_PINGPONG_THRESH = 1;

    // include/net/inet_connection_sock.h: inet_csk
    public static inet_connection_sock inet_csk(sock sk) => (inet_connection_sock)sk.proto_data!;

    // include/net/inet_connection_sock.h: inet_csk_rto_backoff
    /// <summary>The RTO with the backoff applied, at most <paramref name="max_when"/>.</summary>
    public static ulong inet_csk_rto_backoff(inet_connection_sock icsk, ulong max_when)
    {
        var when = (ulong)icsk.icsk_rto << icsk.icsk_backoff;
        return System.Math.Min(when, max_when);
    }

    // include/net/inet_connection_sock.h: inet_csk_ca
    /// <summary>
    /// The congestion control algorithm's private state of the socket: its
    /// struct laid over icsk_ca_priv, by reference (zeroed by
    /// tcp_assign_congestion_control and tcp_reinit_congestion_control). A
    /// struct larger than ICSK_CA_PRIV_SIZE throws, where each algorithm's
    /// BUILD_BUG_ON stops the kernel's build. Callers hold it as <c>ref var</c>.
    /// </summary>
    public static ref T inet_csk_ca<T>(sock sk)
        where T : unmanaged
    {
        var icsk = inet_csk(sk);
        System.Span<ulong> priv = icsk.icsk_ca_priv;
        return ref System.Runtime.InteropServices.MemoryMarshal.AsRef<T>(System.Runtime.InteropServices.MemoryMarshal.AsBytes(priv));
    }

    // include/net/inet_connection_sock.h: inet_csk_delack_init
    public static void inet_csk_delack_init(sock sk)
    {
        var icsk = inet_csk(sk);
        icsk.icsk_ack_pending = 0;
        icsk.icsk_ack_ato = 0;
        icsk.icsk_ack_pingpong = 0;
        icsk.icsk_ack_timeout = 0;
        icsk.icsk_ack_quick = 0;
        icsk.icsk_ack_rcv_mss = 0;
        icsk.icsk_ack_last_seg_size = 0;
        icsk.icsk_ack_lrcvtime = 0;
    }

    // include/net/inet_connection_sock.h: inet_csk_schedule_ack
    public static void inet_csk_schedule_ack(sock sk) => inet_csk(sk).icsk_ack_pending |= ICSK_ACK_SCHED;

    // include/net/inet_connection_sock.h: inet_csk_ack_scheduled
    public static bool inet_csk_ack_scheduled(sock sk) => (inet_csk(sk).icsk_ack_pending & ICSK_ACK_SCHED) != 0;

    // include/net/inet_connection_sock.h: inet_csk_enter_pingpong_mode
    public static void inet_csk_enter_pingpong_mode(sock sk) => inet_csk(sk).icsk_ack_pingpong = TCP_PINGPONG_THRESH; // net.ipv4.tcp_pingpong_thresh

    // include/net/inet_connection_sock.h: inet_csk_exit_pingpong_mode
    public static void inet_csk_exit_pingpong_mode(sock sk) => inet_csk(sk).icsk_ack_pingpong = 0;

    // include/net/inet_connection_sock.h: inet_csk_in_pingpong_mode
    public static bool inet_csk_in_pingpong_mode(sock sk) => inet_csk(sk).icsk_ack_pingpong >= TCP_PINGPONG_THRESH;

    /// <summary>icsk_retransmit_timer, made with the handler inet_csk_init_xmit_timers gave it when it is first armed.</summary>
    [KernelNet.Annotations.NotInLinux("the embedded timer_list of C, made when first armed (a connection that never arms it holds none)")]
    public static timer_list inet_csk_retransmit_timer(sock sk)
    {
        var icsk = inet_csk(sk);
        return icsk.icsk_retransmit_timer ??= new timer_list(icsk.icsk_retransmit_timer_function!) { owner = sk };
    }

    /// <summary>icsk_delack_timer, made with its handler when first armed.</summary>
    [KernelNet.Annotations.NotInLinux("the embedded timer_list of C, made when first armed (a connection that never delays an ACK holds none)")]
    public static timer_list inet_csk_delack_timer(sock sk)
    {
        var icsk = inet_csk(sk);
        return icsk.icsk_delack_timer ??= new timer_list(icsk.icsk_delack_timer_function!) { owner = sk };
    }

    /// <summary>sk_timer (TCP's keepalive timer), made with its handler when first armed.</summary>
    [KernelNet.Annotations.NotInLinux("the embedded timer_list of C, made when first armed (a socket without keepalive holds none)")]
    public static timer_list inet_csk_sk_timer(sock sk) => sk.sk_timer ??= new timer_list(sk.sk_timer_function!) { owner = sk };

    // include/net/inet_connection_sock.h: inet_csk_clear_xmit_timer
    /// <summary>Cancels the timer event <paramref name="what"/> (sk_stop_timer).</summary>
    public static void inet_csk_clear_xmit_timer(sock sk, int what)
    {
        // not ported: sk_stop_timer — timer_delete is called directly: socket references are not counted
        var icsk = inet_csk(sk);
        if (what is ICSK_TIME_RETRANS or ICSK_TIME_PROBE0)
        {
            icsk.icsk_pending = 0;
            if (icsk.icsk_retransmit_timer is { } t)
            {
                timer_c.timer_delete(t);
            }
        }
        else if (what == ICSK_TIME_DACK)
        {
            icsk.icsk_ack_pending = 0;
            if (icsk.icsk_delack_timer is { } d)
            {
                timer_c.timer_delete(d);
            }
        }
    }

    // include/net/inet_connection_sock.h: inet_csk_reset_xmit_timer
    /// <summary>(Re)arms the retransmit timer for event <paramref name="what"/> <paramref name="when"/> jiffies from now, capped at <paramref name="max_when"/> (sk_reset_timer).</summary>
    public static void inet_csk_reset_xmit_timer(sock sk, int what, ulong when, ulong max_when)
    {
        // not ported: sk_reset_timer — mod_timer is called directly: socket references are not counted
        var icsk = inet_csk(sk);
        if (when > max_when)
        {
            when = max_when;
        }

        if (what is ICSK_TIME_RETRANS or ICSK_TIME_PROBE0 or ICSK_TIME_LOSS_PROBE or ICSK_TIME_REO_TIMEOUT)
        {
            icsk.icsk_pending = (byte)what;
            icsk.icsk_timeout = sk.sk_net.k.jiffies + when;
            timer_c.mod_timer(sk.sk_net.k, inet_csk_retransmit_timer(sk), icsk.icsk_timeout);
        }
        else if (what == ICSK_TIME_DACK)
        {
            // icsk_ack_timeout stands for the delack timer's expiry (icsk_delack_timeout)
            icsk.icsk_ack_pending |= ICSK_ACK_TIMER;
            icsk.icsk_ack_timeout = sk.sk_net.k.jiffies + when;
            timer_c.mod_timer(sk.sk_net.k, inet_csk_delack_timer(sk), icsk.icsk_ack_timeout);
        }
    }

    // include/net/inet_connection_sock.h: inet_csk_reqsk_queue_len
    /// <summary>Request socks in the listener's SYN queue.</summary>
    public static int inet_csk_reqsk_queue_len(sock sk) => request_sock_h.reqsk_queue_len(inet_csk(sk).icsk_accept_queue!);

    // include/net/inet_connection_sock.h: inet_csk_reqsk_queue_is_full
    /// <summary>The SYN queue holds more than the listen backlog (sk_max_ack_backlog).</summary>
    public static bool inet_csk_reqsk_queue_is_full(sock sk) => inet_csk_reqsk_queue_len(sk) > sk.sk_max_ack_backlog;

    // include/net/inet_connection_sock.h: reqsk_timeout
    /// <summary>The request's timeout doubled for each firing so far, capped at <paramref name="max_timeout"/>.</summary>
    public static ulong reqsk_timeout(request_sock req, ulong max_timeout) =>
        System.Math.Min((ulong)req.timeout << req.num_timeout, max_timeout);

    // include/net/inet_connection_sock.h: inet_csk_listen_poll
    /// <summary>A listener is readable while a connection waits in its accept queue.</summary>
    public static uint inet_csk_listen_poll(sock sk) =>
        inet_csk(sk).icsk_accept_queue is { } queue && !request_sock_h.reqsk_queue_empty(queue) ? (Uapi.Linux.eventpoll_h.EPOLLIN | Uapi.Linux.eventpoll_h.EPOLLRDNORM) : 0;
}
