// Ports net/sched/sch_generic.c: running a qdisc (dequeue, hand to the
// driver, requeue on BUSY), the default pfifo_fast discipline, and attaching
// default qdiscs when a device comes up.
//
// not ported: bulk dequeue (BQL), the watchdog, mq as root (each TX queue
// gets its own pfifo_fast directly), qdisc destroy/reset.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.sch_generic_h;
using static KernelNet.Kernel.Include.Trace.Events.qdisc_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Sched;

public static class sch_generic_c
{
    /// <summary>pfifo_fast has three bands; skb.priority picks one through prio2band.</summary>
    private const int PFIFO_FAST_BANDS = 3;

    private static System.ReadOnlySpan<byte> prio2band => new byte[] { 1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 };

    // net/sched/sch_generic.c: dev_requeue_skb
    /// <summary>The driver said BUSY: put the skb in front (gso_skb) and let NET_TX retry.</summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static void dev_requeue_skb(sk_buff skb, Qdisc q)
    {
        // not ported: qdisc_is_percpu_stats, qdisc_qstats_cpu_backlog_inc, qdisc_qstats_cpu_qlen_inc, qdisc_qstats_cpu_requeues_inc — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        // not ported: qdisc_lock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: qdisc_qstats_backlog_inc — written out: backlog grows by the skb's length
        __skb_queue_tail(q.gso_skb, skb);
        q.qlen++;
        q.backlog += (uint)skb.len;
        q.requeues++;
        __netif_schedule(q);
    }

    // net/sched/sch_generic.c: dequeue_skb
    /// <summary>Takes the next skb: a requeued one first, else from the discipline (qdisc_dequeue tracepoint).</summary>
    private static sk_buff? dequeue_skb(Qdisc q, out bool validate, out int packets)
    {
        // not ported: try_bulk_dequeue_skb, try_bulk_dequeue_skb_slow, qdisc_may_bulk — no bulk dequeue (see the header): one skb per dequeue
        // not ported: qdisc_is_percpu_stats, qdisc_qstats_cpu_backlog_dec, qdisc_qstats_cpu_qlen_dec — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        // not ported: qdisc_lock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: xfrm_offload — no IPsec (xfrm) or PSP
        // not ported: skb_peek, skb_get_tx_queue — the requeued skb is taken straight off gso_skb and tested
        //   against the qdisc's own queue: the port gives each TX queue its own qdisc (no mq root), so the skb's
        //   queue_mapping names that queue
        // not ported: qdisc_qstats_backlog_dec — written out: backlog shrinks by the skb's length
        // not ported: qdisc_maybe_clear_missed — __QDISC_STATE_DRAINING is not modelled: MISSED stays as it
        //   was when the queue is found stopped
        // not ported: qdisc_dequeue_skb_bad_txq — no skb_bad_txq (no bulk dequeue, see the header)
        var txq = q.dev_queue;
        sk_buff? skb = null;
        packets = 1;
        if (!skb_queue_empty(q.gso_skb))
        {
            validate = false;
            if (!netif_xmit_frozen_or_stopped(txq))
            {
                skb = __skb_dequeue(q.gso_skb)!;
                q.qlen--;
                q.backlog -= (uint)skb.len;
            }

            goto trace;
        }

        validate = true;
        if ((q.flags & TCQ_F_ONETXQUEUE) != 0 && netif_xmit_frozen_or_stopped(txq))
        {
            return skb;
        }

        skb = q.ops.dequeue(q);

    trace:
        trace_qdisc_dequeue(q, txq, packets, skb);
        return skb;
    }

