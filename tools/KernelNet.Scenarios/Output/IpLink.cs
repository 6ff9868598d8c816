using System;
using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Scenarios.Output;

/// <summary>
/// Renders the statistics block of `ip -s link show DEV` (and, at level 2,
/// `ip -s -s link`) as iproute2 6.1 prints it from the device's
/// rtnl_link_stats64 (dev_get_stats): columns at least as wide as their
/// headings and widened together to fit the largest value, RX then TX, each
/// followed at level 2 by its error breakdown. nohandler and otherhost
/// appear only when non-zero, as iproute2 does.
/// Departure: the TX error line has no `transns` column (IFLA_CARRIER_CHANGES):
/// the simulation keeps no carrier-change count.
/// </summary>
public static class IpLink
{
    /// <summary>The statistics lines for <paramref name="dev"/>; <paramref name="level"/> is the number of -s (1 or 2).</summary>
    public static string Statistics(net_device dev, int level = 1)
    {
        if (level is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "ip -s takes one or two -s");
        }

        var s = KernelNet.Kernel.Net.Core.dev_c.dev_get_stats(dev);
        return Format(s, level);
    }

    /// <summary>The block for a given set of counters (what iproute2 does with the netlink attribute).</summary>
    public static string Format(rtnl_link_stats64 s, int level)
    {
        // minimum widths: the longest heading each column carries
        int[] cols = ["*X errors:".Length, "packets".Length, "errors".Length, "dropped".Length, "heartbt".Length, "overrun".Length, "compressed".Length, "otherhost".Length];
        SizeColumns(cols, s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, s.rx_missed_errors, s.multicast, s.rx_compressed, level > 1 ? s.rx_otherhost_dropped : 0);
        SizeColumns(cols, s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, s.tx_carrier_errors, s.collisions, s.tx_compressed);
        if (level > 1)
        {
            SizeColumns(cols, 0, s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors, s.rx_fifo_errors, s.rx_over_errors, s.rx_nohandler);
            SizeColumns(cols, 0, s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors, s.tx_heartbeat_errors);
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"    RX: {"bytes".PadLeft(cols[0] - 4)} {"packets".PadLeft(cols[1])} {"errors".PadLeft(cols[2])} {"dropped".PadLeft(cols[3])} {"missed".PadLeft(cols[4])} {"mcast".PadLeft(cols[5])} {(s.rx_compressed != 0 ? "compressed" : "").PadLeft(cols[6])}\n");
        sb.Append("    ");
        Nums(sb, cols, s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, s.rx_missed_errors, s.multicast);
        if (s.rx_compressed != 0)
        {
            Num(sb, cols[6], s.rx_compressed);
        }

        sb.Append('\n');
        if (level > 1)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    RX errors: {"length".PadLeft(cols[1])} {"crc".PadLeft(cols[2])} {"frame".PadLeft(cols[3])} {"fifo".PadLeft(cols[4])} {"overrun".PadLeft(cols[5])}");
            if (s.rx_nohandler != 0)
            {
                sb.Append(' ').Append("nohandler".PadLeft(cols[6]));
            }

            if (s.rx_otherhost_dropped != 0)
            {
                sb.Append(' ').Append("otherhost".PadLeft(cols[7]));
            }

            sb.Append("\n    ");
            Num(sb, cols[0], null);
            Nums(sb, cols.AsSpan(1), s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors, s.rx_fifo_errors, s.rx_over_errors);
            if (s.rx_nohandler != 0)
            {
                Num(sb, cols[6], s.rx_nohandler);
            }

            if (s.rx_otherhost_dropped != 0)
            {
                Num(sb, cols[7], s.rx_otherhost_dropped);
            }

            sb.Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture, $"    TX: {"bytes".PadLeft(cols[0] - 4)} {"packets".PadLeft(cols[1])} {"errors".PadLeft(cols[2])} {"dropped".PadLeft(cols[3])} {"carrier".PadLeft(cols[4])} {"collsns".PadLeft(cols[5])} {(s.tx_compressed != 0 ? "compressed" : "").PadLeft(cols[6])}\n");
        sb.Append("    ");
        Nums(sb, cols, s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, s.tx_carrier_errors, s.collisions);
        if (s.tx_compressed != 0)
        {
            Num(sb, cols[6], s.tx_compressed);
        }

        sb.Append('\n');
        if (level > 1)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    TX errors: {"aborted".PadLeft(cols[1])} {"fifo".PadLeft(cols[2])} {"window".PadLeft(cols[3])} {"heartbt".PadLeft(cols[4])}\n    ");
            Num(sb, cols[0], null);
            Nums(sb, cols.AsSpan(1), s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors, s.tx_heartbeat_errors);
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>size_columns: widens each column to the digits of its value.</summary>
    private static void SizeColumns(int[] cols, params ulong[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var digits = values[i].ToString(CultureInfo.InvariantCulture).Length;
            cols[i] = Math.Max(cols[i], digits);
        }
    }

    private static void Nums(StringBuilder sb, ReadOnlySpan<int> cols, params ulong[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            Num(sb, cols[i], values[i]);
        }
    }

    /// <summary>print_num: the value right-aligned in its column, then a space (an empty column for null).</summary>
    private static void Num(StringBuilder sb, int width, ulong? value)
    {
        var text = value?.ToString(CultureInfo.InvariantCulture) ?? "";
        sb.Append(text.PadLeft(width)).Append(' ');
    }
}
