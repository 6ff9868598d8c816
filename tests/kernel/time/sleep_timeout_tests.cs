using KernelNet.Kernel.Include.Linux;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Kernel.Time.sleep_timeout_c;

namespace KernelNet.Tests.Kernel.Time;

public sealed class sleep_timeout_tests
{
    private const long NsPerJiffy = 4_000_000;

    // IO-1's timed half: a task sleeping with a timeout leaves the CPU and is
    // woken by the timer.
    [Fact]
    public void schedule_timeout_sleeps_until_the_timer_and_returns_zero()
    {
        var rig = new KernelRig();
        long left = -1;
        long sleptNs = 0;
        var t = rig.Machine.CreateTask("sleeper", 0, async _ =>
        {
            var start = rig.K.ktime_get_ns();
            sched_h.set_current_state(rig.K, sched_h.TASK_INTERRUPTIBLE);
            left = await schedule_timeout(rig.K, 25);
            sleptNs = rig.K.ktime_get_ns() - start;
        });

        rig.Run(1_000_000_000);

        Assert.Equal(0, left);
        Assert.InRange(sleptNs, 25 * NsPerJiffy, 27 * NsPerJiffy);
        Assert.Equal(1, t.Nvcsw);
    }
}
