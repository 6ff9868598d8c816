// Ports include/net/request_sock.h: struct request_sock, the mini socket a
// listener keeps for a connection between its SYN and the ACK completing
// the handshake, and struct request_sock_queue, the listener's accept queue.
//
// Here one class carries request_sock, inet_request_sock (inet_sock.h) and
// tcp_request_sock (tcp.h): it extends inet_sock so that req_to_sk gives a
// sock that can sit in the established table as TCP_NEW_SYN_RECV, its
// ir_loc_addr/ir_rmt_addr/ir_num/ir_rmt_port being the inet_sock's
// rcv_saddr/daddr/num/dport.
//
// The SYN-ACK retransmit timer (rsk_timer; its handler lives in
// inet_connection_sock.cs). Fast Open's queue (fastopen_queue) and reqsk_fastopen_remove's
// request sock; a cookie-made request (syncookie). not ported: saved SYNs,
// reqsk_queue's young/qlen split by the timer; rsk_refcnt is modelled by
// where the request is held (the established table, the accept queue).

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct request_sock with inet_request_sock and tcp_request_sock folded in.</summary>
public sealed class request_sock : inet_sock
{
    public request_sock(sock sk)
        : base(sk)
    {
    }

    /// <summary>Whether the listener's accept queue holds it (the reference rsk_refcnt counts for the queue).</summary>
    public bool rsk_queued { get; set; }

    /// <summary>Whether it went back to its slab (rsk_refcnt reached 0).</summary>
    public bool rsk_freed { get; set; }

    /// <summary>rsk_listener: the listener the SYN arrived on.</summary>
    public sock? rsk_listener { get; set; }

    /// <summary>mss: the peer's MSS (tcp_openreq_init: mss_clamp).</summary>
    public ushort mss { get; set; }

    public uint rsk_rcv_wnd { get; set; }

    public uint rsk_window_clamp { get; set; }

    public uint ts_recent { get; set; }

    public byte num_retrans { get; set; }

    /// <summary>num_timeout: times the request timer fired (the SYN-ACK backoff's exponent).</summary>
    public byte num_timeout { get; set; }

    /// <summary>acked (inet_request_sock): the peer's ACK came but was held back (TCP_DEFER_ACCEPT, or a full accept queue).</summary>
    public bool acked { get; set; }

    /// <summary>timeout: the first SYN-ACK's retransmission timeout (jiffies; tcp_timeout_init).</summary>
    public uint timeout { get; set; }

    /// <summary>rsk_timer: the SYN-ACK retransmit timer (reqsk_timer_handler).</summary>
    public Kernel.Time.timer_list? rsk_timer { get; set; }

    /// <summary>sk: the child made when the handshake completed (accept queue entries).</summary>
    public sock? child { get; set; }

    public bool snd_wscale_set { get; set; }

    public byte snd_wscale { get; set; }

    public byte rcv_wscale { get; set; }

    public bool tstamp_ok { get; set; }

    public bool sack_ok { get; set; }

    public bool wscale_ok { get; set; }

    public bool ecn_ok { get; set; }

    /// <summary>rcv_isn, snt_isn: the peer's ISN and ours.</summary>
    public uint rcv_isn { get; set; }

    public uint snt_isn { get; set; }

    /// <summary>ts_off: our timestamp offset for this connection.</summary>
    public uint ts_off { get; set; }

    /// <summary>txhash: the transmit hash the child socket will take (tcp_request_sock).</summary>
    public uint txhash { get; set; }

    /// <summary>snt_synack: when the SYN-ACK was sent (µs).</summary>
    public ulong snt_synack { get; set; }

    public uint rcv_nxt { get; set; }

    public bool req_usec_ts { get; set; }

    /// <summary>ir_loc_addr, ir_rmt_addr, ir_num, ir_rmt_port: the connection's addresses and ports.</summary>
    public uint ir_loc_addr { get => inet_rcv_saddr; set => inet_rcv_saddr = value; }

    public uint ir_rmt_addr { get => inet_daddr; set => inet_daddr = value; }

    public ushort ir_num { get => inet_num; set => inet_num = value; }

    public ushort ir_rmt_port { get => inet_dport; set => inet_dport = value; }

    public int ir_iif { get; set; }

    /// <summary>syncookie: the SYN was answered with a cookie; this request is not queued and lives only while the SYN-ACK is built.</summary>
    public bool syncookie { get; set; }

    /// <summary>tfo_listener: the listener's Fast Open queue counts this request (its child was made at SYN time).</summary>
    public bool tfo_listener { get; set; }

    /// <summary>
    /// The reference a Fast Open child's fastopen_rsk (or, after a reset,
    /// the listener's rskq_rst list) holds on the request (part of rsk_refcnt).
    /// </summary>
    public bool rsk_fastopen_ref { get; set; }

    /// <summary>dl_next: the next request on the listener's accept queue or, after a Fast Open reset, its rskq_rst list.</summary>
    public request_sock? dl_next { get; set; }

    /// <summary>rsk_timer.expires for a request on the rskq_rst list (jiffies): when it stops counting against max_qlen.</summary>
    public ulong rsk_rst_expires { get; set; }
}

