// Ports kernel/smp.c: running a function on another CPU. The caller queues a
// call_single_data_t on the target's call_single_queue; the first entry on
// an empty queue sends the CALL_FUNCTION_SINGLE IPI, and the target's
// handler runs every queued function in hard-IRQ context. RPS uses it to
// kick a remote CPU's backlog (net_rps_send_ipi).
//
// not ported: smp_call_function_single/_many (synchronous waits), the TTWU
// and IRQ-work csd types, csd lock debugging and the csd:* tracepoints (ipi:ipi_send_cpu is emitted);
// send_call_function_single_ipi always sends (the idle-polling shortcut of
// call_function_single_prep_ipi does not apply: an idle simulated CPU halts).
// not ported: CSD_TYPE — only the plain async csd type is queued (see above), so no type dispatch
// not ported: csd_lock_record, csd_do_func — csd lock debugging (CONFIG_CSD_LOCK_WAIT_DEBUG) is not ported; the function is called directly
// not ported: csd_unlock — written out as the CSD_FLAG_LOCK clear (no waiter to release with a store-release)
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.preempt_h;
using static KernelNet.Kernel.Include.Linux.irqflags_h;

namespace KernelNet.Kernel.Kernel;

public static class smp_c
{
    // kernel/smp.c: send_call_function_single_ipi
    /// <summary>Raises the call-function IPI on <paramref name="cpu"/> (arch_send_call_function_single_ipi), traced as ipi_send_cpu.</summary>
    private static void send_call_function_single_ipi(Vmlinux k, int cpu)
    {
        // call_function_single_prep_ipi: always true here (see the file header).
        // The callsite is __smp_call_single_queue's return address: this helper is inlined there.
        Include.Trace.Events.ipi_h.trace_ipi_send_cpu(k, cpu, "generic_exec_single", "generic_smp_call_function_single_interrupt");
        Arch.X86.Kernel.smp_c.send_call_func_single_ipi(k, cpu);
    }

    // kernel/smp.c: __smp_call_single_queue
    /// <summary>Adds the csd to the target's queue; the IPI goes only when the queue was empty (llist_add's result).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "trace_csd_queue_cpu: the csd tracepoints (csd:csd_queue_cpu, csd_function_entry/exit) are not ported; no recording enables them")]
    public static void __smp_call_single_queue(Vmlinux k, int cpu, call_single_data_t csd)
    {
        var queue = k.per_cpu(cpu).call_single_queue;
        var was_empty = queue.Count == 0;
        queue.Enqueue(csd);
        if (was_empty)
        {
            send_call_function_single_ipi(k, cpu);
        }
    }

    // kernel/smp.c: generic_exec_single
    /// <summary>Runs the function here with irqs off when the target is this CPU, else queues it for the target.</summary>
    private static int generic_exec_single(Vmlinux k, int cpu, call_single_data_t csd)
    {
        if (cpu == k.smp_processor_id())
        {
            csd.u_flags &= ~call_single_data_t.CSD_FLAG_LOCK;
            local_irq_save(k, out var flags);
            csd.func(csd.info);
            local_irq_restore(k, flags);
            return 0;
        }

        if ((uint)cpu >= (uint)k.nr_cpu_ids)
        {
            csd.u_flags &= ~call_single_data_t.CSD_FLAG_LOCK;
            return -Include.Uapi.AsmGeneric.errno_base_h.ENXIO;
        }

        __smp_call_single_queue(k, cpu, csd);
        return 0;
    }

    // kernel/smp.c: smp_call_function_single_async
    /// <summary>
    /// Asks <paramref name="cpu"/> to run csd.func(csd.info) without waiting
    /// for it; -EBUSY while the same csd is still queued from an earlier call.
    /// </summary>
    public static int smp_call_function_single_async(Vmlinux k, int cpu, call_single_data_t csd)
    {
        int err;
        preempt_disable(k);
        if ((csd.u_flags & call_single_data_t.CSD_FLAG_LOCK) != 0)
        {
            err = -Include.Uapi.AsmGeneric.errno_base_h.EBUSY;
            goto @out;
        }

        csd.u_flags = call_single_data_t.CSD_FLAG_LOCK;

        // smp_wmb(): the csd's contents are visible before it is queued.
        err = generic_exec_single(k, cpu, csd);

    @out:
        preempt_enable(k);
        return err;
    }

    // kernel/smp.c: generic_smp_call_function_single_interrupt
    /// <summary>The IPI's generic half: runs what was queued for this CPU (irqs off).</summary>
    public static void generic_smp_call_function_single_interrupt(Vmlinux k)
    {
        __flush_smp_call_function_queue(k, true);
    }

    // kernel/smp.c: __flush_smp_call_function_queue
    /// <summary>Takes the whole queue at once (llist_del_all) and runs each function, unlocking each csd first (asynchronous callers).</summary>
    private static void __flush_smp_call_function_queue(Vmlinux k, bool warn_cpu_offline)
    {
        // not ported: smp_processor_id — the queue is this CPU's (k.this_cpu())
        _ = warn_cpu_offline;
        var queue = k.this_cpu().call_single_queue;
        if (queue.Count == 0)
        {
            return;
        }

        var entries = new List<call_single_data_t>(queue);
        queue.Clear();
        foreach (var csd in entries)
        {
            // csd_unlock before the call: the callback may queue the csd again.
            csd.u_flags &= ~call_single_data_t.CSD_FLAG_LOCK;
            csd.func(csd.info);
        }
    }
}
