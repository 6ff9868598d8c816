using System.Globalization;
using System.IO;
using System.Text;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Scenarios.Demos;

/// <summary>Builds a run's report: the trace in tracefs format, then the counter files in the kernel's formats.</summary>
public sealed class Report
{
    private readonly StringBuilder _sb = new();

    public Report Title(string title)
    {
        _sb.Append("# ").Append(title).Append('\n');
        return this;
    }

    public Report Section(string heading, string body)
    {
        _sb.Append("\n## ").Append(heading).Append('\n').Append(body);
        if (body.Length > 0 && body[^1] != '\n')
        {
            _sb.Append('\n');
        }

        return this;
    }

    public Report Trace(Vmlinux k)
    {
        using var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        k.trace.print(w);
        return Section("trace (/sys/kernel/tracing/trace)", w.ToString());
    }

    public Report CpuCounters(Vmlinux k)
    {
        Section("/proc/softirqs", KernelNet.Kernel.Fs.Proc.softirqs_c.show_softirqs(k));
        Section("/proc/interrupts", KernelNet.Kernel.Kernel.Irq.proc_c.show_interrupts(k));
        return Section("/proc/net/softnet_stat", KernelNet.Kernel.Net.Core.net_procfs_c.softnet_seq_show(k));
    }

    /// <summary>The namespace's device counters: /proc/net/dev, then each device's `ip -s -s link` statistics.</summary>
    public Report Devices(net ns)
    {
        Section($"{ns.name}: /proc/net/dev", KernelNet.Kernel.Net.Core.net_procfs_c.dev_seq_show(ns));
        foreach (var dev in ns.dev_base_head)
        {
            Section($"{ns.name}: ip -s -s link show {dev.name} (statistics)", KernelNet.Scenarios.Output.IpLink.Statistics(dev, 2));
        }

        return this;
    }

    /// <summary>The namespace's TCP sockets: `ss -tan` and /proc/net/tcp.</summary>
    public Report Sockets(net ns)
    {
        Section($"{ns.name}: ss -tan", KernelNet.Scenarios.Output.Ss.Format(ns));
        return Section($"{ns.name}: /proc/net/tcp", KernelNet.Kernel.Net.Ipv4.tcp_ipv4_c.tcp4_seq_show(ns));
    }

    /// <summary>/proc/slabinfo: the kernel's slab caches (the TCP socket's among them).</summary>
    public Report Slab(Vmlinux k) => Section("/proc/slabinfo", KernelNet.Kernel.Mm.slab_common_c.slab_show(k));

    public Report Tasks(Vmlinux k)
    {
        var sb = new StringBuilder();
        sb.Append("comm             pid  nvcsw  nivcsw\n");
        foreach (var t in k.machine.Tasks)
        {
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{t.Comm,-15} {t.Pid,4} {t.Nvcsw,6} {t.Nivcsw,7}\n"));
        }

        return Section("tasks (context switches)", sb.ToString());
    }

    public override string ToString() => _sb.ToString();
}
