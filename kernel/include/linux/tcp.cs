// Ports include/linux/tcp.h: struct tcp_sock (the fields the three-way
// handshake uses) and struct tcp_options_received.
//
// The send side's state: Nagle (nonagle), the congestion window's
// bookkeeping (snd_cwnd_cnt/clamp/used/stamp, is_cwnd_limited), the RTT
// estimator (mdev/rttvar/rtt_seq, a min-RTT sample), byte counters. The
// receive side of an established connection: header prediction's pred_flags,
// the out-of-order queue, the SACK and D-SACK blocks we report, receive
// autotuning (rcvq_space, rcv_rtt_est), TCP_INQ.
//
// The sender's SACK scoreboard (recv_sack_cache, highest_sack), PRR, RACK
// and TLP state, the rate sampler's, fast open's. not ported: urgent data, MD5/AO keys, repair mode.
using System;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct tcp_options_received: what the peer's options said, and what we offered. Plain data, a struct as in C: embedded by value in tcp_sock (rx_opt) and on the stack of tcp_conn_request, tcp_rcv_fastopen_synack, cookie_tcp_check and tcp_timewait_state_process; functions that fill it take it by ref, as C takes a pointer (by in where C takes a const pointer).</summary>
public struct tcp_options_received
{
    /// <summary>ts_recent_stamp: when ts_recent was stored (0: never).</summary>
    public long ts_recent_stamp;

    /// <summary>ts_recent: the peer's timestamp we echo.</summary>
    public uint ts_recent;

    public bool tstamp_ok;

    /// <summary>saw_tstamp: the last segment carried a timestamp option; rcv_tsval/rcv_tsecr are its values.</summary>
    public bool saw_tstamp;

    public uint rcv_tsval;

    public uint rcv_tsecr;

    public bool wscale_ok;

    public byte sack_ok;

    /// <summary>snd_wscale: the peer's window scale.</summary>
    public byte snd_wscale;

    /// <summary>rcv_wscale: the scale we offered.</summary>
    public byte rcv_wscale;

    /// <summary>user_mss: TCP_MAXSEG.</summary>
    public ushort user_mss;

    /// <summary>mss_clamp: the most the peer may send us.</summary>
    public ushort mss_clamp;

    /// <summary>dsack: a D-SACK block (duplicate_sack[0]) is owed on the next ACK.</summary>
    public byte dsack;

    /// <summary>num_sacks: how many of selective_acks are live.</summary>
    public byte num_sacks;
}

/// <summary>struct tcp_sack_block: one received range [start_seq, end_seq) reported back in a SACK option.</summary>
public struct tcp_sack_block
{
    public uint start_seq;

    public uint end_seq;
}

/// <summary>struct tcp_sack_block[4], embedded in tcp_sock as the kernel embeds its arrays (recv_sack_cache, selective_acks: TCP_NUM_SACKS).</summary>
[System.Runtime.CompilerServices.InlineArray(4)]
public struct tcp_sack_block_array4
{
    private tcp_sack_block _element0;
}

/// <summary>tcp_sock's rcvq_space: bytes the reader took per RTT, the measure receive autotuning grows sk_rcvbuf from.</summary>
public struct tcp_rcvq_space
{
    public uint space;

    public uint seq;

    /// <summary>time: tcp_mstamp (us) the measure started.</summary>
    public ulong time;
}

/// <summary>tcp_sock's rcv_rtt_est: the receiver's RTT estimate (us, scaled by 8), for autotuning.</summary>
public struct tcp_rcv_rtt_est
{
    public uint rtt_us;

    public uint seq;

    public ulong time;
}

/// <summary>tcp_sock's rack: the most recently sent skb delivered, and the reordering window in min_rtt/4 steps. A struct embedded in tcp_sock, as in the kernel.</summary>
public struct tcp_rack
{
    public tcp_rack()
    {
    }

    /// <summary>mstamp: the (re)send time of the newest delivered skb, in µs.</summary>
    public ulong mstamp;

    /// <summary>rtt_us: RTT of that skb's delivery.</summary>
    public uint rtt_us;

