using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class TracepointsAnalyzerTests
{
    [Fact]
    public void flags_ported_function_missing_the_kernels_tracepoint()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: __napi_poll
                private static int [|__napi_poll|](int weight) => weight;
                """)
            .Verify<TracepointsAnalyzer>();
    }

    [Fact]
    public void flags_a_tracepoint_only_in_code_that_never_runs()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: __napi_poll
                private static int __napi_poll(int weight)
                {
                    if (false)
                    {
                        [|trace_napi_poll(0, weight)|];
                    }

                    return weight;
                }

                // net/core/dev.c: busy_poll_stop
                private static int busy_poll_stop(int weight)
                {
                    return weight;
                    [|trace_napi_poll(0, weight)|];
                }

                // net/core/dev.c: __napi_busy_loop
                private static int __napi_busy_loop(int weight)
                {
                    const bool tracing = false;
                    if (tracing)
                    {
                        [|trace_napi_poll(0, weight)|];
                    }

                    return weight;
                }
                """)
            .Verify<TracepointsAnalyzer>();
    }

    [Fact]
    public void flags_a_tracepoint_6_18_always_emits_that_the_port_emits_only_under_a_condition()
    {
        // 6.18's busy_poll_stop emits trace_napi_poll on every pass; __napi_poll only when it polled.
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: busy_poll_stop
                private static int busy_poll_stop(int weight)
                {
                    if (weight > 0)
                    {
                        [|trace_napi_poll(0, weight)|];
                    }

                    return weight;
                }

                // net/core/dev.c: __napi_busy_loop
                private static int __napi_busy_loop(int weight)
                {
                again:
                    trace_napi_poll(0, weight);
                    if (weight-- > 0)
                    {
                        goto again;
                    }

                    return weight;
                }

                // net/core/dev.c: __napi_poll
                private static int __napi_poll(int weight)
                {
                    if (weight > 0)
                    {
                        trace_napi_poll(0, weight);
                    }

                    return weight;
                }
                """)
            .Verify<TracepointsAnalyzer>();
    }

    [Fact]
    public void the_dead_code_message_says_the_call_never_runs()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: __napi_poll
                private static int __napi_poll(int weight)
                {
                    if (false)
                    {
                        trace_napi_poll(0, weight);
                    }

                    return weight;
                }
                """)
            .Run(new TracepointsAnalyzer());

        Assert.Contains("never runs", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void allows_function_that_emits_its_tracepoint()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: __napi_poll
                private static int __napi_poll(int weight)
                {
                    var work = weight / 2;
                    trace_napi_poll(work, weight);
                    return work;
                }
                """)
            .Verify<TracepointsAnalyzer>();
    }

    [Fact]
    public void ignores_functions_without_provenance_or_without_tracepoints()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                private static int __napi_poll(int weight) => weight;

                // net/core/dev.c: napi_poll
                private static int napi_poll(int weight) => weight;
                """)
            .Verify<TracepointsAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_free_paths_trace_where_618_does()
    {
        // 6.18: kfree_skb_reason is an inline that calls sk_skb_reason_drop,
        // whose helper __sk_skb_reason_drop emits trace_kfree_skb; consume_skb emits trace_consume_skb.
        new KernelProject()
            .File("kernel/include/linux/skbuff.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Include.Linux.Skb;
                public static class skbuff_h
                {
                    // include/linux/skbuff.h: kfree_skb_reason
                    public static void kfree_skb_reason(sk_buff skb, skb_drop_reason reason) { }
                }
                """)
            .Port("kernel/net/core/skbuff.cs", """
                // net/core/skbuff.c: consume_skb
                public static void consume_skb(sk_buff skb) => trace_consume_skb(skb);

                // net/core/skbuff.c: __sk_skb_reason_drop
                private static bool [|__sk_skb_reason_drop|](sk_buff skb, skb_drop_reason reason)
                {
                    trace_consume_skb(skb);
                    return true;
                }
                """)
            .Verify<TracepointsAnalyzer>();
    }
}
