// Ports include/net/raw.h: the raw socket hash (struct raw_hashinfo, keyed
// by protocol), struct raw_sock, and the inline helpers around them.
//
// not ported: the /proc/net/raw iterator state (raw_iter_state,
// raw_seq_private): /proc/net/raw is not rendered.
// departure: raw_prot cannot point at raw_v4_hashinfo (.h.raw_hash) — the
// proto is shared by every simulated kernel, the table is per kernel — so
// raw.c reaches the table through the kernel's globals.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// struct raw_hashinfo: raw sockets of every namespace, chained by
/// raw_hashfunc(net, protocol). A chain lists its newest socket first
/// (sk_add_node_rcu adds at the head).
/// </summary>
public sealed class raw_hashinfo
{
    /// <summary>ht[RAW_HTABLE_SIZE] (the lock that guards writers is a no-op here: one thread).</summary>
    public List<sock>[] ht { get; } = new List<sock>[raw_h.RAW_HTABLE_SIZE];
}

/// <summary>struct raw_sock: an inet_sock with the ICMP type filter (ICMP_FILTER).</summary>
public sealed class raw_sock : inet_sock
{
    public raw_sock(sock sk)
        : base(sk)
    {
    }

    public icmp_filter filter { get; } = new();

    /// <summary>ipmr_table: which multicast routing table this mroute socket serves (no ipmr here).</summary>
    public uint ipmr_table { get; set; }
}

public static class raw_h
{
    public const int RAW_HTABLE_LOG = 8;
    public const int RAW_HTABLE_SIZE = 1 << RAW_HTABLE_LOG;

    // include/net/raw.h: raw_hashfunc
    /// <summary>The chain of a protocol's raw sockets in <paramref name="net"/>: the protocol under the namespace's hash mix.</summary>
    public static uint raw_hashfunc(net net, uint proto) => hash_h.hash_32(Netns.hash_h.net_hash_mix(net) ^ proto, RAW_HTABLE_LOG);

    // include/net/raw.h: raw_hashinfo_init
    public static void raw_hashinfo_init(raw_hashinfo hashinfo)
    {
        // spin_lock_init(&hashinfo->lock)
        for (var i = 0; i < RAW_HTABLE_SIZE; i++)
        {
            hashinfo.ht[i] = new List<sock>();
        }
    }

    // include/net/raw.h: raw_sk
    public static raw_sock raw_sk(sock sk) => (raw_sock)sk.proto_data!;

    // include/net/raw.h: raw_sk_bound_dev_eq
    /// <summary>The device check of raw_v4_match; net.ipv4.raw_l3mdev_accept is 1, as raw_sysctl_init_net leaves it.</summary>
    public static bool raw_sk_bound_dev_eq(net net, int bound_dev_if, int dif, int sdif) =>
        inet_sock_h.inet_bound_dev_eq(true, bound_dev_if, dif, sdif);
}
