using System.Linq;
using System.Text;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

public sealed class udp_tests
{
    private static (Topology T, Host A, Host B) TwoHostsOnVeth()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        var b = t.AddHost("B");
        var (va, vb) = t.AddVeth(a, "veth0", b, "veth1");
        t.AddAddress(va, "10.0.0.1/24");
        t.AddAddress(vb, "10.0.0.2/24");
        return (t, a, b);
    }

    private static long Udp(Host h, udp_mib_field f) => netns_ipv4.of(h.Net).mib.udp_statistics[(int)f];

    // demonstrates RX-12 and RX-13 (and TX-4: the first datagram waits for ARP).
    [Fact]
    public void datagram_over_veth_wakes_the_blocked_receiver_which_replies()
    {
        var (t, a, b) = TwoHostsOnVeth();
        string? gotAtB = null;
        string? gotAtA = null;
        t.K.trace.set_event("*:*");

        var server = t.Spawn(b, "server", 1, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.0.2:9000")));
            var r = await libc.RecvFrom(fd, 100, 0);
            gotAtB = Encoding.ASCII.GetString(r.Data);
            Assert.Equal(r.Data.Length, await libc.SendTo(fd, r.Data, 0, r.From));
            await libc.Close(fd);
        });
        var client = t.Spawn(a, "client", 0, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(5, await libc.SendTo(fd, Encoding.ASCII.GetBytes("hello"), 0, SockAddrIn.Parse("10.0.0.2:9000")));
            var r = await libc.RecvFrom(fd, 100, 0);
            gotAtA = Encoding.ASCII.GetString(r.Data);
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal("hello", gotAtB);
        Assert.Equal("hello", gotAtA);
        Assert.True(server.Nvcsw >= 1, "the server slept in recvfrom");
        Assert.Equal(1, Udp(a, udp_mib_field.UDP_MIB_OUTDATAGRAMS));
        Assert.Equal(1, Udp(b, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Equal(1, Udp(a, udp_mib_field.UDP_MIB_INDATAGRAMS));
        Assert.Contains(t.K.trace.entries, e => e.Event == "sk_data_ready");
        Assert.Contains(t.K.trace.entries, e => e.Event == "neigh_update" && e.Text.Contains("new_state reachable", System.StringComparison.Ordinal));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void datagram_to_a_closed_port_gets_port_unreachable_and_counts_NoPorts()
    {
        var (t, a, b) = TwoHostsOnVeth();
        t.K.trace.set_event("skb:kfree_skb");
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1, 2, 3 }, 0, SockAddrIn.Parse("10.0.0.2:9"));
            await libc.Sleep(100_000_000);
            await libc.Close(fd);
        });

        t.Run();

        Assert.Equal(1, Udp(b, udp_mib_field.UDP_MIB_NOPORTS));
        Assert.Contains(t.K.trace.entries, e => e.Text.EndsWith("reason: NO_SOCKET", System.StringComparison.Ordinal));
        Assert.Equal(1, netns_ipv4.of(b.Net).mib.icmpmsg_statistics[0x100 | 3]);
        Assert.Equal(1, netns_ipv4.of(a.Net).mib.icmpmsg_statistics[3]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // demonstrates LO-1: over lo, no NIC driver is involved; netif_rx and the backlog deliver.
    [Fact]
    public void datagram_over_loopback_goes_through_netif_rx_and_the_backlog()
    {
        var t = new Topology();
        var h = t.AddHost("H");
        string? got = null;
        t.K.trace.set_event("net:*");
        t.K.trace.set_event("napi:*");
        t.Spawn(h, "server", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.Bind(fd, SockAddrIn.Parse("127.0.0.1:7000"));
            var r = await libc.RecvFrom(fd, 100, 0);
            got = Encoding.ASCII.GetString(r.Data);
        });
        t.Spawn(h, "client", 1, async libc =>
        {
            await libc.Sleep(1_000_000);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, Encoding.ASCII.GetBytes("ping"), 0, SockAddrIn.Parse("127.0.0.1:7000"));
        });

        t.Run();

        Assert.Equal("ping", got);
        Assert.All(t.K.trace.entries.Where(e => e.Text.StartsWith("dev=", System.StringComparison.Ordinal)), e => Assert.StartsWith("dev=lo ", e.Text, System.StringComparison.Ordinal));
        Assert.Contains(t.K.trace.entries, e => e.Event == "netif_rx");
        Assert.Contains(t.K.trace.entries, e => e.Event == "napi_poll" && e.Text.Contains("(no_device)", System.StringComparison.Ordinal));
    }
}
