using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>A generated scenario: its model, the file text it is written as, and what it exercises.</summary>
public sealed record GeneratedScenario(string Name, string Summary, ScenarioSpec Spec, string Yaml, IReadOnlySet<string> Coverage);

/// <summary>
/// Generates scenarios from a seed (System.Random(seed), so the same seed gives the same files
/// byte for byte). A scenario is a topology (<see cref="Topologies"/>) and one to three episodes
/// (a UDP exchange, a TCP connection, pings, injected frames), with socket options, filter
/// rules, sysctls, wait modes and payload sizes drawn at random. Every scenario runs on real
/// Linux in a few seconds: no call blocks without a bound that the scenario itself guarantees,
/// and everything addresses only the namespaces the scenario creates.
/// </summary>
public static class ScenarioGenerator
{
    /// <summary>Integer socket options and the values worth trying; only those both runners support are used.</summary>
    private static readonly (string Name, bool Tcp, bool Udp, string[] Values)[] OptionTable =
    [
        ("SO_RCVBUF", true, true, ["256", "1024", "2304", "4096", "65536", "262144"]),
        ("SO_SNDBUF", true, true, ["256", "1024", "4608", "65536", "262144"]),
        ("SO_RCVBUFFORCE", true, true, ["2048", "8192", "1048576"]),
        ("SO_SNDBUFFORCE", true, true, ["4096", "16384", "1048576"]),
        ("SO_REUSEADDR", true, true, ["0", "1"]),
        ("SO_REUSEPORT", true, true, ["0", "1"]),
        ("SO_BROADCAST", false, true, ["1"]),
        ("SO_KEEPALIVE", true, false, ["1"]),
        ("SO_LINGER", true, false, ["0", "1"]),
        ("IP_TTL", true, true, ["1", "2", "64", "255"]),
        ("IP_RECVERR", true, true, ["1"]),
        ("IP_MTU_DISCOVER", true, true, ["0", "1", "2", "3"]),
        ("TCP_NODELAY", true, false, ["0", "1"]),
        ("TCP_CONGESTION", true, false, ["cubic", "reno"]),
        ("TCP_MAXSEG", true, false, ["536", "1000", "1400", "8960"]),
        ("TCP_QUICKACK", true, false, ["0", "1"]),
    ];

    // computed when first asked for: the CLI names FocusKinds in its help at every start-up
    /// <summary>The socket options generated scenarios use: those the recorder and the simulation can both set.</summary>
    public static IReadOnlyList<string> Options => options ??= OptionTable.Where(o => Supported(o.Name)).Select(o => o.Name).ToList();

    private static IReadOnlyList<string>? options;

    private static bool Supported(string option) => option == "TCP_CONGESTION" || StepOutcome.IntegerOption(option) is not null;

    /// <summary>Sysctls a host may get (per namespace on Linux, and modelled by the simulation).</summary>
    private static readonly (string Key, string[] Values)[] SysctlTable =
    [
        ("net.ipv4.ip_default_ttl", ["1", "32", "128"]),
        ("net.ipv4.icmp_echo_ignore_all", ["1"]),
        ("net.ipv4.icmp_ratelimit", ["0", "1000"]),
        ("net.ipv4.icmp_ratemask", ["0", "6168"]),
        ("net.core.somaxconn", ["1", "16"]),
        ("net.core.rmem_default", ["4096", "65536"]),
        ("net.core.wmem_default", ["4096", "65536"]),
        ("net.core.rmem_max", ["8192", "1048576"]),
        ("net.core.wmem_max", ["8192", "1048576"]),
        ("net.ipv4.conf.all.accept_source_route", ["1"]),
    ];

    /// <summary>What <c>--focus</c> may ask for: frames with IP options, VLAN-tagged frames, conntrack and NAT rules.</summary>
    public static readonly IReadOnlyList<string> FocusKinds = ["ip-options", "vlan", "conntrack"];

    private static readonly int[] TimeoutsMs = [50, 100, 200, 500, 1000];

    /// <summary>
    /// The generator's settings: which topologies to draw from, and what to put in every scenario
    /// (<see cref="FocusKinds"/>; empty: each now and then).
    /// </summary>
    public sealed record Settings(IReadOnlyList<string> Topologies, IReadOnlyList<string>? Focus = null)
    {
        public static readonly Settings Default = new(Explore.Topologies.Default);

