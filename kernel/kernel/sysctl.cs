// Ports the integer handlers of kernel/sysctl.c: proc_dointvec and its
// minmax, jiffies, USER_HZ-jiffies and milliseconds-jiffies forms — the text
// a sysctl file takes or shows, converted to and from the int it stores.
//
// not ported: vectors of several ints in one file, strings, unsigned longs,
// bitmaps and the file-offset bookkeeping of partial reads and writes — the
// port's sysctl files hold one int and are written whole.
using System;
using System.Globalization;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h;

namespace KernelNet.Kernel.Kernel;

public static class sysctl_c
{
    /// <summary>A conversion of do_proc_dointvec: 0, 1 for "out of range" (EINVAL), or a negative errno.</summary>
    private delegate int conv_fn(ref bool negp, ref ulong lvalp, int[] data, int index, int write, ctl_table table);

    // kernel/sysctl.c: do_proc_dointvec_conv
    private static int do_proc_dointvec_conv(ref bool negp, ref ulong lvalp, int[] data, int index, int write, ctl_table table)
    {
        if (write != 0)
        {
            if (negp)
            {
                if (lvalp > (ulong)int.MaxValue + 1)
                {
                    return -EINVAL;
                }

                data[index] = (int)-(long)lvalp;
            }
            else
            {
                if (lvalp > int.MaxValue)
                {
                    return -EINVAL;
                }

                data[index] = (int)lvalp;
            }
        }
        else
        {
            var val = data[index];
            negp = val < 0;
            lvalp = val < 0 ? (ulong)(-(long)val) : (ulong)val;
        }

        return 0;
    }

    // kernel/sysctl.c: do_proc_dointvec_minmax_conv
    private static int do_proc_dointvec_minmax_conv(ref bool negp, ref ulong lvalp, int[] data, int index, int write, ctl_table table)
    {
        if (write == 0)
        {
            return do_proc_dointvec_conv(ref negp, ref lvalp, data, index, write, table);
        }

        // Bounds-check through a temporary before touching the stored value.
        var tmp = new int[1];
        var ret = do_proc_dointvec_conv(ref negp, ref lvalp, tmp, 0, write, table);
        if (ret != 0)
        {
            return ret;
        }

        if ((table.extra1 is int min && min > tmp[0]) || (table.extra2 is int max && max < tmp[0]))
        {
            return -EINVAL;
        }

        data[index] = tmp[0];
        return 0;
    }

    // kernel/sysctl.c: do_proc_dointvec_jiffies_conv
    private static int do_proc_dointvec_jiffies_conv(ref bool negp, ref ulong lvalp, int[] data, int index, int write, ctl_table table)
    {
        if (write != 0)
        {
            if (lvalp > (ulong)(int.MaxValue / Vmlinux.HZ))
            {
                return 1;
            }

            data[index] = negp ? -(int)lvalp * Vmlinux.HZ : (int)lvalp * Vmlinux.HZ;
        }
        else
        {
            var val = data[index];
            negp = val < 0;
            lvalp = (val < 0 ? (ulong)(-(long)val) : (ulong)val) / Vmlinux.HZ;
        }

        return 0;
    }

    // kernel/sysctl.c: do_proc_dointvec_userhz_jiffies_conv
    private static int do_proc_dointvec_userhz_jiffies_conv(ref bool negp, ref ulong lvalp, int[] data, int index, int write, ctl_table table)
    {
        if (write != 0)
        {
            if (Time.time_c.USER_HZ < Vmlinux.HZ && lvalp > (ulong)(long.MaxValue / Vmlinux.HZ * Time.time_c.USER_HZ))
            {
                return 1;
            }

            data[index] = (int)Time.time_c.clock_t_to_jiffies(negp ? -(long)lvalp : (long)lvalp);
        }
        else
        {
            var val = data[index];
            negp = val < 0;
            lvalp = (ulong)Time.time_c.jiffies_to_clock_t(Math.Abs((long)val));
        }

        return 0;
    }

    // kernel/sysctl.c: do_proc_dointvec_ms_jiffies_conv
    private static int do_proc_dointvec_ms_jiffies_conv(ref bool negp, ref ulong lvalp, int[] data, int index, int write, ctl_table table)
    {
        if (write != 0)
        {
            var jif = jiffies_h.msecs_to_jiffies(negp ? -(long)lvalp : (long)lvalp);
            if (jif > int.MaxValue)
            {
                return 1;
            }

            data[index] = (int)jif;
        }
        else
        {
            var val = data[index];
            negp = val < 0;
            lvalp = Time.time_c.jiffies_to_msecs(val < 0 ? (ulong)(-(long)val) : (ulong)val);
        }

        return 0;
    }

