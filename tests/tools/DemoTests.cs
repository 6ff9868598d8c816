using KernelNet.Scenarios.Demos;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Tools;

public sealed class DemoTests
{
    // Pins the default scenario's whole output: trace, counters, ethtool.
    // demonstrates RX-4, RX-9, RX-12, RX-13, TX-4, TX-6, TX-8, OBS-1..OBS-3 end to end.
    [Fact]
    public void udp_echo_demo_output_is_pinned()
    {
        Assert.True(DemoCatalog.TryGet(DemoCatalog.Default, out var demo));

        var report = demo.Run(new DemoOptions());

        Snapshot.Match(report, "udp_echo_demo");
    }

    [Fact]
    public void the_same_scenario_run_twice_gives_byte_identical_output()
    {
        Assert.True(DemoCatalog.TryGet(DemoCatalog.Default, out var demo));

        Assert.Equal(demo.Run(new DemoOptions()), demo.Run(new DemoOptions()));
    }

    [Fact]
    public void udp_echo_demo_leaks_no_skb_and_both_sides_get_the_payload()
    {
        Assert.True(DemoCatalog.TryGet(DemoCatalog.Default, out var demo));

        var report = demo.Run(new DemoOptions { Trace = false });

        Assert.Contains("B udp-server-3: recvfrom() = 5 \"hello\" from 10.0.0.1:", report, System.StringComparison.Ordinal);
        Assert.Contains("A udp-client-4: recvfrom() = 5 \"hello\" from 10.0.0.2:9000", report, System.StringComparison.Ordinal);
        Assert.Contains("leaked 0", report, System.StringComparison.Ordinal);
    }
}
