// Ports include/uapi/linux/pkt_sched.h: the FIFO qdiscs' option (struct
// tc_fifo_qopt). The other disciplines' options are not ported.
namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>struct tc_fifo_qopt: the queue limit (packets for pfifo, bytes for bfifo).</summary>
public sealed class tc_fifo_qopt
{
    public uint limit { get; set; }
}
