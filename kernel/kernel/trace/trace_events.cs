// Ports the event registry of kernel/trace/trace_events.c: which events exist
// (available_events) and how a set_event line selects among them.
//
// departure: the kernel collects its events from the _ftrace_events linker
// section; the port finds them as the trace_* functions of the
// include/trace/events classes (class net_h, function trace_netif_rx: system
// "net", event "netif_rx"), the C# counterpart of that section.
//
// Also here (trace_event_fields): the binary form of an event's fields and
// print format, between a tracepoint and the ring buffer, the port's
// counterpart of what TRACE_EVENT generates (the entry struct the assign step
// fills, the print_fmt the reader applies) and of trace_event_buffer_reserve/
// commit's filling of it.
//
// departure (the kernel generates this per event at build time): a tracepoint passes its print format as a C#
// interpolated string; the builder below reserves the event on the executing
// CPU's ring (trace_array.reserve) and writes each argument's value in place
// there, in binary (integers, booleans, enums as their bits; strings as their
// characters, as __string/__assign_str copy them; a __print_symbolic field,
// trace_print_symbolic, as its value, named when read) and notes the literal text
// and format specifiers between them as the event's shape, interned once per
// distinct shape. The text is made from shape and values only when the trace
// is read, exactly as string.Create(CultureInfo.InvariantCulture, ...) would
// have made it at the tracepoint.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using KernelNet.Kernel.Include.Trace.Events;

namespace KernelNet.Kernel.Kernel.Trace;

/// <summary>
/// struct trace_event_call: one event the port can emit, its system (the header's TRACE_SYSTEM),
/// its name and its type number (its place in available_events). A header holds its events'
/// calls in static readonly fields (the kernel's event_&lt;name&gt;), so that a tracepoint reaches
/// its per-instance enable bit by an array index, as the kernel reaches its static key.
/// </summary>
public sealed class trace_event_call
{
    public trace_event_call(string system, string name, int type)
    {
        this.system = system;
        this.name = name;
        this.type = type;
    }

    /// <summary>TRACE_SYSTEM of the header that defines the event.</summary>
    public string system { get; }

    /// <summary>The event's name.</summary>
    public string name { get; }

    /// <summary>The type number its records carry (trace_event.type): its index in available_events.</summary>
    public int type { get; }

    [KernelNet.Annotations.NotInLinux("the system:event spelling available_events and set_event use")]
    public override string ToString() => $"{system}:{name}";
}

public static class trace_events_c
{
    private const string HeaderClassSuffix = "_h";
    private const string TraceFunctionPrefix = "trace_";

    /// <summary>
    /// /sys/kernel/tracing/available_events: every event of every include/trace/events header
    /// the port has, sorted by system then name. Built once from the headers' trace_* functions;
    /// it never changes at run time, as the section it stands for.
    /// </summary>
    public static System.Collections.Immutable.ImmutableArray<trace_event_call> available_events { get; } = System.Collections.Immutable.ImmutableArray.CreateRange(discover_events());

    /// <summary>
    /// The event <paramref name="system"/>:<paramref name="name"/> of available_events; a header
    /// takes its events' calls from here once, when first used. Throws for an event no header defines
    /// (a tracepoint whose function is missing could never be enabled).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's link from a header's event_<name> to the registry: C's TRACE_EVENT defines both at once")]
    public static trace_event_call find(string system, string name) =>
        try_find(system, name) ?? throw new InvalidOperationException($"no trace_{name} function in the {system} header: the event is not available");

    /// <summary>The event <paramref name="system"/>:<paramref name="name"/> of available_events, or null when the port has no such event.</summary>
    [KernelNet.Annotations.NotInLinux("the registry looked up by name (C reaches an event by its symbol)")]
    public static trace_event_call? try_find(string system, string name)
    {
        foreach (var call in available_events)
        {
            if (call.name == name && call.system == system)
            {
                return call;
            }
        }

        return null;
    }

