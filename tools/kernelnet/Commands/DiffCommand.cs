using System;
using System.CommandLine;
using System.IO;
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
    public static Command Create(IScenarioSimulator simulator)
    {
        var recording = new Argument<DirectoryInfo>("recording") { Description = "Recording directory (from kernelnet record)" };
        var against = new Option<DirectoryInfo?>("--against") { Description = "Compare with this recording directory instead of running the simulation" };
        var cmd = new Command("diff", "Compare a recording with the simulation (or another recording) level by level") { recording, against };
        cmd.SetAction(parse =>
        {
            var left = parse.GetValue(recording)!.FullName;
            var scenario = LoadScenario(left);
            var simulated = parse.GetValue(against) is null;
            var right = parse.GetValue(against)?.FullName ?? Simulate(scenario, simulator);
            try
            {
                var report = Comparer.Compare(Load(left), Load(right), scenario.Levels);
                Console.Out.Write(report.Render(left, simulated ? "simulation" : right));
                return report.Passed ? 0 : 1;
            }
            finally
            {
                if (simulated)
                {
                    Directory.Delete(right, recursive: true);
                }
            }
        });
        return cmd;
    }

    private static ScenarioSpec LoadScenario(string recordingDir)
    {
        if (!File.Exists(Path.Combine(recordingDir, RecordingLayout.Manifest)))
        {
            throw new UsageException($"{recordingDir}: not a recording (no {RecordingLayout.Manifest}); make one with 'kernelnet record SCENARIO'");
        }

        try
        {
            return ScenarioLoader.Load(Path.Combine(recordingDir, RecordingLayout.ScenarioCopy));
        }
        catch (ScenarioException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static NormalizedRecording Load(string dir)
    {
        try
        {
            return Normalizer.Load(dir);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Runs the recording's own scenario in the simulation, into a directory removed after the comparison.</summary>
    private static string Simulate(ScenarioSpec scenario, IScenarioSimulator simulator)
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"kernelnet-sim-{scenario.Name}-{Environment.ProcessId}");
        try
        {
            return simulator.Run(scenario, outDir).RecordingDir;
        }
        catch (ScenarioException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
