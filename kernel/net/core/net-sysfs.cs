// Ports the queue attributes of net/core/net-sysfs.c that steer packets
// over CPUs: /sys/class/net/DEV/queues/rx-N/rps_cpus and rps_flow_cnt
// (RPS/RFS) and tx-N/xps_cpus (XPS). The simulation has no sysfs: a
// scenario or test calls the store/show functions with the text a shell
// would write or read.
//
// not ported: the kobjects and every other attribute (statistics, BQL,
// tx_maxrate, xps_rxqs); capable(CAP_NET_ADMIN) (the simulation is root);
// rps_cpumask_housekeeping (no isolated CPUs).
using System;
using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h;

namespace KernelNet.Kernel.Net.Core;

public static class net_sysfs_c
{
    /// <summary>
    /// bitmap_parse (lib/bitmap.c) for a CPU mask: hexadecimal, 32-bit groups
    /// separated by commas, a trailing newline allowed; bits past the
    /// machine's CPUs are ignored as nr_cpumask_bits ignores them. False on
    /// a malformed mask (EINVAL).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("bitmap_parse of lib/bitmap.c for a CPU mask, as the sysfs store handlers call it")]
    public static bool ParseCpuMask(Vmlinux k, string buf, out ulong mask)
    {
        mask = 0;
        var text = buf.TrimEnd('\n');
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var group in text.Split(','))
        {
            if (group.Length == 0 || group.Length > 8 || !uint.TryParse(group, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var word))
            {
                return false;
            }

            mask = (mask << 32) | word;
        }

