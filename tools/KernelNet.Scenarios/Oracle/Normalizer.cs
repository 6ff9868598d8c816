using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KernelNet.Scenarios.Journey;

namespace KernelNet.Scenarios.Oracle;

/// <summary>A recording reduced to what must be equal between two runs, one list per comparison level.</summary>
public sealed record NormalizedRecording(
    IReadOnlyList<string> Counters,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Wire,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Sockets,
    IReadOnlyList<string> Journeys,
    IReadOnlyList<string> Order)
{
    /// <summary>Each step's outcome, one line per step (the steps level).</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>Per link, each frame's flow and its gap from the previous frame of that flow (the timing level).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FrameTiming>> Timing { get; init; } = new Dictionary<string, IReadOnlyList<FrameTiming>>();

    /// <summary>Each echo_load step's server context switches, read from the trace's sched_switch events (the switches level).</summary>
    public IReadOnlyList<ServerSwitches> Switches { get; init; } = [];
}

/// <summary>
/// The context switches of one echo_load step's server tasks, counted from the recording's own
/// sched_switch events: every event whose <c>prev_pid</c> is one of the step's server tasks
/// (<see cref="StepResult.ServerTasks"/>) is one switch away from the server, <see cref="Sleeps"/>
/// those it left in a sleeping state (S, D: it blocked in epoll_wait, read, accept),
/// <see cref="Preempted"/> those it left runnable (R: preempted, or it yielded), <see cref="Exits"/>
/// its threads' last switch (X). <see cref="Requests"/> is the step's outcome ("100 requests");
/// <see cref="PidsRecorded"/> is false for a recording made before the pids were kept.
/// </summary>
public sealed record ServerSwitches(int Line, string Host, int Requests, int Switches, int Sleeps, int Preempted, int Exits, bool PidsRecorded)
{
    /// <summary>Switches per request; 0 when no request was answered.</summary>
    public double PerRequest => Requests > 0 ? (double)Switches / Requests : 0;

    /// <summary>Switches in which the server blocked (voluntary: S, D) per request: what the level compares.</summary>
    public double SleepsPerRequest => Requests > 0 ? (double)Sleeps / Requests : 0;

    /// <summary>The line the level shows.</summary>
    public override string ToString() => PidsRecorded
        ? string.Create(CultureInfo.InvariantCulture, $"line {Line} echo_load {Host}: {SleepsPerRequest:0.00} sleeps per request, {PerRequest:0.00} switches ({Switches}: {Sleeps} sleeping, {Preempted} preempted, {Exits} exits; {Requests} requests)")
        : $"line {Line} echo_load {Host}: server pids not recorded (recorded before the switches level: re-record)";
}

/// <summary>
/// One frame on a link for the timing level: its normalized line, its flow, the gap since the
/// previous frame of the same flow (null for a flow's first frame), and whether a step started
/// within that gap less than <see cref="StepCauseMicros"/> before the frame (then the frame is
/// the step's doing and the gap is the script's pace, not a timer's).
/// </summary>
public sealed record FrameTiming(string Line, string? Flow, long? GapMicros, bool StepInGap)
{
    /// <summary>How long after a step's start a frame may still be its doing (a loaded machine's recorder hands a step to its host thread within this).</summary>
    public const long StepCauseMicros = 100_000;

    /// <summary>Gaps shorter than this are a softirq's or a scheduler's, not a timer's: the shortest timer the scenarios see is TLP's two jiffies (8 ms).</summary>
    public const long TimerGapMinMicros = 5_000;

    /// <summary>A timer's gap: long enough, and no step of the script started within it.</summary>
    public bool IsTimerGap => GapMicros is >= TimerGapMinMicros && !StepInGap;
}

