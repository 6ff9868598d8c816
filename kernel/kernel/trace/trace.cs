// Ports the part of kernel/trace/trace.c (and the line layout of
// kernel/trace/trace_output.c) that the network tracepoints need: a trace
// instance that records enabled events with their context and prints them
// as /sys/kernel/tracing/trace does.
//
// not ported: ring buffers, per-CPU buffers, filters, triggers; events are
// kept in emission order and printed merged by timestamp.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Kernel.Trace;

/// <summary>One recorded event: its context (as trace_entry keeps it) and its formatted text.</summary>
public readonly record struct trace_entry(
    long Timestamp,
    int Cpu,
    string Comm,
    int Pid,
    string Flags,
    string System,
    string Event,
    string Text);

/// <summary>
/// struct trace_array: a tracefs instance. Events are enabled as
/// "system:event" (or "system:*", or "*:*") like <c>set_event</c>; a disabled
/// event costs the caller one check.
/// </summary>
public sealed class trace_array
{
    private readonly Vmlinux _k;
    private readonly HashSet<trace_event_call> _enabled = new();
    private readonly List<trace_entry> _entries = new();

    /// <summary>The flag columns already formatted, by their bits: entries share one string per combination.</summary>
    private readonly Dictionary<int, string> _lat_flags = new();

    public trace_array(Vmlinux k)
    {
        _k = k;
    }

    /// <summary>tracing_on: false stops recording without forgetting what was enabled.</summary>
    public bool tracing_on { get; set; } = true;

    /// <summary>True if any event is enabled at all (the one branch a disabled tracepoint costs).</summary>
    public bool any { get; private set; }

    public IReadOnlyList<trace_entry> entries => _entries;

    /// <summary>
    /// A line written to set_event (ftrace_event_write in kernel/trace/trace_events.c): "net:netif_rx", "irq:*", "*:*" (trace_events_c.ftrace_set_clr_event
    /// says which events it selects). 0, or -EINVAL when it names no event the port has, as the
    /// write to tracefs fails.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's set_event file: enables events by system:name spec")]
    public int set_event(string spec)
    {
        var selected = trace_events_c.ftrace_set_clr_event(spec);
        if (selected.Count == 0)
        {
            return -errno_base_h.EINVAL;
        }

        _enabled.UnionWith(selected);
        any = true;
        return 0;
    }

    [KernelNet.Annotations.NotInLinux("the simulation's ring buffer reset (writing the trace file truncates it)")]
    public void clear() => _entries.Clear();

    /// <summary>Whether <paramref name="system"/>:<paramref name="name"/> records now.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's per-event enable bit (the static key behind trace_X_enabled)")]
    public bool enabled(string system, string name)
    {
        if (!any || !tracing_on)
        {
            return false;
        }

        return _enabled.Contains(new trace_event_call(system, name));
    }

    /// <summary>Records an event with the executing CPU's context.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ring buffer write (trace_event_buffer_commit)")]
    public void record(string system, string name, string text)
    {
        var cpu = _k.machine.CurrentCpu;
        var task = cpu.Current;
        _entries.Add(new trace_entry(_k.ktime_get_ns(), cpu.Id, task.IsIdle ? "<idle>" : task.Comm, task.Pid, lat_flags(), system, name, text));
    }

