// Ports net/ipv4/tcp_timer.c: the TCP timers' set-up and the initial RTO.
//
// not ported yet: what the timers do when they fire — retransmitting the
// SYN or data (tcp_retransmit_timer, tcp_write_timeout), delayed ACKs,
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

    // net/ipv4/tcp_timer.c: tcp_delack_timer
    /// <summary>The delayed-ACK timer fired: there are no delayed ACKs yet.</summary>
    private static void tcp_delack_timer(timer_list t)
    {
    }

    // net/ipv4/tcp_timer.c: tcp_init_xmit_timers
    /// <summary>A TCP socket's timers (the pacing and compressed-ACK hrtimers are not ported).</summary>
    public static void tcp_init_xmit_timers(sock sk) =>
        inet_connection_sock_c.inet_csk_init_xmit_timers(sk, tcp_write_timer, tcp_delack_timer);
}
