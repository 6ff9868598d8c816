// Ports net/netfilter/nf_nat_proto.c: rewriting a packet to its NAT tuple —
// the address in the IP header, the port (TCP/UDP) or echo id (ICMP), with
// every checksum fixed up incrementally (RFC 1624) — and NAT's four IPv4
// hooks: DNAT at PRE_ROUTING and LOCAL_OUT (NF_IP_PRI_NAT_DST), SNAT at
// POST_ROUTING and LOCAL_IN (NF_IP_PRI_NAT_SRC). ICMP errors about a NATed
// connection have the quoted packet rewritten too.
//
// not ported: IPv6, SCTP, UDP-Lite, GRE, IPsec re-lookup (nf_xfrm_me_harder:
// no xfrm), and the re-route after DNAT of a locally generated packet
// (ip_route_me_harder in nf_nat_ipv4_local_fn; the scenario language refuses
// DNAT in the output chain).
using System;
using System.Buffers.Binary;
using System.Collections.Immutable;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.checksum_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_nat_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_tuple_common_h;
using static KernelNet.Kernel.Net.Core.utils_c;

namespace KernelNet.Kernel.Net.Netfilter;

public static class nf_nat_proto_c
{
    [NotInLinux("a writable view of the skb's bytes (C writes through the header pointer)")]
    [Borrows("skb")]
    private static Span<byte> at(sk_buff skb, int off, int len) => skb.head.AsSpan(skb.data + off, len);

    // net/netfilter/nf_nat_proto.c: __udp_manip_pkt
    [Borrows("skb")]
    private static void __udp_manip_pkt(sk_buff skb, int iphdroff, Span<byte> hdr, in nf_conntrack_tuple tuple, nf_nat_manip_type maniptype, bool do_csum)
    {
        var portoff = maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? 0 : 2;
        var newport = maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? tuple.src.u : tuple.dst.u;
        if (do_csum)
        {
            var check = BinaryPrimitives.ReadUInt16BigEndian(hdr[6..]);
            check = nf_csum_update(skb, iphdroff, check, tuple, maniptype);
            check = inet_proto_csum_replace2(check, skb, BinaryPrimitives.ReadUInt16BigEndian(hdr[portoff..]), newport, false);
            if (check == 0)
            {
                check = 0xffff; // CSUM_MANGLED_0
            }

            BinaryPrimitives.WriteUInt16BigEndian(hdr[6..], check);
        }

        BinaryPrimitives.WriteUInt16BigEndian(hdr[portoff..], newport);
    }

    // net/netfilter/nf_nat_proto.c: udp_manip_pkt
    [Borrows("skb")]
    private static bool udp_manip_pkt(sk_buff skb, int iphdroff, int hdroff, in nf_conntrack_tuple tuple, nf_nat_manip_type maniptype)
    {
        if (Core.skbuff_c.skb_ensure_writable(skb, hdroff + 8) != 0)
        {
            return false;
        }

        var hdr = at(skb, hdroff, 8);
        __udp_manip_pkt(skb, iphdroff, hdr, tuple, maniptype, BinaryPrimitives.ReadUInt16BigEndian(hdr[6..]) != 0);
        return true;
    }

    // net/netfilter/nf_nat_proto.c: tcp_manip_pkt
    /// <summary>Rewrites the port; the checksum only when the whole header is there (an ICMP error quotes just 8 bytes).</summary>
    [Borrows("skb")]
    private static bool tcp_manip_pkt(sk_buff skb, int iphdroff, int hdroff, in nf_conntrack_tuple tuple, nf_nat_manip_type maniptype)
    {
        var hdrsize = skb.len >= hdroff + 20 ? 20 : 8;
        if (Core.skbuff_c.skb_ensure_writable(skb, hdroff + hdrsize) != 0)
        {
            return false;
        }

        var hdr = at(skb, hdroff, hdrsize);
        var portoff = maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? 0 : 2;
        var newport = maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? tuple.src.u : tuple.dst.u;
        var oldport = BinaryPrimitives.ReadUInt16BigEndian(hdr[portoff..]);
        BinaryPrimitives.WriteUInt16BigEndian(hdr[portoff..], newport);
        if (hdrsize < 20)
        {
            return true;
        }

        var check = BinaryPrimitives.ReadUInt16BigEndian(hdr[16..]);
        check = nf_csum_update(skb, iphdroff, check, tuple, maniptype);
        check = inet_proto_csum_replace2(check, skb, oldport, newport, false);
        BinaryPrimitives.WriteUInt16BigEndian(hdr[16..], check);
        return true;
    }

