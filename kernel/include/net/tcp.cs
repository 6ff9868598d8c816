// Ports include/net/tcp.h: TCP's constants, the per-skb control block
// (TCP_SKB_CB), struct tcp_congestion_ops, the MIB helpers, and the inline
// helpers the active open and its reset use.
//
// The send side's helpers: Nagle's flags, pcount, the windows
// (tcp_wnd_end, tcp_packets_in_flight, tcp_is_cwnd_limited), the RTO
// arithmetic (__tcp_set_rto, tcp_rto_min, tcp_bound_rto), the write and
// retransmit queue helpers, tcp_push_pending_frames; the congestion ops'
// hooks (ssthresh, cong_avoid, set_state, cwnd_event, pkts_acked, undo_cwnd,
// init). The receive side's: PAWS (tcp_paws_check), header prediction
// (tcp_fast_path_on/check), tcp_space and tcp_space_from_win,
// tcp_epollin_ready, tcp_inq, tcp_dec_quickack_mode, the SACK option sizes.
//
// Fast Open: the option's kinds and lengths, the sysctl's TFO_* bits, the
// key context and its lookup (tcp_fastopen_get_ctx), cookie matching.
//
// SYN cookies: MAX_SYNCOOKIE_AGE, TCP_SYNCOOKIE_PERIOD/VALID,
// tcp_synq_overflow, tcp_synq_no_recent_overflow, cookie_init_sequence,
// tcp_cookie_time.
//
// not ported: memory pressure (tcp_under_memory_pressure),
// MD5/AO, ECN.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct tcp_skb_cb: a segment's sequence range and flags; its IPv4 part overlays IPCB (header.h4).</summary>
public sealed class tcp_skb_cb : inet_skb_parm
{
    /// <summary>memset of the whole tcp_skb_cb: the TCP fields and header.h4 zero.</summary>
    [KernelNet.Annotations.NotInLinux("the memset of struct tcp_skb_cb within skb->cb, field by field")]
    internal void memset_tcp()
    {
        memset_h4();
        seq = 0;
        end_seq = 0;
        tcp_flags = 0;
        sacked = 0;
        ack_seq = 0;
        tcp_tw_isn = 0;
        ip_dsfield = 0;
        has_rxtstamp = false;
        tcp_gso_segs = 0;
        tcp_gso_size = 0;
        eor = false;
        txstamp_ack = 0;
        tx = default;
    }

    /// <inheritdoc/>
    [KernelNet.Annotations.NotInLinux("C# copy of TCP_SKB_CB(skb): C copies skb->cb with memcpy")]
    [KernelNet.Annotations.Borrows("to")]
    public override ISkbControlBlock copy_to(sk_buff to)
    {
        System.ArgumentNullException.ThrowIfNull(to);
        var c = to.cb_view<tcp_skb_cb>();
        c.copy_h4_from(this);
        c.seq = seq;
        c.end_seq = end_seq;
        c.tcp_flags = tcp_flags;
        c.sacked = sacked;
        c.ack_seq = ack_seq;
        c.tcp_tw_isn = tcp_tw_isn;
        c.ip_dsfield = ip_dsfield;
        c.has_rxtstamp = has_rxtstamp;
        c.tcp_gso_segs = tcp_gso_segs;
        c.tcp_gso_size = tcp_gso_size;
        c.eor = eor;
        c.txstamp_ack = txstamp_ack;
        c.tx = tx;
        return c;
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

    /// <summary>tcp_gso_segs: how many MSS-sized segments the skb makes on the wire (tcp_skb_pcount).</summary>
    public ushort tcp_gso_segs { get; set; }

    /// <summary>tcp_gso_size: the MSS the skb was cut for, when it is more than one segment.</summary>
    public ushort tcp_gso_size { get; set; }

    /// <summary>eor: MSG_EOR ended a record here; later writes start a new skb.</summary>
    public bool eor { get; set; }

    /// <summary>txstamp_ack: TSTAMP_ACK_SK when SO_TIMESTAMPING asked for the ACK of this skb's last byte (SCM_TSTAMP_ACK).</summary>
    public byte txstamp_ack { get; set; }

    /// <summary>tx: the rate sampler's state at the skb's last send (tcp_rate_skb_sent).</summary>
    public tcp_skb_cb_tx tx;
}

/// <summary>tcp_skb_cb's tx: what had been delivered, and when, as the skb was sent.</summary>
public struct tcp_skb_cb_tx
{
    /// <summary>first_tx_mstamp: the start of the send phase (µs).</summary>
    public ulong first_tx_mstamp;

    /// <summary>delivered_mstamp: when tp->delivered last grew (µs; 0: already counted by a SACK).</summary>
    public ulong delivered_mstamp;

    /// <summary>delivered: tp->delivered at the send.</summary>
    public uint delivered;

    /// <summary>is_app_limited: sent while the application held the pipe short.</summary>
    public bool is_app_limited;
}

/// <summary>struct rate_sample: one ACK's delivery rate sample (on tcp_ack's stack in C).</summary>
public struct rate_sample
{
    /// <summary>prior_mstamp, prior_delivered: the start of the interval and tp->delivered then.</summary>
    public ulong prior_mstamp;

    public uint prior_delivered;

    /// <summary>delivered: segments delivered over the interval (-1: no sample).</summary>
    public int delivered;

    /// <summary>interval_us: the interval (-1: no sample).</summary>
    public long interval_us;

    public uint snd_interval_us;

    public uint rcv_interval_us;

    /// <summary>rtt_us: RTT of the last (S)ACKed skb (-1: none).</summary>
    public long rtt_us;

    /// <summary>losses: segments newly marked lost by this ACK.</summary>
    public int losses;

    /// <summary>acked_sacked: segments newly (S)ACKed by this ACK.</summary>
    public uint acked_sacked;

    public uint prior_in_flight;

    /// <summary>last_end_seq: end_seq of the most recently sent skb delivered.</summary>
    public uint last_end_seq;

    public bool is_app_limited;

    public bool is_retrans;

    public bool is_ack_delayed;
}

/// <summary>struct tcp_congestion_ops: a congestion control algorithm — its identity and hooks (null: the hook is absent).</summary>
public sealed class tcp_congestion_ops
{
    /// <summary>ssthresh: the slow-start threshold after a loss (required).</summary>
    public System.Func<sock, uint>? ssthresh { get; init; }

    /// <summary>cong_avoid: grow cwnd on an ACK (required unless cong_control).</summary>
    public System.Action<sock, uint, uint>? cong_avoid { get; init; }

    /// <summary>set_state: the CA state is about to change.</summary>
    public System.Action<sock, byte>? set_state { get; init; }

    /// <summary>cwnd_event: CA_EVENT_* notifications.</summary>
    public System.Action<sock, int>? cwnd_event { get; init; }

    /// <summary>pkts_acked: a hook with the count of acked packets and the RTT sample.</summary>
    public System.Action<sock, ack_sample>? pkts_acked { get; init; }

    /// <summary>undo_cwnd: the cwnd to restore after a false loss (required).</summary>
    public System.Func<sock, uint>? undo_cwnd { get; init; }

    /// <summary>init: the algorithm's per-socket state is set up.</summary>
    public System.Action<sock>? init { get; init; }

    /// <summary>name[TCP_CA_NAME_MAX]; setting it computes <see cref="key"/>.</summary>
    public required string name
    {
        get => _name;
        init
        {
            _name = value;
            key = KernelNet.Kernel.Net.Ipv4.tcp_cong_c.tcp_ca_name_key(value);
        }
    }

    private readonly string _name = string.Empty;

    /// <summary>key: jhash of the name, what tcp_register_congestion_control stores (init-only: the static ops are shared by every simulated kernel).</summary>
    public uint key { get; private init; }

    /// <summary>flags: TCP_CONG_NON_RESTRICTED etc.</summary>
    public uint flags { get; init; }

