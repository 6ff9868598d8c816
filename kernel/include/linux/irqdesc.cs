// Ports include/linux/irqdesc.h: struct irq_desc, one per interrupt line.
namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct irq_desc: the line's handler and its per-CPU counts (<c>/proc/interrupts</c>).</summary>
public sealed class irq_desc
{
    public irq_desc(int irq, int nr_cpus)
    {
        this.irq = irq;
        kstat_irqs = new long[nr_cpus];
    }

    /// <summary>The Linux IRQ number (here the vector the machine raises).</summary>
    public int irq { get; }

    public irqaction? action { get; set; }

    /// <summary>Per-CPU count of handled interrupts.</summary>
    public long[] kstat_irqs { get; }

    /// <summary>Name of the irq chip for /proc/interrupts.</summary>
    public string chip_name { get; set; } = "IR-PCI-MSIX";
}
