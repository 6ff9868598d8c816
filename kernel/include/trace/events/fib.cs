// Ports include/trace/events/fib.h: fib_table_lookup.
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class fib_h
{
    private static readonly trace_event_call event_fib_table_lookup = trace_events_c.find("fib", "fib_table_lookup");

    // include/trace/events/fib.h: trace_fib_table_lookup
    public static void trace_fib_table_lookup(uint tb_id, in flowi4 flp, fib_alias? nhc, int err, Vmlinux k)
    {
        if (!k.trace.enabled(event_fib_table_lookup))
        {
            return;
        }

        var dev = nhc?.nh_dev?.name ?? "-";
        var gw = nhc?.nh_gw4 ?? 0;
        k.trace.record(event_fib_table_lookup, $"table {tb_id} oif {flp.flowi4_oif} iif {flp.flowi4_iif} proto {flp.flowi4_proto} {new trace_ip4(flp.saddr)}/{flp.fl4_sport} -> {new trace_ip4(flp.daddr)}/{flp.fl4_dport} tos {flp.flowi4_tos} scope {flp.flowi4_scope} flags {flp.flowi4_flags:x} ==> dev {dev} gw {new trace_ip4(gw)}/:: err {err}");
    }
}
