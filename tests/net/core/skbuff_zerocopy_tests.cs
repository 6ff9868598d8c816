using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using linux_errqueue_h = KernelNet.Kernel.Include.Linux.errqueue_h;
using uapi_errqueue_h = KernelNet.Kernel.Include.Uapi.Linux.errqueue_h;

namespace KernelNet.Tests.Net.Core;

/// <summary>net/core/skbuff.c's MSG_ZEROCOPY buffers (ubuf_info_msgzc), their completions on the error queue, and TX timestamp reports.</summary>
public sealed class skbuff_zerocopy_tests
{
    /// <summary>A TCP socket in init_net whose lock the caller holds (msg_zerocopy_realloc extends only under it).</summary>
    private static sock TcpSock(KernelRig rig)
    {
        var sk = global::KernelNet.Kernel.Net.Core.sock_c.sk_alloc(rig.K.init_net, 2, socket_h.SOCK_STREAM, in_h.IPPROTO_TCP);
        sk.sk_lock_owned = true;
        sk.sk_rcvbuf = 212992;
        return sk;
    }

    private static sock_extended_err Ee(sk_buff skb) => linux_errqueue_h.SKB_EXT_ERR(skb).ee;

    // msg_zerocopy_realloc: a send whose id follows the tail buffer's range joins it (len 2, one more reference
    // for a stream), so both sends complete as one notification; sk_zckey counts the ids handed out.
    [Fact]
    public void a_second_zerocopy_send_joins_the_tail_buffer_when_its_id_follows_the_range()
    {
        var rig = new KernelRig();
        var sk = TcpSock(rig);

        var first = msg_zerocopy_realloc(sk, 4000, null, false)!;
        var second = msg_zerocopy_realloc(sk, 4000, first, false)!;

        Assert.Same(first, second);
        var zc = uarg_to_msgzc(first);
        Assert.Equal(0u, zc.id);
        Assert.Equal((ushort)2, zc.len);
        Assert.Equal(8000u, zc.bytelen);
        Assert.Equal(2, first.refcnt);
        Assert.Equal(2u, sk.sk_zckey);

        net_zcopy_put(first);
        net_zcopy_put(first);
        skb_queue_purge(sk.sk_error_queue);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // __msg_zerocopy_callback: the last reference turns the buffer's skb into the notification — origin ZEROCOPY,
    // ee_info the first id, ee_data the last, no COPIED code when every byte left uncopied — queued on the error
    // queue with EPOLLERR's sk_error_report.
    [Fact]
    public void the_last_reference_queues_one_notification_naming_the_id_range()
    {
        var rig = new KernelRig();
        var sk = TcpSock(rig);
        var reports = 0;
        sk.sk_error_report = _ => reports++;

        var uarg = msg_zerocopy_realloc(sk, 100, null, false)!;
        msg_zerocopy_realloc(sk, 100, uarg, false);
        net_zcopy_put(uarg);
        Assert.True(skb_queue_empty(sk.sk_error_queue), "one holder left: nothing to notify yet");
        net_zcopy_put(uarg);

        var n = skb_peek(sk.sk_error_queue)!;
        Assert.Equal(1, sk.sk_error_queue.qlen);
        Assert.Equal(uapi_errqueue_h.SO_EE_ORIGIN_ZEROCOPY, Ee(n).ee_origin);
        Assert.Equal(0u, Ee(n).ee_info);
        Assert.Equal(1u, Ee(n).ee_data);
        Assert.Equal(0, Ee(n).ee_code);
        Assert.Equal(1, reports);
        skb_queue_purge(sk.sk_error_queue);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // skb_zerocopy_notify_extend: a range completing while the previous one's notification is still queued and
    // directly precedes it is merged into that notification (one recvmsg reads ids 0..2); the spare skb is freed.
    [Fact]
    public void a_range_that_follows_a_queued_notification_is_merged_into_it()
    {
        var rig = new KernelRig();
        var sk = TcpSock(rig);

        var a = msg_zerocopy_realloc(sk, 100, null, false)!;
        net_zcopy_put(a);
        var b = msg_zerocopy_realloc(sk, 100, null, false)!;
        msg_zerocopy_realloc(sk, 100, b, false);
        net_zcopy_put(b);
        net_zcopy_put(b);

        Assert.Equal(1, sk.sk_error_queue.qlen);
        var n = skb_peek(sk.sk_error_queue)!;
        Assert.Equal(0u, Ee(n).ee_info);
        Assert.Equal(2u, Ee(n).ee_data);
        skb_queue_purge(sk.sk_error_queue);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // msg_zerocopy_put_abort: a send that took an id but sent nothing gives the id back, and a buffer with no
    // send left in it completes without a notification.
    [Fact]
    public void an_aborted_single_send_gives_its_id_back_and_queues_nothing()
    {
        var rig = new KernelRig();
        var sk = TcpSock(rig);

        var uarg = msg_zerocopy_realloc(sk, 100, null, false)!;
        net_zcopy_put_abort(uarg, true);

        Assert.Equal(0u, sk.sk_zckey);
        Assert.True(skb_queue_empty(sk.sk_error_queue));
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // skb_zerocopy_iter_stream pins the user's pages as frags (no copy: the frag's page holds the user's bytes);
    // skb_orphan_frags_rx (a packet that may loop to a reader) copies them to kernel pages, drops the user pages
    // and marks the completion SO_EE_CODE_ZEROCOPY_COPIED.
    [Fact]
    public void user_frags_copied_for_a_receive_path_mark_the_completion_COPIED()
    {
        var rig = new KernelRig();
        var sk = TcpSock(rig);
        var data = new byte[6000];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 7);
        }

        var msg = new msghdr { iov_base = data, iov_len = data.Length };
        var uarg = msg_zerocopy_realloc(sk, data.Length, null, false)!;
        var skb = alloc_skb(rig.K, 0)!;
        skb.shinfo.flags |= SKBFL_PURE_ZEROCOPY;

        var added = skb_zerocopy_iter_stream(sk, skb, msg, data.Length, uarg);

        Assert.Equal(data.Length, added);
        Assert.Same(uarg, skb_zcopy(skb));
        Assert.Equal(2, skb.shinfo.nr_frags); // 6000 bytes from offset 0: two user pages
        var userPage = skb_frag_page(skb.shinfo.frags[0]);

        Assert.Equal(0, skb_orphan_frags_rx(skb, 0));

        Assert.Null(skb_zcopy(skb));
        Assert.NotSame(userPage, skb_frag_page(skb.shinfo.frags[0]));
        var copy = new byte[data.Length];
        Assert.Equal(0, skb_copy_bits(skb, 0, copy, data.Length));
        Assert.Equal(data, copy);

        net_zcopy_put(uarg);
        var n = skb_peek(sk.sk_error_queue)!;
        Assert.Equal(uapi_errqueue_h.SO_EE_CODE_ZEROCOPY_COPIED, Ee(n).ee_code);
        consume_skb(skb);
        skb_queue_purge(sk.sk_error_queue);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // skb_share_check on a shared skb whose frags are a user's zerocopy pages that may not be shared unorphaned: the
    // clone fails (skb_orphan_frags will not copy the pages of an skb someone else holds), so the caller's reference is dropped — with
    // kfree_skb as 6.18 does, a drop rather than a consume — and it gets NULL; the other holder's skb lives on.
    [Fact]
    public void skb_share_check_drops_the_callers_reference_and_returns_null_when_the_clone_fails()
    {
        var rig = new KernelRig();
        var sk = TcpSock(rig);
        var data = new byte[3000];
        var msg = new msghdr { iov_base = data, iov_len = data.Length };
        var uarg = msg_zerocopy_realloc(sk, data.Length, null, false)!;
        var skb = alloc_skb(rig.K, 0)!;
        skb.shinfo.flags |= SKBFL_PURE_ZEROCOPY;
        Assert.Equal(data.Length, skb_zerocopy_iter_stream(sk, skb, msg, data.Length, uarg));
        skb.shinfo.flags &= unchecked((byte)~SKBFL_DONT_ORPHAN); // pages that must be copied before a clone shares them (vhost-style)
        skb_get(skb);
        Assert.Equal(2, skb.users);

        Assert.Null(skb_share_check(skb));

        Assert.Equal(1, skb.users);
        Assert.Same(uarg, skb_zcopy(skb));
        Assert.Equal(2, rig.K.skb_ledger.Live); // the skb, and the skb the zerocopy buffer lives in
        net_zcopy_put(uarg);
        consume_skb(skb);
        skb_queue_purge(sk.sk_error_queue);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // __skb_tstamp_tx: a send that asked for SCHED stamps with OPT_ID gets a clone of the packet on the error
    // queue: ENOMSG, origin TIMESTAMPING, ee_info SCM_TSTAMP_SCHED, ee_data the key less sk_tskey (TCP), stamped
    // with the current time. A type the send did not ask for reports nothing.
    [Fact]
    public void a_requested_tx_timestamp_is_reported_with_the_key_relative_to_sk_tskey()
    {
        var rig = new KernelRig();
        var sk = TcpSock(rig);
        sk.sk_tsflags = net_tstamp_h.SOF_TIMESTAMPING_TX_SCHED | net_tstamp_h.SOF_TIMESTAMPING_SOFTWARE | net_tstamp_h.SOF_TIMESTAMPING_OPT_ID;
        sk.sk_tskey = 1000;
        var skb = alloc_skb(rig.K, 64)!;
        skb_put(skb, 10);
        skb.sk = sk;
        skb.shinfo.tx_flags = SKBTX_SCHED_TSTAMP;
        skb.shinfo.tskey = 1009;

        __skb_tstamp_tx(skb, null, null, sk, uapi_errqueue_h.SCM_TSTAMP_SND);
        Assert.True(skb_queue_empty(sk.sk_error_queue), "SND was not asked for");

        __skb_tstamp_tx(skb, null, null, sk, uapi_errqueue_h.SCM_TSTAMP_SCHED);

        var r = skb_peek(sk.sk_error_queue)!;
        Assert.Equal((uint)global::KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_h.ENOMSG, Ee(r).ee_errno);
        Assert.Equal(uapi_errqueue_h.SO_EE_ORIGIN_TIMESTAMPING, Ee(r).ee_origin);
        Assert.Equal((uint)uapi_errqueue_h.SCM_TSTAMP_SCHED, Ee(r).ee_info);
        Assert.Equal(9u, Ee(r).ee_data);
        Assert.Equal(10, r.len);
        Assert.Equal(rig.K.ktime_get_ns(), r.tstamp);
        Assert.Equal((int)r.truesize, sk.sk_rmem_alloc);

        var dequeued = sock_dequeue_err_skb(sk)!;
        consume_skb(dequeued);
        Assert.Equal(0, sk.sk_rmem_alloc);
        consume_skb(skb);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // sock_set_timestamping: OPT_STATS needs OPT_TSONLY, OPT_ID_TCP needs OPT_ID, unknown bits are EINVAL; a
    // valid set reads back through SO_TIMESTAMPING.
    [Fact]
    public void SO_TIMESTAMPING_rejects_inconsistent_flags_and_reads_back_what_it_took()
    {
        var rig = new KernelRig();
        var sk = global::KernelNet.Kernel.Net.Core.sock_c.sk_alloc(rig.K.init_net, 2, socket_h.SOCK_DGRAM, in_h.IPPROTO_UDP);
        const int EINVAL = global::KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h.EINVAL;

        Assert.Equal(-EINVAL, global::KernelNet.Kernel.Net.Core.sock_c.sk_setsockopt(sk, 1, socket_h.SO_TIMESTAMPING_OLD, net_tstamp_h.SOF_TIMESTAMPING_OPT_STATS));
        Assert.Equal(-EINVAL, global::KernelNet.Kernel.Net.Core.sock_c.sk_setsockopt(sk, 1, socket_h.SO_TIMESTAMPING_OLD, net_tstamp_h.SOF_TIMESTAMPING_OPT_ID_TCP));
        Assert.Equal(-EINVAL, global::KernelNet.Kernel.Net.Core.sock_c.sk_setsockopt(sk, 1, socket_h.SO_TIMESTAMPING_OLD, 1L << 20));

        const uint ok = net_tstamp_h.SOF_TIMESTAMPING_TX_SOFTWARE | net_tstamp_h.SOF_TIMESTAMPING_SOFTWARE | net_tstamp_h.SOF_TIMESTAMPING_OPT_ID;
        Assert.Equal(0, global::KernelNet.Kernel.Net.Core.sock_c.sk_setsockopt(sk, 1, socket_h.SO_TIMESTAMPING_OLD, ok));
        Assert.Equal(0, global::KernelNet.Kernel.Net.Core.sock_c.sk_getsockopt(sk, 1, socket_h.SO_TIMESTAMPING_OLD, out var got));
        Assert.Equal((long)ok, got);
        Assert.Equal(0u, sk.sk_tskey);
    }
}
