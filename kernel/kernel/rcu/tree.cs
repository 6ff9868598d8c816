// Ports kernel/rcu/tree.c (Tree RCU, as built for the machine these recordings
// come from: CONFIG_PREEMPT_RCU, one rcu_node for its CPUs, callbacks invoked
// in RCU_SOFTIRQ because no CPU is offloaded): call_rcu queues a callback on
// this CPU's segmented list; the scheduler tick (rcu_sched_clock_irq) notes
// quiescent states and raises RCU_SOFTIRQ when this CPU has RCU work;
// rcu_core asks for a grace period, reports this CPU's quiescent state, and
// once the grace period has ended invokes the callbacks (rcu_do_batch).
//
// What is modelled, and how it departs from 6.18:
// - A grace period ends once every CPU has passed a quiescent state after it
//   started: the tick interrupting a CPU outside any softirq or preempt-off
//   section (rcu_flavor_sched_clock_irq), a task going to sleep
//   (rcu_note_context_switch from schedule), or being idle — an idle CPU is in
//   an extended quiescent state, found by the force-quiescent-state scan.
// - The grace-period kthread (rcu_gp_kthread) is not a task here: its steps —
//   rcu_gp_init when woken for a new grace period, rcu_gp_fqs after
//   jiffies_till_first_fqs / jiffies_till_next_fqs, rcu_gp_cleanup when the
//   last quiescent state is reported — run at once where the kernel would wake
//   it, and its timed FQS wait is a timer_list. On the real kernel the kthread
//   runs a little later, when the scheduler gets to it; the order of events
//   (close, grace period, callbacks in RCU_SOFTIRQ) is the same.
// - No RCU reader ever blocks in the simulation (one thread, no preemption
//   inside rcu_read_lock), so rcu_preempt_depth is always 0 and no task blocks
//   a grace period: the blocked-tasks lists and priority boosting are not ported.
//
// not ported: expedited grace periods (synchronize_rcu_expedited), rcu_barrier,
// kfree_rcu batching (kvfree_call_rcu), NOCB offloading and lazy callbacks (no
// CPU is offloaded here), CPU hotplug, stall warnings, the rcu: tracepoints
// (not among those the oracle records), polled grace periods, and the rcuc
// kthreads (use_softirq is on).
// not ported: raw_spin_lock_rcu_node, raw_spin_unlock_rcu_node, raw_spin_lock_irq_rcu_node, raw_spin_unlock_irq_rcu_node, raw_spin_lock_irqsave_rcu_node, raw_spin_unlock_irqrestore_rcu_node, raw_spin_trylock_rcu_node, raw_lockdep_assert_held_rcu_node, local_irq_save, local_irq_restore, local_irq_disable, local_irq_enable, smp_processor_id — one simulated thread runs each CPU's code to completion, so the rcu_node locks and interrupt masking have nothing to exclude; the CPU is k.this_cpu()
// not ported: rcu_get_root, rcu_for_each_node_breadth_first, rcu_for_each_leaf_node, for_each_leaf_node_cpu_mask, rcu_is_leaf_node — the tree has a single rcu_node (state(k).node), root and leaf at once
// not ported: rcu_rdp_is_offloaded, rcu_nocb_lock_irqsave, rcu_is_callbacks_kthread, rcu_segcblist_is_enabled — no CPU is offloaded (NOCB) and every CPU's list is enabled
// not ported: rcu_preempt_blocked_readers_cgp, rcu_preempt_has_tasks, rcu_preempt_check_blocked_tasks, rcu_initiate_boost, rcu_preempt_boost_start_gp, dump_blkd_tasks, rcu_preempt_deferred_qs, rcu_preempt_need_deferred_qs — no reader blocks (see above): no blocked-tasks lists, boosting or deferred quiescent states
// not ported: TPS, trace_rcu_this_gp — the rcu: tracepoints, as said above
// not ported: rcu_poll_gp_seq_start, rcu_poll_gp_seq_end, start_poll_synchronize_rcu, rcu_sr_normal_gp_init, rcu_sr_normal_gp_cleanup — polled grace periods and synchronize_rcu's wait list; nothing waits synchronously
// not ported: rcu_gp_slow, rcu_gp_torture_wait, debug_rcu_head_queue, debug_rcu_head_unqueue, debug_rcu_head_callback — rcutorture and debug-objects hooks
// not ported: rcu_cleanup_dead_rnp, rcu_init_new_rnp, rcu_rdp_cpu_online — CPU hotplug; every CPU is online from boot
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Linux.preempt_h;
using static KernelNet.Kernel.Include.Linux.rcu_segcblist_h;
using static KernelNet.Kernel.Kernel.Rcu.rcu_h;
using static KernelNet.Kernel.Kernel.Rcu.rcu_segcblist_c;
using static KernelNet.Kernel.Kernel.Rcu.tree_plugin_h;
using static KernelNet.Kernel.Kernel.softirq_c;
using static KernelNet.Kernel.Kernel.Time.timer_c;

