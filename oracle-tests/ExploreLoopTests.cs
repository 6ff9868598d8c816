using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KernelNet.Scenarios.Explore;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using KernelNet.Scenarios.Sim;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>
/// The explore loop. Without root, with the simulation standing in for the real kernel (so the
/// loop's bookkeeping is tested anywhere); as root with tracefs, live on this machine's kernel:
/// both recordings made, a report, and nothing left behind, also when interrupted.
/// </summary>
public class ExploreLoopTests
{
    private static string Scratch(string what) => Path.Combine(Path.GetTempPath(), $"kn-explore-test-{what}-{Environment.ProcessId}");

    /// <summary>A "real kernel" that is the simulation, optionally with a change to what it wrote.</summary>
    private static RealRecorder SimulationAsLinux(ConcurrentBag<string> calls, Action<string, int>? tamper = null) => (path, outDir, _, _) =>
    {
        calls.Add(outDir);
        try
        {
            new ScenarioSimulator().Run(ScenarioLoader.Load(path), outDir);
        }
        catch (ScenarioException)
        {
            return Recorder.ExitEnvironment;
        }

        tamper?.Invoke(outDir, calls.Count);
        return Recorder.ExitOk;
    };

    private static ExploreOptions Options(string what, int seed, int count) => new()
    {
        Seed = seed,
        Count = count,
        OutDir = Scratch(what) + "-out",
        WorkDir = Scratch(what) + "-work",
        ShrinkBudget = 6,
    };

    [Fact]
    public void Against_itself_the_simulation_is_stable_and_matches_at_every_level()
    {
        var calls = new ConcurrentBag<string>();
        var o = Options("self", 21, 4);
        try
        {
            var report = new Explorer(o, new ScenarioSimulator(), SimulationAsLinux(calls), TextWriter.Null).Run(CancellationToken.None);
            var judged = report.Scenarios.Where(s => s.Failure is null).ToList();
            Assert.NotEmpty(judged);
            Assert.Equal(2 * judged.Count, calls.Count);
            Assert.All(judged, s => Assert.True(s.BothRecorded && s.StableEverywhere, s.Name));
            Assert.All(report.Rates(), r => Assert.Equal(r.Judged, r.Matched));
            Assert.DoesNotContain(report.Groups, g => !g.Key.StartsWith("simulation refused", StringComparison.Ordinal));
            Assert.False(Directory.Exists(o.WorkDir), "the scratch directory should be gone");
            Assert.Contains("stable on real Linux", report.Render(), StringComparison.Ordinal);
        }
        finally
        {
            Delete(o.OutDir!);
        }
    }

    [Fact]
    public void A_level_the_two_recordings_disagree_on_is_not_judged()
    {
        var calls = new ConcurrentBag<string>();
        var o = Options("unstable", 21, 3);
        try
        {
            var report = new Explorer(o, new ScenarioSimulator(),
                SimulationAsLinux(calls, (dir, n) => File.AppendAllText(Path.Combine(dir, RecordingLayout.Counters), $"a Ip:Made {n}\n")),
                TextWriter.Null).Run(CancellationToken.None);
            var judged = report.Scenarios.Where(s => s.Failure is null).ToList();
            Assert.NotEmpty(judged);
            Assert.All(judged, s => Assert.False(s.Levels.Single(l => l.Level == "counters").Stable));
            Assert.Equal(0, report.Rates().Single(r => r.Level == "counters").Judged);
            Assert.DoesNotContain(report.Groups, g => g.Key.StartsWith("counters", StringComparison.Ordinal));
        }
        finally
        {
            Delete(o.OutDir!);
        }
    }

