// Ports net/ipv4/tcp_recovery.c: RACK loss detection (RFC 8985) — a segment
// is lost once a segment sent after it has been delivered and more than an
// RTT plus a reordering window has passed since it was sent; the reordering
// timer that fires when that window runs out; the window itself (min_rtt/4
// steps, raised on D-SACKs, zero during recovery while no reordering has been
// seen); and NewReno's loss marking for peers without SACK (RFC 6582).
// The window grows by a step on D-SACKs that suggest RACK was too eager
// (tcp_rack_update_reo_wnd), at most once a round trip.
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_recovery_c
{
    // net/ipv4/tcp_recovery.c: tcp_rack_reo_wnd
    /// <summary>
    /// How long (µs) a hole may wait for reordering: none in recovery, or once
    /// the duplicate-ACK threshold is met, while no reordering was ever seen;
    /// otherwise min_rtt/4 per step, at most srtt.
    /// </summary>
    private static uint tcp_rack_reo_wnd(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tp.reord_seen == 0)
        {
            // no reordering seen: in recovery, or past the dupack threshold, act at once
            if (inet_csk(sk).icsk_ca_state >= TCP_CA_Recovery)
            {
                return 0;
            }

            if (tp.sacked_out >= tp.reordering &&
                (Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_recovery & TCP_RACK_NO_DUPTHRESH) == 0)
            {
                return 0;
            }
        }

        // min_rtt rather than srtt: reordering is a property of the path, not of queueing
        return Math.Min((tcp_min_rtt(tp) >> 2) * tp.rack.reo_wnd_steps, tp.srtt_us >> 3);
    }

    // net/ipv4/tcp_recovery.c: tcp_rack_skb_timeout
    /// <summary>µs left before the skb counts as lost (≤ 0: it is lost now).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int tcp_rack_skb_timeout(tcp_sock tp, sk_buff skb, uint reo_wnd) =>
        (int)(tp.rack.rtt_us + reo_wnd - tcp_stamp_us_delta(tp.tcp_mstamp, tcp_skb_timestamp_us(skb)));

    // net/ipv4/tcp_recovery.c: tcp_rack_detect_loss
    /// <summary>
    /// Walks the skbs in send order up to the newest delivered one (rack.mstamp):
    /// each whose RTT plus reordering window has run out is marked lost and
    /// leaves the send-order list; <paramref name="reo_timeout"/> gets the longest
    /// wait of the others.
    /// </summary>
    private static void tcp_rack_detect_loss(sock sk, out uint reo_timeout)
    {
        var tp = tcp_sk(sk);

        reo_timeout = 0;
        var reo_wnd = tcp_rack_reo_wnd(sk);
        sk_buff? n;
        for (var skb = tp.tsorted_sent_queue.first; skb is not null; skb = n)
        {
            n = skb.tcp_tsorted_next;
            var scb = TCP_SKB_CB(skb);

            // lost and not yet sent again: nothing to decide
            if ((scb.sacked & TCPCB_LOST) != 0 && (scb.sacked & TCPCB_SACKED_RETRANS) == 0)
            {
                continue;
            }

            if (!tcp_skb_sent_after(tp.rack.mstamp, tcp_skb_timestamp_us(skb), tp.rack.end_seq, scb.end_seq))
            {
                break;
            }

            var remaining = tcp_rack_skb_timeout(tp, skb, reo_wnd);
            if (remaining <= 0)
            {
                tcp_input_c.tcp_mark_skb_lost(sk, skb);
                tcp_tsorted_del_init(tp, skb);
            }
            else
            {
                reo_timeout = Math.Max(reo_timeout, (uint)remaining);
            }
        }
    }

    // net/ipv4/tcp_recovery.c: tcp_rack_mark_lost
    /// <summary>
    /// After an ACK that advanced RACK: detect losses; if some skbs still wait
    /// out the reordering window, arm the reordering timer for the longest
    /// wait (plus TCP_TIMEOUT_MIN) and say so (the caller then leaves the RTO alone).
    /// </summary>
    public static bool tcp_rack_mark_lost(sock sk)
    {
        var tp = tcp_sk(sk);

        if (!tp.rack.advanced)
        {
            return false;
        }

        // scan again only when RACK advances
        tp.rack.advanced = false;
        tcp_rack_detect_loss(sk, out var timeout);
        if (timeout != 0)
        {
            var when = (ulong)Include.Linux.jiffies_h.usecs_to_jiffies(timeout + TCP_TIMEOUT_MIN_US);
            inet_csk_reset_xmit_timer(sk, ICSK_TIME_REO_TIMEOUT, when, inet_csk(sk).icsk_rto);
        }

        return timeout != 0;
    }

    // net/ipv4/tcp_recovery.c: tcp_rack_advance
    /// <summary>
    /// A (S)ACK delivered an skb sent at <paramref name="xmit_time"/>: RACK's RTT
    /// and newest delivered send time move. A retransmitted skb (S)ACKed sooner
    /// than min_rtt after its retransmission is ambiguous (the original may have
    /// arrived) and is ignored.
    /// </summary>
    public static void tcp_rack_advance(tcp_sock tp, byte sacked, uint end_seq, ulong xmit_time)
    {
        var rtt_us = tcp_stamp_us_delta(tp.tcp_mstamp, xmit_time);
        if (rtt_us < tcp_min_rtt(tp) && (sacked & TCPCB_RETRANS) != 0)
        {
            return;
        }

        tp.rack.advanced = true;
        tp.rack.rtt_us = rtt_us;
        if (tcp_skb_sent_after(xmit_time, tp.rack.mstamp, end_seq, tp.rack.end_seq))
        {
            tp.rack.mstamp = xmit_time;
            tp.rack.end_seq = end_seq;
        }
    }

    // net/ipv4/tcp_recovery.c: tcp_rack_reo_timeout
    /// <summary>
    /// The reordering window ran out (ICSK_TIME_REO_TIMEOUT): what is now lost
    /// is marked; if that changed what is in flight, recovery starts (with a
    /// first PRR step) unless already under way, and the lost skbs go out
    /// again. The RTO is re-armed unless it is what is pending.
    /// </summary>
    public static void tcp_rack_reo_timeout(sock sk)
    {
        var tp = tcp_sk(sk);
        var lost = tp.lost;

        var prior_inflight = tcp_packets_in_flight(tp);
        tcp_rack_detect_loss(sk, out _);
        if (prior_inflight != tcp_packets_in_flight(tp))
        {
            if (inet_csk(sk).icsk_ca_state != TCP_CA_Recovery)
            {
                tcp_input_c.tcp_enter_recovery(sk, false);

                if (inet_csk(sk).icsk_ca_ops?.cong_control is null)
                {
                    tcp_input_c.tcp_cwnd_reduction(sk, 1, (int)(tp.lost - lost), 0);
                }
            }

            tcp_output_c.tcp_xmit_retransmit_queue(sk);
        }

        if (inet_csk(sk).icsk_pending != ICSK_TIME_RETRANS)
        {
            tcp_input_c.tcp_rearm_rto(sk);
        }
    }

    // net/ipv4/tcp_recovery.c: tcp_rack_update_reo_wnd
    /// <summary>
    /// After an ACK's rate sample: a D-SACK that may have come from reordering
    /// RACK took for loss widens the reordering window by a min_rtt/4 step
    /// (at most once a round trip, measured by delivered), kept for
    /// TCP_RACK_RECOVERY_THRESH recoveries; after those it falls back to one step.
    /// </summary>
    public static void tcp_rack_update_reo_wnd(sock sk, ref rate_sample rs)
    {
        var tp = tcp_sk(sk);

        if ((Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_recovery & TCP_RACK_STATIC_REO_WND) != 0 || rs.prior_delivered == 0)
        {
            return;
        }

        // not a round trip since the last change: ignore the D-SACK
        if (before(rs.prior_delivered, tp.rack.last_delivered))
        {
            tp.rack.dsack_seen = false;
        }

        if (tp.rack.dsack_seen)
        {
            tp.rack.reo_wnd_steps = (byte)Math.Min(0xFF, tp.rack.reo_wnd_steps + 1);
            tp.rack.dsack_seen = false;
            tp.rack.last_delivered = tp.delivered;
            tp.rack.reo_wnd_persist = TCP_RACK_RECOVERY_THRESH;
        }
        else if (tp.rack.reo_wnd_persist == 0)
        {
            tp.rack.reo_wnd_steps = 1;
        }
    }

    // net/ipv4/tcp_recovery.c: tcp_newreno_mark_lost
    /// <summary>
    /// Without SACK (RFC 6582): the head is lost once the duplicate ACKs reach
    /// the reordering threshold, or on each partial ACK in recovery; a
    /// multi-segment head is cut so that only its first MSS is marked.
    /// </summary>
    public static void tcp_newreno_mark_lost(sock sk, bool snd_una_advanced)
    {
        var state = inet_csk(sk).icsk_ca_state;
        var tp = tcp_sk(sk);

        if ((state < TCP_CA_Recovery && tp.sacked_out >= tp.reordering) ||
            (state == TCP_CA_Recovery && snd_una_advanced))
        {
            var skb = tcp_rtx_queue_head(sk)!;
            if ((TCP_SKB_CB(skb).sacked & TCPCB_LOST) != 0)
            {
                return;
            }

            var mss = (uint)tcp_skb_mss(skb);
            if (tcp_skb_pcount(skb) > 1 && skb.len > mss)
            {
                tcp_output_c.tcp_fragment(sk, skb, mss, mss, 0);
            }

            tcp_input_c.tcp_mark_skb_lost(sk, skb);
        }
    }
}
