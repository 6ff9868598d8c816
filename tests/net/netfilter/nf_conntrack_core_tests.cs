using System;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Kernel.Printk;
using KernelNet.Kernel.Net.Ipv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Kernel.Net.Netfilter;
using KernelNet.Machine;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.Tests.Net.Netfilter;

/// <summary>
/// nf_conntrack_core.c, nf_nat_core.c and their targets on a router:
/// a (10.0.1.2) - r - b (10.0.2.2), r forwarding between 10.0.1.0/24 (eth0)
/// and 10.0.2.0/24 (eth1).
/// </summary>
public sealed class nf_conntrack_core_tests
{
    private const long Ms = 1_000_000;

    private sealed record Net3(Topology T, Host A, Host R, Host B);

    private static Net3 Build()
    {
        var t = new Topology();
        var a = t.AddHost("a");
        var r = t.AddHost("r");
        var b = t.AddHost("b");
        devinet_c.devinet_sysctl_forward(r.Net, "all", null, true);
        var (aEth, rEth0) = t.AddVeth(a, "eth0", r, "eth0");
        var (rEth1, bEth) = t.AddVeth(r, "eth1", b, "eth0");
        t.AddAddress(aEth, "10.0.1.2/24");
        t.AddAddress(rEth0, "10.0.1.1/24");
        t.AddAddress(rEth1, "10.0.2.1/24");
        t.AddAddress(bEth, "10.0.2.2/24");
        foreach (var d in new[] { aEth, rEth0, rEth1, bEth })
        {
            t.Up(d);
        }

        Assert.Equal(0, Topology.AddRoute(a, 0, 0, 0x0a000101, null, 0));
        Assert.Equal(0, Topology.AddRoute(b, 0, 0, 0x0a000201, null, 0));
        t.K.trace.set_event("skb:kfree_skb");
        return new Net3(t, a, r, b);
    }

    /// <summary>iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE on r.</summary>
    private static void Masquerade(Net3 n) =>
        iptable_nat_c.iptables_append(n.R.Net, "POSTROUTING", new ipt_entry
        {
            ip = new ipt_ip { outiface = "eth1" },
            target = new xt_entry_target { target = xt_MASQUERADE_c.masquerade_tg_reg, targinfo = new nf_nat_range2() },
        });

