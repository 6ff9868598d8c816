// Ports net/ipv4/inet_hashtables.c: TCP's socket tables — bind buckets for
// local ports, the established table (which also holds SYN_SENT sockets),
// the lookups the receive path makes, and inet_hash_connect, which gives a
// connecting socket its place in them.
//
// Listening sockets are on one list (lhash2 is not hashed by port here);
// the lookup scores an exact address above the wildcard (compute_score).
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
// not ported: INET_ADDR_COOKIE, INET_COMBINED_PORTS, inet_bhashfn, inet_bind_bucket_for_each,
//   inet_bind_bucket_match, inet_ehash_bucket, inet_ehashfn, inet_lhash2_bucket, inet_lhash2_bucket_sk,
//   inet_match, ipv4_portaddr_hash, sk_ehashfn, sk_nulls_for_each, sk_nulls_for_each_rcu — the tables are
//   dictionaries keyed by the namespace and the 4-tuple (ehash) or the port (bhash), and the listeners one
//   list: no hash to compute, no chain to walk, the key is the match (the bound device is compared apart)
// not ported: __sk_del_bind_node, __sk_nulls_add_node_rcu, __sk_nulls_add_node_tail_rcu,
//   __sk_nulls_del_node_init_rcu, sk_add_bind_node, sk_nulls_del_node_init_rcu — entering or leaving a table
//   is a dictionary or list add/remove with sk_hashed (owners of a port are the bucket's owners list)
// not ported: inet_ehash_lockp, local_bh_disable, local_bh_enable — the bucket spinlocks and BH off around
//   them: one simulated CPU runs each call to its end, and nothing done under them raises a softirq
// not ported: tcp_get_hashinfo — the simulated kernel has one TCP hashinfo (tcp_ipv4_c.tcp_hashinfo), no
//   per-netns ehash (tcp_child_ehash_entries)
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
using static KernelNet.Kernel.Include.Net.inet_sock_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>inet_hashtables.c's globals: table_perturb, shared by every namespace as in the kernel.</summary>
public sealed class inet_hashtables_globals
{
    public uint[]? table_perturb { get; set; }
}

public static class inet_hashtables_c
{
    // net/ipv4/inet_hashtables.c: inet_bind_bucket_create
    /// <summary>A new bucket for <paramref name="snum"/> in <paramref name="net"/>, entered in bhash.</summary>
    public static inet_bind_bucket inet_bind_bucket_create(inet_hashinfo hashinfo, net net, ushort snum)
    {
        // not ported: kmem_cache_alloc — its allocation, kmem_cache_alloc_noprof, is called (no alloc profiling)
        // not ported: write_pnet — the netns is given to the bucket's constructor
        if (hashinfo.bind_bucket_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cachep);
        }

        var tb = new inet_bind_bucket(net, snum) { fastreuse = 0, fastreuseport = 0 };
        hashinfo.bhash[(net, snum)] = tb;
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

    // net/ipv4/inet_hashtables.c: inet_bind_bucket_destroy
    /// <summary>Frees a bucket nobody owns any more.</summary>
    public static bool inet_bind_bucket_destroy(inet_hashinfo hashinfo, inet_bind_bucket tb)
    {
        if (tb.owners.Count == 0)
        {
            hashinfo.bhash.Remove((tb.ib_net, tb.port));
            inet_bind2_bucket_destroy(hashinfo);
            if (hashinfo.bind_bucket_cachep is { } cachep)
            {
                Mm.slub_c.kmem_cache_free(cachep);
            }

            return true;
        }

        return false;
    }

    // net/ipv4/inet_hashtables.c: inet_bind_hash
    /// <summary>Makes <paramref name="sk"/> an owner of the port's bucket.</summary>
    public static void inet_bind_hash(sock sk, inet_bind_bucket tb, ushort snum)
    {
        inet_sk(sk).inet_num = snum;
        tb.owners.Add(sk);
        inet_csk(sk).icsk_bind_hash = tb;
    }

