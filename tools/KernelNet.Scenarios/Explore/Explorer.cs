using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Explore;

/// <summary>Records a scenario file on the real kernel into a directory; returns the recorder's exit code.</summary>
public delegate int RealRecorder(string scenarioPath, string outDir, CancellationToken cancel, TextWriter log);

/// <summary>What <c>kernelnet explore</c> is asked to do.</summary>
public sealed record ExploreOptions
{
    public int Seed { get; init; }

    public int Count { get; init; } = 20;

    public int StartIndex { get; init; }

    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Only the simulation: no recording, nothing judged; reports what the simulation refused or where it failed.</summary>
    public bool SimulationOnly { get; init; }

    /// <summary>Shrink the first divergence of each group (costs one real recording per variant tried).</summary>
    public bool Shrink { get; init; } = true;

    /// <summary>At most this many variants are recorded while shrinking one divergence.</summary>
    public int ShrinkBudget { get; init; } = 12;

    /// <summary>Where divergent scenarios (shrunk) and their recordings are written: OUT/NAME/.</summary>
    public string? OutDir { get; init; }

    /// <summary>Scratch space for the recordings of one run; removed at the end, interrupted or not.</summary>
    public string WorkDir { get; init; } = Path.Combine(Path.GetTempPath(), $"kernelnet-explore-{Environment.ProcessId}");

    public ScenarioGenerator.Settings Generator { get; init; } = ScenarioGenerator.Settings.Default;

    /// <summary>
    /// Keep every scenario's two real recordings here (KEEP/NAME/{scenario.yaml,linux-1,linux-2}),
    /// also of scenarios the simulation refuses: the real kernel's side does not change with the
    /// port, so a later <see cref="RejudgeDir"/> run judges a new simulation against them.
    /// </summary>
    public string? KeepRecordings { get; init; }

    /// <summary>
    /// Judge the recordings kept by an earlier run (<see cref="KeepRecordings"/>) against the
    /// simulation as it is now, instead of generating and recording: nothing is recorded, nothing shrunk.
    /// </summary>
    public string? RejudgeDir { get; init; }
}

/// <summary>What happened to one generated scenario.</summary>
public sealed record ScenarioOutcome(string Name, string Summary, int Steps, IReadOnlyList<LevelVerdict> Levels, string? Failure, bool BothRecorded)
{
    public bool StableEverywhere => Failure is null && Levels.Count > 0 && Levels.All(l => l.Stable);
}

/// <summary>A divergence group: the scenarios (and levels) whose first differing line normalizes to the same key.</summary>
public sealed class DivergenceGroup(string key)
{
    public string Key { get; } = key;

    public List<(string Scenario, string Level, string Linux, string Simulation)> Members { get; } = [];

    /// <summary>Where the group's shrunk representative was written, with its step counts before and after.</summary>
    public string? Written { get; set; }
}

/// <summary>The result of one explore run.</summary>
public sealed record ExploreReport(ExploreOptions Options, IReadOnlyList<ScenarioOutcome> Scenarios, IReadOnlyList<DivergenceGroup> Groups, TimeSpan Elapsed, bool Interrupted)
{
    /// <summary>Per level: scenarios judged (stable on Linux), matched, and not judged because the two recordings differed.</summary>
    public IReadOnlyList<(string Level, int Judged, int Matched, int Unstable)> Rates()
    {
        var levels = Scenarios.SelectMany(s => s.Levels.Select(l => l.Level)).Distinct().ToList();
        return levels.Select(level =>
        {
            var verdicts = Scenarios.SelectMany(s => s.Levels.Where(l => l.Level == level)).ToList();
            return (level, verdicts.Count(v => v.Stable), verdicts.Count(v => v.Stable && v.Match), verdicts.Count(v => !v.Stable));
        }).ToList();
    }

