// Ports fs/proc/softirqs.c: /proc/softirqs, per-CPU counts of each softirq
// (RX-7: NET_RX far above NET_TX, TX-8: TX completion counted under NET_RX).
using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Fs.Proc;

public static class softirqs_c
{
    // fs/proc/softirqs.c: show_softirqs
    /// <summary>The file's text: a header of CPUs, then one line per softirq.</summary>
    public static string show_softirqs(Vmlinux k)
    {
        var p = new StringBuilder();
        p.Append("                    ");
        for (var i = 0; i < k.nr_cpu_ids; i++)
        {
            p.Append(string.Create(CultureInfo.InvariantCulture, $"CPU{i,-8}"));
        }

        p.Append('\n');
        for (var i = 0; i < interrupt_h.NR_SOFTIRQS; i++)
        {
            p.Append(string.Create(CultureInfo.InvariantCulture, $"{interrupt_h.softirq_to_name[i] + ":",12}"));
            for (var j = 0; j < k.nr_cpu_ids; j++)
            {
                p.Append(string.Create(CultureInfo.InvariantCulture, $" {k.per_cpu(j).softirqs[i],10}"));
            }

            p.Append('\n');
        }

        return p.ToString();
    }
}