    /// <summary>min_tso_segs: overrides net.ipv4.tcp_min_tso_segs (tcp_tso_segs).</summary>
    public System.Func<sock, uint>? min_tso_segs { get; init; }

    /// <summary>cong_control: the algorithm sets cwnd and pacing itself at the end of an ACK, from the rate sample (ack, flag, rs).</summary>
    public System.Action<sock, uint, int, rate_sample>? cong_control { get; init; }

    /// <summary>sndbuf_expand: the multiple of cwnd tcp_sndbuf_expand provisions (2 without it).</summary>
    public System.Func<sock, uint>? sndbuf_expand { get; init; }

    /// <summary>get_info: fills the algorithm's part of union tcp_cc_info for diag/TCP_CC_INFO (ext, out attr, info); returns its size.</summary>
    public tcp_ca_get_info? get_info { get; init; }
}

/// <summary>The type of tcp_congestion_ops.get_info.</summary>
public delegate int tcp_ca_get_info(sock sk, uint ext, out int attr, Uapi.Linux.tcp_cc_info info);

/// <summary>struct ack_sample: what pkts_acked is told about an ACK.</summary>
public readonly record struct ack_sample(uint pkts_acked, int rtt_us, uint in_flight);

/// <summary>enum tcp_synack_type: whose SYN-ACK it is (a request's, a Fast Open child's, a SYN cookie's).</summary>
public enum tcp_synack_type
{
    TCP_SYNACK_NORMAL,
    TCP_SYNACK_FASTOPEN,
    TCP_SYNACK_COOKIE,
}

/// <summary>struct tcp_fastopen_context: one or two SipHash keys for Fast Open cookies (the first is primary).</summary>
public sealed class tcp_fastopen_context
{
    public siphash_key_t[] key { get; } = [new siphash_key_t(), new siphash_key_t()];

    public int num { get; set; }
}

public static class tcp_h
{
    /// <summary>TSTAMP_ACK_SK: txstamp_ack's bit for the socket's own SO_TIMESTAMPING (TSTAMP_ACK_BPF, BPF's, is not ported).</summary>
    public const byte TSTAMP_ACK_SK = 0x1;

    /// <summary>TCPOPT_FASTOPEN (RFC 7413), TCPOPT_EXP with TCPOPT_FASTOPEN_MAGIC: the pre-RFC experimental Fast Open option.</summary>
    public const byte TCPOPT_FASTOPEN = 34;

    public const byte TCPOPT_EXP = 254;

    public const ushort TCPOPT_FASTOPEN_MAGIC = 0xF989;

    public const int TCPOLEN_FASTOPEN_BASE = 2;

    public const int TCPOLEN_EXP_FASTOPEN_BASE = 4;

    /// <summary>Bits of net.ipv4.tcp_fastopen.</summary>
    public const int TFO_CLIENT_ENABLE = 1;

    public const int TFO_SERVER_ENABLE = 2;

    public const int TFO_CLIENT_NO_COOKIE = 4;

    public const int TFO_SERVER_COOKIE_NOT_REQD = 0x200;

    public const int TFO_SERVER_WO_SOCKOPT1 = 0x400;

    /// <summary>TCP_FASTOPEN_KEY_LENGTH (a siphash_key_t), TCP_FASTOPEN_KEY_MAX keys, TCP_FASTOPEN_KEY_BUF_LENGTH.</summary>
    public const int TCP_FASTOPEN_KEY_LENGTH = 16;

    public const int TCP_FASTOPEN_KEY_MAX = 2;

    public const int TCP_FASTOPEN_KEY_BUF_LENGTH = TCP_FASTOPEN_KEY_LENGTH * TCP_FASTOPEN_KEY_MAX;

    // include/net/tcp.h: tcp_fastopen_get_ctx
    /// <summary>The key a listener's cookies use: its own (TCP_FASTOPEN_KEY), else the namespace's.</summary>
    public static tcp_fastopen_context? tcp_fastopen_get_ctx(sock sk) =>
        inet_connection_sock_h.inet_csk(sk).icsk_accept_queue?.fastopenq.ctx ?? netns_ipv4.of(sk.sk_net).tcp_fastopen_ctx;

    // include/net/tcp.h: tcp_fastopen_cookie_match
    /// <summary>Whether a received cookie (<paramref name="orig"/>) is exactly the one we generate (TCP_FASTOPEN_COOKIE_SIZE bytes).</summary>
    public static bool tcp_fastopen_cookie_match(in tcp_fastopen_cookie foc, in tcp_fastopen_cookie orig) =>
        orig.len == Linux.tcp_h.TCP_FASTOPEN_COOKIE_SIZE && orig.len == foc.len &&
        System.MemoryExtensions.SequenceEqual(orig.val[..foc.len], foc.val[..foc.len]);

    // include/net/tcp.h: tcp_fastopen_context_len
    public static int tcp_fastopen_context_len(tcp_fastopen_context ctx) => ctx.num;

    /// <summary>TCP_NAGLE_OFF (TCP_NODELAY), TCP_NAGLE_CORK (TCP_CORK or MSG_MORE), TCP_NAGLE_PUSH (send what is queued now): tp->nonagle bits.</summary>
    public const int TCP_NAGLE_OFF = 1;
    public const int TCP_NAGLE_CORK = 2;
    public const int TCP_NAGLE_PUSH = 4;

    /// <summary>TCP_CA_* (enum tcp_ca_state): the congestion control state machine.</summary>
    public const byte TCP_CA_Open = 0;
    public const byte TCP_CA_Disorder = 1;
    public const byte TCP_CA_CWR = 2;
    public const byte TCP_CA_Recovery = 3;
    public const byte TCP_CA_Loss = 4;

    /// <summary>CA_EVENT_* (enum tcp_ca_event).</summary>
    public const int CA_EVENT_TX_START = 0;
    public const int CA_EVENT_CWND_RESTART = 1;
    public const int CA_EVENT_COMPLETE_CWR = 2;
    public const int CA_EVENT_LOSS = 3;

    /// <summary>TCPCB_* bits of tcp_skb_cb.sacked.</summary>
    public const byte TCPCB_SACKED_ACKED = 0x01;
    public const byte TCPCB_SACKED_RETRANS = 0x02;
    public const byte TCPCB_LOST = 0x04;
    public const byte TCPCB_EVER_RETRANS = 0x80;
    public const byte TCPCB_RETRANS = TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS;

    /// <summary>TCPCB_TAGBITS: the scoreboard bits (SACKED_ACKED, SACKED_RETRANS, LOST).</summary>
    public const byte TCPCB_TAGBITS = TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS | TCPCB_LOST;

    /// <summary>TCP_MIN_SND_MSS: the smallest MSS a peer may make us use.</summary>
    public const int TCP_MIN_SND_MSS = 48;

    /// <summary>TCP_MIN_GSO_SIZE: TCP_MIN_SND_MSS less the whole option space (8).</summary>
    public const int TCP_MIN_GSO_SIZE = TCP_MIN_SND_MSS - MAX_TCP_OPTION_SPACE;

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

    /// <summary>TCP_MIN_MSS: the smallest MSS TCP_MAXSEG accepts (and tcp_mss_to_mtu's floor).</summary>
    public const uint TCP_MIN_MSS = 88;

    /// <summary>TCP_FIN_TIMEOUT_MAX: the longest TCP_LINGER2 (two minutes).</summary>
    public const int TCP_FIN_TIMEOUT_MAX = 120 * Vmlinux.HZ;

    /// <summary>TCP_TIMEOUT_MIN: the shortest TCP timer, in jiffies.</summary>
    public const uint TCP_TIMEOUT_MIN = 2;

    /// <summary>MAX_TCP_KEEPIDLE: the largest TCP_KEEPIDLE, seconds.</summary>
    public const int MAX_TCP_KEEPIDLE = 32767;

    /// <summary>MAX_TCP_KEEPINTVL: the largest TCP_KEEPINTVL, seconds.</summary>
    public const int MAX_TCP_KEEPINTVL = 32767;

