using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Scenarios.Journey;

/// <summary>What <c>kernelnet journey</c> keeps: an skb address or symbol, a flow, a drop reason, a CPU, a task.</summary>
public sealed record JourneyFilter
{
    /// <summary>An skb symbol (<c>skb3</c>) or address as the trace prints it (<c>ffff888100004900</c>).</summary>
    public string? Skb { get; init; }

    /// <summary>A flow in either direction, as <see cref="JourneySet.ParseFlow"/> reads it.</summary>
    public string? Flow { get; init; }

    /// <summary>A drop reason, with or without its SKB_DROP_REASON_ prefix.</summary>
    public string? Drop { get; init; }

    public int? Cpu { get; init; }

    /// <summary>A task: its comm (<c>udp-server</c>) or comm-pid (<c>udp-server-3</c>).</summary>
    public string? Task { get; init; }

    public bool Matches(SkbJourney j)
    {
        ArgumentNullException.ThrowIfNull(j);
        if (Skb is { } skb && !string.Equals(j.Skb, skb, StringComparison.Ordinal)
            && !j.Steps.Any(s => AddressMatches(s.Event.SkbAddress, skb)))
        {
            return false;
        }

        if (Flow is { } flow && !string.Equals(j.Flow, flow, StringComparison.Ordinal))
        {
            return false;
        }

        if (Drop is { } drop && !string.Equals(j.DropReason, drop.StartsWith("SKB_DROP_REASON_", StringComparison.Ordinal) ? drop["SKB_DROP_REASON_".Length..] : drop, StringComparison.Ordinal))
        {
            return false;
        }

        if (Cpu is { } cpu && !j.Steps.Any(s => s.Event.Cpu == cpu))
        {
            return false;
        }

        return Task is not { } task || j.Steps.Any(s => TaskMatches(s.Event, task));
    }

