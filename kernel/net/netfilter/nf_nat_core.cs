// Ports net/netfilter/nf_nat_core.c: NAT bindings. The first packet of a
// connection runs the nat table (SNAT/DNAT/MASQUERADE pick a range); then
// nf_nat_setup_info chooses a unique tuple in that range (keeping the
// source port when free, else searching the port range from a random
// offset: nf_nat_l4proto_unique_tuple) and alters the conntrack's reply
// tuple so that the answers are recognised; every later packet of either
// direction is rewritten by nf_nat_packet to match.
//
// departures: the by-source table is a dictionary of buckets, hashed with
// SipHash over the original source, protocol and namespace-free mix (see
// nf_conntrack_core.cs); its global state hangs off init_net.
// not ported: the netlink interface, nf_nat_proto_clean (module unload),
// helpers and sequence adjustment, IPv6, find_best_ips_proto's jhash spread
// over an address range (a range is a single address here: MASQUERADE and
// the scenarios' SNAT/DNAT map to one).
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_tuple_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_nat_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_tuple_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_nat_h;

namespace KernelNet.Kernel.Net.Netfilter;

/// <summary>The file-scope state of nf_nat_core.c: the by-source table and its hash key.</summary>
public sealed class nf_nat_core_state
{
    /// <summary>nf_nat_htable_size: as many buckets as conntrack has.</summary>
    public uint nf_nat_htable_size = 262144;

    /// <summary>nf_nat_bysource: conntracks with a source mapping, by hash_by_src.</summary>
    public Dictionary<uint, List<nf_conn>> nf_nat_bysource { get; } = new();

    public siphash_key_t? nf_nat_hash_rnd;
}

/// <summary>struct nf_nat_lookup_hook_priv: the tables' hooks nf_nat_inet_fn runs for a new connection.</summary>
public sealed class nf_nat_lookup_hook_priv
{
    /// <summary>entries: the tables' NAT hooks, a private hook head (nf_hook_entries_insert_raw).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "a hook head is published by ref, as C passes &priv->entries")]
    public nf_hook_entries? entries;
}

/// <summary>struct nf_nat_hooks_net: NAT's own hooks in a namespace and how many tables use them.</summary>
public sealed class nf_nat_hooks_net
{
    public nf_hook_ops[]? nat_hook_ops;

    public int users;
}

public static class nf_nat_core_c
{
    /// <summary>The kernel's NAT globals (hung off init_net).</summary>
    [NotInLinux("the file-scope globals of nf_nat_core.c, hung off init_net")]
    private static nf_nat_core_state nat_globals(Vmlinux k)
    {
        if (!k.init_net.gen.TryGetValue("nf_nat_core", out var o))
        {
            o = new nf_nat_core_state();
            k.init_net.gen["nf_nat_core"] = o;
        }

        return (nf_nat_core_state)o;
    }

    // net/netfilter/nf_nat_core.c: hash_by_src
    /// <summary>The by-source bucket of an original tuple's source side.</summary>
    private static uint hash_by_src(net net, in nf_conntrack_tuple tuple)
    {
        // not ported: siphash, net_hash_mix — the by-source table hashes with SipHash over the fields, namespace-free (see the header)
        var g = nat_globals(net.k);
        if (g.nf_nat_hash_rnd is null)
        {
            var key = new siphash_key_t();
            Drivers.Char.random_c.get_random_bytes(net.k, key);
            g.nf_nat_hash_rnd = key;
        }

        var hash = (uint)siphash_h.siphash_4u32(tuple.src.u3, ((uint)tuple.src.u << 16) | tuple.src.l3num, 0, tuple.dst.protonum, g.nf_nat_hash_rnd);
        return (uint)(((ulong)hash * g.nf_nat_htable_size) >> 32);
    }

    // net/netfilter/nf_nat_core.c: nf_nat_used_tuple
    /// <summary>Would a connection with this (post-NAT) original tuple collide with an existing one's reply?</summary>
    private static bool nf_nat_used_tuple(in nf_conntrack_tuple tuple, nf_conn ignored_conntrack)
    {
        nf_conntrack_core_c.nf_ct_invert_tuple(out var reply, tuple);
        return nf_conntrack_core_c.nf_conntrack_tuple_taken(reply, ignored_conntrack);
    }

