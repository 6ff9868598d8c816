// Ports net/netfilter/nf_conntrack_core.c: the connection tracking table.
// nf_conntrack_in classifies each packet at PRE_ROUTING/LOCAL_OUT against the
// hash table (both directions of every confirmed connection are in it),
// creating an unconfirmed entry for a new flow; nf_conntrack_confirm
// (__nf_conntrack_confirm) inserts it once the packet has passed the whole
// stack. A full table (nf_conntrack_max) tries early_drop and otherwise
// drops the packet with "nf_conntrack: table full, dropping packet" (FIELD-1).
//
// departures: the hash table is kept sparse (a dictionary of bucket lists,
// 262144 buckets as this machine's nf_conntrack_buckets) and the tuple is
// hashed with SipHash over its fields (addresses, ports, protocol) under a
// key drawn once per kernel, rather than over its bytes. Global state of the
// C file (the table, nf_conntrack_max, the hash key) hangs off init_net,
// which lives as long as the kernel.
// not ported: the gc_worker (expired entries are reaped when a lookup or
// early_drop meets them, and by nf_ct_kill); clash resolution
// (nf_ct_resolve_clash: two CPUs inserting the same flow at once cannot
// happen on one thread — the insert fails and drops instead); expectations
// and helpers; zones and templates; conntrack events (no listener);
// accounting (nf_conntrack_acct is 0); hash resizing; IPv6 and GRE/SCTP.
// not ported: NF_CT_STAT_INC, NF_CT_STAT_INC_ATOMIC, NF_CT_STAT_ADD_ATOMIC — written out as NF_CT_STAT(net).field
//   incremented in place, on the current CPU's ip_conntrack_stat
// not ported: nf_conntrack_get_ht — no hash resizing: the buckets and their number are read directly, with no
//   generation seqcount to retry on
// not ported: net_eq — written out as ReferenceEquals of the two namespaces
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_tuple_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_tuple_common_h;

namespace KernelNet.Kernel.Net.Netfilter;

/// <summary>The file-scope state of nf_conntrack_core.c: the table and its limits, shared by every namespace.</summary>
public sealed class nf_conntrack_core_state
{
    /// <summary>nf_conntrack_htable_size (net.netfilter.nf_conntrack_buckets).</summary>
    public uint nf_conntrack_htable_size = 262144;

    /// <summary>nf_conntrack_max (net.netfilter.nf_conntrack_max; writable in init_net only).</summary>
    public uint nf_conntrack_max = 262144;

    /// <summary>nf_conntrack_hash: the non-empty buckets, each newest first (hlist_nulls_add_head).</summary>
    public Dictionary<uint, List<nf_conntrack_tuple_hash>> nf_conntrack_hash { get; } = new();

    /// <summary>nf_conntrack_hash_rnd: drawn on first use (get_random_once).</summary>
    public siphash_key_t? nf_conntrack_hash_rnd;

    /// <summary>Not in C: the key hash_conntrack_raw copies onto its stack and mixes, kept here so a hash allocates nothing.</summary>
    public siphash_key_t hash_key = new();

    /// <summary>conntrack_gc_work.early_drop: the table filled and the gc worker should evict.</summary>
    public bool gc_early_drop;

    /// <summary>Allocation counter behind nf_conn.id.</summary>
    public ulong next_id;
}

public static class nf_conntrack_core_c
{
    /// <summary>NF_CT_EVICTION_RANGE: buckets early_drop looks at.</summary>
    private const int NF_CT_EVICTION_RANGE = 8;

    /// <summary>MIN_CHAINLEN / MAX_CHAINLEN: the random bound on a bucket's length at insert.</summary>
    private const uint MIN_CHAINLEN = 50;
    private const uint MAX_CHAINLEN = 80 - MIN_CHAINLEN;

    /// <summary>The kernel's conntrack globals (hung off init_net; see the file header).</summary>
    [NotInLinux("the file-scope globals of nf_conntrack_core.c, hung off init_net")]
    public static nf_conntrack_core_state nf_ct_globals(Vmlinux k)
    {
        if (!k.init_net.gen.TryGetValue("nf_conntrack_core", out var o))
        {
            o = new nf_conntrack_core_state();
            k.init_net.gen["nf_conntrack_core"] = o;
        }

        return (nf_conntrack_core_state)o;
    }

    // net/netfilter/nf_conntrack_core.c: hash_conntrack_raw
    /// <summary>The tuple's 32-bit hash under the kernel's random key (see the file header for the departure).</summary>
    private static uint hash_conntrack_raw(in nf_conntrack_tuple tuple, net net)
    {
        // not ported: siphash — SipHash runs over the tuple's fields through siphash_4u32, not over its bytes (see the header)
        // not ported: get_random_once — the key is drawn on first use below; zoneid — no conntrack zones: 0
        var g = nf_ct_globals(net.k);
        if (g.nf_conntrack_hash_rnd is null)
        {
            var rnd = new siphash_key_t();
            Drivers.Char.random_c.get_random_bytes(net.k, rnd);
            g.nf_conntrack_hash_rnd = rnd;
        }

        // The key copied and the namespace's hash mix folded in (the zone, which C folds into key[0], is 0).
        var key = g.hash_key;
        key.key[0] = g.nf_conntrack_hash_rnd.key[0];
        key.key[1] = g.nf_conntrack_hash_rnd.key[1] ^ Include.Net.Netns.hash_h.net_hash_mix(net);
        return (uint)siphash_h.siphash_4u32(tuple.src.u3, tuple.dst.u3, ((uint)tuple.src.u << 16) | tuple.dst.u,
            ((uint)tuple.dst.protonum << 16) | tuple.src.l3num, key);
    }