    /// <summary>MAX_TCP_KEEPCNT: the most keepalive probes TCP_KEEPCNT allows.</summary>
    public const int MAX_TCP_KEEPCNT = 127;

    /// <summary>MAX_TCP_SYNCNT: the most SYN retransmissions TCP_SYNCNT allows.</summary>
    public const int MAX_TCP_SYNCNT = 127;

    /// <summary>TCP_RMEM_TO_WIN_SCALE: scaling_ratio is in 1/256.</summary>
    public const int TCP_RMEM_TO_WIN_SCALE = 8;

    /// <summary>TCP_DEFAULT_SCALING_RATIO: half of the buffer is window until skbs' real overhead is seen.</summary>
    public const byte TCP_DEFAULT_SCALING_RATIO = 1 << (TCP_RMEM_TO_WIN_SCALE - 1);

    /// <summary>TCP_CONG_NON_RESTRICTED: an algorithm any namespace may choose.</summary>
    public const uint TCP_CONG_NON_RESTRICTED = 0x1;

    /// <summary>TCP_INFINITE_SSTHRESH.</summary>
    public const uint TCP_INFINITE_SSTHRESH = 0x7fffffff;

    public const byte TCPHDR_FIN = 0x01;
    public const byte TCPHDR_SYN = 0x02;
    public const byte TCPHDR_RST = 0x04;
    public const byte TCPHDR_PSH = 0x08;
    public const byte TCPHDR_ACK = 0x10;
    public const byte TCPHDR_URG = 0x20;

    /// <summary>TCP_URG_VALID: tp->urg_data holds the urgent byte (low 8 bits).</summary>
    public const ushort TCP_URG_VALID = 0x0100;

    /// <summary>TCP_URG_NOTYET: an urgent pointer is known, its byte not yet received.</summary>
    public const ushort TCP_URG_NOTYET = 0x0200;

    /// <summary>TCP_URG_READ: the urgent byte was read (MSG_OOB).</summary>
    public const ushort TCP_URG_READ = 0x0400;
    public const byte TCPHDR_ECE = 0x40;
    public const byte TCPHDR_CWR = 0x80;

    public const byte TCP_ECN_MODE_RFC3168 = 1 << 0;
    public const byte TCP_ECN_QUEUE_CWR = 1 << 1;
    public const byte TCP_ECN_DEMAND_CWR = 1 << 2;
    public const byte TCP_ECN_SEEN = 1 << 3;
    public const byte TCP_ECN_MODE_ACCECN = 1 << 4;
    public const byte TCP_ECN_DISABLED = 0;
    public const byte TCP_ECN_MODE_PENDING = TCP_ECN_MODE_RFC3168 | TCP_ECN_MODE_ACCECN;
    public const byte TCP_ECN_MODE_ANY = TCP_ECN_MODE_RFC3168 | TCP_ECN_MODE_ACCECN;

    // include/net/tcp.h: tcp_ecn_mode_any
    public static bool tcp_ecn_mode_any(Linux.tcp_sock tp) => (tp.ecn_flags & TCP_ECN_MODE_ANY) != 0;

    // include/net/tcp.h: tcp_ecn_mode_accecn
    public static bool tcp_ecn_mode_accecn(Linux.tcp_sock tp) => (tp.ecn_flags & TCP_ECN_MODE_ANY) == TCP_ECN_MODE_ACCECN;

    // include/net/tcp.h: tcp_ecn_mode_rfc3168
    public static bool tcp_ecn_mode_rfc3168(Linux.tcp_sock tp) => (tp.ecn_flags & TCP_ECN_MODE_ANY) == TCP_ECN_MODE_RFC3168;

    // include/net/tcp.h: tcp_ecn_disabled
    public static bool tcp_ecn_disabled(Linux.tcp_sock tp) => !tcp_ecn_mode_any(tp);

    // include/net/tcp.h: tcp_ecn_mode_pending
    public static bool tcp_ecn_mode_pending(Linux.tcp_sock tp) => (tp.ecn_flags & TCP_ECN_MODE_PENDING) == TCP_ECN_MODE_PENDING;

    // include/net/tcp.h: tcp_ecn_mode_set
    /// <summary>The negotiated ECN variant replaces the previous one; the other ECN bits stay.</summary>
    public static void tcp_ecn_mode_set(Linux.tcp_sock tp, byte mode) => tp.ecn_flags = (byte)((tp.ecn_flags & ~TCP_ECN_MODE_ANY) | mode);

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
    public const byte TCPOPT_MD5SIG = 19;
    public const byte TCPOPT_AO = 29;
    public const int TCPOLEN_MD5SIG = 18;
    public const int TCPOLEN_SACK_BASE = 2;
    public const int TCPOLEN_SACK_BASE_ALIGNED = 4;
    public const int TCPOLEN_SACK_PERBLOCK = 8;

    // include/net/tcp.h: tcp_mib_init
    /// <summary>The constant rows of the Tcp MIB: RtoAlgorithm 1, RtoMin, RtoMax, MaxConn -1.</summary>
    public static void tcp_mib_init(net net)
    {
        // not ported: TCP_ADD_STATS — the four constants are added to the netns MIB array directly
        var mib = netns_ipv4.of(net).mib.tcp_statistics;
        mib[(int)tcp_mib_field.TCP_MIB_RTOALGORITHM] += 1;
        mib[(int)tcp_mib_field.TCP_MIB_RTOMIN] += TCP_RTO_MIN_MS;
        mib[(int)tcp_mib_field.TCP_MIB_RTOMAX] += TCP_RTO_MAX_MS;
        mib[(int)tcp_mib_field.TCP_MIB_MAXCONN] += -1;
    }

    // include/net/tcp.h: TCP_INC_STATS
    /// <summary>TCP_INC_STATS / __TCP_INC_STATS.</summary>
    public static void TCP_INC_STATS(net net, tcp_mib_field field) => netns_ipv4.of(net).mib.tcp_statistics[(int)field]++;

    // include/net/tcp.h: TCP_DEC_STATS
    /// <summary>TCP_DEC_STATS (CurrEstab is a gauge).</summary>
    public static void TCP_DEC_STATS(net net, tcp_mib_field field) => netns_ipv4.of(net).mib.tcp_statistics[(int)field]--;

    // include/net/tcp.h: TCP_ADD_STATS
    /// <summary>TCP_ADD_STATS.</summary>
    public static void TCP_ADD_STATS(net net, tcp_mib_field field, int val) => netns_ipv4.of(net).mib.tcp_statistics[(int)field] += val;

