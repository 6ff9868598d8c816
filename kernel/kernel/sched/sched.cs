// Ports kernel/sched/sched.h: the per-CPU run queue and its fair (CFS/EEVDF) part, as far as
// fair.c's entity bookkeeping needs them. The machine's executor keeps the list of runnable tasks
// a CPU may switch to; this keeps the kernel's order among them.
// not ported: the RT, deadline, stop and idle classes (every simulated task is SCHED_NORMAL),
// task groups (one cfs_rq per CPU), load tracking (PELT) — nothing here balances load.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Kernel.Sched;

/// <summary>struct cfs_rq: the fair class's run queue of one CPU.</summary>
public sealed class cfs_rq
{
    /// <summary>Entities queued, the running one and delayed ones included.</summary>
    public int nr_queued { get; set; }

    /// <summary>\Sum (v_i - zero_vruntime) * w_i over the entities in the tree.</summary>
    public long sum_w_vruntime { get; set; }

    /// <summary>\Sum w_i over the entities in the tree.</summary>
    public long sum_weight { get; set; }

    /// <summary>v0 of the weighted average: the run queue's reference virtual time.</summary>
    public long zero_vruntime { get; set; } = -(1L << 20);

    /// <summary>The entity picked to run (not in the tree while it runs).</summary>
    public sched_entity? curr { get; set; }

    /// <summary>
    /// tasks_timeline: the queued entities other than curr, in deadline order (the rbtree's order;
    /// an entity with an equal deadline goes after those already there).
    /// </summary>
    public List<sched_entity> tasks_timeline { get; } = new();

    /// <summary>Which task each queued entity is.</summary>
    public Dictionary<sched_entity, task_struct> task_of { get; } = new();
}

/// <summary>struct rq: one CPU's run queue.</summary>
public sealed class rq
{
    public cfs_rq cfs { get; } = new();

    /// <summary>The task running on the CPU (null: the idle task).</summary>
    public task_struct? curr { get; set; }
}

public static class sched_h
{
    /// <summary>Wake flags: a wakeup of a new task (wake_up_new_task).</summary>
    public const int WF_FORK = 0x04;

    public const int DEQUEUE_SLEEP = 0x0001;
    public const int DEQUEUE_SPECIAL = 0x0010;
    public const int DEQUEUE_DELAYED = 0x0200;

    public const int ENQUEUE_WAKEUP = 0x0001;
    public const int ENQUEUE_INITIAL = 0x0080;
    public const int ENQUEUE_DELAYED = 0x0200;

    /// <summary>TICK_NSEC at HZ=250.</summary>
    public const long TICK_NSEC = 4_000_000;
}
