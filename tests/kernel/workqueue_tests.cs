using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Kernel;

public sealed class workqueue_tests
{
    // A work item queued on system_bh_wq runs once, in softirq context (TASKLET_SOFTIRQ) on the queueing CPU,
    // however often it is queued while pending; once it has started it may be queued again.
    [Fact]
    public void a_bh_work_item_runs_once_from_TASKLET_SOFTIRQ_however_often_it_is_queued_while_pending()
    {
        var rig = new KernelRig();
        var runs = new List<(int Cpu, bool InSoftirq)>();
        var queued = new List<bool>();
        var work = new work_struct();
        workqueue_h.INIT_WORK(work, _ => runs.Add((rig.K.smp_processor_id(), KernelNet.Kernel.Include.Linux.preempt_h.in_softirq(rig.K))));
        rig.Machine.CreateTask("queuer", 1, _ =>
        {
            queued.Add(workqueue_h.queue_work(rig.K, workqueue_c.system_bh_wq(rig.K), work));
            queued.Add(workqueue_h.queue_work(rig.K, workqueue_c.system_bh_wq(rig.K), work));
            return Task.CompletedTask;
        });

        rig.Run(10_000_000);

        Assert.Equal(new[] { true, false }, queued);
        Assert.Single(runs);
        Assert.Equal(1, runs[0].Cpu);
        Assert.True(runs[0].InSoftirq);
        Assert.False(work.pending);
        Assert.Equal(1, rig.K.per_cpu(1).softirqs[(int)softirq_nr.TASKLET_SOFTIRQ]);
    }
}
