using System.Linq;
using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class ContextAnalyzerTests
{
    private const string Sleepers = """
        namespace KernelNet.Kernel.Net;
        public static class socket_c
        {
            // net/socket.c: sock_recvmsg
            [MightSleep]
            public static int sock_recvmsg() => 0;

            // net/socket.c: sock_sendmsg
            public static int sock_sendmsg() => sock_recvmsg();
        }
        """;

    [Fact]
    public void flags_softirq_method_that_calls_a_sleeper_through_others_with_the_chain()
    {
        var diagnostics = new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .File("kernel/net/core/dev.cs", KernelStubs.Usings + """
                using static KernelNet.Kernel.Net.socket_c;
                namespace KernelNet.Kernel.Net.Core;
                public static partial class dev_c
                {
                    // net/core/dev.c: net_rx_action
                    [SoftirqContext]
                    private static void net_rx_action()
                    {
                        [|foo()|];
                    }

                    private static void foo() => bar();

                    private static void bar() => sock_sendmsg();
                }
                """)
            .Run(new ContextAnalyzer());
        Assert.Equal("net_rx_action runs in softirq context and must not sleep: net_rx_action -> foo -> bar -> sock_sendmsg -> sock_recvmsg [MightSleep]", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void flags_hard_irq_handler_calling_a_sleeper_directly_at_the_call_site()
    {
        new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .File("kernel/drivers/net/ethernet/intel/igb/igb_main.cs", KernelStubs.Usings + """
                using static KernelNet.Kernel.Net.socket_c;
                namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;
                public static class igb_main_c
                {
                    // drivers/net/ethernet/intel/igb/igb_main.c: igb_msix_ring
                    [HardIrqContext]
                    private static int igb_msix_ring(int irq)
                    {
                        var ok = irq > 0;
                        return [|sock_recvmsg()|];
                    }
                }
                """)
            .Verify<ContextAnalyzer>();
    }

    [Fact]
    public void allows_atomic_context_calling_only_non_sleeping_methods()
    {
        new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: net_rx_action
                [SoftirqContext]
                private static void net_rx_action() => napi_poll(64);

                // net/core/dev.c: napi_poll
                private static int napi_poll(int budget) => napi_poll(budget - 1);
                """)
            .Verify<ContextAnalyzer>();
    }

    [Fact]
    public void does_not_follow_calls_through_delegates()
    {
        new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: net_rx_action
                [SoftirqContext]
                private static void net_rx_action(Func<int> poll) => poll();

                private static void setup() => net_rx_action(KernelNet.Kernel.Net.socket_c.sock_recvmsg);
                """)
            .Verify<ContextAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_napi_poll_loop_in_softirq_stays_clean()
    {
        new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .File("kernel/net/core/dev.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Core;
                public sealed class napi_struct
                {
                    public required Func<napi_struct, int, int> poll;
                    public int weight = 64;
                }

                public static partial class dev_c
                {
                    // net/core/dev.c: __napi_poll
                    private static int __napi_poll(napi_struct n)
                    {
                        var work = n.poll(n, n.weight);
                        trace_napi_poll(work, n.weight);
                        return work;
                    }

                    // net/core/dev.c: napi_poll
                    private static int napi_poll(napi_struct n) => __napi_poll(n);

                    // net/core/dev.c: net_rx_action
                    [SoftirqContext]
                    private static void net_rx_action(napi_struct[] list)
                    {
                        var budget = 300;
                        foreach (var n in list)
                        {
                            budget -= napi_poll(n);
                            if (budget <= 0)
                            {
                                break;
                            }
                        }
                    }
                }
                """)
            .Verify<ContextAnalyzer>();
    }
}