    // kernel/sysctl.c: do_proc_dointvec_ms_jiffies_minmax_conv
    private static int do_proc_dointvec_ms_jiffies_minmax_conv(ref bool negp, ref ulong lvalp, int[] data, int index, int write, ctl_table table)
    {
        if (write == 0)
        {
            return do_proc_dointvec_ms_jiffies_conv(ref negp, ref lvalp, data, index, write, table);
        }

        var tmp = new int[1];
        var ret = do_proc_dointvec_ms_jiffies_conv(ref negp, ref lvalp, tmp, 0, write, table);
        if (ret != 0)
        {
            return ret;
        }

        if ((table.extra1 is int min && min > tmp[0]) || (table.extra2 is int max && max < tmp[0]))
        {
            return -EINVAL;
        }

        data[index] = tmp[0];
        return 0;
    }

    // kernel/sysctl.c: do_proc_dointvec
    /// <summary>Parses one decimal integer (write) or formats the stored one (read), through <paramref name="conv"/>.</summary>
    private static int do_proc_dointvec(ctl_table table, int write, ref string buffer, conv_fn conv)
    {
        // not ported: __do_proc_dointvec — its parse and print of one int are written out here (the value passes as a string)
        if (table.data is null || table.maxlen == 0)
        {
            buffer = string.Empty;
            return 0;
        }

        var neg = false;
        ulong lval = 0;
        if (write != 0)
        {
            // proc_get_long: optional '-', decimal digits, then only whitespace.
            var s = buffer.Trim();
            if (s.StartsWith('-'))
            {
                neg = true;
                s = s[1..];
            }

            if (s.Length == 0 || !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out lval))
            {
                return -EINVAL;
            }

            var ret = conv(ref neg, ref lval, table.data, table.data_index, write, table);
            return ret == 0 ? 0 : -EINVAL;
        }

        conv(ref neg, ref lval, table.data, table.data_index, write, table);
        buffer = (neg ? "-" : string.Empty) + lval.ToString(CultureInfo.InvariantCulture) + "\n";
        return 0;
    }

    // kernel/sysctl.c: proc_dointvec
    /// <summary>One int, as decimal text.</summary>
    public static int proc_dointvec(ctl_table table, int write, ref string buffer) =>
        do_proc_dointvec(table, write, ref buffer, do_proc_dointvec_conv);

    // kernel/sysctl.c: proc_dointvec_minmax
    /// <summary>One int within extra1 .. extra2 (either may be absent); a write outside them fails with EINVAL.</summary>
    public static int proc_dointvec_minmax(ctl_table table, int write, ref string buffer) =>
        do_proc_dointvec(table, write, ref buffer, do_proc_dointvec_minmax_conv);

    // kernel/sysctl.c: proc_dointvec_jiffies
    /// <summary>Seconds in the file, jiffies in the int.</summary>
    public static int proc_dointvec_jiffies(ctl_table table, int write, ref string buffer) =>
        do_proc_dointvec(table, write, ref buffer, do_proc_dointvec_jiffies_conv);

    // kernel/sysctl.c: proc_dointvec_ms_jiffies_minmax
    /// <summary>Milliseconds in the file, jiffies in the int, within extra1 .. extra2.</summary>
    public static int proc_dointvec_ms_jiffies_minmax(ctl_table table, int write, ref string buffer) =>
        do_proc_dointvec(table, write, ref buffer, do_proc_dointvec_ms_jiffies_minmax_conv);

    // kernel/sysctl.c: proc_dointvec_userhz_jiffies
    /// <summary>USER_HZ ticks (1/100 s) in the file, jiffies in the int.</summary>
    public static int proc_dointvec_userhz_jiffies(ctl_table table, int write, ref string buffer) =>
        do_proc_dointvec(table, write, ref buffer, do_proc_dointvec_userhz_jiffies_conv);

    // kernel/sysctl.c: proc_dointvec_ms_jiffies
    /// <summary>Milliseconds in the file, jiffies in the int (rounded up).</summary>
    public static int proc_dointvec_ms_jiffies(ctl_table table, int write, ref string buffer) =>
        do_proc_dointvec(table, write, ref buffer, do_proc_dointvec_ms_jiffies_conv);
}
