using System;
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

    [SkippableTheory]
    [MemberData(nameof(OracleFiles.ScenarioNames), MemberType = typeof(OracleFiles))]
    public void Re_recording_matches_the_checked_in_recording_at_the_required_levels(string name)
    {
        SkipUnlessRecordingIsPossible();
        var scenarioPath = Path.Combine(OracleFiles.Scenarios, name + ".yaml");
        var outDir = Path.Combine(Path.GetTempPath(), $"kn-live-{name}-{Environment.ProcessId}");
        try
        {
            var log = new StringWriter();
            var rc = Recorder.Run(scenarioPath, outDir, CancellationToken.None, log);
            Assert.True(rc == Recorder.ExitOk, $"record exited {rc}: {log}");
            var report = Comparer.Compare(
                Normalizer.Load(Path.Combine(OracleFiles.Recordings, name)),
                Normalizer.Load(outDir),
                ScenarioLoader.Load(scenarioPath).Levels);
            Assert.True(report.Passed, report.Render("checked-in", "live"));
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
