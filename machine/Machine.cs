using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>
/// A simulated computer: CPUs, an interrupt controller, DMA-able memory and the
/// devices plugged into it, driven by one <see cref="Simulator"/>. It runs
/// tasks and interrupts in virtual time. The kernel plugs itself in through
/// two entry points only — <see cref="InterruptEntry"/> (the IDT) and the tasks
/// it creates — and the machine never calls kernel code any other way.
/// </summary>
[HardwareInterface]
public sealed class Machine
{
    private readonly List<SimTask> _tasks = new();
    private readonly bool[] _dispatchPosted;
    private readonly List<PendingIrq>[] _pendingIrqs;
    private readonly PendingIrq?[] _timerDeadline;
    private long _irqSeq;
    private int _nextPid = 1;

    public Machine(Simulator sim, int cpus = 2, CostModel? costs = null)
    {
        if (cpus < 1 || cpus > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(cpus), cpus, "a machine has 1 to 64 CPUs");
        }

        Sim = sim;
        Costs = costs ?? new CostModel();
        var list = new Cpu[cpus];
        for (var i = 0; i < cpus; i++)
        {
            list[i] = new Cpu(this, i, new SimTask(0, $"swapper/{i}", i, null));
        }

        Cpus = list;
        _dispatchPosted = new bool[cpus];
        _pendingIrqs = new List<PendingIrq>[cpus];
        _timerDeadline = new PendingIrq?[cpus];
        for (var i = 0; i < cpus; i++)
        {
            _pendingIrqs[i] = new List<PendingIrq>();
        }

