using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>Who can talk to whom in a topology: a client host, and a server address (with no host behind it when <see cref="Server"/> is null).</summary>
public sealed record ExplorePath(string Client, IPAddress ClientAddress, string? Server, IPAddress ServerAddress, bool Forwarded = false);

/// <summary>Where a raw frame can be injected: out of <see cref="FromHost"/>'s end of a link, addressed to <see cref="ToHost"/>;
/// <see cref="Via"/>, when set, is the first hop's own address (a router's), to which a source-routed frame is addressed.</summary>
public sealed record InjectPoint(string Link, string FromHost, string FromMac, string ToMac, IPAddress FromIp, IPAddress ToIp, string ToHost, IPAddress? Via = null);

/// <summary>A topology the generator can build: a name and one function that adds hosts, links, paths and injection points to a draft.</summary>
public sealed record TopologyKind(string Name, int Weight, Action<ScenarioDraft> Build);

/// <summary>
/// The topologies of generated scenarios. Adding one is adding one function here and one row in
/// <see cref="All"/>; the episodes only see <see cref="ExplorePath"/>s and <see cref="InjectPoint"/>s.
/// </summary>
public static class Topologies
{
    public static readonly IReadOnlyList<TopologyKind> All =
    [
        new("veth", 7, TwoHostsVeth),
        new("loopback", 3, OneHostLoopback),
        new("router", 4, ThreeHostsRouted),
    ];

    /// <summary>
    /// The topologies used unless asked otherwise: all of them (the simulation forwards
    /// since ip_forward.c was ported).
    /// </summary>
    public static readonly IReadOnlyList<string> Default = ["veth", "loopback", "router"];

    public static TopologyKind Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"unknown topology '{name}' (known: {string.Join(", ", All.Select(t => t.Name))})");

    private static readonly int[] Mtus = [576, 1000, 1280, 1400, 1500, 1500, 1500, 1500, 2000, 4000, 9000];

    /// <summary>An MTU between 576 and 9000, mostly 1500.</summary>
    public static int Mtu(Random r) => r.Next(5) == 0 ? r.Next(576, 9001) : Mtus[r.Next(Mtus.Length)];

    /// <summary>Hosts a and b on one veth pair (10.0.0.0/24); sometimes b's loopback too, and an address nobody answers for.</summary>
    public static void TwoHostsVeth(ScenarioDraft d)
    {
        var r = d.Random;
        d.AddHost("a");
        d.AddHost("b");
        var a = IPAddress.Parse("10.0.0.1");
        var b = IPAddress.Parse("10.0.0.2");
        d.AddVeth("l0", Topologies.Mtu(r), ("a", "eth0", a, 24), ("b", "eth0", b, 24));
        d.Paths.Add(new ExplorePath("a", a, "b", b));
        d.Paths.Add(new ExplorePath("b", b, "a", a));
        d.Injects.Add(new InjectPoint("l0", "a", d.MacOf("l0", "a"), d.MacOf("l0", "b"), a, b, "b"));
        d.Injects.Add(new InjectPoint("l0", "b", d.MacOf("l0", "b"), d.MacOf("l0", "a"), b, a, "a"));
        if (r.Next(4) == 0)
        {
            d.AddLoopback("lo", "b", r.Next(2) == 0 ? 65536 : Topologies.Mtu(r));
            d.Paths.Add(new ExplorePath("b", IPAddress.Loopback, "b", IPAddress.Loopback));
        }

        if (r.Next(12) == 0)
        {
            d.Paths.Add(new ExplorePath("a", a, null, IPAddress.Parse("10.0.0.3")));
        }
    }

    /// <summary>One host talking to itself over 127.0.0.1.</summary>
    public static void OneHostLoopback(ScenarioDraft d)
    {
        d.AddHost("a");
        d.AddLoopback("lo", "a", d.Random.Next(2) == 0 ? 65536 : Topologies.Mtu(d.Random));
        d.Paths.Add(new ExplorePath("a", IPAddress.Loopback, "a", IPAddress.Loopback));
    }

    /// <summary>a - r - b: two veth links (10.0.1.0/24, 10.0.2.0/24) and r forwarding between them.</summary>
    public static void ThreeHostsRouted(ScenarioDraft d)
    {
        var r = d.Random;
        d.AddHost("a");
        d.AddHost("r");
        d.AddHost("b");
        d.Sysctl("r", "net.ipv4.ip_forward", "1");
        var a = IPAddress.Parse("10.0.1.1");
        var ra = IPAddress.Parse("10.0.1.2");
        var rb = IPAddress.Parse("10.0.2.1");
        var b = IPAddress.Parse("10.0.2.2");
        d.AddVeth("l0", Topologies.Mtu(r), ("a", "eth0", a, 24), ("r", "eth0", ra, 24));
        d.AddVeth("l1", Topologies.Mtu(r), ("r", "eth1", rb, 24), ("b", "eth0", b, 24));
        d.Route("a", new RouteSpec(new Ipv4Prefix(IPAddress.Any, 0), ra, "eth0", null));
        d.Route("b", new RouteSpec(new Ipv4Prefix(IPAddress.Any, 0), rb, "eth0", null));
        d.Paths.Add(new ExplorePath("a", a, "b", b, Forwarded: true));
        d.Paths.Add(new ExplorePath("b", b, "a", a, Forwarded: true));
        d.Paths.Add(new ExplorePath("a", a, "r", ra));
        d.Injects.Add(new InjectPoint("l0", "a", d.MacOf("l0", "a"), d.MacOf("l0", "r"), a, b, "b", Via: ra));
    }
}
