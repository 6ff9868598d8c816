// Ports the part of kernel/trace/trace.c (and the line layout of
// kernel/trace/trace_output.c) that the network tracepoints need: a trace
// instance whose enabled events are written as binary records (the common
// trace_entry fields and the event's own fields, no text) into a per-CPU
// ring buffer (ring_buffer.cs) of buffer_size_kb per CPU, overwriting the
// oldest events when full; the text of /sys/kernel/tracing/trace is made
// only when the file is read.
//
// departure: an event's fields are what its print format's arguments were at
// the tracepoint (trace_event_fields.cs records each in binary, strings as
// their characters, as __string copies them), and its print format is the
// call site's interpolation, interned once as the event's "shape"; the
// kernel generates both from TRACE_EVENT at build time.
// departure: each record carries, besides the kernel's trace_entry (type,
// flags, preempt_count, pid), its time stamp and a write sequence number:
// the simulation's virtual clock gives many events the same nanosecond, and
// the reader merges the CPUs' buffers by (time, sequence) so that such ties
// print in the order they happened (the kernel's reader breaks them by CPU
// number; its clock rarely ties).
// departure: saved_cmdlines keeps every pid's comm (the kernel keeps 128).
// not ported: trace_pipe (consuming reads), filters, triggers, snapshot,
// tracers other than nop, options other than the defaults.
using System;
using System.Collections;
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
    /// <summary>TRACE_BUF_SIZE_DEFAULT: 1441792 bytes per CPU, buffer_size_kb 1408 once expanded (an instance is created expanded).</summary>
    public const long TRACE_BUF_SIZE_DEFAULT = 1441792;

    // enum trace_flag_type (include/linux/trace_events.h)
    public const byte TRACE_FLAG_IRQS_OFF = 0x01;
    public const byte TRACE_FLAG_NEED_RESCHED = 0x04;
    public const byte TRACE_FLAG_HARDIRQ = 0x08;
    public const byte TRACE_FLAG_SOFTIRQ = 0x10;
    public const byte TRACE_FLAG_PREEMPT_RESCHED = 0x20;
    public const byte TRACE_FLAG_BH_OFF = 0x80;

    /// <summary>Bytes of the common fields ahead of an event's own: type, flags, preempt_count, pid (struct trace_entry), time stamp, sequence.</summary>
    public const int EntryHeaderSize = 2 + 1 + 1 + 4 + 8 + 8;

    private readonly Vmlinux _k;
    /// <summary>Each event's enable bit (trace_event_file.flags' EVENT_FILE_FL_ENABLED), by its type.</summary>
    private readonly bool[] _enabled = new bool[trace_events_c.available_events.Length];
    private readonly Dictionary<int, string> _saved_cmdlines = new();

    /// <summary>The pid and comm saved last: a task that writes event after event is saved once.</summary>
    private int _last_cmdline_pid = -1;
    private string? _last_cmdline_comm;

    /// <summary>any and tracing_on together: the one field a tracepoint tests before its enable bit.</summary>
    private bool _on;
    private bool _any;
    private bool _tracing_on = true;

    /// <summary>The flag columns already formatted, by their bits: entries share one string per combination.</summary>
    private readonly Dictionary<int, string> _lat_flags = new();

    private trace_buffer? _buffer;
    private long _buffer_size = TRACE_BUF_SIZE_DEFAULT;
    private long _seq;
    private long _generation;
    private List<trace_entry>? _materialized;
    private long _materialized_generation = -1;

    public trace_array(Vmlinux k)
    {
        _k = k;
        fields = new trace_event_fields();
        entries = new trace_entry_list(this);
    }

    /// <summary>tracing_on: false stops recording without forgetting what was enabled.</summary>
    public bool tracing_on
    {
        get => _tracing_on;
        set
        {
            _tracing_on = value;
            _on = _any && value;
        }
    }

    /// <summary>True if any event is enabled at all (the one branch a disabled tracepoint costs).</summary>
    public bool any
    {
        get => _any;
        private set
        {
            _any = value;
            _on = value && _tracing_on;
        }
    }

    /// <summary>The events the buffers hold, oldest first, formatted (made when first read after a write).</summary>
    public IReadOnlyList<trace_entry> entries { get; }

    /// <summary>The shapes, strings and scratch record the tracepoints write their fields through.</summary>
    internal trace_event_fields fields { get; }

    /// <summary>buffer_size_kb: the size of each CPU's ring. Writing it empties the buffers (the port resizes only empty rings).</summary>
    public long buffer_size_kb
    {
        get => _buffer_size / 1024;
        set
        {
            if (value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "buffer_size_kb must be positive");
            }

            _buffer_size = value * 1024;
            _buffer = null;
            _generation++;
        }
    }

    /// <summary>Events written since the buffer was last cleared: those held plus those overwritten (entries-written).</summary>
    public long entries_written
    {
        get
        {
            get_total_entries(out var total, out _);
            return total;
        }
    }

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

        foreach (var call in selected)
        {
            _enabled[call.type] = true;
        }

        any = true;
        return 0;
    }

    /// <summary>Writing the trace file: every CPU's ring emptied and its counters zeroed (tracing_reset_online_cpus).</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's truncation of the trace file (tracing_open with O_TRUNC)")]
    public void clear()
    {
        if (_buffer is not null)
        {
            ring_buffer_c.ring_buffer_reset_online_cpus(_buffer);
        }

        _generation++;
    }

    /// <summary>Whether <paramref name="call"/> records now: two field tests, as a tracepoint's static key and its file's enable flag.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's per-event enable bit (the static key behind trace_X_enabled)")]
    public bool enabled(trace_event_call call) => _on && _enabled[call.type];

    /// <summary>Whether <paramref name="system"/>:<paramref name="name"/> records now (looked up by name: for callers outside the tracepoint headers).</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's per-event enable bit (the static key behind trace_X_enabled)")]
    public bool enabled(string system, string name) => _on && trace_events_c.try_find(system, name) is { } call && _enabled[call.type];

    /// <summary>Records an event whose one field is already text (a caller outside the tracepoint headers).</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ring buffer write (trace_event_buffer_commit) of an event given as text")]
    public void record(string system, string name, string text)
    {
        var call = trace_events_c.find(system, name);
        reserve(call);
        fields.AppendFormatted(text);
        commit(call);
    }

    /// <summary>Records <paramref name="call"/> whose one field is already text.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ring buffer write (trace_event_buffer_commit) of an event given as text")]
    public void record(trace_event_call call, string text)
    {
        reserve(call);
        fields.AppendFormatted(text);
        commit(call);
    }

    /// <summary>
    /// Records an event with the executing CPU's context: <paramref name="f"/> is the event's print
    /// format with its arguments (an interpolated string), written as binary fields.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ring buffer write (trace_event_buffer_reserve + the event's assign + trace_event_buffer_commit)")]
    public void record(string system, string name, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("", "system", "name")] trace_event_fields.builder f)
    {
        _ = system;
        _ = name;
        commit(f.call); // the builder found and reserved the event by name
    }

    /// <summary>
    /// Records <paramref name="call"/> with the executing CPU's context: <paramref name="f"/> is the
    /// event's print format with its arguments (an interpolated string), written as binary fields.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ring buffer write (trace_event_buffer_reserve + the event's assign + trace_event_buffer_commit)")]
    public void record(trace_event_call call, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("", "call")] trace_event_fields.builder f)
    {
        _ = f;
        commit(call);
    }

    /// <summary>
    /// Reserves an event of <paramref name="call"/> on the executing CPU's ring and writes its
    /// common fields there (struct trace_entry, the time stamp, the sequence): the tracepoint's
    /// fields are then written in place after them (trace_event_fields) and <see cref="commit"/>
    /// makes the event part of the ring.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's trace_event_buffer_reserve (trace_event_buffer_lock_reserve, ring_buffer_lock_reserve, tracing_generic_entry_update)")]
    internal void reserve(trace_event_call call)
    {
        var cpu = _k.machine.CurrentCpu;
        var ts = _k.ktime_get_ns();
        _buffer ??= ring_buffer_c.__ring_buffer_alloc(_buffer_size, _k.nr_cpu_ids);

        // the common fields and the shape always fit a page: the reserve never fails
        var e = ring_buffer_c.ring_buffer_lock_reserve(_buffer, cpu.Id, EntryHeaderSize + 2, ts)!.Value;
        var span = e.page.AsSpan(e.offset, EntryHeaderSize);
        GenericEntryUpdate(span, cpu, (ushort)call.type, cpu.Current.Pid);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(span[8..], ts);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(span[16..], _seq++);
        fields.begin(call.type, _buffer, cpu.Id, e, ts);
    }

    [KernelNet.Annotations.NotInLinux("the simulation's trace_event_buffer_commit: the event's shape written and the event committed to the CPU's ring")]
    private void commit(trace_event_call call)
    {
        var shape = fields.end(call.type);
        if (fields.finish() is not { } e)
        {
            // larger than a ring page: refused, as ring_buffer_lock_reserve refuses it
            return;
        }

        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(e.page.AsSpan(e.offset + EntryHeaderSize, 2), shape);
        var task = _k.machine.CurrentCpu.Current;
        SaveCmdline(task.Pid, task.IsIdle ? "<idle>" : task.Comm);
        ring_buffer_c.ring_buffer_unlock_commit(_buffer!, fields.cpu, e);
        _generation++;
    }

    [KernelNet.Annotations.NotInLinux("tracing_generic_entry_update (an inline of include/linux/trace_events.h) with the flags tracing_gen_ctx computes from the CPU's context")]
    /// <summary>
    /// The common fields of a record (struct trace_entry): type, the flag bits (irqs-off, BH-off,
    /// need-resched, hardirq/softirq) and the preempt depth of the executing context, and the pid.
    /// </summary>
    private void GenericEntryUpdate(Span<byte> entry, KernelNet.Machine.Cpu cpu, ushort type, int pid)
    {
        var pc = _k.this_cpu().preempt_count;
        byte flags = 0;
        if (irqflags_h.irqs_disabled(_k))
        {
            flags |= TRACE_FLAG_IRQS_OFF;
        }

        if (((pc & preempt_h.SOFTIRQ_MASK) >> (preempt_h.SOFTIRQ_SHIFT + 1)) != 0)
        {
            flags |= TRACE_FLAG_BH_OFF;
        }

        if (cpu.NeedResched)
        {
            flags |= TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_PREEMPT_RESCHED;
        }

        if ((pc & preempt_h.HARDIRQ_MASK) != 0)
        {
            flags |= TRACE_FLAG_HARDIRQ;
        }

        if ((pc & preempt_h.SOFTIRQ_OFFSET) != 0)
        {
            flags |= TRACE_FLAG_SOFTIRQ;
        }

        // The idle loop runs with preemption disabled (do_idle), so whatever
        // interrupts it shows one more level than the count the port keeps.
        var depth = Math.Min((pc & preempt_h.PREEMPT_MASK) + (cpu.Current.IsIdle ? 1 : 0), 0xf);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(entry, type);
        entry[2] = flags;
        entry[3] = (byte)depth;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(entry[4..], pid);
    }

    [KernelNet.Annotations.NotInLinux("trace_save_cmdline (kernel/trace/trace_sched_switch.c in 6.18): unbounded here")]
    /// <summary>Remembers the comm of a pid that wrote an event, for the reader (the record holds only the pid).</summary>
    private void SaveCmdline(int pid, string comm)
    {
        if (pid == _last_cmdline_pid && ReferenceEquals(comm, _last_cmdline_comm))
        {
            return;
        }

        _last_cmdline_pid = pid;
        _last_cmdline_comm = comm;
        _saved_cmdlines[pid] = comm;
    }

    [KernelNet.Annotations.NotInLinux("trace_find_cmdline (kernel/trace/trace_sched_switch.c in 6.18)")]
    /// <summary>The comm printed for a pid: "&lt;idle&gt;" for 0, the saved one otherwise, "&lt;...&gt;" when unknown.</summary>
    private string FindCmdline(int pid)
    {
        if (pid == 0)
        {
            return "<idle>";
        }

        return _saved_cmdlines.TryGetValue(pid, out var comm) ? comm : "<...>";
    }

    /// <summary>
    /// The five flag characters (trace_print_lat_fmt): irqs-off/BH-off, need-resched,
    /// hardirq/softirq, preempt depth, migrate-disable.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("trace_print_lat_fmt (trace_output.c) with its result kept per flag combination: few combinations occur")]
    private string lat_flags(byte flags, byte preempt_count)
    {
        var key = flags | (preempt_count << 8);
        if (_lat_flags.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var irqs_off = (flags & TRACE_FLAG_IRQS_OFF) != 0;
        var bh_off = (flags & TRACE_FLAG_BH_OFF) != 0;
        var hardirq = (flags & TRACE_FLAG_HARDIRQ) != 0;
        var softirq = (flags & TRACE_FLAG_SOFTIRQ) != 0;
        var resched = flags & (TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_PREEMPT_RESCHED);
        Span<char> f = stackalloc char[5];
        f[0] = irqs_off && bh_off ? 'D' : irqs_off ? 'd' : bh_off ? 'b' : '.';
        f[1] = resched == (TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_PREEMPT_RESCHED) ? 'N' : resched == TRACE_FLAG_NEED_RESCHED ? 'n' : resched == TRACE_FLAG_PREEMPT_RESCHED ? 'p' : '.';
        f[2] = hardirq && softirq ? 'H' : hardirq ? 'h' : softirq ? 's' : '.';
        f[3] = (preempt_count & 0xf) == 0 ? '.' : (preempt_count & 0xf).ToString("x", CultureInfo.InvariantCulture)[0];
        f[4] = (preempt_count & 0xf0) == 0 ? '.' : (preempt_count >> 4).ToString("x", CultureInfo.InvariantCulture)[0];
        var text = new string(f);
        _lat_flags[key] = text;
        return text;
    }

    // kernel/trace/trace.c: get_total_entries
    /// <summary>Events held (entries) and written (total: held plus overwritten), summed over the CPUs.</summary>
    private void get_total_entries(out long total, out long entries)
    {
        total = 0;
        entries = 0;
        if (_buffer is null)
        {
            return;
        }

        // not ported: for_each_tracing_cpu — every CPU of the buffer traces (no tracing_cpumask)
        for (var cpu = 0; cpu < _buffer.buffers.Length; cpu++)
        {
            get_total_entries_cpu(cpu, out var t, out var e);
            total += t;
            entries += e;
        }
    }

    // kernel/trace/trace.c: get_total_entries_cpu
    /// <summary>One CPU's entries held, and written (held plus overrun).</summary>
    private void get_total_entries_cpu(int cpu, out long total, out long entries)
    {
        // not ported: skipped_entries — only the latency tracers skip entries
        var count = ring_buffer_c.ring_buffer_entries_cpu(_buffer!, cpu);
        total = count + ring_buffer_c.ring_buffer_overrun_cpu(_buffer!, cpu);
        entries = count;
    }

    // kernel/trace/trace.c: tracing_stats_read
    /// <summary>per_cpu/cpuN/stats: the CPU's ring counters, in the file's format.</summary>
    public string tracing_stats_read(int cpu)
    {
        // not ported: ring_buffer_time_stamp — "now ts" reads the virtual clock directly (ktime_get_ns), the one clock the port's buffer stamps events with
        // not ported: file_inode, tracing_get_cpu — the CPU is the argument; kmalloc, kfree — a StringBuilder
        // not ported: ns2usecs — the same division inline; the counter clocks' raw format — the clock is in ns
        _buffer ??= ring_buffer_c.__ring_buffer_alloc(_buffer_size, _k.nr_cpu_ids);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"entries: {ring_buffer_c.ring_buffer_entries_cpu(_buffer, cpu)}\n");
        s.Append(CultureInfo.InvariantCulture, $"overrun: {ring_buffer_c.ring_buffer_overrun_cpu(_buffer, cpu)}\n");
        s.Append(CultureInfo.InvariantCulture, $"commit overrun: {ring_buffer_c.ring_buffer_commit_overrun_cpu(_buffer, cpu)}\n");
        s.Append(CultureInfo.InvariantCulture, $"bytes: {ring_buffer_c.ring_buffer_bytes_cpu(_buffer, cpu)}\n");
        var oldest = ring_buffer_c.ring_buffer_oldest_event_ts(_buffer, cpu) / 1000;
        s.Append(CultureInfo.InvariantCulture, $"oldest event ts: {oldest / 1_000_000,5}.{oldest % 1_000_000:000000}\n");
        var now = _k.ktime_get_ns() / 1000;
        s.Append(CultureInfo.InvariantCulture, $"now ts: {now / 1_000_000,5}.{now % 1_000_000:000000}\n");
        s.Append(CultureInfo.InvariantCulture, $"dropped events: {ring_buffer_c.ring_buffer_dropped_events_cpu(_buffer, cpu)}\n");
        s.Append(CultureInfo.InvariantCulture, $"read events: {ring_buffer_c.ring_buffer_read_events_cpu(_buffer, cpu)}\n");
        return s.ToString();
    }

    /// <summary>Prints the trace file: the header, then every entry the buffers hold, merged by time.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's rendering of the ring buffer as /sys/kernel/tracing/trace text (s_show over the iterator)")]
    public void print(TextWriter w)
    {
        var list = materialize();
        get_total_entries(out var total, out var held);
        w.Write("# tracer: nop\n#\n");
        print_event_info(w, held, total);
        w.Write("#                                _-----=> irqs-off/BH-disabled\n");
        w.Write("#                               / _----=> need-resched\n");
        w.Write("#                              | / _---=> hardirq/softirq\n");
        w.Write("#                              || / _--=> preempt-depth\n");
        w.Write("#                              ||| / _-=> migrate-disable\n");
        w.Write("#                              |||| /     delay\n");
        w.Write("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n");
        w.Write("#              | |         |   |||||     |         |\n");
        foreach (var e in list)
        {
            w.Write(format_line(e));
            w.Write('\n');
        }
    }

    // kernel/trace/trace.c: print_event_info
    /// <summary>The header's "entries-in-buffer/entries-written" line: held, and held plus overwritten.</summary>
    private void print_event_info(TextWriter m, long entries, long total)
    {
        // not ported: get_total_entries — the caller passed its two sums in, having read them for the same buffer
        m.Write(string.Create(CultureInfo.InvariantCulture, $"# entries-in-buffer/entries-written: {entries}/{total}   #P:{_k.nr_cpu_ids}\n"));
        m.Write("#\n");
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

    /// <summary>Events held by all rings (cheap: from the counters, nothing formatted).</summary>
    [KernelNet.Annotations.NotInLinux("the count behind the entries list: ring_buffer_entries of the instance's buffer")]
    private int held_count() => _buffer is null ? 0 : (int)ring_buffer_c.ring_buffer_entries(_buffer);

    /// <summary>
    /// Every held event formatted, the CPUs' rings merged by (time, sequence) as the trace
    /// file's iterator merges them (peek_next_entry picks the oldest); kept until the next write.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's trace iterator (__find_next_entry over every CPU) run to the end at once")]
    private List<trace_entry> materialize()
    {
        if (_materialized is not null && _materialized_generation == _generation)
        {
            return _materialized;
        }

        var all = new List<(long Ts, long Seq, trace_entry E)>(held_count());
        if (_buffer is not null)
        {
            for (var cpu = 0; cpu < _buffer.buffers.Length; cpu++)
            {
                ring_buffer_c.for_each_event(_buffer, cpu, (this, all, cpu), static (st, data) => st.Item2.Add(st.Item1.decode(st.cpu, data)));
            }
        }

        all.Sort(static (a, b) =>
        {
            var c = a.Ts.CompareTo(b.Ts);
            return c != 0 ? c : a.Seq.CompareTo(b.Seq);
        });
        var list = new List<trace_entry>(all.Count);
        foreach (var (_, _, e) in all)
        {
            list.Add(e);
        }

        _materialized = list;
        _materialized_generation = _generation;
        return list;
    }

    [KernelNet.Annotations.NotInLinux("the simulation's print_trace_fmt: a binary record to its context and text")]
    private (long Ts, long Seq, trace_entry E) decode(int cpu, ReadOnlySpan<byte> data)
    {
        var type = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(data);
        var flags = data[2];
        var preempt_count = data[3];
        var pid = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        var ts = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        var seq = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        var shape = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(data[EntryHeaderSize..]);
        var call = trace_events_c.available_events[type];
        var text = fields.format(shape, data[(EntryHeaderSize + 2)..]);
        return (ts, seq, new trace_entry(ts, cpu, FindCmdline(pid), pid, lat_flags(flags, preempt_count), call.system, call.name, text));
    }

    /// <summary>The entries list: its count from the ring counters, its items formatted when first indexed.</summary>
    private sealed class trace_entry_list : IReadOnlyList<trace_entry>
    {
        private readonly trace_array _tr;

        public trace_entry_list(trace_array tr) => _tr = tr;

        public int Count => _tr.held_count();

        public trace_entry this[int index] => _tr.materialize()[index];

        [KernelNet.Annotations.NotInLinux("IEnumerable glue over the formatted entries")]
        public IEnumerator<trace_entry> GetEnumerator() => _tr.materialize().GetEnumerator();

        [KernelNet.Annotations.NotInLinux("IEnumerable glue over the formatted entries")]
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
