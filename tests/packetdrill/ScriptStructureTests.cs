using KernelNet.Packetdrill.Ast;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

public sealed class ScriptStructureTests
{
    private const string Header = """
        // SPDX-License-Identifier: GPL-2.0
        /* a block
           comment */
        --mss=1000
        --send_omit_free	// do not reuse send buffers with zerocopy

        `./defaults.sh
        sysctl -q net.ipv4.tcp_ecn=1  # fully enabled
        `

            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 /* trailing */
        """;

    [Fact]
    public void header_options_with_and_without_values()
    {
        var script = Pd.Parse(Header);

        Assert.Equal(2, script.Options.Length);
        Assert.Equal("1000", script.Option("mss"));
        Assert.Equal(string.Empty, script.Option("send_omit_free"));
        Assert.True(script.HasOption("send_omit_free"));
        Assert.Null(script.Option("tolerance_usecs"));
        Assert.Equal(4, script.Options[0].Position.Line);
    }

    [Fact]
    public void comments_are_skipped_and_commands_kept_verbatim()
    {
        var script = Pd.Parse(Header);

        Assert.Equal(2, script.Events.Length);
        var command = Assert.IsType<CommandEvent>(script.Events[0]);
        Assert.Equal("./defaults.sh\nsysctl -q net.ipv4.tcp_ecn=1  # fully enabled\n", command.Command);
        Assert.Equal(7, command.Line);
        Assert.IsType<SyscallEvent>(script.Events[1]);
    }

    [Fact]
    public void timed_backtick_command_keeps_quotes_and_pipes()
    {
        var e = Pd.One<CommandEvent>("+0 `grep \" 0A \" /proc/net/tcp | grep \":1F90\"`");

        Assert.Equal(TimeKind.Relative, e.Time.Kind);
        Assert.Equal("grep \" 0A \" /proc/net/tcp | grep \":1F90\"", e.Command);
    }

    [Fact]
    public void code_block_keeps_its_text_and_where_it_starts()
    {
        var e = Pd.One<CodeEvent>("   +0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%");

        Assert.Equal(" assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd ", e.Code);
        Assert.Equal(new KernelNet.Packetdrill.SourcePosition("t.pkt", 1, 9), e.CodePosition);
    }

    [Fact]
    public void events_keep_file_order()
    {
        var script = Pd.Parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0) win 1\n+0 > S. 0:0(0) ack 1\n+0 `true`\n+0 %{ assert 1 }%\n");

        Assert.Collection(script.Events,
            e => Assert.IsType<SyscallEvent>(e),
            e => Assert.IsType<TcpPacketEvent>(e),
            e => Assert.IsType<TcpPacketEvent>(e),
            e => Assert.IsType<CommandEvent>(e),
            e => Assert.IsType<CodeEvent>(e));
    }
}