namespace KernelNet.Kernel.Kernel.Rcu;

/// <summary>struct rcu_node: the one leaf (and root) of the tree, as on a machine with fewer CPUs than RCU_FANOUT_LEAF.</summary>
public sealed class rcu_node
{
    /// <summary>gp_seq: this node's view of the grace-period counter.</summary>
    public ulong gp_seq { get; set; } = tree_c.RCU_GP_SEQ_INIT;

    /// <summary>gp_seq_needed: the furthest grace period some CPU asked for.</summary>
    public ulong gp_seq_needed { get; set; } = tree_c.RCU_GP_SEQ_INIT;

    /// <summary>qsmask: the CPUs whose quiescent state the current grace period still waits for.</summary>
    public ulong qsmask { get; set; }

    /// <summary>qsmaskinit: the online CPUs, copied into qsmask when a grace period starts.</summary>
    public ulong qsmaskinit { get; set; }
}

/// <summary>struct rcu_state: the one RCU flavour (rcu_preempt) of the kernel.</summary>
public sealed class rcu_state
{
    /// <summary>gp_seq: the grace-period counter; its low two bits are nonzero while a grace period runs.</summary>
    public ulong gp_seq { get; set; } = tree_c.RCU_GP_SEQ_INIT;

    /// <summary>gp_flags: RCU_GP_FLAG_INIT when a new grace period was asked for.</summary>
    public int gp_flags { get; set; }

    /// <summary>gp_start: jiffies at which the current grace period started.</summary>
    public ulong gp_start { get; set; }

    /// <summary>The single rcu_node (rcu_get_root).</summary>
    public rcu_node node { get; } = new();

    /// <summary>The grace-period kthread's timed wait between force-quiescent-state scans (swait_event_idle_timeout_exclusive in rcu_gp_fqs_loop).</summary>
    public timer_list? fqs_timer { get; set; }

    /// <summary>How many force-quiescent-state scans this grace period has made (0: the next is the first).</summary>
    public int fqs_count { get; set; }

    /// <summary>name: "rcu_preempt" under CONFIG_PREEMPT_RCU.</summary>
    public string name => "rcu_preempt";
}

/// <summary>struct rcu_data: one CPU's RCU state.</summary>
public sealed class rcu_data
{
    public rcu_data(int cpu)
    {
        this.cpu = cpu;
        grpmask = 1UL << cpu;
    }

    public int cpu { get; }

    /// <summary>grpmask: this CPU's bit in rcu_node's masks.</summary>
    public ulong grpmask { get; }

    /// <summary>gp_seq: the grace period this CPU last noticed (note_gp_changes).</summary>
    public ulong gp_seq { get; set; } = tree_c.RCU_GP_SEQ_INIT;

    /// <summary>gp_seq_needed: the furthest grace period this CPU asked for.</summary>
    public ulong gp_seq_needed { get; set; } = tree_c.RCU_GP_SEQ_INIT;

    /// <summary>cpu_no_qs.b.norm: no quiescent state yet in the grace period this CPU noticed.</summary>
    public bool cpu_no_qs_norm { get; set; }

    /// <summary>core_needs_qs: the grace period waits for this CPU's report.</summary>
    public bool core_needs_qs { get; set; }

    /// <summary>cblist: the callbacks queued on this CPU.</summary>
    public rcu_segcblist cblist { get; } = new();

    /// <summary>blimit: how many callbacks rcu_do_batch invokes before it yields to a busy CPU.</summary>
    public long blimit { get; set; } = tree_c.DEFAULT_RCU_BLIMIT;

    /// <summary>n_cbs_invoked: callbacks this CPU has run.</summary>
    public long n_cbs_invoked { get; set; }
}

public static class tree_c
{
    /// <summary>Where gp_seq starts (rcu_state's initializer): 300 grace periods before wrapping, so that wrap bugs show early.</summary>
    public const ulong RCU_GP_SEQ_INIT = unchecked((ulong)-300L << RCU_SEQ_CTR_SHIFT);

    /// <summary>DEFAULT_RCU_BLIMIT: callbacks per rcu_do_batch when the CPU has other work (10 without PREEMPT_RT).</summary>
    public const long DEFAULT_RCU_BLIMIT = 10;

    /// <summary>RCU_GP_FLAG_INIT: a new grace period is wanted.</summary>
    public const int RCU_GP_FLAG_INIT = 0x1;

