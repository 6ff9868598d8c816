using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using KernelNet.Kernel.Kernel.Trace;
using KernelNet.Scenarios.Demos;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet run [DEMO | SCENARIO.yaml]</c>: runs a built-in scenario and prints the trace and
/// counters, or runs a scenario file in the simulation and writes its recording (as
/// <c>kernelnet record</c> does on real Linux), printing each step's outcome and the trace.
/// </summary>
internal static class RunCommand
{
    /// <summary>A scenario file's run left skbs live: a leak in the port (steps that differ from their expect: give 1).</summary>
    private const int LeakExit = 4;

    public static Command Create()
    {
        var demo = new Argument<string>("demo")
        {
            Description = "Built-in scenario to run: " + string.Join(", ", DemoCatalog.Names) + $" (default {DemoCatalog.Default}), or a scenario file (.yaml, docs/scenarios.md)",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => DemoCatalog.Default,
        };
        var events = new Option<string[]>("--events")
        {
            Description = "Tracepoints to enable, as in set_event (\"net:*\", \"irq:softirq_raise\"); default: the demo's own list",
            AllowMultipleArgumentsPerToken = true,
        };
        var noTrace = new Option<bool>("--no-trace") { Description = "Print only the counters" };
        var output = new Option<FileInfo?>("--report") { Description = "Write the report to this file instead of standard output" };
        var outDir = new Option<DirectoryInfo?>("--out", "-o") { Description = "For a scenario file: write its recording to this directory (as kernelnet record does; nothing is written without it)" };

        var listEvents = new Option<bool>("--list-events") { Description = "List the tracepoints the simulation has (system:event, as available_events) and exit" };
        var allCounters = new Option<bool>("--all-counters") { Description = "Demos: print every counter, also those that stayed zero (by default they are left out)" };
        var cpu = Seeing.CpuOption("print the trace's events");
        var task = Seeing.TaskOption("print the trace's events");
        var timeline = Seeing.TimelineOption();
        var html = Seeing.HtmlOption();
        var progress = Seeing.ProgressOption();

        var cmd = new Command("run", "Run a built-in scenario or a scenario file in the simulation and print the trace and counters")
        {
            demo, events, listEvents, noTrace, allCounters, cpu, task, output, outDir, timeline, html, progress,
        };
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(listEvents))
            {
                foreach (var call in trace_events_c.available_events)
                {
                    Console.Out.WriteLine(call.ToString());
                }

                return 0;
            }

            var name = parse.GetValue(demo)!;
            var selected = parse.GetValue(events) is { Length: > 0 } e ? e : null;
            foreach (var spec in selected ?? [])
            {
                if (trace_events_c.ftrace_set_clr_event(spec).Count == 0)
                {
                    throw new UsageException($"--events: '{spec}' names no event the simulation has (kernelnet run --list-events lists them)");
                }
            }

            var file = parse.GetValue(output);
            var views = new Views(Seeing.CheckCpu(parse.GetValue(cpu)), parse.GetValue(task), parse.GetValue(timeline), parse.GetValue(html));
            Seeing.CheckWritable(views.Timeline, views.Html, file);
            using var shown = new Progress($"run {Path.GetFileName(name)}", parse.GetValue(progress));
            if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
            {
                if (selected is not null)
                {
                    throw new UsageException("--events applies to built-in demos; a scenario file names its events under 'tracepoints:' (docs/scenarios.md)");
                }

                if (parse.GetValue(allCounters))
                {
                    throw new UsageException("--all-counters applies to built-in demos; a scenario file's run prints steps and the trace (its counters are in the recording's counters.txt, with --out)");
                }

                return RunScenarioFile(name, parse.GetValue(outDir)?.FullName, !parse.GetValue(noTrace), file, views);
            }

            if (parse.GetValue(outDir) is not null)
            {
                throw new UsageException("--out names the recording directory of a scenario file; a built-in demo writes no recording (--report FILE keeps its report)");
            }

            if (!DemoCatalog.TryGet(name, out var scenario))
            {
                throw new UsageException($"unknown demo '{name}'; known: {string.Join(", ", DemoCatalog.Names)}");
            }

