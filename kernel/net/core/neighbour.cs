// Ports net/core/neighbour.c: the generic neighbour layer — creating
// entries, queueing packets while an address is resolved, the NUD state
// machine and its timer, and sending once resolved (TX-4).
//
// not ported: garbage collection, proxy neighbours, netlink notifications,
// hh header caching (neigh_hh_output: every send builds its header),
// per-device parms and their sysctls, the periodic work that re-randomizes
// reachable_time.
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Time;
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

    // net/core/neighbour.c: neigh_alloc
    private static neighbour neigh_alloc(neigh_table tbl, net_device dev, uint pkey)
    {
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
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NEIGH_DEAD);
        return -Include.Uapi.AsmGeneric.errno_h.ENETDOWN;
    }

    // net/core/neighbour.c: neigh_lookup
    public static neighbour? neigh_lookup(neigh_table tbl, uint pkey, net_device dev)
    {
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
        var n = neigh_alloc(tbl, dev, pkey);
        trace_neigh_create(tbl, dev, pkey, n, exempt_from_gc);
        tbl.constructor(n);
        n.confirmed = dev.nd_net.k.jiffies - (n.parms.base_reachable_time << 1);
        tbl.nht[(dev, pkey)] = n;
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
        return p.ucast_probes + p.app_probes + ((n.nud_state & NUD_PROBE) != 0 ? p.mcast_reprobes : p.mcast_probes);
    }

    // net/core/neighbour.c: neigh_suspect
    private static void neigh_suspect(neighbour neigh) => neigh.output = neigh.ops.output;

    // net/core/neighbour.c: neigh_connect
    private static void neigh_connect(neighbour neigh) => neigh.output = neigh.ops.connected_output;

    // net/core/neighbour.c: neigh_invalidate
    /// <summary>Resolution failed: each queued packet is reported (ICMP host unreachable to its sender) and dropped NEIGH_FAILED.</summary>
    private static void neigh_invalidate(neighbour neigh)
    {
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
            else if (time_before_eq(now, neigh.used + neigh.parms.delay_probe_time))
            {
                neigh.nud_state = NUD_DELAY;
                neigh.updated = k.jiffies;
                neigh_suspect(neigh);
                next = now + neigh.parms.delay_probe_time;
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
            if (time_before_eq(now, neigh.confirmed + neigh.parms.delay_probe_time))
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
                next = now + Math.Max(neigh.parms.retrans_time, (ulong)(Vmlinux.HZ / 100));
            }
        }
        else
        {
            next = now + Math.Max(neigh.parms.retrans_time, (ulong)(Vmlinux.HZ / 100));
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
            if (neigh.parms.mcast_probes + neigh.parms.app_probes != 0)
            {
                neigh.probes = neigh.parms.ucast_probes;
                neigh_del_timer(neigh);
                neigh.nud_state = NUD_INCOMPLETE;
                neigh.updated = k.jiffies;
                var next = k.jiffies + Math.Max(neigh.parms.retrans_time, (ulong)(Vmlinux.HZ / 100));
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
            neigh_add_timer(neigh, k.jiffies + neigh.parms.delay_probe_time);
        }

        if (neigh.nud_state == NUD_INCOMPLETE)
        {
            if (skb is not null)
            {
                while (neigh.arp_queue_len_bytes + skb.truesize > neigh.parms.queue_len_bytes)
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
                neigh.confirmed = k.jiffies - (neigh.parms.base_reachable_time << 1);
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
}
