// Ports include/linux/ethtool.h: the driver's ethtool entry points and the
// structures `ethtool -g/-G/-l/-i/-S` read and write.
using System;
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct ethtool_drvinfo (`ethtool -i`).</summary>
public sealed record ethtool_drvinfo(string driver, string version, string fw_version, string bus_info);

/// <summary>struct ethtool_ringparam (`ethtool -g`): maximums and current sizes.</summary>
public sealed record ethtool_ringparam(uint rx_max_pending, uint tx_max_pending, uint rx_pending, uint tx_pending);

/// <summary>struct ethtool_channels (`ethtool -l`).</summary>
public sealed record ethtool_channels(uint max_combined, uint combined_count);

/// <summary>struct ethtool_ops: the subset KernelNet drivers implement.</summary>
public sealed class ethtool_ops
{
    public required Func<net_device, ethtool_drvinfo> get_drvinfo { get; init; }

    public required Func<net_device, ethtool_ringparam> get_ringparam { get; init; }

    /// <summary>Sets ring sizes (rx, tx); 0 or -errno.</summary>
    public required Func<net_device, uint, uint, int> set_ringparam { get; init; }

    public required Func<net_device, ethtool_channels> get_channels { get; init; }

    /// <summary>Sets the number of combined channels; 0 or -errno.</summary>
    public required Func<net_device, uint, int> set_channels { get; init; }

    /// <summary>The statistic names (get_strings ETH_SS_STATS) and values (get_ethtool_stats), in order.</summary>
    public required Func<net_device, IReadOnlyList<(string Name, ulong Value)>> get_ethtool_stats { get; init; }
}
