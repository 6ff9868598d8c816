using System;
using System.Threading.Tasks;
using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>Scheduler states of a simulated task, as <c>task_struct.__state</c> names them.</summary>
[HardwareInterface]
public enum TaskState
{
    /// <summary>TASK_RUNNING: on a CPU or waiting for one.</summary>
    Running,

    /// <summary>TASK_INTERRUPTIBLE: asleep on a wait queue, a signal or a wakeup ends it.</summary>
    Interruptible,

    /// <summary>TASK_UNINTERRUPTIBLE.</summary>
    Uninterruptible,

    /// <summary>EXIT_DEAD: its body returned.</summary>
    Dead,
}

/// <summary>
/// A simulated thread of execution: a user process or a kernel thread. Its
/// body is an async method; every <c>await</c> on the scheduler's awaitable is a
/// real sleep (the task leaves the CPU) and the executor resumes it on its CPU
/// when it is woken. Nothing here runs on another OS thread.
/// </summary>
[HardwareInterface]
public sealed class SimTask
{
    private Action? _continuation;

    internal SimTask(int pid, string comm, int cpu, Func<SimTask, Task>? body)
    {
        Pid = pid;
        Comm = comm;
        Cpu = cpu;
        Body = body;
    }

    public int Pid { get; }

    /// <summary>The command name the trace prints (<c>comm</c>, at most 15 characters in the kernel).</summary>
    public string Comm { get; }

    /// <summary>The CPU this task runs on (tasks do not migrate in the simulation).</summary>
    public int Cpu { get; }

    public TaskState State { get; set; } = TaskState.Running;

    /// <summary>Voluntary context switches (<c>nvcsw</c>): the task slept.</summary>
    public long Nvcsw { get; internal set; }

    /// <summary>Involuntary context switches (<c>nivcsw</c>): the task was preempted.</summary>
    public long Nivcsw { get; internal set; }

    /// <summary>Copies the CPU made in this task's context (<see cref="Cpu.ChargeCopy"/>): how many.</summary>
    public long CpuCopies { get; internal set; }

    /// <summary>Bytes the CPU copied in this task's context.</summary>
    public long CpuCopyBytes { get; internal set; }

    /// <summary>Copies per system call name (read, write, sendfile ...), as the syscall entry counted them.</summary>
    public System.Collections.Generic.SortedDictionary<string, SyscallCopyCount> SyscallCopies { get; } = new(System.StringComparer.Ordinal);

    /// <summary>True for the per-CPU idle task (<c>swapper/N</c>, printed as <c>&lt;idle&gt;</c>).</summary>
    public bool IsIdle => Pid == 0;

    /// <summary>True once the task is waiting in the run queue.</summary>
    internal bool OnRunQueue { get; set; }

    /// <summary>The body's task once started; faulted bodies surface through <see cref="Machine.ThrowIfFaulted"/>.</summary>
    public Task? Completion { get; private set; }

    /// <summary>Kernel-side state hung off the task (its <c>task_struct</c> fields: files, signal, ...).</summary>
    public object? KernelData { get; set; }

    internal Func<SimTask, Task>? Body { get; }

    internal bool Started => Completion is not null;

    internal void Start()
    {
        Completion = Body!(this);
    }

    internal void SetContinuation(Action continuation)
    {
        if (_continuation is not null)
        {
            throw new InvalidOperationException($"task {Comm}-{Pid} already has a pending continuation");
        }

        _continuation = continuation;
    }

    internal bool HasContinuation => _continuation is not null;

    internal void Resume()
    {
        var k = _continuation ?? throw new InvalidOperationException($"task {Comm}-{Pid} has nothing to resume");
        _continuation = null;
        k();
    }

    public override string ToString() => IsIdle ? "<idle>-0" : $"{Comm}-{Pid}";
}
