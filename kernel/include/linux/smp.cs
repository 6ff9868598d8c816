// Ports include/linux/smp.h and smp_types.h: the call_single_data_t a
// caller embeds to have a function run on another CPU by an IPI.
//
// not ported: the synchronous smp_call_function* family (no caller waits
// for another CPU here), CSD lock debugging.
using System;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// call_single_data_t: a function and its argument queued on a CPU's
/// call_single_queue; CSD_FLAG_LOCK is held from queueing until the target
/// CPU has taken it off the queue.
/// </summary>
public sealed class call_single_data_t
{
    /// <summary>CSD_FLAG_LOCK: the csd is queued and must not be queued again.</summary>
    public const uint CSD_FLAG_LOCK = 0x01;

    /// <summary>INIT_CSD(csd, func, info).</summary>
    public call_single_data_t(Action<object?> func, object? info)
    {
        this.func = func;
        this.info = info;
    }

    public Action<object?> func { get; }

    public object? info { get; }

    /// <summary>node.u_flags: CSD_FLAG_LOCK while queued.</summary>
    public uint u_flags { get; set; }
}
