using System.Collections.Generic;
using KernelNet.Packetdrill;
using KernelNet.Packetdrill.Ast;
using KernelNet.Packetdrill.Code;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

public sealed class CodeBlockTests
{
    private static readonly SourcePosition Start = new("t.pkt", 10, 9);

    private static CodeBlock Parse(string code) => CodeBlock.Parse(code, Start);

    private static CodeResult Run(string code, params (string Name, long Value)[] vars)
    {
        var d = new Dictionary<string, long>();
        foreach (var (name, value) in vars)
        {
            d[name] = value;
        }

        return Parse(code).Evaluate(d);
    }

    [Fact]
    public void equality_assert_passes()
    {
        Assert.True(Run(" assert tcpi_rtt == 0 ", ("tcpi_rtt", 0)).Passed);
    }

    [Fact]
    public void failing_assert_reports_its_text_and_message()
    {
        var result = Run(" assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd ", ("tcpi_snd_cwnd", 7));

        Assert.False(result.Passed);
        Assert.Equal("assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd", result.FailedAssertion);
        Assert.Equal("7", result.Message);
        Assert.Equal("t.pkt:10:10: assertion failed: assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd (7)", result.ToString());
    }

    [Theory]
    [InlineData(4999, false)]
    [InlineData(5000, true)]
    [InlineData(20000, true)]
    [InlineData(20001, false)]
    public void chained_comparison_holds_on_both_sides(long rtt, bool passes)
    {
        var result = Run("\nassert 5000 <= tcpi_rtt <= 20000, 'srtt=%d us' % tcpi_rtt\n", ("tcpi_rtt", rtt));

        Assert.Equal(passes, result.Passed);
        Assert.Equal(passes ? null : $"srtt={rtt} us", result.Message);
    }

    [Theory]
    [InlineData(32L, true)]
    [InlineData(0x1fL, false)]
    public void option_bit_tested_against_a_kernel_constant(long options, bool synData)
    {
        Assert.Equal(synData, Run(" assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options ", ("tcpi_options", options)).Passed);
    }

    [Fact]
    public void state_constants_come_from_the_kernel_headers()
    {
        Assert.True(Run(" assert tcpi_state == TCP_CLOSE_WAIT, tcpi_state ", ("tcpi_state", 8)).Passed);
        Assert.True(Run(" assert tcpi_ca_state == TCP_CA_Recovery ", ("tcpi_ca_state", 3)).Passed);
    }

    [Fact]
    public void statements_split_by_newlines_semicolons_and_continuations_run_in_order()
    {
        const string code = """
             assert tcpi_probes == 0, tcpi_probes; \
                     assert tcpi_backoff == 0, tcpi_backoff;\
            assert tcpi_lost == 7, tcpi_lost  # RACK thinks 1:7001 are lost

            """;

        var block = Parse(code);
        var result = block.Evaluate(new Dictionary<string, long> { ["tcpi_probes"] = 0, ["tcpi_backoff"] = 0, ["tcpi_lost"] = 6 });

        Assert.Equal(3, block.Statements.Length);
        Assert.Equal("assert tcpi_lost == 7, tcpi_lost", result.FailedAssertion);
        Assert.Equal("6", result.Message);
    }

    [Fact]
    public void variables_are_collected_once_and_exclude_constants()
    {
        var block = Parse(" assert tcpi_ca_state == TCP_CA_Open and tcpi_lost < tcpi_sacked, tcpi_lost ");

        Assert.Equal(new[] { "tcpi_ca_state", "tcpi_lost", "tcpi_sacked" }, block.Variables);
    }

    [Theory]
    [InlineData("assert not 0")]
    [InlineData("assert 1 and 2 or 0")]
    [InlineData("assert not (1 and 0)")]
    [InlineData("assert 7 // 2 == 3 and -7 // 2 == -4 and -7 % 3 == 2")]
    [InlineData("assert 2 + 3 * 4 - 1 == 13")]
    [InlineData("assert 2 ** 10 == 1024 and -2 ** 2 == -4")]
    [InlineData("assert 7 / 2 == 3.5 and int(7 / 2) == 3")]
    [InlineData("assert int(-3.9) == -3 and int('42') == 42")]
    [InlineData("assert abs(-5) == 5 and min(3, 1, 2) == 1 and max(3, 1, 2) == 3")]
    [InlineData("assert 1 << 4 == 16 and 0x30 >> 4 == 3 and 6 ^ 3 == 5 and ~0 == -1")]
    [InlineData("assert 'a' 'b' == 'ab' and 'x' != 1")]
    [InlineData("assert True and not False")]
    [InlineData("assert 1 < 2 < 3 and not (1 < 3 < 2)")]
    public void python_expression_semantics(string code)
    {
        Assert.True(Parse(code).Evaluate(new Dictionary<string, long>()).Passed, code);
    }

    [Fact]
    public void message_formats_with_width_hex_and_percent()
    {
        Assert.Equal("[  255] 100%", Run("assert 0, '[%5d] 100%%' % v", ("v", 255)).Message);
        Assert.Equal("[255  ]", Run("assert 0, '[%-5s]' % v", ("v", 255)).Message);
        Assert.Equal("0x0ff", Run("assert 0, '0x%03x' % v", ("v", 255)).Message);
    }

    [Fact]
    public void an_unbound_name_is_an_evaluation_error_with_position()
    {
        var ex = Assert.Throws<CodeEvaluationException>(() => Run("\n  assert tcpi_rtt == 0"));

        Assert.Equal("t.pkt:11:10: name 'tcpi_rtt' is not defined", ex.Message);
    }

    [Fact]
    public void division_by_zero_is_an_evaluation_error()
    {
        var ex = Assert.Throws<CodeEvaluationException>(() => Run(" assert x // 0 ", ("x", 1)));

        Assert.EndsWith("division by zero", ex.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void a_format_needing_two_values_is_an_evaluation_error()
    {
        var ex = Assert.Throws<CodeEvaluationException>(() => Run("assert 0, '%d %d' % v", ("v", 1)));

        Assert.Equal("t.pkt:10:27: not enough arguments for format string (tuples are not supported)", ex.Message);
    }

    [Fact]
    public void only_assertions_are_supported()
    {
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => Parse("\nprint(tcpi_rtt)"));

        Assert.Equal("t.pkt:11:1: expected 'assert' (only assertions are supported in %{ }% blocks), got 'print'", ex.Message);
    }

    [Fact]
    public void unknown_functions_are_rejected()
    {
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => Parse(" assert len(x) == 0"));

        Assert.Equal("t.pkt:10:17: expected function int, abs, min, max, got 'len'", ex.Message);
    }

    [Fact]
    public void unsupported_operators_are_rejected()
    {
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => Parse(" assert x in y"));

        Assert.Equal("t.pkt:10:19: expected ';' or end of line after the assertion, got 'in'", ex.Message);
    }

    [Fact]
    public void a_script_code_event_parses_its_block_in_script_coordinates()
    {
        // the block is parsed with the script (ScriptParser), so the script itself does not parse
        var ex = Pd.Error("   +0 %{\nassert tcpi_ca_state == TCP_CA_Recovery, tcpi_ca_state\nassert tcpi_lost = 6\n}%");

        Assert.Equal("t.pkt:3:18: expected ';' or end of line after the assertion, got '='", ex.Message);
    }
}
