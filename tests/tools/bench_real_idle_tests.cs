using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>
/// bench/real/run.sh --idle N: the real kernel's side of the idle-connections
/// benchmark. A bad count is refused with one line before anything is set up;
/// as root, a small open runs end to end and leaves no namespace behind.
/// </summary>
public sealed class bench_real_idle_tests
{
    [SkippableTheory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("1000001")]
    public void run_sh_refuses_an_idle_count_outside_1_to_a_million_with_one_line(string count)
    {
        var script = Script();
        Skip.If(script is null, "bench/real/run.sh is not in this checkout; skipped");

        var (exit, stdout, stderr) = Run("bash", script!, "--idle", count);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal("run.sh: --idle must be 1..1000000", stderr.TrimEnd('\n'));
    }

    [SkippableFact]
    public void run_sh_opens_the_idle_connections_it_was_asked_for_and_removes_its_namespaces()
    {
        var script = Script();
        Skip.If(script is null, "bench/real/run.sh is not in this checkout; skipped");
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "needs root on Linux (two network namespaces and a veth pair); skipped");
        Skip.IfNot(OnPath("ip") && OnPath("gcc") && OnPath("taskset") && Environment.ProcessorCount >= 2, "needs ip, gcc, taskset and two CPUs; skipped");

        var (exit, stdout, stderr) = Run("bash", script!, "--idle", "300", "--tsv");

        Assert.True(exit == 0, $"run.sh --idle 300 failed ({exit}): {stderr}");
        var tsv = stdout.Split('\n').Select(l => l.Split('\t')).Single(f => f[0] == "real");
        Assert.Equal(["real", "1", "idle_open", "300"], tsv[..4]);
        Assert.True(double.Parse(tsv[4], CultureInfo.InvariantCulture) > 0, "the open took no time");
        Assert.True(double.Parse(tsv[7], CultureInfo.InvariantCulture) > 0, "the kernel's slab did not grow");
        Assert.Contains("300 idle connections open in", stdout, StringComparison.Ordinal);
        var ns = stdout.Split(' ', '\n').First(w => w.StartsWith("kn-bench-a-", StringComparison.Ordinal));
        var (_, netns, _) = Run("ip", "netns", "list");
        Assert.DoesNotContain(ns, netns, StringComparison.Ordinal);
        Assert.DoesNotContain(ns.Replace("-a-", "-b-", StringComparison.Ordinal), netns, StringComparison.Ordinal);
    }

    private static string? Script() =>
        Repository.TryFindRoot() is { } root && File.Exists(Path.Combine(root, "bench", "real", "run.sh")) ? Path.Combine(root, "bench", "real", "run.sh") : null;

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    private static (int Exit, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran over 120 s");
        }

        return (p.ExitCode, output, err.Result);
    }
}
