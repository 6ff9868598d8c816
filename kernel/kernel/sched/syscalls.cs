// Ports kernel/sched/syscalls.c: sched_yield(2) — the running task gives up the rest of its request
// (the class's yield_task) and calls schedule() while staying runnable.
// not ported: the policy, priority, affinity and attribute system calls — every simulated task is
// SCHED_NORMAL at nice 0 on the CPU it was started on.
using System.Threading.Tasks;
using KernelNet.Annotations;

namespace KernelNet.Kernel.Kernel.Sched;

public static class syscalls_c
{
    // kernel/sched/syscalls.c: do_sched_yield
    /// <summary>
    /// The current task forfeits what is left of its slice (yield_task_fair) and schedules with
    /// TASK_RUNNING: EEVDF picks again, the caller included; the await ends when it runs again.
    /// </summary>
    [MightSleep]
    private static async Task do_sched_yield(Vmlinux k)
    {
        // not ported: this_rq_lock_irq, rq_unlock_irq, preempt_disable/sched_preempt_enable_no_resched — one thread, no lock to drop
        // not ported: schedstat_inc — no schedstats
        var rq = k.per_cpu(k.current.task.Cpu).runqueues;

        // rq->donor->sched_class->yield_task: every task is fair
        fair_c.yield_task_fair(k, rq);
        await core_c.schedule_running(k);
    }

    // kernel/sched/syscalls.c: sys_sched_yield
    /// <summary>sched_yield(2): always 0.</summary>
    [MightSleep]
    public static async Task<long> sys_sched_yield(Vmlinux k)
    {
        await do_sched_yield(k);
        return 0;
    }
}
