using System;
using KernelNet.Kernel.Kernel.Trace;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
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
    /// allocates exactly what it does with tracing off.
    /// </summary>
    [Fact]
    public void tracing_every_event_allocates_no_managed_bytes_per_udp_datagram_beyond_the_untraced_path()
    {
        var untraced = udp_bytes_per_datagram(trace: false, out _);
        var traced = udp_bytes_per_datagram(trace: true, out var events);

        Assert.True(events > 10 * 2048, $"{events} events recorded: the traced run must trace the datagrams");
        Assert.Equal(untraced, traced);
    }

    /// <summary>Managed bytes per warm 64-byte datagram from A to B's reader over veth, as udp_steady_state_tests measures them.</summary>
    private static double udp_bytes_per_datagram(bool trace, out long events)
    {
        const int warm = 512, measured = 2048, burst = 64;
        var t = new Topology();
        if (trace)
        {
            t.K.trace.set_event("*:*");
        }

        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (da, db) = t.AddVeth(a, "eth0", b, "eth0");
        t.AddAddress(da, "10.0.0.1/24");
        t.AddAddress(db, "10.0.0.2/24");
        var to = SockAddrIn.Parse("10.0.0.2:9000");

        long received = 0, before = 0, after = 0, written = 0;
        t.Spawn(b, "reader", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            await libc.Bind(fd, to);
            var buf = new byte[2048];
            while (received < warm + measured && await libc.RecvFrom(fd, buf, buf.Length, 0) > 0)
            {
                if (++received == warm)
                {
                    written = t.K.trace.entries_written;
                    before = GC.GetAllocatedBytesForCurrentThread();
                }
            }

            after = GC.GetAllocatedBytesForCurrentThread();
            written = t.K.trace.entries_written - written;
        });
        t.Spawn(a, "sender", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
            var payload = new byte[64];
            for (var i = 0; i < warm + measured; i++)
            {
                await libc.SendTo(fd, payload, 0, to);
                if (i % burst == burst - 1)
                {
                    await libc.Sleep(1_000);
                }
            }
        });

        t.Run(10_000_000_000);

        Assert.Equal(warm + measured, received);
        events = written;
        return (after - before) / (double)measured;
    }
}