    /// <summary>end_seq: that skb's end_seq (ties of mstamp are broken by it).</summary>
    public uint end_seq;

    /// <summary>last_delivered: tp->delivered when reo_wnd was last raised.</summary>
    public uint last_delivered;

    public byte reo_wnd_steps = 1;

    public byte reo_wnd_persist;

    public bool dsack_seen;

    /// <summary>advanced: mstamp moved since loss detection last ran.</summary>
    public bool advanced;
}

/// <summary>tsorted_sent_queue (a list_head through each skb's tcp_tsorted_anchor): the first and last skb in send order. Embedded in tcp_sock, as the list_head is.</summary>
public struct tcp_tsorted_list
{
    public sk_buff? first;

    public sk_buff? last;
}

/// <summary>struct tcp_sock: embeds inet_connection_sock.</summary>
public sealed class tcp_sock : inet_connection_sock
{
    public tcp_sock(sock sk)
        : base(sk)
    {
    }

    public uint tcp_header_len { get; set; }

    /// <summary>mtu_probe.probe_seq_start: the first sequence number of the MTU probe in flight.</summary>
    public uint mtu_probe_probe_seq_start { get; set; }

    /// <summary>mtu_probe.probe_seq_end: the end of the MTU probe in flight; its ACK is the probe's success.</summary>
    public uint mtu_probe_probe_seq_end { get; set; }

    /// <summary>ecn_flags: the negotiated ECN variant and the CWR/ECE state (TCP_ECN_*).</summary>
    public byte ecn_flags { get; set; }

    public uint write_seq { get; set; }

    public uint pushed_seq { get; set; }

    public uint snd_una { get; set; }

    public uint snd_sml { get; set; }

    public uint snd_up { get; set; }

    public uint snd_nxt { get; set; }

    public uint snd_wl1 { get; set; }

    public uint snd_wnd { get; set; }

    public uint max_window { get; set; }

    public uint rcv_nxt { get; set; }

    public uint rcv_wup { get; set; }

    public uint copied_seq { get; set; }

    public uint rcv_wnd { get; set; }

    public uint rcv_ssthresh { get; set; }

    public uint window_clamp { get; set; }

    /// <summary>scaling_ratio: receive window per byte of buffer, in 1/256 (TCP_DEFAULT_SCALING_RATIO until data arrives).</summary>
    public byte scaling_ratio { get; set; }

    public ushort advmss { get; set; }

    public uint mss_cache { get; set; }

    public uint snd_cwnd { get; set; }

    public uint snd_ssthresh { get; set; }

    public uint tsoffset { get; set; }

    public uint retrans_stamp { get; set; }

    /// <summary>tcp_mstamp: the time of the current send or receive, in µs (tcp_mstamp_refresh).</summary>
    public ulong tcp_mstamp { get; set; }

    public uint rcv_tstamp { get; set; }

    public bool tcp_usec_ts { get; set; }

    /// <summary>total_retrans, retrans_out, lost_out, sacked_out: what tcp_clear_retrans zeroes.</summary>
    public uint total_retrans { get; set; }

    /// <summary>timeout_rehash: RTOs after which the flow drew a new transmit hash (sk_rethink_txhash).</summary>
    public uint timeout_rehash { get; set; }

    /// <summary>notsent_lowat: TCP_NOTSENT_LOWAT (0: net.ipv4.tcp_notsent_lowat applies).</summary>
    public uint notsent_lowat { get; set; }

    public uint retrans_out { get; set; }

    public uint lost_out { get; set; }

    public uint sacked_out { get; set; }

    public uint packets_out { get; set; }

    /// <summary>delivered: segments delivered to the peer, SYN and SYN-ACK included (tcp_newly_delivered counts the growth).</summary>
    public uint delivered { get; set; }

    /// <summary>lsndtime: when we last sent data (jiffies, 32 bits).</summary>
    public uint lsndtime { get; set; }

    /// <summary>srtt_us: smoothed RTT, µs &lt;&lt; 3 (0: no sample).</summary>
    public uint srtt_us { get; set; }

    public uint segs_in { get; set; }

    public uint segs_out { get; set; }

    public uint data_segs_out { get; set; }