    /// <summary>RCU_JIFFIES_TILL_FORCE_QS at HZ=250: one jiffy.</summary>
    public const ulong RCU_JIFFIES_TILL_FORCE_QS = 1 + (Vmlinux.HZ > 250 ? 1UL : 0) + (Vmlinux.HZ > 500 ? 1UL : 0);

    /// <summary>RCU_JIFFIES_FQS_DIV: one more jiffy between scans per this many CPUs.</summary>
    public const int RCU_JIFFIES_FQS_DIV = 256;

    [KernelNet.Annotations.NotInLinux("C# accessor of the global rcu_state, which the port hangs off Vmlinux")]
    private static rcu_state state(Vmlinux k) => k.globals<rcu_state>();

    /// <summary>jiffies_till_first_fqs and jiffies_till_next_fqs as rcu_init_geometry sets them.</summary>
    [KernelNet.Annotations.NotInLinux("the default of jiffies_till_first_fqs/next_fqs that rcu_init_geometry computes, as a function")]
    private static ulong jiffies_till_fqs(Vmlinux k) => RCU_JIFFIES_TILL_FORCE_QS + (ulong)(k.nr_cpu_ids / RCU_JIFFIES_FQS_DIV);

    // kernel/rcu/tree.c: rcu_gp_in_progress
    /// <summary>A grace period is running (gp_seq's state bits are nonzero).</summary>
    public static bool rcu_gp_in_progress(Vmlinux k) => rcu_seq_state(rcu_seq_current(state(k).gp_seq)) != 0;

    // not ported: in_task, is_idle_task — the port asks whether the CPU is idle directly; no nested-interrupt nesting counters
    // kernel/rcu/tree.c: rcu_is_cpu_rrupt_from_idle
    /// <summary>The tick interrupted the idle task directly (not a nested interrupt or a softirq on it).</summary>
    private static bool rcu_is_cpu_rrupt_from_idle(Vmlinux k) =>
        k.machine.CurrentCpu.Current.IsIdle && (preempt_count(k) & ~HARDIRQ_OFFSET) == 0;

    // not ported: rcu_rdp_is_offloaded — no NOCB
    // kernel/rcu/tree.c: rcu_needs_cpu
    /// <summary>This CPU has callbacks queued: the tick must keep running (tick_nohz_next_event asks this before it stops the tick).</summary>
    public static bool rcu_needs_cpu(Vmlinux k) => !rcu_segcblist_empty(k.this_cpu().rcu_data.cblist);

    // kernel/rcu/tree.c: rcu_accelerate_cbs
    /// <summary>Gives the new callbacks the grace period after the current one; true if the GP kthread must be woken to start it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_grace_period, rcu_segcb_stats: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static bool rcu_accelerate_cbs(Vmlinux k, rcu_node rnp, rcu_data rdp)
    {
        // not ported: rcu_segcblist_pend_cbs — its result only chooses a tracepoint string (TPS), which is not ported
        if (rcu_segcblist_restempty(rdp.cblist, RCU_DONE_TAIL))
        {
            return false;
        }

        var gp_seq_req = rcu_seq_snap(state(k).gp_seq);
        var ret = false;
        if (rcu_segcblist_accelerate(rdp.cblist, gp_seq_req))
        {
            ret = rcu_start_this_gp(k, rnp, rdp, gp_seq_req);
        }

        return ret;
    }

    // kernel/rcu/tree.c: rcu_accelerate_cbs_unlocked
    /// <summary>rcu_accelerate_cbs from rcu_core, waking the GP kthread if a grace period must start.</summary>
    private static void rcu_accelerate_cbs_unlocked(Vmlinux k, rcu_node rnp, rcu_data rdp)
    {
        var c = rcu_seq_snap(state(k).gp_seq);
        if (ULONG_CMP_GE(rdp.gp_seq_needed, c))
        {
            // The grace period these callbacks need was already asked for.
            rcu_segcblist_accelerate(rdp.cblist, c);
            return;
        }

        if (rcu_accelerate_cbs(k, rnp, rdp))
        {
            rcu_gp_kthread_wake(k);
        }
    }

    // kernel/rcu/tree.c: rcu_advance_cbs
    /// <summary>Callbacks whose grace period ended move to DONE; the rest are accelerated.</summary>
    private static bool rcu_advance_cbs(Vmlinux k, rcu_node rnp, rcu_data rdp)
    {
        // not ported: rcu_segcblist_pend_cbs — it only gates a warning; rcu_segcblist_advance is called unconditionally here
        if (rcu_segcblist_restempty(rdp.cblist, RCU_DONE_TAIL))
        {
            return false;
        }

        rcu_segcblist_advance(rdp.cblist, rnp.gp_seq);
        return rcu_accelerate_cbs(k, rnp, rdp);
    }

