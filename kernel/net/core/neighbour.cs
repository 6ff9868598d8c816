// Ports net/core/neighbour.c: the generic neighbour layer — creating
// entries, queueing packets while an address is resolved, the NUD state
// machine and its timer, and sending once resolved (TX-4).
//
// not ported: garbage collection, proxy neighbours, netlink notifications,
// hh header caching (neigh_hh_output: every send builds its header),
// the periodic work that re-randomizes reachable_time (the port keeps it at
// its base), and the NETEVENT_DELAY_PROBE_TIME_UPDATE notifier (no listener here).
// A device going down or away flushes its entries (neigh_ifdown).
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Kernel.sysctl_c;
using static KernelNet.Kernel.Net.sysctl_net_c;
using static KernelNet.Kernel.Include.Linux.bottom_half_h;
using static KernelNet.Kernel.Include.Linux.jiffies_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.neighbour_h;
using static KernelNet.Kernel.Include.Trace.Events.neigh_h;
using static KernelNet.Kernel.Kernel.Time.timer_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Core;

public static class neighbour_c
{
    // net/core/neighbour.c: neigh_add_timer
    private static void neigh_add_timer(neighbour n, ulong when)
    {
        // not ported: time_before, time_in_range — they feed only the "timer scheduled in the past" debug print
        n.timer ??= new timer_list(t => neigh_timer_handler((neighbour)t.owner!)) { owner = n };
        // The pending timer holds a reference on the entry.
        neigh_hold(n);
        mod_timer(n.dev.nd_net.k, n.timer, when);
    }

    // net/core/neighbour.c: neigh_del_timer
    private static bool neigh_del_timer(neighbour n)
    {
        if ((n.nud_state & NUD_IN_TIMER) != 0 && n.timer is not null && timer_delete(n.timer))
        {
            neigh_release(n);
            return true;
        }

        return false;
    }

    // not ported: the gc and managed lists (gc_list, managed_list, gc_entries) — no garbage collection here.
    // net/core/neighbour.c: neigh_mark_dead
    /// <summary>The entry is out of its table: dead, whoever still holds it.</summary>
    private static void neigh_mark_dead(neighbour n)
    {
        n.dead = true;
    }

    // net/core/neighbour.c: neigh_alloc
    private static neighbour neigh_alloc(neigh_table tbl, net_device dev, uint pkey)
    {
        // not ported: __skb_queue_head_init, timer_setup, neigh_parms_clone — the arp queue is built with the object, the timer on first neigh_add_timer; the parms are the table's, taken in the constructor
        // not ported: NEIGH_CACHE_STAT_INC, neigh_forced_gc, net_info_ratelimited, time_after, kzalloc — no statistics or garbage collector: the table never refuses an entry; the entry is a C# object
        var n = new neighbour(tbl, dev, pkey)
        {
            nud_state = NUD_NONE,
            updated = dev.nd_net.k.jiffies,
            used = dev.nd_net.k.jiffies,
            output = neigh_blackhole,
        };
        tbl.entries++;
        return n;
    }

