// Ports arch/x86/kernel/smp.c: the x86 side of cross-CPU calls — sending the
// CALL_FUNCTION_SINGLE vector through the local APIC and its handler.
//
// The irq_vectors:call_function_single_entry/exit events are emitted here.
//
// not ported: reschedule and stop IPIs, the call-function (many) vector.
namespace KernelNet.Kernel.Arch.X86.Kernel;

public static class smp_c
{
    /// <summary>The APIC write that sends CALL_FUNCTION_SINGLE_VECTOR to <paramref name="cpu"/> (arch/x86/kernel/apic/ipi.c's native_send_call_func_single_ipi, the smp_ops hook this file installs).</summary>
    [KernelNet.Annotations.NotInLinux("smp_ops.send_call_func_single_ipi: arch/x86/kernel/apic/ipi.c is not ported as a file; this is its one ICR write")]
    public static void send_call_func_single_ipi(Vmlinux k, int cpu)
    {
        k.machine.Interrupts.SendIpi(cpu, Machine.InterruptController.CallFunctionSingleVector);
    }

    /// <summary>
    /// The IPI arrived: in hard-IRQ context count it (irq_call_count, the CAL
    /// line of /proc/interrupts) and run the queued functions; softirqs they
    /// raised run on irq exit.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("DEFINE_IDTENTRY_SYSVEC(sysvec_call_function_single) in arch/x86/kernel/smp.c: a macro-made entry the function data cannot list")]
    [KernelNet.Annotations.HardIrqContext]
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
            k.trace.record("irq_vectors", name, $"vector={vector}");
        }
    }
}