    /// <summary>reciprocal_scale: maps a 32-bit hash onto [0, size).</summary>
    [KernelNet.Annotations.NotInLinux("include/linux/math.h's reciprocal_scale, kept local to the hash it scales")]
    private static uint reciprocal_scale(uint val, uint ep_ro) => (uint)(((ulong)val * ep_ro) >> 32);

    // net/netfilter/nf_conntrack_core.c: scale_hash
    private static uint scale_hash(Vmlinux k, uint hash) => reciprocal_scale(hash, nf_ct_globals(k).nf_conntrack_htable_size);

    // net/netfilter/nf_conntrack_core.c: hash_conntrack
    private static uint hash_conntrack(net net, in nf_conntrack_tuple tuple) => scale_hash(net.k, hash_conntrack_raw(tuple, net));

    /// <summary>The bucket's chain (an empty one, not kept, when the bucket is empty).</summary>
    [NotInLinux("a bucket of the sparse hash table")]
    private static List<nf_conntrack_tuple_hash> bucket_of(Vmlinux k, uint bucket)
    {
        var table = nf_ct_globals(k).nf_conntrack_hash;
        return table.TryGetValue(bucket, out var l) ? l : new List<nf_conntrack_tuple_hash>(0);
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_get_tuple_ports
    [Borrows("skb")]
    private static bool nf_ct_get_tuple_ports(sk_buff skb, int dataoff, ref nf_conntrack_tuple tuple)
    {
        Span<byte> buf = stackalloc byte[4];
        var inet_hdr = skbuff_h.skb_header_pointer(skb, dataoff, 4, buf);
        if (inet_hdr.IsEmpty)
        {
            return false;
        }

        tuple.src.u = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(inet_hdr);
        tuple.dst.u = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(inet_hdr[2..]);
        return true;
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_get_tuple
    /// <summary>Reads the tuple of the packet whose network header is at <paramref name="nhoff"/> and transport header at <paramref name="dataoff"/>.</summary>
    [Borrows("skb")]
    internal static bool nf_ct_get_tuple(sk_buff skb, int nhoff, int dataoff, ushort l3num, byte protonum, net net, out nf_conntrack_tuple tuple)
    {
        // not ported: gre_pkt_to_tuple — no SCTP or GRE
        // not ported: icmpv6_pkt_to_tuple — no IPv6
        tuple = default;
        tuple.src.l3num = l3num;
        if (l3num != NFPROTO_IPV4)
        {
            return true;
        }

        Span<byte> buf = stackalloc byte[8];
        var ap = skbuff_h.skb_header_pointer(skb, nhoff + 12, 8, buf);
        if (ap.IsEmpty)
        {
            return false;
        }

        tuple.src.u3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ap);
        tuple.dst.u3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ap[4..]);
        tuple.dst.protonum = protonum;
        tuple.dst.dir = ip_conntrack_dir.IP_CT_DIR_ORIGINAL;

        switch (protonum)
        {
            case Include.Uapi.Linux.in_h.IPPROTO_ICMP:
                return nf_conntrack_proto_icmp_c.icmp_pkt_to_tuple(skb, dataoff, net, ref tuple);
            case Include.Uapi.Linux.in_h.IPPROTO_TCP:
            case Include.Uapi.Linux.in_h.IPPROTO_UDP:
                return nf_ct_get_tuple_ports(skb, dataoff, ref tuple);
            default:
                break;
        }

        return true;
    }

    // net/netfilter/nf_conntrack_core.c: ipv4_get_l4proto
    /// <summary>The transport header's offset and protocol; -1 for a non-first fragment or a bogus header.</summary>
    [Borrows("skb")]
    private static int ipv4_get_l4proto(sk_buff skb, int nhoff, out byte protonum)
    {
        protonum = 0;
        Span<byte> buf = stackalloc byte[20];
        var iph = skbuff_h.skb_header_pointer(skb, nhoff, 20, buf);
        if (iph.IsEmpty)
        {
            return -1;
        }

        // conntrack defragments first (nf_defrag_ipv4); fragments can still sit inside ICMP errors
        var frag_off = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(iph[6..]);
        if ((frag_off & Include.Uapi.Linux.ip_h.IP_OFFSET) != 0)
        {
            return -1;
        }

        var dataoff = nhoff + ((iph[0] & 0x0f) << 2);
        protonum = iph[9];
        if (dataoff > skb.len)
        {
            return -1;
        }

        return dataoff;
    }

