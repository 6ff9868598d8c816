using System;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4.Netfilter;

/// <summary>iptable_raw.c: the raw table's PREROUTING chain, which sees a packet before it is routed.</summary>
public sealed class iptable_raw_tests
{
    // A PREROUTING drop rule acts right after ip_rcv's header checks: the datagram
    // counts in InReceives but is never routed or delivered, and is freed
    // NETFILTER_DROP; the raw table's policy (ACCEPT) lets the other port through.
    [Fact]
    public void a_prerouting_drop_rule_in_the_raw_table_drops_before_routing()
    {
        var n = TwoHosts.OnVeth();
        iptable_raw_c.iptables_append(n.B.Net, "PREROUTING", new ipt_entry
        {
            ip = new ipt_ip { proto = 17 },
            ports = new xt_ports { dpts_lo = 9000, dpts_hi = 9000 },
            verdict = netfilter_h.NF_DROP,
        });
        n.T.K.trace.set_event("skb:kfree_skb");
        var mib = netns_ipv4.of(n.B.Net).mib.ip_statistics;

        Inject.Frame(n.T, n.B, n.VethB, Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9000, [1, 2, 3]), at: 1_000_000);
        Inject.Frame(n.T, n.B, n.VethB, Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, 9001, [1, 2, 3]), at: 2_000_000);
        n.T.Run(10_000_000);

        var drops = n.T.K.trace.entries.Where(e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal)).Select(e => e.Text).ToArray();
        Assert.Equal(2, drops.Length);
        Assert.Single(drops, d => d.EndsWith("reason: NETFILTER_DROP", StringComparison.Ordinal));
        Assert.Single(drops, d => d.EndsWith("reason: NO_SOCKET", StringComparison.Ordinal));
        Assert.Equal(2, mib[(int)ipstats_mib_field.IPSTATS_MIB_INPKTS]);
        Assert.Equal(1, mib[(int)ipstats_mib_field.IPSTATS_MIB_INDELIVERS]);
        Assert.Equal(1ul, netns_ipv4.of(n.B.Net).iptable_raw!.entries[(int)nf_inet_hooks.NF_INET_PRE_ROUTING][0].pcnt);
    }
}