        public bool Focused(string kind) => Focus is { } f && f.Contains(kind, StringComparer.Ordinal);
    }

    /// <summary>Scenario <paramref name="index"/> of seed <paramref name="seed"/>: the same pair gives the same scenario.</summary>
    public static GeneratedScenario Generate(int seed, int index, Settings? settings = null)
    {
        settings ??= Settings.Default;
        var r = new Random(unchecked((seed * 100_003) + index));
        var d = new ScenarioDraft(r);
        var kinds = settings.Topologies.Select(Explore.Topologies.Get).ToList();
        var topology = Pick(r, kinds, k => k.Weight);
        topology.Build(d);
        d.Settings = settings;
        d.Filtered = r.Next(4) == 0;
        var conntrack = settings.Focused("conntrack") || r.Next(6) == 0;
        d.Filtered |= conntrack;
        var episodes = new List<string>();
        var count = 1 + r.Next(3);
        var frameFocus = settings.Focused("ip-options") || settings.Focused("vlan");
        for (var i = 0; i < count; i++)
        {
            // a focus on frames makes the first episode an injection wherever the topology has a link to inject on
            var kind = i == 0 && frameFocus && d.Injects.Count > 0
                ? EpisodeKinds(d).First(e => e.Name == "inject")
                : Pick(r, EpisodeKinds(d), e => e.Weight);
            episodes.Add(kind.Name);
            kind.Run(d);
            if (r.Next(8) == 0)
            {
                d.Add(new SleepStep(0, r.Next(10, 1500)));
            }
        }

        if (conntrack)
        {
            AddConntrack(d);
        }
        else if (d.Filtered)
        {
            AddFilters(d);
        }

        foreach (var host in d.HostNames.ToList())
        {
            if (r.Next(7) == 0)
            {
                var (key, values) = SysctlTable[r.Next(SysctlTable.Length)];
                if (!d.HasSysctl(host, key))
                {
                    d.Sysctl(host, key, values[r.Next(values.Length)]);
                }
            }
        }

        var name = $"explore-{seed}-{index:D3}";
        var description = $"generated by kernelnet explore --seed {seed}, scenario {index}: {topology.Name}; {string.Join(", ", episodes)}"
            + (d.Tags.Count > 0 ? $"; frames: {string.Join(", ", d.Tags)}" : "");
        var spec = d.Build(name, description);
        var yaml = ScenarioWriter.Write(spec);
        var coverage = new SortedSet<string>(ExploreCoverage.Of(spec), StringComparer.Ordinal);
        coverage.UnionWith(d.Tags.Select(t => "mutation:" + t));
        return new GeneratedScenario(name, $"{topology.Name}; {string.Join(", ", episodes)}", spec, yaml, coverage);
    }

    private sealed record EpisodeKind(string Name, int Weight, Action<ScenarioDraft> Run);

    private static List<EpisodeKind> EpisodeKinds(ScenarioDraft d)
    {
        var kinds = new List<EpisodeKind>
        {
            new("udp", 30, Udp),
            new("tcp", 35, Tcp),
            new("ping", 12, Ping),
        };
        if (d.Injects.Count > 0)
        {
            kinds.Add(new("inject", 23, Inject));
        }

        return kinds;
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items, Func<T, int> weight)
    {
        var total = items.Sum(weight);
        var x = r.Next(total);
        foreach (var item in items)
        {
            x -= weight(item);
            if (x < 0)
            {
                return item;
            }
        }

        return items[^1];
    }

    private static T One<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    /// <summary>Payload sizes from 0 to 1 MB, most of them small.</summary>
    public static int PayloadSize(Random r)
    {
        var p = r.NextDouble();
        return p switch
        {
            < 0.08 => 0,
            < 0.50 => r.Next(1, 100),
            < 0.72 => r.Next(100, 1501),
            < 0.86 => r.Next(1501, 9001),
            < 0.95 => r.Next(9001, 65508),
            < 0.985 => r.Next(65508, 200_001),
            _ => r.Next(200_001, (1 << 20) + 1),
        };
    }

    private static Payload Data(Random r, int size)
    {
        if (size > 0 && size <= 32 && r.Next(3) == 0)
        {
            var text = new byte[size];
            for (var i = 0; i < size; i++)
            {
                text[i] = (byte)('a' + r.Next(26));
            }

            return new Payload(text);
        }

        return Payload.Pattern(size);
    }

