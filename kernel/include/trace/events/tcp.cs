// Ports include/trace/events/tcp.h: tcp_retransmit_skb and tcp_sendmsg_locked.
//
// not ported: the other tcp: events (tcp_send_reset, tcp_receive_reset,
// tcp_destroy_sock, tcp_probe, tcp_bad_csum, tcp_cong_state_set, ...).
using System.Globalization;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class tcp_h
{
    private static string ip4(uint a) => string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}");

    private static string tcp_state_name(int s) => s switch
    {
        1 => "TCP_ESTABLISHED",
        2 => "TCP_SYN_SENT",
        3 => "TCP_SYN_RECV",
        4 => "TCP_FIN_WAIT1",
        5 => "TCP_FIN_WAIT2",
        6 => "TCP_TIME_WAIT",
        7 => "TCP_CLOSE",
        8 => "TCP_CLOSE_WAIT",
        9 => "TCP_LAST_ACK",
        10 => "TCP_LISTEN",
        11 => "TCP_CLOSING",
        12 => "TCP_NEW_SYN_RECV",
        _ => string.Create(CultureInfo.InvariantCulture, $"0x{s:x}"),
    };

    /// <summary>tcp_retransmit_skb: a segment was sent again (__tcp_retransmit_skb), with the result of the transmission (err).</summary>
    public static void trace_tcp_retransmit_skb(sock sk, sk_buff skb, int err)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled("tcp", "tcp_retransmit_skb") || sk.proto_data is not inet_sock inet)
        {
            return;
        }

        var saddr = ip4(inet.inet_saddr);
        var daddr = ip4(inet.inet_daddr);
        k.trace.record("tcp", "tcp_retransmit_skb", string.Create(CultureInfo.InvariantCulture,
            $"skbaddr={skb.addr:x16} skaddr={sk.addr:x16} family=AF_INET sport={inet.inet_sport} dport={inet.inet_dport} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr} state={tcp_state_name(sk.sk_state)} err={err}"));
    }

    /// <summary>tcp_sendmsg_locked: each turn of the copy loop — the tail skb (or none), its length, the bytes left to copy and the size goal.</summary>
    public static void trace_tcp_sendmsg_locked(sock sk, msghdr msg, sk_buff? skb, int size_goal)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled("tcp", "tcp_sendmsg_locked"))
        {
            return;
        }

        k.trace.record("tcp", "tcp_sendmsg_locked", string.Create(CultureInfo.InvariantCulture,
            $"skb_addr {skb?.addr ?? 0:x16} skb_len {skb?.len ?? 0} msg_left {msg.iov_len - msg.iov_offset} size_goal {size_goal}"));
    }
}
