namespace KernelNet.Kernel;

/// <summary>
/// The CPU time the simulation charges for kernel work that has no hardware
/// verb of its own: one packet through a poll loop and the stack above it, one
/// packet handed to a driver, one TX descriptor cleaned. Port bodies call these
/// where the work is done instead of touching the machine's CPU (KN0007:
/// <c>Cpu.Charge</c> is reserved to this glue), so the charge stays at the
/// same point of execution — interrupts that came due are taken there — and
/// the port reads as the C does, with one named cost point.
/// </summary>
public static class CostHooks
{
    /// <summary>One received packet through a poll loop (driver or backlog) and the stack above it.</summary>
    public static void ChargeRxPacket(Vmlinux k) => k.machine.CurrentCpu.Charge(k.machine.Costs.RxPacketNs);

    /// <summary>One packet queued and handed to a driver's transmit ring.</summary>
    public static void ChargeTxPacket(Vmlinux k) => k.machine.CurrentCpu.Charge(k.machine.Costs.TxPacketNs);

    /// <summary>One completed TX descriptor cleaned.</summary>
    public static void ChargeTxClean(Vmlinux k) => k.machine.CurrentCpu.Charge(k.machine.Costs.TxCleanNs);
}
