// Ports net/core/datagram.c: waiting for and taking datagrams off a
// socket's queue (the generic path raw/ping/packet sockets use; UDP keeps
// its own reader queue in __skb_recv_udp but sleeps here), and copying them
// to the user (RX-13).
//
// MSG_ZEROCOPY's frags of pinned user pages are built here
// (__zerocopy_sg_from_iter). not ported: page-frag iteration on receive (the
// frag_list of a reassembled datagram is walked), MSG_PEEK
// with offsets (SO_PEEK_OFF), busy polling, skb_set_peeked's clone of a
// shared zero-length skb.
using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.sched_h;
using static KernelNet.Kernel.Include.Linux.wait_h;
using static KernelNet.Kernel.Include.Uapi.Linux.eventpoll_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using static KernelNet.Kernel.Include.Trace.Events.skb_h;
using static KernelNet.Kernel.Kernel.Sched.wait_c;
using static KernelNet.Kernel.Kernel.Time.sleep_timeout_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Core;

/// <summary>
/// What __skb_wait_for_more_packets returns and writes through its pointers
/// in C: <c>error</c> is the return value (0: look again), <c>err</c> what it
/// stored in *err (only meaningful when error != 0), <c>timeo</c> *timeo_p.
/// </summary>
public readonly record struct skb_wait_result(int error, int err, long timeo);

/// <summary>
/// The piece callback of __skb_datagram_iter (an anonymous function pointer
/// in C, taking addr = skb->data + offset and a void *data): moves
/// <paramref name="len"/> bytes to the user and returns how many it moved.
/// </summary>
internal delegate int skb_datagram_iter_cb(sk_buff skb, ReadOnlySpan<byte> from, ref csum_state data, msghdr to);

/// <summary>
/// struct csum_state: the running checksum of a copy and how far it got (for
/// odd-offset pieces). A mutable struct passed by ref, as C passes its
/// address: reading a datagram allocates nothing.
/// </summary>
internal struct csum_state
{
    public uint csum;

    public int off;
}

public static class datagram_c
{
    // net/core/datagram.c: connection_based
    private static bool connection_based(sock sk) => sk.sk_type == SOCK_SEQPACKET || sk.sk_type == SOCK_STREAM;

    // net/core/datagram.c: receiver_wake_function
    /// <summary>Wakes a reader for readable or error events: a keyed wakeup for anything else (EPOLLOUT of sock_def_write_space) passes it by.</summary>
    private static int receiver_wake_function(Vmlinux k, wait_queue_entry wait, int mode, int sync, uint key)
    {
        if (key != 0 && (key_to_poll(key) & (EPOLLIN | EPOLLERR)) == 0)
        {
            return 0;
        }

        return autoremove_wake_function(k, wait, mode);
    }

    // net/core/datagram.c: __skb_wait_for_more_packets
    /// <summary>
    /// Sleeps on the socket until a packet lands behind <paramref name="last"/>
    /// (null: the queue was empty), an error is posted, the socket shuts
    /// down, or the timeout runs out. A real sleep (IO-1): the task leaves
    /// the CPU in schedule_timeout — one voluntary context switch — and
    /// sock_def_readable's wakeup puts it back. Process context only.
    /// </summary>
    [MightSleep]
    [Borrows("last")]
    public static async Task<skb_wait_result> __skb_wait_for_more_packets(sock sk, sk_buff_head queue, long timeo, sk_buff? last)
    {
        // not ported: DEFINE_WAIT_FUNC — the wait entry is built directly with receiver_wake_function
        var k = sk.sk_net.k;
        var wait = new wait_queue_entry(k.current, receiver_wake_function);
        var err = 0;
        int error;
        prepare_to_wait_exclusive(k, sk_sleep(sk), wait, TASK_INTERRUPTIBLE);

        // Socket errors?
        error = sock_error(sk);
        if (error != 0)
        {
            goto out_err;
        }

        if (queue.last != last)
        {
            goto @out;
        }

        // Socket shut down?
        if ((sk.sk_shutdown & RCV_SHUTDOWN) != 0)
        {
            goto out_noerr;
        }

        error = -errno_h.ENOTCONN;
        if (connection_based(sk) && sk.sk_state != TCP_ESTABLISHED && sk.sk_state != 10 /* TCP_LISTEN */)
        {
            goto out_err;
        }

        if (signal_pending(k.current))
        {
            goto interrupted;
        }

        error = 0;
        timeo = await schedule_timeout(k, timeo);

    @out:
        finish_wait(k, sk_sleep(sk), wait);
        return new skb_wait_result(error, err, timeo);

    interrupted:
        error = sock_intr_errno(timeo);
    out_err:
        err = error;
        goto @out;
    out_noerr:
        err = 0;
        error = 1;
        goto @out;
    }

