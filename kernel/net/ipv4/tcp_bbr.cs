// Ports net/ipv4/tcp_bbr.c: BBR (Bottleneck Bandwidth and RTT, v1 as
// mainline 6.18 has it), a model-based congestion control. From every ACK's
// rate sample (tcp_rate.c) it keeps a windowed maximum of the delivery rate
// over ten round trips (win_minmax) and a windowed minimum RTT over ten
// seconds; it paces at gain x bw (sk_pacing_rate, with TCP's internal
// pacing: bbr_init asks for SK_PACING_NEEDED) and caps cwnd at gain x BDP
// plus room for TSO, delayed and aggregated ACKs. The state machine:
// STARTUP (gain 2/ln2, the rate doubles per round) until the bandwidth
// stops growing by 25% for three rounds, DRAIN (the inverse gain) until the
// queue it built is gone, PROBE_BW (the eight-phase gain cycle 5/4, 3/4,
// 1 x6), and PROBE_RTT (cwnd 4 for 200 ms and a round) when min_rtt has not
// been refreshed for ten seconds. Long-term sampling detects a token-bucket
// policer (two intervals of equal rate with 20% loss) and paces at its rate.
//
// bbr_cwnd_event, bbr_min_tso_segs and friends are BPF kfuncs in 6.18; BTF
// registration has no counterpart here (no BPF).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.win_minmax_h;
using static KernelNet.Kernel.Include.Uapi.Linux.inet_diag_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Lib.win_minmax_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>enum bbr_mode: the four states of BBR's state machine.</summary>
public enum bbr_mode : uint
{
    /// <summary>BBR_STARTUP: ramp the rate up fast to fill the pipe.</summary>
    BBR_STARTUP,

    /// <summary>BBR_DRAIN: empty the queue STARTUP built.</summary>
    BBR_DRAIN,

    /// <summary>BBR_PROBE_BW: steady state, pacing around the estimated bw with the gain cycle.</summary>
    BBR_PROBE_BW,

    /// <summary>BBR_PROBE_RTT: cut inflight to a minimum to measure min_rtt afresh.</summary>
    BBR_PROBE_RTT,
}

/// <summary>
/// struct bbr: BBR's per-socket state, plain data laid over icsk_ca_priv
/// (inet_csk_ca) and held by ref. The C bitfields share their three u32 words
/// as in the kernel (the struct must fit ICSK_CA_PRIV_SIZE); each is a
/// property of its width.
/// </summary>
public struct bbr
{
    /// <summary>min_rtt_us: the minimum RTT of the min_rtt_win_sec window; min_rtt_stamp: when it was taken (jiffies).</summary>
    public uint min_rtt_us;

    public uint min_rtt_stamp;

    /// <summary>probe_rtt_done_stamp: when PROBE_RTT may end (jiffies; 0: not yet known).</summary>
    public uint probe_rtt_done_stamp;

    /// <summary>bw: the windowed maximum delivery rate, in packets per µs &lt;&lt; BW_SCALE.</summary>
    public minmax bw;

    /// <summary>rtt_cnt: packet-timed round trips so far; next_rtt_delivered: tp->delivered that ends this round.</summary>
    public uint rtt_cnt;

    public uint next_rtt_delivered;

    /// <summary>cycle_mstamp: when the current gain-cycle phase began (µs).</summary>
    public ulong cycle_mstamp;

    /// <summary>The word of mode:3, prev_ca_state:3, packet_conservation:1, round_start:1, idle_restart:1, probe_rtt_round_done:1, unused:13, lt_is_sampling:1, lt_rtt_cnt:7, lt_use_bw:1.</summary>
    private uint _bits_mode;

    /// <summary>mode:3.</summary>
    public bbr_mode mode { readonly get => (bbr_mode)BitfieldGet(_bits_mode, 0, 3); set => _bits_mode = BitfieldSet(_bits_mode, 0, 3, (uint)value); }

    /// <summary>prev_ca_state:3: the CA state at the previous ACK.</summary>
    public byte prev_ca_state { readonly get => (byte)BitfieldGet(_bits_mode, 3, 3); set => _bits_mode = BitfieldSet(_bits_mode, 3, 3, value); }

    /// <summary>packet_conservation:1: the first round of Recovery sends one for one.</summary>
    public bool packet_conservation { readonly get => BitfieldGet(_bits_mode, 6, 1) != 0; set => _bits_mode = BitfieldSet(_bits_mode, 6, 1, value ? 1U : 0U); }

    /// <summary>round_start:1: this ACK began a new packet-timed round.</summary>
    public bool round_start { readonly get => BitfieldGet(_bits_mode, 7, 1) != 0; set => _bits_mode = BitfieldSet(_bits_mode, 7, 1, value ? 1U : 0U); }

    /// <summary>idle_restart:1: sending restarted after an idle period.</summary>
    public bool idle_restart { readonly get => BitfieldGet(_bits_mode, 8, 1) != 0; set => _bits_mode = BitfieldSet(_bits_mode, 8, 1, value ? 1U : 0U); }

    /// <summary>probe_rtt_round_done:1: a round at cwnd 4 has passed in PROBE_RTT.</summary>
    public bool probe_rtt_round_done { readonly get => BitfieldGet(_bits_mode, 9, 1) != 0; set => _bits_mode = BitfieldSet(_bits_mode, 9, 1, value ? 1U : 0U); }

    /// <summary>lt_is_sampling:1, lt_rtt_cnt:7, lt_use_bw:1: the long-term (policer) sampling.</summary>
    public bool lt_is_sampling { readonly get => BitfieldGet(_bits_mode, 23, 1) != 0; set => _bits_mode = BitfieldSet(_bits_mode, 23, 1, value ? 1U : 0U); }

    public uint lt_rtt_cnt { readonly get => BitfieldGet(_bits_mode, 24, 7); set => _bits_mode = BitfieldSet(_bits_mode, 24, 7, value); }

    public bool lt_use_bw { readonly get => BitfieldGet(_bits_mode, 31, 1) != 0; set => _bits_mode = BitfieldSet(_bits_mode, 31, 1, value ? 1U : 0U); }

    /// <summary>lt_bw: the long-term delivery rate (packets per µs &lt;&lt; BW_SCALE).</summary>
    public uint lt_bw;

    /// <summary>lt_last_delivered, lt_last_stamp (ms), lt_last_lost: the start of the long-term interval.</summary>
    public uint lt_last_delivered;

    public uint lt_last_stamp;

    public uint lt_last_lost;

    /// <summary>The word of pacing_gain:10, cwnd_gain:10, full_bw_reached:1, full_bw_cnt:2, cycle_idx:3, has_seen_rtt:1, unused_b:5.</summary>
    private uint _bits_gain;

