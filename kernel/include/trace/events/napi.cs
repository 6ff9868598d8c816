// Ports include/trace/events/napi.h: napi_poll.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class napi_h
{
    private static readonly trace_event_call event_napi_poll = trace_events_c.find("napi", "napi_poll");

    // include/trace/events/napi.h: trace_napi_poll
    public static void trace_napi_poll(Vmlinux k, napi_struct napi, int work, int budget)
    {
        if (k.trace.enabled(event_napi_poll))
        {
            var dev = napi.dev?.name ?? "(no_device)";
            k.trace.record(event_napi_poll, $"napi poll on napi struct {napi.addr:x16} for device {dev} work {work} budget {budget}");
        }
    }
}
