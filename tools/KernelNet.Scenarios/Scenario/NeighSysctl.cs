using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace KernelNet.Scenarios.Scenario;

/// <summary>
/// The per-device neighbour sysctls a host may set: <c>net.ipv4.neigh.DEV.KNOB</c>,
/// DEV one of the host's interfaces (the files neigh_sysctl_register makes for
/// each device). <c>net.ipv4.neigh.default</c> is refused: 6.18 registers it once,
/// in the initial namespace only (arp_init), so a host's namespace has none.
/// </summary>
public static partial class NeighSysctl
{
    /// <summary>The files of a device's directory (neigh_sysctl_template up to base_reachable_time_ms).</summary>
    public static readonly IReadOnlyList<string> Knobs =
    [
        "mcast_solicit", "ucast_solicit", "app_solicit", "mcast_resolicit", "retrans_time", "base_reachable_time",
        "delay_first_probe_time", "interval_probe_time_ms", "gc_stale_time", "unres_qlen_bytes", "proxy_qlen",
        "anycast_delay", "proxy_delay", "locktime", "unres_qlen", "retrans_time_ms", "base_reachable_time_ms",
    ];

    public const string Prefix = "net.ipv4.neigh.";

    [GeneratedRegex("^net\\.ipv4\\.neigh\\.([a-z0-9_]+)\\.([a-z_]+)$")]
    private static partial Regex Key();

    /// <summary>True for any key under net.ipv4.neigh.</summary>
    public static bool IsNeigh(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The device and file of a neigh sysctl, or an explanation of why the key is not one a host can set.</summary>
    public static bool TryParse(string key, out string device, out string knob, out string? error)
    {
        device = knob = string.Empty;
        error = null;
        var m = Key().Match(key);
        if (!m.Success)
        {
            error = $"expected net.ipv4.neigh.DEV.KNOB, got '{key}'";
            return false;
        }

        device = m.Groups[1].Value;
        knob = m.Groups[2].Value;
        if (device == "default")
        {
            error = $"'{key}': net.ipv4.neigh.default exists only in the initial namespace (6.18's arp_init registers it once); set the interface's own, net.ipv4.neigh.IFACE.{knob}";
            return false;
        }

        if (!((IList<string>)Knobs).Contains(knob))
        {
            error = $"'{key}': a device's neigh directory has {string.Join(", ", Knobs)}";
            return false;
        }

        return true;
    }
}