    /// <summary>A wait mode: blocking only where the caller knows the call will return (nothing filtered, something to wait for).</summary>
    private static (WaitMode Mode, int TimeoutMs) Wait(ScenarioDraft d, bool mayBlock)
    {
        var r = d.Random;
        var x = r.Next(10);
        if (mayBlock && !d.Filtered && x < 3)
        {
            return (WaitMode.Blocking, 1000);
        }

        return x < 6 ? (WaitMode.Timeout, One(r, TimeoutsMs)) : (WaitMode.NonBlocking, 1000);
    }

    private static List<SocketOption> SocketOptions(Random r, SocketKind kind, int max)
    {
        var list = new List<SocketOption>();
        var n = r.Next(4) == 0 ? r.Next(1, max + 1) : 0;
        for (var i = 0; i < n; i++)
        {
            var o = OptionFor(r, kind);
            if (list.All(x => x.Name != o.Name))
            {
                list.Add(o);
            }
        }

        return list;
    }

    private static SocketOption OptionFor(Random r, SocketKind kind)
    {
        // now and then an option of the other protocol, to see the error both kernels give
        var candidates = OptionTable.Where(o => Supported(o.Name) && (r.Next(20) == 0 || (kind == SocketKind.Tcp ? o.Tcp : o.Udp))).ToList();
        var (name, _, _, values) = candidates[r.Next(candidates.Count)];
        return new SocketOption(name, values[r.Next(values.Length)]);
    }

    private static bool SmallReceiveBuffer(IReadOnlyList<SocketOption> options) =>
        options.Any(o => o.Name.StartsWith("SO_RCVBUF", StringComparison.Ordinal));

    private static string CreateSocket(ScenarioDraft d, string host, SocketKind kind, out List<SocketOption> options)
    {
        var name = d.NewSocket(kind == SocketKind.Udp ? "u" : "t");
        var created = SocketOptions(d.Random, kind, 3);
        d.Add(new CreateSocketStep(0, Expectation.Ok, name, host, kind, created));
        options = [.. created];
        if (d.Random.Next(10) == 0)
        {
            var o = OptionFor(d.Random, kind);
            d.Add(new SetSockOptStep(0, Expectation.Ok, name, host, o));
            options.Add(o);
        }

        return name;
    }

    private static void Udp(ScenarioDraft d)
    {
        var r = d.Random;
        var path = One(r, d.Paths);
        var port = d.NewPort();
        string? rx = null;
        var rxOptions = new List<SocketOption>();
        if (path.Server is { } server)
        {
            rx = CreateSocket(d, server, SocketKind.Udp, out rxOptions);
            d.Add(new BindStep(0, Expectation.Ok, rx, server, r.Next(5) == 0 ? IPAddress.Any : path.ServerAddress, port));
        }

        var closedPort = r.Next(8) == 0;
        var to = new IPEndPoint(path.ServerAddress, closedPort ? port + 100 : port);
        var tx = CreateSocket(d, path.Client, SocketKind.Udp, out _);
        var txPort = 0;
        if (r.Next(5) < 3)
        {
            txPort = r.Next(3) == 0 ? 0 : 7000 + port - 9000;
            d.Add(new BindStep(0, Expectation.Ok, tx, path.Client, path.ClientAddress, txPort));
        }

        var connected = r.Next(5) < 2;
        if (connected)
        {
            d.Add(new ConnectStep(0, Expectation.Ok, tx, path.Client, to.Address, to.Port, WaitMode.Timeout, 1000));
        }

        var pending = 0;
        var sends = 1 + r.Next(3);
        for (var i = 0; i < sends; i++)
        {
            var size = PayloadSize(r);
            var (mode, timeout) = Wait(d, size <= 65507 && !path.Forwarded);
            var expect = size <= 1400 && r.Next(4) == 0 && !closedPort ? new Expectation(ExpectKind.Bytes, size) : Expectation.Ok;
            d.Add(new SendStep(0, expect, tx, path.Client, Data(r, size), connected ? null : to, mode, timeout));
            pending += size <= 65507 && !closedPort && path.Server is not null ? 1 : 0;
        }

        if (rx is not null && r.Next(6) > 0)
        {
            var recvs = 1 + r.Next(sends + 1);
            for (var i = 0; i < recvs; i++)
            {
                var (mode, timeout) = Wait(d, pending > 0 && !SmallReceiveBuffer(rxOptions) && !path.Forwarded);
                var expect = pending == 0 && mode == WaitMode.NonBlocking && r.Next(2) == 0 ? new Expectation(ExpectKind.Errno, Errno: "EAGAIN") : Expectation.Ok;
                d.Add(new RecvStep(0, expect, rx, path.Server!, r.Next(3) == 0 ? r.Next(1, 64) : 65536, mode, timeout));
                pending = Math.Max(0, pending - 1);
            }

            if (txPort > 0 && r.Next(3) == 0)
            {
                var size = PayloadSize(r) % 2000;
                d.Add(new SendStep(0, Expectation.Ok, rx, path.Server!, Data(r, size), new IPEndPoint(path.ClientAddress, txPort), WaitMode.Timeout, 1000));
                var (mode, timeout) = Wait(d, false);
                d.Add(new RecvStep(0, Expectation.Ok, tx, path.Client, 65536, mode, timeout));
            }
        }
        else if (closedPort && connected)
        {
            // the port unreachable comes back as an error on the connected socket
            d.Add(new RecvStep(0, Expectation.Ok, tx, path.Client, 100, WaitMode.NonBlocking, 1000));
        }

        CloseInSomeOrder(d, [(rx, path.Server), (tx, path.Client)]);
    }

