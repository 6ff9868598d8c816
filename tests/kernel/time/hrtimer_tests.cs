using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Time;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Kernel.Time;

public sealed class hrtimer_tests
{
    // A soft hrtimer fires at its nanosecond expiry (not at a jiffy edge), from HRTIMER_SOFTIRQ, on the
    // CPU that armed it; several run in expiry order, whatever order they were armed in.
    [Fact]
    public void soft_hrtimers_fire_at_their_nanosecond_expiry_in_order_from_HRTIMER_SOFTIRQ()
    {
        var rig = new KernelRig();
        var fired = new List<(string Name, long At, int Cpu, bool InSoftirq)>();
        hrtimer Make(string name)
        {
            var t = new hrtimer();
            hrtimer_c.hrtimer_setup(t, _ =>
            {
                fired.Add((name, rig.K.ktime_get_ns(), rig.K.smp_processor_id(), KernelNet.Kernel.Include.Linux.preempt_h.in_softirq(rig.K)));
                return hrtimer_restart.HRTIMER_NORESTART;
            }, hrtimer_h.HRTIMER_MODE_ABS_PINNED_SOFT);
            return t;
        }

        var late = Make("late");
        var early = Make("early");
        rig.Machine.CreateTask("armer", 1, _ =>
        {
            var now = rig.K.ktime_get_ns();
            hrtimer_h.hrtimer_start(rig.K, late, now + 1_500_000, hrtimer_h.HRTIMER_MODE_ABS_PINNED_SOFT);
            hrtimer_h.hrtimer_start(rig.K, early, now + 250_000, hrtimer_h.HRTIMER_MODE_ABS_PINNED_SOFT);
            Assert.True(hrtimer_h.hrtimer_is_queued(early));
            return Task.CompletedTask;
        });

        rig.Run(10_000_000);

        Assert.Equal(2, fired.Count);
        Assert.Equal("early", fired[0].Name);
        Assert.InRange(fired[0].At, 250_000, 260_000);
        Assert.Equal("late", fired[1].Name);
        Assert.InRange(fired[1].At, 1_500_000, 1_510_000);
        Assert.All(fired, f => Assert.Equal(1, f.Cpu));
        Assert.All(fired, f => Assert.True(f.InSoftirq));
        Assert.False(hrtimer_h.hrtimer_is_queued(early));
        Assert.Equal(2, rig.K.per_cpu(1).softirqs[(int)softirq_nr.HRTIMER_SOFTIRQ]);
    }

    // A cancelled hrtimer does not fire; hrtimer_try_to_cancel says whether it was queued.
    [Fact]
    public void a_cancelled_hrtimer_does_not_fire()
    {
        var rig = new KernelRig();
        var fired = 0;
        var t = new hrtimer();
        hrtimer_c.hrtimer_setup(t, _ =>
        {
            fired++;
            return hrtimer_restart.HRTIMER_NORESTART;
        }, hrtimer_h.HRTIMER_MODE_ABS_PINNED_SOFT);
        var results = new List<int>();
        rig.Machine.CreateTask("armer", 0, _ =>
        {
            hrtimer_h.hrtimer_start(rig.K, t, rig.K.ktime_get_ns() + 100_000, hrtimer_h.HRTIMER_MODE_ABS_PINNED_SOFT);
            results.Add(hrtimer_c.hrtimer_try_to_cancel(rig.K, t));
            results.Add(hrtimer_c.hrtimer_try_to_cancel(rig.K, t));
            return Task.CompletedTask;
        });

        rig.Run(10_000_000);

        Assert.Equal(new[] { 1, 0 }, results);
        Assert.Equal(0, fired);
    }
}
