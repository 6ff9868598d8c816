// Ports drivers/net/ethernet/intel/igb/igb_ethtool.c: `ethtool -i/-g/-G/-l/-L/-S`
// for igb (RX-3, OBS-2). The statistics keep the names and order of
// igb_gstrings_stats, igb_gstrings_net_stats and the per-queue strings of
// igb_get_strings; values come from the adapter after igb_update_stats, as
// igb_get_ethtool_stats reads them.
//
// not ported: link settings, flow control, coalescing, RSS hash fields and
// indirection table, self-tests, register and EEPROM dumps, private flags,
// timestamping info. Counters the model has no source for (collisions,
// flow control, SMBus, OS2BMC, timestamps) read 0, as on a full-duplex
// link without a BMC.
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.igb_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class igb_ethtool_c
{
    /// <summary>REQ_RX_DESCRIPTOR_MULTIPLE / REQ_TX_DESCRIPTOR_MULTIPLE: ring sizes are multiples of 8.</summary>
    private const int REQ_DESCRIPTOR_MULTIPLE = 8;

    /// <summary>igb_gstrings_stats: the adapter's counters, name and field.</summary>
    private static readonly ImmutableArray<(string stat_string, Func<igb_adapter, ulong> stat)> igb_gstrings_stats =
    [
        ("rx_packets", a => a.stats.gprc),
        ("tx_packets", a => a.stats.gptc),
        ("rx_bytes", a => a.stats.gorc),
        ("tx_bytes", a => a.stats.gotc),
        ("rx_broadcast", a => a.stats.bprc),
        ("tx_broadcast", a => a.stats.bptc),
        ("rx_multicast", a => a.stats.mprc),
        ("tx_multicast", a => a.stats.mptc),
        ("multicast", a => a.stats.mprc),
        ("collisions", a => a.stats.colc),
        ("rx_crc_errors", a => a.stats.crcerrs),
        ("rx_no_buffer_count", a => a.stats.rnbc),
        ("rx_missed_errors", a => a.stats.mpc),
        ("tx_aborted_errors", a => a.stats.ecol),
        ("tx_carrier_errors", a => a.stats.tncrs),
        ("tx_window_errors", a => a.stats.latecol),
        ("tx_abort_late_coll", a => a.stats.latecol),
        ("tx_deferred_ok", _ => 0),
        ("tx_single_coll_ok", _ => 0),
        ("tx_multi_coll_ok", _ => 0),
        ("tx_timeout_count", a => a.tx_timeout_count),
        ("rx_long_length_errors", a => a.stats.roc),
        ("rx_short_length_errors", a => a.stats.ruc),
        ("rx_align_errors", a => a.stats.algnerrc),
        ("tx_tcp_seg_good", _ => 0),
        ("tx_tcp_seg_failed", _ => 0),
        ("rx_flow_control_xon", _ => 0),
        ("rx_flow_control_xoff", _ => 0),
        ("tx_flow_control_xon", _ => 0),
        ("tx_flow_control_xoff", _ => 0),
        ("rx_long_byte_count", a => a.stats.gorc),
        ("tx_dma_out_of_sync", _ => 0),
        ("tx_smbus", _ => 0),
        ("rx_smbus", _ => 0),
        ("dropped_smbus", _ => 0),
        ("os2bmc_rx_by_bmc", _ => 0),
        ("os2bmc_tx_by_bmc", _ => 0),
        ("os2bmc_tx_by_host", _ => 0),
        ("os2bmc_rx_by_host", _ => 0),
        ("tx_hwtstamp_timeouts", _ => 0),
        ("tx_hwtstamp_skipped", _ => 0),
        ("rx_hwtstamp_cleared", _ => 0),
    ];

    /// <summary>igb_gstrings_net_stats: fields of the adapter's rtnl_link_stats64.</summary>
    private static readonly ImmutableArray<(string stat_string, Func<rtnl_link_stats64, ulong> stat)> igb_gstrings_net_stats =
    [
        ("rx_errors", s => s.rx_errors),
        ("tx_errors", s => s.tx_errors),
        ("tx_dropped", s => s.tx_dropped),
        ("rx_length_errors", s => s.rx_length_errors),
        ("rx_over_errors", s => s.rx_over_errors),
        ("rx_frame_errors", s => s.rx_frame_errors),
        ("rx_fifo_errors", s => s.rx_fifo_errors),
        ("tx_fifo_errors", s => s.tx_fifo_errors),
        ("tx_heartbeat_errors", s => s.tx_heartbeat_errors),
    ];

    /// <summary>igb_ethtool_ops (igb_set_ethtool_ops installs it).</summary>
    public static ethtool_ops igb_ethtool_ops => new()
    {
        get_drvinfo = igb_get_drvinfo,
        get_ringparam = igb_get_ringparam,
        set_ringparam = igb_set_ringparam,
        get_ethtool_stats = igb_get_ethtool_stats,
        get_channels = igb_get_channels,
        set_channels = igb_set_channels,
    };

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_drvinfo
    /// <summary>ethtool -i: driver, version, NVM image version, PCI address.</summary>
    private static ethtool_drvinfo igb_get_drvinfo(net_device netdev) =>
        new("igb", igb_main_c.igb_driver_version, "1.2.1", "0000:01:00." + (netdev.ifindex - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_ringparam
    /// <summary>ethtool -g: maximums 4096, current sizes (RX-3).</summary>
    private static ethtool_ringparam igb_get_ringparam(net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        return new ethtool_ringparam(IGB_MAX_RXD, IGB_MAX_TXD, (uint)adapter.rx_ring_count, (uint)adapter.tx_ring_count);
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_set_ringparam
    /// <summary>
    /// ethtool -G: sizes clamped to 64..4096 and rounded up to a multiple of
    /// 8. A down device just records them; a running one is taken down, its
    /// rings re-created at the new size and brought up again (the kernel
    /// allocates the new rings first so a failure keeps the old ones).
    /// </summary>
    private static int igb_set_ringparam(net_device netdev, uint rx_pending, uint tx_pending)
    {
        // not ported: igb_down, igb_up, igb_free_tx_resources, igb_free_rx_resources, igb_setup_tx_resources, igb_setup_rx_resources — a running device is closed and reopened (igb_close/igb_open), which frees and sets up every ring at the new counts; the kernel's temporary rings exist only to keep the old ones when allocation fails, which cannot happen here
        var adapter = netdev_priv<igb_adapter>(netdev);
        var new_rx_count = (int)Math.Max(Math.Min(rx_pending, (uint)IGB_MAX_RXD), (uint)IGB_MIN_RXD);
        new_rx_count = (new_rx_count + REQ_DESCRIPTOR_MULTIPLE - 1) & ~(REQ_DESCRIPTOR_MULTIPLE - 1);
        var new_tx_count = (int)Math.Max(Math.Min(tx_pending, (uint)IGB_MAX_TXD), (uint)IGB_MIN_TXD);
        new_tx_count = (new_tx_count + REQ_DESCRIPTOR_MULTIPLE - 1) & ~(REQ_DESCRIPTOR_MULTIPLE - 1);
        if (new_tx_count == adapter.tx_ring_count && new_rx_count == adapter.rx_ring_count)
        {
            return 0;
        }

        var running = netif_running(adapter.netdev);
        if (running)
        {
            igb_main_c.igb_close(netdev);
        }

        for (var i = 0; i < adapter.num_tx_queues; i++)
        {
            adapter.tx_ring[i]!.count = new_tx_count;
        }

        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            adapter.rx_ring[i]!.count = new_rx_count;
        }

        adapter.tx_ring_count = new_tx_count;
        adapter.rx_ring_count = new_rx_count;
        return running ? igb_main_c.igb_open(netdev) : 0;
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_ethtool_stats
    /// <summary>ethtool -S: refresh from the hardware, then every counter by its igb name, in igb_get_strings' order (OBS-2).</summary>
    private static IReadOnlyList<(string Name, ulong Value)> igb_get_ethtool_stats(net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        var net_stats = adapter.stats64;
        igb_main_c.igb_update_stats(adapter);
        var data = new List<(string, ulong)>(igb_gstrings_stats.Length + igb_gstrings_net_stats.Length + (8 * adapter.num_rx_queues));
        foreach (var (name, stat) in igb_gstrings_stats)
        {
            data.Add((name, stat(adapter)));
        }

        foreach (var (name, stat) in igb_gstrings_net_stats)
        {
            data.Add((name, stat(net_stats)));
        }

        for (var j = 0; j < adapter.num_tx_queues; j++)
        {
            var ring = adapter.tx_ring[j]!;
            data.Add(($"tx_queue_{j}_packets", ring.tx_stats.packets));
            data.Add(($"tx_queue_{j}_bytes", ring.tx_stats.bytes));
            data.Add(($"tx_queue_{j}_restart", ring.tx_stats.restart_queue + ring.tx_stats.restart_queue2));
        }

        for (var j = 0; j < adapter.num_rx_queues; j++)
        {
            var ring = adapter.rx_ring[j]!;
            data.Add(($"rx_queue_{j}_packets", ring.rx_stats.packets));
            data.Add(($"rx_queue_{j}_bytes", ring.rx_stats.bytes));
            data.Add(($"rx_queue_{j}_drops", ring.rx_stats.drops));
            data.Add(($"rx_queue_{j}_csum_err", ring.rx_stats.csum_err));
            data.Add(($"rx_queue_{j}_alloc_failed", ring.rx_stats.alloc_failed));
        }

        return data;
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_get_channels
    /// <summary>ethtool -l: combined queue pairs, and the one "other" vector (RX-8).</summary>
    private static ethtool_channels igb_get_channels(net_device netdev)
    {
        // not ported: igb_max_channels — the maximum reported is IGB_MAX_RX_QUEUES, the 82576 model's queue count
        var adapter = netdev_priv<igb_adapter>(netdev);
        return new ethtool_channels(IGB_MAX_RX_QUEUES, (uint)adapter.rss_queues);
    }

    // drivers/net/ethernet/intel/igb/igb_ethtool.c: igb_set_channels
    /// <summary>ethtool -L combined N: 1..8 queue pairs, then igb_reinit_queues rebuilds queues, vectors and NAPI.</summary>
    private static int igb_set_channels(net_device netdev, uint count)
    {
        // not ported: igb_set_flag_queue_pairs — the port always pairs Tx and Rx queues on one q_vector (see igb_init_queue_configuration)
        // not ported: igb_max_channels — the limit checked is IGB_MAX_RX_QUEUES, the 82576 model's queue count
        var adapter = netdev_priv<igb_adapter>(netdev);
        if (count == 0 || count > IGB_MAX_RX_QUEUES)
        {
            return -errno_base_h.EINVAL;
        }

        if (count == adapter.rss_queues)
        {
            return 0;
        }

        adapter.rss_queues = (int)count;
        return igb_main_c.igb_reinit_queues(adapter);
    }
}
