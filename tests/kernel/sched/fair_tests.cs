using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Kernel.Sched;

/// <summary>
/// kernel/sched/fair.c's EEVDF and kernel/sched/core.c's wakeup preemption, seen through the
/// sched_switch events two tasks on one CPU produce: a reader blocked on a pipe, and a writer that
/// computes in user space before it writes.
/// </summary>
public sealed class fair_tests
{
    private const long Ms = 1_000_000;

    /// <summary>
    /// Runs the reader (blocks in read on the pipe) and the writer (computes <paramref name="computeNs"/>,
    /// writes one byte, computes 1 µs more, writes "after" to its log) on CPU 0; the switches traced.
    /// </summary>
    private static (List<string> Switches, List<string> Log, SimTask Writer) Run(long computeNs) => Run(computeNs, out _);

    private static (List<string> Switches, List<string> Log, SimTask Writer) Run(long computeNs, out string queued)
    {
        var q = "";
        var rig = new KernelRig(cpus: 1);
        var syscalls = new SyscallTable(rig.K);
        Assert.Equal(0, rig.K.trace.set_event("sched:sched_switch"));
        var log = new List<string>();
        var fds = new int[2];
        var reader = syscalls.Spawn("reader", 0, rig.K.init_net, async libc =>
        {
            Assert.Equal(0, await libc.Pipe2(fds, 0));
            var buf = new byte[1];
            Assert.Equal(1, await libc.Read(fds[0], buf, 1));
            log.Add("read");
        });
        // a thread of the reader's process: the same file table, so the same pipe
        var writer = syscalls.SpawnThread(reader, "writer", 0, async libc =>
        {
            rig.Machine.Cpus[0].Charge(computeNs);
            var rq = rig.K.per_cpu(0).runqueues;
            q = string.Join(",", rq.cfs.tasks_timeline.Select(se => $"{rq.cfs.task_of[se].task.Comm}{(se.sched_delayed ? "(delayed)" : "")}"));
            Assert.Equal(1, await libc.Write(fds[1], new byte[1], 1));
            rig.Machine.Cpus[0].Charge(1_000);
            log.Add("after write");
        });
        rig.Run(100 * Ms);
        Assert.Equal(TaskState.Dead, reader.State);
        Assert.Equal(TaskState.Dead, writer.State);
        var switches = rig.K.trace.entries.Where(e => e.Event == "sched_switch" && !e.Text.Contains("ksoftirqd", System.StringComparison.Ordinal))
            .Select(e => e.Text[(e.Text.IndexOf("prev_comm=", System.StringComparison.Ordinal) + 10)..])
            .Select(t => $"{t[..t.IndexOf(' ')]} {t[(t.IndexOf("prev_state=", System.StringComparison.Ordinal) + 11)..t.IndexOf(" ==>", System.StringComparison.Ordinal)]} > {t[(t.IndexOf("next_comm=", System.StringComparison.Ordinal) + 10)..t.IndexOf(" next_pid", System.StringComparison.Ordinal)]}")
            .ToList();
        queued = q;
        return (switches, log, writer);
    }

    [Fact]
    public void a_writer_that_ran_past_its_slice_gives_way_to_the_reader_it_woke_on_its_way_back_to_user_space()
    {
        // 2 ms is past the writer's deadline: update_curr gives it a new one and asks for a reschedule;
        // the wakeup only sets TIF_NEED_RESCHED, so the write returns first, and exit_to_user_mode_loop
        // switches to the reader with the writer still runnable (R)
        var (switches, log, writer) = Run(2 * Ms);
        Assert.Equal(["read", "after write"], log);
        Assert.Equal(
            ["reader S > writer", "writer R > reader", "reader X > writer", "writer X > swapper/0"],
            switches);
        Assert.Equal(1, writer.Nivcsw);
    }

    [Fact]
    public void a_wakeup_does_not_preempt_when_the_eevdf_pick_is_a_delayed_sleeper_rather_than_the_wakee()
    {
        // 10 µs is well inside the writer's slice. The reader and ksoftirqd/0 went to sleep behind the
        // average, so both stay queued as delayed (DELAY_DEQUEUE); the write requeues the reader at lag
        // 0, and check_preempt_wakeup_fair asks __pick_eevdf, which picks the eligible ksoftirqd/0 with
        // the earlier deadline: not the reader, so no preemption (6.18.26 leaves a delayed pick queued
        // here; only pick_next_entity dequeues one), and the writer finishes first
        var (switches, log, writer) = Run(10_000, out var queued);
        Assert.Equal("ksoftirqd/0(delayed),reader(delayed)", queued);
        Assert.Equal(["after write", "read"], log);
        Assert.Equal(["reader S > writer", "writer X > reader", "reader X > swapper/0"], switches);
        Assert.Equal(0, writer.Nivcsw);
    }

    [Fact]
    public void a_new_thread_does_not_preempt_the_task_that_started_it()
    {
        // wake_up_new_task wakes with WF_FORK: check_preempt_wakeup_fair leaves the running task be
        var rig = new KernelRig(cpus: 1);
        var syscalls = new SyscallTable(rig.K);
        var log = new List<string>();
        SimTask? parent = null;
        parent = syscalls.Spawn("parent", 0, rig.K.init_net, async libc =>
        {
            syscalls.SpawnThread(parent!, "child", 0, c =>
            {
                log.Add("child");
                return System.Threading.Tasks.Task.CompletedTask;
            });
            Assert.Equal(0, await libc.Pipe2(new int[2], 0));
            log.Add("parent");
        });
        rig.Run(100 * Ms);
        Assert.Equal(["parent", "child"], log);
        Assert.Equal(0, parent.Nivcsw);
    }
}
