using System;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>The CLI faults of issue 15, each checked: bounded scenario input, one-line user errors, progress only where asked.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliFaultTests
{
    private static void AssertOneLineUserError((int Code, string Out, string Err) r, string contains)
    {
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kernelnet: ", r.Err, StringComparison.Ordinal);
        Assert.Contains(contains, r.Err, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err) RunScenarioText(string text, params string[] extra)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kn-seeing-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        try
        {
            return Cli.Run(["run", path, .. extra]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("[", "]", "levels of nested mappings and sequences")]
    [InlineData("{a: ", "}", "levels of nested mappings and sequences")]
    [InlineData("- ", "", ".yaml:2: ")]
    public void thirty_thousand_nested_brackets_are_one_line_naming_the_nesting_limit(string open, string close, string says)
    {
        var text = "name: x\nhosts: " + string.Concat(Enumerable.Repeat(open, 30_000)) + "1" + string.Concat(Enumerable.Repeat(close, 30_000)) + "\n";

        AssertOneLineUserError(RunScenarioText(text), says);
    }

    [Fact]
    public void a_scenario_file_above_four_mebibytes_is_refused_before_it_is_read()
    {
        var text = "name: x\n# " + new string('a', 5 << 20) + "\n";

        AssertOneLineUserError(RunScenarioText(text), "expected a scenario of at most 4 MiB");
    }

    [Fact]
    public void a_link_with_256_ends_is_one_line()
    {
        var ends = string.Concat(Enumerable.Range(0, 256).Select(i => $"\n      - {{ host: a, interface: e{i} }}"));
        var text = $"name: x\nhosts:\n  a: {{}}\nlinks:\n  - name: l0\n    type: veth\n    ends:{ends}\nsteps: []\n";

        AssertOneLineUserError(RunScenarioText(text), "got 256");
    }

    [SkippableFact]
    public void an_unwritable_recording_directory_is_a_user_error_not_an_internal_one()
    {
        var root = KernelNet.Tests.Support.Repository.TryFindRoot();
        Skip.If(root is null, "oracle-tests/ is not above the test build; skipped");
        var blocker = Path.GetTempFileName();
        try
        {
            var r = Cli.Run("run", Path.Combine(root, "oracle-tests", "scenarios", "udp-oneway.yaml"), "--out", Path.Combine(blocker, "sub"));

            AssertOneLineUserError(r, "--out: cannot write");
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public void progress_is_reported_on_standard_error_only_when_asked_and_only_after_the_delay()
    {
        var old = Console.Error;
        using var err = new StringWriter();
        Console.SetError(err);
        try
        {
            using (new KernelNet.Cli.Commands.Progress("run long", asked: true, TimeSpan.FromMilliseconds(50)))
            {
                Thread.Sleep(400);
            }

            using (new KernelNet.Cli.Commands.Progress("run short", asked: true, TimeSpan.FromSeconds(30)))
            {
            }

            // the test host's standard error is not a terminal: without --progress, nothing
            using (new KernelNet.Cli.Commands.Progress("run unasked", asked: false, TimeSpan.FromMilliseconds(50)))
            {
                Thread.Sleep(300);
            }
        }
        finally
        {
            Console.SetError(old);
        }

        var text = err.ToString();
        Assert.Contains("kernelnet: run long: ", text, StringComparison.Ordinal);
        Assert.Contains("kernelnet: run long: done after", text, StringComparison.Ordinal);
        Assert.DoesNotContain("run short", text, StringComparison.Ordinal);
        Assert.DoesNotContain("run unasked", text, StringComparison.Ordinal);
    }
}
