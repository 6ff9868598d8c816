// Ports net/ipv4/inet_connection_sock.c: the bound-address comparison and the
// ephemeral port range, which UDP's bind path shares with TCP; TCP's local
// port allocation (inet_csk_get_port on the bind buckets), the connection
// timers' set-up and teardown, and the destruction of a closed socket.
//
// Listening: inet_csk_listen_start, the request sock's entry in the
// established table (inet_csk_reqsk_queue_hash_add), the child's clone of
// the listener (inet_csk_clone_lock), the hand-over from request sock to
// child (inet_csk_complete_hashdance, inet_csk_reqsk_queue_add), and
// accept (inet_csk_accept, inet_csk_wait_for_connect).
//
// The SYN-ACK retransmit timer of request socks (reqsk_timer_handler:
// resends with backoff up to tcp_synack_retries, then drops the request).
//
// not ported: inet_bhash2_addr_any_conflict, inet_bhash2_conflict, inet_bind2_bucket_create,
//   inet_bind2_bucket_destroy, inet_bind2_bucket_find, inet_use_bhash2_on_bind, inet_use_hash2_on_bind,
//   sk_for_each_bound_bhash — bhash2 (the port+address bind table) is not ported: a port's bucket lists its
//   owners (sk_for_each_bound), and the conflict check compares each owner's address
// not ported: inet_bhashfn, inet_bind_bucket_for_each, inet_bind_bucket_match — not in these bodies: the walk of a
//   port's bhash chain for its bucket (which hashes and matches with them) is written once, FindBindBucket, shared
//   by inet_csk_find_open_port and inet_csk_get_port
// not ported: inet_bhashfn_portaddr, tcp_get_hashinfo — bhash2 is not ported; the simulated kernel has one TCP
//   hashinfo (tcp_ipv4_c.tcp_hashinfo), no per-netns one
// not ported: inet_reqsk_clone, reqsk_migrate_reset, reqsk_queue_migrated, reuseport_migrate_sock,
//   sk_reuseport_match, sk_uid — SO_REUSEPORT is not ported: no reuseport group to share a port with or to
//   migrate requests and children to when a listener closes (so no TCPMigrateReq* counts)
// not ported: inet_sk_bound_l3mdev — no VRF (l3mdev) devices
// not ported: inet_is_local_reserved_port — ip_local_reserved_ports is not ported: no port is reserved
// not ported: cond_resched — kernel code runs each call to its end on the simulated CPU: no point to yield at
// not ported: timer_setup — inet_csk_init_xmit_timers keeps each handler in *_timer_function and the timer_list is
//   made with it when first armed (inet_csk_retransmit_timer and its siblings); the request's rsk_timer is made with
//   its handler where 6.18 sets it up
// not ported: sock_hold, sock_put, bh_lock_sock, bh_unlock_sock — the port does not count socket references
//   (the GC keeps a socket alive while anything reaches it), and one simulated CPU needs no socket spinlock
// not ported: tcp_orphan_count_dec, tcp_orphan_count_inc — the orphan count (tcp_too_many_orphans, sockstat's
//   orphan) is not ported
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.ip_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class inet_connection_sock_c
{
    // net/ipv4/inet_connection_sock.c: ipv4_rcv_saddr_equal
    /// <summary>Two IPv4 bound addresses clash when equal, or when a side whose wildcard counts is INADDR_ANY.</summary>
    private static bool ipv4_rcv_saddr_equal(uint sk1_rcv_saddr, uint sk2_rcv_saddr, bool sk2_ipv6only, bool match_sk1_wildcard, bool match_sk2_wildcard)
    {
        if (sk2_ipv6only)
        {
            return false;
        }

        if (sk1_rcv_saddr == sk2_rcv_saddr)
        {
            return true;
        }

        return (match_sk1_wildcard && sk1_rcv_saddr == 0) || (match_sk2_wildcard && sk2_rcv_saddr == 0);
    }

    // not ported: ipv6_rcv_saddr_equal — no IPv6 sockets: both sides are AF_INET
    // net/ipv4/inet_connection_sock.c: inet_rcv_saddr_equal
    /// <summary>Whether <paramref name="sk"/> and <paramref name="sk2"/> are bound to clashing addresses (no socket is IPv6-only: there are none).</summary>
    public static bool inet_rcv_saddr_equal(sock sk, sock sk2, bool match_wildcard) =>
        ipv4_rcv_saddr_equal(((inet_sock)sk.proto_data!).inet_rcv_saddr, ((inet_sock)sk2.proto_data!).inet_rcv_saddr, false, match_wildcard, match_wildcard);

    // net/ipv4/inet_connection_sock.c: inet_sk_get_local_port_range
    /// <summary>
    /// The ephemeral range for <paramref name="sk"/>: the namespace's
    /// ip_local_port_range. Returns whether a per-socket IP_LOCAL_PORT_RANGE
    /// narrowed it — never, as that option is not ported.
    /// </summary>
    public static bool inet_sk_get_local_port_range(sock sk, out int low, out int high)
    {
        inet_get_local_port_range(sk.sk_net, out low, out high);
        return false;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_find_open_port
    /// <summary>
    /// An ephemeral port nobody in this namespace has bound: a scan of the
    /// range from a random offset (the kernel's odd/even halves, bhash2 and
    /// reuse conflicts are not ported). 0 when the range is full.
    /// </summary>
    private static ushort inet_csk_find_open_port(sock sk, inet_hashinfo hinfo)
    {
        // not ported: inet_csk_bind_conflict — only a port without a bind bucket is taken; 6.18 also takes a
        //   bound port whose owners all let this socket share it (the SO_REUSEADDR relax pass)
        inet_sk_get_local_port_range(sk, out var low, out var high);
        var remaining = high - low + 1;
        var offset = (int)Drivers.Char.random_c.__get_random_u32_below(sk.sk_net.k, (uint)remaining);
        for (var i = 0; i < remaining; i++)
        {
            var port = (ushort)(low + ((offset + i) % remaining));
            if (FindBindBucket(hinfo.bhash[inet_hashtables_h.inet_bhashfn(sk.sk_net, port, hinfo.bhash_size)], sk.sk_net, port) is null)
            {
                return port;
            }
        }

        return 0;
    }

    // net/ipv4/inet_connection_sock.c: inet_bind_conflict
    /// <summary>
    /// Whether <paramref name="sk2"/>, an owner of the port (a full socket or a
    /// TIME_WAIT entry), keeps <paramref name="sk"/> from binding it: unless they
    /// are on different devices, only SO_REUSEADDR on both sides, with
    /// <paramref name="sk2"/> not listening, lets them share (SO_REUSEPORT is not ported).
    /// </summary>
    private static bool inet_bind_conflict(sock sk, sock sk2)
    {
        if (sk == sk2)
        {
            return false;
        }

        var bound_dev_if2 = sk2.sk_bound_dev_if;
        if (sk.sk_bound_dev_if == 0 || bound_dev_if2 == 0 || sk.sk_bound_dev_if == bound_dev_if2)
        {
            // A TIME_WAIT entry carries its socket's SO_REUSEADDR as tw_reuse.
            var reuse2 = sk2.sk_state == Include.Net.tcp_states_h.TCP_TIME_WAIT ? inet_timewait_sock_h.inet_twsk(sk2).tw_reuse : sk2.sk_reuse;
            return !(sk.sk_reuse && reuse2 && sk2.sk_state != Include.Net.tcp_states_h.TCP_LISTEN);
        }

        return false;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_bind_conflict
    /// <summary>Whether any owner of <paramref name="tb"/> conflicts with <paramref name="sk"/> (bound to the same or a wildcard address).</summary>
    private static bool inet_csk_bind_conflict(sock sk, inet_bind_bucket tb)
    {
        // not ported: inet_rcv_saddr_equal — its IPv4 half, ipv4_rcv_saddr_equal, is called with the owner's
        //   address (a TIME_WAIT owner's is read from the twsk)
        foreach (var sk2 in Include.Net.sock_h.sk_for_each_bound(tb.owners))
        {
            var rcv_saddr2 = sk2.sk_state == Include.Net.tcp_states_h.TCP_TIME_WAIT ? inet_timewait_sock_h.inet_twsk(sk2).inet_rcv_saddr : ((inet_sock)sk2.proto_data!).inet_rcv_saddr;
            if (inet_bind_conflict(sk, sk2) && ipv4_rcv_saddr_equal(((inet_sock)sk.proto_data!).inet_rcv_saddr, rcv_saddr2, false, true, true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bucket of <paramref name="port"/> in <paramref name="net"/> on the port's bhash chain <paramref name="head"/> (inet_bind_bucket_for_each with inet_bind_bucket_match), or null.</summary>
    [KernelNet.Annotations.NotInLinux("the bucket search inet_csk_find_open_port and inet_csk_get_port write out over the bhash chain of the port")]
    private static inet_bind_bucket? FindBindBucket(in inet_bind_hashbucket head, net net, ushort port)
    {
        for (var tb = head.chain.first; tb is not null; tb = tb.node.next)
        {
            if (inet_hashtables_c.inet_bind_bucket_match(tb, net, port))
            {
                return tb;
            }
        }

        return null;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_get_port
    /// <summary>
    /// Gives <paramref name="sk"/> the local port <paramref name="snum"/> (0:
    /// an ephemeral one): a port whose owners conflict (inet_csk_bind_conflict:
    /// SO_REUSEADDR on both sides lets a non-listener share, TIME_WAIT entries
    /// included) is EADDRINUSE; otherwise the port's bind bucket is made and
    /// the socket joins it.
    /// </summary>
    public static int inet_csk_get_port(sock sk, ushort snum)
    {
        var hinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var net = sk.sk_net;
        var port = snum;
        if (port == 0)
        {
            port = inet_csk_find_open_port(sk, hinfo);
            if (port == 0)
            {
                return -errno_h.EADDRINUSE;
            }
        }

        // spin_lock_bh(&head->lock): the bucket against concurrent binds.
        ref var head = ref hinfo.bhash[inet_hashtables_h.inet_bhashfn(net, port, hinfo.bhash_size)];
        var tb = FindBindBucket(head, net, port);
        if (tb is not null && inet_csk_bind_conflict(sk, tb))
        {
            return -errno_h.EADDRINUSE;
        }

        // not ported: inet_bind_bucket_destroy — 6.18 frees a bucket it made when the bind then fails: the port's
        //   bind cannot fail once the bucket is made
        if (tb is null)
        {
            tb = inet_hashtables_c.inet_bind_bucket_create(hinfo, net, ref head, port);

            // not ported: inet_csk_update_fastreuse — written out for a new bucket: fastreuse from SO_REUSEADDR
            //   (a bucket made by bind is never one connect() may share); fastreuseport is SO_REUSEPORT's
            tb.fastreuse = (sbyte)(sk.sk_reuse && sk.sk_state != Include.Net.tcp_states_h.TCP_LISTEN ? 1 : 0);
        }

        if (inet_csk(sk).icsk_bind_hash is null)
        {
            inet_hashtables_c.inet_bind_hash(sk, tb, port);
        }

        return 0;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_init_xmit_timers
    /// <summary>
    /// Sets up the retransmit, delayed-ACK and keepalive (sk_timer) timers:
    /// timer_setup's part, the function each will run. The timer_list itself is
    /// made where the timer is first armed, so an idle socket holds only those
    /// it armed (the kernel embeds all three).
    /// </summary>
    public static void inet_csk_init_xmit_timers(sock sk, System.Action<timer_list> retransmit_handler, System.Action<timer_list> delack_handler, System.Action<timer_list> keepalive_handler)
    {
        var icsk = inet_csk(sk);
        icsk.icsk_retransmit_timer_function = retransmit_handler;
        icsk.icsk_delack_timer_function = delack_handler;
        sk.sk_timer_function = keepalive_handler;
        icsk.icsk_pending = 0;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_clear_xmit_timers
    /// <summary>Stops the retransmit, delayed-ACK and keepalive timers.</summary>
    public static void inet_csk_clear_xmit_timers(sock sk)
    {
        var icsk = inet_csk(sk);
        icsk.icsk_pending = 0;
        if (icsk.icsk_retransmit_timer is { } r)
        {
            timer_c.timer_delete(r);
        }

        if (icsk.icsk_delack_timer is { } d)
        {
            timer_c.timer_delete(d);
        }

        // not ported: sk_stop_timer — its timer_delete is called directly (the socket reference a pending
        //   timer holds is not counted)
        if (sk.sk_timer is { } ka)
        {
            timer_c.timer_delete(ka);
        }
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_destroy_sock
    /// <summary>
    /// The end of a closed, orphaned socket: the protocol's destroy
    /// (tcp_v4_destroy_sock: queues, timers, port), then the queues are
    /// killed and the last reference dropped (sk_free).
    /// </summary>
    public static void inet_csk_destroy_sock(sock sk)
    {
        // not ported: sock_flag, sk_unhashed — they only feed WARN_ONs (CLOSE, SOCK_DEAD, unhashed), not ported
        sk.sk_prot!.destroy!(sk);

        // not ported: sk_stream_kill_queues — written out: what is left in the receive and error queues goes
        Include.Linux.skbuff_h.__skb_queue_purge(sk.sk_receive_queue);
        Include.Linux.skbuff_h.__skb_queue_purge(sk.sk_error_queue);

        // not ported: xfrm_sk_free_policy — no IPsec (xfrm) policies on sockets
        // the last reference (sock_put) frees the socket: sk_free
        Core.sock_c.sk_free(sk);
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_listen_start
    /// <summary>The socket becomes a listener: an empty accept queue, LISTEN, its port taken again (get_port) and it enters lhash2.</summary>
    public static int inet_csk_listen_start(sock sk)
    {
        var icsk = inet_csk(sk);
        var inet = Include.Net.inet_sock_h.inet_sk(sk);

        // not ported: inet_ulp_can_listen — no upper-layer protocols (TCP_ULP) are ported
        Core.request_sock_c.reqsk_queue_alloc(icsk.icsk_accept_queue ??= new());
        sk.sk_ack_backlog = 0;
        Include.Net.inet_connection_sock_h.inet_csk_delack_init(sk);

        af_inet_c.inet_sk_state_store(sk, Include.Net.tcp_states_h.TCP_LISTEN);
        var err = sk.sk_prot!.get_port!(sk, inet.inet_num);
        if (err == 0)
        {
            inet.inet_sport = inet.inet_num;

            Include.Net.sock_h.sk_dst_reset(sk);
            err = sk.sk_prot.hash!(sk);
            if (err == 0)
            {
                return 0;
            }
        }

        af_inet_c.inet_sk_set_state(sk, Include.Net.sock_h.TCP_CLOSE);
        return err;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_listen_stop
    /// <summary>
    /// A listener closes: every child still waiting on its accept queue is
    /// forgotten (tcp_disconnect sends its peer a RST), and its request sock freed.
    /// Reuseport migration is not ported.
    /// </summary>
    public static void inet_csk_listen_stop(sock sk)
    {
        var queue = inet_csk(sk).icsk_accept_queue!;
        while (request_sock_h.reqsk_queue_remove(queue, sk) is { } req)
        {
            var child = req.child!;

            // bh off around the child's teardown: the RST tcp_disconnect sends is only
            // received (softirq) after the child's queues were purged and it was destroyed.
            // not ported: sock_owned_by_user — only in a WARN_ON (the child is never owned here)
            // not ported: __NET_INC_STATS, __reqsk_free, inet_csk_reqsk_queue_add — the reuseport migration of
            //   the child to another listener (SO_REUSEPORT is not ported)
            Include.Linux.bottom_half_h.local_bh_disable(sk.sk_net.k);
            inet_child_forget(sk, req, child);
            request_sock_h.reqsk_put(req);
            Include.Linux.bottom_half_h.local_bh_enable(sk.sk_net.k);
        }

        if (queue.fastopenq.rskq_rst_head is not null)
        {
            // Free all the reqs queued in rskq_rst_head.
            var req = queue.fastopenq.rskq_rst_head;
            queue.fastopenq.rskq_rst_head = null;
            while (req is not null)
            {
                var next = req.dl_next;
                req.rsk_fastopen_ref = false;
                request_sock_h.reqsk_put(req);
                req = next;
            }
        }
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_route_req
    /// <summary>The route a SYN-ACK takes: from the request's local address to the peer.</summary>
    public static rtable? inet_csk_route_req(sock sk, ref flowi4 fl4, request_sock req)
    {
        // not ported: flowi4_init_output, read_pnet — the flow is written field by field, the request's netns is
        //   its listener's (sk_net)
        // not ported: ip_sock_rt_tos, ip_sock_rt_scope — tos 0 and universe scope: the port's FIB matches no TOS
        // not ported: inet_sk_flowi_flags — no transparent or freebind sockets (FLOWI_FLAG_ANYSRC never set)
        // not ported: flowi4_to_flowi_common — it only feeds security_req_classify_flow: no LSM
        // not ported: ip_rt_put — its path is the strict source route of a SYN's IP options (not kept on requests)
        // not ported: __IP_INC_STATS — counted with the port's IP_INC_STATS (one copy of the MIB per netns)
        fl4.flowi4_oif = sk.sk_bound_dev_if;
        fl4.flowi4_proto = (byte)sk.sk_protocol;
        fl4.flowi4_mark = sk.sk_mark;
        fl4.daddr = req.ir_rmt_addr;
        fl4.saddr = req.ir_loc_addr;
        fl4.fl4_dport = req.ir_rmt_port;
        fl4.fl4_sport = req.ir_num;
        var rt = route_c.ip_route_output_flow(sk.sk_net, ref fl4, sk, out _);
        if (rt is null)
        {
            Include.Net.ip_h.IP_INC_STATS(sk.sk_net, Include.Uapi.Linux.ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES);
        }

        return rt;
    }

    // net/ipv4/inet_connection_sock.c: inet_reqsk_alloc
    /// <summary>
    /// A request sock for <paramref name="sk_listener"/>: a minisock in
    /// NEW_SYN_RECV, holding its listener unless it only answers or rebuilds
    /// a SYN cookie (<paramref name="attach_listener"/> false).
    /// </summary>
    public static request_sock inet_reqsk_alloc(sock sk_listener, bool attach_listener)
    {
        // not ported: reqsk_alloc — written out: kmem_cache_alloc from rsk_ops->slab (request_sock_TCP)
        // not ported: write_pnet — the request's netns is given to the sock's constructor
        var rsk_slab = sk_listener.sk_prot is { } prot ? Core.sock_c.proto_slabs_of(sk_listener.sk_net.k, prot)?.rsk_slab : null;
        if (rsk_slab is not null)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(rsk_slab);
        }

        var reqsk = new sock(sk_listener.sk_net, sk_listener.sk_family, sk_listener.sk_type, sk_listener.sk_protocol) { sk_slab = rsk_slab };
        var req = new request_sock(reqsk) { rsk_listener = attach_listener ? sk_listener : null }; // sock_hold of the listener: not counted
        reqsk.proto_data = req;
        reqsk.sk_state = Include.Net.tcp_states_h.TCP_NEW_SYN_RECV; // ireq->ireq_state
        return req;
    }

    // net/ipv4/inet_connection_sock.c: reqsk_queue_hash_req
    /// <summary>The request enters the established table and its SYN-ACK timer starts (<paramref name="timeout"/> jiffies).</summary>
    private static bool reqsk_queue_hash_req(request_sock req, uint timeout)
    {
        if (!inet_hashtables_c.inet_ehash_insert(request_sock_h.req_to_sk(req), null, out _))
        {
            return false;
        }

        var k = req.sk.sk_net.k;
        req.rsk_timer = new timer_list(reqsk_timer_handler) { owner = req };
        timer_c.mod_timer(k, req.rsk_timer, k.jiffies + timeout);
        return true;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_reqsk_queue_hash_add
    /// <summary>The request sock enters the established table (as NEW_SYN_RECV) with its SYN-ACK timer, and the listener's SYN queue.</summary>
    public static bool inet_csk_reqsk_queue_hash_add(sock sk, request_sock req, uint timeout)
    {
        if (!reqsk_queue_hash_req(req, timeout))
        {
            return false;
        }

        // not ported: inet_csk_reqsk_queue_added — its body, reqsk_queue_added on the listener's queue, is called
        request_sock_h.reqsk_queue_added(inet_csk(sk).icsk_accept_queue!);
        return true;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_clone_lock
    /// <summary>The child: a copy of the listener (sk_clone_lock) with the request's addresses and ports, in SYN_RECV.</summary>
    public static sock inet_csk_clone_lock(sock sk, request_sock req)
    {
        var newsk = Core.sock_c.sk_clone_lock(sk);
        var newicsk = inet_csk(newsk);
        var newinet = (inet_sock)newicsk;

        newicsk.icsk_bind_hash = null;
        newinet.inet_dport = req.ir_rmt_port;
        newinet.inet_num = req.ir_num;
        newinet.inet_sport = req.ir_num;
        newinet.inet_daddr = req.ir_rmt_addr;
        newinet.inet_rcv_saddr = req.ir_loc_addr;
        newinet.inet_saddr = req.ir_loc_addr;
        newsk.sk_mark = sk.sk_mark;

        // listeners may be freed after an RCU grace period; their children are not
        Include.Net.sock_h.sock_reset_flag(newsk, sock_flags.SOCK_RCU_FREE);

        af_inet_c.inet_sk_set_state(newsk, Include.Net.tcp_states_h.TCP_SYN_RECV);

        newicsk.icsk_retransmits = 0;
        newicsk.icsk_backoff = 0;
        newicsk.icsk_accept_queue = null; // the child's accept queue is zeroed (memset) to trap illegal accesses
        newsk.sk_ack_backlog = 0;
        newsk.sk_max_ack_backlog = 0;

        // not ported: inet_clone_ulp — no upper-layer protocols (TCP_ULP) are ported: nothing to clone
        return newsk;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_reqsk_queue_drop
    /// <summary>The request leaves the established table and the SYN queue, its timer stopped; true if it was there.</summary>
    public static bool inet_csk_reqsk_queue_drop(sock sk, request_sock req) => __inet_csk_reqsk_queue_drop(sk, req, false);

    // net/ipv4/inet_connection_sock.c: __inet_csk_reqsk_queue_drop
    /// <summary>The request leaves the established table and the SYN queue; its own timer (<paramref name="from_timer"/>) is not stopped from inside.</summary>
    private static bool __inet_csk_reqsk_queue_drop(sock sk, request_sock req, bool from_timer)
    {
        if (!from_timer && req.rsk_timer is not null)
        {
            timer_c.timer_delete_sync(req.rsk_timer);
        }

        // not ported: reqsk_queue_unlink — written out: the request leaves its established chain if it is on one
        // not ported: reqsk_put — request references are not counted: reqsk_put frees a request once it is
        //   neither hashed nor queued, which the caller's own reqsk_put checks after this unlink
        var reqsk = request_sock_h.req_to_sk(req);
        var unlinked = false;
        if (Include.Net.sock_h.sk_hashed(reqsk))
        {
            var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
            ref var head = ref inet_hashtables_h.inet_ehash_bucket(hashinfo, reqsk.sk_hash); // rsk_hash
            unlinked = Include.Net.sock_h.__sk_nulls_del_node_init_rcu(reqsk, ref head.chain);
        }

        if (unlinked)
        {
            request_sock_h.reqsk_queue_removed(inet_csk(sk).icsk_accept_queue!, req);
        }

        return unlinked;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_reqsk_queue_drop_and_put
    /// <summary>The request leaves the tables and the SYN queue, and the caller's reference goes (freeing it when nothing else holds it).</summary>
    public static void inet_csk_reqsk_queue_drop_and_put(sock sk, request_sock req)
    {
        inet_csk_reqsk_queue_drop(sk, req);
        request_sock_h.reqsk_put(req);
    }

    // net/ipv4/inet_connection_sock.c: syn_ack_recalc
    /// <summary>
    /// Whether the request expires and whether its SYN-ACK goes again. Without
    /// TCP_DEFER_ACCEPT: resend until the retries are spent. With it, a request
    /// whose ACK was held back (acked) lives until the deferral is over too, and
    /// its SYN-ACK is not resent until the last deferral period (a last chance
    /// for the peer's data, or an ACK, to make the connection).
    /// </summary>
    private static void syn_ack_recalc(request_sock req, int max_syn_ack_retries, byte rskq_defer_accept, out bool expire, out bool resend)
    {
        if (rskq_defer_accept == 0)
        {
            expire = req.num_timeout >= max_syn_ack_retries;
            resend = true;
            return;
        }

        expire = req.num_timeout >= max_syn_ack_retries && (!req.acked || req.num_timeout >= rskq_defer_accept);
        resend = !req.acked || req.num_timeout >= rskq_defer_accept - 1;
    }

    // net/ipv4/inet_connection_sock.c: reqsk_timer_handler
    /// <summary>
    /// The request's SYN-ACK timer: unless the listener is gone, or the
    /// SYN-ACK has been sent tcp_synack_retries times (fewer when the SYN
    /// queue is over half full of requests that already timed out), the
    /// SYN-ACK goes again and the timer doubles (to TCP_RTO_MAX); otherwise
    /// the request is dropped. Each firing counts TCPTimeouts. Timer context.
    /// </summary>
    private static void reqsk_timer_handler(timer_list t)
    {
        // not ported: timer_container_of — the request is the timer's owner
        // not ported: __NET_INC_STATS, __reqsk_free, inet_ehash_insert, req_to_sk, reqsk_queue_removed — they
        //   serve the migration of the request to a reuseport sibling (SO_REUSEPORT is not ported)
        // not ported: inet_sk_state_load — reads sk_state as the field (one thread: no torn read)
        var req = (request_sock)t.owner!;
        var sk_listener = req.rsk_listener;
        if (sk_listener is null)
        {
            return;
        }

        // a listener that stopped listening: no reuseport sibling to migrate to (not ported)
        if (sk_listener.sk_state != Include.Net.tcp_states_h.TCP_LISTEN)
        {
            goto drop;
        }

        var icsk = inet_csk(sk_listener);
        var net = sk_listener.sk_net;
        var max_syn_ack_retries = icsk.icsk_syn_retries != 0 ? icsk.icsk_syn_retries : Include.Net.Netns.netns_ipv4.of(net).sysctl_tcp_synack_retries; // TCP_SYNCNT, else the sysctl
        var queue = icsk.icsk_accept_queue!;
        var qlen = request_sock_h.reqsk_queue_len(queue);

        // Under SYN-queue pressure, old requests (those that timed out before) get fewer retries.
        if ((qlen << 1) > System.Math.Max(8, sk_listener.sk_max_ack_backlog))
        {
            // not ported: reqsk_queue_len_young — reads the queue's young count as the field
            var young = queue.young << 1;

            while (max_syn_ack_retries > 2)
            {
                if (qlen < young)
                {
                    break;
                }

                max_syn_ack_retries--;
                young <<= 1;
            }
        }

        syn_ack_recalc(req, max_syn_ack_retries, queue.rskq_defer_accept, out var expire, out var resend);
        tcp_timer_c.tcp_syn_ack_timeout(req); // rsk_ops->syn_ack_timeout

        if (!expire && (!resend || tcp_output_c.tcp_rtx_synack(sk_listener, req) == 0 || req.acked))
        {
            if (req.num_timeout++ == 0)
            {
                queue.young--;
            }

            timer_c.mod_timer(net.k, t, net.k.jiffies + reqsk_timeout(req, (ulong)Include.Linux.jiffies_h.msecs_to_jiffies(Include.Net.tcp_h.TCP_RTO_MAX_MS)));
            return;
        }

    drop:
        __inet_csk_reqsk_queue_drop(sk_listener, req, true);
        request_sock_h.reqsk_put(req);
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_reqsk_queue_add
    /// <summary>The child joins the accept queue (unless the listener stopped listening: then it is disposed of).</summary>
    public static sock? inet_csk_reqsk_queue_add(sock sk, request_sock req, sock child)
    {
        var queue = inet_csk(sk).icsk_accept_queue!;
        if (sk.sk_state != Include.Net.tcp_states_h.TCP_LISTEN)
        {
            inet_child_forget(sk, req, child);
            return null;
        }

        // spin_lock(rskq_lock): against accept's reqsk_queue_remove (one thread here)
        req.child = child;
        req.rsk_queued = true;
        req.dl_next = null;
        if (queue.rskq_accept_head is null)
        {
            queue.rskq_accept_head = req;
        }
        else
        {
            queue.rskq_accept_tail!.dl_next = req;
        }

        queue.rskq_accept_tail = req;
        Include.Net.sock_h.sk_acceptq_added(sk);
        return child;
    }

    // net/ipv4/inet_connection_sock.c: inet_child_forget
    private static void inet_child_forget(sock sk, request_sock req, sock child)
    {
        sk.sk_prot!.disconnect!(child, 0);
        Include.Net.sock_h.sock_orphan(child);

        if (sk.sk_protocol == Include.Uapi.Linux.in_h.IPPROTO_TCP && req.tfo_listener)
        {
            // A Fast Open child still holding its request: let go (a packet the child's
            // lock held back must not find it, and tcp_v4_destroy_sock asserts it is gone).
            Include.Linux.tcp_h.tcp_sk(child).fastopen_rsk = null;
        }
        inet_csk_destroy_sock(child);
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_complete_hashdance
    /// <summary>
    /// The handshake is complete: the child takes the request's place in the
    /// established table, the request leaves the SYN queue, and the child
    /// goes to the accept queue. Null if the request was gone already.
    /// </summary>
    public static sock? inet_csk_complete_hashdance(sock sk, sock child, request_sock req, bool own_req)
    {
        // not ported: __NET_INC_STATS, __reqsk_free, inet_reqsk_clone, reqsk_migrate_reset — the migration of a
        //   child whose listener closed to a reuseport sibling (SO_REUSEPORT is not ported)
        // not ported: reqsk_put — request references are not counted (the hashed/queued test in reqsk_put)
        if (own_req)
        {
            // not ported: inet_csk_reqsk_queue_drop — written out: the child already replaced the request in ehash
            //   (inet_ehash_nolisten with osk), so only its timer stops
            if (req.rsk_timer is not null)
            {
                timer_c.timer_delete_sync(req.rsk_timer);
            }

            request_sock_h.reqsk_queue_removed(inet_csk(sk).icsk_accept_queue!, req);

            if (inet_csk_reqsk_queue_add(sk, req, child) is not null)
            {
                return child;
            }
        }

        // the request sock already went to another child: this one loses.
        inet_child_forget(sk, req, child);
        return null;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_wait_for_connect
    /// <summary>Sleeps until the accept queue has a connection, a signal, or the timeout; 0, or -EAGAIN/-EINVAL/an interrupt.</summary>
    [KernelNet.Annotations.MightSleep]
    private static async System.Threading.Tasks.Task<(int Err, long Timeo)> inet_csk_wait_for_connect(sock sk, long timeo)
    {
        var icsk = inet_csk(sk);
        var k = sk.sk_net.k;
        // not ported: DEFINE_WAIT — written out: an entry woken by autoremove_wake_function
        var wait = new Include.Linux.wait_queue_entry(k.current, Kernel.Sched.wait_c.autoremove_wake_function);
        int err;

        for (;;)
        {
            // exclusive: a new connection wakes one acceptor, not every thread blocked in accept()
            Kernel.Sched.wait_c.prepare_to_wait_exclusive(k, Include.Net.sock_h.sk_sleep(sk), wait, Include.Linux.sched_h.TASK_INTERRUPTIBLE);
            Core.sock_c.release_sock(sk);
            if (request_sock_h.reqsk_queue_empty(icsk.icsk_accept_queue!))
            {
                timeo = await Kernel.Time.sleep_timeout_c.schedule_timeout(k, timeo);
            }
            else
            {
                Include.Linux.sched_h.__set_current_state(k, Include.Linux.sched_h.TASK_RUNNING);
            }

            Include.Net.sock_h.lock_sock(sk);
            err = 0;
            if (!request_sock_h.reqsk_queue_empty(icsk.icsk_accept_queue!))
            {
                break;
            }

            err = -errno_base_h.EINVAL;
            if (sk.sk_state != Include.Net.tcp_states_h.TCP_LISTEN)
            {
                break;
            }

            err = Include.Net.sock_h.sock_intr_errno(timeo);
            if (Include.Linux.sched_h.signal_pending(k.current))
            {
                break;
            }

            err = -errno_base_h.EAGAIN;
            if (timeo == 0)
            {
                break;
            }
        }

        Kernel.Sched.wait_c.finish_wait(k, Include.Net.sock_h.sk_sleep(sk), wait);
        return (err, timeo);
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_accept
    /// <summary>accept(2): the oldest child on the accept queue, waiting as the socket's receive timeout allows.</summary>
    [KernelNet.Annotations.MightSleep]
    public static async System.Threading.Tasks.ValueTask<(sock? Sk, int Err)> inet_csk_accept(sock sk, int flags)
    {
        var icsk = inet_csk(sk);
        var queue = icsk.icsk_accept_queue!;
        int error;
        sock? newsk = null;

        // not ported: kmem_cache_charge, mem_cgroup_from_sk, sk_mem_pages — no memory cgroups to charge the child to
        // not ported: inet_init_csk_locks — lockdep classes for the child's locks: no lockdep

        Include.Net.sock_h.lock_sock(sk);

        error = -errno_base_h.EINVAL;
        if (sk.sk_state != Include.Net.tcp_states_h.TCP_LISTEN)
        {
            goto out_err;
        }

        if (request_sock_h.reqsk_queue_empty(queue))
        {
            var timeo = Include.Net.sock_h.sock_rcvtimeo(sk, (flags & 0x800 /* O_NONBLOCK */) != 0);

            error = -errno_base_h.EAGAIN;
            if (timeo == 0)
            {
                goto out_err;
            }

            (error, _) = await inet_csk_wait_for_connect(sk, timeo);
            if (error != 0)
            {
                goto out_err;
            }
        }

        var req = request_sock_h.reqsk_queue_remove(queue, sk)!;
        newsk = req.child;

        if (sk.sk_protocol == Include.Uapi.Linux.in_h.IPPROTO_TCP && req.tfo_listener)
        {
            // spin_lock_bh(&queue->fastopenq.lock)
            // The handshake's last ACK is still to come: the request cannot go yet.
            // req->sk = NULL says the child is taken, so reqsk_fastopen_remove frees it.
            req.child = null;
        }
        else
        {
            request_sock_h.reqsk_put(req);
        }

        Core.sock_c.release_sock(sk);
        return (newsk, 0);

    out_err:
        Core.sock_c.release_sock(sk);
        return (null, error);
    }
    // net/ipv4/inet_connection_sock.c: inet_csk_rebuild_route
    /// <summary>Routes the connection again from its own addresses and ports (inet_sk_init_flowi4) and caches the route on the socket; null without one.</summary>
    private static rtable? inet_csk_rebuild_route(sock sk, ref flowi4 fl4)
    {
        var inet = Include.Net.inet_sock_h.inet_sk(sk);

        // not ported: inet_sk_init_flowi4 — written out through ip_route_connect_init: no IP options, so the
        //   destination is inet_daddr
        Include.Net.route_h.ip_route_connect_init(ref fl4, inet.inet_daddr, inet.inet_saddr, sk.sk_bound_dev_if, (byte)sk.sk_protocol, inet.inet_sport, inet.inet_dport, sk);
        var rt = route_c.ip_route_output_flow(sk.sk_net, ref fl4, sk, out _);
        if (rt is not null)
        {
            Core.sock_c.sk_setup_caps(sk, rt);
        }

        return rt;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_update_pmtu
    /// <summary>
    /// A frag-needed for a connection: lowers the path MTU of its route
    /// (ip_rt_update_pmtu records the next hop's exception), then returns the
    /// route the socket should use now, looked up again.
    /// </summary>
    public static dst_entry? inet_csk_update_pmtu(sock sk, uint mtu)
    {
        // not ported: __sk_dst_check — the port's cached routes carry no obsolete cookie: the cached route stands
        var dst = sk.sk_dst_cache as dst_entry;
        if (dst is null)
        {
            // departure: 6.18 rebuilds both routes here into inet->cork.fl; the port routes a flow of its own, leaving the socket's flow as it was
            var fl = new flowi4();
            dst = inet_csk_rebuild_route(sk, ref fl);
            if (dst is null)
            {
                return null;
            }
        }

        route_c.ip_rt_update_pmtu(dst, sk, null, mtu, true);

        // __sk_dst_check fails in 6.18 once the exception exists (the next hop's
        // cached routes are marked obsolete): the route is looked up again and
        // carries the new MTU.
        var fl4 = new flowi4();
        return inet_csk_rebuild_route(sk, ref fl4);
    }
}
