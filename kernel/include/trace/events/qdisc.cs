// Ports include/trace/events/qdisc.h: qdisc_dequeue, qdisc_enqueue.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class qdisc_h
{
    private static readonly trace_event_call event_qdisc_dequeue = trace_events_c.find("qdisc", "qdisc_dequeue");
    private static readonly trace_event_call event_qdisc_enqueue = trace_events_c.find("qdisc", "qdisc_enqueue");

    // include/trace/events/qdisc.h: trace_qdisc_dequeue
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_qdisc_dequeue(Qdisc qdisc, netdev_queue txq, int packets, sk_buff? skb)
    {
        var k = txq.dev.nd_net.k;
        if (k.trace.enabled(event_qdisc_dequeue))
        {
            k.trace.record(event_qdisc_dequeue, $"dequeue ifindex={txq.dev.ifindex} qdisc handle=0x{qdisc.handle:X} parent=0x{qdisc.parent:X} txq_state=0x{txq.state:X} packets={packets} skbaddr={skb?.addr ?? 0:x16}");
        }
    }

    // include/trace/events/qdisc.h: trace_qdisc_enqueue
    [KernelNet.Annotations.Borrows("skb")]
    public static void trace_qdisc_enqueue(Qdisc qdisc, netdev_queue txq, sk_buff skb)
    {
        var k = txq.dev.nd_net.k;
        if (k.trace.enabled(event_qdisc_enqueue))
        {
            k.trace.record(event_qdisc_enqueue, $"enqueue ifindex={txq.dev.ifindex} qdisc handle=0x{qdisc.handle:X} parent=0x{qdisc.parent:X} skbaddr={skb.addr:x16}");
        }
    }
}
