using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelNet.Scenarios.Oracle;

/// <summary>Where an event ran, from the flags column's hardirq/softirq character.</summary>
public enum TraceContext
{
    Process,
    Softirq,
    Hardirq,
    Nmi,
}

/// <summary>
/// One line of /sys/kernel/tracing/trace: <c>TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: BODY</c>.
/// The body's fields are parsed by the shape tracepoints print them in: <c>key=value</c> (net, skb,
/// sock, udp), <c>key value</c> pairs (neigh), and <c>reason: X</c> (kfree_skb).
/// </summary>
public sealed partial record TraceEvent(string Task, int Pid, int Cpu, string Flags, decimal Timestamp, string Name, string Body, string Line)
{
    private IReadOnlyList<KeyValuePair<string, string>>? _fields;

    public TraceContext Context => Flags.Length < 3 ? TraceContext.Process : Flags[2] switch
    {
        'h' or 'H' => TraceContext.Hardirq,
        's' => TraceContext.Softirq,
        'z' or 'Z' => TraceContext.Nmi,
        _ => TraceContext.Process,
    };

    /// <summary>The body's fields, in print order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields ??= ParseFields(Name, Body);

    public string? Field(string key)
    {
        foreach (var kv in Fields)
        {
            if (kv.Key == key)
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <summary>The device this event names (dev= / name / neigh's "dev X"), if any.</summary>
    public string? Device => Field("dev");

    public string? SkbAddress => Field("skbaddr");

    public bool FreesSkb => Name is "kfree_skb" or "consume_skb";

    [GeneratedRegex(@"^\s*(?<task>.+?)-(?<pid>\d+)\s+\[(?<cpu>\d+)\]\s+(?<flags>\S+)\s+(?<ts>\d+\.\d+):\s+(?<event>[A-Za-z0-9_]+):\s?(?<body>.*)$")]
    private static partial Regex LinePattern();

    /// <summary>Parses one trace line; null for comments, blank lines and anything that is not an event.</summary>
    public static TraceEvent? Parse(string line)
    {
        if (line.Length == 0 || line[0] == '#')
        {
            return null;
        }

        var m = LinePattern().Match(line);
        if (!m.Success)
        {
            return null;
        }

        return new TraceEvent(
            m.Groups["task"].Value.Trim(),
            int.Parse(m.Groups["pid"].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(m.Groups["cpu"].ValueSpan, CultureInfo.InvariantCulture),
            m.Groups["flags"].Value,
            decimal.Parse(m.Groups["ts"].ValueSpan, CultureInfo.InvariantCulture),
            m.Groups["event"].Value,
            m.Groups["body"].Value,
            line);
    }

    public static List<TraceEvent> ParseAll(string text)
    {
        var events = new List<TraceEvent>();
        foreach (var line in text.Split('\n'))
        {
            if (Parse(line.TrimEnd('\r')) is { } e)
            {
                events.Add(e);
            }
        }

        return events;
    }

    private static List<KeyValuePair<string, string>> ParseFields(string name, string body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var tokens = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (name.StartsWith("neigh_", StringComparison.Ordinal))
        {
            for (var i = 0; i + 1 < tokens.Length; i += 2)
            {
                fields.Add(new(tokens[i], tokens[i + 1]));
            }

            return fields;
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            var eq = t.IndexOf('=', StringComparison.Ordinal);
            if (t.EndsWith(':') && i + 1 < tokens.Length)
            {
                fields.Add(new(t.TrimEnd(':'), tokens[++i]));
            }
            else if (eq > 0)
            {
                var key = t[..eq].TrimStart('[');
                fields.Add(new(key == "name" ? "dev" : key, t[(eq + 1)..].TrimEnd(']')));
            }
            else
            {
                fields.Add(new(t, ""));
            }
        }

        return fields;
    }
}