    public tcp_options_received rx_opt;

    /// <summary>nonagle: TCP_NAGLE_OFF/CORK/PUSH (include/net/tcp.h).</summary>
    public int nonagle { get; set; }

    /// <summary>snd_cwnd_cnt: the linear increase counter of congestion avoidance.</summary>
    public uint snd_cwnd_cnt { get; set; }

    /// <summary>snd_cwnd_clamp: cwnd never grows beyond this (~0: no clamp).</summary>
    public uint snd_cwnd_clamp { get; set; } = uint.MaxValue;

    /// <summary>snd_cwnd_used, snd_cwnd_stamp: how much of cwnd was used, and when cwnd last changed or was validated (jiffies).</summary>
    public uint snd_cwnd_used { get; set; }

    public uint snd_cwnd_stamp { get; set; }

    /// <summary>chrono_type: the chronograph running now (TCP_CHRONO_*, include/net/tcp.h); chrono_start: since when (jiffies).</summary>
    public byte chrono_type { get; set; }

    public uint chrono_start { get; set; }

    /// <summary>chrono_stat[3]: jiffies spent busy, receive-window limited and send-buffer limited (index TCP_CHRONO_* - 1).</summary>
    public tcp_chrono_stats chrono_stat;

    /// <summary>prior_cwnd, prior_ssthresh, undo_marker, high_seq: what a loss episode started from.</summary>
    public uint prior_cwnd { get; set; }

    public uint prior_ssthresh { get; set; }

    public uint undo_marker { get; set; }

    public uint high_seq { get; set; }

    /// <summary>is_cwnd_limited, max_packets_out, cwnd_usage_seq: whether the last window was held by cwnd (tcp_cwnd_validate).</summary>
    public bool is_cwnd_limited { get; set; }

    public uint max_packets_out { get; set; }

    public uint cwnd_usage_seq { get; set; }

    /// <summary>mdev_us, mdev_max_us, rttvar_us, rtt_seq: Jacobson's RTT variance state (µs, scaled as 6.18 keeps it).</summary>
    public uint mdev_us { get; set; }

    public uint mdev_max_us { get; set; }

    public uint rttvar_us { get; set; }

    public uint rtt_seq { get; set; }

    /// <summary>rtt_min: the windowed minimum RTT (µs) and when it was taken (jiffies) — a one-sample minmax.</summary>
    public uint rtt_min { get; set; } = uint.MaxValue;

    public uint rtt_min_stamp { get; set; }

    /// <summary>bytes_sent, bytes_acked, bytes_retrans (RFC 4898 tcpEStatsPerf*).</summary>
    public ulong bytes_sent { get; set; }

    public ulong bytes_acked { get; set; }

    public ulong bytes_retrans { get; set; }

    /// <summary>gso_segs: segments per skb the size goal was last computed for.</summary>
    public ushort gso_segs { get; set; }

    /// <summary>reordering: how far out of order a segment may arrive before it counts as lost.</summary>
    public uint reordering { get; set; }

    /// <summary>lost: segments ever marked lost (tcp_mark_skb_lost).</summary>
    public uint lost { get; set; }

    /// <summary>tcp_wstamp_ns: the departure time of the next segment (no pacing: now).</summary>
    public ulong tcp_wstamp_ns { get; set; }

    /// <summary>tcp_clock_cache: now, in ns, as tcp_mstamp_refresh last read it.</summary>
    public ulong tcp_clock_cache { get; set; }

    /// <summary>
    /// pacing_timer: fires at tcp_wstamp_ns when internal pacing held a segment
    /// back (tcp_pace_kick). The kernel embeds the hrtimer; here it is made and
    /// set up the first time pacing holds a segment back (tcp_pacing_check), so
    /// a socket that never paces (every idle one) holds none. Null reads as not queued.
    /// </summary>
    public hrtimer? pacing_timer { get; set; }

    /// <summary>tsq_node: this socket's place on its CPU's tsq_work list (TSQ_QUEUED while on it).</summary>
    public System.Collections.Generic.LinkedListNode<tcp_sock>? tsq_node { get; set; }

