// Ports include/net/tcp_states.h: the TCP states (shared with every INET
// socket's sk_state) and their bit masks.
namespace KernelNet.Kernel.Include.Net;

public static class tcp_states_h
{
    // TCP_ESTABLISHED (1) and TCP_CLOSE (7) were ported first, with struct sock: sock_h has them.
    public const int TCP_SYN_SENT = 2;
    public const int TCP_SYN_RECV = 3;
    public const int TCP_FIN_WAIT1 = 4;
    public const int TCP_FIN_WAIT2 = 5;
    public const int TCP_TIME_WAIT = 6;
    public const int TCP_CLOSE_WAIT = 8;
    public const int TCP_LAST_ACK = 9;
    public const int TCP_LISTEN = 10;
    public const int TCP_CLOSING = 11;
    public const int TCP_NEW_SYN_RECV = 12;
    public const int TCP_BOUND_INACTIVE = 13;

    public const int TCPF_ESTABLISHED = 1 << sock_h.TCP_ESTABLISHED;
    public const int TCPF_SYN_SENT = 1 << TCP_SYN_SENT;
    public const int TCPF_SYN_RECV = 1 << TCP_SYN_RECV;
    public const int TCPF_CLOSE = 1 << sock_h.TCP_CLOSE;
    public const int TCPF_CLOSE_WAIT = 1 << TCP_CLOSE_WAIT;
    public const int TCPF_LISTEN = 1 << TCP_LISTEN;
    public const int TCPF_FIN_WAIT1 = 1 << TCP_FIN_WAIT1;
    public const int TCPF_FIN_WAIT2 = 1 << TCP_FIN_WAIT2;
    public const int TCPF_TIME_WAIT = 1 << TCP_TIME_WAIT;
    public const int TCPF_LAST_ACK = 1 << TCP_LAST_ACK;
    public const int TCPF_CLOSING = 1 << TCP_CLOSING;
    public const int TCPF_NEW_SYN_RECV = 1 << TCP_NEW_SYN_RECV;
}
