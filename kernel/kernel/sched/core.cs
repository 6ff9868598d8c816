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

    // kernel/sched/core.c: try_to_wake_up
    /// <summary>Makes <paramref name="p"/> runnable if it sleeps in a state matching <paramref name="state"/>; true if it did.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "sched_waking: the scheduler tracepoints (include/trace/events/sched.h) are not ported; the machine's executor does the scheduling and the simulated scheduler has no sched events")]
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

        return k.machine.WakeUp(p.task);
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
