using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelNet.Packetdrill.Run;
using Xunit;
using Xunit.Abstractions;

namespace KernelNet.Tests.Packetdrill;

/// <summary>
/// The kernel's own packetdrill selftests run on the simulated kernel, tier by
/// tier (tiers.tsv). A script not in <see cref="KnownFailures"/> must pass; a
/// listed script must still fail — when it starts to pass the test fails, so
/// that the table is kept honest and the script joins the passing ones.
/// </summary>
public sealed class SelftestRunTests
{
    private const string ScriptsDirectory = "/work/shared/packetdrill/kernel-selftests";

    private readonly ITestOutputHelper _output;

    public SelftestRunTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>What a listed script's failure is expected to mention, and why it fails today.</summary>
    public sealed record KnownFailure(string Mentions, string Reason);

    /// <summary>Scripts that fail today, each with its one-line reason (the first failing line, as the runner reports it).</summary>
    public static IReadOnlyDictionary<string, KnownFailure> KnownFailures { get; } = new Dictionary<string, KnownFailure>(StringComparer.Ordinal)
    {
    };

    public static IEnumerable<object[]> Tiers()
    {
        var tsv = Path.Combine(ScriptsDirectory, "tiers.tsv");
        if (!File.Exists(tsv))
        {
            return new[] { new object[] { "-", "(absent)" } };
        }

        return File.ReadAllLines(tsv).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new object[] { f[0], f[1] });
    }

    [SkippableTheory]
    [MemberData(nameof(Tiers))]
    public void selftest_script_passes_or_fails_for_its_listed_reason(string tier, string name)
    {
        Skip.If(!Directory.Exists(ScriptsDirectory), $"{ScriptsDirectory} is absent: the kernel selftests live outside the repository");
        var path = Path.Combine(ScriptsDirectory, name);

        var result = PacketdrillRunner.RunFile(path);

        _output.WriteLine($"tier {tier}: {result}");
        if (KnownFailures.TryGetValue(name, out var known))
        {
            _output.WriteLine($"known failure: {known.Reason}");
            Assert.False(result.Passed, $"{name} passes now: remove it from SelftestRunTests.KnownFailures (was: {known.Reason})");
            Assert.True(
                result.Detail.Contains(known.Mentions, StringComparison.Ordinal),
                $"{name} fails elsewhere now (no longer at \"{known.Mentions}\"): update its reason in SelftestRunTests.KnownFailures\n{result}");

            return;
        }

        Assert.True(result.Passed, result.ToString());
    }

    [SkippableFact]
    public void Every_listed_script_is_in_tiers_tsv()
    {
        var tsv = Path.Combine(ScriptsDirectory, "tiers.tsv");
        Skip.If(!File.Exists(tsv), $"{tsv} is absent");
        var names = File.ReadAllLines(tsv).Skip(1).Select(l => l.Split('\t')[1]).ToHashSet(StringComparer.Ordinal);

        Assert.All(KnownFailures.Keys, k => Assert.Contains(k, names));
    }

    [SkippableFact]
    public void Two_runs_of_a_script_report_the_same()
    {
        var path = Path.Combine(ScriptsDirectory, "tcp_close_close-remote-fin-then-close.pkt");
        Skip.If(!File.Exists(path), $"{path} is absent");

        Assert.Equal(PacketdrillRunner.RunFile(path), PacketdrillRunner.RunFile(path));
    }
}
