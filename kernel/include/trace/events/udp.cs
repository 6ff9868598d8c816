// Ports include/trace/events/udp.h: udp_fail_queue_rcv_skb.
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class udp_h
{
    // include/trace/events/udp.h: trace_udp_fail_queue_rcv_skb
    /// <summary>A datagram the socket could not take (rc &lt; 0), with its addresses as %pISpc prints them.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_udp_fail_queue_rcv_skb(int rc, sock sk, sk_buff skb)
    {
        var k = sk.sk_net.k;
        if (!k.trace.enabled("udp", "udp_fail_queue_rcv_skb"))
        {
            return;
        }

        var iph = Include.Linux.ip_h.ip_hdr(skb);
        var uh = new Uapi.Linux.udphdr(skb.head.AsSpan(skb.transport_header));
        k.trace.record("udp", "udp_fail_queue_rcv_skb", $"rc={rc} family=AF_INET src={fib_h.ip4(iph.saddr)}:{uh.source} dest={fib_h.ip4(iph.daddr)}:{uh.dest}");
    }
}