    // kernel/rcu/tree.c: rcu_start_this_gp
    /// <summary>
    /// Records that grace period <paramref name="gp_seq_req"/> is needed; if
    /// none is running, flags a new one (RCU_GP_FLAG_INIT). True when the
    /// caller must wake the GP kthread; a running grace period's cleanup
    /// starts the next one itself.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_grace_period: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static bool rcu_start_this_gp(Vmlinux k, rcu_node rnp, rcu_data rdp, ulong gp_seq_req)
    {
        // not ported: rcu_seq_started — the funnel-lock walk up a multi-level tree; one node, so there is nothing above to check
        var ret = false;
        var rsp = state(k);
        if (ULONG_CMP_GE(rnp.gp_seq_needed, gp_seq_req) || rcu_seq_done(rnp.gp_seq, gp_seq_req))
        {
            goto unlock_out;
        }

        rnp.gp_seq_needed = gp_seq_req;
        if (rcu_seq_state(rcu_seq_current(rnp.gp_seq)) != 0)
        {
            goto unlock_out;
        }

        if (rcu_gp_in_progress(k))
        {
            goto unlock_out;
        }

        rsp.gp_flags |= RCU_GP_FLAG_INIT;
        ret = true;

    unlock_out:
        if (ULONG_CMP_LT(gp_seq_req, rnp.gp_seq_needed))
        {
            rdp.gp_seq_needed = rnp.gp_seq_needed;
        }

        return ret;
    }

    // kernel/rcu/tree.c: rcu_future_gp_cleanup
    /// <summary>At the end of a grace period: true if some CPU already needs another.</summary>
    private static bool rcu_future_gp_cleanup(rcu_node rnp)
    {
        var needmore = ULONG_CMP_LT(rnp.gp_seq, rnp.gp_seq_needed);
        if (!needmore)
        {
            rnp.gp_seq_needed = rnp.gp_seq;
        }

        return needmore;
    }

    // kernel/rcu/tree.c: rcu_gp_kthread_wake
    /// <summary>
    /// Wakes the grace-period kthread when it has something to do. The
    /// kthread is not a task here: what it would do on waking (rcu_gp_init
    /// for a flagged new grace period) is done now.
    /// </summary>
    private static void rcu_gp_kthread_wake(Vmlinux k)
    {
        // not ported: in_hardirq, in_serving_softirq — the "no self-wakeup" check concerns the kthread; here the grace-period work runs inline
        var rsp = state(k);
        if (rsp.gp_flags == 0)
        {
            return;
        }

        // rcu_gp_kthread: a new grace period was asked for.
        if ((rsp.gp_flags & RCU_GP_FLAG_INIT) != 0 && !rcu_gp_in_progress(k))
        {
            rcu_gp_init(k);
        }
    }

    // kernel/rcu/tree.c: __note_gp_changes
    /// <summary>
    /// This CPU catches up with the grace-period counter: callbacks of an ended
    /// grace period advance, and a new grace period that waits for this CPU
    /// makes it need a quiescent state.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_grace_period: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static bool __note_gp_changes(Vmlinux k, rcu_node rnp, rcu_data rdp)
    {
        // not ported: rcu_gpnum_ovf — the gp_seq wrap guard; a run is far too short for gp_seq to wrap
        var ret = false;
        if (rdp.gp_seq == rnp.gp_seq)
        {
            return false;
        }

        if (rcu_seq_completed_gp(rdp.gp_seq, rnp.gp_seq))
        {
            ret = rcu_advance_cbs(k, rnp, rdp);
            rdp.core_needs_qs = false;
        }
        else
        {
            ret = rcu_accelerate_cbs(k, rnp, rdp);
            if (rdp.core_needs_qs)
            {
                rdp.core_needs_qs = (rnp.qsmask & rdp.grpmask) != 0;
            }
        }

        if (rcu_seq_new_gp(rdp.gp_seq, rnp.gp_seq))
        {
            var need_qs = (rnp.qsmask & rdp.grpmask) != 0;
            rdp.cpu_no_qs_norm = need_qs;
            rdp.core_needs_qs = need_qs;
        }

        rdp.gp_seq = rnp.gp_seq;
        if (ULONG_CMP_LT(rdp.gp_seq_needed, rnp.gp_seq_needed))
        {
            rdp.gp_seq_needed = rnp.gp_seq_needed;
        }

        return ret;
    }

