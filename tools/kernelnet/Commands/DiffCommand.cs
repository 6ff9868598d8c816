using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Cli.Commands;

/// <summary>
/// <c>kernelnet diff RECORDING [--against DIR]</c>: compares a recording of real Linux with a simulated
/// run of the same scenario (or with another recording) at every level; exit 0 only when every
/// level the scenario requires matches.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(IScenarioSimulator? simulator)
    {
        var recording = new Argument<DirectoryInfo>("recording") { Description = "Recording directory (from kernelnet record)" };
        var against = new Option<DirectoryInfo?>("--against") { Description = "Compare with this recording directory instead of running the simulation" };
        var cmd = new Command("diff", "Compare a recording with the simulation (or another recording) level by level") { recording, against };
        cmd.SetAction(parse =>
        {
            var left = parse.GetValue(recording)!.FullName;
            var right = parse.GetValue(against)?.FullName ?? Simulate(left, simulator);
            var scenario = ScenarioLoader.Load(Path.Combine(left, "scenario.yaml"));
            NormalizedRecording l, r;
            try
            {
                l = Normalizer.Load(left);
                r = Normalizer.Load(right);
            }
            catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
            {
                throw new UsageException(e.Message);
            }

            var report = Comparer.Compare(l, r, scenario.Levels);
            Console.Out.Write(report.Render(left, right));
            return report.Passed ? 0 : 1;
        });
        return cmd;
    }

    private static string Simulate(string recordingDir, IScenarioSimulator? simulator)
    {
        if (simulator is null)
        {
            throw new UsageException("no simulation runner is registered yet; use --against DIR to compare two recordings");
        }

        var scenario = ScenarioLoader.Load(Path.Combine(recordingDir, "scenario.yaml"));
        var outDir = Path.Combine(Path.GetTempPath(), $"kernelnet-sim-{scenario.Name}-{Environment.ProcessId}");
        var result = simulator.Run(scenario, outDir);
        return result.RecordingDir;
    }
}
