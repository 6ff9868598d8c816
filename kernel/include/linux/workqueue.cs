// Ports include/linux/workqueue.h: struct work_struct, INIT_WORK and the
// queue_work wrapper, for the one kind of workqueue the ported stack uses —
// system_bh_wq, whose items run in softirq context (TCP Small Queues).
//
// not ported: delayed and RCU work, flushing and cancelling, every workqueue
// other than system_bh_wq (kthread workers, unbound pools) — nothing in the
// ported stack queues there.
using System;
using KernelNet.Kernel.Kernel;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct work_struct: a deferred function and its WORK_STRUCT_PENDING bit.</summary>
public sealed class work_struct
{
    /// <summary>func: what the worker calls, given the item itself (container_of finds the owner).</summary>
    public Action<work_struct>? func { get; set; }

    /// <summary>WORK_STRUCT_PENDING_BIT of data: queued and not yet started.</summary>
    public bool pending { get; set; }

    /// <summary>What embeds the item (container_of in C).</summary>
    public object? owner { get; set; }
}

/// <summary>struct workqueue_struct: a named workqueue and its flags (WQ_BH, WQ_HIGHPRI).</summary>
public sealed class workqueue_struct
{
    public workqueue_struct(string name, uint flags)
    {
        this.name = name;
        this.flags = flags;
    }

    public string name { get; }

    public uint flags { get; }
}

public static class workqueue_h
{
    /// <summary>WQ_BH: items run in softirq context on the queueing CPU.</summary>
    public const uint WQ_BH = 1 << 0;

    /// <summary>WQ_HIGHPRI: a BH item runs from HI_SOFTIRQ rather than TASKLET_SOFTIRQ.</summary>
    public const uint WQ_HIGHPRI = 1 << 4;

    // include/linux/workqueue.h: INIT_WORK
    /// <summary>Sets the item's function; it starts not pending.</summary>
    public static void INIT_WORK(work_struct work, Action<work_struct> func)
    {
        work.func = func;
        work.pending = false;
    }

    // include/linux/workqueue.h: queue_work
    /// <summary>Queues <paramref name="work"/> on this CPU (WORK_CPU_UNBOUND resolves to the local CPU for a BH workqueue); false if it was already pending.</summary>
    public static bool queue_work(Vmlinux k, workqueue_struct wq, work_struct work) =>
        workqueue_c.queue_work_on(k, k.smp_processor_id(), wq, work);
}
