// Ports net/core/net-procfs.c: /proc/net/dev and /proc/net/softnet_stat.
using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Net.Core.dev_c;

namespace KernelNet.Kernel.Net.Core;

public static class net_procfs_c
{
    // net/core/net-procfs.c: dev_seq_printf_stats
    /// <summary>One device's line of /proc/net/dev, with the kernel's folding of error kinds into columns (OBS-1).</summary>
    private static void dev_seq_printf_stats(StringBuilder seq, net_device dev)
    {
        var stats = dev_get_stats(dev);
        seq.Append(string.Create(CultureInfo.InvariantCulture,
            $"{dev.name,6}: {stats.rx_bytes,7} {stats.rx_packets,7} {stats.rx_errors,4} {stats.rx_dropped + stats.rx_missed_errors,4} {stats.rx_fifo_errors,4} {stats.rx_length_errors + stats.rx_over_errors + stats.rx_crc_errors + stats.rx_frame_errors,5} {stats.rx_compressed,10} {stats.multicast,9} {stats.tx_bytes,8} {stats.tx_packets,7} {stats.tx_errors,4} {stats.tx_dropped,4} {stats.tx_fifo_errors,4} {stats.collisions,5} {stats.tx_carrier_errors + stats.tx_aborted_errors + stats.tx_window_errors + stats.tx_heartbeat_errors,7} {stats.tx_compressed,10}\n"));
    }

    // net/core/net-procfs.c: dev_seq_show
    /// <summary>/proc/net/dev of a namespace: the two header lines, then a line per device.</summary>
    public static string dev_seq_show(net net)
    {
        var seq = new StringBuilder();
        seq.Append("Inter-|   Receive                                                |  Transmit\n");
        seq.Append(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n");
        foreach (var dev in net.dev_base_head)
        {
            dev_seq_printf_stats(seq, dev);
        }

        return seq.ToString();
    }

    // net/core/net-procfs.c: softnet_seq_show
    /// <summary>
    /// /proc/net/softnet_stat, a line per CPU in hex: processed, dropped,
    /// time_squeeze (RX-5), five retired zeros, the retired cpu_collision,
    /// received_rps (RPS IPIs taken), flow_limit_count, the backlog length,
    /// the CPU's number, and the backlog's two queues.
    /// </summary>
    public static string softnet_seq_show(Vmlinux k)
    {
        // not ported: numa_drop_read, softnet_input_pkt_queue_len, softnet_process_queue_len — one drop counter field; the queue lengths are read with skb_queue_len
        var seq = new StringBuilder();
        for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
        {
            var sd = k.per_cpu(cpu).softnet_data;
            var input_qlen = (uint)skbuff_h.skb_queue_len(sd.input_pkt_queue);
            var process_qlen = (uint)skbuff_h.skb_queue_len(sd.process_queue);

            // no flow limit tables (flow_limit_cpu_bitmap is empty by default)
            const uint flow_limit_count = 0;
            seq.Append(string.Create(CultureInfo.InvariantCulture,
                $"{sd.processed:x8} {sd.dropped:x8} {sd.time_squeeze:x8} {0:x8} {0:x8} {0:x8} {0:x8} {0:x8} {0:x8} {sd.received_rps:x8} {flow_limit_count:x8} {input_qlen + process_qlen:x8} {(uint)cpu:x8} {input_qlen:x8} {process_qlen:x8}\n"));
        }

        return seq.ToString();
    }
}
