// Ports include/trace/events/syscalls.h: raw_syscalls:sys_enter and
// raw_syscalls:sys_exit, the tracepoints at every system call's entry and
// exit (one switch from user to kernel mode and one back).
//
// departure: the arguments print as the syscall passed them where they are
// numbers; a user pointer (the port's user memory is a managed array) prints
// as 0.

using KernelNet.Kernel.Kernel.Trace;

namespace KernelNet.Kernel.Include.Trace.Events;

public static class syscalls_h
{
    /// <summary>TRACE_SYSTEM: the header's events belong to raw_syscalls, not to a system named after the file.</summary>
    public const string TRACE_SYSTEM = "raw_syscalls";

    private static readonly trace_event_call event_sys_enter = trace_events_c.find(TRACE_SYSTEM, "sys_enter");
    private static readonly trace_event_call event_sys_exit = trace_events_c.find(TRACE_SYSTEM, "sys_exit");

    // include/trace/events/syscalls.h: trace_sys_enter
    /// <summary>sys_enter: the task enters syscall <paramref name="id"/> (the x86-64 number) with up to six arguments.</summary>
    public static void trace_sys_enter(Vmlinux k, long id, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0)
    {
        if (!k.trace.enabled(event_sys_enter))
        {
            return;
        }

        k.trace.record(event_sys_enter, $"NR {id} ({a0:x}, {a1:x}, {a2:x}, {a3:x}, {a4:x}, {a5:x})");
    }

    // include/trace/events/syscalls.h: trace_sys_exit
    /// <summary>sys_exit: syscall <paramref name="id"/> returns <paramref name="ret"/> to user mode.</summary>
    public static void trace_sys_exit(Vmlinux k, long id, long ret)
    {
        if (!k.trace.enabled(event_sys_exit))
        {
            return;
        }

        k.trace.record(event_sys_exit, $"NR {id} = {ret}");
    }
}
