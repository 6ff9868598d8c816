// Ports include/net/netdev_rx_queue.h: struct netdev_rx_queue, a device's
// receive queue as the core sees it — what RPS and RFS hang off it
// (/sys/class/net/DEV/queues/rx-N/rps_cpus and rps_flow_cnt).
//
// not ported: XDP rxq info, page pools, memory providers, the kobject.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct netdev_rx_queue.</summary>
public sealed class netdev_rx_queue
{
    public netdev_rx_queue(net_device dev, int index)
    {
        this.dev = dev;
        this.index = index;
    }

    public net_device dev { get; }

    /// <summary>The queue's number (get_netdev_rx_queue_index).</summary>
    public int index { get; }

    /// <summary>rps_map: the CPUs this queue's packets are spread over; null when rps_cpus is 0.</summary>
    public rps_map? rps_map { get; set; }

    /// <summary>rps_flow_table: RFS's per-queue flow table; null when rps_flow_cnt is 0.</summary>
    public rps_dev_flow_table? rps_flow_table { get; set; }
}