    /// <summary>last_oow_ack_time: when an out-of-window ACK was last sent (jiffies; 0: never).</summary>
    public uint last_oow_ack_time { get; set; }

    /// <summary>total_rto, total_rto_recoveries, rto_stamp: RTOs in all, recoveries they started, when the current one started (ms).</summary>
    public uint total_rto { get; set; }

    public uint total_rto_recoveries { get; set; }

    public uint rto_stamp { get; set; }

    /// <summary>undo_retrans: retransmissions that an undo would have to account for (signed as in 6.18: -1 when none were in flight, 0 means "undo now").</summary>
    public int undo_retrans { get; set; }

    /// <summary>total_rto_time: ms spent in RTO recoveries (tcp_update_rto_time).</summary>
    public uint total_rto_time { get; set; }

    /// <summary>recv_sack_cache: the SACK blocks of the previous ACK, so tcp_sacktag_write_queue skips what it already tagged.</summary>
    public System.Span<tcp_sack_block> recv_sack_cache => _recv_sack_cache;

    private tcp_sack_block_array4 _recv_sack_cache;

    /// <summary>highest_sack: the skb just past the highest SACKed one (null: snd_nxt).</summary>
    public sk_buff? highest_sack { get; set; }

    /// <summary>reord_seen: how often reordering was detected.</summary>
    public uint reord_seen { get; set; }

    /// <summary>dsack_dups: segments the peer reported as received twice (D-SACK).</summary>
    public uint dsack_dups { get; set; }

    /// <summary>prr_delivered, prr_out: PRR's (RFC 6937) counts since the cwnd reduction began.</summary>
    public uint prr_delivered { get; set; }

    public uint prr_out { get; set; }

    /// <summary>is_sack_reneg: the peer dropped data it had SACKed; cleared when the loss episode ends.</summary>
    public bool is_sack_reneg { get; set; }

    /// <summary>tlp_high_seq: snd_nxt when a tail loss probe went out (0: no probe in flight).</summary>
    public uint tlp_high_seq { get; set; }

    /// <summary>tlp_retrans: the probe was a retransmission, not new data.</summary>
    public bool tlp_retrans { get; set; }

    /// <summary>first_tx_mstamp, delivered_mstamp: the rate sampler's send-phase start and when delivered last grew (µs).</summary>
    public ulong first_tx_mstamp { get; set; }

    public ulong delivered_mstamp { get; set; }

    /// <summary>app_limited: the delivered count until which samples are application-limited (0: not limited).</summary>
    public uint app_limited { get; set; }

    /// <summary>rate_delivered, rate_interval_us, rate_app_limited: the sample tcpi_delivery_rate reports.</summary>
    public uint rate_delivered { get; set; }

    public uint rate_interval_us { get; set; }

    public bool rate_app_limited { get; set; }

    /// <summary>rack: RACK's (RFC 8985) state.</summary>
    public ref tcp_rack rack => ref _rack;

    private tcp_rack _rack = new();

    /// <summary>tsorted_sent_queue: the skbs of the retransmit queue in send-time order (RACK walks it).</summary>
    public ref tcp_tsorted_list tsorted_sent_queue => ref _tsorted_sent_queue;

    private tcp_tsorted_list _tsorted_sent_queue;

    /// <summary>frto: F-RTO (RFC 5682) is under way.</summary>
    public bool frto { get; set; }

    /// <summary>
    /// tcp_rtx_queue: sent, unacknowledged skbs. In 6.18 an rb_root in struct
    /// sock (in a union with sk_send_head), keyed by sequence: one pointer, null
    /// while empty. Here a list in sequence order (skbs are only ever appended,
    /// in order), made when the first skb is queued, so a socket that never sent
    /// (an idle accepted child) holds none; readers that must not make it go
    /// through tcp_rtx_queue_head and tcp_rtx_queue_empty.
    /// </summary>
    public sk_buff_head tcp_rtx_queue => _tcp_rtx_queue ??= new();

    private sk_buff_head? _tcp_rtx_queue;

    /// <summary>tcp_rtx_queue if it was ever made: null reads as the empty rb_root.</summary>
    public sk_buff_head? tcp_rtx_queue_made => _tcp_rtx_queue;

