using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Docs;

/// <summary>
/// LAYER-1 (seed-claims.md: Linux's stack follows the four TCP/IP layers): the walkthrough's
/// TCP segment, followed through a real trace of the simulation, passes link, network,
/// transport and socket in that order, and each event comes from a file of its layer. An event
/// is attributed by what it names (`func=`, `location=`) or else by the port files that emit it
/// (their `trace_EVENT(` call sites), so moving a tracepoint to another file moves its layer.
/// </summary>
public sealed partial class layer_order_tests
{
    private enum Layer { Link, Network, Transport, Socket, Scheduler }

    [GeneratedRegex(@"^\s*(?<task>.+?)-(?<pid>\d+)\s+\[(?<cpu>\d+)\]\s+\S+\s+[\d.]+: (?<event>\w+): (?<text>.*)$")]
    private static partial Regex TraceLine();

    [GeneratedRegex(@"\b(?:func|location)=(\w+)")]
    private static partial Regex NamedFunction();

    [GeneratedRegex(@"\bskbaddr=([0-9a-f]+)")]
    private static partial Regex SkbAddr();

    private sealed record Event(string Task, int Cpu, string Name, string Text)
    {
        public string? Skb => SkbAddr().Match(Text) is { Success: true } m ? m.Groups[1].Value : null;
    }

    /// <summary>The layer of a file of the 6.18 tree (the walkthrough's table).</summary>
    private static Layer? LayerOf(string cFile) => cFile switch
    {
        _ when cFile.StartsWith("drivers/", StringComparison.Ordinal) || cFile.StartsWith("net/ethernet/", StringComparison.Ordinal)
            || cFile.StartsWith("net/sched/", StringComparison.Ordinal) || cFile.StartsWith("kernel/irq/", StringComparison.Ordinal)
            || cFile is "net/core/dev.c" or "net/core/gro.c" or "kernel/softirq.c" => Layer.Link,
        _ when Regex.IsMatch(cFile, @"^net/ipv4/(ip_\w+|route|fib_\w+|arp|icmp)\.c$") || cFile is "net/core/neighbour.c"
            || cFile.StartsWith("net/netfilter/", StringComparison.Ordinal) => Layer.Network,
        _ when Regex.IsMatch(cFile, @"^net/ipv4/(tcp\w*|udp\w*)\.c$") => Layer.Transport,
        "net/core/sock.c" or "net/core/datagram.c" or "net/core/stream.c" or "net/socket.c" or "net/ipv4/af_inet.c" => Layer.Socket,
        _ when cFile.StartsWith("kernel/sched/", StringComparison.Ordinal) => Layer.Scheduler,
        _ => null,
    };

    /// <summary>kernel/net/core/dev.cs -> net/core/dev.c</summary>
    private static string CFileOf(string root, string portFile) =>
        Path.ChangeExtension(Path.GetRelativePath(Path.Combine(root, "kernel"), portFile).Replace('\\', '/'), ".c");

