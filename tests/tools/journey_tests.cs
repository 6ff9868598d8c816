using System;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Demos;
using KernelNet.Scenarios.Journey;
using KernelNet.Scenarios.Oracle;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>kernelnet journey: each skb's path with context, CPU, host, device and ending, filtered.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class JourneyTests
{
    private static string Recording(string name)
    {
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "oracle-tests/ is not above the test build; skipped");
        return Path.Combine(root, "oracle-tests", "recordings", name);
    }

    [SkippableFact]
    public void a_datagram_to_a_closed_port_is_one_journey_across_both_hosts_dropped_with_NO_SOCKET_on_the_receiver()
    {
        var set = JourneySet.FromRecording(Recording("udp-closed-port"));

        var j = Assert.Single(set.Select(new JourneyFilter { Drop = "NO_SOCKET" }));

        Assert.Equal(JourneyEnd.Dropped, j.End);
        Assert.Equal("NO_SOCKET", j.DropReason);
        Assert.Equal("UDP 10.0.0.1:7000 10.0.0.2:9999", j.Flow);
        Assert.Equal(["net_dev_queue", "netif_rx", "net_dev_xmit", "netif_receive_skb", "kfree_skb"], j.Steps.Select(s => s.Event.Name));
        Assert.Equal("a", j.Steps[0].Host);
        Assert.Equal("b:eth0", j.Steps[1].Device);
        Assert.Equal("b", j.Steps[^1].Host);
        Assert.All(j.Steps, s => Assert.Equal(0, s.Event.Cpu));
    }

    [SkippableFact]
    public void the_flow_and_skb_filters_find_the_same_skb_in_either_direction_and_by_address()
    {
        var set = JourneySet.FromRecording(Recording("udp-closed-port"));
        var dropped = set.Select(new JourneyFilter { Drop = "SKB_DROP_REASON_NO_SOCKET" }).Single();

        var forward = set.Select(new JourneyFilter { Flow = JourneySet.ParseFlow("10.0.0.1:7000-10.0.0.2:9999/udp") }).ToList();
        var backward = set.Select(new JourneyFilter { Flow = JourneySet.ParseFlow("10.0.0.2:9999-10.0.0.1:7000/UDP") }).ToList();

        Assert.Contains(dropped, forward);
        Assert.Equal(forward, backward);
        Assert.Equal(dropped, set.Select(new JourneyFilter { Skb = dropped.Address }).Single());
        Assert.Equal(dropped, set.Select(new JourneyFilter { Skb = dropped.Skb }).Single());
        Assert.Empty(set.Select(new JourneyFilter { Flow = JourneySet.ParseFlow("10.0.0.1:7000-10.0.0.2:9000/udp") }));
        Assert.Null(JourneySet.ParseFlow("10.0.0.1-10.0.0.2/udp"));
    }

    [SkippableFact]
    public void the_journeys_are_the_comparers_own()
    {
        var dir = Recording("tcp-echo");
        var manifest = RecordingLayout.ReadManifest(dir);
        var trace = File.ReadAllText(Path.Combine(dir, RecordingLayout.Trace));

        var compared = Normalizer.NormalizeTrace(trace, manifest).Journeys;
        var shown = JourneySet.FromRecording(dir).Journeys;

        Assert.Equal(compared.Count, shown.Count);
        Assert.Equal(compared, shown.Select(j => $"{j.Skb}: {string.Join(" > ", j.Steps.Select(s => s.Text))}{(j.End == JourneyEnd.StillLive ? " > (not freed)" : "")}"));
    }

    [Fact]
    public void the_demos_journeys_tell_two_hosts_eth0_apart_by_their_interrupts_and_tasks()
    {
        Assert.True(DemoCatalog.TryGet(DemoCatalog.Default, out var demo));
        var run = demo.Execute(new DemoOptions());
        var set = JourneySet.FromTrace(demo.Name, run.Trace, run.TaskHosts, run.IrqHosts);

        // A's ARP request: queued by udp-client in its own context, completed in A's NET_RX softirq
        var arp = set.Journeys[0];
        Assert.Equal("net_dev_queue", arp.Steps[0].Event.Name);
        Assert.Equal("udp-client", arp.Steps[0].Event.Task);
        Assert.All(arp.Steps, s => Assert.Equal("A", s.Host));
        Assert.Equal(JourneyEnd.Consumed, arp.End);
        Assert.Contains("igb_clean_tx_irq", arp.Steps[^1].Event.Field("location"), StringComparison.Ordinal);

        // B's receive of it: NAPI in softirq after B's interrupt
        var received = set.Journeys.First(j => j.Steps[0].Event.Name == "napi_gro_receive_entry");
        Assert.All(received.Steps, s => Assert.Equal("B", s.Host));
        Assert.All(received.Steps, s => Assert.Equal(Scenarios.Oracle.TraceContext.Softirq, s.Event.Context));

        // A's read of the echo: the datagram's deferred free is not flushed within the trace
        Assert.Equal(JourneyEnd.StillLive, set.Journeys[^1].End);
        Assert.Equal("A", set.Journeys[^1].Steps[0].Host);
    }

    [Fact]
    public void journey_prints_one_block_per_skb_with_time_cpu_context_host_device_and_ending()
    {
        var (code, output, err) = Cli.Run("journey", "--task", "udp-server");

        Assert.Equal(0, code);
        Assert.Equal("", err);
        var blocks = output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(blocks);
        Assert.All(blocks, b => Assert.Contains("udp-server-3", b, StringComparison.Ordinal));
        Assert.Matches(@"^skb\d+ ffff[0-9a-f]{12}  -  consumed\n +0\.\d{6}  cpu1  task     B      eth0       net_dev_queue len=47  \(udp-server-3\)", blocks[0]);
    }

    [SkippableFact]
    public void journey_of_a_recording_filtered_by_drop_reason_prints_that_skb_only()
    {
        var (code, output, _) = Cli.Run("journey", Recording("udp-closed-port"), "--drop", "NO_SOCKET");

        Assert.Equal(0, code);
        Assert.StartsWith("skb4 000000001bc82525  UDP 10.0.0.1:7000 10.0.0.2:9999  dropped (NO_SOCKET)\n", output, StringComparison.Ordinal);
        Assert.Equal(6, output.TrimEnd('\n').Split('\n').Length);
    }

    [Theory]
    [InlineData("journey", "--flow", "10.0.0.1:7000->10.0.0.2:9000")]
    [InlineData("journey", "--drop", "NO_SUCH_REASON")]
    [InlineData("journey", "no-such-demo")]
    [InlineData("journey", "--cpu", "-1")]
    [InlineData("journey", "--timeline", "/no/such/dir/t.json")]
    [InlineData("run", "--html", "/no/such/dir/t.html")]
    public void bad_journey_arguments_give_one_line_and_exit_2(params string[] args)
    {
        var (code, output, err) = Cli.Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kernelnet: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void run_filters_its_trace_by_cpu_and_by_task()
    {
        var (code, output, _) = Cli.Run("run", "--cpu", "1");
        Assert.Equal(0, code);
        var events = output.Split('\n').Where(l => TraceEvent.Parse(l.Length > 6 ? l[6..] : l) is not null).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, l => Assert.Contains("[001]", l, StringComparison.Ordinal));

        (code, output, _) = Cli.Run("run", "--task", "udp-client-4");
        Assert.Equal(0, code);
        events = output.Split('\n').Where(l => TraceEvent.Parse(l.Length > 6 ? l[6..] : l) is not null).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, l => Assert.StartsWith("A ", l, StringComparison.Ordinal));
        Assert.All(events, l => Assert.Contains("udp-client-4 ", l, StringComparison.Ordinal));
    }
}

/// <summary>Runs the CLI in-process, capturing both streams.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            var code = KernelNet.Cli.Program.Main(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