    // The receive side of an established connection (tcp_input.c, tcp.c's tcp_recvmsg).

    /// <summary>pred_flags: header prediction's expected doff/flags/window word (host order); 0 turns the fast path off.</summary>
    public uint pred_flags { get; set; }

    /// <summary>urg_data: TCP_URG_NOTYET while the urgent byte is awaited, TCP_URG_VALID | the byte once it is in, 0 without urgent data.</summary>
    public ushort urg_data { get; set; }

    /// <summary>urg_seq: the sequence number of the urgent byte.</summary>
    public uint urg_seq { get; set; }

    /// <summary>
    /// out_of_order_queue: segments beyond a hole. An rbtree keyed by sequence
    /// in the kernel; a list kept in sequence order here (allocated on first use).
    /// </summary>
    public System.Collections.Generic.List<sk_buff>? out_of_order_queue { get; set; }

    /// <summary>ooo_last_skb: the highest segment of the out-of-order queue.</summary>
    public sk_buff? ooo_last_skb { get; set; }

    /// <summary>selective_acks: the SACK blocks we report, most recent first (TCP_NUM_SACKS).</summary>
    public System.Span<tcp_sack_block> selective_acks => _selective_acks;

    /// <summary>duplicate_sack: the D-SACK block (an array of one in the kernel).</summary>
    public System.Span<tcp_sack_block> duplicate_sack => new(ref _duplicate_sack);

    private tcp_sack_block_array4 _selective_acks;

    private tcp_sack_block _duplicate_sack;

    /// <summary>rcv_ooopack: segments that arrived out of order.</summary>
    public uint rcv_ooopack { get; set; }

    /// <summary>rcvq_space: receive buffer autotuning's per-RTT measure.</summary>
    public tcp_rcvq_space rcvq_space;

    /// <summary>rcv_rtt_est: the receiver-side RTT estimate.</summary>
    public tcp_rcv_rtt_est rcv_rtt_est;

    /// <summary>rcv_rtt_last_tsecr: the last echoed timestamp an RTT sample was taken from.</summary>
    public uint rcv_rtt_last_tsecr { get; set; }

    /// <summary>recvmsg_inq: TCP_INQ is on — recvmsg reports the bytes left to read (TCP_CM_INQ).</summary>
    public bool recvmsg_inq { get; set; }

    /// <summary>keepalive_time: TCP_KEEPIDLE in jiffies (0: net.ipv4.tcp_keepalive_time).</summary>
    public uint keepalive_time { get; set; }

    /// <summary>keepalive_intvl: TCP_KEEPINTVL in jiffies (0: net.ipv4.tcp_keepalive_intvl).</summary>
    public uint keepalive_intvl { get; set; }

    /// <summary>keepalive_probes: TCP_KEEPCNT (0: net.ipv4.tcp_keepalive_probes).</summary>
    public byte keepalive_probes { get; set; }

    /// <summary>linger2: TCP_LINGER2 in jiffies (0: net.ipv4.tcp_fin_timeout; negative: an orphan in FIN_WAIT2 is reset at once).</summary>
    public int linger2 { get; set; }

    /// <summary>bytes_received: sequence space received in order (RFC 4898 tcpEStatsAppHCThruOctetsReceived).</summary>
    public ulong bytes_received { get; set; }

    /// <summary>data_segs_in: segments received that carried data.</summary>
    public uint data_segs_in { get; set; }

    /// <summary>fastopen_req: an active Fast Open in progress (the cookie and the data for the SYN).</summary>
    public tcp_fastopen_request? fastopen_req { get; set; }

    /// <summary>mtu_info: the next-hop MTU of the last ICMP frag-needed (tcp_v4_err), for tcp_v4_mtu_reduced.</summary>
    public uint mtu_info { get; set; }

    /// <summary>fastopen_rsk: a passive Fast Open child's request sock, until the handshake completes (or is aborted).</summary>
    public request_sock? fastopen_rsk { get; set; }

    /// <summary>syn_data: the SYN we sent carried data.</summary>
    public bool syn_data { get; set; }