    // kernel/rcu/tree.c: note_gp_changes
    private static void note_gp_changes(Vmlinux k, rcu_data rdp)
    {
        // not ported: rcu_strict_gp_check_qs — CONFIG_RCU_STRICT_GRACE_PERIOD is off
        var rnp = state(k).node;
        if (rdp.gp_seq == rcu_seq_current(rnp.gp_seq))
        {
            return;
        }

        if (__note_gp_changes(k, rnp, rdp))
        {
            rcu_gp_kthread_wake(k);
        }
    }

    // kernel/rcu/tree.c: rcu_gp_init
    /// <summary>
    /// Starts a grace period: the counter's state goes to 1, every online CPU
    /// must report a quiescent state, and the GP kthread's CPU notes the new
    /// grace period. Then the kthread waits jiffies_till_first_fqs for the
    /// first force-quiescent-state scan (a timer here).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_grace_period, rcu_grace_period_init: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static bool rcu_gp_init(Vmlinux k)
    {
        // not ported: rcu_seq_done_exact, rcu_seq_snap, rcu_report_qs_rnp — the hotplug bookkeeping (qsmaskinitnext vs. qsmaskinit) and the zero-qsmask report it may need; every CPU is online
        // not ported: on_each_cpu — the strict-grace-period IPI; CONFIG_RCU_STRICT_GRACE_PERIOD is off
        var rsp = state(k);
        var rnp = rsp.node;
        if (rsp.gp_flags == 0)
        {
            return false;
        }

        rsp.gp_flags = 0;
        if (rcu_gp_in_progress(k))
        {
            return false;
        }

        var gp_seq = rsp.gp_seq;
        rcu_seq_start(ref gp_seq);
        rsp.gp_seq = gp_seq;
        rsp.gp_start = k.jiffies;
        rsp.fqs_count = 0;

        // rcu_for_each_node_breadth_first: the one node takes the new grace period.
        rnp.qsmask = rnp.qsmaskinit;
        rnp.gp_seq = rsp.gp_seq;
        var rdp = k.this_cpu().rcu_data;
        __note_gp_changes(k, rnp, rdp);

        // rcu_gp_fqs_loop: the first scan after jiffies_till_first_fqs.
        rsp.fqs_timer ??= new timer_list(t => rcu_gp_fqs_loop(k)) { owner = rsp };
        mod_timer(k, rsp.fqs_timer, k.jiffies + jiffies_till_fqs(k));
        return true;
    }

    // kernel/rcu/tree.c: rcu_watching_snap_save
    /// <summary>The CPU is idle, so in an extended quiescent state: report it (the first scan's check, and the rescan's).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_fqs: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static bool rcu_watching_snap_save(Vmlinux k, rcu_data rdp)
    {
        // not ported: rcu_gpnum_ovf, rcu_watching_snap_in_eqs — the port reads the CPU's idle state directly (an idle CPU is in an extended quiescent state); no dynticks counter
        var cpu = k.machine.Cpus[rdp.cpu];
        return cpu.Current.IsIdle && k.per_cpu(rdp.cpu).preempt_count == 0;
    }

    // kernel/rcu/tree.c: force_qs_rnp
    /// <summary>Reports a quiescent state for every CPU the grace period still waits for that is idle now.</summary>
    private static void force_qs_rnp(Vmlinux k, Func<Vmlinux, rcu_data, bool> f)
    {
        // not ported: rcu_disable_urgency_upon_qs, resched_cpu — no urgency or resched forcing: the tick reports quiescent states without them
        var rnp = state(k).node;
        if (rnp.qsmask == 0)
        {
            return;
        }

        ulong mask = 0;
        for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
        {
            var rdp = k.per_cpu(cpu).rcu_data;
            if ((rnp.qsmask & rdp.grpmask) != 0 && f(k, rdp))
            {
                mask |= rdp.grpmask;
            }
        }

        if (mask != 0)
        {
            rcu_report_qs_rnp(k, mask, rnp, rnp.gp_seq);
        }
    }

    // kernel/rcu/tree.c: rcu_gp_fqs
    /// <summary>One force-quiescent-state scan: idle CPUs are reported for.</summary>
    private static void rcu_gp_fqs(Vmlinux k, bool first_time)
    {
        // first_time: rcu_watching_snap_save; later: rcu_watching_snap_recheck, the same test here.
        _ = first_time;
        force_qs_rnp(k, rcu_watching_snap_save);
    }

