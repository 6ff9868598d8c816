using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>
/// Writes a scenario model back as a scenario file (docs/scenarios.md), one flow mapping per
/// line, so that the generator and the shrinker work on <see cref="ScenarioSpec"/> and the file
/// they hand to the recorder and the simulation is what <see cref="ScenarioLoader"/> reads.
/// The same model always gives the same text, byte for byte.
/// </summary>
public static class ScenarioWriter
{
    public static string Write(ScenarioSpec s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder();
        sb.Append("name: ").Append(s.Name).Append('\n');
        if (s.Description.Length > 0)
        {
            sb.Append("description: ").Append(Quote(s.Description)).Append('\n');
        }

        // every level is required unless marked informative, with its reason (the loader's syntax)
        if (s.InformativeLevels.Count > 0)
        {
            sb.Append("levels:\n");
            foreach (var (level, reason) in s.InformativeLevels.OrderBy(kv => kv.Key))
            {
                sb.Append("  ").Append(level.ToString().ToLowerInvariant()).Append(": { informative: ").Append(Quote(reason)).Append(" }\n");
            }
        }

        if (!s.Tracepoints.SequenceEqual(ScenarioSpec.DefaultTracepoints))
        {
            sb.Append("tracepoints: [").Append(string.Join(", ", s.Tracepoints)).Append("]\n");
        }

        sb.Append("hosts:\n");
        foreach (var h in s.Hosts)
        {
            Host(sb, h);
        }

        sb.Append("links:\n");
        foreach (var l in s.Links)
        {
            Link(sb, l);
        }

        sb.Append("steps:\n");
        foreach (var step in s.Steps)
        {
            Step(sb, step);
        }

        return sb.ToString();
    }