    // net/sched/sch_generic.c: sch_direct_xmit
    /// <summary>
    /// Hands one skb to the driver under the TX lock; on NETDEV_TX_BUSY it is
    /// requeued. True means "the qdisc may keep going".
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static bool sch_direct_xmit(sk_buff skb, Qdisc q, net_device dev, netdev_queue txq, bool validate)
    {
        // not ported: HARD_TX_LOCK, HARD_TX_UNLOCK — written out as setting and clearing the queue's xmit_lock_owner (the recursion check's field); no spinning: one thread
        // not ported: qdisc_maybe_clear_missed — __QDISC_STATE_DRAINING is not modelled: a queue the driver
        //   stopped leaves MISSED as it was
        var ret = (int)netdev_tx_t.NETDEV_TX_BUSY;
        var again = false;

        // a GSO skb is segmented here, outside the TX lock, if the device cannot take it whole
        if (validate)
        {
            var vskb = Core.dev_c.validate_xmit_skb_list(skb, dev, ref again);
            if (vskb is null)
            {
                return true;
            }

            skb = vskb;
        }

        sk_buff? left = skb;
        var cpu = dev.nd_net.k.smp_processor_id();

        // HARD_TX_LOCK
        txq.xmit_lock_owner = cpu;
        if (!netif_xmit_frozen_or_stopped(txq))
        {
            left = dev_hard_start_xmit(skb, dev, txq, out ret);
        }

        txq.xmit_lock_owner = -1;

        if (!dev_xmit_complete(ret))
        {
            dev_requeue_skb(left!, q);
            return false;
        }

        return true;
    }

    // net/sched/sch_generic.c: qdisc_restart
    /// <summary>One step of __qdisc_run: dequeue one skb and transmit it.</summary>
    private static bool qdisc_restart(Qdisc q, out int packets)
    {
        // not ported: skb_get_tx_queue — written out as netdev_get_tx_queue of the skb's queue_mapping
        // not ported: qdisc_lock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        var skb = dequeue_skb(q, out var validate, out packets);
        if (skb is null)
        {
            return false;
        }

        var dev = qdisc_dev(q);
        var txq = netdev_get_tx_queue(dev, skb.queue_mapping); // skb_get_tx_queue, written out
        return sch_direct_xmit(skb, q, dev, txq, validate);
    }

    // net/sched/sch_generic.c: __qdisc_run
    /// <summary>
    /// Transmits from the qdisc in the current context until it is empty or
    /// dev_tx_weight (64) packets are sent; then NET_TX_SOFTIRQ continues
    /// (lockless qdiscs mark MISSED and qdisc_run_end schedules them) — TX-5.
    /// </summary>
    public static void __qdisc_run(Qdisc q)
    {
        var k = q.dev_queue.dev.nd_net.k;
        var quota = k.net_hotdata.dev_tx_weight;
        while (qdisc_restart(q, out var packets))
        {
            quota -= packets;
            if (quota <= 0)
            {
                if ((q.flags & TCQ_F_NOLOCK) != 0)
                {
                    q.state |= 1UL << Qdisc.__QDISC_STATE_MISSED;
                }
                else
                {
                    __netif_schedule(q);
                }

                break;
            }
        }
    }