    /// <summary>pacing_gain:10, cwnd_gain:10: the current gains, in BBR_UNIT.</summary>
    public uint pacing_gain { readonly get => BitfieldGet(_bits_gain, 0, 10); set => _bits_gain = BitfieldSet(_bits_gain, 0, 10, value); }

    public uint cwnd_gain { readonly get => BitfieldGet(_bits_gain, 10, 10); set => _bits_gain = BitfieldSet(_bits_gain, 10, 10, value); }

    /// <summary>full_bw_reached:1, full_bw_cnt:2: STARTUP's pipe-full detection.</summary>
    public bool full_bw_reached { readonly get => BitfieldGet(_bits_gain, 20, 1) != 0; set => _bits_gain = BitfieldSet(_bits_gain, 20, 1, value ? 1U : 0U); }

    public uint full_bw_cnt { readonly get => BitfieldGet(_bits_gain, 21, 2); set => _bits_gain = BitfieldSet(_bits_gain, 21, 2, value); }

    /// <summary>cycle_idx:3: the phase of the pacing gain cycle.</summary>
    public uint cycle_idx { readonly get => BitfieldGet(_bits_gain, 23, 3); set => _bits_gain = BitfieldSet(_bits_gain, 23, 3, value); }

    /// <summary>has_seen_rtt:1: the pacing rate was set from a real RTT sample.</summary>
    public bool has_seen_rtt { readonly get => BitfieldGet(_bits_gain, 26, 1) != 0; set => _bits_gain = BitfieldSet(_bits_gain, 26, 1, value ? 1U : 0U); }

    /// <summary>prior_cwnd: cwnd before loss recovery or PROBE_RTT cut it.</summary>
    public uint prior_cwnd;

    /// <summary>full_bw: the bandwidth STARTUP's growth is measured against.</summary>
    public uint full_bw;

    /// <summary>ack_epoch_mstamp: the start of the ACK aggregation epoch (µs).</summary>
    public ulong ack_epoch_mstamp;

    /// <summary>extra_acked[2] (u16): the largest excess of ACKed data per window half.</summary>
    public u16_array2 extra_acked;

    /// <summary>The word of ack_epoch_acked:20, extra_acked_win_rtts:5, extra_acked_win_idx:1, unused_c:6.</summary>
    private uint _bits_epoch;

    /// <summary>ack_epoch_acked:20, extra_acked_win_rtts:5, extra_acked_win_idx:1.</summary>
    public uint ack_epoch_acked { readonly get => BitfieldGet(_bits_epoch, 0, 20); set => _bits_epoch = BitfieldSet(_bits_epoch, 0, 20, value); }

    public uint extra_acked_win_rtts { readonly get => BitfieldGet(_bits_epoch, 20, 5); set => _bits_epoch = BitfieldSet(_bits_epoch, 20, 5, value); }

    public uint extra_acked_win_idx { readonly get => BitfieldGet(_bits_epoch, 25, 1); set => _bits_epoch = BitfieldSet(_bits_epoch, 25, 1, value); }

    /// <summary>A C bitfield's read: <paramref name="width"/> bits of <paramref name="word"/> from bit <paramref name="shift"/>.</summary>
    [KernelNet.Annotations.NotInLinux("the shift and mask the C compiler emits for a bitfield read")]
    private static uint BitfieldGet(uint word, int shift, int width) => (word >> shift) & ((1U << width) - 1);

    /// <summary>A C bitfield's store: the value truncated to <paramref name="width"/> bits, the word's other bits kept.</summary>
    [KernelNet.Annotations.NotInLinux("the shift and mask the C compiler emits for a bitfield store")]
    private static uint BitfieldSet(uint word, int shift, int width, uint value)
    {
        var mask = ((1U << width) - 1) << shift;
        return (word & ~mask) | ((value << shift) & mask);
    }
}

/// <summary>u16[2]: bbr's extra_acked, embedded as the kernel embeds the array.</summary>
[System.Runtime.CompilerServices.InlineArray(2)]
public struct u16_array2
{
    private ushort _element0;
}

public static class tcp_bbr_c
{
    /// <summary>BW_SCALE, BW_UNIT: the fixed point of bandwidths (packets per µs).</summary>
    private const int BW_SCALE = 24;
    private const ulong BW_UNIT = 1UL << BW_SCALE;

    /// <summary>BBR_SCALE, BBR_UNIT: the fixed point of gains.</summary>
    private const int BBR_SCALE = 8;
    private const int BBR_UNIT = 1 << BBR_SCALE;

    /// <summary>CYCLE_LEN: phases of the pacing gain cycle.</summary>
    private const uint CYCLE_LEN = 8;

    private const uint USEC_PER_SEC = 1_000_000;
    private const uint USEC_PER_MSEC = 1000;

    // the model's constants (static const in tcp_bbr.c)
    private const uint bbr_bw_rtts = CYCLE_LEN + 2;
    private const uint bbr_min_rtt_win_sec = 10;
    private const uint bbr_probe_rtt_mode_ms = 200;
    private const int bbr_min_tso_rate = 1200000;
    private const int bbr_pacing_margin_percent = 1;
    private const int bbr_high_gain = (BBR_UNIT * 2885 / 1000) + 1;
    private const int bbr_drain_gain = BBR_UNIT * 1000 / 2885;
    private const int bbr_cwnd_gain = BBR_UNIT * 2;
    private const uint bbr_cycle_rand = 7;
    private const uint bbr_cwnd_min_target = 4;
    private const uint bbr_full_bw_thresh = BBR_UNIT * 5 / 4;
    private const uint bbr_full_bw_cnt = 3;
    private const uint bbr_lt_intvl_min_rtts = 4;
    private const uint bbr_lt_loss_thresh = 50;
    private const uint bbr_lt_bw_ratio = BBR_UNIT / 8;
    private const uint bbr_lt_bw_diff = 4000 / 8;
    private const uint bbr_lt_bw_max_rtts = 48;
    private const int bbr_extra_acked_gain = BBR_UNIT;
    private const uint bbr_extra_acked_win_rtts = 5;
    private const uint bbr_ack_epoch_acked_reset_thresh = 1U << 20;
    private const uint bbr_extra_acked_max_us = 100 * 1000;

    /// <summary>bbr_pacing_gain[]: probe for more (5/4), drain what that queued (3/4), cruise at 1 for six phases.</summary>
    private static System.ReadOnlySpan<int> bbr_pacing_gain => [BBR_UNIT * 5 / 4, BBR_UNIT * 3 / 4, BBR_UNIT, BBR_UNIT, BBR_UNIT, BBR_UNIT, BBR_UNIT, BBR_UNIT];

