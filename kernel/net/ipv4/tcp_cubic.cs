// Ports net/ipv4/tcp_cubic.c: CUBIC (RFC 9438), the default congestion
// control of 6.18 — its per-socket state (struct bictcp), the window
// function (bictcp_update with cubic_root and TCP friendliness),
// cubictcp_cong_avoid, the multiplicative decrease with fast convergence
// (cubictcp_recalc_ssthresh), the epoch shift after idle
// (cubictcp_cwnd_event), the reset on loss (cubictcp_state), and HyStart
// (ACK-train and delay detection: hystart_update, cubictcp_acked).
//
// The module parameters keep their defaults (fast_convergence 1, beta 717,
// bic_scale 41, tcp_friendliness 1, hystart 1 with both detections,
// hystart_low_window 16, hystart_ack_delta_us 2000) and are constants here.
// departure: no pacing, so hystart_ack_delay is 0 and the ACK-train
// threshold is halved (SK_PACING_NONE).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct bictcp: CUBIC's per-socket state, plain data laid over icsk_ca_priv (inet_csk_ca); held and passed by ref.</summary>
public struct bictcp
{
    /// <summary>cnt: cwnd grows by one after this many ACKed segments.</summary>
    public uint cnt;

    public uint last_max_cwnd;

    public uint last_cwnd;

    /// <summary>last_time: when last_cwnd was taken (jiffies).</summary>
    public uint last_time;

    public uint bic_origin_point;

    /// <summary>bic_K: the time from the epoch's start to the origin point, in 1/1024 s.</summary>
    public uint bic_K;

    /// <summary>delay_min: the smallest RTT seen (µs).</summary>
    public uint delay_min;

    /// <summary>epoch_start: the beginning of the current epoch (jiffies; 0: none).</summary>
    public uint epoch_start;

    public uint ack_cnt;

    /// <summary>tcp_cwnd: the window Reno would have (TCP friendliness).</summary>
    public uint tcp_cwnd;

    public byte sample_cnt;

    /// <summary>found: HyStart found the exit point.</summary>
    public bool found;

    /// <summary>round_start, end_seq, last_ack, curr_rtt: the HyStart round (µs, sequence).</summary>
    public uint round_start;

    public uint end_seq;

    public uint last_ack;

    public uint curr_rtt;
}

public static class tcp_cubic_c
{
    private const int BICTCP_BETA_SCALE = 1024;
    private const int BICTCP_HZ = 10;
    private const int HYSTART_ACK_TRAIN = 0x1;
    private const int HYSTART_DELAY = 0x2;
    private const int HYSTART_MIN_SAMPLES = 8;
    private const uint HYSTART_DELAY_MIN = 4000;
    private const uint HYSTART_DELAY_MAX = 16000;

    // module parameters, at their defaults
    private static bool fast_convergence => true;
    private const int beta = 717;
    private static int initial_ssthresh => 0;
    private const int bic_scale = 41;
    private static bool tcp_friendliness => true;
    private static bool hystart => true;
    private static int hystart_detect => HYSTART_ACK_TRAIN | HYSTART_DELAY;
    private const int hystart_low_window = 16;
    private const int hystart_ack_delta_us = 2000;

    // what cubictcp_register precomputes, for an assumed RTT of 100 ms
    private const uint beta_scale = 8 * (BICTCP_BETA_SCALE + beta) / 3 / (BICTCP_BETA_SCALE - beta);
    private const uint cube_rtt_scale = bic_scale * 10;
    private const ulong cube_factor = (1UL << (10 + (3 * BICTCP_HZ))) / (bic_scale * 10);

    /// <summary>cubictcp: the struct tcp_congestion_ops of CUBIC.</summary>
    public static tcp_congestion_ops cubictcp { get; } = new()
    {
        name = "cubic",
        init = cubictcp_init,
        ssthresh = cubictcp_recalc_ssthresh,
        cong_avoid = cubictcp_cong_avoid,
        set_state = cubictcp_state,
        undo_cwnd = tcp_cong_c.tcp_reno_undo_cwnd,
        cwnd_event = cubictcp_cwnd_event,
        pkts_acked = cubictcp_acked,
    };

    // net/ipv4/tcp_cubic.c: bictcp_reset
    private static void bictcp_reset(ref bictcp ca)
    {
        ca.cnt = 0;
        ca.last_max_cwnd = 0;
        ca.last_cwnd = 0;
        ca.last_time = 0;
        ca.bic_origin_point = 0;
        ca.bic_K = 0;
        ca.delay_min = 0;
        ca.epoch_start = 0;
        ca.ack_cnt = 0;
        ca.tcp_cwnd = 0;
        ca.found = false;
    }

