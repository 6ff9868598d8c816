// Ports the event registry of kernel/trace/trace_events.c: which events exist
// (available_events) and how a set_event line selects among them.
//
// departure: the kernel collects its events from the _ftrace_events linker
// section; the port finds them as the trace_* functions of the
// include/trace/events classes (class net_h, function trace_netif_rx: system
// "net", event "netif_rx"), the C# counterpart of that section.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
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
