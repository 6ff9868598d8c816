using System.Linq;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>What the parser refuses as a whole script: no events, a bad %{ }% block, unbounded nesting.</summary>
public sealed class ParseLimitsTests
{
    // packetdrill's grammar (events: event | events event) wants at least one event: an empty file, or one of
    // comments and options only, is a syntax error there, so it cannot "pass" by running nothing.
    [Theory]
    [InlineData("", "t.pkt:1:1: expected event time (0, +0.1, 0.1~0.2 or *), got end of file")]
    [InlineData("// nothing to run\n", "t.pkt:2:1: expected event time (0, +0.1, 0.1~0.2 or *), got end of file")]
    [InlineData("--tolerance_usecs=5000\n", "t.pkt:2:1: expected event time (0, +0.1, 0.1~0.2 or *), got end of file")]
    public void a_script_without_events_is_a_syntax_error(string text, string message)
    {
        Assert.Equal(message, Pd.Error(text).Message);
    }

    // The %{ }% block is parsed with the script: its syntax error is the script's, at the block's line and column.
    [Fact]
    public void a_code_block_syntax_error_is_reported_when_the_script_is_parsed()
    {
        var e = Pd.Error("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{ assert tcpi_state == = 1 }%\n");

        Assert.Equal("t.pkt:2:28: expected expression, got '='", e.Message);
    }

    // 15,000 nested brackets used to overflow the parser's stack and kill the process; the nesting is bounded.
    [Fact]
    public void deeply_nested_syscall_arguments_are_a_one_line_error()
    {
        var deep = new string('[', 15000) + "1" + new string(']', 15000);

        var e = Pd.Error($"0 f({deep}) = 0");

        Assert.StartsWith("t.pkt:1:", e.Message, System.StringComparison.Ordinal);
        Assert.EndsWith("expected at most 1000 nested expressions, got '['", e.Message, System.StringComparison.Ordinal);
        Assert.Single(e.Message.Split('\n'));
    }

    [Fact]
    public void deeply_nested_code_expressions_are_a_one_line_error()
    {
        var parens = new string('(', 15000) + "1" + new string(')', 15000);
        var minus = string.Concat(Enumerable.Repeat("- ", 15000)) + "1";
        var nots = string.Concat(Enumerable.Repeat("not ", 15000)) + "1";

        foreach (var expr in new[] { parens, minus, nots })
        {
            var e = Pd.Error($"0 %{{ assert {expr} }}%");

            Assert.Contains("expected at most 1000 nested expressions", e.Message, System.StringComparison.Ordinal);
        }
    }

    // Nesting within the bound parses.
    [Fact]
    public void nesting_within_the_bound_parses()
    {
        var ok = new string('[', 900) + "1" + new string(']', 900);

        Assert.Single(Pd.Parse($"0 f({ok}) = 0").Events);
    }
}