    // net/ipv4/tcp_cubic.c: bictcp_clock_us
    private static uint bictcp_clock_us(sock sk) => (uint)Include.Linux.tcp_h.tcp_sk(sk).tcp_mstamp;

    // net/ipv4/tcp_cubic.c: bictcp_hystart_reset
    /// <summary>A new HyStart round starts now and ends when snd_nxt is acked.</summary>
    private static void bictcp_hystart_reset(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var ca = ref inet_csk_ca<bictcp>(sk);

        ca.round_start = ca.last_ack = bictcp_clock_us(sk);
        ca.end_seq = tp.snd_nxt;
        ca.curr_rtt = uint.MaxValue;
        ca.sample_cnt = 0;
    }

    // net/ipv4/tcp_cubic.c: cubictcp_init
    private static void cubictcp_init(sock sk)
    {
        ref var ca = ref inet_csk_ca<bictcp>(sk);

        bictcp_reset(ref ca);

        if (hystart)
        {
            bictcp_hystart_reset(sk);
        }

        if (!hystart && initial_ssthresh != 0)
        {
            Include.Linux.tcp_h.tcp_sk(sk).snd_ssthresh = (uint)initial_ssthresh;
        }
    }

    // net/ipv4/tcp_cubic.c: cubictcp_cwnd_event
    /// <summary>Sending resumes after an idle spell: the epoch moves forward by the idle time, so the curve does not jump.</summary>
    private static void cubictcp_cwnd_event(sock sk, int @event)
    {
        if (@event == CA_EVENT_TX_START)
        {
            ref var ca = ref inet_csk_ca<bictcp>(sk);
            var now = tcp_jiffies32(sk);
            var delta = (int)(now - Include.Linux.tcp_h.tcp_sk(sk).lsndtime);

            if (ca.epoch_start != 0 && delta > 0)
            {
                ca.epoch_start += (uint)delta;
                if (after(ca.epoch_start, now))
                {
                    ca.epoch_start = now;
                }
            }
        }
    }

    /// <summary>cbrt of the top bits, for cubic_root's first guess (values of 6.18's table).</summary>
    private static System.ReadOnlySpan<byte> cubic_root_v =>
    [
        0, 54, 54, 54, 118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156,
        157, 161, 164, 168, 170, 173, 176, 179, 181, 185, 187, 190, 192, 194, 197, 199,
        200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229,
        231, 232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254,
    ];

    // net/ipv4/tcp_cubic.c: cubic_root
    /// <summary>The cube root of <paramref name="a"/>: a table guess from its top bits, refined by one Newton-Raphson step.</summary>
    private static uint cubic_root(ulong a)
    {
        var b = (uint)(64 - System.Numerics.BitOperations.LeadingZeroCount(a)); // fls64
        if (b < 7)
        {
            return ((uint)cubic_root_v[(int)a] + 35) >> 6;
        }

        b = ((b * 84) >> 8) - 1;
        var shift = (uint)(a >> (int)(b * 3));

        var x = ((uint)((cubic_root_v[(int)shift] + 10u) << (int)b)) >> 6;

        // x' = (2x + a / x^2) / 3
        x = 2 * x + (uint)(a / ((ulong)x * (ulong)(x - 1)));
        x = (x * 341) >> 10;
        return x;
    }