    // net/core/neighbour.c: neigh_blackhole
    [Consumes("skb")]
    private static int neigh_blackhole(neighbour neigh, sk_buff skb)
    {
        // not ported: kfree_skb — departure: the port frees with kfree_skb_reason(NEIGH_DEAD) where 6.18.26 calls plain kfree_skb (NOT_SPECIFIED); left for the neighbour owner to settle
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_DEAD);
        return -Include.Uapi.AsmGeneric.errno_h.ENETDOWN;
    }

    // not ported: the per-device list (dev_list: the table is searched by device below), n->lock — one thread;
    // neigh_dbg — no debug log.
    // net/core/neighbour.c: neigh_flush_one
    /// <summary>
    /// Takes the entry out of its table: its timer stopped, marked dead; if someone still holds it,
    /// its queued packets are dropped (QUEUE_PURGE), it sends nothing more (neigh_blackhole) and
    /// keeps only whether it was valid (NOARP) or not (NONE). The table's reference goes last.
    /// </summary>
    private static void neigh_flush_one(neighbour n)
    {
        n.tbl.nht.Remove((n.dev, n.primary_key));

        neigh_del_timer(n);
        neigh_mark_dead(n);

        if (n.refcnt != 1)
        {
            // still in use: it cannot be destroyed yet, but nothing may go through it
            __skb_queue_purge(n.arp_queue);
            n.arp_queue_len_bytes = 0;
            n.output = neigh_blackhole;

            if ((n.nud_state & NUD_VALID) != 0)
            {
                n.nud_state = NUD_NOARP;
            }
            else
            {
                n.nud_state = NUD_NONE;
            }
        }

        neigh_cleanup_and_release(n);
    }

    // not ported: neigh_get_dev_table — the port's table is keyed by (device, key): the device's entries are
    // picked out of it.
    // net/core/neighbour.c: neigh_flush_dev
    /// <summary>Flushes every entry of the table on <paramref name="dev"/> (with <paramref name="skip_perm"/>, not the permanent ones).</summary>
    private static void neigh_flush_dev(neigh_table tbl, net_device dev, bool skip_perm)
    {
        var dev_head = new System.Collections.Generic.List<neighbour>();
        foreach (var n in tbl.nht.Values)
        {
            if (n.dev == dev)
            {
                dev_head.Add(n);
            }
        }

        foreach (var n in dev_head)
        {
            // NTF_EXT_VALIDATED: no externally validated entries here
            if (skip_perm && (n.nud_state & NUD_PERMANENT) != 0)
            {
                continue;
            }

            neigh_flush_one(n);
        }
    }

    // not ported: neigh_flush_table (a NULL device) — the port always names the device; pneigh_ifdown,
    // pneigh_queue_purge, the proxy timer (skb_queue_empty_lockless, timer_delete_sync) — no proxy neighbours;
    // tbl->lock — one thread; dev_net — the device's nd_net.
    // net/core/neighbour.c: __neigh_ifdown
    /// <summary>The device's entries leave the table (the permanent ones too unless <paramref name="skip_perm"/>).</summary>
    private static int __neigh_ifdown(neigh_table tbl, net_device dev, bool skip_perm)
    {
        neigh_flush_dev(tbl, dev, skip_perm);
        return 0;
    }

    // net/core/neighbour.c: neigh_ifdown
    /// <summary>The device went down or away: all its entries go, permanent ones included.</summary>
    public static int neigh_ifdown(neigh_table tbl, net_device dev)
    {
        __neigh_ifdown(tbl, dev, false);
        return 0;
    }

    // not ported: __neigh_notify, call_netevent_notifiers — no rtnetlink or netevent listeners here.
    // net/core/neighbour.c: neigh_cleanup_and_release
    /// <summary>The table lets go of an entry it no longer holds: traced, then its reference dropped.</summary>
    private static void neigh_cleanup_and_release(neighbour neigh)
    {
        trace_neigh_cleanup_and_release(neigh, 0);
        neigh_release(neigh);
    }

    // net/core/neighbour.c: neigh_lookup
    public static neighbour? neigh_lookup(neigh_table tbl, uint pkey, net_device dev)
    {
        // not ported: NEIGH_CACHE_STAT_INC — no /proc/net/stat neighbour statistics
        var n = __neigh_lookup_noref(tbl, pkey, dev);
        if (n is not null)
        {
            n.refcnt++;
        }

        return n;
    }

    // net/core/neighbour.c: ___neigh_create
    private static neighbour ___neigh_create(neigh_table tbl, uint pkey, net_device dev, bool exempt_from_gc, bool want_ref)
    {
        // not ported: neigh_hold, neigh_release, netdev_hold, neigh_dbg — the reference counts are written as refcnt updates; no device refcounts; neigh_dbg is a debug log line
        // not ported: hash, neigh_for_each_in_bucket, neigh_get_dev_table, neigh_hash_grow — the table is a C# dictionary keyed by (device, key): no hash buckets to grow or walk
        var n = neigh_alloc(tbl, dev, pkey);
        trace_neigh_create(tbl, dev, pkey, n, exempt_from_gc);
        tbl.constructor(n);
        n.confirmed = dev.nd_net.k.jiffies - ((ulong)NEIGH_VAR(n.parms, NEIGH_VAR_BASE_REACHABLE_TIME) << 1);

        // The constructor may have changed the key (loopback: 0): an entry already there under it is the answer.
        if (tbl.nht.TryGetValue((dev, n.primary_key), out var n1))
        {
            if (want_ref)
            {
                n1.refcnt++;
            }

            // neigh_release(n): the new entry was never hashed.
            tbl.entries--;
            return n1;
        }

        tbl.nht[(dev, n.primary_key)] = n;
        if (want_ref)
        {
            n.refcnt++;
        }

        return n;
    }

    // net/core/neighbour.c: __neigh_create
    /// <summary>
    /// A new entry in NUD_NONE (the protocol's constructor picks its ops and output); traces
    /// neigh_create. An entry on a loopback device is exempt from garbage collection.
    /// </summary>
    public static neighbour __neigh_create(neigh_table tbl, uint pkey, net_device dev, bool want_ref)
    {
        var exempt_from_gc = (dev.flags & net_device.IFF_LOOPBACK) != 0;
        return ___neigh_create(tbl, pkey, dev, exempt_from_gc, want_ref);
    }

    // net/core/neighbour.c: neigh_max_probes
    private static int neigh_max_probes(neighbour n)
    {
        var p = n.parms;
        return NEIGH_VAR(p, NEIGH_VAR_UCAST_PROBES) + NEIGH_VAR(p, NEIGH_VAR_APP_PROBES) + ((n.nud_state & NUD_PROBE) != 0 ? NEIGH_VAR(p, NEIGH_VAR_MCAST_REPROBES) : NEIGH_VAR(p, NEIGH_VAR_MCAST_PROBES));
    }

    // not ported: NEIGH_CACHE_STAT_INC — no neighbour cache statistics; ndo_neigh_destroy — no device has one;
    // neigh_dbg — no debug log;
    // netdev_put, neigh_parms_put, kfree_rcu — the garbage collector frees the entry; the warnings of an alive
    // entry or a pending timer (pr_warn, dump_stack) — the port just returns for the first.
    // net/core/neighbour.c: neigh_destroy
    /// <summary>The last reference to a dead entry went: its queued packets are dropped (QUEUE_PURGE) and the table counts one entry less.</summary>
    public static void neigh_destroy(neighbour neigh)
    {
        if (!neigh.dead)
        {
            return;
        }

        neigh_del_timer(neigh);

        __skb_queue_purge(neigh.arp_queue);
        neigh.arp_queue_len_bytes = 0;

        neigh.tbl.entries--;
    }

    // not ported: neigh_dbg — a debug log line
    // net/core/neighbour.c: neigh_suspect
    private static void neigh_suspect(neighbour neigh) => neigh.output = neigh.ops.output;

    // not ported: neigh_dbg — a debug log line
    // net/core/neighbour.c: neigh_connect
    private static void neigh_connect(neighbour neigh) => neigh.output = neigh.ops.connected_output;

    // net/core/neighbour.c: neigh_invalidate
    /// <summary>Resolution failed: each queued packet is reported (ICMP host unreachable to its sender) and dropped NEIGH_FAILED.</summary>
    private static void neigh_invalidate(neighbour neigh)
    {
        // not ported: NEIGH_CACHE_STAT_INC, neigh_dbg, __skb_queue_purge — no neighbour statistics; debug log line; the queue is purged with skb_queue_purge_reason(NEIGH_FAILED)
        while (neigh.nud_state == NUD_FAILED && __skb_dequeue(neigh.arp_queue) is { } skb)
        {
            neigh.arp_queue_len_bytes -= (int)skb.truesize;
            neigh.ops.error_report(neigh, skb);
        }

        skb_queue_purge_reason(neigh.arp_queue, skb_drop_reason.SKB_DROP_REASON_NEIGH_FAILED);
        neigh.arp_queue_len_bytes = 0;
    }

    // net/core/neighbour.c: neigh_probe
    /// <summary>Sends one solicitation, carrying a clone of the newest queued packet (for its addresses).</summary>
    private static void neigh_probe(neighbour neigh)
    {
        // not ported: skb_peek_tail — the tail is read as arp_queue.last
        var skb = neigh.arp_queue.last;
        var clone = skb is null ? null : skb_clone(skb);
        neigh.ops.solicit(neigh, clone);
        neigh.probes++;
        // neigh_probe is inlined into __neigh_event_send in the real kernel;
        // the consume_skb tracepoint's location says so there too.
        consume_skb(clone, nameof(__neigh_event_send));
    }

    // net/core/neighbour.c: neigh_timer_handler
    /// <summary>
    /// The NUD timer (TIMER softirq): REACHABLE ages to DELAY/STALE; while
    /// INCOMPLETE or PROBE it re-solicits every retrans_time until
    /// neigh_max_probes, then FAILED drops the queue.
    /// </summary>
    [SoftirqContext]
    private static void neigh_timer_handler(neighbour neigh)
    {
        // not ported: timer_container_of, neigh_update_notify, neigh_dbg — the callback gets the entry from the timer's owner; no netlink notifications; debug log line
        var k = neigh.dev.nd_net.k;
        var state = neigh.nud_state;
        var now = k.jiffies;
        var next = now + (ulong)Vmlinux.HZ;

        if ((state & NUD_IN_TIMER) == 0)
        {
            goto @out;
        }

        if ((state & NUD_REACHABLE) != 0)
        {
            if (time_before_eq(now, neigh.confirmed + neigh.parms.reachable_time))
            {
                next = neigh.confirmed + neigh.parms.reachable_time;
            }
            else if (time_before_eq(now, neigh.used + (ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_DELAY_PROBE_TIME)))
            {
                neigh.nud_state = NUD_DELAY;
                neigh.updated = k.jiffies;
                neigh_suspect(neigh);
                next = now + (ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_DELAY_PROBE_TIME);
            }
            else
            {
                neigh.nud_state = NUD_STALE;
                neigh.updated = k.jiffies;
                neigh_suspect(neigh);
            }
        }
        else if ((state & NUD_DELAY) != 0)
        {
            if (time_before_eq(now, neigh.confirmed + (ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_DELAY_PROBE_TIME)))
            {
                neigh.nud_state = NUD_REACHABLE;
                neigh.updated = k.jiffies;
                neigh_connect(neigh);
                next = neigh.confirmed + neigh.parms.reachable_time;
            }
            else
            {
                neigh.nud_state = NUD_PROBE;
                neigh.updated = k.jiffies;
                neigh.probes = 0;
                next = now + Math.Max((ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_RETRANS_TIME), (ulong)(Vmlinux.HZ / 100));
            }
        }
        else
        {
            next = now + Math.Max((ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_RETRANS_TIME), (ulong)(Vmlinux.HZ / 100));
        }

        if ((neigh.nud_state & (NUD_INCOMPLETE | NUD_PROBE)) != 0 && neigh.probes >= neigh_max_probes(neigh))
        {
            neigh.nud_state = NUD_FAILED;
            neigh_invalidate(neigh);
            goto @out;
        }

        if ((neigh.nud_state & NUD_IN_TIMER) != 0)
        {
            if (time_before(next, k.jiffies + (ulong)(Vmlinux.HZ / 100)))
            {
                next = k.jiffies + (ulong)(Vmlinux.HZ / 100);
            }

            if (!mod_timer(k, neigh.timer!, next))
            {
                neigh_hold(neigh);
            }
        }

        if ((neigh.nud_state & (NUD_INCOMPLETE | NUD_PROBE)) != 0)
        {
            neigh_probe(neigh);
        }

    @out:
        trace_neigh_timer_handler(neigh, 0);
        // The reference the expired timer held.
        neigh_release(neigh);
    }

    // net/core/neighbour.c: __neigh_event_send
    /// <summary>
    /// A packet needs an unresolved neighbour: start resolution (INCOMPLETE,
    /// first solicitation now), queue the packet on arp_queue (dropping the
    /// oldest with NEIGH_QUEUEFULL over unres_qlen_bytes). 1: the skb was
    /// queued or dropped and is no longer the caller's; 0: the caller keeps
    /// it and may send it now.
    /// </summary>
    [Consumes("skb", WhenReturnsNonZero = true)]
    public static int __neigh_event_send(neighbour neigh, sk_buff? skb, bool immediate_ok)
    {
        // not ported: NEIGH_CACHE_STAT_INC, neigh_dbg, skb_dst_force — no /proc/net/stat neighbour statistics; neigh_dbg is a debug log line; dst refs are not counted
        var k = neigh.dev.nd_net.k;
        var rc = 0;
        var immediate_probe = false;

        local_bh_disable(k);
        if ((neigh.nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) != 0)
        {
            goto out_unlock_bh;
        }

        if (neigh.dead)
        {
            goto out_dead;
        }

        if ((neigh.nud_state & (NUD_STALE | NUD_INCOMPLETE)) == 0)
        {
            if (NEIGH_VAR(neigh.parms, NEIGH_VAR_MCAST_PROBES) + NEIGH_VAR(neigh.parms, NEIGH_VAR_APP_PROBES) != 0)
            {
                neigh.probes = NEIGH_VAR(neigh.parms, NEIGH_VAR_UCAST_PROBES);
                neigh_del_timer(neigh);
                neigh.nud_state = NUD_INCOMPLETE;
                neigh.updated = k.jiffies;
                var next = k.jiffies + Math.Max((ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_RETRANS_TIME), (ulong)(Vmlinux.HZ / 100));
                neigh_add_timer(neigh, next);
                immediate_probe = true;
            }
            else
            {
                neigh.nud_state = NUD_FAILED;
                neigh.updated = k.jiffies;
                local_bh_enable(k);
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_FAILED);
                return 1;
            }
        }
        else if ((neigh.nud_state & NUD_STALE) != 0)
        {
            neigh_del_timer(neigh);
            neigh.nud_state = NUD_DELAY;
            neigh.updated = k.jiffies;
            neigh_add_timer(neigh, k.jiffies + (ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_DELAY_PROBE_TIME));
        }

        if (neigh.nud_state == NUD_INCOMPLETE)
        {
            if (skb is not null)
            {
                while (neigh.arp_queue_len_bytes + skb.truesize > NEIGH_VAR(neigh.parms, NEIGH_VAR_QUEUE_LEN_BYTES))
                {
                    var buff = __skb_dequeue(neigh.arp_queue);
                    if (buff is null)
                    {
                        break;
                    }

                    neigh.arp_queue_len_bytes -= (int)buff.truesize;
                    kfree_skb_reason(buff, skb_drop_reason.SKB_DROP_REASON_NEIGH_QUEUEFULL);
                }

                __skb_queue_tail(neigh.arp_queue, skb);
                neigh.arp_queue_len_bytes += (int)skb.truesize;
            }

            rc = 1;
        }

    out_unlock_bh:
        if (immediate_probe)
        {
            neigh_probe(neigh);
        }

        local_bh_enable(k);
        trace_neigh_event_send_done(neigh, rc);
        return rc;

    out_dead:
        local_bh_enable(k);
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_DEAD);
        trace_neigh_event_send_dead(neigh, 1);
        return 1;
    }

    // net/core/neighbour.c: __neigh_update
    /// <summary>
    /// Moves an entry to a new state with a (possibly new) address; going
    /// from unresolved to valid sends every queued packet (TX-4).
    /// </summary>
    private static int __neigh_update(neighbour neigh, byte[]? lladdr, byte @new, uint flags, uint nlmsg_pid)
    {
        // not ported: neigh_update_hhs, dst_neigh_lookup_skb, skb_dst, neigh_release, __skb_queue_purge — no hh cache (file header); each queued skb goes out through this entry's output, not its dst's neighbour; the queue is drained in the loop
        // not ported: neigh_update_flags, neigh_update_is_router, neigh_update_managed_list, neigh_update_gc_list, neigh_update_notify — no NTF_ROUTER/managed/extern flags, no garbage collector, no netlink notifications (file header)
        var k = neigh.dev.nd_net.k;
        var err = -Include.Uapi.AsmGeneric.errno_base_h.EPERM;
        trace_neigh_update(neigh, lladdr, @new, flags, nlmsg_pid);

        var old = neigh.nud_state;
        if (neigh.dead)
        {
            goto @out;
        }

        // Only an administrator (ip neigh) may change a permanent or NOARP entry: ARP cannot (-EPERM).
        if ((flags & NEIGH_UPDATE_F_ADMIN) == 0 && (old & (NUD_NOARP | NUD_PERMANENT)) != 0)
        {
            goto @out;
        }

        if ((@new & NUD_VALID) == 0)
        {
            neigh_del_timer(neigh);
            if ((old & NUD_CONNECTED) != 0)
            {
                neigh_suspect(neigh);
            }

            neigh.nud_state = @new;
            err = 0;
            if ((old & (NUD_INCOMPLETE | NUD_PROBE)) != 0 && (@new & NUD_FAILED) != 0)
            {
                neigh_invalidate(neigh);
            }

            goto @out;
        }

        byte[] addr;
        if (lladdr is not null)
        {
            addr = (old & NUD_VALID) != 0 && lladdr.AsSpan(0, neigh.dev.addr_len).SequenceEqual(neigh.ha.AsSpan(0, neigh.dev.addr_len)) ? neigh.ha : lladdr;
        }
        else
        {
            err = -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
            if ((old & NUD_VALID) == 0)
            {
                goto @out;
            }

            addr = neigh.ha;
        }

        if ((@new & NUD_CONNECTED) != 0)
        {
            neigh.confirmed = k.jiffies;
        }

        err = 0;
        if ((old & NUD_VALID) != 0)
        {
            if (addr != neigh.ha && (flags & NEIGH_UPDATE_F_OVERRIDE) == 0)
            {
                if ((flags & NEIGH_UPDATE_F_WEAK_OVERRIDE) != 0 && (old & NUD_CONNECTED) != 0)
                {
                    addr = neigh.ha;
                    @new = NUD_STALE;
                }
                else
                {
                    goto @out;
                }
            }
            else if (addr == neigh.ha && @new == NUD_STALE && (flags & NEIGH_UPDATE_F_ADMIN) == 0)
            {
                @new = old;
            }
        }

        if (@new != old || addr != neigh.ha)
        {
            neigh.updated = k.jiffies;
        }

        if (@new != old)
        {
            neigh_del_timer(neigh);
            if ((@new & NUD_PROBE) != 0)
            {
                neigh.probes = 0;
            }

            if ((@new & NUD_IN_TIMER) != 0)
            {
                neigh_add_timer(neigh, k.jiffies + ((@new & NUD_REACHABLE) != 0 ? neigh.parms.reachable_time : 0));
            }

            neigh.nud_state = @new;
        }

        if (addr != neigh.ha)
        {
            addr.AsSpan(0, neigh.dev.addr_len).CopyTo(neigh.ha);
            if ((@new & NUD_CONNECTED) == 0)
            {
                neigh.confirmed = k.jiffies - ((ulong)NEIGH_VAR(neigh.parms, NEIGH_VAR_BASE_REACHABLE_TIME) << 1);
            }
        }

        if (@new == old)
        {
            goto @out;
        }

        if ((@new & NUD_CONNECTED) != 0)
        {
            neigh_connect(neigh);
        }
        else
        {
            neigh_suspect(neigh);
        }

        if ((old & NUD_VALID) == 0)
        {
            while ((neigh.nud_state & NUD_VALID) != 0 && __skb_dequeue(neigh.arp_queue) is { } skb)
            {
                neigh.arp_queue_len_bytes -= (int)skb.truesize;
                neigh.output(neigh, skb);
            }

            neigh.arp_queue_len_bytes = 0;
        }

    @out:
        trace_neigh_update_done(neigh, err);
        return err;
    }

    // net/core/neighbour.c: neigh_update
    public static int neigh_update(neighbour neigh, byte[]? lladdr, byte @new, uint flags, uint nlmsg_pid) =>
        __neigh_update(neigh, lladdr, @new, flags, nlmsg_pid);

    // net/core/neighbour.c: neigh_event_ns
    /// <summary>A solicitation from <paramref name="saddr"/> taught us its address: the entry becomes STALE with it.</summary>
    public static neighbour? neigh_event_ns(neigh_table tbl, byte[] lladdr, uint saddr, net_device dev)
    {
        var neigh = __neigh_lookup(tbl, saddr, dev, lladdr is not null || dev.addr_len == 0);
        if (neigh is not null)
        {
            neigh_update(neigh, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE, 0);
        }

        return neigh;
    }

    // net/core/neighbour.c: neigh_resolve_output
    /// <summary>The output while unresolved: resolve (maybe queueing), then build the link header and dev_queue_xmit.</summary>
    [Consumes("skb")]
    public static int neigh_resolve_output(neighbour neigh, sk_buff skb)
    {
        // not ported: __skb_pull, skb_network_offset, neigh_hh_init — no hh cache (file header); the skb arrives with data at the network header
        var rc = 0;
        if (neigh_event_send(neigh, skb) == 0)
        {
            var dev = neigh.dev;
            var err = dev_hard_header(skb, dev, skb.protocol, neigh.ha, null, skb.len);
            if (err >= 0)
            {
                rc = dev_queue_xmit(skb);
            }
            else
            {
                rc = -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_HH_FILLFAIL);
            }
        }

        return rc;
    }

    // net/core/neighbour.c: neigh_connected_output
    /// <summary>The output once resolved: build the header with the known address and send.</summary>
    [Consumes("skb")]
    public static int neigh_connected_output(neighbour neigh, sk_buff skb)
    {
        // not ported: __skb_pull, skb_network_offset — the skb arrives with data at the network header (no hh cache), so there is nothing to pull back
        var dev = neigh.dev;
        var err = dev_hard_header(skb, dev, skb.protocol, neigh.ha, null, skb.len);
        if (err >= 0)
        {
            return dev_queue_xmit(skb);
        }

        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_HH_FILLFAIL);
        return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
    }

    // net/core/neighbour.c: neigh_direct_output
    /// <summary>The output of devices without link-layer addresses.</summary>
    [Consumes("skb")]
    public static int neigh_direct_output(neighbour neigh, sk_buff skb) => dev_queue_xmit(skb);

    // net/core/neighbour.c: neigh_parms_alloc
    /// <summary>
    /// A device's own parms: a copy of the table's defaults as they are now
    /// (arp_tbl.parms, which net.ipv4.neigh.default shows in the initial
    /// namespace only), none of them marked as set.
    /// </summary>
    public static neigh_parms neigh_parms_alloc(net_device dev, neigh_table tbl)
    {
        // not ported: kfree, netdev_hold, netdev_put, write_pnet, neigh_rand_reach_time — no device refcounts or failing allocation; net is a field; reachable_time is its base (file header: no randomization)
        var p = tbl.parms.Clone();
        p.tbl = tbl;
        p.reachable_time = (ulong)NEIGH_VAR(p, NEIGH_VAR_BASE_REACHABLE_TIME);
        p.dev = dev;
        p.net = dev.nd_net;
        p.sysctl_table = null;
        p.dead = false;

        // not ported: ndo_neigh_setup — no device of the port has one.
        tbl.parms_list.Insert(0, p);
        neigh_parms_data_state_cleanall(p);
        return p;
    }

    // not ported: tbl->lock, call_rcu of neigh_rcu_free_parms, netdev_put — one thread, the garbage collector
    // frees the parms.
    // net/core/neighbour.c: neigh_parms_release
    /// <summary>The device's parms leave the table's list (its device is going away); the table's own defaults never do.</summary>
    public static void neigh_parms_release(neigh_table tbl, neigh_parms parms)
    {
        if (parms == tbl.parms)
        {
            return;
        }

        if (tbl.parms_list.Remove(parms))
        {
            parms.dead = true;
        }
    }

    // net/core/neighbour.c: proc_unres_qlen
    /// <summary>unres_qlen: the byte limit shown and set in packets of SKB_TRUESIZE(ETH_FRAME_LEN).</summary>
    private static int proc_unres_qlen(ctl_table ctl, int write, ref string buffer)
    {
        var unres_qlen_max = int.MaxValue / SKB_TRUESIZE(Include.Uapi.Linux.if_ether_h.ETH_FRAME_LEN);
        var size = new[] { ctl.data![ctl.data_index] / SKB_TRUESIZE(Include.Uapi.Linux.if_ether_h.ETH_FRAME_LEN) };
        var tmp = ctl.Clone();
        tmp.extra1 = sysctl_h.SYSCTL_ZERO;
        tmp.extra2 = unres_qlen_max;
        tmp.data = size;
        tmp.data_index = 0;
        var ret = proc_dointvec_minmax(tmp, write, ref buffer);
        if (write != 0 && ret == 0)
        {
            ctl.data[ctl.data_index] = size[0] * SKB_TRUESIZE(Include.Uapi.Linux.if_ether_h.ETH_FRAME_LEN);
        }

        return ret;
    }

    // net/core/neighbour.c: neigh_copy_dflt_parms
    /// <summary>A default just written reaches every device of the namespace that has not set that value itself.</summary>
    private static void neigh_copy_dflt_parms(net net, neigh_parms p, int index)
    {
        // not ported: for_each_netdev_rcu — the netns device list is walked directly
        foreach (var dev in net.dev_base_head)
        {
            var dst_p = neigh_get_dev_parms_rcu(dev, neigh_parms_family(p));
            if (dst_p is not null && !dst_p.data_state[index])
            {
                dst_p.data[index] = p.data[index];
            }
        }
    }

    // not ported: __in_dev_arp_parms_get_rcu, __in6_dev_nd_parms_get_rcu — the in_device's arp_parms are read directly; no IPv6 (ND)
    // net/core/neighbour.c: neigh_get_dev_parms_rcu
    /// <summary>The device's parms for the family (AF_INET: in_device's arp_parms).</summary>
    private static neigh_parms? neigh_get_dev_parms_rcu(net_device dev, int family) =>
        family == 2 ? Include.Linux.inetdevice_h.__in_dev_get_rcu(dev)?.arp_parms : null;

    // net/core/neighbour.c: neigh_proc_update
    /// <summary>After a write: the value counts as set on its parms, and a default's new value goes to the devices (neigh_copy_dflt_parms).</summary>
    private static void neigh_proc_update(ctl_table ctl, int write)
    {
        var dev = ctl.extra1 as net_device;
        var p = (neigh_parms)ctl.extra2!;
        var net = neigh_parms_net(p);
        var index = ctl.data_index;
        if (write == 0)
        {
            return;
        }

        p.data_state[index] = true;

        // not ported: call_netevent_notifiers(NETEVENT_DELAY_PROBE_TIME_UPDATE) — no listener in the port.
        if (dev is null)
        {
            neigh_copy_dflt_parms(net, p, index);
        }
    }

    // net/core/neighbour.c: neigh_proc_dointvec_zero_intmax
    private static int neigh_proc_dointvec_zero_intmax(ctl_table ctl, int write, ref string buffer)
    {
        var tmp = ctl.Clone();
        tmp.extra1 = sysctl_h.SYSCTL_ZERO;
        tmp.extra2 = sysctl_h.SYSCTL_INT_MAX;
        var ret = proc_dointvec_minmax(tmp, write, ref buffer);
        neigh_proc_update(ctl, write);
        return ret;
    }

    // net/core/neighbour.c: neigh_proc_dointvec_ms_jiffies_positive
    private static int neigh_proc_dointvec_ms_jiffies_positive(ctl_table ctl, int write, ref string buffer)
    {
        var tmp = ctl.Clone();
        tmp.extra1 = (int)jiffies_h.msecs_to_jiffies(1);
        tmp.extra2 = null;
        var ret = proc_dointvec_ms_jiffies_minmax(tmp, write, ref buffer);
        neigh_proc_update(ctl, write);
        return ret;
    }

    // net/core/neighbour.c: neigh_proc_dointvec
    public static int neigh_proc_dointvec(ctl_table ctl, int write, ref string buffer)
    {
        var ret = proc_dointvec(ctl, write, ref buffer);
        neigh_proc_update(ctl, write);
        return ret;
    }

    // net/core/neighbour.c: neigh_proc_dointvec_jiffies
    public static int neigh_proc_dointvec_jiffies(ctl_table ctl, int write, ref string buffer)
    {
        var ret = proc_dointvec_jiffies(ctl, write, ref buffer);
        neigh_proc_update(ctl, write);
        return ret;
    }

    // net/core/neighbour.c: neigh_proc_dointvec_userhz_jiffies
    private static int neigh_proc_dointvec_userhz_jiffies(ctl_table ctl, int write, ref string buffer)
    {
        var ret = proc_dointvec_userhz_jiffies(ctl, write, ref buffer);
        neigh_proc_update(ctl, write);
        return ret;
    }

    // net/core/neighbour.c: neigh_proc_dointvec_ms_jiffies
    public static int neigh_proc_dointvec_ms_jiffies(ctl_table ctl, int write, ref string buffer)
    {
        var ret = proc_dointvec_ms_jiffies(ctl, write, ref buffer);
        neigh_proc_update(ctl, write);
        return ret;
    }

    // net/core/neighbour.c: neigh_proc_dointvec_unres_qlen
    private static int neigh_proc_dointvec_unres_qlen(ctl_table ctl, int write, ref string buffer)
    {
        var ret = proc_unres_qlen(ctl, write, ref buffer);
        neigh_proc_update(ctl, write);
        return ret;
    }

    // net/core/neighbour.c: neigh_proc_base_reachable_time
    /// <summary>base_reachable_time(_ms): the new base also becomes reachable_time at once, not at the next periodic re-draw.</summary>
    private static int neigh_proc_base_reachable_time(ctl_table ctl, int write, ref string buffer)
    {
        // not ported: neigh_rand_reach_time — reachable_time is its base: no randomization (file header)
        var p = (neigh_parms)ctl.extra2!;
        int ret;
        if (ctl.procname == "base_reachable_time")
        {
            ret = neigh_proc_dointvec_jiffies(ctl, write, ref buffer);
        }
        else if (ctl.procname == "base_reachable_time_ms")
        {
            ret = neigh_proc_dointvec_ms_jiffies(ctl, write, ref buffer);
        }
        else
        {
            ret = -1;
        }

        if (write != 0 && ret == 0)
        {
            // neigh_rand_reach_time: the base itself in the port (deterministic).
            p.reachable_time = (ulong)NEIGH_VAR(p, NEIGH_VAR_BASE_REACHABLE_TIME);
        }

        return ret;
    }

    // net/core/neighbour.c: NEIGH_SYSCTL_ENTRY
    /// <summary>NEIGH_SYSCTL_ENTRY: a template file on data index <paramref name="data_attr"/> with its handler.</summary>
    private static ctl_table NEIGH_SYSCTL_ENTRY(int data_attr, string name, proc_handler proc) =>
        new() { procname = name, data_index = data_attr, maxlen = sizeof(int), mode = 0x1a4, proc_handler = proc };

    /// <summary>neigh_sysctl_template: the files of net/ipv4/neigh/DEV in NEIGH_VAR order (the last four only under default).</summary>
    [KernelNet.Annotations.NotInLinux("the static neigh_sysctl_template table of neighbour.c, built by a method")]
    private static ctl_table[] neigh_sysctl_template() =>
    [
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_MCAST_PROBES, "mcast_solicit", neigh_proc_dointvec_zero_intmax),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_UCAST_PROBES, "ucast_solicit", neigh_proc_dointvec_zero_intmax),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_APP_PROBES, "app_solicit", neigh_proc_dointvec_zero_intmax),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_MCAST_REPROBES, "mcast_resolicit", neigh_proc_dointvec_zero_intmax),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_RETRANS_TIME, "retrans_time", neigh_proc_dointvec_userhz_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_BASE_REACHABLE_TIME, "base_reachable_time", neigh_proc_dointvec_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_DELAY_PROBE_TIME, "delay_first_probe_time", neigh_proc_dointvec_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_INTERVAL_PROBE_TIME_MS, "interval_probe_time_ms", neigh_proc_dointvec_ms_jiffies_positive),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_GC_STALETIME, "gc_stale_time", neigh_proc_dointvec_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_QUEUE_LEN_BYTES, "unres_qlen_bytes", neigh_proc_dointvec_zero_intmax),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_PROXY_QLEN, "proxy_qlen", neigh_proc_dointvec_zero_intmax),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_ANYCAST_DELAY, "anycast_delay", neigh_proc_dointvec_userhz_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_PROXY_DELAY, "proxy_delay", neigh_proc_dointvec_userhz_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_LOCKTIME, "locktime", neigh_proc_dointvec_userhz_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_QUEUE_LEN_BYTES, "unres_qlen", neigh_proc_dointvec_unres_qlen),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_RETRANS_TIME, "retrans_time_ms", neigh_proc_dointvec_ms_jiffies),
        NEIGH_SYSCTL_ENTRY(NEIGH_VAR_BASE_REACHABLE_TIME, "base_reachable_time_ms", neigh_proc_dointvec_ms_jiffies),
        new() { procname = "gc_interval", maxlen = sizeof(int), mode = 0x1a4, proc_handler = proc_dointvec_jiffies },
        new() { procname = "gc_thresh1", maxlen = sizeof(int), mode = 0x1a4, extra1 = sysctl_h.SYSCTL_ZERO, extra2 = sysctl_h.SYSCTL_INT_MAX, proc_handler = proc_dointvec_minmax },
        new() { procname = "gc_thresh2", maxlen = sizeof(int), mode = 0x1a4, extra1 = sysctl_h.SYSCTL_ZERO, extra2 = sysctl_h.SYSCTL_INT_MAX, proc_handler = proc_dointvec_minmax },
        new() { procname = "gc_thresh3", maxlen = sizeof(int), mode = 0x1a4, extra1 = sysctl_h.SYSCTL_ZERO, extra2 = sysctl_h.SYSCTL_INT_MAX, proc_handler = proc_dointvec_minmax },
    ];

    // net/core/neighbour.c: neigh_sysctl_register
    /// <summary>
    /// Makes the files of <paramref name="p"/>: net/ipv4/neigh/DEV (the
    /// per-parms values) for a device, or net/ipv4/neigh/default (the
    /// same plus the table's gc knobs) for a table's defaults, in the
    /// parms' namespace. <paramref name="handler"/> replaces the handler of
    /// the retrans and reachable times (IPv6 passes one; ARP none).
    /// </summary>
    public static int neigh_sysctl_register(net_device? dev, neigh_parms p, proc_handler? handler)
    {
        // not ported: kfree, neigh_parms_family — the table is a C# object and registration does not fail; the path is built from the table's family name
        var t = new neigh_sysctl_table { neigh_vars = neigh_sysctl_template() };
        for (var i = 0; i < NEIGH_VAR_GC_INTERVAL; i++)
        {
            t.neigh_vars[i].data = p.data;
            t.neigh_vars[i].extra1 = dev;
            t.neigh_vars[i].extra2 = p;
        }

        var neigh_vars_size = t.neigh_vars.Length;
        string dev_name_source;
        if (dev is not null)
        {
            dev_name_source = dev.name;

            // A device's directory ends before the default-only files.
            neigh_vars_size = NEIGH_VAR_BASE_REACHABLE_TIME_MS + 1;
        }
        else
        {
            var tbl = p.tbl!;
            dev_name_source = "default";
            var gc = new[] { tbl.gc_interval, tbl.gc_thresh1, tbl.gc_thresh2, tbl.gc_thresh3 };
            for (var i = 0; i < 4; i++)
            {
                var idx = i;
                t.neigh_vars[NEIGH_VAR_GC_INTERVAL + i].data = gc;
                t.neigh_vars[NEIGH_VAR_GC_INTERVAL + i].data_index = idx;
            }

            // not ported: writes to the gc knobs reach this copy only — there is no garbage collector to read them.
        }

        if (handler is not null)
        {
            t.neigh_vars[NEIGH_VAR_RETRANS_TIME].proc_handler = handler;
            t.neigh_vars[NEIGH_VAR_BASE_REACHABLE_TIME].proc_handler = handler;
            t.neigh_vars[NEIGH_VAR_RETRANS_TIME_MS].proc_handler = handler;
            t.neigh_vars[NEIGH_VAR_BASE_REACHABLE_TIME_MS].proc_handler = handler;
        }
        else
        {
            // These also refresh reachable_time at once.
            t.neigh_vars[NEIGH_VAR_BASE_REACHABLE_TIME].proc_handler = neigh_proc_base_reachable_time;
            t.neigh_vars[NEIGH_VAR_BASE_REACHABLE_TIME_MS].proc_handler = neigh_proc_base_reachable_time;
        }

        // AF_INET only: no IPv6 in the port.
        var neigh_path = "net/ipv4/neigh/" + dev_name_source;
        t.sysctl_header = register_net_sysctl_sz(neigh_parms_net(p), neigh_path, t.neigh_vars, neigh_vars_size);
        p.sysctl_table = t;
        return 0;
    }

    // net/core/neighbour.c: neigh_sysctl_unregister
    /// <summary>The parms' files go (a device renamed or going away).</summary>
    public static void neigh_sysctl_unregister(neigh_parms p)
    {
        // not ported: kfree — the table is a C# object the GC reclaims
        if (p.sysctl_table is { } t)
        {
            p.sysctl_table = null;
            unregister_net_sysctl_table(neigh_parms_net(p), t.sysctl_header!);
        }
    }
}
