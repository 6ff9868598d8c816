using System;
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
}
