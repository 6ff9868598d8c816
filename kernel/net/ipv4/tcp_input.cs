// Ports net/ipv4/tcp_input.c: what a TCP socket does with a segment. So far
// only the SYN_SENT state's answer to a RST (tcp_rcv_synsent_state_process
// up to its RST check; tcp_reset, tcp_done_with_error) and the CLOSE
// state's discard.
//
// not ported yet: everything after the handshake — tcp_ack, the SYN-ACK
// that completes an active open (tcp_rcv_synsent_state_process drops it
// with TCP_FLAGS), options
// parsing (tcp_parse_options: the RST carries none), PAWS,
// tcp_rcv_established, the LISTEN and SYN_RECV states, data, FIN, SACK,
// congestion control and RTT estimation.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_input_c
{
    /// <summary>TCP_TIMEOUT_MIN: 2 jiffies.</summary>
    private const ulong TCP_TIMEOUT_MIN = 2;

    // net/ipv4/tcp_input.c: tcp_clear_retrans
    public static void tcp_clear_retrans(tcp_sock tp)
    {
        tp.retrans_out = 0;
        tp.lost_out = 0;
        tp.sacked_out = 0;
    }

    // net/ipv4/tcp_input.c: tcp_reset
    /// <summary>A RST was accepted: the error BSD reports for the state (ECONNREFUSED in SYN_SENT), and the socket is done.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_receive_reset: the tcp: tracepoints are not ported yet (the recordings do not enable them)")]
    public static void tcp_reset(sock sk, sk_buff skb)
    {
        int err;

        // mptcp_incoming_options: no MPTCP.
        // We want the right error as BSD sees it (and indeed as we do).
        switch (sk.sk_state)
        {
            case TCP_SYN_SENT:
                err = errno_h.ECONNREFUSED;
                break;
            case TCP_CLOSE_WAIT:
                err = errno_base_h.EPIPE;
                break;
            case TCP_CLOSE:
                return;
            default:
                err = errno_h.ECONNRESET;
                break;
        }

        tcp_done_with_error(sk, err);
    }

    // net/ipv4/tcp_input.c: tcp_done_with_error
    /// <summary>Posts <paramref name="err"/>, frees what was queued to send, closes the socket and tells its owner.</summary>
    public static void tcp_done_with_error(sock sk, int err)
    {
        // This barrier is coupled with smp_rmb() in tcp_poll()
        sk.sk_err = err;
        tcp_c.tcp_write_queue_purge(sk);
        tcp_c.tcp_done(sk);
        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            Core.sock_c.sk_error_report(sk);
        }
    }

    // net/ipv4/tcp_input.c: tcp_rcv_synsent_state_process
    /// <summary>
    /// A segment for a socket in SYN_SENT. An ACK must acknowledge exactly our
    /// SYN (else the caller resets: TCP_INVALID_ACK_SEQUENCE); with RST, the
    /// connection is refused (tcp_reset) and the RST is freed without a
    /// tracepoint. Returns 0 when the skb was consumed, else the drop reason
    /// for the caller's reset. Completing the handshake (SYN-ACK) and
    /// simultaneous open are not ported: such segments are dropped
    /// (TCP_FLAGS), so the SYN's retransmit timer stays the only way on.
    /// </summary>
    public static skb_drop_reason tcp_rcv_synsent_state_process(sock sk, sk_buff skb, tcphdr th)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var saved_clamp = tp.rx_opt.mss_clamp;
        var reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;

        // tcp_parse_options: not ported (no options are acted on before the handshake completes).
        if (th.ack)
        {
            // rfc793: "If the state is SYN-SENT then first check the ACK bit:
            // if SEG.ACK =< ISS, or SEG.ACK > SND.NXT, send a reset (unless
            // the RST bit is set, if so drop the segment and return)".
            if (!after(TCP_SKB_CB(skb).ack_seq, tp.snd_una) || after(TCP_SKB_CB(skb).ack_seq, tp.snd_nxt))
            {
                if (icsk.icsk_retransmits == 0)
                {
                    tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_TIMEOUT_MIN, false);
                }

                reason = skb_drop_reason.SKB_DROP_REASON_TCP_INVALID_ACK_SEQUENCE;
                goto reset_and_undo;
            }

            // PAWS on the SYN-ACK's echoed timestamp: no options parsed, nothing saw a timestamp.
            // "If the RST bit is set: if the ACK was acceptable then signal the
            // user "error: connection reset", drop the segment, enter CLOSED
            // state, delete TCB, and return."
            if (th.rst)
            {
                tcp_reset(sk, skb);
                __kfree_skb(skb);
                return 0;
            }

            // A SYN-ACK: tcp_finish_connect and the rest of the handshake are not ported yet.
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;
            goto discard_and_undo;
        }

        // No ACK in the segment: "If the RST bit is set, drop the segment and return."
        if (th.rst)
        {
            reason = skb_drop_reason.SKB_DROP_REASON_TCP_RESET;
            goto discard_and_undo;
        }

        // Simultaneous open (a SYN without ACK) is not ported.
        reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;

    discard_and_undo:
        tp.rx_opt.mss_clamp = saved_clamp;
        tcp_drop_reason(sk, skb, reason);
        return 0;

    reset_and_undo:
        tp.rx_opt.mss_clamp = saved_clamp;
        return reason;
    }

    // net/ipv4/tcp_input.c: tcp_drop_reason
    private static void tcp_drop_reason(sock sk, sk_buff skb, skb_drop_reason reason)
    {
        sk_drops_inc(sk);
        sk_skb_reason_drop(sk, skb, reason);
    }

    // net/ipv4/tcp_input.c: tcp_rcv_state_process
    /// <summary>
    /// A segment for a socket in any state but ESTABLISHED and TIME_WAIT. CLOSE
    /// drops (TCP_CLOSE); SYN_SENT goes to tcp_rcv_synsent_state_process. The
    /// other states (LISTEN, SYN_RECV, the closing states) are not ported:
    /// their segments are dropped as TCP_FLAGS. 0, or a reason to reset.
    /// </summary>
    public static skb_drop_reason tcp_rcv_state_process(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var th = tcp_hdr(skb);
        skb_drop_reason reason;

        switch (sk.sk_state)
        {
            case TCP_CLOSE:
                reason = skb_drop_reason.SKB_DROP_REASON_TCP_CLOSE;
                goto discard;
            case TCP_SYN_SENT:
                tcp_output_c.tcp_mstamp_refresh(tp);
                var queued = tcp_rcv_synsent_state_process(sk, skb, th);
                if (queued >= 0)
                {
                    return queued;
                }

                // restructured: 6.18 never returns a negative reason, so the urgent/data-send tail is unreachable.
                return 0;
        }

        reason = skb_drop_reason.SKB_DROP_REASON_TCP_FLAGS;

    discard:
        tcp_drop_reason(sk, skb, reason);
        return 0;
    }
}
