// Ports net/ipv4/netfilter/ip_tables.c: walking an iptables chain for a
// packet at a hook (ipt_do_table) and registering a table's hooks.
//
// departure: a chain is a list of rules with standard targets (ACCEPT,
// DROP) and a policy; no user-defined chains, jumps, RETURN or extension
// targets, so ipt_do_table needs no jump stack. Rules are replaced through
// ipt_append_entry/ipt_set_policy (what `iptables -A`/`-P` achieve with
// IPT_SO_SET_REPLACE), not through do_replace's blob.
// not ported: the sockopt interface (do_ipt_set_ctl/do_ipt_get_ctl), compat,
// table translation and checking, TRACE, per-CPU counters (one thread).
using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using static KernelNet.Kernel.Include.Linux.bottom_half_h;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4.ip_tables_h;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

public static class ip_tables_c
{
    /// <summary>NF_INVF: the test result, flipped when the rule inverts that field.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for the NF_INVF macro of include/linux/netfilter/x_tables.h, whose port there is not written yet")]
    private static bool NF_INVF(ipt_ip ipinfo, byte flag, bool boolean) => boolean ^ ((ipinfo.invflags & flag) != 0);

    // net/ipv4/netfilter/ip_tables.c: ip_packet_match
    /// <summary>The rule's IP part: source and destination under their masks, interfaces, protocol, fragment flag.</summary>
    private static bool ip_packet_match(iphdr ip, string indev, string outdev, ipt_ip ipinfo, int isfrag)
    {
        if (NF_INVF(ipinfo, IPT_INV_SRCIP, (ip.saddr & ipinfo.smsk) != ipinfo.src) ||
            NF_INVF(ipinfo, IPT_INV_DSTIP, (ip.daddr & ipinfo.dmsk) != ipinfo.dst))
        {
            return false;
        }

        if (NF_INVF(ipinfo, IPT_INV_VIA_IN, ipinfo.iniface.Length != 0 && ipinfo.iniface != indev))
        {
            return false;
        }

        if (NF_INVF(ipinfo, IPT_INV_VIA_OUT, ipinfo.outiface.Length != 0 && ipinfo.outiface != outdev))
        {
            return false;
        }

        if (ipinfo.proto != 0 && NF_INVF(ipinfo, IPT_INV_PROTO, ip.protocol != ipinfo.proto))
        {
            return false;
        }

        if (NF_INVF(ipinfo, IPT_INV_FRAG, (ipinfo.flags & IPT_F_FRAG) != 0 && isfrag == 0))
        {
            return false;
        }

        return true;
    }

    // net/ipv4/netfilter/ip_tables.c: ipt_do_table
    /// <summary>
    /// The hook function of every iptables table: the first rule that
    /// matches (IP part, then its tcp/udp match) counts the packet and gives
    /// the verdict; otherwise the chain's policy does. A fragment other than
    /// the first never matches a port rule. Runs in the hook's context
    /// (NET_RX softirq for INPUT, the sender for OUTPUT).
    /// </summary>
    public static uint ipt_do_table(object? priv, sk_buff skb, nf_hook_state state)
    {
        var table = (xt_table)priv!;
        var hook = (int)state.hook;
        var ip = Include.Linux.ip_h.ip_hdr(skb);
        var indev = state.@in?.name ?? "";
        var outdev = state.@out?.name ?? "";
        var fragoff = ip.frag_off & Include.Uapi.Linux.ip_h.IP_OFFSET;
        var thoff = ip.ihl * 4;
        var hotdrop = false;
        var verdict = NF_DROP;

        // local_bh_disable + xt_write_recseq_begin: keep the table stable
        // against a replace on another CPU (a no-op on one thread).
        local_bh_disable(skb.k);
        ipt_entry? hit = null;
        foreach (var e in table.entries[hook])
        {
            if (!ip_packet_match(ip, indev, outdev, e.ip, fragoff))
            {
                continue;
            }

            if (e.ports is { } m && !Net.Netfilter.xt_tcpudp_c.tcpudp_mt(skb, e.ip.proto, m, fragoff, thoff, ref hotdrop))
            {
                if (hotdrop)
                {
                    break;
                }

                continue;
            }

            // the rule's further matches, in the order they were given
            if (e.length is { } len && !Net.Netfilter.xt_length_c.length_mt(skb, len))
            {
                continue;
            }

            if (e.statistic is { } stat && !Net.Netfilter.xt_statistic_c.statistic_mt(skb, stat))
            {
                continue;
            }

            hit = e;
            break;
        }

        if (!hotdrop)
        {
            hit ??= table.policy[hook];
            hit.pcnt++;
            hit.bcnt += (ulong)skb.len;
            verdict = hit.verdict;
        }

        local_bh_enable(skb.k);
        return hotdrop ? NF_DROP : verdict;
    }

    // net/ipv4/netfilter/ip_tables.c: ipt_register_table
    /// <summary>Hooks a table into its namespace at each of its valid hooks, with ipt_do_table as the hook function.</summary>
    public static int ipt_register_table(net net, xt_table table, int priority)
    {
        for (var h = 0; h < (int)nf_inet_hooks.NF_INET_NUMHOOKS; h++)
        {
            if ((table.valid_hooks & (1u << h)) == 0)
            {
                continue;
            }

            var ops = new nf_hook_ops(ipt_do_table, NFPROTO_IPV4, (nf_inet_hooks)h, priority, table);
            table.ops.Add(ops);
            Net.Netfilter.core_c.nf_register_net_hook(net, ops);
        }

        return 0;
    }

    /// <summary>
    /// `iptables -A CHAIN RULE`: appends <paramref name="e"/> to the chain of
    /// <paramref name="hook"/> (the kernel gets the whole new table through
    /// IPT_SO_SET_REPLACE; the effect on the packet path is the same).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("what iptables(8) does through IPT_SO_SET_REPLACE, done in place on the table")]
    public static void ipt_append_entry(xt_table table, nf_inet_hooks hook, ipt_entry e)
    {
        // translate_table's check_entry -> xt_check_match: a match's checkentry runs as the rule goes in.
        if (e.statistic is { } stat && Net.Netfilter.xt_statistic_c.statistic_mt_check(stat) != 0)
        {
            throw new ArgumentException("iptables: statistic match: unknown mode");
        }

        table.entries[(int)hook].Add(e);
    }

    /// <summary>`iptables -P CHAIN ACCEPT|DROP`.</summary>
    [KernelNet.Annotations.NotInLinux("what iptables -P does through IPT_SO_SET_REPLACE, done in place on the table")]
    public static void ipt_set_policy(xt_table table, nf_inet_hooks hook, uint verdict) =>
        table.policy[(int)hook] = new ipt_entry { verdict = verdict };

    /// <summary>Reads a big-endian port from the transport header (for xt_tcpudp), or -1 past the packet's end.</summary>
    [KernelNet.Annotations.NotInLinux("C# read of a TCP/UDP port for the match: C reads it through skb_header_pointer's struct")]
    internal static int read_port(sk_buff skb, int thoff, int at)
    {
        var off = skb.network_header + thoff + at;
        if (off + 2 > skb.tail)
        {
            return -1;
        }

        return BinaryPrimitives.ReadUInt16BigEndian(skb.head.AsSpan(off, 2));
    }
}