    // include/net/tcp.h: TCP_SKB_CB
    /// <summary>The TCP control block of an skb, created on first use (over the IPv4 block when there is one).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static tcp_skb_cb TCP_SKB_CB(sk_buff skb)
    {
        if (skb.cb_obj is not tcp_skb_cb cb)
        {
            // the skb's own tcp_skb_cb, zeroed; over the IPv4 block when there is one (tcp_v4_fill_cb moves it into header.h4)
            var h4 = skb.cb_obj as inet_skb_parm;
            cb = skb.cb_view<tcp_skb_cb>();
            cb.memset_tcp();
            if (h4 is not null)
            {
                cb.copy_h4_from(h4);
            }

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
    public static bool tcp_paws_check(Vmlinux k, in tcp_options_received rx_opt, int paws_win)
    {
        // not ported: ktime_get_seconds, time_before32 — both are written inline from k.ktime_get_ns() with a signed 32-bit difference
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

    /// <summary>TCP_PAWS_MSL: seconds a RST's stale timestamp is forgiven (the MSL).</summary>
    public const long TCP_PAWS_MSL = 60;

    // include/net/tcp.h: tcp_paws_reject
    /// <summary>
    /// PAWS rejects the segment: tcp_paws_check fails, except that a RST
    /// (<paramref name="rst"/>) is let through once ts_recent is older than
    /// TCP_PAWS_MSL, so that a peer whose clock went back can still reset.
    /// </summary>
    public static bool tcp_paws_reject(Vmlinux k, in tcp_options_received rx_opt, int rst)
    {
        // not ported: ktime_get_seconds, time_before32 — both are written inline from k.ktime_get_ns() with a signed 32-bit difference
        if (tcp_paws_check(k, in rx_opt, 0))
        {
            return false;
        }

        if (rst != 0 && !((int)((k.ktime_get_ns() / 1_000_000_000) - (rx_opt.ts_recent_stamp + TCP_PAWS_MSL)) < 0))
        {
            return false;
        }

        return true;
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

    // not ported: mptcp_skb_can_collapse, skb_cmp_decrypted — no MPTCP or TLS device offload: any two skbs may collapse
    // include/net/tcp.h: tcp_skb_can_collapse_rx
    /// <summary>Two received segments may merge (no MPTCP mapping or decryption state to tell apart here).</summary>
    [KernelNet.Annotations.Borrows("to")]
    [KernelNet.Annotations.Borrows("from")]
    public static bool tcp_skb_can_collapse_rx(sk_buff to, sk_buff from) => true;

    // include/net/tcp.h: tcp_is_sack
    public static bool tcp_is_sack(Linux.tcp_sock tp) => tp.rx_opt.sack_ok != 0;

    // include/net/tcp.h: __tcp_fast_path_on
    /// <summary>Header prediction expects this header word: our header length, ACK alone (no AccECN), the peer's window unscaled.</summary>
    public static void __tcp_fast_path_on(Linux.tcp_sock tp, uint snd_wnd)
    {
        // not ported: sk_is_mptcp, tcp_ecn_mode_accecn — no MPTCP; no AccECN negotiation on this path, so no ACE bits in pred_flags
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

    // include/net/tcp.h: skb_is_tcp_pure_ack
    /// <summary>A pure ACK is marked by a truesize of 2 (skb_set_tcp_pure_ack).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool skb_is_tcp_pure_ack(sk_buff skb) => skb.truesize == 2;

    // include/net/tcp.h: skb_set_tcp_pure_ack
    /// <summary>Marks an ACK with no data: truesize 2, so it barely counts in sk_wmem_alloc (TSQ, pacing).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void skb_set_tcp_pure_ack(sk_buff skb) => skb.truesize = 2;

    // include/net/tcp.h: tcp_inq
    /// <summary>Bytes the reader may still read (SIOCINQ): none during the handshake; the FIN's sequence number does not count (no urgent data).</summary>
    public static int tcp_inq(sock sk)
    {
        // not ported: before — the urgent-data adjustment (SOCK_URGINLINE, urg_data) is not ported
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
        // not ported: __NET_INC_STATS — NET_INC_STATS is called: per-CPU counter variants are one here
        sock_h.sk_drops_inc(sk);
        ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_LISTENDROPS);
    }

    // include/net/tcp.h: tcp_clock_ns
    public static ulong tcp_clock_ns(Vmlinux k) => (ulong)k.ktime_get_ns();

    // include/net/tcp.h: tcp_clock_us
    public static ulong tcp_clock_us(Vmlinux k) => tcp_clock_ns(k) / 1000;

    // include/net/tcp.h: tcp_clock_ms
    public static ulong tcp_clock_ms(Vmlinux k) => tcp_clock_ns(k) / 1_000_000;

    // include/net/tcp.h: tcp_jiffies32
    /// <summary>jiffies cut to 32 bits, TCP's coarse clock.</summary>
    public static uint tcp_jiffies32(sock sk) => (uint)sk.sk_net.k.jiffies;

    // include/net/tcp.h: tcp_fin_time
    /// <summary>
    /// How long an orphan may wait in FIN_WAIT2: TCP_LINGER2 (tp->linger2)
    /// when set, else net.ipv4.tcp_fin_timeout (60 s), never less than 3.5 RTO.
    /// </summary>
    public static int tcp_fin_time(sock sk)
    {
        var linger2 = Linux.tcp_h.tcp_sk(sk).linger2;
        var fin_timeout = linger2 != 0 ? linger2 : Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_fin_timeout;
        var rto = (int)inet_connection_sock_h.inet_csk(sk).icsk_rto;

        if (fin_timeout < (rto << 2) - (rto >> 1))
        {
            fin_timeout = (rto << 2) - (rto >> 1);
        }

        return fin_timeout;
    }

    // include/net/tcp.h: keepalive_intvl_when
    /// <summary>The keepalive probe interval in jiffies: TCP_KEEPINTVL, else net.ipv4.tcp_keepalive_intvl.</summary>
    public static int keepalive_intvl_when(tcp_sock tp)
    {
        var val = (int)tp.keepalive_intvl;
        return val != 0 ? val : Netns.netns_ipv4.of(tp.sk.sk_net).sysctl_tcp_keepalive_intvl;
    }

    // include/net/tcp.h: keepalive_time_when
    /// <summary>The idle time before the first keepalive probe, in jiffies: TCP_KEEPIDLE, else net.ipv4.tcp_keepalive_time.</summary>
    public static int keepalive_time_when(tcp_sock tp)
    {
        var val = (int)tp.keepalive_time;
        return val != 0 ? val : Netns.netns_ipv4.of(tp.sk.sk_net).sysctl_tcp_keepalive_time;
    }

    // include/net/tcp.h: keepalive_probes
    /// <summary>How many unanswered keepalive probes end the connection: TCP_KEEPCNT, else net.ipv4.tcp_keepalive_probes.</summary>
    public static int keepalive_probes(tcp_sock tp)
    {
        int val = tp.keepalive_probes;
        return val != 0 ? val : Netns.netns_ipv4.of(tp.sk.sk_net).sysctl_tcp_keepalive_probes;
    }

    // include/net/tcp.h: keepalive_time_elapsed
    /// <summary>Jiffies since the peer was last heard from: the later of the last data (lrcvtime) and the last ACK (rcv_tstamp).</summary>
    public static uint keepalive_time_elapsed(tcp_sock tp)
    {
        var now = tcp_jiffies32(tp.sk);
        return System.Math.Min(unchecked(now - inet_connection_sock_h.inet_csk(tp.sk).icsk_ack_lrcvtime), unchecked(now - tp.rcv_tstamp));
    }

    // include/net/tcp.h: tcp_segs_in
    /// <summary>Counts a segment in (no GSO: one per skb), and as a data segment if it carries payload past its header.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_segs_in(tcp_sock tp, sk_buff skb)
    {
        // not ported: tcp_hdrlen — the header length is read as doff * 4 inline
        // a GSO skb stands for gso_segs segments
        var segs_in = System.Math.Max(1U, skb.shinfo.gso_segs);
        tp.segs_in += segs_in;
        if (skb.len > Linux.tcp_h.tcp_hdr(skb).doff * 4) // tcp_hdrlen
        {
            tp.data_segs_in += segs_in;
        }
    }

    // not ported: minmax_get — the windowed min filter keeps its current minimum in rtt_min
    // include/net/tcp.h: tcp_min_rtt
    /// <summary>The windowed minimum RTT in µs (~0 before the first sample, as minmax_reset leaves it).</summary>
    public static uint tcp_min_rtt(tcp_sock tp) => tp.rtt_min;

    // include/net/tcp.h: tcp_time_stamp_ms
    /// <summary>The socket's cached clock (tcp_mstamp, µs) in milliseconds.</summary>
    public static uint tcp_time_stamp_ms(tcp_sock tp) => (uint)(tp.tcp_mstamp / 1000);

    // include/net/tcp.h: tcp_ns_to_ts
    /// <summary>A timestamp option value: milliseconds (or µs for usec_ts routes).</summary>
    public static uint tcp_ns_to_ts(bool usec_ts, ulong ns) => usec_ts ? (uint)(ns / 1000) : (uint)(ns / 1_000_000);

    // not ported: tcp_time_stamp_ms — tcp_mstamp / 1000 is what tcp_time_stamp_ms returns
    // include/net/tcp.h: tcp_time_stamp_ts
    public static uint tcp_time_stamp_ts(tcp_sock tp) => tp.tcp_usec_ts ? (uint)tp.tcp_mstamp : (uint)(tp.tcp_mstamp / 1000);

    // not ported: tcp_skb_timestamp_us — the tstamp field is converted by tcp_ns_to_ts directly
    // include/net/tcp.h: tcp_skb_timestamp_ts
    /// <summary>The skb's send time (skb->skb_mstamp_ns) as a timestamp option value.</summary>
    [KernelNet.Annotations.Borrows("skb")]
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
    /// <summary>retransmit_skb_hint is not modelled (tcp_xmit_retransmit_queue walks from the head, reaching the same skbs): nothing to clear.</summary>
    public static void tcp_clear_all_retrans_hints(tcp_sock tp)
    {
    }

    /// <summary>TCP_TIMEOUT_MIN_US: 2 ms, the least a RACK or TLP timer waits beyond its estimate.</summary>
    public const uint TCP_TIMEOUT_MIN_US = 2000;

    /// <summary>TCP_RACK_* bits of net.ipv4.tcp_recovery.</summary>
    public const int TCP_RACK_LOSS_DETECTION = 0x1;
    public const int TCP_RACK_STATIC_REO_WND = 0x2;
    public const int TCP_RACK_NO_DUPTHRESH = 0x4;

    /// <summary>TCP_RACK_RECOVERY_THRESH: recoveries a raised reordering window persists for.</summary>
    public const byte TCP_RACK_RECOVERY_THRESH = 16;

    // include/net/tcp.h: tcp_skb_sent_after
    /// <summary>Was the skb sent at t1 (ending at seq1) sent after the one at t2 (seq2)? Equal times: the higher sequence is later.</summary>
    public static bool tcp_skb_sent_after(ulong t1, ulong t2, uint seq1, uint seq2) => t1 > t2 || (t1 == t2 && after(seq1, seq2));

    // include/net/tcp.h: tcp_rto_delta_us
    /// <summary>How far in the future (µs) the RTO of the head skb is.</summary>
    public static long tcp_rto_delta_us(sock sk)
    {
        // not ported: tcp_warn_once — a one-time warning for a sysctl mismatch only
        var skb = tcp_rtx_queue_head(sk);
        var rto = inet_connection_sock_h.inet_csk(sk).icsk_rto;
        if (skb is not null)
        {
            var rto_time_stamp_us = tcp_skb_timestamp_us(skb) + KernelNet.Kernel.Kernel.Time.time_c.jiffies_to_usecs(rto);
            return (long)(rto_time_stamp_us - Linux.tcp_h.tcp_sk(sk).tcp_mstamp);
        }

        return KernelNet.Kernel.Kernel.Time.time_c.jiffies_to_usecs(rto);
    }

    // include/net/tcp.h: tcp_highest_sack_reset
    public static void tcp_highest_sack_reset(sock sk) => Linux.tcp_h.tcp_sk(sk).highest_sack = tcp_rtx_queue_head(sk);

    // include/net/tcp.h: tcp_highest_sack
    public static sk_buff? tcp_highest_sack(sock sk) => Linux.tcp_h.tcp_sk(sk).highest_sack;

    // include/net/tcp.h: tcp_highest_sack_seq
    /// <summary>The start of the skb after the highest SACKed one: snd_una without SACKs, snd_nxt when the tail is SACKed.</summary>
    public static uint tcp_highest_sack_seq(tcp_sock tp)
    {
        if (tp.sacked_out == 0)
        {
            return tp.snd_una;
        }

        if (tp.highest_sack is null)
        {
            return tp.snd_nxt;
        }

        return TCP_SKB_CB(tp.highest_sack).seq;
    }

    // not ported: skb_rb_next — the retransmit queue is a linked list, not an rbtree: the next skb is skb.next
    // include/net/tcp.h: tcp_advance_highest_sack
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_advance_highest_sack(sock sk, sk_buff skb) => Linux.tcp_h.tcp_sk(sk).highest_sack = skb.next;

    // include/net/tcp.h: tcp_highest_sack_replace
    /// <summary>An skb about to leave the queue hands the highest_sack mark to <paramref name="new_skb"/>.</summary>
    [KernelNet.Annotations.Borrows("old")]
    [KernelNet.Annotations.Borrows("new_skb")]
    public static void tcp_highest_sack_replace(sock sk, sk_buff old, sk_buff? new_skb)
    {
        if (old == tcp_highest_sack(sk))
        {
            Linux.tcp_h.tcp_sk(sk).highest_sack = new_skb;
        }
    }

    // include/linux/list.h: list_move_tail (on tcp_tsorted_anchor)
    /// <summary>Moves the skb to the tail of tsorted_sent_queue: it was just (re)sent.</summary>
    [KernelNet.Annotations.NotInLinux("list_move_tail of include/linux/list.h on skb->tcp_tsorted_anchor, over the port's linked list")]
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_tsorted_move_tail(tcp_sock tp, sk_buff skb)
    {
        tcp_tsorted_del_init(tp, skb);
        ref var q = ref tp.tsorted_sent_queue;
        skb.tcp_tsorted_prev = q.last;
        skb.tcp_tsorted_next = null;
        if (q.last is null)
        {
            q.first = skb;
        }
        else
        {
            q.last.tcp_tsorted_next = skb;
        }

        q.last = skb;
        skb.tcp_tsorted_linked = true;
    }

    // include/linux/list.h: list_add (on tcp_tsorted_anchor)
    /// <summary>tcp_fragment's new tail half follows its head in send order (nowhere when the head is not listed).</summary>
    [KernelNet.Annotations.NotInLinux("list_add of include/linux/list.h on skb->tcp_tsorted_anchor, over the port's linked list")]
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("anchor")]
    public static void tcp_tsorted_add_after(tcp_sock tp, sk_buff anchor, sk_buff skb)
    {
        if (!anchor.tcp_tsorted_linked)
        {
            return;
        }

        ref var q = ref tp.tsorted_sent_queue;
        skb.tcp_tsorted_prev = anchor;
        skb.tcp_tsorted_next = anchor.tcp_tsorted_next;
        if (anchor.tcp_tsorted_next is null)
        {
            q.last = skb;
        }
        else
        {
            anchor.tcp_tsorted_next.tcp_tsorted_prev = skb;
        }

        anchor.tcp_tsorted_next = skb;
        skb.tcp_tsorted_linked = true;
    }

    // include/linux/list.h: list_del_init (on tcp_tsorted_anchor)
    /// <summary>Takes the skb off tsorted_sent_queue (SACKed, marked lost by RACK, or freed).</summary>
    [KernelNet.Annotations.NotInLinux("list_del_init of include/linux/list.h on skb->tcp_tsorted_anchor, over the port's linked list")]
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_tsorted_del_init(tcp_sock tp, sk_buff skb)
    {
        if (!skb.tcp_tsorted_linked)
        {
            return;
        }

        ref var q = ref tp.tsorted_sent_queue;
        if (skb.tcp_tsorted_prev is null)
        {
            q.first = skb.tcp_tsorted_next;
        }
        else
        {
            skb.tcp_tsorted_prev.tcp_tsorted_next = skb.tcp_tsorted_next;
        }

        if (skb.tcp_tsorted_next is null)
        {
            q.last = skb.tcp_tsorted_prev;
        }
        else
        {
            skb.tcp_tsorted_next.tcp_tsorted_prev = skb.tcp_tsorted_prev;
        }

        skb.tcp_tsorted_next = null;
        skb.tcp_tsorted_prev = null;
        skb.tcp_tsorted_linked = false;
    }

    // include/net/tcp.h: tcp_clear_xmit_timers
    /// <summary>Stops the pacing hrtimer, then the retransmit and delayed-ACK timers (the compressed-ACK hrtimer is not ported).</summary>
    public static void tcp_clear_xmit_timers(sock sk)
    {
        // not ported: __sock_put — socket references are not counted
        // __sock_put for a cancelled timer: the port does not count socket references.
        if (Linux.tcp_h.tcp_sk(sk).pacing_timer is { } pacing_timer)
        {
            KernelNet.Kernel.Kernel.Time.hrtimer_c.hrtimer_try_to_cancel(sk.sk_net.k, pacing_timer);
        }
        KernelNet.Kernel.Net.Ipv4.inet_connection_sock_c.inet_csk_clear_xmit_timers(sk);
    }

    // include/net/tcp.h: tcp_needs_internal_pacing
    /// <summary>Must TCP pace the flow itself (no sch_fq doing it)?</summary>
    public static bool tcp_needs_internal_pacing(sock sk) => sk.sk_pacing_status == sock_h.SK_PACING_NEEDED;

    // include/net/tcp.h: tcp_pacing_delay
    /// <summary>How many jiffies until pacing lets the next segment go (0 when it may go now).</summary>
    public static ulong tcp_pacing_delay(sock sk)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);
        var delay = (long)(tp.tcp_wstamp_ns - tp.tcp_clock_cache);
        return delay > 0 ? (ulong)Kernel.Time.time_c.nsecs_to_jiffies((ulong)delay) : 0;
    }

    // include/net/tcp.h: tcp_reset_xmit_timer
    /// <summary>Arms the retransmit timer for <paramref name="what"/>, later by the pacing delay when asked.</summary>
    public static void tcp_reset_xmit_timer(sock sk, int what, ulong when, bool pace_delay)
    {
        // not ported: tcp_rto_max — no per-socket TCP_RTO_MAX_MS option: the ceiling is the global TCP_RTO_MAX_MS
        if (pace_delay)
        {
            when += tcp_pacing_delay(sk);
        }

        inet_connection_sock_h.inet_csk_reset_xmit_timer(sk, what, when, (ulong)jiffies_h.msecs_to_jiffies(TCP_RTO_MAX_MS));
    }

    // not ported: tcp_call_bpf — no BPF sock_ops programs: the initial timeout is TCP_TIMEOUT_INIT
    // include/net/tcp.h: tcp_timeout_init
    /// <summary>The SYN's RTO: TCP_TIMEOUT_INIT (1 s; no BPF override).</summary>
    public static uint tcp_timeout_init(sock sk) => TCP_TIMEOUT_INIT;

    // include/net/tcp.h: tcp_rtx_queue_empty
    public static bool tcp_rtx_queue_empty(sock sk) => Linux.tcp_h.tcp_sk(sk).tcp_rtx_queue_made?.first is null;

    // not ported: skb_peek — the head is read as sk_write_queue.first
    // include/net/tcp.h: tcp_send_head
    /// <summary>The first not-yet-sent skb on the write queue.</summary>
    public static sk_buff? tcp_send_head(sock sk) => sk.sk_write_queue_made?.first;

    // include/net/tcp.h: tcp_checksum_complete
    /// <summary>Verifies the whole segment against the pseudo-header unless already verified (skb_csum_unnecessary: CHECKSUM_UNNECESSARY, or CHECKSUM_PARTIAL from a sender on this machine or GRO); true when it is bad.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool tcp_checksum_complete(sk_buff skb)
    {
        // not ported: __skb_checksum_complete — there is no skb->csum holding the pseudo-header sum: the
        //   segment is summed here from the transport header with tcp_v4_check's pseudo-header
        // a sum the device verified, or one left to a device by a sender on this machine (lo, veth)
        if (skbuff_h.skb_csum_unnecessary(skb))
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

    // include/net/tcp.h: tcp_is_reno
    public static bool tcp_is_reno(Linux.tcp_sock tp) => !tcp_is_sack(tp);

    // include/net/tcp.h: tcp_slow_start_after_idle_check
    /// <summary>After an idle spell longer than the RTO with nothing in flight, cwnd restarts (tcp_cwnd_restart, RFC 5681 4.1).</summary>
    public static void tcp_slow_start_after_idle_check(sock sk)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);

        // an algorithm with its own cong_control (BBR) handles idle restarts itself
        if (!netns_ipv4.of(sk.sk_net).sysctl_tcp_slow_start_after_idle || tp.packets_out != 0 ||
            inet_connection_sock_h.inet_csk(sk).icsk_ca_ops?.cong_control is not null)
        {
            return;
        }

        var delta = (int)((uint)sk.sk_net.k.jiffies - tp.lsndtime);
        if (delta > inet_connection_sock_h.inet_csk(sk).icsk_rto)
        {
            KernelNet.Kernel.Net.Ipv4.tcp_output_c.tcp_cwnd_restart(sk, delta);
        }
    }