            var options = new DemoOptions
            {
                Events = selected,
                Trace = !parse.GetValue(noTrace),
                AllCounters = parse.GetValue(allCounters),
                Cpu = views.Cpu,
                Task = views.Task,
            };
            var run = scenario!.Execute(options);
            Emit(run.Report, file);
            Seeing.WriteViews([KernelNet.Scenarios.Journey.JourneySet.FromTrace(name, run.Trace, run.TaskHosts, run.IrqHosts)], $"kernelnet run {name}", views.Timeline, views.Html);
            return 0;
        });
        return cmd;
    }

    /// <summary>The report to standard output, or to the file -o names.</summary>
    private static void Emit(string report, FileInfo? file)
    {
        if (file is null)
        {
            Console.Out.Write(report);
            return;
        }

        try
        {
            File.WriteAllText(file.FullName, report);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--report: cannot write {file.FullName}: {ex.Message}");
        }
    }

    /// <summary>Runs a scenario file in the simulation; exit 0 when every step gave what it expects.</summary>
    private static int RunScenarioFile(string path, string? outDir, bool printTrace, FileInfo? reportFile, Views views)
    {
        ScenarioSpec spec;
        try
        {
            spec = ScenarioLoader.Load(path);
        }
        catch (ScenarioException e)
        {
            throw new UsageException(e.Message);
        }

        // output goes only where asked: without --out the recording lives in scratch space
        var scratch = outDir is null ? Path.Combine(Path.GetTempPath(), $"kernelnet-run-{Environment.ProcessId}") : null;
        try
        {
            return RunScenarioInto(spec, outDir ?? scratch!, outDir is not null, printTrace, reportFile, views);
        }
        finally
        {
            if (scratch is not null && Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static int RunScenarioInto(ScenarioSpec spec, string outDir, bool keep, bool printTrace, FileInfo? reportFile, Views views)
    {
        RunResult result;
        IReadOnlyList<string> leaked;
        IReadOnlyList<string> copies;
        try
        {
            var simulator = new ScenarioSimulator();
            (result, leaked) = simulator.RunAndCheckLedger(spec, outDir);
            copies = simulator.LastCopies;
        }
        catch (ScenarioException e)
        {
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out: cannot write the recording to {outDir}: {e.Message}");
        }

        var report = new StringWriter { NewLine = "\n" };
        foreach (var step in RecordingLayout.ReadManifest(outDir).Steps)
        {
            report.WriteLine($"  line {step.Line,3}: {step.Verb,-10} {step.Host,-6} -> {step.Outcome}{(step.Matched ? "" : $"   (expected {step.Expected})")}");
        }

        if (printTrace)
        {
            report.Write(Seeing.FilterTrace(File.ReadAllText(Path.Combine(outDir, RecordingLayout.Trace)), views.Cpu, views.Task));
        }

        // what the file and pipe calls copied, by the CPU and by DMA (seed claim IO-3's counts)
        if (copies.Count > 0)
        {
            report.WriteLine("copies per syscall:");
            foreach (var line in copies)
            {
                report.WriteLine("  " + line);
            }
        }

        // the skb ledger, read after the processes exited and the kernel settled: anything live is a leak in the port
        if (leaked.Count == 0)
        {
            report.WriteLine("skb ledger: nothing leaked (processes exited, timers run out)");
        }
        else
        {
            report.WriteLine($"skb ledger: {leaked.Count} leak(s) (skbs, socks, slab objects) after the processes exited and timers ran out:");
            foreach (var line in leaked.Take(10))
            {
                report.WriteLine("  " + line);
            }
        }

        if (keep)
        {
            report.WriteLine($"recording written to {outDir}");
        }

        Emit(report.ToString(), reportFile);
        Seeing.WriteViews([KernelNet.Scenarios.Journey.JourneySet.FromRecording(outDir)], $"kernelnet run {spec.Name}", views.Timeline, views.Html);
        return leaked.Count > 0 ? LeakExit : result.ExitCode;
    }

    /// <summary>What a run shows beside its report: the trace's CPU and task filters, the timeline and the page.</summary>
    private sealed record Views(int? Cpu, string? Task, FileInfo? Timeline, FileInfo? Html);
}