    // kernel/rcu/tree.c: rcu_gp_fqs_loop
    /// <summary>
    /// The GP kthread's wait for the grace period to end, woken by its FQS
    /// timer: scan, and if CPUs are still missing wait jiffies_till_next_fqs
    /// and scan again.
    /// </summary>
    [SoftirqContext]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_grace_period: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static void rcu_gp_fqs_loop(Vmlinux k)
    {
        // not ported: rcu_gp_fqs_check_wake, time_after, time_before — the kthread's wait is a timer_list that fires once per FQS interval; the early-wakeup and jiffies-adjust checks have nothing to wake
        var rsp = state(k);
        if (!rcu_gp_in_progress(k))
        {
            return;
        }

        rcu_gp_fqs(k, rsp.fqs_count == 0);
        rsp.fqs_count++;
        if (rcu_gp_in_progress(k) && rsp.node.qsmask != 0)
        {
            mod_timer(k, rsp.fqs_timer!, k.jiffies + jiffies_till_fqs(k));
        }
    }

    // kernel/rcu/tree.c: rcu_gp_cleanup
    /// <summary>
    /// Ends the grace period: the node and the counter move on, the kthread's
    /// CPU notes it, and a grace period some CPU already needs starts at once.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_grace_period: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static void rcu_gp_cleanup(Vmlinux k)
    {
        // not ported: rcu_accelerate_cbs — the port asks for the next grace period from rcu_core (rcu_accelerate_cbs_unlocked) rather than from cleanup's needmore check
        // not ported: on_each_cpu — the strict-grace-period IPI; CONFIG_RCU_STRICT_GRACE_PERIOD is off
        // not ported: check_cb_ovld_locked — the callback-overload tracking; never reached with few callbacks
        var rsp = state(k);
        var rnp = rsp.node;
        if (rsp.fqs_timer is { } t)
        {
            timer_delete(t);
        }

        var new_gp_seq = rsp.gp_seq;
        rcu_seq_end(ref new_gp_seq);
        rnp.gp_seq = new_gp_seq;
        var rdp = k.this_cpu().rcu_data;
        var needgp = __note_gp_changes(k, rnp, rdp);
        needgp = rcu_future_gp_cleanup(rnp) || needgp;

        var gp_seq = rsp.gp_seq;
        rcu_seq_end(ref gp_seq);
        rsp.gp_seq = gp_seq;

        // needgp || a new grace period was flagged meanwhile: the kthread loops to rcu_gp_init.
        if (needgp || rsp.gp_flags != 0)
        {
            rsp.gp_flags = RCU_GP_FLAG_INIT;
            rcu_gp_init(k);
        }
    }

    // kernel/rcu/tree.c: rcu_report_qs_rsp
    /// <summary>Every CPU has reported: wake the GP kthread to clean up (done at once here).</summary>
    private static void rcu_report_qs_rsp(Vmlinux k)
    {
        // not ported: rcu_gp_kthread_wake — the grace-period kthread is not a task: rcu_gp_cleanup runs at once where the kernel would wake it
        // not ported: rcu_gp_in_progress — only in a WARN_ON_ONCE
        rcu_gp_cleanup(k);
    }

    // kernel/rcu/tree.c: rcu_report_qs_rnp
    /// <summary>Clears the CPUs of <paramref name="mask"/> from the node; the last one ends the grace period.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_quiescent_state_report: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static void rcu_report_qs_rnp(Vmlinux k, ulong mask, rcu_node rnp, ulong gps)
    {
        if ((rnp.qsmask & mask) == 0 || rnp.gp_seq != gps)
        {
            return;
        }

        rnp.qsmask &= ~mask;
        if (rnp.qsmask != 0)
        {
            return;
        }

        rcu_report_qs_rsp(k);
    }

    // kernel/rcu/tree.c: rcu_report_qs_rdp
    /// <summary>Reports this CPU's quiescent state for the grace period it noticed, if that is still the current one.</summary>
    private static void rcu_report_qs_rdp(Vmlinux k, rcu_data rdp)
    {
        // not ported: rcu_disable_urgency_upon_qs — urgency is not modelled
        var rnp = state(k).node;
        if (rdp.cpu_no_qs_norm || rdp.gp_seq != rnp.gp_seq)
        {
            // The quiescent state predates this grace period: wait for another.
            rdp.cpu_no_qs_norm = true;
            return;
        }

        var mask = rdp.grpmask;
        rdp.core_needs_qs = false;
        if ((rnp.qsmask & mask) == 0)
        {
            return;
        }

        // Callbacks queued meanwhile can wait for the next grace period.
        var needacc = rcu_accelerate_cbs(k, rnp, rdp);
        rcu_report_qs_rnp(k, mask, rnp, rnp.gp_seq);
        if (needacc)
        {
            rcu_gp_kthread_wake(k);
        }
    }

