using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using KernelNet.Scenarios.Oracle;
using KernelNet.Scenarios.Scenario;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>Re-records every scenario on this machine's kernel and checks the checked-in recording still holds.</summary>
public class LiveRecordingTests
{
    private static void SkipUnlessRecordingIsPossible()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "live recording needs Linux");
        Skip.IfNot(Environment.UserName == "root", "live recording needs root (network namespaces, tracefs); skipped");
        Skip.IfNot(File.Exists("/sys/kernel/tracing/trace"), "live recording needs tracefs mounted at /sys/kernel/tracing; skipped");
        Skip.IfNot(OnPath("ip"), "live recording needs iproute2's ip (namespaces, veth); skipped");
        Skip.IfNot(OnPath("nft"), "live recording needs nft (the scenarios' filter rules); skipped");
    }

    /// <summary>Whether an executable of that name is in a directory of PATH, as the recorder will run it.</summary>
    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>
    /// How many times a scenario is recorded before the test gives up. Real Linux on a shared
    /// machine is not deterministic: a loaded CPU runs a softirq or a task late, and a frame's
    /// gap or a pure ACK's existence moves with it. A kernel whose behaviour changed fails every
    /// attempt; a scheduling accident does not repeat itself three times.
    /// </summary>
    private const int Attempts = 3;

    [SkippableTheory]
    [MemberData(nameof(OracleFiles.ScenarioNames), MemberType = typeof(OracleFiles))]
    public void Re_recording_matches_the_checked_in_recording_at_the_required_levels(string name)
    {
        SkipUnlessRecordingIsPossible();
        var scenarioPath = Path.Combine(OracleFiles.Scenarios, name + ".yaml");
        var checkedIn = Normalizer.Load(Path.Combine(OracleFiles.Recordings, name));
        var levels = ScenarioLoader.Load(scenarioPath).Levels;
        var reports = new List<string>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var (passed, report) = RecordAndCompare(name, scenarioPath, checkedIn, levels, attempt);
            if (passed)
            {
                return;
            }

            reports.Add($"attempt {attempt} of {Attempts}:\n{report}");
        }

        Assert.Fail(string.Join("\n", reports));
    }

    /// <summary>Records the scenario once on this machine's kernel and compares it with the checked-in recording.</summary>
    private static (bool Passed, string Report) RecordAndCompare(string name, string scenarioPath, NormalizedRecording checkedIn, IReadOnlyCollection<ComparisonLevel> levels, int attempt)
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"kn-live-{name}-{Environment.ProcessId}-{attempt}");
        try
        {
            var log = new StringWriter();
            var rc = Recorder.Run(scenarioPath, outDir, CancellationToken.None, log);
            if (rc != Recorder.ExitOk)
            {
                return (false, $"record exited {rc}: {log}");
            }

            var report = Comparer.Compare(checkedIn, Normalizer.Load(outDir), levels);
            return (report.Passed, report.Render("checked-in", "live"));
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }
}
