using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using KernelNet.Scenarios.Journey;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Timeline;

namespace KernelNet.Cli.Commands;

/// <summary>The options that show a run (--timeline, --html, --cpu, --task, --progress), shared by run, diff and journey so each means one thing everywhere.</summary>
internal static class Seeing
{
    public static Option<FileInfo?> TimelineOption() => new("--timeline") { Description = "Also write the timeline as Chrome trace-event JSON (Perfetto's UI, chrome://tracing) to this file" };

    public static Option<FileInfo?> HtmlOption() => new("--html") { Description = "Also write one self-contained HTML page with the timeline and the journeys to this file" };

    public static Option<int?> CpuOption(string what) => new("--cpu") { Description = $"Only {what} on this CPU" };

    public static Option<string?> TaskOption(string what) => new("--task") { Description = $"Only {what} of this task (comm, or comm-pid)" };

    public static Option<bool> ProgressOption() => new("--progress") { Description = "Report progress on standard error while a run takes longer than a second (the default when standard error is a terminal)" };

    /// <summary>Writes the timeline and the page asked for; an unwritable path is the user's error.</summary>
    public static void WriteViews(IReadOnlyList<JourneySet> sets, string title, FileInfo? timeline, FileInfo? html)
    {
        if (timeline is null && html is null)
        {
            return;
        }

        var model = TimelineModel.Build(sets);
        Write(timeline, "--timeline", path => ChromeTrace.WriteFile(path, model));
        Write(html, "--html", path => HtmlPage.WriteFile(path, title, model));
    }

    /// <summary>Checks before a long run that the output files can be created (so a typo fails at once, not after the run).</summary>
    public static void CheckWritable(params FileInfo?[] files)
    {
        foreach (var f in files)
        {
            if (f is not null && (f.Directory is not { Exists: true } || Directory.Exists(f.FullName)))
            {
                throw new UsageException($"cannot write {f.FullName}: {(Directory.Exists(f.FullName) ? "it is a directory" : "no such directory")}");
            }
        }
    }

    /// <summary>A tracefs text with only the events on a CPU and/or of a task (header lines kept).</summary>
    public static string FilterTrace(string trace, int? cpu, string? task)
    {
        if (cpu is null && task is null)
        {
            return trace;
        }

        var kept = trace.Split('\n').Where(line =>
        {
            var e = TraceEvent.Parse(line);
            return e is null ? line.Length > 0 : (cpu is null || e.Cpu == cpu) && (task is null || JourneyFilter.TaskMatches(e, task));
        });
        return string.Concat(kept.Select(l => l + "\n"));
    }

    /// <summary>Rejects a CPU number that cannot be one.</summary>
    public static int? CheckCpu(int? cpu) => cpu is < 0 ? throw new UsageException($"--cpu: {cpu.Value.ToString(CultureInfo.InvariantCulture)} is not a CPU number") : cpu;

    private static void Write(FileInfo? file, string option, Action<string> write)
    {
        if (file is null)
        {
            return;
        }

        try
        {
            write(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: cannot write {file.FullName}: {e.Message}");
        }
    }
}

/// <summary>
/// Progress on standard error for a run that lasts more than a second: one line, rewritten each
/// second, removed at the end. Only when asked (--progress) or when standard error is a terminal.
/// </summary>
internal sealed class Progress : IDisposable
{
    private readonly Timer? _timer;
    private readonly DateTime _start = DateTime.UtcNow;
    private readonly string _what;
    private readonly object _gate = new();
    private bool _shown;

    public Progress(string what, bool asked)
        : this(what, asked, TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>Reports after <paramref name="after"/>, then every <paramref name="after"/> (a second, but for tests).</summary>
    internal Progress(string what, bool asked, TimeSpan after)
    {
        _what = what;
        if (asked || !Console.IsErrorRedirected)
        {
            _timer = new Timer(_ => Tick(), null, after, after);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_shown)
            {
                Console.Error.WriteLine($"\rkernelnet: {_what}: done after {(DateTime.UtcNow - _start).TotalSeconds:F1} s");
            }
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            _shown = true;
            Console.Error.Write($"\rkernelnet: {_what}: {(DateTime.UtcNow - _start).TotalSeconds:F0} s ...");
        }
    }
}
