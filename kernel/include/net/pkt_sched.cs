// Ports include/net/pkt_sched.h: qdisc_run.
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Net.sch_generic_h;
using static KernelNet.Kernel.Net.Sched.sch_generic_c;

namespace KernelNet.Kernel.Include.Net;

public static class pkt_sched_h
{
    // include/net/pkt_sched.h: qdisc_run
    /// <summary>Dequeues and transmits in the caller's context while the quota lasts (TX-5).</summary>
    public static void qdisc_run(Qdisc q)
    {
        if (qdisc_run_begin(q))
        {
            __qdisc_run(q);
            qdisc_run_end(q);
        }
    }
}
