// Ports include/net/inet_hashtables.h: struct inet_hashinfo (TCP's socket
// tables: established, bind buckets, listeners), their bucket types, struct
// inet_bind_bucket, and the inline helpers that pick a bucket and match a
// socket against a packet's 4-tuple (inet_match).
//
// The tables are arrays of buckets sized at boot (tcp_init). An established
// or listening bucket is a nulls chain through the socks' own sk_nulls_node
// (full sockets, request socks and timewait socks alike); a bind bucket's
// chain runs through the inet_bind_buckets' node, and a port's owners
// through their sk_bind_node.
//
// departure: bhash2 (the port+address bind table) is not ported: the owners
// 6.18 keeps on each inet_bind2_bucket are kept on the inet_bind_bucket, as
// before bhash2 existed, and a bucket is freed when it has no owner.
// not ported: inet_ehash_lockp, the bucket spinlocks — one simulated CPU runs each table operation to its end
// not ported: inet_bhashfn_portaddr — bhash2 is not ported (above); inet_use_hash2_on_bind is, for UDP's bind
//   (udp_lib_get_port)
// not ported: tcp_get_hashinfo — one TCP hashinfo per simulated kernel (tcp_ipv4_c.tcp_hashinfo), no per-netns
//   ehash (tcp_child_ehash_entries)
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Net.inet_sock_h;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct inet_ehash_bucket: one chain of the established table.</summary>
public struct inet_ehash_bucket
{
    public hlist_nulls_head<sock> chain;
}

/// <summary>struct inet_bind_bucket: one bound local port in one namespace, and the sockets that own it.</summary>
public sealed class inet_bind_bucket
{
    public inet_bind_bucket(net ib_net, ushort port)
    {
        this.ib_net = ib_net;
        this.port = port;
    }

    public net ib_net { get; }

    public ushort port { get; }

    /// <summary>fastreuse / fastreuseport: SO_REUSEADDR/SO_REUSEPORT shortcuts for the owners.</summary>
    public sbyte fastreuse { get; set; }

    public sbyte fastreuseport { get; set; }

    /// <summary>node: the bucket's link in its bhash chain.</summary>
    public hlist_node<inet_bind_bucket> node;

    /// <summary>owners: the sockets bound to this port, through their sk_bind_node (6.18 keeps them on the bhash2 buckets: see the header).</summary>
    public hlist_head<sock> owners;
}

/// <summary>struct inet_bind_hashbucket: one chain of the bind table (its spinlock is not ported).</summary>
public struct inet_bind_hashbucket
{
    public hlist_head<inet_bind_bucket> chain;
}

/// <summary>struct inet_listen_hashbucket: one chain of the listeners' (address, port) table (its spinlock is not ported).</summary>
public struct inet_listen_hashbucket
{
    public hlist_nulls_head<sock> nulls_head;
}

/// <summary>struct inet_hashinfo: tcp_hashinfo, shared by all namespaces (entries match on net).</summary>
public sealed class inet_hashinfo
{
    /// <summary>ehash: established (and SYN_SENT, NEW_SYN_RECV and TIME_WAIT) socks, chained by inet_ehashfn of the 4-tuple.</summary>
    public inet_ehash_bucket[] ehash { get; set; } = [];

    /// <summary>ehash_mask: ehash's size minus one (a power of two).</summary>
    public uint ehash_mask { get; set; }

    /// <summary>bind_bucket_cachep: the slab the bind buckets come from (made by tcp_init; null in a kernel that did not boot TCP).</summary>
    public Mm.kmem_cache? bind_bucket_cachep { get; set; }

    /// <summary>bhash: bind buckets chained by inet_bhashfn of (namespace, port).</summary>
    public inet_bind_hashbucket[] bhash { get; set; } = [];

    /// <summary>bind2_bucket_cachep: the (port, address) buckets' slab; one is allocated with each bind bucket, as bhash2 is not ported.</summary>
    public Mm.kmem_cache? bind2_bucket_cachep { get; set; }

    /// <summary>bhash_size: bhash's size (a power of two).</summary>
    public uint bhash_size { get; set; }

    /// <summary>lhash2_mask: lhash2's size minus one.</summary>
    public uint lhash2_mask { get; set; }

    /// <summary>lhash2: listening sockets chained by ipv4_portaddr_hash of their bound (address, port).</summary>
    public inet_listen_hashbucket[] lhash2 { get; set; } = [];
}

public static class inet_hashtables_h
{
    // include/net/inet_hashtables.h: inet_lhash2_bucket
    /// <summary>The listening bucket <paramref name="hash"/> falls in.</summary>
    public static ref inet_listen_hashbucket inet_lhash2_bucket(inet_hashinfo h, uint hash) => ref h.lhash2[hash & h.lhash2_mask];

    // include/net/inet_hashtables.h: inet_ehash_bucket
    /// <summary>The established bucket <paramref name="hash"/> falls in.</summary>
    public static ref inet_ehash_bucket inet_ehash_bucket(inet_hashinfo hashinfo, uint hash) => ref hashinfo.ehash[hash & hashinfo.ehash_mask];

    // include/net/inet_hashtables.h: inet_bhashfn
    /// <summary>The bind bucket index of <paramref name="lport"/> in <paramref name="net"/>.</summary>
    public static uint inet_bhashfn(net net, ushort lport, uint bhash_size) => unchecked(lport + Netns.hash_h.net_hash_mix(net)) & (bhash_size - 1);

    // not ported: ipv6_addr_any, ipv6_addr_v4mapped — no IPv6 sockets; htonl — INADDR_ANY is 0 in either byte order
    // include/net/inet_hashtables.h: inet_use_hash2_on_bind
    /// <summary>Whether a bind of <paramref name="sk"/> may be checked on the (address, port) table: it is bound to an address.</summary>
    public static bool inet_use_hash2_on_bind(sock sk) => inet_sk(sk).inet_rcv_saddr != Uapi.Linux.in_h.INADDR_ANY;

    // include/net/inet_hashtables.h: INET_COMBINED_PORTS
    /// <summary>The packet's source port and our port as one word, laid out as a sock's sk_portpair (dport, then num) on little-endian.</summary>
    public static uint INET_COMBINED_PORTS(ushort sport, ushort dport) => (uint)dport << 16 | sport;

    // include/net/inet_hashtables.h: INET_ADDR_COOKIE
    /// <summary>The packet's source and destination addresses as one word, laid out as a sock's sk_addrpair (daddr, then rcv_saddr).</summary>
    public static ulong INET_ADDR_COOKIE(uint saddr, uint daddr) => (ulong)daddr << 32 | saddr;

    // not ported: net_eq — the namespaces are compared as references
    // not ported: inet_sk_bound_dev_eq — its test, inet_bound_dev_eq, is called (no l3mdev_accept)
    // include/net/inet_hashtables.h: inet_match
    /// <summary>
    /// Whether <paramref name="sk"/> (a full, request or timewait sock: all
    /// carry their addresses and ports in their inet_sock here, where the kernel
    /// reads sock_common's sk_addrpair/sk_portpair) is the one for the packet.
    /// </summary>
    public static bool inet_match(net net, sock sk, ulong cookie, uint ports, int dif, int sdif)
    {
        var inet = inet_sk(sk);
        if (sk.sk_net != net ||
            ((uint)inet.inet_num << 16 | inet.inet_dport) != ports ||
            ((ulong)inet.inet_rcv_saddr << 32 | inet.inet_daddr) != cookie)
        {
            return false;
        }

        return inet_bound_dev_eq(false, sk.sk_bound_dev_if, dif, sdif);
    }
}
