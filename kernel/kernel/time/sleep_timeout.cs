// Ports kernel/time/sleep_timeout.c: sleeping with a timeout on top of the
// timer wheel (timer.cs).
//
// not ported: the schedule_timeout_{interruptible,killable,uninterruptible,idle}
// wrappers, hrtimer sleeps, msleep/usleep_range — nothing in the network
// stack's simulated paths calls them.
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.sched_h;
using static KernelNet.Kernel.Kernel.Sched.core_c;
using static KernelNet.Kernel.Kernel.Time.timer_c;

namespace KernelNet.Kernel.Kernel.Time;

public static class sleep_timeout_c
{
    // not ported: timer_container_of — the timer's owner field holds the sleeping task (the container_of of the on-stack timer)
    // kernel/time/sleep_timeout.c: process_timeout
    private static void process_timeout(Vmlinux k, timer_list t) => wake_up_process(k, (task_struct)t.owner!);

    // kernel/time/sleep_timeout.c: schedule_timeout
    /// <summary>
    /// Sleeps until woken or <paramref name="timeout"/> jiffies pass; returns
    /// the jiffies left (0 when the time ran out). The caller sets the task
    /// state first, as in C.
    /// </summary>
    [MightSleep]
    public static async Task<long> schedule_timeout(Vmlinux k, long timeout)
    {
        // not ported: timer_setup_on_stack, timer_destroy_on_stack — the timer is a managed object made for this sleep (no on-stack debug objects)
        if (timeout == MAX_SCHEDULE_TIMEOUT)
        {
            await schedule(k);
            return timeout;
        }

        if (timeout < 0)
        {
            __set_current_state(k, TASK_RUNNING);
            return 0;
        }

        var expire = k.jiffies + (ulong)timeout;
        var timer = new timer_list(t => process_timeout(k, t)) { owner = k.current };
        timer.expires = expire;
        add_timer(k, timer);
        await schedule(k);
        timer_delete_sync(timer);

        var left = (long)(expire - k.jiffies);
        return left < 0 ? 0 : left;
    }
}
