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
    public void follows_a_delegate_parameter_to_the_sleeper_passed_in()
    {
        var diagnostics = new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: net_rx_action
                [SoftirqContext]
                private static void net_rx_action(Func<int> poll) => [|poll()|];

                private static void setup() => net_rx_action(KernelNet.Kernel.Net.socket_c.sock_recvmsg);
                """)
            .Run(new ContextAnalyzer());
        Assert.Equal("net_rx_action runs in softirq context and must not sleep: net_rx_action -> net_rx_action(poll) -> sock_recvmsg [MightSleep]", diagnostics.Single().GetMessage());
    }

    /// <summary>The receive path as the kernel wires it: NAPI poll, packet_type.func and net_protocol.handler registered by assignment and initializer, invoked through their fields.</summary>
    private const string ReceivePath = """
        namespace KernelNet.Kernel.Net.Core
        {
            public sealed class napi_struct { public Func<napi_struct, int, int>? poll; }
            public sealed class packet_type { public Func<sk_buff, int>? func; }
            public static partial class dev_c
            {
                // net/core/dev.c: netif_napi_add_weight_locked
                public static void netif_napi_add_weight_locked(napi_struct napi, Func<napi_struct, int, int> poll) => napi.poll = poll;

                // net/core/dev.c: __netif_receive_skb_core
                public static int __netif_receive_skb_core(packet_type pt, sk_buff skb) => pt.func!(skb);

                // net/core/dev.c: process_backlog
                private static int process_backlog(napi_struct napi, int quota) => __netif_receive_skb_core(KernelNet.Kernel.Net.Ipv4.af_inet_c.ip_packet_type, null!);

                // net/core/dev.c: net_dev_init
                private static void net_dev_init(napi_struct backlog) => netif_napi_add_weight_locked(backlog, process_backlog);

                // net/core/dev.c: net_rx_action
                [SoftirqContext]
                private static void net_rx_action(napi_struct n) => n.poll!(n, 64);
            }
        }
        namespace KernelNet.Kernel.Net.Ipv4
        {
            public sealed class net_protocol { public Func<sk_buff, int>? handler; }
            public static class af_inet_c
            {
                public static readonly KernelNet.Kernel.Net.Core.packet_type ip_packet_type = new() { func = ip_input_c.ip_rcv };
                public static readonly net_protocol tcp_protocol = new() { handler = tcp_ipv4_c.tcp_v4_rcv };
            }
        }
        """;

    [Fact]
    public void flags_lock_sock_in_tcp_v4_rcv_reached_through_net_protocol_handler()
    {
        var diagnostics = new KernelProject()
            .File("kernel/net/core/dev.cs", KernelStubs.Usings + ReceivePath)
            .File("kernel/net/ipv4/ip_input.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class ip_input_c
                {
                    // net/ipv4/ip_input.c: ip_protocol_deliver_rcu
                    public static int ip_protocol_deliver_rcu(net_protocol ipprot, sk_buff skb) => ipprot.handler!(skb);

                    // net/ipv4/ip_input.c: ip_rcv
                    public static int ip_rcv(sk_buff skb) => ip_protocol_deliver_rcu(af_inet_c.tcp_protocol, skb);
                }
                """)
            .File("kernel/net/ipv4/tcp_ipv4.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class tcp_ipv4_c
                {
                    // net/ipv4/tcp_ipv4.c: tcp_v4_rcv
                    public static int tcp_v4_rcv(sk_buff skb)
                    {
                        [|KernelNet.Kernel.Net.Core.sock_c.lock_sock(null!)|];
                        return 0;
                    }
                }
                """)
            .File("kernel/net/core/sock.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Core;
                public static class sock_c
                {
                    // net/core/sock.c: lock_sock_nested
                    [MightSleep]
                    public static void lock_sock_nested(sock sk, int subclass) { }

                    // include/net/sock.h: lock_sock
                    public static void lock_sock(sock sk) => lock_sock_nested(sk, 0);
                }
                """)
            .Run(new ContextAnalyzer());
        Assert.Equal("tcp_v4_rcv runs in softirq context and must not sleep: ip_protocol_deliver_rcu -> net_protocol.handler -> tcp_v4_rcv -> lock_sock -> lock_sock_nested [MightSleep]", diagnostics.Single().GetMessage());
        Assert.Equal("tcp_ipv4.cs", System.IO.Path.GetFileName(diagnostics.Single().Location.SourceTree!.FilePath));
    }

    [Fact]
    public void flags_schedule_in_ip_rcv_core_reached_through_packet_type_func()
    {
        new KernelProject()
            .File("kernel/net/core/dev.cs", KernelStubs.Usings + ReceivePath)
            .File("kernel/net/ipv4/tcp_ipv4.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class tcp_ipv4_c
                {
                    // net/ipv4/tcp_ipv4.c: tcp_v4_rcv
                    public static int tcp_v4_rcv(sk_buff skb) => 0;
                }
                """)
            .File("kernel/kernel/sched/core.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Kernel.Sched;
                public static class core_c
                {
                    // kernel/sched/core.c: schedule
                    [MightSleep]
                    public static void schedule() { }
                }
                """)
            .File("kernel/net/ipv4/ip_input.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class ip_input_c
                {
                    // net/ipv4/ip_input.c: ip_rcv_core
                    private static sk_buff ip_rcv_core(sk_buff skb)
                    {
                        KernelNet.Kernel.Kernel.Sched.core_c.schedule();
                        return skb;
                    }

                    // net/ipv4/ip_input.c: ip_rcv
                    public static int ip_rcv(sk_buff skb)
                    {
                        var s = [|ip_rcv_core(skb)|];
                        return 0;
                    }
                }
                """)
            .Verify<ContextAnalyzer>();
    }

    [Fact]
    public void flags_a_sleeper_reached_through_a_delegate_from_a_timer_registered_by_timer_setup()
    {
        var diagnostics = new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .File("kernel/kernel/time/timer.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Kernel.Time
                {
                    public sealed class timer_list { public Action<timer_list>? function; }
                    public static class timer_c
                    {
                        // kernel/time/timer.c: timer_setup
                        public static void timer_setup(timer_list timer, Action<timer_list> func) => timer.function = func;

                        // kernel/time/timer.c: call_timer_fn
                        private static void call_timer_fn(timer_list timer, Action<timer_list> fn) => fn(timer);

                        // kernel/time/timer.c: expire_timers
                        private static void expire_timers(timer_list timer) => call_timer_fn(timer, timer.function!);

                        // kernel/time/timer.c: run_timer_softirq
                        [SoftirqContext]
                        private static void run_timer_softirq(timer_list t) => expire_timers(t);
                    }
                }
                """)
            .File("kernel/net/ipv4/tcp_timer.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4
                {
                    public sealed class proto { public Func<int>? close; }
                    public static class tcp_timer_c
                    {
                        public static readonly proto tcp_prot = new() { close = tcp_close };

                        // net/ipv4/tcp.c: tcp_close
                        private static int tcp_close() => [|KernelNet.Kernel.Net.socket_c.sock_sendmsg()|];

                        // net/ipv4/tcp_timer.c: tcp_keepalive_timer
                        private static void tcp_keepalive_timer(KernelNet.Kernel.Kernel.Time.timer_list t) => tcp_prot.close!();

                        // net/ipv4/tcp_timer.c: tcp_init_xmit_timers
                        public static void tcp_init_xmit_timers(KernelNet.Kernel.Kernel.Time.timer_list t) => KernelNet.Kernel.Kernel.Time.timer_c.timer_setup(t, tcp_keepalive_timer);
                    }
                }
                """)
            .Run(new ContextAnalyzer());
        Assert.Equal("tcp_close runs in softirq context and must not sleep: tcp_keepalive_timer -> proto.close -> tcp_close -> sock_sendmsg -> sock_recvmsg [MightSleep]", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void flags_an_rcu_callback_that_sleeps_reached_through_a_local_copy_of_the_delegate()
    {
        new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .File("kernel/kernel/rcu/tree.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Kernel.Rcu
                {
                    public sealed class rcu_head { public Action<rcu_head>? func; }
                    public static class tree_c
                    {
                        // kernel/rcu/tree.c: call_rcu
                        public static void call_rcu(rcu_head head, Action<rcu_head> func) => head.func = func;

                        // kernel/rcu/tree.c: rcu_do_batch
                        private static void rcu_do_batch(rcu_head rhp)
                        {
                            var f = rhp.func!;
                            rhp.func = null;
                            f(rhp);
                        }

                        // kernel/rcu/tree.c: rcu_core_si
                        [SoftirqContext]
                        private static void rcu_core_si(rcu_head rhp) => rcu_do_batch(rhp);
                    }
                }
                """)
            .Port("kernel/net/core/sock.cs", """
                // net/core/sock.c: __sk_destruct
                private static void __sk_destruct(KernelNet.Kernel.Kernel.Rcu.rcu_head head) => [|KernelNet.Kernel.Net.socket_c.sock_recvmsg()|];

                // net/core/sock.c: sk_destruct
                public static void sk_destruct(KernelNet.Kernel.Kernel.Rcu.rcu_head head) => KernelNet.Kernel.Kernel.Rcu.tree_c.call_rcu(head, __sk_destruct);
                """)
            .Verify<ContextAnalyzer>();
    }

    [Fact]
    public void a_sleeper_under_the_softirq_entry_is_reported_once_in_softirq_context_not_from_the_hard_irq_exit()
    {
        var diagnostics = new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .Port("kernel/kernel/softirq.cs", """
                // kernel/softirq.c: handle_softirqs
                [SoftirqContext]
                private static void handle_softirqs() => KernelNet.Kernel.Net.socket_c.sock_recvmsg();

                // kernel/softirq.c: irq_exit_rcu
                [HardIrqContext]
                public static void irq_exit_rcu() => handle_softirqs();
                """)
            .Run(new ContextAnalyzer());
        Assert.Equal("handle_softirqs runs in softirq context and must not sleep: handle_softirqs -> sock_recvmsg [MightSleep]", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void flags_an_unawaited_task_of_a_sleeping_call_in_softirq_context()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/core/sock.cs", """
                // net/core/sock.c: sk_wait_data
                [MightSleep]
                public static async System.Threading.Tasks.Task<int> sk_wait_data() { await System.Threading.Tasks.Task.Yield(); return 0; }

                // net/core/sock.c: sk_backlog_rcv
                [SoftirqContext]
                public static int sk_backlog_rcv()
                {
                    _ = sk_wait_data();
                    return 0;
                }
                """)
            .Run(new ContextAnalyzer());
        Assert.Equal("sk_backlog_rcv runs in softirq context and must not sleep: sk_backlog_rcv -> sk_wait_data [MightSleep] (its Task is not awaited: the sleep still happens, on this CPU's atomic path)", diagnostics.Single().GetMessage());
    }

    [Fact]
    public void kernel_shaped_process_context_callbacks_may_sleep_while_softirq_ones_do_not()
    {
        new KernelProject()
            .File("kernel/net/socket.cs", KernelStubs.Usings + Sleepers)
            .File("kernel/net/core/dev.cs", KernelStubs.Usings + ReceivePath)
            .File("kernel/net/ipv4/ip_input.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4;
                public sealed class proto_ops { public Func<int>? recvmsg; }
                public static class ip_input_c
                {
                    public static readonly proto_ops inet_stream_ops = new() { recvmsg = KernelNet.Kernel.Net.socket_c.sock_recvmsg };

                    // net/ipv4/ip_input.c: ip_rcv
                    public static int ip_rcv(sk_buff skb) => 0;

                    // net/socket.c: sock_read_iter
                    public static int sock_read_iter() => inet_stream_ops.recvmsg!();
                }
                """)
            .File("kernel/net/ipv4/tcp_ipv4.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class tcp_ipv4_c
                {
                    // net/ipv4/tcp_ipv4.c: tcp_v4_rcv
                    public static int tcp_v4_rcv(sk_buff skb) => 0;
                }
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