    /// <summary>
    /// The five flag characters (trace_print_lat_fmt): irqs-off/BH-off,
    /// need-resched, hardirq/softirq, preempt depth, migrate-disable.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's latency-format flags column (irqs-off, need-resched, hardirq/softirq)")]
    private string lat_flags()
    {
        var cpu = _k.machine.CurrentCpu;
        var pc = _k.this_cpu().preempt_count;
        var hardirq = (pc & preempt_h.HARDIRQ_MASK) != 0;
        var softirq = (pc & preempt_h.SOFTIRQ_OFFSET) != 0;
        var bh_off = ((pc & preempt_h.SOFTIRQ_MASK) >> (preempt_h.SOFTIRQ_SHIFT + 1)) != 0;
        var irqs_off = irqflags_h.irqs_disabled(_k);

        // The idle loop runs with preemption disabled (do_idle), so whatever
        // interrupts it shows one more level than the count the port keeps.
        var depth = (pc & preempt_h.PREEMPT_MASK) + (cpu.Current.IsIdle ? 1 : 0);

        // Few combinations ever occur: each is formatted once and the string shared by every entry with it.
        depth = Math.Min(depth, 0xf);
        var key = (irqs_off ? 1 : 0) | (bh_off ? 2 : 0) | (cpu.NeedResched ? 4 : 0) | (hardirq ? 8 : 0) | (softirq ? 16 : 0) | (depth << 5);
        if (_lat_flags.TryGetValue(key, out var cached))
        {
            return cached;
        }

        Span<char> f = stackalloc char[5];
        f[0] = irqs_off && bh_off ? 'D' : irqs_off ? 'd' : bh_off ? 'b' : '.';
        f[1] = cpu.NeedResched ? 'N' : '.';
        f[2] = hardirq && softirq ? 'H' : hardirq ? 'h' : softirq ? 's' : '.';
        f[3] = depth == 0 ? '.' : depth.ToString("x", CultureInfo.InvariantCulture)[0];
        f[4] = '.';
        var flags = new string(f);
        _lat_flags[key] = flags;
        return flags;
    }

    /// <summary>Prints the trace file: the header, then every entry ordered by timestamp (stable).</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's rendering of the ring buffer as /sys/kernel/tracing/trace text")]
    public void print(TextWriter w)
    {
        var sorted = StableSortByTime(_entries);
        w.Write("# tracer: nop\n#\n");
        w.Write(string.Create(CultureInfo.InvariantCulture, $"# entries-in-buffer/entries-written: {_entries.Count}/{_entries.Count}   #P:{_k.nr_cpu_ids}\n"));
        w.Write("#\n");
        w.Write("#                                _-----=> irqs-off/BH-disabled\n");
        w.Write("#                               / _----=> need-resched\n");
        w.Write("#                              | / _---=> hardirq/softirq\n");
        w.Write("#                              || / _--=> preempt-depth\n");
        w.Write("#                              ||| / _-=> migrate-disable\n");
        w.Write("#                              |||| /     delay\n");
        w.Write("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n");
        w.Write("#              | |         |   |||||     |         |\n");
        foreach (var e in sorted)
        {
            w.Write(format_line(e));
            w.Write('\n');
        }
    }

    /// <summary>One line as trace_print_context + the event's print fmt render it.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's rendering of one entry in the trace file's line format")]
    public static string format_line(trace_entry e)
    {
        var sb = new StringBuilder(128);
        sb.Append(e.Comm.PadLeft(16)).Append('-').Append(e.Pid.ToString(CultureInfo.InvariantCulture).PadRight(7)).Append(' ');
        sb.Append('[').Append(e.Cpu.ToString("000", CultureInfo.InvariantCulture)).Append("] ");
        sb.Append(e.Flags).Append(' ');
        var secs = e.Timestamp / 1_000_000_000L;
        var usecs = e.Timestamp % 1_000_000_000L / 1000;
        sb.Append(secs.ToString(CultureInfo.InvariantCulture).PadLeft(5)).Append('.').Append(usecs.ToString("000000", CultureInfo.InvariantCulture));
        sb.Append(": ").Append(e.Event).Append(": ").Append(e.Text);
        return sb.ToString();
    }

    [KernelNet.Annotations.NotInLinux("the simulation's merge of the per-CPU buffers by timestamp, as the trace file reader does")]
    private static List<trace_entry> StableSortByTime(List<trace_entry> list)
    {
        var indexed = new List<(trace_entry E, int I)>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            indexed.Add((list[i], i));
        }

        indexed.Sort((a, b) =>
        {
            var c = a.E.Timestamp.CompareTo(b.E.Timestamp);
            return c != 0 ? c : a.I.CompareTo(b.I);
        });
        var result = new List<trace_entry>(list.Count);
        foreach (var (e, _) in indexed)
        {
            result.Add(e);
        }

        return result;
    }
}
