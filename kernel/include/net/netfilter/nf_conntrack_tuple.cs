// Ports include/net/netfilter/nf_conntrack_tuple.h: the tuple that names one
// direction of a connection (addresses, ports or ICMP id/type/code, protocol)
// and the hash-table node that carries it.
//
// departure: the C unions (u3, u) are IPv4 addresses and 16-bit values in
// host order here, as the port keeps addresses; an ICMP tuple keeps its id in
// src.u and its type and code in dst.u (type in the high byte, where the
// big-endian u.all puts it).
namespace KernelNet.Kernel.Include.Net.Netfilter;

using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

/// <summary>struct nf_conntrack_man: the part NAT can change (source side).</summary>
public struct nf_conntrack_man
{
    /// <summary>u3.ip.</summary>
    public uint u3;

    /// <summary>u.all: the port (tcp/udp) or the ICMP id.</summary>
    public ushort u;

    public ushort l3num;
}

/// <summary>The destination half of struct nf_conntrack_tuple.</summary>
public struct nf_conntrack_tuple_dst
{
    public uint u3;

    /// <summary>u.all: the port, or (ICMP) type &lt;&lt; 8 | code.</summary>
    public ushort u;

    public byte protonum;

    /// <summary>dir: which direction this tuple is (set in the hash node's copy).</summary>
    public ip_conntrack_dir dir;

    public readonly byte icmp_type => (byte)(u >> 8);

    public readonly byte icmp_code => (byte)u;
}

/// <summary>struct nf_conntrack_tuple.</summary>
public struct nf_conntrack_tuple
{
    public nf_conntrack_man src;
    public nf_conntrack_tuple_dst dst;

    public override readonly string ToString() => $"{src.u3:x8}:{src.u} -> {dst.u3:x8}:{dst.u} proto {dst.protonum}";
}

/// <summary>struct nf_conntrack_tuple_hash: a tuple in the table, pointing back at its conntrack (container_of).</summary>
public sealed class nf_conntrack_tuple_hash
{
    public nf_conntrack_tuple_hash(nf_conn ct) => this.ct = ct;

    public nf_conntrack_tuple tuple;

    /// <summary>The conntrack this node belongs to (nf_ct_tuplehash_to_ctrack).</summary>
    public nf_conn ct { get; }

    /// <summary>hnnode: the bucket this node is linked on, or -1 when unhashed.</summary>
    public long bucket { get; set; } = -1;
}

public static class nf_conntrack_tuple_h
{
    // include/net/netfilter/nf_conntrack_tuple.h: NF_CT_DIRECTION
    public static ip_conntrack_dir NF_CT_DIRECTION(nf_conntrack_tuple_hash h) => h.tuple.dst.dir;

    // not ported: nf_inet_addr_cmp — IPv4 only: the address compare is an integer compare
    // include/net/netfilter/nf_conntrack_tuple.h: __nf_ct_tuple_src_equal
    public static bool __nf_ct_tuple_src_equal(in nf_conntrack_tuple t1, in nf_conntrack_tuple t2) =>
        t1.src.u3 == t2.src.u3 && t1.src.u == t2.src.u && t1.src.l3num == t2.src.l3num;

    // not ported: nf_inet_addr_cmp — IPv4 only: the address compare is an integer compare
    // include/net/netfilter/nf_conntrack_tuple.h: __nf_ct_tuple_dst_equal
    public static bool __nf_ct_tuple_dst_equal(in nf_conntrack_tuple t1, in nf_conntrack_tuple t2) =>
        t1.dst.u3 == t2.dst.u3 && t1.dst.u == t2.dst.u && t1.dst.protonum == t2.dst.protonum;

    // include/net/netfilter/nf_conntrack_tuple.h: nf_ct_tuple_equal
    public static bool nf_ct_tuple_equal(in nf_conntrack_tuple t1, in nf_conntrack_tuple t2) =>
        __nf_ct_tuple_src_equal(t1, t2) && __nf_ct_tuple_dst_equal(t1, t2);
}
