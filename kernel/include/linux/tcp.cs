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
// not ported: the sender's SACK scoreboard, RACK, TLP, the rate sampler,
// urgent data, fast open, MD5/AO keys, repair mode.
using System;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct tcp_options_received: what the peer's options said, and what we offered.</summary>
public sealed class tcp_options_received
{
    /// <summary>ts_recent_stamp: when ts_recent was stored (0: never).</summary>
    public long ts_recent_stamp { get; set; }

    /// <summary>ts_recent: the peer's timestamp we echo.</summary>
    public uint ts_recent { get; set; }

    public bool tstamp_ok { get; set; }

    /// <summary>saw_tstamp: the last segment carried a timestamp option; rcv_tsval/rcv_tsecr are its values.</summary>
    public bool saw_tstamp { get; set; }

    public uint rcv_tsval { get; set; }

    public uint rcv_tsecr { get; set; }

    public bool wscale_ok { get; set; }

    public byte sack_ok { get; set; }

    /// <summary>snd_wscale: the peer's window scale.</summary>
    public byte snd_wscale { get; set; }

    /// <summary>rcv_wscale: the scale we offered.</summary>
    public byte rcv_wscale { get; set; }

    /// <summary>user_mss: TCP_MAXSEG.</summary>
    public ushort user_mss { get; set; }

    /// <summary>mss_clamp: the most the peer may send us.</summary>
    public ushort mss_clamp { get; set; }

    /// <summary>dsack: a D-SACK block (duplicate_sack[0]) is owed on the next ACK.</summary>
    public byte dsack { get; set; }

    /// <summary>num_sacks: how many of selective_acks are live.</summary>
    public byte num_sacks { get; set; }
}

/// <summary>struct tcp_sack_block: one received range [start_seq, end_seq) reported back in a SACK option.</summary>
public struct tcp_sack_block
{
    public uint start_seq;

    public uint end_seq;
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

/// <summary>struct tcp_sock: embeds inet_connection_sock.</summary>
public sealed class tcp_sock : inet_connection_sock
{
    public tcp_sock(sock sk)
        : base(sk)
    {
    }

    public uint tcp_header_len { get; set; }

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

    public tcp_options_received rx_opt { get; } = new();

    /// <summary>nonagle: TCP_NAGLE_OFF/CORK/PUSH (include/net/tcp.h).</summary>
    public int nonagle { get; set; }

    /// <summary>snd_cwnd_cnt: the linear increase counter of congestion avoidance.</summary>
    public uint snd_cwnd_cnt { get; set; }

    /// <summary>snd_cwnd_clamp: cwnd never grows beyond this (~0: no clamp).</summary>
    public uint snd_cwnd_clamp { get; set; } = uint.MaxValue;

    /// <summary>snd_cwnd_used, snd_cwnd_stamp: how much of cwnd was used, and when cwnd last changed or was validated (jiffies).</summary>
    public uint snd_cwnd_used { get; set; }

    public uint snd_cwnd_stamp { get; set; }

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

    /// <summary>last_oow_ack_time: when an out-of-window ACK was last sent (jiffies; 0: never).</summary>
    public uint last_oow_ack_time { get; set; }

    /// <summary>total_rto, total_rto_recoveries, rto_stamp: RTOs in all, recoveries they started, when the current one started (ms).</summary>
    public uint total_rto { get; set; }

    public uint total_rto_recoveries { get; set; }

    public uint rto_stamp { get; set; }

    /// <summary>undo_retrans: retransmissions that an undo would have to account for.</summary>
    public uint undo_retrans { get; set; }

    /// <summary>frto: F-RTO (RFC 5682) is under way (never set: F-RTO is not ported).</summary>
    public bool frto { get; set; }

    /// <summary>
    /// tcp_rtx_queue: sent, unacknowledged skbs. An rbtree keyed by sequence in
    /// the kernel; a list in sequence order here (skbs are only ever appended, in order).
    /// </summary>
    public sk_buff_head tcp_rtx_queue { get; } = new();

    // The receive side of an established connection (tcp_input.c, tcp.c's tcp_recvmsg).

    /// <summary>pred_flags: header prediction's expected doff/flags/window word (host order); 0 turns the fast path off.</summary>
    public uint pred_flags { get; set; }

    /// <summary>
    /// out_of_order_queue: segments beyond a hole. An rbtree keyed by sequence
    /// in the kernel; a list kept in sequence order here (allocated on first use).
    /// </summary>
    public System.Collections.Generic.List<sk_buff>? out_of_order_queue { get; set; }

    /// <summary>ooo_last_skb: the highest segment of the out-of-order queue.</summary>
    public sk_buff? ooo_last_skb { get; set; }

    /// <summary>selective_acks: the SACK blocks we report, most recent first (TCP_NUM_SACKS).</summary>
    public tcp_sack_block[] selective_acks { get; } = new tcp_sack_block[4];

    /// <summary>duplicate_sack: the D-SACK block.</summary>
    public tcp_sack_block[] duplicate_sack { get; } = new tcp_sack_block[1];

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

    /// <summary>bytes_received: sequence space received in order (RFC 4898 tcpEStatsAppHCThruOctetsReceived).</summary>
    public ulong bytes_received { get; set; }

    /// <summary>data_segs_in: segments received that carried data.</summary>
    public uint data_segs_in { get; set; }
}

public static class tcp_h
{
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

    // include/linux/tcp.h: tcp_hdr
    public static Uapi.Linux.tcphdr tcp_hdr(sk_buff skb) => new(skb.head.AsSpan(skb.transport_header, Uapi.Linux.tcphdr.Size));

    // include/linux/tcp.h: __tcp_hdrlen
    public static int __tcp_hdrlen(Uapi.Linux.tcphdr th) => th.doff * 4;

    // include/linux/tcp.h: tcp_hdrlen
    public static int tcp_hdrlen(sk_buff skb) => __tcp_hdrlen(tcp_hdr(skb));

    // include/linux/tcp.h: tcp_clear_options
    /// <summary>Forgets the options a segment offered: timestamps, SACK, window scale (SMC: not ported).</summary>
    public static void tcp_clear_options(tcp_options_received rx_opt)
    {
        rx_opt.tstamp_ok = false;
        rx_opt.sack_ok = 0;
        rx_opt.wscale_ok = false;
        rx_opt.snd_wscale = 0;
    }
}
