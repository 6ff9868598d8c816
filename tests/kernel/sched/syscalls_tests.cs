using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Sched;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Kernel.Sched;

/// <summary>
/// kernel/sched/syscalls.c's sched_yield and fair.c's yield_task_fair: an eligible yielder forfeits the
/// rest of its request (its vruntime jumps to its deadline), which also raises the run queue's average.
/// </summary>
public sealed class syscalls_tests
{
    private const long Ms = 1_000_000;

    private static List<string> Switches(KernelRig rig) =>
        rig.K.trace.entries.Where(e => e.Event == "sched_switch" && !e.Text.Contains("ksoftirqd", System.StringComparison.Ordinal))
            .Select(e => e.Text[(e.Text.IndexOf("prev_comm=", System.StringComparison.Ordinal) + 10)..])
            .Select(t => $"{t[..t.IndexOf(' ')]} {t[(t.IndexOf("prev_state=", System.StringComparison.Ordinal) + 11)..t.IndexOf(" ==>", System.StringComparison.Ordinal)]} > {t[(t.IndexOf("next_comm=", System.StringComparison.Ordinal) + 10)..t.IndexOf(" next_pid", System.StringComparison.Ordinal)]}")
            .ToList();

    [Fact]
    public void a_task_alone_on_its_cpu_yields_without_a_switch_and_keeps_its_vruntime()
    {
        var rig = new KernelRig(cpus: 1);
        var syscalls = new SyscallTable(rig.K);
        Assert.Equal(0, rig.K.trace.set_event("sched:sched_switch"));
        long before = 0, after = 0, deadline = 0;
        var solo = syscalls.Spawn("solo", 0, rig.K.init_net, async libc =>
        {
            var se = rig.K.current.se;
            (before, deadline) = (se.vruntime, se.deadline);
            Assert.Equal(0, await libc.SchedYield());
            after = se.vruntime;
        });
        rig.Run(10 * Ms);
        Assert.Equal(TaskState.Dead, solo.State);
        Assert.Equal(0, solo.Nivcsw);
        Assert.Equal(["solo X > swapper/0"], Switches(rig).Where(s => s.StartsWith("solo", System.StringComparison.Ordinal)));
        Assert.True(after < deadline, $"vruntime {before} -> {after}, deadline {deadline}: nothing to forfeit to");
    }

    [Fact]
    public void a_yield_gives_the_cpu_to_the_runnable_thread_before_it_returns()
    {
        // the thread is new (WF_FORK: no preemption), so the parent runs on until it yields; having
        // run ahead of the thread placed at the average, it is not eligible, and the thread runs
        var rig = new KernelRig(cpus: 1);
        var syscalls = new SyscallTable(rig.K);
        Assert.Equal(0, rig.K.trace.set_event("sched:sched_switch"));
        var log = new List<string>();
        SimTask? parent = null;
        parent = syscalls.Spawn("parent", 0, rig.K.init_net, async libc =>
        {
            syscalls.SpawnThread(parent!, "thread", 0, _ =>
            {
                log.Add("thread");
                return System.Threading.Tasks.Task.CompletedTask;
            });
            Assert.Equal(0, await libc.SchedYield());
            log.Add("parent");
        });
        rig.Run(10 * Ms);
        Assert.Equal(["thread", "parent"], log);
        Assert.Contains("parent R > thread", Switches(rig));
        Assert.Equal(1, parent.Nivcsw);
    }

    /// <summary>Two tasks queued by hand on a run queue of their own, <paramref name="a"/> running: nothing runs the machine, so no time passes.</summary>
    private static (KernelNet.Kernel.Kernel.Sched.rq Rq, task_struct A, task_struct B) TwoQueued(KernelRig rig)
    {
        var syscalls = new SyscallTable(rig.K);
        var a = rig.K.task_of(syscalls.Spawn("a", 0, rig.K.init_net, _ => System.Threading.Tasks.Task.CompletedTask));
        var b = rig.K.task_of(syscalls.Spawn("b", 0, rig.K.init_net, _ => System.Threading.Tasks.Task.CompletedTask));
        var rq = new KernelNet.Kernel.Kernel.Sched.rq();
        fair_c.enqueue_task_fair(rig.K, rq, a, 0);
        fair_c.set_next_task_fair(rig.K, rq, a, true);
        rq.curr = a;
        fair_c.enqueue_task_fair(rig.K, rq, b, 0);
        return (rq, a, b);
    }

    [Fact]
    public void an_eligible_yielder_moves_its_vruntime_to_its_deadline_and_the_other_task_is_picked()
    {
        var rig = new KernelRig(cpus: 1);
        var (rq, a, b) = TwoQueued(rig);
        var (vruntime, deadline, slice) = (a.se.vruntime, a.se.deadline, a.se.slice);
        Assert.True(fair_c.entity_eligible(rq.cfs, a.se));
        Assert.Equal(a, fair_c.pick_task_fair(rig.K, rq));

        fair_c.yield_task_fair(rig.K, rq);

        Assert.True(deadline > vruntime);
        Assert.Equal(deadline, a.se.vruntime);
        Assert.Equal(deadline + slice, a.se.deadline);
        Assert.False(fair_c.entity_eligible(rq.cfs, a.se));
        Assert.Equal(b, fair_c.pick_task_fair(rig.K, rq));
    }

    [Fact]
    public void an_ineligible_yielder_keeps_its_vruntime_and_deadline()
    {
        var rig = new KernelRig(cpus: 1);
        var (rq, a, _) = TwoQueued(rig);

        // a ran ahead of b: past the average, it is owed nothing and has nothing to forfeit
        a.se.vruntime += 100_000;
        var (vruntime, deadline) = (a.se.vruntime, a.se.deadline);
        Assert.False(fair_c.entity_eligible(rq.cfs, a.se));

        fair_c.yield_task_fair(rig.K, rq);

        Assert.Equal((vruntime, deadline), (a.se.vruntime, a.se.deadline));
    }
}
