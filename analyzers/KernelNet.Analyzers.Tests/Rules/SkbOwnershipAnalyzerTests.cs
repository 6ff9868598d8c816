using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class SkbOwnershipAnalyzerTests
{
    [Fact]
    public void flags_a_method_taking_an_skb_without_saying_who_owns_it()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/tcp_input.cs", """
                // net/ipv4/tcp_input.c: tcp_urg
                private static void tcp_urg(int sk, sk_buff [|skb|]) => kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);

                // net/ipv4/tcp_input.c: tcp_ofo_queue
                private static void tcp_ofo_queue(sk_buff [|skb|], sk_buff? [|prev|]) { }
                """)
            .Verify<SkbOwnershipAnalyzer>();
    }

    [Fact]
    public void tolerates_the_baseline_but_not_a_new_method_in_the_same_file()
    {
        // data/skb-ownership-baseline.tsv lists tcp_input.cs's tcp_shift_skb_data (skb).
        new KernelProject()
            .Port("kernel/net/ipv4/tcp_input.cs", """
                // net/ipv4/tcp_input.c: tcp_shift_skb_data
                private static sk_buff? tcp_shift_skb_data(int sk, sk_buff skb) => null;

                // net/ipv4/tcp_input.c: tcp_urg
                private static void tcp_urg(int sk, sk_buff [|skb|]) { }
                """)
            .Verify<SkbOwnershipAnalyzer>();
    }

    [Fact]
    public void the_message_names_both_fixes()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/core/skbuff.cs", """
                // net/core/skbuff.c: skb_attempt_defer_free
                public static void skb_attempt_defer_free(sk_buff skb) { }
                """)
            .Run(new SkbOwnershipAnalyzer());

        var message = Assert.Single(diagnostics).GetMessage();
        Assert.Contains("[Consumes(\"skb\")]", message);
        Assert.Contains("[Borrows(\"skb\")]", message);
    }

    [Fact]
    public void flags_a_borrower_that_frees_or_hands_on_its_skb()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: dev_loopback_xmit
                [Borrows("skb")]
                private static int dev_loopback_xmit(sk_buff skb, bool bad)
                {
                    if (bad)
                    {
                        consume_skb([|skb|]);
                    }

                    return NF_HOOK(2, 0, null!, null, [|skb|], null, null, (n, s, b) => 0);
                }
                """)
            .Verify<SkbOwnershipAnalyzer>();
    }

    [Fact]
    public void a_borrower_may_hand_its_skb_to_a_consumer_told_to_work_on_a_clone()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/tcp_output.cs", """
                // net/ipv4/tcp_output.c: __tcp_transmit_skb
                [Consumes("skb", UnlessArgument = nameof(clone_it))]
                private static int __tcp_transmit_skb(sk_buff skb, bool clone_it) => 0;

                // net/ipv4/tcp_output.c: tcp_send_syn_data
                [Borrows("syn")]
                private static int tcp_send_syn_data(sk_buff syn, bool flag)
                {
                    __tcp_transmit_skb(syn, true);
                    return __tcp_transmit_skb([|syn|], flag);
                }
                """)
            .Verify<SkbOwnershipAnalyzer>();
    }

    [Fact]
    public void flags_annotations_that_name_no_skb_or_say_both()
    {
        new KernelProject()
            .Port("kernel/net/core/dev.cs", """
                // net/core/dev.c: netif_rx
                [Consumes("sbk")]
                public static int [|netif_rx|](sk_buff [|skb|]) => 0;

                // net/core/dev.c: dev_queue_xmit
                [Consumes("skb")]
                [Borrows("skb")]
                public static int [|dev_queue_xmit|](sk_buff skb) => 0;
                """)
            .Verify<SkbOwnershipAnalyzer>();
    }

    [Fact]
    public void accepts_kernel_shaped_owners_and_borrowers_and_exempts_glue()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                // net/ipv4/ip_input.c: ip_rcv
                [Consumes("skb")]
                public static int ip_rcv(sk_buff skb)
                {
                    if (!pskb_may_pull(skb, 20))
                    {
                        kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
                        return 1;
                    }

                    return NF_HOOK(2, 0, null!, null, skb, null, null, (n, s, b) => 0);
                }

                // net/ipv4/ip_input.c: ip_rcv_options
                [Borrows("skb")]
                private static bool ip_rcv_options(sk_buff skb, out sk_buff? replaced)
                {
                    replaced = null;
                    return pskb_may_pull(skb, 24);
                }
                """)
            .File("kernel/sim/Glue.cs", KernelStubs.Usings + """
                namespace KernelNet.Kernel;
                public static class Glue
                {
                    public static int Len(sk_buff skb) => (int)skb.len;
                }
                """)
            .Verify<SkbOwnershipAnalyzer>();
    }
}
