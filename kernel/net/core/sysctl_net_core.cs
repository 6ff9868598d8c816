// Ports from net/core/sysctl_net_core.c the handler of
// net.core.rps_sock_flow_entries, which sizes RFS's global socket flow
// table. The knob lives in net_core_table: only the initial namespace shows
// it, and one table serves every namespace.
//
// not ported: the other net.core handlers (the port keeps those knobs as
// plain values: net.core_sysctl, net_hotdata), flow_limit_cpu_bitmap,
// the sysctl registration itself (no procfs tree: callers pass the text).
using System;
using System.Globalization;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h;

namespace KernelNet.Kernel.Net.Core;

public static class sysctl_net_core_c
{
    // net/core/sysctl_net_core.c: rps_sock_flow_sysctl
    /// <summary>
    /// Reading gives the table's size (0: RFS off). Writing a size allocates
    /// a table of that many entries rounded up to a power of two (more than
    /// 2^29 is EINVAL), every entry "no CPU"; the same size just clears it; 0
    /// removes it. A new table turns the rps_needed and rfs_needed keys on,
    /// a removed one off.
    /// </summary>
    public static int rps_sock_flow_sysctl(Vmlinux k, bool write, ref string buffer)
    {
        // not ported: proc_dointvec, RPS_SOCK_FLOW_TABLE_SIZE — the value is parsed and printed in place; the table is a C# object
        // sock_flow_mutex: one writer at a time (the simulation has one thread)
        var orig_sock_table = k.net_hotdata.rps_sock_flow_table;
        var size = orig_sock_table is not null ? orig_sock_table.mask + 1 : 0u;
        var orig_size = size;

        // proc_dointvec on a local copy of the size
        if (!write)
        {
            buffer = ((int)size).ToString(CultureInfo.InvariantCulture) + "\n";
            return 0;
        }

        if (!int.TryParse(buffer.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return -EINVAL;
        }

        size = unchecked((uint)value);
        rps_sock_flow_table? sock_table;
        if (size != 0)
        {
            if (size > 1u << 29)
            {
                // the limit keeps the table's size from overflowing
                return -EINVAL;
            }

            size = System.Numerics.BitOperations.RoundUpToPowerOf2(size);
            if (size != orig_size)
            {
                // vmalloc(RPS_SOCK_FLOW_TABLE_SIZE(size)); the constructor sets mask = size - 1
                sock_table = new rps_sock_flow_table(size);
                k.net_hotdata.rps_cpu_mask = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)k.nr_cpu_ids) - 1;
            }
            else
            {
                sock_table = orig_sock_table!;
            }

            Array.Fill(sock_table.ents, (uint)rps_h.RPS_NO_CPU);
        }
        else
        {
            sock_table = null;
        }

        if (sock_table != orig_sock_table)
        {
            // rcu_assign_pointer: readers (get_rps_cpu, rps_record_sock_flow) see the old or the new table
            k.net_hotdata.rps_sock_flow_table = sock_table;
            if (sock_table is not null)
            {
                k.net_hotdata.rps_needed++;
                k.net_hotdata.rfs_needed++;
            }

            if (orig_sock_table is not null)
            {
                k.net_hotdata.rps_needed--;
                k.net_hotdata.rfs_needed--;

                // kvfree_rcu(orig_sock_table): the collector frees it once no reader holds it
            }
        }

        return 0;
    }
}
