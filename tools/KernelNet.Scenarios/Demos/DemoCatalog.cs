using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace KernelNet.Scenarios.Demos;

/// <summary>Options a built-in scenario honours.</summary>
public sealed record DemoOptions
{
    /// <summary>Tracepoints to enable (set_event syntax); null for the demo's own list.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>Whether the report includes the trace.</summary>
    public bool Trace { get; init; } = true;

    /// <summary>Whether counters that stayed zero are printed (by default they are left out).</summary>
    public bool AllCounters { get; init; }

    /// <summary>Only the trace's events on this CPU.</summary>
    public int? Cpu { get; init; }

    /// <summary>Only the trace's events of this task (comm, or comm-pid).</summary>
    public string? Task { get; init; }
}

/// <summary>A demo's run: its report, and its trace with what names each host's tasks and interrupts (for journeys and the timeline).</summary>
public sealed record DemoRun(string Report, string Trace, IReadOnlyDictionary<string, string> TaskHosts, IReadOnlyDictionary<int, string> IrqHosts);

/// <summary>A scenario built into the CLI.</summary>
public interface IDemo
{
    string Name { get; }

    string Description { get; }

    /// <summary>Runs the scenario from boot and returns the report (trace and counters).</summary>
    string Run(DemoOptions options) => Execute(options).Report;

    /// <summary>Runs the scenario from boot: the report, and the trace with its hosts.</summary>
    DemoRun Execute(DemoOptions options);
}

/// <summary>The built-in scenarios, by name.</summary>
public static class DemoCatalog
{
    public const string Default = UdpEchoDemo.DemoName;

    private static readonly IReadOnlyList<IDemo> Demos = new IDemo[]
    {
        new UdpEchoDemo(),
    };

    public static IEnumerable<string> Names => Demos.Select(d => d.Name);

    public static bool TryGet(string name, [NotNullWhen(true)] out IDemo? demo)
    {
        demo = Demos.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
        return demo is not null;
    }
}
