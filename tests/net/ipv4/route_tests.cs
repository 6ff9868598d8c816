using System.Linq;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4;

public sealed class route_tests
{
    // `ip route add default via 10.0.0.2`: the datagram for 192.168.1.1 is
    // sent to the gateway's MAC (ARP for 10.0.0.2, not for 192.168.1.1). B
    // does not forward (conf.all.forwarding 0): ip_route_input_slow gives it
    // an unreachable route and ip_error drops it IP_INADDRERRORS, InAddrErrors.
    [Fact]
    public void gateway_route_sends_via_the_gateway_which_drops_when_not_forwarding()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, b, va, _) = hosts;
        Assert.Equal(0, fib_frontend_c.inet_rtm_newroute(a.Net, new fib_config { fc_dst = 0, fc_dst_len = 0, fc_gw4 = 0x0a000002 }));
        Assert.NotEqual(0, fib_frontend_c.inet_rtm_newroute(a.Net, new fib_config { fc_dst = 0x0b000000, fc_dst_len = 8, fc_gw4 = 0x0c000001 }));
        t.K.trace.set_event("skb:kfree_skb");
        t.K.trace.set_event("fib:fib_table_lookup");
        long sent = 0;
        hosts.SendOnceFromA(new byte[] { 1, 2, 3 }, delayNs: 0, to: "192.168.1.1:9000", sent: ret => sent = ret);

        t.Run(1_000_000_000);

        Assert.Equal(3, sent);
        Assert.True(t.K.globals<arp_globals>().arp_tbl.nht.ContainsKey((va, 0x0a000002u)));
        Assert.False(t.K.globals<arp_globals>().arp_tbl.nht.ContainsKey((va, 0xc0a80101u)));
        Assert.Contains(t.K.trace.entries, e => e.Event == "fib_table_lookup" && e.Text.Contains("table 254 oif 0 iif 1 proto 17 0.0.0.0/", System.StringComparison.Ordinal) && e.Text.EndsWith("-> 192.168.1.1/9000 tos 0 scope 0 flags 0 ==> dev veth0 gw 10.0.0.2/:: err 0", System.StringComparison.Ordinal));
        var drops = t.K.trace.entries.Where(e => e.Text.Contains("protocol=2048", System.StringComparison.Ordinal)).ToList();
        Assert.Single(drops);
        Assert.EndsWith("reason: IP_INADDRERRORS", drops[0].Text, System.StringComparison.Ordinal);
        Assert.Equal(1, netns_ipv4.of(b.Net).mib.ip_statistics[(int)ipstats_mib_field.IPSTATS_MIB_INADDRERRORS]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // No route at all: the send fails ENETUNREACH and nothing is built.
    [Fact]
    public void no_route_fails_the_send_with_enetunreach()
    {
        var t = new Topology();
        var a = t.AddHost("A");
        long sent = 0;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            sent = await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse("192.168.1.1:9000"));
        });

        t.Run(1_000_000_000);

        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.ENETUNREACH, sent);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    private static fib_alias RouteOf(Host h, uint dst, int len, rtn_type type) =>
        netns_ipv4.of(h.Net).fib_main.tb_data.Single(fa => fa.dst == dst && fa.dst_len == len && fa.fa_type == type);

    private static int InputLookupsOnB(TwoHosts hosts) =>
        hosts.T.K.trace.entries.Count(e => e.Event == "fib_table_lookup"
            && e.Text.Contains($"oif 0 iif {hosts.VethB.ifindex} proto 0 10.0.0.1/0 -> 10.0.0.2/0 ", System.StringComparison.Ordinal));

    // Three datagrams A -> B. The first packet B routes to 10.0.0.2 (A's ARP
    // request: arp_process routes its target) makes the input route and caches
    // it in the next hop of B's local route 10.0.0.2/32 (rt_cache_route: a
    // reference for the cache besides the allocation's); the datagrams find it
    // valid and attach it without a reference (skb_dst_set_noref), so neither
    // the cached object nor its count changes. A route added on B
    // (rt_cache_flush) stales it: the third datagram builds and caches a new
    // route, and the old one loses the cache's reference. B's fib_table_lookup
    // still fires once per packet — the cache sits behind the lookup, as in 6.18.
    [Fact]
    public void the_second_datagram_reuses_the_cached_input_route_until_a_route_change_flushes_it()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, b, _, _) = hosts;
        t.K.trace.set_event("fib:fib_table_lookup");
        var local = RouteOf(b, 0x0a000002, 32, rtn_type.RTN_LOCAL);
        rtable? first = null;
        rtable? third = null;
        int ref1 = 0, ref2 = 0, lookups1 = 0, lookups2 = 0;
        var reusedAfterSecond = false;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            await libc.SendTo(fd, new byte[] { 1 }, 0, SockAddrIn.Parse(TwoHosts.ServerAddress));
            await libc.Sleep(1_000_000);
            first = local.nhc_rth_input;
            ref1 = first?.__rcuref ?? -1;
            lookups1 = InputLookupsOnB(hosts);

            await libc.SendTo(fd, new byte[] { 2 }, 0, SockAddrIn.Parse(TwoHosts.ServerAddress));
            await libc.Sleep(1_000_000);
            reusedAfterSecond = ReferenceEquals(local.nhc_rth_input, first);
            ref2 = first?.__rcuref ?? -1;
            lookups2 = InputLookupsOnB(hosts);

            Assert.Equal(0, fib_frontend_c.inet_rtm_newroute(b.Net, new fib_config { fc_dst = 0xc0a80500, fc_dst_len = 24, fc_gw4 = 0x0a000001 }));
            await libc.SendTo(fd, new byte[] { 3 }, 0, SockAddrIn.Parse(TwoHosts.ServerAddress));
            await libc.Sleep(1_000_000);
            third = local.nhc_rth_input;
        });

        t.Run(1_000_000_000);

        Assert.NotNull(first);
        Assert.True(first!.rt_is_input);
        Assert.Equal(2, ref1);
        Assert.True(reusedAfterSecond);
        Assert.Equal(2, ref2);
        Assert.Equal(2, lookups1);
        Assert.Equal(3, lookups2);
        Assert.NotNull(third);
        Assert.NotSame(first, third);
        Assert.Equal(1, first.__rcuref);
        Assert.Equal(2, third!.__rcuref);
        Assert.Equal(4, InputLookupsOnB(hosts));
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // The output route of A's on-link prefix route is cached per CPU: two
    // lookups on CPU 0 return one rtable (each caller holding a reference),
    // CPU 1 gets its own, and both sit in nhc_pcpu_rth_output at their CPU.
    [Fact]
    public void output_routes_are_cached_per_cpu_in_the_nexthop()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, _, _, _) = hosts;
        var prefix = RouteOf(a, 0x0a000000, 24, rtn_type.RTN_UNICAST);
        var got = new rtable?[2, 2];
        for (var cpu = 0; cpu < 2; cpu++)
        {
            var c = cpu;
            t.Spawn(a, $"lookup{c}", c, async libc =>
            {
                await libc.Sleep(1_000 + (c * 1_000));
                for (var i = 0; i < 2; i++)
                {
                    var fl4 = new flowi4 { daddr = 0x0a000002 };
                    got[c, i] = route_c.ip_route_output_flow(a.Net, ref fl4, null, out var err);
                    Assert.Equal(0, err);
                }
            });
        }

        t.Run(1_000_000_000);

        Assert.NotNull(got[0, 0]);
        Assert.Same(got[0, 0], got[0, 1]);
        Assert.Same(got[1, 0], got[1, 1]);
        Assert.NotSame(got[0, 0], got[1, 0]);
        Assert.Same(got[0, 0], prefix.nhc_pcpu_rth_output![0]);
        Assert.Same(got[1, 0], prefix.nhc_pcpu_rth_output![1]);

        // the allocation's reference (the first caller), the cache's, the second caller's
        Assert.Equal(3, got[0, 0]!.__rcuref);
        Assert.Equal(3, got[1, 0]!.__rcuref);
    }

    // A connected UDP socket keeps its route in sk_dst_cache: a second send
    // does not look the route up. After a route is added (rt_cache_flush bumps
    // rt_genid) ipv4_dst_check fails in __sk_dst_check and the next send routes
    // again — one more fib_table_lookup on A.
    [Fact]
    public void a_connected_socket_routes_again_after_a_route_change()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, _, _, _) = hosts;
        t.K.trace.set_event("fib:fib_table_lookup");
        int afterConnect = 0, afterSecond = 0, afterFlush = 0;
        t.Spawn(a, "client", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse(TwoHosts.ServerAddress)));
            await libc.SendTo(fd, new byte[] { 1 }, 0, null);
            afterConnect = OutputLookupsOnA(hosts);
            await libc.SendTo(fd, new byte[] { 2 }, 0, null);
            afterSecond = OutputLookupsOnA(hosts);
            Assert.Equal(0, fib_frontend_c.inet_rtm_newroute(a.Net, new fib_config { fc_dst = 0xc0a80500, fc_dst_len = 24, fc_gw4 = 0x0a000002 }));
            await libc.SendTo(fd, new byte[] { 3 }, 0, null);
            afterFlush = OutputLookupsOnA(hosts);
        });

        t.Run(1_000_000_000);

        Assert.True(afterConnect > 0);
        Assert.Equal(afterConnect, afterSecond);
        Assert.Equal(afterConnect + 1, afterFlush);
    }

    private static int OutputLookupsOnA(TwoHosts hosts) =>
        hosts.T.K.trace.entries.Count(e => e.Event == "fib_table_lookup"
            && e.Text.Contains("iif 1 proto 17", System.StringComparison.Ordinal)
            && e.Text.Contains("-> 10.0.0.2/9000", System.StringComparison.Ordinal));

    // ipv4_default_advmss: the MSS a route advertises follows its MTU as
    // ipv4_mtu gives it — a learned path MTU while it lasts, else the
    // device's — less 40 bytes of headers, never below 256.
    [Fact]
    public void the_advertised_mss_follows_a_learned_path_mtu_until_it_expires()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, _, _, va, _) = hosts;
        var now = t.K.jiffies;
        var rt = new KernelNet.Kernel.Include.Net.rtable(va) { rt_pmtu = 1000, expires = now + 100 };

        Assert.Equal(960u, route_c.ipv4_default_advmss(rt));
        rt.rt_pmtu = 200;
        Assert.Equal(256u, route_c.ipv4_default_advmss(rt));
        rt.expires = now - 1;
        Assert.Equal(va.mtu - 40, route_c.ipv4_default_advmss(rt));
    }
}
