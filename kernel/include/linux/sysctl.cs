// Ports include/linux/sysctl.h: struct ctl_table (one /proc/sys file: its name,
// the int it reads and writes, and the handler that converts), the handler
// type, and the header a registered table is known by.
//
// not ported: the ctl_table_root/set machinery, poll, permissions (the
// simulation's writer is always root) — a namespace keeps a plain list of its
// registered tables.
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>proc_handler: reads (write 0) the value into <paramref name="buffer"/> or writes (write 1) the text in it; 0 or a negative errno.</summary>
public delegate int proc_handler(ctl_table ctl, int write, ref string buffer);

/// <summary>struct ctl_table: one sysctl file.</summary>
public sealed class ctl_table
{
    public required string procname { get; init; }

    /// <summary>data: the int this file reads and writes, as an array and an index into it (C's int pointer).</summary>
    public int[]? data { get; set; }

    public int data_index { get; set; }

    public int maxlen { get; init; } = sizeof(int);

    public ushort mode { get; init; } = 0x1a4;

    public proc_handler? proc_handler { get; set; }

    /// <summary>extra1: a handler's argument (a minimum, or the neigh tables' device).</summary>
    public object? extra1 { get; set; }

    /// <summary>extra2: a handler's argument (a maximum, or the neigh tables' parms).</summary>
    public object? extra2 { get; set; }

    /// <summary>A copy, as kmemdup of a template entry gives.</summary>
    [KernelNet.Annotations.NotInLinux("C# copy: C duplicates ctl_table arrays with kmemdup")]
    public ctl_table Clone() => (ctl_table)MemberwiseClone();
}

/// <summary>struct ctl_table_header: a registered table and the directory it sits in ("net/ipv4/neigh/eth0").</summary>
public sealed class ctl_table_header
{
    public required string path { get; init; }

    public required IReadOnlyList<ctl_table> ctl_table_arg { get; init; }
}

public static class sysctl_h
{
    /// <summary>SYSCTL_ZERO: the boxed 0 minmax handlers take as extra1.</summary>
    public static readonly object SYSCTL_ZERO = 0;

    /// <summary>SYSCTL_INT_MAX.</summary>
    public static readonly object SYSCTL_INT_MAX = int.MaxValue;
}