    /// <summary>syn_fastopen: the SYN we sent carried a Fast Open option.</summary>
    public bool syn_fastopen { get; set; }

    /// <summary>syn_fastopen_exp: that option was the experimental one (kind 254).</summary>
    public bool syn_fastopen_exp { get; set; }

    /// <summary>syn_fastopen_ch: an active Fast Open after a blackhole pause, to be checked (tcp_fastopen_active_disable_ofo_check).</summary>
    public bool syn_fastopen_ch { get; set; }

    /// <summary>syn_data_acked: the data of the SYN was acknowledged (TCPI_OPT_SYN_DATA).</summary>
    public bool syn_data_acked { get; set; }

    /// <summary>syn_fastopen_child: made by passive Fast Open (TCPI_OPT_TFO_CHILD).</summary>
    public bool syn_fastopen_child { get; set; }

    /// <summary>fastopen_connect: TCP_FASTOPEN_CONNECT.</summary>
    public bool fastopen_connect { get; set; }

    /// <summary>fastopen_no_cookie: TCP_FASTOPEN_NO_COOKIE.</summary>
    public bool fastopen_no_cookie { get; set; }

    /// <summary>fastopen_client_fail: why the last active Fast Open failed (TFO_*), for tcpi_fastopen_client_fail.</summary>
    public byte fastopen_client_fail { get; set; }
}

/// <summary>
/// struct tcp_fastopen_cookie: a cookie as carried by the option (len -1:
/// none; 0: a request). A value, as in C: on its user's stack or inside its
/// owner (tcp_fastopen_request, tcp_fastopen_metrics), passed by ref where C
/// passes a pointer and copied by assignment where C assigns the struct.
/// </summary>
public struct tcp_fastopen_cookie
{
    /// <summary>val: the cookie's bytes (up to TCP_FASTOPEN_COOKIE_MAX).</summary>
    public tcp_fastopen_cookie_val val;

    public sbyte len;

    /// <summary>exp: it came in (or goes out as) the experimental option 254 with magic 0xF989.</summary>
    public bool exp;
}

/// <summary>The cookie's u8 val[TCP_FASTOPEN_COOKIE_MAX], inline in the struct as in C.</summary>
[System.Runtime.CompilerServices.InlineArray(tcp_h.TCP_FASTOPEN_COOKIE_MAX)]
public struct tcp_fastopen_cookie_val
{
    private byte _element0;
}

/// <summary>struct tcp_fastopen_request: an active open's Fast Open state until its SYN is sent.</summary>
public sealed class tcp_fastopen_request
{
    /// <summary>cookie: the cookie for the SYN (len 0: ask for one), embedded by value.</summary>
    public tcp_fastopen_cookie cookie;

    /// <summary>data: the sendmsg whose bytes go in the SYN (null: TCP_FASTOPEN_CONNECT before the write).</summary>
    public msghdr? data { get; set; }

    public int size { get; set; }

    /// <summary>copied: bytes that went into the SYN.</summary>
    public int copied { get; set; }

    /// <summary>uarg: the send's MSG_ZEROCOPY buffer, which the SYN's data skb joins (its bytes are copied).</summary>
    public ubuf_info? uarg { get; set; }
}

public static class tcp_h
{
    /// <summary>TSQ_THROTTLED (enum tsq_enum): TSQ or autocorking stopped sending; TX completion (tcp_wfree) schedules more.</summary>
    public const int TSQ_THROTTLED = 0;

    /// <summary>TSQ_QUEUED (enum tsq_enum): the socket waits on its CPU's tsq_work list.</summary>
    public const int TSQ_QUEUED = 1;

    /// <summary>TCP_TSQ_DEFERRED (enum tsq_enum): the TSQ handler found the socket owned; tcp_release_cb writes.</summary>
    public const int TCP_TSQ_DEFERRED = 2;

    /// <summary>TCP_MTU_REDUCED_DEFERRED (enum tsq_enum): tcp_v4_err found the socket owned; tcp_release_cb runs tcp_v4_mtu_reduced.</summary>
    public const int TCP_MTU_REDUCED_DEFERRED = 5;

