using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class NoHiddenStateAnalyzerTests
{
    [Fact]
    public void flags_static_field_that_is_not_readonly_in_kernel_file()
    {
        new KernelProject()
            .File("kernel/net/core/dev.cs", """
                namespace KernelNet.Kernel.Net.Core;
                public static partial class dev_c
                {
                    private static int [|netdev_budget|] = 300;
                    internal static bool [|dev_rx_weight_set|];
                }
                """)
            .Verify<NoHiddenStateAnalyzer>();
    }

    [Fact]
    public void flags_static_auto_property_with_a_setter()
    {
        new KernelProject()
            .File("machine/Machine.cs", """
                namespace KernelNet.Machine;
                public sealed class Machine
                {
                    public static Machine? [|Current|] { get; set; }
                    public static int [|Booted|] { get; private set; }
                }
                """)
            .Verify<NoHiddenStateAnalyzer>();
    }

    [Fact]
    public void flags_static_readonly_arrays_collections_and_mutable_objects()
    {
        new KernelProject()
            .File("kernel/net/ipv4/route.cs", """
                using System.Collections.Generic;
                using System.Text;
                namespace KernelNet.Kernel.Net.Ipv4;
                public sealed class rt_cache_stat
                {
                    public uint in_slow_tot;
                }

                public static class route_c
                {
                    private static readonly int[] [|ip_rt_redirect_silence|] = { 1, 2 };
                    private static readonly List<string> [|names|] = new();
                    private static readonly Dictionary<uint, string> [|cache|] = new();
                    private static readonly StringBuilder [|log|] = new();
                    private static readonly rt_cache_stat [|stats|] = new();
                }
                """)
            .Verify<NoHiddenStateAnalyzer>();
    }

    [Fact]
    public void allows_constants_immutable_collections_and_span_tables()
    {
        new KernelProject()
            .File("kernel/net/ipv4/route.cs", """
                using System;
                using System.Collections.Frozen;
                using System.Collections.Generic;
                using System.Collections.Immutable;
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class route_c
                {
                    private const int ip_rt_max_size = 2048;
                    private static readonly string rt_name = "rt";
                    private static readonly ImmutableArray<int> ip_tos2prio = ImmutableArray.Create(0, 1, 2);
                    private static readonly FrozenDictionary<int, string> names = new Dictionary<int, string> { [1] = "a" }.ToFrozenDictionary();
                    private static readonly Func<int, int> twice = x => 2 * x;
                    private static ReadOnlySpan<byte> ip_tos_table => new byte[] { 0, 1, 2 };
                    private static int max_size => ip_rt_max_size;
                }
                """)
            .Verify<NoHiddenStateAnalyzer>();
    }

    [Fact]
    public void ignores_static_state_outside_kernel_and_machine()
    {
        new KernelProject()
            .File("tools/Cli.cs", """
                namespace KernelNet.Tools;
                public static class Cli
                {
                    private static int verbosity;
                    public static int Verbosity { get => verbosity; set => verbosity = value; }
                }
                """)
            .Verify<NoHiddenStateAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_ops_table_and_softirq_names_stay_clean()
    {
        new KernelProject()
            .File("kernel/net/sched/sch_generic.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Sched;
                public sealed class Qdisc_ops
                {
                    public required string id { get; init; }
                    public required Func<sk_buff, int> enqueue { get; init; }
                }

                public static class sch_generic_c
                {
                    private static readonly Qdisc_ops pfifo_fast_ops = new()
                    {
                        id = "pfifo_fast",
                        enqueue = pfifo_fast_enqueue,
                    };

                    public static ReadOnlySpan<string> softirq_to_name => new[] { "HI", "TIMER", "NET_TX", "NET_RX" };

                    // net/sched/sch_generic.c: pfifo_fast_enqueue
                    private static int pfifo_fast_enqueue(sk_buff skb) => 0;
                }
                """)
            .Verify<NoHiddenStateAnalyzer>();
    }
}
