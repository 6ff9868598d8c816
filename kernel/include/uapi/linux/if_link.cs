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

    /// <summary>rx_otherhost_dropped: frames for another host's MAC address that IP dropped (PACKET_OTHERHOST).</summary>
    public ulong rx_otherhost_dropped { get; set; }

    /// <summary>
    /// Overwrites every counter of <paramref name="to"/> with this one's. C
    /// copies the struct with memcpy or assignment; a class needs the copy
    /// spelled out, and one copy keeps a counter added later from being
    /// missed by some of its callers.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("C# copy: C copies the struct by assignment")]
    public void CopyTo(rtnl_link_stats64 to)
    {
        to.rx_packets = rx_packets;
        to.tx_packets = tx_packets;
        to.rx_bytes = rx_bytes;
        to.tx_bytes = tx_bytes;
        to.rx_errors = rx_errors;
        to.tx_errors = tx_errors;
        to.rx_dropped = rx_dropped;
        to.tx_dropped = tx_dropped;
        to.multicast = multicast;
        to.collisions = collisions;
        to.rx_length_errors = rx_length_errors;
        to.rx_over_errors = rx_over_errors;
        to.rx_crc_errors = rx_crc_errors;
        to.rx_frame_errors = rx_frame_errors;
        to.rx_fifo_errors = rx_fifo_errors;
        to.rx_missed_errors = rx_missed_errors;
        to.tx_aborted_errors = tx_aborted_errors;
        to.tx_carrier_errors = tx_carrier_errors;
        to.tx_fifo_errors = tx_fifo_errors;
        to.tx_heartbeat_errors = tx_heartbeat_errors;
        to.tx_window_errors = tx_window_errors;
        to.rx_compressed = rx_compressed;
        to.tx_compressed = tx_compressed;
        to.rx_nohandler = rx_nohandler;
        to.rx_otherhost_dropped = rx_otherhost_dropped;
    }
}
