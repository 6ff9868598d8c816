// Ports include/net/gro.h: the GRO control block (NAPI_GRO_CB), how the
// protocol handlers look at a packet's headers while GRO holds it
// (skb_gro_header, skb_gro_pull, frag0), the checksum validation GRO does
// once per segment, the IPv4 flush rule (inet_gro_flush), and the batch of
// packets GRO hands up in one go (gro_normal_one / gro_normal_list).
//
// departure: frag0 is a byte array and an offset in it (a pointer in C).
// not ported: IPv6 (ipv6_gro_flush, ip6_gro_compute_pseudo), remote checksum
// offload (gro_remcsum), tunnels (encap_mark stays 0, so the inner network
// offset is never looked at), csum_level (one level of CHECKSUM_UNNECESSARY).
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Kernel.Include.Net;

/// <summary>gro_result_t.</summary>
public enum gro_result_t
{
    GRO_MERGED = 0,
    GRO_MERGED_FREE,
    GRO_HELD,
    GRO_NORMAL,
    GRO_CONSUMED,
}

/// <summary>
/// struct napi_gro_cb: what GRO keeps about an skb in skb->cb while the
/// skb goes through the handlers or waits on a gro_list (kept in cb_obj).
/// </summary>
public sealed class napi_gro_cb : ISkbControlBlock
{
    /// <summary>frag0: where the headers can be read without a pull (the linear data, or the first page frag).</summary>
    public byte[] frag0 { get; set; } = Array.Empty<byte>();

    /// <summary>departure: the offset of frag0 in its array.</summary>
    public int frag0_off { get; set; }

    /// <summary>How many bytes frag0 has.</summary>
    public int frag0_len { get; set; }

    /// <summary>The skb the next merged one goes after (p itself, or the last on its frag_list).</summary>
    public sk_buff? last { get; set; }

    /// <summary>jiffies when the skb went onto its gro_list (flush_old takes only older ones).</summary>
    public ulong age { get; set; }

    /// <summary>How far the handlers have got into the headers, from skb->data.</summary>
    public int data_offset { get; set; }

    /// <summary>Non-zero: this skb must not be held or merged into (it goes up as it is).</summary>
    public int flush { get; set; }

    /// <summary>The segments this skb stands for.</summary>
    public ushort count { get; set; }

    /// <summary>The IP protocol, set by inet_gro_receive.</summary>
    public ushort proto { get; set; }

    public ushort gro_remcsum_start { get; set; }

    /// <summary>On a held skb: could the packet being received belong to its flow? On the received one: it was merged.</summary>
    public bool same_flow { get; set; }

    public bool encap_mark { get; set; }

    /// <summary>csum holds a verified sum over the data from data_offset.</summary>
    public bool csum_valid { get; set; }

    /// <summary>Levels of CHECKSUM_UNNECESSARY still to use up.</summary>
    public int csum_cnt { get; set; }

    /// <summary>NAPI_GRO_FREE, NAPI_GRO_FREE_STOLEN_HEAD: how the merged skb's leftover is to be freed.</summary>
    public int free { get; set; }

    /// <summary>The flow keeps one IP ID (bit 0 outer, bit 1 inner) rather than incrementing it.</summary>
    public int ip_fixedid { get; set; }

    public int recursion_counter { get; set; }

    public bool is_flist { get; set; }

    public uint csum { get; set; }

    public ushort network_offset { get; set; }

    public ushort inner_network_offset { get; set; }

    /// <summary>network_offsets[encap_mark].</summary>
    [NotInLinux("an index into the network_offsets[2] array of struct napi_gro_cb")]
    public ushort network_offsets(bool inner) => inner ? inner_network_offset : network_offset;

    /// <summary>The whole block zero, as a fresh skb's cb reads: what the port's code found in a new napi_gro_cb.</summary>
    [NotInLinux("the zeroed skb->cb that NAPI_GRO_CB casts, field by field")]
    internal void memset()
    {
        frag0 = Array.Empty<byte>();
        frag0_off = 0;
        frag0_len = 0;
        last = null;
        age = 0;
        data_offset = 0;
        flush = 0;
        count = 0;
        proto = 0;
        csum = 0;
        network_offset = 0;
        inner_network_offset = 0;
        clear_zeroed();
    }

