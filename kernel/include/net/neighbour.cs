// Ports include/net/neighbour.h: struct neighbour, struct neigh_table, the
// NUD states and the inline send helpers (neigh_output, neigh_event_send).
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Net.Core.neighbour_c;

namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// struct neigh_parms: a table's parameters for one device (in_device's
/// arp_parms, net.ipv4.neigh.DEV.*) or the table's defaults (arp_tbl.parms,
/// net.ipv4.neigh.default.*, registered in the initial namespace only). The
/// values sit in <see cref="data"/> by NEIGH_VAR index, times in jiffies.
/// </summary>
public sealed class neigh_parms
{
    /// <summary>The namespace whose sysctl directory shows these parms (neigh_parms_net).</summary>
    public net? net { get; set; }

    /// <summary>The device these parms belong to; null for a table's defaults.</summary>
    public net_device? dev { get; set; }

    public neigh_table? tbl { get; set; }

    /// <summary>The sysctl files showing these parms (neigh_sysctl_register), if registered.</summary>
    public neigh_sysctl_table? sysctl_table { get; set; }

    public bool dead { get; set; }

    /// <summary>
    /// reachable_time: how long a confirmation keeps an entry REACHABLE. The
    /// kernel draws it at random in base/2 .. 3*base/2 (neigh_rand_reach_time);
    /// the port keeps the base itself (deterministic).
    /// </summary>
    public ulong reachable_time { get; set; }

    /// <summary>data[NEIGH_VAR_DATA_MAX]: the per-parms values, by NEIGH_VAR index.</summary>
    public int[] data { get; set; } = new int[neighbour_h.NEIGH_VAR_DATA_MAX];

    /// <summary>data_state: which values were written on this parms itself, so that a change of the default no longer reaches them.</summary>
    public bool[] data_state { get; set; } = new bool[neighbour_h.NEIGH_VAR_DATA_MAX];

    /// <summary>A copy of every field (kmemdup in neigh_parms_alloc).</summary>
    [KernelNet.Annotations.NotInLinux("C# copy: C duplicates neigh_parms with kmemdup (neigh_parms_alloc)")]
    public neigh_parms Clone()
    {
        var p = (neigh_parms)MemberwiseClone();
        p.data = (int[])data.Clone();
        p.data_state = (bool[])data_state.Clone();
        return p;
    }
}

/// <summary>struct neigh_sysctl_table: the registered files of one parms (net/ipv4/neigh/DEV).</summary>
public sealed class neigh_sysctl_table
{
    public ctl_table_header? sysctl_header { get; set; }

    public ctl_table[] neigh_vars { get; set; } = [];
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

    /// <summary>parms: the table's defaults, which a device's parms start as a copy of (arp_init fills them).</summary>
    public neigh_parms parms { get; } = new();

    /// <summary>parms.list: every device's parms, newest first (neigh_parms_alloc adds them).</summary>
    public List<neigh_parms> parms_list { get; } = new();

    /// <summary>gc_interval, gc_thresh1..3: net.ipv4.neigh.default's table-wide knobs (no garbage collection runs in the port).</summary>
    public int gc_interval { get; set; }

    public int gc_thresh1 { get; set; }

    public int gc_thresh2 { get; set; }

