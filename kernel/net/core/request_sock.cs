// Ports net/core/request_sock.c: reqsk_queue_alloc, a listener's accept queue
// made ready, and reqsk_fastopen_remove, the end of a passive Fast Open child's
// hold on its request sock.
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;

namespace KernelNet.Kernel.Net.Core;

public static class request_sock_c
{
    // net/core/request_sock.c: reqsk_queue_alloc
    /// <summary>
    /// Readies a listener's queue (inet_csk_listen_start): no completed
    /// connection waiting, no reset Fast Open request held. What setsockopt
    /// put there before listen (TCP_DEFER_ACCEPT, the Fast Open limit and key)
    /// stays, as in the kernel.
    /// </summary>
    public static void reqsk_queue_alloc(request_sock_queue queue)
    {
        queue.fastopenq.rskq_rst_head = null;
        queue.fastopenq.rskq_rst_tail = null;
        queue.fastopenq.qlen = 0;
        queue.rskq_accept_head = null;
    }

    // net/core/request_sock.c: reqsk_fastopen_remove
    /// <summary>
    /// A Fast Open child is done with its request (the handshake completed or
    /// was aborted): fastopen_rsk is cleared and the listener's Fast Open
    /// queue shrinks. If the child was accepted already the request goes —
    /// except after a reset (<paramref name="reset"/>) on a still-listening
    /// listener, where it stays 60 s on the rskq_rst list counting against
    /// max_qlen (a defence against spoofed Fast Open). Not yet accepted, the
    /// accept queue still holds it.
    /// </summary>
    public static void reqsk_fastopen_remove(sock sk, request_sock req, bool reset)
    {
        var lsk = req.rsk_listener!;
        var fastopenq = inet_csk(lsk).icsk_accept_queue!.fastopenq;

        tcp_sk(sk).fastopen_rsk = null;

        // spin_lock_bh(&fastopenq->lock): the listener's accept() races with us in C
        fastopenq.qlen--;
        req.tfo_listener = false;
        req.rsk_fastopen_ref = false;
        if (req.child is not null)
        {
            // the child socket hasn't been accepted yet
            return;
        }

        if (!reset || lsk.sk_state != tcp_states_h.TCP_LISTEN)
        {
            // The listener has been closed: no special RST handling.
            request_sock_h.reqsk_put(req);
            return;
        }

        // Wait 60 s before removing a request whose child was reset.
        req.rsk_rst_expires = lsk.sk_net.k.jiffies + (60UL * Vmlinux.HZ);
        if (fastopenq.rskq_rst_head is null)
        {
            fastopenq.rskq_rst_head = req;
        }
        else
        {
            fastopenq.rskq_rst_tail!.dl_next = req;
        }

        req.dl_next = null;
        req.rsk_fastopen_ref = true; // the rskq_rst list's reference
        fastopenq.rskq_rst_tail = req;
        fastopenq.qlen++;
    }
}