    /// <inheritdoc/>
    [NotInLinux("C# copy of NAPI_GRO_CB(skb): C copies skb->cb with memcpy")]
    [Borrows("to")]
    public ISkbControlBlock copy_to(sk_buff to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var c = to.cb_view<napi_gro_cb>();
        c.frag0 = frag0;
        c.frag0_off = frag0_off;
        c.frag0_len = frag0_len;
        c.last = last;
        c.age = age;
        c.data_offset = data_offset;
        c.flush = flush;
        c.count = count;
        c.proto = proto;
        c.gro_remcsum_start = gro_remcsum_start;
        c.same_flow = same_flow;
        c.encap_mark = encap_mark;
        c.csum_valid = csum_valid;
        c.csum_cnt = csum_cnt;
        c.free = free;
        c.ip_fixedid = ip_fixedid;
        c.recursion_counter = recursion_counter;
        c.is_flist = is_flist;
        c.csum = csum;
        c.network_offset = network_offset;
        c.inner_network_offset = inner_network_offset;
        return c;
    }

    /// <summary>The zeroed group: cleared when the skb enters dev_gro_receive.</summary>
    [NotInLinux("dev_gro_receive clears the zeroed union member with one store; here field by field")]
    public void clear_zeroed()
    {
        gro_remcsum_start = 0;
        same_flow = false;
        encap_mark = false;
        csum_valid = false;
        csum_cnt = 0;
        free = 0;
        ip_fixedid = 0;
        recursion_counter = 0;
        is_flist = false;
    }
}

public static class gro_h
{
    /// <summary>GRO_HASH_BUCKETS: the gro_lists of a NAPI, chosen by the low bits of the RX hash.</summary>
    public const int GRO_HASH_BUCKETS = 8;

    public const int NAPI_GRO_FREE = 1;
    public const int NAPI_GRO_FREE_STOLEN_HEAD = 2;

    /// <summary>GRO_RECURSION_LIMIT: how deep the handlers may nest (tunnels).</summary>
    public const int GRO_RECURSION_LIMIT = 15;

    /// <summary>GRO_LEGACY_MAX_SIZE: the largest packet GRO builds without BIG TCP (64 KiB).</summary>
    public const int GRO_LEGACY_MAX_SIZE = 65536;

    // include/net/gro.h: NAPI_GRO_CB
    /// <summary>The skb's GRO control block (the cb area in C; created on first use here).</summary>
    [Borrows("skb")]
    public static napi_gro_cb NAPI_GRO_CB(sk_buff skb)
    {
        if (skb.cb_obj is not napi_gro_cb cb)
        {
            cb = skb.cb_view<napi_gro_cb>();
            cb.memset();
            skb.cb_obj = cb;
        }

        return cb;
    }

    // include/net/gro.h: gro_recursion_inc_test
    /// <summary>One level deeper into the handlers; true when the limit is reached.</summary>
    [Borrows("skb")]
    public static bool gro_recursion_inc_test(sk_buff skb) => ++NAPI_GRO_CB(skb).recursion_counter == GRO_RECURSION_LIMIT;

    // include/net/gro.h: skb_gro_offset
    [Borrows("skb")]
    public static int skb_gro_offset(sk_buff skb) => NAPI_GRO_CB(skb).data_offset;

    // include/net/gro.h: skb_gro_len
    /// <summary>The bytes after the headers the handlers have gone past: the payload at the top layer.</summary>
    [Borrows("skb")]
    public static int skb_gro_len(sk_buff skb) => skb.len - NAPI_GRO_CB(skb).data_offset;

    // include/net/gro.h: skb_gro_pull
    [Borrows("skb")]
    public static void skb_gro_pull(sk_buff skb, int len) => NAPI_GRO_CB(skb).data_offset += len;

    // include/net/gro.h: skb_gro_header_fast
    /// <summary>The bytes at <paramref name="offset"/> of frag0.</summary>
    [Borrows("skb")]
    public static Span<byte> skb_gro_header_fast(sk_buff skb, int offset)
    {
        var cb = NAPI_GRO_CB(skb);
        return cb.frag0.AsSpan(cb.frag0_off + offset, cb.frag0_len - offset);
    }

    // include/net/gro.h: skb_gro_may_pull
    /// <summary>Are the first <paramref name="hlen"/> bytes in frag0?</summary>
    [Borrows("skb")]
    public static bool skb_gro_may_pull(sk_buff skb, int hlen) => hlen <= NAPI_GRO_CB(skb).frag0_len;

