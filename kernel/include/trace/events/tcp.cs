// Ports include/trace/events/tcp.h: tcp_probe (a segment reaching an
// established socket, with the congestion and window state),
// tcp_rcv_space_adjust (receive autotuning ran), tcp_rcvbuf_grow (it grows
// the buffer), tcp_retransmit_skb, tcp_retransmit_synack, tcp_send_reset (with the rstreason.h
// names), tcp_sendmsg_locked, tcp_cong_state_set, tcp_bad_csum, and the
// tcp_event_sk class's tcp_receive_reset and tcp_destroy_sock.
//
// not ported: the tcp_hash_* and tcp_ao_* events — no MD5 or AO signatures.
// departure: sock_cookie prints 0 — sockets get no cookie (sock_gen_cookie is not ported).
using System.Globalization;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class tcp_h
{
    private static readonly trace_event_call event_tcp_probe = trace_events_c.find("tcp", "tcp_probe");
    private static readonly trace_event_call event_tcp_rcv_space_adjust = trace_events_c.find("tcp", "tcp_rcv_space_adjust");
    private static readonly trace_event_call event_tcp_rcvbuf_grow = trace_events_c.find("tcp", "tcp_rcvbuf_grow");
    private static readonly trace_event_call event_tcp_retransmit_skb = trace_events_c.find("tcp", "tcp_retransmit_skb");
    private static readonly trace_event_call event_tcp_cong_state_set = trace_events_c.find("tcp", "tcp_cong_state_set");
    private static readonly trace_event_call event_tcp_sendmsg_locked = trace_events_c.find("tcp", "tcp_sendmsg_locked");
    private static readonly trace_event_call event_tcp_send_reset = trace_events_c.find("tcp", "tcp_send_reset");
    private static readonly trace_event_call event_tcp_bad_csum = trace_events_c.find("tcp", "tcp_bad_csum");
    private static readonly trace_event_call event_tcp_hash_bad_header = trace_events_c.find("tcp", "tcp_hash_bad_header");
    private static readonly trace_event_call event_tcp_retransmit_synack = trace_events_c.find("tcp", "tcp_retransmit_synack");
    private static readonly trace_event_call event_tcp_receive_reset = trace_events_c.find("tcp", "tcp_receive_reset");
    private static readonly trace_event_call event_tcp_destroy_sock = trace_events_c.find("tcp", "tcp_destroy_sock");

    // include/trace/events/tcp.h: trace_tcp_probe
    /// <summary>
    /// tcp_probe: the socket's addresses (%pISpc), the segment's payload
    /// length, and snd_nxt/snd_una, cwnd, ssthresh (tcp_current_ssthresh),
    /// snd_wnd, srtt (us), rcv_wnd.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_tcp_probe(sock sk, sk_buff skb)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_tcp_probe) || sk.proto_data is not tcp_sock tp)
        {
            return;
        }

        var th = Linux.tcp_h.tcp_hdr(skb);
        var data_len = (ushort)(skb.len - th.doff * 4);

        // tcp_current_ssthresh outside of a window reduction (the CA states are the send path's)
        var ssthresh = System.Math.Max(tp.snd_ssthresh, (tp.snd_cwnd >> 1) + (tp.snd_cwnd >> 2));
        k.trace.record(event_tcp_probe, $"family=AF_INET src={new trace_ip4(tp.inet_saddr)}:{tp.inet_sport} dest={new trace_ip4(tp.inet_daddr)}:{tp.inet_dport} mark={new trace_hex_alt(skb.mark)} data_len={data_len} snd_nxt={new trace_hex_alt(tp.snd_nxt)} snd_una={new trace_hex_alt(tp.snd_una)} snd_cwnd={tp.snd_cwnd} ssthresh={ssthresh} snd_wnd={tp.snd_wnd} srtt={tp.srtt_us >> 3} rcv_wnd={tp.rcv_wnd} sock_cookie=0 skbaddr={skb.addr:x16} skaddr={sk.addr:x16}");
    }

    // include/trace/events/tcp.h: trace_tcp_rcv_space_adjust
    /// <summary>tcp_rcv_space_adjust: autotuning looked at what the reader took in the last RTT.</summary>
    public static void trace_tcp_rcv_space_adjust(sock sk)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_tcp_rcv_space_adjust) || sk.proto_data is not inet_sock inet)
        {
            return;
        }

        var saddr = new trace_ip4(inet.inet_saddr);
        var daddr = new trace_ip4(inet.inet_daddr);
        k.trace.record(event_tcp_rcv_space_adjust, $"family=AF_INET sport={inet.inet_sport} dport={inet.inet_dport} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr} sock_cookie=0");
    }

    // include/trace/events/tcp.h: trace_tcp_rcvbuf_grow
    /// <summary>tcp_rcvbuf_grow: autotuning is about to grow the receive buffer, with the measure it grows from.</summary>
    public static void trace_tcp_rcvbuf_grow(sock sk, int time)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_tcp_rcvbuf_grow) || sk.proto_data is not tcp_sock tp)
        {
            return;
        }

        var ooo = tp.out_of_order_queue is { Count: > 0 } ? Net.tcp_h.TCP_SKB_CB(tp.ooo_last_skb!).end_seq - tp.rcv_nxt : 0;
        var saddr = new trace_ip4(tp.inet_saddr);
        var daddr = new trace_ip4(tp.inet_daddr);
        k.trace.record(event_tcp_rcvbuf_grow, $"time={(uint)time} rtt_us={tp.rcv_rtt_est.rtt_us >> 3} copied={tp.copied_seq - tp.rcvq_space.seq} inq={tp.rcv_nxt - tp.copied_seq} space={tp.rcvq_space.space} ooo={ooo} scaling_ratio={tp.scaling_ratio} rcvbuf={sk.sk_rcvbuf} rcv_ssthresh={tp.rcv_ssthresh} window_clamp={tp.window_clamp} rcv_wnd={tp.rcv_wnd} family=AF_INET sport={tp.inet_sport} dport={tp.inet_dport} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr} skaddr={sk.addr:x16} sock_cookie=0");
    }

    // include/trace/events/tcp.h: trace_tcp_retransmit_skb
    /// <summary>tcp_retransmit_skb: a segment was sent again (__tcp_retransmit_skb), with the result of the transmission (err).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_tcp_retransmit_skb(sock sk, sk_buff skb, int err)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_tcp_retransmit_skb) || sk.proto_data is not inet_sock inet)
        {
            return;
        }

        var saddr = new trace_ip4(inet.inet_saddr);
        var daddr = new trace_ip4(inet.inet_daddr);
        k.trace.record(event_tcp_retransmit_skb, $"skbaddr={skb.addr:x16} skaddr={sk.addr:x16} family=AF_INET sport={inet.inet_sport} dport={inet.inet_dport} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr} state={sock_h.tcp_state_name(sk.sk_state)} err={err}");
    }

    // include/trace/events/tcp.h: trace_tcp_cong_state_set
    /// <summary>tcp_cong_state_set: the congestion state machine moves to <paramref name="ca_state"/> (TCP_CA_*), before the algorithm's set_state hook.</summary>
    public static void trace_tcp_cong_state_set(sock sk, byte ca_state)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_tcp_cong_state_set) || sk.proto_data is not inet_sock inet)
        {
            return;
        }

        var saddr = new trace_ip4(inet.inet_saddr);
        var daddr = new trace_ip4(inet.inet_daddr);
        k.trace.record(event_tcp_cong_state_set, $"family=AF_INET sport={inet.inet_sport} dport={inet.inet_dport} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr} cong_state={ca_state}");
    }

    // include/trace/events/tcp.h: trace_tcp_sendmsg_locked
    /// <summary>tcp_sendmsg_locked: each turn of the copy loop — the tail skb (or none), its length, the bytes left to copy and the size goal.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_tcp_sendmsg_locked(sock sk, msghdr msg, sk_buff? skb, int size_goal)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_tcp_sendmsg_locked))
        {
            return;
        }

        k.trace.record(event_tcp_sendmsg_locked, $"skb_addr {skb?.addr ?? 0:x16} skb_len {skb?.len ?? 0} msg_left {msg.iov_len - msg.iov_offset} size_goal {size_goal}");
    }

    /// <summary>%pISpc of an IPv4 sockaddr: address:port; a zeroed one (no family) prints vsprintf's "(einval)".</summary>
    [KernelNet.Annotations.NotInLinux("formatting helper of the event's TP_printk (%pISpc), generated in C")]
    private static string sockaddr_in(uint addr, ushort port, bool set) =>
        set ? string.Create(CultureInfo.InvariantCulture, $"{sock_h.ip4(addr)}:{port}") : "(einval)";

    // include/trace/events/tcp.h: trace_tcp_send_reset
    /// <summary>
    /// tcp_send_reset: a RST went out (tcp_v4_send_reset, with the segment it
    /// answers; tcp_send_active_reset, with none). The 4-tuple is the full
    /// socket's; without one (a timewait or request sock, or none) the
    /// segment's, turned round so it reads in the RST's direction.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_tcp_send_reset(sock? sk, sk_buff? skb, sk_rst_reason reason)
    {
        var k = sk?.sk_net.k ?? skb?.k;
        if (k is null || !k.trace.enabled(event_tcp_send_reset))
        {
            return;
        }

        var state = sk?.sk_state ?? 0;
        string src, dest;
        if (sk is not null && ((1 << sk.sk_state) & (TCPF_TIME_WAIT | TCPF_NEW_SYN_RECV)) == 0 && sk.proto_data is inet_sock inet) // sk_fullsock
        {
            src = sockaddr_in(inet.inet_saddr, inet.inet_sport, true);
            dest = sockaddr_in(inet.inet_daddr, inet.inet_dport, true);
        }
        else if (skb is not null)
        {
            var iph = Linux.ip_h.ip_hdr(skb);
            var th = Linux.tcp_h.tcp_hdr(skb);
            src = sockaddr_in(iph.daddr, th.dest, true);
            dest = sockaddr_in(iph.saddr, th.source, true);
        }
        else
        {
            src = dest = sockaddr_in(0, 0, false);
        }

        k.trace.record(event_tcp_send_reset, $"skbaddr={skb?.addr ?? 0:x16} skaddr={sk?.addr ?? 0:x16} src={src} dest={dest} state={(state != 0 ? sock_h.tcp_state_name(state) : "UNKNOWN")} reason={rst_reason_name(reason)}");
    }

    /// <summary>DEFINE_RST_REASON's names: the enum member without its SK_RST_REASON_ prefix.</summary>
    [KernelNet.Annotations.NotInLinux("formatting helper of the event's TP_printk (__print_symbolic of sk_rst_reason), generated in C")]
    private static string rst_reason_name(sk_rst_reason reason) =>
        reason is >= sk_rst_reason.SK_RST_REASON_NOT_SPECIFIED and <= sk_rst_reason.SK_RST_REASON_MAX
            ? reason.ToString()["SK_RST_REASON_".Length..]
            : string.Create(CultureInfo.InvariantCulture, $"0x{(uint)reason:x}");

    /// <summary>The tcp_event_sk class: the socket's ports and addresses (IPv4-mapped in the v6 fields).</summary>
    [KernelNet.Annotations.NotInLinux("the shared body of the tcp_event_sk event class (DECLARE_EVENT_CLASS), generated in C")]
    private static void tcp_event_sk(trace_event_call call, sock sk)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(call) || sk.proto_data is not inet_sock inet)
        {
            return;
        }

        var saddr = new trace_ip4(inet.inet_saddr);
        var daddr = new trace_ip4(inet.inet_daddr);
        k.trace.record(call, $"family=AF_INET sport={inet.inet_sport} dport={inet.inet_dport} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr} sock_cookie=0");
    }

    // include/trace/events/tcp.h: trace_tcp_bad_csum
    /// <summary>
    /// tcp_bad_csum (the tcp_event_skb class): a segment failed its checksum;
    /// its own addresses and ports, source first (TP_STORE_ADDR_PORTS_SKB).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_tcp_bad_csum(sk_buff skb)
    {
        var k = skb.k;
        if (!k.trace.enabled(event_tcp_bad_csum))
        {
            return;
        }

        var iph = Linux.ip_h.ip_hdr(skb);
        var th = Linux.tcp_h.tcp_hdr(skb);
        k.trace.record(event_tcp_bad_csum, $"skbaddr={skb.addr:x16} src={sockaddr_in(iph.saddr, th.source, true)} dest={sockaddr_in(iph.daddr, th.dest, true)}");
    }

    // include/trace/events/tcp.h: trace_tcp_hash_bad_header
    /// <summary>
    /// tcp_hash_bad_header (the tcp_hash_event class): a segment's MD5/AO
    /// options are malformed or doubled (tcp_inbound_hash). The socket's
    /// namespace cookie and state, the segment's addresses and ports source
    /// first, the L3 master's index (0: no VRF), and its flags.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_tcp_hash_bad_header(sock sk, sk_buff skb) => tcp_hash_event(event_tcp_hash_bad_header, sk, skb);

    /// <summary>The tcp_hash_event class: TP_STORE_ADDR_PORTS_SKB over the segment, th at skb->data.</summary>
    [KernelNet.Annotations.NotInLinux("the tcp_hash_event class's print, shared by the hash tracepoints")]
    [KernelNet.Annotations.Borrows("skb")]
    private static void tcp_hash_event(trace_event_call call, sock sk, sk_buff skb)
    {
        var k = skb.k;
        if (!k.trace.enabled(call))
        {
            return;
        }

        var iph = Linux.ip_h.ip_hdr(skb);
        var th = new Uapi.Linux.tcphdr(System.MemoryExtensions.AsSpan(skb.head, skb.data));
        var flags = string.Create(CultureInfo.InvariantCulture,
            $"{(th.fin ? 'F' : ' ')}{(th.syn ? 'S' : ' ')}{(th.rst ? 'R' : ' ')}{((th.flags & 0x08) != 0 ? 'P' : ' ')}{(th.ack ? '.' : ' ')}");
        k.trace.record(call, $"net={sk.sk_net.net_cookie} state={sock_h.tcp_state_name(sk.sk_state)} family=AF_INET src={sockaddr_in(iph.saddr, th.source, true)} dest={sockaddr_in(iph.daddr, th.dest, true)} L3index=0 [{flags}]");
    }

    // include/trace/events/tcp.h: trace_tcp_retransmit_synack
    /// <summary>tcp_retransmit_synack: the request timer sent a SYN-ACK again (tcp_rtx_synack), with the request's addresses.</summary>
    public static void trace_tcp_retransmit_synack(sock sk, request_sock req)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_tcp_retransmit_synack))
        {
            return;
        }

        var saddr = new trace_ip4(req.ir_loc_addr);
        var daddr = new trace_ip4(req.ir_rmt_addr);
        k.trace.record(event_tcp_retransmit_synack, $"family=AF_INET sport={req.ir_num} dport={req.ir_rmt_port} saddr={saddr} daddr={daddr} saddrv6=::ffff:{saddr} daddrv6=::ffff:{daddr}");
    }

    // include/trace/events/tcp.h: trace_tcp_receive_reset
    /// <summary>tcp_receive_reset: an acceptable RST reached the socket (tcp_reset).</summary>
    public static void trace_tcp_receive_reset(sock sk) => tcp_event_sk(event_tcp_receive_reset, sk);

    // include/trace/events/tcp.h: trace_tcp_destroy_sock
    /// <summary>tcp_destroy_sock: the socket's TCP state is being torn down (tcp_v4_destroy_sock).</summary>
    public static void trace_tcp_destroy_sock(sock sk) => tcp_event_sk(event_tcp_destroy_sock, sk);
}