    public string Render()
    {
        var sw = new StringWriter { NewLine = "\n" };
        var o = Options;
        sw.WriteLine($"explore: seed {o.Seed}, scenarios {o.StartIndex}..{o.StartIndex + Scenarios.Count - 1} ({Scenarios.Count} run{(Interrupted ? ", interrupted" : "")}), {Elapsed.TotalSeconds:F0} s{(o.SimulationOnly ? ", simulation only" : ", each recorded twice on Linux")}");
        var failed = Scenarios.Where(s => s.Failure is not null).ToList();
        if (!o.SimulationOnly)
        {
            var judged = Scenarios.Count(s => s.Failure is null);
            sw.WriteLine($"stable on real Linux (the two recordings agree at every level): {Scenarios.Count(s => s.StableEverywhere)} of {judged}");
            sw.WriteLine();
            sw.WriteLine("level      judged  match    rate  unstable");
            foreach (var (level, j, m, u) in Rates())
            {
                var rate = j == 0 ? "-" : (100.0 * m / j).ToString("F0", CultureInfo.InvariantCulture) + "%";
                sw.WriteLine($"{level,-9} {j,7} {m,6} {rate,7} {u,9}");
            }

            var all = Scenarios.Where(s => s.Failure is null).ToList();
            var clean = all.Count(s => s.Levels.All(l => !l.Diverges));
            sw.WriteLine($"scenarios with no divergence at any stable level: {clean} of {all.Count}");
        }

        if (failed.Count > 0)
        {
            sw.WriteLine($"not judged: {failed.Count} ({string.Join("; ", failed.GroupBy(f => f.Failure!.Split(':')[0]).Select(g => $"{g.Count()} {g.Key}"))})");
        }

        sw.WriteLine();
        sw.WriteLine($"divergence groups (first differing line, linux <> simulation; '#' stands for a number): {Groups.Count}");
        var n = 0;
        foreach (var g in Groups.OrderByDescending(g => g.Members.Select(m => m.Scenario).Distinct().Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var scenarios = g.Members.Select(m => m.Scenario).Distinct().ToList();
            sw.WriteLine($"{++n,3}. [{scenarios.Count} scenario{(scenarios.Count == 1 ? "" : "s")}] {g.Key}");
            sw.WriteLine($"       in: {string.Join(", ", scenarios.Take(12))}{(scenarios.Count > 12 ? ", ..." : "")}");
            var first = g.Members[0];
            if (first.Level != "failure")
            {
                sw.WriteLine($"       linux:      {Cut(first.Linux)}");
                sw.WriteLine($"       simulation: {Cut(first.Simulation)}");
            }

            if (g.Written is not null)
            {
                sw.WriteLine($"       written: {g.Written}");
            }
        }

        return sw.ToString();
    }

    private static string Cut(string s) => s.Length > 300 ? s[..300] + "..." : s;
}

/// <summary>
/// The explore loop: generate a scenario from the seed, record it twice on the real kernel
/// (a level the two recordings disagree on is not judged), simulate it, compare; shrink the
/// first divergence of each group and write it with its recordings. Bounded in count and
/// time; cancellation (Ctrl-C) stops at once and leaves nothing behind: the recorder removes
/// its namespaces and tracefs instance, and the scratch directory is deleted.
/// </summary>
public sealed class Explorer(ExploreOptions options, IScenarioSimulator simulator, RealRecorder recorder, TextWriter progress)
{
    private const int SimulationLimitSeconds = 300;

    /// <summary>Kept instead of the recordings when the real kernel could not record a scenario.</summary>
    private const string RecordFailedFile = "record-failed.txt";

    private readonly Dictionary<string, DivergenceGroup> _groups = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = new();

    public ExploreReport Run(CancellationToken cancel)
    {
        _clock.Start();
        var outcomes = new List<ScenarioOutcome>();
        var interrupted = false;
        Directory.CreateDirectory(options.WorkDir);
        try
        {
            for (var i = options.StartIndex; i < options.StartIndex + options.Count; i++)
            {
                if (cancel.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }

                if (OutOfTime())
                {
                    progress.WriteLine($"explore: time limit reached after {outcomes.Count} scenarios");
                    break;
                }

                var started = _clock.Elapsed;
                var g = ScenarioGenerator.Generate(options.Seed, i, options.Generator);
                var outcome = options.RejudgeDir is { } kept ? Rejudge(g, Path.Combine(kept, g.Name)) : RunOne(g, cancel);
                if (outcome is null)
                {
                    interrupted = true;
                    break;
                }

                outcomes.Add(outcome);
                progress.WriteLine($"[{outcomes.Count,3}/{options.Count}] {g.Name} ({outcome.Summary}, {outcome.Steps} steps) {Verdicts(outcome)} ({(_clock.Elapsed - started).TotalSeconds:F1} s)");
            }
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
        }
        finally
        {
            TryDelete(options.WorkDir);
        }

        var report = new ExploreReport(options, outcomes, _groups.Values.ToList(), _clock.Elapsed, interrupted);
        if (options.OutDir is { } outDir && outcomes.Count > 0)
        {
            Directory.CreateDirectory(outDir);
            var kind = options.RejudgeDir is null ? "report" : "rejudged";
            File.WriteAllText(Path.Combine(outDir, options.StartIndex == 0 ? $"{kind}-seed-{options.Seed}.txt" : $"{kind}-seed-{options.Seed}-from-{options.StartIndex}.txt"), report.Render());
        }

        return report;
    }

