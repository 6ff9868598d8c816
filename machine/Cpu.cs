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
    private readonly List<SimTask> _runQueue = new();

    private readonly Machine _machine;

    internal Cpu(Machine machine, int id, SimTask idle)
    {
        _machine = machine;
        Id = id;
        Idle = idle;
        Current = idle;
        Reported = idle;
    }

    public int Id { get; }

    /// <summary>
    /// Virtual time this CPU has reached. Work charges time here; events aimed
    /// at a CPU that is still busy wait until it is done.
    /// </summary>
    public long Clock { get; internal set; }

    /// <summary>EFLAGS.IF cleared: <c>local_irq_disable()</c>.</summary>
    [HardwareInterface(Seam = "local_irq_disable/local_irq_enable/local_irq_save/local_irq_restore and irqs_disabled() of include/linux/irqflags.h (KernelNet.Kernel.Include.Linux.irqflags_h)")]
    public bool IrqsDisabled { get; set; }

    /// <summary>The task whose context the CPU is in (the idle task when none).</summary>
    public SimTask Current { get; internal set; }

    public SimTask Idle { get; }

    /// <summary>A task is waiting for this CPU.</summary>
    public bool NeedResched => _runQueue.Count > 0;

    /// <summary>
    /// Advances this CPU's clock by the cost of work done on it. With
    /// interrupts enabled, interrupts that came due meanwhile are taken here,
    /// nested in the running code, as a real CPU takes them between
    /// instructions.
    /// </summary>
    [HardwareInterface(Seam = "a cost hook of kernel/sim/CostHooks.cs (CostHooks.ChargeRxPacket, ChargeTxPacket, ChargeTxClean), called where the work is done", GlueOnly = true)]
    public void Charge(long ns)
    {
        Clock += ns;
        _machine.ServiceInterrupts(this);
    }

    /// <summary>
    /// Charges a copy of <paramref name="bytes"/> bytes done by this CPU
    /// (copy_to_user, copy_from_user, a memcpy of file or packet data) at the
    /// cost model's copy rate, and counts it on the task whose context the CPU
    /// is in: what the seeds call a CPU copy.
    /// </summary>
    public void ChargeCopy(long bytes)
    {
        Current.CpuCopies++;
        Current.CpuCopyBytes += bytes;
        Charge((long)(bytes * _machine.Costs.CopyNsPerByte));
    }

    /// <summary>
    /// Counts a copy of <paramref name="bytes"/> bytes by this CPU without
    /// charging its time: for copies the cost model has not charged so far
    /// (skb linearization before a device without scatter-gather), so that
    /// counting them leaves every earlier timing as it was.
    /// </summary>
    public void CountCopy(long bytes)
    {
        Current.CpuCopies++;
        Current.CpuCopyBytes += bytes;
    }

    /// <summary>The task the scheduler tracepoint last reported on this CPU (the context switch hook's "prev").</summary>
    internal SimTask Reported { get; set; } = null!;

    /// <summary>The task that has waited longest, if one waits.</summary>
    internal SimTask? PeekRunQueue() => _runQueue.Count > 0 ? _runQueue[0] : null;

    /// <summary>The tasks waiting for this CPU, longest waiting first.</summary>
    public IReadOnlyList<SimTask> RunQueue => _runQueue;

    /// <summary>The task a context switch already chose (the kernel's pick) and the CPU runs next.</summary>
    internal SimTask? Handoff { get; set; }

    /// <summary>Advances the clock without an interrupt window (entry code runs with interrupts off).</summary>
    internal void Advance(long ns)
    {
        Clock += ns;
    }

    internal void Enqueue(SimTask task)
    {
        task.OnRunQueue = true;
        _runQueue.Add(task);
    }

    /// <summary>Takes <paramref name="task"/> off the run queue (the one chosen to run).</summary>
    internal void Remove(SimTask task)
    {
        if (!_runQueue.Remove(task))
        {
            throw new System.InvalidOperationException($"{task} was picked to run on CPU {Id} but does not wait for it");
        }

        task.OnRunQueue = false;
    }
}
