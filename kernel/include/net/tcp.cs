// Ports include/net/tcp.h: TCP's constants, the per-skb control block
// (TCP_SKB_CB), struct tcp_congestion_ops, the MIB helpers, and the inline
// helpers the active open and its reset use.
//
// The receive side's inline helpers: PAWS (tcp_paws_check), header
// prediction (tcp_fast_path_on/check), tcp_space and tcp_space_from_win,
// tcp_epollin_ready, tcp_inq, tcp_dec_quickack_mode, the SACK option sizes.
//
// not ported: the send-side helpers of an established connection
// (tcp_skb_pcount, RTT arithmetic), memory pressure (tcp_under_memory_pressure),
// fast open, MD5/AO, ECN.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct tcp_skb_cb: a segment's sequence range and flags; its IPv4 part overlays IPCB (header.h4).</summary>
public sealed class tcp_skb_cb : inet_skb_parm
{
    public tcp_skb_cb()
    {
    }

    /// <summary>tcp_v4_fill_cb: the IPv4 control block moves into header.h4.</summary>
    public tcp_skb_cb(inet_skb_parm h4)
        : base(h4)
    {
    }

    /// <summary>seq: the first sequence number of the segment.</summary>
    public uint seq { get; set; }

    /// <summary>end_seq: seq + FIN + SYN + data length.</summary>
    public uint end_seq { get; set; }

    /// <summary>tcp_flags: TCPHDR_* (the header's flag byte).</summary>
    public byte tcp_flags { get; set; }

    /// <summary>sacked: the SACK/retransmission state bits.</summary>
    public byte sacked { get; set; }

    /// <summary>ack_seq (receive side): the acknowledgment number.</summary>
    public uint ack_seq { get; set; }

    /// <summary>tcp_tw_isn: the ISN a TIME_WAIT socket chose for a new connection.</summary>
    public uint tcp_tw_isn { get; set; }

    /// <summary>ip_dsfield (receive side).</summary>
    public byte ip_dsfield { get; set; }

    /// <summary>has_rxtstamp.</summary>
    public bool has_rxtstamp { get; set; }
}

/// <summary>struct tcp_congestion_ops: a congestion control algorithm (only its identity so far).</summary>
public sealed class tcp_congestion_ops
{
    /// <summary>name[TCP_CA_NAME_MAX].</summary>
    public required string name { get; init; }

    /// <summary>key: jhash of the name (tcp_ca_get_key_by_name).</summary>
    public uint key { get; set; }

    /// <summary>flags: TCP_CONG_NON_RESTRICTED etc.</summary>
    public uint flags { get; init; }
}

public static class tcp_h
{
    /// <summary>TCP_RTO_MIN: 200 ms.</summary>
    public const int TCP_RTO_MIN_MS = 200;

    /// <summary>TCP_RTO_MAX: 120 s.</summary>
    public const int TCP_RTO_MAX_MS = 120_000;

    /// <summary>TCP_TIMEOUT_INIT: 1 s (RFC 6298 2.1), in jiffies.</summary>
    public const uint TCP_TIMEOUT_INIT = (uint)Vmlinux.HZ;

    /// <summary>TCP_TIMEWAIT_LEN: a TIME_WAIT entry lives 60 seconds.</summary>
    public const int TCP_TIMEWAIT_LEN = 60 * Vmlinux.HZ;

    /// <summary>TCP_DELACK_MAX: the longest an ACK may be held back.</summary>
    public const uint TCP_DELACK_MAX = (uint)(Vmlinux.HZ / 5);

    /// <summary>TCP_DELACK_MIN, TCP_ATO_MIN: the shortest delayed-ACK wait.</summary>
    public const uint TCP_DELACK_MIN = (uint)(Vmlinux.HZ / 25);

    public const uint TCP_ATO_MIN = (uint)(Vmlinux.HZ / 25);

    /// <summary>TCP_MSS_DEFAULT: RFC 1122's 536, the MSS assumed without an option.</summary>
    public const ushort TCP_MSS_DEFAULT = 536;

    /// <summary>TCP_MAX_WSCALE: RFC 7323 2.3.</summary>
    public const int TCP_MAX_WSCALE = 14;

    public const int TCP_INIT_CWND = 10;