    // net/core/datagram.c: __skb_try_recv_from_queue
    /// <summary>
    /// The first skb of the queue: unlinked, or with an extra reference when
    /// peeking (MSG_PEEK). Null when empty. <paramref name="last"/> is the
    /// queue's tail as seen, for the wait that may follow.
    /// </summary>
    public static sk_buff? __skb_try_recv_from_queue(sk_buff_head queue, int flags, out int err, out sk_buff? last)
    {
        // not ported: skb_queue_walk, skb_set_peeked — only the head skb is taken: no SO_PEEK_OFF walk; a peeked skb is not shared, so there is nothing to unshare
        err = 0;
        last = queue.last;
        var skb = skb_peek(queue);
        if (skb is null)
        {
            return null;
        }

        if ((flags & MSG_PEEK) != 0)
        {
            skb.users++;
        }
        else
        {
            __skb_unlink(skb, queue);
        }

        return skb;
    }

    // not ported: skb_queue_walk, skb_set_peeked, __skb_unlink — forwards to the form above, which does the work
    // net/core/datagram.c: __skb_try_recv_from_queue
    /// <summary>The form UDP's reader calls, without the tail.</summary>
    public static sk_buff? __skb_try_recv_from_queue(sk_buff_head queue, int flags, out int err) =>
        __skb_try_recv_from_queue(queue, flags, out err, out _);

    // net/core/datagram.c: __skb_try_recv_datagram
    /// <summary>One non-sleeping attempt: the pending error, else the first skb, else -EAGAIN.</summary>
    public static sk_buff? __skb_try_recv_datagram(sock sk, sk_buff_head queue, int flags, out int err, out sk_buff? last)
    {
        // not ported: sk_busy_loop, sk_can_busy_loop — no busy polling
        last = queue.last;
        var error = sock_error(sk);
        if (error != 0)
        {
            goto no_packet;
        }

        // spin_lock_irqsave(&queue->lock): the producer appends under it.
        var skb = __skb_try_recv_from_queue(queue, flags, out error, out last);
        if (error != 0)
        {
            goto no_packet;
        }

        if (skb is not null)
        {
            err = 0;
            return skb;
        }

        error = -errno_base_h.EAGAIN;

    no_packet:
        err = error;
        return null;
    }

    // net/core/datagram.c: __skb_recv_datagram
    /// <summary>Takes a datagram, sleeping (sock_rcvtimeo) until one arrives; null with err -EAGAIN on timeout or MSG_DONTWAIT.</summary>
    [MightSleep]
    public static async Task<(sk_buff? Skb, int Err)> __skb_recv_datagram(sock sk, sk_buff_head sk_queue, int flags)
    {
        var timeo = sock_rcvtimeo(sk, (flags & MSG_DONTWAIT) != 0);
        int err;
        while (true)
        {
            var skb = __skb_try_recv_datagram(sk, sk_queue, flags, out err, out var last);
            if (skb is not null)
            {
                return (skb, 0);
            }

            if (err != -errno_base_h.EAGAIN)
            {
                break;
            }

            if (timeo == 0)
            {
                break;
            }

            var w = await __skb_wait_for_more_packets(sk, sk_queue, timeo, last);
            timeo = w.timeo;
            if (w.error != 0)
            {
                err = w.err;
                break;
            }
        }

        return (null, err);
    }

