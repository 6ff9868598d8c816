using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using KernelNet.Scenarios.Journey;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Scenarios.Timeline;

/// <summary>What ran on a CPU for a while: a hard interrupt, a softirq, or a task.</summary>
public enum SliceKind
{
    Process,
    Softirq,
    Hardirq,
}

/// <summary>One slice of a CPU track: [Start, Start + Duration] in microseconds, under a host.</summary>
public sealed record Slice(string Host, int Cpu, SliceKind Kind, string Name, long Start, long Duration)
{
    public long End => Start + Duration;
}

/// <summary>One step of a journey placed on a track: host, CPU, time (µs), and what the step was.</summary>
public sealed record JourneyMark(string Host, int Cpu, long Time, string Name, string Context);

/// <summary>A run's timeline: slices per (host, CPU) track, properly nested, and each skb's journey as marks.</summary>
public sealed record TimelineModel(IReadOnlyList<string> Hosts, IReadOnlyList<int> Cpus, IReadOnlyList<Slice> Slices, IReadOnlyList<(SkbJourney Journey, IReadOnlyList<JourneyMark> Marks)> Journeys)
{
    /// <summary>The host of what no device, task or interrupt names.</summary>
    public const string NoHost = "kernel";

    /// <summary>
    /// Builds the timeline of one or more journey sets (a recording and its simulation side by
    /// side: each set's hosts are prefixed with its source when there are several). Slices: a
    /// hard interrupt from <c>irq_handler_entry</c> to <c>irq_handler_exit</c>; a softirq from
    /// <c>softirq_entry</c> to <c>softirq_exit</c>; a task from the <c>sched_switch</c> to it to
    /// the one away from it, or, where the trace has no sched_switch, over its run of consecutive
    /// events on that CPU. Each slice goes under the host of the first event in it that names one.
    /// A slice that would cross its parent's end is cut there, so every track nests.
    /// </summary>
    public static TimelineModel Build(IReadOnlyList<JourneySet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var slices = new List<Slice>();
        var journeys = new List<(SkbJourney, IReadOnlyList<JourneyMark>)>();
        var prefix = sets.Count > 1;
        foreach (var set in sets)
        {
            string Label(string? host) => prefix ? $"{set.Source}:{host ?? NoHost}" : host ?? NoHost;
            var hostOf = new Dictionary<TraceEvent, string?>(ReferenceEqualityComparer.Instance);
            foreach (var e in set.Events)
            {
                hostOf[e] = set.Hosts.Observe(e);
            }

            slices.AddRange(SlicesOf(set.Events, e => hostOf[e], Label));
            foreach (var j in set.Journeys)
            {
                journeys.Add((j, j.Steps.Select(s => new JourneyMark(Label(s.Host ?? (hostOf.TryGetValue(s.Event, out var h) ? h : null)), s.Event.Cpu, Micros(s.Event.Timestamp), s.Event.Name, s.Context)).ToList()));
            }
        }

        var nested = Nest(slices);
        var hosts = nested.Select(s => s.Host).Concat(journeys.SelectMany(j => j.Item2.Select(m => m.Host))).Distinct().Order(StringComparer.Ordinal).ToList();
        var cpus = nested.Select(s => s.Cpu).Concat(journeys.SelectMany(j => j.Item2.Select(m => m.Cpu))).Distinct().Order().ToList();
        return new TimelineModel(hosts, cpus, nested, journeys);
    }

    public static long Micros(decimal seconds) => (long)decimal.Round(seconds * 1_000_000m);

    private static List<Slice> SlicesOf(IReadOnlyList<TraceEvent> events, Func<TraceEvent, string?> hostOf, Func<string?, string> label)
    {
        var slices = new List<Slice>();
        var hasSwitch = events.Any(e => e.Name == "sched_switch");
        var open = new Dictionary<(int Cpu, SliceKind Kind), (string Name, long Start, string? Host)>();
        var task = new Dictionary<int, (string Name, long Start, long Last, string? Host)>();
        long end = events.Count > 0 ? Micros(events[^1].Timestamp) : 0;

        void Close(int cpu, SliceKind kind, long at)
        {
            if (open.Remove((cpu, kind), out var o))
            {
                slices.Add(new Slice(label(o.Host), cpu, kind, o.Name, o.Start, Math.Max(0, at - o.Start)));
            }
        }

        void CloseTask(int cpu, long at)
        {
            if (task.Remove(cpu, out var t))
            {
                slices.Add(new Slice(label(t.Host), cpu, SliceKind.Process, t.Name, t.Start, Math.Max(0, at - t.Start)));
            }
        }

        foreach (var e in events)
        {
            var t = Micros(e.Timestamp);
            var host = hostOf(e);
            foreach (var key in open.Keys.Where(k => k.Cpu == e.Cpu && open[k].Host is null).ToList())
            {
                open[key] = open[key] with { Host = host };
            }

            switch (e.Name)
            {
                case "irq_handler_entry":
                    open[(e.Cpu, SliceKind.Hardirq)] = ($"irq {e.Field("irq")} {e.Field("dev")}", t, host);
                    break;
                case "irq_handler_exit":
                    Close(e.Cpu, SliceKind.Hardirq, t);
                    break;
                case "softirq_entry":
                    open[(e.Cpu, SliceKind.Softirq)] = ($"softirq {e.Field("action")}", t, host);
                    break;
                case "softirq_exit":
                    Close(e.Cpu, SliceKind.Softirq, t);
                    break;
                case "sched_switch":
                    CloseTask(e.Cpu, t);
                    var next = e.Field("next_comm");
                    if (next is not null && !next.StartsWith("swapper", StringComparison.Ordinal))
                    {
                        task[e.Cpu] = ($"{next}-{e.Field("next_pid")}", t, t, null);
                    }

                    break;
            }

            if (e.Task == "<idle>")
            {
                continue;
            }

            var name = $"{e.Task}-{e.Pid}";
            if (task.TryGetValue(e.Cpu, out var running))
            {
                if (running.Name == name)
                {
                    task[e.Cpu] = running with { Last = t, Host = running.Host ?? (e.Context == TraceContext.Process ? host : null) };
                    continue;
                }

                if (hasSwitch)
                {
                    continue;
                }

                CloseTask(e.Cpu, running.Last);
            }

            if (!hasSwitch)
            {
                task[e.Cpu] = (name, t, t, e.Context == TraceContext.Process ? host : null);
            }
        }

        foreach (var k in open.Keys.ToList())
        {
            Close(k.Cpu, k.Kind, end);
        }

        foreach (var (cpu, t) in task.ToList())
        {
            CloseTask(cpu, hasSwitch ? end : t.Last);
        }

        return slices;
    }

