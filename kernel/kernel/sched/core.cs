// Ports kernel/sched/core.c: the parts the network stack and its tasks meet — schedule(), the
// wakeups with wakeup preemption, and __schedule's block, pick and switch. The machine's executor
// performs the context switch itself (one run queue of runnable tasks per CPU, no migration); the
// kernel decides which task runs (fair.c's EEVDF) and when a running task must give way.
// not ported: the other scheduling classes, proxy execution, core scheduling, migration and the
// wake list (TTWU_QUEUE: every wakeup is done by the waker), kernel preemption (the machines run
// preempt=none: a task gives way on its return to user space).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;

namespace KernelNet.Kernel.Kernel.Sched;

public static class core_c
{
    // kernel/sched/core.c: schedule
    /// <summary>
    /// Gives up the CPU if the current task set itself to sleep; the await
    /// completes once it is woken and runs again. A task woken before it got
    /// here (state back to TASK_RUNNING) does not sleep at all.
    /// </summary>
    [MightSleep]
    public static Machine.Machine.SleepAwaitable schedule(Vmlinux k)
    {
        // not ported: task_is_running, sched_submit_work, sched_update_worker — the block-plug flush and the workqueue
        //   worker hooks: no block I/O and no workqueue workers
        // not ported: __schedule_loop — the machine's Sleep awaitable is the loop: __schedule runs as its context
        //   switch hook
        // __schedule: rcu_note_context_switch — the task leaving the CPU is a quiescent state.
        KernelNet.Kernel.Kernel.Rcu.tree_plugin_h.rcu_note_context_switch(k, false);
        return k.machine.Sleep(k.current.task);
    }

    /// <summary>
    /// schedule() of a task that stays TASK_RUNNING (its TIF_NEED_RESCHED is set): it goes back on
    /// its run queue, __schedule picks, and the await completes once it runs again.
    /// </summary>
    [NotInLinux("schedule() for a TASK_RUNNING caller: the C function is one, the machine's awaitables are two (sleep, give way)")]
    [MightSleep]
    public static Machine.Machine.PreemptAwaitable schedule_running(Vmlinux k)
    {
        KernelNet.Kernel.Kernel.Rcu.tree_plugin_h.rcu_note_context_switch(k, false);
        return k.machine.Preempt(k.current.task);
    }

    /// <summary>The run queue of the CPU a task runs on (cpu_rq(task_cpu(p))).</summary>
    [NotInLinux("task_rq(p): a macro of kernel/sched/sched.h over per-CPU runqueues")]
    private static rq task_rq(Vmlinux k, task_struct p) => k.per_cpu(p.task.Cpu).runqueues;

    // kernel/sched/core.c: resched_curr_lazy
    /// <summary>
    /// Asks the running task to give way: TIF_NEED_RESCHED (under preempt=none the lazy bit is the
    /// ordinary one), acted on at its next return to user space.
    /// </summary>
    public static void resched_curr_lazy(rq rq)
    {
        // not ported: __resched_curr's IPI to another CPU and the polling-idle test — the flag is read where the task returns to user space
        // not ported: get_lazy_tif_bit — under preempt=none (these machines) the lazy request is TIF_NEED_RESCHED itself
        if (rq.curr is { } curr)
        {
            curr.need_resched = true;
        }
    }

    // kernel/sched/core.c: wakeup_preempt
    /// <summary>A task became runnable: may it preempt the running one? (An idle CPU simply runs it.)</summary>
    private static void wakeup_preempt(Vmlinux k, rq rq, task_struct p, int flags)
    {
        // not ported: the class comparison and the skip-clock update — every task is fair
        // not ported: resched_curr — only for a task of a higher class than the running one's; every task is fair
        // not ported: test_tsk_need_resched — it guards the skip-clock update, not ported
        fair_c.check_preempt_wakeup_fair(k, rq, p, flags);
    }

