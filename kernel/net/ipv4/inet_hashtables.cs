// Ports net/ipv4/inet_hashtables.c: TCP's socket tables — bind buckets for
// local ports, the established table (which also holds SYN_SENT sockets),
// the lookups the receive path makes, and inet_hash_connect, which gives a
// connecting socket its place in them.
//
// The tables are the kernel's: the established table's chains are picked by
// inet_ehashfn (jhash of the 4-tuple keyed by inet_ehash_secret and the
// namespace's hash mix) and walked with inet_match; listeners sit in lhash2
// chains picked by ipv4_portaddr_hash of their (address, port), looked up at
// the packet's address, then at INADDR_ANY; bind buckets in bhash chains by
// inet_bhashfn of the port.
//
// connect() without bind searches the ephemeral range as 6.18 does
// (__inet_hash_connect: secure_ipv4_port_ephemeral's offset, table_perturb,
// the parity split), sharing a port with other connects when the 4-tuple is
// free or held by a TIME_WAIT entry tcp_twsk_unique lets go.
//
// not ported: inet_bind2_bucket_addr_match, inet_bind2_bucket_create, inet_bind2_bucket_destroy,
//   inet_bind2_bucket_find, inet_bind2_bucket_init, inet_bhashfn_portaddr, sk_for_each_bound,
//   sk_is_connect_bind — bhash2 (the port+address bind table) is not ported: a (port, address) bucket's slab
//   object is taken and given back with each bind bucket, but no table holds it
// not ported: sk_nulls_for_each_rcu, hlist_for_each_entry_rcu — the RCU walks are the plain ones (sk_nulls_for_each,
//   inet_bind_bucket_for_each): one simulated CPU, no writer runs under a reader
// not ported: __sk_nulls_add_node_tail_rcu, ipv6_addr_v4mapped, inet6_ehashfn, inet6_match — no IPv6 sockets
// not ported: inet_bind_bucket_for_each — written out: a for loop over the bhash chain's node.next
// not ported: get_nulls_value — the nulls value is not kept (list_nulls.cs): no lookup restarts
// not ported: refcount_inc_not_zero, sock_gen_put — socket references are not counted: a socket found is not held
// not ported: inet_ehash_lockp, local_bh_disable, local_bh_enable — the bucket spinlocks and BH off around
//   them: one simulated CPU runs each call to its end, and nothing done under them raises a softirq
// not ported: tcp_get_hashinfo — the simulated kernel has one TCP hashinfo (tcp_ipv4_c.tcp_hashinfo), no
//   per-netns ehash (tcp_child_ehash_entries); the listener lookup is given it (net->ipv4.tcp_death_row.hashinfo)
// not ported: inet_lookup_reuseport, inet_lookup_run_sk_lookup, inet_reuseport_add_sock,
//   reuseport_stop_listen_sock — no SO_REUSEPORT groups and no BPF sk_lookup programs
// not ported: inet_is_local_reserved_port — ip_local_reserved_ports is not ported: no port is reserved
// not ported: inet_sk_bound_l3mdev, l3mdev_master_ifindex_by_index — no VRF (l3mdev) devices
// not ported: sock_prot_inuse_add — /proc/net/sockstat is not ported: no per-protocol inuse counts
// not ported: cond_resched — kernel code runs each call to its end on the simulated CPU: no point to yield at
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.inet_hashtables_h;
using static KernelNet.Kernel.Include.Net.inet_sock_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>inet_hashtables.c's globals: table_perturb and inet_ehash_secret, shared by every namespace as in the kernel.</summary>
public sealed class inet_hashtables_globals
{
    public uint[]? table_perturb { get; set; }

    /// <summary>inet_ehash_secret: the established table's hash key, drawn on first use (net_get_random_once).</summary>
    public uint inet_ehash_secret { get; set; }

    /// <summary>Whether inet_ehash_secret was drawn (net_get_random_once's once-flag).</summary>
    public bool inet_ehash_secret_done { get; set; }
}

public static class inet_hashtables_c
{
    /// <summary>The chain member of a bhash chain: the bucket's node.</summary>
    private static readonly hlist_member<inet_bind_bucket> inet_bind_bucket_node = static tb => ref tb.node;

