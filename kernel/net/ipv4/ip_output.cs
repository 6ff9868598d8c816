// Ports net/ipv4/ip_output.c: sending IPv4 — LOCAL_OUT and POSTROUTING,
// fragmentation above the MTU (TX-3, TX-11), the next hop's neighbour, and
// building datagrams for UDP (ip_make_skb) with the user's data copied in
// (TX-1's first copy for UDP).
//
// A datagram above the MTU is built as IP-fragment-sized skbs, chained on
// the first one's frag_list (__ip_append_data, __ip_make_skb), which
// ip_do_fragment's fast path sends as the fragments themselves; the slow
// path copies into new skbs when that geometry does not hold. TCP sends
// through ip_queue_xmit on its connected socket's route; resets without a
// socket through ip_send_unicast_reply on the namespace's control socket.
// On a device with NETIF_F_SG (loopback, veth), a fragment too big for
// SKB_MAX_ALLOC is built paged: headers in the head, the payload copied into
// page frags from the socket's page_frag, as 6.18 does.
// A first skb that will not be fragmented, on a device that sums
// (NETIF_F_HW_CSUM or NETIF_F_IP_CSUM: lo, veth), is CHECKSUM_PARTIAL
// (__ip_append_data's csummode): udp4_hwcsum leaves the payload sum to the
// device, skb_checksum_help fills it in where a device cannot
// (validate_xmit_skb) or before ip_do_fragment cuts it, and the reader on lo
// or a veth peer takes it as verified, as 6.18 does.
// not ported: corking across calls (MSG_MORE/UDP_CORK), IP options from
// the socket (IP_OPTIONS: only an ICMP reply's echoed options are built),
// rerouting in ip_queue_xmit when the
// cached route is gone, the socket's wmem charge of UDP's skbs being sent.
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Include.Net.neighbour_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct ip_reply_arg: a reply built from a received packet (TCP's RST and ACK without a socket).</summary>
public sealed class ip_reply_arg
{
    /// <summary>iov[0]: the transport header to send.</summary>
    public required byte[] iov { get; init; }

    /// <summary>csum: the pseudo-header sum the transport checksum starts from.</summary>
    public uint csum { get; set; }

    /// <summary>csumoffset: where the checksum goes, in 16-bit words.</summary>
    public int csumoffset { get; init; }

    public int bound_dev_if { get; init; }

    public byte tos { get; init; }

    public uint flags { get; init; }
}

/// <summary>getfrag: copies <paramref name="len"/> bytes of the payload from <paramref name="offset"/> into <paramref name="to"/>.</summary>
public delegate int ip_getfrag(object? from, Span<byte> to, int offset, int len, int odd, sk_buff skb);

public static class ip_output_c
{
    private const int SOCK_RAW = 3;
    private const int IPPROTO_ICMP = 1;

    // net/ipv4/ip_output.c: ip_send_check
    /// <summary>Recomputes the header checksum after the header changed.</summary>
    public static void ip_send_check(iphdr iph)
    {
        iph.check = 0;
        iph.check = checksum_h.ip_fast_csum(iph.bytes, iph.ihl);
    }

    // net/ipv4/ip_output.c: __ip_local_out
    /// <summary>Finishes the header (length, checksum) and runs NF_INET_LOCAL_OUT; 1 means "go on to dst_output".</summary>
    [Consumes("skb", UnlessReturns = 1)]
    private static int __ip_local_out(net net, sock? sk, sk_buff skb)
    {
        // not ported: l3mdev_ip_out — no VRF (l3mdev) devices in the simulation
        // not ported: skb_dst_dev — field accessors: the port reads or sets these fields directly
        // not ported: iph_set_totlen — written out: the tot_len write (no BIG TCP: a packet is never above 64 KB)
        var iph = ip_hdr(skb);
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTREQUESTS);
        iph.tot_len = (ushort)skb.len;
        ip_send_check(iph);
        skb.protocol = if_ether_h.ETH_P_IP;
        return nf_hook(NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_OUT, net, sk, skb, null, skb_dst(skb)!.dev, dst_output);
    }

    // net/ipv4/ip_output.c: ip_local_out
    /// <summary>Sends a locally built packet: LOCAL_OUT, then the route's output (ip_output). Consumes the skb.</summary>
    [Consumes("skb")]
    public static int ip_local_out(net net, sock? sk, sk_buff skb)
    {
        var err = __ip_local_out(net, sk, skb);
        if (err == 1)
        {
            err = dst_output(net, sk, skb);
        }

        return err;
    }

    // net/ipv4/ip_output.c: ip_finish_output2
    /// <summary>Finds (or creates) the next hop's neighbour and hands the packet to it (TX-4).</summary>
    [Consumes("skb")]
    private static int ip_finish_output2(net net, sock? sk, sk_buff skb)
    {
        // not ported: dst_dev, dst_rtable, skb_dst, skb_headroom — field accessors: the port reads or sets these fields directly
        // not ported: lwtunnel_xmit, lwtunnel_xmit_redirect — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // not ported: net_dbg_ratelimited — a debug-level message, off unless dynamic debug enables it: nothing is logged
        // not ported: LL_RESERVED_SPACE, skb_expand_head — no headroom check: every skb the port sends was built or
        //   received with room for the link header (NET_SKB_PAD); sock_confirm_neigh — MSG_CONFIRM and TCP's neighbour
        //   confirmation (sk_dst_pending_confirm) are not ported: ARP entries age on the neighbour timers alone
        var rt = skb_rtable(skb)!;
        var dev = rt.dev!;
        if (rt.rt_type == rtn_type.RTN_MULTICAST)
        {
            IP_UPD_PO_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTMCASTPKTS, ipstats_mib_field.IPSTATS_MIB_OUTMCASTOCTETS, skb.len);
        }
        else if (rt.rt_type == rtn_type.RTN_BROADCAST)
        {
            IP_UPD_PO_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTBCASTPKTS, ipstats_mib_field.IPSTATS_MIB_OUTBCASTOCTETS, skb.len);
        }

        IP_UPD_PO_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTPKTS, ipstats_mib_field.IPSTATS_MIB_OUTOCTETS, skb.len);

        var neigh = ip_neigh_for_gw(rt, skb);
        if (neigh is not null)
        {
            return neigh_output(neigh, skb, false);
        }

        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_CREATEFAIL);
        return -errno_base_h.EINVAL;
    }

    // net/ipv4/ip_output.c: ip_finish_output_gso
    /// <summary>
    /// A GSO packet whose segments fit the MTU goes on whole (the common
    /// case: TCP sized them, or a router forwards a veth's TSO burst). One
    /// whose segments do not (a forwarded burst without DF onto a smaller
    /// MTU) is cut into segments in software and each is fragmented.
    /// Consumes skb.
    /// </summary>
    [Consumes("skb")]
    private static int ip_finish_output_gso(net net, sock? sk, sk_buff skb, int mtu)
    {
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: skb_list_walk_safe — the segment list is walked with a while loop
        var ret = 0;

        if (Core.gso_c.skb_gso_validate_network_len(skb, (uint)mtu))
        {
            return ip_finish_output2(net, sk, skb);
        }

        // the slow path: segment without any GSO feature, then fragment each segment
        var features = Core.dev_c.netif_skb_features(skb);
        var segs = gso_h.skb_gso_segment(skb, features & ~netdev_features_h.NETIF_F_GSO_MASK);
        if (segs is null)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED); // kfree_skb: no reason given here
            return -errno_base_h.ENOMEM;
        }

        consume_skb(skb);

        while (segs is not null)
        {
            var nskb = segs.next;
            skb_mark_not_on_list(segs);
            var err = ip_fragment(net, sk, segs, mtu, ip_finish_output2);
            if (err != 0 && ret == 0)
            {
                ret = err;
            }

            segs = nskb;
        }

        return ret;
    }

    // net/ipv4/ip_output.c: __ip_finish_output
    /// <summary>Above the path MTU the packet is fragmented here, and only here (TX-3); a GSO packet is cut into segments further down instead.</summary>
    [Consumes("skb")]
    private static int __ip_finish_output(net net, sock? sk, sk_buff skb)
    {
        // not ported: dst_output, skb_dst — only for a route SNAT made xfrm's (IPSKB_REROUTED): no xfrm
        var mtu = (int)ip_skb_dst_mtu(sk, skb);
        if (skb_is_gso(skb))
        {
            return ip_finish_output_gso(net, sk, skb, mtu);
        }

        if (skb.len > mtu || IPCB(skb).frag_max_size != 0)
        {
            return ip_fragment(net, sk, skb, mtu, ip_finish_output2);
        }

        return ip_finish_output2(net, sk, skb);
    }

    // not ported: kfree_skb_reason — only a cgroup BPF egress verdict drops here (BPF_CGROUP_EGRESS): no BPF programs
    // net/ipv4/ip_output.c: ip_finish_output
    [Consumes("skb")]
    private static int ip_finish_output(net net, sock? sk, sk_buff skb) => __ip_finish_output(net, sk, skb);

    // net/ipv4/ip_output.c: ip_output
    /// <summary>The output of unicast routes: set the device, run NF_INET_POST_ROUTING, then ip_finish_output.</summary>
    [Consumes("skb")]
    public static int ip_output(net net, sock? sk, sk_buff skb)
    {
        // not ported: skb_dst_dev_rcu — the route's device is the field dst.dev
        var indev = skb.dev;
        var dev = skb_dst(skb)!.dev!;
        skb.dev = dev;
        skb.protocol = if_ether_h.ETH_P_IP;
        return NF_HOOK_COND(NFPROTO_IPV4, nf_inet_hooks.NF_INET_POST_ROUTING, net, sk, skb, indev, dev, ip_finish_output, (IPCB(skb).flags & IPSKB_REROUTED) == 0);
    }

    // net/ipv4/ip_output.c: ip_copy_metadata
    [Borrows("to")]
    [Borrows("from")]
    private static void ip_copy_metadata(sk_buff to, sk_buff from)
    {
        // not ported: skb_copy_secmark — no LSM security marks
        // not ported: skb_dst_drop, skb_dst_copy — the route is shared by assignment (no dst refcounts); skb_ext_copy —
        //   no skb extensions; skb_copy_hash — the fragments carry no flow hash (sk_txhash is not ported)
        // not ported: nf_copy — not yet: a fragment made here carries no conntrack (the original keeps its own), so a
        //   fragment looped back on lo meets conntrack's defrag at PRE_ROUTING where 6.18 lets it through as tracked
        to.pkt_type = from.pkt_type;
        to.priority = from.priority;
        to.protocol = from.protocol;
        to.dst = from.dst;
        to.dev = from.dev;
        to.mark = from.mark;
        to.sk = from.sk;
        var from_cb = IPCB(from);
        var to_cb = IPCB_memset(to);
        to_cb.flags = from_cb.flags;
        to_cb.iif = from_cb.iif;
    }

    // net/ipv4/ip_output.c: ip_fragment
    /// <summary>
    /// Cuts a packet above the MTU into fragments — unless it carries DF
    /// and may not lose it (not ignore_df, or reassembled from fragments
    /// longer than the MTU): then ICMP frag-needed with the MTU goes back
    /// to its source and the packet is dropped. Consumes skb.
    /// </summary>
    [Consumes("skb")]
    private static int ip_fragment(net net, sock? sk, sk_buff skb, int mtu, nf_okfn output)
    {
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        var iph = ip_hdr(skb);
        if ((iph.frag_off & Include.Uapi.Linux.ip_h.IP_DF) == 0)
        {
            return ip_do_fragment(net, sk, skb, output);
        }

        if (!skb.ignore_df || (IPCB(skb).frag_max_size != 0 && IPCB(skb).frag_max_size > mtu))
        {
            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS);
            Include.Net.icmp_h.icmp_send(skb, Include.Uapi.Linux.icmp_h.ICMP_DEST_UNREACH, Include.Uapi.Linux.icmp_h.ICMP_FRAG_NEEDED, (uint)mtu);
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return -errno_h.EMSGSIZE;
        }

        return ip_do_fragment(net, sk, skb, output);
    }

    // net/ipv4/ip_output.c: ip_fraglist_init
    /// <summary>The first skb becomes the first fragment: its frag_list handed to the iterator, its header saying MF.</summary>
    [Borrows("skb")]
    public static void ip_fraglist_init(sk_buff skb, iphdr iph, int hlen, ip_fraglist_iter iter)
    {
        var first_len = skb_pagelen(skb);

        iter.frag = skb.shinfo.frag_list;
        skb_frag_list_init(skb);

        iter.offset = 0;
        iter.iph_skb = skb;
        iter.hlen = hlen;

        skb.data_len = first_len - skb_headlen(skb);
        skb.len = first_len;
        iph.tot_len = (ushort)first_len;
        iph.frag_off = Include.Uapi.Linux.ip_h.IP_MF;
        ip_send_check(iph);
    }

    // net/ipv4/ip_output.c: ip_fraglist_prepare
    /// <summary>
    /// Readies the next frag_list skb while <paramref name="skb"/> is still
    /// ours: the previous fragment's IP header pushed in front of its data,
    /// with its own length, offset and MF (all but the last).
    /// </summary>
    [Borrows("skb")]
    public static void ip_fraglist_prepare(sk_buff skb, ip_fraglist_iter iter)
    {
        // not ported: skb_network_header — field accessors: the port reads or sets these fields directly
        var hlen = iter.hlen;
        var frag = iter.frag!;
        frag.ip_summed = CHECKSUM_NONE;
        skb_reset_transport_header(frag);
        __skb_push(frag, hlen);
        skb_reset_network_header(frag);
        var prev = iter.iph_skb!;
        prev.head.AsSpan(prev.network_header, hlen).CopyTo(frag.head.AsSpan(frag.network_header, hlen));
        iter.iph_skb = frag;
        var iph = ip_hdr(frag);
        iph.tot_len = (ushort)frag.len;
        ip_copy_metadata(frag, skb);
        iter.offset += skb.len - hlen;
        iph.frag_off = (ushort)(iter.offset >> 3);
        if (frag.next is not null)
        {
            iph.frag_off |= Include.Uapi.Linux.ip_h.IP_MF;
        }

        // Ready, complete checksum.
        ip_send_check(iph);
    }

    // net/ipv4/ip_output.c: ip_do_fragment
    /// <summary>
    /// Sends a datagram above the MTU as fragments through
    /// <paramref name="output"/> (FragCreates each, FragOKs once). Fast path:
    /// a frag_list whose skbs already have fragment geometry (as
    /// __ip_append_data builds it) is sent skb by skb, no copy. Slow path:
    /// the payload is copied into new MTU-sized skbs, each with its own
    /// header (offset in 8-byte units, MF on all but the last), and the
    /// original freed.
    /// </summary>
    [Consumes("skb")]
    public static int ip_do_fragment(net net, sock? sk, sk_buff skb, nf_okfn output)
    {
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: ip_frag_init, ip_frag_next, ip_frag_ipcb — the slow path is written out in the loop below (the
        //   ip_frag_state lives in locals); LL_RESERVED_SPACE — written out as the aligned hard_header_len; skb_walk_frags —
        //   the frag_list is walked with for loops
        // not ported: ip_options_fragment — the slow path copies every option into every fragment (6.18 turns those
        //   without the copied flag into NOPs after the first); skb_set_delivery_time — fragments do not take skb.tstamp:
        //   only TCP sets a delivery time, and only a TCP socket with IP_PMTUDISC_DONT has its packets fragmented
        var err = 0;

        // An offloaded sum cannot be split: fill it in before cutting (a forwarded CHECKSUM_PARTIAL skb).
        if (skb.ip_summed == CHECKSUM_PARTIAL && (err = Core.dev_c.skb_checksum_help(skb)) != 0)
        {
            goto fail;
        }

        var iph = ip_hdr(skb);
        var rt = skb_rtable(skb)!;
        var mtu = (int)ip_skb_dst_mtu(sk, skb);
        if (IPCB(skb).frag_max_size != 0 && IPCB(skb).frag_max_size < mtu)
        {
            mtu = IPCB(skb).frag_max_size;
        }

        var hlen = iph.ihl * 4;
        mtu -= hlen;
        IPCB(skb).flags |= IPSKB_FRAG_COMPLETE;
        var ll_rs = (rt.dev!.hard_header_len + 15) & ~15;

        if (skb_has_frag_list(skb))
        {
            var first_len = skb_pagelen(skb);
            sk_buff? frag;

            if (first_len - hlen > mtu || ((first_len - hlen) & 7) != 0 || ip_is_fragment(iph) || skb_cloned(skb) || skb_headroom(skb) < ll_rs)
            {
                goto slow_path;
            }

            for (frag = skb.shinfo.frag_list; frag is not null; frag = frag.next)
            {
                // Correct geometry.
                if (frag.len > mtu || ((frag.len & 7) != 0 && frag.next is not null) || skb_headroom(frag) < hlen + ll_rs)
                {
                    goto slow_path_clean;
                }

                // Partially cloned skb?
                if (skb_shared(frag))
                {
                    goto slow_path_clean;
                }

                // Each fragment is the socket's while it is sent (sock_wfree's charge is not modelled).
                if (skb.sk is not null)
                {
                    frag.sk = skb.sk;
                }

                skb.truesize -= frag.truesize;
            }

            // Everything is OK. Generate!
            var iter = new ip_fraglist_iter();
            ip_fraglist_init(skb, iph, hlen, iter);

            while (true)
            {
                if (iter.frag is not null)
                {
                    IPCB(iter.frag).flags = IPCB(skb).flags;
                    ip_fraglist_prepare(skb, iter);
                }

                err = output(net, sk, skb);
                if (err == 0)
                {
                    IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGCREATES);
                }

                if (err != 0 || iter.frag is null)
                {
                    break;
                }

                skb = ip_fraglist_next(iter);
            }

            if (err == 0)
            {
                IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGOKS);
                return 0;
            }

            kfree_skb_list(iter.frag);
            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS);
            return err;

        slow_path_clean:
            for (var frag2 = skb.shinfo.frag_list; frag2 is not null && frag2 != frag; frag2 = frag2.next)
            {
                frag2.sk = null;
                skb.truesize += frag2.truesize;
            }
        }

    slow_path:
        var left = skb.len - hlen;
        var ptr = hlen;
        var offset = (iph.frag_off & Include.Uapi.Linux.ip_h.IP_OFFSET) << 3;
        var not_last_frag = (iph.frag_off & Include.Uapi.Linux.ip_h.IP_MF) != 0;

        while (left > 0)
        {
            var len = Math.Min(left, mtu);
            if (len < left)
            {
                len &= ~7;
            }

            var skb2 = alloc_skb(net.k, len + hlen + ll_rs)!;
            ip_copy_metadata(skb2, skb);
            skb_reserve(skb2, ll_rs);
            skb_put(skb2, len + hlen);
            skb_reset_network_header(skb2);
            skb2.transport_header = (ushort)(skb2.network_header + hlen);
            skb.head.AsSpan(skb.network_header, hlen).CopyTo(skb2.head.AsSpan(skb2.network_header));
            skb_copy_bits(skb, ptr, skb2.head.AsSpan(skb2.transport_header, len), len);
            left -= len;

            var iph2 = ip_hdr(skb2);
            iph2.frag_off = (ushort)(offset >> 3);
            if (left > 0 || not_last_frag)
            {
                iph2.frag_off |= Include.Uapi.Linux.ip_h.IP_MF;
            }

            ptr += len;
            offset += len;
            iph2.tot_len = (ushort)(len + hlen);
            ip_send_check(iph2);

            err = output(net, sk, skb2);
            if (err != 0)
            {
                goto fail;
            }

            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGCREATES);
        }

        consume_skb(skb);
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGOKS);
        return err;

    fail:
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_FRAGFAILS);
        return err;
    }

    // net/ipv4/ip_output.c: ip_generic_getfrag
    /// <summary>Copies user data (the byte array of the send) into the skb: the user-to-kernel copy.</summary>
    [Borrows("skb")]
    public static int ip_generic_getfrag(object? from, Span<byte> to, int offset, int len, int odd, sk_buff skb)
    {
        // not ported: copy_from_iter_full, csum_and_copy_from_iter_full, csum_block_add — the user's bytes are a
        //   byte array, copied in; no running sum is kept while copying: udp_send_skb sums the datagram in one pass
        //   (skb_checksum)
        if (from is not byte[] user)
        {
            // A NULL user pointer: copy_from_iter_full moves nothing.
            return -errno_base_h.EFAULT;
        }

        user.AsSpan(offset, len).CopyTo(to);
        return 0;
    }

    // net/ipv4/ip_output.c: __ip_append_data
    /// <summary>
    /// Queues <paramref name="length"/> bytes — the first
    /// <paramref name="transhdrlen"/> left for the transport header, the rest
    /// copied in by getfrag — as skbs of at most one IP fragment each: above
    /// the MTU, every skb but the last carries maxfraglen (the MTU's payload
    /// rounded down to 8 bytes) with room for its own IP header, ready for
    /// ip_do_fragment's fast path. A fragment that does not fit SKB_MAX_ALLOC
    /// on a scatter-gather device is paged: only the headers are linear, the
    /// payload goes into page frags from sk_page_frag. 0, or an error with
    /// the queue left as it is.
    /// </summary>
    private static int __ip_append_data(sock sk, ref flowi4 fl4, sk_buff_head queue, ip_getfrag getfrag, object? from, int length, int transhdrlen, rtable rt, ip_options? opt, uint flags)
    {
        // not ported: dst_rtable — field accessors: the port reads or sets these fields directly
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: skb_splice_from_iter — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: LL_RESERVED_SPACE — written out as the aligned hard_header_len; skb_peek_tail — the queue's last
        //   skb is read as queue.last; skb_set_dst_pending_confirm — MSG_CONFIRM is not ported
        // not ported: skb_copy_and_csum_bits, csum_sub, pskb_trim_unique — the fraggap bytes are moved with
        //   skb_copy_bits and the previous (linear, unshared) skb cut with __skb_trim: no running skb->csum is kept
        //   (udp_send_skb sums the datagram in one pass)
        var skb = queue.last;
        ubuf_info? uarg = null;
        var extra_uref = false;
        var exthdrlen = 0; // rt->dst.header_len: no xfrm
        // cork->fragsize as ip_setup_cork sets it: the path MTU, or the device's for a probing socket
        var mtu = (int)(ip_sk_use_pmtu(sk) ? dst_mtu(rt) : rt.dev!.mtu);
        var hh_len = (rt.dev!.hard_header_len + 15) & ~15;
        var fragheaderlen = iphdr.Size + (opt?.optlen ?? 0);
        var maxfraglen = ((mtu - fragheaderlen) & ~7) + fragheaderlen;
        var features = rt.dev.features;
        var paged = false; // cork->gso_size: UDP_SEGMENT is not ported
        var offset = 0;
        int copy;
        int err;

        // A socket that may not fragment (IP_PMTUDISC_DO or PROBE) is refused
        // a datagram above the path MTU here, before any skb exists; others
        // are held only to IP's own limit and fragment in ip_fragment.
        var maxnonfragsize = ip_sk_ignore_df(sk) ? IP_MAX_MTU : mtu;
        if (length > maxnonfragsize - fragheaderlen)
        {
            // not ported: ip_local_error's report on the error queue (IP_RECVERR) — the error queue is not ported.
            return -errno_h.EMSGSIZE;
        }

        // The first skb of a datagram that will go out whole, on a device that
        // sums, leaves its L4 sum to the device. (MSG_MORE corking is not
        // ported, so the !MSG_MORE || gso_size test always holds; no xfrm
        // header, so exthdrlen is 0.)
        var csummode = CHECKSUM_NONE;
        if (transhdrlen != 0 &&
            length + fragheaderlen <= mtu &&
            (rt.dev.features & (netdev_features_h.NETIF_F_HW_CSUM | netdev_features_h.NETIF_F_IP_CSUM)) != 0 &&
            exthdrlen == 0)
        {
            csummode = CHECKSUM_PARTIAL;
        }

        // MSG_ZEROCOPY on a socket with SO_ZEROCOPY: the datagram's bytes get a ubuf_info (a new one, or the
        // corked tail skb's), whose completion reaches the error queue once the last skb holding it is freed.
        // Departure: where 6.18 takes its zc branch (the device has NETIF_F_SG and csummode is CHECKSUM_PARTIAL,
        // as on lo and veth) it pins the user's pages with skb_zerocopy_iter_dgram, and the receiving side's
        // skb_orphan_frags_rx then copies them, so the completion reports SO_EE_CODE_ZEROCOPY_COPIED. The port
        // always copies at send time (the branch 6.18 takes on a device without SG or checksum offload): the
        // completion is the same, the moment of the copy is not.
        // not ported: msg->msg_ubuf (a caller's own ubuf_info: io_uring), MSG_SPLICE_PAGES
        // not ported: skb_zerocopy_iter_dgram — the zc branch, see above
        if ((flags & socket_h.MSG_ZEROCOPY) != 0 && length != 0)
        {
            if (Include.Net.sock_h.sock_flag(sk, sock_flags.SOCK_ZEROCOPY))
            {
                uarg = Core.skbuff_c.msg_zerocopy_realloc(sk, length, skb_zcopy(skb), false);
                if (uarg is null)
                {
                    return -errno_h.ENOBUFS;
                }

                extra_uref = skb_zcopy(skb) is null; // only a new uarg brings a reference of its own
                uarg_to_msgzc(uarg).zerocopy = false;
                skb_zcopy_set(skb, uarg, ref extra_uref);
            }
        }

        // restructured: C# cannot jump into a block (C's goto alloc_new_skb
        // when the queue is empty): the first pass allocates.
        var first_pass = skb is null;
        while (first_pass || length > 0)
        {
            if (first_pass)
            {
                copy = 0;
            }
            else
            {
                copy = mtu - skb!.len;
                if (copy < length)
                {
                    copy = maxfraglen - skb.len;
                }
            }

            first_pass = false;
            if (copy <= 0)
            {
                var skb_prev = skb;
                var fraggap = skb_prev is not null ? skb_prev.len - maxfraglen : 0;

                var datalen = length + fraggap;
                if (datalen > mtu - fragheaderlen)
                {
                    datalen = maxfraglen - fragheaderlen;
                }

                var fraglen = datalen + fragheaderlen;
                var pagedlen = 0;

                var alloc_extra = hh_len + 15;
                alloc_extra += exthdrlen;

                // rt->dst.trailer_len (xfrm) is 0, so the last fragment needs no extra tail.
                // not ported: MSG_MORE's mtu-sized allocation on a device without
                // NETIF_F_SG — corking is not ported, no caller passes MSG_MORE.
                int alloclen;
                if (!paged && (fraglen + alloc_extra < SKB_MAX_ALLOC || (features & netdev_features_h.NETIF_F_SG) == 0))
                {
                    alloclen = fraglen;
                }
                else
                {
                    // Paged: the head holds the IP (and, first, transport) header only.
                    alloclen = fragheaderlen + transhdrlen;
                    pagedlen = datalen - transhdrlen;
                }

                alloclen += alloc_extra;

                if (transhdrlen != 0)
                {
                    // sock_alloc_send_skb (net/core/sock.c, not ported yet) first takes the
                    // socket's pending error: an ICMP error posted by udp_err fails this
                    // send (ECONNREFUSED after port unreachable) and nothing is sent.
                    err = Include.Net.sock_h.sock_error(sk);
                    if (err != 0)
                    {
                        goto error;
                    }
                }

                skb = alloc_skb(sk.sk_net.k, alloclen);
                if (skb is null)
                {
                    err = -errno_h.ENOBUFS;
                    goto error;
                }

                // the skb's bookkeeping: owner, flags, lengths
                skb.ip_summed = csummode;
                skb_reserve(skb, hh_len);

                var data = skb_put(skb, fraglen + exthdrlen - pagedlen);
                skb_set_network_header(skb, exthdrlen);
                skb.transport_header = (ushort)(skb.network_header + fragheaderlen);
                data += fragheaderlen + exthdrlen;

                if (fraggap > 0)
                {
                    // The bytes past maxfraglen of the previous skb move here.
                    skb_copy_bits(skb_prev!, maxfraglen, skb.head.AsSpan(data + transhdrlen, fraggap), fraggap);
                    data += fraggap;
                    __skb_trim(skb_prev!, maxfraglen);
                }

                // Paged, this is -fraggap (0 for the first skb): the linear part has
                // no payload, and the fraggap bytes are read from the user again below.
                copy = datalen - transhdrlen - fraggap - pagedlen;
                if (copy > 0 && getfrag(from, skb.head.AsSpan(data + transhdrlen, copy), offset, copy, fraggap, skb) < 0)
                {
                    kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_SKB_UCOPY_FAULT);
                    goto error_efault;
                }

                offset += copy;
                length -= copy + transhdrlen;
                transhdrlen = 0;
                exthdrlen = 0;
                csummode = CHECKSUM_NONE;

                skb_zcopy_set(skb, uarg, ref extra_uref);

                skb.sk = sk;
                __skb_queue_tail(queue, skb);
                continue;
            }

            if (copy > length)
            {
                copy = length;
            }

            if ((features & netdev_features_h.NETIF_F_SG) == 0 && skb_tailroom(skb!) >= copy)
            {
                // Linear: the rest goes into the tailroom the allocation left.
                var off = skb!.len;
                if (getfrag(from, skb.head.AsSpan(skb_put(skb, copy), copy), offset, copy, off, skb) < 0)
                {
                    __skb_trim(skb, off);
                    goto error_efault;
                }
            }
            else
            {
                // Paged (zc is false: MSG_ZEROCOPY and MSG_SPLICE_PAGES are not ported):
                // copied into the socket's page frag, extending the last frag
                // when the bytes continue it, else as a new frag.
                int i = skb!.shinfo.nr_frags;
                var pfrag = Include.Net.sock_h.sk_page_frag(sk);

                err = -errno_base_h.ENOMEM;
                if (!Core.sock_c.sk_page_frag_refill(sk, pfrag))
                {
                    goto error;
                }

                // skb_zcopy_downgrade_managed: zerocopy is not ported, nothing to downgrade.
                if (!skb_can_coalesce(skb, i, pfrag.page!, pfrag.offset))
                {
                    err = -errno_h.EMSGSIZE;
                    if (i == MAX_SKB_FRAGS)
                    {
                        goto error;
                    }

                    __skb_fill_page_desc(skb, i, pfrag.page!, pfrag.offset, 0);
                    skb.shinfo.nr_frags = (byte)++i;
                    Include.Linux.mm_h.get_page(pfrag.page!);
                }

                copy = Math.Min(copy, pfrag.size - pfrag.offset);
                if (getfrag(from, Include.Linux.mm_h.page_address(pfrag.page!, pfrag.offset, copy), offset, copy, skb.len, skb) < 0)
                {
                    goto error_efault;
                }

                pfrag.offset += copy;
                skb_frag_size_add(ref skb.shinfo.frags[i - 1], copy);

                // skb_len_add moves truesize with len as 6.18 does. 6.18 also adds
                // copy to wmem_alloc_delta (charged to sk_wmem_alloc at the end);
                // the port does not charge UDP's skbs being sent to sk_wmem_alloc
                // at all (see the file header), so neither is this paged part.
                skb_len_add(skb, copy);
            }

            offset += copy;
            length -= copy;
        }

        return 0;

    error_efault:
        err = -errno_base_h.EFAULT;
    error:
        net_zcopy_put_abort(uarg, extra_uref);

        // cork->length is not kept (no corking): what was queued stays for the caller to flush.
        IP_INC_STATS(sk.sk_net, ipstats_mib_field.IPSTATS_MIB_OUTDISCARDS);
        return err;
    }

    // net/ipv4/ip_output.c: __ip_make_skb
    /// <summary>Turns the queued data into one IPv4 packet: header fields, TTL, DF by PMTU policy, ID.</summary>
    private static sk_buff? __ip_make_skb(sock sk, ref flowi4 fl4, sk_buff_head queue, in ipcm_cookie ipc, rtable rt)
    {
        // not ported: ip_select_ident — the port uses ip_select_ident_segs with one segment, which is what ip_select_ident does
        // not ported: dst_rtable, skb_network_header, skb_network_offset — field accessors: the port reads or sets these fields directly
        // not ported: ip_copy_addrs — written out: the two address writes; ip_cork_release — no cork outlives the call
        //   (corking across calls is not ported); skb_set_delivery_time, skb_set_delivery_type_by_clockid, sk_is_tcp — no
        //   SO_TXTIME: a datagram has no delivery time
        // not ported: ip_select_ttl — written out: IP_TTL (a control message's, then the socket's), else
        //   net.ipv4.ip_default_ttl (routes carry no hoplimit metric); a multicast route's mc_ttl is not reached: multicast
        //   output routes are not ported (route.c)
        var skb = __skb_dequeue(queue);
        if (skb is null)
        {
            return null;
        }

        // The others follow on the first one's frag_list, their IP header room pulled off.
        sk_buff? tail_skb = null;
        while (__skb_dequeue(queue) is { } tmp_skb)
        {
            __skb_pull(tmp_skb, skb_network_header_len(skb));
            if (tail_skb is null)
            {
                skb.shinfo.frag_list = tmp_skb;
            }
            else
            {
                tail_skb.next = tmp_skb;
            }

            tail_skb = tmp_skb;
            skb.len += tmp_skb.len;
            skb.data_len += tmp_skb.len;
            skb.truesize += tmp_skb.truesize;
            tmp_skb.destructor = null;
            tmp_skb.sk = null;
        }

        var net = sk.sk_net;
        var inet = (inet_sock)sk.proto_data!;

        var iph = ip_hdr(skb);

        // Below IP_PMTUDISC_DO the sender lets its own stack fragment the
        // packet even with DF set; that also keeps DF packets off the "ID 0" rule.
        skb.ignore_df = ip_sk_ignore_df(sk);
        ushort df = 0;
        var pmtudisc = inet.pmtudisc;
        if (pmtudisc == 2 /* IP_PMTUDISC_DO */ || pmtudisc == 3 /* IP_PMTUDISC_PROBE */ || (skb.len <= dst_mtu(rt) && ip_dont_fragment(sk, rt)))
        {
            df = Include.Uapi.Linux.ip_h.IP_DF;
        }

        var ttl = ipc.ttl != -1 ? ipc.ttl : inet.uc_ttl != -1 ? inet.uc_ttl : Include.Net.Netns.netns_ipv4.of(net).sysctl_ip_default_ttl;
        iph.version = 4;
        iph.ihl = 5;
        iph.tos = ipc.tos != 0 ? ipc.tos : inet.tos;
        iph.frag_off = df;
        iph.ttl = (byte)ttl;
        iph.protocol = (byte)sk.sk_protocol;
        iph.saddr = fl4.saddr;
        iph.daddr = fl4.daddr;
        ip_select_ident_segs(net, skb, sk, 1);

        if (ipc.opt is { } opt)
        {
            iph.ihl += opt.optlen >> 2;
            ip_options_c.ip_options_build(skb, opt, ipc.addr, rt);
        }

        skb.priority = sk.sk_priority;
        skb.mark = ipc.mark;
        skb_dst_set(skb, rt);
        if (iph.protocol == IPPROTO_ICMP)
        {
            // A raw socket counts the type its flow was routed for (raw_probe_proto_opt,
            // icmp_route_lookup); others the header in the skb. The exception for
            // FLOWI_FLAG_KNOWN_NH flows (IP_HDRINCL) is not ported: no such flow comes here.
            var icmp_type = sk.sk_type == SOCK_RAW ? fl4.fl4_icmp_type : skb.head[skb.transport_header];
            icmp_c.icmp_out_count(net, icmp_type);
        }

        return skb;
    }

    // net/ipv4/ip_output.c: ip_send_skb
    /// <summary>Sends a built datagram; a failure counts OutDiscards.</summary>
    [Consumes("skb")]
    public static int ip_send_skb(net net, sk_buff skb)
    {
        var err = ip_local_out(net, skb.sk, skb);
        if (err != 0)
        {
            if (err > 0)
            {
                err = netdevice_h.net_xmit_errno(err);
            }

            if (err != 0)
            {
                IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTDISCARDS);
            }
        }

        return err;
    }

    // net/ipv4/ip_output.c: ip_append_data
    /// <summary>Queues data on the socket's write queue (corked), to be sent by ip_push_pending_frames.</summary>
    public static int ip_append_data(sock sk, ref flowi4 fl4, ip_getfrag getfrag, object? from, int length, int transhdrlen, ref ipcm_cookie ipc, rtable rt, uint flags)
    {
        // not ported: ip_setup_cork, skb_queue_empty — no corking across calls: each call takes the cookie and route
        //   afresh (cork_ipc, cork_rt) and __ip_append_data sizes by the fragsize ip_setup_cork would set; sk_page_frag —
        //   __ip_append_data takes the socket's page frag itself when it builds a paged skb
        var inet = (inet_sock)sk.proto_data!;
        inet.cork_ipc = ipc;
        inet.cork_rt = rt;
        return __ip_append_data(sk, ref fl4, sk.sk_write_queue, getfrag, from, length, transhdrlen, rt, ipc.opt, flags);
    }

    // net/ipv4/ip_output.c: __ip_flush_pending_frames
    /// <summary>Throws away what a failed append left queued, last first.</summary>
    private static void __ip_flush_pending_frames(sock sk, sk_buff_head queue)
    {
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: ip_cork_release — no cork outlives the call (corking across calls is not ported)
        while (__skb_dequeue_tail(queue) is { } skb)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        }
    }

    // net/ipv4/ip_output.c: ip_flush_pending_frames
    /// <summary>Throws away what the socket's write queue holds (each skb dropped, as kfree_skb drops).</summary>
    public static void ip_flush_pending_frames(sock sk) => __ip_flush_pending_frames(sk, sk.sk_write_queue);

    // net/ipv4/ip_output.c: ip_push_pending_frames
    /// <summary>Makes the queued data one IPv4 packet and sends it.</summary>
    public static int ip_push_pending_frames(sock sk, ref flowi4 fl4)
    {
        // not ported: ip_finish_skb — written out: __ip_make_skb on the write queue with the call's cork
        var inet = (inet_sock)sk.proto_data!;
        var skb = __ip_make_skb(sk, ref fl4, sk.sk_write_queue, in inet.cork_ipc, inet.cork_rt!);
        if (skb is null)
        {
            return 0;
        }

        return ip_send_skb(sk.sk_net, skb);
    }

    // net/ipv4/ip_output.c: ip_make_skb
    /// <summary>
    /// Builds a whole datagram in one call (the uncorked UDP path):
    /// <paramref name="length"/> bytes of transport data, of which the first
    /// <paramref name="transhdrlen"/> are left for the transport header and the
    /// rest come from getfrag.
    /// </summary>
    public static sk_buff? ip_make_skb(sock sk, ref flowi4 fl4, ip_getfrag getfrag, object? from, int length, int transhdrlen, ref ipcm_cookie ipc, rtable rt, uint flags, out int err)
    {
        // not ported: __skb_queue_head_init — the queue is a new sk_buff_head; ip_setup_cork — the cookie and route are
        //   passed down, and __ip_append_data sizes by the fragsize ip_setup_cork would set
        var queue = new sk_buff_head();
        err = __ip_append_data(sk, ref fl4, queue, getfrag, from, length, transhdrlen, rt, ipc.opt, flags);
        if (err != 0)
        {
            __ip_flush_pending_frames(sk, queue);
            return null;
        }

        return __ip_make_skb(sk, ref fl4, queue, in ipc, rt);
    }

    // net/ipv4/ip_output.c: __ip_queue_xmit
    /// <summary>
    /// Sends a connected socket's segment on its cached route: pushes and
    /// fills the IP header (DF by PMTU policy, the socket's TTL, its IP ID
    /// counter) and goes to ip_local_out. No route is EHOSTUNREACH (rerouting
    /// is not ported). Consumes the skb.
    /// </summary>
    [Consumes("skb")]
    public static int __ip_queue_xmit(sock sk, sk_buff skb, ref flowi4 fl4, byte tos)
    {
        // not ported: ip_options_build — no socket IP options (IP_OPTIONS, see the header)
        // not ported: dst_rtable — field accessors: the port reads or sets these fields directly
        // not ported: inet_sk_init_flowi4, inet_dsfield_to_dscp — rerouting builds the flow with
        //   ip_route_connect_init from the same socket fields (its TOS the socket's); ip_copy_addrs — written out: the two
        //   address writes
        var inet = (inet_sock)sk.proto_data!;
        var net = sk.sk_net;

        var rt = skb_rtable(skb) ?? Core.sock_c.__sk_dst_check(sk, 0) as rtable;
        if (rt is null)
        {
            // the cached route is gone (sk_dst_reset: SO_MARK, say): route the connection again (ip_route_output_ports)
            Include.Net.route_h.ip_route_connect_init(ref fl4, inet.inet_daddr, inet.inet_saddr, sk.sk_bound_dev_if, (byte)sk.sk_protocol, inet.inet_sport, inet.inet_dport, sk);
            rt = route_c.ip_route_output_flow(net, ref fl4, sk, out _);
            if (rt is not null)
            {
                Core.sock_c.sk_setup_caps(sk, rt);
            }
        }

        if (rt is null)
        {
            IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES);
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_IP_OUTNOROUTES);
            return -errno_h.EHOSTUNREACH;
        }

        skb.dst = rt; // skb_dst_set_noref

        // packet_routed: the route is known; build the IP header in front
        skb_push(skb, iphdr.Size);
        skb_reset_network_header(skb);
        var iph = ip_hdr(skb);
        iph.version = 4;
        iph.ihl = 5;
        iph.tos = tos;
        iph.frag_off = ip_dont_fragment(sk, rt) && !skb.ignore_df ? Include.Uapi.Linux.ip_h.IP_DF : (ushort)0;
        iph.ttl = (byte)(inet.uc_ttl != -1 ? inet.uc_ttl : Include.Net.Netns.netns_ipv4.of(net).sysctl_ip_default_ttl); // ip_select_ttl
        iph.protocol = (byte)sk.sk_protocol;
        iph.saddr = fl4.saddr;
        iph.daddr = fl4.daddr;

        // the transport header is the caller's (tcp_transmit_skb built it)
        ip_select_ident_segs(net, skb, sk, skb.shinfo.gso_segs != 0 ? skb.shinfo.gso_segs : 1); // a GSO packet takes one ID per segment

        skb.priority = sk.sk_priority;
        skb.mark = sk.sk_mark;
        return ip_local_out(net, sk, skb);
    }

    // net/ipv4/ip_output.c: ip_build_and_send_pkt
    /// <summary>
    /// Puts an IP header on a ready skb and sends it: a SYN-ACK on its
    /// request's route, from the listener (TTL, priority, mark); with DF the
    /// ID is 0 (no IP options). Consumes the skb.
    /// </summary>
    [Consumes("skb")]
    public static int ip_build_and_send_pkt(sk_buff skb, sock sk, uint saddr, uint daddr, byte tos)
    {
        // not ported: ip_options_build — no socket IP options (IP_OPTIONS, see the header)
        // not ported: __ip_select_ident — only TCP sends here (SYN-ACKs), whose ID is random
        var inet = (inet_sock)sk.proto_data!;
        var rt = skb_rtable(skb)!;
        var net = sk.sk_net;

        // Build the IP header.
        skb_push(skb, iphdr.Size);
        skb_reset_network_header(skb);
        var iph = ip_hdr(skb);
        iph.version = 4;
        iph.ihl = 5;
        iph.tos = tos;
        iph.ttl = (byte)(inet.uc_ttl != -1 ? inet.uc_ttl : Include.Net.Netns.netns_ipv4.of(net).sysctl_ip_default_ttl); // ip_select_ttl
        iph.daddr = daddr;
        iph.saddr = saddr;
        iph.protocol = (byte)sk.sk_protocol;

        if (skb.len <= 576 /* IPV4_MIN_MTU */ || ip_dont_fragment(sk, rt))
        {
            iph.frag_off = Include.Uapi.Linux.ip_h.IP_DF;
            iph.id = 0;
        }
        else
        {
            iph.frag_off = 0;

            // here TCP sends only SYN-ACKs, whose ID needs no hashed generator
            iph.id = (ushort)Drivers.Char.random_c.get_random_u32(net.k); // get_random_u16
        }

        skb.priority = sk.sk_priority;
        if (skb.mark == 0)
        {
            skb.mark = sk.sk_mark;
        }

        // Send it out.
        return ip_local_out(net, skb.sk, skb);
    }

    // net/ipv4/ip_output.c: ip_queue_xmit
    [Consumes("skb")]
    public static int ip_queue_xmit(sock sk, sk_buff skb, ref flowi4 fl4) => __ip_queue_xmit(sk, skb, ref fl4, ((inet_sock)sk.proto_data!).tos);

    // net/ipv4/ip_output.c: ip_reply_glue_bits
    /// <summary>getfrag of a reply: the transport header from the ip_reply_arg (skb->csum is not modelled: ip_send_unicast_reply sums it).</summary>
    [Borrows("skb")]
    private static int ip_reply_glue_bits(object? dptr, Span<byte> to, int offset, int len, int odd, sk_buff skb)
    {
        // not ported: csum_partial_copy_nocheck, csum_block_add — no running sum while copying:
        //   ip_send_unicast_reply sums the header it appended (csum_partial)
        var src = (byte[])dptr!;
        src.AsSpan(offset, len).CopyTo(to);
        return 0;
    }

    // net/ipv4/ip_output.c: ip_send_unicast_reply
    /// <summary>
    /// Sends a reply to <paramref name="skb"/>'s sender from the address it
    /// was sent to, on the control socket <paramref name="sk"/>: route it
    /// back, append the header, finish the checksum over it, push it out.
    /// </summary>
    [Borrows("skb")]
    public static void ip_send_unicast_reply(sock sk, sock? orig_sk, sk_buff skb, uint daddr, uint saddr, ip_reply_arg arg, uint len)
    {
        // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: netif_index_is_l3_master — no VRF (l3mdev) devices in the simulation
        // not ported: psp_reply_set_decrypted — no IPsec (xfrm) or PSP
        // not ported: skb_rtable, skb_transport_header, tcp_hdr — field accessors: the port reads or sets these fields directly
        // not ported: IP4_REPLY_MARK — fwmark_reflect is not ported (0): the control socket's mark;
        //   flowi4_init_output — the flow is built with an initializer; flowi4_to_flowi_common — only for the LSM's
        //   security_skb_classify_flow (no LSM); ipcm_init — the cookie is made with new
        // not ported: skb_set_owner_edemux — the reply is not charged to orig_sk (a timewait or request
        //   socket): it leaves unowned; skb_set_hash — no flow hash (the caller's txhash: sk_txhash is not ported)
        var net = sk.sk_net;
        var inet = (inet_sock)sk.proto_data!;
        // sopt is the caller's &TCP_SKB_CB(skb)->header.h4.opt: the port's TCP
        // control block keeps the IPv4 one it was made from, so IPCB(skb).opt.
        var replyopts = new ip_options();
        if (ip_options_c.__ip_options_echo(net, replyopts, skb, IPCB(skb).opt) != 0)
        {
            return;
        }

        var ipc = new ipcm_cookie { addr = daddr, tos = arg.tos };
        if (replyopts.optlen != 0)
        {
            ipc.opt = replyopts;
            if (replyopts.srr != 0)
            {
                daddr = replyopts.faddr;
            }
        }

        var oif = arg.bound_dev_if;
        if (oif == 0 && skb.skb_iif != 0 && netif_index_is_l3_master_stub())
        {
            oif = skb.skb_iif;
        }

        var th = tcp_hdr_view(skb);
        var fl4 = new flowi4
        {
            flowi4_oif = oif,
            flowi4_mark = sk.sk_mark,
            flowi4_tos = arg.tos,
            flowi4_proto = ip_hdr(skb).protocol,
            flowi4_flags = 0, // ip_reply_arg_flowi_flags: no IP_REPLY_ARG_NOSRCCHECK
            daddr = daddr,
            saddr = saddr,
            fl4_sport = th.dest,
            fl4_dport = th.source,
        };
        var rt = Ipv4.route_c.ip_route_output_flow(net, ref fl4, null, out _); // ip_route_output_flow with no socket (ip_route_output_key)
        if (rt is null)
        {
            return;
        }

        inet.tos = arg.tos;
        // sk->sk_protocol = the received packet's protocol: this control socket only ever replies for TCP.
        if (ip_append_data(sk, ref fl4, ip_reply_glue_bits, arg.iov, (int)len, 0, ref ipc, rt, 0) != 0)
        {
            ip_flush_pending_frames(sk);
            return;
        }

        var nskb = skb_peek(sk.sk_write_queue);
        if (nskb is not null)
        {
            if (arg.csumoffset >= 0)
            {
                var at = nskb.transport_header + arg.csumoffset * 2;
                var nskb_csum = checksum_h.csum_partial(nskb.head.AsSpan(nskb.transport_header, nskb.tail - nskb.transport_header), 0);
                var folded = checksum_h.csum_fold(checksum_h.csum_add(nskb_csum, arg.csum));
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(nskb.head.AsSpan(at), folded);
            }

            nskb.ip_summed = CHECKSUM_NONE;
            ip_push_pending_frames(sk, ref fl4);
        }
    }

    /// <summary>netif_index_is_l3_master: no VRF devices.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/net/l3mdev.h's netif_index_is_l3_master: no L3 master devices, so never")]
    private static bool netif_index_is_l3_master_stub() => false;

    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/tcp.h's tcp_hdr as a view over the head")]
    [Borrows("skb")]
    private static Include.Uapi.Linux.tcphdr tcp_hdr_view(sk_buff skb) => new(skb.head.AsSpan(skb.transport_header, Include.Uapi.Linux.tcphdr.Size));
}