    // kernel/sched/core.c: ttwu_do_wakeup
    /// <summary>The woken task is runnable again: its state back to TASK_RUNNING (the machine queues it on its CPU), traced as sched_wakeup.</summary>
    private static bool ttwu_do_wakeup(Vmlinux k, task_struct p)
    {
        var woke = k.machine.WakeUp(p.task);
        Include.Trace.Events.sched_h.trace_sched_wakeup(k, p.task);
        return woke;
    }

    // kernel/sched/core.c: ttwu_runnable
    /// <summary>
    /// A wakeup of a task still on its run queue — it set itself to sleep and has not left the CPU
    /// yet, or it is delayed (DELAY_DEQUEUE): requeued where it is, no new placement.
    /// </summary>
    private static bool ttwu_runnable(Vmlinux k, task_struct p, int wake_flags)
    {
        if (!p.se.on_rq)
        {
            return false;
        }

        // not ported: __task_rq_lock, update_rq_clock — one thread, the run queue's clock is the CPU's
        // not ported: enqueue_task — its class dispatch and uclamp/psi hooks: the fair class's own is called
        var rq = task_rq(k, p);
        if (p.se.sched_delayed)
        {
            fair_c.enqueue_task_fair(k, rq, p, sched_h.ENQUEUE_DELAYED);
        }

        if (rq.curr != p)
        {
            wakeup_preempt(k, rq, p, wake_flags);
        }

        ttwu_do_wakeup(k, p);
        return true;
    }

    // kernel/sched/core.c: ttwu_do_activate
    /// <summary>The sleeper joins its run queue, may preempt the running task, and is runnable.</summary>
    private static bool ttwu_do_activate(Vmlinux k, rq rq, task_struct p, int wake_flags)
    {
        // not ported: activate_task — its class dispatch and on_rq bookkeeping: the fair class's enqueue is called
        fair_c.enqueue_task_fair(k, rq, p, sched_h.ENQUEUE_WAKEUP);
        wakeup_preempt(k, rq, p, wake_flags);
        return ttwu_do_wakeup(k, p);
    }

    // kernel/sched/core.c: __schedule
    /// <summary>
    /// The trace of a context switch: the machine's executor has taken <paramref name="prev"/> off
    /// the CPU and runs <paramref name="next"/>, which <see cref="schedule_block_and_pick"/> chose; traced as
    /// sched_switch in prev's context. Installed at boot as the machine's context switch hook.
    /// Never a preemption in the kernel (preempt=none): a task that gives way does so from
    /// schedule() on its return to user space, and leaves TASK_RUNNING.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "sched_entry_tp and sched_exit_tp are bare tracepoints (DECLARE_TRACE): they have no event in tracefs and print nothing; only a probe module could see them")]
    public static void __schedule(Vmlinux k, SimTask prev, TaskState prev_state, SimTask next)
    {
        // not ported: rq locking, context_switch — the machine's executor switches; the block and the pick are pick_next_task's below
        // not ported: schedule_debug, local_irq_disable, smp_processor_id, update_rq_clock, hrtick_clear,
        //   migrate_disable_switch, __balance_callbacks — the machine's executor makes the switch: no IRQ masking,
        //   rq clock, hrtick or balance callbacks here
        // not ported: rcu_note_context_switch — called by schedule() and schedule_running before the machine switches
        // not ported: try_to_block_task, clear_tsk_need_resched — done in schedule_block_and_pick, the machine's pick
        // not ported: find_proxy_task, proxy_tag_curr — no proxy execution (no mutex-blocked donors)
        Include.Trace.Events.sched_h.trace_sched_switch(k, false, prev, next, prev_state);
    }

