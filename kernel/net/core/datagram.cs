// Ports net/core/datagram.c: waiting for and taking datagrams off a
// socket's queue, and copying them to the user (RX-13).
//
// not ported: zerocopy and page-frag iteration (data is linear), MSG_PEEK
// with offsets into the queue beyond the first skb.
using System;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.sched_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Trace.Events.skb_h;
using static KernelNet.Kernel.Kernel.Sched.wait_c;
using static KernelNet.Kernel.Kernel.Time.timer_c;

namespace KernelNet.Kernel.Net.Core;

/// <summary>What __skb_wait_for_more_packets returns through its pointer arguments in C.</summary>
public readonly record struct skb_wait_result(int error, int err, long timeo);

public static class datagram_c
{
    // net/core/datagram.c: receiver_wake_function
    /// <summary>Wakes a reader for readable or error events (the poll key is not modelled: always).</summary>
    private static int receiver_wake_function(Vmlinux k, wait_queue_entry wait, int mode) => autoremove_wake_function(k, wait, mode);

    // net/core/datagram.c: __skb_wait_for_more_packets
    /// <summary>
    /// Sleeps on the socket until a packet arrives behind <paramref name="last"/>,
    /// an error is posted, the socket shuts down, or the timeout runs out —
    /// a real sleep (IO-1: one voluntary context switch, a second on wakeup).
    /// error 0 means "look again"; err carries the errno to return.
    /// </summary>
    [MightSleep]
    public static async Task<skb_wait_result> __skb_wait_for_more_packets(sock sk, sk_buff_head queue, long timeo, sk_buff? last)
    {
        var k = sk.sk_net.k;
        var wait = new wait_queue_entry(k.current, receiver_wake_function);
        var err = 0;
        int error;
        prepare_to_wait_exclusive(k, sk.sk_wq, wait, TASK_INTERRUPTIBLE);

        error = Include.Net.sock_h.sock_error(sk);
        if (error != 0)
        {
            goto out_err;
        }

        if (queue.last != last)
        {
            goto @out;
        }

        if ((sk.sk_shutdown & 1 /* RCV_SHUTDOWN */) != 0)
        {
            goto out_noerr;
        }

        if (signal_pending(k.current))
        {
            goto interrupted;
        }

        error = 0;
        timeo = await schedule_timeout(k, timeo);

    @out:
        finish_wait(k, sk.sk_wq, wait);
        return new skb_wait_result(error, err, timeo);

    interrupted:
        error = Include.Net.sock_h.sock_intr_errno(timeo);
    out_err:
        err = error;
        goto @out;
    out_noerr:
        err = 0;
        error = 1;
        goto @out;
    }

    // net/core/datagram.c: __skb_try_recv_from_queue
    /// <summary>The first skb of the queue: unlinked, or with an extra reference when peeking. -EAGAIN when empty.</summary>
    public static sk_buff? __skb_try_recv_from_queue(sk_buff_head queue, int flags, out int err)
    {
        err = 0;
        var skb = skb_peek(queue);
        if (skb is null)
        {
            err = -errno_base_h.EAGAIN;
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

    // net/core/datagram.c: skb_copy_datagram_iter
    /// <summary>Copies <paramref name="len"/> bytes from data+<paramref name="offset"/> to the user buffer (traces skb_copy_datagram_iovec).</summary>
    public static int skb_copy_datagram_iter(sk_buff skb, int offset, msghdr to, int len)
    {
        trace_skb_copy_datagram_iovec(skb, len);
        return copy_to_iter(skb, offset, to, len);
    }

    /// <summary>copy_to_iter (lib/iov_iter.c): the kernel-to-user copy, charged at the CPU's copy rate.</summary>
    internal static int copy_to_iter(sk_buff skb, int offset, msghdr to, int len)
    {
        if (offset < 0 || offset + len > skb.len || to.iov_offset + len > to.iov_len)
        {
            return -errno_base_h.EFAULT;
        }

        skb.head.AsSpan(skb.data + offset, len).CopyTo(to.iov_base.AsSpan(to.iov_offset, len));
        to.iov_offset += len;
        var cpu = skb.k.machine.CurrentCpu;
        cpu.Charge((long)(len * skb.k.machine.Costs.CopyNsPerByte));
        return 0;
    }
}
