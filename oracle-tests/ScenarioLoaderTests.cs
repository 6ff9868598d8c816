using System.IO;
using System.Linq;
using KernelNet.Scenarios.Scenario;
using Xunit;

namespace KernelNet.OracleTests;

public class ScenarioLoaderTests
{
    private const string Good = """
        name: t
        levels: { order: { informative: "two CPUs' softirqs interleave as the scheduler places them" } }
        hosts:
          a: {}
          b: {}
        links:
          - name: l0
            type: veth
            ends:
              - { host: a, interface: eth0, address: 10.0.0.1/24 }
              - { host: b, interface: eth0, address: 10.0.0.2/24 }
        steps:
          - socket: { host: a, name: tx, type: udp }
          - sendto: { socket: tx, to: "10.0.0.2:9000", data: hi }
            expect: { bytes: 2 }
        """;

    [Theory]
    [MemberData(nameof(OracleFiles.ScenarioNames), MemberType = typeof(OracleFiles))]
    public void Every_checked_in_scenario_parses(string name)
    {
        var s = ScenarioLoader.Load(Path.Combine(OracleFiles.Scenarios, name + ".yaml"));
        Assert.Equal(name, s.Name);
        Assert.NotEmpty(s.Steps);
    }

    [Fact]
    public void A_good_scenario_becomes_records_with_default_macs_and_expectations()
    {
        var s = ScenarioLoader.Parse(Good, "t.yaml");
        Assert.Equal([ComparisonLevel.Steps, ComparisonLevel.Counters, ComparisonLevel.Wire, ComparisonLevel.Sockets, ComparisonLevel.Journeys, ComparisonLevel.Timing, ComparisonLevel.Switches], s.Levels);
        Assert.Equal("two CPUs' softirqs interleave as the scheduler places them", s.InformativeLevels[ComparisonLevel.Order]);
        Assert.Equal("02:00:00:00:01:02", s.Links[0].Ends[1].Mac);
        Assert.Equal(1500, s.Links[0].Mtu);
        var send = Assert.IsType<SendStep>(s.Steps[1]);
        Assert.Equal("a", send.Host);
        Assert.Equal(9000, send.To!.Port);
        Assert.Equal(new Expectation(ExpectKind.Bytes, 2).ToString(), send.Expect.ToString());
        Assert.Equal(14, send.Line);
    }

