using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KernelNet.Kernel;
using KernelNet.Kernel.Include.Net;
using KernelNet.Scenarios.Journey;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Scenarios.Demos;

/// <summary>
/// Builds a run's report: the trace in tracefs format, then the counter files in the kernel's
/// formats. Unless <paramref name="allCounters"/>, counters that stayed zero are left out: table
/// rows and ethtool lines that are all zero, devices that moved nothing, and the SNMP MIBs as
/// <c>nstat</c> prints them (non-zero counters only).
/// </summary>
public sealed class Report(bool allCounters = true)
{
    private readonly StringBuilder _sb = new();

    /// <summary>Whether counters that stayed zero are printed.</summary>
    public bool AllCounters => allCounters;

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

    /// <summary>
    /// The trace with a HOST column in front of each event (tracefs has none, and two hosts may
    /// both have an eth0): the host whose task ran the event, or in interrupt context the host
    /// whose NIC raised the last interrupt on that CPU; <c>-</c> when neither says.
    /// </summary>
    public Report Trace(string trace, HostResolver hosts, int? cpu = null, string? task = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(hosts);
        var sb = new StringBuilder();
        sb.Append("# HOST: the host each event ran for (added by kernelnet; the other columns are tracefs's)\n");
        foreach (var line in trace.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var e = TraceEvent.Parse(line);

            // every event feeds the host tracker, also those the CPU or task filter leaves out
            var host = e is null ? null : hosts.Observe(e);
            if (e is not null && ((cpu is { } c && e.Cpu != c) || (task is { } t && !JourneyFilter.TaskMatches(e, t))))
            {
                continue;
            }

            sb.Append(e is null ? "#     " : $"{host ?? "-",-5} ").Append(e is null ? line.TrimStart('#') : line).Append('\n');
        }

        return Section("trace (/sys/kernel/tracing/trace, with a HOST column)", sb.ToString());
    }

    public Report CpuCounters(Vmlinux k, IReadOnlyDictionary<int, string>? irqHosts = null)
    {
        Section("/proc/softirqs", NonZeroRows(KernelNet.Kernel.Fs.Proc.softirqs_c.show_softirqs(k), 1));
        var interrupts = KernelNet.Kernel.Kernel.Irq.proc_c.show_interrupts(k);
        if (irqHosts is not null)
        {
            interrupts = string.Concat(interrupts.Split('\n').Select((l, i) => l.Length == 0 ? "" : i == 0 ? $"{l} HOST\n" : $"{l}  {IrqHost(l, irqHosts)}\n"));
        }

        Section(irqHosts is null ? "/proc/interrupts" : "/proc/interrupts (with a HOST column)", NonZeroRows(interrupts, 1, skipLast: irqHosts is null ? 2 : 3));
        return Section("/proc/net/softnet_stat", KernelNet.Kernel.Net.Core.net_procfs_c.softnet_seq_show(k));
    }

    /// <summary>The namespace's device counters: /proc/net/dev, then each device's `ip -s -s link` statistics.</summary>
    public Report Devices(net ns)
    {
        Section($"{ns.name}: /proc/net/dev", NonZeroRows(KernelNet.Kernel.Net.Core.net_procfs_c.dev_seq_show(ns), 2));
        foreach (var dev in ns.dev_base_head)
        {
            var stats = KernelNet.Scenarios.Output.IpLink.Statistics(dev, 2);
            if (allCounters || stats.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Any(t => t.All(char.IsAsciiDigit) && t != "0"))
            {
                Section($"{ns.name}: ip -s -s link show {dev.name} (statistics)", stats);
            }
        }

        return this;
    }

    /// <summary>The SNMP MIBs: /proc/net/snmp whole, or (leaving zeros out) as <c>nstat -az</c> would list the non-zero ones.</summary>
    public Report Snmp(string host, string snmp)
    {
        ArgumentNullException.ThrowIfNull(snmp);
        if (allCounters)
        {
            return Section($"{host}: /proc/net/snmp", snmp);
        }

        var sb = new StringBuilder();
        var lines = snmp.Split('\n');
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0 || values.Length == 0 || names[0] != values[0])
            {
                continue;
            }

            var mib = names[0].TrimEnd(':');
            for (var f = 1; f < Math.Min(names.Length, values.Length); f++)
            {
                // the static parameters (Forwarding, DefaultTTL, RtoAlgorithm, RtoMin, RtoMax, MaxConn) are not counters
                if (values[f] != "0" && names[f] is not ("Forwarding" or "DefaultTTL" or "RtoAlgorithm" or "RtoMin" or "RtoMax" or "MaxConn"))
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{mib + names[f],-31} {values[f],-18} 0.0\n");
                }
            }
        }

        return Section($"{host}: nstat (the non-zero /proc/net/snmp counters; --all-counters prints the file)", sb.ToString());
    }

    /// <summary>ethtool -S, without the counters that stayed zero unless all are asked for.</summary>
    public Report EthtoolStatistics(string heading, string stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return Section(heading, allCounters ? stats : string.Concat(stats.Split('\n').Where(l => l.Length > 0 && !l.EndsWith(": 0", StringComparison.Ordinal)).Select(l => l + "\n")));
    }

    /// <summary>A table without its rows whose numbers are all zero (the first <paramref name="header"/> lines kept; numbers counted up to <paramref name="skipLast"/> tokens from the end).</summary>
    private string NonZeroRows(string table, int header, int skipLast = 0)
    {
        if (allCounters)
        {
            return table;
        }

        var sb = new StringBuilder();
        var lines = table.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var tokens = lines[i].Split((char[])[' ', '|', ':'], StringSplitOptions.RemoveEmptyEntries);
            var numbers = tokens.Take(Math.Max(0, tokens.Length - skipLast)).Where(t => t.All(char.IsAsciiDigit));
            if (i < header || numbers.Skip(skipLast > 0 ? 1 : 0).Any(t => t.TrimStart('0').Length > 0))
            {
                sb.Append(lines[i]).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string IrqHost(string line, IReadOnlyDictionary<int, string> irqHosts)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(line.AsSpan(0, colon).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var irq) && irqHosts.TryGetValue(irq, out var h) ? h : "-";
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
