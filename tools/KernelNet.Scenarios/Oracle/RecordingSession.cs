using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// One recording on real Linux. Owns everything it creates and removes it in <see cref="Dispose"/>:
/// host threads, capture sockets, the tracefs instance, and the namespaces (deleting a namespace
/// deletes the veths and routes in it, so nothing is created in the initial namespace).
/// </summary>
internal sealed class RecordingSession(ScenarioSpec scenario, int pid, TextWriter log, IRecorderSystem sys) : IDisposable
{
    private const int CleanupAttempts = 3;

    private const int QuietMs = 100;
    private const int QuietLimitMs = 3_000;

    private readonly List<string> _namespaces = [];
    private readonly Dictionary<string, IHostThread> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Fd, string At)> _captures = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Link, string Host), string> _deviceOf = [];
    private readonly Dictionary<string, string> _devices = new(StringComparer.Ordinal);
    private TraceInstance? _trace;
    private IStepRunner? _runner;

    private string Namespace(string host) => $"kn-{pid}-{host}";

    /// <summary>
    /// The host thread's task name: with the recorder's pid, so that two recorders running at
    /// once (a CI job and a developer) cannot claim each other's events; at most 15 characters,
    /// as the kernel keeps it (TASK_COMM_LEN).
    /// </summary>
    private string Comm(string host)
    {
        var comm = $"kn{pid}-{host}";
        return comm.Length <= 15 ? comm : comm[..15];
    }

    public RecordingManifest Record(string outDir, CancellationToken cancel)
    {
        NameDevices();
        BuildTopology(cancel);
        StartHostThreads();
        OpenCaptures();
        var before = ReadCounters();
        _trace = TraceInstance.Create(sys, $"kn-{pid}", scenario.Tracepoints, scenario.Hosts.Select(h => Comm(h.Name)).ToList());
        _runner = sys.NewStepRunner(_threads, _deviceOf);
        _trace.Start();
        var results = RunSteps(cancel);
        _trace.WaitQuiet(QuietMs, QuietLimitMs, cancel);
        _trace.Stop();
        var end = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        var after = ReadCounters();
        var rawTrace = _trace.ReadTrace();

        // the taps keep capturing until they are read: a frame stamped after tracing stopped
        // (a neighbour's delayed probe while the trace was being read) is not the recording's
        var frames = _captures.ToDictionary(c => c.Key, c => sys.DrainCapture(c.Value.Fd).FindAll(f => f.TimestampMicros <= end));
        var manifest = Manifest(results);
        // the last look at an interrupt: nothing but the output directory is written after it
        cancel.ThrowIfCancellationRequested();
        Write(outDir, manifest, rawTrace, frames, before, after);
        return manifest;
    }

    /// <summary>
    /// Names every device the recording's events may name: each link end (kn&lt;pid&gt;l&lt;link&gt;&lt;end&gt;),
    /// and each host's own lo that no loopback link takes (kn&lt;pid&gt;h&lt;host&gt;): every namespace
    /// has an "lo", so a trace line on "lo" cannot say whose it is, and a packet the scenario sends
    /// or drops on a host's loopback would be lost from the recording.
    /// </summary>
    private void NameDevices()
    {
        for (var i = 0; i < scenario.Links.Count; i++)
        {
            var link = scenario.Links[i];
            for (var j = 0; j < link.Ends.Count; j++)
            {
                var name = $"kn{pid}l{i}{(char)('a' + j)}";
                _deviceOf[(link.Name, link.Ends[j].Host)] = name;
                _devices[name] = $"{link.Ends[j].Host}:{link.Ends[j].Interface}";
            }
        }

        for (var i = 0; i < scenario.Hosts.Count; i++)
        {
            var host = scenario.Hosts[i].Name;
            if (!scenario.Links.Any(l => l.Kind == LinkKind.Loopback && l.Ends[0].Host == host))
            {
                _devices[LoopbackName(pid, i)] = $"{host}:lo";
            }

            var vlans = scenario.Hosts[i].Vlans ?? [];
            for (var n = 0; n < vlans.Count; n++)
            {
                _devices[VlanName(pid, i, n)] = $"{host}:{vlans[n].Name}";
            }
        }
    }

    /// <summary>The name of a host's n-th VLAN device (pid 0 in the simulation).</summary>
    internal static string VlanName(int pid, int hostIndex, int n) => $"kn{pid}v{hostIndex}x{n}";

    /// <summary>The name a host's own lo is given when no loopback link takes it (pid 0 in the simulation).</summary>
    internal static string LoopbackName(int pid, int hostIndex) => $"kn{pid}h{hostIndex}";

    private void BuildTopology(CancellationToken cancel)
    {
        foreach (var host in scenario.Hosts)
        {
            cancel.ThrowIfCancellationRequested();
            _namespaces.Add(Namespace(host.Name));
            Netns.Add(sys, Namespace(host.Name));
            // before any link exists: no IPv6 addresses, so no ND/MLD frames in the recording
            Netns.Exec(sys, Namespace(host.Name), "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            // a device's neigh sysctls wait for its device (SetNeighSysctls)
            var sysctls = host.Sysctls.Where(kv => !NeighSysctl.IsNeigh(kv.Key)).ToList();
            if (sysctls.Count > 0)
            {
                Netns.Exec(sys, Namespace(host.Name), "sysctl", ["-qw", .. sysctls.Select(kv => $"{kv.Key}={kv.Value}")]);
            }
        }

        for (var i = 0; i < scenario.Hosts.Count; i++)
        {
            if (_devices.ContainsKey(LoopbackName(pid, i)))
            {
                // `ip netns add` leaves lo down, and it stays down: only renamed
                Netns.Ip(sys, Namespace(scenario.Hosts[i].Name), "link", "set", "lo", "name", LoopbackName(pid, i));
            }
        }

        foreach (var link in scenario.Links)
        {
            cancel.ThrowIfCancellationRequested();
            CreateLink(link);
        }

        foreach (var link in scenario.Links)
        {
            foreach (var end in link.Ends)
            {
                ConfigureEnd(link, end);
            }
        }

        for (var i = 0; i < scenario.Hosts.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            AddVlans(i, scenario.Hosts[i]);
        }

        foreach (var host in scenario.Hosts)
        {
            cancel.ThrowIfCancellationRequested();
            SetNeighSysctls(host);
        }

        foreach (var host in scenario.Hosts)
        {
            cancel.ThrowIfCancellationRequested();
            AddRoutes(host);
            AddNeighbours(host);
            AddFilters(host);
        }
    }

    /// <summary>
    /// net.ipv4.neigh.DEV.KNOB inside the host's namespace, DEV translated to
    /// the recorder's device name; set once the device exists (its directory
    /// appears when IPv4 sees it registered).
    /// </summary>
    private void SetNeighSysctls(HostSpec host)
    {
        var writes = new List<string>();
        foreach (var (key, value) in host.Sysctls)
        {
            if (!NeighSysctl.IsNeigh(key) || !NeighSysctl.TryParse(key, out var ifName, out var knob, out _))
            {
                continue;
            }

            writes.Add($"net.ipv4.neigh.{DeviceOf(host.Name, ifName)}.{knob}={value}");
        }

        if (writes.Count > 0)
        {
            Netns.Exec(sys, Namespace(host.Name), "sysctl", ["-qw", .. writes]);
        }
    }

    private void CreateLink(LinkSpec link)
    {
        var a = link.Ends[0];
        var devA = _deviceOf[(link.Name, a.Host)];
        if (link.Kind == LinkKind.Loopback)
        {
            Netns.Ip(sys, Namespace(a.Host), "link", "set", "lo", "name", devA);
            return;
        }

        var b = link.Ends[1];
        sys.Run("ip", ["link", "add", devA, "netns", Namespace(a.Host), "address", a.Mac, "type", "veth",
            "peer", "name", _deviceOf[(link.Name, b.Host)], "netns", Namespace(b.Host), "address", b.Mac]);
    }

    private void ConfigureEnd(LinkSpec link, LinkEnd end)
    {
        var ns = Namespace(end.Host);
        var dev = _deviceOf[(link.Name, end.Host)];
        Netns.Ip(sys, ns, "link", "set", dev, "mtu", link.Mtu.ToString(CultureInfo.InvariantCulture));
        if (link.GsoMaxSegs is { } segs)
        {
            Netns.Ip(sys, ns, "link", "set", dev, "gso_max_segs", segs.ToString(CultureInfo.InvariantCulture));
        }

        if (end.Address is { } address)
        {
            Netns.Ip(sys, ns, "addr", "add", address.ToString(), "dev", dev);
        }

        if (end.RpsCpus is { } rps)
        {
            // sysfs as the namespace sees it (ip netns exec mounts its own); the mask was checked as hex by the loader
            Netns.Exec(sys, ns, "sh", "-c", $"echo {rps} > /sys/class/net/{dev}/queues/rx-0/rps_cpus");
        }

        Netns.Ip(sys, ns, "link", "set", dev, "up");
    }

    /// <summary>
    /// `ip link add link LOWER name NAME type vlan id ID`, the address, up: needs 8021q in the
    /// kernel (the machines recorded so far are built without it, and `ip` then fails).
    /// </summary>
    private void AddVlans(int hostIndex, HostSpec host)
    {
        var ns = Namespace(host.Name);
        var vlans = host.Vlans ?? [];
        for (var n = 0; n < vlans.Count; n++)
        {
            var v = vlans[n];
            var name = VlanName(pid, hostIndex, n);
            Netns.Ip(sys, ns, "link", "add", "link", DeviceOf(host.Name, v.Link), "name", name, "type", "vlan", "id", v.Id.ToString(CultureInfo.InvariantCulture));
            if (v.Address is { } address)
            {
                Netns.Ip(sys, ns, "addr", "add", address.ToString(), "dev", name);
            }

            Netns.Ip(sys, ns, "link", "set", name, "up");
        }
    }

    private string DeviceOf(string host, string iface) =>
        _devices.First(d => d.Value == $"{host}:{iface}").Key;

    private void AddRoutes(HostSpec host)
    {
        foreach (var r in host.Routes)
        {
            var args = new List<string> { "route", "add", r.Destination.PrefixLength == 0 ? "default" : r.Destination.ToString() };
            if (r.Via is { } via)
            {
                args.AddRange(["via", via.ToString()]);
            }

            if (r.Device is { } dev)
            {
                args.AddRange(["dev", DeviceOf(host.Name, dev)]);
            }

            if (r.Source is { } src)
            {
                args.AddRange(["src", src.ToString()]);
            }

            Netns.Ip(sys, Namespace(host.Name), [.. args]);
        }
    }

    private void AddNeighbours(HostSpec host)
    {
        foreach (var n in host.Neighbours ?? [])
        {
            Netns.Ip(sys, Namespace(host.Name), "neigh", "add", n.Address.ToString(), "lladdr", n.Mac, "dev", DeviceOf(host.Name, n.Device), "nud", "permanent");
        }
    }

    private void AddFilters(HostSpec host)
    {
        if (host.Filters.Count > 0)
        {
            sys.Run("ip", ["netns", "exec", Namespace(host.Name), "nft", "-f", "-"], stdin: NftRuleset.Render(host.Filters, iface => DeviceOf(host.Name, iface)));
        }
    }

    private void StartHostThreads()
    {
        foreach (var host in scenario.Hosts)
        {
            _threads[host.Name] = sys.EnterNamespace(Namespace(host.Name), Comm(host.Name));
        }
    }

    /// <summary>One capture per link, on its first end: a tap there sees both directions.</summary>
    private void OpenCaptures()
    {
        foreach (var link in scenario.Links)
        {
            var end = link.Ends[0];
            var dev = _deviceOf[(link.Name, end.Host)];
            var fd = sys.OpenCapture(_threads[end.Host], dev);
            _captures[link.Name] = (fd, $"{end.Host}:{end.Interface}");
        }
    }

    private Dictionary<string, Dictionary<string, long>> ReadCounters() =>
        _threads.ToDictionary(t => t.Key, t => sys.ReadCounters(t.Value));

    private List<StepResult> RunSteps(CancellationToken cancel)
    {
        var results = new List<StepResult>();
        foreach (var step in scenario.Steps)
        {
            cancel.ThrowIfCancellationRequested();
            var result = _runner!.Run(step);
            results.Add(result);
            log.WriteLine($"  line {result.Line,3}: {result.Verb,-10} {result.Host,-6} -> {result.Outcome}{(result.Matched ? "" : $"   (expected {result.Expected})")}");
            _trace!.WaitQuiet(QuietMs, QuietLimitMs, cancel);
        }

        return results;
    }

    private RecordingManifest Manifest(List<StepResult> results) => new()
    {
        Source = "linux",
        Scenario = scenario.Name,
        ScenarioSha256 = Recorder.Sha256(scenario.SourcePath),
        Kernel = sys.Run("uname", ["-r"]).Trim(),
        Devices = new Dictionary<string, string>(_devices),
        Tasks = scenario.Hosts.ToDictionary(h => Comm(h.Name), h => h.Name),
        Captures = _captures.ToDictionary(c => c.Key, c => c.Value.At),
        Steps = results,
    };

    private void Write(string outDir, RecordingManifest manifest, string rawTrace, Dictionary<string, List<CapturedFrame>> frames,
        Dictionary<string, Dictionary<string, long>> before, Dictionary<string, Dictionary<string, long>> after)
    {
        RecordingLayout.Write(outDir, scenario, manifest, ScopeTrace(rawTrace, manifest), Counters.Render(
            scenario.Hosts.SelectMany(h => Counters.Delta(before[h.Name], after[h.Name]).Select(d => (h.Name, d.Name, d.Delta)))), frames);
        if (System.Environment.GetEnvironmentVariable("KERNELNET_RAW_TRACE") == "1")
        {
            File.WriteAllText(Path.Combine(outDir, "trace.raw.txt"), rawTrace);
        }
    }

    /// <summary>The trace's header comments, then only the recording's own events (<see cref="TraceScope"/>).</summary>
    private static string ScopeTrace(string rawTrace, RecordingManifest manifest)
    {
        var lines = rawTrace.Split('\n');
        var sb = new StringBuilder();
        foreach (var header in lines.TakeWhile(l => l.StartsWith('#')))
        {
            sb.Append(header).Append('\n');
        }

        var scope = new TraceScope(manifest.Devices.Keys.ToHashSet(), manifest.Tasks.Keys.ToHashSet());
        foreach (var e in scope.Filter(TraceEvent.ParseAll(rawTrace)))
        {
            sb.Append(e.Line).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Removes what the recording created, in the reverse order of creation: sockets, captures,
    /// host threads, the tracefs instance, the namespaces (with their veths, routes and nft tables).
    /// Each removal stands alone (one that fails does not keep the others from running) and is
    /// tried again when it fails; what still cannot be removed is said, one line each.
    /// </summary>
    public void Dispose()
    {
        Release("the step sockets", () => _runner?.Dispose());
        foreach (var (fd, at) in _captures.Values)
        {
            Release($"the capture on {at}", () => sys.CloseCapture(fd));
        }

        foreach (var (host, t) in _threads)
        {
            Release($"the thread of host {host}", t.Dispose);
        }

        _runner = null;
        _captures.Clear();
        _threads.Clear();
        if (_trace is { } trace)
        {
            // Remove never throws and retries rmdir itself
            trace.Dispose();
            if (sys.TracefsExists(trace.Path))
            {
                log.WriteLine($"kernelnet record: could not remove tracefs instance {trace.Path}; `kernelnet record --cleanup` removes it once this process is gone");
            }

            _trace = null;
        }

        foreach (var ns in _namespaces)
        {
            Release($"namespace {ns}", () =>
            {
                Netns.Delete(sys, ns);
                if (sys.ListNamespaces().Contains(ns))
                {
                    throw new RecorderException("it is still there");
                }
            });
        }

        _namespaces.Clear();
    }

    private void Release(string what, Action release)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                release();
                return;
            }
            catch (Exception e) when (e is RecorderException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                if (attempt == CleanupAttempts)
                {
                    log.WriteLine($"kernelnet record: could not remove {what}: {e.Message}");
                    return;
                }
            }
        }
    }
}
