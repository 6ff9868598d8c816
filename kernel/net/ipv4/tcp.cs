// Ports net/ipv4/tcp.c: a TCP socket's set-up (tcp_init_sock), its state
// changes (tcp_set_state), its end (tcp_done), close (tcp_close: the FIN
// of a connected socket through tcp_close_state and tcp_send_fin, the
// backlog processed, a closed socket destroyed; a listener's unaccepted
// children reset by inet_csk_listen_stop; SO_LINGER's zero-time abort and
// its timed wait for the FIN's ACK (sk_stream_wait_close); an
// orphan in FIN_WAIT2 handed to the timewait minisock), tcp_shutdown (the
// FIN of SHUT_WR), tcp_disconnect (the RST of a synchronized connection), setsockopt(SOL_TCP) for TCP_CONGESTION, TCP_INQ,
// TCP_NODELAY and TCP_CORK (__tcp_sock_set_nodelay, __tcp_sock_set_cork),
// getsockopt(SOL_TCP) for TCP_INFO (tcp_get_info), the inbound signature
// check (tcp_inbound_hash, tcp_inbound_md5_hash) for a port without MD5/AO keys.
// Sending: tcp_sendmsg/tcp_sendmsg_locked (waiting for the connection, the
// size goal from tcp_send_mss/tcp_xmit_size_goal, tcp_stream_alloc_skb,
// tcp_skb_entail, the copy of the user's bytes, appending to the tail skb
// unless it ends a record (MSG_EOR), forced_push/tcp_mark_push, tcp_push with
// MSG_MORE, waiting for send buffer room, -EAGAIN, -EFAULT). Reading:
// tcp_recvmsg/tcp_recvmsg_locked (MSG_PEEK, MSG_WAITALL, MSG_TRUNC,
// MSG_DONTWAIT, SO_RCVTIMEO and SO_RCVLOWAT, sleeping in sk_wait_data, the
// FIN as end of stream, -ENOTCONN, -EFAULT), the TCP_CM_INQ control message
// (tcp_inq_hint), tcp_cleanup_rbuf's ACKs, tcp_eat_recv_skb, tcp_ioctl
// (SIOCINQ, SIOCOUTQ, SIOCOUTQNSD), close's RST on unread data
// (TCPAbortOnClose), tcp_set_window_clamp.
//
// Data goes into page frags (sk_page_frag_refill, skb_copy_to_page_nocache);
// tcp_poll gives poll/epoll their mask. MSG_ZEROCOPY sends pin the user's
// pages (skb_zerocopy_iter_stream); SO_TIMESTAMPING marks a send's last skb
// (tcp_tx_timestamp); MSG_ERRQUEUE reads the error queue (inet_recv_error).
// not ported yet: splice, MSG_OOB/urgent data (SIOCATMARK, EPOLLPRI),
// TCP_REPAIR, receive timestamps (tcp_recv_timestamp), SO_PEEK_OFF and
// tcp_check_oom;
// TCP's memory accounting (tcp_mem), the per-CPU orphan counters.
// not ported: BPF_SOCK_OPS_TEST_FLAG, SK_BPF_CB_FLAG_TEST, tcp_call_bpf_2arg — no BPF sock_ops programs can
//   be attached in the simulation
// not ported: tcp_accecn_init_counters — AccECN (RFC 9768) negotiation is not ported: a connection is RFC
//   3168 ECN or none
// not ported: tcp_ao_get_mkts, tcp_ao_get_repair, tcp_ao_get_sock_info, tcp_ao_hdr_maclen, tcp_ao_set_repair
//   — no TCP-AO (RFC 5925): TCP_AO_ADD_KEY is not ported, so no socket or request has an AO key
// not ported: tcp_md5_do_lookup, tcp_parse_auth_options, tcp_v4_md5_hash_skb — no TCP-MD5 (RFC 2385):
//   TCP_MD5SIG is not ported, so no key is ever found
// not ported: mptcp_init — no MPTCP: IPPROTO_MPTCP is not ported, every socket is plain TCP
// not ported: psp_enqueue_set_decrypted — no PSP encryption (no PSP device is simulated): every skb is
//   plaintext
using System;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.inet_sock_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_states_h;
using static KernelNet.Kernel.Include.Trace.Events.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_c
{
    // net/ipv4/tcp.c: tcp_stream_is_readable
    /// <summary>Enough bytes for <paramref name="target"/> (or memory or window pressure), or the protocol's own readability (sockmap: not ported).</summary>
    private static bool tcp_stream_is_readable(sock sk, int target)
    {
        if (tcp_epollin_ready(sk, target))
        {
            return true;
        }

        return sk_is_readable(sk);
    }

    // not ported: inet_sk_state_load — the state is read as the field sk_state (one CPU, no torn reads)
    // net/ipv4/tcp.c: tcp_poll
    /// <summary>
    /// poll of a TCP socket, without the socket lock: a listener asks
    /// inet_csk_listen_poll; otherwise HUP when both directions are shut or
    /// the socket is closed, IN|RDNORM|RDHUP once the peer's FIN arrived,
    /// IN|RDNORM when SO_RCVLOWAT bytes wait, OUT|WRNORM while the send
    /// buffer has a third free and the unsent bytes stay under
    /// notsent_lowat (else SOCK_NOSPACE is set so that the freeing ACK
    /// wakes the poller), ERR for a pending error. Process context.
    /// </summary>
    public static uint tcp_poll(object file, socket sock, poll_table_struct? wait)
    {
        var sk = sock.sk!;
        var tp = tcp_sk(sk);

        sock_poll_wait(file, sock, wait);

        int state = sk.sk_state; // inet_sk_state_load
        if (state == TCP_LISTEN)
        {
            return inet_csk_listen_poll(sk);
        }

        uint mask = 0;

        // EPOLLHUP cannot be masked: it is given only when both directions are
        // shut (or the socket is closed), so that a half-closed socket can still wait to write
        var shutdown = sk.sk_shutdown;
        if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
        {
            mask |= Include.Uapi.Linux.eventpoll_h.EPOLLHUP;
        }

        if ((shutdown & RCV_SHUTDOWN) != 0)
        {
            mask |= Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM | Include.Uapi.Linux.eventpoll_h.EPOLLRDHUP;
        }

        // connected, or a passive Fast Open child
        if (state != TCP_SYN_SENT && (state != TCP_SYN_RECV || tp.fastopen_rsk is not null))
        {
            var target = sock_rcvlowat(sk, false, int.MaxValue);

            // not ported: sock_flag — urgent data (tp->urg_data, urg_seq, SOCK_URGINLINE: the target one byte
            //   further, EPOLLPRI while TCP_URG_VALID) is not ported: tcp_urg is not
            if (tcp_stream_is_readable(sk, target))
            {
                mask |= Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM;
            }

            if ((shutdown & SEND_SHUTDOWN) == 0)
            {
                if (__sk_stream_is_writeable(sk, 1))
                {
                    mask |= Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM;
                }
                else
                {
                    // the freeing ACK's sk_stream_write_space looks for SOCK_NOSPACE
                    // not ported: sk_set_bit — SOCKWQ_ASYNC_NOSPACE serves fasync (SIGIO), which is not ported
                    sock.flags |= 1UL << net_h.SOCK_NOSPACE;

                    // the race breaker after smp_mb__after_atomic: room freed between the test and the flag
                    if (__sk_stream_is_writeable(sk, 1))
                    {
                        mask |= Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM;
                    }
                }
            }
            else
            {
                mask |= Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM;
            }
        }
        else if (state == TCP_SYN_SENT && inet_sk(sk).defer_connect)
        {
            // active Fast Open with defer_connect: writable, so that the first write sends SYN+data
            mask |= Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM;
        }

        // smp_rmb(): pairs with tcp_done_with_error's smp_wmb (one thread: nothing to order)
        if (sk.sk_err != 0 || !skb_queue_empty_lockless(sk.sk_error_queue))
        {
            mask |= Include.Uapi.Linux.eventpoll_h.EPOLLERR;
        }

        return mask;
    }

    // net/ipv4/tcp.c: tcp_ioctl
    /// <summary>
    /// SIOCINQ (bytes to read, tcp_inq), SIOCOUTQ (bytes not yet
    /// acknowledged) and SIOCOUTQNSD (bytes not yet sent); -EINVAL on a
    /// listener, 0 during the handshake. SIOCATMARK (urgent data) is not
    /// ported. Returns 0 and the value, or -errno.
    /// </summary>
    public static (int Err, int Karg) tcp_ioctl(sock sk, int cmd)
    {
        var tp = tcp_sk(sk);
        int answ;

        switch (cmd)
        {
            case Include.Uapi.Linux.sockios_h.SIOCINQ:
                if (sk.sk_state == TCP_LISTEN)
                {
                    return (-errno_base_h.EINVAL, 0);
                }

                // not ported: lock_sock_fast, unlock_sock_fast — the simulation runs one thing at a time: no
                //   softirq can change the queue while it is counted
                answ = tcp_inq(sk);
                break;
            case Include.Uapi.Linux.sockios_h.SIOCOUTQ:
                if (sk.sk_state == TCP_LISTEN)
                {
                    return (-errno_base_h.EINVAL, 0);
                }

                answ = sk.sk_state is TCP_SYN_SENT or TCP_SYN_RECV ? 0 : (int)(tp.write_seq - tp.snd_una);
                break;
            case Include.Uapi.Linux.sockios_h.SIOCOUTQNSD:
                if (sk.sk_state == TCP_LISTEN)
                {
                    return (-errno_base_h.EINVAL, 0);
                }

                answ = sk.sk_state is TCP_SYN_SENT or TCP_SYN_RECV ? 0 : (int)(tp.write_seq - tp.snd_nxt);
                break;
            default:
                return (-ENOIOCTLCMD, 0);
        }

        return (0, answ);
    }

    /// <summary>ENOIOCTLCMD (include/linux/errno.h): the request is not this protocol's.</summary>
    private const int ENOIOCTLCMD = 515;

    // net/ipv4/tcp.c: tcp_splice_data_recv
    /// <summary>tcp_read_sock's actor for splice: the skb's bytes into the pipe by page (skb_splice_bits); the descriptor's count goes down.</summary>
    [Borrows("skb")]
    private static int tcp_splice_data_recv(read_descriptor_t rd_desc, sk_buff skb, uint offset, int len)
    {
        var tss = (tcp_splice_state)rd_desc.arg!;
        var ret = Core.skbuff_c.skb_splice_bits(skb, skb.sk!, (int)offset, tss.pipe, (int)Math.Min(rd_desc.count, len), tss.flags);
        if (ret > 0)
        {
            rd_desc.count -= ret;
        }

        return ret;
    }

    // net/ipv4/tcp.c: __tcp_splice_read
    private static int __tcp_splice_read(sock sk, tcp_splice_state tss)
    {
        var rd_desc = new read_descriptor_t { arg = tss, count = tss.len };
        return tcp_read_sock(sk, rd_desc, tcp_splice_data_recv);
    }

    // not ported: sock_rps_record_flow — RFS (rps_sock_flow_table) is not simulated
    // net/ipv4/tcp.c: tcp_splice_read
    /// <summary>
    /// splice(2) from a TCP socket into a pipe: received data goes into the
    /// pipe skb by skb (tcp_read_sock with tcp_splice_data_recv), waiting in
    /// sk_wait_data while nothing is there; it stops at urgent data and, when
    /// data is queued but none could be taken (the urgent byte), returns 0
    /// rather than wait. -ESPIPE for an offset, -ENOTCONN before a connection,
    /// -EAGAIN when nonblocking and empty.
    /// </summary>
    [MightSleep]
    public static async Task<long> tcp_splice_read(socket sock, System.Runtime.CompilerServices.StrongBox<long> ppos, pipe_inode_info pipe, int len, uint flags)
    {
        var sk = sock.sk!;
        var tss = new tcp_splice_state { pipe = pipe, len = len, flags = flags };
        long timeo;
        long spliced;
        int ret;

        // sock_rps_record_flow: no RPS/RFS
        if (ppos.Value != 0)
        {
            return -errno_base_h.ESPIPE;
        }

        ret = 0;
        spliced = 0;

        lock_sock(sk);

        timeo = sock_rcvtimeo(sk, sock.nonblock);
        while (tss.len != 0)
        {
            ret = __tcp_splice_read(sk, tss);
            if (ret < 0)
            {
                break;
            }
            else if (ret == 0)
            {
                if (spliced != 0)
                {
                    break;
                }

                if (sock_flag(sk, sock_flags.SOCK_DONE))
                {
                    break;
                }

                if (sk.sk_err != 0)
                {
                    ret = sock_error(sk);
                    break;
                }

                if ((sk.sk_shutdown & RCV_SHUTDOWN) != 0)
                {
                    break;
                }

                if (sk.sk_state == TCP_CLOSE)
                {
                    // a socket that never connected
                    ret = -errno_h.ENOTCONN;
                    break;
                }

                if (timeo == 0)
                {
                    ret = -errno_base_h.EAGAIN;
                    break;
                }

                // nothing taken with data queued (urgent data): no loop
                if (!skb_queue_empty(sk.sk_receive_queue))
                {
                    break;
                }

                int rc;
                (rc, timeo) = await Core.sock_c.sk_wait_data(sk, timeo, null);
                ret = rc;
                if (ret < 0)
                {
                    break;
                }

                if (sched_h.signal_pending(sk.sk_net.k.current))
                {
                    ret = sock_intr_errno(timeo);
                    break;
                }

                continue;
            }

            tss.len -= ret;
            spliced += ret;

            if (tss.len == 0 || timeo == 0)
            {
                break;
            }

            Core.sock_c.release_sock(sk);
            lock_sock(sk);

            if (sk.sk_err != 0 || sk.sk_state == TCP_CLOSE || (sk.sk_shutdown & RCV_SHUTDOWN) != 0 || sched_h.signal_pending(sk.sk_net.k.current))
            {
                break;
            }
        }

        Core.sock_c.release_sock(sk);

        if (spliced != 0)
        {
            return spliced;
        }

        return ret;
    }

    // net/ipv4/tcp.c: __tcp_cleanup_rbuf
    /// <summary>
    /// After a read of <paramref name="copied"/> bytes: the owed ACK goes out
    /// now if more than a segment is unacknowledged, or the reader drained a
    /// queue that held a pushed small segment (not in pingpong mode); or a
    /// window update goes out if the read at least doubled the window we
    /// can offer (not once the peer's FIN is in).
    /// </summary>
    public static void __tcp_cleanup_rbuf(sock sk, int copied)
    {
        var tp = tcp_sk(sk);
        var time_to_ack = false;

        if (inet_csk_ack_scheduled(sk))
        {
            var icsk = inet_csk(sk);

            if (tp.rcv_nxt - tp.rcv_wup > icsk.icsk_ack_rcv_mss ||
                (copied > 0 &&
                 ((icsk.icsk_ack_pending & ICSK_ACK_PUSHED2) != 0 ||
                  ((icsk.icsk_ack_pending & ICSK_ACK_PUSHED) != 0 && !inet_csk_in_pingpong_mode(sk))) &&
                 sk.sk_rmem_alloc == 0))
            {
                time_to_ack = true;
            }
        }

        // a window that grew a lot is worth an ACK of its own
        if (copied > 0 && !time_to_ack && (sk.sk_shutdown & RCV_SHUTDOWN) == 0)
        {
            var rcv_window_now = tcp_receive_window(tp);

            // __tcp_select_window is costly: only when the window is small
            if (2 * rcv_window_now <= tp.window_clamp)
            {
                var new_window = tcp_output_c.__tcp_select_window(sk);

                // "lots": at least twice what is offered now
                if (new_window != 0 && new_window >= 2 * rcv_window_now)
                {
                    time_to_ack = true;
                }
            }
        }

        if (time_to_ack)
        {
            tcp_output_c.tcp_send_ack(sk);
        }
    }

    // not ported: before — the sequence comparison is written out with after()/signed arithmetic
    // not ported: skb_peek — only for a WARN (the head skb's sequence against copied_seq)
    // net/ipv4/tcp.c: tcp_cleanup_rbuf
    public static void tcp_cleanup_rbuf(sock sk, int copied) => __tcp_cleanup_rbuf(sk, copied);

    // net/ipv4/tcp.c: tcp_eat_recv_skb
    /// <summary>A segment read to its end leaves the receive queue: its memory goes back to the socket, and it is freed without a tracepoint.</summary>
    [Consumes("skb")]
    private static void tcp_eat_recv_skb(sock sk, sk_buff skb)
    {
        __skb_unlink(skb, sk.sk_receive_queue);
        if (skb.destructor == Core.sock_c.sock_rfree)
        {
            Core.sock_c.sock_rfree(skb);
            skb.destructor = null;
            skb.sk = null;

            // not ported: skb_attempt_defer_free — freed here, on the reader's CPU: the port does not hand frees to
            //   the CPU that allocated the skb (no per-CPU defer lists)
            Core.skbuff_c.__kfree_skb(skb);
            return;
        }

        Core.skbuff_c.__kfree_skb(skb);
    }

    // net/ipv4/tcp.c: tcp_recv_skb
    /// <summary>The receive-queue skb holding <paramref name="seq"/> (or a FIN at it), skbs wholly before it eaten on the way; null when none.</summary>
    private static sk_buff? tcp_recv_skb(sock sk, uint seq, out uint off)
    {
        sk_buff? skb;
        off = 0;

        while ((skb = skb_peek(sk.sk_receive_queue)) is not null)
        {
            var offset = seq - TCP_SKB_CB(skb).seq;
            if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_SYN) != 0)
            {
                offset--; // pr_err_once: a SYN on the receive queue
            }

            if (offset < skb.len || (TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
            {
                off = offset;
                return skb;
            }

            // collapsing split a GRO packet while the lock was dropped
            tcp_eat_recv_skb(sk, skb);
        }

        return null;
    }

    // net/ipv4/tcp.c: __tcp_read_sock
    /// <summary>
    /// Feeds in-order received data to <paramref name="recv_actor"/> skb by
    /// skb from *copied_seq, stopping at the urgent byte (tp->urg_data), when
    /// the actor takes nothing or the descriptor's count is met; eaten skbs
    /// leave the queue. Then the receive window may open (tcp_cleanup_rbuf
    /// ACKs). The bytes consumed, or the actor's error if none.
    /// </summary>
    private static int __tcp_read_sock(sock sk, read_descriptor_t desc, Func<read_descriptor_t, sk_buff, uint, int, int> recv_actor, bool noack, ref uint copied_seq)
    {
        sk_buff? skb;
        var tp = tcp_sk(sk);
        var seq = copied_seq;
        uint offset;
        var copied = 0;

        if (sk.sk_state == TCP_LISTEN)
        {
            return -errno_h.ENOTCONN;
        }

        while ((skb = tcp_recv_skb(sk, seq, out offset)) is not null)
        {
            if (offset < skb.len)
            {
                int used;
                var len = (int)(skb.len - offset);

                // a patch of urgent data stops the read
                if (tp.urg_data != 0)
                {
                    var urg_offset = tp.urg_seq - seq;
                    if (urg_offset < len)
                    {
                        len = (int)urg_offset;
                    }

                    if (len == 0)
                    {
                        break;
                    }
                }

                used = recv_actor(desc, skb, offset, len);
                if (used <= 0)
                {
                    if (copied == 0)
                    {
                        copied = used;
                    }

                    break;
                }

                if (used > len)
                {
                    used = len; // WARN_ON_ONCE
                }

                seq += (uint)used;
                copied += used;
                offset += (uint)used;

                // the actor may have dropped the lock: find the skb again
                skb = tcp_recv_skb(sk, seq - 1, out offset);
                if (skb is null)
                {
                    break;
                }

                // coalescing may have appended data: splice on
                if (offset + 1 != skb.len)
                {
                    continue;
                }
            }

            if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
            {
                tcp_eat_recv_skb(sk, skb);
                ++seq;
                break;
            }

            tcp_eat_recv_skb(sk, skb);
            if (desc.count == 0)
            {
                break;
            }

            copied_seq = seq;
        }

        copied_seq = seq;

        if (noack)
        {
            goto @out;
        }

        tcp_input_c.tcp_rcv_space_adjust(sk);

        // the data read may open the window: an ACK
        if (copied > 0)
        {
            tcp_recv_skb(sk, seq, out offset);
            tcp_cleanup_rbuf(sk, copied);
        }

    @out:
        return copied;
    }

    // net/ipv4/tcp.c: tcp_read_sock
    /// <summary>__tcp_read_sock from the socket's copied_seq, ACKing what it frees.</summary>
    public static int tcp_read_sock(sock sk, read_descriptor_t desc, Func<read_descriptor_t, sk_buff, uint, int, int> recv_actor)
    {
        var tp = tcp_sk(sk);
        var copied_seq = tp.copied_seq;
        var ret = __tcp_read_sock(sk, desc, recv_actor, false, ref copied_seq);
        tp.copied_seq = copied_seq;
        return ret;
    }

    // net/ipv4/tcp.c: tcp_inq_hint
    /// <summary>TCP_CM_INQ's value: bytes left to read, or 1 once the FIN is in and nothing is left, so the reader reads on to the 0.</summary>
    private static int tcp_inq_hint(sock sk)
    {
        var tp = tcp_sk(sk);
        var inq = (int)(tp.rcv_nxt - tp.copied_seq);

        // not ported: lock_sock, release_sock — 6.18 takes the lock to re-read a negative difference racing
        //   with softirq; one thread never sees it negative
        if (inq == 0 && sock_flag(sk, sock_flags.SOCK_DONE))
        {
            inq = 1;
        }

        return inq;
    }

    // not ported: tcp_recvmsg_dmabuf — devmem TCP (SO_DEVMEM_*, dmabuf frags) is not ported
    // not ported: tcp_recv_urg — urgent data (MSG_OOB receives) is not ported
    // not ported: skb_queue_walk — the queue is walked by an explicit loop over its links
    // not ported: skb_peek_tail — read as the .last of the queue
    // not ported: skb_frags_readable — devmem TCP (SO_DEVMEM_*, dmabuf frags) is not ported: every frag is
    //   readable
    // not ported: sk_peek_offset, sk_peek_offset_bwd, sk_peek_offset_fwd — SO_PEEK_OFF is not ported:
    //   MSG_PEEK always peeks from the head
    // not ported: net_dbg_ratelimited — a debug-only printk
    // not ported: after — the sequence comparison is written out with before()/signed arithmetic
    // not ported: tcp_fast_path_check — it follows the end of urgent data (tp->urg_data): not ported
    // not ported: tcp_update_recv_tstamps — receive timestamps (SO_TIMESTAMP*, TCP_CMSG_TS) are not ported
    // not ported: tcp_peek_sndq — TCP repair mode (TCP_REPAIR_QUEUE) is not ported
    // net/ipv4/tcp.c: tcp_recvmsg_locked
    /// <summary>
    /// The reading loop, under the socket lock: copies in-order data from
    /// the receive queue until <paramref name="len"/> bytes, or at least the
    /// SO_RCVLOWAT target (MSG_WAITALL: all of it) when more must be waited
    /// for; sleeps in sk_wait_data (SO_RCVTIMEO; MSG_DONTWAIT: -EAGAIN);
    /// stops at the FIN (0 at end of stream), an error, shutdown or a closed
    /// socket (-ENOTCONN if never connected; a listener too). MSG_PEEK copies
    /// without consuming; MSG_TRUNC consumes without copying. A copy fault
    /// with nothing copied is -EFAULT. Each copy runs receive autotuning
    /// (tcp_rcv_space_adjust); at the end tcp_cleanup_rbuf may ACK. Urgent
    /// data, repair mode, devmem and receive timestamps are not ported.
    /// </summary>
    [MightSleep]
    private static async Task<(int Ret, int CmsgFlags)> tcp_recvmsg_locked(sock sk, msghdr msg, int len, int flags)
    {
        var tp = tcp_sk(sk);
        var copied = 0;
        uint peek_seq = 0;
        var cmsg_flags = 0;
        int err;

        err = -errno_h.ENOTCONN;
        if (sk.sk_state == TCP_LISTEN)
        {
            goto @out;
        }

        if (tp.recvmsg_inq)
        {
            cmsg_flags = TCP_CMSG_INQ;
        }

        var timeo = sock_rcvtimeo(sk, (flags & MSG_DONTWAIT) != 0);

        // MSG_OOB (tcp_recv_urg) and repair mode: not ported.
        var peeking = (flags & MSG_PEEK) != 0;
        if (peeking)
        {
            // sk_peek_offset: SO_PEEK_OFF is not ported (0)
            peek_seq = tp.copied_seq;
        }

        var target = sock_rcvlowat(sk, (flags & MSG_WAITALL) != 0, len);

        do
        {
            var seq = peeking ? peek_seq : tp.copied_seq;
            uint offset = 0;
            int used;

            // the next buffer
            var last = sk.sk_receive_queue.last;
            sk_buff? skb;
            for (skb = sk.sk_receive_queue.first; skb is not null; skb = skb.next)
            {
                last = skb;

                // one receive queue: a segment past seq cannot be here
                if (before(seq, TCP_SKB_CB(skb).seq))
                {
                    break;
                }

                offset = seq - TCP_SKB_CB(skb).seq;
                if (offset < skb.len)
                {
                    goto found_ok_skb;
                }

                if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
                {
                    goto found_fin_ok;
                }
            }

            // enough, and nothing in the backlog to process first
            if (copied >= target && sk.sk_backlog_tail is null)
            {
                break;
            }

            if (copied != 0)
            {
                if (timeo == 0 ||
                    sk.sk_err != 0 ||
                    sk.sk_state == TCP_CLOSE ||
                    (sk.sk_shutdown & RCV_SHUTDOWN) != 0 ||
                    Include.Linux.sched_h.signal_pending(sk.sk_net.k.current))
                {
                    break;
                }
            }
            else
            {
                if (sock_flag(sk, sock_flags.SOCK_DONE))
                {
                    break;
                }

                if (sk.sk_err != 0)
                {
                    copied = sock_error(sk);
                    break;
                }

                if ((sk.sk_shutdown & RCV_SHUTDOWN) != 0)
                {
                    break;
                }

                if (sk.sk_state == TCP_CLOSE)
                {
                    // a socket that was never connected
                    copied = -errno_h.ENOTCONN;
                    break;
                }

                if (timeo == 0)
                {
                    copied = -errno_base_h.EAGAIN;
                    break;
                }

                if (Include.Linux.sched_h.signal_pending(sk.sk_net.k.current))
                {
                    copied = sock_intr_errno(timeo);
                    break;
                }
            }

            if (copied >= target)
            {
                // no sleep: just the backlog
                Core.sock_c.__sk_flush_backlog(sk);
            }
            else
            {
                tcp_cleanup_rbuf(sk, copied);
                var (rc, left) = await Core.sock_c.sk_wait_data(sk, timeo, last);
                timeo = left;
                if (rc < 0)
                {
                    err = copied != 0 ? copied : rc;
                    goto @out;
                }
            }

            // MSG_PEEK racing a reader: one task at a time here, so copied_seq cannot move under it
            continue;

        found_ok_skb:
            // how much of it
            used = (int)(skb.len - offset);
            if (len < used)
            {
                used = len;
            }

            // urgent data: not ported
            if ((flags & MSG_TRUNC) == 0)
            {
                err = skb_copy_datagram_msg(skb, (int)offset, msg, used);
                if (err != 0)
                {
                    // a fault: what was copied stands, else -EFAULT
                    if (copied == 0)
                    {
                        copied = -errno_base_h.EFAULT;
                    }

                    break;
                }
            }

            if (peeking)
            {
                peek_seq += (uint)used;
            }
            else
            {
                tp.copied_seq += (uint)used;
            }

            copied += used;
            len -= used;

            // sk_peek_offset_fwd/bwd: no SO_PEEK_OFF.
            tcp_input_c.tcp_rcv_space_adjust(sk);

            // has_rxtstamp (TCP_CMSG_TS): receive timestamps are not ported.
            if (used + offset < skb.len)
            {
                continue;
            }

            if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
            {
                goto found_fin_ok;
            }

            if (!peeking)
            {
                tcp_eat_recv_skb(sk, skb);
            }

            continue;

        found_fin_ok:
            // the FIN takes its sequence number
            if (peeking)
            {
                peek_seq++;
            }
            else
            {
                tp.copied_seq++;
                tcp_eat_recv_skb(sk, skb!);
            }

            break;
        }
        while (len > 0);

        // UNIX98: msg_name is ignored on a connected socket.
        // what was read may be worth an ACK
        tcp_cleanup_rbuf(sk, copied);
        return (copied, cmsg_flags);

    @out:
        return (err, cmsg_flags);
    }

    /// <summary>TCP_CMSG_INQ: recvmsg reports TCP_CM_INQ.</summary>
    private const int TCP_CMSG_INQ = 1;

    // not ported: sk_busy_loop, sk_can_busy_loop — busy polling (SO_BUSY_POLL) is not ported
    // net/ipv4/tcp.c: tcp_recvmsg
    /// <summary>
    /// recvmsg on a TCP socket: tcp_recvmsg_locked under the socket lock,
    /// then, with TCP_INQ on, the TCP_CM_INQ control message (tcp_inq_hint).
    /// MSG_ERRQUEUE reads the error queue (inet_recv_error); busy polling is not ported.
    /// </summary>
    [MightSleep]
    public static async ValueTask<int> tcp_recvmsg(sock sk, msghdr msg, int len, int flags)
    {
        if ((flags & MSG_ERRQUEUE) != 0)
        {
            return af_inet_c.inet_recv_error(sk, msg, len);
        }

        // not ported: skb_queue_empty_lockless — it gates busy polling (sk_busy_loop), which is not ported
        // not ported: tcp_recv_timestamp — receive timestamps (SO_TIMESTAMP*, TCP_CMSG_TS) are not ported
        lock_sock(sk);
        var (ret, cmsg_flags) = await tcp_recvmsg_locked(sk, msg, len, flags);
        Core.sock_c.release_sock(sk);

        // msg_get_inq: set by the syscall for io_uring only; TCP_INQ's request is the one ported
        if (cmsg_flags != 0 && ret >= 0)
        {
            if ((cmsg_flags & TCP_CMSG_INQ) != 0)
            {
                var msg_inq = tcp_inq_hint(sk);
                Core.scm_c.put_cmsg(msg, SOL_TCP, Include.Uapi.Linux.tcp_h.TCP_CM_INQ, System.BitConverter.GetBytes(msg_inq));
            }
        }

        return ret;
    }

    // not ported: tcp_snd_cwnd_set — written as the field snd_cwnd
    // not ported: sk_sockets_allocated_inc — the protocol-wide socket count (sockets_allocated,
    //   /proc/net/protocols) is not kept
    // net/ipv4/tcp.c: tcp_init_sock
    /// <summary>
    /// What every TCP socket starts with: the retransmit timers, an initial
    /// RTO of 1 s, an initial congestion window of 10 and an infinite
    /// ssthresh, the default MSS, Reno until an algorithm is assigned, and the
    /// tcp_rmem/tcp_wmem default buffer sizes.
    /// </summary>
    public static void tcp_init_sock(sock sk)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);

        tcp_timer_c.tcp_init_xmit_timers(sk);
        icsk.icsk_rto = TCP_TIMEOUT_INIT;

        // not ported: msecs_to_jiffies, usecs_to_jiffies — icsk_rto_max, icsk_rto_min and icsk_delack_max from the
        //   sysctls (tcp_rto_max_ms, tcp_rto_min_us) are not kept per socket: the port uses the constants
        //   TCP_RTO_MAX, TCP_RTO_MIN and TCP_DELACK_MAX
        tp.mss_cache = TCP_MSS_DEFAULT;

        tp.snd_cwnd = TCP_INIT_CWND;

        tp.snd_ssthresh = TCP_INFINITE_SSTHRESH;

        // not ported: tcp_scaling_ratio_init — written out: the default ratio, TCP_DEFAULT_SCALING_RATIO
        tp.scaling_ratio = TCP_DEFAULT_SCALING_RATIO;

        // The namespace's default algorithm (cubic); TCP_CONGESTION may change it before connect.
        tcp_cong_c.tcp_assign_congestion_control(sk);

        var ipv4 = Include.Net.Netns.netns_ipv4.of(sk.sk_net);
        tp.mdev_us = Kernel.Time.time_c.jiffies_to_usecs(TCP_TIMEOUT_INIT);
        // not ported: minmax_reset — the windowed min-RTT filter is one sample and its time (rtt_min,
        //   rtt_min_stamp), reset by hand
        tp.rtt_min = uint.MaxValue;
        tp.rtt_min_stamp = tcp_jiffies32(sk);
        tp.snd_cwnd_clamp = uint.MaxValue;
        tp.reordering = (uint)ipv4.sysctl_tcp_reordering;
        tp.rack.reo_wnd_steps = 1;

        // a bubble in the pipe until the first ACK (the rate sampler)
        tp.app_limited = ~0U;
        tp.rate_app_limited = true;

        // the send side wakes writers by queued bytes, not by freed clones (sock_wfree skips sk_write_space)
        sk.sk_write_space = Core.stream_c.sk_stream_write_space;
        sock_set_flag(sk, sock_flags.SOCK_USE_WRITE_QUEUE);

        sk.sk_sndbuf = ipv4.sysctl_tcp_wmem[1];
        sk.sk_rcvbuf = ipv4.sysctl_tcp_rmem[1];
    }

    // net/ipv4/tcp.c: tcp_mark_push
    /// <summary>The skb gets PSH; everything written so far counts as pushed.</summary>
    [Borrows("skb")]
    public static void tcp_mark_push(tcp_sock tp, sk_buff skb)
    {
        TCP_SKB_CB(skb).tcp_flags |= TCPHDR_PSH;
        tp.pushed_seq = tp.write_seq;
    }

    // net/ipv4/tcp.c: forced_push
    /// <summary>More than half the peer's largest window written since the last PSH: push now.</summary>
    private static bool forced_push(tcp_sock tp) => after(tp.write_seq, tp.pushed_seq + (tp.max_window >> 1));

    // not ported: __skb_header_release — the port's clones share one buffer object and keep no nohdr/dataref
    //   split, so there is no header reference to drop
    // net/ipv4/tcp.c: tcp_skb_entail
    /// <summary>A fresh skb joins the tail of the write queue at write_seq, charged to the socket; a pending one-shot push is used up.</summary>
    [Borrows("skb")]
    public static void tcp_skb_entail(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);
        var tcb = TCP_SKB_CB(skb);

        tcb.seq = tcb.end_seq = tp.write_seq;
        tcb.tcp_flags = TCPHDR_ACK;

        // __skb_header_release, psp_enqueue_set_decrypted: nothing to do here.
        tcp_add_write_queue_tail(sk, skb);
        sk_wmem_queued_add(sk, (int)skb.truesize);
        sk_mem_charge(sk, (int)skb.truesize);
        if ((tp.nonagle & TCP_NAGLE_PUSH) != 0)
        {
            tp.nonagle &= ~TCP_NAGLE_PUSH;
        }

        tcp_slow_start_after_idle_check(sk);
    }

    // net/ipv4/tcp.c: tcp_should_autocork
    /// <summary>
    /// Autocorking: hold back a write's tail skb that is still short of the
    /// size goal while earlier data of the flow sits below TCP (in the qdisc
    /// or device: sk_wmem_alloc above this skb's truesize) and something is
    /// in flight; TX completion (tcp_wfree) pushes it, by then larger.
    /// </summary>
    [Borrows("skb")]
    private static bool tcp_should_autocork(sock sk, sk_buff skb, int size_goal) =>
        skb.len < size_goal &&
        Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_autocorking &&
        !tcp_rtx_queue_empty(sk) &&
        sk.sk_wmem_alloc > skb.truesize &&
        tcp_skb_can_collapse_to(skb);

    // not ported: tcp_mark_urg — urgent data (MSG_OOB sends) is not ported
    // net/ipv4/tcp.c: tcp_push
    /// <summary>
    /// The end of a write: the tail skb gets PSH unless MSG_MORE asks to wait
    /// (or a push is forced anyway); then the queue is pushed, corked when
    /// MSG_MORE is given.
    /// </summary>
    public static void tcp_push(sock sk, int flags, int mss_now, int nonagle, int size_goal)
    {
        var tp = tcp_sk(sk);
        var skb = tcp_write_queue_tail(sk);
        if (skb is null)
        {
            return;
        }

        if ((flags & socket_h.MSG_MORE) == 0 || forced_push(tp))
        {
            tcp_mark_push(tp, skb);
        }

        // tcp_mark_urg: MSG_OOB is not ported (urgent data).
        if (tcp_should_autocork(sk, skb, size_goal))
        {
            // the counter and the atomic only when the flag is not yet set
            if ((sk.sk_tsq_flags & TSQF_THROTTLED) == 0)
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPAUTOCORKING);
                sk.sk_tsq_flags |= TSQF_THROTTLED;
            }

            // smp_mb__after_atomic: TX completion may have come before the flag; test again.
            if (sk.sk_wmem_alloc > skb.truesize)
            {
                return;
            }
        }

        if ((flags & socket_h.MSG_MORE) != 0)
        {
            nonagle = TCP_NAGLE_CORK;
        }

        tcp_output_c.__tcp_push_pending_frames(sk, (uint)mss_now, nonagle);
    }

    // net/ipv4/tcp.c: tcp_stream_alloc_skb
    /// <summary>
    /// A new skb for the write queue: a head of MAX_TCP_HEADER, all of it
    /// headroom (the data goes into page frags), charged its truesize (forced
    /// for the first skb of an idle socket so a write always makes progress).
    /// </summary>
    public static sk_buff? tcp_stream_alloc_skb(sock sk, int gfp, bool force_schedule)
    {
        var skb = alloc_skb_fclone(sk.sk_net.k, tcp_output_c.MAX_TCP_HEADER);
        if (skb is not null)
        {
            bool mem_scheduled;

            skb.truesize = (uint)SKB_TRUESIZE(skb_end_offset(skb));
            if (force_schedule)
            {
                mem_scheduled = true;
                tcp_output_c.sk_forced_mem_schedule(sk, (int)skb.truesize);
            }
            else
            {
                mem_scheduled = sk_wmem_schedule(sk, (int)skb.truesize);
            }

            if (mem_scheduled)
            {
                skb_reserve(skb, tcp_output_c.MAX_TCP_HEADER);
                skb.ip_summed = CHECKSUM_PARTIAL;
                return skb;
            }

            Core.skbuff_c.__kfree_skb(skb);
        }

        // not ported: sk_stream_moderate_sndbuf — with enter_memory_pressure, what a failed allocation does:
        //   allocation never fails here
        return null;
    }

    // net/ipv4/tcp.c: tcp_xmit_size_goal
    /// <summary>How much one skb should carry: a multiple of the MSS up to the socket's GSO size (sk_setup_caps), bounded by half the peer's window; tcp_write_xmit later cuts it to what tcp_tso_autosize allows.</summary>
    private static int tcp_xmit_size_goal(sock sk, int mss_now, bool large_allowed)
    {
        var tp = tcp_sk(sk);

        if (!large_allowed)
        {
            return mss_now;
        }

        var new_size_goal = tcp_bound_to_half_wnd(tp, (int)sk.sk_gso_max_size);

        var size_goal = tp.gso_segs * mss_now;
        if (new_size_goal < size_goal || new_size_goal >= size_goal + mss_now)
        {
            tp.gso_segs = (ushort)Math.Min(new_size_goal / mss_now, sk.sk_gso_max_segs);
            size_goal = tp.gso_segs * mss_now;
        }

        return Math.Max(size_goal, mss_now);
    }

    // net/ipv4/tcp.c: tcp_send_mss
    /// <summary>The current MSS, and the size goal of an skb.</summary>
    public static int tcp_send_mss(sock sk, out int size_goal, int flags)
    {
        var mss_now = (int)tcp_output_c.tcp_current_mss(sk);
        size_goal = tcp_xmit_size_goal(sk, mss_now, (flags & socket_h.MSG_OOB) == 0);
        return mss_now;
    }

    // net/ipv4/tcp.c: tcp_remove_empty_skb
    /// <summary>An skb queued by a write that then copied nothing into it is freed again (tcp_write_xmit must not meet an empty skb).</summary>
    public static void tcp_remove_empty_skb(sock sk)
    {
        var skb = tcp_write_queue_tail(sk);
        if (skb is not null && TCP_SKB_CB(skb).seq == TCP_SKB_CB(skb).end_seq)
        {
            tcp_unlink_write_queue(skb, sk);
            if (tcp_write_queue_empty(sk))
            {
                tcp_output_c.tcp_chrono_stop(sk, TCP_CHRONO_BUSY);
            }

            tcp_wmem_free_skb(sk, skb);
        }
    }

    // net/ipv4/tcp.c: tcp_wmem_schedule
    /// <summary>How many of <paramref name="copy"/> bytes may be charged now; with nothing queued, tcp_wmem[0] is always allowed.</summary>
    public static int tcp_wmem_schedule(sock sk, int copy)
    {
        if (sk_wmem_schedule(sk, copy))
        {
            return copy;
        }

        var left = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_wmem[0] - sk.sk_wmem_queued;
        if (left > 0)
        {
            tcp_output_c.sk_forced_mem_schedule(sk, Math.Min(left, copy));
        }

        return Math.Min(copy, sk.sk_forward_alloc);
    }

    // not ported: skb_rb_last — the retransmit queue is an ordered list in the port: its .last stands for
    //   rb_last
    // net/ipv4/tcp.c: tcp_tx_timestamp
    /// <summary>
    /// The send's SO_TIMESTAMPING flags go on the write queue's last skb: its
    /// tx_flags (SCHED/SND), txstamp_ack for TX_ACK, and the key — the
    /// sequence number of the skb's last byte.
    /// </summary>
    private static void tcp_tx_timestamp(sock sk, ref sockcm_cookie sockc)
    {
        var skb = tcp_write_queue_tail(sk);
        var tsflags = sockc.tsflags;

        if (tsflags != 0 && skb is not null)
        {
            var shinfo = skb.shinfo;
            var tcb = TCP_SKB_CB(skb);

            var tx_flags = shinfo.tx_flags;
            sock_tx_timestamp(sk, in sockc, ref tx_flags);
            shinfo.tx_flags = tx_flags;
            if ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_TX_ACK) != 0)
            {
                tcb.txstamp_ack |= Include.Net.tcp_h.TSTAMP_ACK_SK;
            }

            if ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_TX_RECORD_MASK) != 0)
            {
                shinfo.tskey = (uint)(TCP_SKB_CB(skb).seq + skb.len - 1);
            }
        }

        // not ported: bpf_skops_tx_timestamping (BPF_SOCK_OPS_TSTAMP_SENDMSG_CB) — no BPF programs
    }

    // net/ipv4/tcp.c: tcp_downgrade_zcopy_pure
    /// <summary>
    /// A pure zerocopy skb about to take copied bytes: the frags' truesize,
    /// so far charged only to sk_wmem_queued, is charged to the forward
    /// allocation too, and the skb is pure no more. -ENOMEM when that memory
    /// cannot be had.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static int tcp_downgrade_zcopy_pure(sock sk, sk_buff skb)
    {
        if (skb_zcopy_pure(skb))
        {
            var extra = (int)(skb.truesize - SKB_TRUESIZE(skb_end_offset(skb)));

            if (!sk_wmem_schedule(sk, extra))
            {
                return -errno_base_h.ENOMEM;
            }

            sk_mem_charge(sk, extra);
            skb.shinfo.flags &= unchecked((byte)~SKBFL_PURE_ZEROCOPY);
        }

        return 0;
    }

    // not ported: kfree — memory is the GC's: the fastopen request object is dropped by clearing the
    //   reference
    // net/ipv4/tcp.c: tcp_free_fastopen_req
    /// <summary>An active open's Fast Open request is done with.</summary>
    public static void tcp_free_fastopen_req(tcp_sock tp)
    {
        tp.fastopen_req = null; // kfree
    }

    // net/ipv4/tcp.c: tcp_sendmsg_fastopen
    /// <summary>
    /// sendto(MSG_FASTOPEN), or the first write after a deferred
    /// TCP_FASTOPEN_CONNECT: the message becomes the Fast Open request and the
    /// connect starts (tcp_connect for a deferred one, else
    /// __inet_stream_connect), its SYN carrying what fits of the data;
    /// <paramref name="copied"/> is how much. -EOPNOTSUPP when client Fast Open
    /// is off or the address is AF_UNSPEC, -EALREADY when one is in progress.
    /// </summary>
    [MightSleep]
    private static async Task<(int Err, int Copied)> tcp_sendmsg_fastopen(sock sk, msghdr msg, int size, ubuf_info? uarg)
    {
        var tp = tcp_sk(sk);
        var inet = inet_sk(sk);
        var uaddr = msg.msg_name;
        var copied = 0;

        if ((Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_fastopen & Include.Net.tcp_h.TFO_CLIENT_ENABLE) == 0 ||
            (uaddr is not null && msg.msg_namelen >= 2 && System.BitConverter.ToUInt16(uaddr, 0) == AF_UNSPEC))
        {
            return (-errno_h.EOPNOTSUPP, 0);
        }

        if (tp.fastopen_req is not null)
        {
            return (-errno_h.EALREADY, 0); // Another Fast Open is in progress
        }

        // not ported: kzalloc — the request is a C# object
        tp.fastopen_req = new tcp_fastopen_request { data = msg, size = size, uarg = uarg };

        if (inet.defer_connect)
        {
            var cerr = tcp_output_c.tcp_connect(sk);

            // Same failure procedure as in tcp_v4/6_connect
            if (cerr != 0)
            {
                tcp_set_state(sk, TCP_CLOSE);
                inet.inet_dport = 0;
                sk.sk_route_caps = 0;
            }
        }

        var flags = (msg.msg_flags & socket_h.MSG_DONTWAIT) != 0 ? 0x800 /* O_NONBLOCK */ : 0;
        var err = await af_inet_c.__inet_stream_connect((socket)sk.sk_socket!, uaddr, msg.msg_namelen, flags, 1);

        // fastopen_req could already be freed in __inet_stream_connect if the connection times out or gets rst
        if (tp.fastopen_req is not null)
        {
            copied = tp.fastopen_req.copied;
            tcp_free_fastopen_req(tp);

            // not ported: inet_clear_bit — DEFER_CONNECT is the field defer_connect
            inet.defer_connect = false;
        }

        return (err, copied);
    }

    // not ported: tcp_send_rcvq — TCP repair mode (TCP_REPAIR, CAP_NET_ADMIN checkpoint/restore) is not
    //   ported
    // not ported: net_devmem_dmabuf_binding_put — devmem TCP (SO_DEVMEM_*, dmabuf frags) is not ported
    // net/ipv4/tcp.c: tcp_sendmsg_locked
    /// <summary>
    /// The body of send() on a TCP socket (locked by the caller). Waits for
    /// the connection, then copies the user's bytes into skbs on the write
    /// queue (TX-1: the first copy) — appended to the tail skb while it has
    /// room up to the size goal and does not end a record (MSG_EOR), else a
    /// new skb — pushing full skbs as it goes and the rest at the end
    /// (tcp_push: PSH, Nagle, MSG_MORE). When the send buffer is full it
    /// pushes what it has and sleeps for room (sk_stream_wait_memory). Returns
    /// the bytes taken, or an error if none were: -EAGAIN (non-blocking),
    /// -EFAULT (a bad user buffer), -EPIPE or the socket's error.
    /// MSG_FASTOPEN (and a deferred TCP_FASTOPEN_CONNECT) go through
    /// tcp_sendmsg_fastopen first; a passive Fast Open child may send in SYN_RECV.
    /// MSG_ZEROCOPY (with SO_ZEROCOPY) takes a ubuf_info_msgzc for the send
    /// (msg_zerocopy_realloc, joining the tail skb's when the ids run on) and,
    /// on a device with scatter-gather, appends the user's pages as frags
    /// (skb_zerocopy_iter_stream); without SG the bytes are copied and the
    /// completion says so. The SO_TIMESTAMPING flags mark the last skb
    /// (tcp_tx_timestamp). Splice, repair, urgent data and control messages
    /// (sock_cmsg_send) are not ported.
    /// </summary>
    [MightSleep]
    public static async ValueTask<int> tcp_sendmsg_locked(sock sk, msghdr msg, int size)
    {
        var tp = tcp_sk(sk);
        ubuf_info? uarg = null;
        sk_buff? skb;
        sockcm_cookie sockc;
        int flags, err, copied = 0;
        int mss_now = 0, size_goal = 0, copied_syn = 0;
        var process_backlog = 0;
        var zc = 0;
        long timeo;

        flags = msg.msg_flags;

        sockc = new sockcm_cookie { tsflags = sk.sk_tsflags };

        // not ported: sock_cmsg_send (SCM_TIMESTAMPING, SO_MARK... in control messages) — sendmsg carries none here
        if ((flags & socket_h.MSG_ZEROCOPY) != 0 && size != 0)
        {
            // not ported: msg->msg_ubuf (io_uring's own buffer) and devmem (sockc.dmabuf_id, net_devmem_get_binding)
            if (sock_flag(sk, sock_flags.SOCK_ZEROCOPY))
            {
                skb = tcp_write_queue_tail(sk);
                uarg = Core.skbuff_c.msg_zerocopy_realloc(sk, size, skb_zcopy(skb), false);
                if (uarg is null)
                {
                    err = -errno_h.ENOBUFS;
                    goto out_err;
                }

                if ((sk.sk_route_caps & netdev_features_h.NETIF_F_SG) != 0)
                {
                    zc = socket_h.MSG_ZEROCOPY;
                }
                else
                {
                    uarg_to_msgzc(uarg).zerocopy = false;
                }
            }
        }
        else if ((msg.msg_flags & socket_h.MSG_SPLICE_PAGES) != 0 && size != 0)
        {
            // splice_to_socket, sendfile: the pages are attached when the route scatter-gathers, else copied
            if ((sk.sk_route_caps & netdev_features_h.NETIF_F_SG) != 0)
            {
                zc = socket_h.MSG_SPLICE_PAGES;
            }
        }

        if (((flags & socket_h.MSG_FASTOPEN) != 0 || inet_sk(sk).defer_connect) /* && !tp->repair */)
        {
            (err, copied_syn) = await tcp_sendmsg_fastopen(sk, msg, size, uarg);
            if (err == -errno_h.EINPROGRESS && copied_syn > 0)
            {
                goto @out;
            }
            else if (err != 0)
            {
                goto out_err;
            }
        }

        timeo = sock_sndtimeo(sk, (flags & socket_h.MSG_DONTWAIT) != 0);

        // is the sending application-limited?
        tcp_rate_c.tcp_rate_check_app_limited(sk);

        // a passive Fast Open child may send before its handshake completes
        if (((1 << sk.sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) != 0 && !tcp_passive_fastopen(sk))
        {
            (err, timeo) = await Core.stream_c.sk_stream_wait_connect(sk, timeo);
            if (err != 0)
            {
                goto do_error;
            }
        }

        // not ported: sk_clear_bit — SOCKWQ_ASYNC_NOSPACE serves fasync (SIGIO), which is not ported
        // not ported: msg_data_left — read as the iterator's iov_len - iov_offset
        copied = 0;

    restart:
        mss_now = tcp_send_mss(sk, out size_goal, flags);

        err = -errno_base_h.EPIPE;
        if (sk.sk_err != 0 || (sk.sk_shutdown & SEND_SHUTDOWN) != 0)
        {
            goto do_error;
        }

        while (msg.iov_len - msg.iov_offset > 0) // msg_data_left
        {
            var copy = 0;

            skb = tcp_write_queue_tail(sk);
            if (skb is not null)
            {
                copy = size_goal - (int)skb.len;
            }

            trace_tcp_sendmsg_locked(sk, msg, skb, size_goal);

            if (copy <= 0 || !tcp_skb_can_collapse_to(skb!))
            {
                goto new_segment;
            }

            goto append;

        new_segment:
            if (!sk_stream_memory_free(sk))
            {
                goto wait_for_space;
            }

            if (process_backlog >= 16)
            {
                process_backlog = 0;
                if (sk_flush_backlog(sk))
                {
                    goto restart;
                }
            }

            var first_skb = tcp_rtx_and_write_queues_empty(sk);
            skb = tcp_stream_alloc_skb(sk, 0, first_skb);
            if (skb is null)
            {
                goto wait_for_space;
            }

            process_backlog++;

            tcp_skb_entail(sk, skb);
            copy = size_goal;

        append:
            skb = tcp_write_queue_tail(sk)!;
            if (copy > msg.iov_len - msg.iov_offset)
            {
                copy = msg.iov_len - msg.iov_offset;
            }

            if (zc == 0)
            {
                var merge = true;
                int i = skb.shinfo.nr_frags;
                var pfrag = sk_page_frag(sk);

                if (!Core.sock_c.sk_page_frag_refill(sk, pfrag))
                {
                    goto wait_for_space;
                }

                if (!skb_can_coalesce(skb, i, pfrag.page!, pfrag.offset))
                {
                    if (i >= sk.sk_net.k.net_hotdata.sysctl_max_skb_frags)
                    {
                        tcp_mark_push(tp, skb);
                        goto new_segment;
                    }

                    merge = false;
                }

                copy = Math.Min(copy, pfrag.size - pfrag.offset);

                if (skb_zcopy_pure(skb) || skb_zcopy_managed(skb))
                {
                    if (tcp_downgrade_zcopy_pure(sk, skb) != 0)
                    {
                        goto wait_for_space;
                    }

                    // not ported: skb_zcopy_downgrade_managed — managed frag references (io_uring) are not ported
                }

                copy = tcp_wmem_schedule(sk, copy);
                if (copy == 0)
                {
                    goto wait_for_space;
                }

                err = skb_copy_to_page_nocache(sk, msg, skb, pfrag.page!, pfrag.offset, copy);
                if (err != 0)
                {
                    goto do_error;
                }

                // Update the skb.
                if (merge)
                {
                    skb_frag_size_add(ref skb.shinfo.frags[i - 1], copy);
                }
                else
                {
                    skb_fill_page_desc(skb, i, pfrag.page!, pfrag.offset, copy);
                    Include.Linux.page_ref_h.page_ref_inc(pfrag.page!);
                }

                pfrag.offset += copy;
            }
            else if (zc == socket_h.MSG_ZEROCOPY)
            {
                // the first bytes of an empty skb make it pure zerocopy (only its head is charged)
                if (skb.len == 0)
                {
                    skb.shinfo.flags |= SKBFL_PURE_ZEROCOPY;
                }

                if (!skb_zcopy_pure(skb))
                {
                    copy = tcp_wmem_schedule(sk, copy);
                    if (copy == 0)
                    {
                        goto wait_for_space;
                    }
                }

                err = Core.skbuff_c.skb_zerocopy_iter_stream(sk, skb, msg, copy, uarg!);
                if (err == -errno_h.EMSGSIZE || err == -errno_base_h.EEXIST)
                {
                    tcp_mark_push(tp, skb);
                    goto new_segment;
                }

                if (err < 0)
                {
                    goto do_error;
                }

                copy = err;
            }
            else if (zc == socket_h.MSG_SPLICE_PAGES)
            {
                // splice the pages in: each becomes (or extends) a frag holding a page reference; no byte is copied
                if (tcp_downgrade_zcopy_pure(sk, skb) != 0)
                {
                    goto wait_for_space;
                }

                copy = tcp_wmem_schedule(sk, copy);
                if (copy == 0)
                {
                    goto wait_for_space;
                }

                err = Core.skbuff_c.skb_splice_from_iter(skb, msg, copy);
                if (err < 0)
                {
                    if (err == -errno_h.EMSGSIZE)
                    {
                        tcp_mark_push(tp, skb);
                        goto new_segment;
                    }

                    goto do_error;
                }

                copy = err;

                if ((flags & socket_h.MSG_NO_SHARED_FRAGS) == 0)
                {
                    skb.shinfo.flags |= skbuff_h.SKBFL_SHARED_FRAG;
                }

                sk_wmem_queued_add(sk, copy);
                sk_mem_charge(sk, copy);
            }

            if (copied == 0)
            {
                TCP_SKB_CB(skb).tcp_flags &= unchecked((byte)~TCPHDR_PSH);
            }

            tp.write_seq += (uint)copy;
            TCP_SKB_CB(skb).end_seq += (uint)copy;
            tcp_skb_pcount_set(skb, 0);

            copied += copy;
            if (msg.iov_len - msg.iov_offset == 0)
            {
                if ((flags & socket_h.MSG_EOR) != 0)
                {
                    TCP_SKB_CB(skb).eor = true;
                }

                goto @out;
            }

            if (skb.len < size_goal || (flags & socket_h.MSG_OOB) != 0)
            {
                continue;
            }

            if (forced_push(tp))
            {
                tcp_mark_push(tp, skb);
                tcp_output_c.__tcp_push_pending_frames(sk, (uint)mss_now, TCP_NAGLE_PUSH);
            }
            else if (skb == tcp_send_head(sk))
            {
                tcp_output_c.tcp_push_one(sk, (uint)mss_now);
            }

            continue;

        wait_for_space:
            ((socket)sk.sk_socket!).flags |= 1UL << net_h.SOCK_NOSPACE;
            tcp_remove_empty_skb(sk);
            if (copied != 0)
            {
                tcp_push(sk, flags & ~socket_h.MSG_MORE, mss_now, TCP_NAGLE_PUSH, size_goal);
            }

            (err, timeo) = await Core.stream_c.sk_stream_wait_memory(sk, timeo);
            if (err != 0)
            {
                goto do_error;
            }

            mss_now = tcp_send_mss(sk, out size_goal, flags);
        }

    @out:
        if (copied != 0)
        {
            tcp_tx_timestamp(sk, ref sockc);
            tcp_push(sk, flags, mss_now, tp.nonagle, size_goal);
        }

        // msg->msg_ubuf would be pinned by its caller; MSG_ZEROCOPY's own reference is dropped here
        if (uarg is not null)
        {
            net_zcopy_put(uarg);
        }

        return copied + copied_syn;

    do_error:
        tcp_remove_empty_skb(sk);

        if (copied + copied_syn != 0)
        {
            goto @out;
        }

    out_err:
        if (uarg is not null)
        {
            net_zcopy_put_abort(uarg, true);
        }

        err = Core.stream_c.sk_stream_error(sk, flags, err);

        // an edge-triggered epoll waiter must see EPOLLOUT later
        if (tcp_rtx_and_write_queues_empty(sk) && err == -errno_base_h.EAGAIN)
        {
            sk.sk_write_space!(sk);
            tcp_output_c.tcp_chrono_stop(sk, TCP_CHRONO_SNDBUF_LIMITED);
        }

        return err;
    }

    // net/ipv4/tcp.c: tcp_sendmsg
    /// <summary>send()/write() on a TCP socket: tcp_sendmsg_locked under the socket lock; the backlog is processed on release.</summary>
    [MightSleep]
    public static async ValueTask<int> tcp_sendmsg(sock sk, msghdr msg, int size)
    {
        lock_sock(sk);
        var ret = await tcp_sendmsg_locked(sk, msg, size);
        Core.sock_c.release_sock(sk);
        return ret;
    }

    // net/ipv4/tcp.c: tcp_set_state
    /// <summary>
    /// Moves <paramref name="sk"/> to <paramref name="state"/>: CurrEstab and
    /// EstabResets follow; CLOSE unhashes the socket and gives back a port the
    /// user did not bind; the store itself traces inet_sock_set_state.
    /// </summary>
    public static void tcp_set_state(sock sk, int state)
    {
        var oldstate = sk.sk_state;
        var net = sk.sk_net;

        // BPF_SOCK_OPS_STATE_CB: no BPF.
        switch (state)
        {
            case TCP_ESTABLISHED:
                if (oldstate != TCP_ESTABLISHED)
                {
                    TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_CURRESTAB);
                }

                break;
            case TCP_CLOSE_WAIT:
                if (oldstate == TCP_SYN_RECV)
                {
                    TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_CURRESTAB);
                }

                break;
            case TCP_CLOSE:
                if (oldstate is TCP_CLOSE_WAIT or TCP_ESTABLISHED)
                {
                    TCP_INC_STATS(net, tcp_mib_field.TCP_MIB_ESTABRESETS);
                }

                sk.sk_prot!.unhash!(sk);
                if (inet_csk(sk).icsk_bind_hash is not null && (sk.sk_userlocks & SOCK_BINDPORT_LOCK) == 0)
                {
                    inet_hashtables_c.inet_put_port(sk);
                }

                goto default;
            default:
                if (oldstate is TCP_ESTABLISHED or TCP_CLOSE_WAIT)
                {
                    TCP_DEC_STATS(net, tcp_mib_field.TCP_MIB_CURRESTAB);
                }

                break;
        }

        af_inet_c.inet_sk_state_store(sk, state);
    }

    // net/ipv4/tcp.c: tcp_done
    /// <summary>
    /// The connection is over: AttemptFails if it never got established,
    /// CLOSE, timers stopped, both directions shut; the owner is woken
    /// (sk_state_change) or, orphaned, the socket is destroyed.
    /// </summary>
    public static void tcp_done(sock sk)
    {
        var req = tcp_sk(sk).fastopen_rsk;

        if (sk.sk_state is TCP_SYN_SENT or TCP_SYN_RECV)
        {
            TCP_INC_STATS(sk.sk_net, tcp_mib_field.TCP_MIB_ATTEMPTFAILS);
        }

        tcp_set_state(sk, TCP_CLOSE);
        tcp_clear_xmit_timers(sk);
        if (req is not null)
        {
            Core.request_sock_c.reqsk_fastopen_remove(sk, req, false);
        }
        sk.sk_shutdown = SHUTDOWN_MASK;
        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            sk.sk_state_change!(sk);
        }
        else
        {
            inet_connection_sock_c.inet_csk_destroy_sock(sk);
        }
    }

    // not ported: tcp_skb_tsorted_anchor_cleanup — the port keeps the send-time order on its own links, not
    //   in a union with skb->_skb_refdst, so there is no anchor to clear before the skb is freed
    // net/ipv4/tcp.c: tcp_write_queue_purge
    /// <summary>
    /// Frees everything not yet acknowledged — the write queue and the
    /// retransmit queue — without a tracepoint (tcp_wmem_free_skb is
    /// __kfree_skb), returning their charge, and forgets the retransmission state.
    /// </summary>
    public static void tcp_write_queue_purge(sock sk)
    {
        tcp_output_c.tcp_chrono_stop(sk, TCP_CHRONO_BUSY);

        // Unsent skbs are never on the tsorted list. A write queue never made is empty (and stays unmade).
        while (sk.sk_write_queue_made is { } write_queue && __skb_dequeue(write_queue) is { } skb)
        {
            tcp_wmem_free_skb(sk, skb);
        }

        tcp_rtx_queue_purge(sk);
        tcp_clear_all_retrans_hints(tcp_sk(sk));
        tcp_sk(sk).packets_out = 0;
        inet_csk(sk).icsk_backoff = 0;
    }

    // not ported: rb_to_skb — the queue is an ordered list of sk_buffs in the port, so there is no rb_node to
    //   convert
    // net/ipv4/tcp.c: tcp_rtx_queue_purge
    private static void tcp_rtx_queue_purge(sock sk)
    {
        var tp = tcp_sk(sk);
        while (tp.tcp_rtx_queue_made is { } rtx_queue && __skb_dequeue(rtx_queue) is { } skb)
        {
            // tcp_rtx_queue_unlink (the skb leaves the send-time order too); tcp_wmem_free_skb frees with __kfree_skb: no tracepoint
            tcp_tsorted_del_init(tp, skb);
            tcp_wmem_free_skb(sk, skb);
        }
    }

    // not ported: sock_hold — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // not ported: bh_lock_sock, bh_unlock_sock — the socket spinlock: one simulated CPU, and process context
    //   holds the socket only with bottom halves off (lock_sock to release_sock), so softirq or timer code
    //   never finds it held
    // not ported: __NET_INC_STATS — TCPAbortOnLinger is counted with the port's NET_INC_STATS (one simulated
    //   CPU: the non-preemptible variant is the same); TCPAbortOnMemory is not: no TCP memory pressure here
    // not ported: tcp_orphan_count_inc — the orphan count (tcp_too_many_orphans, sockstat's orphan) is not
    //   ported
    // net/ipv4/tcp.c: __tcp_close
    /// <summary>
    /// close() of a TCP socket: the receive queue is flushed; unread data
    /// aborts with a RST (TCPAbortOnClose); SO_LINGER with a zero time aborts
    /// through tcp_disconnect (counted as TCPAbortOnData, as 6.18 counts it);
    /// otherwise a connected socket moves on (tcp_close_state) and sends its
    /// FIN. Then it is orphaned; what softirq queued on the backlog meanwhile
    /// is processed; an orphan already in FIN_WAIT2 goes to the timewait
    /// minisock for the rest of tcp_fin_time; a socket in CLOSE is destroyed.
    /// An orphan in FIN_WAIT2 with TCP_LINGER2 &lt; 0 is reset
    /// (TCPAbortOnLinger); one whose tcp_fin_time exceeds TCP_TIMEWAIT_LEN
    /// waits on the FIN_WAIT2 timer (sk_timer) for the difference first.
    /// With SO_LINGER and a time (<paramref name="timeout"/> jiffies), the
    /// task sleeps in sk_stream_wait_close after the FIN until it is
    /// acknowledged, so the orphaning (and FIN_WAIT2's move to TIME_WAIT)
    /// happens in the closing task. Process context; may sleep.
    /// not ported: tcp_check_oom (no memory pressure), check_net (namespaces
    /// are not dismantled under live sockets), tcp_orphan_count_inc (no orphan
    /// accounting).
    /// </summary>
    [MightSleep]
    private static async Task __tcp_close(sock sk, long timeout)
    {
        sk.sk_shutdown = SHUTDOWN_MASK;

        if (sk.sk_state == TCP_LISTEN)
        {
            tcp_set_state(sk, TCP_CLOSE);

            // Special case.
            inet_connection_sock_c.inet_csk_listen_stop(sk);

            goto adjudge_to_death;
        }

        // the receive queue goes on this close only: what the reader never read is counted
        // unread means beyond what the reader took: a retransmission that repeats read bytes with
        // the FIN (RFC 2525 2.17's case) leaves nothing unread
        // each skb is peeked, not dequeued: tcp_eat_recv_skb unlinks it (a dequeue here unlinked it twice, so all but one of
        // two or more unread skbs leaked and qlen went negative)
        var data_was_unread = false;
        while (skb_peek(sk.sk_receive_queue) is { } skb)
        {
            var end_seq = TCP_SKB_CB(skb).end_seq;
            if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
            {
                end_seq--;
            }

            if (after(end_seq, tcp_sk(sk).copied_seq))
            {
                data_was_unread = true;
            }

            tcp_eat_recv_skb(sk, skb);
        }

        // a socket reset already (tcp_reset) just dies
        if (sk.sk_state == TCP_CLOSE)
        {
            goto adjudge_to_death;
        }

        // RFC 2525 2.17: unread data is lost data, so the peer gets a RST, not a FIN (repair mode: not ported)
        if (data_was_unread)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTONCLOSE);
            tcp_set_state(sk, TCP_CLOSE);
            tcp_output_c.tcp_send_active_reset(sk, sk_rst_reason.SK_RST_REASON_TCP_ABORT_ON_CLOSE);
        }
        else if (sock_flag(sk, sock_flags.SOCK_LINGER) && sk.sk_lingertime == 0)
        {
            // a zero linger time is an abort, but only once unread data has had its own RST above
            sk.sk_prot!.disconnect!(sk, 0);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTONDATA);
        }
        else if (tcp_close_state(sk))
        {
            tcp_output_c.tcp_send_fin(sk);
        }

        // SO_LINGER with a time: sleep until the FIN is acknowledged or the time is up (a zero timeout returns at once)
        await Core.stream_c.sk_stream_wait_close(sk, timeout);

    adjudge_to_death:
        var state = sk.sk_state;
        sock_orphan(sk);

        // local_bh_disable and bh_lock_sock: softirq waits until the orphan's fate is settled;
        // `out:` lets it run again.
        bottom_half_h.local_bh_disable(sk.sk_net.k);
        try
        {
            Core.sock_c.__release_sock(sk);

            if (state != TCP_CLOSE && sk.sk_state == TCP_CLOSE)
            {
                return;
            }

            // An orphan must not wait in FIN_WAIT2 forever on a silent peer: the timewait minisock holds it instead.
            if (sk.sk_state == TCP_FIN_WAIT2)
            {
                if (tcp_sk(sk).linger2 < 0)
                {
                    // TCP_LINGER2 < 0: the orphan is reset instead of waiting for the peer's FIN
                    tcp_set_state(sk, TCP_CLOSE);
                    tcp_output_c.tcp_send_active_reset(sk, sk_rst_reason.SK_RST_REASON_TCP_ABORT_ON_LINGER);
                    Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPABORTONLINGER);
                }
                else
                {
                    var tmo = tcp_fin_time(sk);

                    if (tmo > TCP_TIMEWAIT_LEN)
                    {
                        // the FIN_WAIT2 timer holds the full socket for what TIME_WAIT's length does not cover
                        tcp_timer_c.tcp_reset_keepalive_timer(sk, (ulong)(tmo - TCP_TIMEWAIT_LEN));
                    }
                    else
                    {
                        tcp_minisocks_c.tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
                        return;
                    }
                }
            }

            // tcp_check_oom: no memory pressure.
            if (sk.sk_state == TCP_CLOSE)
            {
                // A socket aborted (closed with unread data, say) before its Fast Open handshake finished still holds its request.
                if (tcp_sk(sk).fastopen_rsk is { } req)
                {
                    Core.request_sock_c.reqsk_fastopen_remove(sk, req, false);
                }

                // inet_csk_destroy_sock ends the socket; tcp_close's sock_put drops the last reference (sk_free).
                inet_connection_sock_c.inet_csk_destroy_sock(sk);
            }
        }
        finally
        {
            bottom_half_h.local_bh_enable(sk.sk_net.k);
        }
    }

    // net/ipv4/tcp.c: tcp_shutdown
    /// <summary>shutdown(SHUT_WR) of a socket that has not sent its FIN yet: it moves on (tcp_close_state) and sends it.</summary>
    public static void tcp_shutdown(sock sk, int how)
    {
        if ((how & SEND_SHUTDOWN) == 0)
        {
            return;
        }

        // a FIN already sent, or no connection: nothing to do
        if (((1 << sk.sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_SENT | TCPF_CLOSE_WAIT)) != 0)
        {
            if (tcp_close_state(sk))
            {
                tcp_output_c.tcp_send_fin(sk);
            }
        }
    }

    // net/ipv4/tcp.c: tcp_close_state
    /// <summary>
    /// The state close() moves to — ESTABLISHED and SYN_RECV to FIN_WAIT1,
    /// CLOSE_WAIT to LAST_ACK, the rest to CLOSE or where they are — and
    /// whether a FIN goes out.
    /// </summary>
    private static bool tcp_close_state(sock sk)
    {
        int next;
        var fin = true;
        switch (sk.sk_state)
        {
            case TCP_ESTABLISHED:
            case TCP_SYN_RECV:
                next = TCP_FIN_WAIT1;
                break;
            case TCP_CLOSE_WAIT:
                next = TCP_LAST_ACK;
                break;
            case TCP_FIN_WAIT1:
            case TCP_FIN_WAIT2:
            case TCP_CLOSING:
            case TCP_LAST_ACK:
                next = sk.sk_state;
                fin = false;
                break;
            default:
                next = TCP_CLOSE;
                fin = false;
                break;
        }

        tcp_set_state(sk, next);
        return fin;
    }

    // not ported: sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // net/ipv4/tcp.c: tcp_close
    /// <summary>sk_prot->close of TCP: __tcp_close under the socket lock; may sleep for SO_LINGER's time.</summary>
    [MightSleep]
    public static async Task tcp_close(sock sk, long timeout)
    {
        lock_sock(sk);
        await __tcp_close(sk, timeout);
        Core.sock_c.release_sock(sk);

        // not ported: inet_csk_clear_xmit_timers_sync — only for a kernel socket (!sk_net_refcnt): every TCP
        //   socket closed here is a user's
    }

    // net/ipv4/tcp.c: tcp_need_reset
    /// <summary>The synchronized states whose abort the peer must hear about (a RST).</summary>
    private static bool tcp_need_reset(int state) =>
        ((1 << state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | TCPF_SYN_RECV)) != 0;

    // not ported: tcp_snd_cwnd_set — written as the field snd_cwnd
    // not ported: tcp_saved_syn_free — TCP_SAVE_SYN / TCP_SAVED_SYN is not ported: no socket keeps its SYN
    // not ported: gfp_any — allocations in the simulation take no GFP flags
    // not ported: dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
    // net/ipv4/tcp.c: tcp_disconnect
    /// <summary>
    /// Returns a socket to CLOSE with fresh connection state (connect's
    /// sock_error path, AF_UNSPEC connect, a listener's unaccepted child). A
    /// listener frees its accept queue; a synchronized connection is aborted
    /// with a RST (tcp_send_active_reset) and reports ECONNRESET.
    /// </summary>
    public static int tcp_disconnect(sock sk, int flags)
    {
        var inet = inet_sk(sk);
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var old_state = sk.sk_state;

        if (old_state != TCP_CLOSE)
        {
            tcp_set_state(sk, TCP_CLOSE);
        }

        // The RFC 793 abort: what the peer is told depends on how far the connection got.
        if (old_state == TCP_LISTEN)
        {
            inet_connection_sock_c.inet_csk_listen_stop(sk);
        }
        else if (tcp_need_reset(old_state))
        {
            tcp_output_c.tcp_send_active_reset(sk, sk_rst_reason.SK_RST_REASON_TCP_STATE);
            sk.sk_err = errno_h.ECONNRESET;
        }
        else if (tp.snd_nxt != tp.write_seq && ((1 << old_state) & (TCPF_CLOSING | TCPF_LAST_ACK)) != 0)
        {
            tcp_output_c.tcp_send_active_reset(sk, sk_rst_reason.SK_RST_REASON_TCP_DISCONNECT_WITH_DATA);
            sk.sk_err = errno_h.ECONNRESET;
        }
        else if (old_state == TCP_SYN_SENT)
        {
            sk.sk_err = errno_h.ECONNRESET;
        }

        tcp_clear_xmit_timers(sk);
        __skb_queue_purge(sk.sk_receive_queue);
        icsk.icsk_probes_out = 0;
        icsk.icsk_probes_tstamp = 0;
        tp.copied_seq = tp.rcv_nxt;

        // not ported: sk_set_peek_off — SO_PEEK_OFF is not ported: there is no peek offset to reset
        tcp_write_queue_purge(sk);

        // an active Fast Open connection whose only out-of-order segment is a FIN looks like a blackhole:
        // checked before the queue goes
        tcp_fastopen_c.tcp_fastopen_active_disable_ofo_check(sk);
        Core.skbuff_c.skb_rbtree_purge(tp.out_of_order_queue);
        tp.ooo_last_skb = null;

        inet.inet_dport = 0;
        inet_hashtables_c.inet_bhash2_reset_saddr(sk);

        sk.sk_shutdown = 0;
        sock_reset_flag(sk, sock_flags.SOCK_DONE);
        tp.srtt_us = 0;
        tp.mdev_us = Kernel.Time.time_c.jiffies_to_usecs(TCP_TIMEOUT_INIT);
        tp.write_seq += tp.max_window + 2;
        if (tp.write_seq == 0)
        {
            tp.write_seq = 1;
        }

        tp.snd_cwnd = TCP_INIT_CWND;
        tp.snd_ssthresh = TCP_INFINITE_SSTHRESH;
        tp.window_clamp = 0;
        tp.rx_opt.ts_recent = 0;
        tp.rx_opt.ts_recent_stamp = 0;
        icsk.icsk_retransmits = 0;
        icsk.icsk_pmtu_cookie = 0;
        tp.max_window = 0;
        tp.snd_wnd = 0;

        // the congestion state starts over: Open (traced as tcp_cong_state_set), no retransmissions counted,
        // no delayed-ACK state
        tcp_cong_c.tcp_set_ca_state(sk, TCP_CA_Open);
        tcp_input_c.tcp_clear_retrans(tp);
        tp.total_retrans = 0;
        inet_csk_delack_init(sk);
        tp.segs_in = 0;
        tp.segs_out = 0;
        tp.data_segs_out = 0;
        tp.syn_data_acked = false;
        tp.syn_fastopen_child = false;

        // Clean up fastopen related fields
        if (tp.fastopen_rsk is { } req)
        {
            Core.request_sock_c.reqsk_fastopen_remove(sk, req, false);
        }

        tcp_free_fastopen_req(tp);
        inet.defer_connect = false;
        tp.fastopen_client_fail = 0;

        // the loss recovery, RACK and rate sampler state of the old connection
        tp.dsack_dups = 0;
        tp.reord_seen = 0;
        tp.retrans_out = 0;
        tp.sacked_out = 0;
        tp.tlp_high_seq = 0;
        tp.app_limited = ~0U;
        tp.rate_app_limited = true;
        tp.rack.mstamp = 0;
        tp.rack.advanced = false;
        tp.rack.reo_wnd_steps = 1;
        tp.rack.last_delivered = 0;
        tp.rack.reo_wnd_persist = 0;
        tp.rack.dsack_seen = false;

        // not ported: __sk_dst_reset — sk_dst_reset (the same without the lock-held check) is called
        sk_dst_reset(sk);

        // not ported: inet_clear_bit — DEFER_CONNECT is the field defer_connect, cleared above
        if (sk.sk_frag.page is { } page)
        {
            Include.Linux.mm_h.put_page(page);
            sk.sk_frag.page = null;
            sk.sk_frag.offset = 0;
        }

        sk.sk_error_report?.Invoke(sk);
        return 0;
    }

    // net/ipv4/tcp.c: secs_to_retrans
    /// <summary>TCP_DEFER_ACCEPT's seconds as the number of retransmissions (from <paramref name="timeout"/>, doubling up to <paramref name="rto_max"/>) that cover them, at most 255.</summary>
    private static byte secs_to_retrans(int seconds, int timeout, int rto_max)
    {
        byte res = 0;

        if (seconds > 0)
        {
            var period = timeout;

            res = 1;
            while (seconds > period && res < 255)
            {
                res++;
                timeout <<= 1;
                if (timeout > rto_max)
                {
                    timeout = rto_max;
                }

                period += timeout;
            }
        }

        return res;
    }

    // net/ipv4/tcp.c: retrans_to_secs
    /// <summary>The inverse of secs_to_retrans: the seconds that <paramref name="retrans"/> backed-off retransmissions span.</summary>
    private static int retrans_to_secs(byte retrans, int timeout, int rto_max)
    {
        var period = 0;

        if (retrans > 0)
        {
            period = timeout;
            while (--retrans != 0)
            {
                timeout <<= 1;
                if (timeout > rto_max)
                {
                    timeout = rto_max;
                }

                period += timeout;
            }
        }

        return period;
    }

    // net/ipv4/tcp.c: __tcp_sock_set_cork
    /// <summary>TCP_CORK: on, partial segments wait; off, what is queued goes out (pushed at once if TCP_NODELAY is also set).</summary>
    public static void __tcp_sock_set_cork(sock sk, bool on)
    {
        var tp = tcp_sk(sk);

        if (on)
        {
            tp.nonagle |= TCP_NAGLE_CORK;
        }
        else
        {
            tp.nonagle &= ~TCP_NAGLE_CORK;
            if ((tp.nonagle & TCP_NAGLE_OFF) != 0)
            {
                tp.nonagle |= TCP_NAGLE_PUSH;
            }

            tcp_push_pending_frames(sk);
        }
    }

    // net/ipv4/tcp.c: __tcp_sock_set_nodelay
    /// <summary>TCP_NODELAY: on, Nagle is off and what is queued is pushed now (even past a cork, once); off, Nagle is back.</summary>
    public static void __tcp_sock_set_nodelay(sock sk, bool on)
    {
        if (on)
        {
            tcp_sk(sk).nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
            tcp_push_pending_frames(sk);
        }
        else
        {
            tcp_sk(sk).nonagle &= ~TCP_NAGLE_OFF;
        }
    }

    // net/ipv4/tcp.c: __tcp_sock_set_quickack
    /// <summary>TCP_QUICKACK: 0 enters pingpong (delayed ACKs); non-zero leaves it and sends an owed ACK now (an even value re-enters pingpong after).</summary>
    private static void __tcp_sock_set_quickack(sock sk, int val)
    {
        if (val == 0)
        {
            inet_csk_enter_pingpong_mode(sk);
            return;
        }

        inet_csk_exit_pingpong_mode(sk);
        if (((1 << sk.sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) != 0 && inet_csk_ack_scheduled(sk))
        {
            inet_csk(sk).icsk_ack_pending |= ICSK_ACK_PUSHED;
            tcp_cleanup_rbuf(sk, 1);
            if ((val & 1) == 0)
            {
                inet_csk_enter_pingpong_mode(sk);
            }
        }
    }

    // net/ipv4/tcp.c: tcp_sock_set_syncnt
    /// <summary>TCP_SYNCNT: SYN (and a listener's SYN-ACK) retransmissions before giving up, 1..MAX_TCP_SYNCNT.</summary>
    public static int tcp_sock_set_syncnt(sock sk, int val)
    {
        if (val < 1 || val > MAX_TCP_SYNCNT)
        {
            return -errno_base_h.EINVAL;
        }

        inet_csk(sk).icsk_syn_retries = (byte)val;
        return 0;
    }

    // net/ipv4/tcp.c: tcp_sock_set_user_timeout
    /// <summary>TCP_USER_TIMEOUT: the most ms TCP retransmits or probes the window without answer before ETIMEDOUT (0: the sysctls decide).</summary>
    public static int tcp_sock_set_user_timeout(sock sk, int val)
    {
        if (val < 0)
        {
            return -errno_base_h.EINVAL;
        }

        inet_csk(sk).icsk_user_timeout = (uint)val;
        return 0;
    }

    // net/ipv4/tcp.c: tcp_sock_set_keepidle_locked
    /// <summary>TCP_KEEPIDLE (seconds): with SO_KEEPALIVE on a connection, the timer is re-armed for what is left of the new idle time.</summary>
    public static int tcp_sock_set_keepidle_locked(sock sk, int val)
    {
        var tp = tcp_sk(sk);

        if (val < 1 || val > MAX_TCP_KEEPIDLE)
        {
            return -errno_base_h.EINVAL;
        }

        tp.keepalive_time = (uint)(val * Vmlinux.HZ);
        if (sock_flag(sk, sock_flags.SOCK_KEEPOPEN) && ((1 << sk.sk_state) & (TCPF_CLOSE | TCPF_LISTEN)) == 0)
        {
            var elapsed = keepalive_time_elapsed(tp);

            elapsed = tp.keepalive_time > elapsed ? tp.keepalive_time - elapsed : 0;
            tcp_timer_c.tcp_reset_keepalive_timer(sk, elapsed);
        }

        return 0;
    }

    // net/ipv4/tcp.c: tcp_sock_set_keepintvl
    /// <summary>TCP_KEEPINTVL (seconds between keepalive probes), 1..MAX_TCP_KEEPINTVL.</summary>
    public static int tcp_sock_set_keepintvl(sock sk, int val)
    {
        if (val < 1 || val > MAX_TCP_KEEPINTVL)
        {
            return -errno_base_h.EINVAL;
        }

        tcp_sk(sk).keepalive_intvl = (uint)(val * Vmlinux.HZ);
        return 0;
    }

    // net/ipv4/tcp.c: tcp_sock_set_keepcnt
    /// <summary>TCP_KEEPCNT (unanswered keepalive probes before the connection is dropped), 1..MAX_TCP_KEEPCNT.</summary>
    public static int tcp_sock_set_keepcnt(sock sk, int val)
    {
        if (val < 1 || val > MAX_TCP_KEEPCNT)
        {
            return -errno_base_h.EINVAL;
        }

        tcp_sk(sk).keepalive_probes = (byte)val;
        return 0;
    }

    // net/ipv4/tcp.c: tcp_sock_set_maxseg
    /// <summary>TCP_MAXSEG: the user's MSS cap (0 clears it), TCP_MIN_MSS..MAX_TCP_WINDOW; it bounds the MSS announced in the SYN and the one used (tcp_sync_mss).</summary>
    public static int tcp_sock_set_maxseg(sock sk, int val)
    {
        // a value over the device MTU has no effect, but the device is often not known yet
        if (val != 0 && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW))
        {
            return -errno_base_h.EINVAL;
        }

        tcp_sk(sk).rx_opt.user_mss = (ushort)val;
        return 0;
    }

    // not ported: tcp_set_ulp — upper layer protocols (TCP_ULP: kTLS, espintcp) are not ported
    // not ported: tcp_rtx_queue_empty — read as an emptiness test of the port's retransmit queue
    // not ported: tcp_enable_tx_delay — TCP_TX_DELAY (tcp_tx_delay_enabled) is not ported: no socket has a tx
    //   delay
    // not ported: tcp_can_repair_sock, tcp_repair_options_est, tcp_repair_set_window, tcp_send_window_probe —
    //   TCP repair mode (TCP_REPAIR, CAP_NET_ADMIN checkpoint/restore) is not ported
    // net/ipv4/tcp.c: do_tcp_setsockopt
    /// <summary>
    /// SOL_TCP options with an int value. Without the socket lock:
    /// TCP_SYNCNT, TCP_USER_TIMEOUT, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_LINGER2
    /// (seconds; negative: RST an orphan in FIN_WAIT2 at once; capped at
    /// TCP_FIN_TIMEOUT_MAX), TCP_DEFER_ACCEPT (seconds as SYN-ACK
    /// retransmissions), TCP_MAXSEG. Under the lock: TCP_NODELAY, TCP_CORK,
    /// TCP_KEEPIDLE, TCP_WINDOW_CLAMP, TCP_QUICKACK, TCP_NOTSENT_LOWAT, TCP_INQ.
    /// The others answer ENOPROTOOPT.
    /// </summary>
    private static int do_tcp_setsockopt(sock sk, int level, int optname, long lval)
    {
        // not ported: tcp_set_congestion_control, tcp_fastopen_reset_cipher, sockopt_ns_capable — TCP_CONGESTION
        //   and TCP_FASTOPEN_KEY take a buffer: the buffer overload handles them
        // not ported: sockopt_lock_sock, sockopt_release_sock — no BPF setsockopt context: they are lock_sock and
        //   release_sock, called directly
        // not ported: msecs_to_jiffies, usecs_to_jiffies — TCP_RTO_MAX_MS, TCP_RTO_MIN_US and TCP_DELACK_MAX_US are
        //   not ported (ENOPROTOOPT): the port's RTO bounds and delayed-ACK cap are the constants
        // not ported: tcp_clock_ts — setting TCP_TIMESTAMP (a repair-mode tsoffset) is not ported
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);
        var err = 0;

        // copy_from_sockptr of an int
        var val = unchecked((int)lval);

        // Handle options that can be set without locking the socket.
        switch (optname)
        {
            case Include.Uapi.Linux.tcp_h.TCP_SYNCNT:
                return tcp_sock_set_syncnt(sk, val);
            case Include.Uapi.Linux.tcp_h.TCP_USER_TIMEOUT:
                return tcp_sock_set_user_timeout(sk, val);
            case Include.Uapi.Linux.tcp_h.TCP_KEEPINTVL:
                return tcp_sock_set_keepintvl(sk, val);
            case Include.Uapi.Linux.tcp_h.TCP_KEEPCNT:
                return tcp_sock_set_keepcnt(sk, val);
            case Include.Uapi.Linux.tcp_h.TCP_LINGER2:
                if (val < 0)
                {
                    tp.linger2 = -1;
                }
                else if (val > TCP_FIN_TIMEOUT_MAX / Vmlinux.HZ)
                {
                    tp.linger2 = TCP_FIN_TIMEOUT_MAX;
                }
                else
                {
                    tp.linger2 = val * Vmlinux.HZ;
                }

                return 0;
            case Include.Uapi.Linux.tcp_h.TCP_DEFER_ACCEPT:
                // seconds become the number of SYN-ACK retransmissions that span them
                (icsk.icsk_accept_queue ??= new()).rskq_defer_accept = secs_to_retrans(val, (int)(TCP_TIMEOUT_INIT / Vmlinux.HZ), (int)(TCP_RTO_MAX / Vmlinux.HZ));
                return 0;
            case Include.Uapi.Linux.tcp_h.TCP_MAXSEG:
                return tcp_sock_set_maxseg(sk, val);
        }

        lock_sock(sk);
        switch (optname)
        {
            case Include.Uapi.Linux.tcp_h.TCP_NODELAY:
                __tcp_sock_set_nodelay(sk, val != 0);
                break;
            case Include.Uapi.Linux.tcp_h.TCP_CORK:
                __tcp_sock_set_cork(sk, val != 0);
                break;
            case Include.Uapi.Linux.tcp_h.TCP_KEEPIDLE:
                err = tcp_sock_set_keepidle_locked(sk, val);
                break;
            case Include.Uapi.Linux.tcp_h.TCP_WINDOW_CLAMP:
                err = tcp_set_window_clamp(sk, val);
                break;
            case Include.Uapi.Linux.tcp_h.TCP_QUICKACK:
                __tcp_sock_set_quickack(sk, val);
                break;
            case Include.Uapi.Linux.tcp_h.TCP_NOTSENT_LOWAT:
                tcp_sk(sk).notsent_lowat = (uint)val;

                // a higher mark may make the socket writable at once
                sk.sk_write_space!(sk);
                break;
            case Include.Uapi.Linux.tcp_h.TCP_INQ:
                if (val > 1 || val < 0)
                {
                    err = -errno_base_h.EINVAL;
                    break;
                }

                tcp_sk(sk).recvmsg_inq = val != 0;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN:
                if (val >= 0 && ((1 << sk.sk_state) & (TCPF_CLOSE | TCPF_LISTEN)) != 0)
                {
                    tcp_fastopen_c.tcp_fastopen_init_key_once(sk.sk_net);
                    fastopen_queue_tune(sk, (int)val);
                }
                else
                {
                    err = -errno_base_h.EINVAL;
                }

                break;
            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN_CONNECT:
                if (val > 1 || val < 0)
                {
                    err = -errno_base_h.EINVAL;
                }
                else if ((Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_fastopen & Include.Net.tcp_h.TFO_CLIENT_ENABLE) != 0)
                {
                    if (sk.sk_state == TCP_CLOSE)
                    {
                        tcp_sk(sk).fastopen_connect = val != 0;
                    }
                    else
                    {
                        err = -errno_base_h.EINVAL;
                    }
                }
                else
                {
                    err = -errno_h.EOPNOTSUPP;
                }

                break;
            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN_NO_COOKIE:
                if (val > 1 || val < 0 || ((1 << sk.sk_state) & (TCPF_CLOSE | TCPF_LISTEN)) == 0)
                {
                    err = -errno_base_h.EINVAL;
                }
                else
                {
                    tcp_sk(sk).fastopen_no_cookie = val != 0;
                }

                break;
            default:
                err = -errno_h.ENOPROTOOPT;
                break;
        }

        Core.sock_c.release_sock(sk);
        return err;
    }

    // not ported: tcp_set_ulp — upper layer protocols (TCP_ULP: kTLS, espintcp) are not ported
    // not ported: tcp_rtx_queue_empty — read as an emptiness test of the port's retransmit queue
    // not ported: tcp_enable_tx_delay — TCP_TX_DELAY (tcp_tx_delay_enabled) is not ported: no socket has a tx
    //   delay
    // not ported: tcp_can_repair_sock, tcp_repair_options_est, tcp_repair_set_window, tcp_send_window_probe —
    //   TCP repair mode (TCP_REPAIR, CAP_NET_ADMIN checkpoint/restore) is not ported
    // not ported: __tcp_sock_set_cork, __tcp_sock_set_nodelay, __tcp_sock_set_quickack, fastopen_queue_tune,
    //   secs_to_retrans, tcp_fastopen_init_key_once, tcp_set_window_clamp, tcp_sock_set_keepcnt,
    //   tcp_sock_set_keepidle_locked, tcp_sock_set_keepintvl, tcp_sock_set_maxseg, tcp_sock_set_syncnt,
    //   tcp_sock_set_user_timeout, sockopt_lock_sock, sockopt_release_sock — the int options: this overload
    //   reads the int and calls the int overload, which sets them
    // not ported: msecs_to_jiffies, usecs_to_jiffies, tcp_clock_ts — TCP_RTO_MAX_MS, TCP_RTO_MIN_US,
    //   TCP_DELACK_MAX_US and setting TCP_TIMESTAMP are not ported (ENOPROTOOPT)
    // not ported: sockopt_ns_capable — programs run as root: CAP_NET_ADMIN holds for any congestion control
    // net/ipv4/tcp.c: do_tcp_setsockopt
    /// <summary>SOL_TCP options given as a buffer: TCP_CONGESTION takes a name; the others an int.</summary>
    private static int do_tcp_setsockopt(sock sk, int level, int optname, byte[] optval, int optlen)
    {
        switch (optname)
        {
            case Include.Uapi.Linux.tcp_h.TCP_CONGESTION:
            {
                if (optlen < 1)
                {
                    return -errno_base_h.EINVAL;
                }

                var len = System.Math.Min(optlen, Include.Uapi.Linux.tcp_h.TCP_CA_NAME_MAX - 1);
                var n = System.Array.IndexOf(optval, (byte)0, 0, len);
                var name = System.Text.Encoding.ASCII.GetString(optval, 0, n < 0 ? len : n);

                // lock_sock(sk): tcp_set_congestion_control changes the socket under it
                return tcp_cong_c.tcp_set_congestion_control(sk, name, true, true);
            }

            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN_KEY:
            {
                // A backup key may follow the active one (key rotation).
                if (optlen != Include.Net.tcp_h.TCP_FASTOPEN_KEY_LENGTH && optlen != Include.Net.tcp_h.TCP_FASTOPEN_KEY_BUF_LENGTH)
                {
                    return -errno_base_h.EINVAL;
                }

                if (optval.Length < optlen)
                {
                    return -errno_base_h.EFAULT; // copy_from_sockptr
                }

                var backup_key = optlen == Include.Net.tcp_h.TCP_FASTOPEN_KEY_BUF_LENGTH ? optval[Include.Net.tcp_h.TCP_FASTOPEN_KEY_LENGTH..optlen] : null;
                return tcp_fastopen_c.tcp_fastopen_reset_cipher(sk.sk_net, sk, optval.AsSpan(0, Include.Net.tcp_h.TCP_FASTOPEN_KEY_LENGTH), backup_key);
            }
        }

        if (optlen < sizeof(int))
        {
            return -errno_base_h.EINVAL;
        }

        return do_tcp_setsockopt(sk, level, optname, System.BitConverter.ToInt32(optval, 0));
    }

    // net/ipv4/tcp.c: tcp_setsockopt
    /// <summary>setsockopt on a TCP socket: SOL_TCP here, other levels to IP (ip_setsockopt).</summary>
    public static int tcp_setsockopt(sock sk, int level, int optname, long val)
    {
        if (level != in_h.IPPROTO_TCP)
        {
            return ip_sockglue_c.ip_setsockopt(sk, level, optname, val);
        }

        return do_tcp_setsockopt(sk, level, optname, val);
    }

    // net/ipv4/tcp.c: tcp_setsockopt
    public static int tcp_setsockopt(sock sk, int level, int optname, byte[] optval, int optlen)
    {
        if (level != in_h.IPPROTO_TCP)
        {
            return optlen < 4 ? -errno_base_h.EINVAL : ip_sockglue_c.ip_setsockopt(sk, level, optname, System.BitConverter.ToInt32(optval, 0));
        }

        return do_tcp_setsockopt(sk, level, optname, optval, optlen);
    }

    // net/ipv4/tcp.c: tcp_set_window_clamp
    /// <summary>
    /// A new window clamp (at least SOCK_MIN_RCVBUF / 2); 0 only on a closed
    /// socket. Shrinking lowers rcv_ssthresh with it; growing lets
    /// rcv_ssthresh rise to the offered window.
    /// </summary>
    public static int tcp_set_window_clamp(sock sk, int val)
    {
        var tp = tcp_sk(sk);

        if (val == 0)
        {
            if (sk.sk_state != TCP_CLOSE)
            {
                return -errno_base_h.EINVAL;
            }

            tp.window_clamp = 0;
            return 0;
        }

        var old_window_clamp = tp.window_clamp;
        var new_window_clamp = (uint)System.Math.Max(SOCK_MIN_RCVBUF / 2, val);

        if (new_window_clamp == old_window_clamp)
        {
            return 0;
        }

        tp.window_clamp = new_window_clamp;

        // a reserve (SO_RESERVE_MEM) matters only when shrinking
        if (new_window_clamp < old_window_clamp)
        {
            // not ported: __tcp_adjust_rcv_ssthresh — written out without reserved memory (SO_RESERVE_MEM is not
            //   ported): rcv_ssthresh is capped by the new clamp
            tp.rcv_ssthresh = System.Math.Min(tp.rcv_ssthresh, new_window_clamp);
        }
        else
        {
            var new_rcv_ssthresh = System.Math.Min(tp.rcv_wnd, new_window_clamp);
            tp.rcv_ssthresh = System.Math.Max(new_rcv_ssthresh, tp.rcv_ssthresh);
        }

        return 0;
    }

    // net/ipv4/tcp.c: tcp_inbound_md5_hash
    /// <summary>
    /// A segment with an MD5 signature: the port has no TCP_MD5SIG keys, so a
    /// signature is always unexpected (TCPMD5Unexpected) and the segment is
    /// dropped; the key lookup and the digest check are not ported.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_hash_md5_unexpected, tcp_hash_md5_mismatch: the tcp: hash tracepoints are not ported (no recording enables them)")]
    [Borrows("skb")]
    private static skb_drop_reason tcp_inbound_md5_hash(sock sk, sk_buff skb, int hash_location)
    {
        if (hash_location >= 0)
        {
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPMD5UNEXPECTED);
            return skb_drop_reason.SKB_DROP_REASON_TCP_MD5UNEXPECTED;
        }

        return skb_drop_reason.SKB_NOT_DROPPED_YET;
    }

    // not ported: tcp_hdr — the header is read through the port's parsed tcphdr (skb.tcp_header / a local th)
    // net/ipv4/tcp.c: tcp_inbound_hash
    /// <summary>
    /// The signature check every segment passes before its socket sees it: a
    /// malformed or doubled signature option is dropped (TCP_AUTH_HDR); an
    /// unsigned segment passes, as no MD5 or AO key can require one here; a
    /// signed one goes to the MD5 check. TCP-AO (and a request's AO state) is
    /// not ported: an AO-signed segment passes unchecked.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "tcp_ao_handshake_failure, tcp_hash_ao_required, tcp_hash_md5_required: no MD5 or AO key can exist (TCP_MD5SIG/TCP-AO are not ported), so the paths that emit them are never taken")]
    [Borrows("skb")]
    public static skb_drop_reason tcp_inbound_hash(sock sk, request_sock? req, sk_buff skb)
    {
        // tcp_parse_auth_options is tcp_do_parse_auth_options with optional outputs
        if (tcp_input_c.tcp_do_parse_auth_options(skb, out var md5_location, out var aoh) != 0)
        {
            // Invalid options, or an auth option twice.
            Include.Trace.Events.tcp_h.trace_tcp_hash_bad_header(sk, skb);
            return skb_drop_reason.SKB_DROP_REASON_TCP_AUTH_HDR;
        }

        // not ported: tcp_rsk_used_ao, NET_INC_STATS — no TCP-AO requests, so the request check that counts
        //   TCPAOBad cannot fail
        // not ported: tcp_ao_required, tcp_md5_do_lookup of an unsigned segment — no keys can be set.

        // unsigned: tcp_ao_required and tcp_md5_do_lookup find no key
        if (md5_location < 0 && aoh < 0)
        {
            return skb_drop_reason.SKB_NOT_DROPPED_YET;
        }

        if (aoh >= 0)
        {
            // tcp_inbound_ao_hash: TCP-AO is not ported.
            return skb_drop_reason.SKB_NOT_DROPPED_YET;
        }

        return tcp_inbound_md5_hash(sk, skb, md5_location);
    }

    // net/ipv4/tcp.c: tcp_get_info_chrono_stats
    /// <summary>
    /// Busy, receive-window-limited and send-buffer-limited time in µs: each
    /// chronograph's jiffies, the running one's up to now; busy time is the
    /// sum of all three.
    /// </summary>
    private static void tcp_get_info_chrono_stats(tcp_sock tp, tcp_info info)
    {
        ulong total = 0;
        Span<ulong> stats = stackalloc ulong[__TCP_CHRONO_MAX];

        for (var i = TCP_CHRONO_BUSY; i < __TCP_CHRONO_MAX; ++i)
        {
            stats[i] = tp.chrono_stat[i - 1];
            if (i == tp.chrono_type)
            {
                stats[i] += tcp_jiffies32(tp.sk) - tp.chrono_start;
            }

            stats[i] *= 1000000UL / Vmlinux.HZ;
            total += stats[i];
        }

        info.tcpi_busy_time = total;
        info.tcpi_rwnd_limited = stats[TCP_CHRONO_RWND_LIMITED];
        info.tcpi_sndbuf_limited = stats[TCP_CHRONO_SNDBUF_LIMITED];
    }

    // net/ipv4/tcp.c: tcp_compute_delivery_rate
    /// <summary>The rate sample TCP_INFO reports, in bytes per second (segments x MSS over the interval).</summary>
    private static ulong tcp_compute_delivery_rate(tcp_sock tp)
    {
        var rate = tp.rate_delivered;
        var intv = tp.rate_interval_us;
        ulong rate64 = 0;

        if (rate != 0 && intv != 0)
        {
            rate64 = (ulong)rate * tp.mss_cache * 1_000_000UL / intv;
        }

        return rate64;
    }

    // not ported: tcp_snd_cwnd — read as the field snd_cwnd
    // not ported: tcp_delack_max — the per-socket/route delack max (TCP_BPF_DELACK_MAX, RTAX_RTO_MIN) is not
    //   ported: it is the constant TCP_DELACK_MAX
    // not ported: inet_sk_state_load — the state is read as the field sk_state (one CPU, no torn reads)
    // net/ipv4/tcp.c: tcp_get_info
    /// <summary>
    /// The connection's state as TCP_INFO reports it. A listener reports its
    /// accept queue (tcpi_unacked: waiting children, tcpi_sacked: the backlog).
    /// Fields whose state the port does not keep yet read 0: the chrono times,
    /// tcpi_rehash (no PLB, no timeout rehash), tcpi_delivered_ce and the AccECN
    /// counters. ECN
    /// and fast open are never negotiated, so their option bits are truly 0.
    /// </summary>
    public static void tcp_get_info(sock sk, tcp_info info)
    {
        var tp = tcp_sk(sk);
        var icsk = inet_csk(sk);

        // memset(info, 0, sizeof(*info)): the caller's struct is fresh.
        if (sk.sk_type != socket_h.SOCK_STREAM)
        {
            return;
        }

        info.tcpi_state = (byte)sk.sk_state; // inet_sk_state_load

        // Meaningful in every state, listeners included.
        info.tcpi_pacing_rate = sk.sk_pacing_rate;
        info.tcpi_max_pacing_rate = sk.sk_max_pacing_rate;

        info.tcpi_reordering = tp.reordering;
        info.tcpi_snd_cwnd = tp.snd_cwnd; // tcp_snd_cwnd

        if (info.tcpi_state == TCP_LISTEN)
        {
            // A listener's numbers are its accept queue's: ready children and the backlog.
            info.tcpi_unacked = sk.sk_ack_backlog;
            info.tcpi_sacked = sk.sk_max_ack_backlog;
            return;
        }

        // not ported: lock_sock_fast, unlock_sock_fast — one thread: nothing changes while the fields are read
        info.tcpi_ca_state = icsk.icsk_ca_state;
        info.tcpi_retransmits = icsk.icsk_retransmits;
        info.tcpi_probes = icsk.icsk_probes_out;
        info.tcpi_backoff = icsk.icsk_backoff;

        if (tp.rx_opt.tstamp_ok)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_TIMESTAMPS;
        }

        if (tcp_is_sack(tp))
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_SACK;
        }

        if (tp.rx_opt.wscale_ok)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_WSCALE;
            info.tcpi_snd_wscale = tp.rx_opt.snd_wscale;
            info.tcpi_rcv_wscale = tp.rx_opt.rcv_wscale;
        }

        // ECN: never negotiated here.
        if (tcp_ecn_mode_any(tp))
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_ECN;
        }

        if ((tp.ecn_flags & TCP_ECN_SEEN) != 0)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_ECN_SEEN;
        }

        if (tp.syn_data_acked)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_SYN_DATA;
        }

        if (tp.tcp_usec_ts)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_USEC_TS;
        }

        if (tp.syn_fastopen_child)
        {
            info.tcpi_options |= Include.Uapi.Linux.tcp_h.TCPI_OPT_TFO_CHILD;
        }

        info.tcpi_fastopen_client_fail = tp.fastopen_client_fail;


        // tcp_delack_max (tcp_output.c): the smaller of TCP_DELACK_MAX and a jiffy under TCP_RTO_MIN (no route rto_min).
        var delack_max = System.Math.Min(TCP_DELACK_MAX, System.Math.Max((uint)(TCP_RTO_MIN_MS * Vmlinux.HZ / 1000), 2) - 1);
        info.tcpi_rto = Kernel.Time.time_c.jiffies_to_usecs((ulong)icsk.icsk_rto);
        info.tcpi_ato = Kernel.Time.time_c.jiffies_to_usecs(System.Math.Min(icsk.icsk_ack_ato, delack_max));
        info.tcpi_snd_mss = tp.mss_cache;
        info.tcpi_rcv_mss = icsk.icsk_ack_rcv_mss;

        info.tcpi_unacked = tp.packets_out;
        info.tcpi_sacked = tp.sacked_out;
        info.tcpi_lost = tp.lost_out;
        info.tcpi_retrans = tp.retrans_out;

        var now = tcp_jiffies32(sk); // tcp_jiffies32
        info.tcpi_last_data_sent = Kernel.Time.time_c.jiffies_to_msecs(unchecked(now - tp.lsndtime));
        info.tcpi_last_data_recv = Kernel.Time.time_c.jiffies_to_msecs(unchecked(now - icsk.icsk_ack_lrcvtime));
        info.tcpi_last_ack_recv = Kernel.Time.time_c.jiffies_to_msecs(unchecked(now - tp.rcv_tstamp));

        info.tcpi_pmtu = icsk.icsk_pmtu_cookie;
        info.tcpi_rcv_ssthresh = tp.rcv_ssthresh;
        info.tcpi_rtt = tp.srtt_us >> 3;
        info.tcpi_rttvar = tp.mdev_us >> 2;
        info.tcpi_snd_ssthresh = tp.snd_ssthresh;
        info.tcpi_advmss = tp.advmss;

        info.tcpi_rcv_rtt = tp.rcv_rtt_est.rtt_us >> 3;
        info.tcpi_rcv_space = tp.rcvq_space.space;

        info.tcpi_total_retrans = tp.total_retrans;

        info.tcpi_bytes_acked = tp.bytes_acked;
        info.tcpi_bytes_received = tp.bytes_received;
        info.tcpi_notsent_bytes = (uint)System.Math.Max(0, (int)unchecked(tp.write_seq - tp.snd_nxt));
        tcp_get_info_chrono_stats(tp, info);

        info.tcpi_segs_out = tp.segs_out;
        info.tcpi_segs_in = tp.segs_in;
        info.tcpi_data_segs_in = tp.data_segs_in;

        info.tcpi_min_rtt = tcp_min_rtt(tp);
        info.tcpi_data_segs_out = tp.data_segs_out;

        info.tcpi_delivery_rate_app_limited = (byte)(tp.rate_app_limited ? 1 : 0);
        info.tcpi_delivery_rate = tcp_compute_delivery_rate(tp);
        info.tcpi_delivered = tp.delivered;
        info.tcpi_bytes_sent = tp.bytes_sent;
        info.tcpi_bytes_retrans = tp.bytes_retrans;
        info.tcpi_rcv_ooopack = tp.rcv_ooopack;
        info.tcpi_snd_wnd = tp.snd_wnd;
        info.tcpi_rcv_wnd = tp.rcv_wnd;

        info.tcpi_total_rto = (ushort)tp.total_rto;
        info.tcpi_total_rto_recoveries = (ushort)tp.total_rto_recoveries;

        info.tcpi_total_rto_time = tp.total_rto_time;
        if (tp.rto_stamp != 0)
        {
            // not ported: tcp_clock_ms — the socket's clock as last refreshed (tcp_time_stamp_ms) stands in for a
            //   fresh read of the clock: the open RTO episode counts up to the socket's last event
            info.tcpi_total_rto_time += tcp_time_stamp_ms(tp) - tp.rto_stamp;
        }

        info.tcpi_dsack_dups = tp.dsack_dups;
        info.tcpi_reord_seen = tp.reord_seen;
    }

    // not ported: tcp_zc_finalize_rx_tstamp, tcp_zerocopy_receive — TCP_ZEROCOPY_RECEIVE (mmap of received
    //   pages) is not ported
    // not ported: tcp_saved_syn_free, tcp_saved_syn_len — TCP_SAVE_SYN / TCP_SAVED_SYN is not ported: no
    //   socket keeps its SYN
    // not ported: tcp_rto_max — TCP_RTO_MAX_MS is not ported: the cap is the constant TCP_RTO_MAX
    // not ported: jiffies_to_msecs, jiffies_to_usecs — reading TCP_RTO_MAX_MS, TCP_RTO_MIN_US and
    //   TCP_DELACK_MAX_US is not ported (ENOPROTOOPT)
    // not ported: get_info — TCP_CC_INFO (the congestion control's own info) is not ported
    // not ported: tcp_clock_ts — reading TCP_TIMESTAMP is not ported
    // not ported: sock_error, tcp_inq_hint, sockopt_lock_sock, sockopt_release_sock — they serve
    //   TCP_ZEROCOPY_RECEIVE and TCP_SAVED_SYN, which are not ported
    // not ported: tcp_can_repair_sock — TCP repair mode (TCP_REPAIR, CAP_NET_ADMIN checkpoint/restore) is not
    //   ported
    // net/ipv4/tcp.c: do_tcp_getsockopt
    /// <summary>
    /// SOL_TCP options read into a buffer of the caller's length: TCP_INFO
    /// copies as much of struct tcp_info as fits (a longer buffer gets the
    /// 280 bytes); the int options (TCP_MAXSEG, TCP_NODELAY, TCP_CORK, the
    /// keepalive three, TCP_SYNCNT, TCP_LINGER2, TCP_DEFER_ACCEPT,
    /// TCP_WINDOW_CLAMP, TCP_QUICKACK, TCP_USER_TIMEOUT, TCP_INQ) write at
    /// most an int; the rest are not ported (ENOPROTOOPT).
    /// </summary>
    private static (int Err, int Len) do_tcp_getsockopt(sock sk, int level, int optname, byte[] optval)
    {
        var icsk = inet_csk(sk);
        var tp = tcp_sk(sk);
        var net = sk.sk_net;
        var ipv4 = Include.Net.Netns.netns_ipv4.of(net);
        int val;

        switch (optname)
        {
            case Include.Uapi.Linux.tcp_h.TCP_MAXSEG:
                val = (int)tp.mss_cache;
                var user_mss = tp.rx_opt.user_mss;
                if (user_mss != 0 && ((1 << sk.sk_state) & (TCPF_CLOSE | TCPF_LISTEN)) != 0)
                {
                    val = user_mss;
                }

                // tp->repair: not ported
                break;
            case Include.Uapi.Linux.tcp_h.TCP_NODELAY:
                val = (tp.nonagle & TCP_NAGLE_OFF) != 0 ? 1 : 0;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_CORK:
                val = (tp.nonagle & TCP_NAGLE_CORK) != 0 ? 1 : 0;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_KEEPIDLE:
                val = keepalive_time_when(tp) / Vmlinux.HZ;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_KEEPINTVL:
                val = keepalive_intvl_when(tp) / Vmlinux.HZ;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_KEEPCNT:
                val = keepalive_probes(tp);
                break;
            case Include.Uapi.Linux.tcp_h.TCP_SYNCNT:
                val = icsk.icsk_syn_retries != 0 ? icsk.icsk_syn_retries : ipv4.sysctl_tcp_syn_retries;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_LINGER2:
                val = tp.linger2;
                if (val >= 0)
                {
                    val = (val != 0 ? val : ipv4.sysctl_tcp_fin_timeout) / Vmlinux.HZ;
                }

                break;
            case Include.Uapi.Linux.tcp_h.TCP_DEFER_ACCEPT:
                val = retrans_to_secs(icsk.icsk_accept_queue?.rskq_defer_accept ?? 0, (int)(TCP_TIMEOUT_INIT / Vmlinux.HZ), (int)(TCP_RTO_MAX / Vmlinux.HZ));
                break;
            case Include.Uapi.Linux.tcp_h.TCP_WINDOW_CLAMP:
                val = (int)tp.window_clamp;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_QUICKACK:
                val = inet_csk_in_pingpong_mode(sk) ? 0 : 1;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_USER_TIMEOUT:
                val = (int)icsk.icsk_user_timeout;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_INQ:
                val = tp.recvmsg_inq ? 1 : 0;
                break;
            case Include.Uapi.Linux.tcp_h.TCP_INFO:
            {
                var info = new tcp_info();
                tcp_get_info(sk, info);
                var len = System.Math.Min(optval.Length, tcp_info.Size);
                info.WriteTo(new System.Span<byte>(optval, 0, len));
                return (0, len);
            }

            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN_KEY:
            {
                System.Span<ulong> key = stackalloc ulong[Include.Net.tcp_h.TCP_FASTOPEN_KEY_BUF_LENGTH / sizeof(ulong)];
                var key_len = tcp_fastopen_c.tcp_fastopen_get_cipher(sk.sk_net, inet_csk(sk), key) * Include.Net.tcp_h.TCP_FASTOPEN_KEY_LENGTH;
                var len = System.Math.Min(optval.Length, key_len);
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(key)[..len].CopyTo(optval); // little-endian u64s, as put_unaligned_le64
                return (0, len);
            }

            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN:
                return tcp_getsockopt_int(optval, inet_csk(sk).icsk_accept_queue?.fastopenq.max_qlen ?? 0);
            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN_CONNECT:
                return tcp_getsockopt_int(optval, tcp_sk(sk).fastopen_connect ? 1 : 0);
            case Include.Uapi.Linux.tcp_h.TCP_FASTOPEN_NO_COOKIE:
                return tcp_getsockopt_int(optval, tcp_sk(sk).fastopen_no_cookie ? 1 : 0);

            case Include.Uapi.Linux.tcp_h.TCP_NOTSENT_LOWAT:
            {
                // an int, cut to the caller's length (at most sizeof(int))
                var len = System.Math.Min(optval.Length, sizeof(int));
                System.BitConverter.GetBytes((int)tcp_sk(sk).notsent_lowat).AsSpan(0, len).CopyTo(optval);
                return (0, len);
            }

            default:
                return (-errno_h.ENOPROTOOPT, 0);
        }

        // len = min(len, sizeof(int)); copy_to_sockptr
        var n = System.Math.Min(optval.Length, sizeof(int));
        System.BitConverter.GetBytes(val).AsSpan(0, n).CopyTo(optval);
        return (0, n);
    }

    /// <summary>do_tcp_getsockopt's common tail for an int option: min(len, sizeof(int)) bytes of it.</summary>
    [KernelNet.Annotations.NotInLinux("the int-valued tail of do_tcp_getsockopt (len check, put_user), shared by its cases")]
    private static (int Err, int Len) tcp_getsockopt_int(byte[] optval, int val)
    {
        var len = System.Math.Min(optval.Length, sizeof(int));
        if (len < 0)
        {
            return (-errno_base_h.EINVAL, 0);
        }

        System.BitConverter.GetBytes(val).AsSpan(0, len).CopyTo(optval);
        return (0, len);
    }

    // net/ipv4/tcp.c: tcp_getsockopt
    /// <summary>getsockopt on a TCP socket into a buffer: SOL_TCP here; IP-level options are not ported for buffers (ENOPROTOOPT).</summary>
    public static (int Err, int Len) tcp_getsockopt(sock sk, int level, int optname, byte[] optval)
    {
        if (level != in_h.IPPROTO_TCP)
        {
            return (-errno_h.ENOPROTOOPT, 0);
        }

        return do_tcp_getsockopt(sk, level, optname, optval);
    }

    /// <summary>"TCP established hash table entries: 262144": what alloc_large_system_hash gave ehash on the recording machine.</summary>
    public const uint TCP_EHASH_ENTRIES = 262144;

    /// <summary>"TCP bind hash table entries: 65536": bhash's size there.</summary>
    public const uint TCP_BHASH_ENTRIES = 65536;

    /// <summary>"tcp_listen_portaddr_hash hash table entries: 16384": lhash2's size there.</summary>
    public const uint TCP_LHASH2_ENTRIES = 16384;

    // not ported: tcp_struct_check — a compile-time layout assertion on struct tcp_sock
    // not ported: kmem_cache_create — the macro's body, __kmem_cache_create_args, is called
    // not ported: inet_ehash_locks_alloc, spin_lock_init — the tables need no bucket spinlocks on one simulated
    //   CPU
    // not ported: alloc_large_system_hash — the tables take the sizes 6.18 chose on the machine the recordings come
    //   from (23 GB of memory; TCP_EHASH_ENTRIES and friends above)
    // not ported: INIT_HLIST_NULLS_HEAD, INIT_HLIST_HEAD — a new array's chains are empty (list_nulls.cs)
    // net/ipv4/tcp.c: tcp_init
    /// <summary>Boot-time TCP: the bind buckets' slab caches, the congestion control algorithms (Reno, and CUBIC as the default) and the IPv4 part (tcp_v4_init).</summary>
    public static void tcp_init(Vmlinux k)
    {
        // not ported: timer_setup, mod_timer — the orphan counter's timer (tcp_orphan_update): the orphan count
        //   is not ported
        // not ported: tcp_init_mem — the protocol-wide memory limits (tcp_mem) are not ported
        // not ported: tcp_metrics_init — the metrics hash (tcp_metrics_globals) is made with the kernel's globals
        //   on first use
        // The bind buckets' caches: 128 bytes each on the real machine (where SLUB merges both into one cache).
        var hinfo = tcp_ipv4_c.tcp_hashinfo(k);
        inet_hashtables_c.inet_hashinfo2_init(hinfo, TCP_LHASH2_ENTRIES);
        const ulong flags = Include.Linux.slab_h.SLAB_HWCACHE_ALIGN | Include.Linux.slab_h.SLAB_PANIC | Include.Linux.slab_h.SLAB_ACCOUNT;
        hinfo.bind_bucket_cachep = Mm.slab_common_c.__kmem_cache_create_args(k, "tcp_bind_bucket", 128, 0, flags);
        hinfo.bind2_bucket_cachep = Mm.slab_common_c.__kmem_cache_create_args(k, "tcp_bind2_bucket", 128, 0, flags);

        // The established and bind tables, as large as 6.18 made them on the recording machine. A new array's
        // chains are empty (INIT_HLIST_NULLS_HEAD, INIT_HLIST_HEAD); the bhash2 half of bhash is not ported.
        hinfo.ehash = new inet_ehash_bucket[TCP_EHASH_ENTRIES];
        hinfo.ehash_mask = TCP_EHASH_ENTRIES - 1;
        hinfo.bhash = new inet_bind_hashbucket[TCP_BHASH_ENTRIES];
        hinfo.bhash_size = TCP_BHASH_ENTRIES;

        tcp_cong_c.tcp_register_congestion_control(k, tcp_cong_c.tcp_reno);
        tcp_cubic_c.cubictcp_register(k);
        tcp_ipv4_c.tcp_v4_init(k);
        tcp_output_c.tcp_tsq_work_init(k);
    }
}

/// <summary>struct tcp_splice_state: the pipe a TCP splice fills, the bytes still wanted and the splice flags.</summary>
public sealed class tcp_splice_state
{
    public pipe_inode_info pipe { get; set; } = null!;

    public long len { get; set; }

    public uint flags { get; set; }
}