    /// <summary>TSQF_THROTTLED (enum tsq_flags).</summary>
    public const ulong TSQF_THROTTLED = 1UL << TSQ_THROTTLED;

    /// <summary>TSQF_QUEUED (enum tsq_flags).</summary>
    public const ulong TSQF_QUEUED = 1UL << TSQ_QUEUED;

    /// <summary>TCPF_TSQ_DEFERRED (enum tsq_flags).</summary>
    public const ulong TCPF_TSQ_DEFERRED = 1UL << TCP_TSQ_DEFERRED;

    /// <summary>TCPF_MTU_REDUCED_DEFERRED (enum tsq_flags).</summary>
    public const ulong TCPF_MTU_REDUCED_DEFERRED = 1UL << TCP_MTU_REDUCED_DEFERRED;

    /// <summary>TCP_SACK_SEEN: rx_opt.sack_ok's bit for a peer that offered SACK.</summary>
    public const byte TCP_SACK_SEEN = 1 << 0;

    // include/linux/tcp.h: tcp_sk
    public static tcp_sock tcp_sk(sock sk) => (tcp_sock)sk.proto_data!;

    // include/linux/tcp.h: tcp_mss_clamp
    /// <summary>The MSS no larger than what the user asked for (TCP_MAXSEG).</summary>
    public static ushort tcp_mss_clamp(tcp_sock tp, ushort mss)
    {
        var user_mss = tp.rx_opt.user_mss;
        return user_mss != 0 && user_mss < mss ? user_mss : mss;
    }

    // not ported: skb_transport_header — the header is read at skb.transport_header directly
    // include/linux/tcp.h: tcp_hdr
    [KernelNet.Annotations.Borrows("skb")]
    public static Uapi.Linux.tcphdr tcp_hdr(sk_buff skb) => new(skb.head.AsSpan(skb.transport_header, Uapi.Linux.tcphdr.Size));

    // include/linux/tcp.h: __tcp_hdrlen
    public static int __tcp_hdrlen(Uapi.Linux.tcphdr th) => th.doff * 4;

    // include/linux/tcp.h: tcp_hdrlen
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_hdrlen(sk_buff skb) => __tcp_hdrlen(tcp_hdr(skb));

    // include/linux/tcp.h: tcp_clear_options
    /// <summary>Forgets the options a segment offered: timestamps, SACK, window scale (SMC: not ported).</summary>
    public static void tcp_clear_options(ref tcp_options_received rx_opt)
    {
        rx_opt.tstamp_ok = false;
        rx_opt.sack_ok = 0;
        rx_opt.wscale_ok = false;
        rx_opt.snd_wscale = 0;
    }

    // include/linux/tcp.h: tcp_passive_fastopen
    /// <summary>A passive Fast Open child still in SYN_RECV (its request not yet done with).</summary>
    public static bool tcp_passive_fastopen(sock sk) => sk.sk_state == tcp_states_h.TCP_SYN_RECV && tcp_sk(sk).fastopen_rsk is not null;

    // include/linux/tcp.h: fastopen_queue_tune
    /// <summary>A listener's Fast Open queue length: the backlog asked, capped at net.core.somaxconn.</summary>
    public static void fastopen_queue_tune(sock sk, int backlog)
    {
        var queue = inet_connection_sock_h.inet_csk(sk).icsk_accept_queue ??= new();
        var somaxconn = (uint)sk.sk_net.core_sysctl["somaxconn"];
        queue.fastopenq.max_qlen = (int)System.Math.Min((uint)backlog, somaxconn);
    }

    /// <summary>TCP_FASTOPEN_COOKIE_MIN/MAX/SIZE: the cookie's bounds, and the length we generate (a u64).</summary>
    public const int TCP_FASTOPEN_COOKIE_MIN = 4;

    public const int TCP_FASTOPEN_COOKIE_MAX = 16;

    public const int TCP_FASTOPEN_COOKIE_SIZE = 8;
}

/// <summary>u32 chrono_stat[3] of struct tcp_sock, held inline in the socket.</summary>
[System.Runtime.CompilerServices.InlineArray(3)]
public struct tcp_chrono_stats
{
    private uint _element0;
}
