// Ports net/ipv4/inet_hashtables.c: TCP's socket tables — bind buckets for
// local ports, the established table (which also holds SYN_SENT sockets),
// the lookups the receive path makes, and inet_hash_connect, which gives a
// connecting socket its place in them.
//
// Listening sockets are on one list (lhash2 is not hashed by port here);
// the lookup scores an exact address above the wildcard (compute_score).
//
// not ported: reuseport groups, bhash2,
// TIME_WAIT sockets (__inet_check_established's reuse of a TIME_WAIT
// 4-tuple), and the ephemeral-port search of __inet_hash_connect for an
// unbound socket, which answers EADDRNOTAVAIL here (only a bound port
// connects).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.inet_sock_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class inet_hashtables_c
{
    // net/ipv4/inet_hashtables.c: inet_bind_bucket_create
    /// <summary>A new bucket for <paramref name="snum"/> in <paramref name="net"/>, entered in bhash.</summary>
    public static inet_bind_bucket inet_bind_bucket_create(inet_hashinfo hashinfo, net net, ushort snum)
    {
        var tb = new inet_bind_bucket(net, snum) { fastreuse = 0, fastreuseport = 0 };
        hashinfo.bhash[(net, snum)] = tb;
        return tb;
    }

    // net/ipv4/inet_hashtables.c: inet_bind_bucket_destroy
    /// <summary>Frees a bucket nobody owns any more.</summary>
    public static bool inet_bind_bucket_destroy(inet_hashinfo hashinfo, inet_bind_bucket tb)
    {
        if (tb.owners.Count == 0)
        {
            hashinfo.bhash.Remove((tb.ib_net, tb.port));
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
            tb.owners.Remove(sk);
            icsk.icsk_bind_hash = null;
            inet_sk(sk).inet_num = 0;
            inet_bind_bucket_destroy(hashinfo, tb);
        }
    }

    // net/ipv4/inet_hashtables.c: inet_put_port
    public static void inet_put_port(sock sk)
    {
        // local_bh_disable: the bucket lock is taken in BH context too.
        __inet_put_port(sk);
    }

    // net/ipv4/inet_hashtables.c: __inet_inherit_port
    /// <summary>The child joins its listener's bind bucket: same local port.</summary>
    public static int __inet_inherit_port(sock sk, sock child)
    {
        var tb = inet_csk(sk).icsk_bind_hash;
        if (tb is null)
        {
            return -1;
        }

        // spin_lock(&head->lock): the bucket against binds.
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
        if (hashinfo.ehash.TryGetValue(new inet_ehash_key(net, daddr, saddr, hnum, sport), out var sk) &&
            inet_bound_dev_eq(false, sk.sk_bound_dev_if, dif, sdif))
        {
            return sk;
        }

        return null;
    }

    // net/ipv4/inet_hashtables.c: compute_score
    /// <summary>How well a listener fits: -1 not at all; a bound address or device scores higher than the wildcard.</summary>
    private static int compute_score(sock sk, net net, ushort hnum, uint daddr, int dif, int sdif)
    {
        var score = -1;
        var inet = inet_sk(sk);
        if (sk.sk_net == net && inet.inet_num == hnum)
        {
            if (inet.inet_rcv_saddr != 0)
            {
                if (inet.inet_rcv_saddr != daddr)
                {
                    return -1;
                }

                score++;
            }

            if (!inet_bound_dev_eq(false, sk.sk_bound_dev_if, dif, sdif))
            {
                return -1;
            }

            score += sk.sk_bound_dev_if != 0 ? 2 : 1;
        }

        return score;
    }

    // net/ipv4/inet_hashtables.c: __inet_lookup_listener
    /// <summary>The best-scoring listener for daddr:hnum (inet_lhash2_lookup over the one list), or null.</summary>
    public static sock? __inet_lookup_listener(net net, inet_hashinfo hashinfo, sk_buff? skb, int doff, uint saddr, ushort sport, uint daddr, ushort hnum, int dif, int sdif)
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

    // net/ipv4/inet_hashtables.c: inet_ehash_insert
    /// <summary>Enters <paramref name="sk"/> in the established table under its 4-tuple; false if the tuple is taken.</summary>
    public static bool inet_ehash_insert(sock sk, sock? osk, out bool found_dup_sk)
    {
        var hashinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var inet = inet_sk(sk);
        var key = new inet_ehash_key(sk.sk_net, inet.inet_rcv_saddr, inet.inet_daddr, inet.inet_num, inet.inet_dport);
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

    // net/ipv4/inet_hashtables.c: inet_ehash_nolisten
    /// <summary>inet_ehash_insert, counting the socket in the protocol's inuse (sock_prot_inuse_add is not modelled).</summary>
    public static bool inet_ehash_nolisten(sock sk, sock? osk, out bool found_dup_sk) => inet_ehash_insert(sk, osk, out found_dup_sk);

    // net/ipv4/inet_hashtables.c: inet_hash
    /// <summary>tcp_prot's hash: a listener enters lhash2 (reuseport groups are not ported); a CLOSE socket is not hashed.</summary>
    public static int inet_hash(sock sk)
    {
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
    /// <summary>Is the 4-tuple free? Then take it (TIME_WAIT reuse is not ported).</summary>
    private static int __inet_check_established(sock sk, ushort lport)
    {
        var inet = inet_sk(sk);
        inet.inet_num = lport;
        inet.inet_sport = lport;
        if (!inet_ehash_nolisten(sk, null, out _))
        {
            return -errno_h.EADDRNOTAVAIL;
        }

        return 0;
    }

    // net/ipv4/inet_hashtables.c: __inet_hash_connect
    /// <summary>
    /// A bound socket that owns its port alone enters the established table at
    /// once; sharing the port, the 4-tuple must be free. An unbound socket's
    /// ephemeral-port search is not ported (EADDRNOTAVAIL).
    /// </summary>
    public static int __inet_hash_connect(sock sk)
    {
        var port = inet_sk(sk).inet_num;
        if (port != 0)
        {
            var tb = inet_csk(sk).icsk_bind_hash!;

            // spin_lock_bh(&head->lock): the bucket's owners against binds.
            if (tb.owners.Count == 1 && tb.owners[0] == sk)
            {
                inet_ehash_nolisten(sk, null, out _);
                return 0;
            }

            return __inet_check_established(sk, port);
        }

        return -errno_h.EADDRNOTAVAIL;
    }

    // net/ipv4/inet_hashtables.c: inet_hash_connect
    /// <summary>Bind a connecting socket to a port (if it has none) and hash it.</summary>
    public static int inet_hash_connect(sock sk) => __inet_hash_connect(sk);
}