    /// <summary>MAX_TCP_OPTION_SPACE: 40 bytes of options at most.</summary>
    public const int MAX_TCP_OPTION_SPACE = 40;

    /// <summary>MAX_TCP_WINDOW: the largest window a peer that treats the field as signed can take.</summary>
    public const uint MAX_TCP_WINDOW = 32767;

    /// <summary>TCP_RMEM_TO_WIN_SCALE: scaling_ratio is in 1/256.</summary>
    public const int TCP_RMEM_TO_WIN_SCALE = 8;

    /// <summary>TCP_DEFAULT_SCALING_RATIO: half of the buffer is window until skbs' real overhead is seen.</summary>
    public const byte TCP_DEFAULT_SCALING_RATIO = 1 << (TCP_RMEM_TO_WIN_SCALE - 1);

    /// <summary>TCP_INFINITE_SSTHRESH.</summary>
    public const uint TCP_INFINITE_SSTHRESH = 0x7fffffff;

    public const byte TCPHDR_FIN = 0x01;
    public const byte TCPHDR_SYN = 0x02;
    public const byte TCPHDR_RST = 0x04;
    public const byte TCPHDR_PSH = 0x08;
    public const byte TCPHDR_ACK = 0x10;

    public const byte TCPOPT_NOP = 1;
    public const byte TCPOPT_EOL = 0;
    public const byte TCPOPT_MSS = 2;
    public const byte TCPOPT_WINDOW = 3;
    public const byte TCPOPT_SACK_PERM = 4;
    public const byte TCPOPT_TIMESTAMP = 8;

    public const int TCPOLEN_MSS = 4;
    public const int TCPOLEN_WINDOW = 3;
    public const int TCPOLEN_SACK_PERM = 2;
    public const int TCPOLEN_TIMESTAMP = 10;
    public const int TCPOLEN_TSTAMP_ALIGNED = 12;
    public const int TCPOLEN_WSCALE_ALIGNED = 4;
    public const int TCPOLEN_SACKPERM_ALIGNED = 4;
    public const int TCPOLEN_MSS_ALIGNED = 4;
    public const byte TCPOPT_SACK = 5;
    public const int TCPOLEN_SACK_BASE = 2;
    public const int TCPOLEN_SACK_BASE_ALIGNED = 4;
    public const int TCPOLEN_SACK_PERBLOCK = 8;

    // include/net/tcp.h: tcp_mib_init
    /// <summary>The constant rows of the Tcp MIB: RtoAlgorithm 1, RtoMin, RtoMax, MaxConn -1.</summary>
    public static void tcp_mib_init(net net)
    {
        var mib = netns_ipv4.of(net).mib.tcp_statistics;
        mib[(int)tcp_mib_field.TCP_MIB_RTOALGORITHM] += 1;
        mib[(int)tcp_mib_field.TCP_MIB_RTOMIN] += TCP_RTO_MIN_MS;
        mib[(int)tcp_mib_field.TCP_MIB_RTOMAX] += TCP_RTO_MAX_MS;
        mib[(int)tcp_mib_field.TCP_MIB_MAXCONN] += -1;
    }

    /// <summary>TCP_INC_STATS / __TCP_INC_STATS.</summary>
    public static void TCP_INC_STATS(net net, tcp_mib_field field) => netns_ipv4.of(net).mib.tcp_statistics[(int)field]++;

    /// <summary>TCP_DEC_STATS (CurrEstab is a gauge).</summary>
    public static void TCP_DEC_STATS(net net, tcp_mib_field field) => netns_ipv4.of(net).mib.tcp_statistics[(int)field]--;

    /// <summary>TCP_ADD_STATS.</summary>
    public static void TCP_ADD_STATS(net net, tcp_mib_field field, int val) => netns_ipv4.of(net).mib.tcp_statistics[(int)field] += val;

    // include/net/tcp.h: TCP_SKB_CB
    /// <summary>The TCP control block of an skb, created on first use (over the IPv4 block when there is one).</summary>
    public static tcp_skb_cb TCP_SKB_CB(sk_buff skb)
    {
        if (skb.cb_obj is not tcp_skb_cb cb)
        {
            cb = skb.cb_obj is inet_skb_parm h4 ? new tcp_skb_cb(h4) : new tcp_skb_cb();
            skb.cb_obj = cb;
        }

        return cb;
    }