    // not ported: net_get_random_once — written out: the secret is drawn from the seeded stream the first time
    // net/ipv4/inet_hashtables.c: inet_ehashfn
    /// <summary>
    /// The established table's hash of a 4-tuple as seen from our side: jhash
    /// of the addresses and the peer's port, keyed by inet_ehash_secret plus
    /// the namespace's hash mix, plus our port (so a connect's candidate ports
    /// fall in consecutive buckets, hash_port0 + port).
    /// </summary>
    public static uint inet_ehashfn(net net, uint laddr, ushort lport, uint faddr, ushort fport)
    {
        var g = net.k.globals<inet_hashtables_globals>();
        if (!g.inet_ehash_secret_done)
        {
            g.inet_ehash_secret = Drivers.Char.random_c.get_random_u32(net.k);
            g.inet_ehash_secret_done = true;
        }

        return unchecked(lport + __inet_ehashfn(laddr, 0, faddr, fport, g.inet_ehash_secret + Include.Net.Netns.hash_h.net_hash_mix(net)));
    }

    // not ported: sock_net — the socket's namespace is read as sk.sk_net
    // net/ipv4/inet_hashtables.c: sk_ehashfn
    /// <summary>inet_ehashfn of a socket's own 4-tuple (full, request or timewait sock: all carry it in their inet_sock here).</summary>
    private static uint sk_ehashfn(sock sk)
    {
        var inet = inet_sk(sk);
        return inet_ehashfn(sk.sk_net, inet.inet_rcv_saddr, inet.inet_num, inet.inet_daddr, inet.inet_dport);
    }

    // net/ipv4/inet_hashtables.c: inet_bind_bucket_create
    /// <summary>A new bucket for <paramref name="snum"/> in <paramref name="net"/>, first on the bhash chain <paramref name="head"/>.</summary>
    public static inet_bind_bucket inet_bind_bucket_create(inet_hashinfo hashinfo, net net, ref inet_bind_hashbucket head, ushort snum)
    {
        // not ported: kmem_cache_alloc — its allocation, kmem_cache_alloc_noprof, is called (no alloc profiling)
        // not ported: write_pnet — the netns is given to the bucket's constructor
        // not ported: INIT_HLIST_HEAD — the bucket's owners start empty (bhash2 is not ported: see the header)
        // not ported: hlist_add_head_rcu — types_h.hlist_add_entry_head on the bucket's node
        if (hashinfo.bind_bucket_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cachep);
        }