    // net/core/datagram.c: skb_recv_datagram
    [MightSleep]
    public static Task<(sk_buff? Skb, int Err)> skb_recv_datagram(sock sk, int flags) => __skb_recv_datagram(sk, sk.sk_receive_queue, flags);

    // net/core/datagram.c: skb_free_datagram
    /// <summary>
    /// A datagram the reader is done with: consumed, not dropped. The call
    /// to consume_skb is a tail call, so the trace's location is the reader
    /// (raw_recvmsg), as <paramref name="location"/> passes on.
    /// </summary>
    [Consumes("skb")]
    public static void skb_free_datagram(sock sk, sk_buff skb, [CallerMemberName] string location = "") => consume_skb(skb, location);

    // net/core/datagram.c: __sk_queue_drop_skb
    /// <summary>
    /// A datagram the reader is throwing away (bad checksum): when it was
    /// only peeked, unlink it from the queue and run the protocol's
    /// destructor; -ENOENT if someone else took it meanwhile. Counts sk_drops.
    /// Does not free the skb.
    /// </summary>
    [Borrows("skb")]
    public static int __sk_queue_drop_skb(sock sk, sk_buff_head sk_queue, sk_buff skb, int flags, Action<sock, sk_buff>? destructor)
    {
        var err = 0;
        if ((flags & MSG_PEEK) != 0)
        {
            err = -errno_base_h.ENOENT;

            // spin_lock_bh(&sk_queue->lock)
            if (skb.list == sk_queue)
            {
                __skb_unlink(skb, sk_queue);
                skb.users--;
                destructor?.Invoke(sk, skb);
                err = 0;
            }
        }

        sk_drops_inc(sk);
        return err;
    }

    // net/core/datagram.c: skb_kill_datagram
    [Consumes("skb")]
    public static int skb_kill_datagram(sock sk, sk_buff skb, int flags)
    {
        // not ported: kfree_skb — freed with kfree_skb_reason(NOT_SPECIFIED), what kfree_skb expands to
        var err = __sk_queue_drop_skb(sk, sk.sk_receive_queue, skb, flags, null);

        // 6.18 frees it with plain kfree_skb: the trace says NOT_SPECIFIED
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
        return err;
    }

    // net/core/datagram.c: __skb_datagram_iter
    /// <summary>
    /// Walks <paramref name="len"/> bytes of the datagram from
    /// data+<paramref name="offset"/> — the head's part, each page frag's,
    /// then each frag_list member's — handing each piece to <paramref name="cb"/> (a copy to the
    /// user, with or without a checksum). -EFAULT, with the iterator put
    /// back, when a piece does not fit or the skb is shorter than asked.
    /// </summary>
    [Borrows("skb")]
    private static int __skb_datagram_iter(sk_buff skb, int offset, msghdr to, int len, bool fault_short, skb_datagram_iter_cb cb, ref csum_state data)
    {
        // not ported: iov_iter_count, iov_iter_revert, skb_frag_foreach_page, skb_frags_readable, skb_walk_frags — frags are byte arrays copied directly (no highmem pages to map); no devmem frags; a failed copy does not rewind the iterator
        var start = skb_headlen(skb);
        var copy = start - offset;
        var start_off = offset;
        int n;

        // Copy header.
        if (copy > 0)
        {
            if (copy > len)
            {
                copy = len;
            }

            n = cb(skb, skb.head.AsSpan(skb.data + offset, copy), ref data, to);
            offset += n;
            if (n != copy)
            {
                goto short_copy;
            }

            if ((len -= copy) == 0)
            {
                return 0;
            }
        }

        // skb_frags_readable: no unreadable (devmem) frags here.
        for (var i = 0; i < skb.shinfo.nr_frags; i++)
        {
            ref var frag = ref skb.shinfo.frags[i];
            var end = start + skb_frag_size(frag);
            if ((copy = end - offset) > 0)
            {
                if (copy > len)
                {
                    copy = len;
                }

                // skb_frag_foreach_page, kmap_local_page: a compound page is one array here
                n = cb(skb, mm_h.page_address(skb_frag_page(frag), skb_frag_off(frag) + offset - start, copy), ref data, to);
                offset += n;
                if (n != copy)
                {
                    goto short_copy;
                }

                if ((len -= copy) == 0)
                {
                    return 0;
                }
            }

            start = end;
        }

        for (var frag_iter = skb.shinfo.frag_list; frag_iter is not null; frag_iter = frag_iter.next)
        {
            var end = start + frag_iter.len;
            if ((copy = end - offset) > 0)
            {
                if (copy > len)
                {
                    copy = len;
                }

                if (__skb_datagram_iter(frag_iter, offset - start, to, copy, fault_short, cb, ref data) != 0)
                {
                    goto fault;
                }

                if ((len -= copy) == 0)
                {
                    return 0;
                }

                offset += copy;
            }

            start = end;
        }

        if (len == 0)
        {
            return 0;
        }

    fault:
        to.iov_offset -= offset - start_off; // iov_iter_revert
        return -errno_base_h.EFAULT;

    short_copy:
        if (fault_short || to.iov_len - to.iov_offset != 0)
        {
            goto fault;
        }

        return 0;
    }

