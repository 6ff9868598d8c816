// Ports net/netfilter/nf_conntrack_proto_icmp.c: ICMP queries are tracked by
// id (echo and its reply are one connection, 30 s); ICMP errors are matched
// to the connection they quote and marked RELATED.
//
// not ported: the netlink tuple interface.
using System;
using System.Buffers.Binary;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Uapi.Linux.icmp_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class nf_conntrack_proto_icmp_c
{
    // net/netfilter/nf_conntrack_proto_icmp.c: icmp_pkt_to_tuple
    /// <summary>type and code go in dst.u, the echo id in src.u.</summary>
    [Borrows("skb")]
    public static bool icmp_pkt_to_tuple(sk_buff skb, int dataoff, net net, ref nf_conntrack_tuple tuple)
    {
        _ = net;
        Span<byte> buf = stackalloc byte[8];
        var hp = skbuff_h.skb_header_pointer(skb, dataoff, 8, buf);
        if (hp.IsEmpty)
        {
            return false;
        }

        tuple.dst.u = (ushort)((hp[0] << 8) | hp[1]);
        tuple.src.u = BinaryPrimitives.ReadUInt16BigEndian(hp[4..]);
        return true;
    }

    /// <summary>invmap: a query type's reply type, plus 1 (0: none).</summary>
    [NotInLinux("the static invmap array of icmp_pkt_to_tuple's inverse types")]
    private static byte invmap(byte type) => type switch
    {
        ICMP_ECHO => ICMP_ECHOREPLY + 1,
        ICMP_ECHOREPLY => ICMP_ECHO + 1,
        ICMP_TIMESTAMP => ICMP_TIMESTAMPREPLY + 1,
        ICMP_TIMESTAMPREPLY => ICMP_TIMESTAMP + 1,
        ICMP_INFO_REQUEST => ICMP_INFO_REPLY + 1,
        ICMP_INFO_REPLY => ICMP_INFO_REQUEST + 1,
        ICMP_ADDRESS => ICMP_ADDRESSREPLY + 1,
        ICMP_ADDRESSREPLY => ICMP_ADDRESS + 1,
        _ => 0,
    };

    // net/netfilter/nf_conntrack_proto_icmp.c: nf_conntrack_invert_icmp_tuple
    public static bool nf_conntrack_invert_icmp_tuple(ref nf_conntrack_tuple tuple, in nf_conntrack_tuple orig)
    {
        var inv = invmap(orig.dst.icmp_type);
        if (inv == 0)
        {
            return false;
        }

        tuple.src.u = orig.src.u;
        tuple.dst.u = (ushort)(((inv - 1) << 8) | orig.dst.icmp_code);
        return true;
    }

    // net/netfilter/nf_conntrack_proto_icmp.c: nf_conntrack_icmp_packet
    /// <summary>Only a query may open an ICMP connection; every packet refreshes it to 30 s.</summary>
    [Borrows("skb")]
    public static int nf_conntrack_icmp_packet(nf_conn ct, sk_buff skb, ip_conntrack_info ctinfo, nf_hook_state state)
    {
        // not ported: nf_ct_timeout_lookup — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_icmp_pernet — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_dump_tuple_ip — a pr_debug dump of the refused tuple: no kernel debug log
        if (state.pf != NFPROTO_IPV4)
        {
            return -(int)NF_ACCEPT;
        }

        var type = ct.tuplehash[0].tuple.dst.icmp_type;
        if (type is not (ICMP_ECHO or ICMP_TIMESTAMP or ICMP_INFO_REQUEST or ICMP_ADDRESS))
        {
            return -(int)NF_ACCEPT;
        }

        nf_ct_refresh_acct(ct, ctinfo, skb, netns_ct.of(nf_ct_net(ct)).icmp_timeout);
        return (int)NF_ACCEPT;
    }

    // net/netfilter/nf_conntrack_proto_icmp.c: nf_conntrack_inet_error
    /// <summary>
    /// An ICMP error quoting a packet of a known connection gets that
    /// connection (RELATED, or RELATED_REPLY from the reply side), provided
    /// the outer destination is where that direction goes.
    /// </summary>
    [Borrows("skb")]
    public static int nf_conntrack_inet_error(sk_buff skb, int dataoff, nf_hook_state state, byte l4proto, uint outer_daddr)
    {
        // not ported: nf_ct_zone_tmpl — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_l4proto_log_invalid — it logs only when net.netfilter.nf_conntrack_log_invalid is set, and the port keeps it at its default 0 (sysctl_log_invalid, never written): nothing is logged
        // not ported: nf_inet_addr_cmp — IPv4 only: written out as an equality of the two addresses
        // not ported: skb_nfct — field accessors: the port reads or sets these fields directly
        _ = l4proto;
        if (!nf_conntrack_core_c.nf_ct_get_tuplepr(skb, dataoff, state.pf, state.net, out var origtuple))
        {
            return -(int)NF_ACCEPT;
        }

        // the quoted packet went the other way: invert to find its entry
        if (!nf_conntrack_core_c.nf_ct_invert_tuple(out var innertuple, origtuple))
        {
            return -(int)NF_ACCEPT;
        }

        var h = nf_conntrack_core_c.nf_conntrack_find_get(state.net, innertuple);
        if (h is null)
        {
            return -(int)NF_ACCEPT;
        }

        var ct = nf_ct_tuplehash_to_ctrack(h);
        var dir = nf_conntrack_tuple_h.NF_CT_DIRECTION(h);
        if (outer_daddr != ct.tuplehash[(int)dir].tuple.dst.u3)
        {
            nf_ct_put(ct);
            return -(int)NF_ACCEPT;
        }

        var ctinfo = ip_conntrack_info.IP_CT_RELATED;
        if (dir == ip_conntrack_dir.IP_CT_DIR_REPLY)
        {
            ctinfo += (int)ip_conntrack_info.IP_CT_IS_REPLY;
        }

        nf_ct_set(skb, ct, ctinfo);
        return (int)NF_ACCEPT;
    }

    // net/netfilter/nf_conntrack_proto_icmp.c: nf_conntrack_icmpv4_error
    /// <summary>Checks the ICMP header (and its checksum at PRE_ROUTING); an error message goes to nf_conntrack_inet_error.</summary>
    [Borrows("skb")]
    public static int nf_conntrack_icmpv4_error(sk_buff skb, int dataoff, nf_hook_state state)
    {
        // not ported: icmp_error_log — it logs only when net.netfilter.nf_conntrack_log_invalid is set, and the port keeps it at its default 0 (sysctl_log_invalid, never written): nothing is logged
        Span<byte> buf = stackalloc byte[8];
        var icmph = skbuff_h.skb_header_pointer(skb, dataoff, 8, buf);
        if (icmph.IsEmpty)
        {
            return -(int)NF_ACCEPT;
        }

        if (netns_ct.of(state.net).sysctl_checksum != 0 && state.hook == nf_inet_hooks.NF_INET_PRE_ROUTING &&
            utils_c.nf_ip_checksum(skb, state.hook, dataoff, Include.Uapi.Linux.in_h.IPPROTO_ICMP) != 0)
        {
            return -(int)NF_ACCEPT;
        }

        var type = icmph[0];
        if (type > NR_ICMP_TYPES)
        {
            return -(int)NF_ACCEPT;
        }

        // icmp_is_err
        if (type is not (ICMP_DEST_UNREACH or ICMP_SOURCE_QUENCH or ICMP_TIME_EXCEEDED or ICMP_PARAMETERPROB or ICMP_REDIRECT))
        {
            return (int)NF_ACCEPT;
        }

        var outer_daddr = Include.Linux.ip_h.ip_hdr(skb).daddr;
        dataoff += 8;
        return nf_conntrack_inet_error(skb, dataoff, state, Include.Uapi.Linux.in_h.IPPROTO_ICMP, outer_daddr);
    }

    // net/netfilter/nf_conntrack_proto_icmp.c: nf_conntrack_icmp_init_net
    public static void nf_conntrack_icmp_init_net(net net, netns_ct ct)
    {
        // not ported: nf_icmp_pernet — field accessors: the port reads or sets these fields directly
        _ = net;
        ct.icmp_timeout = 30 * (uint)Vmlinux.HZ;
    }
}