    /// <summary>tcp_bbr_cong_ops: BBR's struct tcp_congestion_ops.</summary>
    public static tcp_congestion_ops tcp_bbr_cong_ops { get; } = new()
    {
        flags = TCP_CONG_NON_RESTRICTED,
        name = "bbr",
        init = bbr_init,
        cong_control = bbr_main,
        sndbuf_expand = bbr_sndbuf_expand,
        undo_cwnd = bbr_undo_cwnd,
        cwnd_event = bbr_cwnd_event,
        ssthresh = bbr_ssthresh,
        min_tso_segs = bbr_min_tso_segs,
        get_info = bbr_get_info,
        set_state = bbr_set_state,
    };

    // net/ipv4/tcp_bbr.c: bbr_full_bw_reached
    /// <summary>STARTUP has filled the pipe.</summary>
    private static bool bbr_full_bw_reached(sock sk) => inet_csk_ca<bbr>(sk).full_bw_reached;

    // net/ipv4/tcp_bbr.c: bbr_max_bw
    /// <summary>The windowed maximum bandwidth.</summary>
    private static uint bbr_max_bw(sock sk) => minmax_get(in inet_csk_ca<bbr>(sk).bw);

    // net/ipv4/tcp_bbr.c: bbr_bw
    /// <summary>The bandwidth the model uses: the policer's long-term rate when one was detected, else the windowed maximum.</summary>
    private static uint bbr_bw(sock sk)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        return bbr.lt_use_bw ? bbr.lt_bw : bbr_max_bw(sk);
    }

    // net/ipv4/tcp_bbr.c: bbr_extra_acked
    /// <summary>The larger of the two aggregation estimates.</summary>
    private static ushort bbr_extra_acked(sock sk)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        return System.Math.Max(bbr.extra_acked[0], bbr.extra_acked[1]);
    }

    // net/ipv4/tcp_bbr.c: bbr_rate_bytes_per_sec
    /// <summary>A rate in packets per µs (BW_SCALE) times a gain, as bytes per second, less the 1% pacing margin.</summary>
    private static ulong bbr_rate_bytes_per_sec(sock sk, ulong rate, int gain)
    {
        uint mss = Include.Linux.tcp_h.tcp_sk(sk).mss_cache;

        rate *= mss;
        rate *= (ulong)gain;
        rate >>= BBR_SCALE;
        rate *= USEC_PER_SEC / 100 * (100 - bbr_pacing_margin_percent);
        return rate >> BW_SCALE;
    }

    // net/ipv4/tcp_bbr.c: bbr_bw_to_pacing_rate
    /// <summary>The pacing rate for <paramref name="bw"/> at <paramref name="gain"/>, within SO_MAX_PACING_RATE.</summary>
    private static ulong bbr_bw_to_pacing_rate(sock sk, uint bw, int gain)
    {
        ulong rate = bw;

        rate = bbr_rate_bytes_per_sec(sk, rate, gain);
        rate = System.Math.Min(rate, sk.sk_max_pacing_rate);
        return rate;
    }

    // net/ipv4/tcp_bbr.c: bbr_init_pacing_rate_from_rtt
    /// <summary>The first pacing rate: high_gain x cwnd per srtt (1 ms before any RTT sample).</summary>
    private static void bbr_init_pacing_rate_from_rtt(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        uint rtt_us;

        if (tp.srtt_us != 0)
        {
            rtt_us = System.Math.Max(tp.srtt_us >> 3, 1U);
            bbr.has_seen_rtt = true;
        }
        else
        {
            // no sample yet: a nominal millisecond
            rtt_us = USEC_PER_MSEC;
        }

        var bw = (ulong)tcp_snd_cwnd(tp) * BW_UNIT;
        bw /= rtt_us;

        // WRITE_ONCE: sch_fq reads it locklessly
        sk.sk_pacing_rate = bbr_bw_to_pacing_rate(sk, (uint)bw, bbr_high_gain);
    }

    // net/ipv4/tcp_bbr.c: bbr_set_pacing_rate
    /// <summary>Paces at <paramref name="gain"/> x <paramref name="bw"/>; before the pipe is full the rate only rises.</summary>
    private static void bbr_set_pacing_rate(sock sk, uint bw, int gain)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        var rate = bbr_bw_to_pacing_rate(sk, bw, gain);

        if (!bbr.has_seen_rtt && tp.srtt_us != 0)
        {
            bbr_init_pacing_rate_from_rtt(sk);
        }

        if (bbr_full_bw_reached(sk) || rate > sk.sk_pacing_rate)
        {
            sk.sk_pacing_rate = rate;
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_min_tso_segs
    /// <summary>ca_ops->min_tso_segs: one segment per TSO skb below 1.2 Mbit/s, else two.</summary>
    private static uint bbr_min_tso_segs(sock sk) => sk.sk_pacing_rate < (bbr_min_tso_rate >> 3) ? 1U : 2U;

    // net/ipv4/tcp_bbr.c: bbr_tso_segs_goal
    /// <summary>Segments per skb BBR expects: tcp_tso_autosize's rule without the min-RTT bonus, 1..127.</summary>
    private static uint bbr_tso_segs_goal(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        var bytes = (uint)System.Math.Min(sk.sk_pacing_rate >> sk.sk_pacing_shift, netdevice_h.GSO_LEGACY_MAX_SIZE - 1 - (ulong)tcp_output_c.MAX_TCP_HEADER);
        var segs = System.Math.Max(bytes / tp.mss_cache, bbr_min_tso_segs(sk));

        return System.Math.Min(segs, 0x7FU);
    }

    // net/ipv4/tcp_bbr.c: bbr_save_cwnd
    /// <summary>Remembers cwnd before recovery or PROBE_RTT cut it (the larger one, if already cut).</summary>
    private static void bbr_save_cwnd(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (bbr.prev_ca_state < TCP_CA_Recovery && bbr.mode != bbr_mode.BBR_PROBE_RTT)
        {
            bbr.prior_cwnd = tcp_snd_cwnd(tp);
        }
        else
        {
            bbr.prior_cwnd = System.Math.Max(bbr.prior_cwnd, tcp_snd_cwnd(tp));
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_cwnd_event
    /// <summary>
    /// CA_EVENT_TX_START after an app-limited idle: a restart from idle, a
    /// new aggregation epoch; in PROBE_BW the flow paces at 1 x bw, and
    /// PROBE_RTT may end at once.
    /// </summary>
    private static void bbr_cwnd_event(sock sk, int @event)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (@event == CA_EVENT_TX_START && tp.app_limited != 0)
        {
            bbr.idle_restart = true;
            bbr.ack_epoch_mstamp = tp.tcp_mstamp;
            bbr.ack_epoch_acked = 0;

            // no queue to fill after idle: pace at the estimate rather than above it
            if (bbr.mode == bbr_mode.BBR_PROBE_BW)
            {
                bbr_set_pacing_rate(sk, bbr_bw(sk), BBR_UNIT);
            }
            else if (bbr.mode == bbr_mode.BBR_PROBE_RTT)
            {
                bbr_check_probe_rtt_done(sk);
            }
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_bdp
    /// <summary><paramref name="gain"/> x bw x min_rtt in packets, rounded up; IW10 until an RTT was seen.</summary>
    private static uint bbr_bdp(sock sk, uint bw, int gain)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (bbr.min_rtt_us == ~0U)
        {
            // no valid RTT yet: stay at the initial window
            return TCP_INIT_CWND;
        }

        var w = (ulong)bw * bbr.min_rtt_us;

        // the gain, then the BW_SCALE shift removed rounding up, so a small BDP is not zero
        return (uint)((((w * (ulong)gain) >> BBR_SCALE) + BW_UNIT - 1) / BW_UNIT);
    }

    // net/ipv4/tcp_bbr.c: bbr_quantization_budget
    /// <summary>cwnd plus three TSO skbs, rounded up to even (delayed ACKs), plus two in the probing phase.</summary>
    private static uint bbr_quantization_budget(sock sk, uint cwnd)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        // room for full-sized skbs at both ends
        cwnd += 3 * bbr_tso_segs_goal(sk);

        // even, so that delayed ACKs come
        cwnd = (cwnd + 1) & ~1U;

        // the probing phase must get above BDP even when the BDP is tiny
        if (bbr.mode == bbr_mode.BBR_PROBE_BW && bbr.cycle_idx == 0)
        {
            cwnd += 2;
        }

        return cwnd;
    }

    // net/ipv4/tcp_bbr.c: bbr_inflight
    /// <summary>The inflight target for <paramref name="bw"/> and <paramref name="gain"/>: BDP with the quantization budget.</summary>
    private static uint bbr_inflight(sock sk, uint bw, int gain)
    {
        var inflight = bbr_bdp(sk, bw, gain);
        inflight = bbr_quantization_budget(sk, inflight);

        return inflight;
    }

    // net/ipv4/tcp_bbr.c: bbr_packets_in_net_at_edt
    /// <summary>
    /// Packets estimated in the network when the next skb leaves (its
    /// earliest departure time): inflight, plus that skb when probing up,
    /// less what the bandwidth delivers until then.
    /// </summary>
    private static uint bbr_packets_in_net_at_edt(sock sk, uint inflight_now)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        var now_ns = tp.tcp_clock_cache;
        var edt_ns = System.Math.Max(tp.tcp_wstamp_ns, now_ns);
        var interval_us = (edt_ns - now_ns) / 1000;
        var interval_delivered = (uint)(((ulong)bbr_bw(sk) * interval_us) >> BW_SCALE);
        var inflight_at_edt = inflight_now;
        if (bbr.pacing_gain > BBR_UNIT)
        {
            // raising inflight: count the skb that leaves at EDT
            inflight_at_edt += bbr_tso_segs_goal(sk);
        }

        if (interval_delivered >= inflight_at_edt)
        {
            return 0;
        }

        return inflight_at_edt - interval_delivered;
    }

    // net/ipv4/tcp_bbr.c: bbr_ack_aggregation_cwnd
    /// <summary>Extra cwnd for ACK aggregation once the pipe is full: the recent excess, at most 100 ms of bw.</summary>
    private static uint bbr_ack_aggregation_cwnd(sock sk)
    {
        uint aggr_cwnd = 0;

        if (bbr_extra_acked_gain != 0 && bbr_full_bw_reached(sk))
        {
            var max_aggr_cwnd = (uint)((ulong)bbr_bw(sk) * bbr_extra_acked_max_us / BW_UNIT);
            aggr_cwnd = (uint)(bbr_extra_acked_gain * bbr_extra_acked(sk)) >> BBR_SCALE;
            aggr_cwnd = System.Math.Min(aggr_cwnd, max_aggr_cwnd);
        }

        return aggr_cwnd;
    }

    // net/ipv4/tcp_bbr.c: bbr_set_cwnd_to_recover_or_restore
    /// <summary>
    /// Losses come off cwnd; the first round of Recovery conserves packets
    /// (cwnd = inflight + acked, and a new round starts); leaving recovery
    /// restores the saved cwnd. True while packet conservation holds.
    /// </summary>
    private static bool bbr_set_cwnd_to_recover_or_restore(sock sk, rate_sample rs, uint acked, out uint new_cwnd)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        var prev_state = bbr.prev_ca_state;
        var state = inet_csk(sk).icsk_ca_state;
        var cwnd = tcp_snd_cwnd(tp);

        // at most 2P out for P acked: first take the losses off, bbr_set_cwnd slow-starts after
        if (rs.losses > 0)
        {
            cwnd = (uint)System.Math.Max((int)cwnd - rs.losses, 1);
        }

        if (state == TCP_CA_Recovery && prev_state != TCP_CA_Recovery)
        {
            // the first round of Recovery: packet conservation, from a fresh round
            bbr.packet_conservation = true;
            bbr.next_rtt_delivered = tp.delivered;

            // drop the part of cwnd the application, TSQ or TSO deferral left unused
            cwnd = tcp_packets_in_flight(tp) + acked;
        }
        else if (prev_state >= TCP_CA_Recovery && state < TCP_CA_Recovery)
        {
            // recovery is over: back to the cwnd saved when it began
            cwnd = System.Math.Max(cwnd, bbr.prior_cwnd);
            bbr.packet_conservation = false;
        }

        bbr.prev_ca_state = state;

        if (bbr.packet_conservation)
        {
            new_cwnd = System.Math.Max(cwnd, tcp_packets_in_flight(tp) + acked);
            return true;
        }

        new_cwnd = cwnd;
        return false;
    }

    // net/ipv4/tcp_bbr.c: bbr_set_cwnd
    /// <summary>
    /// cwnd slow-starts toward the target (gain x BDP, aggregation and
    /// quantization added) and, once the pipe is full, snaps down to it; at
    /// least 4, within snd_cwnd_clamp, and 4 at most in PROBE_RTT.
    /// </summary>
    private static void bbr_set_cwnd(sock sk, rate_sample rs, uint acked, uint bw, int gain)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        var cwnd = tcp_snd_cwnd(tp);
        uint target_cwnd;

        if (acked == 0)
        {
            // nothing fully acked: only the caps apply
            goto done;
        }

        if (bbr_set_cwnd_to_recover_or_restore(sk, rs, acked, out cwnd))
        {
            goto done;
        }

        target_cwnd = bbr_bdp(sk, bw, gain);

        // room for the data that aggregated ACKs release at once
        target_cwnd += bbr_ack_aggregation_cwnd(sk);
        target_cwnd = bbr_quantization_budget(sk, target_cwnd);

        // below the target, grow as slow start does; cut only once the pipe was filled
        if (bbr_full_bw_reached(sk))
        {
            cwnd = System.Math.Min(cwnd + acked, target_cwnd);
        }
        else if (cwnd < target_cwnd || tp.delivered < TCP_INIT_CWND)
        {
            cwnd += acked;
        }

        cwnd = System.Math.Max(cwnd, bbr_cwnd_min_target);

    done:
        tcp_snd_cwnd_set(tp, System.Math.Min(cwnd, tp.snd_cwnd_clamp));
        if (bbr.mode == bbr_mode.BBR_PROBE_RTT)
        {
            // drain the queue to see the path's own RTT
            tcp_snd_cwnd_set(tp, System.Math.Min(tcp_snd_cwnd(tp), bbr_cwnd_min_target));
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_is_next_cycle_phase
    /// <summary>
    /// The gain phase ends: at gain 1 after min_rtt; probing up after
    /// min_rtt once inflight reached gain x BDP (or there was loss); draining
    /// after min_rtt or as soon as inflight is down to BDP.
    /// </summary>
    private static bool bbr_is_next_cycle_phase(sock sk, rate_sample rs)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        var is_full_length = tcp_stamp_us_delta(tp.delivered_mstamp, bbr.cycle_mstamp) > bbr.min_rtt_us;

        // gain 1: pace at the estimate without adding queue, for one min_rtt
        if (bbr.pacing_gain == BBR_UNIT)
        {
            return is_full_length;
        }

        var inflight = bbr_packets_in_net_at_edt(sk, rs.prior_in_flight);
        var bw = bbr_max_bw(sk);

        // probing up may need more than min_rtt on a LAN to reach its target; not if the path drops
        if (bbr.pacing_gain > BBR_UNIT)
        {
            return is_full_length && (rs.losses != 0 || inflight >= bbr_inflight(sk, bw, (int)bbr.pacing_gain));
        }

        // draining: done once inflight is back to BDP, so the pipe does not run dry
        return is_full_length || inflight <= bbr_inflight(sk, bw, BBR_UNIT);
    }

    // net/ipv4/tcp_bbr.c: bbr_advance_cycle_phase
    /// <summary>The next phase of the gain cycle, starting now (delivered_mstamp).</summary>
    private static void bbr_advance_cycle_phase(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr.cycle_idx = (bbr.cycle_idx + 1) & (CYCLE_LEN - 1);
        bbr.cycle_mstamp = tp.delivered_mstamp;
    }

    // net/ipv4/tcp_bbr.c: bbr_update_cycle_phase
    /// <summary>Gain cycling in PROBE_BW.</summary>
    private static void bbr_update_cycle_phase(sock sk, rate_sample rs)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (bbr.mode == bbr_mode.BBR_PROBE_BW && bbr_is_next_cycle_phase(sk, rs))
        {
            bbr_advance_cycle_phase(sk);
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_reset_startup_mode
    private static void bbr_reset_startup_mode(sock sk) => inet_csk_ca<bbr>(sk).mode = bbr_mode.BBR_STARTUP;

    // net/ipv4/tcp_bbr.c: bbr_reset_probe_bw_mode
    /// <summary>PROBE_BW, entering the gain cycle at a random phase other than the draining one.</summary>
    private static void bbr_reset_probe_bw_mode(sock sk)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr.mode = bbr_mode.BBR_PROBE_BW;
        bbr.cycle_idx = CYCLE_LEN - 1 - Drivers.Char.random_c.__get_random_u32_below(sk.sk_net.k, bbr_cycle_rand);
        bbr_advance_cycle_phase(sk);
    }

    // net/ipv4/tcp_bbr.c: bbr_reset_mode
    /// <summary>Back to STARTUP if the pipe was never filled, else to PROBE_BW.</summary>
    private static void bbr_reset_mode(sock sk)
    {
        if (!bbr_full_bw_reached(sk))
        {
            bbr_reset_startup_mode(sk);
        }
        else
        {
            bbr_reset_probe_bw_mode(sk);
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_reset_lt_bw_sampling_interval
    /// <summary>A new long-term interval starts now.</summary>
    private static void bbr_reset_lt_bw_sampling_interval(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr.lt_last_stamp = (uint)(tp.delivered_mstamp / USEC_PER_MSEC);
        bbr.lt_last_delivered = tp.delivered;
        bbr.lt_last_lost = tp.lost;
        bbr.lt_rtt_cnt = 0;
    }

    // net/ipv4/tcp_bbr.c: bbr_reset_lt_bw_sampling
    /// <summary>Long-term sampling starts over: no policer rate.</summary>
    private static void bbr_reset_lt_bw_sampling(sock sk)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr.lt_bw = 0;
        bbr.lt_use_bw = false;
        bbr.lt_is_sampling = false;
        bbr_reset_lt_bw_sampling_interval(sk);
    }

    // net/ipv4/tcp_bbr.c: bbr_lt_bw_interval_done
    /// <summary>
    /// A long-term interval measured <paramref name="bw"/>: if it is within
    /// 1/8 (or 4 kbit/s) of the previous interval's, a policer is assumed and
    /// the flow paces at their average; otherwise it becomes the reference.
    /// </summary>
    private static void bbr_lt_bw_interval_done(sock sk, uint bw)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (bbr.lt_bw != 0)
        {
            // abs() of the u32 difference taken as an int
            var diff = (uint)System.Math.Abs((long)(int)(bw - bbr.lt_bw));
            if ((diff * BBR_UNIT <= bbr_lt_bw_ratio * bbr.lt_bw) || (bbr_rate_bytes_per_sec(sk, diff, BBR_UNIT) <= bbr_lt_bw_diff))
            {
                // two intervals agree: policed
                bbr.lt_bw = (bw + bbr.lt_bw) >> 1;
                bbr.lt_use_bw = true;
                bbr.pacing_gain = BBR_UNIT;
                bbr.lt_rtt_cnt = 0;
                return;
            }
        }

        bbr.lt_bw = bw;
        bbr_reset_lt_bw_sampling_interval(sk);
    }

    // net/ipv4/tcp_bbr.c: bbr_lt_bw_sampling
    /// <summary>
    /// Token-bucket policer detection: from the first loss, intervals of 4
    /// to 16 rounds that end at a loss with a loss rate of 20% or more give a
    /// delivery rate each (bbr_lt_bw_interval_done); a policer rate in use is
    /// dropped after 48 rounds of PROBE_BW. App-limited samples restart it.
    /// </summary>
    private static void bbr_lt_bw_sampling(sock sk, rate_sample rs)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (bbr.lt_use_bw)
        {
            if (bbr.mode == bbr_mode.BBR_PROBE_BW && bbr.round_start && (bbr.lt_rtt_cnt = (bbr.lt_rtt_cnt + 1) & 0x7F) >= bbr_lt_bw_max_rtts)
            {
                // long enough on the policer's rate: probe again
                bbr_reset_lt_bw_sampling(sk);
                bbr_reset_probe_bw_mode(sk);
            }

            return;
        }

        // start at the first loss, once the policer's tokens are gone (earlier samples include the burst)
        if (!bbr.lt_is_sampling)
        {
            if (rs.losses == 0)
            {
                return;
            }

            bbr_reset_lt_bw_sampling_interval(sk);
            bbr.lt_is_sampling = true;
        }

        // out of data: the sample would underestimate
        if (rs.is_app_limited)
        {
            bbr_reset_lt_bw_sampling(sk);
            return;
        }

        if (bbr.round_start)
        {
            bbr.lt_rtt_cnt++; // a 7-bit field: the setter truncates as C does
        }

        if (bbr.lt_rtt_cnt < bbr_lt_intvl_min_rtts)
        {
            return;
        }

        if (bbr.lt_rtt_cnt > 4 * bbr_lt_intvl_min_rtts)
        {
            // too long an interval
            bbr_reset_lt_bw_sampling(sk);
            return;
        }

        // the interval ends at a loss, when the tokens ran out
        if (rs.losses == 0)
        {
            return;
        }

        var lost = tp.lost - bbr.lt_last_lost;
        var delivered = tp.delivered - bbr.lt_last_delivered;

        // wait for a loss rate of lt_loss_thresh/256
        if (delivered == 0 || (lost << BBR_SCALE) < bbr_lt_loss_thresh * delivered)
        {
            return;
        }

        var t = (uint)(tp.delivered_mstamp / USEC_PER_MSEC) - bbr.lt_last_stamp;
        if ((int)t < 1)
        {
            // under a millisecond: wait
            return;
        }

        if (t >= ~0U / USEC_PER_MSEC)
        {
            // the product would overflow: too long
            bbr_reset_lt_bw_sampling(sk);
            return;
        }

        t *= USEC_PER_MSEC;
        var bw = (ulong)delivered * BW_UNIT;
        bw /= t;
        bbr_lt_bw_interval_done(sk, (uint)bw);
    }

    // net/ipv4/tcp_bbr.c: bbr_update_bw
    /// <summary>
    /// A round ends when a packet sent after the previous round's end is
    /// delivered; the sample's rate (delivered / interval) enters the max
    /// filter over the last ten rounds, unless it is app-limited and below
    /// the current estimate.
    /// </summary>
    private static void bbr_update_bw(sock sk, rate_sample rs)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr.round_start = false;
        if (rs.delivered < 0 || rs.interval_us <= 0)
        {
            // no valid sample
            return;
        }

        // a new packet-timed round trip?
        if (!before(rs.prior_delivered, bbr.next_rtt_delivered))
        {
            bbr.next_rtt_delivered = tp.delivered;
            bbr.rtt_cnt++;
            bbr.round_start = true;
            bbr.packet_conservation = false;
        }

        bbr_lt_bw_sampling(sk, rs);

        // packets per µs is far below one: scale delivered first
        var bw = (ulong)rs.delivered * BW_UNIT / (ulong)rs.interval_us;

        // an app-limited sample says how fast the application wrote, not the path: only a higher one counts
        if (!rs.is_app_limited || bw >= bbr_max_bw(sk))
        {
            minmax_running_max(ref bbr.bw, bbr_bw_rtts, bbr.rtt_cnt, (uint)bw);
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_update_ack_aggregation
    /// <summary>
    /// ACK aggregation: how far the data (S)ACKed in this epoch runs ahead of
    /// what bw would have delivered; the excess (at most cwnd) feeds a max
    /// filter of two halves of 5 rounds each. The epoch restarts when ACKs
    /// fall behind the rate, or after 2^20 packets.
    /// </summary>
    private static void bbr_update_ack_aggregation(sock sk, rate_sample rs)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        if (bbr_extra_acked_gain == 0 || rs.acked_sacked == 0 || rs.delivered < 0 || rs.interval_us <= 0)
        {
            return;
        }

        if (bbr.round_start)
        {
            bbr.extra_acked_win_rtts = System.Math.Min(0x1FU, bbr.extra_acked_win_rtts + 1);
            if (bbr.extra_acked_win_rtts >= bbr_extra_acked_win_rtts)
            {
                bbr.extra_acked_win_rtts = 0;
                bbr.extra_acked_win_idx = bbr.extra_acked_win_idx != 0 ? 0U : 1U;
                bbr.extra_acked[(int)bbr.extra_acked_win_idx] = 0;
            }
        }

        // what the estimated bw would have delivered over the epoch
        var epoch_us = tcp_stamp_us_delta(tp.delivered_mstamp, bbr.ack_epoch_mstamp);
        var expected_acked = (uint)((ulong)bbr_bw(sk) * epoch_us / BW_UNIT);

        // ACKs slower than the rate, or a very old epoch: start a new one
        if (bbr.ack_epoch_acked <= expected_acked || (bbr.ack_epoch_acked + rs.acked_sacked >= bbr_ack_epoch_acked_reset_thresh))
        {
            bbr.ack_epoch_acked = 0;
            bbr.ack_epoch_mstamp = tp.delivered_mstamp;
            expected_acked = 0;
        }

        // the excess over the expectation
        bbr.ack_epoch_acked = System.Math.Min(0xFFFFFU, bbr.ack_epoch_acked + rs.acked_sacked);
        var extra_acked = bbr.ack_epoch_acked - expected_acked;
        extra_acked = System.Math.Min(extra_acked, tcp_snd_cwnd(tp));
        if (extra_acked > bbr.extra_acked[(int)bbr.extra_acked_win_idx])
        {
            bbr.extra_acked[(int)bbr.extra_acked_win_idx] = (ushort)extra_acked;
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_check_full_bw_reached
    /// <summary>
    /// STARTUP's exit test, once per round and only on samples that are not
    /// app-limited: a bandwidth 25% above full_bw becomes the new reference;
    /// three rounds without such growth mean the pipe is full.
    /// </summary>
    private static void bbr_check_full_bw_reached(sock sk, rate_sample rs)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (bbr_full_bw_reached(sk) || !bbr.round_start || rs.is_app_limited)
        {
            return;
        }

        var bw_thresh = (uint)(((ulong)bbr.full_bw * bbr_full_bw_thresh) >> BBR_SCALE);
        if (bbr_max_bw(sk) >= bw_thresh)
        {
            bbr.full_bw = bbr_max_bw(sk);
            bbr.full_bw_cnt = 0;
            return;
        }

        bbr.full_bw_cnt++; // a 2-bit field: the setter truncates as C does
        bbr.full_bw_reached = bbr.full_bw_cnt >= bbr_full_bw_cnt;
    }

    // net/ipv4/tcp_bbr.c: bbr_check_drain
    /// <summary>
    /// A full pipe sends STARTUP to DRAIN (ssthresh becomes the BDP target);
    /// DRAIN gives way to PROBE_BW once what is in the network at EDT is down
    /// to the BDP.
    /// </summary>
    private static void bbr_check_drain(sock sk, rate_sample rs)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (bbr.mode == bbr_mode.BBR_STARTUP && bbr_full_bw_reached(sk))
        {
            bbr.mode = bbr_mode.BBR_DRAIN;
            Include.Linux.tcp_h.tcp_sk(sk).snd_ssthresh = bbr_inflight(sk, bbr_max_bw(sk), BBR_UNIT);
        }

        // inflight may be small already
        if (bbr.mode == bbr_mode.BBR_DRAIN &&
            bbr_packets_in_net_at_edt(sk, tcp_packets_in_flight(Include.Linux.tcp_h.tcp_sk(sk))) <= bbr_inflight(sk, bbr_max_bw(sk), BBR_UNIT))
        {
            // the queue is estimated drained
            bbr_reset_probe_bw_mode(sk);
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_check_probe_rtt_done
    /// <summary>PROBE_RTT ends once its time is up: min_rtt counts as fresh, cwnd comes back, the mode is reset.</summary>
    private static void bbr_check_probe_rtt_done(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (!(bbr.probe_rtt_done_stamp != 0 && after(tcp_jiffies32(sk), bbr.probe_rtt_done_stamp)))
        {
            return;
        }

        // the next PROBE_RTT is ten seconds away
        bbr.min_rtt_stamp = tcp_jiffies32(sk);
        tcp_snd_cwnd_set(tp, System.Math.Max(tcp_snd_cwnd(tp), bbr.prior_cwnd));
        bbr_reset_mode(sk);
    }

    // net/ipv4/tcp_bbr.c: bbr_update_min_rtt
    /// <summary>
    /// The min_rtt filter (10 s): a lower sample, or any sample not from a
    /// delayed ACK once the window expired, replaces it. An expired window
    /// (and no idle restart) enters PROBE_RTT: cwnd 4 (bbr_set_cwnd) for
    /// 200 ms and at least one round, samples marked app-limited meanwhile.
    /// </summary>
    private static void bbr_update_min_rtt(sock sk, rate_sample rs)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        var filter_expired = after(tcp_jiffies32(sk), bbr.min_rtt_stamp + (bbr_min_rtt_win_sec * Vmlinux.HZ));
        if (rs.rtt_us >= 0 && (rs.rtt_us < bbr.min_rtt_us || (filter_expired && !rs.is_ack_delayed)))
        {
            bbr.min_rtt_us = (uint)rs.rtt_us;
            bbr.min_rtt_stamp = tcp_jiffies32(sk);
        }

        if (bbr_probe_rtt_mode_ms > 0 && filter_expired && !bbr.idle_restart && bbr.mode != bbr_mode.BBR_PROBE_RTT)
        {
            // dip to drain the queue
            bbr.mode = bbr_mode.BBR_PROBE_RTT;
            bbr_save_cwnd(sk);
            bbr.probe_rtt_done_stamp = 0;
        }

        if (bbr.mode == bbr_mode.BBR_PROBE_RTT)
        {
            // the low rate of this mode must not drag the bw estimate down
            var app_limited = tp.delivered + tcp_packets_in_flight(tp);
            tp.app_limited = app_limited != 0 ? app_limited : 1;

            // hold the minimum inflight for max(200 ms, one round)
            if (bbr.probe_rtt_done_stamp == 0 && tcp_packets_in_flight(tp) <= bbr_cwnd_min_target)
            {
                bbr.probe_rtt_done_stamp = tcp_jiffies32(sk) + (uint)jiffies_h.msecs_to_jiffies(bbr_probe_rtt_mode_ms);
                bbr.probe_rtt_round_done = false;
                bbr.next_rtt_delivered = tp.delivered;
            }
            else if (bbr.probe_rtt_done_stamp != 0)
            {
                if (bbr.round_start)
                {
                    bbr.probe_rtt_round_done = true;
                }

                if (bbr.probe_rtt_round_done)
                {
                    bbr_check_probe_rtt_done(sk);
                }
            }
        }

        // an idle restart ends with the first ACK of new data
        if (rs.delivered > 0)
        {
            bbr.idle_restart = false;
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_update_gains
    /// <summary>The mode's pacing and cwnd gains.</summary>
    private static void bbr_update_gains(sock sk)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        switch (bbr.mode)
        {
            case bbr_mode.BBR_STARTUP:
                bbr.pacing_gain = bbr_high_gain;
                bbr.cwnd_gain = bbr_high_gain;
                break;
            case bbr_mode.BBR_DRAIN:
                // slow, to drain; cwnd kept
                bbr.pacing_gain = bbr_drain_gain;
                bbr.cwnd_gain = bbr_high_gain;
                break;
            case bbr_mode.BBR_PROBE_BW:
                bbr.pacing_gain = bbr.lt_use_bw ? BBR_UNIT : (uint)bbr_pacing_gain[(int)bbr.cycle_idx];
                bbr.cwnd_gain = bbr_cwnd_gain;
                break;
            case bbr_mode.BBR_PROBE_RTT:
                bbr.pacing_gain = BBR_UNIT;
                bbr.cwnd_gain = BBR_UNIT;
                break;
            default:
                // WARN_ONCE: a bad mode cannot be stored here (the enum has four values)
                break;
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_update_model
    /// <summary>The model from one ACK: bw, aggregation, gain cycle, pipe-full, drain, min_rtt, gains.</summary>
    private static void bbr_update_model(sock sk, rate_sample rs)
    {
        bbr_update_bw(sk, rs);
        bbr_update_ack_aggregation(sk, rs);
        bbr_update_cycle_phase(sk, rs);
        bbr_check_full_bw_reached(sk, rs);
        bbr_check_drain(sk, rs);
        bbr_update_min_rtt(sk, rs);
        bbr_update_gains(sk);
    }

    // net/ipv4/tcp_bbr.c: bbr_main
    /// <summary>ca_ops->cong_control, at the end of every ACK (tcp_cong_control): the model, then pacing rate and cwnd from it.</summary>
    private static void bbr_main(sock sk, uint ack, int flag, rate_sample rs)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr_update_model(sk, rs);

        var bw = bbr_bw(sk);
        bbr_set_pacing_rate(sk, bw, (int)bbr.pacing_gain);
        bbr_set_cwnd(sk, rs, rs.acked_sacked, bw, (int)bbr.cwnd_gain);
    }

    // net/ipv4/tcp_bbr.c: bbr_init
    /// <summary>
    /// ca_ops->init (tcp_init_congestion_control): STARTUP with an empty
    /// model, ssthresh infinite, min_rtt from the socket's filter, the first
    /// pacing rate from cwnd and srtt; and the socket asks for pacing
    /// (SK_PACING_NONE becomes SK_PACING_NEEDED: TCP paces itself, no fq).
    /// </summary>
    private static void bbr_init(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr.prior_cwnd = 0;
        tp.snd_ssthresh = TCP_INFINITE_SSTHRESH;
        bbr.rtt_cnt = 0;
        bbr.next_rtt_delivered = tp.delivered;
        bbr.prev_ca_state = TCP_CA_Open;
        bbr.packet_conservation = false;

        bbr.probe_rtt_done_stamp = 0;
        bbr.probe_rtt_round_done = false;
        bbr.min_rtt_us = tcp_min_rtt(tp);
        bbr.min_rtt_stamp = tcp_jiffies32(sk);

        // the max bw starts at 0
        minmax_reset(ref bbr.bw, bbr.rtt_cnt, 0);

        bbr.has_seen_rtt = false;
        bbr_init_pacing_rate_from_rtt(sk);

        bbr.round_start = false;
        bbr.idle_restart = false;
        bbr.full_bw_reached = false;
        bbr.full_bw = 0;
        bbr.full_bw_cnt = 0;
        bbr.cycle_mstamp = 0;
        bbr.cycle_idx = 0;
        bbr_reset_lt_bw_sampling(sk);
        bbr_reset_startup_mode(sk);

        bbr.ack_epoch_mstamp = tp.tcp_mstamp;
        bbr.ack_epoch_acked = 0;
        bbr.extra_acked_win_rtts = 0;
        bbr.extra_acked_win_idx = 0;
        bbr.extra_acked[0] = 0;
        bbr.extra_acked[1] = 0;

        // cmpxchg: SO_MAX_PACING_RATE or fq may have set the status already
        if (sk.sk_pacing_status == sock_h.SK_PACING_NONE)
        {
            sk.sk_pacing_status = sock_h.SK_PACING_NEEDED;
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_sndbuf_expand
    /// <summary>ca_ops->sndbuf_expand: three cwnds of send buffer, as BBR may slow-start inside recovery.</summary>
    private static uint bbr_sndbuf_expand(sock sk) => 3;

    // net/ipv4/tcp_bbr.c: bbr_undo_cwnd
    /// <summary>ca_ops->undo_cwnd: a spurious loss; pipe-full detection and policer sampling start over, cwnd stays.</summary>
    private static uint bbr_undo_cwnd(sock sk)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        bbr.full_bw = 0;
        bbr.full_bw_cnt = 0;
        bbr_reset_lt_bw_sampling(sk);
        return tcp_snd_cwnd(Include.Linux.tcp_h.tcp_sk(sk));
    }

    // net/ipv4/tcp_bbr.c: bbr_ssthresh
    /// <summary>ca_ops->ssthresh, entering recovery: cwnd is saved for its end; ssthresh is left as it is.</summary>
    private static uint bbr_ssthresh(sock sk)
    {
        bbr_save_cwnd(sk);
        return Include.Linux.tcp_h.tcp_sk(sk).snd_ssthresh;
    }

    // net/ipv4/tcp_bbr.c: bbr_get_info
    /// <summary>ca_ops->get_info: struct tcp_bbr_info (bw in bytes per second, min_rtt, gains) when the caller asked for BBR's or Vegas's info.</summary>
    private static int bbr_get_info(sock sk, uint ext, out int attr, tcp_cc_info info)
    {
        attr = 0;
        if ((ext & (1U << (INET_DIAG_BBRINFO - 1))) != 0 || (ext & (1U << (INET_DIAG_VEGASINFO - 1))) != 0)
        {
            var tp = Include.Linux.tcp_h.tcp_sk(sk);
            ref var bbr = ref inet_csk_ca<bbr>(sk);
            ulong bw = bbr_bw(sk);

            bw = (bw * tp.mss_cache * USEC_PER_SEC) >> BW_SCALE;
            info.bbr = new tcp_bbr_info
            {
                bbr_bw_lo = (uint)bw,
                bbr_bw_hi = (uint)(bw >> 32),
                bbr_min_rtt = bbr.min_rtt_us,
                bbr_pacing_gain = bbr.pacing_gain,
                bbr_cwnd_gain = bbr.cwnd_gain,
            };
            attr = INET_DIAG_BBRINFO;
            return tcp_bbr_info.Size;
        }

        return 0;
    }

    // net/ipv4/tcp_bbr.c: bbr_set_state
    /// <summary>ca_ops->set_state: an RTO (TCP_CA_Loss) ends a round, forgets full_bw and counts as a loss for policer sampling.</summary>
    private static void bbr_set_state(sock sk, byte new_state)
    {
        ref var bbr = ref inet_csk_ca<bbr>(sk);

        if (new_state == TCP_CA_Loss)
        {
            var rs = new rate_sample { losses = 1 };

            bbr.prev_ca_state = TCP_CA_Loss;
            bbr.full_bw = 0;

            // an RTO ends the round
            bbr.round_start = true;
            bbr_lt_bw_sampling(sk, rs);
        }
    }

    // net/ipv4/tcp_bbr.c: bbr_register
    /// <summary>module_init: BBR joins the congestion control list (register_btf_kfunc_id_set: no BPF here).</summary>
    public static int bbr_register(Vmlinux k) => tcp_cong_c.tcp_register_congestion_control(k, tcp_bbr_cong_ops);
}
