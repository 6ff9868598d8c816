// Ports kernel/irq/manage.c: installing and removing interrupt handlers, and
// the affinity /proc/irq/N/smp_affinity sets.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Kernel.Irq;

public static class manage_c
{
    // kernel/irq/manage.c: request_threaded_irq
    /// <summary>Installs <paramref name="handler"/> on line <paramref name="irq"/> (no threaded half here).</summary>
    public static int request_threaded_irq(Vmlinux k, int irq, irq_handler_t handler, string devname, object? dev_id)
    {
        // not ported: local_irq_save, local_irq_restore, disable_irq, enable_irq — CONFIG_DEBUG_SHIRQ_FIXME's test call of a shared handler; not configured
        // not ported: irq_chip_pm_get, irq_chip_pm_put — no runtime power management of interrupt chips
        // not ported: __setup_irq, kzalloc, kfree — written out for one non-shared, non-threaded action: a busy line is -EBUSY, else the irqaction is installed
        // not ported: irq_to_desc — the descriptor is looked up in (or added to) k.irq_descs, the port's sparse irq table
        if (!k.irq_descs.TryGetValue(irq, out var desc))
        {
            desc = new irq_desc(irq, k.nr_cpu_ids);
            k.irq_descs.Add(irq, desc);
        }

        if (desc.action is not null)
        {
            return -errno_base_h.EBUSY;
        }

        desc.action = new irqaction(handler, dev_id, devname);
        return 0;
    }

    // kernel/irq/manage.c: free_irq
    public static void free_irq(Vmlinux k, int irq, object? dev_id)
    {
        // not ported: __free_irq, kfree — written out: the matching action is removed (no shared lines, no thread to stop, and no handler can be running on another CPU at the same time in one thread)
        // not ported: irq_to_desc — the descriptor is looked up in k.irq_descs
        if (k.irq_descs.TryGetValue(irq, out var desc) && desc.action?.dev_id == dev_id)
        {
            desc.action = null;
        }
    }

    // kernel/irq/manage.c: irq_set_affinity
    /// <summary>Which CPUs the line may interrupt (RX-7): programs the interrupt controller.</summary>
    public static int irq_set_affinity(Vmlinux k, int irq, ulong cpumask)
    {
        // not ported: __irq_set_affinity — the modelled interrupt controller takes the mask directly (no irq_data/chip affinity callbacks or effective-affinity bookkeeping)
        k.machine.Interrupts.SetAffinity(irq, cpumask);
        return 0;
    }
}
