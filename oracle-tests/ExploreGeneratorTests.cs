using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using KernelNet.Scenarios.Explore;
using KernelNet.Scenarios.Scenario;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>The explore generator: deterministic, always loadable, and covering the scenario language over many seeds.</summary>
public class ExploreGeneratorTests
{
    private static readonly string[] StepKinds =
        ["socket", "bind", "listen", "accept", "connect", "send", "sendto", "recv", "shutdown", "close", "setsockopt", "ping", "sleep", "inject"];

    [Fact]
    public void The_same_seed_gives_the_same_scenarios_byte_for_byte()
    {
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(ScenarioGenerator.Generate(7, i).Yaml, ScenarioGenerator.Generate(7, i).Yaml);
        }

        var differing = Enumerable.Range(0, 20).Count(i => ScenarioGenerator.Generate(7, i).Yaml != ScenarioGenerator.Generate(8, i).Yaml);
        Assert.True(differing >= 18, $"seeds 7 and 8 gave {20 - differing} identical scenarios of 20");
    }

    [Fact]
    public void Every_generated_scenario_loads_and_writes_back_to_the_same_text()
    {
        var all = new ScenarioGenerator.Settings(Topologies.All.Select(t => t.Name).ToList());
        foreach (var seed in new[] { 1, 2, 3 })
        {
            for (var i = 0; i < 60; i++)
            {
                var g = ScenarioGenerator.Generate(seed, i, all);
                ScenarioSpec loaded;
                try
                {
                    loaded = ScenarioLoader.Parse(g.Yaml, g.Name + ".yaml");
                }
                catch (ScenarioException e)
                {
                    throw new Xunit.Sdk.XunitException($"{g.Name} does not load: {e.Message}\n{g.Yaml}");
                }

                Assert.Equal(g.Yaml, ScenarioWriter.Write(loaded));
                Assert.Equal(g.Spec.Steps.Count, loaded.Steps.Count);
            }
        }
    }

    [Fact]
    public void Generated_scenarios_address_only_their_own_namespaces()
    {
        var allowed = new[] { "10.0.", "127.0.0.1", "0.0.0.0" };
        for (var i = 0; i < 150; i++)
        {
            var s = ScenarioGenerator.Generate(11, i, new ScenarioGenerator.Settings(Topologies.All.Select(t => t.Name).ToList())).Spec;
            var addresses = s.Steps.SelectMany(Addresses).Select(a => a.ToString());
            foreach (var a in addresses)
            {
                Assert.True(allowed.Any(p => a.StartsWith(p, StringComparison.Ordinal)), $"{s.Name} addresses {a}");
            }

            var ownLinks = s.Links.Select(l => l.Name).ToHashSet();
            Assert.All(s.Steps.OfType<InjectStep>(), inj => Assert.Contains(inj.LinkName, ownLinks));
        }
    }

    private static IEnumerable<IPAddress> Addresses(Step step) => step switch
    {
        ConnectStep c => [c.Address],
        SendStep { To: { } to } => [to.Address],
        BindStep b => [b.Address],
        PingStep p => [p.Destination],
        _ => [],
    };

    [Fact]
    public void Three_hundred_scenarios_cover_every_step_kind_option_mode_chain_size_and_mutation()
    {
        var settings = new ScenarioGenerator.Settings(Topologies.All.Select(t => t.Name).ToList());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in new[] { 1, 2, 3 })
        {
            for (var i = 0; i < 100; i++)
            {
                seen.UnionWith(ScenarioGenerator.Generate(seed, i, settings).Coverage);
            }
        }

        var expected = new List<string>();
        expected.AddRange(StepKinds.Select(k => "step:" + k));
        expected.AddRange(ScenarioGenerator.Options.Select(o => "option:" + o));
        expected.AddRange(["mode:blocking", "mode:nonblocking", "mode:timeout"]);
        expected.AddRange(["shutdown:read", "shutdown:write", "shutdown:both"]);
        expected.AddRange(["chain:prerouting", "chain:input", "chain:output", "action:accept", "action:drop"]);
        expected.AddRange(["filter-protocol:any", "filter-protocol:icmp", "filter-protocol:udp", "filter-protocol:tcp", "filter-port"]);
        expected.AddRange(["socket:udp", "socket:tcp", "link:veth", "link:loopback", "hosts:1", "hosts:2", "hosts:3", "routes"]);
        expected.AddRange(["mtu:below-1500", "mtu:1500", "mtu:1501-9000", "mtu:above-9000"]);
        expected.AddRange(new[] { "0", "1-99", "100-1500", "1501-9000", "9001-65507", "64k-1m" }.Select(b => "payload:" + b));
        expected.AddRange(["expect:ok", "expect:bytes", "expect:errno", "expect:timeout"]);
        expected.AddRange(Frames.Mutations.Select(m => "mutation:" + m));
        expected.AddRange(["mutation:valid", "mutation:arp"]);
        var missing = expected.Where(e => !seen.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "not covered by 300 scenarios: " + string.Join(", ", missing));
    }

    private static readonly ScenarioGenerator.Settings Focused =
        new(Topologies.All.Select(t => t.Name).ToList(), ScenarioGenerator.FocusKinds);

    [Fact]
    public void Focused_scenarios_cover_every_ip_option_kind_vlan_tags_ctstates_and_nat_and_load()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 120; i++)
        {
            var g = ScenarioGenerator.Generate(5, i, Focused);
            Assert.Equal(g.Yaml, ScenarioGenerator.Generate(5, i, Focused).Yaml);
            ScenarioSpec loaded;
            try
            {
                loaded = ScenarioLoader.Parse(g.Yaml, g.Name + ".yaml");
            }
            catch (ScenarioException e)
            {
                throw new Xunit.Sdk.XunitException($"{g.Name} does not load: {e.Message}\n{g.Yaml}");
            }

            Assert.Equal(g.Yaml, ScenarioWriter.Write(loaded));
            Assert.Contains(loaded.Hosts, h => h.Filters.Any(f => f.CtState != CtState.None || f.Action is FilterAction.Masquerade or FilterAction.Dnat));
            seen.UnionWith(g.Coverage);
        }

        var expected = Frames.IpOptionKinds.Select(k => "mutation:ipopt:" + k).ToList();
        expected.AddRange(["mutation:vlan:priority", "mutation:vlan:other"]);
        expected.AddRange(["ctstate:new", "ctstate:established", "ctstate:related", "ctstate:invalid", "filter-interface"]);
        expected.AddRange(["action:masquerade", "action:dnat", "chain:forward", "chain:postrouting", "sysctl:net.ipv4.conf.all.accept_source_route"]);
        var missing = expected.Where(e => !seen.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "not covered by 120 focused scenarios: " + string.Join(", ", missing));
    }

    [Fact]
    public void Without_a_focus_the_new_kinds_still_come_now_and_then()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var settings = new ScenarioGenerator.Settings(Topologies.All.Select(t => t.Name).ToList());
        for (var i = 0; i < 300; i++)
        {
            seen.UnionWith(ScenarioGenerator.Generate(1, i, settings).Coverage);
        }

        Assert.Contains(seen, t => t.StartsWith("mutation:ipopt:", StringComparison.Ordinal));
        Assert.Contains(seen, t => t.StartsWith("mutation:vlan:", StringComparison.Ordinal));
        Assert.Contains(seen, t => t.StartsWith("ctstate:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("rr", 7, 4)]
    [InlineData("rr-full", 7, 8)]
    [InlineData("ts-only", 68, 5)]
    [InlineData("ts-addr", 68, 5)]
    [InlineData("lsrr", 131, 4)]
    [InlineData("ssrr", 137, 4)]
    [InlineData("ts-overflow-max", 68, 9)]
    public void An_ip_option_has_its_type_pointer_and_a_length_inside_the_header(string kind, int type, int pointer)
    {
        var r = new Random(1);
        for (var n = 0; n < 20; n++)
        {
            var o = Frames.IpOption(kind, r, IPAddress.Parse("10.0.0.2"));
            var at = Array.FindIndex(o, b => b != 1);
            Assert.Equal(type, o[at]);
            Assert.Equal(pointer, o[at + 2]);
            Assert.InRange(o[at + 1], 3, o.Length - at);
            var frame = Frames.Ethernet("02:00:00:00:01:02", "02:00:00:00:01:01", 0x0800,
                Frames.Ipv4(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), Frames.IPPROTO_UDP, Frames.Udp(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), 7000, 9000, [1, 2, 3]), 1));
            var with = Frames.WithIpOption(frame, o);
            var ihl = (with[14] & 0xf) * 4;
            Assert.Equal(20 + ((o.Length + 3) / 4 * 4), ihl);
            Assert.Equal(with.Length - 14, BinaryPrimitives.ReadUInt16BigEndian(with.AsSpan(16)));
            Assert.Equal(0, Frames.Checksum(with.AsSpan(14, ihl)));
        }
    }

    [Fact]
    public void A_vlan_tag_goes_between_the_macs_and_the_ethertype()
    {
        var frame = Frames.Ethernet("02:00:00:00:01:02", "02:00:00:00:01:01", 0x0800, [0x45, 0, 0, 20]);
        var tagged = Frames.VlanTag(frame, 5, 3);
        Assert.Equal("810060050800", Convert.ToHexString(tagged.AsSpan(12, 6)));
        Assert.Equal(frame.Length + 4, tagged.Length);
    }

    [Fact]
    public void Payload_sizes_span_0_to_1_MB_and_are_mostly_small()
    {
        var r = new Random(3);
        var sizes = Enumerable.Range(0, 5000).Select(_ => ScenarioGenerator.PayloadSize(r)).ToList();
        Assert.Equal(0, sizes.Min());
        Assert.InRange(sizes.Max(), 900_000, 1 << 20);
        Assert.True(sizes.Count(s => s < 1500) > sizes.Count / 2, "most payloads should be below 1500 bytes");
    }

    [Fact]
    public void A_built_frame_has_valid_checksums_and_the_checksum_mutation_breaks_only_the_ip_header()
    {
        var src = IPAddress.Parse("10.0.0.1");
        var dst = IPAddress.Parse("10.0.0.2");
        var udp = Frames.Udp(src, dst, 7000, 9000, "hello"u8);
        var frame = Frames.Ethernet("02:00:00:00:01:02", "02:00:00:00:01:01", 0x0800, Frames.Ipv4(src, dst, Frames.IPPROTO_UDP, udp, 1));
        Assert.Equal(0, Frames.Checksum(frame.AsSpan(14, 20)));
        var pseudo = new byte[12 + udp.Length];
        src.GetAddressBytes().CopyTo(pseudo, 0);
        dst.GetAddressBytes().CopyTo(pseudo, 4);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)udp.Length);
        udp.CopyTo(pseudo, 12);
        Assert.Equal(0, Frames.Checksum(pseudo));

        var broken = Frames.Mutate(frame, "ip-checksum", new Random(1));
        Assert.NotEqual(0, Frames.Checksum(broken.AsSpan(14, 20)));
        Assert.Equal(frame.Length, broken.Length);
    }

    [Fact]
    public void An_options_mutation_grows_the_header_and_keeps_its_checksum_valid()
    {
        var src = IPAddress.Parse("10.0.0.1");
        var dst = IPAddress.Parse("10.0.0.2");
        var frame = Frames.Ethernet("02:00:00:00:01:02", "02:00:00:00:01:01", 0x0800,
            Frames.Ipv4(src, dst, Frames.IPPROTO_ICMP, Frames.IcmpEcho(1, 1, "ping"u8), 9));
        var mutated = Frames.Mutate(frame, "ip-options", new Random(5));
        var ihl = (mutated[14] & 0x0f) * 4;
        Assert.True(ihl > 20, "the header should carry options");
        Assert.Equal(0, Frames.Checksum(mutated.AsSpan(14, ihl)));
        Assert.Equal(mutated.Length - 14, BinaryPrimitives.ReadUInt16BigEndian(mutated.AsSpan(16)));
    }

    [Fact]
    public void Shrinking_candidates_are_each_smaller_than_the_scenario()
    {
        var g = ScenarioGenerator.Generate(4, 2);
        var spec = ScenarioLoader.Parse(g.Yaml, "x.yaml");
        var candidates = Shrinker.Candidates(spec).ToList();
        Assert.NotEmpty(candidates);
        var whole = Measure(spec);
        foreach (var c in candidates)
        {
            var m = Measure(c);
            Assert.True(m.Zip(whole).All(p => p.First <= p.Second) && m.Zip(whole).Any(p => p.First < p.Second),
                $"a candidate is not smaller: ({string.Join(", ", m)}) against ({string.Join(", ", whole)})");
        }

        Assert.Equal(spec.Steps.Count - (spec.Steps.Count / 2), candidates[0].Steps.Count);
    }

    /// <summary>Steps, payload and ping bytes, socket options, filters and sysctls, distance of the MTUs from 1500.</summary>
    private static long[] Measure(ScenarioSpec s) =>
    [
        s.Steps.Count,
        s.Steps.OfType<SendStep>().Sum(x => (long)x.Payload.Bytes.Length) + s.Steps.OfType<PingStep>().Sum(p => (long)p.Size),
        s.Steps.OfType<CreateSocketStep>().Sum(c => c.Options.Count),
        s.Hosts.Sum(h => h.Filters.Count + h.Sysctls.Count),
        s.Links.Where(l => l.Kind == LinkKind.Veth).Sum(l => Math.Abs(l.Mtu - 1500)),
    ];

    [Fact]
    public void Divergences_that_differ_only_in_numbers_fall_into_one_group()
    {
        const string first = "    link l0:\n    first difference at line 3 (left has 9 lines, right 8):\n       1 left:  x\n  !    3 left:  a > b [S] seq=0 win=64240\n         right: a > b [S] seq=0 win=65280\n";
        const string second = "    link l0:\n    first difference at line 5 (left has 12 lines, right 8):\n  !    5 left:  a > b [S] seq=0 win=32120\n         right: a > b [S] seq=0 win=65483\n";
        LevelComparison C(string text)
        {
            var (l, r) = ExploreJudge.FirstPair(text);
            return new LevelComparison("wire", false, text, l, r);
        }

        var k1 = ExploreJudge.GroupKey(C(first));
        Assert.Equal(k1, ExploreJudge.GroupKey(C(second)));
        Assert.Contains("win=#", k1, StringComparison.Ordinal);
        Assert.StartsWith("wire: link l# a > b", k1, StringComparison.Ordinal);
        Assert.NotEqual(k1, ExploreJudge.GroupKey(C(first.Replace("[S]", "[S.]", StringComparison.Ordinal))));
    }

    [Fact]
    public void One_mechanism_seen_in_either_direction_and_on_any_link_is_one_group()
    {
        static string Key(string left, string right) => ExploreJudge.GroupKey(new LevelComparison("wire", false, "", left, right));

        var veth = Key(
            "link l0 020000000102 > 020000000101 IPv4 10.0.0.2 > 10.0.0.1 ttl=64 tos=0x00 id=id9 len=4857 DF | TCP 9002 > eph2 [P.] seq=32 ack=1 win=64 data=4805",
            "link l0 020000000102 > 020000000101 IPv4 10.0.0.2 > 10.0.0.1 ttl=64 tos=0x00 id=id9 len=4857 DF | TCP 9002 > eph2 [.] seq=32 ack=1 win=64 data=4805");
        var loopback = Key(
            "link lo 000000000000 > 000000000000 IPv4 127.0.0.1 > 127.0.0.1 ttl=64 tos=0x00 id=id8 len=5740 DF | TCP eph1 > 9000 [P.] seq=146 ack=1 win=64 data=5688",
            "link lo 000000000000 > 000000000000 IPv4 127.0.0.1 > 127.0.0.1 ttl=64 tos=0x00 id=id8 len=4792 DF | TCP eph1 > 9000 [.] seq=146 ack=1 win=64 data=4740");
        Assert.Equal("wire: TCP [P.]  <>  [.]", veth);
        Assert.Equal(veth, loopback);
        Assert.Equal(
            "journeys: kfree_skb(IP_INHDR)[softirq]  <>  kfree_skb(PKT_TOO_SMALL)[softirq]",
            ExploreJudge.GroupKey(new LevelComparison("journeys", false, "",
                "skb2: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > kfree_skb(IP_INHDR)[softirq]",
                "skb2: net_dev_queue@a:eth0[a] > netif_receive_skb@b:eth0[softirq] > kfree_skb(PKT_TOO_SMALL)[softirq]")));
    }
}
