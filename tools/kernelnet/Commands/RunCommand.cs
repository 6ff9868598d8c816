using System;
using System.CommandLine;
using System.IO;
using System.Linq;
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
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the report to a file instead of standard output" };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "For a scenario file: the recording directory to write (default ./NAME.simulation)" };

        var cmd = new Command("run", "Run a built-in scenario or a scenario file in the simulation and print the trace and counters") { demo, events, noTrace, output, outDir };
        cmd.SetAction(parse =>
        {
            var name = parse.GetValue(demo)!;
            if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
            {
                return RunScenarioFile(name, parse.GetValue(outDir)?.FullName, !parse.GetValue(noTrace));
            }

            if (!DemoCatalog.TryGet(name, out var scenario))
            {
                throw new UsageException($"unknown demo '{name}'; known: {string.Join(", ", DemoCatalog.Names)}");
            }

            var options = new DemoOptions
            {
                Events = parse.GetValue(events) is { Length: > 0 } e ? e : null,
                Trace = !parse.GetValue(noTrace),
            };
            var report = scenario!.Run(options);
            var file = parse.GetValue(output);
            if (file is null)
            {
                Console.Out.Write(report);
            }
            else
            {
                File.WriteAllText(file.FullName, report);
            }

            return 0;
        });
        return cmd;
    }

    /// <summary>Runs a scenario file in the simulation; exit 0 when every step gave what it expects.</summary>
    private static int RunScenarioFile(string path, string? outDir, bool printTrace)
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

        outDir ??= Path.Combine(Directory.GetCurrentDirectory(), spec.Name + ".simulation");
        RunResult result;
        try
        {
            result = new ScenarioSimulator().Run(spec, outDir);
        }
        catch (ScenarioException e)
        {
            throw new UsageException(e.Message);
        }

        foreach (var step in RecordingLayout.ReadManifest(outDir).Steps)
        {
            Console.Out.WriteLine($"  line {step.Line,3}: {step.Verb,-10} {step.Host,-6} -> {step.Outcome}{(step.Matched ? "" : $"   (expected {step.Expected})")}");
        }

        if (printTrace)
        {
            Console.Out.Write(File.ReadAllText(Path.Combine(outDir, RecordingLayout.Trace)));
        }

        Console.Out.WriteLine($"recording written to {outDir}");
        return result.ExitCode;
    }
}
