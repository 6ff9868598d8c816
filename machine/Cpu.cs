using System.Collections.Generic;
using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>
/// One simulated CPU: its local clock (how far its work has advanced), the
/// interrupt flag (EFLAGS.IF), the task it runs and the tasks waiting for it.
/// Kernel per-CPU state (preempt count, pending softirqs, softnet_data) is the
/// kernel's, not the CPU's: it lives in the kernel's per-CPU areas.
/// </summary>
[HardwareInterface]
public sealed class Cpu
{
    private readonly Queue<SimTask> _runQueue = new();

    private readonly Machine _machine;

    internal Cpu(Machine machine, int id, SimTask idle)
    {
        _machine = machine;
        Id = id;
        Idle = idle;
        Current = idle;
    }

    public int Id { get; }

    /// <summary>
    /// Virtual time this CPU has reached. Work charges time here; events aimed
    /// at a CPU that is still busy wait until it is done.
    /// </summary>
    public long Clock { get; internal set; }

    /// <summary>EFLAGS.IF cleared: <c>local_irq_disable()</c>.</summary>
    public bool IrqsDisabled { get; set; }

    /// <summary>The task whose context the CPU is in (the idle task when none).</summary>
    public SimTask Current { get; internal set; }

    public SimTask Idle { get; }

    /// <summary>A task is waiting for this CPU: the kernel would have set TIF_NEED_RESCHED.</summary>
    public bool NeedResched => _runQueue.Count > 0;

    /// <summary>
    /// Advances this CPU's clock by the cost of work done on it. With
    /// interrupts enabled, interrupts that came due meanwhile are taken here,
    /// nested in the running code, as a real CPU takes them between
    /// instructions.
    /// </summary>
    public void Charge(long ns)
    {
        Clock += ns;
        _machine.ServiceInterrupts(this);
    }

    /// <summary>Advances the clock without an interrupt window (entry code runs with interrupts off).</summary>
    internal void Advance(long ns)
    {
        Clock += ns;
    }

    internal void Enqueue(SimTask task)
    {
        task.OnRunQueue = true;
        _runQueue.Enqueue(task);
    }

    internal bool TryDequeue(out SimTask task)
    {
        if (_runQueue.TryDequeue(out task!))
        {
            task.OnRunQueue = false;
            return true;
        }

        return false;
    }
}
