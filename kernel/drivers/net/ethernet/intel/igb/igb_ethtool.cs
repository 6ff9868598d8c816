// Ports drivers/net/ethernet/intel/igb/igb_ethtool.c: `ethtool -i/-g/-G/-l/-S`
// for igb (OBS-2), with the statistic names and order of igb_gstrings_stats,
// igb_gstrings_net_stats and the per-queue strings.
//
// not ported: link settings, flow control, coalescing, RSS hash fields,
// self-tests, register dumps, EEPROM, private flags.
using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.igb_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class igb_ethtool_c
{
    /// <summary>igb_ethtool_ops.</summary>
    public static ethtool_ops igb_ethtool_ops => new()
    {
        get_drvinfo = igb_get_drvinfo,
        get_ringparam = igb_get_ringparam,
        set_ringparam = igb_set_ringparam,
        get_channels = igb_get_channels,
        set_channels = igb_set_channels,
        get_ethtool_stats = igb_get_ethtool_stats,
    };

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_drvinfo
    private static ethtool_drvinfo igb_get_drvinfo(net_device netdev) =>
        new("igb", "6.18.2-k", "1.2.1", "0000:01:00." + netdev.ifindex.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_ringparam
    /// <summary>ethtool -g: maximums 4096, current ring sizes (RX-3).</summary>
    private static ethtool_ringparam igb_get_ringparam(net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        return new ethtool_ringparam(IGB_MAX_RXD, IGB_MAX_TXD, (uint)adapter.rx_ring_count, (uint)adapter.tx_ring_count);
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_set_ringparam
    /// <summary>ethtool -G: sizes rounded to a multiple of 8 within 64..4096; a running device re-creates its rings.</summary>
    private static int igb_set_ringparam(net_device netdev, uint rx_pending, uint tx_pending)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        var new_rx = (int)Math.Clamp(rx_pending, (uint)IGB_MIN_RXD, (uint)IGB_MAX_RXD);
        new_rx = (new_rx + 7) & ~7;
        var new_tx = (int)Math.Clamp(tx_pending, (uint)IGB_MIN_TXD, (uint)IGB_MAX_TXD);
        new_tx = (new_tx + 7) & ~7;
        if (new_rx == adapter.rx_ring_count && new_tx == adapter.tx_ring_count)
        {
            return 0;
        }

        var running = netif_running(netdev);
        if (running)
        {
            igb_main_c.igb_close(netdev);
        }

        adapter.rx_ring_count = new_rx;
        adapter.tx_ring_count = new_tx;
        if (running)
        {
            return igb_main_c.igb_open(netdev);
        }

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_channels
    /// <summary>ethtool -l: combined queue pairs (RX-8).</summary>
    private static ethtool_channels igb_get_channels(net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        return new ethtool_channels(IGB_MAX_RX_QUEUES, (uint)adapter.num_q_vectors);
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_set_channels
    /// <summary>ethtool -L combined N: 1..8 queue pairs, then the queues are rebuilt.</summary>
    private static int igb_set_channels(net_device netdev, uint combined)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        if (combined == 0 || combined > IGB_MAX_RX_QUEUES)
        {
            return -errno_base_h.EINVAL;
        }

        if (combined == adapter.rss_queues)
        {
            return 0;
        }

        adapter.rss_queues = (int)combined;
        return igb_main_c.igb_reinit_queues(adapter);
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_ethtool_stats
    /// <summary>ethtool -S: refresh from the hardware, then every counter by its igb name, in igb's order.</summary>
    private static IReadOnlyList<(string Name, ulong Value)> igb_get_ethtool_stats(net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        igb_main_c.igb_update_stats(adapter);
        var s = adapter.stats;
        var n = adapter.stats64;
        var list = new List<(string, ulong)>
        {
            ("rx_packets", s.gprc), ("tx_packets", s.gptc), ("rx_bytes", s.gorc), ("tx_bytes", s.gotc),
            ("rx_broadcast", s.bprc), ("tx_broadcast", s.bptc), ("rx_multicast", s.mprc), ("tx_multicast", s.mptc),
            ("multicast", s.mprc), ("collisions", 0), ("rx_crc_errors", s.crcerrs), ("rx_no_buffer_count", s.rnbc),
            ("rx_missed_errors", s.mpc), ("tx_aborted_errors", 0), ("tx_carrier_errors", 0), ("tx_window_errors", 0),
            ("tx_abort_late_coll", 0), ("tx_deferred_ok", 0), ("tx_single_coll_ok", 0), ("tx_multi_coll_ok", 0),
            ("tx_timeout_count", adapter.tx_timeout_count), ("rx_long_length_errors", 0), ("rx_short_length_errors", 0),
            ("rx_align_errors", 0), ("tx_tcp_seg_good", 0), ("tx_tcp_seg_failed", 0), ("rx_flow_control_xon", 0),
            ("rx_flow_control_xoff", 0), ("tx_flow_control_xon", 0), ("tx_flow_control_xoff", 0), ("rx_long_byte_count", s.gorc),
            ("tx_dma_out_of_sync", 0), ("tx_smbus", 0), ("rx_smbus", 0), ("dropped_smbus", 0), ("os2bmc_rx_by_bmc", 0),
            ("os2bmc_tx_by_bmc", 0), ("os2bmc_tx_by_host", 0), ("os2bmc_rx_by_host", 0), ("tx_hwtstamp_timeouts", 0),
            ("tx_hwtstamp_skipped", 0), ("rx_hwtstamp_cleared", 0),
            ("rx_errors", n.rx_errors), ("tx_errors", n.tx_errors), ("tx_dropped", n.tx_dropped), ("rx_length_errors", n.rx_length_errors),
            ("rx_over_errors", n.rx_over_errors), ("rx_frame_errors", n.rx_frame_errors), ("rx_fifo_errors", n.rx_fifo_errors),
            ("tx_fifo_errors", n.tx_fifo_errors), ("tx_heartbeat_errors", n.tx_heartbeat_errors),
        };
        foreach (var ring in adapter.tx_ring)
        {
            list.Add(($"tx_queue_{ring.queue_index}_packets", ring.stats.packets));
            list.Add(($"tx_queue_{ring.queue_index}_bytes", ring.stats.bytes));
            list.Add(($"tx_queue_{ring.queue_index}_restart", ring.stats.restart_queue));
        }

        foreach (var ring in adapter.rx_ring)
        {
            list.Add(($"rx_queue_{ring.queue_index}_packets", ring.stats.packets));
            list.Add(($"rx_queue_{ring.queue_index}_bytes", ring.stats.bytes));
            list.Add(($"rx_queue_{ring.queue_index}_drops", ring.stats.drops));
            list.Add(($"rx_queue_{ring.queue_index}_csum_err", ring.stats.csum_err));
            list.Add(($"rx_queue_{ring.queue_index}_alloc_failed", ring.stats.alloc_failed));
        }

        return list;
    }
}
