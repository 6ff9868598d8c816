// Ports kernel/sched/core.c: the parts the network stack calls — schedule()
// and the wakeups. Choosing which task runs next, and the context switch
// itself, are the machine's executor's work (one run queue per CPU, no
// migration): the kernel asks for them through these functions.
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
        // __schedule: rcu_note_context_switch — the task leaving the CPU is a quiescent state.
        KernelNet.Kernel.Kernel.Rcu.tree_plugin_h.rcu_note_context_switch(k, false);
        return k.machine.Sleep(k.current.task);
    }

    // kernel/sched/core.c: ttwu_do_wakeup
    /// <summary>The woken task is runnable again: its state back to TASK_RUNNING (the machine queues it on its CPU), traced as sched_wakeup.</summary>
    private static bool ttwu_do_wakeup(Vmlinux k, task_struct p)
    {
        var woke = k.machine.WakeUp(p.task);
        Include.Trace.Events.sched_h.trace_sched_wakeup(k, p.task);
        return woke;
    }

    // kernel/sched/core.c: __schedule
    /// <summary>
    /// The kernel's half of a context switch: the machine's executor has
    /// taken <paramref name="prev"/> off the CPU and picked <paramref name="next"/>
    /// (pick_next_task, context_switch are its work); this traces the switch
    /// as sched_switch, in prev's context. Installed at boot as the machine's
    /// context switch hook. Never a preemption: simulated tasks run until they
    /// sleep or end.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "sched_entry_tp and sched_exit_tp are bare tracepoints (DECLARE_TRACE): they have no event in tracefs and print nothing; only a probe module could see them")]
    public static void __schedule(Vmlinux k, SimTask prev, TaskState prev_state, SimTask next)
    {
        // not ported: rq locking, pick_next_task, context_switch, the RCU quiescent state (schedule() notes it before sleeping) — the machine's executor switches
        Include.Trace.Events.sched_h.trace_sched_switch(k, false, prev, next, prev_state);
    }

    // kernel/sched/core.c: try_to_wake_up
    /// <summary>Makes <paramref name="p"/> runnable if it sleeps in a state matching <paramref name="state"/>; true if it did. Traces sched_waking in the waker's context.</summary>
    public static bool try_to_wake_up(Vmlinux k, task_struct p, int state)
    {
        var s = p.task.State;
        var matches = s switch
        {
            TaskState.Interruptible => (state & sched_h.TASK_INTERRUPTIBLE) != 0,
            TaskState.Uninterruptible => (state & sched_h.TASK_UNINTERRUPTIBLE) != 0,
            _ => false,
        };
        if (!matches)
        {
            return false;
        }

        Include.Trace.Events.sched_h.trace_sched_waking(k, p.task);
        return ttwu_do_wakeup(k, p);
    }

    // kernel/sched/core.c: wake_up_process
    public static bool wake_up_process(Vmlinux k, task_struct p) =>
        try_to_wake_up(k, p, sched_h.TASK_INTERRUPTIBLE | sched_h.TASK_UNINTERRUPTIBLE);

    // kernel/sched/core.c: default_wake_function
    /// <summary>The wake function of a plain wait queue entry: wake the task it names.</summary>
    public static int default_wake_function(Vmlinux k, wait_queue_entry curr, int mode)
    {
        return try_to_wake_up(k, curr.task!, mode) ? 1 : 0;
    }
}
