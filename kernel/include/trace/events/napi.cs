// Ports include/trace/events/napi.h: napi_poll.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class napi_h
{
    // include/trace/events/napi.h: trace_napi_poll
    public static void trace_napi_poll(Vmlinux k, napi_struct napi, int work, int budget)
    {
        if (k.trace.enabled("napi", "napi_poll"))
        {
            var dev = napi.dev?.name ?? "(no_device)";
            k.trace.record("napi", "napi_poll", $"napi poll on napi struct {napi.addr:x16} for device {dev} work {work} budget {budget}");
        }
    }
}