    // include/net/tcp.h: tcp_wmem_free_skb
    /// <summary>Frees a queued skb, giving its truesize back to sk_wmem_queued and the forward allocation; no tracepoint (__kfree_skb).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static void tcp_wmem_free_skb(sock sk, sk_buff skb)
    {
        sock_h.sk_wmem_queued_add(sk, -(int)skb.truesize);

        // a pure zerocopy skb charged the forward allocation only for its head
        if (!Linux.skbuff_h.skb_zcopy_pure(skb))
        {
            sock_h.sk_mem_uncharge(sk, (int)skb.truesize);
        }
        else
        {
            sock_h.sk_mem_uncharge(sk, Linux.skbuff_h.SKB_TRUESIZE(Linux.skbuff_h.skb_end_offset(skb)));
        }

        KernelNet.Kernel.Net.Core.skbuff_c.__kfree_skb(skb);
    }

    // include/net/tcp.h: tcp_bound_to_half_wnd
    /// <summary>No packet bigger than half the largest window the peer offered (or the whole of a tiny one).</summary>
    public static int tcp_bound_to_half_wnd(Linux.tcp_sock tp, int pktsize)
    {
        int cutoff = tp.max_window > TCP_MSS_DEFAULT ? (int)(tp.max_window >> 1) : (int)tp.max_window;
        if (cutoff != 0 && pktsize > cutoff)
        {
            return System.Math.Max(cutoff, 68 - (int)tp.tcp_header_len);
        }

        return pktsize;
    }