    [KernelNet.Annotations.NotInLinux("the simulation's list of ported events, the trace_* functions of the headers found by reflection; C registers them at build time")]
    private static List<trace_event_call> discover_events()
    {
        // the headers are named here rather than searched for among the assembly's types, which
        // would load every type's metadata at start-up (trace_events_tests checks that none is missing)
        Type[] headers =
        [
            typeof(fib_h), typeof(icmp_h), typeof(ipi_h), typeof(irq_h), typeof(napi_h), typeof(neigh_h), typeof(net_h),
            typeof(qdisc_h), typeof(sched_h), typeof(skb_h), typeof(sock_h), typeof(syscalls_h), typeof(tcp_h), typeof(udp_h),
        ];
        // sorted by system, then name: "system\0name" compares ordinally in that order (a list of
        // strings, not of tuples, so that start-up runs precompiled code rather than JIT-compiling a
        // sorted set over a value type)
        var keys = new List<string>();
        foreach (var header in headers)
        {
            // a header whose TRACE_SYSTEM is not its file name (syscalls.h: raw_syscalls) says so in a constant
            var system = header.GetField("TRACE_SYSTEM", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
                ?? header.Name[..^HeaderClassSuffix.Length];
            foreach (var f in header.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (f.Name.StartsWith(TraceFunctionPrefix, StringComparison.Ordinal))
                {
                    keys.Add(system + "\0" + f.Name[TraceFunctionPrefix.Length..]);
                }
            }
        }

        keys.Sort(StringComparer.Ordinal);
        var events = new List<trace_event_call>(keys.Count);
        foreach (var key in keys)
        {
            if (events.Count > 0 && key == events[^1].system + "\0" + events[^1].name)
            {
                continue;
            }

            var nul = key.IndexOf('\0', StringComparison.Ordinal);
            events.Add(new trace_event_call(key[..nul], key[(nul + 1)..], events.Count));
        }

        return events;
    }

    // kernel/trace/trace_events.c: ftrace_set_clr_event
    /// <summary>
    /// The events a set_event line selects: "sys:event", "sys:*" or "sys:" (a whole system),
    /// "*:event" or ":event" (that event in any system), "*:*", or a bare name (a system or an
    /// event of that name). Empty when nothing matches: the write fails with EINVAL.
    /// </summary>
    public static IReadOnlyList<trace_event_call> ftrace_set_clr_event(string buf)
    {
        // not ported: __ftrace_set_clr_event — it only takes event_mutex around the nolock form, called directly here (one thread)
        string? match = buf, sub = null, @event = null;
        var colon = buf.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            sub = buf[..colon];
            @event = buf[(colon + 1)..];
            match = null;
            if (sub.Length == 0 || sub == "*")
            {
                sub = null;
            }

            if (@event.Length == 0 || @event == "*")
            {
                @event = null;
            }
        }

        return __ftrace_set_clr_event_nolock(match, sub, @event);
    }

    // kernel/trace/trace_events.c: __ftrace_set_clr_event_nolock
    /// <summary>Every available event that passes the three filters (a null filter passes all).</summary>
    private static List<trace_event_call> __ftrace_set_clr_event_nolock(string? match, string? sub, string? @event)
    {
        // not ported: cache_mod — no modules, so no event settings cached for a module not yet loaded
        // not ported: ftrace_event_enable_disable — the matching events are returned and the caller enables or disables them
        var selected = new List<trace_event_call>();
        foreach (var call in available_events)
        {
            if (match is not null && match != call.name && match != call.system)
            {
                continue;
            }

            if (sub is not null && sub != call.system)
            {
                continue;
            }

            if (@event is not null && @event != call.name)
            {
                continue;
            }

            selected.Add(call);
        }

        return selected;
    }
}


/// <summary>
/// %pI4 of a host-order address as a tracepoint passes it: the record keeps the 32 bits (as the
/// kernel's __array(u8, saddr, 4) does) and the dotted quad is made when the trace is read.
/// </summary>
public readonly record struct trace_ip4(uint addr);

/// <summary>
/// printf's %#x as a tracepoint passes it: the record keeps the value and the text ("0" for 0,
/// else 0x and the hex digits) is made when the trace is read.
/// </summary>
public readonly record struct trace_hex_alt(uint value);

