// Ports net/ipv4/fib_trie.c: route tables and their lookup.
//
// departure: a table is a list searched for the longest matching prefix,
// not an LC-trie; the result (longest prefix, then lowest priority, then
// first inserted) is the same for the tables a scenario builds.
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Trace.Events.fib_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class fib_trie_c
{
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/inetdevice.h's inet_make_mask in host order")]
    private static uint prefix_mask(int len) => len == 0 ? 0 : ~((1u << (32 - len)) - 1);

    // net/ipv4/fib_trie.c: fib_table_lookup
    /// <summary>
    /// Longest-prefix match of flp.daddr among routes whose scope is at least
    /// flp's; fills <paramref name="res"/>. -ENETUNREACH when nothing matches.
    /// Traces fib_table_lookup with the table the caller asked for.
    /// </summary>
    public static int fib_table_lookup(fib_table tb, in flowi4 flp, ref fib_result res, uint fib_flags)
    {
        // not ported: IS_LEAF, IS_TRIE, get_child_rcu, get_cindex, get_index, node_parent_rcu, prefix_mismatch — a table is a list searched for the longest prefix, not an LC-trie (see the header)
        // not ported: fib_info_nhc — field accessors: the port reads or sets these fields directly
        // not ported: nexthop_get_nhc_lookup, nexthop_is_blackhole — no nexthop objects: a fib_info holds its own nexthops
        // not ported: fib_alias_accessed — FA_S_ACCESSED is not tracked: fib_table_delete flushes for every alias;
        //   fib_dscp_masked_match — routes carry no TOS/DSCP here, every alias matches; fib_info_num_path,
        //   fib_lookup_good_nhc — one next hop per route, skipped above when dead (RTNH_F_DEAD)
        fib_alias? best = null;
        foreach (var fa in tb.tb_data)
        {
            if (((flp.daddr ^ fa.dst) & prefix_mask(fa.dst_len)) != 0)
            {
                continue;
            }

            if (fa.fa_scope < flp.flowi4_scope)
            {
                continue;
            }

            // a route whose next hop died (its device went down) waits for fib_flush: no lookup takes it
            if ((fa.fib_flags & ip_fib_h.RTNH_F_DEAD) != 0 || (fa.fib_nh_flags & ip_fib_h.RTNH_F_DEAD) != 0)
            {
                continue;
            }

            if (flp.flowi4_oif != 0 && fa.nh_dev is { } d && d.ifindex != flp.flowi4_oif && fa.fa_type != rtn_type.RTN_LOCAL)
            {
                continue;
            }

            if (best is null || fa.dst_len > best.dst_len || (fa.dst_len == best.dst_len && fa.fib_priority < best.fib_priority))
            {
                best = fa;
            }
        }

        var k = tb.net.k;
        if (best is null)
        {
            trace_fib_table_lookup(tb.tb_id, flp, null, -errno_h.ENETUNREACH, k);
            return -errno_h.ENETUNREACH;
        }

        res.prefixlen = (byte)best.dst_len;
        res.type = best.fa_type;
        res.scope = best.fa_scope;
        res.fa = best;
        res.table = tb;
        trace_fib_table_lookup(tb.tb_id, flp, best, 0, k);
        return 0;
    }

    // net/ipv4/fib_trie.c: fib_table_insert
    /// <summary>Adds a route; an identical one (same prefix, type, table, device, gateway) is not added twice.</summary>
    public static int fib_table_insert(fib_table tb, fib_alias fa)
    {
        // not ported: fib_find_node, fib_insert_alias, fib_find_alias, fib_remove_alias — a table is a list of aliases, not an LC-trie (see the header)
        // not ported: alias_free_mem_rcu — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // not ported: call_fib_entry_notifiers, rtmsg_fib — no netlink messages or notifier chains
        // not ported: kmem_cache_alloc, kmem_cache_free — the port creates no fib_alias/trie kmem_cache (mm/slab counts only the caches it creates): new objects the garbage collector frees
        // not ported: fib_create_info, fib_release_info — the caller hands a ready alias holding its next hop (no
        //   shared fib_info to find, count or release)
        foreach (var o in tb.tb_data)
        {
            if (o.dst == fa.dst && o.dst_len == fa.dst_len && o.tb_id == fa.tb_id && o.fa_type == fa.fa_type && o.nh_dev == fa.nh_dev && o.nh_gw4 == fa.nh_gw4)
            {
                return -errno_base_h.EEXIST;
            }
        }

        tb.tb_data.Add(fa);

        // a new route may be a better match for flows whose routes are cached
        route_c.rt_cache_flush(tb.net);
        return 0;
    }

    // not ported: fib_notify_alias_delete, rtmsg_fib — no FIB notifier or rtnetlink listeners; fib_release_info,
    // alias_free_mem_rcu — the alias holds its fib_info, the garbage collector frees both; the trie's node
    // handling (fib_find_node, fib_find_alias, fib_remove_alias's leaf and suffix upkeep) — one list;
    // fib_nh_match and fib_metrics_match are the next hop's device test below (one next hop, no metrics);
    // inet_dscp_to_dsfield — routes carry no TOS/DSCP here.
    // net/ipv4/fib_trie.c: fib_table_delete
    /// <summary>
    /// Removes the route <paramref name="cfg"/> names: its prefix, and of the aliases there the
    /// first whose type, scope (unless RT_SCOPE_NOWHERE), preferred source and device (when
    /// given) match. -ESRCH when there is none. Cached routes are flushed (every alias counts
    /// as accessed: FA_S_ACCESSED is not tracked).
    /// </summary>
    public static int fib_table_delete(net net, fib_table tb, fib_config cfg)
    {
        fib_alias? fa_to_delete = null;
        foreach (var fa in tb.tb_data)
        {
            if (fa.dst != cfg.fc_dst || fa.dst_len != cfg.fc_dst_len || fa.tb_id != tb.tb_id)
            {
                continue;
            }

            var scope = cfg.fc_scope ?? route_h.RT_SCOPE_NOWHERE;
            if ((cfg.fc_type == rtn_type.RTN_UNSPEC || fa.fa_type == cfg.fc_type) &&
                (scope == route_h.RT_SCOPE_NOWHERE || fa.fa_scope == scope) &&
                (cfg.fc_prefsrc == 0 || fa.fib_prefsrc == cfg.fc_prefsrc) &&
                (cfg.fc_oif == 0 || fa.nh_dev?.ifindex == cfg.fc_oif) &&
                (cfg.fc_gw4 == 0 || fa.nh_gw4 == cfg.fc_gw4))
            {
                fa_to_delete = fa;
                break;
            }
        }

        if (fa_to_delete is null)
        {
            return -errno_base_h.ESRCH;
        }

        tb.tb_data.Remove(fa_to_delete);
        route_c.rt_cache_flush(net);
        return 0;
    }

    // not ported: the trie walk and its upkeep — IS_TRIE, IS_TNODE, get_child, get_index, update_suffix, resize,
    // put_child_root, node_free (one list here); fib_notify_alias_delete, rtmsg_fib — no FIB notifier or
    // rtnetlink listeners; fib_release_info, alias_free_mem_rcu — the garbage collector frees the alias.
    // net/ipv4/fib_trie.c: fib_table_flush
    /// <summary>
    /// Removes the routes of table <paramref name="tb"/> whose fib_info died (RTNH_F_DEAD), or
    /// every route of it with <paramref name="flush_all"/>; an error route (unreachable,
    /// prohibit, blackhole) only when dead or flushing all. Returns how many went.
    /// </summary>
    public static int fib_table_flush(net net, fib_table tb, bool flush_all)
    {
        var found = 0;

        // walk in reverse order, as the trie walk does
        for (var i = tb.tb_data.Count - 1; i >= 0; i--)
        {
            var fa = tb.tb_data[i];
            var error = fa.fa_type is rtn_type.RTN_UNREACHABLE or rtn_type.RTN_PROHIBIT or rtn_type.RTN_BLACKHOLE;
            if (tb.tb_id != fa.tb_id || ((fa.fib_flags & ip_fib_h.RTNH_F_DEAD) == 0 && !error))
            {
                continue;
            }

            if (!flush_all && error && (fa.fib_flags & ip_fib_h.RTNH_F_DEAD) == 0)
            {
                continue;
            }

            tb.tb_data.RemoveAt(i);
            found++;
        }

        return found;
    }
}
