using System;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using KernelNet.Kernel.Net.Ipv4.Netfilter;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Net.Ipv4.Netfilter;

/// <summary>ip_tables.c: ipt_do_table's walk through user chains (jumps, RETURN, a user chain's implicit return).</summary>
public sealed class ip_tables_tests
{
    private static ipt_entry Udp(ushort dport, uint verdict = 0, string? jump = null, bool ret = false) => new()
    {
        ip = new ipt_ip { proto = 17 },
        ports = new xt_ports { dpts_lo = dport, dpts_hi = dport },
        verdict = verdict,
        jump = jump,
        is_return = ret,
    };

    // INPUT: -p udp -j CHK, then -p udp --dport 9002 -j DROP.
    // CHK:   --dport 9000 -j DROP, --dport 9001 -j RETURN, --dport 9001 -j DROP (never reached).
    // 9000 dies in CHK; 9001 returns to INPUT after the jump and is delivered; 9002 falls off
    // CHK's end (its implicit RETURN) and meets INPUT's second rule. Each rule counts what it
    // matched, the jump rule included.
    [Fact]
    public void a_jump_enters_the_user_chain_and_return_or_its_end_resumes_after_the_jump()
    {
        var n = TwoHosts.OnVeth();
        iptable_filter_c.iptables_new_chain(n.B.Net, "CHK");
        iptable_filter_c.iptables_append(n.B.Net, "INPUT", new ipt_entry { ip = new ipt_ip { proto = 17 }, jump = "CHK" });
        iptable_filter_c.iptables_append(n.B.Net, "INPUT", Udp(9002, netfilter_h.NF_DROP));
        iptable_filter_c.iptables_append(n.B.Net, "CHK", Udp(9000, netfilter_h.NF_DROP));
        iptable_filter_c.iptables_append(n.B.Net, "CHK", Udp(9001, ret: true));
        iptable_filter_c.iptables_append(n.B.Net, "CHK", Udp(9001, netfilter_h.NF_DROP));
        n.T.K.trace.set_event("skb:kfree_skb");

        for (var i = 0; i < 3; i++)
        {
            Inject.Frame(n.T, n.B, n.VethB, Frames.Udp(n.VethB.dev_addr, n.VethA.dev_addr, 0x0a000001, 0x0a000002, 7000, (ushort)(9000 + i), [1, 2, 3]), at: (i + 1) * 1_000_000);
        }

        n.T.Run(10_000_000);

        var drops = n.T.K.trace.entries.Where(e => e.Event == "kfree_skb" && e.Text.Contains("protocol=2048", StringComparison.Ordinal)).Select(e => e.Text).ToArray();
        Assert.Equal(3, drops.Length);
        Assert.Equal(2, drops.Count(d => d.EndsWith("reason: NETFILTER_DROP", StringComparison.Ordinal)));
        Assert.Single(drops, d => d.EndsWith("reason: NO_SOCKET", StringComparison.Ordinal));
        var table = netns_ipv4.of(n.B.Net).iptable_filter!;
        var input = table.entries[(int)nf_inet_hooks.NF_INET_LOCAL_IN];
        Assert.Equal(new ulong[] { 3, 1 }, input.Select(e => e.pcnt).ToArray());
        Assert.Equal(new ulong[] { 1, 1, 0 }, table.chains["CHK"].Select(e => e.pcnt).ToArray());
        Assert.Equal(1ul, table.policy[(int)nf_inet_hooks.NF_INET_LOCAL_IN].pcnt);
    }

    // translate_table refuses a jump to a chain that does not exist.
    [Fact]
    public void a_jump_to_a_missing_chain_is_refused()
    {
        var n = TwoHosts.OnVeth();
        var e = Assert.Throws<ArgumentException>(() => iptable_filter_c.iptables_append(n.B.Net, "INPUT", new ipt_entry { jump = "NOPE" }));
        Assert.Contains("NOPE", e.Message, StringComparison.Ordinal);
    }
}
