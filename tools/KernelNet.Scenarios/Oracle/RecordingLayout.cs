using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>What ran where: the map from names in the trace to names in the scenario.</summary>
public sealed record RecordingManifest
{
    /// <summary>"linux" for a recording of the real kernel, "simulation" for KernelNet.</summary>
    public required string Source { get; init; }

    public required string Scenario { get; init; }

    public required string ScenarioSha256 { get; init; }

    public required string Kernel { get; init; }

    /// <summary>Device name in the trace -> "host:interface" in the scenario.</summary>
    public required Dictionary<string, string> Devices { get; init; }

    /// <summary>Task name (comm) in the trace -> host whose steps it ran.</summary>
    public required Dictionary<string, string> Tasks { get; init; }

    /// <summary>Link name -> the "host:interface" its capture was taken on.</summary>
    public required Dictionary<string, string> Captures { get; init; }

    public required List<StepResult> Steps { get; init; }

    public bool StepsMatched => Steps.TrueForAll(s => s.Matched);
}

/// <summary>
/// The recording directory, the same for real Linux and the simulation:
/// <c>recording.json</c> (manifest), <c>trace.txt</c> (tracefs text, scoped to the recording),
/// <c>counters.txt</c> (SNMP deltas per host), <c>LINK.pcapng</c> per link (older recordings: <c>LINK.pcap</c>), <c>uname.txt</c>,
/// <c>scenario.sha256</c>, and <c>scenario.yaml</c> (the scenario itself, so a recording stands alone).
/// </summary>
public static class RecordingLayout
{
    public const string Manifest = "recording.json";
    public const string Trace = "trace.txt";
    public const string Counters = "counters.txt";
    public const string Uname = "uname.txt";
    public const string ScenarioHash = "scenario.sha256";
    public const string ScenarioCopy = "scenario.yaml";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The capture file a recording writes for a link (pcapng).</summary>
    public static string PcapFile(string link) => $"{link}.pcapng";

    /// <summary>A link's capture in a recording directory: <c>LINK.pcapng</c>, or the classic <c>LINK.pcap</c> of a recording made before pcapng.</summary>
    public static string CaptureFile(string dir, string link)
    {
        var pcapng = Path.Combine(dir, PcapFile(link));
        var classic = Path.Combine(dir, $"{link}.pcap");
        return File.Exists(pcapng) || !File.Exists(classic) ? pcapng : classic;
    }

    /// <summary>Writes a whole recording: manifest, trace, counter deltas, one pcapng per link, and the scenario it ran.</summary>
    public static void Write(string dir, ScenarioSpec scenario, RecordingManifest manifest, string trace, string counters,
        IReadOnlyDictionary<string, List<CapturedFrame>> frames)
    {
        Directory.CreateDirectory(dir);
        foreach (var stale in Directory.EnumerateFiles(dir, "*.pcap*"))
        {
            File.Delete(stale);
        }

        WriteManifest(dir, manifest);
        File.WriteAllText(Path.Combine(dir, Trace), trace);
        File.WriteAllText(Path.Combine(dir, Counters), counters);
        foreach (var (link, list) in frames)
        {
            Pcap.Write(Path.Combine(dir, PcapFile(link)), list, manifest.Captures.TryGetValue(link, out var end) ? end : link, link);
        }

        File.WriteAllText(Path.Combine(dir, Uname), manifest.Kernel + "\n");
        File.Copy(scenario.SourcePath, Path.Combine(dir, ScenarioCopy), overwrite: true);
        File.WriteAllText(Path.Combine(dir, ScenarioHash), $"{manifest.ScenarioSha256}  {Path.GetFileName(scenario.SourcePath)}\n");
    }

    public static void WriteManifest(string dir, RecordingManifest manifest)
        => File.WriteAllText(Path.Combine(dir, Manifest), JsonSerializer.Serialize(manifest, Json) + "\n");

    public static RecordingManifest ReadManifest(string dir)
    {
        var path = Path.Combine(dir, Manifest);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{dir}: not a recording (no {Manifest})");
        }

        return JsonSerializer.Deserialize<RecordingManifest>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: empty manifest");
    }
}
