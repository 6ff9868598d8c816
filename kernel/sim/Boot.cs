using KernelNet.Kernel.Arch.X86.Kernel;
using static KernelNet.Kernel.Kernel.softirq_c;
using static KernelNet.Kernel.Kernel.Time.timer_c;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Kernel;

/// <summary>
/// start_kernel, reduced to what the network stack needs: install the
/// interrupt entry, open the softirqs, spawn ksoftirqd. Subsystems with their
/// own init (IPv4, UDP, drivers) register from <see cref="Initcalls"/>.
/// </summary>
public static class Boot
{
    /// <summary>Boots a kernel on <paramref name="machine"/>.</summary>
    public static Vmlinux Start(Machine.Machine machine)
    {
        var k = new Vmlinux(machine);
        machine.InterruptEntry = (cpu, vector) => irq_c.common_interrupt(k, vector);
        for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
        {
            KernelNet.Kernel.Arch.X86.Kernel.Apic.apic_c.setup_APIC_timer(k, cpu);
        }

        machine.ContextSwitchHook = (cpu, prev, state, next) => KernelNet.Kernel.Kernel.Sched.core_c.__schedule(k, prev, state, next);
        machine.PickNextHook = (cpu, prev, state) => KernelNet.Kernel.Kernel.Sched.core_c.schedule_block_and_pick(k, cpu, prev, state);
        machine.TaskCreatedHook = t => KernelNet.Kernel.Kernel.Sched.core_c.wake_up_new_task(k, k.task_of(t));
        softirq_init(k);
        timers_init(k);
        KernelNet.Kernel.Kernel.Rcu.tree_c.rcu_init(k);
        KernelNet.Kernel.Kernel.Time.hrtimer_c.hrtimers_init(k);
        spawn_ksoftirqd(k);
        net_dev_init(k);

        // vfs_caches_init: the dentry and file caches; sock_init is the first (core) initcall.
        KernelNet.Kernel.Fs.dcache_c.dcache_init(k);
        KernelNet.Kernel.Fs.file_table_c.files_init(k);
        KernelNet.Kernel.Mm.shmem_c.shmem_init(k);
        KernelNet.Kernel.Net.socket_c.sock_init(k);
        foreach (var init in Initcalls.All)
        {
            init(k);
        }

        return k;
    }
}