    /// <summary>
    /// b answers each datagram on 9000 with "re:" + the data, recording the
    /// source it saw; a sends one datagram from each of <paramref name="aPorts"/>
    /// to <paramref name="to"/> and records what came back (-EAGAIN when nothing).
    /// </summary>
    private static (string[] SeenByB, long[] Replies, string[] ReplyFrom) UdpRoundTrips(Net3 n, ushort[] aPorts, string to = "10.0.2.2:9000")
    {
        var seen = new System.Collections.Generic.List<string>();
        var replies = new long[aPorts.Length];
        var replyFrom = new string[aPorts.Length];
        n.T.Spawn(n.B, "echo", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.2.2:9000")));
            for (var i = 0; i < aPorts.Length; i++)
            {
                await libc.Sleep(100 * Ms);
                var r = await libc.RecvFrom(fd, 100, Libc.MSG_DONTWAIT);
                if (r.Ret > 0)
                {
                    seen.Add(r.From.ToString());
                    await libc.SendTo(fd, r.Data, 0, r.From);
                }
            }
        });
        for (var i = 0; i < aPorts.Length; i++)
        {
            var k = i;
            n.T.Spawn(n.A, "tx" + k, 0, async libc =>
            {
                await libc.Sleep((10 + (100 * k)) * Ms);
                var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
                Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse($"10.0.1.2:{aPorts[k]}")));
                await libc.SendTo(fd, [1, 2, 3], 0, SockAddrIn.Parse(to));
                await libc.Sleep(200 * Ms);
                var r = await libc.RecvFrom(fd, 100, Libc.MSG_DONTWAIT);
                replies[k] = r.Ret;
                replyFrom[k] = r.Ret > 0 ? r.From.ToString() : "";
            });
        }

        n.T.Run((300 + (100 * aPorts.Length)) * Ms);
        return (seen.ToArray(), replies, replyFrom);
    }

    private static string[] Drops(Net3 n) =>
        n.T.K.trace.entries.Where(e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal)).Select(e => e.Text).ToArray();

    // nf_nat_masquerade_ipv4 picks eth1's address for the new flow at
    // POST_ROUTING; the reply matches the conntrack's reply tuple at r's
    // PRE_ROUTING and nf_nat_ipv4_fn rewrites it back (checksums fixed, so
    // a's UDP accepts it). /proc/net/nf_conntrack prints the line the real
    // 6.18.44 kernel printed for the same exchange (recorded by hand on this
    // machine: "ipv4     2 udp      17 29 src=10.0.1.2 dst=10.0.2.2 sport=7000
    // dport=9000 src=10.0.2.2 dst=10.0.2.1 sport=9000 dport=7000 mark=0 zone=0 use=2").
    [Fact]
    public void masquerade_rewrites_the_source_to_the_output_device_address_and_the_reply_comes_back()
    {
        var n = Build();
        Masquerade(n);

        var (seen, replies, replyFrom) = UdpRoundTrips(n, [7000]);

        Assert.Equal("10.0.2.1:7000", Assert.Single(seen));
        Assert.Equal(3, replies[0]);
        Assert.Equal("10.0.2.2:9000", replyFrom[0]);
        Assert.Empty(Drops(n));
        var proc = nf_conntrack_standalone_c.nf_conntrack_seq_show(n.R.Net);
        Assert.Equal(
            "ipv4     2 udp      17 29 src=10.0.1.2 dst=10.0.2.2 sport=7000 dport=9000 src=10.0.2.2 dst=10.0.2.1 sport=9000 dport=7000 mark=0 zone=0 use=2\n",
            proc);
        Assert.Equal("", nf_conntrack_standalone_c.nf_conntrack_seq_show(n.A.Net));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // iptables -t nat -A PREROUTING -i eth0 -p udp --dport 8080 -j DNAT
    // --to-destination 10.0.2.2:9000: a talks to r's own address, b gets it,
    // and a sees the reply come from the address it sent to.
    [Fact]
    public void dnat_in_prerouting_forwards_to_the_inside_host_and_the_reply_comes_from_the_original_destination()
    {
        var n = Build();
        iptable_nat_c.iptables_append(n.R.Net, "PREROUTING", new ipt_entry
        {
            ip = new ipt_ip { iniface = "eth0", proto = 17 },
            ports = new xt_ports { dpts_lo = 8080, dpts_hi = 8080 },
            target = new xt_entry_target
            {
                target = xt_nat_c.dnat_reg,
                targinfo = new nf_nat_range2
                {
                    flags = KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_h.NF_NAT_RANGE_MAP_IPS | KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_h.NF_NAT_RANGE_PROTO_SPECIFIED,
                    min_addr = 0x0a000202,
                    max_addr = 0x0a000202,
                    min_proto = 9000,
                    max_proto = 9000,
                },
            },
        });

        var (seen, replies, replyFrom) = UdpRoundTrips(n, [7000], to: "10.0.1.1:8080");

        Assert.Equal("10.0.1.2:7000", Assert.Single(seen));
        Assert.Equal(3, replies[0]);
        Assert.Equal("10.0.1.1:8080", replyFrom[0]);
        Assert.Contains("src=10.0.1.2 dst=10.0.1.1 sport=7000 dport=8080 src=10.0.2.2 dst=10.0.1.2 sport=9000 dport=7000 ", nf_conntrack_standalone_c.nf_conntrack_seq_show(n.R.Net), StringComparison.Ordinal);
    }

    // The stateful firewall: FORWARD accepts ESTABLISHED,RELATED, accepts new
    // flows from eth0, and drops the rest — b's reply passes (ESTABLISHED),
    // but a datagram b starts itself is NEW from eth1 and is dropped.
    [Fact]
    public void ctstate_established_lets_replies_through_while_new_flows_from_outside_are_dropped()
    {
        var n = Build();
        var est = new xt_conntrack_mtinfo
        {
            state_mask = (ushort)(xt_conntrack_h.XT_CONNTRACK_STATE_BIT(ip_conntrack_info.IP_CT_ESTABLISHED) | xt_conntrack_h.XT_CONNTRACK_STATE_BIT(ip_conntrack_info.IP_CT_RELATED)),
        };
        iptable_filter_c.iptables_append(n.R.Net, "FORWARD", new ipt_entry { conntrack = est, verdict = netfilter_h.NF_ACCEPT });
        iptable_filter_c.iptables_append(n.R.Net, "FORWARD", new ipt_entry { ip = new ipt_ip { iniface = "eth0" }, verdict = netfilter_h.NF_ACCEPT });
        iptable_filter_c.iptables_policy(n.R.Net, "FORWARD", netfilter_h.NF_DROP);

        long fromB = 0;
        n.T.Spawn(n.B, "new", 0, async libc =>
        {
            await libc.Sleep(350 * Ms);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            fromB = await libc.SendTo(fd, [9], 0, SockAddrIn.Parse("10.0.1.2:5000"));
        });
        var (seen, replies, _) = UdpRoundTrips(n, [7000]);

        Assert.Single(seen);
        Assert.Equal(3, replies[0]);
        Assert.Equal(1, fromB);
        Assert.EndsWith("reason: NETFILTER_DROP", Assert.Single(Drops(n)), StringComparison.Ordinal);
        var filter = global::KernelNet.Kernel.Include.Net.Netns.netns_ipv4.of(n.R.Net).iptable_filter!;
        Assert.Equal(1ul, filter.entries[(int)nf_inet_hooks.NF_INET_FORWARD][0].pcnt);
        Assert.Equal(1ul, filter.entries[(int)nf_inet_hooks.NF_INET_FORWARD][1].pcnt);
        Assert.Equal(1ul, filter.policy[(int)nf_inet_hooks.NF_INET_FORWARD].pcnt);
    }

    // demonstrates FIELD-1. With nf_conntrack_max at 2 (simulation only: a
    // namespace cannot change it here) the third flow finds the table full;
    // early_drop finds nothing to evict in its 8 buckets, so
    // __nf_conntrack_alloc fails, the kernel log gets the rate-limited
    // "table full" line, nf_conntrack_in counts drop and returns NF_DROP,
    // and nf_hook_slow frees the packet NETFILTER_DROP.
    [Fact]
    public void a_full_conntrack_table_drops_new_flows_with_the_table_full_message_and_the_drop_counter()
    {
        var n = Build();
        Masquerade(n);
        nf_conntrack_core_c.nf_ct_globals(n.T.K).nf_conntrack_max = 2;

        var (seen, replies, _) = UdpRoundTrips(n, [7000, 7001, 7002]);

        Assert.Equal(new[] { "10.0.2.1:7000", "10.0.2.1:7001" }, seen);
        Assert.Equal(new long[] { 3, 3, -Libc.EAGAIN }, replies);
        Assert.EndsWith("reason: NETFILTER_DROP", Assert.Single(Drops(n)), StringComparison.Ordinal);
        var log = printk_c.prb(n.T.K).Select(r => r.text).ToArray();
        Assert.Single(log, l => l.StartsWith("nf_conntrack: table full in netns ", StringComparison.Ordinal) && l.EndsWith(", dropping packet", StringComparison.Ordinal));

        var stat = nf_conntrack_standalone_c.ct_cpu_seq_show(n.R.Net).Split('\n');
        Assert.StartsWith("entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error", stat[0], StringComparison.Ordinal);
        var cpus = stat.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.All(cpus, c => Assert.Equal("00000002", c[0]));
        Assert.Equal(1, cpus.Sum(c => Convert.ToInt32(c[10], 16)));
        Assert.Equal(0, cpus.Sum(c => Convert.ToInt32(c[11], 16)));
        Assert.Equal(0, n.T.K.leaked_skbs());
    }

    // With the table full but a small hash (8 buckets, so early_drop's
    // eviction range covers it all), the oldest unassured entry is evicted
    // for the new flow: early_drop counts it and nothing is dropped.
    [Fact]
    public void early_drop_evicts_an_unassured_entry_to_make_room_for_a_new_flow()
    {
        var n = Build();
        Masquerade(n);
        var g = nf_conntrack_core_c.nf_ct_globals(n.T.K);
        g.nf_conntrack_max = 2;
        g.nf_conntrack_htable_size = 8;

        var (seen, replies, _) = UdpRoundTrips(n, [7000, 7001, 7002]);

        Assert.Equal(3, seen.Length);
        Assert.Equal(3, replies[2]);
        Assert.Empty(Drops(n));
        var cpus = nf_conntrack_standalone_c.ct_cpu_seq_show(n.R.Net).Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(1, cpus.Sum(c => Convert.ToInt32(c[11], 16)));
        Assert.Equal(0, cpus.Sum(c => Convert.ToInt32(c[10], 16)));
        Assert.Empty(printk_c.prb(n.T.K));
    }
    // The TCP tracker (nf_conntrack_proto_tcp.c) through a masquerading
    // router: SYN makes the entry SYN_SENT, the SYN-ACK SYN_RECV, the
    // handshake's ACK ESTABLISHED and ASSURED (432000 s); the client's close
    // takes it through FIN_WAIT and LAST_ACK to TIME_WAIT, whose 120 s the
    // real kernel showed for the same flow ("tcp      6 119 TIME_WAIT ...
    // [ASSURED] mark=0 zone=0 use=2", a second after the close).
    [Fact]
    public void a_tcp_flow_through_the_router_is_established_and_assured_then_time_wait_after_close()
    {
        var n = Build();
        Masquerade(n);
        string whileOpen = "";
        n.T.Spawn(n.B, "srv", 0, async libc =>
        {
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.2.2:9001")));
            Assert.Equal(0, await libc.Listen(fd, 4));
            var c = (int)await libc.Accept(fd);
            Assert.Equal(2, await libc.RecvFrom(c, new byte[10], 10, 0));
            Assert.Equal(0, await libc.RecvFrom(c, new byte[10], 10, 0));
            await libc.Close(c);
        });
        n.T.Spawn(n.A, "cli", 0, async libc =>
        {
            await libc.Sleep(10 * Ms);
            var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_STREAM, 0);
            Assert.Equal(0, await libc.Bind(fd, SockAddrIn.Parse("10.0.1.2:7001")));
            Assert.Equal(0, await libc.Connect(fd, SockAddrIn.Parse("10.0.2.2:9001")));
            Assert.Equal(2, await libc.SendTo(fd, [1, 2], 0, null));
            await libc.Sleep(100 * Ms);
            whileOpen = nf_conntrack_standalone_c.nf_conntrack_seq_show(n.R.Net);
            await libc.Close(fd);
        });
        n.T.Run(600 * Ms);

        Assert.Equal(
            "ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.1.2 dst=10.0.2.2 sport=7001 dport=9001 src=10.0.2.2 dst=10.0.2.1 sport=9001 dport=7001 [ASSURED] mark=0 zone=0 use=2\n",
            whileOpen);
        Assert.Equal(
            "ipv4     2 tcp      6 119 TIME_WAIT src=10.0.1.2 dst=10.0.2.2 sport=7001 dport=9001 src=10.0.2.2 dst=10.0.2.1 sport=9001 dport=7001 [ASSURED] mark=0 zone=0 use=2\n",
            nf_conntrack_standalone_c.nf_conntrack_seq_show(n.R.Net));
        Assert.DoesNotContain(Drops(n), d => d.EndsWith("reason: NETFILTER_DROP", StringComparison.Ordinal));
    }
}