    // not ported: copy_to_iter — the bytes go out through copy_to_msg into the msghdr's buffer
    // net/core/datagram.c: simple_copy_to_iter
    /// <summary>The plain copy of one piece (of the head or a frag) to the user; the bytes copied.</summary>
    [Borrows("skb")]
    private static int simple_copy_to_iter(sk_buff skb, ReadOnlySpan<byte> from, ref csum_state data, msghdr to) =>
        copy_to_msg(skb.k, from, to) < 0 ? 0 : from.Length;

    // net/core/datagram.c: skb_copy_datagram_iter
    /// <summary>Copies <paramref name="len"/> bytes from data+<paramref name="offset"/>, page frags and frag_list included, to the user buffer; traces skb_copy_datagram_iovec.</summary>
    [Borrows("skb")]
    public static int skb_copy_datagram_iter(sk_buff skb, int offset, msghdr to, int len)
    {
        trace_skb_copy_datagram_iovec(skb, len);
        var unused = default(csum_state);
        return __skb_datagram_iter(skb, offset, to, len, false, simple_copy_to_iter, ref unused);
    }

    // net/core/datagram.c: csum_and_copy_to_iter
    /// <summary>Copies one piece to the user and adds its sum, at its byte position, to the running checksum.</summary>
    [Borrows("skb")]
    private static int csum_and_copy_to_iter(sk_buff skb, ReadOnlySpan<byte> from, ref csum_state csstate, msghdr to)
    {
        // not ported: csum_shift — the piece is summed apart from the copy and added at its byte position by
        //   csum_block_add (which shifts), rather than folded into a copy-and-sum of the running value
        // not ported: iov_iter_is_discard — no ITER_DISCARD: the port's msghdr is always one user buffer
        var len = from.Length;
        if (copy_to_msg(skb.k, from, to) < 0)
        {
            return 0;
        }

        var sum = Include.Net.checksum_h.csum_partial(from, 0);
        csstate.csum = Include.Net.checksum_h.csum_block_add(csstate.csum, sum, csstate.off);
        csstate.off += len;
        return len;
    }

    // net/core/datagram.c: skb_copy_and_csum_datagram
    /// <summary>Copies <paramref name="len"/> bytes to the user, adding their checksum to <paramref name="csump"/>; a short copy faults.</summary>
    [Borrows("skb")]
    private static int skb_copy_and_csum_datagram(sk_buff skb, int offset, msghdr to, int len, ref uint csump)
    {
        var csdata = new csum_state { csum = csump };
        var ret = __skb_datagram_iter(skb, offset, to, len, true, csum_and_copy_to_iter, ref csdata);
        if (ret != 0)
        {
            return ret;
        }

        csump = csdata.csum;
        return 0;
    }