    public int gc_thresh3 { get; set; }

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
        parms = tbl.parms;
        ha = new byte[Math.Max(dev.addr_len, (byte)6)];
    }

    public neigh_table tbl { get; }

    public net_device dev { get; }

    /// <summary>primary_key: the address resolved (arp_constructor makes it 0 on loopback and point-to-point devices).</summary>
    public uint primary_key { get; set; }

    /// <summary>parms: the table's defaults until the constructor gives the entry its device's (arp_constructor).</summary>
    public neigh_parms parms { get; set; }

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
    public const int NEIGH_VAR_MCAST_PROBES = 0;
    public const int NEIGH_VAR_UCAST_PROBES = 1;
    public const int NEIGH_VAR_APP_PROBES = 2;
    public const int NEIGH_VAR_MCAST_REPROBES = 3;
    public const int NEIGH_VAR_RETRANS_TIME = 4;
    public const int NEIGH_VAR_BASE_REACHABLE_TIME = 5;
    public const int NEIGH_VAR_DELAY_PROBE_TIME = 6;
    public const int NEIGH_VAR_INTERVAL_PROBE_TIME_MS = 7;
    public const int NEIGH_VAR_GC_STALETIME = 8;
    public const int NEIGH_VAR_QUEUE_LEN_BYTES = 9;
    public const int NEIGH_VAR_PROXY_QLEN = 10;
    public const int NEIGH_VAR_ANYCAST_DELAY = 11;
    public const int NEIGH_VAR_PROXY_DELAY = 12;
    public const int NEIGH_VAR_LOCKTIME = 13;

    /// <summary>NEIGH_VAR_DATA_MAX: the values a neigh_parms holds; the indexes after it are second names for them, or default-only.</summary>
    public const int NEIGH_VAR_DATA_MAX = NEIGH_VAR_LOCKTIME + 1;
    public const int NEIGH_VAR_QUEUE_LEN = 14;
    public const int NEIGH_VAR_RETRANS_TIME_MS = 15;
    public const int NEIGH_VAR_BASE_REACHABLE_TIME_MS = 16;
    public const int NEIGH_VAR_GC_INTERVAL = 17;
    public const int NEIGH_VAR_GC_THRESH1 = 18;
    public const int NEIGH_VAR_GC_THRESH2 = 19;
    public const int NEIGH_VAR_GC_THRESH3 = 20;
    public const int NEIGH_VAR_MAX = 21;

    // include/net/neighbour.h: NEIGH_VAR
    /// <summary>NEIGH_VAR(p, attr): one of the parms' values (C pastes NEIGH_VAR_ onto the name; here the index is passed).</summary>
    public static int NEIGH_VAR(neigh_parms p, int attr) => p.data[attr];

    // include/net/neighbour.h: neigh_var_set
    /// <summary>Sets a value and marks it as set on these parms (NEIGH_VAR_SET).</summary>
    public static void neigh_var_set(neigh_parms p, int index, int val)
    {
        p.data_state[index] = true;
        p.data[index] = val;
    }

    // include/net/neighbour.h: neigh_parms_data_state_setall
    public static void neigh_parms_data_state_setall(neigh_parms p) => System.Array.Fill(p.data_state, true);

    // include/net/neighbour.h: neigh_parms_data_state_cleanall
    public static void neigh_parms_data_state_cleanall(neigh_parms p) => System.Array.Fill(p.data_state, false);

    // not ported: read_pnet — one field: no CONFIG_NET_NS indirection
    // include/net/neighbour.h: neigh_parms_net
    public static net neigh_parms_net(neigh_parms parms) => parms.net!;

    // include/net/neighbour.h: neigh_parms_family
    public static int neigh_parms_family(neigh_parms p) => p.tbl!.family;

    // include/net/neighbour.h: neigh_parms_clone
    /// <summary>Takes a reference on the parms (no refcount kept: parms live as long as their device here).</summary>
    public static neigh_parms neigh_parms_clone(neigh_parms parms) => parms;

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

    // include/net/neighbour.h: neigh_hold
    /// <summary>A macro there: takes a reference (the timer, a lookup); seen as refcnt in the neigh tracepoints.</summary>
    public static void neigh_hold(neighbour n) => n.refcnt++;

    // not ported: neigh_destroy — entries are C# objects the GC reclaims when the table drops them
    // include/net/neighbour.h: neigh_release
    /// <summary>
    /// Drops a reference; the last one of an entry taken out of its table (dead) destroys it
    /// (neigh_destroy). A live entry stays in the table (no garbage collection here).
    /// </summary>
    public static void neigh_release(neighbour n)
    {
        if (--n.refcnt == 0)
        {
            KernelNet.Kernel.Net.Core.neighbour_c.neigh_destroy(n);
        }
    }

    // include/net/neighbour.h: __neigh_lookup
    /// <summary>The entry with a reference, created (neigh_create, with a reference) when <paramref name="creat"/> and missing.</summary>
    public static neighbour? __neigh_lookup(neigh_table tbl, uint pkey, net_device dev, bool creat)
    {
        // not ported: neigh_create — __neigh_create with want_ref true is what neigh_create calls
        var n = neigh_lookup(tbl, pkey, dev);
        if (n is not null || !creat)
        {
            return n;
        }

        return __neigh_create(tbl, pkey, dev, true);
    }

    // not ported: ___neigh_lookup_noref — the table is a dictionary keyed by (device, key)
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

    // not ported: neigh_hh_output — no hh cache (net/core/neighbour.cs header)
    // include/net/neighbour.h: neigh_output
    /// <summary>Sends through the neighbour: directly if it is connected, else via resolution (neigh_resolve_output).</summary>
    [Consumes("skb")]
    public static int neigh_output(neighbour n, sk_buff skb, bool skip_cache) => n.output(n, skb);
}