    // include/net/tcp.h: before
    public static bool before(uint seq1, uint seq2) => (int)(seq1 - seq2) < 0;

    // include/net/tcp.h: after
    public static bool after(uint seq2, uint seq1) => before(seq1, seq2);

    // include/net/tcp.h: tcp_receive_window
    /// <summary>The receive window the last segment offered, as it stands now.</summary>
    public static uint tcp_receive_window(Linux.tcp_sock tp)
    {
        var win = (int)(tp.rcv_wup + tp.rcv_wnd - tp.rcv_nxt);
        return win < 0 ? 0 : (uint)win;
    }

    /// <summary>TCP_PAWS_WRAP: seconds after which ts_recent is too old to judge by (INT_MAX / USEC_PER_SEC).</summary>
    public const long TCP_PAWS_WRAP = int.MaxValue / 1_000_000;

    // include/net/tcp.h: tcp_paws_check
    /// <summary>PAWS passes: the timestamp is not older than ts_recent by more than <paramref name="paws_win"/>, or ts_recent is stale (24 days) or unset.</summary>
    public static bool tcp_paws_check(Vmlinux k, tcp_options_received rx_opt, int paws_win)
    {
        if ((int)(rx_opt.ts_recent - rx_opt.rcv_tsval) <= paws_win)
        {
            return true;
        }

        if (!((int)((k.ktime_get_ns() / 1_000_000_000) - (rx_opt.ts_recent_stamp + TCP_PAWS_WRAP)) < 0))
        {
            return true;
        }

        // a peer that sent 0 in its SYN must not be judged by it
        if (rx_opt.ts_recent == 0)
        {
            return true;
        }

        return false;
    }

    // include/net/tcp.h: tcp_space
    /// <summary>The window the free receive buffer is worth (may be negative).</summary>
    public static int tcp_space(sock sk) => tcp_win_from_space(sk, sk.sk_rcvbuf - sk.sk_backlog_len - sk.sk_rmem_alloc);

    // include/net/tcp.h: __tcp_space_from_win
    public static int __tcp_space_from_win(byte scaling_ratio, int win) => (int)(((ulong)win << TCP_RMEM_TO_WIN_SCALE) / scaling_ratio);

    // include/net/tcp.h: tcp_space_from_win
    /// <summary>The buffer a window needs (tcp_win_from_space inverted).</summary>
    public static int tcp_space_from_win(sock sk, int win) => __tcp_space_from_win(Linux.tcp_h.tcp_sk(sk).scaling_ratio, win);

    // include/net/tcp.h: tcp_dec_quickack_mode
    /// <summary>An ACK of new data went out: one quick ACK used; the last one takes ato back to its minimum.</summary>
    public static void tcp_dec_quickack_mode(sock sk)
    {
        var icsk = inet_connection_sock_h.inet_csk(sk);

        if (icsk.icsk_ack_quick != 0)
        {
            // ACKs of new data sent: this one, if one was owed
            var pkts = inet_connection_sock_h.inet_csk_ack_scheduled(sk) ? 1 : 0;

            if (pkts >= icsk.icsk_ack_quick)
            {
                icsk.icsk_ack_quick = 0;
                icsk.icsk_ack_ato = TCP_ATO_MIN;
            }
            else
            {
                icsk.icsk_ack_quick -= (byte)pkts;
            }
        }
    }

    // include/net/tcp.h: tcp_update_wl
    public static void tcp_update_wl(Linux.tcp_sock tp, uint seq) => tp.snd_wl1 = seq;

    // include/net/tcp.h: tcp_skb_can_collapse_rx
    /// <summary>Two received segments may merge (no MPTCP mapping or decryption state to tell apart here).</summary>
    public static bool tcp_skb_can_collapse_rx(sk_buff to, sk_buff from) => true;

    // include/net/tcp.h: tcp_is_sack
    public static bool tcp_is_sack(Linux.tcp_sock tp) => tp.rx_opt.sack_ok != 0;

