// Ports include/trace/events/irq.h: irq_handler_entry/exit, softirq_raise/entry/exit.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class irq_h
{
    private const string System = "irq";

    private static readonly trace_event_call event_irq_handler_entry = trace_events_c.find(System, "irq_handler_entry");
    private static readonly trace_event_call event_irq_handler_exit = trace_events_c.find(System, "irq_handler_exit");
    private static readonly trace_event_call event_softirq_raise = trace_events_c.find(System, "softirq_raise");
    private static readonly trace_event_call event_softirq_entry = trace_events_c.find(System, "softirq_entry");
    private static readonly trace_event_call event_softirq_exit = trace_events_c.find(System, "softirq_exit");

    // include/trace/events/irq.h: trace_irq_handler_entry
    public static void trace_irq_handler_entry(Vmlinux k, int irq, string name)
    {
        if (k.trace.enabled(event_irq_handler_entry))
        {
            k.trace.record(event_irq_handler_entry, $"irq={irq} name={name}");
        }
    }

    // include/trace/events/irq.h: trace_irq_handler_exit
    public static void trace_irq_handler_exit(Vmlinux k, int irq, irqreturn_t ret)
    {
        if (k.trace.enabled(event_irq_handler_exit))
        {
            k.trace.record(event_irq_handler_exit, $"irq={irq} ret={(ret != irqreturn_t.IRQ_NONE ? "handled" : "unhandled")}");
        }
    }

    // include/trace/events/irq.h: trace_softirq_raise
    public static void trace_softirq_raise(Vmlinux k, int vec) => softirq_event(k, event_softirq_raise, vec);

    // include/trace/events/irq.h: trace_softirq_entry
    public static void trace_softirq_entry(Vmlinux k, int vec) => softirq_event(k, event_softirq_entry, vec);

    // include/trace/events/irq.h: trace_softirq_exit
    public static void trace_softirq_exit(Vmlinux k, int vec) => softirq_event(k, event_softirq_exit, vec);

    [KernelNet.Annotations.NotInLinux("the shared body of the softirq event class (DECLARE_EVENT_CLASS softirq), generated in C")]
    private static void softirq_event(Vmlinux k, trace_event_call call, int vec)
    {
        if (k.trace.enabled(call))
        {
            k.trace.record(call, $"vec={vec} [action={interrupt_h.softirq_to_name[vec]}]");
        }
    }
}