    private bool OutOfTime() => options.TimeLimit is { } limit && _clock.Elapsed >= limit;

    private static string Verdicts(ScenarioOutcome o) =>
        o.Failure is { } f ? $"NOT JUDGED: {f}" : string.Join(' ', o.Levels.Select(l => $"{l.Level}={(l.Stable ? (l.Match ? "match" : "DIFFER") : "unstable")}"));

    /// <summary>One generated scenario through the loop; null when interrupted.</summary>
    private ScenarioOutcome? RunOne(GeneratedScenario g, CancellationToken cancel)
    {
        var dir = Path.Combine(options.WorkDir, g.Name);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "scenario.yaml");
        File.WriteAllText(path, g.Yaml);
        var summary = g.Summary;
        try
        {
            ScenarioSpec spec;
            try
            {
                spec = ScenarioLoader.Load(path);
            }
            catch (ScenarioException e)
            {
                return Failed(g, summary, "invalid", $"generated scenario does not load: {e.Message}");
            }

            // the simulation first: what it refuses is not worth two recordings
            var (sim, failure) = Simulate(spec, Path.Combine(dir, "simulation"));
            if (failure is not null && options.KeepRecordings is null)
            {
                return Failed(g, summary, failure.Value.What, failure.Value.Message);
            }

            if (options.SimulationOnly)
            {
                return new ScenarioOutcome(g.Name, summary, spec.Steps.Count, [], null, false);
            }

            var linux1 = Path.Combine(dir, "linux-1");
            var linux2 = Path.Combine(dir, "linux-2");
            foreach (var target in new[] { linux1, linux2 })
            {
                var (rc, log) = Record(path, target, cancel);
                if (rc == Recorder.ExitInterrupted || cancel.IsCancellationRequested)
                {
                    return null;
                }

                if (rc is not (Recorder.ExitOk or Recorder.ExitStepMismatch))
                {
                    var message = $"recorder exit {rc}: {LastLine(log)}";
                    if (KeptDir(g, path) is { } keptFailed)
                    {
                        // rejudging reports the same failure instead of "not recorded"
                        File.WriteAllText(Path.Combine(keptFailed, RecordFailedFile), message + "\n");
                    }

                    return Failed(g, summary, "record failed", message);
                }
            }

            if (KeptDir(g, path) is { } kept)
            {
                CopyDirectory(linux1, Path.Combine(kept, "linux-1"));
                CopyDirectory(linux2, Path.Combine(kept, "linux-2"));
            }

            if (failure is { } f)
            {
                return Failed(g, summary, f.What, f.Message);
            }

            var verdicts = ExploreJudge.Judge(ExploreJudge.Compare(linux1, linux2), ExploreJudge.Compare(linux1, sim!));
            var outcome = new ScenarioOutcome(g.Name, summary, spec.Steps.Count, verdicts, null, true);
            foreach (var v in verdicts.Where(v => v.Diverges))
            {
                var isNew = !_groups.ContainsKey(v.Group!);
                var group = GroupOf(v.Group!);
                group.Members.Add((g.Name, v.Level, v.Left, v.Right));
                if (isNew && options.OutDir is not null)
                {
                    group.Written = Keep(g, spec, dir, v, cancel);
                }
            }

            return outcome;
        }
        finally
        {
            TryDelete(dir);
        }
    }

    /// <summary>With --keep-recordings: KEEP/NAME made afresh, holding the scenario file; else null.</summary>
    private string? KeptDir(GeneratedScenario g, string scenarioPath)
    {
        if (options.KeepRecordings is not { } keep)
        {
            return null;
        }

        var kept = Path.Combine(keep, g.Name);
        TryDelete(kept);
        Directory.CreateDirectory(kept);
        File.Copy(scenarioPath, Path.Combine(kept, "scenario.yaml"));
        return kept;
    }

