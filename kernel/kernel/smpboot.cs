// Ports kernel/smpboot.c: per-CPU kernel threads (ksoftirqd/N) and their loop.
//
// not ported: CPU hotplug parking and the setup/cleanup callbacks.
using System;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.sched_h;
using static KernelNet.Kernel.Kernel.Sched.core_c;

namespace KernelNet.Kernel.Kernel;

public static class smpboot_c
{
    // kernel/smpboot.c: smpboot_thread_fn
    /// <summary>
    /// A per-CPU kthread's life: sleep until woken, then call thread_fn while
    /// thread_should_run says there is work.
    /// </summary>
    private static async Task smpboot_thread_fn(Vmlinux k, task_struct self, int cpu)
    {
        // not ported: kfree, smp_processor_id — the stop and park paths (hotplug) are not ported; the CPU check is only a BUG_ON
        // not ported: preempt_disable, preempt_enable, preempt_enable_no_resched — a simulated task is not preempted between the check and the sleep, so the preempt-off window that closes that race is not needed
        while (true)
        {
            set_current_state(k, TASK_INTERRUPTIBLE);
            if (!self.thread_should_run!(cpu))
            {
                await schedule(k);
                continue;
            }

            __set_current_state(k, TASK_RUNNING);
            self.thread_fn!(cpu);
        }
    }

    // kernel/smpboot.c: smpboot_register_percpu_thread
    /// <summary>Creates one thread per CPU, named from <paramref name="thread_comm"/> ("ksoftirqd/{0}").</summary>
    public static void smpboot_register_percpu_thread(
        Vmlinux k,
        string thread_comm,
        Func<int, bool> thread_should_run,
        Action<int> thread_fn,
        Action<int, task_struct> store)
    {
        // not ported: smpboot_destroy_threads — creating a simulated task cannot fail, so there is no unwind
        // not ported: __smpboot_create_thread, smpboot_unpark_thread — each CPU's task is created runnable by the machine (CreateTask) and bound to its CPU: no parking (see the file header)
        for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
        {
            var c = cpu;
            task_struct? ts = null;
            var t = k.machine.CreateTask(string.Format(System.Globalization.CultureInfo.InvariantCulture, thread_comm, cpu), cpu, _ => smpboot_thread_fn(k, ts!, c));
            ts = k.task_of(t);
            ts.thread_should_run = thread_should_run;
            ts.thread_fn = thread_fn;
            store(cpu, ts);
        }
    }
}