    // include/net/gro.h: skb_gro_header_slow
    /// <summary>Pulls <paramref name="hlen"/> bytes into the head; the bytes at <paramref name="offset"/>, or empty (NULL) when the packet is too short.</summary>
    [Borrows("skb")]
    public static Span<byte> skb_gro_header_slow(sk_buff skb, int hlen, int offset)
    {
        if (!pskb_may_pull(skb, hlen))
        {
            return Span<byte>.Empty;
        }

        return skb.head.AsSpan(skb.data + offset, skb_headlen(skb) - offset);
    }

    // include/net/gro.h: skb_gro_header
    /// <summary>The header at <paramref name="offset"/>, <paramref name="hlen"/> - offset bytes of it at least: from frag0, or pulled; empty when the packet is too short.</summary>
    [Borrows("skb")]
    public static Span<byte> skb_gro_header(sk_buff skb, int hlen, int offset)
    {
        if (!skb_gro_may_pull(skb, hlen))
        {
            return skb_gro_header_slow(skb, hlen, offset);
        }

        return skb_gro_header_fast(skb, offset);
    }

    // include/net/gro.h: skb_gro_receive_network_offset
    [Borrows("skb")]
    public static int skb_gro_receive_network_offset(sk_buff skb) => NAPI_GRO_CB(skb).network_offsets(NAPI_GRO_CB(skb).encap_mark);

    // include/net/gro.h: skb_gro_network_header
    /// <summary>The network header of the skb being received (from frag0 when the headers are there).</summary>
    [Borrows("skb")]
    public static Span<byte> skb_gro_network_header(sk_buff skb)
    {
        if (skb_gro_may_pull(skb, skb_gro_offset(skb)))
        {
            return skb_gro_header_fast(skb, skb_gro_receive_network_offset(skb));
        }

        return skb.head.AsSpan(skb.data + skb_gro_receive_network_offset(skb));
    }

    // include/net/gro.h: inet_gro_compute_pseudo
    /// <summary>The pseudo-header sum over the IPv4 addresses, the GRO length and <paramref name="proto"/>.</summary>
    [Borrows("skb")]
    public static uint inet_gro_compute_pseudo(sk_buff skb, int proto)
    {
        var iph = new iphdr(skb_gro_network_header(skb));
        return checksum_h.csum_tcpudp_nofold(iph.saddr, iph.daddr, skb_gro_len(skb), (byte)proto, 0);
    }

    // include/net/gro.h: skb_at_gro_remcsum_start
    [Borrows("skb")]
    public static bool skb_at_gro_remcsum_start(sk_buff skb) => NAPI_GRO_CB(skb).gro_remcsum_start == skb_gro_offset(skb);

    // include/net/gro.h: __skb_gro_checksum_validate_needed
    /// <summary>Must the sum still be checked: not offloaded (PARTIAL, UNNECESSARY levels left), and present when zero means none.</summary>
    [Borrows("skb")]
    public static bool __skb_gro_checksum_validate_needed(sk_buff skb, bool zero_okay, ushort check)
    {
        // A CHECKSUM_PARTIAL skb needs checking only for a header its pending sum does not cover (one before csum_start).
        return (skb.ip_summed != CHECKSUM_PARTIAL || skb_checksum_start_offset(skb) < skb_gro_offset(skb)) &&
            !skb_at_gro_remcsum_start(skb) &&
            NAPI_GRO_CB(skb).csum_cnt == 0 &&
            (!zero_okay || check != 0);
    }

    // include/net/gro.h: __skb_gro_checksum_validate_complete
    /// <summary>0 when the sum over the payload plus <paramref name="psum"/> checks out.</summary>
    [Borrows("skb")]
    public static ushort __skb_gro_checksum_validate_complete(sk_buff skb, uint psum)
    {
        var cb = NAPI_GRO_CB(skb);
        if (cb.csum_valid && checksum_h.csum_fold(checksum_h.csum_add(psum, cb.csum)) == 0)
        {
            return 0;
        }

        cb.csum = psum;
        return KernelNet.Kernel.Net.Core.gro_c.__skb_gro_checksum_complete(skb);
    }

