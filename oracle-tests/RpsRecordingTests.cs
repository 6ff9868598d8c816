using System.IO;
using System.Linq;
using KernelNet.Scenarios.Oracle;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>What the real kernel's recording of rps-spread-flow shows about RPS (the simulation's side is pinned by tests/net/core/dev_rps_tests.cs).</summary>
public class RpsRecordingTests
{
    // On real 6.18.44 with rx-0/rps_cpus = 2 on b's veth: a's datagrams enter b's
    // device on CPU 0 (netif_rx, in a's thread), CPU 0's softirq sends the RPS
    // IPI to CPU 1 (ipi_send_cpu from generic_exec_single), and every frame b
    // receives is handed to the stack on CPU 1 (netif_receive_skb).
    [Fact]
    public void Real_rps_moves_b_s_receive_processing_to_cpu_1_by_an_ipi()
    {
        var dir = Path.Combine(OracleFiles.Recordings, "rps-spread-flow");
        var manifest = RecordingLayout.ReadManifest(dir);
        var bDev = manifest.Devices.Single(d => d.Value == "b:eth0").Key;
        var events = File.ReadLines(Path.Combine(dir, "trace.txt")).Select(TraceEvent.Parse).OfType<TraceEvent>().ToList();

        var received = events.Where(e => e.Name == "netif_receive_skb" && e.Body.StartsWith($"dev={bDev} ", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, e => Assert.Equal(1, e.Cpu));
        var kicks = events.Where(e => e.Name == "ipi_send_cpu" && e.Body.Contains("callsite=generic_exec_single", System.StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(kicks);
        Assert.All(kicks, e => Assert.Equal((0, "cpu=1"), (e.Cpu, e.Body.Split(' ')[0])));
    }
}
