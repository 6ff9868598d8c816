// Ports net/sched/sch_api.c: what `tc qdisc add|replace|delete dev DEV root`
// needs — finding a discipline by name, creating one on a device, and
// grafting it in as the root qdisc (or taking it out again).
//
// not ported: the rtnetlink front end (tc_modify_qdisc, tc_get_qdisc: the
// packetdrill runner's shell model makes their checks and calls in here),
// classful parents and qdisc_lookup by handle, ingress/clsact, mq roots
// (ops->attach), size tables, rate estimators, offload (qdisc_offload_graft_root),
// notifications (qdisc_notify), module autoloading (request_qdisc_module).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Net.sch_generic_h;

namespace KernelNet.Kernel.Net.Sched;

/// <summary>net/sched/sch_api.c.</summary>
public static class sch_api_c
{
    // net/sched/sch_api.c: qdisc_lookup_ops
    /// <summary>The registered discipline named <paramref name="kind"/>, or null. Only pfifo registers (register_qdisc) in the port.</summary>
    public static Qdisc_ops? qdisc_lookup_ops(string kind) =>
        kind == sch_fifo_c.pfifo_qdisc_ops.id ? sch_fifo_c.pfifo_qdisc_ops : null;

    // net/sched/sch_api.c: qdisc_create
    /// <summary>
    /// A new qdisc of <paramref name="ops"/> on the device's first TX queue,
    /// with an automatic handle, initialised from <paramref name="opt"/>. On
    /// failure null and the negative errno in <paramref name="errp"/>.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "qdisc_create: its format (include/trace/events/qdisc.h) is not ported yet; the port emits only qdisc_enqueue and qdisc_dequeue of that header")]
    public static Qdisc? qdisc_create(net_device dev, netdev_queue dev_queue, Qdisc_ops ops, object? opt, out int errp)
    {
        // not ported: gen_new_estimator, qdisc_block_indexes_set, qdisc_get_stab, qdisc_hash_add, qdisc_put_stab — no rate estimators, size tables, tc blocks or qdisc hash for netlink dumps
        // not ported: netdev_put — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: qdisc_lookup_ops — the caller (the shell model's tc) has looked the discipline up already
        // not ported: qdisc_free — a qdisc whose init failed is simply dropped: nothing was queued or counted on it
        // not ported: TC_H_MAKE — the automatic handle is written as its value, 8001:
        var sch = new Qdisc(ops, dev_queue, dev.nd_net.k); // qdisc_alloc

        // not ported: qdisc_alloc_handle's system-wide counter — each qdisc here gets the first automatic handle, 8001:.
        sch.handle = 0x80010000;
        if (dev.real_num_tx_queues <= 1)
        {
            sch.flags |= TCQ_F_ONETXQUEUE; // !netif_is_multiqueue(dev)
        }

        if (ops.init is not null)
        {
            var err = ops.init(sch, opt);
            if (err != 0)
            {
                errp = err;
                return null; // err_out5: qdisc_put_unlocked — nothing was queued yet
            }
        }

        errp = 0;
        return sch;
    }

    // net/sched/sch_api.c: qdisc_graft
    /// <summary>
    /// Makes <paramref name="new"/> the root qdisc of every TX queue of the
    /// device (null: the noop qdisc, which dev_activate replaces with the
    /// defaults). The queues' previous qdiscs are reset, their queued skbs freed.
    /// Only the root (parent null) of an egress device is ported: 0 or -EOPNOTSUPP.
    /// </summary>
    public static int qdisc_graft(net_device dev, Qdisc? parent, Qdisc? @new, Qdisc? old)
    {
        // not ported: qdisc_clear_nolock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: qdisc_refcount_dec_if_one, qdisc_refcount_inc — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: netdev_get_tx_queue — the foreach over dev._txq is the loop over num_tx_queues
        // not ported: notify_and_destroy, qdisc_destroy — no rtnetlink notifications (see the header): the old qdisc
        //   is released with qdisc_put, which resets it
        if (parent is not null)
        {
            return -Include.Uapi.AsmGeneric.errno_h.EOPNOTSUPP; // not ported: cops->graft of a classful parent
        }

        // dev_deactivate (when IFF_UP): no packet is in flight between the simulation's steps, so the queues need no quiescing.
        Qdisc? previous = null;
        foreach (var dev_queue in dev._txq) // num_q = dev->num_tx_queues
        {
            old = sch_generic_c.dev_graft_qdisc(dev_queue, @new);

            // qdisc_put(old): departure — no reference counts; a qdisc shared by several queues is reset once.
            if (old is not null && !ReferenceEquals(old, previous))
            {
                sch_generic_c.qdisc_put(old);
            }

            previous = old;
        }

        dev.qdisc = @new ?? dev._txq[0].qdisc; // &noop_qdisc when new is null
        if ((dev.flags & net_device.IFF_UP) != 0)
        {
            sch_generic_c.dev_activate(dev);
        }

        return 0;
    }
}
