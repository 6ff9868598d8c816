using System;
using System.IO;
using System.Linq;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>The CLI's contract: bad input gets one line and a non-zero exit; --help works everywhere.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Fact]
    public void run_without_arguments_prints_the_default_scenario()
    {
        var (code, output, _) = Run("run");

        Assert.Equal(0, code);
        Assert.StartsWith("# kernelnet run udp-echo", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("run", "--no-such-option")]
    [InlineData("run", "no-such-demo")]
    [InlineData("run", "/no/such/scenario.yaml")]
    [InlineData("diff", "/no/such/recording")]
    [InlineData("run", "--events", "bogus:*")]
    [InlineData("run", "--events", "net:no_such_event")]
    [InlineData("run", "--out", "/tmp/kn-not-for-a-demo")]
    [InlineData("run", "--no-trace", "--report", "/no/such/dir/report.txt")]
    [InlineData("run", "oracle-tests/scenarios/udp-oneway.yaml", "--events", "net:*")]
    [InlineData("record")]
    [InlineData("record", "--cleanup", "oracle-tests/scenarios/udp-oneway.yaml")]
    public void bad_arguments_give_one_line_and_exit_code_2(params string[] args)
    {
        var (code, output, err) = Run(args);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kernelnet: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void run_lists_the_events_the_simulation_has_and_takes_only_those()
    {
        var (code, output, _) = Run("run", "--list-events");
        Assert.Equal(0, code);
        var events = output.TrimEnd('\n').Split('\n');
        Assert.Contains("net:netif_receive_skb", events);
        Assert.Contains("skb:kfree_skb", events);
        Assert.Equal(events.Length, events.Distinct().Count());

        var (ok, trace, _) = Run("run", "--events", "irq:softirq_raise");
        Assert.Equal(0, ok);
        Assert.Contains("softirq_raise: vec=", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("netif_receive_skb:", trace, StringComparison.Ordinal);
    }

    [Fact]
    public void run_of_a_scenario_file_writes_nothing_unless_asked()
    {
        var before = Directory.GetFileSystemEntries(Directory.GetCurrentDirectory()).Order(StringComparer.Ordinal).ToList();
        var (code, output, _) = Run("run", Path.Combine(RepoRoot(), "oracle-tests", "scenarios", "udp-oneway.yaml"));
        Assert.Equal(0, code);
        Assert.Contains("line  21: recv       b      -> 5 bytes", output, StringComparison.Ordinal);
        Assert.DoesNotContain("recording written", output, StringComparison.Ordinal);
        Assert.Contains("skb ledger: nothing leaked", output, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(Directory.GetCurrentDirectory()).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void run_writes_a_scenario_files_report_and_recording_where_asked()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kn-run-report-{Environment.ProcessId}.txt");
        var recording = Path.Combine(Path.GetTempPath(), $"kn-run-rec-{Environment.ProcessId}");
        try
        {
            var (code, output, _) = Run("run", Path.Combine(RepoRoot(), "oracle-tests", "scenarios", "udp-oneway.yaml"), "-o", recording, "--report", file);
            Assert.Equal(0, code);
            Assert.Equal(string.Empty, output);
            Assert.Contains("recording written to", File.ReadAllText(file), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(recording))
            {
                Directory.Delete(recording, recursive: true);
            }
        }
    }

    // packetdrill's own --name[=value] options are taken on `kernelnet packetdrill`, meaning what the header lines
    // mean; an unknown one, or an empty script (no events: packetdrill's grammar rejects it), is exit 2 with one line.
    [Fact]
    public void packetdrill_takes_packetdrills_options_and_refuses_an_empty_script()
    {
        var dir = Directory.CreateTempSubdirectory("pd-cli-");
        try
        {
            var script = Path.Combine(dir.FullName, "s.pkt");
            File.WriteAllText(script, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3) = 0\n");
            var empty = Path.Combine(dir.FullName, "empty.pkt");
            File.WriteAllText(empty, string.Empty);

            var ok = Run("packetdrill", "--tolerance_usecs=14000", "--strict_segments", "--ip_version=ipv4", "--local_ip=192.168.0.1", "-D", "X=1", script);
            var bad = Run("packetdrill", "--bogus=1", script);
            var none = Run("packetdrill", empty);

            Assert.Equal(0, ok.Code);
            Assert.StartsWith("PASS s.pkt", ok.Out, StringComparison.Ordinal);
            Assert.Equal((2, "kernelnet: --bogus: option not modelled by the runner"), (bad.Code, bad.Err.TrimEnd('\n')));
            Assert.Equal(2, none.Code);
            Assert.EndsWith("empty.pkt:1:1: expected event time (0, +0.1, 0.1~0.2 or *), got end of file", none.Err.TrimEnd('\n'), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    public void help_is_available_everywhere(params string[] args)
    {
        var (code, output, _) = Run(args);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void diff_of_a_checked_in_recording_simulates_its_scenario_and_exits_0_when_every_required_level_matches()
    {
        var recording = Path.Combine(RepoRoot(), "oracle-tests", "recordings", "udp-oneway");
        var (code, output, _) = Run("diff", recording);

        Assert.Equal(0, code);
        Assert.Contains("journeys  match  (required)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void diff_refuses_a_recording_made_from_another_version_of_its_scenario_with_one_line_and_exit_2()
    {
        var from = Path.Combine(RepoRoot(), "oracle-tests", "recordings", "udp-oneway");
        var copy = Path.Combine(Path.GetTempPath(), $"kn-cli-stale-{Guid.NewGuid():N}");
        Directory.CreateDirectory(copy);
        try
        {
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(copy, "scenario.sha256"), new string('0', 64) + "  udp-oneway.yaml\n");
            var (code, output, err) = Run("diff", copy, "--scenario", Path.Combine(RepoRoot(), "oracle-tests", "scenarios", "udp-oneway.yaml"));

            Assert.Equal(2, code);
            Assert.Equal(string.Empty, output);
            Assert.Single(err.TrimEnd('\n').Split('\n'));
            Assert.Contains("re-record it", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static string RepoRoot() =>
        KernelNet.Tests.Support.Repository.TryFindRoot() ?? throw new DirectoryNotFoundException("KernelNet.sln not found above " + AppContext.BaseDirectory);
}

/// <summary>Tests that redirect Console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
