// Ports include/net/sch_generic.h: struct Qdisc and the helpers its
// implementations share.
using System;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct Qdisc_ops: a queueing discipline's entry points.</summary>
public sealed class Qdisc_ops
{
    public required string id { get; init; }

    /// <summary>enqueue(skb, qdisc, to_free): NET_XMIT_*.</summary>
    public required Func<sk_buff, Qdisc, int> enqueue { get; init; }

    public required Func<Qdisc, sk_buff?> dequeue { get; init; }

    public required Func<Qdisc, sk_buff?> peek { get; init; }

    /// <summary>init(qdisc, opt): 0 or a negative errno. departure: opt is the discipline's parsed TCA_OPTIONS (null when absent), not a netlink attribute.</summary>
    public Func<Qdisc, object?, int>? init { get; init; }

    /// <summary>reset(qdisc): frees whatever the discipline holds.</summary>
    public Action<Qdisc>? reset { get; init; }

    /// <summary>change(qdisc, opt), as init.</summary>
    public Func<Qdisc, object?, int>? change { get; init; }
}

/// <summary>struct Qdisc.</summary>
public sealed class Qdisc
{
    public const int __QDISC_STATE_SCHED = 0;
    public const int __QDISC_STATE_DEACTIVATED = 1;
    public const int __QDISC_STATE_MISSED = 2;

    public Qdisc(Qdisc_ops ops, netdev_queue dev_queue, Vmlinux k)
    {
        this.ops = ops;
        this.dev_queue = dev_queue;
        addr = k.alloc_address(384);
    }

    public Qdisc_ops ops { get; }

    public netdev_queue dev_queue { get; }

    public ulong addr { get; }

    public uint handle { get; set; }

    public uint parent { get; set; } = 0xffffffff;

    /// <summary>The queue limit in packets (txqueuelen for pfifo_fast).</summary>
    public uint limit { get; set; }

    public ulong state { get; set; }

    /// <summary>__QDISC_STATE2_RUNNING: someone is dequeuing (qdisc_run_begin).</summary>
    public bool running { get; set; }

    /// <summary>The requeued skb waiting in front of the queue (gso_skb).</summary>
    public sk_buff_head gso_skb { get; } = new();

    /// <summary>The discipline's own packet list (struct qdisc_skb_head q), used by the FIFOs; its length is <see cref="qlen"/>.</summary>
    public sk_buff_head q { get; } = new();

    /// <summary>Private data of the discipline (pfifo_fast's bands).</summary>
    public object? priv { get; set; }

    /// <summary>qstats.qlen.</summary>
    public int qlen { get; set; }

    /// <summary>qstats.backlog in bytes.</summary>
    public uint backlog { get; set; }

    public ulong drops { get; set; }

    public ulong requeues { get; set; }

    public ulong overlimits { get; set; }

    /// <summary>bstats.</summary>
    public ulong bytes { get; set; }

    public ulong packets { get; set; }

    /// <summary>next_sched: the next qdisc on the CPU's softnet_data.output_queue.</summary>
    public Qdisc? next_sched { get; set; }

    /// <summary>TCQ_F_NOLOCK and friends.</summary>
    public uint flags { get; set; }
}

public static class sch_generic_h
{
    public const uint TCQ_F_BUILTIN = 1;
    public const uint TCQ_F_INGRESS = 2;
    public const uint TCQ_F_CAN_BYPASS = 4;
    public const uint TCQ_F_MQROOT = 8;
    public const uint TCQ_F_ONETXQUEUE = 0x10;
    public const uint TCQ_F_NOPARENT = 0x40;
    public const uint TCQ_F_CPUSTATS = 0x20;
    public const uint TCQ_F_NOLOCK = 0x100;

    // include/net/sch_generic.h: qdisc_run_begin
    /// <summary>
    /// Claims the right to dequeue. A lockless qdisc that finds another
    /// context dequeuing sets MISSED so that the owner reschedules it.
    /// </summary>
    public static bool qdisc_run_begin(Qdisc qdisc)
    {
        if ((qdisc.flags & TCQ_F_NOLOCK) != 0)
        {
            if (!qdisc.running)
            {
                qdisc.running = true;
                return true;
            }

            qdisc.state |= 1UL << Qdisc.__QDISC_STATE_MISSED;
            return false;
        }

        if (qdisc.running)
        {
            return false;
        }

        qdisc.running = true;
        return true;
    }