    // net/core/datagram.c: skb_copy_datagram_from_iter
    /// <summary>
    /// Copies <paramref name="len"/> bytes of the user buffer (from its
    /// current position) into the skb at data+<paramref name="offset"/>; the
    /// head is linear, so there is no paged part. -EFAULT if either side is short.
    /// </summary>
    [Borrows("skb")]
    public static int skb_copy_datagram_from_iter(sk_buff skb, int offset, msghdr from, int len)
    {
        // not ported: copy_from_iter, copy_page_from_iter, skb_frag_off, skb_frag_page, skb_frag_size, skb_walk_frags — the iterator and frags are byte arrays copied directly; no frag_list skbs are built from user data here
        var copy = skb_headlen(skb) - offset;
        if (len > copy || offset < 0 || from.iov_base is null || from.iov_offset + len > from.iov_len)
        {
            return -errno_base_h.EFAULT;
        }

        // copy_from_iter, charged at the CPU's copy rate like the copy to the user.
        from.iov_base.AsSpan(from.iov_offset, len).CopyTo(skb.head.AsSpan(skb.data + offset, len));
        from.iov_offset += len;
        skb.k.machine.CurrentCpu.ChargeCopy(len);
        return 0;
    }

    // net/core/datagram.c: zerocopy_fill_skb_from_iter
    /// <summary>
    /// Pins the user pages under up to <paramref name="length"/> bytes of the
    /// iterator and appends them to the skb as frags (a page that continues
    /// the last frag exactly extends it, giving back the extra pin); len,
    /// data_len and truesize (whole pages) grow. -EMSGSIZE when the skb has
    /// no frag slot left, -EFAULT for a bad buffer.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int zerocopy_fill_skb_from_iter(sk_buff skb, msghdr from, int length)
    {
        // not ported: compound_order, iov_iter_count, page_ref_sub, skb_frags_readable — user pages are order-0 here, each its own head; no devmem frags; the remaining length is read from the msghdr
        int frag = skb.shinfo.nr_frags;

        // skb_frags_readable: unreadable (devmem) frags are not ported.
        var pages = new page[MAX_SKB_FRAGS];
        while (length != 0 && from.iov_len - from.iov_offset != 0)
        {
            page head;
            page? last_head = null;
            int refs, n = 0;

            if (frag == MAX_SKB_FRAGS)
            {
                return -errno_h.EMSGSIZE;
            }

            var copied = Lib.iov_iter_c.iov_iter_get_pages2(skb.k, from, pages, length, MAX_SKB_FRAGS - frag, out var start);
            if (copied < 0)
            {
                return -errno_base_h.EFAULT;
            }

            length -= copied;

            skb.data_len += copied;
            skb.len += copied;
            skb.truesize += (uint)mm_h.PAGE_ALIGN(copied + start);

            // compound_head, compound_order: user pages are order-0 pages here, each its own head
            for (refs = 0; copied != 0; start = 0)
            {
                var size = Math.Min(copied, mm_h.PAGE_SIZE - start);

                head = pages[n];
                copied -= size;
                n++;
                if (frag != 0)
                {
                    ref var last = ref skb.shinfo.frags[frag - 1];

                    if (head == skb_frag_page(last) && start == skb_frag_off(last) + skb_frag_size(last))
                    {
                        skb_frag_size_add(ref last, size);

                        // merged into the last frag: its pin is one too many (given back in a batch)
                        last_head = head;
                        refs++;
                        continue;
                    }
                }

                if (refs != 0)
                {
                    last_head!._refcount -= refs; // page_ref_sub
                    refs = 0;
                }

                skb_fill_page_desc_noacc(skb, frag++, head, start, size);
            }

            if (refs != 0)
            {
                last_head!._refcount -= refs; // page_ref_sub
            }
        }

        return 0;
    }