/// <summary>struct fastopen_queue: a listener's passive Fast Open state.</summary>
public sealed class fastopen_queue
{
    /// <summary>rskq_rst_head/tail: requests whose Fast Open child was reset, kept 60 s against max_qlen.</summary>
    public request_sock? rskq_rst_head { get; set; }

    public request_sock? rskq_rst_tail { get; set; }

    /// <summary>qlen: Fast Open children not yet through the handshake, plus the reset ones above.</summary>
    public int qlen { get; set; }

    /// <summary>max_qlen: TCP_FASTOPEN's value (0: passive Fast Open off on this listener).</summary>
    public int max_qlen { get; set; }

    /// <summary>ctx: the listener's own key (TCP_FASTOPEN_KEY); null: the namespace's.</summary>
    public tcp_fastopen_context? ctx { get; set; }
}

/// <summary>struct request_sock_queue: the accept queue (children whose handshake completed) and the SYN queue's length.</summary>
public sealed class request_sock_queue
{
    /// <summary>rskq_accept_head: the oldest completed connection, the others following on req.dl_next (intrusive, as in C).</summary>
    public request_sock? rskq_accept_head { get; set; }

    /// <summary>rskq_accept_tail: the newest completed connection (meaningful while rskq_accept_head is set).</summary>
    public request_sock? rskq_accept_tail { get; set; }

    /// <summary>qlen: request socks in the SYN queue.</summary>
    public int qlen { get; set; }

    public int young { get; set; }

    /// <summary>fastopenq: the Fast Open queue.</summary>
    public fastopen_queue fastopenq { get; } = new();

    /// <summary>rskq_defer_accept: TCP_DEFER_ACCEPT as a count of SYN-ACK retransmissions (secs_to_retrans).</summary>
    public byte rskq_defer_accept { get; set; }

    /// <summary>synflood_warned: the listener has logged its "Possible SYN flooding" warning.</summary>
    public bool synflood_warned { get; set; }
}

public static class request_sock_h
{
    // include/net/request_sock.h: req_to_sk
    public static sock req_to_sk(request_sock req) => req.sk;

    // include/net/request_sock.h: reqsk_queue_empty
    public static bool reqsk_queue_empty(request_sock_queue queue) => queue.rskq_accept_head is null;

    // include/net/request_sock.h: reqsk_queue_remove
    /// <summary>The oldest completed connection off the accept queue, and the listener's accept backlog shrinks.</summary>
    public static request_sock? reqsk_queue_remove(request_sock_queue queue, sock parent)
    {
        // spin_lock_bh(rskq_lock): against softirq's inet_csk_reqsk_queue_add (one thread here)
        var req = queue.rskq_accept_head;
        if (req is not null)
        {
            sock_h.sk_acceptq_removed(parent);
            queue.rskq_accept_head = req.dl_next;
            if (queue.rskq_accept_head is null)
            {
                queue.rskq_accept_tail = null;
            }

            req.rsk_queued = false;
        }

        return req;
    }

    // include/net/request_sock.h: reqsk_queue_removed
    /// <summary>A request sock leaves the SYN queue.</summary>
    public static void reqsk_queue_removed(request_sock_queue queue, request_sock req)
    {
        if (req.num_retrans == 0)
        {
            queue.young--;
        }

        queue.qlen--;
    }

    // include/net/request_sock.h: reqsk_queue_added
    public static void reqsk_queue_added(request_sock_queue queue)
    {
        queue.young++;
        queue.qlen++;
    }

    // include/net/request_sock.h: reqsk_queue_len
    public static int reqsk_queue_len(request_sock_queue queue) => queue.qlen;

    // include/net/request_sock.h: __reqsk_free
    /// <summary>The request sock's memory goes back to request_sock_TCP (its listener reference dropped; routes, options and a saved SYN: none held).</summary>
    public static void __reqsk_free(request_sock req)
    {
        // not ported: kfree, sock_put — the request sock is a C# object; listener references are not counted
        // rsk_ops->destructor (tcp_v4_reqsk_destructor: IP options): none kept. sock_put(rsk_listener), then kmem_cache_free — once.
        req.rsk_listener = null;
        if (!req.rsk_freed)
        {
            req.rsk_freed = true;
            if (req.sk.sk_slab is { } slab)
            {
                Mm.slub_c.kmem_cache_free(slab);
                req.sk.sk_slab = null;
            }
        }
    }

    // include/net/request_sock.h: reqsk_free
    /// <summary>Frees a request nothing holds any more (rsk_refcnt 0): __reqsk_free.</summary>
    public static void reqsk_free(request_sock req) => __reqsk_free(req);

    // include/net/request_sock.h: reqsk_put
    /// <summary>Drops a reference: the request is freed once neither the established table nor the accept queue holds it (rsk_refcnt).</summary>
    public static void reqsk_put(request_sock req)
    {
        // not ported: __reqsk_free — the refcount stands as the hashed/queued/fastopen test, and reqsk_free frees
        if (!req.sk.sk_hashed && !req.rsk_queued && !req.rsk_fastopen_ref)
        {
            reqsk_free(req);
        }
    }
}
