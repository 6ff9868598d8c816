using System;
using System.Globalization;
using System.IO;
using System.Linq;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Kernel.Trace;

/// <summary>The per-CPU ring buffer of a trace instance (kernel/trace/ring_buffer.c) and what tracefs shows of it.</summary>
public sealed class ring_buffer_tests
{
    private static long Stat(string stats, string name) =>
        long.Parse(stats.Split('\n').Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..], CultureInfo.InvariantCulture);

    private static string Header(trace_array tr)
    {
        var w = new StringWriter();
        tr.print(w);
        return w.ToString().Split('\n').Single(l => l.StartsWith("# entries-in-buffer/", StringComparison.Ordinal));
    }

    [Fact]
    public void an_instance_holds_buffer_size_kb_1408_per_cpu_as_tracefs_shows_once_expanded()
    {
        var t = new KernelRig();
        Assert.Equal(1408, t.K.trace.buffer_size_kb);
        Assert.Equal(2, ring_buffer_c.nr_pages_for(1));
        Assert.Equal(354, ring_buffer_c.nr_pages_for(1408 * 1024));
    }

    [Fact]
    public void a_full_small_buffer_overwrites_its_oldest_pages_and_counts_them_as_overrun_on_that_cpu()
    {
        var t = new KernelRig();
        var tr = t.K.trace;
        tr.buffer_size_kb = 4;
        tr.set_event("net:netif_rx_exit");
        for (var i = 0; i < 1000; i++)
        {
            tr.record("net", "netif_rx_exit", $"ret={i}");
        }

        var cpu0 = tr.tracing_stats_read(0);
        var held = Stat(cpu0, "entries");
        var overrun = Stat(cpu0, "overrun");
        Assert.Equal(1000, held + overrun);
        Assert.True(overrun > 0, cpu0);

        // two pages of 4 KB plus the reader page: what is held is at most three pages' worth
        var per_page = ring_buffer_c.BUF_PAGE_SIZE / ring_buffer_c.rb_calculate_event_length(trace_array.EntryHeaderSize + 2 + 4);
        Assert.InRange(held, (2 * per_page) + 1, 3 * per_page);
        Assert.Equal(0, overrun % per_page);
        Assert.Equal(held * ring_buffer_c.rb_calculate_event_length(trace_array.EntryHeaderSize + 2 + 4), Stat(cpu0, "bytes"));
        Assert.Equal(0, Stat(cpu0, "commit overrun"));
        Assert.Equal(0, Stat(cpu0, "read events"));

        // the other CPU wrote nothing
        Assert.Equal(0, Stat(tr.tracing_stats_read(1), "entries"));

        // what is left is the newest events, in order; the header says held/written
        Assert.Equal(held, tr.entries.Count);
        Assert.Equal(Enumerable.Range((int)overrun, (int)held).Select(i => $"ret={i}"), tr.entries.Select(e => e.Text));
        Assert.Equal($"# entries-in-buffer/entries-written: {held}/1000   #P:2", Header(tr));
        Assert.Equal(1000, tr.entries_written);
    }

    [Fact]
    public void writing_the_trace_file_empties_the_buffers_and_zeroes_the_counters()
    {
        var t = new KernelRig();
        var tr = t.K.trace;
        tr.buffer_size_kb = 4;
        tr.set_event("net:netif_rx_exit");
        for (var i = 0; i < 500; i++)
        {
            tr.record("net", "netif_rx_exit", $"ret={i}");
        }

        tr.clear();
        var cpu0 = tr.tracing_stats_read(0);
        Assert.Equal(0, Stat(cpu0, "entries"));
        Assert.Equal(0, Stat(cpu0, "overrun"));
        Assert.Empty(tr.entries);
        Assert.Equal("# entries-in-buffer/entries-written: 0/0   #P:2", Header(tr));

        tr.record("net", "netif_rx_exit", $"ret={7}");
        Assert.Equal("ret=7", Assert.Single(tr.entries).Text);
    }

    [Fact]
    public void binary_fields_print_as_the_interpolated_string_would_have()
    {
        var t = new KernelRig();
        var tr = t.K.trace;
        tr.set_event("skb:kfree_skb");
        ulong addr = 0xffff888100001234;
        short s = -3;
        byte b = 0xab;
        var reason = skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
        string? none = null;
        var name = "veth0";
        var expected = string.Create(CultureInfo.InvariantCulture,
            $"a={addr:x16} s={s} b=0x{b:x2} t={true} r={reason} ri={reason:D} n=[{none}] p=[{name,-8}] q=[{42,6}] c={'x'} l={-5L} u={uint.MaxValue:x} d={1.5}");
        tr.record("skb", "kfree_skb",
            $"a={addr:x16} s={s} b=0x{b:x2} t={true} r={reason} ri={reason:D} n=[{none}] p=[{name,-8}] q=[{42,6}] c={'x'} l={-5L} u={uint.MaxValue:x} d={1.5}");
        Assert.Equal(expected, Assert.Single(tr.entries).Text);
    }
}