    private static void CloseInSomeOrder(ScenarioDraft d, List<(string? Socket, string? Host)> sockets)
    {
        var r = d.Random;
        foreach (var (socket, host) in sockets.Where(s => s.Socket is not null).OrderBy(_ => r.Next()).ToList())
        {
            if (r.Next(8) > 0)
            {
                d.Add(new CloseStep(0, Expectation.Ok, socket!, host!));
            }
        }
    }

    private static void Tcp(ScenarioDraft d)
    {
        var r = d.Random;
        var path = One(r, d.Paths);
        var port = d.NewPort();
        if (path.Server is null)
        {
            var lone = CreateSocket(d, path.Client, SocketKind.Tcp, out _);
            d.Add(new ConnectStep(0, r.Next(2) == 0 ? new Expectation(ExpectKind.Timeout) : Expectation.Ok, lone, path.Client, path.ServerAddress, port, WaitMode.Timeout, One(r, TimeoutsMs)));
            d.Add(new CloseStep(0, Expectation.Ok, lone, path.Client));
            return;
        }

        var server = path.Server;
        var refused = r.Next(9) == 0;
        string? l = null;
        var serverOptions = new List<SocketOption>();
        if (!refused)
        {
            l = CreateSocket(d, server, SocketKind.Tcp, out serverOptions);
            d.Add(new BindStep(0, Expectation.Ok, l, server, r.Next(5) == 0 ? IPAddress.Any : path.ServerAddress, port));
            d.Add(new ListenStep(0, Expectation.Ok, l, server, One(r, new[] { 0, 1, 4, 16, 128 })));
        }

        var c = CreateSocket(d, path.Client, SocketKind.Tcp, out var clientOptions);
        if (r.Next(5) < 2)
        {
            d.Add(new BindStep(0, Expectation.Ok, c, path.Client, path.ClientAddress, r.Next(3) == 0 ? 0 : 7000 + port - 9000));
        }

        var (cmode, ctimeout) = Wait(d, !path.Forwarded);
        d.Add(new ConnectStep(0, refused && r.Next(2) == 0 ? new Expectation(ExpectKind.Errno, Errno: "ECONNREFUSED") : Expectation.Ok,
            c, path.Client, path.ServerAddress, port, cmode, ctimeout));
        if (refused)
        {
            CloseInSomeOrder(d, [(c, path.Client)]);
            return;
        }

        string? s = null;
        if (r.Next(10) > 0)
        {
            s = d.NewSocket("t");
            var (amode, atimeout) = Wait(d, !path.Forwarded && !clientOptions.Any(o => o.Name == "IP_TTL"));
            d.Add(new AcceptStep(0, Expectation.Ok, l!, server, s, amode, atimeout));
        }

        if (s is not null)
        {
            var pending = new Dictionary<string, long> { [c] = 0, [s] = 0 };
            var transfers = r.Next(4);
            for (var i = 0; i < transfers; i++)
            {
                var (from, fromHost, to, toHost, toOptions) = r.Next(3) > 0
                    ? (c, path.Client, s, server, serverOptions)
                    : (s, server, c, path.Client, clientOptions);
                var size = PayloadSize(r);
                var (mode, timeout) = Wait(d, size <= 65536 && !path.Forwarded);
                d.Add(new SendStep(0, Expectation.Ok, from, fromHost, Data(r, size), null, mode, timeout));
                pending[to] += size;
                if (r.Next(5) > 0)
                {
                    var recvs = size > 65536 ? 1 + r.Next(4) : 1;
                    for (var k = 0; k < recvs; k++)
                    {
                        var (rmode, rtimeout) = Wait(d, pending[to] > 0 && !SmallReceiveBuffer(toOptions) && !path.Forwarded);
                        var want = r.Next(4) == 0 ? r.Next(1, 2000) : (int)Math.Min(1 << 20, Math.Max(1, pending[to]));
                        d.Add(new RecvStep(0, Expectation.Ok, to, toHost, want, rmode, rtimeout));
                        pending[to] = Math.Max(0, pending[to] - want);
                    }
                }

                if (r.Next(6) == 0)
                {
                    d.Add(new SleepStep(0, One(r, new[] { 20, 50, 100, 250, 500 })));
                }
            }
        }

        if (r.Next(3) == 0 && l is not null)
        {
            d.Add(new CloseStep(0, Expectation.Ok, l, server));
            l = null;
        }

        Teardown(d, c, path.Client, s, server);
        if (l is not null && r.Next(8) > 0)
        {
            d.Add(new CloseStep(0, Expectation.Ok, l, server));
        }
    }

