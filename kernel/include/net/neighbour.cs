// Ports include/net/neighbour.h: struct neighbour, struct neigh_table, the
// NUD states and the inline send helpers (neigh_output, neigh_event_send).
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Net.Core.neighbour_c;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct neigh_parms: the per-table defaults (net.ipv4.neigh.default.*), in jiffies.</summary>
public sealed class neigh_parms
{
    /// <summary>base_reachable_time: 30 s.</summary>
    public ulong base_reachable_time { get; set; } = 30 * (ulong)Vmlinux.HZ;

    /// <summary>reachable_time: the kernel randomizes base/2 .. 3*base/2; here the base itself (deterministic).</summary>
    public ulong reachable_time { get; set; } = 30 * (ulong)Vmlinux.HZ;

    /// <summary>retrans_time: 1 s between solicitations.</summary>
    public ulong retrans_time { get; set; } = (ulong)Vmlinux.HZ;

    /// <summary>delay_first_probe_time: 5 s.</summary>
    public ulong delay_probe_time { get; set; } = 5 * (ulong)Vmlinux.HZ;

    public int ucast_probes { get; set; } = 3;

    public int mcast_probes { get; set; } = 3;

    public int mcast_reprobes { get; set; }

    public int app_probes { get; set; }

    /// <summary>unres_qlen_bytes: SK_WMEM_MAX (212992).</summary>
    public int queue_len_bytes { get; set; } = 212992;
}

/// <summary>struct neigh_ops: how a protocol solicits and reports (arp_hh_ops...).</summary>
public sealed class neigh_ops
{
    public required Action<neighbour, sk_buff?> solicit { get; init; }

    public required Action<neighbour, sk_buff> error_report { get; init; }

    public required Func<neighbour, sk_buff, int> output { get; init; }

    public required Func<neighbour, sk_buff, int> connected_output { get; init; }
}

/// <summary>struct neigh_table (arp_tbl).</summary>
public sealed class neigh_table
{
    public required int family { get; init; }

    public required ushort protocol { get; init; }

    public required string id { get; init; }

    public required Func<neighbour, int> constructor { get; init; }

    public neigh_parms parms { get; } = new();

    /// <summary>The hash of entries by (device, key).</summary>
    public Dictionary<(net_device Dev, uint Key), neighbour> nht { get; } = new();

    public int entries { get; set; }
}

/// <summary>struct neighbour: one next hop's link-layer address and its resolution state.</summary>
public sealed class neighbour
{
    public neighbour(neigh_table tbl, net_device dev, uint primary_key)
    {
        this.tbl = tbl;
        this.dev = dev;
        this.primary_key = primary_key;
        ha = new byte[Math.Max(dev.addr_len, (byte)6)];
    }

    public neigh_table tbl { get; }

    public net_device dev { get; }

    public uint primary_key { get; }

    public neigh_parms parms => tbl.parms;

    public byte nud_state { get; set; }

    public byte type { get; set; }

    public byte flags { get; set; }

    public bool dead { get; set; }

    public int probes { get; set; }

    public int refcnt { get; set; } = 1;

    /// <summary>The resolved hardware address.</summary>
    public byte[] ha { get; set; }

    /// <summary>Packets waiting for resolution (TX-4).</summary>
    public sk_buff_head arp_queue { get; } = new();

    public int arp_queue_len_bytes { get; set; }

    public timer_list? timer { get; set; }

    public ulong used { get; set; }

    public ulong confirmed { get; set; }

    public ulong updated { get; set; }

    public neigh_ops ops { get; set; } = null!;

    /// <summary>neighbour->output: resolve first, or send directly once connected.</summary>
    public Func<neighbour, sk_buff, int> output { get; set; } = null!;
}

public static class neighbour_h
{
    public const byte NUD_INCOMPLETE = 0x01;
    public const byte NUD_REACHABLE = 0x02;
    public const byte NUD_STALE = 0x04;
    public const byte NUD_DELAY = 0x08;
    public const byte NUD_PROBE = 0x10;
    public const byte NUD_FAILED = 0x20;
    public const byte NUD_NOARP = 0x40;
    public const byte NUD_PERMANENT = 0x80;
    public const byte NUD_NONE = 0x00;
    public const byte NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
    public const byte NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
    public const byte NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

    public const uint NEIGH_UPDATE_F_OVERRIDE = 0x00000001;
    public const uint NEIGH_UPDATE_F_WEAK_OVERRIDE = 0x00000002;
    public const uint NEIGH_UPDATE_F_OVERRIDE_ISROUTER = 0x00000004;
    public const uint NEIGH_UPDATE_F_ADMIN = 0x80000000;

    /// <summary>neigh_hold (a macro in include/net/neighbour.h): takes a reference (the timer, a lookup); seen as refcnt in the neigh tracepoints.</summary>
    public static void neigh_hold(neighbour n) => n.refcnt++;

    // include/net/neighbour.h: neigh_release
    /// <summary>Drops a reference. The entry itself lives on in the table (no garbage collection here).</summary>
    public static void neigh_release(neighbour n) => n.refcnt--;

    // include/net/neighbour.h: __neigh_lookup
    /// <summary>The entry with a reference, created (neigh_create, with a reference) when <paramref name="creat"/> and missing.</summary>
    public static neighbour? __neigh_lookup(neigh_table tbl, uint pkey, net_device dev, bool creat)
    {
        var n = neigh_lookup(tbl, pkey, dev);
        if (n is not null || !creat)
        {
            return n;
        }

        return __neigh_create(tbl, pkey, dev, true);
    }

    // include/net/neighbour.h: __neigh_lookup_noref
    /// <summary>The entry for (dev, key) in the table, if any, without taking a reference.</summary>
    public static neighbour? __neigh_lookup_noref(neigh_table tbl, uint pkey, net_device dev) =>
        tbl.nht.TryGetValue((dev, pkey), out var n) ? n : null;

    // include/net/neighbour.h: neigh_event_send_probe
    /// <summary>0 when the neighbour can be used now; otherwise __neigh_event_send took (or dropped) the skb.</summary>
    [Consumes("skb", WhenReturnsNonZero = true)]
    public static int neigh_event_send_probe(neighbour neigh, sk_buff? skb, bool immediate_ok)
    {
        var now = neigh.dev.nd_net.k.jiffies;
        if (neigh.used != now)
        {
            neigh.used = now;
        }

        if ((neigh.nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) == 0)
        {
            return __neigh_event_send(neigh, skb, immediate_ok);
        }

        return 0;
    }

    // include/net/neighbour.h: neigh_event_send
    [Consumes("skb", WhenReturnsNonZero = true)]
    public static int neigh_event_send(neighbour neigh, sk_buff? skb) => neigh_event_send_probe(neigh, skb, true);

    // include/net/neighbour.h: neigh_output
    /// <summary>Sends through the neighbour: directly if it is connected, else via resolution (neigh_resolve_output).</summary>
    [Consumes("skb")]
    public static int neigh_output(neighbour n, sk_buff skb, bool skip_cache) => n.output(n, skb);
}
