// Ports include/uapi/linux/if_link.h: struct rtnl_link_stats64, the counters
// /proc/net/dev and `ip -s link` print.
namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>struct rtnl_link_stats64.</summary>
public sealed class rtnl_link_stats64
{
    public ulong rx_packets { get; set; }
    public ulong tx_packets { get; set; }
    public ulong rx_bytes { get; set; }
    public ulong tx_bytes { get; set; }
    public ulong rx_errors { get; set; }
    public ulong tx_errors { get; set; }
    public ulong rx_dropped { get; set; }
    public ulong tx_dropped { get; set; }
    public ulong multicast { get; set; }
    public ulong collisions { get; set; }
    public ulong rx_length_errors { get; set; }
    public ulong rx_over_errors { get; set; }
    public ulong rx_crc_errors { get; set; }
    public ulong rx_frame_errors { get; set; }
    public ulong rx_fifo_errors { get; set; }
    public ulong rx_missed_errors { get; set; }
    public ulong tx_aborted_errors { get; set; }
    public ulong tx_carrier_errors { get; set; }
    public ulong tx_fifo_errors { get; set; }
    public ulong tx_heartbeat_errors { get; set; }
    public ulong tx_window_errors { get; set; }
    public ulong rx_compressed { get; set; }
    public ulong tx_compressed { get; set; }
    public ulong rx_nohandler { get; set; }
}
