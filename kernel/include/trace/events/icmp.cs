// Ports include/trace/events/icmp.h: icmp_send, emitted by __icmp_send for
// every ICMP error it is about to send.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class icmp_h
{
    private static readonly trace_event_call event_icmp_send = trace_events_c.find("icmp", "icmp_send");

    // include/trace/events/icmp.h: trace_icmp_send
    /// <summary>icmp:icmp_send: the offending packet's addresses, and its UDP ports and length when it is UDP.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_icmp_send(sk_buff skb, int type, int code)
    {
        var k = skb.k;
        if (!k.trace.enabled(event_icmp_send))
        {
            return;
        }

        var iph = Linux.ip_h.ip_hdr(skb);
        int sport = 0, dport = 0, ulen = 0;
        var uh = skb.transport_header;
        if (iph.protocol == 17 && uh != 0xffff && uh + 8 <= skb.tail)
        {
            sport = get_be16(skb, uh);
            dport = get_be16(skb, uh + 2);
            ulen = get_be16(skb, uh + 4);
        }

        k.trace.record(event_icmp_send, $"icmp_send: type={type}, code={code}. From {new trace_ip4(iph.saddr)}:{sport} to {new trace_ip4(iph.daddr)}:{dport} ulen={ulen} skbaddr={skb.addr:x16}");
    }

    [KernelNet.Annotations.NotInLinux("formatting helper of the event's TP_fast_assign, generated from TRACE_EVENT in C")]
    [KernelNet.Annotations.Borrows("skb")]
    private static int get_be16(sk_buff skb, int at) => skbuff_h.get_be16(skb, at);
}
