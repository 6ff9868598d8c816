using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Drivers.Net;

/// <summary>drivers/net/loopback.c: what the local routing table sends over lo.</summary>
public sealed class loopback_tests
{
    private sealed record Delivery(long LatencyNs, (ulong Rx, ulong Tx) Lo, (ulong Rx, ulong Tx) Veth, List<string> Path);

    private static (ulong Rx, ulong Tx) Counts(net_device dev)
    {
        var s = KernelNet.Kernel.Net.Core.dev_c.dev_get_stats(dev);
        return (s.rx_packets, s.tx_packets);
    }

    /// <summary>On host A (lo, veth0 10.0.0.1), one 10-byte datagram from one socket to another bound at <paramref name="to"/>:9000.</summary>
    private static Delivery SendToSelf(string to)
    {
        var net = TwoHosts.OnVeth();
        var lo = net.A.Device("lo");
        var k = net.T.K;
        k.trace.set_event("net:net_dev_queue");
        k.trace.set_event("net:netif_rx");
        var loBefore = Counts(lo);
        var vethBefore = Counts(net.VethA);
        long sentAt = 0;
        long receivedAt = 0;
        net.T.Spawn(net.A, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse($"{to}:9000")));
            var r = await libc.RecvFrom(fd, 100, 0);
            Assert.Equal(10, r.Ret);
            receivedAt = net.T.Machine.Now;
        });
        net.T.Spawn(net.A, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            sentAt = net.T.Machine.Now;
            Assert.Equal(10, await libc.SendTo(fd, new byte[10], 0, SockAddrIn.Parse($"{to}:9000")));
        });
        net.T.Run(100_000_000);

        var lo1 = Counts(lo);
        var veth1 = Counts(net.VethA);
        var path = k.trace.entries.Where(e => e.Event is "net_dev_queue" or "netif_rx").Select(e => e.Event + " " + e.Text.Split(' ')[0]).ToList();
        return new Delivery(receivedAt - sentAt, (lo1.Rx - loBefore.Rx, lo1.Tx - loBefore.Tx), (veth1.Rx - vethBefore.Rx, veth1.Tx - vethBefore.Tx), path);
    }

    // demonstrates LO-2: a datagram to the host's own veth address (10.0.0.1)
    // is routed by the local table (RTN_LOCAL) over lo — lo's counters move
    // and veth0's do not — and takes the same path (net_dev_queue and
    // netif_rx on lo) in the same simulated time as one to 127.0.0.1.
    [Fact]
    public void traffic_to_the_hosts_own_address_goes_over_lo_as_fast_as_127_0_0_1()
    {
        var own = SendToSelf("10.0.0.1");
        var loopback = SendToSelf("127.0.0.1");

        Assert.Equal((1UL, 1UL), own.Lo);
        Assert.Equal((0UL, 0UL), own.Veth);
        Assert.Equal(["net_dev_queue dev=lo", "netif_rx dev=lo"], own.Path);
        Assert.Equal(loopback.Path, own.Path);
        Assert.Equal(loopback.Lo, own.Lo);
        Assert.True(own.LatencyNs > 0);
        Assert.Equal(loopback.LatencyNs, own.LatencyNs);
    }
}