    /// <summary>TCP_RESOURCE_PROBE_INTERVAL: the retry interval when a local resource refused a send (HZ/2).</summary>
    public const uint TCP_RESOURCE_PROBE_INTERVAL = (uint)(Vmlinux.HZ / 2);

    /// <summary>TCP_RTO_MAX and TCP_RTO_MIN in jiffies.</summary>
    public const uint TCP_RTO_MAX = (uint)(TCP_RTO_MAX_MS * Vmlinux.HZ / 1000);

    public const uint TCP_RTO_MIN = (uint)(TCP_RTO_MIN_MS * Vmlinux.HZ / 1000);

    // include/net/tcp.h: tcp_rto_max
    /// <summary>icsk_rto_max: TCP_RTO_MAX (net.ipv4.tcp_rto_max_ms default; no TCP_RTO_MAX_MS socket option).</summary>
    public static uint tcp_rto_max(sock sk) => TCP_RTO_MAX;

    // include/net/tcp.h: tcp_bound_rto
    public static void tcp_bound_rto(sock sk)
    {
        var icsk = inet_connection_sock_h.inet_csk(sk);
        icsk.icsk_rto = System.Math.Min(icsk.icsk_rto, tcp_rto_max(sk));
    }

    // include/net/tcp.h: __tcp_set_rto
    /// <summary>RTO = srtt + rttvar (rttvar already holds the 4 x mdev term, never below rto_min).</summary>
    public static uint __tcp_set_rto(Linux.tcp_sock tp) => (uint)jiffies_h.usecs_to_jiffies((tp.srtt_us >> 3) + tp.rttvar_us);

    // not ported: __sk_dst_get, dst_metric_locked, dst_metric_rtt — no route metrics (RTAX_RTO_MIN) and no per-socket rto_min option: the global minimum holds
    // include/net/tcp.h: tcp_rto_min
    /// <summary>icsk_rto_min: TCP_RTO_MIN (no RTAX_RTO_MIN route metric, no TCP_BPF_RTO_MIN).</summary>
    public static uint tcp_rto_min(sock sk) => TCP_RTO_MIN;

