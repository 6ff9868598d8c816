using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Drivers.Net;

/// <summary>
/// The shape of virtio_net's receive and transmit path, as this machine's
/// eth0 shows it and as the simulation's virtio_net shows it. A trace is
/// reduced, per CPU, to the device's events — its queue interrupts
/// (irq(input), irq(output)), NET_RX softirqs ({ }), GRO entries, receives,
/// NAPI polls of the receive and the transmit NAPI (poll(rx) does work,
/// poll(tx) never does), transmits — with repeats collapsed and empty
/// softirqs dropped; the shape is the set of successions (A then B) seen.
/// </summary>
public static partial class Eth0Shape
{
    /// <summary>The successions that make the path: interrupt, NET_RX, GRO, netif_receive_skb, poll; and TX completion in the TX NAPI.</summary>
    public static readonly IReadOnlyList<string> Mechanism =
    [
        "irq(input) {",
        "{ gro",
        "gro rcv",
        "rcv poll(rx)",
        "poll(rx) }",
        "irq(output) {",
        "{ poll(tx)",
        "poll(tx) }",
    ];

    [GeneratedRegex(@"^\s*(?<comm>.*?)-(?<pid>\d+)\s+(\(\s*[\d-]+\)\s+)?\[(?<cpu>\d+)\]\s+(?<flags>\S+)\s+(?<ts>[\d.]+):\s+(?<event>\w+):\s(?<text>.*)$")]
    private static partial Regex Line();

    [GeneratedRegex(@"napi struct (?<napi>[0-9a-f]+) for device (?<dev>\S+) work (?<work>\d+)")]
    private static partial Regex NapiPoll();

    /// <summary>Parses tracefs text lines into (cpu, event, text).</summary>
    public static IEnumerable<(int Cpu, string Event, string Text)> Parse(IEnumerable<string> lines)
    {
        foreach (var l in lines)
        {
            var m = Line().Match(l);
            if (m.Success)
            {
                yield return (int.Parse(m.Groups["cpu"].Value, CultureInfo.InvariantCulture), m.Groups["event"].Value, m.Groups["text"].Value);
            }
        }
    }

    /// <summary>The shape: each succession "A B" and how often it was seen, for device <paramref name="dev"/> whose interrupts are named <paramref name="irqPrefix"/>-input.N / -output.N.</summary>
    public static SortedDictionary<string, int> Of(IEnumerable<(int Cpu, string Event, string Text)> events, string dev, string irqPrefix)
    {
        var list = events.ToList();

        // The receive NAPI is the one that ever does work; the TX NAPI always returns 0.
        var rxNapis = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in list.Where(e => e.Event == "napi_poll"))
        {
            var m = NapiPoll().Match(e.Text);
            if (m.Success && m.Groups["dev"].Value == dev && m.Groups["work"].Value != "0")
            {
                rxNapis.Add(m.Groups["napi"].Value);
            }
        }

        var perCpu = new Dictionary<int, List<string>>();
        foreach (var (cpu, ev, text) in list)
        {
            var tok = Token(ev, text, dev, irqPrefix, rxNapis);
            if (tok is null)
            {
                continue;
            }

            if (!perCpu.TryGetValue(cpu, out var toks))
            {
                perCpu[cpu] = toks = new List<string>();
            }

            if (tok == "}" && toks.Count > 0 && toks[^1] == "{")
            {
                toks.RemoveAt(toks.Count - 1); // a NET_RX softirq that did nothing for this device
                continue;
            }

            if (toks.Count == 0 || toks[^1] != tok)
            {
                toks.Add(tok);
            }
        }

        var shape = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var toks in perCpu.Values)
        {
            for (var i = 1; i < toks.Count; i++)
            {
                var k = toks[i - 1] + " " + toks[i];
                shape[k] = shape.GetValueOrDefault(k) + 1;
            }
        }

        return shape;
    }

    private static string? Token(string ev, string text, string dev, string irqPrefix, HashSet<string> rxNapis)
    {
        switch (ev)
        {
            case "irq_handler_entry":
                if (text.Contains($"name={irqPrefix}-input.", StringComparison.Ordinal))
                {
                    return "irq(input)";
                }

                return text.Contains($"name={irqPrefix}-output.", StringComparison.Ordinal) ? "irq(output)" : null;
            case "softirq_entry":
                return text.StartsWith("vec=3 ", StringComparison.Ordinal) ? "{" : null;
            case "softirq_exit":
                return text.StartsWith("vec=3 ", StringComparison.Ordinal) ? "}" : null;
            case "napi_gro_receive_entry":
                return text.StartsWith($"dev={dev} ", StringComparison.Ordinal) ? "gro" : null;
            case "netif_receive_skb":
                return text.StartsWith($"dev={dev} ", StringComparison.Ordinal) ? "rcv" : null;
            case "net_dev_xmit":
                return text.StartsWith($"dev={dev} ", StringComparison.Ordinal) ? "xmit" : null;
            case "napi_poll":
                var m = NapiPoll().Match(text);
                return m.Success && m.Groups["dev"].Value == dev ? (rxNapis.Contains(m.Groups["napi"].Value) ? "poll(rx)" : "poll(tx)") : null;
            default:
                return null;
        }
    }

    /// <summary>The shape file: comment lines, then "A B count" per succession.</summary>
    public static string Format(SortedDictionary<string, int> shape, string header)
    {
        var sb = new StringBuilder();
        foreach (var l in header.Split('\n'))
        {
            sb.Append("# ").Append(l).Append('\n');
        }

        foreach (var (k, n) in shape)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{k} {n}\n");
        }

        return sb.ToString();
    }

    /// <summary>Reads a shape file back: succession to count.</summary>
    public static SortedDictionary<string, int> Read(string text)
    {
        var shape = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in text.Split('\n'))
        {
            if (l.Length == 0 || l[0] == '#')
            {
                continue;
            }

            var last = l.LastIndexOf(' ');
            shape[l[..last]] = int.Parse(l[(last + 1)..], CultureInfo.InvariantCulture);
        }

        return shape;
    }
}

