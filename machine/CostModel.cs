using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>
/// How much virtual CPU time the simulated work takes. The figures are orders
/// of magnitude seen on a current x86 server, not measurements: they make the
/// time-based limits (netdev_budget_usecs, MAX_SOFTIRQ_TIME) and context
/// switch costs observable, and they are the same on every run.
/// Part of the hardware interface: the kernel charges the CPU it runs on for
/// the work it does (<see cref="Cpu.Charge"/>), as real code spends cycles;
/// it reads these figures and changes nothing (init-only).
/// </summary>
[HardwareInterface]
public sealed record CostModel
{
    /// <summary>Entering and leaving a hard interrupt handler.</summary>
    public long IrqEntryNs { get; init; } = 1_000;

    /// <summary>One packet through a driver's poll loop and the stack above it.</summary>
    public long RxPacketNs { get; init; } = 1_500;

    /// <summary>Cleaning one completed TX descriptor.</summary>
    public long TxCleanNs { get; init; } = 200;

    /// <summary>Queueing and handing one packet to a driver.</summary>
    public long TxPacketNs { get; init; } = 800;

    /// <summary>Entering and leaving a system call.</summary>
    public long SyscallNs { get; init; } = 300;

    /// <summary>One context switch (IO-1: "a few microseconds").</summary>
    public long ContextSwitchNs { get; init; } = 3_000;

    /// <summary>Copying one byte between user and kernel memory.</summary>
    public double CopyNsPerByte { get; init; } = 0.1;
}
