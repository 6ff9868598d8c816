using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// A tracefs instance of the recorder's own (<c>instances/kn-PID</c>): its own ring buffer and
/// event set, so the recording neither disturbs nor sees the global trace's settings.
/// </summary>
internal sealed class TraceInstance : IDisposable
{
    public const string TracefsRoot = "/sys/kernel/tracing";
    internal const int BufferKbPerCpu = 4096;

    private readonly IRecorderSystem _sys;

    private TraceInstance(IRecorderSystem sys, string path)
    {
        _sys = sys;
        Path = path;
    }

    public string Path { get; }

    /// <summary>True when tracefs is mounted (mounting it first if this process may).</summary>
    public static bool EnsureMounted()
    {
        if (File.Exists($"{TracefsRoot}/trace"))
        {
            return true;
        }

        try
        {
            RealRecorderSystem.Instance.Run("mount", ["-t", "tracefs", "nodev", TracefsRoot]);
        }
        catch (RecorderException)
        {
            return false;
        }

        return File.Exists($"{TracefsRoot}/trace");
    }

    /// <summary>
    /// A new instance with <paramref name="events"/> enabled; a scheduler event (sched:sched_switch,
    /// sched_waking, sched_wakeup) gets an event filter on <paramref name="comms"/> (the recording's
    /// host threads, whose comm every thread a step starts inherits): the machine's other tasks switch
    /// far more often than the scenario's, and would fill the buffer.
    /// </summary>
    public static TraceInstance Create(IRecorderSystem sys, string name, IEnumerable<string> events, IReadOnlyCollection<string>? comms = null)
    {
        var path = $"{TracefsRoot}/instances/{name}";
        sys.TracefsMkdir(path);
        var instance = new TraceInstance(sys, path);
        try
        {
            instance.Write("tracing_on", "0");
            instance.Write("buffer_size_kb", BufferKbPerCpu.ToString(CultureInfo.InvariantCulture));
            foreach (var e in events)
            {
                instance.Append("set_event", e);
                if (comms is { Count: > 0 } && SchedFilter(e, comms) is { } filter)
                {
                    instance.Write($"events/{e.Replace(':', '/')}/filter", filter);
                }
            }
        }
        catch
        {
            instance.Dispose();
            throw;
        }

        return instance;
    }

    public void Start() => Write("tracing_on", "1");

    public void Stop() => Write("tracing_on", "0");

    public string ReadTrace() => _sys.TracefsRead($"{Path}/trace");

    /// <summary>Events written so far, over every CPU (cheap: per-CPU stats, no read of the buffer).</summary>
    public long EntriesWritten()
    {
        long total = 0;
        foreach (var dir in _sys.TracefsList($"{Path}/per_cpu"))
        {
            foreach (var line in _sys.TracefsRead($"{dir}/stats").Split('\n'))
            {
                if (line.StartsWith("entries:", StringComparison.Ordinal))
                {
                    total += long.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("overrun:", StringComparison.Ordinal))
                {
                    total += long.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Waits until no event has been written for <paramref name="quietMs"/>, at most <paramref name="limitMs"/>:
    /// what one step set off (softirqs, replies, ICMP errors) lands before the next step starts.
    /// </summary>
    public bool WaitQuiet(int quietMs, int limitMs, CancellationToken cancel)
    {
        var start = _sys.MonotonicMs();
        var last = EntriesWritten();
        var lastChange = (_sys.MonotonicMs() - start);
        while ((_sys.MonotonicMs() - start) < limitMs && !cancel.IsCancellationRequested)
        {
            _sys.Sleep(10);
            var now = EntriesWritten();
            if (now != last)
            {
                last = now;
                lastChange = (_sys.MonotonicMs() - start);
            }
            else if ((_sys.MonotonicMs() - start) - lastChange >= quietMs)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The filter that keeps a scheduler event to <paramref name="comms"/>' tasks, or null for another event.</summary>
    internal static string? SchedFilter(string tracepoint, IReadOnlyCollection<string> comms)
    {
        string Any(string field) => string.Join(" || ", comms.Select(c => $"{field} == \"{c}\""));
        return tracepoint switch
        {
            "sched:sched_switch" => $"{Any("prev_comm")} || {Any("next_comm")}",
            "sched:sched_waking" or "sched:sched_wakeup" or "sched:sched_wakeup_new" => Any("comm"),
            _ => null,
        };
    }

    private void Write(string file, string value) => _sys.TracefsWrite($"{Path}/{file}", value);

    private void Append(string file, string value)
    {
        try
        {
            _sys.TracefsAppend($"{Path}/{file}", value);
        }
        catch (IOException e)
        {
            throw new RecorderException($"cannot enable tracepoint {value}: {e.Message}");
        }
    }

    /// <summary>Names of instances left by recorder processes that no longer exist.</summary>
    public static IEnumerable<string> StaleInstances(IRecorderSystem sys) =>
        sys.TracefsList($"{TracefsRoot}/instances")
            .Select(System.IO.Path.GetFileName)
            .OfType<string>()
            .Where(n => n.StartsWith("kn-", StringComparison.Ordinal) && int.TryParse(n.AsSpan(3), out var pid) && !sys.ProcessExists(pid))
            .ToList();

    /// <summary>
    /// Stops the instance and removes it (rmdir, retried while the kernel holds it busy). Never
    /// throws: it runs on the way out of a failed recording, where a second error would hide the first.
    /// </summary>
    public static void Remove(IRecorderSystem sys, string name)
    {
        var path = $"{TracefsRoot}/instances/{name}";
        try
        {
            sys.TracefsWrite($"{path}/tracing_on", "0");
            sys.TracefsWrite($"{path}/set_event", "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RecorderException)
        {
            // already half gone, or the write itself failed: rmdir below decides
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                if (!sys.TracefsExists(path) || sys.TracefsRmdir(path))
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or RecorderException)
            {
                // retried below
            }

            sys.Sleep(50);
        }
    }

    public void Dispose() => Remove(_sys, System.IO.Path.GetFileName(Path));
}
