// Ports include/net/inet_hashtables.h: struct inet_hashinfo (TCP's socket
// tables: established, bind buckets, listeners) and struct inet_bind_bucket.
//
// departure: the kernel's chains of buckets indexed by a keyed hash are
// .NET dictionaries keyed by the same tuple (the hashing is theirs); the
// bhash2 (port, address) table and the listener lhash2 are not ported —
// there is no listen() yet, so a listener lookup finds nothing.
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Net;

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

    /// <summary>owners: the sockets bound to this port (sk_bind_node).</summary>
    public List<sock> owners { get; } = new();
}

/// <summary>The established-table key: the namespace and the 4-tuple as seen from the local side (INET_MATCH).</summary>
public readonly record struct inet_ehash_key(net net, uint saddr, uint daddr, ushort sport, ushort dport);

/// <summary>struct inet_hashinfo: tcp_hashinfo, shared by all namespaces (entries match on net).</summary>
public sealed class inet_hashinfo
{
    /// <summary>ehash: established (and SYN_SENT) sockets by 4-tuple.</summary>
    public Dictionary<inet_ehash_key, sock> ehash { get; } = new();

    /// <summary>bhash: bind buckets by (namespace, port).</summary>
    public Dictionary<(net Net, ushort Port), inet_bind_bucket> bhash { get; } = new();

    /// <summary>bind_bucket_cachep: the slab the bind buckets come from (made by tcp_init; null in a kernel that did not boot TCP).</summary>
    public Mm.kmem_cache? bind_bucket_cachep { get; set; }

    /// <summary>bind2_bucket_cachep: the (port, address) buckets' slab; one is allocated with each bind bucket, as bhash2 is not ported.</summary>
    public Mm.kmem_cache? bind2_bucket_cachep { get; set; }

    /// <summary>lhash2: listening sockets, in the order they were hashed (one list, not hashed by port and address).</summary>
    public List<sock> lhash2 { get; } = new();
}