    /// <summary>Shutdown and close of a connection's two ends, in either order.</summary>
    private static void Teardown(ScenarioDraft d, string c, string clientHost, string? s, string serverHost)
    {
        var r = d.Random;
        var ends = new List<(string Socket, string Host)> { (c, clientHost) };
        if (s is not null)
        {
            ends.Add((s, serverHost));
        }

        if (r.Next(2) == 0)
        {
            ends.Reverse();
        }

        if (r.Next(3) == 0)
        {
            var (sock, host) = ends[0];
            d.Add(new ShutdownStep(0, Expectation.Ok, sock, host, One(r, new[] { ShutdownHow.Read, ShutdownHow.Write, ShutdownHow.Both })));
            if (ends.Count == 2 && r.Next(2) == 0)
            {
                var (peer, peerHost) = ends[1];
                d.Add(new RecvStep(0, Expectation.Ok, peer, peerHost, 100, WaitMode.Timeout, 200));
            }

            if (r.Next(3) == 0)
            {
                d.Add(new SleepStep(0, One(r, new[] { 50, 200 })));
            }
        }

        foreach (var (sock, host) in ends)
        {
            if (r.Next(10) > 0)
            {
                d.Add(new CloseStep(0, Expectation.Ok, sock, host));
            }
        }
    }

    private static void Ping(ScenarioDraft d)
    {
        var r = d.Random;
        var path = One(r, d.Paths);
        var id = r.Next(1, 65536);
        var pings = 1 + (r.Next(3) == 0 ? r.Next(1, 3) : 0);
        for (var i = 0; i < pings; i++)
        {
            var size = r.Next(3) == 0 ? Math.Min(PayloadSize(r), 65000) : One(r, new[] { 0, 8, 56, 1000, 1472, 1473, 3000 });
            d.Add(new PingStep(0, Expectation.Ok, path.Client, path.ServerAddress, id, 1 + i, size, One(r, new[] { 200, 500, 1000 })));
        }
    }