    [Fact]
    public void A_stable_divergence_is_grouped_shrunk_and_written_with_its_recordings()
    {
        var calls = new ConcurrentBag<string>();
        // seed 22: its first scenario has steps to shrink away (seed 21's became a single inject when the generator learned conntrack)
        var o = Options("diverge", 22, 3);
        try
        {
            var report = new Explorer(o, new ScenarioSimulator(),
                SimulationAsLinux(calls, (dir, _) => File.AppendAllText(Path.Combine(dir, RecordingLayout.Counters), "a Ip:Made 1\n")),
                TextWriter.Null).Run(CancellationToken.None);
            var judged = report.Scenarios.Where(s => s.Failure is null).ToList();
            Assert.NotEmpty(judged);
            var group = Assert.Single(report.Groups, g => g.Key.StartsWith("counters", StringComparison.Ordinal));
            Assert.Equal("counters: a Ip:Made #  <>  (none)", group.Key);
            Assert.Equal(judged.Count, group.Members.Count);
            Assert.Equal(0, report.Rates().Single(r => r.Level == "counters").Matched);

            var written = Path.Combine(o.OutDir!, group.Members[0].Scenario + "-counters");
            foreach (var part in new[] { "scenario.yaml", "original.yaml", "divergence.txt", "linux-1/recording.json", "linux-2/recording.json", "simulation/recording.json" })
            {
                Assert.True(File.Exists(Path.Combine(written, part)), $"{part} missing in {written}");
            }

            var shrunk = ScenarioLoader.Load(Path.Combine(written, "scenario.yaml"));
            var original = ScenarioLoader.Load(Path.Combine(written, "original.yaml"));
            Assert.True(shrunk.Steps.Count < original.Steps.Count, $"shrunk {original.Steps.Count} -> {shrunk.Steps.Count} steps");
            Assert.True(File.Exists(Path.Combine(o.OutDir!, "report-seed-22.txt")));
        }
        finally
        {
            Delete(o.OutDir!);
        }
    }

    [Fact]
    public void Kept_recordings_are_judged_again_without_recording_and_give_the_same_verdicts()
    {
        var calls = new ConcurrentBag<string>();
        var keep = Scratch("keep") + "-kept";
        var o = Options("keep", 21, 3) with { KeepRecordings = keep, Shrink = false };
        try
        {
            var first = new Explorer(o, new ScenarioSimulator(),
                SimulationAsLinux(calls, (dir, _) => File.AppendAllText(Path.Combine(dir, RecordingLayout.Counters), "a Ip:Made 1\n")),
                TextWriter.Null).Run(CancellationToken.None);
            var recorded = calls.Count;
            Assert.True(recorded >= 2);
            Assert.All(first.Scenarios.Where(s => s.BothRecorded), s =>
                Assert.True(File.Exists(Path.Combine(keep, s.Name, "linux-2", "recording.json")), $"{s.Name} not kept"));

            RealRecorder never = (_, _, _, _) => throw new InvalidOperationException("rejudge must not record");
            var again = new Explorer(o with { KeepRecordings = null, RejudgeDir = keep }, new ScenarioSimulator(), never, TextWriter.Null)
                .Run(CancellationToken.None);
            Assert.Equal(recorded, calls.Count);
            Assert.Equal(first.Rates(), again.Rates());
            Assert.Equal(first.Groups.Select(g => g.Key).Order(StringComparer.Ordinal), again.Groups.Select(g => g.Key).Order(StringComparer.Ordinal));
            Assert.True(File.Exists(Path.Combine(o.OutDir!, "rejudged-seed-21.txt")));

            Directory.Delete(Path.Combine(keep, first.Scenarios[0].Name), recursive: true);
            var partial = new Explorer(o with { KeepRecordings = null, RejudgeDir = keep }, new ScenarioSimulator(), never, TextWriter.Null)
                .Run(CancellationToken.None);
            Assert.StartsWith("not recorded", partial.Scenarios[0].Failure, StringComparison.Ordinal);
        }
        finally
        {
            Delete(o.OutDir!);
            Delete(keep);
        }
    }

    private static void Delete(string dir)
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // ---- live, on this machine's kernel ----

