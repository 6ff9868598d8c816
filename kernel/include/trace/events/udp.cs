// Ports include/trace/events/udp.h: udp_fail_queue_rcv_skb.
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class udp_h
{
    private static readonly trace_event_call event_udp_fail_queue_rcv_skb = trace_events_c.find("udp", "udp_fail_queue_rcv_skb");

    // include/trace/events/udp.h: trace_udp_fail_queue_rcv_skb
    /// <summary>A datagram the socket could not take (rc &lt; 0), with its addresses as %pISpc prints them.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_udp_fail_queue_rcv_skb(int rc, sock sk, sk_buff skb)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled(event_udp_fail_queue_rcv_skb))
        {
            return;
        }

        var iph = Include.Linux.ip_h.ip_hdr(skb);
        var uh = new Uapi.Linux.udphdr(skb.head.AsSpan(skb.transport_header));
        k.trace.record(event_udp_fail_queue_rcv_skb, $"rc={rc} family=AF_INET src={new trace_ip4(iph.saddr)}:{uh.source} dest={new trace_ip4(iph.daddr)}:{uh.dest}");
    }
}
