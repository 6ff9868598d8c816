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
        Assert.Equal([ComparisonLevel.Steps, ComparisonLevel.Counters, ComparisonLevel.Wire, ComparisonLevel.Sockets, ComparisonLevel.Journeys, ComparisonLevel.Timing], s.Levels);
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
    [InlineData("levels: { order:", "levels: { orders:", "t.yaml:2: expected one of steps, counters, wire, sockets, journeys, timing, order for a comparison level, got 'orders'")]
    [InlineData("{ informative: \"two CPUs' softirqs interleave as the scheduler places them\" }", "{ informative: \"flaky\" }", "t.yaml:2: expected the real-kernel mechanism that makes level 'order' differ between two real runs as 'informative', got 'flaky'")]
    [InlineData("{ informative: \"two CPUs' softirqs interleave as the scheduler places them\" }", "{ required: no }", "t.yaml:2: expected key 'informative' in level 'order'")]
    [InlineData("levels: { order: { informative: \"two CPUs' softirqs interleave as the scheduler places them\" } }", "levels: [counters, wire]", "t.yaml:2: expected a mapping for 'levels' (every level is required; mark one informative with `LEVEL: { informative: REASON }`), not a list of levels")]
    [InlineData("type: veth", "type: ethernet", "t.yaml:8: expected one of veth, loopback, cable for 'type' of a link, got 'ethernet'")]
    [InlineData("address: 10.0.0.1/24", "address: 10.0.0.300/24", "t.yaml:10: expected an IPv4 prefix like 10.0.0.1/24 for 'address' of a link end, got '10.0.0.300/24'")]
    [InlineData("{ host: a, name: tx, type: udp }", "{ host: c, name: tx, type: udp }", "t.yaml:13: expected a host (a, b), got 'c'")]
    [InlineData("{ socket: tx, to:", "{ socket: rx, to:", "t.yaml:14: expected a socket created by an earlier step, got 'rx'")]
    [InlineData("expect: { bytes: 2 }", "expect: { errno: EWHAT }", "t.yaml:15: expected an errno name (ECONNREFUSED, EAGAIN, EHOSTUNREACH, ...), got 'EWHAT'")]
    [InlineData("expect: { bytes: 2 }", "expect: { bytes: 2, colour: red }", "t.yaml:15: unknown key 'colour' in 'expect'; expected one of: errno, bytes, data")]
    [InlineData("- sendto:", "- sendit:", "t.yaml:14: expected one step verb (socket, bind, listen, accept, connect, send, sendto, recv, recvfrom, shutdown, close, setsockopt, ping, sleep, inject) and optionally 'expect', got 'sendit, expect'")]
    [InlineData("to: \"10.0.0.2:9000\"", "to: \"10.0.0.2\"", "t.yaml:14: expected ADDRESS:PORT like 10.0.0.2:9000 for 'to' of sendto, got '10.0.0.2'")]
    [InlineData("name: t\n", "name: t\nname: u\n", "t.yaml:2: expected well-formed YAML (Duplicate key name)")]
    public void A_malformed_scenario_fails_with_one_line_naming_file_line_and_expectation(string from, string to, string expected)
    {
        var text = Good.Replace(from, to, System.StringComparison.Ordinal);
        Assert.NotEqual(Good, text);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml"));
        Assert.Equal(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
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
}
