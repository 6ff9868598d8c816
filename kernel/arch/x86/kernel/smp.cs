// Ports arch/x86/kernel/smp.c: the x86 side of cross-CPU calls — sending the
// CALL_FUNCTION_SINGLE vector through the local APIC and its handler.
//
// The irq_vectors:call_function_single_entry/exit events are emitted here.
//
// not ported: reschedule and stop IPIs, the call-function (many) vector.
namespace KernelNet.Kernel.Arch.X86.Kernel;

public static class smp_c
{
    // arch/x86/kernel/smp.c: native_send_call_func_single_ipi
    /// <summary>The APIC write that sends CALL_FUNCTION_SINGLE_VECTOR to <paramref name="cpu"/>.</summary>
    public static void native_send_call_func_single_ipi(Vmlinux k, int cpu)
    {
        k.machine.Interrupts.SendIpi(cpu, Machine.InterruptController.CallFunctionSingleVector);
    }

    // arch/x86/kernel/smp.c: sysvec_call_function_single
    /// <summary>
    /// The IPI arrived: in hard-IRQ context count it (irq_call_count, the CAL
    /// line of /proc/interrupts) and run the queued functions; softirqs they
    /// raised run on irq exit.
    /// </summary>
    public static void sysvec_call_function_single(Vmlinux k)
    {
        var cpu = k.machine.CurrentCpu;
        cpu.IrqsDisabled = true;
        KernelNet.Kernel.Kernel.softirq_c.irq_enter_rcu(k);
        trace_call_function_single_entry(k, Machine.InterruptController.CallFunctionSingleVector);
        k.this_cpu().irq_call_count++;
        KernelNet.Kernel.Kernel.smp_c.generic_smp_call_function_single_interrupt(k);
        trace_call_function_single_exit(k, Machine.InterruptController.CallFunctionSingleVector);
        KernelNet.Kernel.Kernel.softirq_c.irq_exit_rcu(k);
    }

    [KernelNet.Annotations.NotInLinux("irq_vectors:call_function_single_entry, an event of arch/x86/include/asm/trace/irq_vectors.h, which the port's file map does not cover")]
    private static void trace_call_function_single_entry(Vmlinux k, int vector) => vector_event(k, "call_function_single_entry", vector);

    [KernelNet.Annotations.NotInLinux("irq_vectors:call_function_single_exit, as above")]
    private static void trace_call_function_single_exit(Vmlinux k, int vector) => vector_event(k, "call_function_single_exit", vector);

    /// <summary>The x86_irq_vector event class's record: "vector=%d".</summary>
    [KernelNet.Annotations.NotInLinux("the shared body of DEFINE_IRQ_VECTOR_EVENT's events")]
    private static void vector_event(Vmlinux k, string name, int vector)
    {
        if (k.trace.enabled("irq_vectors", name))
        {
            k.trace.record("irq_vectors", name, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"vector={vector}"));
        }
    }
}
