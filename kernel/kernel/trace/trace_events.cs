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
// interpolated string; the builder below writes each argument's value in
// binary (integers, booleans, enums as their bits; strings as their
// characters, as __string/__assign_str copy them) and notes the literal text
// and format specifiers between them as the event's shape, interned once per
// distinct shape. The text is made from shape and values only when the trace
// is read, exactly as string.Create(CultureInfo.InvariantCulture, ...) would
// have made it at the tracepoint.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using KernelNet.Kernel.Include.Trace.Events;

namespace KernelNet.Kernel.Kernel.Trace;

/// <summary>One event the port can emit: its system (the header's TRACE_SYSTEM) and name.</summary>
public readonly record struct trace_event_call(string system, string name)
{
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

    [KernelNet.Annotations.NotInLinux("the simulation's list of ported events, found by reflection; C registers them at build time")]
    private static List<trace_event_call> discover_events()
    {
        var headers = typeof(net_h).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(net_h).Namespace && t.IsAbstract && t.IsSealed && t.Name.EndsWith(HeaderClassSuffix, StringComparison.Ordinal));
        var events = new SortedSet<trace_event_call>(Comparer<trace_event_call>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.system, b.system);
            return c != 0 ? c : string.CompareOrdinal(a.name, b.name);
        }));
        foreach (var header in headers)
        {
            // a header whose TRACE_SYSTEM is not its file name (syscalls.h: raw_syscalls) says so in a constant
            var system = header.GetField("TRACE_SYSTEM", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
                ?? header.Name[..^HeaderClassSuffix.Length];
            foreach (var f in header.GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                if (f.Name.StartsWith(TraceFunctionPrefix, StringComparison.Ordinal))
                {
                    events.Add(new trace_event_call(system, f.Name[TraceFunctionPrefix.Length..]));
                }
            }
        }

        return events.ToList();
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


/// <summary>The shapes, strings and scratch record of one trace instance's events.</summary>
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
    private const ushort EnumBit = 0x8000;
    private const ushort NoFormat = 0xffff;

    private readonly List<string> _strings = new();
    private readonly Dictionary<object, ushort> _string_ids = new(ReferenceEqualityComparer.Instance);
    private readonly List<Type> _enums = new();
    private readonly Dictionary<Type, ushort> _enum_ids = new();
    private readonly List<ushort[]> _shapes = new();
    private readonly Dictionary<ulong, ushort> _shape_ids = new();
    private byte[] _data = new byte[256];
    private int _len;
    private ushort[] _ops = new ushort[96];
    private int _ops_len;

    /// <summary>The events written so far, by type id.</summary>
    internal List<trace_event_call> event_calls { get; } = new();

    /// <summary>The scratch record's values.</summary>
    internal ReadOnlySpan<byte> data => _data.AsSpan(0, _len);

    [KernelNet.Annotations.NotInLinux("starts the scratch record of one event")]
    internal void begin()
    {
        _len = 0;
        _ops_len = 0;
    }

    /// <summary>The id of the scratch record's shape, interned (compared op by op on a hash hit).</summary>
    [KernelNet.Annotations.NotInLinux("interns the event's print format: TRACE_EVENT makes it once at build time")]
    internal ushort end()
    {
        var ops = _ops.AsSpan(0, _ops_len);
        var h = 14695981039346656037UL;
        foreach (var op in ops)
        {
            h = (h ^ op) * 1099511628211UL;
        }

        while (true)
        {
            if (!_shape_ids.TryGetValue(h, out var id))
            {
                id = checked((ushort)_shapes.Count);
                _shapes.Add(ops.ToArray());
                _shape_ids[h] = id;
                return id;
            }

            if (ops.SequenceEqual(_shapes[id]))
            {
                return id;
            }

            h++;
        }
    }

    [KernelNet.Annotations.NotInLinux("interns a literal or format string of a print format")]
    private ushort string_id(string s)
    {
        if (!_string_ids.TryGetValue(s, out var id))
        {
            id = checked((ushort)_strings.Count);
            _strings.Add(s);
            _string_ids[s] = id;
        }

        return id;
    }

    [KernelNet.Annotations.NotInLinux("appends one op of the shape")]
    private void op(ushort code, string? format, int alignment)
    {
        if (_ops_len + 3 > _ops.Length)
        {
            Array.Resize(ref _ops, _ops.Length * 2);
        }

        _ops[_ops_len++] = code;
        _ops[_ops_len++] = format is null ? NoFormat : string_id(format);
        _ops[_ops_len++] = unchecked((ushort)(short)alignment);
    }

    [KernelNet.Annotations.NotInLinux("room in the scratch record")]
    private Span<byte> reserve(int n)
    {
        if (_len + n > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(_data.Length * 2, _len + n));
        }

        var span = _data.AsSpan(_len, n);
        _len += n;
        return span;
    }

    [KernelNet.Annotations.NotInLinux("the print format's literal text")]
    internal void AppendLiteral(string s) => op(Literal, s, 0);

    [KernelNet.Annotations.NotInLinux("a string argument, copied as __assign_str copies it")]
    internal void AppendFormatted(ReadOnlySpan<char> s, int alignment = 0)
    {
        op(Str, null, alignment);
        var n = Math.Min(s.Length, ushort.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(reserve(2), (ushort)n);
        var chars = reserve(n * 2);
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(chars[(i * 2)..], s[i]);
        }
    }

    [KernelNet.Annotations.NotInLinux("a value argument in binary, by its type")]
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
        else if (typeof(T).IsEnum)
        {
            var type = typeof(T);
            if (!_enum_ids.TryGetValue(type, out var id))
            {
                id = checked((ushort)_enums.Count);
                _enums.Add(type);
                _enum_ids[type] = id;
            }

            op((ushort)(EnumBit | id), format, alignment);
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
        for (var i = 0; i < ops.Length; i += 3)
        {
            var code = ops[i];
            var format = ops[i + 1] == NoFormat ? null : _strings[ops[i + 1]];
            var alignment = (int)unchecked((short)ops[i + 2]);
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
                    text = enum_text(_enums[code & ~EnumBit], BinaryPrimitives.ReadUInt64LittleEndian(values[at..]), format);
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

        public builder(int literalLength, int formattedCount, trace_array tr)
        {
            _ = literalLength;
            _ = formattedCount;
            _f = tr.fields;
            _f.begin();
        }

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        public readonly void AppendLiteral(string s) => _f.AppendLiteral(s);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        public readonly void AppendFormatted<T>(T value) => _f.AppendFormatted(value, 0, null);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        public readonly void AppendFormatted<T>(T value, string? format) => _f.AppendFormatted(value, 0, format);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        public readonly void AppendFormatted<T>(T value, int alignment) => _f.AppendFormatted(value, alignment, null);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        public readonly void AppendFormatted<T>(T value, int alignment, string? format) => _f.AppendFormatted(value, alignment, format);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        public readonly void AppendFormatted(ReadOnlySpan<char> value) => _f.AppendFormatted(value);

        [KernelNet.Annotations.NotInLinux("interpolated string handler glue")]
        public readonly void AppendFormatted(string? value) => _f.AppendFormatted(value.AsSpan());
    }
}