    [Theory]
    [InlineData("levels: { order:", "levels: { orders:", "t.yaml:2: expected one of steps, counters, wire, sockets, journeys, timing, switches, order for a comparison level, got 'orders'")]
    [InlineData("{ informative: \"two CPUs' softirqs interleave as the scheduler places them\" }", "{ informative: \"flaky\" }", "t.yaml:2: expected the real-kernel mechanism that makes level 'order' differ between two real runs as 'informative', got 'flaky'")]
    [InlineData("{ informative: \"two CPUs' softirqs interleave as the scheduler places them\" }", "{ required: no }", "t.yaml:2: expected key 'informative' in level 'order'")]
    [InlineData("levels: { order: { informative: \"two CPUs' softirqs interleave as the scheduler places them\" } }", "levels: [counters, wire]", "t.yaml:2: expected a mapping for 'levels' (every level is required; mark one informative with `LEVEL: { informative: REASON }`), not a list of levels")]
    [InlineData("type: veth", "type: ethernet", "t.yaml:8: expected one of veth, loopback, cable, virtio for 'type' of a link, got 'ethernet'")]
    [InlineData("address: 10.0.0.1/24", "address: 10.0.0.300/24", "t.yaml:10: expected an IPv4 prefix like 10.0.0.1/24 for 'address' of a link end, got '10.0.0.300/24'")]
    [InlineData("{ host: a, name: tx, type: udp }", "{ host: c, name: tx, type: udp }", "t.yaml:13: expected a host (a, b), got 'c'")]
    [InlineData("{ socket: tx, to:", "{ socket: rx, to:", "t.yaml:14: expected a socket created by an earlier step, got 'rx'")]
    [InlineData("expect: { bytes: 2 }", "expect: { errno: EWHAT }", "t.yaml:15: expected an errno name (ECONNREFUSED, EAGAIN, EHOSTUNREACH, ...), got 'EWHAT'")]
    [InlineData("expect: { bytes: 2 }", "expect: { bytes: 2, colour: red }", "t.yaml:15: unknown key 'colour' in 'expect'; expected one of: errno, bytes, data")]
    [InlineData("- sendto:", "- sendit:", "t.yaml:14: expected one step verb (socket, bind, listen, accept, connect, send, sendto, recv, recvfrom, shutdown, close, setsockopt, ping, sleep, inject, poll, file, pipe, sendfile, splice, mmap_send, echo_load, link_set) and optionally 'expect' and 'repeat', got 'sendit, expect'")]
    [InlineData("to: \"10.0.0.2:9000\"", "to: \"10.0.0.2\"", "t.yaml:14: expected ADDRESS:PORT like 10.0.0.2:9000 for 'to' of sendto, got '10.0.0.2'")]
    [InlineData("name: t\n", "name: t\nname: u\n", "t.yaml:2: expected well-formed YAML (Duplicate key name)")]
    [InlineData("{ host: a, name: tx, type: udp }", "{ host: a, name: tx, type: tcp, options: { SO_LINGER: 11 } }", "t.yaml:13: expected an integer 0..10 for option SO_LINGER (seconds close may wait), got '11'")]
    public void A_malformed_scenario_fails_with_one_line_naming_file_line_and_expectation(string from, string to, string expected)
    {
        var text = Good.Replace(from, to, System.StringComparison.Ordinal);
        Assert.NotEqual(Good, text);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml"));
        Assert.Equal(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("{ link: l0, host: a, state: down }", null)]
    [InlineData("{ link: l9, host: a, state: down }", "t.yaml:16: expected a link name (l0), got 'l9'")]
    [InlineData("{ link: l0, host: c, state: down }", "t.yaml:16: expected a host (a, b), got 'c'")]
    [InlineData("{ link: l0, host: a, state: sideways }", "t.yaml:16: expected 'up' or 'down' as 'state' of link_set, got 'sideways'")]
    public void A_link_set_step_names_a_hosts_end_of_a_link_and_up_or_down(string args, string? expected)
    {
        var text = Good + "\n  - link_set: " + args + "\n";
        if (expected is null)
        {
            var step = Assert.IsType<LinkSetStep>(ScenarioLoader.Parse(text, "t.yaml").Steps[^1]);
            Assert.Equal(("l0", "a", false), (step.LinkName, step.Host, step.Up));
            return;
        }

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Without_levels_every_level_is_required()
    {
        var text = Good.Replace("levels: { order: { informative: \"two CPUs' softirqs interleave as the scheduler places them\" } }\n", "", System.StringComparison.Ordinal);
        Assert.NotEqual(Good, text);
        var s = ScenarioLoader.Parse(text, "t.yaml");
        Assert.Equal(ScenarioSpec.AllLevels, s.Levels);
        Assert.Empty(s.InformativeLevels);
    }

    [Fact]
    public void A_missing_file_is_a_one_line_error_too()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("/nonexistent/x.yaml"));
        Assert.StartsWith("/nonexistent/x.yaml:0: cannot read the scenario", e.Message);
    }

    [Fact]
    public void Ports_in_a_filter_rule_need_udp_or_tcp()
    {
        var text = Good.Replace("  b: {}", "  b:\n    filters:\n      - { chain: input, action: drop, dport: 9000 }", System.StringComparison.Ordinal);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml"));
        Assert.Equal("t.yaml:7: expected protocol udp or tcp in a filter rule that matches ports", e.Message);
    }

    [Fact]
    public void Filter_rules_parse_to_chain_action_protocol_and_port()
    {
        var text = Good.Replace("  b: {}", "  b:\n    filters:\n      - { chain: input, action: drop, protocol: udp, dport: 9000 }", System.StringComparison.Ordinal);
        var rule = ScenarioLoader.Parse(text, "t.yaml").Hosts.Single(h => h.Name == "b").Filters.Single();
        Assert.Equal(new FilterRule(FilterChain.Input, FilterAction.Drop, FilterProtocol.Udp, null, null, null, 9000), rule);
    }

    [Fact]
    public void A_link_with_too_many_ends_or_too_many_links_is_one_line_naming_the_limit()
    {
        var ends = string.Concat(Enumerable.Range(0, 256).Select(i => $"\n      - {{ host: a, interface: e{i}, address: 10.1.{i}.1/24 }}"));
        var e = Bad("    ends:\n      - { host: a, interface: eth0, address: 10.0.0.1/24 }", "    ends:" + ends + "\n      - { host: a, interface: eth0, address: 10.0.0.1/24 }");
        Assert.Equal("t.yaml:10: expected 2 end(s) for a veth link, got 258", e.Message);

        var links = string.Concat(Enumerable.Range(0, 256).Select(i =>
            $"\n  - name: x{i}\n    type: veth\n    ends:\n      - {{ host: a, interface: x{i}a }}\n      - {{ host: b, interface: x{i}b }}"));
        e = Bad("links:", "links:" + links);
        Assert.StartsWith("t.yaml:", e.Message, System.StringComparison.Ordinal);
        Assert.EndsWith("expected at most 255 links, got 257", e.Message, System.StringComparison.Ordinal);
    }

