using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// <c>kernelnet record</c>: runs a scenario on the real kernel in fresh network namespaces and writes a
/// recording directory (<see cref="RecordingLayout"/>). Everything it creates (namespaces with their
/// links, the tracefs instance) is removed on success, failure, SIGINT and SIGTERM.
/// </summary>
public static class Recorder
{
    public const int ExitOk = 0;
    public const int ExitStepMismatch = 1;
    public const int ExitBadScenario = 2;
    public const int ExitEnvironment = 3;
    public const int ExitFailure = 4;
    public const int ExitInterrupted = 130;

    /// <summary>Records <paramref name="scenarioPath"/> into <paramref name="outDir"/> (default ./NAME.recording); returns the exit code.</summary>
    public static int Run(string scenarioPath, string? outDir, CancellationToken cancel, TextWriter? log = null) =>
        Run(scenarioPath, outDir, cancel, log ?? Console.Error, RealRecorderSystem.Instance, System.Environment.ProcessId);

    /// <summary>
    /// <see cref="Run(string, string?, CancellationToken, TextWriter?)"/> on <paramref name="sys"/>, as recorder <paramref name="pid"/>.
    /// Whatever fails (a program, tracefs, entering a namespace, an interrupt), everything the
    /// recording created is removed and the failure is one line.
    /// </summary>
    internal static int Run(string scenarioPath, string? outDir, CancellationToken cancel, TextWriter log, IRecorderSystem sys, int pid)
    {
        scenarioPath = Path.GetFullPath(scenarioPath);
        ScenarioSpec scenario;
        try
        {
            scenario = ScenarioLoader.Load(scenarioPath);
        }
        catch (ScenarioException e)
        {
            log.WriteLine(e.Message);
            return ExitBadScenario;
        }

        if (sys.CannotRecordReason() is { } refusal)
        {
            log.WriteLine($"kernelnet record: {refusal}");
            return ExitEnvironment;
        }

        if (scenario.Links.FirstOrDefault(l => l.Kind == LinkKind.Cable) is { } cable)
        {
            log.WriteLine($"kernelnet record: link '{cable.Name}' is a cable (two igb-like NICs): simulation only, real Linux here has no such hardware");
            return ExitEnvironment;
        }

        if (scenario.Links.FirstOrDefault(l => l.Kind == LinkKind.Virtio) is { } virtio)
        {
            log.WriteLine($"kernelnet record: link '{virtio.Name}' is a virtio cable (two virtio-net devices): simulation only, this machine has one virtio NIC and it is not for recordings");
            return ExitEnvironment;
        }

        outDir ??= Path.Combine(Directory.GetCurrentDirectory(), scenario.Name + ".recording");
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupt(c, interrupted));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupt(c, interrupted));
        try
        {
            RemoveStale(sys, log);
            using var session = new RecordingSession(scenario, pid, log, sys);
            var manifest = session.Record(outDir, interrupted.Token);
            foreach (var s in manifest.Steps.Where(s => !s.Matched))
            {
                log.WriteLine($"{scenarioPath}:{s.Line}: {s.Verb} expected {s.Expected}, got {s.Outcome}");
            }

            return manifest.StepsMatched ? ExitOk : ExitStepMismatch;
        }
        catch (OperationCanceledException)
        {
            log.WriteLine("kernelnet record: interrupted; everything it created has been removed");
            return ExitInterrupted;
        }
        catch (Exception e) when (e is RecorderException or IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"kernelnet record: {OneLine(e.Message)}");
            return interrupted.IsCancellationRequested ? ExitInterrupted : ExitFailure;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource cts)
    {
        context.Cancel = true;
        cts.Cancel();
    }

    /// <summary>
    /// <c>kernelnet record --cleanup</c>: removes the namespaces and tracefs instances of recorders
    /// that were killed outright (SIGKILL gives no chance to clean up); every record does the same
    /// before it starts. Returns the exit code.
    /// </summary>
    public static int Cleanup(TextWriter? log = null) => Cleanup(log ?? Console.Error, RealRecorderSystem.Instance);

    /// <summary><see cref="Cleanup(TextWriter?)"/> on <paramref name="sys"/>.</summary>
    internal static int Cleanup(TextWriter log, IRecorderSystem sys)
    {
        if (sys.CannotRecordReason() is { } refusal)
        {
            log.WriteLine($"kernelnet record: {refusal}");
            return ExitEnvironment;
        }

        try
        {
            if (RemoveStale(sys, log) == 0)
            {
                log.WriteLine("kernelnet record: nothing left by dead recorders");
            }
        }
        catch (Exception e) when (e is RecorderException or IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"kernelnet record: {OneLine(e.Message)}");
            return ExitFailure;
        }

        return ExitOk;
    }

    /// <summary>Why this machine cannot record (no root, no tracefs, no iproute2), or null when it can.</summary>
    public static string? CannotRecordReason() => RealRecorderSystem.Instance.CannotRecordReason();

    /// <summary>Why this machine cannot record, or null when it can.</summary>
    internal static string? Refusal()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux (network namespaces, tracefs)";
        }

        if (Libc.geteuid() != 0)
        {
            return "needs root (network namespaces, tracefs); run it with sudo";
        }

        if (!TraceInstance.EnsureMounted())
        {
            return $"needs tracefs at {TraceInstance.TracefsRoot} (mount -t tracefs nodev {TraceInstance.TracefsRoot})";
        }

        return File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip")
            ? null
            : "needs iproute2 ('ip')";
    }

    /// <summary>Removes namespaces and instances left by recorder processes that were killed outright; returns how many.</summary>
    private static int RemoveStale(IRecorderSystem sys, TextWriter log)
    {
        var removed = 0;
        foreach (var ns in Netns.Stale(sys))
        {
            log.WriteLine($"kernelnet record: removing namespace {ns} left by a dead recorder");
            Netns.Delete(sys, ns);
            removed++;
        }

        foreach (var instance in TraceInstance.StaleInstances(sys))
        {
            log.WriteLine($"kernelnet record: removing tracefs instance {instance} left by a dead recorder");
            TraceInstance.Remove(sys, instance);
            removed++;
        }

        return removed;
    }

    internal static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