    private static void Host(StringBuilder sb, HostSpec h)
    {
        if (h.Sysctls.Count == 0 && h.Routes.Count == 0 && h.Filters.Count == 0)
        {
            sb.Append("  ").Append(h.Name).Append(": {}\n");
            return;
        }

        sb.Append("  ").Append(h.Name).Append(":\n");
        if (h.Sysctls.Count > 0)
        {
            sb.Append("    sysctls: { ")
                .Append(string.Join(", ", h.Sysctls.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}")))
                .Append(" }\n");
        }

        if (h.Routes.Count > 0)
        {
            sb.Append("    routes:\n");
            foreach (var r in h.Routes)
            {
                var parts = new List<string> { $"to: {(r.Destination.PrefixLength == 0 ? "default" : r.Destination.ToString())}" };
                if (r.Via is { } via)
                {
                    parts.Add($"via: {via}");
                }

                if (r.Device is { } dev)
                {
                    parts.Add($"dev: {dev}");
                }

                if (r.Source is { } src)
                {
                    parts.Add($"src: {src}");
                }

                sb.Append("      - { ").Append(string.Join(", ", parts)).Append(" }\n");
            }
        }

        if (h.Filters.Count > 0)
        {
            sb.Append("    filters:\n");
            foreach (var f in h.Filters)
            {
                sb.Append("      - ").Append(Filter(f)).Append('\n');
            }
        }
    }

    /// <summary>One filter rule as the flow mapping the loader reads.</summary>
    public static string Filter(FilterRule f)
    {
        var parts = new List<string>
        {
            $"chain: {f.Chain.ToString().ToLowerInvariant()}",
            $"action: {f.Action.ToString().ToLowerInvariant()}",
        };
        if (f.Protocol != FilterProtocol.Any)
        {
            parts.Add($"protocol: {f.Protocol.ToString().ToLowerInvariant()}");
        }

        if (f.Source is { } s)
        {
            parts.Add($"src: {s}");
        }

        if (f.Destination is { } d)
        {
            parts.Add($"dst: {d}");
        }

        if (f.SourcePort is { } sp)
        {
            parts.Add($"sport: {sp}");
        }

        if (f.DestinationPort is { } dp)
        {
            parts.Add($"dport: {dp}");
        }

        if (f.CtState != CtState.None)
        {
            var names = new[] { (CtState.New, "new"), (CtState.Established, "established"), (CtState.Related, "related"), (CtState.Invalid, "invalid") };
            parts.Add("ctstate: \"" + string.Join('|', names.Where(n => (f.CtState & n.Item1) != 0).Select(n => n.Item2)) + "\"");
        }

        if (f.InInterface is { } iif)
        {
            parts.Add($"in: {iif}");
        }

        if (f.OutInterface is { } oif)
        {
            parts.Add($"out: {oif}");
        }

        if (f.To is { } to)
        {
            parts.Add($"to: \"{to}\"");
        }

        return "{ " + string.Join(", ", parts) + " }";
    }

    private static void Link(StringBuilder sb, LinkSpec l)
    {
        sb.Append("  - name: ").Append(l.Name).Append('\n');
        sb.Append("    type: ").Append(l.Kind.ToString().ToLowerInvariant()).Append('\n');
        sb.Append("    mtu: ").Append(l.Mtu.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("    ends:\n");
        foreach (var e in l.Ends)
        {
            var parts = new List<string> { $"host: {e.Host}", $"interface: {e.Interface}" };
            if (e.Address is { } a)
            {
                parts.Add($"address: {a}");
            }

            if (l.Kind != LinkKind.Loopback)
            {
                parts.Add($"mac: \"{e.Mac}\"");
            }

            sb.Append("      - { ").Append(string.Join(", ", parts)).Append(" }\n");
        }
    }

    private static void Step(StringBuilder sb, Step step)
    {
        var (verb, args) = step switch
        {
            CreateSocketStep s => ("socket", Socket(s)),
            BindStep s => ("bind", $"socket: {s.Socket}, address: {s.Address}, port: {s.Port}"),
            ListenStep s => ("listen", $"socket: {s.Socket}, backlog: {s.Backlog}"),
            AcceptStep s => ("accept", $"socket: {s.Socket}, name: {s.NewSocket}{Wait(s.Mode, s.TimeoutMs)}"),
            ConnectStep s => ("connect", $"socket: {s.Socket}, to: \"{s.Address}:{s.Port}\"{Wait(s.Mode, s.TimeoutMs)}"),
            SendStep s => (s.To is null ? "send" : "sendto",
                $"socket: {s.Socket}{(s.To is { } to ? $", to: \"{to.Address}:{to.Port}\"" : "")}, {PayloadText(s.Payload)}{Wait(s.Mode, s.TimeoutMs)}"),
            RecvStep s => ("recv", $"socket: {s.Socket}, size: {s.Size}{Wait(s.Mode, s.TimeoutMs)}"),
            ShutdownStep s => ("shutdown", $"socket: {s.Socket}, how: {s.How.ToString().ToLowerInvariant()}"),
            CloseStep s => ("close", $"socket: {s.Socket}"),
            SetSockOptStep s => ("setsockopt", $"socket: {s.Socket}, option: {s.Option.Name}, value: {s.Option.Value}"),
            PingStep s => ("ping", $"host: {s.PingHost}, to: {s.Destination}, id: {s.Identifier}, seq: {s.Sequence}, size: {s.Size}, timeout_ms: {s.TimeoutMs}"),
            SleepStep s => ("sleep", $"ms: {s.Milliseconds}"),
            PollStep s => ("poll", $"socket: {s.Socket}, events: {PollEventsText(s.Events)}, timeout_ms: {s.TimeoutMs}"),
            InjectStep s => ("inject", $"link: {s.LinkName}, from: {s.FromHost}, hex: \"{Convert.ToHexStringLower(s.Frame)}\""),
            FileStep s => ("file", $"host: {s.FileHost}, name: {s.Name}, size: {s.Size}"),
            PipeStep s => ("pipe", $"host: {s.PipeHost}, read: {s.ReadEnd}, write: {s.WriteEnd}"),
            SendfileStep s => ("sendfile", $"socket: {s.Socket}, file: {s.File}, size: {s.Size}"),
            SpliceStep s => ("splice", $"from: {s.Socket}, to: {s.To}, size: {s.Size}{(s.NonBlock ? ", nonblock: true" : "")}"),
            MmapSendStep s => ("mmap_send", $"socket: {s.Socket}, file: {s.File}, size: {s.Size}"),
            LinkSetStep s => ("link_set", $"link: {s.LinkName}, host: {s.LinkHost}, state: {(s.Up ? "up" : "down")}"),
            _ => throw new NotSupportedException($"explore cannot write a {step.GetType().Name} step yet"),
        };
        sb.Append("  - ").Append(verb).Append(": { ").Append(args).Append(" }\n");
        if (Expect(step.Expect) is { } e)
        {
            sb.Append("    expect: ").Append(e).Append('\n');
        }
    }

    private static string Socket(CreateSocketStep s)
    {
        var text = $"host: {s.OwnerHost}, name: {s.Socket}, type: {s.Kind.ToString().ToLowerInvariant()}";
        return s.Options.Count == 0
            ? text
            : text + ", options: { " + string.Join(", ", s.Options.Select(o => $"{o.Name}: {o.Value}")) + " }";
    }

    private static string PollEventsText(short events)
    {
        var names = new List<string>();
        foreach (var name in new[] { "in", "pri", "out", "rdhup" })
        {
            if ((events & StepOutcome.PollBit(name)!.Value) != 0)
            {
                names.Add(name);
            }
        }

        return "\"" + string.Join('|', names) + "\"";
    }

    private static string Wait(WaitMode mode, int timeoutMs) => mode switch
    {
        WaitMode.Blocking => ", mode: blocking",
        WaitMode.NonBlocking => ", mode: nonblocking",
        _ => $", mode: timeout, timeout_ms: {timeoutMs}",
    };

    /// <summary>The pattern as size:, lower-case letters as data:, anything else as hex:.</summary>
    private static string PayloadText(Payload p)
    {
        if (p.Bytes.AsSpan().SequenceEqual(Payload.Pattern(p.Bytes.Length).Bytes))
        {
            return $"size: {p.Bytes.Length}";
        }

        return p.Bytes.All(b => b is >= (byte)'a' and <= (byte)'z')
            ? $"data: \"{Encoding.ASCII.GetString(p.Bytes)}\""
            : $"hex: \"{Convert.ToHexStringLower(p.Bytes)}\"";
    }

    private static string? Expect(Expectation e) => e.Kind switch
    {
        ExpectKind.Ok => null,
        ExpectKind.Timeout => "timeout",
        ExpectKind.Errno => $"{{ errno: {e.Errno} }}",
        _ => e.Data is { } d && d.All(b => b is >= (byte)'a' and <= (byte)'z')
            ? $"{{ bytes: {e.Bytes}, data: \"{Encoding.ASCII.GetString(d)}\" }}"
            : $"{{ bytes: {e.Bytes} }}",
    };

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) + "\"";
}