        mask &= k.nr_cpu_ids >= 64 ? ulong.MaxValue : (1UL << k.nr_cpu_ids) - 1;
        return true;
    }

    /// <summary>The "%*pb" form of a CPU mask: hex, 32-bit groups joined by commas, as wide as the machine's CPUs.</summary>
    [KernelNet.Annotations.NotInLinux("the %*pb format of a cpumask (lib/vsprintf.c)")]
    private static string FormatCpuMask(Vmlinux k, ulong mask)
    {
        var digits = Math.Max(1, (k.nr_cpu_ids + 3) / 4);
        var hex = mask.ToString("x", CultureInfo.InvariantCulture).PadLeft(digits, '0');
        var sb = new StringBuilder();
        for (var i = 0; i < hex.Length; i++)
        {
            if (i > 0 && (hex.Length - i) % 8 == 0)
            {
                sb.Append(',');
            }

            sb.Append(hex[i]);
        }

        return sb.ToString();
    }

    // net/core/net-sysfs.c: show_rps_map
    /// <summary>Reading rx-N/rps_cpus: the CPUs of the queue's map as a mask.</summary>
    public static string show_rps_map(netdev_rx_queue queue)
    {
        var k = queue.dev.nd_net.k;
        ulong mask = 0;

        // rcu_read_lock()
        if (queue.rps_map is { } map)
        {
            for (var i = 0; i < map.len; i++)
            {
                mask |= 1UL << map.cpus[i];
            }
        }

        return FormatCpuMask(k, mask) + "\n";
    }

    // net/core/net-sysfs.c: netdev_rx_queue_set_rps_mask
    /// <summary>Replaces the queue's map with the mask's CPUs (none: no map), keeping the rps_needed key counted.</summary>
    private static int netdev_rx_queue_set_rps_mask(netdev_rx_queue queue, ulong mask)
    {
        // not ported: RPS_MAP_SIZE, kzalloc, kfree — the map is a C# object the GC reclaims
        var k = queue.dev.nd_net.k;
        var cpus = new System.Collections.Generic.List<ushort>();

        // for_each_cpu_and(cpu, mask, cpu_online_mask): every CPU is online
        for (var cpu = 0; cpu < k.nr_cpu_ids; cpu++)
        {
            if ((mask & (1UL << cpu)) != 0)
            {
                cpus.Add((ushort)cpu);
            }
        }

        var map = cpus.Count != 0 ? new rps_map(cpus.ToArray()) : null;

        // rps_map_mutex: one writer at a time; readers see the old or the new map (RCU)
        var old_map = queue.rps_map;
        queue.rps_map = map;
        if (map is not null)
        {
            k.net_hotdata.rps_needed++;
        }

        if (old_map is not null)
        {
            k.net_hotdata.rps_needed--;
        }

        // kfree_rcu(old_map): the garbage collector frees it once no reader holds it
        return 0;
    }

    // net/core/net-sysfs.c: store_rps_map
    /// <summary>Writing rx-N/rps_cpus: the hex CPU mask the queue's packets are spread over (0 turns RPS off for it).</summary>
    public static int store_rps_map(netdev_rx_queue queue, string buf)
    {
        if (!ParseCpuMask(queue.dev.nd_net.k, buf, out var mask))
        {
            return -EINVAL;
        }

        var err = netdev_rx_queue_set_rps_mask(queue, mask);
        return err != 0 ? err : buf.Length;
    }

    // net/core/net-sysfs.c: show_rps_dev_flow_table_cnt
    /// <summary>Reading rx-N/rps_flow_cnt: the size of the queue's RFS table (0: none).</summary>
    public static string show_rps_dev_flow_table_cnt(netdev_rx_queue queue)
    {
        ulong val = 0;
        if (queue.rps_flow_table is { } flow_table)
        {
            val = 1UL << flow_table.log;
        }

        return val.ToString(CultureInfo.InvariantCulture) + "\n";
    }

    // net/core/net-sysfs.c: store_rps_dev_flow_table_cnt
    /// <summary>Writing rx-N/rps_flow_cnt: a new RFS table of the count rounded up to a power of two, every flow unsteered (0 removes it).</summary>
    public static int store_rps_dev_flow_table_cnt(netdev_rx_queue queue, string buf)
    {
        // not ported: RPS_DEV_FLOW_TABLE_SIZE, call_rcu — the table is a C# object; no RCU readers to wait for
        // kstrtoul(buf, 0, ...): decimal, 0x hex or 0 octal, one trailing newline
        var text = buf.TrimEnd('\n');
        ulong count;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out count))
            {
                return -EINVAL;
            }
        }
        else if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count))
        {
            return -EINVAL;
        }

        rps_dev_flow_table? table;
        if (count != 0)
        {
            var mask = count - 1;

            // roundup_pow_of_two(count) - 1, without overflow
            while ((mask | (mask >> 1)) != mask)
            {
                mask |= mask >> 1;
            }

            // the mask must fit table->mask's u32
            if (mask > uint.MaxValue || mask >= 1UL << 24)
            {
                // 1 << 24 flows: a bound of the simulation's memory, far above any use
                return -EINVAL;
            }

            var log = (byte)(System.Numerics.BitOperations.Log2(mask) + 1);
            if (mask == 0)
            {
                log = 0;
            }

            table = new rps_dev_flow_table(log);
        }
        else
        {
            table = null;
        }

        // rps_dev_flow_lock; call_rcu frees the old table after its readers
        queue.rps_flow_table = table;
        return buf.Length;
    }

    // net/core/net-sysfs.c: xps_cpus_show
    /// <summary>Reading tx-N/xps_cpus: the CPUs whose XPS map holds this queue; ENOENT on a single-queue device.</summary>
    public static int xps_cpus_show(netdev_queue queue, out string buf)
    {
        // not ported: sysfs_rtnl_lock, rtnl_unlock, dev_hold, dev_put, get_netdev_queue_index, netdev_get_tx_queue, netdev_txq_to_tc, netif_is_multiqueue, xps_queue_show — single-threaded, no device refcounts, no traffic classes: the CPU map is read inline for queue.index
        var dev = queue.dev;
        var k = dev.nd_net.k;
        buf = "";
        if (dev.num_tx_queues <= 1)
        {
            return -ENOENT;
        }

        ulong mask = 0;
        if (dev.xps_cpus_map is { } dev_maps)
        {
            for (var j = 0; j < dev_maps.nr_ids; j++)
            {
                if (dev_maps.attr_map[j] is { } map && Array.IndexOf(map, (ushort)queue.index) >= 0)
                {
                    mask |= 1UL << j;
                }
            }
        }

        buf = FormatCpuMask(k, mask) + "\n";
        return buf.Length;
    }

    // net/core/net-sysfs.c: xps_cpus_store
    /// <summary>Writing tx-N/xps_cpus: the CPUs that send on this queue (netif_set_xps_queue); ENOENT on a single-queue device.</summary>
    public static int xps_cpus_store(netdev_queue queue, string buf)
    {
        // not ported: sysfs_rtnl_lock, rtnl_unlock, get_netdev_queue_index, netif_is_multiqueue — single-threaded; the queue knows its index; num_tx_queues is tested directly
        var dev = queue.dev;
        if (dev.num_tx_queues <= 1)
        {
            return -ENOENT;
        }

        if (!ParseCpuMask(dev.nd_net.k, buf, out var mask))
        {
            return -EINVAL;
        }

        // rtnl_lock()
        var err = dev_c.netif_set_xps_queue(dev, mask, queue.index);
        return err != 0 ? err : buf.Length;
    }
}
