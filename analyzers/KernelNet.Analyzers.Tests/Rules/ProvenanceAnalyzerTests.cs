using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class ProvenanceAnalyzerTests
{
    [Fact]
    public void flags_kernel_function_without_provenance_line()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                /// <summary>Entry from the device layer.</summary>
                public static int [|ip_rcv|](sk_buff skb) => 0;
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void flags_function_placed_in_a_file_that_does_not_define_it()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/ipv4/ip_input.c: ip_rcv
                public static int [|ip_rcv|](sk_buff skb) => 0;

                // net/core/dev.c: ip_rcv_finish
                private static int [|ip_rcv_finish|](sk_buff skb) => 0;
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void says_where_a_kernel_function_without_line_belongs()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/ethernet/eth.cs", """
                private static void eth_skb_pkt_type(sk_buff skb) { }
                """)
            .Run(new ProvenanceAnalyzer());
        Assert.Equal(
            "eth_skb_pkt_type is a Linux 6.18 function of include/linux/etherdevice.h, not of net/ethernet/eth.c/.h: move it to kernel/include/linux/etherdevice.cs under '// include/linux/etherdevice.h: eth_skb_pkt_type' (or call the port there), or give this helper a C# name and [NotInLinux(\"why\")]",
            System.Linq.Enumerable.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void flags_line_that_names_another_function()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: net_rx_action
                private static void [|napi_poll|]() { }
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void allows_line_above_doc_comment_and_attributes_and_helpers_with_own_names()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: net_rx_action
                /// <summary>NET_RX softirq: polls the CPU's NAPI list within the budget.</summary>
                [SoftirqContext]
                private static void net_rx_action() { }

                /// <summary>No kernel counterpart: a helper of the simulation, named in C#.</summary>
                [NotInLinux("the simulation's own budget arithmetic, inlined in C")]
                private static int BudgetLeft(int budget, int work) => budget - work;

                """)
            .File("kernel/include/net/ip.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Include.Net.Ip;
                public sealed class inet_skb_parm
                {
                    public int iif;

                    public override string ToString() => "iif " + iif;
                }
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void allows_macro_ported_as_method_with_or_without_line()
    {
        new KernelProject()
            .File("kernel/include/linux/skbuff.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel.Include.Linux.Skb;
                public static class skbuff_h
                {
                    // include/linux/skbuff.h: skb_queue_walk
                    public static void skb_queue_walk(sk_buff? head, Action<sk_buff> body) { }

                    public static void [|skb_queue_walk_safe|](sk_buff? head, Action<sk_buff> body) { }
                }
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void flags_a_renamed_port_whose_line_was_removed_and_names_the_original()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                /// <summary>The header checks.</summary>
                private static sk_buff? ip_rcv_core_checked(sk_buff skb) => skb;
                """)
            .Run(new ProvenanceAnalyzer());

        var message = Assert.Single(diagnostics).GetMessage();
        Assert.Contains("'// net/ipv4/ip_input.c: ip_rcv_core'", message);
        Assert.Contains("[NotInLinux", message);
    }

    [Fact]
    public void flags_helpers_without_not_in_linux_or_without_a_reason()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                private static int [|BudgetLeft|](int budget, int work) => budget - work;

                [NotInLinux("")]
                private static int [|Spare|](int budget) => budget;

                [NotInLinux("C# accessor: the kernel reads the field in place")]
                private static int Weight(int w) => w;
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void flags_not_in_linux_on_a_port_or_on_a_linux_name()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: net_rx_action
                [NotInLinux("claimed to be glue")]
                private static void [|net_rx_action|]() { }

                [NotInLinux("claimed to be glue")]
                private static void [|napi_complete_done|]() { }
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void flags_false_provenance_in_files_the_old_data_did_not_list()
    {
        new KernelProject()
            .Port("kernel/kernel/rcu/tree.cs", """
                // kernel/rcu/tree.c: rcu_softirq_handler
                private static void [|rcu_softirq_handler|]() { }

                // kernel/rcu/tree.c: rcu_core
                private static void rcu_core() { }
                """)
            .Port("kernel/include/uapi/linux/snmp.cs", """
                // include/uapi/linux/snmp.h: snmp_fold_field
                private static void [|snmp_fold_field|]() { }
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void accepts_a_tracepoint_of_its_events_header()
    {
        new KernelProject()
            .Port("kernel/include/trace/events/napi.cs", """
                // include/trace/events/napi.h: trace_napi_poll
                public static void trace_napi_poll(int work, int budget) { }

                // include/trace/events/napi.h: trace_napi_gro
                public static void [|trace_napi_gro|]() { }
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void exempts_vmlinux_and_sim_glue()
    {
        new KernelProject()
            .File("kernel/sim/Boot.cs", """
                namespace KernelNet.Kernel.Sim;
                public static class Boot
                {
                    public static void start_kernel() { }
                }
                """)
            .Verify<ProvenanceAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_ip_input_with_its_stages_stays_clean()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                // net/ipv4/ip_input.c: ip_rcv_finish
                private static int ip_rcv_finish(net net, sock? sk, sk_buff skb) => 0;

                // net/ipv4/ip_input.c: ip_rcv_core
                /// <summary>The RFC 1122 header checks; null when the skb was consumed.</summary>
                [Consumes("skb")]
                private static sk_buff? ip_rcv_core(sk_buff skb, net net) => skb;

                // net/ipv4/ip_input.c: ip_rcv
                /// <summary>IP receive entry point.</summary>
                [Consumes("skb")]
                public static int ip_rcv(sk_buff skb, net_device dev, net net)
                {
                    var checkedSkb = ip_rcv_core(skb, net);
                    if (checkedSkb is null)
                    {
                        return 1;
                    }

                    return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, null, checkedSkb, dev, null, ip_rcv_finish);
                }
                """)
            .Verify<ProvenanceAnalyzer>();
    }
}