    /// <summary>
    /// __schedule's middle, installed as the machine's pick: a prev that leaves asleep or dead is
    /// blocked (dequeued, or kept delayed), its TIF_NEED_RESCHED cleared, and EEVDF picks the next
    /// task of the CPU's run queue — prev again when it was preempted but is still the best; null:
    /// the idle task.
    /// </summary>
    [NotInLinux("__schedule's try_to_block_task, pick_next_task and put_prev_set_next_task, split out of __schedule because the machine performs the switch; the fair class is the only one")]
    public static SimTask? schedule_block_and_pick(Vmlinux k, Cpu cpu, SimTask prev, TaskState prev_state)
    {
        var rq = k.per_cpu(cpu.Id).runqueues;
        task_struct? p = null;
        if (!prev.IsIdle)
        {
            p = k.task_of(prev);
            if (prev_state != TaskState.Running)
            {
                // try_to_block_task -> block_task: TASK_DEAD is a special state, never delayed
                var flags = sched_h.DEQUEUE_SLEEP | (prev_state == TaskState.Dead ? sched_h.DEQUEUE_SPECIAL : 0);
                fair_c.dequeue_task_fair(k, rq, p, flags);
            }

            // clear_tsk_need_resched(prev)
            p.need_resched = false;
        }

        var next = fair_c.pick_task_fair(k, rq);

        // put_prev_set_next_task: nothing changes when prev is picked again
        if (next != p)
        {
            if (p is not null && rq.curr == p)
            {
                fair_c.put_prev_task_fair(k, rq, p);
            }

            if (next is not null)
            {
                fair_c.set_next_task_fair(k, rq, next, true);
            }

            rq.curr = next;
        }

        return next?.task;
    }

    // kernel/sched/core.c: wake_up_new_task
    /// <summary>A new task joins its CPU's run queue at half a slice's deadline (ENQUEUE_INITIAL); it does not preempt (WF_FORK).</summary>
    public static void wake_up_new_task(Vmlinux k, task_struct p)
    {
        // not ported: select_task_rq, task_cpu, post_init_entity_util_avg — no migration, no load tracking
        // not ported: __task_rq_lock, update_rq_clock — one thread, the run queue's clock is the CPU's
        // not ported: activate_task — its class dispatch: the fair class's enqueue is called
        var rq = task_rq(k, p);
        fair_c.enqueue_task_fair(k, rq, p, sched_h.ENQUEUE_INITIAL);
        Include.Trace.Events.sched_h.trace_sched_wakeup_new(k, p.task);
        wakeup_preempt(k, rq, p, sched_h.WF_FORK);
    }

    // kernel/sched/core.c: try_to_wake_up
    /// <summary>Makes <paramref name="p"/> runnable if it sleeps in a state matching <paramref name="state"/>; true if it did. Traces sched_waking in the waker's context.</summary>
    public static bool try_to_wake_up(Vmlinux k, task_struct p, int state)
    {
        var s = p.task.State;
        var matches = s switch
        {
            TaskState.Interruptible => (state & Include.Linux.sched_h.TASK_INTERRUPTIBLE) != 0,
            TaskState.Uninterruptible => (state & Include.Linux.sched_h.TASK_UNINTERRUPTIBLE) != 0,
            _ => false,
        };
        if (!matches)
        {
            return false;
        }

        Include.Trace.Events.sched_h.trace_sched_waking(k, p.task);

        // not ported: select_task_rq, ttwu_queue's wake list — tasks stay on their CPU, the waker does the wakeup
        // not ported: task_cpu, set_task_cpu, ttwu_queue_wakelist — the same: no migration, no remote wake list
        // not ported: ttwu_state_match — written out as the switch on p's state above (no saved state of an RT lock)
        // not ported: ttwu_do_wakeup — the waking-current shortcut: a current task that set itself to sleep is still
        //   on its run queue, and ttwu_runnable wakes it the same way
        // not ported: ttwu_stat — no schedstats
        if (ttwu_runnable(k, p, 0))
        {
            return true;
        }

        return ttwu_do_activate(k, task_rq(k, p), p, 0);
    }

    // kernel/sched/core.c: wake_up_process
    public static bool wake_up_process(Vmlinux k, task_struct p) =>
        try_to_wake_up(k, p, Include.Linux.sched_h.TASK_INTERRUPTIBLE | Include.Linux.sched_h.TASK_UNINTERRUPTIBLE);

    // kernel/sched/core.c: default_wake_function
    /// <summary>The wake function of a plain wait queue entry: wake the task it names.</summary>
    public static int default_wake_function(Vmlinux k, wait_queue_entry curr, int mode)
    {
        return try_to_wake_up(k, curr.task!, mode) ? 1 : 0;
    }
}