    // include/net/gro.h: skb_gro_incr_csum_unnecessary
    /// <summary>A level of the checksum verified: used up from csum_cnt, or recorded on the skb (CHECKSUM_UNNECESSARY).</summary>
    [Borrows("skb")]
    public static void skb_gro_incr_csum_unnecessary(sk_buff skb)
    {
        var cb = NAPI_GRO_CB(skb);
        if (cb.csum_cnt > 0)
        {
            cb.csum_cnt--;
        }
        else
        {
            __skb_incr_checksum_unnecessary(skb);
        }
    }

    // include/net/gro.h: __skb_gro_checksum_validate
    /// <summary>Checks the transport checksum once, while GRO looks at the segment; 0 when good (the skb then counts as verified).</summary>
    [Borrows("skb")]
    public static ushort __skb_gro_checksum_validate(sk_buff skb, int proto, bool zero_okay, ushort check, Func<sk_buff, int, uint> compute_pseudo)
    {
        ushort ret = 0;
        if (__skb_gro_checksum_validate_needed(skb, zero_okay, check))
        {
            ret = __skb_gro_checksum_validate_complete(skb, compute_pseudo(skb, proto));
        }

        if (ret == 0)
        {
            skb_gro_incr_csum_unnecessary(skb);
        }

        return ret;
    }

    // include/net/gro.h: skb_gro_checksum_validate
    [Borrows("skb")]
    public static ushort skb_gro_checksum_validate(sk_buff skb, int proto, Func<sk_buff, int, uint> compute_pseudo) =>
        __skb_gro_checksum_validate(skb, proto, false, 0, compute_pseudo);

    // include/net/gro.h: skb_gro_checksum_validate_zero_check
    [Borrows("skb")]
    public static ushort skb_gro_checksum_validate_zero_check(sk_buff skb, int proto, ushort check, Func<sk_buff, int, uint> compute_pseudo) =>
        __skb_gro_checksum_validate(skb, proto, true, check, compute_pseudo);

    // include/net/gro.h: __skb_gro_checksum_convert_check
    [Borrows("skb")]
    public static bool __skb_gro_checksum_convert_check(sk_buff skb) => NAPI_GRO_CB(skb).csum_cnt == 0 && !NAPI_GRO_CB(skb).csum_valid;

    // include/net/gro.h: __skb_gro_checksum_convert
    [Borrows("skb")]
    public static void __skb_gro_checksum_convert(sk_buff skb, uint pseudo)
    {
        NAPI_GRO_CB(skb).csum = ~pseudo;
        NAPI_GRO_CB(skb).csum_valid = true;
    }

    // include/net/gro.h: skb_gro_checksum_try_convert
    [Borrows("skb")]
    public static void skb_gro_checksum_try_convert(sk_buff skb, int proto, Func<sk_buff, int, uint> compute_pseudo)
    {
        if (__skb_gro_checksum_convert_check(skb))
        {
            __skb_gro_checksum_convert(skb, compute_pseudo(skb, proto));
        }
    }

    // include/net/gro.h: skb_gro_flush_final
    /// <summary>The handler's verdict joins the skb's flush.</summary>
    [Borrows("skb")]
    [Borrows("pp")]
    public static void skb_gro_flush_final(sk_buff skb, sk_buff? pp, int flush) => NAPI_GRO_CB(skb).flush |= flush;

    // include/net/gro.h: udp_gro_udphdr
    /// <summary>The UDP header at the GRO offset, or empty (NULL) when the packet is too short.</summary>
    [Borrows("skb")]
    public static Span<byte> udp_gro_udphdr(sk_buff skb)
    {
        var off = skb_gro_offset(skb);
        var hlen = off + udphdr.Size;
        return skb_gro_header(skb, hlen, off);
    }

    // include/net/gro.h: inet_gro_flush
    /// <summary>
    /// Must the held flow be flushed because of the IPv4 header? TTL, TOS or
    /// DF differ, or the IP ID is not the held packet's plus its segment
    /// count (unless the second packet showed the flow keeps a fixed ID).
    /// </summary>
    [Borrows("p")]
    public static int inet_gro_flush(iphdr iph, iphdr iph2, sk_buff p, bool inner)
    {
        var id = BinaryPrimitives.ReadUInt32BigEndian(iph.bytes[4..]);
        var id2 = BinaryPrimitives.ReadUInt32BigEndian(iph2.bytes[4..]);
        var ipid_offset = (ushort)((id >> 16) - (id2 >> 16));
        var count = NAPI_GRO_CB(p).count;
        var bit = inner ? 1 : 0;

        // Everything but the length and the checksum must match.
        if (((iph.ttl ^ iph2.ttl) | (iph.tos ^ iph2.tos) | (int)((id ^ id2) & Uapi.Linux.ip_h.IP_DF)) != 0)
        {
            return 1;
        }

        // The second packet decides: a fixed ID, or one that counts up.
        if (count == 1 && ipid_offset == 0)
        {
            NAPI_GRO_CB(p).ip_fixedid |= 1 << bit;
        }

        var fixedid = (NAPI_GRO_CB(p).ip_fixedid & (1 << bit)) != 0;
        return ipid_offset ^ (fixedid ? 0 : count);
    }

