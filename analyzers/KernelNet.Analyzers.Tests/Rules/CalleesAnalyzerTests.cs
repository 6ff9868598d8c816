using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class CalleesAnalyzerTests
{
    // 6.18's ip_sublist_rcv calls NF_HOOK_LIST and ip_list_rcv_finish (data/callees.tsv);
    // the port has no ip_sublist_rcv, so the baseline has no rows for it.

    [Fact]
    public void flags_each_callee_left_out_silently()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                // net/ipv4/ip_input.c: ip_sublist_rcv
                private static int [|ip_sublist_rcv|](sk_buff skb) => ip_list_rcv_finish(skb);

                [KernelNet.Annotations.NotInLinux("test stand-in for the port of ip_list_rcv_finish")]
                private static int ip_list_rcv_finish(sk_buff skb) => 0;
                """)
            .Verify<CalleesAnalyzer>();
    }

    [Fact]
    public void the_message_names_the_callee_and_the_fix()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                // not ported: ip_list_rcv_finish — a test of the message
                // net/ipv4/ip_input.c: ip_sublist_rcv
                private static int ip_sublist_rcv(sk_buff skb) => 0;
                """)
            .Run(new CalleesAnalyzer());

        Assert.Equal(
            "ip_sublist_rcv (net/ipv4/ip_input.c) leaves out NF_HOOK_LIST, which the 6.18 body calls: call it where the kernel does, or name it in a '// not ported: NF_HOOK_LIST — why' line in the method or the file header",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void accepts_callees_called_passed_or_named_in_a_not_ported_line()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                // net/ipv4/ip_input.c: ip_sublist_rcv
                private static int ip_sublist_rcv(sk_buff skb)
                {
                    // not ported: NF_HOOK_LIST — no netfilter on the list path,
                    // the continuation is called directly
                    return Run(ip_list_rcv_finish, skb);
                }

                [KernelNet.Annotations.NotInLinux("test stand-in for the port of ip_list_rcv_finish")]
                private static int ip_list_rcv_finish(sk_buff skb) => 0;

                [KernelNet.Annotations.NotInLinux("test stand-in")]
                private static int Run(System.Func<sk_buff, int> f, sk_buff skb) => f(skb);
                """)
            .Verify<CalleesAnalyzer>();
    }

    [Fact]
    public void accepts_callees_named_in_the_file_header()
    {
        new KernelProject()
            .File("kernel/net/ipv4/ip_input.cs", "// Ports net/ipv4/ip_input.c.\n//\n// not ported: NF_HOOK_LIST, ip_list_rcv_finish — no list receive here\n" + KernelStubs.Usings + """
                namespace KernelNet.Kernel.Net.Ipv4;
                public static class ip_input_c
                {
                    // net/ipv4/ip_input.c: ip_sublist_rcv
                    private static int ip_sublist_rcv(sk_buff skb) => 0;
                }
                """)
            .Verify<CalleesAnalyzer>();
    }

    [Fact]
    public void a_comment_that_is_not_a_not_ported_line_does_not_count()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                // net/ipv4/ip_input.c: ip_sublist_rcv
                private static int [|ip_sublist_rcv|](sk_buff skb)
                {
                    // NF_HOOK_LIST would run here
                    return ip_list_rcv_finish(skb);
                }

                [KernelNet.Annotations.NotInLinux("test stand-in for the port of ip_list_rcv_finish")]
                private static int ip_list_rcv_finish(sk_buff skb) => 0;
                """)
            .Verify<CalleesAnalyzer>();
    }

    [Fact]
    public void tolerates_the_baseline_but_not_a_new_omission()
    {
        // The baseline lists ip_rcv's dev_net (the port's ip_rcv takes the namespace from the device).
        var diagnostics = new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                // net/ipv4/ip_input.c: ip_rcv
                public static int ip_rcv(sk_buff skb) => 0;
                """)
            .Run(new CalleesAnalyzer());

        Assert.DoesNotContain(diagnostics, d => d.GetMessage().Contains("leaves out dev_net,"));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("leaves out ip_rcv_core,"));
    }

    [Fact]
    public void ignores_methods_that_port_nothing()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                [KernelNet.Annotations.NotInLinux("test helper")]
                private static int Helper(sk_buff skb) => 0;
                """)
            .Verify<CalleesAnalyzer>();
    }
}
