// Ports kernel/printk/printk.c: the kernel log. A message goes into the log
// buffer with its level and the time since boot, as `dmesg` shows it.
//
// departure: the ring buffer is an unbounded list hung off the kernel (init_net,
// as the other global state); no consoles, no syslog(2) interface — readers
// call dmesg.
// not ported: log levels' console filtering, continuation lines, printk_deferred's deferral (the same record is stored).
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using KernelNet.Annotations;

namespace KernelNet.Kernel.Kernel.Printk;

/// <summary>One record of the log buffer (struct printk_info and its text).</summary>
public readonly record struct printk_record(long ts_nsec, int level, string text);

public static class printk_c
{
    public const int KERN_ERR = 3;
    public const int KERN_WARNING = 4;
    public const int KERN_INFO = 6;

    /// <summary>The log buffer (prb).</summary>
    [NotInLinux("the log buffer, hung off init_net")]
    public static List<printk_record> prb(Vmlinux k)
    {
        if (!k.init_net.gen.TryGetValue("printk_log_buf", out var o))
        {
            o = new List<printk_record>();
            k.init_net.gen["printk_log_buf"] = o;
        }

        return (List<printk_record>)o;
    }

    // kernel/printk/printk.c: _printk
    /// <summary>Appends <paramref name="text"/> (one line, its newline dropped) at <paramref name="level"/>.</summary>
    public static int _printk(Vmlinux k, int level, string text)
    {
        var line = text.TrimEnd('\n');
        prb(k).Add(new printk_record(k.ktime_get_ns(), level, line));
        return line.Length;
    }

    /// <summary>What `dmesg` prints: "[    5.123456] text" per record.</summary>
    [NotInLinux("what `dmesg` reads through syslog(2)")]
    public static string dmesg(Vmlinux k)
    {
        var sb = new StringBuilder();
        foreach (var r in prb(k))
        {
            var sec = r.ts_nsec / 1_000_000_000;
            var usec = r.ts_nsec % 1_000_000_000 / 1000;
            sb.Append('[').Append(sec.ToString(CultureInfo.InvariantCulture).PadLeft(5)).Append('.')
              .Append(usec.ToString("D6", CultureInfo.InvariantCulture)).Append("] ").Append(r.text).Append('\n');
        }

        return sb.ToString();
    }
}
