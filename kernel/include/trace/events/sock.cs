// Ports include/trace/events/sock.h: sk_data_ready, sock_rcvqueue_full,
// inet_sock_set_state, inet_sk_error_report, sock_send_length,
// sock_recv_length.
using System.Globalization;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class sock_h
{
    private static readonly trace_event_call event_sk_data_ready = trace_events_c.find("sock", "sk_data_ready");
    private static readonly trace_event_call event_sock_rcvqueue_full = trace_events_c.find("sock", "sock_rcvqueue_full");
    private static readonly trace_event_call event_inet_sock_set_state = trace_events_c.find("sock", "inet_sock_set_state");
    private static readonly trace_event_call event_inet_sk_error_report = trace_events_c.find("sock", "inet_sk_error_report");
    private static readonly trace_event_call event_sock_send_length = trace_events_c.find("sock", "sock_send_length");
    private static readonly trace_event_call event_sock_recv_length = trace_events_c.find("sock", "sock_recv_length");

    // include/trace/events/sock.h: trace_sk_data_ready
    /// <summary>sk_data_ready: "func" is the wakeup function the socket uses (%ps).</summary>
    public static void trace_sk_data_ready(sock sk, string func)
    {
        var k = sk.sk_net.k;
        if (k.trace.enabled(event_sk_data_ready))
        {
            k.trace.record(event_sk_data_ready, $"family={sk.sk_family} protocol={sk.sk_protocol} func={func}");
        }
    }

    // include/trace/events/sock.h: trace_sock_rcvqueue_full
    public static void trace_sock_rcvqueue_full(sock sk, int truesize)
    {
        var k = sk.sk_net.k;
        if (k.trace.enabled(event_sock_rcvqueue_full))
        {
            k.trace.record(event_sock_rcvqueue_full, $"rmem_alloc={sk.sk_rmem_alloc} truesize={truesize} sk_rcvbuf={sk.sk_rcvbuf}");
        }
    }

    /// <summary>show_family_name / show_inet_protocol_name: the names the format knows, else %#x as __print_symbolic prints.</summary>
    [KernelNet.Annotations.NotInLinux("formatting helper of the event's TP_printk (show_family_name), generated in C")]
    private static trace_print_symbolic family_name(int f) => new(f, family_names);

    /// <summary>show_family_name's symbols.</summary>
    private static readonly System.Collections.Immutable.ImmutableArray<trace_print_flags> family_names = [new(2, "AF_INET"), new(10, "AF_INET6")];

    [KernelNet.Annotations.NotInLinux("formatting helper of the event's TP_printk (show_inet_protocol_name), generated in C")]
    private static trace_print_symbolic inet_protocol_name(int p) => new(p, inet_protocol_names);

    /// <summary>show_inet_protocol_name's symbols.</summary>
    private static readonly System.Collections.Immutable.ImmutableArray<trace_print_flags> inet_protocol_names = [new(6, "IPPROTO_TCP"), new(132, "IPPROTO_SCTP"), new(262, "IPPROTO_MPTCP")];

    /// <summary>%pI4 of a host-order address.</summary>
    [KernelNet.Annotations.NotInLinux("formatting helper of the event's TP_printk (%pI4), generated in C")]
    internal static string ip4(uint a) => string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}");

    /// <summary>show_tcp_state_name: the TCP_* names the formats print.</summary>
    [KernelNet.Annotations.NotInLinux("formatting helper of the event's TP_printk (show_tcp_state_name), generated in C")]
    internal static string tcp_state_name(int s) => s switch
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

    // include/trace/events/sock.h: trace_inet_sock_set_state
    /// <summary>inet_sock_set_state: an INET stream socket changed state (inet_sk_state_store, inet_sk_set_state); IPv4 addresses also print v4-mapped.</summary>
    public static void trace_inet_sock_set_state(sock sk, int oldstate, int newstate)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_inet_sock_set_state) || sk.proto_data is not inet_sock inet)
        {
            return;
        }

        var saddr = new trace_ip4(inet.inet_saddr);
        var daddr = new trace_ip4(inet.inet_daddr);
        k.trace.record(event_inet_sock_set_state, $"family={family_name(sk.sk_family)} protocol={inet_protocol_name(sk.sk_protocol)} sport={inet.inet_sport} dport={inet.inet_dport} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr} oldstate={tcp_state_name(oldstate)} newstate={tcp_state_name(newstate)}");
    }

    // include/trace/events/sock.h: trace_inet_sk_error_report
    /// <summary>inet_sk_error_report: an INET socket was told of an error (sk_error_report); IPv4 addresses also print v4-mapped.</summary>
    public static void trace_inet_sk_error_report(sock sk)
    {
        var k = sk.sk_net.k;
        if (sk.sk_family != 2 || !k.trace.enabled(event_inet_sk_error_report) || sk.proto_data is not inet_sock inet)
        {
            return;
        }

        k.trace.record(event_inet_sk_error_report, $"family={family_name(sk.sk_family)} protocol={inet_protocol_name(sk.sk_protocol)} sport={inet.inet_sport} dport={inet.inet_dport} saddr={new trace_ip4(inet.inet_saddr)} daddr={new trace_ip4(inet.inet_daddr)} saddrv6=::ffff:{new trace_ip4(inet.inet_saddr)} daddrv6=::ffff:{new trace_ip4(inet.inet_daddr)} error={sk.sk_err}");
    }

    // include/trace/events/sock.h: trace_sock_send_length
    /// <summary>sock_send_length: what sendmsg returned (sock_sendmsg_nosec).</summary>
    public static void trace_sock_send_length(sock sk, int ret, int flags) => sock_msg_length(sk, event_sock_send_length, ret, flags);

    // include/trace/events/sock.h: trace_sock_recv_length
    /// <summary>sock_recv_length: what recvmsg returned (sock_recvmsg_nosec); a MSG_PEEK reports length 0.</summary>
    public static void trace_sock_recv_length(sock sk, int ret, int flags) => sock_msg_length(sk, event_sock_recv_length, ret, flags);

    [KernelNet.Annotations.NotInLinux("the shared body of the sock_msg_length event class (DECLARE_EVENT_CLASS), generated in C")]
    private static void sock_msg_length(sock sk, trace_event_call call, int ret, int flags)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(call))
        {
            return;
        }

        var length = (flags & 2) == 0 ? (ret > 0 ? ret : 0) : 0;
        k.trace.record(call, $"sk address = {sk.addr:x16}, family = {family_name(sk.sk_family)} protocol = {inet_protocol_name(sk.sk_protocol)}, length = {length}, error = {(ret < 0 ? ret : 0)}, flags = 0x{flags:x}");
    }
}