public sealed class virtio_net_eth0_shape_tests
{
    private const string ShapeFile = "tests/drivers/net/virtio_net_eth0.shape";

    /// <summary>
    /// What the recording did on eth0, in the simulation: host A fetches a few
    /// KB over TCP from B through a pair of virtio-net devices (A's is
    /// virtio0/eth0), after a DNS-like UDP exchange; A's eth0 is traced.
    /// </summary>
    private static SortedDictionary<string, int> SimulatedShape()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (da, db, _) = t.AddVirtioPair(a, "eth0", b, "eth1");
        t.AddAddress(da, "10.0.0.1/24");
        t.AddAddress(db, "10.0.0.2/24");
        foreach (var e in new[] { "irq:irq_handler_entry", "irq:softirq_entry", "irq:softirq_exit", "napi:napi_poll", "net:napi_gro_receive_entry", "net:netif_receive_skb", "net:net_dev_xmit" })
        {
            t.K.trace.set_event(e);
        }

        var tarball = new byte[8192];
        t.Spawn(b, "registry", 1, async libc =>
        {
            var u = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(u, SockAddrIn.Parse("10.0.0.2:53"));
            var q = await libc.RecvFrom(u, 512, 0);
            await libc.SendTo(u, new byte[90], 0, q.From);

            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:443"));
            await libc.Listen(fd, 4);
            var c = (int)await libc.Accept(fd);
            var req = new byte[1024];
            await libc.Read(c, req, req.Length);
            await libc.Write(c, tarball, tarball.Length);
            await libc.Close(c);
        });
        t.Spawn(a, "npm", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var u = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(u, new byte[40], 0, SockAddrIn.Parse("10.0.0.2:53"));
            await libc.RecvFrom(u, 512, 0);

            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            await libc.Connect(fd, SockAddrIn.Parse("10.0.0.2:443"));
            await libc.Write(fd, new byte[400], 400);
            var buf = new byte[16384];
            while (await libc.Read(fd, buf, buf.Length) > 0)
            {
            }

            await libc.Close(fd);
        });
        t.Run(2_000_000_000);

        var events = t.K.trace.entries.Select(e => (e.Cpu, e.Event, e.Text));
        return Eth0Shape.Of(events, "eth0", "virtio0");
    }

    [Fact]
    public void the_simulations_virtio_net_has_the_path_of_the_eth0_recording()
    {
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "the repository is not above the test build");
        var recorded = Eth0Shape.Read(File.ReadAllText(Path.Combine(root!, ShapeFile)));
        var simulated = SimulatedShape();

        foreach (var step in Eth0Shape.Mechanism)
        {
            Assert.True(recorded.ContainsKey(step), $"the recording lacks '{step}'");
            Assert.True(simulated.ContainsKey(step), $"the simulation lacks '{step}' that eth0 shows; it has:\n{string.Join('\n', simulated.Keys)}");
        }

        // Nothing the simulation does is a succession real eth0 never showed.
        var foreign = simulated.Keys.Where(k => !recorded.ContainsKey(k)).ToList();
        Assert.True(foreign.Count == 0, "successions eth0 never showed: " + string.Join(", ", foreign));
    }

    [Fact]
    public void the_shape_reduces_a_trace_to_the_devices_successions()
    {
        var lines = new[]
        {
            "  a-1 [001] d.h.. 1.000001: irq_handler_entry: irq=38 name=virtio2-input.0",
            "  a-1 [001] ..s.. 1.000002: softirq_entry: vec=3 [action=NET_RX]",
            "  a-1 [001] ..s.. 1.000003: napi_gro_receive_entry: dev=eth0 napi_id=0x101 len=54",
            "  a-1 [001] ..s.. 1.000004: napi_gro_receive_entry: dev=eth0 napi_id=0x101 len=54",
            "  a-1 [001] ..s.. 1.000005: netif_receive_skb: dev=eth0 skbaddr=0 len=54",
            "  a-1 [001] ..s.. 1.000006: napi_poll: napi poll on napi struct 00000000ff94e87a for device eth0 work 2 budget 64",
            "  a-1 [001] ..s.. 1.000007: softirq_exit: vec=3 [action=NET_RX]",
            "  b-2 [000] ..s.. 1.000008: softirq_entry: vec=3 [action=NET_RX]",
            "  b-2 [000] ..s.. 1.000009: softirq_exit: vec=3 [action=NET_RX]",
            "  b-2 [000] d.h.. 1.000010: irq_handler_entry: irq=39 name=virtio2-output.0",
            "  b-2 [000] ..s.. 1.000011: softirq_entry: vec=3 [action=NET_RX]",
            "  b-2 [000] ..s.. 1.000012: napi_poll: napi poll on napi struct 0000000062887d7f for device eth0 work 0 budget 64",
            "  b-2 [000] ..s.. 1.000013: softirq_exit: vec=3 [action=NET_RX]",
        };

        var shape = Eth0Shape.Of(Eth0Shape.Parse(lines), "eth0", "virtio2");

        Assert.Equal(
            new[] { "gro rcv", "irq(input) {", "irq(output) {", "poll(rx) }", "poll(tx) }", "rcv poll(rx)", "{ gro", "{ poll(tx)" },
            shape.Keys.ToArray());
        Assert.Equal(shape, Eth0Shape.Read(Eth0Shape.Format(shape, "a header")));
    }

    /// <summary>
    /// Records this machine's eth0 while one small package is fetched from the
    /// package registry (tools/eth0-shape/record-eth0.sh) and checks that the
    /// recording shows the path. Opt-in, as it sends traffic off the machine:
    /// KN_RECORD_ETH0=1 checks, KN_RECORD_ETH0=write also rewrites the
    /// checked-in shape; KN_ETH0_TRACE=FILE takes a trace recorded before
    /// instead of recording. Skips without root, tracefs or a virtio_net eth0.
    /// </summary>
    [SkippableFact]
    public void a_live_eth0_recording_shows_the_path()
    {
        var mode = Environment.GetEnvironmentVariable("KN_RECORD_ETH0");
        var given = Environment.GetEnvironmentVariable("KN_ETH0_TRACE");
        Skip.If(string.IsNullOrEmpty(mode), "KN_RECORD_ETH0 is not set: no traffic off the machine");
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "the repository is not above the test build");
        Skip.IfNot(Environment.UserName == "root" && Directory.Exists("/sys/kernel/tracing/instances"), "needs root and tracefs");
        var driver = new FileInfo("/sys/class/net/eth0/device/driver").LinkTarget;
        Skip.IfNot(driver is not null && driver.EndsWith("/virtio_net", StringComparison.Ordinal), "eth0 is not virtio_net");

        var trace = given ?? Path.Combine(Path.GetTempPath(), $"kn-virtio-{Environment.ProcessId}.trace");
        try
        {
            if (given is null)
            {
                using var p = Process.Start(new ProcessStartInfo("/bin/sh", [Path.Combine(root!, "tools/eth0-shape/record-eth0.sh"), trace]) { RedirectStandardError = true })!;
                Assert.True(p.WaitForExit(120_000), "the recorder did not finish in 120 s");
                Skip.If(p.ExitCode == 2, "record-eth0: " + p.StandardError.ReadToEnd());
                Assert.Equal(0, p.ExitCode);
            }

            var irq = File.ReadLines("/proc/interrupts").Select(l => Regex.Match(l, @"(virtio\d+)-input\.0")).First(m => m.Success).Groups[1].Value;
            var shape = Eth0Shape.Of(Eth0Shape.Parse(File.ReadLines(trace)), "eth0", irq);
            foreach (var step in Eth0Shape.Mechanism)
            {
                Assert.True(shape.ContainsKey(step), $"eth0 did not show '{step}'");
            }

            if (mode == "write")
            {
                var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
                File.WriteAllText(Path.Combine(root!, ShapeFile), Eth0Shape.Format(shape,
                    $"eth0 ({irq}, virtio_net) of Linux {kernel}, recorded by tools/eth0-shape/record-eth0.sh while one small\n" +
                    "package was fetched; reduced by Eth0Shape (tests/drivers/net/virtio_net_eth0_shape_tests.cs).\n" +
                    "Each line: a succession of the device's events on one CPU, and how often it was seen."));
            }
        }
        finally
        {
            if (given is null)
            {
                File.Delete(trace);
            }
        }
    }
}
