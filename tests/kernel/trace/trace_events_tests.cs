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

    // a header reaches its events through static trace_event_call fields found by name when the
    // header is first used: every one must name an available event, or its first tracepoint would
    // throw; and an event checked or recorded by a literal name elsewhere must be one set_event can
    // enable, or it could never be traced
    [SkippableFact]
    public void every_event_the_port_emits_by_name_is_available()
    {
        var headers = typeof(KernelNet.Kernel.Include.Trace.Events.net_h).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(KernelNet.Kernel.Include.Trace.Events.net_h).Namespace && t.IsAbstract && t.IsSealed)
            .ToList();
        Assert.NotEmpty(headers);
        var declared = 0;
        foreach (var header in headers)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(header.TypeHandle);
            foreach (var f in header.GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).Where(f => f.FieldType == typeof(trace_event_call)))
            {
                var call = (trace_event_call)f.GetValue(null)!;
                Assert.Equal("event_" + call.name, f.Name);
                Assert.Same(call, trace_events_c.available_events[call.type]);
                declared++;
            }
        }

        Assert.Equal(trace_events_c.available_events.Length, declared);

        var root = Repository.TryFindRoot();
        Skip.If(root is null, "the repository's kernel/ sources are not above the test build; skipped");
        var kernel = Path.Combine(root!, "kernel");
        var available = trace_events_c.available_events.Select(c => c.ToString()).ToHashSet();
        var named = Directory.EnumerateFiles(kernel, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralEvent().Matches(File.ReadAllText(f)).Select(m => $"{m.Groups[1].Value}:{m.Groups[2].Value}"))
            .Distinct()
            .ToList();
        Assert.All(named, e => Assert.Contains(e, available));
    }

    [Fact]
    public void a_disabled_event_and_tracing_off_record_nothing_and_an_enabled_one_records()
    {
        var t = new KernelRig();
        var kfree = trace_events_c.find("skb", "kfree_skb");
        var consume = trace_events_c.find("skb", "consume_skb");
        Assert.False(t.K.trace.enabled(kfree));
        Assert.Equal(0, t.K.trace.set_event("skb:kfree_skb"));
        Assert.True(t.K.trace.enabled(kfree));
        Assert.False(t.K.trace.enabled(consume));
        t.K.trace.tracing_on = false;
        Assert.False(t.K.trace.enabled(kfree));
        t.K.trace.tracing_on = true;
        Assert.True(t.K.trace.enabled(kfree));
        Assert.False(t.K.trace.enabled("irq_vectors", "call_function_single_entry"));
    }
}
