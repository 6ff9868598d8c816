using KernelNet.Packetdrill.Ast;
using Xunit;

namespace KernelNet.Tests.Packetdrill;

public sealed class TimeParsingTests
{
    [Theory]
    [InlineData("0", TimeKind.Absolute, 0L, false)]
    [InlineData("0.004", TimeKind.Absolute, 4_000L, false)]
    [InlineData("+0", TimeKind.Relative, 0L, true)]
    [InlineData("+.01", TimeKind.Relative, 10_000L, true)]
    [InlineData("+1", TimeKind.Relative, 1_000_000L, true)]
    [InlineData("+3.250", TimeKind.Relative, 3_250_000L, true)]
    [InlineData("+.000001", TimeKind.Relative, 1L, true)]
    public void single_times_are_exact_microseconds(string time, TimeKind kind, long usecs, bool relative)
    {
        var e = Pd.One<SyscallEvent>($"{time} close(3) = 0");

        Assert.Equal(kind, e.Time.Kind);
        Assert.Equal(new TimePoint(usecs, relative), e.Time.Start);
        Assert.Null(e.Time.End);
        Assert.Null(e.Time.BlockingEnd);
    }

    [Fact]
    public void absolute_range_keeps_both_ends()
    {
        var e = Pd.One<TcpPacketEvent>("0.1~0.2 > . 1:1(0) ack 1");

        Assert.Equal(TimeKind.Range, e.Time.Kind);
        Assert.Equal(new TimePoint(100_000, false), e.Time.Start);
        Assert.Equal(new TimePoint(200_000, false), e.Time.End);
    }

    [Fact]
    public void relative_range_marks_each_end_relative()
    {
        var e = Pd.One<TcpPacketEvent>("+.3~+.400 > . 1:1(0) ack 1");

        Assert.Equal(TimeKind.Range, e.Time.Kind);
        Assert.Equal(new TimePoint(300_000, true), e.Time.Start);
        Assert.Equal(new TimePoint(400_000, true), e.Time.End);
        Assert.Equal("+0.300000~+0.400000", e.Time.ToString());
    }

    [Fact]
    public void star_is_any_time()
    {
        var e = Pd.One<TcpPacketEvent>("* > F. 1:1(0) ack 12");

        Assert.Equal(TimeKind.Any, e.Time.Kind);
        Assert.Equal("*", e.Time.ToString());
    }

    [Theory]
    [InlineData("+.1...0.200 connect(3, ..., ...) = 0")]
    [InlineData("+.1 ... 0.200 connect(3, ..., ...) = 0")]
    public void blocking_syscall_has_start_and_return_time(string line)
    {
        var e = Pd.One<SyscallEvent>(line);

        Assert.Equal(TimeKind.Relative, e.Time.Kind);
        Assert.Equal(new TimePoint(100_000, true), e.Time.Start);
        Assert.Equal(new TimePoint(200_000, false), e.Time.BlockingEnd);
        Assert.Equal(3, e.Arguments.Length);
    }

    [Fact]
    public void zero_length_blocking_call_parses()
    {
        var e = Pd.One<SyscallEvent>("+0...0 read(4, ..., 1000) = 1000");

        Assert.Equal(new TimePoint(0, false), e.Time.BlockingEnd);
    }

    [Fact]
    public void a_header_command_may_be_untimed()
    {
        var script = Pd.Parse("`./defaults.sh`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");

        Assert.Equal(TimeKind.None, script.Events[0].Time.Kind);
        Assert.Equal(TimeKind.Absolute, script.Events[1].Time.Kind);
    }

    [Fact]
    public void more_than_microsecond_precision_is_rejected()
    {
        var ex = Pd.Error("+0.0000001 close(3) = 0");

        Assert.Equal("t.pkt:1:2: expected seconds after '+' (0, .01, 1.5), got '0.0000001'", ex.Message);
    }

    [Fact]
    public void a_blocking_time_belongs_only_to_a_syscall()
    {
        var ex = Pd.Error("+0...0.1 > . 1:1(0) ack 1");

        Assert.Equal("t.pkt:1:10: expected syscall after a blocking time (START...END), got '>'", ex.Message);
    }
}