    // include/net/tcp.h: __tcp_fast_path_on
    /// <summary>Header prediction expects this header word: our header length, ACK alone (no AccECN), the peer's window unscaled.</summary>
    public static void __tcp_fast_path_on(Linux.tcp_sock tp, uint snd_wnd)
    {
        // mptcp: none.
        tp.pred_flags = (tp.tcp_header_len << 26) | 0x00100000 | snd_wnd;
    }

    // include/net/tcp.h: tcp_fast_path_on
    public static void tcp_fast_path_on(Linux.tcp_sock tp) => __tcp_fast_path_on(tp, tp.snd_wnd >> tp.rx_opt.snd_wscale);

    // include/net/tcp.h: tcp_fast_path_check
    /// <summary>The fast path comes back when nothing is out of order, the window is open and the buffer not full (no urgent data: not ported).</summary>
    public static void tcp_fast_path_check(sock sk)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);

        if (tp.out_of_order_queue is not { Count: > 0 } &&
            tp.rcv_wnd != 0 &&
            sk.sk_rmem_alloc < sk.sk_rcvbuf)
        {
            tcp_fast_path_on(tp);
        }
    }

    // include/net/tcp.h: tcp_rmem_pressure
    /// <summary>The receive memory is over 7/8 of sk_rcvbuf (tcp_memory_pressure: not ported).</summary>
    public static bool tcp_rmem_pressure(sock sk)
    {
        var rcvbuf = sk.sk_rcvbuf;
        var threshold = rcvbuf - (rcvbuf >> 3);
        return sk.sk_rmem_alloc > threshold;
    }

    // include/net/tcp.h: tcp_epollin_ready
    /// <summary>Worth waking the reader: <paramref name="target"/> bytes wait, or memory is tight, or the window is down to a segment.</summary>
    public static bool tcp_epollin_ready(sock sk, int target)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);
        var avail = (int)(tp.rcv_nxt - tp.copied_seq);

        if (avail <= 0)
        {
            return false;
        }

        return avail >= target || tcp_rmem_pressure(sk) || tcp_receive_window(tp) <= inet_connection_sock_h.inet_csk(sk).icsk_ack_rcv_mss;
    }

    // include/net/tcp.h: tcp_inq
    /// <summary>Bytes the reader may still read (SIOCINQ): none during the handshake; the FIN's sequence number does not count (no urgent data).</summary>
    public static int tcp_inq(sock sk)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);
        int answ;

        if (sk.sk_state is tcp_states_h.TCP_SYN_SENT or tcp_states_h.TCP_SYN_RECV)
        {
            answ = 0;
        }
        else
        {
            answ = (int)(tp.rcv_nxt - tp.copied_seq);

            // the FIN took a sequence number but is no byte
            if (answ != 0 && sock_h.sock_flag(sk, sock_flags.SOCK_DONE))
            {
                answ--;
            }
        }

        return answ;
    }

    // include/net/tcp.h: between
    /// <summary>is s2&lt;=s1&lt;=s3 ?</summary>
    public static bool between(uint seq1, uint seq2, uint seq3) => seq3 - seq2 >= seq1 - seq2;

    // include/net/tcp.h: tcp_listendrop
    /// <summary>A listener dropped a SYN or the ACK completing a handshake: ListenDrops.</summary>
    public static void tcp_listendrop(sock sk)
    {
        sock_h.sk_drops_inc(sk);
        ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_LISTENDROPS);
    }

    // include/net/tcp.h: tcp_clock_ns
    public static ulong tcp_clock_ns(Vmlinux k) => (ulong)k.ktime_get_ns();

    // include/net/tcp.h: tcp_clock_us
    public static ulong tcp_clock_us(Vmlinux k) => tcp_clock_ns(k) / 1000;

    // include/net/tcp.h: tcp_ns_to_ts
    /// <summary>A timestamp option value: milliseconds (or µs for usec_ts routes).</summary>
    public static uint tcp_ns_to_ts(bool usec_ts, ulong ns) => usec_ts ? (uint)(ns / 1000) : (uint)(ns / 1_000_000);

    // include/net/tcp.h: tcp_time_stamp_ts
    public static uint tcp_time_stamp_ts(tcp_sock tp) => tp.tcp_usec_ts ? (uint)tp.tcp_mstamp : (uint)(tp.tcp_mstamp / 1000);

    // include/net/tcp.h: tcp_skb_timestamp_ts
    /// <summary>The skb's send time (skb->skb_mstamp_ns) as a timestamp option value.</summary>
    public static uint tcp_skb_timestamp_ts(bool usec_ts, sk_buff skb) => tcp_ns_to_ts(usec_ts, (ulong)skb.tstamp);

    // include/net/tcp.h: __tcp_win_from_space
    public static int __tcp_win_from_space(byte scaling_ratio, int space) => (int)(((long)space * scaling_ratio) >> TCP_RMEM_TO_WIN_SCALE);

    // include/net/tcp.h: tcp_win_from_space
    public static int tcp_win_from_space(sock sk, int space) => __tcp_win_from_space(Linux.tcp_h.tcp_sk(sk).scaling_ratio, space);

    // include/net/tcp.h: tcp_full_space
    /// <summary>The window the whole receive buffer stands for.</summary>
    public static int tcp_full_space(sock sk) => tcp_win_from_space(sk, sk.sk_rcvbuf);

    // include/net/tcp.h: tcp_init_wl
    public static void tcp_init_wl(tcp_sock tp, uint seq) => tp.snd_wl1 = seq;

    // include/net/tcp.h: tcp_clear_all_retrans_hints
    /// <summary>The retransmission hints (lost_skb_hint, retransmit_skb_hint) are not modelled: there is no scoreboard.</summary>
    public static void tcp_clear_all_retrans_hints(tcp_sock tp)
    {
    }

    // include/net/tcp.h: tcp_clear_xmit_timers
    /// <summary>Stops the retransmit and delayed-ACK timers (pacing and compressed-ACK hrtimers are not ported).</summary>
    public static void tcp_clear_xmit_timers(sock sk) => KernelNet.Kernel.Net.Ipv4.inet_connection_sock_c.inet_csk_clear_xmit_timers(sk);

    // include/net/tcp.h: tcp_reset_xmit_timer
    /// <summary>Arms the retransmit timer for <paramref name="what"/> (the pacing delay is 0: no pacing).</summary>
    public static void tcp_reset_xmit_timer(sock sk, int what, ulong when, bool pace_delay)
    {
        inet_connection_sock_h.inet_csk_reset_xmit_timer(sk, what, when, (ulong)jiffies_h.msecs_to_jiffies(TCP_RTO_MAX_MS));
    }

    // include/net/tcp.h: tcp_timeout_init
    /// <summary>The SYN's RTO: TCP_TIMEOUT_INIT (1 s; no BPF override).</summary>
    public static uint tcp_timeout_init(sock sk) => TCP_TIMEOUT_INIT;

    // include/net/tcp.h: tcp_rtx_queue_empty
    public static bool tcp_rtx_queue_empty(sock sk) => Linux.tcp_h.tcp_sk(sk).tcp_rtx_queue.first is null;

    // include/net/tcp.h: tcp_send_head
    /// <summary>The first not-yet-sent skb on the write queue.</summary>
    public static sk_buff? tcp_send_head(sock sk) => sk.sk_write_queue.first;

    // include/net/tcp.h: tcp_checksum_complete
    /// <summary>Verifies the whole segment against the pseudo-header (in software: nothing is offloaded); true when it is bad.</summary>
    public static bool tcp_checksum_complete(sk_buff skb)
    {
        if (skb.ip_summed == skbuff_h.CHECKSUM_UNNECESSARY)
        {
            return false;
        }

        var iph = Linux.ip_h.ip_hdr(skb);
        var off = skb.transport_header - skb.data;
        var len = skb.len - off;
        var csum = KernelNet.Kernel.Net.Core.skbuff_c.skb_checksum(skb, off, len, 0);
        if (tcp_v4_check(len, iph.saddr, iph.daddr, csum) != 0)
        {
            return true;
        }

        skb.ip_summed = skbuff_h.CHECKSUM_UNNECESSARY;
        return false;
    }

    // include/net/tcp.h: tcp_v4_check
    /// <summary>The TCP checksum: the pseudo-header folded with <paramref name="base"/> (the sum over the segment).</summary>
    public static ushort tcp_v4_check(int len, uint saddr, uint daddr, uint @base) =>
        checksum_h.csum_tcpudp_magic(saddr, daddr, (ushort)len, (byte)in_h.IPPROTO_TCP, @base);
}
