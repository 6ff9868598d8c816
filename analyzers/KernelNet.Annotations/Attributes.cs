using System;

namespace KernelNet.Annotations;

/// <summary>
/// The method takes ownership of the skb passed in the named parameter: on
/// every path it frees it, queues it or hands it on. The caller must not read
/// that variable again unless it reassigns it (KN0006).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ConsumesAttribute : Attribute
{
    public ConsumesAttribute(string parameterName)
    {
        ParameterName = parameterName;
    }

    public string ParameterName { get; }
}

/// <summary>Runs in hard-IRQ context (an interrupt handler): must not sleep (KN0008).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Delegate, Inherited = false)]
public sealed class HardIrqContextAttribute : Attribute
{
}

/// <summary>Runs in softirq context (NET_RX/NET_TX, timers): must not sleep (KN0008).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Delegate, Inherited = false)]
public sealed class SoftirqContextAttribute : Attribute
{
}

/// <summary>
/// May sleep (<c>might_sleep()</c> territory): blocking socket waits,
/// <c>GFP_KERNEL</c>-style allocation, <c>schedule()</c>. Never called from
/// hard-IRQ or softirq context (KN0008).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class MightSleepAttribute : Attribute
{
}

/// <summary>
/// Marks a type or member of the machine that a driver may use as a real
/// driver uses a NIC: registers, DMA memory, interrupts, CPU state (KN0007).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Enum | AttributeTargets.Delegate, Inherited = false)]
public sealed class HardwareInterfaceAttribute : Attribute
{
}
