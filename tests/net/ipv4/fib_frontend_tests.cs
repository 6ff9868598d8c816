using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>
/// net/ipv4/fib_frontend.c: what `ip link set DEV down` and `up` do to routes (fib_netdev_event):
/// down takes every route through the device but the local routes of its addresses, which stay
/// with them; up brings back the routes of the addresses it still has, and nothing else.
/// </summary>
public sealed class fib_frontend_tests
{
    private static fib_alias? Route(Host h, uint dst, int len, rtn_type type) =>
        netns_ipv4.of(h.Net).fib_main.tb_data.FirstOrDefault(fa => fa.dst == dst && fa.dst_len == len && fa.fa_type == type);

    [Fact]
    public void Down_takes_the_connected_and_broadcast_routes_but_keeps_the_address_and_its_local_route()
    {
        var (t, a, _, va, _) = TwoHosts.OnVeth();
        Assert.NotNull(Route(a, 0x0a000000, 24, rtn_type.RTN_UNICAST));

        netif_close(va);

        var ifa = Assert.Single(inetdevice_h.__in_dev_get_rcu(va)!.ifa_list);
        Assert.Equal(0x0a000001u, ifa.ifa_local);
        Assert.NotNull(Route(a, 0x0a000001, 32, rtn_type.RTN_LOCAL));
        Assert.Null(Route(a, 0x0a000000, 24, rtn_type.RTN_UNICAST));
        Assert.Null(Route(a, 0x0a0000ff, 32, rtn_type.RTN_BROADCAST));
        Assert.DoesNotContain(netns_ipv4.of(a.Net).fib_main.tb_data, fa => fa.nh_dev == va && fa.fa_type != rtn_type.RTN_LOCAL);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    [Fact]
    public void A_datagram_to_the_subnet_of_a_device_that_is_down_fails_with_ENETUNREACH_and_counts_OutNoRoutes()
    {
        var hosts = TwoHosts.OnVeth();
        netif_close(hosts.VethA);
        long sent = 0;

        hosts.SendOnceFromA(new byte[] { 1, 2, 3 }, delayNs: 0, sent: r => sent = r);
        hosts.T.Run(hosts.T.Sim.Now + 100_000_000);

        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.ENETUNREACH, sent);
        Assert.Equal(1, netns_ipv4.of(hosts.A.Net).mib.ip_statistics[(int)KernelNet.Kernel.Include.Uapi.Linux.ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES]);
        Assert.Equal(0, hosts.T.K.leaked_skbs());
    }

    [Fact]
    public void Up_brings_back_the_routes_of_the_address_that_stayed_and_traffic_resumes()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, _, va, _) = hosts;
        netif_close(va);

        netif_open(va);

        Assert.NotNull(Route(a, 0x0a000000, 24, rtn_type.RTN_UNICAST));
        Assert.NotNull(Route(a, 0x0a0000ff, 32, rtn_type.RTN_BROADCAST));
        Assert.Single(netns_ipv4.of(a.Net).fib_main.tb_data, fa => fa.dst == 0x0a000001 && fa.fa_type == rtn_type.RTN_LOCAL);
        RecvResult? got = null;
        hosts.ReceiveOnceOnB(100, r => got = r);
        hosts.SendOnceFromA(new byte[] { 7, 8, 9 });
        t.Run(t.Sim.Now + 1_000_000_000);
        Assert.Equal(3, got!.Value.Ret);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // Linux forgets a route through a device that went down: `ip link set up` brings back only what
    // the addresses imply (fib_add_ifaddr), not routes added by hand.
    [Fact]
    public void A_route_via_a_gateway_on_the_device_dies_with_down_and_does_not_come_back_with_up()
    {
        var (_, a, _, va, _) = TwoHosts.OnVeth();
        Assert.Equal(0, Topology.AddRoute(a, 0xc0a80500, 24, 0x0a000002, null, 0));
        Assert.NotNull(Route(a, 0xc0a80500, 24, rtn_type.RTN_UNICAST));

        netif_close(va);
        Assert.Null(Route(a, 0xc0a80500, 24, rtn_type.RTN_UNICAST));

        netif_open(va);
        Assert.Null(Route(a, 0xc0a80500, 24, rtn_type.RTN_UNICAST));
        Assert.NotNull(Route(a, 0x0a000000, 24, rtn_type.RTN_UNICAST));
    }

    // fib_add_ifaddr on a device that is down adds the local route only; the rest waits for NETDEV_UP.
    [Fact]
    public void An_address_added_while_the_device_is_down_brings_only_its_local_route_until_up()
    {
        var (t, a, _, va, _) = TwoHosts.OnVeth();
        netif_close(va);

        t.AddAddress(va, "10.9.0.1/16");

        Assert.NotNull(Route(a, 0x0a090001, 32, rtn_type.RTN_LOCAL));
        Assert.Null(Route(a, 0x0a090000, 16, rtn_type.RTN_UNICAST));
        netif_open(va);
        Assert.NotNull(Route(a, 0x0a090000, 16, rtn_type.RTN_UNICAST));
        Assert.NotNull(Route(a, 0x0a09ffff, 32, rtn_type.RTN_BROADCAST));
    }
}