    // net/ipv4/tcp_cubic.c: bictcp_update
    /// <summary>
    /// Where the cubic curve says cwnd should be now (from the epoch's start,
    /// plus the minimum delay), turned into ca.cnt: ACKs per increment. Reno's
    /// window bounds it from below (TCP friendliness); at most one increment
    /// per two ACKs.
    /// </summary>
    private static void bictcp_update(sock sk, ref bictcp ca, uint cwnd, uint acked)
    {
        uint delta, bic_target, max_cnt;
        ulong offs, t;
        var now = tcp_jiffies32(sk);

        ca.ack_cnt += acked;

        if (ca.last_cwnd == cwnd && (int)(now - ca.last_time) <= Vmlinux.HZ / 32)
        {
            return;
        }

        // cnt changes at most once per jiffy; a cwnd reduction clears epoch_start, forcing a new computation
        if (ca.epoch_start != 0 && now == ca.last_time)
        {
            goto tcp_friendliness_label;
        }

        ca.last_cwnd = cwnd;
        ca.last_time = now;

        if (ca.epoch_start == 0)
        {
            ca.epoch_start = now;
            ca.ack_cnt = acked;
            ca.tcp_cwnd = cwnd;

            if (ca.last_max_cwnd <= cwnd)
            {
                ca.bic_K = 0;
                ca.bic_origin_point = cwnd;
            }
            else
            {
                // K = cbrt((wmax - cwnd) * rtt / c), in 1/1024 s
                ca.bic_K = cubic_root(cube_factor * (ca.last_max_cwnd - cwnd));
                ca.bic_origin_point = ca.last_max_cwnd;
            }
        }

        // t: time since the epoch began, plus the minimum delay, in 1/1024 s
        t = (ulong)(long)(int)(now - ca.epoch_start);
        t += (ulong)Include.Linux.jiffies_h.usecs_to_jiffies(ca.delay_min);
        t <<= BICTCP_HZ;
        t /= (ulong)Vmlinux.HZ;

        offs = t < ca.bic_K ? ca.bic_K - t : t - ca.bic_K;

        // c/rtt * (t-K)^3, in 64 bits (no overflow below a million segments of cwnd)
        delta = (uint)((cube_rtt_scale * offs * offs * offs) >> (10 + (3 * BICTCP_HZ)));
        bic_target = t < ca.bic_K ? ca.bic_origin_point - delta : ca.bic_origin_point + delta;

        if (bic_target > cwnd)
        {
            ca.cnt = cwnd / (bic_target - cwnd);
        }
        else
        {
            ca.cnt = 100 * cwnd; // a very small increment
        }

        // with no idea of the path yet, grow at least 5% per RTT
        if (ca.last_max_cwnd == 0 && ca.cnt > 20)
        {
            ca.cnt = 20;
        }

    tcp_friendliness_label:
        if (tcp_friendliness)
        {
            var scale = beta_scale;

            delta = (cwnd * scale) >> 3;
            while (ca.ack_cnt > delta)
            {
                ca.ack_cnt -= delta;
                ca.tcp_cwnd++;
            }

            // never slower than Reno would be
            if (ca.tcp_cwnd > cwnd)
            {
                delta = ca.tcp_cwnd - cwnd;
                max_cnt = cwnd / delta;
                if (ca.cnt > max_cnt)
                {
                    ca.cnt = max_cnt;
                }
            }
        }

        // at most 1.5 x per RTT: one increment per two ACKed segments
        ca.cnt = System.Math.Max(ca.cnt, 2U);
    }

    // net/ipv4/tcp_cubic.c: cubictcp_cong_avoid
    /// <summary>Slow start below ssthresh; above it, cwnd follows the cubic curve (while cwnd limits sending).</summary>
    private static void cubictcp_cong_avoid(sock sk, uint ack, uint acked)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var ca = ref inet_csk_ca<bictcp>(sk);

        if (!tcp_is_cwnd_limited(sk))
        {
            return;
        }

        if (tcp_in_slow_start(tp))
        {
            acked = tcp_cong_c.tcp_slow_start(tp, acked);
            if (acked == 0)
            {
                return;
            }
        }