/// <summary>
/// Normalizes a recording directory (real Linux or simulation): skb and socket addresses become
/// symbols in order of first appearance (a freed address that comes back is a new skb); device and
/// task names become the scenario's <c>host:interface</c> and host; ephemeral ports become
/// <c>eph1</c>, <c>eph2</c>...; timestamps, pids, CPUs, jiffies and <c>location=</c> offsets are
/// dropped; the context (process/softirq/hardirq) is kept from the flags column.
/// </summary>
public static partial class Normalizer
{
    /// <summary>
    /// Fields that say nothing about the scenario: code offsets (location), jiffies (confirmed,
    /// updated, used), pids, reference counts; and neigh_create's <c>entries</c>, the count of
    /// the whole arp_tbl, which is one table for every namespace of the machine (neigh_alloc
    /// counts tbl->entries across namespaces), so it counts what else runs on the machine.
    /// </summary>
    private static readonly HashSet<string> DroppedFields = new(StringComparer.Ordinal)
    {
        "location", "confirmed", "updated", "used", "pid", "refcnt", "entries",
    };

    public static NormalizedRecording Load(string dir)
    {
        var manifest = RecordingLayout.ReadManifest(dir);
        var counters = File.Exists(Path.Combine(dir, RecordingLayout.Counters))
            ? File.ReadLines(Path.Combine(dir, RecordingLayout.Counters)).Where(l => l.Length > 0 && l[0] != '#').ToList()
            : [];
        var captures = manifest.Captures.Keys.Order(StringComparer.Ordinal).ToDictionary(
            link => link,
            link => Pcap.ReadFrames(RecordingLayout.CaptureFile(dir, link)));
        var lines = captures.ToDictionary(c => c.Key, c => WireDecoder.DecodeAll(c.Value.Select(f => f.Bytes)));
        var stepStarts = manifest.Steps.Select(s => s.StartMicros).Where(t => t != 0).Order().ToList();
        var timing = captures.ToDictionary(c => c.Key, c => ByFlow(Timing(c.Value, lines[c.Key], stepStarts)));
        var wire = timing.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value.Select(f => f.Line).ToList());
        var trace = File.ReadAllText(Path.Combine(dir, RecordingLayout.Trace));
        var (journeys, sockets, order) = NormalizeTrace(trace, manifest);
        return new NormalizedRecording(counters, wire, sockets, journeys, order)
        {
            Steps = manifest.Steps.Select(StepLine).ToList(),
            Timing = timing,
            Switches = Switches(trace, manifest),
        };
    }

    /// <summary>
    /// The switches level's counts: for each echo_load step, the sched_switch events that take one of
    /// its server tasks off a CPU. The pids are the step's own (the recorder's gettid(), the
    /// simulation's task pids), so neither another step's threads nor the recorder's host thread that
    /// started the server, nor anything else the machine runs, is counted.
    /// </summary>
    public static IReadOnlyList<ServerSwitches> Switches(string trace, RecordingManifest manifest)
    {
        var steps = manifest.Steps.Where(s => s.Verb == "echo_load").ToList();
        if (steps.Count == 0)
        {
            return [];
        }

        var stepOf = new Dictionary<int, int>();
        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var pid in steps[i].ServerTasks ?? [])
            {
                stepOf[pid] = i;
            }
        }

        var counts = new (int Sleeps, int Preempted, int Exits)[steps.Count];
        foreach (var e in TraceEvent.ParseAll(trace))
        {
            if (e.Name != "sched_switch" || SwitchPattern().Match(e.Body) is not { Success: true } m
                || !int.TryParse(m.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || !stepOf.TryGetValue(pid, out var step))
            {
                continue;
            }

            // prev_state: R (or R+) runnable, X dead, anything else a sleep
            switch (m.Groups["state"].Value[0])
            {
                case 'R':
                    counts[step].Preempted++;
                    break;
                case 'X':
                    counts[step].Exits++;
                    break;
                default:
                    counts[step].Sleeps++;
                    break;
            }
        }

        return steps.Select((s, i) => new ServerSwitches(
            s.Line, s.Host, Requests(s.Outcome),
            counts[i].Sleeps + counts[i].Preempted + counts[i].Exits, counts[i].Sleeps, counts[i].Preempted, counts[i].Exits,
            s.ServerTasks is not null)).ToList();
    }

    /// <summary>The N of an echo_load outcome "N requests"; 0 for a failure.</summary>
    private static int Requests(string outcome) =>
        outcome.EndsWith(" requests", StringComparison.Ordinal)
        && int.TryParse(outcome.AsSpan(0, outcome.Length - " requests".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    [System.Text.RegularExpressions.GeneratedRegex(@"prev_pid=(?<pid>\d+) prev_prio=-?\d+ prev_state=(?<state>\S+) ==>")]
    private static partial System.Text.RegularExpressions.Regex SwitchPattern();

    /// <summary>A step's outcome as the steps level compares it: line, verb, host, outcome, and the bytes a read returned.</summary>
    public static string StepLine(StepResult s)
    {
        var data = s.Data switch
        {
            null => "",
            { Length: <= 64 } hex => $" data={hex}",
            { } hex => $" data={hex[..64]}... ({hex.Length / 2} bytes, sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(hex)))[..8]})",
        };
        return $"line {s.Line} {s.Verb} {s.Host}: {s.Outcome}{data}";
    }

    /// <summary>
    /// A link's frames grouped by flow (<see cref="WireDecoder.Flow"/>), flows in the order they
    /// first appear, each flow's frames in their order. How independent flows interleave on a link
    /// follows timers against the script's pace (a neighbour's delayed probe, due 5 s after the
    /// entry was last used, lands among the frames of whichever step the recorder is running
    /// then), which no two real runs share; within a flow, the order is the protocol's.
    /// </summary>
    public static IReadOnlyList<FrameTiming> ByFlow(IReadOnlyList<FrameTiming> frames)
    {
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in frames)
        {
            rank.TryAdd(f.Flow ?? "", rank.Count);
        }

        return frames.Select((f, i) => (f, i)).OrderBy(x => rank[x.f.Flow ?? ""]).ThenBy(x => x.i).Select(x => x.f).ToList();
    }

    /// <summary>Each frame's gap from the previous frame of its flow (<see cref="WireDecoder.Flow"/>), and whether a step started within it shortly before the frame.</summary>
    public static IReadOnlyList<FrameTiming> Timing(IReadOnlyList<CapturedFrame> frames, IReadOnlyList<string> lines, IReadOnlyList<long> stepStarts)
    {
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        var result = new List<FrameTiming>(frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            var t = frames[i].TimestampMicros;
            var flow = WireDecoder.Flow(frames[i].Bytes);
            long? gap = null;
            var stepInGap = false;
            if (flow is not null && last.TryGetValue(flow, out var previous))
            {
                gap = t - previous;
                stepInGap = stepStarts.Any(s => s > previous && s <= t && t - s < FrameTiming.StepCauseMicros);
            }

            if (flow is not null)
            {
                last[flow] = t;
            }

            result.Add(new FrameTiming(lines[i], flow, gap, stepInGap));
        }

        return result;
    }

    /// <summary>Scopes and normalizes a trace: (journeys, socket state sequences, whole event order).</summary>
    public static (List<string> Journeys, Dictionary<string, IReadOnlyList<string>> Sockets, List<string> Order) NormalizeTrace(string trace, RecordingManifest manifest)
    {
        var walk = Walk(trace, manifest, scope: true, irqHosts: null);
        var journeyLines = walk.Journeys.Select(j => $"{j.Skb}: {string.Join(" > ", j.Steps.Select(s => s.Text))}{(j.End == JourneyEnd.StillLive ? " > (not freed)" : "")}").ToList();
        return (journeyLines, walk.Sockets, walk.Order);
    }

    /// <summary>
    /// Each skb's journey through a trace, as the journeys level compares it, with what the
    /// comparison leaves out kept beside each step: the event itself (time, CPU, task), its
    /// context and the host it ran for. <paramref name="scope"/> picks the recording's own events
    /// out of a system-wide trace (<see cref="TraceScope"/>); a demo's trace is all its own.
    /// <paramref name="irqHosts"/> names the host of an interrupt's softirq work when device names
    /// do not (two hosts' <c>eth0</c>).
    /// </summary>
    public static List<SkbJourney> Journeys(string trace, RecordingManifest manifest, bool scope = true, IReadOnlyDictionary<int, string>? irqHosts = null)
        => Walk(trace, manifest, scope, irqHosts).Journeys;

    private sealed record TraceWalk(List<SkbJourney> Journeys, Dictionary<string, IReadOnlyList<string>> Sockets, List<string> Order);

    private static TraceWalk Walk(string trace, RecordingManifest manifest, bool scope, IReadOnlyDictionary<int, string>? irqHosts)
    {
        var parsed = TraceEvent.ParseAll(trace);
        var events = scope ? new TraceScope(manifest.Devices.Keys.ToHashSet(), manifest.Tasks.Keys.ToHashSet()).Filter(parsed) : parsed;
        var hosts = new HostResolver(manifest, irqHosts);
        var symbols = new Symbols(manifest);
        var order = new List<string>();
        var journeys = new List<(string Skb, string Address, List<JourneyStep> Steps)>();
        var openJourney = new Dictionary<string, List<JourneyStep>>(StringComparer.Ordinal);
        var sockets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var lastEvent = new Dictionary<string, (string Name, int Index)>(StringComparer.Ordinal);
        var lastProcessEvent = -1;
        var index = 0;
        foreach (var e in events)
        {
            var host = hosts.Observe(e);
            if (IsDeferredFreeOfReadSegment(e, lastEvent))
            {
                continue;
            }

            index++;
            if (e.Context == TraceContext.Process)
            {
                lastProcessEvent = index;
            }

            var context = Context(e, manifest);

            // a reused address names its new skb in the order too, not the one it named before
            if (e.SkbAddress is { } reused && IsReusedAddress(e, reused, lastEvent, lastProcessEvent))
            {
                symbols.Forget(reused);
            }

            var fields = NormalizeFields(e, symbols);
            order.Add($"{context} {e.Name}: {fields}");
            if (e.SkbAddress is { } addr)
            {
                lastEvent[addr] = (e.Name, index);
                var skb = symbols.Skb(addr, e.FreesSkb);
                if (!openJourney.TryGetValue(skb, out var steps))
                {
                    steps = [];
                    openJourney[skb] = steps;
                    journeys.Add((skb, addr, steps));
                }

                // an skb stays in the namespace of the device it was last seen on until another device says otherwise
                var stepHost = hosts.OfDevice(e.Device) ?? (steps.Count > 0 ? steps[^1].Host ?? host : host);
                steps.Add(new JourneyStep(e, index, context, stepHost, e.Device is { } dev ? symbols.Device(dev) : null, StepText(e, symbols, context)));
            }

            if (e.Name == "inet_sock_set_state")
            {
                var key = SocketKey(e, symbols);
                if (!sockets.TryGetValue(key, out var states))
                {
                    states = [];
                    sockets[key] = states;
                }

                states.Add($"{e.Field("oldstate")} -> {e.Field("newstate")}");
            }
        }

        return new TraceWalk(
            journeys.Select(j => new SkbJourney(j.Skb, j.Address, j.Steps)).ToList(),
            sockets.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
            order);
    }

    /// <summary>
    /// Whether an address names a new skb although no free was traced: some frees pass no
    /// tracepoint (a read datagram goes back through kfree_skb_napi_cache), and the slab may hand
    /// the address to the next allocation. A packet a process starts sending cannot be one that
    /// was last seen arriving (a forwarded packet leaves from softirq), so that is a new skb. Nor
    /// can a packet softirq starts sending after a process ran since it arrived (a timer's delayed
    /// ACK reusing a silently freed segment's address): a forwarded packet leaves in the softirq
    /// run that received it. (Not covered: a forwarded packet parked on a neighbour's queue.)
    /// And a packet whose data was copied to a reader is at the end of its life: TCP frees a read
    /// segment with no tracepoint (tcp_eat_recv_skb, skb_attempt_defer_free), so a send from that
    /// address, in any context, is a new skb.
    /// </summary>
    private static bool IsReusedAddress(TraceEvent e, string addr, Dictionary<string, (string Name, int Index)> lastEvent, int lastProcessEvent) =>
        e.Name == "net_dev_queue"
        && lastEvent.TryGetValue(addr, out var last)
        && (last.Name == "skb_copy_datagram_iovec"
            || (last.Name == "netif_receive_skb"
                && (e.Context == TraceContext.Process || (e.Context == TraceContext.Softirq && lastProcessEvent > last.Index))));

    /// <summary>
    /// Whether an event is the deferred free of a segment a reader took: TCP frees a read segment
    /// in place with no tracepoint, unless it was allocated on another CPU; then
    /// skb_attempt_defer_free hands it to that CPU, whose softirq frees it traced (consume_skb).
    /// Which CPU the real kernel's softirq allocated on is not the scenario's to choose, so both
    /// are shown as the in-place free: not at all. (A raw or UDP reader frees in process context,
    /// traced, and stays.)
    /// </summary>
    private static bool IsDeferredFreeOfReadSegment(TraceEvent e, Dictionary<string, (string Name, int Index)> lastEvent) =>
        e.Name == "consume_skb" && e.Context == TraceContext.Softirq
        && e.SkbAddress is { } addr && lastEvent.TryGetValue(addr, out var last) && last.Name == "skb_copy_datagram_iovec";

    private static string Context(TraceEvent e, RecordingManifest manifest) => e.Context switch
    {
        TraceContext.Process => manifest.Tasks.TryGetValue(e.Task, out var host) ? $"[{host}]" : "[process]",
        TraceContext.Softirq => "[softirq]",
        TraceContext.Hardirq => "[hardirq]",
        _ => "[nmi]",
    };

    private static string StepText(TraceEvent e, Symbols symbols, string context)
    {
        var step = e.Device is { } dev ? $"{e.Name}@{symbols.Device(dev)}" : e.Name;
        if (e.Name == "kfree_skb")
        {
            step += $"({e.Field("reason")})";
        }

        return step + context;
    }

    private static string SocketKey(TraceEvent e, Symbols symbols) =>
        $"{e.Field("protocol")} {e.Field("saddr")}:{symbols.Port(e.Field("sport"))} > {e.Field("daddr")}:{symbols.Port(e.Field("dport"))}";

    private static string NormalizeFields(TraceEvent e, Symbols symbols)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in e.Fields)
        {
            if (DroppedFields.Contains(key))
            {
                continue;
            }

            var v = key switch
            {
                "skbaddr" => symbols.Skb(value, freeing: false, peek: true),
                "rx_sk" or "skaddr" or "sk" => symbols.Socket(value),
                "dev" => symbols.Device(value),
                "sport" or "dport" => symbols.Port(value),
                "src" or "dest" => symbols.EndPoint(value),
                _ => value,
            };
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(key).Append('=').Append(v);
        }

        return sb.ToString();
    }

    /// <summary>Symbol tables of one recording; every symbol is given in order of first appearance.</summary>
    private sealed class Symbols(RecordingManifest manifest)
    {
        private readonly Dictionary<string, string> _liveSkbs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _sockets = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _ports = new(StringComparer.Ordinal);
        private int _skbCount;

        /// <summary>The skb symbol for an address; after a free the address maps to a new skb.</summary>
        public string Skb(string address, bool freeing, bool peek = false)
        {
            if (!_liveSkbs.TryGetValue(address, out var symbol))
            {
                symbol = $"skb{++_skbCount}";
                _liveSkbs[address] = symbol;
            }

            if (freeing && !peek)
            {
                _liveSkbs.Remove(address);
            }

            return symbol;
        }

        /// <summary>The address no longer names its skb: the next event with it starts a new one.</summary>
        public void Forget(string address) => _liveSkbs.Remove(address);

        public string Socket(string address)
        {
            if (address.Trim('0').Length == 0)
            {
                return "null";
            }

            if (!_sockets.TryGetValue(address, out var symbol))
            {
                symbol = $"sk{_sockets.Count + 1}";
                _sockets[address] = symbol;
            }

            return symbol;
        }

        public string Device(string name) => manifest.Devices.TryGetValue(name, out var mapped) ? mapped : name;

        /// <summary>Ports in the default ephemeral range (ip_local_port_range 32768-60999) become eph1, eph2, ...</summary>
        public string Port(string? port)
        {
            if (port is null || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 32768 || p > 60999)
            {
                return port ?? "";
            }

            if (!_ports.TryGetValue(port, out var symbol))
            {
                symbol = $"eph{_ports.Count + 1}";
                _ports[port] = symbol;
            }

            return symbol;
        }

        public string EndPoint(string value)
        {
            var colon = value.LastIndexOf(':');
            return colon > 0 ? $"{value[..colon]}:{Port(value[(colon + 1)..])}" : value;
        }
    }
}