    // net/core/datagram.c: __zerocopy_sg_from_iter
    /// <summary>
    /// Builds frags of the user's pages (zerocopy_fill_skb_from_iter) and
    /// charges the truesize they add: a stream to sk_wmem_queued (and to the
    /// forward allocation unless the skb is pure zerocopy), a datagram to
    /// sk_wmem_alloc.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static int __zerocopy_sg_from_iter(msghdr? msg, sock? sk, sk_buff skb, msghdr from, int length)
    {
        var orig_size = skb.truesize;
        int ret;

        // not ported: msg->msg_ubuf's sg_from_iter (io_uring) and devmem bindings (zerocopy_fill_skb_from_devmem)
        _ = msg;
        ret = zerocopy_fill_skb_from_iter(skb, from, length);

        var truesize = (int)(skb.truesize - orig_size);
        if (sk is not null && sk.sk_type == SOCK_STREAM)
        {
            sk_wmem_queued_add(sk, truesize);
            if (!skb_zcopy_pure(skb))
            {
                sk_mem_charge(sk, truesize);
            }
        }
        else
        {
            skb.sk!.sk_wmem_alloc += truesize; // refcount_add
        }

        return ret;
    }

    // net/core/datagram.c: skb_copy_and_csum_datagram_msg
    /// <summary>
    /// Copies the whole datagram to the user while checksumming it (the
    /// checksum of a CHECKSUM_NONE skb is only verified here, at read time).
    /// -EINVAL on a bad checksum: nothing counts as copied. No tracepoint.
    /// <paramref name="csum_start"/>/<paramref name="pseudo"/> stand in for
    /// skb->csum: the bytes the checksum covers before the payload (the
    /// pulled UDP header) and the pseudo-header sum.
    /// </summary>
    [Borrows("skb")]
    public static int skb_copy_and_csum_datagram_msg(sk_buff skb, int hlen, msghdr msg, int csum_start, uint pseudo)
    {
        // not ported: msg_data_left — written out as iov_len less iov_offset
        // not ported: __skb_checksum_complete — skb->csum does not hold the pseudo-header sum here: the caller
        //   passes it (pseudo), and __skb_checksum_bad verifies from csum_start with it
        // not ported: skb_copy_datagram_msg — 6.18 copies the short read with it (its skb_copy_datagram
        //   tracepoint); the port copies with __skb_datagram_iter untraced, as its snapshots were recorded
        // not ported: iov_iter_revert — written out: iov_offset steps back by the chunk
        // not ported: netdev_rx_csum_fault — no device in the port hands up CHECKSUM_COMPLETE
        var chunk = skb.len - hlen;
        if (chunk == 0)
        {
            return 0;
        }

        if (msg.iov_len - msg.iov_offset < chunk)
        {
            // Short buffer: verify first (__skb_checksum_complete), then copy.
            if (__skb_checksum_bad(skb, csum_start, pseudo))
            {
                return -errno_base_h.EINVAL;
            }

            var unused = default(csum_state);
            return __skb_datagram_iter(skb, hlen, msg, msg.iov_len - msg.iov_offset, false, simple_copy_to_iter, ref unused);
        }

        // csum_partial(skb->data, hlen, skb->csum): what precedes the copy.
        var csum = KernelNet.Kernel.Net.Core.skbuff_c.skb_checksum(skb, csum_start - skb.data, skb.data + hlen - csum_start, pseudo);
        if (skb_copy_and_csum_datagram(skb, hlen, msg, chunk, ref csum) != 0)
        {
            return -errno_base_h.EFAULT;
        }

        if (Include.Net.checksum_h.csum_fold(csum) != 0)
        {
            msg.iov_offset -= chunk; // iov_iter_revert
            return -errno_base_h.EINVAL;
        }

        return 0;
    }

    /// <summary>
    /// csum_fold of the datagram's sum from <paramref name="csum_start"/>
    /// (an offset in head, before data when the UDP header was pulled) to
    /// its end, frag_list included, plus the pseudo header: nonzero is bad.
    /// The verification __skb_checksum_complete does.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the verification half of __skb_checksum_complete, shared by the datagram paths")]
    [Borrows("skb")]
    internal static bool __skb_checksum_bad(sk_buff skb, int csum_start, uint pseudo)
    {
        var offset = csum_start - skb.data;
        var sum = KernelNet.Kernel.Net.Core.skbuff_c.skb_checksum(skb, offset, skb.len - offset, pseudo);
        return Include.Net.checksum_h.csum_fold(sum) != 0;
    }