    // net/netfilter/nf_nat_core.c: nf_nat_used_tuple_new
    /// <summary>nf_nat_used_tuple for an unaltered tuple; the reverse-clash allowance (two CPUs opening both directions at once) cannot arise on one thread.</summary>
    private static bool nf_nat_used_tuple_new(in nf_conntrack_tuple tuple, nf_conn ignored_ct)
    {
        // not ported: nf_ct_net, nf_ct_tuplehash_to_ctrack — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_zone — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_nat_allow_clash, nf_conntrack_find_get, nf_ct_invert_tuple, nf_ct_tuple_equal, nf_ct_put — the
        //   reverse-clash check, for two CPUs creating both directions of a flow at once: a packet here runs its
        //   hooks through to the confirm before the next one starts, so the reply finds the confirmed entry
        if (!nf_nat_used_tuple(tuple, ignored_ct))
        {
            return false;
        }

        // not ported: the allow_clash retry for a simultaneous reverse flow — a race between CPUs.
        return true;
    }

    // net/netfilter/nf_nat_core.c: nf_nat_may_kill
    private static bool nf_nat_may_kill(nf_conn ct, uint flags)
    {
        if (ct.tcp.state < tcp_conntrack.TCP_CONNTRACK_TIME_WAIT)
        {
            return false;
        }

        if ((flags & (IPS_FIXED_TIMEOUT | IPS_DYING)) != 0)
        {
            return false;
        }

        return (flags & IPS_SRC_NAT) == IPS_SRC_NAT;
    }

    // net/netfilter/nf_nat_core.c: nf_seq_has_advanced
    private static bool nf_seq_has_advanced(nf_conn old, nf_conn @new) =>
        (int)(@new.tcp.seen[0].td_end - old.tcp.seen[0].td_end) > 0;

    // net/netfilter/nf_nat_core.c: nf_nat_used_tuple_harder
    /// <summary>In the last attempts of a TCP port search, a TIME_WAIT mapping whose sequence the new SYN passed is evicted.</summary>
    private static bool nf_nat_used_tuple_harder(in nf_conntrack_tuple tuple, nf_conn ignored_conntrack, uint attempts_left)
    {
        // not ported: nf_ct_zone — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        nf_conntrack_core_c.nf_ct_invert_tuple(out var reply, tuple);
        if (attempts_left > NF_NAT_HARDER_THRESH || tuple.dst.protonum != Include.Uapi.Linux.in_h.IPPROTO_TCP ||
            ignored_conntrack.tcp.state != tcp_conntrack.TCP_CONNTRACK_SYN_SENT)
        {
            return nf_conntrack_core_c.nf_conntrack_tuple_taken(reply, ignored_conntrack);
        }

        var thash = nf_conntrack_core_c.nf_conntrack_find_get(nf_ct_net(ignored_conntrack), reply);
        if (thash is null)
        {
            return false;
        }

        var ct = nf_ct_tuplehash_to_ctrack(thash);
        var taken = true;
        if (thash.tuple.dst.dir != ip_conntrack_dir.IP_CT_DIR_ORIGINAL && !ReferenceEquals(ct, ignored_conntrack))
        {
            var flags = ct.status;
            if (nf_nat_may_kill(ct, flags) && nf_seq_has_advanced(ct, ignored_conntrack) && nf_ct_kill(ct))
            {
                taken = (flags & (IPS_OFFLOAD | IPS_HW_OFFLOAD)) != 0;
            }
        }

        nf_ct_put(ct);
        return taken;
    }

    // not ported: ipv6_addr_cmp — IPv4 only
    // net/netfilter/nf_nat_core.c: nf_nat_inet_in_range
    private static bool nf_nat_inet_in_range(in nf_conntrack_tuple t, in nf_nat_range2 range) =>
        t.src.u3 >= range.min_addr && t.src.u3 <= range.max_addr;

    // net/netfilter/nf_nat_core.c: l4proto_in_range
    /// <summary>Is the side NAT changes (port, or ICMP id) within [min, max]?</summary>
    private static bool l4proto_in_range(in nf_conntrack_tuple tuple, nf_nat_manip_type maniptype, ushort min, ushort max)
    {
        switch (tuple.dst.protonum)
        {
            case Include.Uapi.Linux.in_h.IPPROTO_ICMP:
                return tuple.src.u >= min && tuple.src.u <= max;
            case Include.Uapi.Linux.in_h.IPPROTO_TCP:
            case Include.Uapi.Linux.in_h.IPPROTO_UDP:
                var port = maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? tuple.src.u : tuple.dst.u;
                return port >= min && port <= max;
            default:
                return true;
        }
    }

