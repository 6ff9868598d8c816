// Ports net/netfilter/nf_conntrack_standalone.c: conntrack's /proc files —
// /proc/net/nf_conntrack (one line per connection, original direction
// first) and /proc/net/stat/nf_conntrack (the per-CPU counters, in hex).
//
// departure: the seq_file iterators (ct_seq_start/next/stop,
// ct_cpu_seq_start/next) are one walk each that builds the whole text.
// not ported: the sysctl table (nf_conntrack_max and friends are fields of
// the globals and of netns_ct), secctx (no LSM), accounting and timestamps
// (nf_conntrack_acct and nf_conntrack_timestamp are 0, so their fields are
// never printed), IPv6/GRE/SCTP tuples.
using System.Globalization;
using System.Text;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_tuple_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class nf_conntrack_standalone_c
{
    // net/netfilter/nf_conntrack_standalone.c: print_tuple
    /// <summary>"src=A dst=B " and the protocol's part: ports, or ICMP type, code and id.</summary>
    public static void print_tuple(StringBuilder s, in nf_conntrack_tuple tuple, byte l4proto)
    {
        if (tuple.src.l3num == Include.Linux.netfilter_h.NFPROTO_IPV4)
        {
            s.Append("src=").Append(ip4(tuple.src.u3)).Append(" dst=").Append(ip4(tuple.dst.u3)).Append(' ');
        }

        switch (l4proto)
        {
            case Include.Uapi.Linux.in_h.IPPROTO_ICMP:
                s.Append(CultureInfo.InvariantCulture, $"type={tuple.dst.icmp_type} code={tuple.dst.icmp_code} id={tuple.src.u} ");
                break;
            case Include.Uapi.Linux.in_h.IPPROTO_TCP:
            case Include.Uapi.Linux.in_h.IPPROTO_UDP:
                s.Append(CultureInfo.InvariantCulture, $"sport={tuple.src.u} dport={tuple.dst.u} ");
                break;
        }
    }

    /// <summary>%pI4 of an address the port keeps in host order.</summary>
    [NotInLinux("printf's %pI4 formatting")]
    private static string ip4(uint a) => string.Create(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}");

    // net/netfilter/nf_conntrack_standalone.c: l3proto_name
    private static string l3proto_name(ushort proto) => proto switch
    {
        Include.Linux.netfilter_h.NFPROTO_IPV4 => "ipv4",
        10 => "ipv6",
        _ => "unknown",
    };

    // net/netfilter/nf_conntrack_standalone.c: l4proto_name
    private static string l4proto_name(byte proto) => proto switch
    {
        Include.Uapi.Linux.in_h.IPPROTO_ICMP => "icmp",
        Include.Uapi.Linux.in_h.IPPROTO_TCP => "tcp",
        Include.Uapi.Linux.in_h.IPPROTO_UDP => "udp",
        47 => "gre",
        132 => "sctp",
        136 => "udplite",
        58 => "icmpv6",
        _ => "unknown",
    };

    // net/netfilter/nf_conntrack_standalone.c: ct_show_zone
    /// <summary>Every conntrack is in the default zone 0, printed once, for both directions ("zone=0 ").</summary>
    private static void ct_show_zone(StringBuilder s, nf_conn ct, bool default_dir)
    {
        // not ported: nf_ct_zone — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        _ = ct;
        if (default_dir)
        {
            s.Append("zone=0 ");
        }
    }

    // net/netfilter/nf_conntrack_standalone.c: ct_seq_show
    /// <summary>
    /// One connection's line, from its original-direction node (the reply
    /// node and other namespaces' entries print nothing; an expired entry is
    /// killed instead): family, protocol, seconds left, the TCP state, both
    /// tuples with [UNREPLIED]/[ASSURED], mark, zone and the reference count
    /// (which includes the reader's own).
    /// </summary>
    public static void ct_seq_show(StringBuilder s, net net, nf_conntrack_tuple_hash hash)
    {
        // not ported: net_eq — written out as ReferenceEquals of the two namespaces
        // not ported: nf_ct_l4proto_find — no l4proto table: the protocol number picks the name and TCP's state
        //   printer directly
        var ct = nf_ct_tuplehash_to_ctrack(hash);
        if (ct.use == 0)
        {
            return;
        }

        ct.use++;
        if (nf_ct_should_gc(ct))
        {
            nf_ct_kill(ct);
            goto release;
        }

        if (NF_CT_DIRECTION(hash) != ip_conntrack_dir.IP_CT_DIR_ORIGINAL || !ReferenceEquals(nf_ct_net(ct), net))
        {
            goto release;
        }

        var l4proto = nf_ct_protonum(ct);
        s.Append(CultureInfo.InvariantCulture, $"{l3proto_name(nf_ct_l3num(ct)),-8} {nf_ct_l3num(ct)} {l4proto_name(l4proto),-8} {l4proto} ");
        if ((ct.status & IPS_OFFLOAD) == 0)
        {
            s.Append(CultureInfo.InvariantCulture, $"{nf_ct_expires(ct) / (uint)Vmlinux.HZ} ");
        }

        if (l4proto == Include.Uapi.Linux.in_h.IPPROTO_TCP)
        {
            s.Append(nf_conntrack_proto_tcp_c.tcp_print_conntrack(ct));
        }

        print_tuple(s, ct.tuplehash[(int)ip_conntrack_dir.IP_CT_DIR_ORIGINAL].tuple, l4proto);

        // not ported: seq_print_acct — nf_conntrack_acct is 0, so there is no accounting extension.
        if ((ct.status & IPS_SEEN_REPLY) == 0)
        {
            s.Append("[UNREPLIED] ");
        }

        print_tuple(s, ct.tuplehash[(int)ip_conntrack_dir.IP_CT_DIR_REPLY].tuple, l4proto);
        if ((ct.status & IPS_HW_OFFLOAD) != 0)
        {
            s.Append("[HW_OFFLOAD] ");
        }
        else if ((ct.status & IPS_OFFLOAD) != 0)
        {
            s.Append("[OFFLOAD] ");
        }
        else if ((ct.status & IPS_ASSURED) != 0)
        {
            s.Append("[ASSURED] ");
        }

        s.Append(CultureInfo.InvariantCulture, $"mark={ct.mark} ");

        // not ported: ct_show_secctx (no LSM), ct_show_delta_time (nf_conntrack_timestamp is 0).
        ct_show_zone(s, ct, true);
        s.Append(CultureInfo.InvariantCulture, $"use={ct.use}\n");

    release:
        nf_ct_put(ct);
    }

    /// <summary>
    /// /proc/net/nf_conntrack of <paramref name="net"/>: ct_seq_show over
    /// every node of the table, bucket by bucket (ct_get_next's walk).
    /// </summary>
    [NotInLinux("the seq_file walk of ct_seq_start/ct_seq_next as one loop")]
    public static string nf_conntrack_seq_show(net net)
    {
        var s = new StringBuilder();
        foreach (var h in nf_conntrack_core_c.nf_ct_hash_nodes(net.k))
        {
            ct_seq_show(s, net, h);
        }

        return s.ToString();
    }

    // net/netfilter/nf_conntrack_standalone.c: ct_cpu_seq_show
    /// <summary>
    /// /proc/net/stat/nf_conntrack: the header, then one line per CPU of the
    /// namespace's counters in %08x, each line starting with the namespace's
    /// entry count (the same on every line); new, ignore and delete are
    /// always 0 in 6.18.
    /// </summary>
    public static string ct_cpu_seq_show(net net)
    {
        // not ported: nf_conntrack_count — written out as a read of the namespace's count
        var s = new StringBuilder("entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n");
        var nr_conntracks = (uint)nf_ct_pernet(net).count;
        foreach (var st in netns_ct.of(net).stat)
        {
            s.Append(CultureInfo.InvariantCulture,
                $"{nr_conntracks:x8}  {st.clash_resolve:x8} {st.found:x8} {0:x8} {st.invalid:x8} {0:x8} {0:x8} {st.chaintoolong:x8} " +
                $"{st.insert:x8} {st.insert_failed:x8} {st.drop:x8} {st.early_drop:x8} {st.error:x8}  {st.expect_new:x8} {st.expect_create:x8} {st.expect_delete:x8} {st.search_restart:x8}\n");
        }

        return s.ToString();
    }
}
