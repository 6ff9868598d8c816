// Ports net/ipv4/netfilter/ip_tables.c: walking an iptables chain for a
// packet at a hook (ipt_do_table) and registering a table's hooks.
//
// departure: a chain is a list of rules (built-in chains with a policy,
// user chains by name); a jump names its chain and ipt_do_table keeps a
// jump stack of (chain, position) pairs, where C keeps entry pointers into
// the table blob. Rules are added through ipt_new_chain/ipt_append_entry/
// ipt_set_policy (what `iptables -N`/`-A`/`-P` achieve with
// IPT_SO_SET_REPLACE), not through do_replace's blob; --goto is not ported.
// not ported: the sockopt interface (do_ipt_set_ctl/do_ipt_get_ctl), compat,
// table translation and checking, TRACE, per-CPU counters (one thread).
using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using KernelNet.Annotations;
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
        // not ported: ifname_compare_aligned — the names are compared as strings: no iniface_mask, so no `eth+` wildcards
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
    /// The hook function of every iptables table: walks the hook's chain;
    /// the first rule whose matches all hold (IP part, then tcp/udp ports,
    /// ctstate, length, statistic) counts the packet and acts: a standard
    /// verdict ends the walk, a jump pushes the position on the jump stack
    /// and enters the user chain, RETURN (or a user chain's end) pops back,
    /// and an extension target gives a verdict or XT_CONTINUE. The chain's
    /// end (or RETURN from it) falls to the policy. A fragment other than
    /// the first never matches a port rule. Runs in the hook's context
    /// (NET_RX softirq for INPUT, the sender for OUTPUT).
    /// </summary>
    [Borrows("skb")]
    public static uint ipt_do_table(object? priv, sk_buff skb, nf_hook_state state)
    {
        // not ported: get_entry, ipt_next_entry, ipt_get_target_c — a chain is a list walked by index (the header's
        //   departure): the entry is the list's element, its target the field e.target
        // not ported: trace_packet — no TRACE target (the header)
        // not ported: ip_hdrlen — field accessors: the port reads or sets these fields directly
        // not ported: smp_processor_id, xt_get_this_cpu_counter — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        // not ported: xt_write_recseq_begin, xt_write_recseq_end — one thread: no locks, RCU grace periods, BH or preemption to guard against
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

        // the jump stack: where each jump came from (a per-CPU array sized stacksize in C)
        var jumpstack = table.stacksize == 0 ? null : new (List<ipt_entry> chain, int idx)[table.stacksize];
        var stackidx = 0;
        var chain = table.entries[hook];
        var idx = 0;
        while (true)
        {
            ipt_entry e;
            if (idx >= chain.Count)
            {
                if (stackidx == 0)
                {
                    // the built-in chain's end: its policy
                    e = table.policy[hook];
                    e.pcnt++;
                    e.bcnt += (ulong)skb.len;
                    verdict = e.verdict;
                    break;
                }

                // a user chain's end: its implicit RETURN
                (chain, idx) = jumpstack![--stackidx];
                idx++;
                continue;
            }

            e = chain[idx];
            if (!ip_packet_match(ip, indev, outdev, e.ip, fragoff) || !ipt_entry_matches(skb, state, e, fragoff, thoff, ref hotdrop))
            {
                if (hotdrop)
                {
                    break;
                }

                idx++;
                continue;
            }

            e.pcnt++;
            e.bcnt += (ulong)skb.len;

            if (e.target is null)
            {
                // the standard target
                if (e.is_return)
                {
                    if (stackidx == 0)
                    {
                        e = table.policy[hook];
                        e.pcnt++;
                        e.bcnt += (ulong)skb.len;
                        verdict = e.verdict;
                        break;
                    }

                    (chain, idx) = jumpstack![--stackidx];
                    idx++;
                    continue;
                }

                if (e.jump is { } to)
                {
                    if (stackidx >= table.stacksize)
                    {
                        verdict = NF_DROP;
                        break;
                    }

                    jumpstack![stackidx++] = (chain, idx);
                    chain = table.chains[to];
                    idx = 0;
                    continue;
                }

                verdict = e.verdict;
                break;
            }

            var par = new xt_action_param { state = state, targinfo = e.target.targinfo, fragoff = fragoff, thoff = thoff };
            verdict = e.target.target.target(skb, par);
            if (verdict == x_tables_h.XT_CONTINUE)
            {
                // the target may have changed the header
                ip = Include.Linux.ip_h.ip_hdr(skb);
                idx++;
                continue;
            }

            break;
        }

        local_bh_enable(skb.k);
        return hotdrop ? NF_DROP : verdict;
    }

    /// <summary>The rule's matches after the IP part, in the order they were given (the xt_ematch_foreach loop).</summary>
    [NotInLinux("the xt_ematch_foreach loop over a rule's matches")]
    [Borrows("skb")]
    private static bool ipt_entry_matches(sk_buff skb, nf_hook_state state, ipt_entry e, int fragoff, int thoff, ref bool hotdrop)
    {
        if (e.ports is { } m && !Net.Netfilter.xt_tcpudp_c.tcpudp_mt(skb, e.ip.proto, m, fragoff, thoff, ref hotdrop))
        {
            return false;
        }

        if (e.conntrack is { } ct && !Net.Netfilter.xt_conntrack_c.conntrack_mt_v3(skb, ct))
        {
            return false;
        }

        if (e.length is { } len && !Net.Netfilter.xt_length_c.length_mt(skb, len))
        {
            return false;
        }

        if (e.statistic is { } stat && !Net.Netfilter.xt_statistic_c.statistic_mt(skb, stat))
        {
            return false;
        }

        _ = state;
        return true;
    }

    // not ported: xt_alloc_table_info, translate_table, xt_register_table, nf_register_net_hooks, __ipt_unregister_table,
    //   cleanup_entry, xt_free_table_info — the overload below does the work (see there)
    // net/ipv4/netfilter/ip_tables.c: ipt_register_table
    /// <summary>Hooks a table into its namespace at each of its valid hooks, with ipt_do_table as the hook function.</summary>
    public static int ipt_register_table(net net, xt_table table, int priority) =>
        ipt_register_table(net, table, priority, ipt_do_table);

    // net/ipv4/netfilter/ip_tables.c: ipt_register_table
    /// <summary>
    /// The same with the table's own hook function (mangle's wraps
    /// ipt_do_table), or, with <paramref name="hookfn"/> null, no hooks at all
    /// (the nat table: NAT runs it through its lookups).
    /// </summary>
    public static int ipt_register_table(net net, xt_table table, int priority, nf_hookfn? hookfn)
    {
        // not ported: xt_free_table_info — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: xt_alloc_table_info, translate_table, xt_register_table — the table is an object its caller built
        //   with its chains (the header: no blob to translate or check)
        // not ported: nf_register_net_hooks — written out: one nf_register_net_hook per valid hook
        // not ported: __ipt_unregister_table, cleanup_entry — the failure path: registering a hook cannot fail here
        table.net = net;
        if (hookfn is null)
        {
            return 0;
        }

        for (var h = 0; h < (int)nf_inet_hooks.NF_INET_NUMHOOKS; h++)
        {
            if ((table.valid_hooks & (1u << h)) == 0)
            {
                continue;
            }

            var ops = new nf_hook_ops(hookfn, NFPROTO_IPV4, (nf_inet_hooks)h, priority, table);
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
        find_check_entry(table, 1u << (int)hook, e);
        table.entries[(int)hook].Add(e);
    }

    /// <summary>`iptables -N CHAIN`: a new, empty user chain.</summary>
    [NotInLinux("what `iptables -N` achieves through IPT_SO_SET_REPLACE")]
    public static void ipt_new_chain(xt_table table, string chain)
    {
        if (!table.chains.TryAdd(chain, new List<ipt_entry>()))
        {
            throw new ArgumentException($"iptables: chain {chain} already exists in the {table.name} table");
        }
    }

    /// <summary>`iptables -A USERCHAIN RULE`: a rule in a user chain, reachable from any of the table's hooks.</summary>
    [KernelNet.Annotations.NotInLinux("iptables -A on a user chain, done in place on the table (iptables(8) replaces the whole table through IPT_SO_SET_REPLACE)")]
    public static void ipt_append_entry(xt_table table, string chain, ipt_entry e)
    {
        if (!table.chains.TryGetValue(chain, out var rules))
        {
            throw new ArgumentException($"iptables: no chain {chain} in the {table.name} table");
        }

        // not ported: mark_source_chains — a user chain's targets are checked against every hook of the table
        find_check_entry(table, table.valid_hooks, e);
        rules.Add(e);
    }

    // net/ipv4/netfilter/ip_tables.c: find_check_entry
    /// <summary>
    /// translate_table's checks as a rule goes in: a jump must name an
    /// existing user chain; each match's and the target's checkentry run
    /// (the conntrack match and the NAT targets take conntrack for the
    /// namespace there: nf_ct_netns_get).
    /// </summary>
    private static void find_check_entry(xt_table table, uint hook_mask, ipt_entry e)
    {
        // not ported: xt_percpu_counter_alloc, xt_percpu_counter_free — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: find_check_match, check_target — written out: each match's and the target's checkentry are
        //   called here by kind (the rule's fields); cleanup_match — a failed check throws: the rule is refused whole
        // not ported: xt_request_find_target, ipt_get_target — the target is an object the rule holds (field e.target):
        //   no lookup by name, no modules
        if (e.jump is { } to)
        {
            if (!table.chains.ContainsKey(to))
            {
                throw new ArgumentException($"iptables: no chain {to} in the {table.name} table to jump to");
            }

            table.stacksize++;
        }

        if (e.statistic is { } stat && Net.Netfilter.xt_statistic_c.statistic_mt_check(stat) != 0)
        {
            throw new ArgumentException("iptables: statistic match: unknown mode");
        }

        if (e.conntrack is { } ct && Net.Netfilter.xt_conntrack_c.conntrack_mt_check(table.net!, ct) != 0)
        {
            throw new ArgumentException("iptables: conntrack match: conntrack unavailable");
        }

        if (e.target is { } t)
        {
            var tg = t.target;
            if (tg.table is { } only && only != table.name)
            {
                throw new ArgumentException($"iptables: target {tg.name} is only valid in the {only} table");
            }

            if (tg.hooks != 0 && (hook_mask & ~tg.hooks) != 0 && (hook_mask & tg.hooks) == 0)
            {
                throw new ArgumentException($"iptables: target {tg.name} is not valid in this chain");
            }

            if (tg.checkentry is { } chk && chk(new xt_tgchk_param { net = table.net!, table = table.name, hook_mask = hook_mask, targinfo = t.targinfo }) != 0)
            {
                throw new ArgumentException($"iptables: target {tg.name}: checkentry failed");
            }
        }
    }

    /// <summary>`iptables -P CHAIN ACCEPT|DROP`.</summary>
    [KernelNet.Annotations.NotInLinux("what iptables -P does through IPT_SO_SET_REPLACE, done in place on the table")]
    public static void ipt_set_policy(xt_table table, nf_inet_hooks hook, uint verdict) =>
        table.policy[(int)hook] = new ipt_entry { verdict = verdict };

    /// <summary>Reads a big-endian port from the transport header (for xt_tcpudp), or -1 past the packet's end.</summary>
    [KernelNet.Annotations.NotInLinux("C# read of a TCP/UDP port for the match: C reads it through skb_header_pointer's struct")]
    [Borrows("skb")]
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
