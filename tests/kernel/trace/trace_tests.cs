using System;
using KernelNet.Kernel.Kernel.Trace;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Kernel.Trace;

public sealed class trace_tests
{
    [Fact]
    public void format_line_lays_out_comm_pid_cpu_flags_and_timestamp_as_tracefs()
    {
        // A line recorded from this machine's tracefs (6.18.44), rebuilt from its parts.
        const string real = "     ksoftirqd/0-14      [000] ..s..   614.190016: softirq_entry: vec=9 [action=RCU]";
        var e = new trace_entry(614_190_016_000, 0, "ksoftirqd/0", 14, "..s..", "irq", "softirq_entry", "vec=9 [action=RCU]");

        Assert.Equal(real, trace_array.format_line(e));
    }

    [Fact]
    public void idle_task_prints_as_idle_with_pid_0()
    {
        const string real = "          <idle>-0       [001] d.h1.   614.189977: softirq_raise: vec=1 [action=TIMER]";
        var e = new trace_entry(614_189_977_000, 1, "<idle>", 0, "d.h1.", "irq", "softirq_raise", "vec=1 [action=TIMER]");

        Assert.Equal(real, trace_array.format_line(e));
    }

    /// <summary>
    /// Every tracepoint on costs no managed memory per event once the trace buffer exists: the
    /// record is reserved in the CPU's ring (allocated whole with the buffer) and its fields are
    /// written there in binary, strings, byte arrays and __print_symbolic fields included, so a
    /// warm UDP datagram over veth (about 18 events, and the neighbour events of the window)
    /// allocates what it does with tracing off (the old sock tracepoint, two strings per
    /// datagram, made it 64 bytes more).
    /// </summary>
    [Fact]
    public void tracing_every_event_allocates_no_object_per_udp_datagram_beyond_the_untraced_path()
    {
        var untraced = WarmUdp.BytesPerDatagram(trace: false, out _);
        var traced = WarmUdp.BytesPerDatagram(trace: true, out var events);

        Assert.True(events > 10 * WarmUdp.Measured, $"{events} events recorded: the traced run must trace the datagrams");

        // Within half the smallest object per datagram (12 of 24 bytes), not equal: with the
        // suite running in parallel, a few kilobytes the runtime allocates on this thread once
        // (a static initializer on the path, first-call work) land in one window or the other
        // (seen: 860.398 against 860.508, 861.918 against 864.801). One object per event or
        // per datagram would be 24 bytes or more per datagram.
        Assert.True(Math.Abs(traced - untraced) < 12.0, $"{traced:F3} managed bytes per traced datagram against {untraced:F3} untraced");
    }
}