    // net/netfilter/nf_nat_proto.c: icmp_manip_pkt
    /// <summary>A query's echo id becomes the tuple's (errors are left alone here).</summary>
    [Borrows("skb")]
    private static bool icmp_manip_pkt(sk_buff skb, int iphdroff, int hdroff, in nf_conntrack_tuple tuple, nf_nat_manip_type maniptype)
    {
        _ = iphdroff;
        _ = maniptype;
        if (Core.skbuff_c.skb_ensure_writable(skb, hdroff + 8) != 0)
        {
            return false;
        }

        var hdr = at(skb, hdroff, 8);
        switch (hdr[0])
        {
            case Include.Uapi.Linux.icmp_h.ICMP_ECHO:
            case Include.Uapi.Linux.icmp_h.ICMP_ECHOREPLY:
            case Include.Uapi.Linux.icmp_h.ICMP_TIMESTAMP:
            case Include.Uapi.Linux.icmp_h.ICMP_TIMESTAMPREPLY:
            case Include.Uapi.Linux.icmp_h.ICMP_INFO_REQUEST:
            case Include.Uapi.Linux.icmp_h.ICMP_INFO_REPLY:
            case Include.Uapi.Linux.icmp_h.ICMP_ADDRESS:
            case Include.Uapi.Linux.icmp_h.ICMP_ADDRESSREPLY:
                break;
            default:
                return true;
        }

        var check = BinaryPrimitives.ReadUInt16BigEndian(hdr[2..]);
        check = inet_proto_csum_replace2(check, skb, BinaryPrimitives.ReadUInt16BigEndian(hdr[4..]), tuple.src.u, false);
        BinaryPrimitives.WriteUInt16BigEndian(hdr[2..], check);
        BinaryPrimitives.WriteUInt16BigEndian(hdr[4..], tuple.src.u);
        return true;
    }

    // not ported: sctp_manip_pkt, udplite_manip_pkt, gre_manip_pkt, icmpv6_manip_pkt — no SCTP, UDP-Lite, GRE or
    //   IPv6 (see the header): other protocols pass unchanged
    // net/netfilter/nf_nat_proto.c: l4proto_manip_pkt
    [Borrows("skb")]
    private static bool l4proto_manip_pkt(sk_buff skb, int iphdroff, int hdroff, in nf_conntrack_tuple tuple, nf_nat_manip_type maniptype) =>
        tuple.dst.protonum switch
        {
            in_h.IPPROTO_TCP => tcp_manip_pkt(skb, iphdroff, hdroff, tuple, maniptype),
            in_h.IPPROTO_UDP => udp_manip_pkt(skb, iphdroff, hdroff, tuple, maniptype),
            in_h.IPPROTO_ICMP => icmp_manip_pkt(skb, iphdroff, hdroff, tuple, maniptype),
            _ => true,
        };

    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_manip_pkt
    /// <summary>Rewrites the transport side, then the IP address with its header checksum.</summary>
    [Borrows("skb")]
    private static bool nf_nat_ipv4_manip_pkt(sk_buff skb, int iphdroff, in nf_conntrack_tuple target, nf_nat_manip_type maniptype)
    {
        if (Core.skbuff_c.skb_ensure_writable(skb, iphdroff + 20) != 0)
        {
            return false;
        }

        var hdroff = iphdroff + (at(skb, iphdroff, 1)[0] & 0x0f) * 4;
        if (!l4proto_manip_pkt(skb, iphdroff, hdroff, target, maniptype))
        {
            return false;
        }

        var iph = new iphdr(at(skb, iphdroff, 20));
        if (maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC)
        {
            iph.check = csum_replace4(iph.check, iph.saddr, target.src.u3);
            iph.saddr = target.src.u3;
        }
        else
        {
            iph.check = csum_replace4(iph.check, iph.daddr, target.dst.u3);
            iph.daddr = target.dst.u3;
        }

        return true;
    }

    // net/netfilter/nf_nat_proto.c: nf_nat_manip_pkt
    /// <summary>Makes the packet look like the inverse of the other direction's tuple. NF_DROP when it cannot be written.</summary>
    [Borrows("skb")]
    public static uint nf_nat_manip_pkt(sk_buff skb, nf_conn ct, nf_nat_manip_type mtype, ip_conntrack_dir dir)
    {
        // not ported: nf_nat_ipv6_manip_pkt — no IPv6
        nf_conntrack_core_c.nf_ct_invert_tuple(out var target, ct.tuplehash[1 - (int)dir].tuple);
        if (target.src.l3num == NFPROTO_IPV4 && nf_nat_ipv4_manip_pkt(skb, 0, target, mtype))
        {
            return NF_ACCEPT;
        }

        return NF_DROP;
    }

    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_csum_update
    /// <summary>The pseudo-header part of a transport checksum follows the address change.</summary>
    [Borrows("skb")]
    private static ushort nf_nat_ipv4_csum_update(sk_buff skb, int iphdroff, ushort check, in nf_conntrack_tuple t, nf_nat_manip_type maniptype)
    {
        var iph = new iphdr(at(skb, iphdroff, 20));
        uint oldip, newip;
        if (maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC)
        {
            oldip = iph.saddr;
            newip = t.src.u3;
        }
        else
        {
            oldip = iph.daddr;
            newip = t.dst.u3;
        }

        return inet_proto_csum_replace4(check, skb, oldip, newip, true);
    }

