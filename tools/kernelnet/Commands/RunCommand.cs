using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Demos;

namespace KernelNet.Cli.Commands;

/// <summary><c>kernelnet run [DEMO]</c>: runs a built-in scenario and prints the trace and counters.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var demo = new Argument<string>("demo")
        {
            Description = "Built-in scenario to run: " + string.Join(", ", DemoCatalog.Names) + $" (default {DemoCatalog.Default})",
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

        var cmd = new Command("run", "Run a built-in scenario in the simulation and print the trace and counters") { demo, events, noTrace, output };
        cmd.SetAction(parse =>
        {
            var name = parse.GetValue(demo)!;
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
}