    /// <summary>
    /// One kept scenario judged again: the simulation as it is now against the two recordings
    /// an earlier run kept. The kept scenario file is the one simulated (it is what was recorded),
    /// even if the generator has changed since.
    /// </summary>
    private ScenarioOutcome Rejudge(GeneratedScenario g, string kept)
    {
        var keptYaml = Path.Combine(kept, "scenario.yaml");
        if (File.Exists(Path.Combine(kept, RecordFailedFile)))
        {
            return Failed(g, g.Summary, "record failed", File.ReadAllText(Path.Combine(kept, RecordFailedFile)).TrimEnd());
        }

        if (!File.Exists(keptYaml) || !Directory.Exists(Path.Combine(kept, "linux-1")) || !Directory.Exists(Path.Combine(kept, "linux-2")))
        {
            return Failed(g, g.Summary, "not recorded", "no kept recordings for this scenario");
        }

        var dir = Path.Combine(options.WorkDir, g.Name);
        try
        {
            ScenarioSpec spec;
            try
            {
                spec = ScenarioLoader.Load(keptYaml);
            }
            catch (ScenarioException e)
            {
                return Failed(g, g.Summary, "invalid", $"generated scenario does not load: {e.Message}");
            }

            var (sim, failure) = Simulate(spec, Path.Combine(dir, "simulation"));
            if (failure is { } f)
            {
                return Failed(g, g.Summary, f.What, f.Message);
            }

            var linux1 = Path.Combine(kept, "linux-1");
            var verdicts = ExploreJudge.Judge(ExploreJudge.Compare(linux1, Path.Combine(kept, "linux-2")), ExploreJudge.Compare(linux1, sim!));
            foreach (var v in verdicts.Where(v => v.Diverges))
            {
                GroupOf(v.Group!).Members.Add((g.Name, v.Level, v.Left, v.Right));
            }

            return new ScenarioOutcome(g.Name, g.Summary, spec.Steps.Count, verdicts, null, true);
        }
        finally
        {
            TryDelete(dir);
        }
    }

    private DivergenceGroup GroupOf(string key)
    {
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new DivergenceGroup(key);
            _groups[key] = group;
        }

