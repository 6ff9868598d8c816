using System;
using System.Collections.Generic;
using System.Globalization;
using KernelNet.Scenarios.Oracle;

namespace KernelNet.Scenarios.Journey;

/// <summary>How an skb's journey ended within the trace.</summary>
public enum JourneyEnd
{
    /// <summary>consume_skb: freed after use.</summary>
    Consumed,

    /// <summary>kfree_skb with a drop reason.</summary>
    Dropped,

    /// <summary>No free traced: still queued (a socket, a qdisc, a ring) or freed without a tracepoint.</summary>
    StillLive,
}

/// <summary>
/// One tracepoint an skb passed: the event (time, CPU, task, flags), its order in the scoped
/// trace, the context label the comparer uses (<c>[host]</c>, <c>[softirq]</c>, <c>[hardirq]</c>),
/// the host it ran for (null when nothing says), the device as <c>host:if</c>, and the step as
/// the journeys level compares it.
/// </summary>
public sealed record JourneyStep(TraceEvent Event, int Index, string Context, string? Host, string? Device, string Text);

/// <summary>An skb's path through the trace, from its first event to its free (or the trace's end).</summary>
public sealed record SkbJourney(string Skb, string Address, IReadOnlyList<JourneyStep> Steps)
{
    /// <summary>The flow (as <see cref="WireDecoder.Flow"/> names it) of a frame this skb was captured as, if any.</summary>
    public string? Flow { get; init; }

    public JourneyEnd End => Steps[^1].Event.Name switch
    {
        "consume_skb" => JourneyEnd.Consumed,
        "kfree_skb" => JourneyEnd.Dropped,
        _ => JourneyEnd.StillLive,
    };

    /// <summary>The drop reason without its SKB_DROP_REASON_ prefix, when the journey ends in kfree_skb.</summary>
    public string? DropReason => End == JourneyEnd.Dropped ? Steps[^1].Event.Field("reason") : null;

    /// <summary>How it ended, in words: <c>consumed</c>, <c>dropped (NO_SOCKET)</c>, <c>not freed</c>.</summary>
    public string Ending => End switch
    {
        JourneyEnd.Consumed => "consumed",
        JourneyEnd.Dropped => $"dropped ({DropReason})",
        _ => "not freed (still queued, or freed without a tracepoint)",
    };
}

/// <summary>
/// Which host an event ran for: the host of the device it names (the manifest's
/// <c>host:if</c>), else in process context the host whose task ran it, else in interrupt
/// context the host of the last interrupt taken on that CPU (from <c>irq_handler_entry</c>, until
/// the softirq run after it exits), else in softirq context the host of the task it interrupted.
/// </summary>
public sealed class HostResolver(RecordingManifest manifest, IReadOnlyDictionary<int, string>? irqHosts)
{
    private readonly Dictionary<int, string> _lastIrqHost = [];

    /// <summary>The host of a device name in the trace, or null.</summary>
    public string? OfDevice(string? device) =>
        device is not null && manifest.Devices.TryGetValue(device, out var end) ? HostPart(end) : null;

    /// <summary>Feeds one event (in trace order) and returns its host, or null.</summary>
    public string? Observe(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Name == "irq_handler_entry" && irqHosts is not null
            && int.TryParse(e.Field("irq"), NumberStyles.None, CultureInfo.InvariantCulture, out var irq))
        {
            if (irqHosts.TryGetValue(irq, out var h))
            {
                _lastIrqHost[e.Cpu] = h;
            }
            else
            {
                _lastIrqHost.Remove(e.Cpu);
            }
        }

        if (OfDevice(e.Device) is { } byDevice)
        {
            return byDevice;
        }

        var byTask = manifest.Tasks.TryGetValue(e.Task, out var t) ? t : null;
        if (e.Context == TraceContext.Process)
        {
            return byTask;
        }

        var host = _lastIrqHost.TryGetValue(e.Cpu, out var byIrq) ? byIrq : byTask;

        // the softirq run that followed the interrupt is over: a later one (a timer's) is not that host's
        if (e.Name == "softirq_exit")
        {
            _lastIrqHost.Remove(e.Cpu);
        }

        return host;
    }

    private static string HostPart(string end)
    {
        var colon = end.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? end[..colon] : end;
    }
}
