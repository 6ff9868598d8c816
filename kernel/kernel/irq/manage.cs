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
        if (k.irq_descs.TryGetValue(irq, out var desc) && desc.action?.dev_id == dev_id)
        {
            desc.action = null;
        }
    }

    // kernel/irq/manage.c: irq_set_affinity
    /// <summary>Which CPUs the line may interrupt (RX-7): programs the interrupt controller.</summary>
    public static int irq_set_affinity(Vmlinux k, int irq, ulong cpumask)
    {
        k.machine.Interrupts.SetAffinity(irq, cpumask);
        return 0;
    }
}