    // net/ipv4/inet_hashtables.c: __inet_put_port
    /// <summary>Gives the local port back: leave the bucket, free it when empty.</summary>
    private static void __inet_put_port(sock sk)
    {
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var icsk = inet_csk(sk);
        var tb = icsk.icsk_bind_hash;
        if (tb is not null)
        {
            // leaving the bucket (__sk_del_bind_node) frees the bhash2 object with the bucket, in inet_bind_bucket_destroy
            tb.owners.Remove(sk);
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
        // not ported: inet_bind_bucket_create, inet_bind_bucket_destroy, inet_csk_update_fastreuse — a child whose
        //   port is not its listener's (a TPROXY redirect) needs its own bucket: TPROXY is not ported, so the
        //   child always shares the listener's
        var tb = inet_csk(sk).icsk_bind_hash;
        if (tb is null)
        {
            return -1;
        }

        inet_bind_hash(child, tb, inet_sk(child).inet_num);
        return 0;
    }

    // net/ipv4/inet_hashtables.c: __inet_lookup_established
    /// <summary>
    /// The socket whose 4-tuple is the packet's, seen from our side (saddr/sport
    /// are the packet's source, daddr/hnum its destination); null if none.
    /// </summary>
    public static sock? __inet_lookup_established(net net, inet_hashinfo hashinfo, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif)
    {
        // not ported: sock_gen_put — references are not counted: a socket found is not held, so none is dropped
        if (hashinfo.ehash.TryGetValue(new inet_ehash_key(net, daddr, saddr, hnum, sport), out var sk) &&
            inet_bound_dev_eq(false, sk.sk_bound_dev_if, dif, sdif))
        {
            return sk;
        }

        return null;
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
    /// <summary>The best-scoring listener bound to <paramref name="daddr"/>:<paramref name="hnum"/> (one list stands for the lhash2 bucket), or null.</summary>
    private static sock? inet_lhash2_lookup(net net, inet_hashinfo hashinfo, uint daddr, ushort hnum, int dif, int sdif)
    {
        sock? result = null;
        var hiscore = 0;
        foreach (var sk in hashinfo.lhash2)
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
    /// <summary>The listener for daddr:hnum: one bound to the address itself, else one bound to INADDR_ANY; null if none.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static sock? __inet_lookup_listener(net net, inet_hashinfo hashinfo, sk_buff? skb, int doff, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif)
    {
        var result = inet_lhash2_lookup(net, hashinfo, daddr, hnum, dif, sdif);
        if (result is not null)
        {
            return result;
        }

        return inet_lhash2_lookup(net, hashinfo, 0, hnum, dif, sdif);
    }

    // net/ipv4/inet_hashtables.c: inet_ehash_insert
    /// <summary>Enters <paramref name="sk"/> in the established table under its 4-tuple; false if the tuple is taken.</summary>
    public static bool inet_ehash_insert(sock sk, sock? osk, out bool found_dup_sk)
    {
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var inet = inet_sk(sk);
        var key = new inet_ehash_key(sk.sk_net, inet.inet_rcv_saddr, inet.inet_daddr, inet.inet_num, inet.inet_dport);
        // not ported: inet_ehash_lookup_by_sk — a duplicate is found by the dictionary's key
        // not ported: sk_unhashed — the replaced socket's place is checked by the dictionary lookup
        if (osk is not null)
        {
            // The child takes the request sock's place (inet_ehash_insert with osk: sk_nulls_replace_node_init_rcu).
            var okey = new inet_ehash_key(osk.sk_net, inet_sk(osk).inet_rcv_saddr, inet_sk(osk).inet_daddr, inet_sk(osk).inet_num, inet_sk(osk).inet_dport);
            if (!hashinfo.ehash.TryGetValue(okey, out var cur) || cur != osk)
            {
                found_dup_sk = false;
                return false;
            }

            hashinfo.ehash.Remove(okey);
            osk.sk_hashed = false;
        }

        found_dup_sk = hashinfo.ehash.ContainsKey(key);
        if (found_dup_sk)
        {
            return false;
        }

        hashinfo.ehash.Add(key, sk);
        sk.sk_hashed = true;
        return true;
    }

    // not ported: inet_csk_destroy_sock, inet_sk_set_state, sock_set_flag, tcp_orphan_count_inc — a socket that
    //   lost its place (a duplicate 4-tuple) is not destroyed here: the caller disposes of it
    //   (tcp_v4_syn_recv_sock for a cookie's child, inet_csk_complete_hashdance's inet_child_forget otherwise)
    // net/ipv4/inet_hashtables.c: inet_ehash_nolisten
    /// <summary>inet_ehash_insert (sock_prot_inuse_add is not modelled).</summary>
    public static bool inet_ehash_nolisten(sock sk, sock? osk, out bool found_dup_sk) => inet_ehash_insert(sk, osk, out found_dup_sk);

    // net/ipv4/inet_hashtables.c: inet_hash
    /// <summary>tcp_prot's hash: a listener enters lhash2 (reuseport groups are not ported); a CLOSE socket is not hashed.</summary>
    public static int inet_hash(sock sk)
    {
        // not ported: sk_unhashed — only in a WARN_ON (a listener is hashed once)
        // not ported: sock_set_flag — listeners are not made SOCK_RCU_FREE: no lockless lookup can still see a
        //   closed listener, so it is freed at once
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
        hashinfo.lhash2.Add(sk);
        sk.sk_hashed = true;
        return 0;
    }

    // net/ipv4/inet_hashtables.c: inet_unhash
    /// <summary>Takes <paramref name="sk"/> out of the established table (sk->sk_prot->unhash for TCP).</summary>
    public static void inet_unhash(sock sk)
    {
        if (sock_h.sk_unhashed(sk))
        {
            return;
        }

        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);

        // RFS forgets the flow: its hash may come back as another socket's
        Include.Net.rps_h.sock_rps_delete_flow(sk);
        if (sk.sk_state == Include.Net.tcp_states_h.TCP_LISTEN)
        {
            hashinfo.lhash2.Remove(sk);
            sk.sk_hashed = false;
            return;
        }

        var inet = inet_sk(sk);
        hashinfo.ehash.Remove(new inet_ehash_key(sk.sk_net, inet.inet_rcv_saddr, inet.inet_daddr, inet.inet_num, inet.inet_dport));
        sk.sk_hashed = false;
    }

    // net/ipv4/inet_hashtables.c: __inet_check_established
    /// <summary>
    /// Takes the 4-tuple (local port <paramref name="lport"/>) for
    /// <paramref name="sk"/> if no socket has it; a TIME_WAIT entry holding it
    /// gives way when tcp_twsk_unique allows (TimeWaitRecycled). With
    /// <paramref name="want_tw"/> the yielding entry is handed back in
    /// <paramref name="twp"/> for the caller to end; without, it is ended here.
    /// <paramref name="rcu_lookup"/> only looks (connect's lockless first pass).
    /// 0 or -EADDRNOTAVAIL.
    /// </summary>
    private static int __inet_check_established(sock sk, ushort lport, bool want_tw, out inet_timewait_sock? twp, bool rcu_lookup)
    {
        var hinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var inet = inet_sk(sk);
        var net = sk.sk_net;
        inet_timewait_sock? tw = null;
        twp = null;

        // not ported: __NET_INC_STATS — counted with the port's NET_INC_STATS (one copy of the MIB per netns)
        // not ported: sk_unhashed — the socket is unhashed when it connects (WARN_ON)
        var key = new inet_ehash_key(net, inet.inet_rcv_saddr, inet.inet_daddr, lport, inet.inet_dport);
        if (hinfo.ehash.TryGetValue(key, out var sk2) && inet_bound_dev_eq(false, sk2.sk_bound_dev_if, sk.sk_bound_dev_if, 0))
        {
            if (rcu_lookup)
            {
                return sk2.sk_state == Include.Net.tcp_states_h.TCP_TIME_WAIT ? 0 : -errno_h.EADDRNOTAVAIL;
            }

            if (sk2.sk_state != Include.Net.tcp_states_h.TCP_TIME_WAIT)
            {
                return -errno_h.EADDRNOTAVAIL;
            }

            tw = Include.Net.inet_timewait_sock_h.inet_twsk(sk2);
            if (tcp_ipv4_c.tcp_twsk_unique(sk, sk2, want_tw) == 0)
            {
                return -errno_h.EADDRNOTAVAIL;
            }
        }
        else if (rcu_lookup)
        {
            return 0;
        }

        // spin_lock(lock): the ehash bucket. The identity is set before the socket becomes visible.
        inet.inet_num = lport;
        inet.inet_sport = lport;
        if (tw is not null)
        {
            // sk_nulls_del_node_init_rcu(tw): the timewait sock leaves the chain the socket joins.
            hinfo.ehash.Remove(key);
            tw.sk.sk_hashed = false;
            Include.Net.ip_h.NET_INC_STATS(net, Include.Uapi.Linux.linux_mib_field.LINUX_MIB_TIMEWAITRECYCLED);
        }

        hinfo.ehash.Add(key, sk);
        sk.sk_hashed = true;

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
    public static int __inet_hash_connect(sock sk, ulong port_offset)
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
            return __inet_check_established(sk, (ushort)port, false, out _, false);
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

            // The lockless look and the locked one are one step here: there is one thread.
            if (hinfo.bhash.TryGetValue((net, (ushort)port), out tb))
            {
                if (tb.fastreuse >= 0 || tb.fastreuseport >= 0)
                {
                    goto next_port;
                }

                if (__inet_check_established(sk, (ushort)port, true, out tw, false) == 0)
                {
                    goto ok;
                }

                goto next_port;
            }

            // not ported: inet_bind_bucket_destroy — 6.18 frees the bucket it made when the bhash2 bucket cannot be
            //   made: bhash2 is not ported, so nothing fails after it
            tb = inet_bind_bucket_create(hinfo, net, (ushort)port);
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

        // not ported: sk_hashed — the socket is unhashed here, so 6.18's removal of a hashed one (after a
        //   failed insert race) has nothing to do
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

        // not ported: inet_ehashfn — hash_port0, the ehash bucket of the 3-tuple that __inet_hash_connect's lockless
        //   look starts from: the dictionary keys the full 4-tuple
        return __inet_hash_connect(sk, port_offset);
    }
}
