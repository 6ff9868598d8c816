// Ports net/ipv4/tcp_rate.c: the delivery rate sampler. Each skb remembers,
// when sent, how much had been delivered and when (tx.delivered,
// tx.delivered_mstamp, tx.first_tx_mstamp); when it is (S)ACKed, the most
// recently sent of the skbs this ACK delivered gives the sample: segments
// delivered since then over the longer of the send and ACK phases. The
// last sample that is not application-limited (or the highest that is)
// becomes tcpi_delivery_rate. RACK's reordering window reads its
// prior_delivered.
//
// not ported: delivered_ce (no ECN: the sample's CE count is always 0).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_rate_c
{
    // net/ipv4/tcp_rate.c: tcp_rate_skb_sent
    /// <summary>
    /// An skb was (re)sent: it records the delivered count and its time, and
    /// the start of the send phase. With nothing out, both clocks start at
    /// this send (an ACK after it measures the whole path).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_rate_skb_sent(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        // packets_out, not the in-flight guess: a spurious RTO or loss mark must not shorten the interval
        if (tp.packets_out == 0)
        {
            var tstamp_us = tcp_skb_timestamp_us(skb);

            tp.first_tx_mstamp = tstamp_us;
            tp.delivered_mstamp = tstamp_us;
        }

        var cb = TCP_SKB_CB(skb);
        cb.tx.first_tx_mstamp = tp.first_tx_mstamp;
        cb.tx.delivered_mstamp = tp.delivered_mstamp;
        cb.tx.delivered = tp.delivered;
        cb.tx.is_app_limited = tp.app_limited != 0;
    }

    // net/ipv4/tcp_rate.c: tcp_rate_skb_delivered
    /// <summary>
    /// An skb was (S)ACKed: if it was sent after the one the sample holds so
    /// far, the sample starts from its send-time state. A SACKed skb is
    /// marked off so its later cumulative ACK does not count it twice.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_rate_skb_delivered(sock sk, sk_buff skb, ref rate_sample rs)
    {
        var tp = tcp_sk(sk);
        var scb = TCP_SKB_CB(skb);

        if (scb.tx.delivered_mstamp == 0)
        {
            return;
        }

        var tx_tstamp = tcp_skb_timestamp_us(skb);
        if (rs.prior_delivered == 0 || tcp_skb_sent_after(tx_tstamp, tp.first_tx_mstamp, scb.end_seq, rs.last_end_seq))
        {
            rs.prior_delivered = scb.tx.delivered;
            rs.prior_mstamp = scb.tx.delivered_mstamp;
            rs.is_app_limited = scb.tx.is_app_limited;
            rs.is_retrans = (scb.sacked & TCPCB_RETRANS) != 0;
            rs.last_end_seq = scb.end_seq;

            // the send time of the newest skb delivered, and the length of the send phase
            tp.first_tx_mstamp = tx_tstamp;
            rs.interval_us = tcp_stamp_us_delta(tp.first_tx_mstamp, scb.tx.first_tx_mstamp);
        }

        if ((scb.sacked & TCPCB_SACKED_ACKED) != 0)
        {
            scb.tx.delivered_mstamp = 0;
        }
    }

    // net/ipv4/tcp_rate.c: tcp_rate_gen
    /// <summary>
    /// At the end of an ACK: the rate sample — delivered segments over the
    /// longer of the send and ACK phases; none (-1) without timing or during
    /// SACK reneging, or when the interval is shorter than min_rtt. The
    /// connection keeps the last non-app-limited sample, or a higher
    /// app-limited one.
    /// </summary>
    public static void tcp_rate_gen(sock sk, uint delivered, uint lost, bool is_sack_reneg, ref rate_sample rs)
    {
        var tp = tcp_sk(sk);

        // the application-limited bubble is acked and gone
        if (tp.app_limited != 0 && after(tp.delivered, tp.app_limited))
        {
            tp.app_limited = 0;
        }

        if (delivered != 0)
        {
            tp.delivered_mstamp = tp.tcp_mstamp;
        }

        rs.acked_sacked = delivered;
        rs.losses = (int)lost;

        // no timing, or SACKs the peer reneged on would inflate the rate
        if (rs.prior_mstamp == 0 || is_sack_reneg)
        {
            rs.delivered = -1;
            rs.interval_us = -1;
            return;
        }

        rs.delivered = (int)(tp.delivered - rs.prior_delivered);

        // sending and ACKing as two phases of a pipeline: the longer one
        var snd_us = (uint)rs.interval_us;
        var ack_us = tcp_stamp_us_delta(tp.tcp_mstamp, rs.prior_mstamp);
        rs.interval_us = System.Math.Max(snd_us, ack_us);

        rs.snd_interval_us = snd_us;
        rs.rcv_interval_us = ack_us;

        // shorter than min_rtt: not believable
        if (rs.interval_us < tcp_min_rtt(tp))
        {
            rs.interval_us = -1;
            return;
        }

        // the last sample that is not app-limited, or the highest that is
        if (!rs.is_app_limited ||
            ((ulong)rs.delivered * tp.rate_interval_us >= (ulong)tp.rate_delivered * (ulong)rs.interval_us))
        {
            tp.rate_delivered = (uint)rs.delivered;
            tp.rate_interval_us = (uint)rs.interval_us;
            tp.rate_app_limited = rs.is_app_limited;
        }
    }

    // net/ipv4/tcp_rate.c: tcp_rate_check_app_limited
    /// <summary>
    /// A write finds the pipe not full because of the application (less than
    /// a segment unsent, nothing in the host's queues, cwnd not the limit, all
    /// losses retransmitted): samples until what is in flight now is delivered
    /// are marked application-limited.
    /// </summary>
    public static void tcp_rate_check_app_limited(sock sk)
    {
        var tp = tcp_sk(sk);

        if (tp.write_seq - tp.snd_nxt < tp.mss_cache &&
            sock_h.sk_wmem_alloc_get(sk) < skbuff_h.SKB_TRUESIZE(1) &&
            tcp_packets_in_flight(tp) < tcp_snd_cwnd(tp) &&
            tp.lost_out <= tp.retrans_out)
        {
            var v = tp.delivered + tcp_packets_in_flight(tp);
            tp.app_limited = v != 0 ? v : 1;
        }
    }
}
