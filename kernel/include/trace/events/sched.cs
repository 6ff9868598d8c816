// Ports include/trace/events/sched.h: sched_switch, sched_waking,
// sched_wakeup and sched_wakeup_new, in the text of their 6.18 print fmt.
//
// not ported: the other scheduler events (migration, process fork/exec/exit,
// stat_*): the simulation's tasks neither migrate nor fork.
using KernelNet.Machine;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class sched_h
{
    private const string System = "sched";

    private static readonly trace_event_call event_sched_switch = trace_events_c.find(System, "sched_switch");
    private static readonly trace_event_call event_sched_waking = trace_events_c.find(System, "sched_waking");
    private static readonly trace_event_call event_sched_wakeup = trace_events_c.find(System, "sched_wakeup");
    private static readonly trace_event_call event_sched_wakeup_new = trace_events_c.find(System, "sched_wakeup_new");

    /// <summary>The static priority of a task at nice 0 (MAX_RT_PRIO + 20): every simulated task, the idle task too.</summary>
    public const int DEFAULT_PRIO = 120;

    /// <summary>The comm the scheduler prints: the idle task is swapper/N.</summary>
    [KernelNet.Annotations.NotInLinux("TASK_COMM_LEN's cut, as the event's __array(char, comm, 16) stores it")]
    private static string comm(SimTask t) => t.Comm.Length > 15 ? t.Comm[..15] : t.Comm;

    // not ported: __task_state_index — the state maps straight to its letter in one switch: the port's TaskState has
    //   no TASK_REPORT bit index
    // include/trace/events/sched.h: __trace_sched_switch_state
    /// <summary>
    /// __trace_sched_switch_state as the print fmt renders it: "R" runnable, "R+" preempted
    /// while runnable, "S" interruptible sleep, "D" uninterruptible, "X" a dead task.
    /// </summary>
    private static string __trace_sched_switch_state(TaskState s, bool preempt) => s switch
    {
        TaskState.Interruptible => "S",
        TaskState.Uninterruptible => "D",
        TaskState.Dead => "X",
        _ => preempt ? "R+" : "R",
    };

    // include/trace/events/sched.h: trace_sched_switch
    /// <summary>sched_switch: <paramref name="prev"/> leaves the CPU in <paramref name="prev_state"/> and <paramref name="next"/> runs.</summary>
    public static void trace_sched_switch(Vmlinux k, bool preempt, SimTask prev, SimTask next, TaskState prev_state)
    {
        if (!k.trace.enabled(event_sched_switch))
        {
            return;
        }

        k.trace.record(event_sched_switch, $"prev_comm={comm(prev)} prev_pid={prev.Pid} prev_prio={DEFAULT_PRIO} prev_state={__trace_sched_switch_state(prev_state, preempt)} ==> next_comm={comm(next)} next_pid={next.Pid} next_prio={DEFAULT_PRIO}");
    }

    // include/trace/events/sched.h: trace_sched_waking
    /// <summary>sched_waking: try_to_wake_up found <paramref name="p"/> asleep in a matching state (traced in the waker's context).</summary>
    public static void trace_sched_waking(Vmlinux k, SimTask p) => wakeup_template(k, event_sched_waking, p);

    // include/trace/events/sched.h: trace_sched_wakeup
    /// <summary>sched_wakeup: <paramref name="p"/> is runnable again (ttwu_do_wakeup).</summary>
    public static void trace_sched_wakeup(Vmlinux k, SimTask p) => wakeup_template(k, event_sched_wakeup, p);

    // include/trace/events/sched.h: trace_sched_wakeup_new
    /// <summary>sched_wakeup_new: a new task is runnable for the first time (wake_up_new_task).</summary>
    public static void trace_sched_wakeup_new(Vmlinux k, SimTask p) => wakeup_template(k, event_sched_wakeup_new, p);

    [KernelNet.Annotations.NotInLinux("the sched_wakeup_template event class's print, shared by sched_waking and sched_wakeup")]
    private static void wakeup_template(Vmlinux k, trace_event_call call, SimTask p)
    {
        if (!k.trace.enabled(call))
        {
            return;
        }

        k.trace.record(call, $"comm={comm(p)} pid={p.Pid} prio={DEFAULT_PRIO} target_cpu={p.Cpu:000}");
    }
}