        return group;
    }

    private ScenarioOutcome Failed(GeneratedScenario g, string summary, string what, string message)
    {
        var key = ExploreJudge.FailureKey(what, message);
        GroupOf(key).Members.Add((g.Name, "failure", message, ""));
        return new ScenarioOutcome(g.Name, summary, g.Spec.Steps.Count, [], $"{what}: {message}", false);
    }

    private (int Rc, string Log) Record(string scenarioPath, string outDir, CancellationToken cancel)
    {
        var log = new StringWriter();
        var rc = recorder(scenarioPath, outDir, cancel, log);
        return (rc, log.ToString());
    }

    private static string LastLine(string log) => log.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "(no message)";

    /// <summary>Runs the simulation on its own thread, bounded; (dir, null) or (null, what failed).</summary>
    private (string? Dir, (string What, string Message)? Failure) Simulate(ScenarioSpec spec, string outDir)
    {
        try
        {
            var task = Task.Run(() => simulator.Run(spec, outDir));
            if (!task.Wait(TimeSpan.FromSeconds(SimulationLimitSeconds)))
            {
                return (null, ("simulation did not finish", $"still running after {SimulationLimitSeconds} s"));
            }

            return (task.Result.RecordingDir, null);
        }
        catch (AggregateException ae) when (ae.InnerException is ScenarioException se)
        {
            return (null, ("simulation refused", se.Message.Split(": ", 2) is [_, var why] ? why : se.Message));
        }
        catch (AggregateException ae) when (ae.InnerException is { } e)
        {
            return (null, ("simulation failed", $"{e.GetType().Name}: {e.Message} at {ExploreJudge.PortFrame(e)}"));
        }
    }

    /// <summary>
    /// Shrinks a divergence (same level, same group) and writes it to OUT/NAME: the scenario,
    /// the original, both Linux recordings and the simulated run, and what differs. Returns the
    /// line the report shows.
    /// </summary>
    private string Keep(GeneratedScenario g, ScenarioSpec spec, string dir, LevelVerdict divergence, CancellationToken cancel)
    {
        var best = spec;
        var bestDir = dir;
        var tried = 0;
        var shrinkRoot = Path.Combine(options.WorkDir, g.Name + ".shrink");
        // the order level is informative: its divergences are kept as generated, not shrunk
        if (options.Shrink && divergence.Level != "order")
        {
            var progressMade = true;
            while (progressMade && tried < options.ShrinkBudget && !OutOfTime() && !cancel.IsCancellationRequested)
            {
                progressMade = false;
                foreach (var candidate in Shrinker.Candidates(best))
                {
                    if (tried >= options.ShrinkBudget || OutOfTime() || cancel.IsCancellationRequested)
                    {
                        break;
                    }

                    var cdir = Path.Combine(shrinkRoot, $"v{tried}");
                    var loaded = WriteAndLoad(candidate, cdir);
                    if (loaded is null)
                    {
                        continue;
                    }

                    tried++;
                    if (StillDiverges(loaded, cdir, Path.Combine(cdir, "linux-1"), divergence, cancel))
                    {
                        // the second recording: the level must be stable on Linux for the smaller scenario too
                        var (rc, _) = Record(loaded.SourcePath, Path.Combine(cdir, "linux-2"), cancel);
                        if (rc is Recorder.ExitOk or Recorder.ExitStepMismatch
                            && ExploreJudge.Compare(Path.Combine(cdir, "linux-1"), Path.Combine(cdir, "linux-2")).FirstOrDefault(l => l.Level == divergence.Level)?.Match == true)
                        {
                            best = loaded;
                            bestDir = cdir;
                            progressMade = true;
                            break;
                        }
                    }
                }
            }
        }

        var target = Path.Combine(options.OutDir!, $"{g.Name}-{divergence.Level}");
        TryDelete(target);
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(bestDir, "scenario.yaml"), Path.Combine(target, "scenario.yaml"));
        if (!ReferenceEquals(best, spec))
        {
            File.WriteAllText(Path.Combine(target, "original.yaml"), g.Yaml);
        }

        foreach (var sub in new[] { "linux-1", "linux-2", "simulation" })
        {
            CopyDirectory(Path.Combine(bestDir, sub), Path.Combine(target, sub));
        }

        var after = ExploreJudge.Compare(Path.Combine(bestDir, "linux-1"), Path.Combine(bestDir, "simulation")).FirstOrDefault(l => l.Level == divergence.Level);
        File.WriteAllText(Path.Combine(target, "divergence.txt"),
            $"level: {divergence.Level}\ngroup: {divergence.Group}\nleft = linux-1, right = simulation\n{after?.Differences ?? ""}");
        TryDelete(shrinkRoot);
        return $"{target} ({spec.Steps.Count} -> {best.Steps.Count} steps, {tried} variants recorded)";
    }

    private static ScenarioSpec? WriteAndLoad(ScenarioSpec candidate, string dir)
    {
        string yaml;
        try
        {
            yaml = ScenarioWriter.Write(candidate);
        }
        catch (NotSupportedException)
        {
            return null;
        }

        try
        {
            var spec = ScenarioLoader.Parse(yaml, Path.Combine(dir, "scenario.yaml"));
            Directory.CreateDirectory(dir);
            File.WriteAllText(spec.SourcePath, yaml);
            return spec;
        }
        catch (ScenarioException)
        {
            return null;
        }
    }

    private bool StillDiverges(ScenarioSpec candidate, string dir, string linux, LevelVerdict divergence, CancellationToken cancel)
    {
        var (rc, _) = Record(candidate.SourcePath, linux, cancel);
        if (rc is not (Recorder.ExitOk or Recorder.ExitStepMismatch))
        {
            return false;
        }

        var (sim, failure) = Simulate(candidate, Path.Combine(dir, "simulation"));
        if (failure is not null)
        {
            return false;
        }

        var level = ExploreJudge.Compare(linux, sim!).FirstOrDefault(l => l.Level == divergence.Level);
        return level is { Match: false } && ExploreJudge.GroupKey(level) == divergence.Group;
    }

    private static void CopyDirectory(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // scratch space: a file still open elsewhere is left for the OS to clean
        }
        catch (UnauthorizedAccessException)
        {
            // as above
        }
    }
}