        bictcp_update(sk, ref ca, tcp_snd_cwnd(tp), acked);
        tcp_cong_c.tcp_cong_avoid_ai(tp, ca.cnt, acked);
    }

    // net/ipv4/tcp_cubic.c: cubictcp_recalc_ssthresh
    /// <summary>On a loss: ssthresh = 0.7 x cwnd (at least 2); wmax remembered, lowered further when cwnd had not regained it (fast convergence). The epoch ends.</summary>
    private static uint cubictcp_recalc_ssthresh(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var ca = ref inet_csk_ca<bictcp>(sk);

        ca.epoch_start = 0;

        if (tcp_snd_cwnd(tp) < ca.last_max_cwnd && fast_convergence)
        {
            ca.last_max_cwnd = (tcp_snd_cwnd(tp) * (BICTCP_BETA_SCALE + beta)) / (2 * BICTCP_BETA_SCALE);
        }
        else
        {
            ca.last_max_cwnd = tcp_snd_cwnd(tp);
        }

        return System.Math.Max((tcp_snd_cwnd(tp) * beta) / BICTCP_BETA_SCALE, 2U);
    }

    // net/ipv4/tcp_cubic.c: cubictcp_state
    /// <summary>An RTO (the Loss state) starts CUBIC and HyStart over.</summary>
    private static void cubictcp_state(sock sk, byte new_state)
    {
        if (new_state == TCP_CA_Loss)
        {
            bictcp_reset(ref inet_csk_ca<bictcp>(sk));
            bictcp_hystart_reset(sk);
        }
    }

    // net/ipv4/tcp_cubic.c: hystart_ack_delay
    /// <summary>A cushion for TSO/GRO batching, from the pacing rate: no pacing here, so none.</summary>
    private static uint hystart_ack_delay(sock sk) => 0;

    // net/ipv4/tcp_cubic.c: hystart_update
    /// <summary>
    /// HyStart: leaves slow start (ssthresh = cwnd) once cwnd is at least
    /// hystart_low_window and either the ACKs of a round keep coming closely
    /// spaced for longer than half the minimum delay (ACK train), or the
    /// round's minimum RTT grew by an eighth of delay_min (4..16 ms).
    /// </summary>
    private static void hystart_update(sock sk, uint delay)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var ca = ref inet_csk_ca<bictcp>(sk);
        uint threshold;

        if (after(tp.snd_una, ca.end_seq))
        {
            bictcp_hystart_reset(sk);
        }

        if (tcp_snd_cwnd(tp) < hystart_low_window)
        {
            return;
        }

        if ((hystart_detect & HYSTART_ACK_TRAIN) != 0)
        {
            var now = bictcp_clock_us(sk);

            // the ACK train: ACKs closely spaced
            if ((int)(now - ca.last_ack) <= hystart_ack_delta_us)
            {
                ca.last_ack = now;

                threshold = ca.delay_min + hystart_ack_delay(sk);

                // without pacing (SK_PACING_NONE) the train may last half the delay
                threshold >>= 1;

                if ((int)(now - ca.round_start) > threshold)
                {
                    ca.found = true;
                    Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPHYSTARTTRAINDETECT);
                    Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPHYSTARTTRAINCWND, (int)tcp_snd_cwnd(tp));
                    tp.snd_ssthresh = tcp_snd_cwnd(tp);
                }
            }
        }

        if ((hystart_detect & HYSTART_DELAY) != 0)
        {
            // the round's minimum over enough samples
            if (ca.curr_rtt > delay)
            {
                ca.curr_rtt = delay;
            }

            if (ca.sample_cnt < HYSTART_MIN_SAMPLES)
            {
                ca.sample_cnt++;
            }
            else
            {
                // not ported: HYSTART_DELAY_THRESH — the macro's clamp to [HYSTART_DELAY_MIN, HYSTART_DELAY_MAX] is
                //   written out
                if (ca.curr_rtt > ca.delay_min + System.Math.Clamp(ca.delay_min >> 3, HYSTART_DELAY_MIN, HYSTART_DELAY_MAX))
                {
                    ca.found = true;
                    Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPHYSTARTDELAYDETECT);
                    Include.Net.ip_h.NET_ADD_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPHYSTARTDELAYCWND, (int)tcp_snd_cwnd(tp));
                    tp.snd_ssthresh = tcp_snd_cwnd(tp);
                }
            }
        }
    }

    // net/ipv4/tcp_cubic.c: cubictcp_acked
    /// <summary>An RTT sample: the minimum delay follows it; in slow start, HyStart looks for the exit.</summary>
    private static void cubictcp_acked(sock sk, ack_sample sample)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        ref var ca = ref inet_csk_ca<bictcp>(sk);

        // duplicates without timestamps carry no sample
        if (sample.rtt_us < 0)
        {
            return;
        }

        // samples just after a fast recovery are skipped
        if (ca.epoch_start != 0 && (int)(tcp_jiffies32(sk) - ca.epoch_start) < Vmlinux.HZ)
        {
            return;
        }

        var delay = (uint)sample.rtt_us;
        if (delay == 0)
        {
            delay = 1;
        }

        // the first sample, or a shorter delay
        if (ca.delay_min == 0 || ca.delay_min > delay)
        {
            ca.delay_min = delay;
        }

        if (!ca.found && tcp_in_slow_start(tp) && hystart)
        {
            hystart_update(sk, delay);
        }
    }

    // net/ipv4/tcp_cubic.c: cubictcp_register
    /// <summary>Registers CUBIC (built in on 6.18 kernels, and the default algorithm); the scaling factors are constants here.</summary>
    public static int cubictcp_register(Vmlinux k) => tcp_cong_c.tcp_register_congestion_control(k, cubictcp);
}