    // include/net/tcp.h: tcp_rto_min_us
    public static uint tcp_rto_min_us(sock sk) => KernelNet.Kernel.Kernel.Time.time_c.jiffies_to_usecs(tcp_rto_min(sk));

    // include/net/tcp.h: tcp_stamp_us_delta
    public static uint tcp_stamp_us_delta(ulong t1, ulong t0) => (uint)System.Math.Max((long)(t1 - t0), 0);

    // include/net/tcp.h: tcp_skb_timestamp_us
    /// <summary>When the skb was last sent, in µs (skb_mstamp_ns).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static ulong tcp_skb_timestamp_us(sk_buff skb) => (ulong)skb.tstamp / 1000;

    // include/net/tcp.h: tcp_skb_pcount
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_skb_pcount(sk_buff skb) => TCP_SKB_CB(skb).tcp_gso_segs;

    // include/net/tcp.h: tcp_skb_pcount_set
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_skb_pcount_set(sk_buff skb, int segs) => TCP_SKB_CB(skb).tcp_gso_segs = (ushort)segs;

    // include/net/tcp.h: tcp_skb_pcount_add
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_skb_pcount_add(sk_buff skb, int segs) => TCP_SKB_CB(skb).tcp_gso_segs = (ushort)(TCP_SKB_CB(skb).tcp_gso_segs + segs);

    // include/net/tcp.h: tcp_skb_mss
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_skb_mss(sk_buff skb) => TCP_SKB_CB(skb).tcp_gso_size;

    // include/net/tcp.h: tcp_skb_can_collapse_to
    /// <summary>May later data be appended to this skb? Not past the end of a record (MSG_EOR).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool tcp_skb_can_collapse_to(sk_buff skb) => !TCP_SKB_CB(skb).eor;

    // not ported: mptcp_skb_can_collapse, skb_frags_readable, skb_pure_zcopy_same — no MPTCP, devmem or zerocopy frags
    // include/net/tcp.h: tcp_skb_can_collapse
    /// <summary>May <paramref name="from"/> be merged into <paramref name="to"/>? (no MPTCP, zerocopy or unreadable frags here)</summary>
    [KernelNet.Annotations.Borrows("to")]
    [KernelNet.Annotations.Borrows("from")]
    public static bool tcp_skb_can_collapse(sk_buff to, sk_buff from) => tcp_skb_can_collapse_to(to);

    // include/net/tcp.h: tcp_left_out
    public static uint tcp_left_out(Linux.tcp_sock tp) => tp.sacked_out + tp.lost_out;

    // include/net/tcp.h: tcp_packets_in_flight
    /// <summary>Segments believed to be in the network: sent, minus those known to have left (SACKed or lost), plus retransmissions.</summary>
    public static uint tcp_packets_in_flight(Linux.tcp_sock tp) => tp.packets_out - tcp_left_out(tp) + tp.retrans_out;

    // include/net/tcp.h: tcp_snd_cwnd
    public static uint tcp_snd_cwnd(Linux.tcp_sock tp) => tp.snd_cwnd;

    // include/net/tcp.h: tcp_snd_cwnd_set
    public static void tcp_snd_cwnd_set(Linux.tcp_sock tp, uint val)
    {
        System.Diagnostics.Debug.Assert((int)val > 0, "cwnd must stay positive");
        tp.snd_cwnd = val;
    }

    // include/net/tcp.h: tcp_in_slow_start
    public static bool tcp_in_slow_start(Linux.tcp_sock tp) => tcp_snd_cwnd(tp) < tp.snd_ssthresh;

    // include/net/tcp.h: tcp_in_initial_slowstart
    public static bool tcp_in_initial_slowstart(Linux.tcp_sock tp) => tp.snd_ssthresh >= TCP_INFINITE_SSTHRESH;

    // include/net/tcp.h: tcp_in_cwnd_reduction
    public static bool tcp_in_cwnd_reduction(sock sk)
    {
        var state = inet_connection_sock_h.inet_csk(sk).icsk_ca_state;
        return state is TCP_CA_CWR or TCP_CA_Recovery;
    }

    // include/net/tcp.h: tcp_current_ssthresh
    /// <summary>ssthresh, or three quarters of cwnd if that is more (outside a cwnd reduction).</summary>
    public static uint tcp_current_ssthresh(sock sk)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);
        if (tcp_in_cwnd_reduction(sk))
        {
            return tp.snd_ssthresh;
        }

