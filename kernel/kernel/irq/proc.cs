// Ports kernel/irq/proc.c: /proc/interrupts (show_interrupts) and
// /proc/irq/N/smp_affinity.
using System.Globalization;
using System.Linq;
using System.Text;

namespace KernelNet.Kernel.Kernel.Irq;

public static class proc_c
{
    // kernel/irq/proc.c: show_interrupts
    /// <summary>/proc/interrupts: a header of CPUs, then per line its per-CPU counts, chip and handler name (RX-7).</summary>
    public static string show_interrupts(Vmlinux k)
    {
        // not ported: arch_show_interrupts — the x86 rows after the device lines (NMI, LOC, RES, CAL, ...) are not ported: the oracle compares the device lines
        // not ported: irq_to_desc, irq_get_nr_irqs — the lines are the k.irq_descs table, walked in irq order
        var p = new StringBuilder();
        p.Append("           ");
        for (var j = 0; j < k.nr_cpu_ids; j++)
        {
            p.Append(string.Create(CultureInfo.InvariantCulture, $"CPU{j,-8}"));
        }

        p.Append('\n');
        foreach (var desc in k.irq_descs.Values.OrderBy(d => d.irq))
        {
            if (desc.action is null)
            {
                continue;
            }

            p.Append(string.Create(CultureInfo.InvariantCulture, $"{desc.irq,3}: "));
            for (var j = 0; j < k.nr_cpu_ids; j++)
            {
                p.Append(string.Create(CultureInfo.InvariantCulture, $"{desc.kstat_irqs[j],10} "));
            }

            p.Append(string.Create(CultureInfo.InvariantCulture, $" {desc.chip_name,-8}  {desc.action.name}\n"));
        }

        return p.ToString();
    }

    // not ported: show_irq_affinity — written out: the modelled interrupt controller's mask in hex
    // kernel/irq/proc.c: irq_affinity_proc_show
    /// <summary>/proc/irq/N/smp_affinity: the CPU mask in hex.</summary>
    public static string irq_affinity_proc_show(Vmlinux k, int irq) =>
        k.machine.Interrupts.GetAffinity(irq).ToString("x", CultureInfo.InvariantCulture) + "\n";
}