    // net/sched/sch_generic.c: noop_enqueue
    /// <summary>The qdisc of a device that is not running: every packet is dropped (QDISC_DROP) and counted in tx_dropped.</summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static int noop_enqueue(sk_buff skb, Qdisc qdisc)
    {
        // not ported: __qdisc_drop — the skb is freed at once with QDISC_DROP (the reason __dev_xmit_skb leaves
        //   in the tc control block) rather than chained on to_free for __dev_xmit_skb to free
        skb.dev!.core_stats.tx_dropped++; // dev_core_stats_tx_dropped_inc
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_QDISC_DROP); // __qdisc_drop: to_free is freed by __dev_xmit_skb
        return NET_XMIT_CN;
    }

    // net/sched/sch_generic.c: noop_dequeue
    private static sk_buff? noop_dequeue(Qdisc qdisc) => null;

    /// <summary>
    /// noop_qdisc_ops. departure: 6.18 has one static noop_qdisc shared by
    /// every queue; here each queue gets its own (no static state), marked
    /// TCQ_F_BUILTIN as the shared one is.
    /// </summary>
    private static readonly Qdisc_ops noop_qdisc_ops = new()
    {
        id = "noop",
        enqueue = noop_enqueue,
        dequeue = noop_dequeue,
        peek = noop_dequeue,
    };

    /// <summary>Whether <paramref name="q"/> is the noop qdisc (== &amp;noop_qdisc in C).</summary>
    [KernelNet.Annotations.NotInLinux("C# test q == &noop_qdisc: the port's noop qdiscs are per device")]
    private static bool is_noop_qdisc(Qdisc? q) => q is not null && ReferenceEquals(q.ops, noop_qdisc_ops);

    // net/sched/sch_generic.c: pfifo_fast_enqueue
    /// <summary>
    /// Appends to the band the priority maps to. Each band is a ring of
    /// txqueuelen slots of its own: when that band is full the skb is dropped
    /// with QDISC_OVERLIMIT, whatever the other bands hold (consumes skb).
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    private static int pfifo_fast_enqueue(sk_buff skb, Qdisc qdisc)
    {
        // not ported: qdisc_drop_cpu, qdisc_is_percpu_stats — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        // not ported: qdisc_priv — field accessors: the port reads or sets these fields directly
        // not ported: band2list — each band is a plain sk_buff_head indexed directly; skb_array_produce is its
        //   length test against txqueuelen (ptr_ring's slots freed in batches by the consumer are not modelled:
        //   a band holds exactly txqueuelen)
        // not ported: tcf_set_drop_reason, qdisc_drop — the skb carries no tc control block: the OVERLIMIT reason
        //   6.18 leaves there for __dev_xmit_skb's free is passed to kfree_skb_reason here, after the drop count
        // not ported: qdisc_update_stats_at_enqueue — written out: qlen and backlog grow
        var bands = (sk_buff_head[])qdisc.priv!;
        var band = prio2band[(int)(skb.priority & 0xf)];
        var pkt_len = sch_generic_h.qdisc_pkt_len(skb);
        if (bands[band].qlen >= qdisc.limit)
        {
            sch_generic_h.qdisc_qstats_drop(qdisc);
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_QDISC_OVERLIMIT);
            return NET_XMIT_DROP;
        }

        __skb_queue_tail(bands[band], skb);
        qdisc.qlen++;
        qdisc.backlog += (uint)pkt_len;
        return NET_XMIT_SUCCESS;
    }

    // net/sched/sch_generic.c: pfifo_fast_dequeue
    private static sk_buff? pfifo_fast_dequeue(Qdisc qdisc)
    {
        // not ported: band2list — each band is a plain sk_buff_head indexed directly, not an skb_array ring
        // not ported: qdisc_update_stats_at_dequeue — its qlen, backlog, bytes and packets updates are written inline
        // not ported: qdisc_priv — field accessors: the port reads or sets these fields directly
        var bands = (sk_buff_head[])qdisc.priv!;
        for (var band = 0; band < PFIFO_FAST_BANDS; band++)
        {
            if (__skb_dequeue(bands[band]) is { } skb)
            {
                qdisc.qlen--;
                qdisc.backlog -= (uint)skb.len;
                qdisc.bytes += (ulong)skb.len;
                qdisc.packets++;
                return skb;
            }
        }

        return null;
    }

    // net/sched/sch_generic.c: pfifo_fast_peek
    private static sk_buff? pfifo_fast_peek(Qdisc qdisc)
    {
        // not ported: band2list — each band is a plain sk_buff_head indexed directly, not an skb_array ring
        // not ported: qdisc_priv — field accessors: the port reads or sets these fields directly
        var bands = (sk_buff_head[])qdisc.priv!;
        for (var band = 0; band < PFIFO_FAST_BANDS; band++)
        {
            if (skb_peek(bands[band]) is { } skb)
            {
                return skb;
            }
        }

        return null;
    }

    // net/sched/sch_generic.c: pfifo_fast_init
    private static void pfifo_fast_init(Qdisc qdisc)
    {
        // not ported: band2list — each band is a plain sk_buff_head indexed directly, not an skb_array ring
        // not ported: qdisc_dev, qdisc_priv — field accessors: the port reads or sets these fields directly
        qdisc.priv = new[] { new sk_buff_head(), new sk_buff_head(), new sk_buff_head() };
        qdisc.flags |= TCQ_F_CAN_BYPASS;
        qdisc.limit = qdisc.dev_queue.dev.tx_queue_len;
    }

    // net/sched/sch_generic.c: pfifo_fast_reset
    /// <summary>Frees what the three bands hold (kfree_skb: no specific reason).</summary>
    private static void pfifo_fast_reset(Qdisc qdisc)
    {
        // not ported: band2list — each band is a plain sk_buff_head indexed directly, not an skb_array ring
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: qdisc_is_percpu_stats — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        // not ported: qdisc_priv — field accessors: the port reads or sets these fields directly
        var bands = (sk_buff_head[])qdisc.priv!;
        for (var band = 0; band < PFIFO_FAST_BANDS; band++)
        {
            while (__skb_dequeue(bands[band]) is { } skb)
            {
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            }
        }
    }

    private static readonly Qdisc_ops pfifo_fast_ops = new()
    {
        id = "pfifo_fast",
        enqueue = pfifo_fast_enqueue,
        dequeue = pfifo_fast_dequeue,
        peek = pfifo_fast_peek,
        reset = pfifo_fast_reset,
    };

    // net/sched/sch_generic.c: qdisc_create_dflt
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "qdisc_create: its format (include/trace/events/qdisc.h) is not ported yet; the port emits only qdisc_enqueue and qdisc_dequeue of that header")]
    private static Qdisc qdisc_create_dflt(netdev_queue dev_queue, Qdisc_ops ops)
    {
        // not ported: qdisc_put — qdisc destroy is not ported (see the header)
        // not ported: qdisc_alloc — the Qdisc object is made here with new (no private area to size or align:
        //   pfifo_fast's bands hang off priv)
        var q = new Qdisc(ops, dev_queue, dev_queue.dev.nd_net.k)
        {
            flags = TCQ_F_NOLOCK | TCQ_F_CPUSTATS,
        };
        pfifo_fast_init(q);
        return q;
    }

    // net/sched/sch_generic.c: qdisc_reset
    /// <summary>Empties a qdisc: the discipline's reset, then the requeued skbs (gso_skb); qlen and backlog go to 0.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "qdisc_reset: its format (include/trace/events/qdisc.h) is not ported yet; the port emits only qdisc_enqueue and qdisc_dequeue of that header")]
    public static void qdisc_reset(Qdisc qdisc)
    {
        qdisc.ops.reset?.Invoke(qdisc);

        // skb_bad_txq is not ported (no bulk dequeue); the requeued skbs go with SKB_DROP_REASON_QUEUE_PURGE
        __skb_queue_purge(qdisc.gso_skb);

        qdisc.qlen = 0;
        qdisc.backlog = 0;
    }

    // net/sched/sch_generic.c: qdisc_put
    /// <summary>
    /// Releases a qdisc taken off its queue: a built-in one (noop) stays;
    /// any other is destroyed, which resets it (qdisc_destroy). departure: no
    /// reference count — the caller puts a shared qdisc once.
    /// </summary>
    public static void qdisc_put(Qdisc qdisc)
    {
        // not ported: __qdisc_destroy — written out: the qdisc is reset (qdisc_reset) and dropped; none of the ported disciplines has an ops->destroy, and nothing is freed by hand
        if ((qdisc.flags & TCQ_F_BUILTIN) != 0)
        {
            return;
        }

        qdisc_reset(qdisc); // qdisc_destroy; ops->destroy: none of the ported disciplines has one
    }

    // net/sched/sch_generic.c: dev_graft_qdisc
    /// <summary>
    /// Puts <paramref name="qdisc"/> (null: a noop qdisc) on the TX queue and
    /// returns the one it replaces. departure: 6.18 grafts into qdisc_sleeping
    /// and leaves noop live until dev_activate swaps them; with one thread and
    /// no packet in flight the graft takes effect at once.
    /// </summary>
    public static Qdisc? dev_graft_qdisc(netdev_queue dev_queue, Qdisc? qdisc)
    {
        // not ported: qdisc_lock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        var oqdisc = dev_queue.qdisc;

        // spin_lock_bh(qdisc_lock(oqdisc)): orders the swap against the queue's TX path; a no-op here.
        qdisc ??= new Qdisc(noop_qdisc_ops, dev_queue, dev_queue.dev.nd_net.k) { flags = TCQ_F_BUILTIN };
        dev_queue.qdisc = qdisc;
        return oqdisc;
    }

    // net/sched/sch_generic.c: attach_one_default_qdisc
    /// <summary>pfifo_fast on each TX queue; devices with IFF_NO_QUEUE (veth, loopback) get none (noqueue).</summary>
    private static void attach_one_default_qdisc(net_device dev, netdev_queue dev_queue)
    {
        // not ported: netif_is_multiqueue — written out as num_tx_queues == 1
        if (dev.tx_queue_len == 0)
        {
            dev_queue.qdisc = null;
            return;
        }

        var qdisc = qdisc_create_dflt(dev_queue, pfifo_fast_ops);
        if (dev.num_tx_queues == 1)
        {
            qdisc.flags |= TCQ_F_ONETXQUEUE | TCQ_F_NOPARENT;
        }

        dev_queue.qdisc = qdisc;
    }

    // net/sched/sch_generic.c: dev_activate
    /// <summary>
    /// Attaches the default qdiscs when a device comes up, in place of the
    /// noop qdisc it was registered with (dev_init_scheduler).
    /// </summary>
    public static void dev_activate(net_device dev)
    {
        // not ported: netdev_watchdog_up, netif_trans_update — no TX watchdog (see the header)
        // not ported: netif_carrier_ok — no carrier state in the port: a device is carrier-up, so activation is
        //   never put off to a carrier-on event
        // not ported: netdev_for_each_tx_queue, transition_one_qdisc — no qdisc_sleeping: the defaults are made
        //   live as they are attached, in the foreach over dev._txq
        // A device registered before its queues were set up has no noop qdisc yet: it gets the defaults too.
        if (dev.qdisc is null || is_noop_qdisc(dev.qdisc))
        {
            // attach_default_qdiscs, then transition_one_qdisc per queue: the
            // sleeping qdisc becomes the live one at once (no carrier wait).
            foreach (var txq in dev._txq)
            {
                attach_one_default_qdisc(dev, txq);
            }

            dev.qdisc = dev._txq[0].qdisc;
        }
    }

    // not ported: dev_deactivate_queue, dev_reset_queue — 6.18 parks the old qdisc as qdisc_sleeping for the
    // next dev_activate and resets it; the port keeps no sleeping qdisc, so the old one is reset and put
    // now (qdisc_put), and dev_activate attaches fresh defaults. netdev_for_each_tx_queue is the loop.