        return System.Math.Max(tp.snd_ssthresh, (tcp_snd_cwnd(tp) >> 1) + (tcp_snd_cwnd(tp) >> 2));
    }

    // include/net/tcp.h: tcp_wnd_end
    /// <summary>The right edge of the peer's window: the first sequence number it cannot take.</summary>
    public static uint tcp_wnd_end(Linux.tcp_sock tp) => tp.snd_una + tp.snd_wnd;

    // include/net/tcp.h: tcp_is_cwnd_limited
    /// <summary>Was the last window of sending held back by cwnd? In slow start: did the sender use at least half of cwnd?</summary>
    public static bool tcp_is_cwnd_limited(sock sk)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);
        if (tp.is_cwnd_limited)
        {
            return true;
        }

        if (tcp_in_slow_start(tp))
        {
            return tcp_snd_cwnd(tp) < 2 * tp.max_packets_out;
        }

        return false;
    }

    // include/net/tcp.h: tcp_ca_event
    public static void tcp_ca_event(sock sk, int @event) => inet_connection_sock_h.inet_csk(sk).icsk_ca_ops?.cwnd_event?.Invoke(sk, @event);

    // include/net/tcp.h: tcp_probe0_base
    public static ulong tcp_probe0_base(sock sk) => System.Math.Max(inet_connection_sock_h.inet_csk(sk).icsk_rto, TCP_RTO_MIN);

    // include/net/tcp.h: tcp_probe0_when
    /// <summary>The zero-window probe interval: the base doubled per backoff, bounded.</summary>
    public static ulong tcp_probe0_when(sock sk, ulong max_when)
    {
        var backoff = System.Math.Min(System.Numerics.BitOperations.Log2(TCP_RTO_MAX / TCP_RTO_MIN) + 1, inet_connection_sock_h.inet_csk(sk).icsk_backoff);
        var when = tcp_probe0_base(sk) << backoff;
        return System.Math.Min(when, max_when);
    }

    // include/net/tcp.h: tcp_check_probe_timer
    /// <summary>Nothing in flight and no timer armed while data waits: the zero-window probe timer keeps the connection alive.</summary>
    public static void tcp_check_probe_timer(sock sk)
    {
        if (Linux.tcp_h.tcp_sk(sk).packets_out == 0 && inet_connection_sock_h.inet_csk(sk).icsk_pending == 0)
        {
            tcp_reset_xmit_timer(sk, inet_connection_sock_h.ICSK_TIME_PROBE0, tcp_probe0_base(sk), true);
        }
    }

    // not ported: skb_peek_tail — the tail is read as sk_write_queue.last
    // include/net/tcp.h: tcp_write_queue_tail
    public static sk_buff? tcp_write_queue_tail(sock sk) => sk.sk_write_queue_made?.last;

    // not ported: skb_queue_is_last — the test is sk_write_queue.last == skb
    // include/net/tcp.h: tcp_skb_is_last
    [KernelNet.Annotations.Borrows("skb")]
    public static bool tcp_skb_is_last(sock sk, sk_buff skb) => sk.sk_write_queue_made?.last == skb;

    // include/net/tcp.h: tcp_write_queue_empty
    /// <summary>No payload (or FIN) waits to be sent: write_seq has been reached (an empty skb may still sit on the queue).</summary>
    public static bool tcp_write_queue_empty(sock sk)
    {
        var tp = Linux.tcp_h.tcp_sk(sk);
        return tp.write_seq == tp.snd_nxt;
    }

    // include/net/tcp.h: tcp_rtx_and_write_queues_empty
    public static bool tcp_rtx_and_write_queues_empty(sock sk) => tcp_rtx_queue_empty(sk) && tcp_write_queue_empty(sk);

    // include/net/tcp.h: tcp_add_write_queue_tail
    /// <summary>Queues the skb at the tail of the write queue; the first one starts the busy chronograph.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_add_write_queue_tail(sock sk, sk_buff skb)
    {
        skbuff_h.__skb_queue_tail(sk.sk_write_queue, skb);

        // the first skb of an empty write queue: the socket is busy sending from now on
        if (sk.sk_write_queue.first == skb)
        {
            KernelNet.Kernel.Net.Ipv4.tcp_output_c.tcp_chrono_start(sk, TCP_CHRONO_BUSY);
        }
    }

    /// <summary>enum tcp_chrono: what a connection's time is charged to (tcp_chrono_start/stop); a higher value takes precedence.</summary>
    public const int TCP_CHRONO_UNSPEC = 0;

    public const int TCP_CHRONO_BUSY = 1;

    public const int TCP_CHRONO_RWND_LIMITED = 2;

    public const int TCP_CHRONO_SNDBUF_LIMITED = 3;

    public const int __TCP_CHRONO_MAX = 4;

    // include/net/tcp.h: tcp_insert_write_queue_before
    /// <summary>Queues <paramref name="new_skb"/> on the write queue just ahead of <paramref name="skb"/> (__skb_queue_before).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("new_skb")]
    public static void tcp_insert_write_queue_before(sk_buff new_skb, sk_buff skb, sock sk)
    {
        // not ported: __skb_queue_before — written as __skb_queue_head/__skb_queue_after on skb's predecessor, the same link change
        if (skb.prev is null)
        {
            skbuff_h.__skb_queue_head(sk.sk_write_queue, new_skb);
        }
        else
        {
            skbuff_h.__skb_queue_after(sk.sk_write_queue, skb.prev, new_skb);
        }
    }

    // not ported: tcp_skb_tsorted_anchor_cleanup — the write queue skbs carry no tsorted anchor until they are sent
    // include/net/tcp.h: tcp_unlink_write_queue
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_unlink_write_queue(sk_buff skb, sock sk) => skbuff_h.__skb_unlink(skb, sk.sk_write_queue);

    // include/net/tcp.h: tcp_rtx_queue_unlink
    /// <summary>The skb leaves the retransmit queue, and with it tsorted_sent_queue.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_rtx_queue_unlink(sk_buff skb, sock sk)
    {
        // not ported: tcp_skb_tsorted_anchor_cleanup — the tsorted list node is removed with tcp_tsorted_del_init
        tcp_tsorted_del_init(Linux.tcp_h.tcp_sk(sk), skb);
        skbuff_h.__skb_unlink(skb, Linux.tcp_h.tcp_sk(sk).tcp_rtx_queue);
    }

    // include/net/tcp.h: tcp_rtx_queue_unlink_and_free
    /// <summary>An acknowledged skb leaves the retransmit queue and is freed (tcp_wmem_free_skb: __kfree_skb, which no tracepoint reports).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static void tcp_rtx_queue_unlink_and_free(sk_buff skb, sock sk)
    {
        tcp_rtx_queue_unlink(skb, sk);
        tcp_wmem_free_skb(sk, skb);
    }

    // not ported: skb_rb_first — the retransmit queue is a linked list, not an rbtree
    // include/net/tcp.h: tcp_rtx_queue_head
    public static sk_buff? tcp_rtx_queue_head(sock sk) => Linux.tcp_h.tcp_sk(sk).tcp_rtx_queue_made?.first;

    // include/net/tcp.h: tcp_push_pending_frames
    /// <summary>Sends what the write queue holds, as far as the windows and Nagle allow.</summary>
    public static void tcp_push_pending_frames(sock sk)
    {
        if (tcp_send_head(sk) is not null)
        {
            var tp = Linux.tcp_h.tcp_sk(sk);
            KernelNet.Kernel.Net.Ipv4.tcp_output_c.__tcp_push_pending_frames(sk, KernelNet.Kernel.Net.Ipv4.tcp_output_c.tcp_current_mss(sk), tp.nonagle);
        }
    }

    // include/net/tcp.h: tcp_notsent_lowat
    /// <summary>The unsent bytes above which a writer is not woken: the socket's TCP_NOTSENT_LOWAT, else the sysctl (default UINT_MAX).</summary>
    public static uint tcp_notsent_lowat(Linux.tcp_sock tp)
    {
        var val = tp.notsent_lowat;
        return val != 0 ? val : netns_ipv4.of(tp.sk.sk_net).sysctl_tcp_notsent_lowat;
    }

    /// <summary>MAX_SYNCOOKIE_AGE: a cookie is good for this many TCP_SYNCOOKIE_PERIODs after the one that made it.</summary>
    public const int MAX_SYNCOOKIE_AGE = 2;

    /// <summary>TCP_SYNCOOKIE_PERIOD: the cookie's time counter ticks once a minute (jiffies).</summary>
    public const uint TCP_SYNCOOKIE_PERIOD = 60 * Vmlinux.HZ;

    /// <summary>TCP_SYNCOOKIE_VALID: how long after an overflow cookies are looked for in ACKs.</summary>
    public const uint TCP_SYNCOOKIE_VALID = MAX_SYNCOOKIE_AGE * TCP_SYNCOOKIE_PERIOD;

    // include/net/tcp.h: tcp_synq_overflow
    /// <summary>
    /// Remembers, at most once a second, when the listener last answered with
    /// a cookie: a listener's rx_opt.ts_recent_stamp holds that jiffies value
    /// (reuseport groups keep theirs elsewhere: not ported).
    /// </summary>
    public static void tcp_synq_overflow(sock sk)
    {
        // not ported: tcp_sk_rw — tcp_sk is writable here: no const split
        var now = (uint)sk.sk_net.k.jiffies;
        var tp = Linux.tcp_h.tcp_sk(sk);
        var last_overflow = (uint)tp.rx_opt.ts_recent_stamp;
        if (!time_h.time_between32(now, last_overflow, unchecked(last_overflow + (uint)Vmlinux.HZ)))
        {
            tp.rx_opt.ts_recent_stamp = now;
        }
    }

    // include/net/tcp.h: tcp_synq_no_recent_overflow
    /// <summary>No cookie was sent within TCP_SYNCOOKIE_VALID (a second of slack before): an ACK for the listener cannot carry one.</summary>
    public static bool tcp_synq_no_recent_overflow(sock sk)
    {
        var now = (uint)sk.sk_net.k.jiffies;
        var last_overflow = (uint)Linux.tcp_h.tcp_sk(sk).rx_opt.ts_recent_stamp;
        return !time_h.time_between32(now, unchecked(last_overflow - (uint)Vmlinux.HZ), unchecked(last_overflow + TCP_SYNCOOKIE_VALID));
    }

    // include/net/tcp.h: cookie_init_sequence
    /// <summary>A SYN answered with a cookie: the overflow remembered, SyncookiesSent, and the cookie ISN (ops->cookie_init_seq: IPv4's).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint cookie_init_sequence(sock sk, sk_buff skb, ref ushort mss)
    {
        // not ported: __NET_INC_STATS — NET_INC_STATS is called: per-CPU counter variants are one here
        tcp_synq_overflow(sk);
        ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_SYNCOOKIESSENT);
        return KernelNet.Kernel.Net.Ipv4.syncookies_c.cookie_v4_init_sequence(skb, ref mss);
    }

    // not ported: get_jiffies_64 — jiffies is already 64-bit here
    // include/net/tcp.h: tcp_cookie_time
    /// <summary>The cookie's clock: 64-bit jiffies in TCP_SYNCOOKIE_PERIODs.</summary>
    public static uint tcp_cookie_time(Vmlinux k) => (uint)(k.jiffies / TCP_SYNCOOKIE_PERIOD);
}
