using System;
using System.Diagnostics;
using System.IO;
using KernelNet.Scenarios.Oracle;
using Xunit;

namespace KernelNet.OracleTests;

/// <summary>
/// `kernelnet record --cleanup`: what a recorder killed outright left behind (its namespaces and
/// its tracefs instance, which keeps tracing host-wide) is removed; what a live recorder owns is not.
/// </summary>
public sealed class RecorderCleanupTests
{
    /// <summary>Above the kernel's largest pid_max (2^22): no process ever has it, so its recorder is dead.</summary>
    private const int DeadPid = 4_194_305;

    [Fact]
    public void cleanup_removes_the_namespace_and_trace_instance_of_a_dead_recorder_and_keeps_a_live_ones()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "recorder cleanup needs Linux");
        Skip.IfNot(Recorder.CannotRecordReason() is null, $"recorder cleanup skipped: {Recorder.CannotRecordReason()}");

        var deadNs = $"kn-{DeadPid}-a";
        var deadInstance = $"{TraceInstance.TracefsRoot}/instances/kn-{DeadPid}";
        var liveNs = $"kn-{Environment.ProcessId}-cleanup-test";
        try
        {
            Ip("netns", "add", deadNs);
            Ip("netns", "add", liveNs);
            Directory.CreateDirectory(deadInstance);
            using var log = new StringWriter();

            var code = Recorder.Cleanup(log);

            Assert.Equal(Recorder.ExitOk, code);
            Assert.False(File.Exists($"/run/netns/{deadNs}"));
            Assert.False(Directory.Exists(deadInstance));
            Assert.True(File.Exists($"/run/netns/{liveNs}"));
            Assert.Contains($"removing namespace {deadNs}", log.ToString(), StringComparison.Ordinal);
            Assert.Contains($"removing tracefs instance kn-{DeadPid}", log.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Ip("netns", "delete", deadNs);
            Ip("netns", "delete", liveNs);
            if (Directory.Exists(deadInstance))
            {
                Directory.Delete(deadInstance);
            }
        }
    }

    private static void Ip(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("ip", args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit();
    }
}
