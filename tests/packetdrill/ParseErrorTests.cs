using Xunit;

namespace KernelNet.Tests.Packetdrill;

/// <summary>Every malformed input gets one line, FILE:LINE:COL: expected X, got Y.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("socket(..., SOCK_STREAM, IPPROTO_TCP) = 3", "t.pkt:1:1: expected event time (0, +0.1, 0.1~0.2 or *), got 'socket'")]
    [InlineData("0 socket(..., SOCK_STREAM, IPPROTO_TCP) 3", "t.pkt:1:41: expected '=', got '3'")]
    [InlineData("0 socket(..., SOCK_STREAM IPPROTO_TCP) = 3", "t.pkt:1:27: expected ')', got 'IPPROTO_TCP'")]
    [InlineData("0 f(1 2) = 0", "t.pkt:1:7: expected ')', got '2'")]
    [InlineData("0 f({a=1, 2=3}) = 0", "t.pkt:1:12: expected ',' or '}' after a positional struct member, got '='")]
    [InlineData("0 f($) = 0", "t.pkt:1:5: expected expression, got '$'")]
    [InlineData("0 f(- x) = 0", "t.pkt:1:7: expected integer after '-', got 'x'")]
    [InlineData("0 f(12ab) = 0", "t.pkt:1:5: expected integer (decimal or 0x hex), got '12ab'")]
    [InlineData("0 read(4, ..., 1) = -1 EIO (oops", "t.pkt:1:33: expected ')' to close the errno text, got end of file")]
    [InlineData("+0 hello", "t.pkt:1:4: expected syscall, packet, backtick command or %{ }% block, got 'hello'")]
    public void syscall_and_event_errors(string text, string message)
    {
        Assert.Equal(message, Pd.Error(text).Message);
    }

    [Theory]
    [InlineData("+0 < SX 0:0(0) win 1", "t.pkt:1:6: expected TCP flags (S F R P E W U, '.' for ACK, or '-'), got 'SX'")]
    [InlineData("+0 < S 0:10(9) win 1", "t.pkt:1:13: expected payload length 10 (END - START), got '9'")]
    [InlineData("+0 < S 0:0 win 1", "t.pkt:1:12: expected '(', got 'win'")]
    [InlineData("+0 < S 0:0(0) win 70000", "t.pkt:1:19: expected window (0..65535), got '70000'")]
    [InlineData("+0 < S 0:0(0) win 1 win 2", "t.pkt:1:21: expected one 'win' per packet, got 'win'")]
    [InlineData("+0 < S 0:0(0) wn 1", "t.pkt:1:15: expected 'ack', 'win', 'urg' or '<' options, got 'wn'")]
    [InlineData("+0 < S 0:0(0) win 1 <mss 1000,bogus 3>", "t.pkt:1:31: expected TCP option (nop, eol, mss, wscale, sackOK, sack, TS, FO, FOEXP, md5 or ...), got 'bogus'")]
    [InlineData("+0 < S 0:0(0) win 1 <mss 1000", "t.pkt:1:30: expected '>', got end of file")]
    [InlineData("+0 < S 0:0(0) win 1 <wscale 300>", "t.pkt:1:29: expected window scale shift (0..255), got '300'")]
    [InlineData("+0 < S 0:0(0) win 1 <TS 1 ecr 2>", "t.pkt:1:25: expected 'val', got '1'")]
    [InlineData("+0 < . 1:1(0) win 1 <md5 xyz>", "t.pkt:1:26: expected MD5 digest in hex, got 'xyz'")]
    [InlineData("+0 > [ect2] . 1:1(0)", "t.pkt:1:7: expected ECN codepoint (noecn, ect0, ect1, ect01, ce), got 'ect2'")]
    [InlineData("+0 < icmp 5", "t.pkt:1:11: expected ICMP type (unreachable, time_exceeded, ...), got '5'")]
    public void packet_errors(string text, string message)
    {
        Assert.Equal(message, Pd.Error(text).Message);
    }

    [Theory]
    [InlineData("0 close(3) = 0\n+0 `./defaults.sh\n", "t.pkt:2:4: expected '`' to close the backtick command, got end of file")]
    [InlineData("+0 %{ assert 1\n", "t.pkt:1:4: expected '}%' to close the %{ block, got end of file")]
    [InlineData("/* never closed\n0 close(3) = 0", "t.pkt:1:1: expected '*/' to close the comment, got end of file")]
    [InlineData("0 f(\"abc\n) = 0", "t.pkt:1:5: expected '\"' to close the string, got end of line")]
    [InlineData("0 f(\"\\q\") = 0", "t.pkt:1:7: expected a string escape (\\n \\t \\r \\\\ \\\" \\xHH \\ooo), got '\\q'")]
    [InlineData("0 f(1 \"a\\nb\") = 0", "t.pkt:1:7: expected ')', got string \"a\\x0ab\"")]
    public void lexical_errors(string text, string message)
    {
        Assert.Equal(message, Pd.Error(text).Message);
    }

    [Fact]
    public void exception_carries_its_parts()
    {
        var ex = Pd.Error("0 close(3) = 0\n\n   +0 < Q 1:1(0)");

        Assert.Equal("t.pkt", ex.File);
        Assert.Equal(3, ex.Line);
        Assert.Equal(9, ex.Column);
        Assert.Equal("TCP flags (S F R P E W U, '.' for ACK, or '-')", ex.Expected);
        Assert.Equal("'Q'", ex.Got);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void an_error_deep_in_a_file_names_the_file_given()
    {
        var ex = Assert.Throws<KernelNet.Packetdrill.PacketdrillSyntaxException>(
            () => KernelNet.Packetdrill.PacketdrillParser.Parse("0 close(3) = 0\n+0 close(3) 0\n", "dir/x.pkt"));

        Assert.StartsWith("dir/x.pkt:2:13: ", ex.Message, System.StringComparison.Ordinal);
    }
}