    /// <summary>Orders each track's slices and cuts any that would cross its enclosing slice's end.</summary>
    private static List<Slice> Nest(List<Slice> slices)
    {
        var result = new List<Slice>();
        foreach (var track in slices.GroupBy(s => (s.Host, s.Cpu)).OrderBy(g => g.Key.Host, StringComparer.Ordinal).ThenBy(g => g.Key.Cpu))
        {
            var stack = new Stack<Slice>();
            foreach (var s in track.OrderBy(s => s.Start).ThenByDescending(s => s.Duration).ThenBy(s => s.Kind))
            {
                while (stack.Count > 0 && stack.Peek().End <= s.Start && stack.Peek().Start != s.Start)
                {
                    stack.Pop();
                }

                var placed = stack.Count > 0 && s.End > stack.Peek().End ? s with { Duration = stack.Peek().End - s.Start } : s;
                result.Add(placed);
                stack.Push(placed);
            }
        }

        return result;
    }
}

/// <summary>
/// Writes a timeline in the Chrome trace-event format (the JSON Object Format that Perfetto's UI
/// and chrome://tracing open): <c>traceEvents</c> with metadata events naming each host (pid) and
/// CPU (tid), a complete event (ph X) per slice, an instant event (ph i) per journey step and a
/// flow (ph s, t, f, one id per skb) linking a journey's steps; times in microseconds.
/// </summary>
public static class ChromeTrace
{
    public static void Write(Stream stream, TimelineModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        var pid = model.Hosts.Select((h, i) => (h, i + 1)).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal);
        w.WriteStartObject();
        w.WriteString("displayTimeUnit", "ns");
        w.WritePropertyName("traceEvents");
        w.WriteStartArray();
        foreach (var host in model.Hosts)
        {
            Meta(w, "process_name", pid[host], 0, host);
            foreach (var cpu in model.Cpus)
            {
                Meta(w, "thread_name", pid[host], cpu, $"CPU {cpu}");
            }
        }

        foreach (var s in model.Slices)
        {
            w.WriteStartObject();
            w.WriteString("ph", "X");
            w.WriteString("name", s.Name);
            w.WriteString("cat", s.Kind.ToString().ToLowerInvariant());
            w.WriteNumber("ts", s.Start);
            w.WriteNumber("dur", s.Duration);
            w.WriteNumber("pid", pid[s.Host]);
            w.WriteNumber("tid", s.Cpu);
            w.WriteEndObject();
        }

        var id = 0;
        foreach (var (journey, marks) in model.Journeys)
        {
            id++;
            for (var i = 0; i < marks.Count; i++)
            {
                var m = marks[i];
                w.WriteStartObject();
                w.WriteString("ph", "i");
                w.WriteString("s", "t");
                w.WriteString("name", $"{journey.Skb} {m.Name}");
                w.WriteString("cat", "skb");
                w.WriteNumber("ts", m.Time);
                w.WriteNumber("pid", pid[m.Host]);
                w.WriteNumber("tid", m.Cpu);
                w.WriteStartObject("args");
                w.WriteString("skb", journey.Skb);
                w.WriteString("context", m.Context);
                w.WriteString("ending", journey.Ending);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            if (marks.Count < 2)
            {
                continue;
            }

            for (var i = 0; i < marks.Count; i++)
            {
                var m = marks[i];
                w.WriteStartObject();
                w.WriteString("ph", i == 0 ? "s" : i == marks.Count - 1 ? "f" : "t");
                if (i == marks.Count - 1)
                {
                    w.WriteString("bp", "e");
                }

                w.WriteString("name", journey.Skb);
                w.WriteString("cat", "skb");
                w.WriteNumber("id", id);
                w.WriteNumber("ts", m.Time);
                w.WriteNumber("pid", pid[m.Host]);
                w.WriteNumber("tid", m.Cpu);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteFile(string path, TimelineModel model)
    {
        using var f = File.Create(path);
        Write(f, model);
    }

    private static void Meta(Utf8JsonWriter w, string what, int pid, int tid, string name)
    {
        w.WriteStartObject();
        w.WriteString("ph", "M");
        w.WriteString("name", what);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("name", name);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
