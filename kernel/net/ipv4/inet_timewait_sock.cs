// Ports net/ipv4/inet_timewait_sock.c: the TIME_WAIT minisock — its
// allocation from a closing socket, the hash dance that puts it in the
// socket's place in the established table, its timer and its end.
//
// The timewait sock holds its port: it joins the bind bucket's owners in
// the hash dance and leaves in inet_twsk_bind_unhash (its end, or connect()
// reusing its 4-tuple, inet_twsk_deschedule_put).
//
// not ported: the death row's limit and refcount, inet_twsk_purge of a dying namespace.
// not ported: inet_bind2_bucket_destroy, inet_bhashfn_portaddr — bhash2 (the port+address bind table) is not
//   ported: the timewait sock is an owner of its port's bucket only (sk_bind_node on the inet_bind_bucket)
// not ported: inet_bhashfn, inet_ehash_lockp, spin_lock, spin_unlock — the bucket locks (and the bind chain
//   the kernel locks): one simulated CPU runs each table operation to its end
// not ported: local_bh_disable, local_bh_enable — BH off around the bucket locks: nothing done under them
//   raises a softirq
// not ported: sock_prot_inuse_add — /proc/net/sockstat is not ported: no per-protocol inuse counts
// not ported: psp_twsk_init — no PSP encryption (no PSP device is simulated): every skb is plaintext
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Net.inet_sock_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class inet_timewait_sock_c
{
    // not ported: twsk_net_set — one network namespace per simulated host: the timewait sock's netns is
    //   written as a field
    // not ported: kmem_cache_alloc — its allocation, kmem_cache_alloc_noprof, is called (no alloc profiling)
    // not ported: timer_setup — the timer is made with its handler (new timer_list(handler))
    // net/ipv4/inet_timewait_sock.c: inet_twsk_alloc
    /// <summary>A timewait sock copying <paramref name="sk"/>'s addresses and ports, in TIME_WAIT with substate <paramref name="state"/>, its timer set up but not armed.</summary>
    public static inet_timewait_sock inet_twsk_alloc(sock sk, int state)
    {
        var inet = inet_sk(sk);

        // kmem_cache_alloc from twsk_prot->twsk_slab (tw_sock_TCP): a timewait sock is a small struct, not a full socket.
        var twsk_slab = sk.sk_prot is { } prot ? Core.sock_c.proto_slabs_of(sk.sk_net.k, prot)?.twsk_slab : null;
        var twsk = new sock(sk.sk_net, sk.sk_family, sk.sk_type, sk.sk_protocol) { sk_slab = twsk_slab };
        if (twsk_slab is not null)
        {
            // the most recently freed timewait sock's memory comes back first
            twsk.addr = Mm.slub_c.kmem_cache_alloc_noprof(twsk_slab, twsk.addr);
        }

        var tw = new inet_timewait_sock(twsk)
        {
            tw_substate = state,
            inet_daddr = inet.inet_daddr,
            inet_rcv_saddr = inet.inet_rcv_saddr,
            inet_saddr = inet.inet_saddr,
            inet_dport = inet.inet_dport,
            inet_sport = inet.inet_sport,
            inet_num = inet.inet_num,
            tw_tos = inet.tos,
            tw_reuse = sk.sk_reuse,
        };
        twsk.proto_data = tw;
        twsk.sk_bound_dev_if = sk.sk_bound_dev_if;
        twsk.sk_hash = sk.sk_hash; // tw_hash
        twsk.sk_state = Include.Net.tcp_states_h.TCP_TIME_WAIT; // tw_state: no tracepoint
        tw.tw_timer = new timer_list(tw_timer_handler) { owner = twsk };
        return tw;
    }

    // not ported: __sock_put — the port does not count socket references: the GC keeps a socket alive while
    //   anything reaches it
    // net/ipv4/inet_timewait_sock.c: inet_twsk_bind_unhash
    /// <summary>The timewait sock gives up its port: it leaves the bind bucket, freed if it was the last owner.</summary>
    public static void inet_twsk_bind_unhash(inet_timewait_sock tw, inet_hashinfo hashinfo)
    {
        var tb = tw.tw_tb;
        if (tb is null)
        {
            return;
        }

        Include.Net.sock_h.__sk_del_bind_node(tw.sk, ref tb.owners);
        tw.tw_tb = null;
        inet_hashtables_c.inet_bind_bucket_destroy(hashinfo, tb);
    }

    // not ported: twsk_net — one network namespace per simulated host: the timewait sock's netns is read as a
    //   field
    // net/ipv4/inet_timewait_sock.c: inet_twsk_kill
    /// <summary>The end of a timewait sock: out of the established table, then out of the bind bucket.</summary>
    private static void inet_twsk_kill(inet_timewait_sock tw)
    {
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(tw.sk.sk_net.k);

        // tw_hash is the timewait sock's sk_hash; its chain's head is the bucket the kernel locks
        ref var head = ref inet_hashtables_h.inet_ehash_bucket(hashinfo, tw.sk.sk_hash);
        Include.Net.sock_h.sk_nulls_del_node_init_rcu(tw.sk, ref head.chain);

        // spin_lock(&bhead->lock): the bucket against binds and connects.
        inet_twsk_bind_unhash(tw, hashinfo);
        inet_twsk_put(tw);
    }

    // net/ipv4/inet_timewait_sock.c: inet_twsk_free
    /// <summary>The timewait sock's memory goes back to its cache.</summary>
    private static void inet_twsk_free(inet_timewait_sock tw)
    {
        // not ported: tcp_twsk_destructor — it frees the TCP-MD5/AO keys a timewait sock keeps: neither is ported
        tw.tw_freed = true;
        if (tw.sk.sk_slab is { } slab)
        {
            Mm.slub_c.kmem_cache_free(slab, tw.sk.addr);
            tw.sk.sk_slab = null;
        }
    }

    // net/ipv4/inet_timewait_sock.c: inet_twsk_put
    /// <summary>The last reference (the table's and the timer's are one here) frees the timewait sock, once.</summary>
    public static void inet_twsk_put(inet_timewait_sock tw)
    {
        if (!tw.tw_freed)
        {
            inet_twsk_free(tw);
        }
    }

    // not ported: timer_container_of — the owner is read from the timer_list's owner field, the port's
    //   stand-in for container_of
    // net/ipv4/inet_timewait_sock.c: tw_timer_handler
    private static void tw_timer_handler(timer_list t) => inet_twsk_kill(inet_timewait_sock_h.inet_twsk((sock)t.owner!));

    // not ported: twsk_net — one network namespace per simulated host: the timewait sock's netns is read as a
    //   field
    // net/ipv4/inet_timewait_sock.c: inet_twsk_hashdance_schedule
    /// <summary>
    /// The timewait sock takes <paramref name="sk"/>'s place in the
    /// established table (the full socket leaves it, so its tcp_done does not
    /// unhash the timewait sock), and its timer is armed.
    /// </summary>
    public static void inet_twsk_hashdance_schedule(inet_timewait_sock tw, sock sk, int timeo)
    {
        // not ported: inet_twsk_add_node_rcu — its body, hlist_nulls_add_head_rcu of the timewait sock's node, is
        //   sock.h's __sk_nulls_add_node_rcu (the timewait sock is a sock here)
        // not ported: sock_prot_inuse_add — /proc/net/sockstat is not ported
        // not ported: refcount_set — timewait references are not counted: the chains and the timer hold it
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        ref var ehead = ref inet_hashtables_h.inet_ehash_bucket(hashinfo, sk.sk_hash);

        // The timewait sock joins the port's owners: the full socket's inet_put_port will not free the bucket.
        tw.tw_tb = inet_connection_sock_h.inet_csk(sk).icsk_bind_hash;
        if (tw.tw_tb is { } tb)
        {
            Include.Net.sock_h.sk_add_bind_node(tw.sk, ref tb.owners);
        }

        // first on the chain, then the full socket leaves it
        Include.Net.sock_h.__sk_nulls_add_node_rcu(tw.sk, ref ehead.chain);
        Include.Net.sock_h.__sk_nulls_del_node_init_rcu(sk, ref ehead.chain);

        // not ported: inet_twsk_schedule — its body, __inet_twsk_schedule without rearm, is called
        __inet_twsk_schedule(tw, timeo, false);
    }

    // not ported: twsk_net — one network namespace per simulated host: the timewait sock's netns is read as a
    //   field
    // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (LINUX_MIB_TIMEWAITKILLED): with
    //   one simulated CPU the non-preemptible variant is the same
    // net/ipv4/inet_timewait_sock.c: __inet_twsk_schedule
    /// <summary>Arms (or, <paramref name="rearm"/>, moves) the timer; the first arming counts TW, or TWKilled for a short (PAWS) wait.</summary>
    public static void __inet_twsk_schedule(inet_timewait_sock tw, int timeo, bool rearm)
    {
        var k = tw.sk.sk_net.k;
        if (!rearm)
        {
            var kill = timeo <= 4 * Vmlinux.HZ;
            Include.Net.ip_h.NET_INC_STATS(tw.sk.sk_net, kill ? Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TIMEWAITKILLED : Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TIMEWAITED);
            timer_c.mod_timer(k, tw.tw_timer!, k.jiffies + (ulong)timeo);
        }
        else
        {
            // not ported: mod_timer_pending — written out: a pending timer is moved, a fired one stays fired
            if (timer_c.timer_delete(tw.tw_timer!))
            {
                timer_c.mod_timer(k, tw.tw_timer!, k.jiffies + (ulong)timeo);
            }
        }
    }

    // net/ipv4/inet_timewait_sock.c: inet_twsk_deschedule_put
    /// <summary>Ends a timewait sock early (its 4-tuple reused by connect, or a RST): the timer is cancelled and the sock killed now.</summary>
    public static void inet_twsk_deschedule_put(inet_timewait_sock tw)
    {
        // not ported: timer_shutdown_sync — timer_delete: a shut-down timer could not be re-armed, but nothing
        //   re-arms a dying timewait sock's timer here (no concurrent hash dance)
        if (timer_c.timer_delete(tw.tw_timer!))
        {
            inet_twsk_kill(tw);
        }
        else
        {
            inet_twsk_put(tw);
        }
    }
}
