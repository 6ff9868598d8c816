// Ports net/ipv4/tcp_fastopen.c: TCP Fast Open (RFC 7413). The server side
// keys its cookies with SipHash over the SYN's two addresses (the namespace's
// key, net.ipv4.tcp_fastopen_key, or the listener's TCP_FASTOPEN_KEY, with an
// optional backup key); a SYN carrying a valid cookie makes the child at once,
// in SYN_RECV, with the SYN's data already on its receive queue; a cookie
// request or a bad cookie earns a fresh cookie in the SYN-ACK. The client
// side decides whether a connect may carry data (tcp_fastopen_cookie_check
// with the cookie cache of tcp_metrics.cs, TCP_FASTOPEN_CONNECT's deferred
// connect), and pauses active Fast Open after a middlebox seems to blackhole
// it (net.ipv4.tcp_fastopen_blackhole_timeout_sec).
//
// departures: no RCU — a new key context replaces the old at once and the
// collector frees it; the keys drawn by tcp_fastopen_init_key_once come from
// the simulation's seeded get_random_bytes.
// not ported: IPv6 cookies (no IPv6 in the port), RTAX_FASTOPEN_NO_COOKIE
// (routes carry no metrics), sk_mark_napi_id_set (no busy polling).
using System;
using System.Buffers.Binary;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.jiffies_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_fastopen_c
{
    // net/ipv4/tcp_fastopen.c: tcp_fastopen_init_key_once
    /// <summary>The namespace gets a random cookie key, unless it has one (set by sysctl or drawn before).</summary>
    public static void tcp_fastopen_init_key_once(net net)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (netns_ipv4.of(net).tcp_fastopen_ctx is not null)
        {
            return;
        }

        Span<byte> key = stackalloc byte[TCP_FASTOPEN_KEY_LENGTH];
        Drivers.Char.random_c.get_random_bytes(net.k, key);
        tcp_fastopen_reset_cipher(net, null, key, null);
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_destroy_cipher
    /// <summary>A listener's own key goes with it (call_rcu: here at once).</summary>
    public static void tcp_fastopen_destroy_cipher(sock sk)
    {
        // not ported: call_rcu — the context is dropped at once: no RCU reader can still hold it (one CPU)
        if (inet_csk(sk).icsk_accept_queue is { } queue)
        {
            queue.fastopenq.ctx = null;
        }
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_ctx_destroy
    /// <summary>The namespace's key goes with the namespace.</summary>
    public static void tcp_fastopen_ctx_destroy(net net)
    {
        // not ported: call_rcu — the context is dropped at once: no RCU reader can still hold it (one CPU)
        netns_ipv4.of(net).tcp_fastopen_ctx = null;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_reset_cipher
    /// <summary>
    /// Installs a new key context — a primary key and optionally a backup,
    /// 16 bytes each read as two little-endian u64 — on the listener
    /// <paramref name="sk"/> or, when null, on the namespace. Returns 0.
    /// </summary>
    public static int tcp_fastopen_reset_cipher(net net, sock? sk, ReadOnlySpan<byte> primary_key, byte[]? backup_key)
    {
        ArgumentNullException.ThrowIfNull(net);

        // not ported: kmalloc — the context is a C# object
        var ctx = new tcp_fastopen_context();
        ctx.key[0].key[0] = BinaryPrimitives.ReadUInt64LittleEndian(primary_key);
        ctx.key[0].key[1] = BinaryPrimitives.ReadUInt64LittleEndian(primary_key[8..]);
        if (backup_key is not null)
        {
            ctx.key[1].key[0] = BinaryPrimitives.ReadUInt64LittleEndian(backup_key);
            ctx.key[1].key[1] = BinaryPrimitives.ReadUInt64LittleEndian(backup_key.AsSpan(8));
            ctx.num = 2;
        }
        else
        {
            ctx.num = 1;
        }

        // not ported: call_rcu — the old context is dropped at once: readers are never concurrent here
        if (sk is not null)
        {
            (inet_csk(sk).icsk_accept_queue ??= new()).fastopenq.ctx = ctx;
        }
        else
        {
            netns_ipv4.of(net).tcp_fastopen_ctx = ctx;
        }

        return 0;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_get_cipher
    /// <summary>Copies the keys of a listener (or, with no listener, the namespace) into <paramref name="key"/> (two u64 each); their number.</summary>
    public static int tcp_fastopen_get_cipher(net net, inet_connection_sock? icsk, Span<ulong> key)
    {
        ArgumentNullException.ThrowIfNull(net);
        var ctx = icsk is not null ? icsk.icsk_accept_queue?.fastopenq.ctx : netns_ipv4.of(net).tcp_fastopen_ctx;
        var n_keys = 0;
        if (ctx is not null)
        {
            n_keys = tcp_fastopen_context_len(ctx);
            for (var i = 0; i < n_keys; i++)
            {
                key[i * 2] = ctx.key[i].key[0];
                key[(i * 2) + 1] = ctx.key[i].key[1];
            }
        }

        return n_keys;
    }

    // net/ipv4/tcp_fastopen.c: __tcp_fastopen_cookie_gen_cipher
    /// <summary>
    /// The cookie for a SYN under one key: SipHash of the eight bytes
    /// saddr‖daddr as they lie in the IP header, stored little-endian.
    /// </summary>
    [KernelNet.Annotations.Borrows("syn")]
    private static bool __tcp_fastopen_cookie_gen_cipher(request_sock req, sk_buff syn, siphash_key_t key, ref tcp_fastopen_cookie foc)
    {
        // req->rsk_ops->family: AF_INET only in the port
        _ = req;

        // not ported: ip_hdr, siphash — the addresses are read at the network header, and siphash of their eight
        //   aligned bytes is siphash_1u64 of one little-endian u64
        var addrs = syn.head.AsSpan(syn.network_header + 12, 8);
        var hash = Lib.siphash_c.siphash_1u64(BinaryPrimitives.ReadUInt64LittleEndian(addrs), key);
        BinaryPrimitives.WriteUInt64LittleEndian(foc.val, hash); // cpu_to_le64
        foc.len = TCP_FASTOPEN_COOKIE_SIZE;
        return true;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_cookie_gen
    /// <summary>The cookie for a SYN under the listener's primary key (none without a key).</summary>
    [KernelNet.Annotations.Borrows("syn")]
    private static void tcp_fastopen_cookie_gen(sock sk, request_sock req, sk_buff syn, ref tcp_fastopen_cookie foc)
    {
        // rcu_read_lock: the context is not replaced under us
        var ctx = tcp_fastopen_get_ctx(sk);
        if (ctx is not null)
        {
            __tcp_fastopen_cookie_gen_cipher(req, syn, ctx.key[0], ref foc);
        }
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_add_skb
    /// <summary>
    /// The data (and FIN) of a SYN or SYN-ACK goes on <paramref name="sk"/>'s
    /// receive queue: a clone of the segment without its header and SYN flag,
    /// charged to the socket; rcv_nxt moves past it, syn_data_acked is set.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void tcp_fastopen_add_skb(sock sk, sk_buff skb)
    {
        var tp = tcp_sk(sk);

        if (TCP_SKB_CB(skb).end_seq == tp.rcv_nxt)
        {
            return;
        }

        var clone = Core.skbuff_c.skb_clone(skb);
        if (clone is null)
        {
            return;
        }

        skb = clone;

        // not ported: tcp_cleanup_skb — written out: the route is not needed any more
        skb.dst = null;

        // segs_in was 1 from tcp_create_openreq_child: counted again here, with the header still on
        tp.segs_in = 0;
        tcp_segs_in(tp, skb);
        skbuff_h.__skb_pull(skb, tcp_hdrlen(skb));
        tcp_output_c.sk_forced_mem_schedule(sk, (int)skb.truesize);
        sock_h.skb_set_owner_r(skb, sk);

        TCP_SKB_CB(skb).seq++;
        TCP_SKB_CB(skb).tcp_flags &= unchecked((byte)~TCPHDR_SYN);

        tp.rcv_nxt = TCP_SKB_CB(skb).end_seq;
        // not ported: tcp_add_receive_queue — written out: the skb joins the receive queue's tail
        skbuff_h.__skb_queue_tail(sk.sk_receive_queue, skb);
        tp.syn_data_acked = true;

        // u64_stats_update_begin(&tp->syncp) is not needed: the upper half stays 0
        tp.bytes_received = (ulong)skb.len;

        if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
        {
            tcp_input_c.tcp_fin(sk);
        }
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_cookie_gen_check
    /// <summary>Which key made the SYN's cookie: 0 none, 1 the primary, 2 the backup; <paramref name="valid_foc"/> gets the primary's cookie.</summary>
    [KernelNet.Annotations.Borrows("syn")]
    private static int tcp_fastopen_cookie_gen_check(sock sk, request_sock req, sk_buff syn, ref tcp_fastopen_cookie orig, ref tcp_fastopen_cookie valid_foc)
    {
        var search_foc = new tcp_fastopen_cookie { len = -1 };
        scoped ref var foc = ref valid_foc;
        var ret = 0;

        var ctx = tcp_fastopen_get_ctx(sk);
        if (ctx is null)
        {
            goto @out;
        }

        for (var i = 0; i < tcp_fastopen_context_len(ctx); i++)
        {
            __tcp_fastopen_cookie_gen_cipher(req, syn, ctx.key[i], ref foc);
            if (tcp_fastopen_cookie_match(in foc, in orig))
            {
                ret = i + 1;
                goto @out;
            }

            foc = ref search_foc;
        }

    @out:
        return ret;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_create_child
    /// <summary>
    /// The child of a Fast Open SYN, made before the handshake completes
    /// (syn_recv_sock without a request to unhash: the child enters the
    /// established table itself). It keeps the request (fastopen_rsk, counted
    /// in the listener's fastopenq.qlen), takes the SYN's unscaled window,
    /// arms its SYN-ACK retransmit timer, and has the SYN's data queued.
    /// Null when the accept queue is full.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static sock? tcp_fastopen_create_child(sock sk, sk_buff skb, request_sock req)
    {
        var queue = inet_csk(sk).icsk_accept_queue!;

        var child = tcp_ipv4_c.tcp_v4_syn_recv_sock(sk, skb, req, null, null, out _);
        if (child is null)
        {
            return null;
        }

        // spin_lock(&queue->fastopenq.lock)
        queue.fastopenq.qlen++;

        // The child is a Fast Open socket made only from what the SYN carried.
        var tp = tcp_sk(child);

        tp.fastopen_rsk = req;
        req.rsk_fastopen_ref = true;
        req.tfo_listener = true;

        // RFC 1323: a SYN's window is never scaled.
        tp.snd_wnd = tcp_hdr(skb).window;
        tp.max_window = tp.snd_wnd;

        // The SYN-ACK's retransmit timer is the child's: the request never enters the established table.
        req.timeout = tcp_timeout_init(child);
        tcp_reset_xmit_timer(child, ICSK_TIME_RETRANS, req.timeout, false);

        // refcount_set(&req->rsk_refcnt, 2): the accept queue's and fastopen_rsk's
        // sk_mark_napi_id_set: no busy polling.

        // The child is ready for data now.
        tcp_input_c.tcp_init_transfer(child, 0, skb); // BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB

        tp.rcv_nxt = TCP_SKB_CB(skb).seq + 1;

        tcp_fastopen_add_skb(child, skb);

        req.rcv_nxt = tp.rcv_nxt;
        tp.rcv_wup = tp.rcv_nxt;

        // tcp_conn_request sends the SYN-ACK and queues the child on the listener.
        return child;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_queue_check
    /// <summary>
    /// Whether the listener takes another Fast Open child: it has TCP_FASTOPEN
    /// set, and its queue is below max_qlen — or the oldest reset request
    /// has served its 60 s and gives its place. Otherwise TCPFastOpenListenOverflow.
    /// </summary>
    private static bool tcp_fastopen_queue_check(sock sk)
    {
        var fastopenq = inet_csk(sk).icsk_accept_queue!.fastopenq;
        var max_qlen = fastopenq.max_qlen;
        if (max_qlen == 0)
        {
            return false;
        }

        if (fastopenq.qlen >= max_qlen)
        {
            // spin_lock(&fastopenq->lock)
            var req1 = fastopenq.rskq_rst_head;
            // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (one copy of the MIB per netns)
            if (req1 is null || time_after(req1.rsk_rst_expires, sk.sk_net.k.jiffies))
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENLISTENOVERFLOW);
                return false;
            }

            fastopenq.rskq_rst_head = req1.dl_next;
            fastopenq.qlen--;
            req1.rsk_fastopen_ref = false;
            request_sock_h.reqsk_put(req1);
        }

        return true;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_no_cookie
    /// <summary>Fast Open without a cookie: the sysctl's <paramref name="flag"/> bit, or TCP_FASTOPEN_NO_COOKIE (the route's RTAX_FASTOPEN_NO_COOKIE: routes carry no metrics).</summary>
    private static bool tcp_fastopen_no_cookie(sock sk, dst_entry? dst, int flag)
    {
        // not ported: dst_metric — routes carry no RTAX_FASTOPEN_NO_COOKIE metric ("ip route ... fastopen_no_cookie")
        _ = dst;
        return (netns_ipv4.of(sk.sk_net).sysctl_tcp_fastopen & flag) != 0 || tcp_sk(sk).fastopen_no_cookie;
    }

    // net/ipv4/tcp_fastopen.c: tcp_try_fastopen
    /// <summary>
    /// Passive Fast Open for a SYN at a listener. A SYN with data (or a cookie
    /// option) on a listener with TCP_FASTOPEN set (and room in its Fast Open
    /// queue): a valid cookie (or none needed, TFO_SERVER_COOKIE_NOT_REQD)
    /// makes the child at once (TCPFastOpenPassive; TCPFastOpenPassiveAltKey
    /// when the backup key matched) and it is returned. A cookie request
    /// (TCPFastOpenCookieReqd) or a bad cookie (TCPFastOpenPassiveFail) leaves
    /// <paramref name="foc"/> holding the cookie the SYN-ACK is to carry; null.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock? tcp_try_fastopen(sock sk, sk_buff skb, request_sock req, ref tcp_fastopen_cookie foc, dst_entry? dst)
    {
        ArgumentNullException.ThrowIfNull(sk);
        ArgumentNullException.ThrowIfNull(skb);
        var syn_data = TCP_SKB_CB(skb).end_seq != TCP_SKB_CB(skb).seq + 1;
        var tcp_fastopen = netns_ipv4.of(sk.sk_net).sysctl_tcp_fastopen;
        var valid_foc = new tcp_fastopen_cookie { len = -1 };
        sock? child;
        var ret = 0;

        if (foc.len == 0)
        {
            // Client requests a cookie
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENCOOKIEREQD);
        }

        if (!((tcp_fastopen & TFO_SERVER_ENABLE) != 0 && (syn_data || foc.len >= 0) && tcp_fastopen_queue_check(sk)))
        {
            foc.len = -1;
            return null;
        }

        if (tcp_fastopen_no_cookie(sk, dst, TFO_SERVER_COOKIE_NOT_REQD))
        {
            goto fastopen;
        }

        if (foc.len == 0)
        {
            // Client requests a cookie.
            tcp_fastopen_cookie_gen(sk, req, skb, ref valid_foc);
        }
        else if (foc.len > 0)
        {
            ret = tcp_fastopen_cookie_gen_check(sk, req, skb, ref foc, ref valid_foc);
            if (ret == 0)
            {
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVEFAIL);
            }
            else
            {
                // A valid cookie: the child takes the SYN's data now; if it cannot be
                // made, the SYN-ACK acknowledges the ISN only and carries the cookie.
                // A SYN without data but with a valid cookie may also be sent to in SYN_RECV.
                goto fastopen;
            }
        }

        goto out_cookie;

    // restructured: C# cannot jump into a block (6.18's label sits inside the else branch)
    fastopen:
        child = tcp_fastopen_create_child(sk, skb, req);
        if (child is not null)
        {
            if (ret == 2)
            {
                valid_foc.exp = foc.exp;
                foc = valid_foc;
                Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVEALTKEY);
            }
            else
            {
                foc.len = -1;
            }

            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVE);
            tcp_sk(child).syn_fastopen_child = true;
            return child;
        }

        Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVEFAIL);

    out_cookie:
        valid_foc.exp = foc.exp;
        foc = valid_foc;
        return null;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_cookie_check
    /// <summary>
    /// Whether an active open may put data in its SYN: the cached cookie (and
    /// MSS) are fetched; not while active Fast Open is paused (blackhole);
    /// yes without a cookie when none is needed (TFO_CLIENT_NO_COOKIE,
    /// TCP_FASTOPEN_NO_COOKIE; cookie.len -1); yes with a cached cookie;
    /// otherwise no (TFO_COOKIE_UNAVAILABLE) and the SYN asks for one.
    /// </summary>
    public static bool tcp_fastopen_cookie_check(sock sk, ref ushort mss, ref tcp_fastopen_cookie cookie)
    {
        ArgumentNullException.ThrowIfNull(sk);
        tcp_metrics_c.tcp_fastopen_cache_get(sk, ref mss, ref cookie);

        // Firewall blackhole issue check
        if (tcp_fastopen_active_should_disable(sk))
        {
            cookie.len = -1;
            return false;
        }

        // not ported: __sk_dst_get — the route is read as the field sk.sk_dst_cache
        var dst = sk.sk_dst_cache as dst_entry;

        if (tcp_fastopen_no_cookie(sk, dst, TFO_CLIENT_NO_COOKIE))
        {
            cookie.len = -1;
            return true;
        }

        if (cookie.len > 0)
        {
            return true;
        }

        tcp_sk(sk).fastopen_client_fail = Include.Uapi.Linux.tcp_h.TFO_COOKIE_UNAVAILABLE;
        return false;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_defer_connect
    /// <summary>
    /// TCP_FASTOPEN_CONNECT's connect(): with a usable cookie the SYN waits
    /// for the first write (DEFER_CONNECT; true); without one a fastopen_req
    /// is made so the SYN asks for a cookie, and the SYN goes now (false).
    /// </summary>
    public static bool tcp_fastopen_defer_connect(sock sk, ref int err)
    {
        ArgumentNullException.ThrowIfNull(sk);
        var cookie = new tcp_fastopen_cookie { len = 0 };
        var tp = tcp_sk(sk);
        ushort mss = 0;

        if (tp.fastopen_connect && tp.fastopen_req is null)
        {
            if (tcp_fastopen_cookie_check(sk, ref mss, ref cookie))
            {
                // not ported: inet_set_bit — DEFER_CONNECT is the field defer_connect
                inet_sock_h.inet_sk(sk).defer_connect = true;
                return true;
            }

            // The SYN carries the Fast Open option (a cookie request) through fastopen_req.
            // not ported: kzalloc — the request is a C# object (it cannot fail: no -ENOBUFS)
            tp.fastopen_req = new tcp_fastopen_request();
            tp.fastopen_req.cookie = cookie;
        }

        _ = err;
        return false;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_active_disable
    /// <summary>Pauses active Fast Open in the namespace (when blackhole detection is on): stamped now, one more pause; TCPFastOpenBlackhole.</summary>
    public static void tcp_fastopen_active_disable(sock sk)
    {
        ArgumentNullException.ThrowIfNull(sk);
        var net = sk.sk_net;
        var ipv4 = netns_ipv4.of(net);

        if (ipv4.sysctl_tcp_fastopen_blackhole_timeout == 0)
        {
            return;
        }

        // the stamp is written before the count (smp_mb__before_atomic): a reader that sees the count sees the stamp
        ipv4.tfo_active_disable_stamp = net.k.jiffies;
        ipv4.tfo_active_disable_times++;

        Include.Net.ip_h.NET_INC_STATS(net, linux_mib_field.LINUX_MIB_TCPFASTOPENBLACKHOLE);
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_active_should_disable
    /// <summary>
    /// Whether active Fast Open is still paused: for the blackhole timeout
    /// times 2^(pauses-1) (at most 2^6) after the last pause. Once it has
    /// run out the socket is marked (syn_fastopen_ch) so a successful
    /// exchange can reset the pause count.
    /// </summary>
    public static bool tcp_fastopen_active_should_disable(sock sk)
    {
        ArgumentNullException.ThrowIfNull(sk);
        var ipv4 = netns_ipv4.of(sk.sk_net);
        var tfo_bh_timeout = (uint)ipv4.sysctl_tcp_fastopen_blackhole_timeout;

        if (tfo_bh_timeout == 0)
        {
            return false;
        }

        var tfo_da_times = ipv4.tfo_active_disable_times;
        if (tfo_da_times == 0)
        {
            return false;
        }

        // smp_rmb: paired with tcp_fastopen_active_disable's barrier
        // Limit timeout to max: 2^6 * initial timeout
        var multiplier = 1UL << Math.Min(tfo_da_times - 1, 6);

        var timeout = ipv4.tfo_active_disable_stamp + (multiplier * tfo_bh_timeout * Vmlinux.HZ);
        if (time_before(sk.sk_net.k.jiffies, timeout))
        {
            return true;
        }

        // Mark check bit so we can check for successful active TFO condition and reset tfo_active_disable_times
        tcp_sk(sk).syn_fastopen_ch = true;
        return false;
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_active_disable_ofo_check
    /// <summary>
    /// At close of an active Fast Open socket: a FIN alone out of order with
    /// no data received looks like a blackhole (pause); data received on a
    /// socket marked after a pause, not over loopback, ends the pauses.
    /// </summary>
    public static void tcp_fastopen_active_disable_ofo_check(sock sk)
    {
        ArgumentNullException.ThrowIfNull(sk);
        var tp = tcp_sk(sk);

        if (!tp.syn_fastopen)
        {
            return;
        }

        var ipv4 = netns_ipv4.of(sk.sk_net);
        if (tp.data_segs_in == 0)
        {
            // not ported: skb_rb_first, skb_rb_next — the out-of-order queue is an ordered list here
            var ooo = tp.out_of_order_queue;
            var skb = ooo is { Count: > 0 } ? ooo[0] : null;
            if (skb is not null && ooo!.Count == 1)
            {
                if ((TCP_SKB_CB(skb).tcp_flags & TCPHDR_FIN) != 0)
                {
                    tcp_fastopen_active_disable(sk);
                    return;
                }
            }
        }
        else if (tp.syn_fastopen_ch && ipv4.tfo_active_disable_times != 0)
        {
            // not ported: __sk_dst_get, dst_dev_rcu — the route and its device are read as fields
            var dst = sk.sk_dst_cache as dst_entry;
            var dev = dst?.dev;
            if (!(dev is not null && (dev.flags & net_device.IFF_LOOPBACK) != 0))
            {
                ipv4.tfo_active_disable_times = 0;
            }
        }
    }

    // net/ipv4/tcp_fastopen.c: tcp_fastopen_active_detect_blackhole
    /// <summary>
    /// From the retransmit timer: a Fast Open connection timing out for the
    /// third time in a row (or for good, <paramref name="expired"/>) pauses
    /// active Fast Open (TCPFastOpenActiveFail).
    /// </summary>
    public static void tcp_fastopen_active_detect_blackhole(sock sk, bool expired)
    {
        ArgumentNullException.ThrowIfNull(sk);
        var timeouts = inet_csk(sk).icsk_retransmits;
        var tp = tcp_sk(sk);

        // Middleboxes may blackhole Fast Open during or after the handshake: pause it at the third timeout.
        if ((tp.syn_fastopen || tp.syn_data || tp.syn_data_acked) && (timeouts == 2 || (timeouts < 2 && expired)))
        {
            tcp_fastopen_active_disable(sk);
            Include.Net.ip_h.NET_INC_STATS(sk.sk_net, linux_mib_field.LINUX_MIB_TCPFASTOPENACTIVEFAIL);
        }
    }
}
