// Ports the CONFIG_PREEMPT_RCU half of kernel/rcu/tree_plugin.h: how a CPU
// passes a quiescent state of preemptible RCU — a context switch, or a tick
// that interrupted code outside any softirq or preempt-off section.
//
// not ported: the blocked-tasks lists, deferred quiescent states and
// rcu_read_unlock_special — no reader is ever preempted inside an RCU
// read-side section in the simulation (one thread), so rcu_preempt_depth is 0.
// not ported: TPS — the rcu: tracepoints are not ported (no recording enables them)
// not ported: rcu_preempt_deferred_qs, rcu_preempt_need_deferred_qs, rcu_preempt_ctxt_queue — deferred quiescent states and the blocked-tasks lists, as said above
using static KernelNet.Kernel.Include.Linux.preempt_h;

namespace KernelNet.Kernel.Kernel.Rcu;

public static class tree_plugin_h
{
    // kernel/rcu/tree_plugin.h: rcu_qs
    /// <summary>This CPU passed a quiescent state: the grace period it noticed no longer waits on it (rcu_core reports that).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_grace_period: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    public static void rcu_qs(Vmlinux k)
    {
        // not ported: preemptible — only in a WARN_ON_ONCE
        var rdp = tree_c.this_rcu_data(k);
        if (rdp.cpu_no_qs_norm)
        {
            rdp.cpu_no_qs_norm = false;
        }
    }

    // kernel/rcu/tree_plugin.h: rcu_note_context_switch
    /// <summary>From __schedule: a context switch is a quiescent state (no task is inside a read-side section here).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "rcu_preempt_task, rcu_utilization: the rcu: tracepoints (include/trace/events/rcu.h) are not ported; no recording enables them")]
    public static void rcu_note_context_switch(Vmlinux k, bool preempt)
    {
        // not ported: rcu_momentary_eqs — the rcu_urgent_qs nudge for a CPU holding up an expedited or old grace period; urgency is not modelled
        // not ported: raw_spin_lock_rcu_node, rcu_seq_snap, rcu_rdp_cpu_online — the queueing of a preempted reader on the blocked-tasks list (rcu_preempt_depth is always 0 here)
        _ = preempt;
        rcu_qs(k);
    }

    // kernel/rcu/tree_plugin.h: rcu_flavor_sched_clock_irq
    /// <summary>The tick is a quiescent state unless it interrupted a softirq or a preempt-off section.</summary>
    public static void rcu_flavor_sched_clock_irq(Vmlinux k, int user)
    {
        // not ported: set_tsk_need_resched, time_after — the resched nudge when a reader holds a grace period too long; readers never block here
        // not ported: rcu_is_cpu_rrupt_from_idle — the idle case reports through the force-quiescent-state scan's idle check (tree.c)
        _ = user;
        if ((preempt_count(k) & (PREEMPT_MASK | SOFTIRQ_MASK)) != 0)
        {
            return;
        }

        rcu_qs(k);
    }
}
