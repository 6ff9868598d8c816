// Ports kernel/irq/handle.c: running the handlers of an interrupt line.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Trace.Events.irq_h;

namespace KernelNet.Kernel.Kernel.Irq;

public static class handle_c
{
    // kernel/irq/handle.c: __handle_irq_event_percpu
    /// <summary>Calls the line's handler between irq_handler_entry and irq_handler_exit.</summary>
    [KernelNet.Annotations.HardIrqContext]
    private static irqreturn_t __handle_irq_event_percpu(Vmlinux k, irq_desc desc)
    {
        // not ported: __irq_wake_thread, warn_no_thread, lockdep_hardirq_threaded — no threaded handlers (see kernel/irq/manage.cs)
        // not ported: irqhandler_duration_check — the handler-duration warning needs a clock that runs during a handler; the simulation's does not
        // not ported: local_irq_disable, irqs_disabled — handlers run with interrupts off (the port's hard-IRQ context); the kernel only re-disables after a handler that wrongly enabled them, with a warning
        var action = desc.action;
        if (action is null)
        {
            return irqreturn_t.IRQ_NONE;
        }

        trace_irq_handler_entry(k, desc.irq, action.name);
        var res = action.handler(desc.irq, action.dev_id);
        trace_irq_handler_exit(k, desc.irq, res);
        return res;
    }

    // kernel/irq/handle.c: handle_irq_event
    /// <summary>Counts the interrupt on this CPU (/proc/interrupts) and runs its handlers.</summary>
    [KernelNet.Annotations.HardIrqContext]
    public static irqreturn_t handle_irq_event(Vmlinux k, irq_desc desc)
    {
        // not ported: handle_irq_event_percpu — __handle_irq_event_percpu is called directly: the wrapper adds interrupt randomness and spurious-interrupt accounting (note_interrupt), neither modelled
        desc.kstat_irqs[k.smp_processor_id()]++;
        return __handle_irq_event_percpu(k, desc);
    }
}
