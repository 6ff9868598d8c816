// Ports include/trace/events/skb.h: kfree_skb, consume_skb, skb_copy_datagram_iovec.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class skb_h
{
    private static readonly trace_event_call event_kfree_skb = trace_events_c.find("skb", "kfree_skb");
    private static readonly trace_event_call event_consume_skb = trace_events_c.find("skb", "consume_skb");
    private static readonly trace_event_call event_skb_copy_datagram_iovec = trace_events_c.find("skb", "skb_copy_datagram_iovec");

    // include/trace/events/skb.h: trace_kfree_skb
    /// <summary>kfree_skb: where and why an skb was dropped; <paramref name="location"/> is the dropping function (%pS).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_kfree_skb(sk_buff skb, string location, skb_drop_reason reason, sock? rx_sk)
    {
        var k = skb.k;
        if (k.trace.enabled(event_kfree_skb))
        {
            k.trace.record(event_kfree_skb, $"skbaddr={skb.addr:x16} rx_sk={rx_sk?.addr ?? 0:x16} protocol={skb.protocol} location={location}+0x0/0x0 reason: {dropreason_core_h.drop_reason_name(reason)}");
        }
    }

    // include/trace/events/skb.h: trace_consume_skb
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_consume_skb(sk_buff skb, string location)
    {
        var k = skb.k;
        if (k.trace.enabled(event_consume_skb))
        {
            k.trace.record(event_consume_skb, $"skbaddr={skb.addr:x16} location={location}+0x0/0x0");
        }
    }

    // include/trace/events/skb.h: trace_skb_copy_datagram_iovec
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_skb_copy_datagram_iovec(sk_buff skb, int len)
    {
        var k = skb.k;
        if (k.trace.enabled(event_skb_copy_datagram_iovec))
        {
            k.trace.record(event_skb_copy_datagram_iovec, $"skbaddr={skb.addr:x16} len={len}");
        }
    }
}
