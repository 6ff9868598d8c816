using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Demos;
using KernelNet.Scenarios.Journey;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using KernelNet.Scenarios.Sim;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet journey [DEMO | SCENARIO.yaml | RECORDING]</c>: each skb's path through the
/// tracepoints (time, CPU, context, host, device, event) and how it ended, from a demo run, a
/// scenario run in the simulation, or a recording (real Linux or simulation); filtered by skb,
/// flow, drop reason, CPU or task.
/// </summary>
internal static class JourneyCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source")
        {
            Description = "A built-in demo (" + string.Join(", ", DemoCatalog.Names) + $", default {DemoCatalog.Default}), a scenario file (.yaml, run in the simulation) or a recording directory",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => DemoCatalog.Default,
        };
        var skb = new Option<string?>("--skb") { Description = "Only this skb: its symbol (skb3) or its address as the trace prints it" };
        var flow = new Option<string?>("--flow") { Description = "Only the skbs of this flow, either direction: ADDR:PORT-ADDR:PORT/udp or /tcp (from the captures: recordings and scenario runs)" };
        var drop = new Option<string?>("--drop") { Description = "Only the skbs dropped with this reason (NO_SOCKET or SKB_DROP_REASON_NO_SOCKET)" };
        var cpu = Seeing.CpuOption("the skbs with a step");
        var task = Seeing.TaskOption("the skbs with a step in a context");
        var timeline = Seeing.TimelineOption();
        var html = Seeing.HtmlOption();
        var progress = Seeing.ProgressOption();
        var cmd = new Command("journey", "Each skb's path through the tracepoints, with context, CPU, device, host and how it ended")
        {
            source, skb, flow, drop, cpu, task, timeline, html, progress,
        };
        cmd.SetAction(parse =>
        {
            var flowText = parse.GetValue(flow);
            var filter = new JourneyFilter
            {
                Skb = parse.GetValue(skb),
                Flow = flowText is null ? null : JourneySet.ParseFlow(flowText) ?? throw new UsageException($"--flow: '{flowText}' is not ADDR:PORT-ADDR:PORT/udp (or /tcp), e.g. 10.0.0.1:7000-10.0.0.2:9000/udp"),
                Drop = parse.GetValue(drop),
                Cpu = Seeing.CheckCpu(parse.GetValue(cpu)),
                Task = parse.GetValue(task),
            };
            if (filter.Drop is { } d && !IsDropReason(d))
            {
                throw new UsageException($"--drop: '{d}' is not a drop reason of Linux 6.18 (enum skb_drop_reason, e.g. NO_SOCKET)");
            }

            Seeing.CheckWritable(parse.GetValue(timeline), parse.GetValue(html));
            var name = parse.GetValue(source)!;
            using var shown = new Progress($"journey {name}", parse.GetValue(progress));
            return Load(name, set =>
            {
                var selected = set.Select(filter).ToList();
                var w = new StringWriter { NewLine = "\n" };
                JourneySet.Write(w, selected);
                Console.Out.Write(w.ToString());
                Seeing.WriteViews([set], $"kernelnet journey {name}", parse.GetValue(timeline), parse.GetValue(html));
                return 0;
            });
        });
        return cmd;
    }

    /// <summary>Loads a demo, a scenario (run in scratch space, removed after) or a recording, and hands it on.</summary>
    public static int Load(string name, Func<JourneySet, int> use)
    {
        if (Directory.Exists(name))
        {
            try
            {
                return use(JourneySet.FromRecording(name));
            }
            catch (Exception e) when (e is FileNotFoundException or FormatException or InvalidDataException or System.Text.Json.JsonException)
            {
                throw new UsageException($"{name}: not a recording ({e.Message})");
            }
        }

        if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
        {
            ScenarioSpec spec;
            try
            {
                spec = ScenarioLoader.Load(name);
            }
            catch (ScenarioException e)
            {
                throw new UsageException(e.Message);
            }

            var scratch = Path.Combine(Path.GetTempPath(), $"kernelnet-journey-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                new ScenarioSimulator().RunAndCheckLedger(spec, scratch);
                return use(JourneySet.FromRecording(scratch));
            }
            catch (ScenarioException e)
            {
                throw new UsageException(e.Message);
            }
            finally
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
        }

        if (!DemoCatalog.TryGet(name, out var demo))
        {
            throw new UsageException($"'{name}' is neither a recording directory, a scenario file (.yaml) nor a demo ({string.Join(", ", DemoCatalog.Names)})");
        }

        var run = demo.Execute(new DemoOptions());
        return use(JourneySet.FromTrace(name, run.Trace, run.TaskHosts, run.IrqHosts));
    }

    private static bool IsDropReason(string reason)
    {
        var name = reason.StartsWith("SKB_DROP_REASON_", StringComparison.Ordinal) ? reason : "SKB_DROP_REASON_" + reason;
        return Enum.GetNames<KernelNet.Kernel.Include.Net.skb_drop_reason>().Contains(name, StringComparer.Ordinal);
    }
}