        var tb = new inet_bind_bucket(net, snum) { fastreuse = 0, fastreuseport = 0 };
        types_h.hlist_add_entry_head(tb, ref head.chain, inet_bind_bucket_node);
        inet_bind2_bucket_create(hashinfo);
        return tb;
    }

    // net/ipv4/inet_hashtables.c: inet_bind2_bucket_create
    /// <summary>The (port, address) bucket's memory: bhash2 is not ported, so one goes with each bind bucket (the owners of a port share an address here).</summary>
    private static void inet_bind2_bucket_create(inet_hashinfo hashinfo)
    {
        // not ported: kmem_cache_alloc — its allocation, kmem_cache_alloc_noprof, is called (no alloc profiling)
        if (hashinfo.bind2_bucket_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cachep);
        }
    }

    // net/ipv4/inet_hashtables.c: inet_bind2_bucket_destroy
    private static void inet_bind2_bucket_destroy(inet_hashinfo hashinfo)
    {
        if (hashinfo.bind2_bucket_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_free(cachep);
        }
    }

    // not ported: hlist_empty — the owners are on the bucket itself (bhash2 is not ported): it goes when they are none
    // not ported: hlist_for_each_entry — the bhash2 buckets' fastreuse, which 6.18 folds into a bucket that stays: no
    //   bhash2 buckets
    // not ported: kfree_rcu — the slab object is freed at once (kmem_cache_free): no lockless reader can still see it
    // not ported: hlist_del_rcu — types_h.hlist_del_entry on the bucket's node (the chain's head, for its first, from
    //   inet_bhashfn)
    // net/ipv4/inet_hashtables.c: inet_bind_bucket_destroy
    /// <summary>Frees a bucket nobody owns any more.</summary>
    public static bool inet_bind_bucket_destroy(inet_hashinfo hashinfo, inet_bind_bucket tb)
    {
        if (tb.owners.first is null)
        {
            ref var head = ref hashinfo.bhash[inet_bhashfn(tb.ib_net, tb.port, hashinfo.bhash_size)];
            types_h.hlist_del_entry(tb, ref head.chain, inet_bind_bucket_node);
            tb.node = default;
            inet_bind2_bucket_destroy(hashinfo);
            if (hashinfo.bind_bucket_cachep is { } cachep)
            {
                Mm.slub_c.kmem_cache_free(cachep);
            }

            return true;
        }

        return false;
    }

    // not ported: net_eq — the namespaces are compared as references
    // net/ipv4/inet_hashtables.c: inet_bind_bucket_match
    /// <summary>Whether <paramref name="tb"/> is <paramref name="port"/>'s bucket in <paramref name="net"/> (no l3mdev: VRF is not ported).</summary>
    public static bool inet_bind_bucket_match(inet_bind_bucket tb, net net, ushort port) => tb.ib_net == net && tb.port == port;

    // net/ipv4/inet_hashtables.c: inet_bind_hash
    /// <summary>Makes <paramref name="sk"/> an owner of the port's bucket.</summary>
    public static void inet_bind_hash(sock sk, inet_bind_bucket tb, ushort snum)
    {
        inet_sk(sk).inet_num = snum;
        inet_csk(sk).icsk_bind_hash = tb;
        sock_h.sk_add_bind_node(sk, ref tb.owners);
    }

    // net/ipv4/inet_hashtables.c: __inet_put_port
    /// <summary>Gives the local port back: leave the bucket, free it when empty.</summary>
    private static void __inet_put_port(sock sk)
    {
        // not ported: inet_bhashfn, sock_net — the bucket is reached through icsk_bind_hash; its chain's head is
        //   found again by inet_bind_bucket_destroy if the bucket goes
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var icsk = inet_csk(sk);
        var tb = icsk.icsk_bind_hash;
        if (tb is not null)
        {
            // leaving the bucket frees the bhash2 object with the bucket, in inet_bind_bucket_destroy
            sock_h.__sk_del_bind_node(sk, ref tb.owners);
            icsk.icsk_bind_hash = null;
            inet_sk(sk).inet_num = 0;
            sk.sk_userlocks = (byte)(sk.sk_userlocks & ~sock_h.SOCK_CONNECT_BIND);
            inet_bind_bucket_destroy(hashinfo, tb);
        }
    }

    // net/ipv4/inet_hashtables.c: inet_put_port
    public static void inet_put_port(sock sk)
    {
        __inet_put_port(sk);
    }

    // net/ipv4/inet_hashtables.c: __inet_inherit_port
    /// <summary>The child joins its listener's bind bucket: same local port.</summary>
    public static int __inet_inherit_port(sock sk, sock child)
    {
        // not ported: inet_bhashfn, inet_bind_bucket_match, inet_bind_bucket_create, inet_bind_bucket_destroy,
        //   inet_csk_update_fastreuse — a child whose port is not its listener's (a TPROXY redirect) needs its own
        //   bucket: TPROXY is not ported, so the child always shares the listener's (reached by icsk_bind_hash)
        var tb = inet_csk(sk).icsk_bind_hash;
        if (tb is null)
        {
            return -1;
        }

        inet_bind_hash(child, tb, inet_sk(child).inet_num);
        return 0;
    }

    // net/ipv4/inet_hashtables.c: inet_lhash2_bucket_sk
    /// <summary>The listening bucket of <paramref name="sk"/>'s bound (address, port).</summary>
    private static ref inet_listen_hashbucket inet_lhash2_bucket_sk(inet_hashinfo h, sock sk)
    {
        // not ported: ipv6_portaddr_hash — no IPv6 sockets
        var inet = inet_sk(sk);
        var hash = Include.Net.ip_h.ipv4_portaddr_hash(sk.sk_net, inet.inet_rcv_saddr, inet.inet_num);
        return ref inet_lhash2_bucket(h, hash);
    }

    // net/ipv4/inet_hashtables.c: compute_score
    /// <summary>How well a listener bound to exactly <paramref name="daddr"/> fits: -1 not at all; bound to the device scores higher.</summary>
    private static int compute_score(sock sk, net net, ushort hnum, uint daddr, int dif, int sdif)
    {
        // not ported: net_eq — the namespaces are compared as references
        // not ported: inet_sk_bound_dev_eq — its test, inet_bound_dev_eq, is called (no l3mdev_accept)
        // not ported: raw_smp_processor_id — the sk_incoming_cpu bonus: the simulation does not steer by CPU
        var score = -1;
        var inet = inet_sk(sk);
        if (sk.sk_net == net && inet.inet_num == hnum)
        {
            if (inet.inet_rcv_saddr != daddr)
            {
                return -1;
            }

            if (!inet_bound_dev_eq(false, sk.sk_bound_dev_if, dif, sdif))
            {
                return -1;
            }

            score = sk.sk_bound_dev_if != 0 ? 2 : 1;
        }

        return score;
    }

    // net/ipv4/inet_hashtables.c: inet_lhash2_lookup
    /// <summary>The best-scoring listener on the chain <paramref name="ilb2"/> bound to <paramref name="daddr"/>:<paramref name="hnum"/>, or null.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static sock? inet_lhash2_lookup(net net, ref inet_listen_hashbucket ilb2, sk_buff? skb, int doff, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif)
    {
        // not ported: inet_lookup_reuseport — no SO_REUSEPORT groups: the best score wins
        sock? result = null;
        var hiscore = 0;
        foreach (var sk in sock_h.sk_nulls_for_each(ilb2.nulls_head))
        {
            var score = compute_score(sk, net, hnum, daddr, dif, sdif);
            if (score > hiscore)
            {
                result = sk;
                hiscore = score;
            }
        }

        return result;
    }

    // net/ipv4/inet_hashtables.c: __inet_lookup_listener
    /// <summary>The listener for daddr:hnum: one bound to the address itself (its lhash2 chain), else one bound to INADDR_ANY (that chain); null if none.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock? __inet_lookup_listener(net net, inet_hashinfo hashinfo, sk_buff? skb, int doff, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif)
    {
        // not ported: static_branch_unlikely, inet_lookup_run_sk_lookup — no BPF sk_lookup programs
        // not ported: IS_ERR — no reuseport program can return an error
        var hash2 = Include.Net.ip_h.ipv4_portaddr_hash(net, daddr, hnum);
        ref var ilb2 = ref inet_lhash2_bucket(hashinfo, hash2);
        var result = inet_lhash2_lookup(net, ref ilb2, skb, doff, saddr, sport, daddr, hnum, dif, sdif);
        if (result is not null)
        {
            return result;
        }

        // the wildcard listeners' chain
        hash2 = Include.Net.ip_h.ipv4_portaddr_hash(net, 0, hnum);
        ilb2 = ref inet_lhash2_bucket(hashinfo, hash2);
        return inet_lhash2_lookup(net, ref ilb2, skb, doff, saddr, sport, 0, hnum, dif, sdif);
    }

    // net/ipv4/inet_hashtables.c: __inet_lookup_established
    /// <summary>
    /// The socket whose 4-tuple is the packet's, seen from our side (saddr/sport
    /// are the packet's source, daddr/hnum its destination): the chain of its
    /// hash is walked, skipping other hashes, until inet_match; null if none.
    /// </summary>
    public static sock? __inet_lookup_established(net net, inet_hashinfo hashinfo, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif)
    {
        var ports = INET_COMBINED_PORTS(sport, hnum);
        var acookie = INET_ADDR_COOKIE(saddr, daddr);
        var hash = inet_ehashfn(net, daddr, hnum, saddr, sport);
        var slot = hash & hashinfo.ehash_mask;
        ref var head = ref hashinfo.ehash[slot];

        foreach (var sk in sock_h.sk_nulls_for_each(head.chain))
        {
            if (sk.sk_hash != hash)
            {
                continue;
            }

            if (inet_match(net, sk, acookie, ports, dif, sdif))
            {
                return sk;
            }
        }

        return null;
    }

    // not ported: spin_lock, spin_unlock, inet_ehash_lockp — the bucket lock: one simulated CPU
    // not ported: l3mdev_master_ifindex_by_index — no VRF (l3mdev) devices: sdif is 0
    // not ported: sock_prot_inuse_add — /proc/net/sockstat is not ported: no per-protocol inuse counts
    // net/ipv4/inet_hashtables.c: __inet_check_established
    /// <summary>
    /// Takes the 4-tuple (local port <paramref name="lport"/>, whose ehash is
    /// <paramref name="hash"/>) for <paramref name="sk"/> if no socket on its
    /// chain has it; a TIME_WAIT entry holding it gives way when tcp_twsk_unique
    /// allows (TimeWaitRecycled). With <paramref name="want_tw"/> the yielding
    /// entry is handed back in <paramref name="twp"/> for the caller to end;
    /// without, it is ended here. <paramref name="rcu_lookup"/> only looks
    /// (connect's lockless first pass). 0 or -EADDRNOTAVAIL.
    /// </summary>
    private static int __inet_check_established(sock sk, ushort lport, bool want_tw, out inet_timewait_sock? twp, bool rcu_lookup, uint hash)
    {
        var hinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var inet = inet_sk(sk);
        var daddr = inet.inet_rcv_saddr;
        var saddr = inet.inet_daddr;
        var dif = sk.sk_bound_dev_if;
        var net = sk.sk_net;
        var sdif = 0;
        var acookie = INET_ADDR_COOKIE(saddr, daddr);
        var ports = INET_COMBINED_PORTS(inet.inet_dport, lport);
        ref var head = ref inet_ehash_bucket(hinfo, hash);
        inet_timewait_sock? tw = null;
        twp = null;

        // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (one copy of the MIB per netns)
        // not ported: sk_unhashed — the socket is unhashed when it connects (WARN_ON)
        if (rcu_lookup)
        {
            foreach (var sk2 in sock_h.sk_nulls_for_each(head.chain))
            {
                if (sk2.sk_hash != hash || !inet_match(net, sk2, acookie, ports, dif, sdif))
                {
                    continue;
                }

                if (sk2.sk_state == Include.Net.tcp_states_h.TCP_TIME_WAIT)
                {
                    break;
                }

                return -errno_h.EADDRNOTAVAIL;
            }

            return 0;
        }

        foreach (var sk2 in sock_h.sk_nulls_for_each(head.chain))
        {
            if (sk2.sk_hash != hash)
            {
                continue;
            }

            if (inet_match(net, sk2, acookie, ports, dif, sdif))
            {
                if (sk2.sk_state == Include.Net.tcp_states_h.TCP_TIME_WAIT)
                {
                    tw = Include.Net.inet_timewait_sock_h.inet_twsk(sk2);
                    if (tcp_ipv4_c.tcp_twsk_unique(sk, sk2, want_tw) != 0)
                    {
                        break;
                    }
                }

                return -errno_h.EADDRNOTAVAIL; // not_unique
            }
        }

        // The identity is set before the socket becomes visible on the chain.
        inet.inet_num = lport;
        inet.inet_sport = lport;
        sk.sk_hash = hash;
        sock_h.__sk_nulls_add_node_rcu(sk, ref head.chain);
        if (tw is not null)
        {
            sock_h.sk_nulls_del_node_init_rcu(tw.sk, ref head.chain);
            Include.Net.ip_h.NET_INC_STATS(net, Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TIMEWAITRECYCLED);
        }

        if (want_tw)
        {
            twp = tw;
        }
        else if (tw is not null)
        {
            Ipv4.inet_timewait_sock_c.inet_twsk_deschedule_put(tw);
        }

        return 0;
    }

    // net/ipv4/inet_hashtables.c: inet_ehash_lookup_by_sk
    /// <summary>Whether a socket with <paramref name="sk"/>'s 4-tuple is on the chain <paramref name="list"/> already.</summary>
    private static bool inet_ehash_lookup_by_sk(sock sk, ref hlist_nulls_head<sock> list)
    {
        // not ported: sock_net — the socket's namespace is read as sk.sk_net
        var inet = inet_sk(sk);
        var ports = INET_COMBINED_PORTS(inet.inet_dport, inet.inet_num);
        var sdif = sk.sk_bound_dev_if;
        var dif = sk.sk_bound_dev_if;
        var net = sk.sk_net;
        var acookie = INET_ADDR_COOKIE(inet.inet_daddr, inet.inet_rcv_saddr);
        foreach (var esk in sock_h.sk_nulls_for_each(list))
        {
            if (esk.sk_hash != sk.sk_hash)
            {
                continue;
            }

            if (inet_match(net, esk, acookie, ports, dif, sdif))
            {
                return true;
            }
        }

        return false;
    }

    // not ported: tcp_get_hashinfo — the one TCP hashinfo (tcp_ipv4_c.tcp_hashinfo)
    // not ported: spin_lock, spin_unlock, inet_ehash_lockp — the bucket lock: one simulated CPU
    // net/ipv4/inet_hashtables.c: inet_ehash_insert
    /// <summary>
    /// Enters <paramref name="sk"/> first on the established chain of its
    /// 4-tuple's hash. With <paramref name="osk"/> (the request or timewait
    /// sock it replaces) it goes in only if <paramref name="osk"/> was still
    /// hashed and is taken out; without, only if no socket on the chain has the
    /// 4-tuple (<paramref name="found_dup_sk"/>).
    /// </summary>
    public static bool inet_ehash_insert(sock sk, sock? osk, out bool found_dup_sk)
    {
        // departure: without osk the duplicate check is always made (6.18 makes it only for callers that ask,
        //   tcp_v4_syn_recv_sock's cookie child): the port's other callers then see a taken 4-tuple as a failure
        // not ported: sk_unhashed — only in a WARN_ON_ONCE (the socket is not hashed yet)
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var ret = true;
        found_dup_sk = false;

        sk.sk_hash = sk_ehashfn(sk);
        ref var head = ref inet_ehash_bucket(hashinfo, sk.sk_hash);
        ref var list = ref head.chain;

        if (osk is not null)
        {
            ret = sock_h.sk_nulls_del_node_init_rcu(osk, ref list);
        }
        else
        {
            found_dup_sk = inet_ehash_lookup_by_sk(sk, ref list);
            if (found_dup_sk)
            {
                ret = false;
            }
        }

        if (ret)
        {
            sock_h.__sk_nulls_add_node_rcu(sk, ref list);
        }

        return ret;
    }

    // not ported: inet_csk_destroy_sock, inet_sk_set_state, sock_set_flag, tcp_orphan_count_inc — a socket that
    //   lost its place (a duplicate 4-tuple) is not destroyed here: the caller disposes of it
    //   (tcp_v4_syn_recv_sock for a cookie's child, inet_csk_complete_hashdance's inet_child_forget otherwise)
    // net/ipv4/inet_hashtables.c: inet_ehash_nolisten
    /// <summary>inet_ehash_insert (sock_prot_inuse_add is not modelled).</summary>
    public static bool inet_ehash_nolisten(sock sk, sock? osk, out bool found_dup_sk) => inet_ehash_insert(sk, osk, out found_dup_sk);

    // net/ipv4/inet_hashtables.c: inet_hash
    /// <summary>tcp_prot's hash: a listener goes first on the lhash2 chain of its (address, port) (reuseport groups are not ported); a CLOSE socket is not hashed.</summary>
    public static int inet_hash(sock sk)
    {
        // not ported: sk_unhashed — only in a WARN_ON (a listener is hashed once)
        // not ported: sock_set_flag — listeners are not made SOCK_RCU_FREE: no lockless lookup can still see a
        //   closed listener, so it is freed at once
        // not ported: inet_reuseport_add_sock, __sk_nulls_add_node_tail_rcu — no SO_REUSEPORT groups (and no IPv6)
        // not ported: spin_lock, spin_unlock — the bucket lock: one simulated CPU
        if (sk.sk_state == Include.Net.sock_h.TCP_CLOSE)
        {
            return 0;
        }

        if (sk.sk_state != Include.Net.tcp_states_h.TCP_LISTEN)
        {
            inet_ehash_nolisten(sk, null, out _);
            return 0;
        }

        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        ref var ilb2 = ref inet_lhash2_bucket_sk(hashinfo, sk);
        sock_h.__sk_nulls_add_node_rcu(sk, ref ilb2.nulls_head);
        return 0;
    }

    // not ported: rcu_access_pointer, reuseport_stop_listen_sock — no SO_REUSEPORT groups
    // not ported: spin_lock, spin_unlock, spin_lock_bh, spin_unlock_bh, inet_ehash_lockp — the bucket locks: one
    //   simulated CPU
    // net/ipv4/inet_hashtables.c: inet_unhash
    /// <summary>Takes <paramref name="sk"/> off its chain: its listening bucket, or its established bucket by sk_hash (sk->sk_prot->unhash for TCP).</summary>
    public static void inet_unhash(sock sk)
    {
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        if (sock_h.sk_unhashed(sk))
        {
            return;
        }

        // RFS forgets the flow: its hash may come back as another socket's
        Include.Net.rps_h.sock_rps_delete_flow(sk);
        if (sk.sk_state == Include.Net.tcp_states_h.TCP_LISTEN)
        {
            ref var ilb2 = ref inet_lhash2_bucket_sk(hashinfo, sk);
            sock_h.__sk_nulls_del_node_init_rcu(sk, ref ilb2.nulls_head);
        }
        else
        {
            ref var head = ref inet_ehash_bucket(hashinfo, sk.sk_hash);
            sock_h.__sk_nulls_del_node_init_rcu(sk, ref head.chain);
        }
    }

    // not ported: __inet_bhash2_update_saddr — bhash2 is not ported: with no (port, address) bucket to move,
    //   what is left is its inet_reset_saddr, written out: the source address goes
    // net/ipv4/inet_hashtables.c: inet_bhash2_reset_saddr
    /// <summary>A source address the user did not bind (SOCK_BINDADDR_LOCK) is forgotten, so the next connect picks one again.</summary>
    public static void inet_bhash2_reset_saddr(sock sk)
    {
        if ((sk.sk_userlocks & sock_h.SOCK_BINDADDR_LOCK) == 0)
        {
            var inet = inet_sk(sk);
            inet.inet_saddr = 0;
            inet.inet_rcv_saddr = 0;
        }
    }

    // net/ipv4/inet_hashtables.c: inet_sk_port_offset
    /// <summary>Where this destination's port search starts (secure_ipv4_port_ephemeral of the 3-tuple).</summary>
    private static ulong inet_sk_port_offset(sock sk)
    {
        var inet = inet_sk(sk);
        return Core.secure_seq_c.secure_ipv4_port_ephemeral(sk.sk_net.k, inet.inet_rcv_saddr, inet.inet_daddr, inet.inet_dport);
    }

    /// <summary>INET_TABLE_PERTURB_SIZE: 1 &lt;&lt; CONFIG_INET_TABLE_PERTURB_ORDER (16, the default).</summary>
    public const int INET_TABLE_PERTURB_SIZE = 1 << 16;

    /// <summary>table_perturb, filled with random words on the first ephemeral connect (get_random_sleepable_once).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of the global table_perturb array, which the port hangs off Vmlinux")]
    private static uint[] table_perturb(Vmlinux k)
    {
        var g = k.globals<inet_hashtables_globals>();
        if (g.table_perturb is null)
        {
            var bytes = new byte[INET_TABLE_PERTURB_SIZE * sizeof(uint)];
            Drivers.Char.random_c.get_random_bytes(k, bytes);
            g.table_perturb = new uint[INET_TABLE_PERTURB_SIZE];
            System.Buffer.BlockCopy(bytes, 0, g.table_perturb, 0, bytes.Length);
        }

        return g.table_perturb;
    }

    // net/ipv4/inet_hashtables.c: __inet_hash_connect
    /// <summary>
    /// A bound socket checks its 4-tuple is free (__inet_check_established).
    /// An unbound one searches the ephemeral range (RFC 6056's double-hash
    /// algorithm): from an offset that mixes the destination's keyed hash with
    /// a per-bucket perturbation (table_perturb), ports of the range's low
    /// parity first (bind(0) prefers the other), stepping by two, then the
    /// other parity. A port bound by bind() is skipped (fastreuse >= 0); a
    /// port other connects use is shared when the 4-tuple is free or only a
    /// reusable TIME_WAIT entry holds it. The chosen port's bucket is joined
    /// and the table perturbed so the next search starts further on.
    /// -EADDRNOTAVAIL when every port is taken.
    /// </summary>
    public static int __inet_hash_connect(sock sk, ulong port_offset, uint hash_port0)
    {
        var hinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var k = sk.sk_net.k;
        var net = sk.sk_net;
        var port = (int)inet_sk(sk).inet_num;
        inet_timewait_sock? tw = null;
        inet_bind_bucket? tb;
        int i;

        if (port != 0)
        {
            // local_bh_disable: the ehash lock is taken in softirq too.
            return __inet_check_established(sk, (ushort)port, false, out _, false, unchecked(hash_port0 + (uint)port));
        }

        var local_ports = inet_connection_sock_c.inet_sk_get_local_port_range(sk, out var low, out var high);
        var step = local_ports ? 1 : 2;

        high++; // the range's end becomes exclusive
        var remaining = (uint)(high - low);
        if (!local_ports && remaining > 1)
        {
            remaining &= ~1U;
        }

        var perturb = table_perturb(k);
        var index = (int)(port_offset & (INET_TABLE_PERTURB_SIZE - 1));

        var offset = unchecked(perturb[index] + (uint)(port_offset >> 32));
        offset %= remaining;

        // bind(0) scans the other parity first, so connect and bind rarely compete for a port.
        if (!local_ports)
        {
            offset &= ~1U;
        }

    other_parity_scan:
        port = (int)(low + offset);
        for (i = 0; i < remaining; i += step, port += step)
        {
            if (port >= high)
            {
                port -= (int)remaining;
            }

            // The lockless look (rcu_read_lock) and the locked one (the bucket's lock) find the same buckets here:
            // one thread. The lockless pass only looks; the locked one takes the 4-tuple.
            ref var head = ref hinfo.bhash[inet_bhashfn(net, (ushort)port, hinfo.bhash_size)];
            for (tb = head.chain.first; tb is not null; tb = tb.node.next)
            {
                if (!inet_bind_bucket_match(tb, net, (ushort)port))
                {
                    continue;
                }

                if (tb.fastreuse >= 0 || tb.fastreuseport >= 0)
                {
                    goto next_port;
                }

                if (__inet_check_established(sk, (ushort)port, true, out tw, true, unchecked(hash_port0 + (uint)port)) == 0)
                {
                    break;
                }

                goto next_port;
            }

            for (tb = head.chain.first; tb is not null; tb = tb.node.next) // inet_bind_bucket_for_each
            {
                if (inet_bind_bucket_match(tb, net, (ushort)port))
                {
                    if (tb.fastreuse >= 0 || tb.fastreuseport >= 0)
                    {
                        goto next_port;
                    }

                    if (__inet_check_established(sk, (ushort)port, true, out tw, false, unchecked(hash_port0 + (uint)port)) == 0)
                    {
                        goto ok;
                    }

                    goto next_port;
                }
            }

            // not ported: inet_bind_bucket_destroy — 6.18 frees the bucket it made when the bhash2 bucket cannot be
            //   made: bhash2 is not ported, so nothing fails after it
            tb = inet_bind_bucket_create(hinfo, net, ref head, (ushort)port);
            tb.fastreuse = -1;
            tb.fastreuseport = -1;
            goto ok;

        next_port:
            ;
        }

        if (!local_ports)
        {
            offset++;
            if ((offset & 1) != 0 && remaining > 1)
            {
                goto other_parity_scan;
            }
        }

        return -errno_h.EADDRNOTAVAIL;

    ok:
        // A random stride under low contention, the scan length under high: the next search starts past this port.
        i = System.Math.Max(i, (int)Drivers.Char.random_c.__get_random_u32_below(k, 8) * step);
        perturb[index] = unchecked(perturb[index] + (uint)i + (uint)step);

        inet_bind_hash(sk, tb, (ushort)port);
        sk.sk_userlocks |= sock_h.SOCK_CONNECT_BIND;

        // not ported: sk_hashed, __sk_nulls_del_node_init_rcu — the error path (no bhash2 bucket could be made): bhash2
        //   is not ported, so nothing fails after the port is chosen
        if (sock_h.sk_unhashed(sk))
        {
            inet_sk(sk).inet_sport = (ushort)port;
            inet_ehash_nolisten(sk, tw?.sk, out _);
        }

        if (tw is not null)
        {
            Ipv4.inet_timewait_sock_c.inet_twsk_bind_unhash(tw, hinfo);
            Ipv4.inet_timewait_sock_c.inet_twsk_deschedule_put(tw);
        }

        return 0;
    }

    // net/ipv4/inet_hashtables.c: inet_hash_connect
    /// <summary>Bind a connecting socket to a port (if it has none) and hash it.</summary>
    public static int inet_hash_connect(sock sk)
    {
        ulong port_offset = 0;
        if (inet_sk(sk).inet_num == 0)
        {
            port_offset = inet_sk_port_offset(sk);
        }

        // not ported: sock_net — the socket's namespace is read as sk.sk_net
        // The ehash of the 4-tuple with port 0: a candidate port's hash is this plus the port.
        var inet = inet_sk(sk);
        var hash_port0 = inet_ehashfn(sk.sk_net, inet.inet_rcv_saddr, 0, inet.inet_daddr, inet.inet_dport);
        return __inet_hash_connect(sk, port_offset, hash_port0);
    }

    // not ported: alloc_large_system_hash — the table has the size 6.18 chose on the machine the recordings come from
    //   (23 GB of memory: "tcp_listen_portaddr_hash hash table entries: 16384"); table_perturb is made when first
    //   used (get_random_sleepable_once, in __inet_hash_connect)
    // not ported: init_hashinfo_lhash2 — it sets up each chain's nulls value and lock: a new array's chains are empty,
    //   and neither is kept
    // net/ipv4/inet_hashtables.c: inet_hashinfo2_init
    /// <summary>Boot: the listeners' (address, port) table of <paramref name="numentries"/> chains (a power of two).</summary>
    public static void inet_hashinfo2_init(inet_hashinfo h, uint numentries)
    {
        h.lhash2 = new inet_listen_hashbucket[numentries];
        h.lhash2_mask = numentries - 1;
    }
}
