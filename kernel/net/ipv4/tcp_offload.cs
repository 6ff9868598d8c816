// Ports net/ipv4/tcp_offload.c: software segmentation of a TCP GSO skb
// (tcp4_gso_segment, tcp_gso_segment) for a device without TSO. Each
// segment's check field is patched from the GSO skb's pseudo-header sum for
// its own length: left CHECKSUM_PARTIAL for a device that sums
// (gso_reset_checksum), finished over skb_segment's payload sum otherwise
// (gso_make_checksum).
// And GRO for TCP over IPv4: segments of a flow that follow each other with
// the same flags, options, ACK and window are merged (tcp_gro_receive).
// not ported: fraglist GSO and GRO (__tcp4_gso_segment_list,
// tcp4_check_fraglist_gro: no device offers NETIF_F_GRO_FRAGLIST), kTLS
// (skb_cmp_decrypted), GSO_PARTIAL, ooo_okay (no XPS).
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Net.gro_h;
using static KernelNet.Kernel.Net.Core.gro_c;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_offload_c
{
    /// <summary>TCPHDR_CWR (include/net/tcp.h): the CWR bit of the flags byte.</summary>
    private const byte TCPHDR_CWR = 0x80;

    // net/ipv4/tcp_offload.c: tcp_gso_tstamp
    /// <summary>The TX timestamp request of a segmented skb goes to the one segment that holds its key (the stamped byte).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("gso_skb")]
    private static void tcp_gso_tstamp(sk_buff? skb, sk_buff gso_skb, uint seq, uint mss)
    {
        var flags = (byte)(gso_skb.shinfo.tx_flags & SKBTX_ANY_TSTAMP);
        var ts_seq = gso_skb.shinfo.tskey;

        while (skb is not null)
        {
            if (before(ts_seq, seq + mss))
            {
                skb.shinfo.tx_flags |= flags;
                skb.shinfo.tskey = ts_seq;
                return;
            }

            skb = skb.next;
            seq += mss;
        }
    }

    // net/ipv4/tcp_offload.c: tcp4_gso_segment
    /// <summary>
    /// IPv4's TCP gso_segment callback: only a TCPV4 GSO skb with a whole TCP
    /// header is cut; one whose sum is not left to the device gets the
    /// pseudo-header sum set up first (as __tcp_v4_send_check does).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [Borrows("skb")]
    public static sk_buff? tcp4_gso_segment(sk_buff skb, ulong features)
    {
        if ((skb.shinfo.gso_type & SKB_GSO_TCPV4) == 0)
        {
            return null;
        }

        if (!pskb_may_pull(skb, tcphdr.Size))
        {
            return null;
        }

        // not ported: skb_pagelen — the SKB_GSO_FRAGLIST case (__tcp4_gso_segment_list): no fraglist GRO
        if (skb.ip_summed != CHECKSUM_PARTIAL)
        {
            var iph = ip_hdr(skb);
            var th = tcp_hdr(skb);

            th.check = 0;
            skb.ip_summed = CHECKSUM_PARTIAL;
            tcp_ipv4_c.__tcp_v4_send_check(skb, iph.saddr, iph.daddr);
        }

        return tcp_gso_segment(skb, features);
    }

    // net/ipv4/tcp_offload.c: tcp_gso_segment
    /// <summary>
    /// Cuts the payload into gso_size segments (skb_segment) and makes each a
    /// TCP segment of its own: consecutive sequence numbers, FIN and PSH only
    /// on the last, CWR only on the first, and its check field patched from
    /// the GSO skb's pseudo-header sum for its own length (left to the device,
    /// or summed over skb_segment's payload sum). The socket's write-memory
    /// charge moves to the segments (so the memory is given back as the last
    /// of them leaves), as 6.18 does for skbs of tcp_wfree. Null when nothing
    /// needs cutting or on failure.
    /// departure: the port's caller expects the skb's data back at the TCP
    /// header, so the pull is undone before returning.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    [Borrows("skb")]
    public static sk_buff? tcp_gso_segment(sk_buff skb, ulong features)
    {
        var gso_skb = skb;
        uint sum_truesize = 0;

        var th = tcp_hdr(skb);
        var thlen = th.doff * 4;
        if (thlen < tcphdr.Size)
        {
            return null;
        }

        // the check field must be where the offloaded sum starts
        if (skb_checksum_start(skb) != skb_transport_header(skb))
        {
            return null;
        }

        if (!pskb_may_pull(skb, thlen))
        {
            return null;
        }

        var oldlen = ~(uint)skb.len;
        __skb_pull(skb, thlen);

        var mss = skb.shinfo.gso_size;
        if (skb.len <= mss)
        {
            __skb_push(skb, thlen);
            return null;
        }

        // not ported: the skb_gso_ok(features | NETIF_F_GSO_ROBUST) shortcut that only recounts gso_segs —
        // the port segments only for a device that cannot take the skb whole.
        var copy_destructor = gso_skb.destructor == tcp_output_c.tcp_wfree;

        var segs = skb_segment(skb, features);
        __skb_push(skb, thlen);
        if (segs is null)
        {
            return null;
        }

        // not ported: skb_is_gso(segs) (GSO partial and frag_list segments that stay GSO) — neither is ported.
        // Each full segment's length goes into the pseudo-header sum in place of the whole skb's.
        var delta = oldlen + (uint)thlen + mss;

        skb = segs;
        th = tcp_hdr(skb);
        var seq = th.seq;

        if ((gso_skb.shinfo.tx_flags & SKBTX_ANY_TSTAMP) != 0)
        {
            tcp_gso_tstamp(segs, gso_skb, seq, mss);
        }

        var newcheck = (ushort)~checksum_h.csum_fold(checksum_h.csum_add(checksum_h.csum_unfold(th.check), delta));

        // not ported: SKB_GSO_TCP_ACCECN (AccECN) — CWR is kept on the first segment only.
        while (skb.next is not null)
        {
            th.flags = (byte)(th.flags & ~(TCPHDR_FIN | TCPHDR_PSH));
            th.check = newcheck;

            if (skb.ip_summed == CHECKSUM_PARTIAL)
            {
                gso_h.gso_reset_checksum(skb, (ushort)~th.check);
            }
            else
            {
                th.check = gso_h.gso_make_checksum(skb, (ushort)~th.check);
            }

            seq += mss;
            if (copy_destructor)
            {
                skb.destructor = gso_skb.destructor;
                skb.sk = gso_skb.sk;
                sum_truesize += skb.truesize;
            }

            skb = skb.next;
            th = tcp_hdr(skb);

            th.seq = seq;
            th.flags = (byte)(th.flags & ~TCPHDR_CWR);
        }

        // the last segment carries the socket's accounting: what the gso skb held moves to the segments
        if (copy_destructor)
        {
            (gso_skb.sk, skb.sk) = (skb.sk, gso_skb.sk);
            (gso_skb.destructor, skb.destructor) = (skb.destructor, gso_skb.destructor);
            sum_truesize += skb.truesize;
            var wdelta = (int)sum_truesize - (int)gso_skb.truesize;
            skb.sk!.sk_wmem_alloc += wdelta;
        }

        // the last segment may be shorter: its own length
        // not ported: skb_tail_pointer — written out: tail and transport_header are offsets into the head
        delta = oldlen + (uint)(skb.tail - skb.transport_header) + (uint)skb.data_len;
        th.check = (ushort)~checksum_h.csum_fold(checksum_h.csum_add(checksum_h.csum_unfold(th.check), delta));
        if (skb.ip_summed == CHECKSUM_PARTIAL)
        {
            gso_h.gso_reset_checksum(skb, (ushort)~th.check);
        }
        else
        {
            th.check = gso_h.gso_make_checksum(skb, (ushort)~th.check);
        }

        return segs;
    }

    /// <summary>TCP_FLAG_* (include/uapi/linux/tcp.h): the flag bits of tcp_flag_word in host order.</summary>
    private const uint TCP_FLAG_CWR = 0x00800000;
    private const uint TCP_FLAG_URG = 0x00200000;
    private const uint TCP_FLAG_PSH = 0x00080000;
    private const uint TCP_FLAG_RST = 0x00040000;
    private const uint TCP_FLAG_SYN = 0x00020000;
    private const uint TCP_FLAG_FIN = 0x00010000;

    /// <summary>tcp_flag_word of a header span (its fourth 32-bit word).</summary>
    [NotInLinux("tcp_flag_word is a macro over struct tcphdr; here a read of the header span's fourth word")]
    private static uint flag_word(ReadOnlySpan<byte> th) => BinaryPrimitives.ReadUInt32BigEndian(th[12..]);

    // net/ipv4/tcp_offload.c: tcp_gro_lookup
    /// <summary>The held skb of this connection (same ports, among those still same_flow); the others stop being candidates.</summary>
    public static sk_buff? tcp_gro_lookup(List<sk_buff> head, ReadOnlySpan<byte> th)
    {
        foreach (var p in head)
        {
            if (!NAPI_GRO_CB(p).same_flow)
            {
                continue;
            }

            // not ported: tcp_hdr — the held skb's header is read as a span at its transport_header
            var th2 = p.head.AsSpan(p.transport_header, 4);
            if (BinaryPrimitives.ReadUInt32BigEndian(th) != BinaryPrimitives.ReadUInt32BigEndian(th2))
            {
                NAPI_GRO_CB(p).same_flow = false;
                continue;
            }

            return p;
        }

        return null;
    }

    // net/ipv4/tcp_offload.c: tcp_gro_pull_header
    /// <summary>The whole TCP header (options too), pulled past: empty (NULL) when the packet is too short or doff too small.</summary>
    [Borrows("skb")]
    public static Span<byte> tcp_gro_pull_header(sk_buff skb)
    {
        var off = skb_gro_offset(skb);
        var hlen = off + tcphdr.Size;
        var th = skb_gro_header(skb, hlen, off);
        if (th.IsEmpty)
        {
            return Span<byte>.Empty;
        }

        var thlen = new tcphdr(th).doff * 4;
        if (thlen < tcphdr.Size)
        {
            return Span<byte>.Empty;
        }

        hlen = off + thlen;
        if (!skb_gro_may_pull(skb, hlen))
        {
            th = skb_gro_header_slow(skb, hlen, off);
            if (th.IsEmpty)
            {
                return Span<byte>.Empty;
            }
        }

        skb_gro_pull(skb, thlen);
        return th[..thlen];
    }

    // net/ipv4/tcp_offload.c: tcp_gro_receive
    /// <summary>
    /// Merges the segment into its connection's held skb when it is the
    /// next in sequence and nothing differs that must not: flags (but FIN
    /// and PSH), ACK number, window and options (all of the header past
    /// the ports and sequence), the IP rule (ID, TTL, TOS), a payload no
    /// larger than the held skb's gso_size. A segment shorter than that
    /// size, or with URG, PSH, RST, SYN or FIN, ends the flow: the held skb
    /// is returned to be completed, and a segment not merged is flushed.
    /// </summary>
    [Borrows("skb")]
    public static sk_buff? tcp_gro_receive(List<sk_buff> head, sk_buff skb, ReadOnlySpan<byte> th)
    {
        var thlen = th.Length;
        sk_buff? pp = null;
        var mss = 1;
        var flush = 1;

        // not ported: tcp_flag_word, tcp_hdr — the macro reads the header's fourth word: flag_word does, on the
        //   header spans (the held skb's at its transport_header)
        var len = skb_gro_len(skb);
        var flags = flag_word(th);

        var p = tcp_gro_lookup(head, th);
        if (p is null)
        {
            goto out_check_final;
        }

        var th2 = p.head.AsSpan(p.transport_header, thlen);
        flush = (int)(flags & TCP_FLAG_CWR);
        flush |= (int)((flags ^ flag_word(th2)) & ~(TCP_FLAG_FIN | TCP_FLAG_PSH));
        flush |= (int)(BinaryPrimitives.ReadUInt32BigEndian(th[8..]) ^ BinaryPrimitives.ReadUInt32BigEndian(th2[8..]));
        for (var i = tcphdr.Size; i < thlen; i += 4)
        {
            flush |= (int)(BinaryPrimitives.ReadUInt32BigEndian(th[i..]) ^ BinaryPrimitives.ReadUInt32BigEndian(th2[i..]));
        }

        // th2 is read with the held skb's header length: a different doff differs in the flag word already.
        flush |= gro_receive_network_flush(skb, skb_gro_offset(skb) - thlen, p);

        mss = p.shinfo.gso_size;

        // A GSO skb must have the held skb's gso_size; a single segment no more than it.
        if (skb_is_gso(skb))
        {
            flush |= mss != skb.shinfo.gso_size ? 1 : 0;
        }
        else
        {
            flush |= (uint)(len - 1) >= (uint)mss ? 1 : 0;
        }

        flush |= (int)((BinaryPrimitives.ReadUInt32BigEndian(th2[4..]) + (uint)skb_gro_len(p)) ^ BinaryPrimitives.ReadUInt32BigEndian(th[4..]));

        // skb_cmp_decrypted: no kTLS.
        // not ported: skb_set_network_header, skb_gro_receive_network_offset, skb_gro_receive_list — the
        //   NAPI_GRO_CB(p)->is_flist path: fraglist GRO is not ported
        if (flush != 0 || skb_gro_receive(p, skb) != 0)
        {
            mss = 1;
            goto out_check_final;
        }

        // The merged skb ends with this segment's FIN and PSH.
        var word = flag_word(th2) | (flags & (TCP_FLAG_FIN | TCP_FLAG_PSH));
        BinaryPrimitives.WriteUInt32BigEndian(th2[12..], word);

    out_check_final:
        // A segment shorter than the flow's size ends it.
        if (skb_is_gso(skb))
        {
            flush = len != NAPI_GRO_CB(skb).count * skb.shinfo.gso_size ? 1 : 0;
        }
        else
        {
            flush = len < mss ? 1 : 0;
        }

        flush |= (int)(flags & (TCP_FLAG_URG | TCP_FLAG_PSH | TCP_FLAG_RST | TCP_FLAG_SYN | TCP_FLAG_FIN));

        if (p is not null && (!NAPI_GRO_CB(skb).same_flow || flush != 0))
        {
            pp = p;
        }

        NAPI_GRO_CB(skb).flush |= flush != 0 ? 1 : 0;
        return pp;
    }

    // net/ipv4/tcp_offload.c: tcp_gro_complete
    /// <summary>The merged skb goes up as CHECKSUM_PARTIAL (each segment was verified), standing for count segments.</summary>
    [Borrows("skb")]
    public static void tcp_gro_complete(sk_buff skb)
    {
        var th = tcp_hdr(skb);

        // skb->encapsulation: no tunnels. The pseudo-header sum is in th->check;
        // skb_checksum_help would finish it from the TCP header.
        skb.csum_start = skb.transport_header;
        skb.csum_offset = 16; // offsetof(struct tcphdr, check)
        skb.ip_summed = CHECKSUM_PARTIAL;
        var shinfo = skb.shinfo;
        shinfo.gso_segs = NAPI_GRO_CB(skb).count;

        // not ported: SKB_GSO_TCP_ACCECN on CWR (AccECN is not ported; a CWR segment is flushed, never merged into).
        _ = th;
    }

    // net/ipv4/tcp_offload.c: tcp4_gro_receive
    /// <summary>TCP over IPv4's gro_receive: the checksum is verified once here (unless the skb is to be flushed anyway), then tcp_gro_receive.</summary>
    [Borrows("skb")]
    public static sk_buff? tcp4_gro_receive(List<sk_buff> head, sk_buff skb)
    {
        // No need to check the sum of a segment that goes up as it is.
        if (NAPI_GRO_CB(skb).flush == 0 && skb_gro_checksum_validate(skb, in_h.IPPROTO_TCP, inet_gro_compute_pseudo) != 0)
        {
            goto flush;
        }

        var th = tcp_gro_pull_header(skb);
        if (th.IsEmpty)
        {
            goto flush;
        }

        // tcp4_check_fraglist_gro: NETIF_F_GRO_FRAGLIST is not offered.
        return tcp_gro_receive(head, skb, th);

    flush:
        NAPI_GRO_CB(skb).flush = 1;
        return null;
    }

    // net/ipv4/tcp_offload.c: tcp4_gro_complete
    /// <summary>The merged skb's TCP checksum becomes the pseudo-header sum over the whole length (as a CHECKSUM_PARTIAL skb has it); gso_type TCPV4 (FIXEDID if the flow kept one IP ID).</summary>
    [Borrows("skb")]
    public static int tcp4_gro_complete(sk_buff skb, int thoff)
    {
        var offset = NAPI_GRO_CB(skb).network_offset;
        var iph = new iphdr(skb.head.AsSpan(skb.data + offset));
        var th = tcp_hdr(skb);

        // not ported: __skb_incr_checksum_unnecessary — the is_flist path: fraglist GRO is not ported
        th.check = (ushort)~tcp_v4_check(skb.len - thoff, iph.saddr, iph.daddr, 0);
        skb.shinfo.gso_type |= SKB_GSO_TCPV4 | (uint)(NAPI_GRO_CB(skb).ip_fixedid * (int)SKB_GSO_TCP_FIXEDID);
        tcp_gro_complete(skb);
        return 0;
    }
}