    private static ScenarioException Bad(string from, string to)
    {
        var text = Good.Replace(from, to, System.StringComparison.Ordinal);
        Assert.NotEqual(Good, text);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml"));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void A_vlan_device_parses_to_its_name_lower_device_id_and_address()
    {
        var text = Good.Replace("  b: {}", "  b:\n    vlans:\n      - { name: eth0.5, link: eth0, id: 5, address: 10.0.5.2/24 }", System.StringComparison.Ordinal);
        var vlan = ScenarioLoader.Parse(text, "t.yaml").Hosts.Single(h => h.Name == "b").Vlans!.Single();
        Assert.Equal("eth0.5", vlan.Name);
        Assert.Equal("eth0", vlan.Link);
        Assert.Equal(5, vlan.Id);
        Assert.Equal("10.0.5.2/24", vlan.Address!.Value.ToString());
    }

    [Theory]
    [InlineData("{ name: eth0.5, link: eth1, id: 5 }", "expected the link of vlan 'eth0.5' of host 'b' to be one of its veth or cable interfaces (eth0)")]
    [InlineData("{ name: eth0, link: eth0, id: 5 }", "expected vlan 'eth0' of host 'b' to have a name no other interface of the host has")]
    [InlineData("{ name: eth0.0, link: eth0, id: 0 }", "expected an integer 1..4094 for 'id' of a vlan, got '0'")]
    public void A_bad_vlan_device_is_one_line(string vlan, string expected)
    {
        var e = Bad("  b: {}", "  b:\n    vlans:\n      - " + vlan);
        Assert.EndsWith(expected, e.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_forward_chain_rule_parses()
    {
        var text = Good.Replace("  b: {}", "  b:\n    sysctls: { net.ipv4.ip_forward: 1 }\n    filters:\n      - { chain: forward, action: drop, protocol: udp, dport: 9000 }", System.StringComparison.Ordinal);
        var host = ScenarioLoader.Parse(text, "t.yaml").Hosts.Single(h => h.Name == "b");
        Assert.Equal(FilterChain.Forward, host.Filters.Single().Chain);
        Assert.Equal("1", host.Sysctls["net.ipv4.ip_forward"]);
    }

    [Fact]
    public void Length_and_nth_matches_parse_and_render_as_nft_in_that_order()
    {
        var text = Good.Replace("  b: {}", "  b:\n    filters:\n      - { chain: input, action: drop, protocol: tcp, dport: 9000, length: 100-65535, nth: { every: 1000, packet: 5 } }", System.StringComparison.Ordinal);
        var rule = ScenarioLoader.Parse(text, "t.yaml").Hosts.Single(h => h.Name == "b").Filters.Single();
        Assert.Equal(new LengthRange(100, 65535), rule.Length);
        Assert.Equal(new NthMatch(1000, 5), rule.Nth);
        Assert.Equal("tcp dport 9000 ip length 100-65535 numgen inc mod 1000 == 5 drop", KernelNet.Scenarios.Oracle.NftRuleset.Rule(rule));
    }

    [Fact]
    public void Conntrack_and_nat_rules_parse_and_render_as_nft_nat_chains()
    {
        var text = Good.Replace("  b: {}", "  b:\n    filters:\n      - { chain: input, action: accept, ctstate: \"established|related\", in: eth0 }\n      - { chain: postrouting, action: masquerade, out: eth0 }\n      - { chain: prerouting, action: dnat, protocol: udp, dport: 8080, to: \"10.0.0.1:9000\" }", System.StringComparison.Ordinal);
        var rules = ScenarioLoader.Parse(text, "t.yaml").Hosts.Single(h => h.Name == "b").Filters;
        Assert.Equal(CtState.Established | CtState.Related, rules[0].CtState);
        Assert.Equal("eth0", rules[0].InInterface);
        Assert.Equal(new NatTo(System.Net.IPAddress.Parse("10.0.0.1"), 9000), rules[2].To);
        Assert.Equal(
            "table ip kernelnet {\n" +
            "  chain input {\n    type filter hook input priority 0; policy accept;\n    iifname \"kn1l0b\" ct state established,related accept\n  }\n" +
            "  chain nat_postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n    oifname \"kn1l0b\" masquerade\n  }\n" +
            "  chain nat_prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n    udp dport 8080 dnat to 10.0.0.1:9000\n  }\n" +
            "}\n",
            KernelNet.Scenarios.Oracle.NftRuleset.Render(rules, iface => "kn1l0b"));
        Assert.Equal("{ chain: prerouting, action: dnat, protocol: udp, dport: 8080, to: \"10.0.0.1:9000\" }", KernelNet.Scenarios.Explore.ScenarioWriter.Filter(rules[2]));
    }

    [Theory]
    [InlineData("{ chain: input, action: masquerade }", "t.yaml:7: expected chain postrouting for action masquerade")]
    [InlineData("{ chain: postrouting, action: dnat, to: 10.0.0.1 }", "t.yaml:7: expected chain prerouting for action dnat")]
    [InlineData("{ chain: prerouting, action: dnat }", "t.yaml:7: expected 'to' in a dnat rule, and only there")]
    [InlineData("{ chain: prerouting, action: dnat, to: \"10.0.0.1:9000\" }", "t.yaml:7: expected protocol udp or tcp in a dnat rule that maps the port")]
    [InlineData("{ chain: prerouting, action: dnat, to: 10.0.0 }", "t.yaml:7: expected 'to' as ADDRESS or ADDRESS:PORT, got '10.0.0'")]
    [InlineData("{ chain: input, action: drop, ctstate: \"new|old\" }", "t.yaml:7: expected ctstate from new, established, related, invalid joined by '|', got 'old'")]
    [InlineData("{ chain: input, action: drop, out: eth0 }", "t.yaml:7: expected no 'out' in the input chain (the packet has no output interface yet)")]
    [InlineData("{ chain: input, action: drop, in: eth9 }", "t.yaml:4: expected filter interface 'eth9' of host 'b' to be one of its interfaces (eth0)")]
    public void A_bad_conntrack_or_nat_rule_is_one_line(string rule, string message)
    {
        var e = Bad("  b: {}", "  b:\n    filters:\n      - " + rule);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_bad_length_range_is_one_line()
    {
        var e = Bad("  b: {}", "  b:\n    filters:\n      - { chain: input, action: drop, length: 200-100 }");
        Assert.Equal("t.yaml:7: expected an IP length range MIN-MAX (0-65535) for 'length' of a filter rule, got '200-100'", e.Message);
    }

    [Fact]
    public void An_nth_packet_must_be_below_every()
    {
        var e = Bad("  b: {}", "  b:\n    filters:\n      - { chain: input, action: drop, nth: { every: 3, packet: 3 } }");
        Assert.Equal("t.yaml:7: expected 'packet' below 'every' (3) in nth, got 3", e.Message);
    }

    [Fact]
    public void A_link_takes_gso_max_segs()
    {
        var s = ScenarioLoader.Parse(Good.Replace("    type: veth", "    type: veth\n    gso_max_segs: 1", System.StringComparison.Ordinal), "t.yaml");
        Assert.Equal(1, s.Links[0].GsoMaxSegs);
        Assert.Null(ScenarioLoader.Parse(Good, "t.yaml").Links[0].GsoMaxSegs);
        var e = Bad("    type: veth", "    type: veth\n    gso_max_segs: 0");
        Assert.Equal("t.yaml:9: expected an integer 1..65535 for 'gso_max_segs' of a link, got '0'", e.Message);
    }

    [Fact]
    public void Repeat_runs_a_step_that_many_times_on_its_line()
    {
        var s = ScenarioLoader.Parse(Good.Replace("    expect: { bytes: 2 }", "    expect: { bytes: 2 }\n    repeat: 3", System.StringComparison.Ordinal), "t.yaml");
        Assert.Equal(4, s.Steps.Count);
        Assert.All(s.Steps.Skip(1), st => Assert.Equal(14, Assert.IsType<SendStep>(st).Line));
        var e = Bad("  - socket: { host: a, name: tx, type: udp }", "  - socket: { host: a, name: tx, type: udp }\n    repeat: 2");
        Assert.Equal("t.yaml:14: expected 'repeat' only on a step that can run again ('socket' creates or ends a socket)", e.Message);
    }

    [Fact]
    public void Sends_take_up_to_a_mebibyte_and_a_datagram_above_65507_is_left_to_the_kernel()
    {
        var tcp = Good.Replace("type: udp }", "type: tcp }", System.StringComparison.Ordinal).Replace("sendto: { socket: tx, to: \"10.0.0.2:9000\", data: hi }", "send: { socket: tx, size: 200000 }", System.StringComparison.Ordinal);
        var send = Assert.IsType<SendStep>(ScenarioLoader.Parse(tcp, "t.yaml").Steps[1]);
        Assert.Equal(200000, send.Payload.Bytes.Length);

        // a UDP datagram of 70000 bytes loads: both kernels refuse it with EMSGSIZE, which a scenario may expect
        var udp = Assert.IsType<SendStep>(ScenarioLoader.Parse(Good.Replace("data: hi }", "size: 70000 }", System.StringComparison.Ordinal), "t.yaml").Steps[1]);
        Assert.Equal(70000, udp.Payload.Bytes.Length);
        var e = Bad("data: hi }", "size: 1048577 }");
        Assert.Equal("t.yaml:14: expected an integer 0..1048576 for 'size', got '1048577'", e.Message);
    }

    [Fact]
    public void Permanent_neighbours_and_disable_ipv6_parse()
    {
        var text = Good.Replace("  a: {}", "  a:\n    sysctls: { net.ipv6.conf.all.disable_ipv6: 1 }\n    neighbours:\n      - { to: 10.0.0.2, mac: \"02:00:00:00:01:02\", dev: eth0 }", System.StringComparison.Ordinal);
        var a = ScenarioLoader.Parse(text, "t.yaml").Hosts.Single(h => h.Name == "a");
        var n = Assert.Single(a.Neighbours!);
        Assert.Equal("10.0.0.2", n.Address.ToString());
        Assert.Equal("02:00:00:00:01:02", n.Mac);
        Assert.Equal("1", a.Sysctls["net.ipv6.conf.all.disable_ipv6"]);
    }

    [Fact]
    public void A_neighbour_on_an_unknown_interface_is_one_line()
    {
        var e = Bad("  a: {}", "  a:\n    neighbours:\n      - { to: 10.0.0.2, mac: \"02:00:00:00:01:02\", dev: eth7 }");
        Assert.Equal("t.yaml:4: expected neighbour device 'eth7' of host 'a' to be one of its interfaces (eth0)", e.Message);
    }

    [Fact]
    public void Other_ipv6_sysctls_are_refused()
    {
        var e = Bad("  a: {}", "  a:\n    sysctls: { net.ipv6.conf.all.forwarding: 1 }");
        Assert.Equal("t.yaml:5: expected a net.core.*, net.ipv4.* or net.ipv6.conf.{all,default}.disable_ipv6 sysctl, got 'net.ipv6.conf.all.forwarding'", e.Message);
    }

    // inject's hex is one frame or a list of frames sent back to back in one step; an empty list is a one-line
    // error, and a frame shorter than an Ethernet header loads (Linux refuses it when it is sent).
    [Fact]
    public void Inject_takes_one_frame_or_a_list_of_frames()
    {
        const string frame = "020000000102 020000000101 0800 00";
        var one = Good.Replace("expect: { bytes: 2 }", "expect: { bytes: 2 }\n  - inject: { link: l0, from: a, hex: \"" + frame + "\" }", System.StringComparison.Ordinal);
        var list = Good.Replace("expect: { bytes: 2 }", "expect: { bytes: 2 }\n  - inject: { link: l0, from: a, hex: [\"" + frame + "\", \"" + frame + "01\"] }", System.StringComparison.Ordinal);
        var empty = Good.Replace("expect: { bytes: 2 }", "expect: { bytes: 2 }\n  - inject: { link: l0, from: a, hex: [] }", System.StringComparison.Ordinal);
        var shortFrame = Good.Replace("expect: { bytes: 2 }", "expect: { bytes: 2 }\n  - inject: { link: l0, from: a, hex: [\"" + frame + "\", \"0800\"] }", System.StringComparison.Ordinal);

        Assert.Single(((InjectStep)ScenarioLoader.Parse(one, "t.yaml").Steps[^1]).Frames);
        var frames = ((InjectStep)ScenarioLoader.Parse(list, "t.yaml").Steps[^1]).Frames;
        Assert.Equal([15, 16], frames.Select(f => f.Length));
        Assert.Equal("t.yaml:16: expected at least one frame in 'hex' of inject", Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(empty, "t.yaml")).Message);
        Assert.Equal([15, 2], ((InjectStep)ScenarioLoader.Parse(shortFrame, "t.yaml").Steps[^1]).Frames.Select(f => f.Length));
    }
}
