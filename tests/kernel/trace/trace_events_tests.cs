using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KernelNet.Kernel.Kernel.Trace;
using KernelNet.Tests.Support;
using Xunit;

namespace KernelNet.Tests.Kernel.Trace;

/// <summary>set_event as kernel/trace/trace_events.c parses it, over the events the port has.</summary>
public sealed partial class trace_events_tests
{
    private static string[] Select(string line) => trace_events_c.ftrace_set_clr_event(line).Select(c => c.ToString()).ToArray();

    [Fact]
    public void a_system_star_selects_every_event_of_that_system_and_nothing_else()
    {
        var net = Select("net:*");
        Assert.Contains("net:netif_receive_skb", net);
        Assert.All(net, e => Assert.StartsWith("net:", e, StringComparison.Ordinal));
        Assert.Equal(net, Select("net:"));
        Assert.Equal(net, Select("net"));
    }

    [Fact]
    public void an_event_name_without_a_system_selects_it_in_any_system()
    {
        Assert.Equal(["skb:kfree_skb"], Select("*:kfree_skb"));
        Assert.Equal(["skb:kfree_skb"], Select(":kfree_skb"));
        Assert.Equal(["skb:kfree_skb"], Select("kfree_skb"));
        Assert.Equal(trace_events_c.available_events.Length, Select("*:*").Length);
    }

    [Fact]
    public void a_line_that_names_no_event_is_refused_with_EINVAL_and_enables_nothing()
    {
        var t = new KernelRig();
        Assert.Equal(-22, t.K.trace.set_event("bogus:*"));
        Assert.Equal(-22, t.K.trace.set_event("net:kfree_skb"));
        Assert.False(t.K.trace.any);
        Assert.Equal(0, t.K.trace.set_event("skb:kfree_skb"));
        Assert.True(t.K.trace.enabled("skb", "kfree_skb"));
        Assert.False(t.K.trace.enabled("skb", "consume_skb"));
    }

    [GeneratedRegex(@"trace\.(?:enabled|record)\(""([a-z_]+)"",\s*""([a-z_0-9]+)""")]
    private static partial Regex LiteralEvent();

    // every event the port checks or records by a literal name must be one set_event can enable,
    // or it could never be traced
    [SkippableFact]
    public void every_event_the_port_emits_by_name_is_available()
    {
        var root = Repository.TryFindRoot();
        Skip.If(root is null, "the repository's kernel/ sources are not above the test build; skipped");
        var kernel = Path.Combine(root!, "kernel");
        var available = trace_events_c.available_events.Select(c => c.ToString()).ToHashSet();
        var named = Directory.EnumerateFiles(kernel, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralEvent().Matches(File.ReadAllText(f)).Select(m => $"{m.Groups[1].Value}:{m.Groups[2].Value}"))
            .Distinct()
            .ToList();
        Assert.NotEmpty(named);
        Assert.All(named, e => Assert.Contains(e, available));
    }
}
