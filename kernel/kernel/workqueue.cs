// Ports kernel/workqueue.c, the BH half only: system_bh_wq and
// system_bh_highpri_wq, whose per-CPU worker pools run their items from
// TASKLET_SOFTIRQ (HI_SOFTIRQ for the high-priority one) — what TCP Small
// Queues' tsq_work uses. An item leaves the pending state just before its
// function runs, so it may queue itself again.
//
// not ported: kthread worker pools, unbound and ordered workqueues, delayed
// work, flushing, cancelling, disabling, CPU hotplug draining, the watchdog;
// the workqueue tracepoints (workqueue_queue_work, _activate_work,
// _execute_start/_end) — no recording enables the workqueue events.
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.jiffies_h;
using static KernelNet.Kernel.Include.Linux.irqflags_h;
using static KernelNet.Kernel.Kernel.softirq_c;

namespace KernelNet.Kernel.Kernel;

/// <summary>struct worker_pool of a BH pool: the items waiting on one CPU, at one priority.</summary>
public sealed class worker_pool
{
    public worker_pool(int cpu, bool highpri)
    {
        this.cpu = cpu;
        this.highpri = highpri;
    }

    public int cpu { get; }

    /// <summary>attrs->nice == HIGHPRI_NICE_LEVEL: kicked through HI_SOFTIRQ.</summary>
    public bool highpri { get; }

    /// <summary>worklist: items in the order they were queued.</summary>
    public LinkedList<work_struct> worklist { get; } = new();
}

/// <summary>The BH workqueues every kernel has (workqueue_init_early).</summary>
public sealed class workqueue_globals
{
    /// <summary>system_bh_wq.</summary>
    public workqueue_struct system_bh_wq { get; } = new("events_bh", workqueue_h.WQ_BH);

    /// <summary>system_bh_highpri_wq.</summary>
    public workqueue_struct system_bh_highpri_wq { get; } = new("events_bh_highpri", workqueue_h.WQ_BH | workqueue_h.WQ_HIGHPRI);
}

public static class workqueue_c
{
    /// <summary>BH_WORKER_JIFFIES: msecs_to_jiffies(2) — one jiffy at HZ=250.</summary>
    private const int BH_WORKER_JIFFIES = 1;

    /// <summary>BH_WORKER_RESTARTS: rounds a BH worker runs before it yields the softirq.</summary>
    private const int BH_WORKER_RESTARTS = 10;

    /// <summary>system_bh_wq of this kernel.</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of the global system_bh_wq, which the port hangs off Vmlinux")]
    public static workqueue_struct system_bh_wq(Vmlinux k) => k.globals<workqueue_globals>().system_bh_wq;

    // kernel/workqueue.c: queue_work_on
    /// <summary>
    /// Queues <paramref name="work"/> unless it is already pending (then
    /// false). Interrupts are off across the test-and-set and the insert.
    /// </summary>
    public static bool queue_work_on(Vmlinux k, int cpu, workqueue_struct wq, work_struct work)
    {
        // not ported: clear_pending_if_disabled, work_data_bits — no disable_work (the disable count in the work's data)
        var ret = false;
        local_irq_save(k, out var irq_flags);

        // clear_pending_if_disabled: nothing disables work items here.
        if (!work.pending)
        {
            work.pending = true;
            __queue_work(k, cpu, wq, work);
            ret = true;
        }

        local_irq_restore(k, irq_flags);
        return ret;
    }

