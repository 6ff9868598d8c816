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
}