/// <summary>
/// __print_hex_str of a byte array field (__array(u8, ...) with its length) as a tracepoint passes
/// it: the record keeps the first <paramref name="len"/> bytes (zeros for a null array) and the
/// contiguous hex is made when the trace is read.
/// </summary>
public readonly record struct trace_hex_str(byte[]? buf, int len);

/// <summary>
/// %pI6c of an in6_addr field that holds an IPv4 address set v4-mapped (ipv6_addr_set_v4mapped)
/// when <paramref name="mapped"/>, else the zero address: the record keeps the 32 bits and the
/// flag, and "::ffff:a.b.c.d" or "::" is made when the trace is read.
/// </summary>
public readonly record struct trace_ip6_v4mapped(uint addr, bool mapped);

/// <summary>struct trace_print_flags: a value and the name __print_symbolic prints for it.</summary>
public readonly record struct trace_print_flags(int mask, string name);

/// <summary>
/// __print_symbolic of a value as a tracepoint passes it: the record keeps the value (as the
/// kernel's entry keeps its integer field) and its name in <paramref name="symbols"/>, or 0x and
/// its hex digits when it has none, is found when the trace is read (trace_print_symbols_seq).
/// </summary>
public readonly record struct trace_print_symbolic(int value, System.Collections.Immutable.ImmutableArray<trace_print_flags> symbols);

/// <summary>One step of an event's print format: literal text, or a field of a type with its format and alignment.</summary>
internal readonly struct trace_field_op
{
    public trace_field_op(ushort code, string? format, short alignment, object? meta)
    {
        key = code | (alignment << 16);
        this.format = format;
        this.meta = meta;
    }

    /// <summary>The code and the alignment in one word, compared at once.</summary>
    public int key { get; }

    /// <summary>What the step writes: literal text, or the field type its value is stored as.</summary>
    public ushort code => (ushort)key;

    /// <summary>The literal text, or the field's format specifier (null: none).</summary>
    public string? format { get; }

    /// <summary>The field's alignment (negative: left-aligned), 0 for none.</summary>
    public short alignment => (short)(key >> 16);

    /// <summary>An enum field's type, or a __print_symbolic field's symbols (their array), else null.</summary>
    public object? meta { get; }

    /// <summary>An enum field's type (its names print), else null.</summary>
    public Type? enum_type => meta as Type;

    /// <summary>A __print_symbolic field's names, else empty.</summary>
    public System.Collections.Immutable.ImmutableArray<trace_print_flags> symbols =>
        meta is trace_print_flags[] a ? System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(a) : [];

    /// <summary>The same step: the same code and alignment and the same format and enum type or symbols (compared by reference first, then by value).</summary>
    [KernelNet.Annotations.NotInLinux("the shape comparison the simulation's interning of print formats needs")]
    public bool same(in trace_field_op o) =>
        key == o.key && ReferenceEquals(meta, o.meta)
        && (ReferenceEquals(format, o.format) || string.Equals(format, o.format, StringComparison.Ordinal));
}

/// <summary>The shapes and scratch record of one trace instance's events.</summary>
public sealed class trace_event_fields
{
    private const ushort Literal = 0;
    private const ushort Bool = 1;
    private const ushort U8 = 2;
    private const ushort S8 = 3;
    private const ushort S16 = 4;
    private const ushort U16 = 5;
    private const ushort S32 = 6;
    private const ushort U32 = 7;
    private const ushort S64 = 8;
    private const ushort U64 = 9;
    private const ushort Char = 10;
    private const ushort Str = 11;
    private const ushort F64 = 12;
    private const ushort F32 = 13;
    private const ushort EnumField = 14;
    private const ushort Ip4 = 15;
    private const ushort HexAlt = 16;
    private const ushort Symbolic = 17;
    private const ushort HexStr = 18;
    private const ushort Ip6V4Mapped = 19;

    private readonly List<trace_field_op[]> _shapes = new();