    // not ported: nf_nat_ipv6_csum_update — no IPv6
    // net/netfilter/nf_nat_proto.c: nf_csum_update
    [Borrows("skb")]
    private static ushort nf_csum_update(sk_buff skb, int iphdroff, ushort check, in nf_conntrack_tuple t, nf_nat_manip_type maniptype) =>
        t.src.l3num == NFPROTO_IPV4 ? nf_nat_ipv4_csum_update(skb, iphdroff, check, t, maniptype) : check;

    // net/netfilter/nf_nat_proto.c: nf_nat_icmp_reply_translation
    /// <summary>
    /// An ICMP error about a NATed connection: the quoted packet gets the
    /// other direction's mapping, the ICMP checksum is recomputed, and the
    /// outer header is rewritten like a reply. 0 drops.
    /// </summary>
    [Borrows("skb")]
    public static int nf_nat_icmp_reply_translation(sk_buff skb, nf_conn ct, ip_conntrack_info ctinfo, nf_inet_hooks hooknum)
    {
        var dir = CTINFO2DIR(ctinfo);
        var manip = HOOK2MANIP(hooknum);
        var hdrlen = Include.Net.ip_h.ip_hdrlen(skb);
        if (Core.skbuff_c.skb_ensure_writable(skb, hdrlen + 8 + 20) != 0)
        {
            return 0;
        }

        if (utils_c.nf_ip_checksum(skb, hooknum, hdrlen, in_h.IPPROTO_ICMP) != 0)
        {
            return 0;
        }

        var icmptype = at(skb, hdrlen, 1)[0];
        if (icmptype == Include.Uapi.Linux.icmp_h.ICMP_REDIRECT)
        {
            if ((ct.status & IPS_NAT_DONE_MASK) != IPS_NAT_DONE_MASK || (ct.status & IPS_NAT_MASK) != 0)
            {
                return 0;
            }
        }

        var statusbit = manip == nf_nat_manip_type.NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
        if (dir == ip_conntrack_dir.IP_CT_DIR_REPLY)
        {
            statusbit ^= IPS_NAT_MASK;
        }

        if ((ct.status & statusbit) == 0)
        {
            return 1;
        }

        var inner_manip = manip == nf_nat_manip_type.NF_NAT_MANIP_SRC ? nf_nat_manip_type.NF_NAT_MANIP_DST : nf_nat_manip_type.NF_NAT_MANIP_SRC;
        if (!nf_nat_ipv4_manip_pkt(skb, hdrlen + 8, ct.tuplehash[1 - (int)dir].tuple, inner_manip))
        {
            return 0;
        }

        if (skb.ip_summed != skbuff_h.CHECKSUM_PARTIAL)
        {
            var icmp = at(skb, hdrlen, skb.len - hdrlen);
            BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], csum_fold(Core.skbuff_c.skb_checksum(skb, hdrlen, skb.len - hdrlen, 0)));
        }

        nf_conntrack_core_c.nf_ct_invert_tuple(out var target, ct.tuplehash[1 - (int)dir].tuple);
        target.dst.protonum = in_h.IPPROTO_ICMP;
        if (!nf_nat_ipv4_manip_pkt(skb, 0, target, manip))
        {
            return 0;
        }

        return 1;
    }

    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_fn
    [Borrows("skb")]
    private static uint nf_nat_ipv4_fn(object? priv, sk_buff skb, nf_hook_state state)
    {
        var ct = nf_ct_get(skb, out var ctinfo);
        if (ct is null)
        {
            return NF_ACCEPT;
        }

        if ((ctinfo == ip_conntrack_info.IP_CT_RELATED || ctinfo == ip_conntrack_info.IP_CT_RELATED_REPLY) &&
            Include.Linux.ip_h.ip_hdr(skb).protocol == in_h.IPPROTO_ICMP)
        {
            return nf_nat_icmp_reply_translation(skb, ct, ctinfo, state.hook) == 0 ? NF_DROP : NF_ACCEPT;
        }

        return nf_nat_core_c.nf_nat_inet_fn(priv, skb, state);
    }

    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_pre_routing
    /// <summary>DNAT before routing; a changed destination drops the route the packet may already carry.</summary>
    [Borrows("skb")]
    private static uint nf_nat_ipv4_pre_routing(object? priv, sk_buff skb, nf_hook_state state)
    {
        var daddr = Include.Linux.ip_h.ip_hdr(skb).daddr;
        var ret = nf_nat_ipv4_fn(priv, skb, state);
        if (ret == NF_ACCEPT && daddr != Include.Linux.ip_h.ip_hdr(skb).daddr)
        {
            Include.Net.dst_h.skb_dst_drop(skb);
        }

        return ret;
    }

    // net/netfilter/nf_nat_proto.c: nf_nat_inet_port_was_mangled
    [Borrows("skb")]
    private static bool nf_nat_inet_port_was_mangled(sk_buff skb, ushort sport)
    {
        var ct = nf_ct_get(skb, out var ctinfo);
        if (ct is null || nf_ct_protonum(ct) is not (in_h.IPPROTO_TCP or in_h.IPPROTO_UDP))
        {
            return false;
        }

        var dir = CTINFO2DIR(ctinfo);
        if (dir != ip_conntrack_dir.IP_CT_DIR_ORIGINAL)
        {
            return false;
        }

        return ct.tuplehash[1 - (int)dir].tuple.dst.u != sport;
    }

    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_local_in
    /// <summary>SNAT on delivery; a socket early demux found for the old source is let go.</summary>
    [Borrows("skb")]
    private static uint nf_nat_ipv4_local_in(object? priv, sk_buff skb, nf_hook_state state)
    {
        // not ported: inet_sk_transparent — IP_TRANSPARENT is not ported: no socket is transparent
        var saddr = Include.Linux.ip_h.ip_hdr(skb).saddr;
        var sk = skb.sk;
        var ret = nf_nat_ipv4_fn(priv, skb, state);
        if (ret != NF_ACCEPT || sk is null)
        {
            return ret;
        }

        if (saddr != Include.Linux.ip_h.ip_hdr(skb).saddr ||
            nf_nat_inet_port_was_mangled(skb, Include.Net.inet_sock_h.inet_sk(sk).inet_dport))
        {
            skbuff_h.skb_orphan(skb);
        }

        return ret;
    }

    // not ported: nf_ct_get, CTINFO2DIR, NF_DROP_ERR — the IPsec re-lookup after SNAT (nf_xfrm_me_harder): no xfrm
    //   (see the header)
    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_out
    [Borrows("skb")]
    private static uint nf_nat_ipv4_out(object? priv, sk_buff skb, nf_hook_state state) =>
        nf_nat_ipv4_fn(priv, skb, state);

    // not ported: nf_ct_get, CTINFO2DIR, NF_DROP_ERR — the re-route after DNAT (ip_route_me_harder) and the IPsec
    //   re-lookup: see the header
    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_local_fn
    /// <summary>DNAT of a locally generated packet (its re-routing is not ported; see the file header).</summary>
    [Borrows("skb")]
    private static uint nf_nat_ipv4_local_fn(object? priv, sk_buff skb, nf_hook_state state) =>
        nf_nat_ipv4_fn(priv, skb, state);

    /// <summary>nf_nat_ipv4_ops: NAT's hooks, in the order nf_nat_register_fn indexes them.</summary>
    private static readonly ImmutableArray<nf_hook_ops> nf_nat_ipv4_ops = ImmutableArray.Create(
        new nf_hook_ops(nf_nat_ipv4_pre_routing, NFPROTO_IPV4, nf_inet_hooks.NF_INET_PRE_ROUTING, netfilter_ipv4_h.NF_IP_PRI_NAT_DST),
        new nf_hook_ops(nf_nat_ipv4_out, NFPROTO_IPV4, nf_inet_hooks.NF_INET_POST_ROUTING, netfilter_ipv4_h.NF_IP_PRI_NAT_SRC),
        new nf_hook_ops(nf_nat_ipv4_local_fn, NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_OUT, netfilter_ipv4_h.NF_IP_PRI_NAT_DST),
        new nf_hook_ops(nf_nat_ipv4_local_in, NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_IN, netfilter_ipv4_h.NF_IP_PRI_NAT_SRC));

    // net/netfilter/nf_nat_proto.c: nf_nat_ipv4_register_fn
    /// <summary>A nat table's hook joins NAT's lookups (registering NAT's hooks in the namespace the first time).</summary>
    public static int nf_nat_ipv4_register_fn(net net, nf_hook_ops ops) =>
        nf_nat_core_c.nf_nat_register_fn(net, ops.pf, ops, nf_nat_ipv4_ops, nf_nat_ipv4_ops.Length);
}
