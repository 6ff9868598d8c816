using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>Why <c>kernelnet diff</c> will not compare: one line, exit 2.</summary>
public sealed class DiffRefusedException(string message) : Exception(message);

/// <summary>
/// What <c>kernelnet diff RECORDING [--against DIR] [--scenario FILE]</c> does. The scenario comes
/// from the repository (<c>oracle-tests/scenarios/NAME.yaml</c> found above the recording, or
/// <c>--scenario</c>), never from the recording's own copy: its required levels are the
/// repository's, and a recording whose <c>scenario.sha256</c> is not that file's hash was made from
/// another scenario and is refused.
/// </summary>
public static class OracleDiff
{
    public const int ExitMatch = 0;
    public const int ExitDiffer = 1;
    public const int ExitRefused = 2;

    /// <summary>Compares and writes the report; returns 0 when every required level matches, 1 otherwise.</summary>
    /// <exception cref="DiffRefusedException">no recording, no scenario, a hash that does not match, an unreadable file.</exception>
    /// <param name="inspect">called with the two recording directories compared (the recording, then the other recording or the simulation's) before the simulation's is removed: the timeline and page are drawn from them.</param>
    public static int Run(string recording, string? against, string? scenarioPath, IScenarioSimulator simulator, TextWriter output, Action<string, string>? inspect = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(output);
        var scenario = CheckedScenario(recording, scenarioPath);
        if (against is not null)
        {
            CheckedScenario(against, scenario.SourcePath);
            var report = Comparer.Compare(Load(recording), Load(against), scenario.Levels);
            output.Write(report.Render(recording, against));
            inspect?.Invoke(recording, against);
            return report.Passed ? ExitMatch : ExitDiffer;
        }

        var simulated = Simulate(scenario, simulator);
        try
        {
            var report = Comparer.Compare(Load(recording), Load(simulated), scenario.Levels);
            output.Write(report.Render(recording, "simulation"));
            inspect?.Invoke(recording, simulated);
            return report.Passed ? ExitMatch : ExitDiffer;
        }
        finally
        {
            Directory.Delete(simulated, recursive: true);
        }
    }

    /// <summary>The repository's scenario of a recording, after checking that the recording was made from it.</summary>
    public static ScenarioSpec CheckedScenario(string recording, string? scenarioPath)
    {
        RecordingManifest manifest;
        try
        {
            manifest = RecordingLayout.ReadManifest(recording);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            throw new DiffRefusedException($"{recording}: not a recording ({e.Message}); make one with 'kernelnet record SCENARIO'");
        }

        scenarioPath ??= FindScenario(recording, manifest.Scenario)
            ?? throw new DiffRefusedException($"{recording}: no scenarios/{manifest.Scenario}.yaml found above it; give the scenario with --scenario FILE");
        if (!File.Exists(scenarioPath))
        {
            throw new DiffRefusedException($"{scenarioPath}: no such scenario file");
        }

        var hash = Recorder.Sha256(scenarioPath);
        var hashFile = Path.Combine(recording, RecordingLayout.ScenarioHash);
        var recorded = File.Exists(hashFile) ? File.ReadAllText(hashFile).Split(' ', 2)[0].Trim() : "";
        if (recorded != hash || manifest.ScenarioSha256 != hash)
        {
            throw new DiffRefusedException($"{recording}: recorded from another version of {scenarioPath} (sha256 {Short(recorded)} in {RecordingLayout.ScenarioHash}, {Short(manifest.ScenarioSha256)} in {RecordingLayout.Manifest}, {Short(hash)} now); re-record it");
        }

        try
        {
            return ScenarioLoader.Load(scenarioPath);
        }
        catch (ScenarioException e)
        {
            throw new DiffRefusedException(e.Message);
        }
    }

    /// <summary>
    /// <c>scenarios/NAME.yaml</c> or <c>oracle-tests/scenarios/NAME.yaml</c> in the nearest folder
    /// above the recording that has one, else above the current directory; null when there is none.
    /// </summary>
    public static string? FindScenario(string recording, string name)
    {
        foreach (var start in new[] { Path.GetFullPath(recording), Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start).Parent; dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "scenarios", name + ".yaml"), Path.Combine(dir.FullName, "oracle-tests", "scenarios", name + ".yaml") })
                {
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        return null;
    }

    private static string Short(string hash) => hash.Length >= 12 ? hash[..12] : hash.Length == 0 ? "(none)" : hash;

    private static NormalizedRecording Load(string dir)
    {
        try
        {
            return Normalizer.Load(dir);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new DiffRefusedException($"{dir}: {e.Message}");
        }
    }

    /// <summary>Runs the scenario in the simulation, into a directory the caller removes.</summary>
    private static string Simulate(ScenarioSpec scenario, IScenarioSimulator simulator)
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"kernelnet-sim-{scenario.Name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            return simulator.Run(scenario, outDir).RecordingDir;
        }
        catch (ScenarioException e)
        {
            throw new DiffRefusedException(e.Message);
        }
    }

    /// <summary>The levels of a scenario that are informative, with their reasons, for a report's footer.</summary>
    public static IEnumerable<string> InformativeReasons(ScenarioSpec scenario) =>
        scenario.InformativeLevels.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.ToString().ToLowerInvariant()}: informative because {kv.Value}");
}