    /// <summary>Each event type's shapes so far (an event has one, or a few), tried before any new one is interned.</summary>
    private readonly List<ushort>?[] _shapes_by_type = new List<ushort>?[trace_events_c.available_events.Length];

    /// <summary>Each event type's last shape (-1: none yet): the one a record is checked against as it is written.</summary>
    private readonly int[] _last_shape = new int[trace_events_c.available_events.Length];

    /// <summary>The shape the record in progress is expected to have, while every step so far matched it.</summary>
    private trace_field_op[]? _expect;
    private ushort _expect_id;
    private bool _matching;

    private trace_field_op[] _ops = new trace_field_op[32];
    private int _ops_len;

    /// <summary>The event being written: reserved on the CPU's ring, its fields written in place.</summary>
    private trace_buffer? _buffer;
    private int _cpu;
    private long _ts;
    private ring_buffer_event _event;

    /// <summary>Where the event's bytes go (its page, or <see cref="_dropped_event"/>), where its data starts there, bytes written, bytes there is room for.</summary>
    private byte[] _page = [];
    private int _base;
    private int _len;
    private int _room;

    /// <summary>An event larger than a ring page (the ring refuses it) is written here and dropped.</summary>
    private byte[]? _dropped_event;

    public trace_event_fields() => Array.Fill(_last_shape, -1);

    /// <summary>The CPU whose ring the event in progress is reserved on.</summary>
    internal int cpu => _cpu;

    /// <summary>
    /// Starts one event of <paramref name="type"/>, reserved as <paramref name="event"/> on
    /// <paramref name="cpu"/>'s ring with its common fields written: its fields go in place after
    /// them, and its steps are compared, as they come, with the shape the type wrote last, so a
    /// record of the usual shape is checked step by step by reference and nothing is looked up.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("starts the in-place record of one event (the entry trace_event_buffer_reserve hands TP_fast_assign)")]
    internal void begin(int type, trace_buffer buffer, int cpu, ring_buffer_event @event, long ts)
    {
        _buffer = buffer;
        _cpu = cpu;
        _ts = ts;
        _event = @event;
        _page = @event.page;
        _base = @event.offset;
        _len = @event.length;
        _room = @event.room;
        _ops_len = 0;
        var last = _last_shape[type];
        _matching = last >= 0;
        if (_matching)
        {
            _expect = _shapes[last];
            _expect_id = (ushort)last;
        }
    }

    /// <summary>The event as written, to commit; null when it outgrew a ring page and is dropped.</summary>
    [KernelNet.Annotations.NotInLinux("ends the in-place record of one event")]
    internal ring_buffer_event? finish()
    {
        if (ReferenceEquals(_page, _dropped_event))
        {
            return null;
        }

        return _event with { length = _len };
    }

    /// <summary>The record left the expected shape: the steps that matched are copied out as its own.</summary>
    [KernelNet.Annotations.NotInLinux("the slow path of the shape check")]
    private void diverge()
    {
        _matching = false;
        if (_ops.Length < _ops_len + 1)
        {
            Array.Resize(ref _ops, Math.Max(_ops.Length * 2, _ops_len + 1));
        }

        Array.Copy(_expect!, _ops, _ops_len);
    }

    /// <summary>
    /// The id of the scratch record's shape: one of the shapes this event type already wrote
    /// (compared step by step, the literals by reference), or a new one.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("interns the event's print format: TRACE_EVENT makes it once at build time")]
    internal ushort end(int type)
    {
        if (_matching)
        {
            if (_ops_len == _expect!.Length)
            {
                return _expect_id;
            }

            diverge();
        }

        var ops = _ops.AsSpan(0, _ops_len);
        var known = _shapes_by_type[type] ??= new List<ushort>(1);
        foreach (var id in known)
        {
            var shape = _shapes[id];
            if (shape.Length != ops.Length)
            {
                continue;
            }

            var i = 0;
            while (i < ops.Length && ops[i].same(shape[i]))
            {
                i++;
            }

            if (i == ops.Length)
            {
                _last_shape[type] = id;
                return id;
            }
        }

        var added = checked((ushort)_shapes.Count);
        _shapes.Add(ops.ToArray());
        known.Add(added);
        _last_shape[type] = added;
        return added;
    }

