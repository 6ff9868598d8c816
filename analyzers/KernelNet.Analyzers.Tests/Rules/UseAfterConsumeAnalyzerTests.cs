using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class UseAfterConsumeAnalyzerTests
{
    private static void Verify(string body) =>
        new KernelProject()
            .Port("kernel/net/core/dev.cs", "private static void trace(uint len) { }\n\n" + body)
            .Verify<UseAfterConsumeAnalyzer>();

    [Fact]
    public void flags_read_after_consume_skb()
    {
        Verify("""
            private static void done(sk_buff skb)
            {
                consume_skb(skb);
                trace([|skb|].len);
            }
            """);
    }

    [Fact]
    public void flags_read_after_a_consume_on_one_path()
    {
        Verify("""
            private static uint maybe(sk_buff skb, bool bad)
            {
                if (bad)
                {
                    kfree_skb_reason(skb, SKB_DROP_REASON_IP_CSUM);
                }

                return [|skb|].len;
            }
            """);
    }

    [Fact]
    public void flags_read_in_the_next_loop_iteration()
    {
        Verify("""
            private static void loop(sk_buff skb, int n)
            {
                for (var i = 0; i < n; i++)
                {
                    trace([|skb|].len);
                    consume_skb([|skb|]);
                }
            }
            """);
    }

    [Fact]
    public void allows_reassignment_by_skb_share_check()
    {
        Verify("""
            private static uint shared(sk_buff? skb)
            {
                skb = skb_share_check(skb!, GFP_ATOMIC);
                if (skb == null)
                {
                    return 0;
                }

                return skb.len;
            }
            """);
    }

    [Fact]
    public void allows_nf_hook_with_a_finish_method_group()
    {
        Verify("""
            private static int ip_rcv_finish(net net, sock? sk, sk_buff skb) => (int)skb.len;

            private static int ip_rcv(sk_buff skb, net_device dev, net net)
            {
                trace(skb.len);
                return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, null, skb, dev, null, ip_rcv_finish);
            }
            """);
    }

    [Fact]
    public void allows_reads_on_paths_where_the_skb_was_not_consumed()
    {
        Verify("""
            private static uint branches(sk_buff skb, bool bad, bool done)
            {
                if (bad)
                {
                    kfree_skb_reason(skb, SKB_DROP_REASON_IP_CSUM);
                    return 0;
                }

                if (done)
                {
                    consume_skb(skb);
                }
                else
                {
                    trace(skb.len);
                }

                return 2;
            }
            """);
    }

    [Fact]
    public void kernel_shaped_dequeue_loops_that_free_each_skb_stay_clean()
    {
        Verify("""
            private static sk_buff? __skb_dequeue(sk_buff? head) => head?.next;

            private static void skb_queue_purge(sk_buff head, (int, int, sk_buff)[] fragments, sk_buff?[] ring)
            {
                while (__skb_dequeue(head) is { } skb)
                {
                    trace(skb.len);
                    kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
                }

                foreach (var (_, _, frag) in fragments)
                {
                    trace(frag.len);
                    consume_skb(frag);
                }

                foreach (var slot in ring)
                {
                    if (slot is sk_buff s)
                    {
                        consume_skb(s);
                    }
                }
            }
            """);
    }

    [Fact]
    public void kernel_shaped_ip_rcv_core_label_ladder_stays_clean()
    {
        Verify("""
            [Consumes("skb")]
            private static sk_buff? ip_rcv_core(sk_buff skb, net net)
            {
                skb_drop_reason drop_reason;
                if (skb.pkt_type == 3)
                {
                    drop_reason = SKB_DROP_REASON_OTHERHOST;
                    goto drop;
                }

                var shared = skb_share_check(skb, GFP_ATOMIC);
                if (shared is null)
                {
                    goto @out;
                }

                skb = shared;
                drop_reason = SKB_DROP_REASON_NOT_SPECIFIED;
                if (!pskb_may_pull(skb, 20))
                {
                    goto inhdr_error;
                }

                if (skb_csum_bad(skb))
                {
                    goto csum_error;
                }

                return skb;

            csum_error:
                drop_reason = SKB_DROP_REASON_IP_CSUM;
            inhdr_error:
                drop_reason = SKB_DROP_REASON_IP_INHDR;
            drop:
                kfree_skb_reason(skb, drop_reason);
            @out:
                return null;
            }

            [Consumes("skb")]
            private static int ip_rcv(sk_buff skb, net_device dev, net net)
            {
                var checkedSkb = ip_rcv_core(skb, net);
                if (checkedSkb is null)
                {
                    return 1;
                }

                return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, null, checkedSkb, dev, null, ip_rcv_finish);
            }

            private static int ip_rcv_finish(net net, sock? sk, sk_buff skb) => 0;
            """);
    }

    /// <summary>A neigh_event_send-shaped consumer: takes the skb only when it returns non-zero.</summary>
    private const string WhenNonZero = """
        [Consumes("skb", WhenReturnsNonZero = true)]
        private static int neigh_event_send(sk_buff skb) => 0;

        """;

    /// <summary>A __netif_receive_skb_core-shaped consumer: hands the skb back with a non-null handler.</summary>
    private const string UnlessSet = """
        [Consumes("skb", UnlessSet = nameof(ppt_prev))]
        private static int receive_core(sk_buff skb, out Func<sk_buff, int>? ppt_prev)
        {
            ppt_prev = null;
            return 0;
        }

        """;

    [Fact]
    public void kernel_shaped_neigh_resolve_output_reads_the_skb_it_was_given_back()
    {
        Verify(WhenNonZero + """
            private static int resolve_output(sk_buff skb)
            {
                var rc = 0;
                if (neigh_event_send(skb) == 0)
                {
                    trace(skb.len);
                    consume_skb(skb);
                }

                return rc;
            }

            private static uint resolve_or_bail(sk_buff skb)
            {
                if (neigh_event_send(skb) != 0)
                {
                    return 0;
                }

                return skb.len;
            }
            """);
    }

    [Fact]
    public void flags_reads_where_a_conditional_consumer_returned_non_zero_or_was_not_tested()
    {
        Verify(WhenNonZero + """
            private static void queued(sk_buff skb)
            {
                if (neigh_event_send(skb) != 0)
                {
                    trace([|skb|].len);
                }
            }

            private static void untested(sk_buff skb)
            {
                var rc = neigh_event_send(skb);
                if (rc == 0)
                {
                    trace([|skb|].len);
                }
            }
            """);
    }

    [Fact]
    public void kernel_shaped_receive_one_core_delivers_the_skb_handed_back()
    {
        Verify(UnlessSet + """
            private static int receive_one_core(sk_buff skb)
            {
                var ret = receive_core(skb, out var pt_prev);
                if (pt_prev is not null)
                {
                    ret = pt_prev(skb);
                }

                return ret;
            }

            private static int receive_or_bail(sk_buff skb)
            {
                var ret = receive_core(skb, out var pt_prev);
                if (pt_prev == null)
                {
                    return ret;
                }

                return pt_prev(skb) + (int)skb.len;
            }
            """);
    }

    [Fact]
    public void flags_reads_of_an_skb_not_handed_back()
    {
        Verify(UnlessSet + """
            private static void before_the_test(sk_buff skb)
            {
                receive_core(skb, out var pt_prev);
                trace([|skb|].len);
            }

            private static void on_the_null_branch(sk_buff skb)
            {
                receive_core(skb, out var pt_prev);
                if (pt_prev is null)
                {
                    trace([|skb|].len);
                }
            }

            private static void after_the_join(sk_buff skb)
            {
                receive_core(skb, out var pt_prev);
                if (pt_prev != null)
                {
                    pt_prev(skb);
                }

                trace([|skb|].len);
            }
            """);
    }

    [Fact]
    public void ignores_code_outside_kernel()
    {
        new KernelProject()
            .File("tests/net/core/skbuff_tests.cs", KernelStubs.Usings + """
                namespace KernelNet.Tests;
                public static class skbuff_tests
                {
                    public static uint after_free(sk_buff skb)
                    {
                        consume_skb(skb);
                        return skb.len;
                    }
                }
                """)
            .Verify<UseAfterConsumeAnalyzer>();
    }
}