        CurrentCpu = list[0];
        Interrupts = new InterruptController(this);
        Dma = new DmaMemory();
    }

    public Simulator Sim { get; }

    public CostModel Costs { get; }

    public IReadOnlyList<Cpu> Cpus { get; }

    public InterruptController Interrupts { get; }

    public DmaMemory Dma { get; }

    /// <summary>The CPU whose code is executing now.</summary>
    public Cpu CurrentCpu { get; private set; }

    /// <summary>Virtual time as the executing CPU sees it.</summary>
    public long Now => Math.Max(CurrentCpu.Clock, Sim.Now);

    /// <summary>
    /// The interrupt descriptor table's one entry: the kernel's handler for a
    /// vector arriving on a CPU (x86 <c>common_interrupt</c>). Set at boot.
    /// </summary>
    public Action<Cpu, int>? InterruptEntry { get; set; }

    /// <summary>
    /// Called whenever a CPU passes from one task to another (the idle task
    /// included): the CPU, the task leaving, the state it leaves in, the task
    /// coming. The kernel installs it at boot to emit sched:sched_switch, as
    /// __schedule does at each context switch; the machine calls nothing else.
    /// </summary>
    public Action<Cpu, SimTask, TaskState, SimTask>? ContextSwitchHook { get; set; }

    /// <summary>
    /// The kernel's half of every pick (__schedule's block of prev and pick_next_task): the CPU, the
    /// task leaving it (its idle task when it was idle), the state it leaves in, and the task that
    /// runs next — one of the CPU's <see cref="Cpu.RunQueue"/> — or null for the idle task. Without
    /// it the longest waiting task runs next.
    /// </summary>
    public Func<Cpu, SimTask, TaskState, SimTask?>? PickNextHook { get; set; }

    /// <summary>Called once a new task is on its CPU's run queue (the kernel's wake_up_new_task).</summary>
    public Action<SimTask>? TaskCreatedHook { get; set; }

    /// <summary>All tasks ever created, in creation order.</summary>
    public IReadOnlyList<SimTask> Tasks => _tasks;

    /// <summary>Creates a runnable task whose body starts when its CPU picks it.</summary>
    public SimTask CreateTask(string comm, int cpu, Func<SimTask, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var task = new SimTask(_nextPid++, comm, cpu % Cpus.Count, body);
        _tasks.Add(task);
        Cpus[task.Cpu].Enqueue(task);
        TaskCreatedHook?.Invoke(task);
        PostDispatch(task.Cpu);
        return task;
    }

    /// <summary>
    /// Makes a sleeping task runnable (the hardware half of try_to_wake_up:
    /// put it on its CPU's run queue). False if it was already running.
    /// </summary>
    public bool WakeUp(SimTask task)
    {
        if (task.State == TaskState.Dead)
        {
            return false;
        }

        var wasSleeping = task.State != TaskState.Running;
        task.State = TaskState.Running;
        if (!task.HasContinuation || task.OnRunQueue || Cpus[task.Cpu].Current == task || Cpus[task.Cpu].Handoff == task)
        {
            return wasSleeping;
        }

        Cpus[task.Cpu].Enqueue(task);
        PostDispatch(task.Cpu);
        return true;
    }

    /// <summary>
    /// Gives up the CPU if the current task is no longer TASK_RUNNING: the
    /// awaitable completes when it is woken and its CPU picks it again.
    /// </summary>
    public SleepAwaitable Sleep(SimTask task) => new(this, task);

    /// <summary>
    /// Gives up the CPU while staying runnable (the kernel's schedule() for a task whose
    /// TIF_NEED_RESCHED is set: it is preempted on its way back to user space). The task goes back
    /// on its CPU's run queue and the awaitable completes when the CPU picks it again.
    /// </summary>
    public PreemptAwaitable Preempt(SimTask task) => new(this, task);

    /// <summary>Delivers an interrupt vector to a CPU at virtual time <paramref name="at"/>.</summary>
    internal void DeliverInterrupt(int cpu, int vector, long at)
    {
        Post(cpu, vector, at);
    }

    /// <summary>
    /// The local APIC's deadline register: the deadline not yet reached is
    /// dropped and <paramref name="at"/> takes its place (long.MaxValue disarms).
    /// A deadline the CPU's clock already passed has fired: it stays pending.
    /// </summary>
    internal void ArmTimerDeadline(int cpu, long at)
    {
        if (_timerDeadline[cpu] is { } armed && armed.At > Math.Max(Sim.Now, Cpus[cpu].Clock))
        {
            if (armed.At == Math.Max(at, Sim.Now))
            {
                // The register already holds this deadline: writing it again changes nothing.
                return;
            }

            // Its queued delivery finds it gone and does nothing (RunInterrupt).
            _pendingIrqs[cpu].Remove(armed);
        }

        _timerDeadline[cpu] = at == long.MaxValue ? null : Post(cpu, InterruptController.LocalTimerVector, at);
    }

    /// <summary>Interrupts posted to <paramref name="cpu"/> and not yet taken (the timer's deadline counts once).</summary>
    internal int PendingInterruptCount(int cpu) => _pendingIrqs[cpu].Count;

    private PendingIrq Post(int cpu, int vector, long at)
    {
        var irq = new PendingIrq(Math.Max(at, Sim.Now), _irqSeq++, vector);
        var list = _pendingIrqs[cpu];
        var i = 0;
        while (i < list.Count && list[i].At <= irq.At)
        {
            i++;
        }

        list.Insert(i, irq);
        Sim.Schedule(irq.At, () => RunInterrupt(Cpus[cpu], irq));
        return irq;
    }

    /// <summary>
    /// Takes, nested in the code running on <paramref name="cpu"/>, every
    /// interrupt that came due by its clock — when interrupts are enabled.
    /// </summary>
    internal void ServiceInterrupts(Cpu cpu)
    {
        if (cpu.IrqsDisabled)
        {
            return;
        }

        var list = _pendingIrqs[cpu.Id];
        while (list.Count > 0 && list[0].At <= cpu.Clock && !cpu.IrqsDisabled)
        {
            var irq = list[0];
            list.RemoveAt(0);
            TakeInterrupt(cpu, irq.Vector);
        }
    }

    /// <summary>Queues work to run on a CPU's behalf at <paramref name="at"/> (a device's own timers).</summary>
    public void At(long at, Action action) => Sim.Schedule(at, action);

    /// <summary>Runs the simulation until nothing is left to do or the clock reaches <paramref name="until"/>.</summary>
    public void Run(long until = long.MaxValue)
    {
        Sim.RunUntil(until);
        ThrowIfFaulted();
    }

    /// <summary>Rethrows the first exception a task body ended with: a bug, never a packet drop.</summary>
    public void ThrowIfFaulted()
    {
        foreach (var t in _tasks)
        {
            if (t.Completion is { IsFaulted: true } c)
            {
                throw new InvalidOperationException($"task {t} failed: {c.Exception!.InnerException?.Message}", c.Exception!.InnerException);
            }
        }
    }

    private void RunInterrupt(Cpu cpu, PendingIrq irq)
    {
        var list = _pendingIrqs[cpu.Id];
        if (!list.Remove(irq))
        {
            // Already taken, nested in code that ran past its time.
            return;
        }

        if (cpu.Clock > Sim.Now)
        {
            // The CPU is still inside earlier work that had interrupts off:
            // the vector stays pending in the local APIC until it is done.
            list.Insert(0, irq);
            Sim.Schedule(cpu.Clock, () => RunInterrupt(cpu, irq));
            return;
        }

        Enter(cpu);
        TakeInterrupt(cpu, irq.Vector);
    }

    private void TakeInterrupt(Cpu cpu, int vector)
    {
        var saved = CurrentCpu;
        CurrentCpu = cpu;
        cpu.Advance(Costs.IrqEntryNs);
        (InterruptEntry ?? throw new InvalidOperationException("no kernel has installed an interrupt entry"))(cpu, vector);
        CurrentCpu = saved;

        // What arrived while this handler ran is taken on the way out.
        ServiceInterrupts(cpu);
    }

    private sealed record PendingIrq(long At, long Seq, int Vector);

    private void PostDispatch(int cpu)
    {
        if (_dispatchPosted[cpu])
        {
            return;
        }

        _dispatchPosted[cpu] = true;
        Sim.Schedule(Now, () => Dispatch(Cpus[cpu]));
    }

    private void Dispatch(Cpu cpu)
    {
        if (cpu.Clock > Sim.Now)
        {
            Sim.Schedule(cpu.Clock, () => Dispatch(cpu));
            return;
        }

        _dispatchPosted[cpu.Id] = false;
        Enter(cpu);
        while (cpu.Current.IsIdle && NextToRun(cpu) is { } next)
        {
            SwitchTo(cpu, next);
        }
    }

    /// <summary>The task an idle CPU runs next: the one its last switch chose, or a pick now.</summary>
    private SimTask? NextToRun(Cpu cpu)
    {
        if (cpu.Handoff is { } chosen)
        {
            cpu.Handoff = null;
            return chosen;
        }

        return cpu.RunQueue.Count > 0 ? Pick(cpu, cpu.Idle, TaskState.Running) : null;
    }

    /// <summary>
    /// Chooses the task that runs after <paramref name="prev"/> leaves <paramref name="cpu"/> in
    /// <paramref name="prevState"/> (the kernel's pick, or the longest waiting) and takes it off the
    /// run queue; null when the CPU goes idle.
    /// </summary>
    private SimTask? Pick(Cpu cpu, SimTask prev, TaskState prevState)
    {
        var next = PickNextHook is { } hook ? hook(cpu, prev, prevState) : cpu.PeekRunQueue();
        if (next is not null && !next.IsIdle)
        {
            cpu.Remove(next);
        }

        return next is { IsIdle: false } ? next : null;
    }

    private void SwitchTo(Cpu cpu, SimTask next)
    {
        cpu.Advance(Costs.ContextSwitchNs);
        ReportSwitch(cpu, cpu.Reported.IsIdle ? TaskState.Running : cpu.Reported.State, next);
        cpu.Current = next;
        if (!next.Started)
        {
            next.Start();
        }
        else
        {
            next.Resume();
        }

        if (cpu.Current == next && next.Completion!.IsCompleted)
        {
            next.State = TaskState.Dead;
            var after = Pick(cpu, next, TaskState.Dead);
            ReportSwitch(cpu, TaskState.Dead, after ?? cpu.Idle);
            cpu.Current = cpu.Idle;
            cpu.Handoff = after;
        }
    }

    /// <summary>
    /// Tells the kernel's hook that <paramref name="cpu"/> passes from the task
    /// it last reported to <paramref name="next"/> — once per real change: a
    /// task that sleeps while another waits goes straight to that one, as
    /// __schedule picks it, not through the idle task.
    /// </summary>
    private void ReportSwitch(Cpu cpu, TaskState prevState, SimTask next)
    {
        var prev = cpu.Reported;
        if (prev == next)
        {
            return;
        }

        cpu.Reported = next;
        if (ContextSwitchHook is { } hook)
        {
            var saved = CurrentCpu;
            CurrentCpu = cpu;
            hook(cpu, prev, prevState, next);
            CurrentCpu = saved;
        }
    }

    private void Enter(Cpu cpu)
    {
        cpu.Clock = Math.Max(cpu.Clock, Sim.Now);
        CurrentCpu = cpu;
    }

    internal void SwitchOut(SimTask task, Action continuation)
    {
        var cpu = Cpus[task.Cpu];
        if (cpu.Current != task)
        {
            throw new InvalidOperationException($"{task} sleeps but is not current on CPU {cpu.Id}");
        }

        task.Nvcsw++;
        task.SetContinuation(continuation);
        var next = Pick(cpu, task, task.State);
        ReportSwitch(cpu, task.State, next ?? cpu.Idle);
        cpu.Current = cpu.Idle;
        cpu.Handoff = next;
    }

    /// <summary>
    /// <paramref name="task"/> leaves its CPU runnable: back on the run queue, then the next task
    /// is picked (which may be itself again); it resumes when its CPU runs it.
    /// </summary>
    internal void PreemptOut(SimTask task, Action continuation)
    {
        var cpu = Cpus[task.Cpu];
        if (cpu.Current != task)
        {
            throw new InvalidOperationException($"{task} is preempted but is not current on CPU {cpu.Id}");
        }

        task.SetContinuation(continuation);
        cpu.Enqueue(task);
        var next = Pick(cpu, task, TaskState.Running);
        if (next != task)
        {
            task.Nivcsw++;
        }

        ReportSwitch(cpu, TaskState.Running, next ?? cpu.Idle);
        cpu.Current = cpu.Idle;
        cpu.Handoff = next;
        PostDispatch(cpu.Id);
    }

    internal bool IsCurrent(SimTask task) => Cpus[task.Cpu].Current == task;

    /// <summary>Awaitable returned by <see cref="Preempt"/>.</summary>
    public readonly struct PreemptAwaitable : ICriticalNotifyCompletion
    {
        private readonly Machine _machine;
        private readonly SimTask _task;

        internal PreemptAwaitable(Machine machine, SimTask task)
        {
            _machine = machine;
            _task = task;
        }

        public PreemptAwaitable GetAwaiter() => this;

        public bool IsCompleted => false;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => _machine.PreemptOut(_task, continuation);

        public void UnsafeOnCompleted(Action continuation) => _machine.PreemptOut(_task, continuation);
    }

    /// <summary>Awaitable returned by <see cref="Sleep"/>.</summary>
    public readonly struct SleepAwaitable : ICriticalNotifyCompletion
    {
        private readonly Machine _machine;
        private readonly SimTask _task;

        internal SleepAwaitable(Machine machine, SimTask task)
        {
            _machine = machine;
            _task = task;
        }

        public SleepAwaitable GetAwaiter() => this;

        /// <summary>A task woken before it got to sleep does not leave the CPU.</summary>
        public bool IsCompleted => _task.State == TaskState.Running;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => _machine.SwitchOut(_task, continuation);

        public void UnsafeOnCompleted(Action continuation) => _machine.SwitchOut(_task, continuation);
    }
}