    [KernelNet.Annotations.NotInLinux("appends one step of the shape")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void op(ushort code, string? format, int alignment, object? meta = null)
    {
        // the usual case, inlined into every argument's step: the step the expected shape has here
        // (steps of one call site are the same objects each time, so the test is by reference)
        var e = _expect;
        var n = _ops_len;
        if (_matching && (uint)n < (uint)e!.Length)
        {
            ref readonly var x = ref e[n];
            if (x.key == (code | (alignment << 16)) && ReferenceEquals(x.format, format) && ReferenceEquals(x.meta, meta))
            {
                _ops_len = n + 1;
                return;
            }
        }

        op_slow(code, format, alignment, meta);
    }

    [KernelNet.Annotations.NotInLinux("the slow path of the shape check: the record's own shape, step by step")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void op_slow(ushort code, string? format, int alignment, object? meta)
    {
        if (_matching)
        {
            diverge();
        }

        if (_ops_len == _ops.Length)
        {
            Array.Resize(ref _ops, _ops.Length * 2);
        }

        _ops[_ops_len++] = new trace_field_op(code, format, unchecked((short)alignment), meta);
    }

    [KernelNet.Annotations.NotInLinux("room for the next field in the event, in place")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> reserve(int n)
    {
        var len = _len;
        if ((uint)(len + n) > (uint)_room)
        {
            extend(len + n);
        }

        _len = len + n;
        return _page.AsSpan(_base + len, n);
    }

    /// <summary>
    /// The event needs <paramref name="length"/> bytes, more than its page has left: it moves to
    /// the ring's next page (ring_buffer_event_extend), or, larger than a page, goes on in
    /// <see cref="_dropped_event"/> to be dropped.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the slow path of writing a field in place")]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void extend(int length)
    {
        if (!ReferenceEquals(_page, _dropped_event)
            && ring_buffer_c.ring_buffer_event_extend(_buffer!, _cpu, _event with { length = _len }, length, _ts) is { } moved)
        {
            _event = moved;
            _page = moved.page;
            _base = moved.offset;
            _room = moved.room;
            return;
        }

        if (_dropped_event is null || _dropped_event.Length < length)
        {
            var larger = new byte[Math.Max(length, (_dropped_event?.Length ?? 0) * 2)];
            _page.AsSpan(_base, _len).CopyTo(larger);
            _dropped_event = larger;
        }
        else if (!ReferenceEquals(_page, _dropped_event))
        {
            _page.AsSpan(_base, _len).CopyTo(_dropped_event);
        }

        _page = _dropped_event;
        _base = 0;
        _room = _dropped_event.Length;
    }

    [KernelNet.Annotations.NotInLinux("the print format's literal text")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AppendLiteral(string s) => op(Literal, s, 0);

    [KernelNet.Annotations.NotInLinux("a string argument, copied as __assign_str copies it")]
    internal void AppendFormatted(ReadOnlySpan<char> s, int alignment = 0)
    {
        op(Str, null, alignment);
        var n = Math.Min(s.Length, ushort.MaxValue);
        var field = reserve(2 + (n * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)n);
        var chars = field[2..];
        if (BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(s[..n]).CopyTo(chars);
            return;
        }

        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(chars[(i * 2)..], s[i]);
        }
    }

    [KernelNet.Annotations.NotInLinux("a value argument in binary, by its type")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AppendFormatted<T>(T value, int alignment, string? format)
    {
        if (typeof(T) == typeof(int))
        {
            op(S32, format, alignment);
            BinaryPrimitives.WriteInt32LittleEndian(reserve(4), Unsafe.As<T, int>(ref value));
        }
        else if (typeof(T) == typeof(uint))
        {
            op(U32, format, alignment);
            BinaryPrimitives.WriteUInt32LittleEndian(reserve(4), Unsafe.As<T, uint>(ref value));
        }
        else if (typeof(T) == typeof(long))
        {
            op(S64, format, alignment);
            BinaryPrimitives.WriteInt64LittleEndian(reserve(8), Unsafe.As<T, long>(ref value));
        }
        else if (typeof(T) == typeof(ulong))
        {
            op(U64, format, alignment);
            BinaryPrimitives.WriteUInt64LittleEndian(reserve(8), Unsafe.As<T, ulong>(ref value));
        }
        else if (typeof(T) == typeof(ushort))
        {
            op(U16, format, alignment);
            BinaryPrimitives.WriteUInt16LittleEndian(reserve(2), Unsafe.As<T, ushort>(ref value));
        }
        else if (typeof(T) == typeof(short))
        {
            op(S16, format, alignment);
            BinaryPrimitives.WriteInt16LittleEndian(reserve(2), Unsafe.As<T, short>(ref value));
        }
        else if (typeof(T) == typeof(byte))
        {
            op(U8, format, alignment);
            reserve(1)[0] = Unsafe.As<T, byte>(ref value);
        }
        else if (typeof(T) == typeof(sbyte))
        {
            op(S8, format, alignment);
            reserve(1)[0] = unchecked((byte)Unsafe.As<T, sbyte>(ref value));
        }
        else if (typeof(T) == typeof(bool))
        {
            op(Bool, format, alignment);
            reserve(1)[0] = Unsafe.As<T, bool>(ref value) ? (byte)1 : (byte)0;
        }
        else if (typeof(T) == typeof(char))
        {
            op(Char, format, alignment);
            BinaryPrimitives.WriteUInt16LittleEndian(reserve(2), Unsafe.As<T, char>(ref value));
        }
        else if (typeof(T) == typeof(double))
        {
            op(F64, format, alignment);
            BinaryPrimitives.WriteDoubleLittleEndian(reserve(8), Unsafe.As<T, double>(ref value));
        }
        else if (typeof(T) == typeof(float))
        {
            op(F32, format, alignment);
            BinaryPrimitives.WriteSingleLittleEndian(reserve(4), Unsafe.As<T, float>(ref value));
        }
        else if (typeof(T) == typeof(string))
        {
            AppendFormatted(Unsafe.As<T, string?>(ref value).AsSpan(), alignment);
        }
        else if (typeof(T) == typeof(trace_ip4))
        {
            op(Ip4, format, alignment);
            BinaryPrimitives.WriteUInt32LittleEndian(reserve(4), Unsafe.As<T, trace_ip4>(ref value).addr);
        }
        else if (typeof(T) == typeof(trace_hex_alt))
        {
            op(HexAlt, format, alignment);
            BinaryPrimitives.WriteUInt32LittleEndian(reserve(4), Unsafe.As<T, trace_hex_alt>(ref value).value);
        }
        else if (typeof(T) == typeof(trace_hex_str))
        {
            ref var hex = ref Unsafe.As<T, trace_hex_str>(ref value);
            op(HexStr, format, alignment);
            var n = Math.Min(Math.Max(hex.len, 0), hex.buf?.Length ?? ushort.MaxValue);
            var field = reserve(2 + n);
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)n);
            if (hex.buf is null)
            {
                field[2..].Clear();
            }
            else
            {
                hex.buf.AsSpan(0, n).CopyTo(field[2..]);
            }
        }
        else if (typeof(T) == typeof(trace_ip6_v4mapped))
        {
            ref var ip6 = ref Unsafe.As<T, trace_ip6_v4mapped>(ref value);
            op(Ip6V4Mapped, format, alignment);
            var field = reserve(5);
            field[0] = ip6.mapped ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32LittleEndian(field[1..], ip6.addr);
        }
        else if (typeof(T) == typeof(trace_print_symbolic))
        {
            ref var sym = ref Unsafe.As<T, trace_print_symbolic>(ref value);
            op(Symbolic, format, alignment, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(sym.symbols));
            BinaryPrimitives.WriteInt32LittleEndian(reserve(4), sym.value);
        }
        else if (typeof(T).IsEnum)
        {
            op(EnumField, format, alignment, typeof(T));
            ulong bits = Unsafe.SizeOf<T>() switch
            {
                1 => Unsafe.As<T, byte>(ref value),
                2 => Unsafe.As<T, ushort>(ref value),
                4 => Unsafe.As<T, uint>(ref value),
                _ => Unsafe.As<T, ulong>(ref value),
            };
            BinaryPrimitives.WriteUInt64LittleEndian(reserve(8), bits);
        }
        else
        {
            // anything else (a class's ToString, a nullable) is made text at the tracepoint, as it was
            var text = value is IFormattable f ? f.ToString(format, CultureInfo.InvariantCulture) : value?.ToString();
            AppendFormatted(text.AsSpan(), alignment);
        }
    }

    /// <summary>The text the shape and values make: what the tracepoint's interpolated string would have been.</summary>
    [KernelNet.Annotations.NotInLinux("the event's print_fmt applied to its fields (trace_raw_output_*)")]
    internal string format(ushort shape, ReadOnlySpan<byte> values)
    {
        var ops = _shapes[shape];
        var sb = new StringBuilder(96);
        var at = 0;
        foreach (var o in ops)
        {
            var code = o.code;
            var format = o.format;
            var alignment = (int)o.alignment;
            if (code == Literal)
            {
                sb.Append(format);
                continue;
            }

            string text;
            switch (code)
            {
                case Bool:
                    text = values[at] != 0 ? bool.TrueString : bool.FalseString;
                    at += 1;
                    break;
                case U8:
                    text = values[at].ToString(format, CultureInfo.InvariantCulture);
                    at += 1;
                    break;
                case S8:
                    text = unchecked((sbyte)values[at]).ToString(format, CultureInfo.InvariantCulture);
                    at += 1;
                    break;
                case S16:
                    text = BinaryPrimitives.ReadInt16LittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 2;
                    break;
                case U16:
                    text = BinaryPrimitives.ReadUInt16LittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 2;
                    break;
                case S32:
                    text = BinaryPrimitives.ReadInt32LittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 4;
                    break;
                case U32:
                    text = BinaryPrimitives.ReadUInt32LittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 4;
                    break;
                case S64:
                    text = BinaryPrimitives.ReadInt64LittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 8;
                    break;
                case U64:
                    text = BinaryPrimitives.ReadUInt64LittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 8;
                    break;
                case Char:
                    text = ((char)BinaryPrimitives.ReadUInt16LittleEndian(values[at..])).ToString(CultureInfo.InvariantCulture);
                    at += 2;
                    break;
                case F64:
                    text = BinaryPrimitives.ReadDoubleLittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 8;
                    break;
                case F32:
                    text = BinaryPrimitives.ReadSingleLittleEndian(values[at..]).ToString(format, CultureInfo.InvariantCulture);
                    at += 4;
                    break;
                case Ip4:
                    {
                        text = ip4_text(BinaryPrimitives.ReadUInt32LittleEndian(values[at..]));
                        at += 4;
                        break;
                    }

                case HexAlt:
                    {
                        var v = BinaryPrimitives.ReadUInt32LittleEndian(values[at..]);
                        text = v == 0 ? "0" : "0x" + v.ToString("x", CultureInfo.InvariantCulture);
                        at += 4;
                        break;
                    }

                case HexStr:
                    {
                        var n = BinaryPrimitives.ReadUInt16LittleEndian(values[at..]);
                        text = Convert.ToHexStringLower(values.Slice(at + 2, n));
                        at += 2 + n;
                        break;
                    }

                case Ip6V4Mapped:
                    {
                        text = values[at] == 0 ? "::" : "::ffff:" + ip4_text(BinaryPrimitives.ReadUInt32LittleEndian(values[(at + 1)..]));
                        at += 5;
                        break;
                    }

                case Symbolic:
                    text = trace_print_symbols(BinaryPrimitives.ReadInt32LittleEndian(values[at..]), o.symbols);
                    at += 4;
                    break;

                case Str:
                    {
                        var n = BinaryPrimitives.ReadUInt16LittleEndian(values[at..]);
                        at += 2;
                        var chars = new char[n];
                        for (var c = 0; c < n; c++)
                        {
                            chars[c] = (char)BinaryPrimitives.ReadUInt16LittleEndian(values[(at + (c * 2))..]);
                        }

                        at += n * 2;
                        text = new string(chars);
                        break;
                    }

                default:
                    text = enum_text(o.enum_type!, BinaryPrimitives.ReadUInt64LittleEndian(values[at..]), format);
                    at += 8;
                    break;
            }

            if (alignment > 0)
            {
                sb.Append(text.PadLeft(alignment));
            }
            else if (alignment < 0)
            {
                sb.Append(text.PadRight(-alignment));
            }
            else
            {
                sb.Append(text);
            }
        }

        return sb.ToString();
    }

    [KernelNet.Annotations.NotInLinux("trace_print_symbols_seq (kernel/trace/trace_output.c) of one field: the value's name, else 0x and its hex digits")]
    private static string trace_print_symbols(int value, System.Collections.Immutable.ImmutableArray<trace_print_flags> symbols)
    {
        foreach (var s in symbols)
        {
            if (s.mask == value)
            {
                return s.name;
            }
        }

        return "0x" + value.ToString("x", CultureInfo.InvariantCulture);
    }

    [KernelNet.Annotations.NotInLinux("%pI4 of lib/vsprintf.c (ip4_string): the dotted quad of an IPv4 field")]
    private static string ip4_text(uint a) => string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}");

    [KernelNet.Annotations.NotInLinux("an enum field printed as the interpolation printed it (its name, or its format)")]
    private static string enum_text(Type type, ulong bits, string? format)
    {
        var underlying = Enum.GetUnderlyingType(type);
        object value = Type.GetTypeCode(underlying) switch
        {
            TypeCode.SByte => Enum.ToObject(type, unchecked((sbyte)bits)),
            TypeCode.Byte => Enum.ToObject(type, (byte)bits),
            TypeCode.Int16 => Enum.ToObject(type, unchecked((short)bits)),
            TypeCode.UInt16 => Enum.ToObject(type, (ushort)bits),
            TypeCode.Int32 => Enum.ToObject(type, unchecked((int)bits)),
            TypeCode.UInt32 => Enum.ToObject(type, (uint)bits),
            TypeCode.Int64 => Enum.ToObject(type, unchecked((long)bits)),
            _ => Enum.ToObject(type, bits),
        };
        return ((IFormattable)value).ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The interpolated-string builder a tracepoint's <c>record</c> call takes: each literal and
    /// argument goes straight into the instance's scratch record, nothing is formatted.
    /// </summary>
    [InterpolatedStringHandler]
    public ref struct builder
    {
        private readonly trace_event_fields _f;

        /// <summary>The event the builder reserved, for the record call to commit.</summary>
        internal readonly trace_event_call call;

        public builder(int literalLength, int formattedCount, trace_array tr, string system, string name)
            : this(literalLength, formattedCount, tr, trace_events_c.find(system, name))
        {
        }

        public builder(int literalLength, int formattedCount, trace_array tr, trace_event_call call)
        {
            _ = literalLength;
            _ = formattedCount;
            _f = tr.fields;
            this.call = call;
            tr.reserve(call);
        }

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void AppendLiteral(string s) => _f.AppendLiteral(s);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void AppendFormatted<T>(T value) => _f.AppendFormatted(value, 0, null);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void AppendFormatted<T>(T value, string? format) => _f.AppendFormatted(value, 0, format);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void AppendFormatted<T>(T value, int alignment) => _f.AppendFormatted(value, alignment, null);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void AppendFormatted<T>(T value, int alignment, string? format) => _f.AppendFormatted(value, alignment, format);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void AppendFormatted(ReadOnlySpan<char> value) => _f.AppendFormatted(value);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void AppendFormatted(string? value) => _f.AppendFormatted(value.AsSpan());
    }
}
