using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>A scenario under construction by the generator: hosts, links, steps, and what the episodes may use.</summary>
public sealed class ScenarioDraft(Random random)
{
    private readonly List<(string Name, SortedDictionary<string, string> Sysctls, List<RouteSpec> Routes, List<FilterRule> Filters)> _hosts = [];
    private readonly List<LinkSpec> _links = [];
    private int _sockets;
    private int _ports;

    public Random Random { get; } = random;

    /// <summary>The settings the scenario is generated with (what to focus on).</summary>
    public ScenarioGenerator.Settings Settings { get; set; } = ScenarioGenerator.Settings.Default;

    public List<Step> Steps { get; } = [];

    public List<ExplorePath> Paths { get; } = [];

    public List<InjectPoint> Injects { get; } = [];

    /// <summary>Things a scenario exercises that its model does not show (inject mutations).</summary>
    public SortedSet<string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>True once filter rules are planned: then no call may block without a timeout (a dropped packet would hold it 10 s).</summary>
    public bool Filtered { get; set; }

    public IEnumerable<string> HostNames => _hosts.Select(h => h.Name);

    public IReadOnlyList<LinkSpec> Links => _links;

    public void AddHost(string name) => _hosts.Add((name, new SortedDictionary<string, string>(StringComparer.Ordinal), [], []));

    public void Sysctl(string host, string key, string value) => Host(host).Sysctls[key] = value;

    public void Route(string host, RouteSpec route) => Host(host).Routes.Add(route);

    public void Filter(string host, FilterRule rule) => Host(host).Filters.Add(rule);

    public bool HasSysctl(string host, string key) => Host(host).Sysctls.ContainsKey(key);

    private (string Name, SortedDictionary<string, string> Sysctls, List<RouteSpec> Routes, List<FilterRule> Filters) Host(string name) =>
        _hosts.First(h => h.Name == name);

    public void AddVeth(string name, int mtu, (string Host, string If, IPAddress Address, int Prefix) a, (string Host, string If, IPAddress Address, int Prefix) b)
    {
        var index = _links.Count + 1;
        _links.Add(new LinkSpec(name, LinkKind.Veth, mtu,
        [
            new LinkEnd(a.Host, a.If, new Ipv4Prefix(a.Address, a.Prefix), $"02:00:00:00:{index:x2}:01"),
            new LinkEnd(b.Host, b.If, new Ipv4Prefix(b.Address, b.Prefix), $"02:00:00:00:{index:x2}:02"),
        ]));
    }

    public void AddLoopback(string name, string host, int mtu) =>
        _links.Add(new LinkSpec(name, LinkKind.Loopback, mtu, [new LinkEnd(host, "lo", new Ipv4Prefix(IPAddress.Loopback, 8), "00:00:00:00:00:00")]));

    public string MacOf(string link, string host) => _links.First(l => l.Name == link).Ends.First(e => e.Host == host).Mac;

    /// <summary>A new socket name: u1, t2, ... (the prefix says UDP or TCP to a reader).</summary>
    public string NewSocket(string prefix) => $"{prefix}{++_sockets}";

    /// <summary>A server port nobody else in the scenario uses: 9000, 9001, ...</summary>
    public int NewPort() => 9000 + _ports++;

    public void Add(Step step) => Steps.Add(step);

    public ScenarioSpec Build(string name, string description) => new(
        name,
        description,
        [ComparisonLevel.Counters, ComparisonLevel.Wire, ComparisonLevel.Sockets, ComparisonLevel.Journeys],
        ScenarioSpec.DefaultTracepoints,
        _hosts.Select(h => new HostSpec(h.Name, new Dictionary<string, string>(h.Sysctls, StringComparer.Ordinal), h.Routes.ToList(), h.Filters.ToList())).ToList(),
        _links.ToList(),
        Steps.ToList(),
        "");
}
