using System;
using System.Collections.Generic;
using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>
/// The interrupt controller (an IO-APIC/MSI-X view): vectors that devices
/// raise and the CPUs each may be delivered to (<c>smp_affinity</c>). A vector
/// goes to the lowest-numbered CPU in its affinity mask, as the x86 vector
/// allocator's effective affinity does for a single target.
/// </summary>
[HardwareInterface(Seam = "kernel/irq's request_irq, irq_set_affinity and /proc/irq, or the arch interrupt entry")]
public sealed class InterruptController
{
    /// <summary>First vector handed to devices (x86 FIRST_EXTERNAL_VECTOR).</summary>
    public const int FirstDeviceVector = 0x20;

    /// <summary>The local APIC timer vector (x86 LOCAL_TIMER_VECTOR).</summary>
    public const int LocalTimerVector = 0xec;

    /// <summary>The inter-processor interrupt that runs queued function calls on a CPU (x86 CALL_FUNCTION_SINGLE_VECTOR).</summary>
    public const int CallFunctionSingleVector = 0xfb;

    private readonly Machine _machine;
    private readonly Dictionary<int, ulong> _affinity = new();
    private int _nextVector = FirstDeviceVector + 1;

    internal InterruptController(Machine machine)
    {
        _machine = machine;
    }

    /// <summary>Allocates a fresh vector for a device's MSI-X table entry, affine to every CPU.</summary>
    public int AllocateVector()
    {
        var v = _nextVector++;
        _affinity[v] = (1UL << _machine.Cpus.Count) - 1;
        return v;
    }

    /// <summary>Which CPUs a vector may be delivered to (<c>/proc/irq/N/smp_affinity</c>).</summary>
    public ulong GetAffinity(int vector) => _affinity.TryGetValue(vector, out var m) ? m : 0;

    public void SetAffinity(int vector, ulong mask)
    {
        var all = (1UL << _machine.Cpus.Count) - 1;
        if ((mask & all) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mask), $"affinity {mask:x} names no CPU of this machine");
        }

        _affinity[vector] = mask & all;
    }

    /// <summary>The CPU a vector is delivered to now.</summary>
    public int TargetCpu(int vector)
    {
        var mask = GetAffinity(vector);
        return mask == 0 ? 0 : System.Numerics.BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>A device signals <paramref name="vector"/> (an MSI write) at time <paramref name="at"/>.</summary>
    public void Raise(int vector, long at)
    {
        _machine.DeliverInterrupt(TargetCpu(vector), vector, at);
    }

    /// <summary>
    /// One CPU's local APIC sends <paramref name="vector"/> to another (an
    /// ICR write): it arrives at the destination at the sender's present time,
    /// and is taken there as soon as that CPU has interrupts enabled.
    /// </summary>
    public void SendIpi(int cpu, int vector)
    {
        if (cpu < 0 || cpu >= _machine.Cpus.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu, "no such CPU");
        }

        _machine.DeliverInterrupt(cpu, vector, _machine.Now);
    }

    /// <summary>
    /// Writes a CPU's TSC-deadline register: <see cref="LocalTimerVector"/> fires on it at
    /// <paramref name="at"/>. The register holds one deadline, so a write replaces a
    /// deadline not yet reached; one that already fired stays pending until taken.
    /// </summary>
    public void ArmLocalTimer(int cpu, long at)
    {
        _machine.ArmTimerDeadline(cpu, at);
    }

    /// <summary>Clears a CPU's deadline register: a deadline not yet reached never fires.</summary>
    public void StopLocalTimer(int cpu)
    {
        _machine.ArmTimerDeadline(cpu, long.MaxValue);
    }
}