    private static void Inject(ScenarioDraft d)
    {
        var r = d.Random;
        var at = One(r, d.Injects);
        var port = d.NewPort();
        string? rx = null;
        if (r.Next(5) < 3)
        {
            rx = d.NewSocket("u");
            d.Add(new CreateSocketStep(0, Expectation.Ok, rx, at.ToHost, SocketKind.Udp, []));
            d.Add(new BindStep(0, Expectation.Ok, rx, at.ToHost, IPAddress.Any, port));
        }

        var baseKind = r.Next(20);
        byte[] frame;
        var payload = Payload.Pattern(r.Next(3) == 0 ? r.Next(0, 1400) : r.Next(0, 40)).Bytes;
        var id = (ushort)r.Next(1, 65536);
        if (baseKind < 9)
        {
            var dport = r.Next(4) == 0 ? port + 100 : port;
            frame = Frames.Ipv4(at.FromIp, at.ToIp, Frames.IPPROTO_UDP, Frames.Udp(at.FromIp, at.ToIp, 7000 + r.Next(100), dport, payload), id);
        }
        else if (baseKind < 14)
        {
            var flags = One(r, new byte[] { 0x02, 0x02, 0x10, 0x04, 0x11, 0x18 });
            frame = Frames.Ipv4(at.FromIp, at.ToIp, Frames.IPPROTO_TCP,
                Frames.Tcp(at.FromIp, at.ToIp, 7000 + r.Next(100), port, (uint)r.Next(), flags == 0x02 ? 0u : (uint)r.Next(), flags, flags == 0x02 ? [] : payload), id);
        }
        else if (baseKind < 18)
        {
            frame = Frames.Ipv4(at.FromIp, at.ToIp, Frames.IPPROTO_ICMP, Frames.IcmpEcho((ushort)r.Next(1, 65536), 1, payload), id);
        }
        else
        {
            d.Add(new InjectStep(0, Expectation.Ok, at.Link, at.FromHost, Frames.ArpRequest(at.FromMac, at.FromIp, at.ToIp)));
            d.Tags.Add("arp");
            CloseInSomeOrder(d, [(rx, at.ToHost)]);
            return;
        }

        frame = Frames.Ethernet(at.ToMac, at.FromMac, 0x0800, frame);
        var proto = frame[14 + 9];
        var frames = 1 + r.Next(3);
        var optionOdds = d.Settings.Focused("ip-options") ? 4 : 12;
        var vlanOdds = d.Settings.Focused("vlan") ? 6 : 16;
        for (var i = 0; i < frames; i++)
        {
            var f = frame;
            if (r.Next(16) < optionOdds)
            {
                var kind = One(r, Frames.IpOptionKinds);
                var srr = kind is "lsrr" or "ssrr" or "srr-done" or "srr-bad-pointer";
                var hop = srr || kind == "ts-prespec" ? (r.Next(4) == 0 ? IPAddress.Parse("10.0.0.9") : at.ToIp) : at.ToIp;

                // a source route through a router is addressed to the router, its last hop the destination
                f = Frames.WithIpOption(f, Frames.IpOption(kind, r, hop), srr && at.Via is not null && hop.Equals(at.ToIp) ? at.Via : null);
                d.Tags.Add("ipopt:" + kind);
            }

            var mutations = r.Next(10) switch { < 3 => 0, < 8 => 1, _ => 2 };
            for (var k = 0; k < mutations; k++)
            {
                var applicable = Frames.Mutations.Where(m => Frames.Applies(m, proto)).ToList();
                var m = One(r, applicable);
                d.Tags.Add(m);
                f = Frames.Mutate(f, m, r);
            }

            if (mutations == 0)
            {
                d.Tags.Add("valid");
            }

            if (r.Next(16) < vlanOdds)
            {
                // VID 0 is a priority tag (the frame is the untagged device's); another VID has no device here
                var priorityTag = r.Next(2) == 0;
                f = Frames.VlanTag(f, priorityTag ? 0 : One(r, new[] { 1, 5, 100, 4094 }), r.Next(8));
                d.Tags.Add(priorityTag ? "vlan:priority" : "vlan:other");
            }

            d.Add(new InjectStep(0, Expectation.Ok, at.Link, at.FromHost, f));
        }

        if (rx is not null)
        {
            d.Add(new RecvStep(0, Expectation.Ok, rx, at.ToHost, 2048, WaitMode.NonBlocking, 1000));
        }

        CloseInSomeOrder(d, [(rx, at.ToHost)]);
    }

