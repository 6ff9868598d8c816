// Ports include/trace/events/neigh.h: neigh_create, neigh_update,
// neigh_update_done, neigh_timer_handler, neigh_event_send_done/dead.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class neigh_h
{
    private const string System = "neigh";

    private static readonly trace_event_call event_neigh_create = trace_events_c.find(System, "neigh_create");
    private static readonly trace_event_call event_neigh_update = trace_events_c.find(System, "neigh_update");
    private static readonly trace_event_call event_neigh_update_done = trace_events_c.find(System, "neigh_update_done");
    private static readonly trace_event_call event_neigh_timer_handler = trace_events_c.find(System, "neigh_timer_handler");
    private static readonly trace_event_call event_neigh_event_send_done = trace_events_c.find(System, "neigh_event_send_done");
    private static readonly trace_event_call event_neigh_event_send_dead = trace_events_c.find(System, "neigh_event_send_dead");
    private static readonly trace_event_call event_neigh_cleanup_and_release = trace_events_c.find(System, "neigh_cleanup_and_release");

    // include/trace/events/neigh.h: trace_neigh_create
    public static void trace_neigh_create(neigh_table tbl, net_device dev, uint pkey, neighbour n, bool exempt_from_gc)
    {
        var k = dev.nd_net.k;
        if (k.trace.enabled(event_neigh_create))
        {
            k.trace.record(event_neigh_create, $"family {tbl.family} dev {dev.name} entries {tbl.entries} primary_key4 {new trace_ip4(pkey)} primary_key6 :: created 1 gc_exempt {(exempt_from_gc ? 1 : 0)}");
        }
    }

    // include/trace/events/neigh.h: trace_neigh_update
    public static void trace_neigh_update(neighbour n, byte[]? lladdr, byte @new, uint flags, uint nlmsg_pid)
    {
        var k = n.dev.nd_net.k;
        if (k.trace.enabled(event_neigh_update))
        {
            // a null lladdr leaves the entry's new_lladdr zeroed
            k.trace.record(event_neigh_update, $"family {n.tbl.family} dev {n.dev.name} lladdr {new trace_hex_str(n.ha, n.dev.addr_len)} flags {n.flags:x2} nud_state {State(n.nud_state)} type {n.type:x2} dead {(n.dead ? 1 : 0)} refcnt {n.refcnt} primary_key4 {new trace_ip4(n.primary_key)} primary_key6 {PrimaryKey6(n)} confirmed {n.confirmed} updated {n.updated} used {n.used} new_lladdr {new trace_hex_str(lladdr, n.dev.addr_len)} new_state {State(@new)} update_flags {flags:x2} pid {nlmsg_pid}");
        }
    }

    // include/trace/events/neigh.h: trace_neigh_update_done
    public static void trace_neigh_update_done(neighbour n, int err) => Done(n, event_neigh_update_done, err);

    // include/trace/events/neigh.h: trace_neigh_timer_handler
    public static void trace_neigh_timer_handler(neighbour n, int err) => Done(n, event_neigh_timer_handler, err);

    // include/trace/events/neigh.h: trace_neigh_event_send_done
    public static void trace_neigh_event_send_done(neighbour n, int err) => Done(n, event_neigh_event_send_done, err);

    // include/trace/events/neigh.h: trace_neigh_event_send_dead
    public static void trace_neigh_event_send_dead(neighbour n, int err) => Done(n, event_neigh_event_send_dead, err);

    // include/trace/events/neigh.h: trace_neigh_cleanup_and_release
    public static void trace_neigh_cleanup_and_release(neighbour n, int rc) => Done(n, event_neigh_cleanup_and_release, rc);

    [KernelNet.Annotations.NotInLinux("the shared body of the neigh__update event class (DECLARE_EVENT_CLASS), generated in C")]
    private static void Done(neighbour n, trace_event_call call, int err)
    {
        var k = n.dev.nd_net.k;
        if (k.trace.enabled(call))
        {
            k.trace.record(call, $"family {n.tbl.family} dev {n.dev.name} lladdr {new trace_hex_str(n.ha, n.dev.addr_len)} flags {n.flags:x2} nud_state {State(n.nud_state)} type {n.type:x2} dead {(n.dead ? 1 : 0)} refcnt {n.refcnt} primary_key4 {new trace_ip4(n.primary_key)} primary_key6 {PrimaryKey6(n)} confirmed {n.confirmed} updated {n.updated} used {n.used} err {err}");
        }
    }

    /// <summary>
    /// primary_key6 of the update events: for an IPv4 entry the v4-mapped address
    /// (ipv6_addr_set_v4mapped), unlike neigh_create's "::".
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the neigh__update class's TP_fast_assign of primary_key6, generated from TRACE_EVENT in C")]
    private static trace_ip6_v4mapped PrimaryKey6(neighbour n) => new(n.primary_key, n.tbl.family == 2);

    /// <summary>The nud_state symbols of the print format (__print_symbolic): named when the trace is read.</summary>
    [KernelNet.Annotations.NotInLinux("formatting helper of the neigh events' TP_printk (__print_symbolic), generated in C")]
    private static trace_print_symbolic State(byte s) => new(s, nud_state_names);

    /// <summary>The nud_state names the print format knows.</summary>
    private static readonly System.Collections.Immutable.ImmutableArray<trace_print_flags> nud_state_names =
    [
        new(0x01, "incomplete"),
        new(0x02, "reachable"),
        new(0x04, "stale"),
        new(0x08, "delay"),
        new(0x10, "probe"),
        new(0x20, "failed"),
        new(0x40, "noarp"),
        new(0x80, "permanent"),
    ];
}
