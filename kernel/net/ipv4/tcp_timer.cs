// Ports net/ipv4/tcp_timer.c: the TCP timers' set-up and the initial RTO,
// and the delayed-ACK timer (tcp_delack_timer_handler: the ACK, DelayedACKs).
//
// not ported yet: what the other timers do when they fire — retransmitting the
// SYN or data (tcp_retransmit_timer, tcp_write_timeout), the compressed
// SACK timer, a delayed ACK deferred while the socket is owned (TCP_DELACK_TIMER_DEFERRED),
// zero-window probes, keepalive, TLP. The retransmit timer is armed by
// tcp_connect and cancelled by tcp_done; if it fires first, the handler
// only clears the pending event (the SYN is not resent).
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_timer_c
{
    // net/ipv4/tcp_timer.c: tcp_write_timer
    /// <summary>The retransmit timer fired (softirq): the retransmission itself is not ported yet.</summary>
    private static void tcp_write_timer(timer_list t)
    {
        var sk = (sock)t.owner!;

        // bh_lock_sock; tcp_write_timer_handler: ICSK_TIME_RETRANS -> tcp_retransmit_timer (not ported).
        inet_csk(sk).icsk_pending = 0;
    }

    // net/ipv4/tcp_timer.c: tcp_delack_timer_handler
    /// <summary>Send the ACK that was delayed, if one is still owed: DelayedACKs counts it; a socket in pingpong mode leaves it.</summary>
    public static void tcp_delack_timer_handler(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        var k = sk.sk_net.k;

        if (sk.sk_state is Include.Net.sock_h.TCP_CLOSE or Include.Net.tcp_states_h.TCP_LISTEN)
        {
            return;
        }

        // compressed SACKs are not ported
        if ((icsk.icsk_ack_pending & ICSK_ACK_TIMER) == 0)
        {
            return;
        }

        if ((long)(icsk.icsk_ack_timeout - k.jiffies) > 0)
        {
            timer_c.mod_timer(k, icsk.icsk_delack_timer!, icsk.icsk_ack_timeout);
            return;
        }

        icsk.icsk_ack_pending &= unchecked((byte)~ICSK_ACK_TIMER);

        if (inet_csk_ack_scheduled(sk))
        {
            if (!inet_csk_in_pingpong_mode(sk))
            {
                icsk.icsk_ack_ato = System.Math.Min(icsk.icsk_ack_ato << 1, icsk.icsk_rto);
            }
            else
            {
                inet_csk_exit_pingpong_mode(sk);
                icsk.icsk_ack_ato = Include.Net.tcp_h.TCP_ATO_MIN;
            }

            tcp_output_c.tcp_mstamp_refresh(tp);
            tcp_output_c.tcp_send_ack(sk);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, Include.Uapi.Linux.linux_mib_field.LINUX_MIB_DELAYEDACKS);
        }
    }

    // net/ipv4/tcp_timer.c: tcp_delack_timer
    /// <summary>The delayed-ACK timer fired (softirq); the socket is never owned by a task when timers run here.</summary>
    private static void tcp_delack_timer(timer_list t)
    {
        var sk = (sock)t.owner!;
        tcp_delack_timer_handler(sk);
    }

    // net/ipv4/tcp_timer.c: tcp_init_xmit_timers
    /// <summary>A TCP socket's timers (the pacing and compressed-ACK hrtimers are not ported).</summary>
    public static void tcp_init_xmit_timers(sock sk) =>
        inet_connection_sock_c.inet_csk_init_xmit_timers(sk, tcp_write_timer, tcp_delack_timer);
}
