// Ports include/trace/events/ipi.h: ipi_send_cpu, emitted where one CPU
// asks another to run a queued function (RPS's kick of a remote backlog).
//
// not ported: ipi_send_cpumask and the deprecated ipi_raise/ipi_entry/ipi_exit
// (arm/arm64 only). %pS symbols print with +0x0/0x0 as the port's
// other events do (no kallsyms offsets).

using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class ipi_h
{
    private const string System = "ipi";

    private static readonly trace_event_call event_ipi_send_cpu = trace_events_c.find(System, "ipi_send_cpu");

    // include/trace/events/ipi.h: trace_ipi_send_cpu
    /// <summary>ipi_send_cpu, "cpu=%u callsite=%pS callback=%pS": the target CPU, the function that sent the IPI, and what it will run there.</summary>
    public static void trace_ipi_send_cpu(Vmlinux k, int cpu, string callsite, string callback)
    {
        if (k.trace.enabled(event_ipi_send_cpu))
        {
            k.trace.record(event_ipi_send_cpu, $"cpu={(uint)cpu} callsite={callsite}+0x0/0x0 callback={callback}+0x0/0x0");
        }
    }
}