    // net/netfilter/nf_nat_core.c: nf_in_range
    private static bool nf_in_range(in nf_conntrack_tuple tuple, in nf_nat_range2 range)
    {
        if ((range.flags & NF_NAT_RANGE_MAP_IPS) != 0 && !nf_nat_inet_in_range(tuple, range))
        {
            return false;
        }

        if ((range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) == 0)
        {
            return true;
        }

        return l4proto_in_range(tuple, nf_nat_manip_type.NF_NAT_MANIP_SRC, range.min_proto, range.max_proto);
    }

    // net/netfilter/nf_nat_core.c: same_src
    private static bool same_src(nf_conn ct, in nf_conntrack_tuple tuple)
    {
        // not ported: nf_inet_addr_cmp — IPv4 only: written out as an equality of the two addresses
        ref readonly var t = ref ct.tuplehash[0].tuple;
        return t.dst.protonum == tuple.dst.protonum && t.src.u3 == tuple.src.u3 && t.src.u == tuple.src.u;
    }

    // net/netfilter/nf_nat_core.c: find_appropriate_src
    /// <summary>Reuses the mapping an existing connection from the same source got, if it fits the range.</summary>
    private static bool find_appropriate_src(net net, in nf_conntrack_tuple tuple, out nf_conntrack_tuple result, in nf_nat_range2 range)
    {
        // not ported: nf_ct_zone_equal — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: net_eq — written out as ReferenceEquals of the two namespaces
        result = default;
        var h = hash_by_src(net, tuple);
        if (!nat_globals(net.k).nf_nat_bysource.TryGetValue(h, out var chain))
        {
            return false;
        }

        foreach (var ct in chain)
        {
            if (same_src(ct, tuple) && ReferenceEquals(net, nf_ct_net(ct)))
            {
                nf_conntrack_core_c.nf_ct_invert_tuple(out result, ct.tuplehash[1].tuple);
                result.dst = tuple.dst;
                if (nf_in_range(result, range))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // net/netfilter/nf_nat_core.c: find_best_ips_proto
    /// <summary>Puts the range's address on the side NAT changes.</summary>
    private static void find_best_ips_proto(ref nf_conntrack_tuple tuple, in nf_nat_range2 range, nf_nat_manip_type maniptype)
    {
        // not ported: jhash2 — a range is a single address here, so there is no jhash spread over it (see the header)
        // not ported: nf_ct_l3num — field accessors: the port reads or sets these fields directly
        // not ported: nf_inet_addr_cmp — the test for a one-address range: the port always takes min_addr (no
        //   hashed spread over a wider range, see jhash2 above)
        if ((range.flags & NF_NAT_RANGE_MAP_IPS) == 0)
        {
            return;
        }

        // fast path, one choice; not ported: the hashed spread over a wider range (see the file header)
        var ip = range.min_addr;
        if (maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC)
        {
            tuple.src.u3 = ip;
        }
        else
        {
            tuple.dst.u3 = ip;
        }
    }

    // net/netfilter/nf_nat_core.c: nf_nat_l4proto_unique_tuple
    /// <summary>
    /// Searches the port (or ICMP id) range for a free tuple: without a given
    /// range a source port keeps its class (1-511, 600-1023, 1024-65535),
    /// starting from a random offset; at most 128 attempts, then rounds of
    /// half as many from new random offsets.
    /// </summary>
    private static void nf_nat_l4proto_unique_tuple(ref nf_conntrack_tuple tuple, in nf_nat_range2 range, nf_nat_manip_type maniptype, nf_conn ct)
    {
        var k = nf_ct_net(ct).k;
        uint min, range_size;
        bool icmp;
        switch (tuple.dst.protonum)
        {
            case Include.Uapi.Linux.in_h.IPPROTO_ICMP:
                icmp = true;
                if ((range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) == 0)
                {
                    min = 0;
                    range_size = 65536;
                }
                else
                {
                    min = range.min_proto;
                    range_size = (uint)(range.max_proto - range.min_proto + 1);
                }

                goto find_free_id;
            case Include.Uapi.Linux.in_h.IPPROTO_UDP:
            case Include.Uapi.Linux.in_h.IPPROTO_TCP:
                icmp = false;
                break;
            default:
                return;
        }

        var key = maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? tuple.src.u : tuple.dst.u;
        if ((range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) == 0)
        {
            // a destination port is never changed without a range
            if (maniptype == nf_nat_manip_type.NF_NAT_MANIP_DST)
            {
                return;
            }

            if (key < 1024)
            {
                if (key < 512)
                {
                    min = 1;
                    range_size = 511 - min + 1;
                }
                else
                {
                    min = 600;
                    range_size = 1023 - min + 1;
                }
            }
            else
            {
                min = 1024;
                range_size = 65535 - 1024 + 1;
            }
        }
        else
        {
            min = range.min_proto;
            uint max = range.max_proto;
            if (max < min)
            {
                (max, min) = (min, max);
            }

            range_size = max - min + 1;
        }

    find_free_id:
        ushort off;
        var cur = icmp ? tuple.src.u : (maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? tuple.src.u : tuple.dst.u);
        if ((range.flags & NF_NAT_RANGE_PROTO_OFFSET) != 0)
        {
            off = (ushort)(cur - range.base_proto);
        }
        else if ((range.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL) != 0 || maniptype != nf_nat_manip_type.NF_NAT_MANIP_DST)
        {
            off = (ushort)Drivers.Char.random_c.get_random_u32(k); // get_random_u16
        }
        else
        {
            off = 0;
        }

        var attempts = Math.Min(range_size, NF_NAT_MAX_ATTEMPTS);

    another_round:
        for (uint i = 0; i < attempts; i++, off++)
        {
            var v = (ushort)(min + (off % range_size));
            if (icmp || maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC)
            {
                tuple.src.u = v;
            }
            else
            {
                tuple.dst.u = v;
            }

            if (!nf_nat_used_tuple_harder(tuple, ct, attempts - i))
            {
                return;
            }
        }

        if (attempts >= range_size || attempts < 16)
        {
            return;
        }

        attempts /= 2;
        off = (ushort)Drivers.Char.random_c.get_random_u32(k);
        goto another_round;
    }

    // net/netfilter/nf_nat_core.c: get_unique_tuple
    /// <summary>
    /// The new tuple for the connection: for SRC the original one when it
    /// already fits and is free, or an existing mapping of the same source;
    /// otherwise the range's address and, if that tuple is taken, a free
    /// port from the protocol.
    /// </summary>
    private static void get_unique_tuple(out nf_conntrack_tuple tuple, in nf_conntrack_tuple orig_tuple, in nf_nat_range2 range, nf_conn ct, nf_nat_manip_type maniptype)
    {
        // not ported: nf_ct_zone — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        var net = nf_ct_net(ct);
        if (maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC && (range.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL) == 0)
        {
            if (nf_in_range(orig_tuple, range))
            {
                if (!nf_nat_used_tuple_new(orig_tuple, ct))
                {
                    tuple = orig_tuple;
                    return;
                }
            }
            else if (find_appropriate_src(net, orig_tuple, out tuple, range))
            {
                if (!nf_nat_used_tuple(tuple, ct))
                {
                    return;
                }
            }
        }

        tuple = orig_tuple;
        find_best_ips_proto(ref tuple, range, maniptype);

        if ((range.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL) == 0)
        {
            if ((range.flags & NF_NAT_RANGE_PROTO_SPECIFIED) != 0)
            {
                if ((range.flags & NF_NAT_RANGE_PROTO_OFFSET) == 0 &&
                    l4proto_in_range(tuple, maniptype, range.min_proto, range.max_proto) &&
                    (range.min_proto == range.max_proto || !nf_nat_used_tuple(tuple, ct)))
                {
                    return;
                }
            }
            else if (!nf_nat_used_tuple(tuple, ct))
            {
                return;
            }
        }

        nf_nat_l4proto_unique_tuple(ref tuple, range, maniptype, ct);
    }

    // net/netfilter/nf_nat_core.c: nf_ct_nat_ext_add
    /// <summary>The connection's NAT extension, added while it is unconfirmed.</summary>
    public static nf_conn_nat? nf_ct_nat_ext_add(nf_conn ct)
    {
        // not ported: nfct_nat, nf_ct_ext_add — the NAT extension is the nf_conn's nat field, made with new
        if (ct.nat is null && !nf_ct_is_confirmed(ct))
        {
            ct.nat = new nf_conn_nat();
        }

        return ct.nat;
    }

    // net/netfilter/nf_nat_core.c: nf_nat_setup_info
    /// <summary>
    /// Decides the connection's SRC or DST mapping into <paramref name="range"/>:
    /// a different tuple rewrites the expected reply (IPS_SRC_NAT/IPS_DST_NAT);
    /// a source mapping is remembered by source. NF_ACCEPT.
    /// </summary>
    public static uint nf_nat_setup_info(nf_conn ct, in nf_nat_range2 range, nf_nat_manip_type maniptype)
    {
        // not ported: nf_ct_zone, nfct_help, nfct_seqadj, nfct_seqadj_ext_add — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        var net = nf_ct_net(ct);
        if (nf_ct_is_confirmed(ct))
        {
            return NF_ACCEPT;
        }

        if (nf_nat_initialized(ct, maniptype))
        {
            return NF_DROP;
        }

        // the tuple as it looks now: the inverse of the (possibly already altered) reply
        nf_conntrack_core_c.nf_ct_invert_tuple(out var curr_tuple, ct.tuplehash[1].tuple);
        get_unique_tuple(out var new_tuple, curr_tuple, range, ct, maniptype);

        if (!nf_ct_tuple_equal(new_tuple, curr_tuple))
        {
            nf_conntrack_core_c.nf_ct_invert_tuple(out var reply, new_tuple);
            nf_conntrack_alter_reply(ct, reply);
            ct.status |= maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;

            // not ported: the seqadj extension for helpers.
        }

        if (maniptype == nf_nat_manip_type.NF_NAT_MANIP_SRC)
        {
            var srchash = hash_by_src(net, ct.tuplehash[0].tuple);
            var table = nat_globals(net.k).nf_nat_bysource;
            if (!table.TryGetValue(srchash, out var chain))
            {
                chain = new List<nf_conn>();
                table[srchash] = chain;
            }

            chain.Insert(0, ct);
            ct.nat_bysource = srchash;
        }

        ct.status |= maniptype == nf_nat_manip_type.NF_NAT_MANIP_DST ? IPS_DST_NAT_DONE : IPS_SRC_NAT_DONE;
        return NF_ACCEPT;
    }

    // net/netfilter/nf_nat_core.c: __nf_nat_alloc_null_binding
    /// <summary>No rule mapped the connection: bind it to its own address (ports still made unique).</summary>
    private static uint __nf_nat_alloc_null_binding(nf_conn ct, nf_nat_manip_type manip)
    {
        var ip = manip == nf_nat_manip_type.NF_NAT_MANIP_SRC ? ct.tuplehash[1].tuple.dst.u3 : ct.tuplehash[1].tuple.src.u3;
        var range = new nf_nat_range2 { flags = NF_NAT_RANGE_MAP_IPS, min_addr = ip, max_addr = ip };
        return nf_nat_setup_info(ct, range, manip);
    }

    // net/netfilter/nf_nat_core.c: nf_nat_alloc_null_binding
    public static uint nf_nat_alloc_null_binding(nf_conn ct, nf_inet_hooks hooknum) =>
        __nf_nat_alloc_null_binding(ct, HOOK2MANIP(hooknum));

    // net/netfilter/nf_nat_core.c: nf_nat_packet
    /// <summary>Rewrites the packet when its direction and this hook's side have a mapping.</summary>
    [Borrows("skb")]
    public static uint nf_nat_packet(nf_conn ct, ip_conntrack_info ctinfo, nf_inet_hooks hooknum, sk_buff skb)
    {
        var mtype = HOOK2MANIP(hooknum);
        var dir = CTINFO2DIR(ctinfo);
        var statusbit = mtype == nf_nat_manip_type.NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
        if (dir == ip_conntrack_dir.IP_CT_DIR_REPLY)
        {
            statusbit ^= IPS_NAT_MASK;
        }

        if ((ct.status & statusbit) != 0)
        {
            return nf_nat_proto_c.nf_nat_manip_pkt(skb, ct, mtype, dir);
        }

        return NF_ACCEPT;
    }

    // net/netfilter/nf_nat_core.c: nf_nat_inet_fn
    /// <summary>
    /// NAT at a hook: a new connection runs the nat table's chain (whose
    /// target sets up the mapping) or gets a null binding; then every packet
    /// is rewritten per its direction. A masqueraded flow that now leaves by
    /// another interface is killed and the packet dropped.
    /// </summary>
    [Borrows("skb")]
    public static uint nf_nat_inet_fn(object? priv, sk_buff skb, nf_hook_state state)
    {
        // not ported: in_vrf_postrouting — no VRF (l3mdev) devices in the simulation
        var maniptype = HOOK2MANIP(state.hook);
        var ct = nf_ct_get(skb, out var ctinfo);
        if (ct is null)
        {
            return NF_ACCEPT;
        }

        var nat = nfct_nat(ct);
        switch (ctinfo)
        {
            case ip_conntrack_info.IP_CT_RELATED:
            case ip_conntrack_info.IP_CT_RELATED_REPLY:
            case ip_conntrack_info.IP_CT_NEW:
                if (!nf_nat_initialized(ct, maniptype))
                {
                    var lpriv = (nf_nat_lookup_hook_priv)priv!;
                    var e = lpriv.entries;
                    for (var i = 0; e is not null && i < e.num_hook_entries; i++)
                    {
                        var ret = nf_hook_entry_hookfn(e.hooks[i], skb, state);
                        if (ret != NF_ACCEPT)
                        {
                            return ret;
                        }

                        if (nf_nat_initialized(ct, maniptype))
                        {
                            goto do_nat;
                        }
                    }

                    var r = nf_nat_alloc_null_binding(ct, state.hook);
                    if (r != NF_ACCEPT)
                    {
                        return r;
                    }
                }
                else if (nf_nat_oif_changed(state.hook, ctinfo, nat, state.@out))
                {
                    goto oif_changed;
                }

                break;
            default:
                if (nf_nat_oif_changed(state.hook, ctinfo, nat, state.@out))
                {
                    goto oif_changed;
                }

                break;
        }

    do_nat:
        return nf_nat_packet(ct, ctinfo, state.hook, skb);

    oif_changed:
        nf_conntrack_core_c.nf_ct_kill_acct(ct, ctinfo, skb);
        return NF_DROP;
    }

    // net/netfilter/nf_nat_core.c: nf_nat_cleanup_conntrack
    /// <summary>A conntrack with a source mapping is freed: forget it by source.</summary>
    public static void nf_nat_cleanup_conntrack(nf_conn ct)
    {
        // not ported: nf_ct_net — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_zone — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: hash_by_src — the bucket the entry went into is remembered in nat_bysource: not rehashed
        if (ct.nat_bysource < 0)
        {
            return;
        }

        var table = nat_globals(ct.ct_net.k).nf_nat_bysource;
        var h = (uint)ct.nat_bysource;
        if (table.TryGetValue(h, out var chain))
        {
            chain.Remove(ct);
            if (chain.Count == 0)
            {
                table.Remove(h);
            }
        }

        ct.nat_bysource = -1;
    }

    // net/netfilter/nf_nat_core.c: nf_nat_register_fn
    /// <summary>
    /// A table's hook at <paramref name="ops"/>.hooknum joins NAT's: the
    /// first one in the namespace registers NAT's own hooks (<paramref name="orig_nat_ops"/>),
    /// and the table's function is added to the lookups nf_nat_inet_fn runs.
    /// </summary>
    public static int nf_nat_register_fn(net net, byte pf, nf_hook_ops ops, System.Collections.Immutable.ImmutableArray<nf_hook_ops> orig_nat_ops, int ops_count)
    {
        // not ported: kfree, kzalloc — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: net_generic — field accessors: the port reads or sets these fields directly
        _ = pf;
        if (!net.gen.TryGetValue("nf_nat_hooks_net", out var o))
        {
            o = new nf_nat_hooks_net();
            net.gen["nf_nat_hooks_net"] = o;
        }

        var nat_proto_net = (nf_nat_hooks_net)o;
        var hooknum = -1;
        for (var i = 0; i < ops_count; i++)
        {
            if (orig_nat_ops[i].hooknum == ops.hooknum)
            {
                hooknum = i;
                break;
            }
        }

        if (hooknum < 0)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        if (nat_proto_net.nat_hook_ops is null)
        {
            var nat_ops = new nf_hook_ops[ops_count];
            for (var i = 0; i < ops_count; i++)
            {
                nat_ops[i] = orig_nat_ops[i] with { priv = new nf_nat_lookup_hook_priv() };
            }

            core_c.nf_register_net_hooks(net, nat_ops);
            nat_proto_net.nat_hook_ops = nat_ops;
        }

        var priv = (nf_nat_lookup_hook_priv)nat_proto_net.nat_hook_ops[hooknum].priv!;

        var ret = core_c.nf_hook_entries_insert_raw(ref priv.entries, ops);
        if (ret != 0)
        {
            return ret;
        }

        nat_proto_net.users++;
        return 0;
    }
}