    private static void SkipUnlessRecordingIsPossible()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "live explore needs Linux");
        Skip.IfNot(Recorder.CannotRecordReason() is null, $"live explore skipped: {Recorder.CannotRecordReason()}");
    }

    /// <summary>Namespaces, devices and tracefs instances named after <paramref name="pid"/> that still exist.</summary>
    private static string[] LeftBehind(int pid)
    {
        var namespaces = Directory.Exists("/run/netns")
            ? Directory.EnumerateFiles("/run/netns", $"kn-{pid}-*").Select(Path.GetFileName).OfType<string>()
            : [];
        var instances = Directory.Exists("/sys/kernel/tracing/instances")
            ? Directory.EnumerateDirectories("/sys/kernel/tracing/instances", $"kn-{pid}*").Select(Path.GetFileName).OfType<string>()
            : [];
        var links = Directory.EnumerateDirectories("/sys/class/net").Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith($"kn{pid}l", StringComparison.Ordinal));
        return [.. namespaces, .. instances, .. links];
    }

    [SkippableFact]
    public void Live_a_small_fixed_seed_batch_records_twice_reports_and_leaves_nothing_behind()
    {
        SkipUnlessRecordingIsPossible();
        var o = Options("live", 3, 3) with { Shrink = false };
        var progress = new StringWriter();
        try
        {
            var report = new Explorer(o, new ScenarioSimulator(), (p, d, c, l) => Recorder.Run(p, d, c, l), progress).Run(CancellationToken.None);
            Assert.False(report.Interrupted);
            Assert.Equal(3, report.Scenarios.Count);
            Assert.All(report.Scenarios, s => Assert.True(s.Failure is not null || s.BothRecorded, s.Name));
            var judged = report.Scenarios.Where(s => s.Failure is null).ToList();
            Assert.NotEmpty(judged);
            Assert.All(judged, s => Assert.Contains(s.Levels, l => l.Level == "counters"));
            Assert.Contains("level      judged", report.Render(), StringComparison.Ordinal);
            Assert.Equal(3, progress.ToString().Split('\n').Count(l => l.StartsWith('[')));
            Assert.Empty(LeftBehind(Environment.ProcessId));
            Assert.False(Directory.Exists(o.WorkDir));
        }
        finally
        {
            Delete(o.OutDir!);
        }
    }

    [SkippableFact]
    public void Live_an_interrupted_explore_leaves_no_namespace_veth_tracefs_instance_or_scratch_directory()
    {
        SkipUnlessRecordingIsPossible();
        var o = Options("interrupt", 3, 10);
        using var cts = new CancellationTokenSource();
        var progress = new StringWriter();
        var run = Task.Run(() => new Explorer(o, new ScenarioSimulator(), (p, d, c, l) => Recorder.Run(p, d, c, l), progress).Run(cts.Token));
        // wait until a recording is under way (its namespaces exist), then interrupt it
        var clock = Stopwatch.StartNew();
        while (LeftBehind(Environment.ProcessId).Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(60) && !run.IsCompleted)
        {
            Thread.Sleep(50);
        }

        Assert.NotEmpty(LeftBehind(Environment.ProcessId));
        cts.Cancel();
        Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "explore did not stop within 60 s of the interruption");
        try
        {
            Assert.True(run.Result.Interrupted);
            Assert.Empty(LeftBehind(Environment.ProcessId));
            Assert.False(Directory.Exists(o.WorkDir));
        }
        finally
        {
            Delete(o.OutDir!);
        }
    }

    [SkippableFact]
    public void Live_ctrl_c_to_the_explore_command_leaves_nothing_behind()
    {
        SkipUnlessRecordingIsPossible();
        var cli = FindCli();
        Skip.If(cli is null, "the kernelnet CLI is not built (tools/kernelnet/bin); skipped");
        var outDir = Scratch("sigint") + "-out";
        var psi = new ProcessStartInfo("dotnet", [cli!, "explore", "--seed", "3", "--count", "10", "--out", outDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var child = Process.Start(psi)!;
        try
        {
            var clock = Stopwatch.StartNew();
            while (LeftBehind(child.Id).Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(90) && !child.HasExited)
            {
                Thread.Sleep(50);
            }

            Assert.NotEmpty(LeftBehind(child.Id));
            using (var kill = Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
                Assert.Equal(0, kill.ExitCode);
            }

            Assert.True(child.WaitForExit(60_000), "explore did not exit within 60 s of SIGINT");
            Assert.Equal(Recorder.ExitInterrupted, child.ExitCode);
            Assert.Empty(LeftBehind(child.Id));
            Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), $"kernelnet-explore-{child.Id}")));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            Delete(outDir);
        }
    }

    private static string? FindCli()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "tools", "kernelnet", "bin");
            if (Directory.Exists(bin))
            {
                return Directory.EnumerateFiles(bin, "kernelnet.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            }
        }

        return null;
    }
}
