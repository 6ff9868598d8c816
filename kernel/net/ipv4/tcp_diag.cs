// Ports net/ipv4/tcp_diag.c: TCP's answer to an inet_diag (sock_diag
// netlink) query for one socket — the two queue figures `ss` prints as
// Recv-Q and Send-Q, and the tcp_info it attaches.
//
// not ported: the netlink dump itself (inet_diag.c), MD5/ULP attributes,
// the diag of request and timewait socks (their queues are 0, filled by
// inet_diag.c's inet_req_diag_fill / inet_twsk_diag_fill).
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_diag_c
{
    // net/ipv4/tcp_diag.c: tcp_diag_get_info
    /// <summary>
    /// A listener's queues are its accept queue: Recv-Q the connections waiting
    /// for accept(), Send-Q the backlog. Any other TCP socket: Recv-Q the bytes
    /// received and not yet read (rcv_nxt - copied_seq, never negative), Send-Q
    /// the bytes not yet acknowledged by the peer, unsent ones included
    /// (write_seq - snd_una). With <paramref name="info"/>, tcp_get_info too.
    /// </summary>
    public static (uint idiag_rqueue, uint idiag_wqueue) tcp_diag_get_info(sock sk, tcp_info? info)
    {
        uint rqueue = 0, wqueue = 0;

        // not ported: inet_sk_state_load — reads sk_state as the field (one thread: no torn read)
        if (sk.sk_state == tcp_states_h.TCP_LISTEN)
        {
            rqueue = sk.sk_ack_backlog;
            wqueue = sk.sk_max_ack_backlog;
        }
        else if (sk.sk_type == Include.Linux.socket_h.SOCK_STREAM)
        {
            var tp = tcp_sk(sk);
            rqueue = (uint)System.Math.Max((int)unchecked(tp.rcv_nxt - tp.copied_seq), 0);
            wqueue = unchecked(tp.write_seq - tp.snd_una);
        }

        if (info is not null)
        {
            tcp_c.tcp_get_info(sk, info);
        }

        return (rqueue, wqueue);
    }
}
