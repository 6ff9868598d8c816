using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>What a simulated run produced: a recording directory in <see cref="RecordingLayout"/> form.</summary>
public sealed record RunResult(string RecordingDir, int ExitCode);

/// <summary>
/// Runs a scenario in the simulation and writes the same recording layout as <see cref="Recorder"/>
/// (trace in tracefs text format, pcap per link, counters.txt, recording.json with source "simulation").
/// </summary>
public interface IScenarioSimulator
{
    RunResult Run(ScenarioSpec s, string outDir);
}
