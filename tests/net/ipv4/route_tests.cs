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
}