    /// <summary>
    /// Connection tracking and NAT: one or two of a ctstate filter (drop invalid, accept
    /// established|related then drop new, on input or a router's forward), masquerade on the
    /// router's way out to b, DNAT of the router's a-side address to b. Each rule makes its
    /// namespace track connections, as the nft rule does on Linux.
    /// </summary>
    private static void AddConntrack(ScenarioDraft d)
    {
        var r = d.Random;
        var hosts = d.HostNames.ToList();
        var router = hosts.Contains("r");
        var rules = 1 + r.Next(2);
        for (var i = 0; i < rules; i++)
        {
            var x = r.Next(router ? 6 : 3);
            var protocol = One(r, new[] { FilterProtocol.Any, FilterProtocol.Udp, FilterProtocol.Tcp, FilterProtocol.Icmp });
            switch (x)
            {
                case 0:
                    d.Filter(One(r, hosts), new FilterRule(FilterChain.Input, FilterAction.Drop, protocol, null, null, null, null, CtState: CtState.Invalid));
                    break;
                case 1:
                    var host = One(r, hosts);
                    d.Filter(host, new FilterRule(FilterChain.Input, FilterAction.Accept, FilterProtocol.Any, null, null, null, null, CtState: CtState.Established | CtState.Related));
                    d.Filter(host, new FilterRule(FilterChain.Input, FilterAction.Drop, protocol, null, null, null, null, CtState: CtState.New));
                    break;
                case 2:
                    d.Filter(One(r, hosts), new FilterRule(One(r, new[] { FilterChain.Prerouting, FilterChain.Output }), FilterAction.Accept, protocol, null, null, null, null,
                        CtState: One(r, new[] { CtState.New, CtState.Established, CtState.New | CtState.Established, CtState.Related | CtState.Invalid })));
                    break;
                case 3:
                    d.Filter("r", new FilterRule(FilterChain.Forward, FilterAction.Accept, FilterProtocol.Any, null, null, null, null, CtState: CtState.Established | CtState.Related));
                    d.Filter("r", new FilterRule(FilterChain.Forward, FilterAction.Drop, protocol, null, null, null, null, CtState: CtState.New, InInterface: "eth1"));
                    break;
                case 4:
                    d.Filter("r", new FilterRule(FilterChain.Postrouting, FilterAction.Masquerade, protocol, null, null, null, null, OutInterface: "eth1"));
                    break;
                default:
                    var natProto = One(r, new[] { FilterProtocol.Udp, FilterProtocol.Tcp });
                    var dport = 9000 + r.Next(3);
                    d.Filter("r", new FilterRule(FilterChain.Prerouting, FilterAction.Dnat, natProto, null, new Ipv4Prefix(IPAddress.Parse("10.0.1.2"), 32), null, dport,
                        To: new NatTo(IPAddress.Parse("10.0.2.2"), r.Next(2) == 0 ? dport : null)));
                    break;
            }
        }
    }

    /// <summary>One or two rules on random hosts and chains, matching what the episodes send.</summary>
    private static void AddFilters(ScenarioDraft d)
    {
        var r = d.Random;
        var hosts = d.HostNames.ToList();
        var rules = 1 + r.Next(2);
        for (var i = 0; i < rules; i++)
        {
            var protocol = One(r, new[] { FilterProtocol.Any, FilterProtocol.Icmp, FilterProtocol.Udp, FilterProtocol.Tcp });
            int? sport = null;
            int? dport = null;
            if (protocol is FilterProtocol.Udp or FilterProtocol.Tcp && r.Next(2) == 0)
            {
                if (r.Next(3) == 0)
                {
                    sport = 7000 + r.Next(3);
                }
                else
                {
                    dport = 9000 + r.Next(3);
                }
            }

            var path = One(r, d.Paths);
            Ipv4Prefix? src = r.Next(3) == 0 ? new Ipv4Prefix(path.ClientAddress, 32) : null;
            Ipv4Prefix? dst = r.Next(4) == 0 ? new Ipv4Prefix(path.ServerAddress, r.Next(2) == 0 ? 32 : 24) : null;
            if (dst is { PrefixLength: 24 } p)
            {
                var bytes = p.Address.GetAddressBytes();
                bytes[3] = 0;
                dst = new Ipv4Prefix(new IPAddress(bytes), 24);
            }

            d.Filter(One(r, hosts), new FilterRule(
                One(r, new[] { FilterChain.Prerouting, FilterChain.Input, FilterChain.Input, FilterChain.Output, FilterChain.Output }),
                r.Next(4) == 0 ? FilterAction.Accept : FilterAction.Drop,
                protocol, src, dst, sport, dport));
        }
    }
}
