// Ports include/net/inet_frag.h: a namespace's directory of fragment queues
// (struct fqdir), one queue (struct inet_frag_queue), what a protocol plugs
// in (struct inet_frags), the queue flags, the memory accounting helpers and
// inet_frag_putn.
//
// departure: rb_fragments, an rbtree of "runs" in C, is the list of the run
// heads sorted by offset (what an in-order walk of the tree visits); the
// rhashtable is a Dictionary on the IPv4 key. not ported: IPv6's key, RCU
// (one thread), fqdir_pre_exit/fqdir_exit (namespaces are not torn down).
using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Net.Ipv4.inet_fragment_c;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct frag_v4_compare_key: what names an IPv4 datagram being reassembled.</summary>
public readonly record struct frag_v4_compare_key(uint saddr, uint daddr, uint user, uint vif, ushort id, ushort protocol);

/// <summary>struct fqdir: one namespace's fragment queues of one protocol, their sysctls and memory.</summary>
public sealed class fqdir
{
    public fqdir(inet_frags f, net net)
    {
        this.f = f;
        this.net = net;
    }

    /// <summary>ipfrag_high_thresh: above this much queued memory new queues are refused (0 stops them all).</summary>
    public long high_thresh { get; set; }

    /// <summary>ipfrag_low_thresh (only the eviction worker, not ported, reads it).</summary>
    public long low_thresh { get; set; }

    /// <summary>ipfrag_time, in jiffies: how long a queue may wait for its missing fragments.</summary>
    public int timeout { get; set; }

    /// <summary>ipfrag_max_dist (ip_frag_too_far is not ported).</summary>
    public int max_dist { get; set; }

    public inet_frags f { get; }

    public net net { get; }

    public bool dead { get; set; }

    /// <summary>The queues by key.</summary>
    public Dictionary<frag_v4_compare_key, inet_frag_queue> rhashtable { get; } = new();

    /// <summary>Memory held by the queues and their fragments (truesize), checked against high_thresh.</summary>
    public long mem { get; set; }
}

/// <summary>
/// struct inet_frag_queue: one datagram being reassembled. Not sealed: a
/// protocol's queue (struct ipq) begins with it, as in C.
/// </summary>
public class inet_frag_queue
{
    public frag_v4_compare_key key { get; set; }

    /// <summary>The reassembly timeout (f->frag_expire), set up by inet_frag_alloc.</summary>
    public timer_list timer { get; set; } = null!;

    /// <summary>One reference for the timer, one for the hash table, and those of the callers at work.</summary>
    public int refcnt { get; set; }

    /// <summary>The heads of the runs of adjacent fragments, by offset (an rbtree in C).</summary>
    public List<sk_buff> rb_fragments { get; } = new();

    public sk_buff? fragments_tail { get; set; }

    public sk_buff? last_run_head { get; set; }

    /// <summary>Timestamp of the last fragment received.</summary>
    public long stamp { get; set; }

    /// <summary>Length of the whole datagram's payload, once known.</summary>
    public int len { get; set; }

    /// <summary>Payload bytes received so far.</summary>
    public int meat { get; set; }

    public byte tstamp_type { get; set; }

    public byte flags { get; set; }

    /// <summary>The largest fragment received (header included).</summary>
    public ushort max_size { get; set; }

    public fqdir fqdir { get; set; } = null!;
}

/// <summary>struct inet_frags: what a protocol plugs into the common code (ip4_frags for IPv4).</summary>
public sealed class inet_frags
{
    /// <summary>sizeof the protocol's queue, charged to fqdir->mem per queue.</summary>
    public required int qsize { get; init; }

    /// <summary>Fills in a new queue from its key.</summary>
    public required Action<inet_frag_queue, frag_v4_compare_key> constructor { get; init; }

    public Action<inet_frag_queue>? destructor { get; init; }

    /// <summary>The timer function: the queue timed out.</summary>
    public required Action<timer_list> frag_expire { get; init; }

    /// <summary>The slab the queues come from: makes a queue of the protocol's type.</summary>
    public required Func<inet_frag_queue> frags_cachep { get; init; }
}

public static class inet_frag_h
{
    // enum: fragment queue flags
    public const byte INET_FRAG_FIRST_IN = 1 << 0;
    public const byte INET_FRAG_LAST_IN = 1 << 1;
    public const byte INET_FRAG_COMPLETE = 1 << 2;
    public const byte INET_FRAG_HASH_DEAD = 1 << 3;
    public const byte INET_FRAG_DROP = 1 << 4;

    // RFC 3168: the ECN codepoints seen among a datagram's fragments, ORed.
    public const byte IPFRAG_ECN_NOT_ECT = 0x01;
    public const byte IPFRAG_ECN_ECT_1 = 0x02;
    public const byte IPFRAG_ECN_ECT_0 = 0x04;
    public const byte IPFRAG_ECN_CE = 0x08;

    // What inet_frag_queue_insert returns.
    public const int IPFRAG_OK = 0;
    public const int IPFRAG_DUP = 1;
    public const int IPFRAG_OVERLAP = 2;

    // include/net/inet_frag.h: inet_frag_putn
    /// <summary>Drops <paramref name="refs"/> references; the last one destroys the queue and frees what it still holds.</summary>
    public static void inet_frag_putn(inet_frag_queue q, int refs)
    {
        if (refs != 0 && (q.refcnt -= refs) == 0)
        {
            inet_frag_destroy(q);
        }
    }

    // include/net/inet_frag.h: frag_mem_limit
    public static long frag_mem_limit(fqdir fqdir) => fqdir.mem;

    // include/net/inet_frag.h: sub_frag_mem_limit
    public static void sub_frag_mem_limit(fqdir fqdir, long val) => fqdir.mem -= val;

    // include/net/inet_frag.h: add_frag_mem_limit
    public static void add_frag_mem_limit(fqdir fqdir, long val) => fqdir.mem += val;
}
