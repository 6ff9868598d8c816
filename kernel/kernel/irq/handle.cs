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
        desc.kstat_irqs[k.smp_processor_id()]++;
        return __handle_irq_event_percpu(k, desc);
    }
}