    // kernel/rcu/tree.c: rcu_check_quiescent_state
    /// <summary>From rcu_core: note a new or ended grace period, then report this CPU's quiescent state if it has one.</summary>
    private static void rcu_check_quiescent_state(Vmlinux k, rcu_data rdp)
    {
        note_gp_changes(k, rdp);
        if (!rdp.core_needs_qs)
        {
            return;
        }

        if (rdp.cpu_no_qs_norm)
        {
            return;
        }

        rcu_report_qs_rdp(k, rdp);
    }

    // kernel/rcu/tree.c: rcu_do_batch
    /// <summary>
    /// Invokes the callbacks whose grace period has ended, in queueing order,
    /// in RCU_SOFTIRQ. After blimit of them it stops if the CPU has a task to
    /// run; the rest wait for the next rcu_core.
    /// </summary>
    [SoftirqContext]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_batch_end, rcu_batch_start, rcu_invoke_callback, rcu_segcb_stats: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static void rcu_do_batch(Vmlinux k, rcu_data rdp)
    {
        // not ported: need_resched, is_idle_task — read as the CPU's NeedResched flag and its current task's IsIdle, what they test
        // not ported: rcu_do_batch_check_time — the time limit (rcu_resched_ns) is not modelled: only the blimit count cuts a batch
        // not ported: local_bh_disable, local_bh_enable — callbacks run in RCU_SOFTIRQ, already in softirq context
        // not ported: RCU_CBLIST_INITIALIZER, rcu_cblist_dequeue, rcu_segcblist_add_len, rcu_segcblist_get_seglen, rcu_segcblist_n_segment_cbs, rcu_segcblist_n_cbs, rcu_segcblist_empty — the ready callbacks are taken off as a list (rcu_segcblist_extract_done_cbs) and walked by index, the rest put back with rcu_segcblist_insert_done_cbs; segment lengths are not kept (see rcu_segcblist.cs)
        if (!rcu_segcblist_ready_cbs(rdp.cblist))
        {
            return;
        }

        var rcl = rcu_segcblist_extract_done_cbs(rdp.cblist);
        var bl = Math.Max(rdp.blimit, rcl.Count >> 7);
        long count = 0;
        var i = 0;
        while (i < rcl.Count)
        {
            var rhp = rcl[i++];
            count++;
            var f = rhp.func!;
            rhp.func = null;
            f(rhp);
            if (in_serving_softirq(k) && count >= bl && (k.machine.CurrentCpu.NeedResched || !k.machine.CurrentCpu.Current.IsIdle))
            {
                break;
            }
        }

        rdp.n_cbs_invoked += count;
        if (i < rcl.Count)
        {
            rcu_segcblist_insert_done_cbs(rdp.cblist, rcl.GetRange(i, rcl.Count - i));
        }
    }

    // kernel/rcu/tree.c: rcu_sched_clock_irq
    /// <summary>
    /// The scheduler tick's RCU work (from update_process_times, hard-IRQ
    /// context): note a quiescent state if the tick interrupted one, and raise
    /// RCU_SOFTIRQ when this CPU has RCU work.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_utilization: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    public static void rcu_sched_clock_irq(Vmlinux k, int user)
    {
        // not ported: rcu_is_cpu_rrupt_from_idle, set_tsk_need_resched — the rcu_urgent_qs resched nudge (urgency is not modelled) and the tasks-RCU note (no tasks RCU); time_before — a CONFIG_PROVE_RCU warning
        rcu_flavor_sched_clock_irq(k, user);
        if (rcu_pending(k, user))
        {
            invoke_rcu_core(k);
        }
    }

    // kernel/rcu/tree.c: rcu_pending
    /// <summary>Whether this CPU has RCU work: a quiescent state to report, callbacks to invoke or to start a grace period for, or a grace period to notice.</summary>
    private static bool rcu_pending(Vmlinux k, int user)
    {
        // not ported: rcu_is_cpu_rrupt_from_idle, rcu_nohz_full_cpu, time_before — no nohz_full CPUs and no strict-GP/urgency check
        _ = user;
        var rdp = k.this_cpu().rcu_data;
        var rnp = state(k).node;
        var gp_in_progress = rcu_gp_in_progress(k);

        if (rdp.core_needs_qs && !rdp.cpu_no_qs_norm && gp_in_progress)
        {
            return true;
        }

        if (rcu_segcblist_ready_cbs(rdp.cblist))
        {
            return true;
        }

        if (!gp_in_progress && !rcu_segcblist_restempty(rdp.cblist, RCU_NEXT_READY_TAIL))
        {
            return true;
        }

        return rcu_seq_current(rnp.gp_seq) != rdp.gp_seq;
    }