    // include/net/gro.h: __gro_receive_network_flush
    /// <summary>
    /// The network-layer flush for the headers <paramref name="diff"/> bytes
    /// before the transport headers: <paramref name="th_off"/> is where the
    /// received skb's transport header is (a GRO offset), p's is its
    /// transport_header.
    /// </summary>
    [Borrows("skb")]
    [Borrows("p")]
    public static int __gro_receive_network_flush(sk_buff skb, int th_off, sk_buff p, int diff, bool inner)
    {
        var off = th_off - diff;
        var nh = new iphdr(skb_gro_may_pull(skb, off + iphdr.Size) ? skb_gro_header_fast(skb, off) : skb.head.AsSpan(skb.data + off));
        var nh2 = new iphdr(p.head.AsSpan(p.transport_header - diff));

        // not ported: ipv6_gro_flush (no IPv6 GRO).
        return inet_gro_flush(nh, nh2, p, inner);
    }

    // include/net/gro.h: gro_receive_network_flush
    /// <summary>inet_gro_flush between the received skb (transport header at GRO offset <paramref name="th_off"/>) and the held one, at the held one's network offset.</summary>
    [Borrows("skb")]
    [Borrows("p")]
    public static int gro_receive_network_flush(sk_buff skb, int th_off, sk_buff p)
    {
        var off = skb_transport_offset(p);
        var flush = __gro_receive_network_flush(skb, th_off, p, off - NAPI_GRO_CB(p).network_offset, false);
        if (NAPI_GRO_CB(p).encap_mark)
        {
            flush |= __gro_receive_network_flush(skb, th_off, p, off - NAPI_GRO_CB(p).inner_network_offset, true);
        }

        return flush;
    }

    // include/net/gro.h: gro_flush
    /// <summary>Completes what the NAPI holds (<paramref name="flush_old"/>: only what was held before this jiffy).</summary>
    public static void gro_flush(napi_struct gro, bool flush_old)
    {
        if (gro.gro_bitmask == 0)
        {
            return;
        }

        KernelNet.Kernel.Net.Core.gro_c.__gro_flush(gro, flush_old);
    }

    // include/net/gro.h: napi_gro_flush
    public static void napi_gro_flush(napi_struct napi, bool flush_old) => gro_flush(napi, flush_old);

    // include/net/gro.h: gro_normal_list
    /// <summary>Delivers the batch up the stack (netif_receive_skb_list_internal).</summary>
    public static void gro_normal_list(napi_struct gro)
    {
        if (gro.gro_rx_count == 0)
        {
            return;
        }

        var batch = new List<sk_buff>(gro.gro_rx_list);
        gro.gro_rx_list.Clear();
        gro.gro_rx_count = 0;
        netif_receive_skb_list_internal(batch);
    }

    // include/net/gro.h: gro_flush_normal
    /// <summary>Completes the held flows, then delivers the batch.</summary>
    public static void gro_flush_normal(napi_struct gro, bool flush_old)
    {
        gro_flush(gro, flush_old);
        gro_normal_list(gro);
    }

    // include/net/gro.h: gro_normal_one
    /// <summary>Adds an skb standing for <paramref name="segs"/> segments to the batch; a full batch (gro_normal_batch segments) goes up at once.</summary>
    [Consumes("skb")]
    public static void gro_normal_one(napi_struct gro, sk_buff skb, int segs)
    {
        gro.gro_rx_list.Add(skb);
        gro.gro_rx_count += segs;
        if (gro.gro_rx_count >= gro.k.net_hotdata.gro_normal_batch)
        {
            gro_normal_list(gro);
        }
    }
}