    // include/net/sch_generic.h: qdisc_run_end
    /// <summary>Releases the qdisc; if someone missed it meanwhile, NET_TX takes over (__netif_schedule).</summary>
    public static void qdisc_run_end(Qdisc qdisc)
    {
        qdisc.running = false;
        if ((qdisc.flags & TCQ_F_NOLOCK) != 0 && (qdisc.state & (1UL << Qdisc.__QDISC_STATE_MISSED)) != 0)
        {
            KernelNet.Kernel.Net.Core.dev_c.__netif_schedule(qdisc);
        }
    }

    // include/net/sch_generic.h: nolock_qdisc_is_empty
    public static bool nolock_qdisc_is_empty(Qdisc qdisc) => qdisc.qlen == 0 && qdisc.gso_skb.qlen == 0;

    // include/net/sch_generic.h: qdisc_dev
    public static net_device qdisc_dev(Qdisc qdisc) => qdisc.dev_queue.dev;

    // not ported: qdisc_skb_cb — no size tables (stab): the packet length is skb.len
    // include/net/sch_generic.h: qdisc_pkt_len
    [KernelNet.Annotations.Borrows("skb")]
    public static int qdisc_pkt_len(sk_buff skb) => skb.len;

    // include/net/sch_generic.h: qdisc_qlen
    public static int qdisc_qlen(Qdisc q) => q.qlen;

    // not ported: qstats_drop_inc — the drops counter is bumped in place
    // include/net/sch_generic.h: qdisc_qstats_drop
    public static void qdisc_qstats_drop(Qdisc sch) => sch.drops++;

    // include/net/sch_generic.h: qdisc_enqueue_tail
    /// <summary>Appends to the qdisc's own list (__qdisc_enqueue_tail) and adds to its backlog: NET_XMIT_SUCCESS.</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int qdisc_enqueue_tail(sk_buff skb, Qdisc sch)
    {
        // not ported: __qdisc_enqueue_tail, qdisc_qstats_backlog_inc — written in place as the comments there say
        skbuff_h.__skb_queue_tail(sch.q, skb);
        sch.qlen++;
        sch.backlog += (uint)qdisc_pkt_len(skb); // qdisc_qstats_backlog_inc
        return netdevice_h.NET_XMIT_SUCCESS;
    }

    // include/net/sch_generic.h: qdisc_dequeue_head
    /// <summary>Takes the head of the qdisc's own list, off the backlog and into bstats.</summary>
    public static sk_buff? qdisc_dequeue_head(Qdisc sch)
    {
        // not ported: __qdisc_dequeue_head, qdisc_qstats_backlog_dec, qdisc_bstats_update — written in place as the comments there say
        var skb = skbuff_h.__skb_dequeue(sch.q); // __qdisc_dequeue_head
        if (skb is not null)
        {
            sch.qlen--;
            sch.backlog -= (uint)qdisc_pkt_len(skb); // qdisc_qstats_backlog_dec
            sch.bytes += (ulong)qdisc_pkt_len(skb); // qdisc_bstats_update
            sch.packets++;
        }

        return skb;
    }

    // include/net/sch_generic.h: qdisc_peek_head
    public static sk_buff? qdisc_peek_head(Qdisc sch) => skbuff_h.skb_peek(sch.q);

    // include/net/sch_generic.h: qdisc_reset_queue
    /// <summary>Frees every skb on the qdisc's own list (__qdisc_reset_queue: rtnl_kfree_skbs, no specific reason).</summary>
    public static void qdisc_reset_queue(Qdisc sch)
    {
        // not ported: __qdisc_reset_queue — the queue is drained in place, each skb freed as kfree_skb_list would
        while (skbuff_h.__skb_dequeue(sch.q) is { } skb)
        {
            skbuff_h.kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED); // kfree_skb_list
        }

        sch.qlen = 0;
        sch.backlog = 0;
    }

    // include/net/sch_generic.h: qdisc_drop
    /// <summary>
    /// The discipline refuses the skb: counted in qstats.drops and freed with
    /// QDISC_DROP (6.18 chains it on to_free and __dev_xmit_skb frees the list
    /// with that reason; here it is freed at once). NET_XMIT_DROP.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int qdisc_drop(sk_buff skb, Qdisc sch)
    {
        // not ported: __qdisc_drop — the skb is freed at once with QDISC_DROP rather than put on a to_free list
        skbuff_h.kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_QDISC_DROP); // __qdisc_drop, then tcf_kfree_skb_list
        qdisc_qstats_drop(sch);
        return netdevice_h.NET_XMIT_DROP;
    }
}