// not ported: netdev_watchdog_down — no TX watchdog; synchronize_net, some_qdisc_is_busy,
// schedule_timeout_uninterruptible — the wait for qdisc_run on other CPUs: one thread, nothing runs a qdisc now.
    // net/sched/sch_generic.c: dev_deactivate_many
    /// <summary>
    /// A device going down: each TX queue gets the noop qdisc, and the one it
    /// had is emptied (its queued skbs dropped) and released.
    /// </summary>
    public static void dev_deactivate_many(System.Collections.Generic.List<net_device> head)
    {
        foreach (var dev in head)
        {
            foreach (var txq in dev._txq)
            {
                if (dev_graft_qdisc(txq, null) is { } old)
                {
                    qdisc_put(old);
                }
            }

            dev.qdisc = dev._txq.Count > 0 ? dev._txq[0].qdisc : null;
        }

    }

    // not ported: shutdown_scheduler_queue — the port has no qdisc_sleeping to restore; each queue's qdisc is put;
    // timer_pending — no TX watchdog timer (dev_init_scheduler). netdev_for_each_tx_queue is the loop.
    // net/sched/sch_generic.c: dev_shutdown
    /// <summary>An unregistering device's qdiscs are released (the noop ones dev_deactivate_many left stay: built in).</summary>
    public static void dev_shutdown(net_device dev)
    {
        foreach (var txq in dev._txq)
        {
            if (txq.qdisc is { } q)
            {
                qdisc_put(q);
            }
        }
    }

    // net/sched/sch_generic.c: dev_init_scheduler
    /// <summary>A newly registered device queues nothing: every TX queue, and the root, hold the noop qdisc until dev_activate.</summary>
    public static void dev_init_scheduler(net_device dev)
    {
        // not ported: timer_setup — no TX watchdog (see the header), so no watchdog timer
        // not ported: netdev_for_each_tx_queue, dev_init_scheduler_queue — the foreach over dev._txq is the loop,
        //   its body dev_init_scheduler_queue
        foreach (var txq in dev._txq)
        {
            txq.qdisc = new Qdisc(noop_qdisc_ops, txq, dev.nd_net.k) { flags = TCQ_F_BUILTIN }; // dev_init_scheduler_queue
        }

        dev.qdisc = dev._txq.Count > 0 ? dev._txq[0].qdisc : null;
        // not ported: the TX watchdog timer (dev_watchdog) — no driver here needs it.
    }
}
