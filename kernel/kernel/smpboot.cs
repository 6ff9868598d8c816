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