    // net/netfilter/nf_conntrack_core.c: get_l4proto
    [Borrows("skb")]
    private static int get_l4proto(sk_buff skb, int nhoff, byte pf, out byte l4num)
    {
        // not ported: ipv6_get_l4proto — no IPv6
        if (pf == NFPROTO_IPV4)
        {
            return ipv4_get_l4proto(skb, nhoff, out l4num);
        }

        l4num = 0;
        return -1;
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_get_tuplepr
    /// <summary>The tuple of the packet at <paramref name="nhoff"/> (an ICMP error's quoted packet, say).</summary>
    [Borrows("skb")]
    public static bool nf_ct_get_tuplepr(sk_buff skb, int nhoff, ushort l3num, net net, out nf_conntrack_tuple tuple)
    {
        tuple = default;
        var protoff = get_l4proto(skb, nhoff, (byte)l3num, out var protonum);
        if (protoff <= 0)
        {
            return false;
        }

        return nf_ct_get_tuple(skb, nhoff, protoff, l3num, protonum, net, out tuple);
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_invert_tuple
    /// <summary>The tuple of the other direction: addresses and ports swapped (ICMP: the reply type); false when ICMP has no reply type.</summary>
    public static bool nf_ct_invert_tuple(out nf_conntrack_tuple inverse, in nf_conntrack_tuple orig)
    {
        // not ported: nf_conntrack_invert_icmpv6_tuple — no IPv6
        inverse = default;
        inverse.src.l3num = orig.src.l3num;
        if (orig.src.l3num == NFPROTO_IPV4)
        {
            inverse.src.u3 = orig.dst.u3;
            inverse.dst.u3 = orig.src.u3;
        }

        inverse.dst.dir = orig.dst.dir == ip_conntrack_dir.IP_CT_DIR_ORIGINAL ? ip_conntrack_dir.IP_CT_DIR_REPLY : ip_conntrack_dir.IP_CT_DIR_ORIGINAL;
        inverse.dst.protonum = orig.dst.protonum;
        if (orig.dst.protonum == Include.Uapi.Linux.in_h.IPPROTO_ICMP)
        {
            return nf_conntrack_proto_icmp_c.nf_conntrack_invert_icmp_tuple(ref inverse, orig);
        }

        inverse.src.u = orig.dst.u;
        inverse.dst.u = orig.src.u;
        return true;
    }

    // net/netfilter/nf_conntrack_core.c: clean_from_lists
    /// <summary>Unlinks both directions from the table.</summary>
    private static void clean_from_lists(nf_conn ct)
    {
        var table = nf_ct_globals(ct.ct_net.k).nf_conntrack_hash;
        foreach (var h in ct.tuplehash)
        {
            if (h.bucket >= 0 && table.TryGetValue((uint)h.bucket, out var chain))
            {
                chain.Remove(h);
                if (chain.Count == 0)
                {
                    table.Remove((uint)h.bucket);
                }
            }

            h.bucket = -1;
        }

        // not ported: nf_ct_remove_expectations — no expectations.
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_destroy
    /// <summary>The last reference is gone: frees the conntrack.</summary>
    public static void nf_ct_destroy(nf_conn ct)
    {
        // not ported: destroy_gre_conntrack — no SCTP or GRE
        // not ported: nf_ct_is_template, nf_ct_remove_expectations, nf_ct_tmpl_free — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_ct_protonum — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_put — the put of the master's reference: no expectations, so no conntrack has a master
        // not ported: templates, GRE keymaps, expectations and masters — none exist here.
        nf_conntrack_free(ct);
    }

    // net/netfilter/nf_conntrack_core.c: __nf_ct_delete_from_lists
    private static void __nf_ct_delete_from_lists(nf_conn ct)
    {
        // not ported: nf_conntrack_double_lock, nf_conntrack_double_unlock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: nf_ct_net — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_zone, nf_ct_zone_id — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: hash_conntrack — each direction's entry remembers its bucket, which clean_from_lists unlinks
        //   it from: no hashes to recompute (nor a generation to retry on)
        clean_from_lists(ct);
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_delete_from_lists
    private static void nf_ct_delete_from_lists(nf_conn ct)
    {
        // not ported: nf_ct_helper_destroy — no helpers.
        bottom_half_h.local_bh_disable(ct.ct_net.k);
        __nf_ct_delete_from_lists(ct);
        bottom_half_h.local_bh_enable(ct.ct_net.k);
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_delete
    /// <summary>Marks the entry dying, unlinks it and drops the table's reference; false when it was already dying.</summary>
    public static bool nf_ct_delete(nf_conn ct, uint portid, int report)
    {
        // not ported: __nf_ct_delete_from_lists — 6.18 calls it here only in the branch for a destroy event a listener refused: no conntrack events; the unlink goes through nf_ct_delete_from_lists as in the normal path
        // not ported: local_bh_disable, local_bh_enable — they bracket the branch for a destroy event a listener refused: no conntrack events (nf_ct_delete_from_lists disables BH for the unlink)
        // not ported: nf_conn_tstamp_find, nf_conntrack_ecache_dwork_pending, nf_conntrack_ecache_work, nf_conntrack_event_report, nf_ct_add_to_ecache_list, nf_ct_helper_destroy — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_ct_net — field accessors: the port reads or sets these fields directly
        _ = portid;
        _ = report;
        if ((ct.status & IPS_DYING) != 0)
        {
            return false;
        }

        ct.status |= IPS_DYING;

        // not ported: jiffies_to_nsecs — the timestamp extension and the IPCT_DESTROY event (no listener can refuse it).
        nf_ct_delete_from_lists(ct);
        nf_ct_put(ct);
        return true;
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_key_equal
    private static bool nf_ct_key_equal(nf_conntrack_tuple_hash h, in nf_conntrack_tuple tuple, net net)
    {
        // not ported: NF_CT_DIRECTION — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_zone_equal — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        var ct = nf_ct_tuplehash_to_ctrack(h);
        return nf_ct_tuple_equal(tuple, h.tuple) && nf_ct_is_confirmed(ct) && ReferenceEquals(net, nf_ct_net(ct));
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_gc_expired
    /// <summary>An expired entry met on a walk: kill it (when it is still worth killing).</summary>
    private static void nf_ct_gc_expired(nf_conn ct)
    {
        if (ct.use == 0)
        {
            return;
        }

        ct.use++;
        if (nf_ct_should_gc(ct))
        {
            nf_ct_kill(ct);
        }

        nf_ct_put(ct);
    }

    // net/netfilter/nf_conntrack_core.c: ____nf_conntrack_find
    /// <summary>Walks the tuple's bucket; expired entries met on the way are reaped.</summary>
    private static nf_conntrack_tuple_hash? ____nf_conntrack_find(net net, in nf_conntrack_tuple tuple, uint hash)
    {
        var g = nf_ct_globals(net.k);
        var chain = bucket_of(net.k, reciprocal_scale(hash, g.nf_conntrack_htable_size));
        for (var i = 0; i < chain.Count; i++)
        {
            var h = chain[i];
            var ct = nf_ct_tuplehash_to_ctrack(h);
            if (nf_ct_is_expired(ct))
            {
                var before = chain.Count;
                nf_ct_gc_expired(ct);
                if (chain.Count < before)
                {
                    i -= before - chain.Count;
                }

                continue;
            }

            if (nf_ct_key_equal(h, tuple, net))
            {
                return h;
            }
        }

        // no nulls marker to recheck: entries never move between buckets under the walk here.
        return null;
    }

    // net/netfilter/nf_conntrack_core.c: __nf_conntrack_find_get
    /// <summary>Finds the tuple and takes a reference on its conntrack.</summary>
    private static nf_conntrack_tuple_hash? __nf_conntrack_find_get(net net, in nf_conntrack_tuple tuple, uint hash)
    {
        // not ported: nf_ct_key_equal, nf_ct_put — the recheck after taking the reference, for an entry freed and
        //   reused for another tuple between the walk and the reference (SLAB_TYPESAFE_BY_RCU): with one thread
        //   nothing runs in between
        var h = ____nf_conntrack_find(net, tuple, hash);
        if (h is not null)
        {
            var ct = nf_ct_tuplehash_to_ctrack(h);
            if (ct.use != 0)
            {
                ct.use++;
                return h;
            }
        }

        return null;
    }

    // not ported: nf_ct_zone_id — no zones: one lookup, with no second try under a reply-direction zone id
    // net/netfilter/nf_conntrack_core.c: nf_conntrack_find_get
    /// <summary>Looks a tuple up in either direction; the caller owns a reference on the result.</summary>
    public static nf_conntrack_tuple_hash? nf_conntrack_find_get(net net, in nf_conntrack_tuple tuple) =>
        __nf_conntrack_find_get(net, tuple, hash_conntrack_raw(tuple, net));

    // net/netfilter/nf_conntrack_core.c: __nf_conntrack_hash_insert
    private static void __nf_conntrack_hash_insert(nf_conn ct, uint hash, uint reply_hash)
    {
        var table = nf_ct_globals(ct.ct_net.k).nf_conntrack_hash;
        foreach (var (h, b) in new[] { (ct.tuplehash[0], hash), (ct.tuplehash[1], reply_hash) })
        {
            if (!table.TryGetValue(b, out var chain))
            {
                chain = new List<nf_conntrack_tuple_hash>();
                table[b] = chain;
            }

            chain.Insert(0, h);
            h.bucket = b;
        }
    }

    // net/netfilter/nf_conntrack_core.c: __nf_conntrack_insert_prepare
    private static void __nf_conntrack_insert_prepare(nf_conn ct)
    {
        // not ported: nf_conn_tstamp_find — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // The table's own reference, dropped by nf_ct_delete.
        ct.use++;

        // not ported: the timestamp extension's start time (nf_conntrack_timestamp is 0).
    }

    // net/netfilter/nf_conntrack_core.c: __nf_conntrack_confirm
    /// <summary>
    /// Puts the packet's new conntrack into the table (both directions),
    /// starting its timeout: called when the first packet of a flow leaves
    /// (POST_ROUTING) or is delivered (LOCAL_IN). NF_DROP when the tuple is
    /// already there (a clash) or a bucket is too long.
    /// </summary>
    [Borrows("skb")]
    public static uint __nf_conntrack_confirm(sk_buff skb)
    {
        // not ported: master_ct, nf_conntrack_event_cache, nf_ct_zone, nf_ct_zone_id, nfct_help — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_conntrack_double_lock, nf_conntrack_double_unlock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: nf_ct_ext_valid_pre, nf_ct_ext_valid_post — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: scale_hash — the original direction's bucket is computed afresh with hash_conntrack, not
        //   scaled from the raw hash init_conntrack saved: the same bucket
        var ret = NF_DROP;
        var ct = nf_ct_get(skb, out var ctinfo)!;
        var net = nf_ct_net(ct);

        // a packet of the reply direction (REJECT's RST attached with nf_conntrack_attach) confirms nothing
        if (CTINFO2DIR(ctinfo) != ip_conntrack_dir.IP_CT_DIR_ORIGINAL)
        {
            return NF_ACCEPT;
        }

        bottom_half_h.local_bh_disable(net.k);
        var hash = hash_conntrack(net, ct.tuplehash[0].tuple);
        var reply_hash = hash_conntrack(net, ct.tuplehash[1].tuple);

        if (nf_ct_is_confirmed(ct))
        {
            bottom_half_h.local_bh_enable(net.k);
            return NF_DROP;
        }

        if (nf_ct_is_dying(ct))
        {
            NF_CT_STAT(net).insert_failed++;
            goto dying;
        }

        var max_chainlen = MIN_CHAINLEN + Drivers.Char.random_c.__get_random_u32_below(net.k, MAX_CHAINLEN);
        uint chainlen = 0;
        foreach (var h in bucket_of(net.k, hash))
        {
            if (nf_ct_key_equal(h, ct.tuplehash[0].tuple, net))
            {
                goto @out;
            }

            if (chainlen++ > max_chainlen)
            {
                goto chaintoolong;
            }
        }

        chainlen = 0;
        foreach (var h in bucket_of(net.k, reply_hash))
        {
            if (nf_ct_key_equal(h, ct.tuplehash[1].tuple, net))
            {
                goto @out;
            }

            if (chainlen++ > max_chainlen)
            {
                goto chaintoolong;
            }
        }

        // the timeout counts from confirmation
        ct.timeout += nfct_time_stamp(net);
        __nf_conntrack_insert_prepare(ct);
        __nf_conntrack_hash_insert(ct, hash, reply_hash);
        ct.status |= IPS_CONFIRMED;
        bottom_half_h.local_bh_enable(net.k);

        // not ported: IPCT_NEW/IPCT_HELPER events — no listeners.
        return NF_ACCEPT;

    chaintoolong:
        NF_CT_STAT(net).chaintoolong++;
        NF_CT_STAT(net).insert_failed++;
        ret = NF_DROP;
        goto dying;

    @out:
        // nf_ct_resolve_clash: not ported (see the file header) — the clash drops.
        NF_CT_STAT(net).drop++;
        NF_CT_STAT(net).insert_failed++;
        ret = NF_DROP;

    dying:
        bottom_half_h.local_bh_enable(net.k);
        return ret;
    }

    // net/netfilter/nf_conntrack_core.c: nf_conntrack_tuple_taken
    /// <summary>Is <paramref name="tuple"/> (a reply tuple NAT proposes) already some other connection's?</summary>
    public static bool nf_conntrack_tuple_taken(in nf_conntrack_tuple tuple, nf_conn ignored_conntrack)
    {
        // not ported: __hash_conntrack — hash_conntrack gives the same bucket: the table size is fixed and there are no zone ids to hash
        // not ported: nf_ct_zone, nf_ct_zone_equal, nf_ct_zone_id — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        var net = nf_ct_net(ignored_conntrack);
        var chain = bucket_of(net.k, hash_conntrack(net, tuple));
        for (var i = 0; i < chain.Count; i++)
        {
            var h = chain[i];
            var ct = nf_ct_tuplehash_to_ctrack(h);
            if (ReferenceEquals(ct, ignored_conntrack))
            {
                continue;
            }

            if (nf_ct_is_expired(ct))
            {
                var before = chain.Count;
                nf_ct_gc_expired(ct);
                i -= before - chain.Count;
                continue;
            }

            if (nf_ct_key_equal(h, tuple, net))
            {
                // the very same flow (two sends racing): left to the clash handling at confirm
                if (nf_ct_tuple_equal(ignored_conntrack.tuplehash[0].tuple, ct.tuplehash[0].tuple))
                {
                    continue;
                }

                NF_CT_STAT(net).found++;
                return true;
            }
        }

        return false;
    }

    // net/netfilter/nf_conntrack_core.c: early_drop_list
    /// <summary>Kills the not-yet-assured confirmed entries of one bucket; returns how many.</summary>
    private static uint early_drop_list(net net, List<nf_conntrack_tuple_hash> head)
    {
        uint drops = 0;
        foreach (var h in head.ToArray())
        {
            var tmp = nf_ct_tuplehash_to_ctrack(h);
            if (nf_ct_is_expired(tmp))
            {
                nf_ct_gc_expired(tmp);
                continue;
            }

            if ((tmp.status & IPS_ASSURED) != 0 || !ReferenceEquals(nf_ct_net(tmp), net) || nf_ct_is_dying(tmp))
            {
                continue;
            }

            if (tmp.use == 0)
            {
                continue;
            }

            tmp.use++;
            if (nf_ct_is_confirmed(tmp) && nf_ct_delete(tmp, 0, 0))
            {
                drops++;
            }

            nf_ct_put(tmp);
        }

        return drops;
    }

    // net/netfilter/nf_conntrack_core.c: early_drop
    /// <summary>Frees room by evicting unassured entries from the 8 buckets from the new flow's on.</summary>
    private static bool early_drop(net net, uint hash)
    {
        var g = nf_ct_globals(net.k);
        uint bucket = 0;
        for (var i = 0; i < NF_CT_EVICTION_RANGE; i++)
        {
            var hsize = g.nf_conntrack_htable_size;
            bucket = i == 0 ? reciprocal_scale(hash, hsize) : (bucket + 1) % hsize;
            var drops = early_drop_list(net, bucket_of(net.k, bucket));
            if (drops != 0)
            {
                NF_CT_STAT(net).early_drop += drops;
                return true;
            }
        }

        return false;
    }

    // net/netfilter/nf_conntrack_core.c: __nf_conntrack_alloc
    /// <summary>
    /// A new, unconfirmed conntrack for the two tuples, counted in the
    /// namespace. Above nf_conntrack_max it first tries early_drop; when that
    /// frees nothing the allocation fails (null: ERR_PTR(-ENOMEM)) and the
    /// kernel log gets the rate-limited "table full" warning.
    /// </summary>
    private static nf_conn? __nf_conntrack_alloc(net net, in nf_conntrack_tuple orig, in nf_conntrack_tuple repl, uint hash)
    {
        // not ported: kmem_cache_alloc — the port creates no nf_conntrack kmem_cache (mm/slab counts only the caches it creates): the conntrack is a new object
        // not ported: write_pnet — the namespace is given to the nf_conn constructor
        // not ported: nf_ct_zone_add — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        var cnet = nf_ct_pernet(net);
        var g = nf_ct_globals(net.k);
        var ct_count = ++cnet.count;
        if (g.nf_conntrack_max != 0 && ct_count > g.nf_conntrack_max)
        {
            if (!early_drop(net, hash))
            {
                g.gc_early_drop = true;
                cnet.count--;
                if (ReferenceEquals(net, net.k.init_net))
                {
                    Include.Linux.net_h.net_warn_ratelimited(net.k, "nf_conntrack: table full, dropping packet\n");
                }
                else
                {
                    Include.Linux.net_h.net_warn_ratelimited(net.k, $"nf_conntrack: table full in netns {net_namespace_inum(net)}, dropping packet\n");
                }

                return null;
            }
        }

        var ct = new nf_conn(net) { id = ++g.next_id };
        ct.tuplehash[0].tuple = orig;
        ct.tuplehash[1].tuple = repl;
        ct.status = 0;
        ct.timeout = 0;

        // refcount 0 until an skb holds it (init_conntrack sets 1)
        ct.use = 0;
        return ct;
    }

    /// <summary>net->ns.inum: the namespace's inode number as the kernel prints it (4026531840 is init_net; others follow in creation order).</summary>
    [NotInLinux("net->ns.inum as the simulation numbers namespaces")]
    private static uint net_namespace_inum(net net)
    {
        var index = 0;
        foreach (var n in net.k.nets)
        {
            if (ReferenceEquals(n, net))
            {
                break;
            }

            index++;
        }

        return 4026531840u + (uint)index;
    }

    // net/netfilter/nf_conntrack_core.c: nf_conntrack_free
    /// <summary>Returns the entry's slot to the namespace's count (and its NAT source mapping to NAT).</summary>
    public static void nf_conntrack_free(nf_conn ct)
    {
        // not ported: kfree, kmem_cache_free — no nf_conntrack kmem_cache (see __nf_conntrack_alloc) and no extension area: the garbage collector takes the object
        // not ported: nf_ct_net — field accessors: the port reads or sets these fields directly
        System.Diagnostics.Debug.Assert(ct.use == 0, "freeing a referenced conntrack");
        if ((ct.status & IPS_SRC_NAT_DONE) != 0)
        {
            nf_nat_core_c.nf_nat_cleanup_conntrack(ct);
        }

        nf_ct_pernet(ct.ct_net).count--;
    }

    // net/netfilter/nf_conntrack_core.c: init_conntrack
    /// <summary>Allocates the conntrack of a new flow with the reply tuple inverted from <paramref name="tuple"/>; null when unclassifiable; <paramref name="enomem"/> when the table is full.</summary>
    [Borrows("skb")]
    private static nf_conntrack_tuple_hash? init_conntrack(net net, in nf_conntrack_tuple tuple, sk_buff skb, int dataoff, uint hash, out bool enomem)
    {
        // not ported: __nf_ct_try_assign_helper, nf_ct_acct_ext_add, nf_ct_add_synproxy, nf_ct_ecache_ext_add, nf_ct_ecache_find, nf_ct_find_expectation, nf_ct_helper_ext_add, nf_ct_labels_ext_add, nf_ct_timeout_ext_add, nf_ct_timeout_find, nf_ct_tstamp_ext_add, nf_ct_zone_tmpl — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_ct_expect_put — no expectations
        // not ported: nf_conntrack_free, nf_ct_is_confirmed, NF_CT_STAT_INC — the synproxy and event-cache failure
        //   frees and the expectation lookup: no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_ct_pernet — field accessors: the port reads or sets these fields directly
        _ = skb;
        _ = dataoff;
        enomem = false;
        if (!nf_ct_invert_tuple(out var repl_tuple, tuple))
        {
            return null;
        }

        var ct = __nf_conntrack_alloc(net, tuple, repl_tuple, hash);
        if (ct is null)
        {
            enomem = true;
            return null;
        }

        // not ported: synproxy, timeout policies, acct/tstamp/labels/ecache extensions, expectations and helpers.
        ct.use = 1;
        return ct.tuplehash[0];
    }

    // net/netfilter/nf_conntrack_core.c: resolve_normal_ct
    /// <summary>Finds or creates the packet's conntrack and attaches it with its ctinfo; -ENOMEM when the table is full.</summary>
    [Borrows("skb")]
    private static int resolve_normal_ct(sk_buff skb, int dataoff, byte protonum, nf_hook_state state)
    {
        // not ported: nf_ct_zone_id, nf_ct_zone_tmpl — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        if (!nf_ct_get_tuple(skb, skbuff_h.skb_network_offset(skb), dataoff, state.pf, protonum, state.net, out var tuple))
        {
            return 0;
        }

        var hash = hash_conntrack_raw(tuple, state.net);
        var h = __nf_conntrack_find_get(state.net, tuple, hash);
        if (h is null)
        {
            h = init_conntrack(state.net, tuple, skb, dataoff, hash, out var enomem);
            if (enomem)
            {
                return -Include.Uapi.AsmGeneric.errno_base_h.ENOMEM;
            }

            if (h is null)
            {
                return 0;
            }
        }

        var ct = nf_ct_tuplehash_to_ctrack(h);
        ip_conntrack_info ctinfo;
        if (NF_CT_DIRECTION(h) == ip_conntrack_dir.IP_CT_DIR_REPLY)
        {
            ctinfo = ip_conntrack_info.IP_CT_ESTABLISHED_REPLY;
        }
        else if ((ct.status & IPS_SEEN_REPLY) != 0)
        {
            ctinfo = ip_conntrack_info.IP_CT_ESTABLISHED;
        }
        else if ((ct.status & IPS_EXPECTED) != 0)
        {
            ctinfo = ip_conntrack_info.IP_CT_RELATED;
        }
        else
        {
            ctinfo = ip_conntrack_info.IP_CT_NEW;
        }

        nf_ct_set(skb, ct, ctinfo);
        return 0;
    }

    // net/netfilter/nf_conntrack_core.c: nf_conntrack_handle_icmp
    /// <summary>An ICMP error is matched to the connection it quotes (RELATED); counts errors.</summary>
    [Borrows("skb")]
    private static int nf_conntrack_handle_icmp(sk_buff skb, int dataoff, byte protonum, nf_hook_state state)
    {
        // not ported: nf_conntrack_icmpv6_error — no IPv6
        int ret;
        if (state.pf == NFPROTO_IPV4 && protonum == Include.Uapi.Linux.in_h.IPPROTO_ICMP)
        {
            ret = nf_conntrack_proto_icmp_c.nf_conntrack_icmpv4_error(skb, dataoff, state);
        }
        else
        {
            return (int)NF_ACCEPT;
        }

        if (ret <= 0)
        {
            NF_CT_STAT(state.net).error++;
        }

        return ret;
    }

    // net/netfilter/nf_conntrack_core.c: generic_packet
    [Borrows("skb")]
    private static int generic_packet(nf_conn ct, sk_buff skb, ip_conntrack_info ctinfo)
    {
        // not ported: nf_ct_timeout_lookup — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_generic_pernet — field accessors: the port reads or sets these fields directly
        nf_ct_refresh_acct(ct, ctinfo, skb, netns_ct.of(nf_ct_net(ct)).generic_timeout);
        return (int)NF_ACCEPT;
    }

    // net/netfilter/nf_conntrack_core.c: nf_conntrack_handle_packet
    /// <summary>The protocol tracker's verdict; negative for invalid (its negation tells the core what to do).</summary>
    [Borrows("skb")]
    private static int nf_conntrack_handle_packet(nf_conn ct, sk_buff skb, int dataoff, ip_conntrack_info ctinfo, nf_hook_state state)
    {
        // not ported: nf_conntrack_gre_packet, nf_conntrack_sctp_packet — no SCTP or GRE
        // not ported: nf_conntrack_icmpv6_packet — no IPv6
        // not ported: nf_conntrack_udplite_packet — no UDP-Lite
        switch (nf_ct_protonum(ct))
        {
            case Include.Uapi.Linux.in_h.IPPROTO_TCP:
                return nf_conntrack_proto_tcp_c.nf_conntrack_tcp_packet(ct, skb, dataoff, ctinfo, state);
            case Include.Uapi.Linux.in_h.IPPROTO_UDP:
                return nf_conntrack_proto_udp_c.nf_conntrack_udp_packet(ct, skb, dataoff, ctinfo, state);
            case Include.Uapi.Linux.in_h.IPPROTO_ICMP:
                return nf_conntrack_proto_icmp_c.nf_conntrack_icmp_packet(ct, skb, ctinfo, state);
        }

        return generic_packet(ct, skb, ctinfo);
    }

    // net/netfilter/nf_conntrack_core.c: nf_conntrack_in
    /// <summary>
    /// The PRE_ROUTING/LOCAL_OUT hook: gives the packet its conntrack and
    /// ctinfo, lets the protocol tracker judge it, and drops it (NF_DROP,
    /// counted in drop) only when the table is full. Invalid packets pass
    /// without a conntrack (ctstate INVALID) and count in invalid.
    /// </summary>
    [Borrows("skb")]
    public static uint nf_conntrack_in(sk_buff skb, nf_hook_state state)
    {
        // not ported: nf_conntrack_event_cache — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        int ret;
        var tmpl = nf_ct_get(skb, out var ctinfo);
        if (tmpl is not null || ctinfo == ip_conntrack_info.IP_CT_UNTRACKED)
        {
            // seen before (looped back) or untracked: leave it be
            if ((tmpl is not null && !nf_ct_is_template(tmpl)) || ctinfo == ip_conntrack_info.IP_CT_UNTRACKED)
            {
                return NF_ACCEPT;
            }

            skb._nfct = null;
        }

        var dataoff = get_l4proto(skb, skbuff_h.skb_network_offset(skb), state.pf, out var protonum);
        if (dataoff <= 0)
        {
            NF_CT_STAT(state.net).invalid++;
            ret = (int)NF_ACCEPT;
            goto @out;
        }

        if (protonum == Include.Uapi.Linux.in_h.IPPROTO_ICMP)
        {
            ret = nf_conntrack_handle_icmp(skb, dataoff, protonum, state);
            if (ret <= 0)
            {
                ret = -ret;
                goto @out;
            }

            // the ICMP error was matched to a connection
            if (skb._nfct is not null)
            {
                goto @out;
            }
        }

    repeat:
        ret = resolve_normal_ct(skb, dataoff, protonum, state);
        if (ret < 0)
        {
            // too stressed to deal: the table is full
            NF_CT_STAT(state.net).drop++;
            ret = (int)NF_DROP;
            goto @out;
        }

        var ct = nf_ct_get(skb, out ctinfo);
        if (ct is null)
        {
            NF_CT_STAT(state.net).invalid++;
            ret = (int)NF_ACCEPT;
            goto @out;
        }

        ret = nf_conntrack_handle_packet(ct, skb, dataoff, ctinfo, state);
        if (ret <= 0)
        {
            nf_ct_put(ct);
            skb._nfct = null;
            skb._nfctinfo = 0;

            // the TCP tracker saw a closed connection reopened: make a fresh one
            if (ret == -(int)NF_REPEAT)
            {
                goto repeat;
            }

            NF_CT_STAT(state.net).invalid++;
            if (ret == (int)NF_DROP)
            {
                NF_CT_STAT(state.net).drop++;
            }

            ret = -ret;
            goto @out;
        }

        if (ctinfo == ip_conntrack_info.IP_CT_ESTABLISHED_REPLY && (ct.status & IPS_SEEN_REPLY) == 0)
        {
            ct.status |= IPS_SEEN_REPLY;

            // not ported: the IPCT_REPLY event.
        }

    @out:
        return (uint)ret;
    }

    // net/netfilter/nf_conntrack_core.c: __nf_ct_refresh_acct
    /// <summary>Sets the timeout to now + <paramref name="extra_jiffies"/> (relative while unconfirmed).</summary>
    public static void __nf_ct_refresh_acct(nf_conn ct, ip_conntrack_info ctinfo, uint extra_jiffies, uint bytes)
    {
        // not ported: CTINFO2DIR — field accessors: the port reads or sets these fields directly
        _ = ctinfo;
        _ = bytes;
        if ((ct.status & IPS_FIXED_TIMEOUT) != 0)
        {
            return;
        }

        if (nf_ct_is_confirmed(ct))
        {
            extra_jiffies += nfct_time_stamp(nf_ct_net(ct));
        }

        ct.timeout = extra_jiffies;

        // not ported: nf_ct_acct_update — nf_conntrack_acct is 0.
    }

    // net/netfilter/nf_conntrack_core.c: nf_ct_kill_acct
    [Borrows("skb")]
    public static bool nf_ct_kill_acct(nf_conn ct, ip_conntrack_info ctinfo, sk_buff skb)
    {
        // not ported: CTINFO2DIR — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_acct_update — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        _ = ctinfo;
        _ = skb;
        return nf_ct_delete(ct, 0, 0);
    }

    // net/netfilter/nf_conntrack_core.c: nf_conntrack_init_net
    /// <summary>A namespace's conntrack state: count 0, per-CPU stats, the protocols' default timeouts.</summary>
    public static int nf_conntrack_init_net(net net, netns_ct ct)
    {
        // not ported: nf_conntrack_acct_pernet_init, nf_conntrack_ecache_pernet_init, nf_conntrack_expect_pernet_init, nf_conntrack_tstamp_pernet_init — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        nf_ct_pernet(net).count = 0;
        nf_conntrack_proto_c.nf_conntrack_proto_pernet_init(net, ct);
        return 0;
    }

    /// <summary>Every node of the table (both directions of every confirmed entry), bucket by bucket as a walk of the hash array meets them.</summary>
    [NotInLinux("the sparse table's buckets in index order, what a loop over nf_conntrack_hash[0..htable_size) visits")]
    public static List<nf_conntrack_tuple_hash> nf_ct_hash_nodes(Vmlinux k)
    {
        var list = new List<nf_conntrack_tuple_hash>();
        var table = nf_ct_globals(k).nf_conntrack_hash;
        var buckets = new List<uint>(table.Keys);
        buckets.Sort();
        foreach (var b in buckets)
        {
            list.AddRange(table[b]);
        }

        return list;
    }
}
