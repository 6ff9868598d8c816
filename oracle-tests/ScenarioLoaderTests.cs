using System.IO;
using System.Linq;
using KernelNet.Scenarios.Scenario;
using Xunit;

namespace KernelNet.OracleTests;

public class ScenarioLoaderTests
{
    private const string Good = """
        name: t
        levels: [counters, wire]
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
        Assert.Equal([ComparisonLevel.Counters, ComparisonLevel.Wire], s.Levels);
        Assert.Equal("02:00:00:00:01:02", s.Links[0].Ends[1].Mac);
        Assert.Equal(1500, s.Links[0].Mtu);
        var send = Assert.IsType<SendStep>(s.Steps[1]);
        Assert.Equal("a", send.Host);
        Assert.Equal(9000, send.To!.Port);
        Assert.Equal(new Expectation(ExpectKind.Bytes, 2).ToString(), send.Expect.ToString());
        Assert.Equal(14, send.Line);
    }

    [Theory]
    [InlineData("levels: [counters, wire]", "levels: [counters, wires]", "t.yaml:2: expected one of counters, wire, sockets, journeys, order for a comparison level, got 'wires'")]
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

    // inject's hex is one frame or a list of frames sent back to back in one step; an empty list or a short
    // frame in it is a one-line error.
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
        Assert.StartsWith("t.yaml:16: expected a frame of at least 14 bytes", Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(shortFrame, "t.yaml")).Message, System.StringComparison.Ordinal);
    }
}