    /// <summary>copy_to_iter (lib/iov_iter.c) of <paramref name="len"/> linear bytes at data+<paramref name="offset"/>: the kernel-to-user copy, charged at the CPU's copy rate.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/uio.h's copy_to_iter (lib/iov_iter.c) over the port's msghdr")]
    [Borrows("skb")]
    internal static int copy_to_msg(sk_buff skb, int offset, msghdr to, int len)
    {
        if (offset < 0 || offset + len > skb_headlen(skb))
        {
            return -errno_base_h.EFAULT;
        }

        return copy_to_msg(skb.k, skb.head.AsSpan(skb.data + offset, len), to);
    }

    /// <summary>copy_to_iter (lib/iov_iter.c): the kernel-to-user copy of <paramref name="from"/>, charged at the CPU's copy rate.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/uio.h's copy_to_iter (lib/iov_iter.c) over the port's msghdr")]
    internal static int copy_to_msg(Vmlinux k, ReadOnlySpan<byte> from, msghdr to)
    {
        var len = from.Length;
        if (to.iov_base is null || to.iov_offset + len > to.iov_len)
        {
            return -errno_base_h.EFAULT;
        }

        from.CopyTo(to.iov_base.AsSpan(to.iov_offset, len));
        to.iov_offset += len;
        k.machine.CurrentCpu.ChargeCopy(len);
        return 0;
    }

    // net/core/datagram.c: datagram_poll_queue
    /// <summary>
    /// The poll mask of a datagram socket reading from <paramref name="rcv_queue"/>:
    /// EPOLLERR for a pending error or error-queue skb, RDHUP/IN for a shut
    /// receive side, HUP when both sides are shut (or a connection-based
    /// socket closed), IN when a datagram waits, OUT while sock_writeable.
    /// Hooks the poller onto the socket's wait queue first. Process context.
    /// </summary>
    public static uint datagram_poll_queue(object file, socket sock, poll_table_struct? wait, sk_buff_head rcv_queue)
    {
        // not ported: sk_set_bit — no SOCKWQ_ASYNC_NOSPACE (no fasync)
        var sk = sock.sk!;
        sock_poll_wait(file, sock, wait);
        uint mask = 0;

        // exceptional events
        if (sk.sk_err != 0 || !skb_queue_empty_lockless(sk.sk_error_queue))
        {
            mask |= EPOLLERR | (sock_flag(sk, sock_flags.SOCK_SELECT_ERR_QUEUE) ? EPOLLPRI : 0);
        }

        var shutdown = sk.sk_shutdown;
        if ((shutdown & RCV_SHUTDOWN) != 0)
        {
            mask |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
        }

        if (shutdown == SHUTDOWN_MASK)
        {
            mask |= EPOLLHUP;
        }

        if (!skb_queue_empty_lockless(rcv_queue))
        {
            mask |= EPOLLIN | EPOLLRDNORM;
        }

        // a connection-based socket reports its end, and nothing more before it is connected
        if (connection_based(sk))
        {
            int state = sk.sk_state;
            if (state == TCP_CLOSE)
            {
                mask |= EPOLLHUP;
            }

            if (state == TCP_SYN_SENT)
            {
                return mask;
            }
        }

        if (sock_writeable(sk))
        {
            mask |= EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
        }

        // else sk_set_bit(SOCKWQ_ASYNC_NOSPACE): fasync is not ported
        return mask;
    }

    // net/core/datagram.c: datagram_poll
    /// <summary>datagram_poll_queue over the socket's sk_receive_queue.</summary>
    public static uint datagram_poll(object file, socket sock, poll_table_struct? wait) =>
        datagram_poll_queue(file, sock, wait, sock.sk!.sk_receive_queue);
}
