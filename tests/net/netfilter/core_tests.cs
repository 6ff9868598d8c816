using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Netfilter;

public sealed class core_tests
{
    private static ipt_entry DropUdpDport(ushort port) => new()
    {
        ip = new ipt_ip { proto = 17 },
        ports = new xt_ports { dpts_lo = port, dpts_hi = port },
        verdict = netfilter_h.NF_DROP,
    };

    // demonstrates RX-10: an AF_PACKET-style tap (ETH_P_ALL) sees the frame at
    // the device layer; the INPUT rule drops it later, in NF_INET_LOCAL_IN.
    [Fact]
    public void tap_sees_the_frame_that_an_input_rule_then_drops()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, _, b, _, vb) = hosts;
        iptable_filter_c.iptables_append(b.Net, "INPUT", DropUdpDport(9000));
        var rule = netns_ipv4.of(b.Net).iptable_filter!.entries[(int)nf_inet_hooks.NF_INET_LOCAL_IN][0];
        var tapped = new List<int>();
        dev_add_pack(t.K, new packet_type(KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_ALL, (skb, dev, pt, orig) =>
        {
            if (skb.protocol == KernelNet.Kernel.Include.Uapi.Linux.if_ether_h.ETH_P_IP)
            {
                tapped.Add((int)skb.len);
            }

            consume_skb(skb);
            return 0;
        }) { dev = vb });
        t.K.trace.set_event("skb:kfree_skb");
        long sent = 0;
        hosts.SendOnceFromA(new byte[] { 1, 2, 3, 4 }, delayNs: 0, sent: ret => sent = ret);

        t.Run(1_000_000_000);

        Assert.Equal(4, sent);
        Assert.Equal(new[] { 20 + 8 + 4 }, tapped.ToArray());
        var drops = t.K.trace.entries.Where(e => e.Text.Contains("protocol=2048", System.StringComparison.Ordinal)).ToList();
        Assert.Single(drops);
        Assert.EndsWith("reason: NETFILTER_DROP", drops[0].Text, System.StringComparison.Ordinal);
        Assert.Equal(1ul, rule.pcnt);
        Assert.Equal(32ul, rule.bcnt);
        Assert.Equal(0, netns_ipv4.of(b.Net).mib.udp_statistics[(int)KernelNet.Kernel.Include.Uapi.Linux.udp_mib_field.UDP_MIB_INDATAGRAMS]);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // Rules match by protocol and port: another port passes, and so does the
    // chain's policy (ACCEPT) counting what reached it.
    [Fact]
    public void rule_for_another_port_lets_the_datagram_through_to_udp()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, _, b, _, _) = hosts;
        iptable_filter_c.iptables_append(b.Net, "INPUT", DropUdpDport(53));
        long got = 0;
        hosts.ReceiveOnceOnB(100, r => got = r.Ret);
        hosts.SendOnceFromA(new byte[] { 1, 2, 3, 4 });

        t.Run(1_000_000_000);

        Assert.Equal(4, got);
        var table = netns_ipv4.of(b.Net).iptable_filter!;
        Assert.Equal(0ul, table.entries[(int)nf_inet_hooks.NF_INET_LOCAL_IN][0].pcnt);
        Assert.Equal(1ul, table.policy[(int)nf_inet_hooks.NF_INET_LOCAL_IN].pcnt);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    // An OUTPUT rule drops in NF_INET_LOCAL_OUT: nothing reaches the wire, and
    // sendto fails with EPERM (nf_hook_slow's error for NF_DROP).
    [Fact]
    public void output_rule_drop_makes_sendto_fail_with_eperm()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, _, _, _) = hosts;
        iptable_filter_c.iptables_append(a.Net, "OUTPUT", new ipt_entry { ip = new ipt_ip { dst = 0x0a000002, dmsk = 0xffffffff }, verdict = netfilter_h.NF_DROP });
        t.K.trace.set_event("net:net_dev_queue");
        long sent = 0;
        hosts.SendOnceFromA(new byte[] { 1 }, delayNs: 0, sent: ret => sent = ret);

        t.Run(1_000_000_000);

        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EPERM, sent);
        Assert.DoesNotContain(t.K.trace.entries, e => e.Event == "net_dev_queue");
        Assert.Equal(0, t.K.leaked_skbs());
    }
    private static uint Accept(object? priv, KernelNet.Kernel.Include.Linux.sk_buff skb, nf_hook_state state) => netfilter_h.NF_ACCEPT;

    private static uint AcceptToo(object? priv, KernelNet.Kernel.Include.Linux.sk_buff skb, nf_hook_state state) => netfilter_h.NF_ACCEPT;

    // nf_register_net_hook publishes a new blob in priority order (a new hook
    // goes before one of equal priority, as nf_hook_entries_grow places it); unregistering swaps in the dummy and
    // then publishes a shrunk copy, down to a null head when none is left.
    [Fact]
    public void hook_blobs_stay_in_priority_order_and_shrink_to_a_null_head()
    {
        var hosts = TwoHosts.OnVeth();
        var net = hosts.A.Net;
        var hook = nf_inet_hooks.NF_INET_LOCAL_OUT;
        Assert.Null(net.nf.hooks_ipv4[(int)hook]);

        var late = new nf_hook_ops(Accept, netfilter_h.NFPROTO_IPV4, hook, 100);
        var early = new nf_hook_ops(Accept, netfilter_h.NFPROTO_IPV4, hook, -100);
        var sameAsLate = new nf_hook_ops(AcceptToo, netfilter_h.NFPROTO_IPV4, hook, 100);
        Assert.Equal(0, KernelNet.Kernel.Net.Netfilter.core_c.nf_register_net_hook(net, late));
        var first = net.nf.hooks_ipv4[(int)hook]!;
        Assert.Equal(0, KernelNet.Kernel.Net.Netfilter.core_c.nf_register_net_hook(net, early));
        Assert.Equal(0, KernelNet.Kernel.Net.Netfilter.core_c.nf_register_net_hook(net, sameAsLate));

        var blob = net.nf.hooks_ipv4[(int)hook]!;
        Assert.NotSame(first, blob);
        Assert.Equal(1, first.num_hook_entries);
        Assert.Equal(new[] { early, sameAsLate, late }, netfilter_h.nf_hook_entries_get_hook_ops(blob));
        Assert.Equal((nf_hookfn)AcceptToo, blob.hooks[1].hook);

        KernelNet.Kernel.Net.Netfilter.core_c.nf_unregister_net_hook(net, late);
        var shrunk = net.nf.hooks_ipv4[(int)hook]!;
        Assert.Equal(2, shrunk.num_hook_entries);
        Assert.Equal(new[] { early, sameAsLate }, netfilter_h.nf_hook_entries_get_hook_ops(shrunk));

        KernelNet.Kernel.Net.Netfilter.core_c.nf_unregister_net_hook(net, early);
        KernelNet.Kernel.Net.Netfilter.core_c.nf_unregister_net_hook(net, sameAsLate);
        Assert.Null(net.nf.hooks_ipv4[(int)hook]);
    }
}
