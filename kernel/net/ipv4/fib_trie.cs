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
    public static int fib_table_lookup(fib_table tb, flowi4 flp, fib_result res, uint fib_flags)
    {
        // not ported: IS_LEAF, IS_TRIE, get_child_rcu, get_cindex, get_index, node_parent_rcu, prefix_mismatch — a table is a list searched for the longest prefix, not an LC-trie (see the header)
        // not ported: fib_info_nhc — field accessors: the port reads or sets these fields directly
        // not ported: nexthop_get_nhc_lookup, nexthop_is_blackhole — no nexthop objects: a fib_info holds its own nexthops
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
        // not ported: kmem_cache_alloc, kmem_cache_free — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
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
}