    // kernel/rcu/tree.c: rcu_core
    /// <summary>
    /// RCU_SOFTIRQ's work on this CPU: report a quiescent state, ask for a
    /// grace period for new callbacks, and invoke those whose grace period ended.
    /// </summary>
    [SoftirqContext]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_utilization: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    private static void rcu_core(Vmlinux k)
    {
        // not ported: set_tsk_need_resched — set on a CPU whose grace period is urgent (rcu_urgent_qs); urgency is not modelled
        // not ported: queue_work_on — the strict-GP and NOCB deferred work; neither is configured
        var rdp = k.this_cpu().rcu_data;
        var rnp = state(k).node;

        rcu_check_quiescent_state(k, rdp);

        if (!rcu_gp_in_progress(k) && !rcu_segcblist_restempty(rdp.cblist, RCU_NEXT_READY_TAIL))
        {
            rcu_accelerate_cbs_unlocked(k, rnp, rdp);
        }

        if (rcu_segcblist_ready_cbs(rdp.cblist))
        {
            rcu_do_batch(k, rdp);
            if (rcu_segcblist_ready_cbs(rdp.cblist))
            {
                invoke_rcu_core(k);
            }
        }
    }

    // kernel/rcu/tree.c: rcu_core_si
    [SoftirqContext]
    private static void rcu_core_si(Vmlinux k) => rcu_core(k);

    // kernel/rcu/tree.c: invoke_rcu_core
    /// <summary>Asks for rcu_core on this CPU: RCU_SOFTIRQ (use_softirq).</summary>
    private static void invoke_rcu_core(Vmlinux k)
    {
        // not ported: invoke_rcu_core_kthread — use_softirq is on: RCU_SOFTIRQ, never the rcuc kthread
        raise_softirq(k, softirq_nr.RCU_SOFTIRQ);
    }

    // kernel/rcu/tree.c: __call_rcu_common
    /// <summary>
    /// Queues <paramref name="head"/> to have <paramref name="func"/> called
    /// after a grace period, on this CPU's list. Nothing starts now: the next
    /// tick sees the callback (rcu_pending) and rcu_core asks for the grace period.
    /// </summary>
    private static void __call_rcu_common(Vmlinux k, rcu_head head, Action<rcu_head> func)
    {
        // not ported: rcu_is_watching — an idle-CPU call_rcu warning (WARN_ON_ONCE path); the simulation never calls it from idle
        // not ported: call_rcu_core, check_cb_ovld, rcu_async_should_hurry — the qhimark force and the overload/lazy accounting; with few callbacks never reached
        // not ported: rcu_segcblist_init, rcu_segcblist_empty — the lists are initialised at boot (rcu_init), so the late-init branch is never taken
        head.func = func;
        var rdp = k.this_cpu().rcu_data;
        rcu_segcblist_enqueue(rdp.cblist, head);

        // not ported: __call_rcu_core's forcing of a grace period past qhimark (10000) callbacks — never reached here.
        // The port's tick runs only when something is due: with a callback
        // queued, rcu_needs_cpu() keeps it every jiffy (tick_nohz_next_event).
        RearmTick(k);
    }

    // kernel/rcu/tree.c: call_rcu
    /// <summary>Calls <paramref name="func"/>(<paramref name="head"/>) in RCU_SOFTIRQ on this CPU once every CPU has passed a quiescent state.</summary>
    public static void call_rcu(Vmlinux k, rcu_head head, Action<rcu_head> func) => __call_rcu_common(k, head, func);

    // kernel/rcu/tree.c: rcu_init
    /// <summary>Boot: every CPU online in the node's masks, RCU_SOFTIRQ opened.</summary>
    public static void rcu_init(Vmlinux k)
    {
        // not ported: alloc_workqueue, rcu_bootup_announce, rcu_dump_rcu_node_tree, rcu_init_geometry, rcu_init_one, rcutree_online_cpu, rcutree_prepare_cpu, rcutree_report_cpu_starting, sanitize_kthread_prio, tasks_cblist_init_generic — the single node's state is built by the port's constructors; no workqueues, kthreads, boot messages or tasks-RCU
        var rnp = state(k).node;
        for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
        {
            rnp.qsmaskinit |= k.per_cpu(cpu).rcu_data.grpmask;
        }

        open_softirq(k, softirq_nr.RCU_SOFTIRQ, () => rcu_core_si(k));
    }

    /// <summary>
    /// rcu_qs's report path for tree_plugin.h: the rcu_data of this CPU. (A
    /// helper: tree_plugin.h reaches rcu_data with this_cpu_ptr.)
    /// </summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of this_cpu_ptr(&rcu_data), a per-cpu variable hung off the CPU")]
    internal static rcu_data this_rcu_data(Vmlinux k) => k.this_cpu().rcu_data;
}
