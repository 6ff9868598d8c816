using System.Threading.Tasks;
using KernelNet.Machine;
using Xunit;

namespace KernelNet.Tests.Machine;

public sealed class MachineTests
{
    // demonstrates IO-1's mechanism: a task that sleeps leaves the CPU (one
    // voluntary context switch) and runs again only when woken.
    [Fact]
    public void a_sleeping_task_resumes_after_wakeup_and_counts_a_voluntary_switch()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 2);
        var steps = new System.Collections.Generic.List<string>();
        SimTask? sleeper = null;
        sleeper = m.CreateTask("sleeper", 0, async t =>
        {
            steps.Add("before");
            t.State = TaskState.Interruptible;
            await m.Sleep(t);
            steps.Add("after");
        });
        m.At(5_000_000, () => m.WakeUp(sleeper));

        m.Run();

        Assert.Equal(new[] { "before", "after" }, steps);
        Assert.Equal(1, sleeper.Nvcsw);
        Assert.Equal(TaskState.Dead, sleeper.State);
    }

    [Fact]
    public void a_task_woken_before_it_sleeps_does_not_leave_the_cpu()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 1);
        var t1 = m.CreateTask("t", 0, async t =>
        {
            t.State = TaskState.Interruptible;
            m.WakeUp(t);
            await m.Sleep(t);
        });

        m.Run();

        Assert.Equal(0, t1.Nvcsw);
    }

    [Fact]
    public void interrupts_go_to_the_lowest_cpu_of_their_affinity()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 2);
        var v = m.Interrupts.AllocateVector();
        int? seenOn = null;
        m.InterruptEntry = (cpu, vector) => seenOn = cpu.Id;

        m.Interrupts.SetAffinity(v, 0b10);
        m.Interrupts.Raise(v, 100);
        m.Run();

        Assert.Equal(1, seenOn);
    }

    [Fact]
    public void a_faulted_task_body_surfaces_when_the_machine_runs()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 1);
        m.CreateTask("bad", 0, _ => Task.FromException(new System.InvalidOperationException("boom")));

        var ex = Assert.Throws<System.InvalidOperationException>(() => m.Run());
        Assert.Contains("boom", ex.Message, System.StringComparison.Ordinal);
    }
    // issue 16: the local APIC timer holds one deadline; re-arming replaces it.
    [Fact]
    public void re_arming_the_local_timer_replaces_its_deadline_instead_of_queueing_another()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 1);
        var fired = new System.Collections.Generic.List<long>();
        m.InterruptEntry = (cpu, vector) => fired.Add(cpu.Clock);

        for (var i = 0; i < 1000; i++)
        {
            m.Interrupts.ArmLocalTimer(0, 4_000_000 + (i % 3) * 1_000);
        }

        Assert.Equal(1, m.PendingInterruptCount(0));
        m.Run();

        Assert.Single(fired);
        Assert.Equal(0, m.PendingInterruptCount(0));
    }

    [Fact]
    public void a_stopped_local_timer_never_fires()
    {
        var m = new KernelNet.Machine.Machine(new Simulator(), 1);
        var fired = 0;
        m.InterruptEntry = (cpu, vector) => fired++;

        m.Interrupts.ArmLocalTimer(0, 4_000_000);
        m.Interrupts.StopLocalTimer(0);
        m.Run();

        Assert.Equal(0, fired);
        Assert.Equal(0, m.PendingInterruptCount(0));
    }
}
