// Ports net/sched/sch_fifo.c: pfifo, the one-band FIFO that holds at most
// `limit` packets and drops the rest (QDISC_DROP).
//
// not ported: bfifo and pfifo_head_drop (no caller here), hardware offload
// (fifo_offload_init/destroy/dump: no device offloads tc), the dump
// (fifo_dump: no netlink), fifo_set_limit and fifo_create_dflt (used by
// classful qdiscs, none ported).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Net.sch_generic_h;

namespace KernelNet.Kernel.Net.Sched;

/// <summary>net/sched/sch_fifo.c.</summary>
public static class sch_fifo_c
{
    // net/sched/sch_fifo.c: pfifo_enqueue
    /// <summary>Below the limit the skb joins the tail (NET_XMIT_SUCCESS); at it, it is dropped (qdisc_drop, NET_XMIT_DROP).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static int pfifo_enqueue(sk_buff skb, Qdisc sch)
    {
        if (sch.qlen < sch.limit)
        {
            return qdisc_enqueue_tail(skb, sch);
        }

        return qdisc_drop(skb, sch);
    }

    // net/sched/sch_fifo.c: __fifo_init
    /// <summary>
    /// The limit from the option, or the device's txqueuelen without one. An
    /// empty idle pfifo may be bypassed (TCQ_F_CAN_BYPASS) only if it could
    /// hold a packet at all: a limit of 0 makes every packet go through the
    /// enqueue, and be dropped. -EINVAL for an option that is not tc_fifo_qopt.
    /// </summary>
    private static int __fifo_init(Qdisc sch, object? opt)
    {
        // not ported: nla_data, nla_len — no netlink messages or notifier chains
        // not ported: psched_mtu — bfifo (a limit in bytes) is not ported: pfifo's limit counts packets
        if (opt is null)
        {
            sch.limit = qdisc_dev(sch).tx_queue_len; // pfifo: packets; bfifo is not ported
        }
        else
        {
            if (opt is not tc_fifo_qopt ctl)
            {
                return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL; // nla_len(opt) < sizeof(*ctl)
            }

            sch.limit = ctl.limit;
        }

        var bypass = sch.limit >= 1;
        if (bypass)
        {
            sch.flags |= TCQ_F_CAN_BYPASS;
        }
        else
        {
            sch.flags &= ~TCQ_F_CAN_BYPASS;
        }

        return 0;
    }

    // net/sched/sch_fifo.c: fifo_init
    /// <summary>init and change of pfifo: __fifo_init (fifo_offload_init: no offload here).</summary>
    private static int fifo_init(Qdisc sch, object? opt)
    {
        var err = __fifo_init(sch, opt);
        if (err != 0)
        {
            return err;
        }

        return 0;
    }

    /// <summary>pfifo_qdisc_ops: immutable, so one shared instance is no mutable static state.</summary>
    public static readonly Qdisc_ops pfifo_qdisc_ops = new()
    {
        id = "pfifo",
        enqueue = pfifo_enqueue,
        dequeue = qdisc_dequeue_head,
        peek = qdisc_peek_head,
        init = fifo_init,
        reset = qdisc_reset_queue,
        change = fifo_init,
    };
}
