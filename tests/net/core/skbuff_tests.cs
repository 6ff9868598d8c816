using System;
using System.Globalization;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Core;

public sealed class skbuff_tests
{
    // demonstrates RX-14 and LAYER-2: headers are added into headroom and
    // removed by moving data; the payload bytes never move.
    [Fact]
    public void push_and_pull_move_data_within_one_buffer_without_copying_the_payload()
    {
        var rig = new KernelRig();
        var skb = alloc_skb(rig.K, 256)!;
        skb_reserve(skb, 64);
        var payload = skb_put(skb, 5);
        "hello"u8.CopyTo(skb.head.AsSpan(payload));
        var buffer = skb.head;

        skb_push(skb, 8);   // UDP header
        skb_push(skb, 20);  // IP header
        skb_push(skb, 14);  // Ethernet header
        Assert.Equal(47, skb.len);
        Assert.Equal(64 - 42, skb_headroom(skb));

        skb_pull(skb, 14);
        skb_pull(skb, 20);
        skb_pull(skb, 8);
        Assert.Same(buffer, skb.head);
        Assert.Equal(payload, skb.data);
        Assert.Equal("hello"u8.ToArray(), skb.data_span.ToArray());
        consume_skb(skb);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    [Fact]
    public void push_without_headroom_is_a_kernel_bug()
    {
        var rig = new KernelRig();
        var skb = alloc_skb(rig.K, 64)!;
        Assert.Throws<InvalidOperationException>(() => skb_push(skb, 1));
    }

    // demonstrates TX-2's mechanism: a clone shares the data buffer; each must be freed.
    [Fact]
    public void clone_shares_the_data_buffer_and_both_must_be_freed()
    {
        var rig = new KernelRig();
        var skb = alloc_skb(rig.K, 128)!;
        skb_put(skb, 100);
        var clone = skb_clone(skb)!;

        Assert.Same(skb.head, clone.head);
        Assert.True(skb_cloned(skb));
        Assert.True(skb_cloned(clone));
        Assert.NotEqual(skb.addr, clone.addr);
        Assert.Equal(2, rig.K.skb_ledger.Live);

        consume_skb(clone);
        Assert.False(skb_cloned(skb));
        consume_skb(skb);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    [Fact]
    public void copy_has_its_own_buffer_with_the_same_bytes()
    {
        var rig = new KernelRig();
        var skb = alloc_skb(rig.K, 128)!;
        skb_reserve(skb, 16);
        var at = skb_put(skb, 3);
        new byte[] { 1, 2, 3 }.CopyTo(skb.head, at);

        var copy = skb_copy(skb)!;

        Assert.NotSame(skb.head, copy.head);
        Assert.Equal(skb.data_span.ToArray(), copy.data_span.ToArray());
        Assert.Equal(16, skb_headroom(copy));
        consume_skb(skb);
        consume_skb(copy);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    [Fact]
    public void double_free_is_caught_by_the_ledger()
    {
        var rig = new KernelRig();
        var skb = alloc_skb(rig.K, 64)!;
        consume_skb(skb);
        Assert.Throws<InvalidOperationException>(() => __kfree_skb(skb));
    }

    [Fact]
    public void an_extra_reference_defers_the_free_until_the_last_put()
    {
        var rig = new KernelRig();
        var skb = alloc_skb(rig.K, 64)!;
        skb_get(skb);
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        Assert.Equal(1, rig.K.skb_ledger.Live);
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    [Fact]
    public void kfree_skb_reason_traces_the_reason_and_the_dropping_function()
    {
        var rig = new KernelRig();
        rig.K.trace.set_event("skb:kfree_skb");
        var skb = alloc_skb(rig.K, 64)!;
        skb.protocol = 0x0800;

        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_IP_CSUM);

        var e = Assert.Single(rig.K.trace.entries);
        Assert.Equal(
            $"skbaddr={skb.addr:x16} rx_sk=0000000000000000 protocol=2048 location=kfree_skb_reason_traces_the_reason_and_the_dropping_function+0x0/0x0 reason: IP_CSUM",
            e.Text);
    }

    [Fact]
    public void drop_reason_values_match_the_running_kernel()
    {
        // values from the kfree_skb tracepoint's symbol table on 6.18.44
        Assert.Equal(2, (int)skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        Assert.Equal(3, (int)skb_drop_reason.SKB_DROP_REASON_NO_SOCKET);
        Assert.Equal(6, (int)skb_drop_reason.SKB_DROP_REASON_SOCKET_RCVBUFF);
        Assert.Equal(71, (int)skb_drop_reason.SKB_DROP_REASON_CPU_BACKLOG);
        Assert.Equal(128, (int)skb_drop_reason.SKB_DROP_REASON_MAX);
    }
    /// <summary>An skb of 3 + 4 + 5 bytes (1..12): 3 in its head, the rest in two skbs on its frag_list.</summary>
    private static (sk_buff Head, sk_buff A, sk_buff B) WithFragList(KernelRig rig)
    {
        var head = alloc_skb(rig.K, 64)!;
        skb_reserve(head, 16);
        new byte[] { 1, 2, 3 }.CopyTo(head.head, skb_put(head, 3));
        var a = alloc_skb(rig.K, 64)!;
        new byte[] { 4, 5, 6, 7 }.CopyTo(a.head, skb_put(a, 4));
        var b = alloc_skb(rig.K, 64)!;
        new byte[] { 8, 9, 10, 11, 12 }.CopyTo(b.head, skb_put(b, 5));
        head.shinfo.frag_list = a;
        a.next = b;
        head.len += a.len + b.len;
        head.data_len += a.len + b.len;
        head.truesize += a.truesize + b.truesize;
        return (head, a, b);
    }

    // IP reassembly's datagrams: bytes past the head are read from the frag_list, in order.
    [Fact]
    public void skb_copy_bits_and_skb_checksum_walk_the_frag_list()
    {
        var rig = new KernelRig();
        var (head, _, _) = WithFragList(rig);
        var flat = Enumerable.Range(1, 12).Select(i => (byte)i).ToArray();

        var got = new byte[8];
        Assert.Equal(0, skb_copy_bits(head, 2, got, 8));
        Assert.Equal(flat[2..10], got);
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EFAULT, skb_copy_bits(head, 5, got, 8));

        // Blocks of odd length (3, then 4 at an odd position) sum as the flat bytes do.
        Assert.Equal(checksum_h.csum_fold(checksum_h.csum_partial(flat, 0)), checksum_h.csum_fold(skb_checksum(head, 0, 12, 0)));
        Assert.Equal(checksum_h.csum_fold(checksum_h.csum_partial(flat.AsSpan(1, 10), 0)), checksum_h.csum_fold(skb_checksum(head, 1, 10, 0)));

        consume_skb(head);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // __pskb_pull_tail: the eaten member is consumed, a partly eaten one pulled.
    [Fact]
    public void pskb_may_pull_copies_from_the_frag_list_into_the_head_and_consumes_what_it_ate()
    {
        var rig = new KernelRig();
        rig.K.trace.set_event("skb:consume_skb");
        var (head, a, b) = WithFragList(rig);

        Assert.True(pskb_may_pull(head, 9));

        Assert.Equal(9, skb_headlen(head));
        Assert.Equal(12, head.len);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, head.data_span.ToArray());
        Assert.Same(b, head.shinfo.frag_list);
        Assert.Equal(new byte[] { 10, 11, 12 }, b.data_span.ToArray());
        Assert.True(a.freed);
        var e = Assert.Single(rig.K.trace.entries);
        Assert.Equal($"skbaddr={a.addr:x16} location=__pskb_pull_tail+0x0/0x0", e.Text);
        Assert.False(pskb_may_pull(head, 13));

        consume_skb(head);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // ___pskb_trim: the member holding the new end is cut, the ones after it
    // freed; what is left is small enough for the head's tailroom, so
    // skb_condense pulls it in (an skb no socket owns).
    [Fact]
    public void pskb_trim_cuts_into_the_frag_list_frees_the_rest_and_condenses_a_small_remainder()
    {
        var rig = new KernelRig();
        var (head, a, b) = WithFragList(rig);

        Assert.Equal(0, pskb_trim(head, 5));

        Assert.Equal(5, head.len);
        Assert.Equal(0, head.data_len);
        Assert.Null(head.shinfo.frag_list);
        Assert.True(a.freed);
        Assert.True(b.freed);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, head.data_span.ToArray());

        consume_skb(head);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // skb_release_data: the frag_list belongs to the data; the last reference
    // frees it with the reason its caller gives — SKB_CONSUMED from the NAPI
    // cache path (consume_skb traced at skb_release_data), NOT_SPECIFIED
    // from __kfree_skb, which 6.18's consume_skb too goes through.
    [Theory]
    [InlineData(true, "consume_skb: skbaddr={0:x16} location=skb_release_data+0x0/0x0")]
    [InlineData(false, "kfree_skb: skbaddr={0:x16} rx_sk=0000000000000000 protocol=0 location=skb_release_data+0x0/0x0 reason: NOT_SPECIFIED")]
    public void the_last_reference_to_the_data_frees_the_frag_list_with_the_callers_reason(bool napi_cache, string expected)
    {
        var rig = new KernelRig();
        rig.K.trace.set_event("skb:*");
        var (head, a, b) = WithFragList(rig);
        var clone = skb_clone(head)!;
        Assert.Same(head.shinfo, clone.shinfo);

        consume_skb(clone);
        Assert.False(a.freed);
        rig.K.trace.clear();

        if (napi_cache)
        {
            __napi_kfree_skb(head, skb_drop_reason.SKB_CONSUMED);
        }
        else
        {
            consume_skb(head);
        }

        var frees = rig.K.trace.entries.Where(e => e.Text.Contains("skb_release_data", StringComparison.Ordinal)).Select(e => $"{e.Event}: {e.Text}").ToArray();
        Assert.Equal(new[] { string.Format(CultureInfo.InvariantCulture, expected, a.addr), string.Format(CultureInfo.InvariantCulture, expected, b.addr) }, frees);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // skb_morph: dst keeps its identity and takes src's data, as a clone would.
    [Fact]
    public void skb_morph_makes_an_skb_a_clone_of_another_and_lets_go_of_its_own_data()
    {
        var rig = new KernelRig();
        var src = alloc_skb(rig.K, 64)!;
        new byte[] { 7, 7 }.CopyTo(src.head, skb_put(src, 2));
        var dst = alloc_skb(rig.K, 64)!;
        skb_put(dst, 9);
        var addr = dst.addr;

        Assert.Same(dst, skb_morph(dst, src));

        Assert.Equal(addr, dst.addr);
        Assert.Same(src.head, dst.head);
        Assert.Equal(2, dst.len);
        Assert.True(skb_cloned(src));
        consume_skb(src);
        Assert.False(skb_cloned(dst));
        Assert.Equal(new byte[] { 7, 7 }, dst.data_span.ToArray());
        consume_skb(dst);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    /// <summary>An skb with <paramref name="headlen"/> linear bytes (1, 2, ...) and the rest in page frags: (page, offset, len) each, filled with the bytes that follow.</summary>
    private static sk_buff Paged(KernelRig rig, int headlen, params (page Page, int Off, int Len)[] frags)
    {
        var skb = alloc_skb(rig.K, 64)!;
        var n = 1;
        var at = skb_put(skb, headlen);
        for (var i = 0; i < headlen; i++)
        {
            skb.head[at + i] = (byte)n++;
        }

        for (var f = 0; f < frags.Length; f++)
        {
            var (pg, off, len) = frags[f];
            for (var i = 0; i < len; i++)
            {
                pg.mem[off + i] = (byte)n++;
            }

            mm_h.get_page(pg);
            skb_fill_page_desc(skb, f, pg, off, len);
            skb_len_add(skb, len);
        }

        return skb;
    }

    // skb_copy_bits and skb_checksum over a paged skb: the head's bytes, then each frag's, wherever in
    // its page the frag lies; the last free drops every page reference the frags held.
    [Fact]
    public void skb_copy_bits_and_skb_checksum_walk_the_head_then_the_page_frags()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var q = gfp_h.alloc_pages(rig.K, 0, 3)!;
        var skb = Paged(rig, 3, (p, 100, 4), (q, 7, 5));
        var flat = Enumerable.Range(1, 12).Select(i => (byte)i).ToArray();

        Assert.Equal(12, skb.len);
        Assert.Equal(9, skb.data_len);
        Assert.Equal(3, skb_headlen(skb));
        Assert.Equal(12, skb_pagelen(skb));
        var got = new byte[8];
        Assert.Equal(0, skb_copy_bits(skb, 2, got, 8));
        Assert.Equal(flat[2..10], got);
        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EFAULT, skb_copy_bits(skb, 5, got, 8));
        Assert.Equal(checksum_h.csum_fold(checksum_h.csum_partial(flat, 0)), checksum_h.csum_fold(skb_checksum(skb, 0, 12, 0)));
        Assert.Equal(checksum_h.csum_fold(checksum_h.csum_partial(flat.AsSpan(1, 10), 0)), checksum_h.csum_fold(skb_checksum(skb, 1, 10, 0)));
        Assert.Equal(2, page_ref_h.page_ref_count(p));

        consume_skb(skb);
        Assert.Equal(1, page_ref_h.page_ref_count(p));
        Assert.Equal(1, page_ref_h.page_ref_count(q));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // __pskb_pull_tail over frags: the pulled bytes are copied into the head, a frag eaten whole loses
    // its page reference, a partly eaten one moves its offset.
    [Fact]
    public void pskb_may_pull_copies_from_the_page_frags_and_drops_the_frags_it_ate()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var q = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var skb = Paged(rig, 2, (p, 0, 3), (q, 10, 4));

        Assert.True(pskb_may_pull(skb, 7));

        Assert.Equal(7, skb_headlen(skb));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, skb.data_span.ToArray());
        Assert.Equal(1, skb.shinfo.nr_frags);
        Assert.Same(q, skb.shinfo.frags[0].netmem);
        Assert.Equal(12, skb_frag_off(skb.shinfo.frags[0]));
        Assert.Equal(2, skb_frag_size(skb.shinfo.frags[0]));
        Assert.Equal(1, page_ref_h.page_ref_count(p));
        Assert.Equal(9, skb.len);

        consume_skb(skb);
        Assert.Equal(1, page_ref_h.page_ref_count(q));
    }

    // skb_shift (SACK shifting, tcp_grow_skb): skb's first frag continues tgt's last in the same page,
    // so it merges into it; the next frag is cut, both skbs then holding a reference on its page.
    [Fact]
    public void skb_shift_merges_a_continuing_frag_and_cuts_the_last_one_it_takes()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 3)!;
        var q = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var tgt = Paged(rig, 0, (p, 0, 10));
        var skb = alloc_skb(rig.K, 64)!;
        mm_h.get_page(p);
        skb_fill_page_desc(skb, 0, p, 10, 5);
        mm_h.get_page(q);
        skb_fill_page_desc(skb, 1, q, 0, 7);
        skb_len_add(skb, 12);
        var tgt_truesize = tgt.truesize;

        Assert.Equal(9, skb_shift(tgt, skb, 9));

        Assert.Equal(2, tgt.shinfo.nr_frags);
        Assert.Equal((p, 0, 15), (tgt.shinfo.frags[0].netmem, tgt.shinfo.frags[0].offset, tgt.shinfo.frags[0].len));
        Assert.Equal((q, 0, 4), (tgt.shinfo.frags[1].netmem, tgt.shinfo.frags[1].offset, tgt.shinfo.frags[1].len));
        Assert.Equal(1, skb.shinfo.nr_frags);
        Assert.Equal((q, 4, 3), (skb.shinfo.frags[0].netmem, skb.shinfo.frags[0].offset, skb.shinfo.frags[0].len));
        Assert.Equal(19, tgt.len);
        Assert.Equal(3, skb.len);
        Assert.Equal(tgt_truesize + 9, tgt.truesize);
        Assert.Equal(2, page_ref_h.page_ref_count(p)); // the merged frag gave its reference back
        Assert.Equal(3, page_ref_h.page_ref_count(q));

        // a source with linear data cannot be shifted
        var linear = alloc_skb(rig.K, 64)!;
        skb_put(linear, 4);
        Assert.Equal(0, skb_shift(tgt, linear, 4));

        consume_skb(tgt);
        consume_skb(skb);
        consume_skb(linear);
        Assert.Equal(1, page_ref_h.page_ref_count(p));
        Assert.Equal(1, page_ref_h.page_ref_count(q));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // skb_split inside the frags: the frag the cut goes through is shared by both halves.
    [Fact]
    public void skb_split_moves_the_frags_past_the_cut_and_shares_the_one_it_goes_through()
    {
        var rig = new KernelRig();
        var p = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var q = gfp_h.alloc_pages(rig.K, 0, 0)!;
        var skb = Paged(rig, 0, (p, 0, 6), (q, 0, 6));
        var buff = alloc_skb(rig.K, 64)!;

        skb_split(skb, buff, 4);

        Assert.Equal((4, 4, 1), (skb.len, skb.data_len, (int)skb.shinfo.nr_frags));
        Assert.Equal((8, 8, 2), (buff.len, buff.data_len, (int)buff.shinfo.nr_frags));
        Assert.Equal((p, 4, 2), (buff.shinfo.frags[0].netmem, buff.shinfo.frags[0].offset, buff.shinfo.frags[0].len));
        var got = new byte[8];
        Assert.Equal(0, skb_copy_bits(buff, 0, got, 8));
        Assert.Equal(new byte[] { 5, 6, 7, 8, 9, 10, 11, 12 }, got);
        Assert.Equal(3, page_ref_h.page_ref_count(p));

        consume_skb(skb);
        consume_skb(buff);
        Assert.Equal(1, page_ref_h.page_ref_count(p));
        Assert.Equal(1, page_ref_h.page_ref_count(q));
    }

    // skb_segment of a paged GSO skb (a TCP skb on a device without TSO): each segment is linear, starts
    // at the MAC header with a copy of the headers, and carries its gso_size share of the frags' bytes.
    [Fact]
    public void skb_segment_cuts_a_paged_gso_skb_into_segments_with_copied_headers()
    {
        var rig = new KernelRig();
        const int hdr = 54;
        var skb = alloc_skb(rig.K, 256)!;
        skb_reserve(skb, 64);
        var at = skb_put(skb, hdr);
        for (var i = 0; i < hdr; i++)
        {
            skb.head[at + i] = 0xee;
        }

        skb_reset_mac_header(skb);
        skb_set_network_header(skb, 14);
        skb_set_transport_header(skb, 34);
        __skb_pull(skb, hdr);
        var p = gfp_h.alloc_pages(rig.K, 0, 3)!;
        for (var i = 0; i < 2500; i++)
        {
            p.mem[i] = (byte)(i % 251);
        }

        skb_fill_page_desc(skb, 0, p, 0, 1200);
        mm_h.get_page(p);
        skb_fill_page_desc(skb, 1, p, 1200, 1300);
        skb_len_add(skb, 2500);
        skb.shinfo.gso_size = 1000;

        var segs = skb_segment(skb, 0);

        Assert.NotNull(segs);
        var lens = new System.Collections.Generic.List<int>();
        var payload = new System.Collections.Generic.List<byte>();
        for (var seg = segs; seg is not null; seg = seg.next)
        {
            Assert.False(skb_is_nonlinear(seg));
            Assert.Equal(seg.data, seg.mac_header);
            Assert.All(seg.head.AsSpan(seg.data, hdr).ToArray(), b => Assert.Equal(0xee, b));
            lens.Add(seg.len - hdr);
            payload.AddRange(seg.head.AsSpan(seg.data + hdr, seg.len - hdr).ToArray());
        }

        Assert.Equal(new[] { 1000, 1000, 500 }, lens);
        Assert.Equal(p.mem.AsSpan(0, 2500).ToArray(), payload.ToArray());

        kfree_skb_list(segs);
        consume_skb(skb);
        Assert.Equal(0, page_ref_h.page_ref_count(p));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }
    // pskb_trim_rcsum_slow: a CHECKSUM_PARTIAL skb may be trimmed only while the checksum field its device is to
    // fill (csum_start + csum_offset, two bytes) stays inside what is left; a trim that would cut it is -EINVAL
    // and leaves the skb as it was.
    [Fact]
    public void pskb_trim_rcsum_refuses_to_cut_the_checksum_field_of_a_partial_skb()
    {
        var rig = new KernelRig();
        var skb = alloc_skb(rig.K, 128)!;
        skb_put(skb, 100);
        skb.ip_summed = CHECKSUM_PARTIAL;
        skb.csum_start = (ushort)(skb.data + 20); // a TCP header after 20 bytes of IP
        skb.csum_offset = 16;                     // its check field

        Assert.Equal(-KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EINVAL, pskb_trim_rcsum(skb, 37));
        Assert.Equal(100, skb.len);
        Assert.Equal(0, pskb_trim_rcsum(skb, 38));
        Assert.Equal(38, skb.len);
        consume_skb(skb);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    /// <summary>
    /// Every instance field of <paramref name="skb"/> that says something about
    /// the packet, by name: the identity of the object (its kernel, address and
    /// allocation site), the head array's identity (its length counts), the
    /// typed cb views the object owns and the shared info's identity are left
    /// out; the shared info's own fields and the cb bytes are in.
    /// </summary>
    private static System.Collections.Generic.SortedDictionary<string, string> Fields(sk_buff skb)
    {
        const System.Reflection.BindingFlags all = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
        var skipped = new[] { "<k>k__BackingField", "<addr>k__BackingField", "<alloc_site>k__BackingField", "_cb_views" };
        var d = new System.Collections.Generic.SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in typeof(sk_buff).GetFields(all).Where(f => !skipped.Contains(f.Name)))
        {
            d[f.Name] = f.GetValue(skb) switch
            {
                byte[] b when f.Name.Contains("head", StringComparison.Ordinal) => $"byte[{b.Length}]",
                byte[] b => Convert.ToHexString(b),
                skb_shared_info sh => string.Join(",", typeof(skb_shared_info).GetFields(all).Select(g => g.Name == "_frags"
                    ? string.Join(";", ((skb_frag_t[]?)g.GetValue(sh) ?? []).Where(x => x.netmem is not null || x.len != 0 || x.offset != 0).Select(x => $"{x.len}/{x.offset}"))
                    : $"{g.Name}={g.GetValue(sh)}")),
                null => "null",
                var v => v.ToString() ?? "?",
            };
        }

        return d;
    }

    // net/core/skbuff.c __alloc_skb, kfree_skbmem: the sk_buff goes back to skbuff_head_cache and the next
    // allocation takes it again (SLUB's LIFO freelist), cleared as __alloc_skb's memset and
    // __finalize_skb_around clear it: the reused object reads field for field as a new one, its control
    // blocks and shared info included. The comparison walks every field of sk_buff, so a field added
    // without a reset fails here.
    [Fact]
    public void a_freed_sk_buff_is_reused_by_the_next_allocation_and_reads_as_a_fresh_one()
    {
        var rig = new KernelRig();
        var cache = rig.K.net_hotdata.skbuff_cache;
        cache.quarantine_max = 0; // no KASAN quarantine: the freed object is the next one handed out

        // every field the packet path writes, written
        var skb = alloc_skb(rig.K, 256)!;
        skb_reserve(skb, 64);
        skb_put(skb, 100);
        skb_push(skb, 14);
        skb_reset_mac_header(skb);
        skb.head[skb.data] = 0xAA;
        foreach (var p in typeof(sk_buff).GetProperties().Where(p => p.CanWrite && p.SetMethod!.IsPublic))
        {
            object? v = p.PropertyType switch
            {
                var t when t == typeof(int) => 7,
                var t when t == typeof(uint) => 7u,
                var t when t == typeof(ushort) && p.Name is "mac_header" or "network_header" or "transport_header" => (ushort)70,
                var t when t == typeof(ushort) => (ushort)7,
                var t when t == typeof(byte) && p.Name == "fclone" => null,
                var t when t == typeof(byte) => (byte)3,
                var t when t == typeof(long) => 7L,
                var t when t == typeof(bool) && p.Name is "head_frag" or "freed" or "cloned" => null,
                var t when t == typeof(bool) => true,
                _ => null,
            };
            if (v is not null && p.Name is not ("len" or "data_len" or "data" or "tail" or "end" or "users" or "truesize" or "head_base"))
            {
                p.SetValue(skb, v);
            }
        }

        skb.cb.AsSpan().Fill(0x5A);
        KernelNet.Kernel.Include.Net.ip_h.IPCB(skb).iif = 9;
        var tcb = KernelNet.Kernel.Include.Net.tcp_h.TCP_SKB_CB(skb);
        tcb.seq = 1000;
        tcb.tcp_flags = 0x12;
        skb.shinfo.gso_size = 1448;
        skb.shinfo.gso_type = SKB_GSO_TCPV4;
        var clone = skb_clone(skb)!; // cloned, dataref 2
        consume_skb(clone);
        consume_skb(skb);

        var reused = alloc_skb(rig.K, 256)!;
        Assert.Same(skb, reused);
        Assert.False(reused.freed);
        Assert.Equal(0u, KernelNet.Kernel.Include.Net.tcp_h.TCP_SKB_CB(reused).seq);
        Assert.Equal(0, KernelNet.Kernel.Include.Net.ip_h.IPCB(reused).iif);

        cache.objects.Clear(); // the clone's object too: the next one is a new object
        var fresh = alloc_skb(rig.K, 256)!;
        Assert.NotSame(reused, fresh);
        Assert.NotSame(clone, fresh);
        KernelNet.Kernel.Include.Net.tcp_h.TCP_SKB_CB(fresh); // the same view made
        Assert.Equal(Fields(fresh), Fields(reused));
        Assert.NotEqual(fresh.addr, reused.addr);

        consume_skb(reused);
        consume_skb(fresh);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // KASAN's quarantine stands behind the ledger: a freed skb is not handed out again for SKB_QUARANTINE more
    // frees, so a second free of it, or a look at it, in that window still meets a freed skb.
    [Fact]
    public void a_freed_sk_buff_waits_in_quarantine_so_a_late_double_free_is_still_caught()
    {
        var rig = new KernelRig();
        var first = alloc_skb(rig.K, 64)!;
        consume_skb(first);
        var others = Enumerable.Range(0, SKB_QUARANTINE - 1).Select(_ => alloc_skb(rig.K, 64)!).ToList();
        Assert.DoesNotContain(first, others);
        Assert.True(first.freed);
        Assert.Throws<InvalidOperationException>(() => consume_skb(first));

        // once SKB_QUARANTINE later frees have pushed it out, it is the next one handed out
        others.ForEach(o => consume_skb(o));
        consume_skb(alloc_skb(rig.K, 64));
        Assert.Same(first, alloc_skb(rig.K, 64));
        consume_skb(first);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // net/core/skbuff.c skb_clone, kfree_skbmem: an skb of skbuff_fclone_cache (alloc_skb_fclone, TCP's write
    // queue) is cloned into its companion while the companion is free (fclone_ref 1 -> 2); a second clone
    // meanwhile comes from skbuff_head_cache. The pair goes back to its slab when the last of the two is
    // freed, and a clone made after the companion came back is the companion again.
    [Fact]
    public void skb_clone_of_an_fclone_uses_its_companion_and_the_pair_returns_when_both_are_freed()
    {
        var rig = new KernelRig();
        var fclone_cache = rig.K.net_hotdata.skbuff_fclone_cache;
        var head_cache = rig.K.net_hotdata.skbuff_cache;
        var (fc0, hc0) = (fclone_cache.active_objs, head_cache.active_objs);

        var skb = alloc_skb_fclone(rig.K, 256)!;
        skb_put(skb, 100);
        Assert.Equal(SKB_FCLONE_ORIG, skb.fclone);
        Assert.Equal(1, skb.fclones!.fclone_ref);
        Assert.Equal(fc0 + 1, fclone_cache.active_objs);

        var clone = skb_clone(skb)!;
        Assert.Same(skb.fclones.skb2, clone);
        Assert.Equal(SKB_FCLONE_CLONE, clone.fclone);
        Assert.Equal(2, skb.fclones.fclone_ref);
        Assert.Same(skb.head, clone.head);
        Assert.Equal(hc0, head_cache.active_objs);

        var second = skb_clone(skb)!; // the companion is taken
        Assert.Equal(SKB_FCLONE_UNAVAILABLE, second.fclone);
        Assert.Equal(hc0 + 1, head_cache.active_objs);
        consume_skb(second);

        consume_skb(clone); // TX completion: the clone goes first
        Assert.Equal(1, skb.fclones.fclone_ref);
        Assert.Equal(fc0 + 1, fclone_cache.active_objs);
        Assert.Throws<InvalidOperationException>(() => consume_skb(clone));

        var again = skb_clone(skb)!;
        Assert.Same(clone, again);
        Assert.NotEqual(0UL, again.addr);

        consume_skb(skb); // the original first: the clone still holds the pair
        Assert.Equal(fc0 + 1, fclone_cache.active_objs);
        consume_skb(again);
        Assert.Equal(fc0, fclone_cache.active_objs);
        Assert.Equal(hc0, head_cache.active_objs);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // __copy_skb_header copies cb into the clone's own control block: equal fields, not a shared object.
    [Fact]
    public void a_clone_gets_its_own_copy_of_the_control_block()
    {
        var rig = new KernelRig();
        var skb = alloc_skb_fclone(rig.K, 128)!;
        var tcb = KernelNet.Kernel.Include.Net.tcp_h.TCP_SKB_CB(skb);
        tcb.seq = 42;
        tcb.end_seq = 142;
        tcb.iif = 3;

        var clone = skb_clone(skb)!;
        var ccb = KernelNet.Kernel.Include.Net.tcp_h.TCP_SKB_CB(clone);
        Assert.NotSame(tcb, ccb);
        Assert.Equal((42u, 142u, 3), (ccb.seq, ccb.end_seq, ccb.iif));
        ccb.seq = 7;
        Assert.Equal(42u, tcb.seq);

        consume_skb(clone);
        consume_skb(skb);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }
}