    /// <summary>Whether an event ran in a task: its comm, or comm-pid.</summary>
    public static bool TaskMatches(TraceEvent e, string task)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Equals(e.Task, task, StringComparison.Ordinal)
            || string.Equals(string.Create(CultureInfo.InvariantCulture, $"{e.Task}-{e.Pid}"), task, StringComparison.Ordinal);
    }

    private static bool AddressMatches(string? address, string wanted) =>
        address is not null && (string.Equals(address, wanted, StringComparison.OrdinalIgnoreCase)
            || string.Equals(address.TrimStart('0'), wanted.Replace("0x", "", StringComparison.OrdinalIgnoreCase).TrimStart('0'), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A run's or a recording's trace seen as skb journeys (built by <see cref="Normalizer.Journeys"/>,
/// the comparer's own), each with the flow of the frame it was captured as, plus every event of
/// the trace for the timeline.
/// </summary>
public sealed class JourneySet
{
    /// <summary>How far ahead in a capture a traced transmit or receive looks for its frame (frames the trace does not show: another recorder's, GSO/GRO splits).</summary>
    private const int FrameLookahead = 16;

    private JourneySet(string source, IReadOnlyList<TraceEvent> events, IReadOnlyList<SkbJourney> journeys, HostResolver hosts)
    {
        Source = source;
        Events = events;
        Journeys = journeys;
        Hosts = hosts;
    }

    /// <summary>Where it came from: <c>linux</c>, <c>simulation</c> or a demo's name.</summary>
    public string Source { get; }

    /// <summary>Every event of the trace, in order (the timeline's slices come from these).</summary>
    public IReadOnlyList<TraceEvent> Events { get; }

    public IReadOnlyList<SkbJourney> Journeys { get; }

    /// <summary>The host of an event, for the timeline (feed events in order).</summary>
    public HostResolver Hosts { get; }

    /// <summary>A recording directory (real Linux or the simulation): its trace, manifest and captures.</summary>
    /// <exception cref="FileNotFoundException">not a recording.</exception>
    public static JourneySet FromRecording(string dir, string? label = null)
    {
        var manifest = RecordingLayout.ReadManifest(dir);
        var trace = File.ReadAllText(Path.Combine(dir, RecordingLayout.Trace));
        var journeys = Normalizer.Journeys(trace, manifest);
        var captures = new Dictionary<string, List<CapturedFrame>>(StringComparer.Ordinal);
        foreach (var (link, end) in manifest.Captures)
        {
            var file = RecordingLayout.CaptureFile(dir, link);
            var device = manifest.Devices.FirstOrDefault(d => d.Value == end).Key;
            if (device is not null && File.Exists(file))
            {
                captures[device] = Pcap.ReadFrames(file);
            }
        }

        return new JourneySet(label ?? manifest.Source, TraceEvent.ParseAll(trace), AssignFlows(journeys, captures), new HostResolver(manifest, null));
    }

    /// <summary>A trace with no captures (a demo's): every event is the run's own, hosts from tasks and interrupts.</summary>
    public static JourneySet FromTrace(string source, string trace, IReadOnlyDictionary<string, string> taskHosts, IReadOnlyDictionary<int, string> irqHosts)
    {
        var manifest = new RecordingManifest
        {
            Source = source,
            Scenario = source,
            ScenarioSha256 = "",
            Kernel = "",
            Devices = [],
            Tasks = new Dictionary<string, string>(taskHosts, StringComparer.Ordinal),
            Captures = [],
            Steps = [],
        };
        return new JourneySet(source, TraceEvent.ParseAll(trace), Normalizer.Journeys(trace, manifest, scope: false, irqHosts), new HostResolver(manifest, irqHosts));
    }

    /// <summary>
    /// Reads a flow as <c>ADDR:PORT-ADDR:PORT/udp</c> (or <c>/tcp</c>) and names it as the
    /// captures do, either direction; null when it does not parse.
    /// </summary>
    public static string? ParseFlow(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.LastIndexOf('/');
        if (slash < 0)
        {
            return null;
        }

        var proto = text[(slash + 1)..].ToUpperInvariant();
        var ends = text[..slash].Split('-');
        if (proto is not ("UDP" or "TCP") || ends.Length != 2 || !ends.All(IsEndPoint))
        {
            return null;
        }

        var (a, b) = string.CompareOrdinal(ends[0], ends[1]) <= 0 ? (ends[0], ends[1]) : (ends[1], ends[0]);
        return $"{proto} {a} {b}";
    }

    public IEnumerable<SkbJourney> Select(JourneyFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Journeys.Where(filter.Matches);
    }

    /// <summary>
    /// Writes journeys as text, one block per skb: a header line
    /// <c>skb3 ffff888100004900  UDP 10.0.0.1:57597 10.0.0.2:9000  consumed</c> then one line per
    /// step: time (s), CPU, context, host, device, event, and the step's key fields. This layout
    /// is read by the walkthroughs: keep it stable.
    /// </summary>
    public static void Write(TextWriter w, IEnumerable<SkbJourney> journeys)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(journeys);
        var any = false;
        foreach (var j in journeys)
        {
            any = true;
            w.WriteLine($"{j.Skb} {j.Address}  {j.Flow ?? "-"}  {j.Ending}");
            foreach (var s in j.Steps)
            {
                var e = s.Event;
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {e.Timestamp,14:F6}  cpu{e.Cpu}  {ContextWord(e.Context),-8} {s.Host ?? "-",-6} {s.Device ?? "-",-10} {e.Name}{Detail(e)}  ({e.Task}-{e.Pid})"));
            }

            w.WriteLine();
        }

        if (!any)
        {
            w.WriteLine("no skb journey matches");
        }
    }

    private static string ContextWord(TraceContext c) => c switch
    {
        TraceContext.Process => "task",
        TraceContext.Softirq => "softirq",
        TraceContext.Hardirq => "hardirq",
        _ => "nmi",
    };

    private static string Detail(TraceEvent e) => e.Name switch
    {
        "kfree_skb" => $" reason={e.Field("reason")}",
        "consume_skb" when e.Field("location") is { } loc => $" location={loc}",
        _ when e.Field("len") is { } len => $" len={len}",
        _ => "",
    };

    private static bool IsEndPoint(string s)
    {
        var colon = s.LastIndexOf(':');
        return colon > 0
            && System.Net.IPAddress.TryParse(s[..colon], out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && ushort.TryParse(s[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>
    /// Gives each journey the flow of a frame it was captured as: on a captured device, each
    /// traced transmit (<c>net_dev_xmit</c>, the frame's length) and receive
    /// (<c>netif_receive_skb</c>, the length past the Ethernet header) takes the next frame of the
    /// capture with that length, in order; the tap sees both where the trace does.
    /// </summary>
    private static List<SkbJourney> AssignFlows(List<SkbJourney> journeys, Dictionary<string, List<CapturedFrame>> captures)
    {
        var flows = new Dictionary<SkbJourney, string>();
        foreach (var (device, frames) in captures)
        {
            var used = new bool[frames.Count];
            var next = 0;
            var taps = journeys.SelectMany(j => j.Steps.Select(s => (j, s)))
                .Where(x => x.s.Event.Device == device && x.s.Event.Name is "net_dev_xmit" or "netif_receive_skb")
                .OrderBy(x => x.s.Index);
            foreach (var (j, s) in taps)
            {
                if (!int.TryParse(s.Event.Field("len"), NumberStyles.None, CultureInfo.InvariantCulture, out var len))
                {
                    continue;
                }

                var frameLen = s.Event.Name == "netif_receive_skb" ? len + 14 : len;
                for (var k = next; k < frames.Count && k < next + FrameLookahead; k++)
                {
                    if (!used[k] && frames[k].Bytes.Length == frameLen)
                    {
                        used[k] = true;
                        if (WireDecoder.Flow(frames[k].Bytes) is { } flow)
                        {
                            flows.TryAdd(j, flow);
                        }

                        break;
                    }
                }

                while (next < frames.Count && used[next])
                {
                    next++;
                }
            }
        }

        return journeys.Select(j => flows.TryGetValue(j, out var f) ? j with { Flow = f } : j).ToList();
    }
}