    // kernel/workqueue.c: __queue_work
    /// <summary>
    /// Puts the item on the pool of <paramref name="req_cpu"/> at the
    /// workqueue's priority and kicks it. A BH workqueue has no max_active
    /// limit worth modelling (every item is activated at once).
    /// </summary>
    [SuppressMessage("KernelNet.Port", "KN0009", Justification = "workqueue_queue_work, workqueue_activate_work: the workqueue tracepoints (include/trace/events/workqueue.h) are not ported; no recording enables them")]
    private static void __queue_work(Vmlinux k, int req_cpu, workqueue_struct wq, work_struct work)
    {
        // not ported: insert_work, work_color_to_flags — the item is appended to the pool's worklist directly; no flush colours (flush_workqueue is not ported)
        // not ported: pwq_tryinc_nr_active — a BH item is always active (see the comment below)
        // not ported: is_chained_work — only in a WARN_ON_ONCE for queueing onto a draining workqueue
        // not ported: raw_smp_processor_id, get_work_pool, find_worker_executing_work — the item goes to req_cpu's BH pool; with no kthread pools there is no last pool or running worker to send it to
        // not ported: wq_select_unbound_cpu, the pwq's max_active and inactive list, the workqueue_queue_work and workqueue_activate_work tracepoints — a BH item is always active.
        var pool = k.per_cpu(req_cpu).bh_worker_pools[(wq.flags & workqueue_h.WQ_HIGHPRI) != 0 ? 1 : 0];
        pool.worklist.AddLast(work);
        kick_pool(k, pool);
    }

    // kernel/workqueue.c: kick_bh_pool
    /// <summary>Raises the softirq that runs a BH pool: HI_SOFTIRQ for the high-priority pool, TASKLET_SOFTIRQ otherwise.</summary>
    private static void kick_bh_pool(Vmlinux k, worker_pool pool)
    {
        // not ported: bh_pool_irq_work, smp_processor_id — the pool is this CPU's: only a remote CPU's pool needs the irq_work kick
        // not ported: irq_work_queue_on for another CPU's pool — items are queued on the local CPU.
        raise_softirq_irqoff(k, pool.highpri ? softirq_nr.HI_SOFTIRQ : softirq_nr.TASKLET_SOFTIRQ);
    }

    // kernel/workqueue.c: kick_pool
    /// <summary>Wakes the pool's worker if items wait; for a BH pool, that is its softirq.</summary>
    private static void kick_pool(Vmlinux k, worker_pool pool)
    {
        // not ported: need_more_worker, first_idle_worker, get_work_pwq, wake_up_process — only BH pools exist (kthread worker pools are not ported): kicking one raises its softirq
        if (pool.worklist.First is null)
        {
            return;
        }

        kick_bh_pool(k, pool);
    }

    // kernel/workqueue.c: bh_worker
    /// <summary>
    /// Runs the pool's items from softirq context: each leaves the list and
    /// its pending state, then runs; at most BH_WORKER_RESTARTS items or
    /// BH_WORKER_JIFFIES, whichever ends first. What is left raises the
    /// softirq again.
    /// </summary>
    private static void bh_worker(Vmlinux k, worker_pool pool)
    {
        // not ported: assign_work, process_scheduled_works, keep_working, need_more_worker, worker_set_flags, worker_clr_flags, worker_enter_idle, worker_leave_idle, worker_lock_callback, worker_unlock_callback — the BH pool has one pseudo-worker: the worklist is run in order here until empty or the restart limit, with no worker flags, idle list or lockdep map
        var nr_restarts = BH_WORKER_RESTARTS;
        var end = k.jiffies + BH_WORKER_JIFFIES;

        // worker_lock_callback, pool->lock, worker_leave_idle: one thread, no lock to take.
        if (pool.worklist.First is null)
        {
            goto done;
        }

        do
        {
            var work = pool.worklist.First!.Value;
            pool.worklist.RemoveFirst();

            // process_one_work: set_work_pool_and_clear_pending, then the function.
            work.pending = false;
            work.func!(work);
        }
        while (pool.worklist.First is not null && --nr_restarts != 0 && time_before(k.jiffies, end));

    done:
        kick_pool(k, pool);
    }

    // kernel/workqueue.c: workqueue_softirq_action
    /// <summary>TASKLET_SOFTIRQ (or HI_SOFTIRQ for <paramref name="highpri"/>) runs this CPU's BH pool when items wait.</summary>
    public static void workqueue_softirq_action(Vmlinux k, bool highpri)
    {
        // not ported: need_more_worker, smp_processor_id — need_more_worker is the worklist test written out (a BH pool has no idle workers to count); the pool is this CPU's (k.this_cpu())
        var pool = k.this_cpu().bh_worker_pools[highpri ? 1 : 0];

        // need_more_worker
        if (pool.worklist.First is not null)
        {
            bh_worker(k, pool);
        }
    }
}