    /// <summary>Where an event comes from: the files of the function it names, else the files that call trace_EVENT.</summary>
    private static IReadOnlyList<string> Sources(string root, IReadOnlyList<(string File, string Text)> port, Event e)
    {
        if (NamedFunction().Match(e.Text) is { Success: true } named)
        {
            var marker = new Regex($@"^\s*// ([\w./-]+\.[ch]): {Regex.Escape(named.Groups[1].Value)}\s*$", RegexOptions.Multiline);
            return port.Select(p => marker.Match(p.Text)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        }

        var call = new Regex($@"(?<!void )\btrace_{Regex.Escape(e.Name)}\(");
        return port.Where(p => !p.File.Contains($"{Path.DirectorySeparatorChar}trace{Path.DirectorySeparatorChar}events{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && call.IsMatch(p.Text))
            .Select(p => CFileOf(root, p.File)).Distinct().ToList();
    }

    private static Layer LayerOfEvent(string root, IReadOnlyList<(string File, string Text)> port, Event e)
    {
        var sources = Sources(root, port, e);
        Assert.True(sources.Count > 0, $"no port file emits {e.Name} ({e.Text})");
        var layers = sources.Select(s => LayerOf(s) ?? throw new Xunit.Sdk.XunitException($"{e.Name} comes from {s}, a file of no layer")).Distinct().ToList();
        Assert.True(layers.Count == 1, $"{e.Name} comes from files of several layers: {string.Join(", ", sources)}");
        return layers[0];
    }

    [SkippableFact]
    public void a_tcp_segments_events_go_link_network_transport_socket_each_from_its_layers_files()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "the port's sources are not above the test build; skipped");
        var port = Directory.EnumerateFiles(Path.Combine(root!, "kernel"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(f))).ToList();

        var outDir = Path.Combine(Path.GetTempPath(), $"kn-layer-{Environment.ProcessId}");
        List<Event> trace;
        try
        {
            new ScenarioSimulator().Run(ScenarioLoader.Load(Path.Combine(root!, "docs/examples/walkthrough-tcp.yaml")), outDir);
            trace = File.ReadLines(Path.Combine(outDir, RecordingLayout.Trace))
                .Select(l => TraceLine().Match(l)).Where(m => m.Success)
                .Select(m => new Event(m.Groups["task"].Value, int.Parse(m.Groups["cpu"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["event"].Value, m.Groups["text"].Value))
                .ToList();
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }

        // the segment: the skb whose 5 bytes the reader copied out
        var copy = trace.FindIndex(e => e.Name == "skb_copy_datagram_iovec" && e.Text.EndsWith(" len=5", StringComparison.Ordinal));
        Assert.True(copy >= 0, "the reader never copied the 5 bytes");
        var skb = trace[copy].Skb!;
        var gro = trace.FindIndex(e => e.Name == "napi_gro_receive_entry" && e.Skb == skb);
        Assert.True(gro >= 0 && gro < copy, $"skb {skb} never came from the NIC");

        // its delivery: from the interrupt that brought it to the wakeup of its reader (events of other skbs
        // in the same softirq, such as the ACK it sets off, are not its); then the reader's own events
        var cpu = trace[gro].Cpu;
        var irq = trace.FindLastIndex(gro, e => e.Cpu == cpu && e.Name == "irq_handler_entry");
        var wake = trace.FindIndex(gro, e => e.Cpu == cpu && e.Name == "sk_data_ready" && e.Text.StartsWith("family=2 ", StringComparison.Ordinal));
        Assert.True(irq >= 0 && wake > gro, "no interrupt before the segment or no wakeup after it");
        var delivery = trace.Skip(irq).Take(wake - irq + 1).Where(e => e.Cpu == cpu && (e.Skb is null || e.Skb == skb)).ToList();
        var readerEnd = trace.FindIndex(copy, e => e.Task == trace[copy].Task && e.Name == "sock_recv_length");
        var reading = trace.Skip(copy).Take(readerEnd - copy + 1).Where(e => e.Task == trace[copy].Task).ToList();

        var layers = delivery.Select(e => (e, Layer: LayerOfEvent(root!, port, e))).Where(x => x.Layer != Layer.Scheduler).ToList();
        var order = string.Join(" -> ", layers.Select(x => $"{x.Layer}:{x.e.Name}"));
        for (var i = 1; i < layers.Count; i++)
        {
            Assert.True(layers[i].Layer >= layers[i - 1].Layer, $"{layers[i].e.Name} ({layers[i].Layer}) after {layers[i - 1].e.Name} ({layers[i - 1].Layer}): {order}");
        }

        Assert.Equal([Layer.Link, Layer.Network, Layer.Transport, Layer.Socket], layers.Select(x => x.Layer).Distinct());
        Assert.Contains(layers, x => x.e.Name == "netif_receive_skb" && x.Layer == Layer.Link);
        Assert.Contains(layers, x => x.e.Name == "fib_table_lookup" && x.Layer == Layer.Network);
        Assert.Contains(layers, x => x.e.Name == "tcp_probe" && x.Layer == Layer.Transport);

        // the read is the socket layer calling down into TCP and back: it starts and ends in the socket layer
        var read = reading.Select(e => LayerOfEvent(root!, port, e)).ToList();
        Assert.Equal(Layer.Socket, read[0]);
        Assert.Equal(Layer.Socket, read[^1]);
        Assert.All(read, l => Assert.True(l is Layer.Socket or Layer.Transport, $"the read passes {l}"));
    }
}
