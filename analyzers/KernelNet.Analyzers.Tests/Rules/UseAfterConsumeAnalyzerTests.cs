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

            private static void result_overwritten(sk_buff skb)
            {
                var rc = neigh_event_send(skb);
                rc = 0;
                if (rc == 0)
                {
                    trace([|skb|].len);
                }
            }

            private static void result_passed_on(sk_buff skb)
            {
                trace((uint)neigh_event_send(skb));
                trace([|skb|].len);
            }
            """);
    }

    /// <summary>An nf_hook-shaped consumer (1: accepted, the caller goes on), a tcp_rcv_state_process-shaped one (0: taken; a reason hands it back) and an igb_cleanup_headers-shaped bool.</summary>
    private const string OnResult = """
        [Consumes("skb", UnlessReturns = 1)]
        private static int hook(sk_buff skb) => 1;

        [Consumes("skb", WhenReturns = 0)]
        private static skb_drop_reason state_process(sk_buff skb) => 0;

        [Consumes("skb", WhenReturnsNonZero = true)]
        private static bool cleanup(sk_buff skb) => false;

        [Consumes("skb", WhenReturns = 0)]
        private static sk_buff? cookie_check(sk_buff skb) => skb;

        """;

    [Fact]
    public void kernel_shaped_nf_hook_and_tcp_v4_do_rcv_follow_the_stored_or_tested_result()
    {
        Verify(OnResult + """
            private static int nf_hook_then_okfn(sk_buff skb)
            {
                var ret = hook(skb);
                if (ret == 1)
                {
                    trace(skb.len);
                    consume_skb(skb);
                }

                return ret;
            }

            private static int do_rcv(sk_buff skb)
            {
                var reason = state_process(skb);
                if (reason != 0)
                {
                    kfree_skb_reason(skb, reason);
                    return 1;
                }

                return 0;
            }

            private static int child(sk_buff skb)
            {
                if (state_process(skb) != SKB_NOT_DROPPED_YET)
                {
                    kfree_skb_reason(skb, SKB_DROP_REASON_IP_CSUM);
                }

                return 0;
            }

            private static uint cookie_or_bail(sk_buff skb)
            {
                var nsk = cookie_check(skb);
                if (nsk is null)
                {
                    return 0;
                }

                return skb.len;
            }

            private static uint rx_clean(sk_buff skb)
            {
                if (cleanup(skb))
                {
                    return 0;
                }

                return skb.len;
            }
            """);
    }

    [Fact]
    public void a_set_clone_flag_leaves_the_skb_with_the_caller_and_anything_else_consumes_it()
    {
        Verify("""
            [Consumes("skb", UnlessArgument = nameof(clone_it))]
            private static int transmit(sk_buff skb, bool clone_it) => 0;

            private static uint write_xmit(sk_buff skb, bool flag)
            {
                transmit(skb, true);
                trace(skb.len);
                transmit(skb, flag);
                return [|skb|].len;
            }

            private static uint send_ack(sk_buff skb)
            {
                transmit(skb, false);
                return [|skb|].len;
            }
            """);
    }

    [Fact]
    public void kernel_shaped_tcp_rcv_state_process_drops_only_what_it_did_not_queue()
    {
        Verify("""
            private static int state_process(sk_buff skb, int state)
            {
                var queued = false;
                switch (state)
                {
                    case 1:
                        consume_skb(skb);
                        queued = true;
                        break;
                }

                if (!queued)
                {
                    goto discard;
                }

                return 0;

            discard:
                consume_skb(skb);
                return 0;
            }

            private static void flag_set_again(sk_buff skb, bool other)
            {
                var queued = false;
                consume_skb(skb);
                queued = true;
                queued = other;
                if (!queued)
                {
                    trace([|skb|].len);
                }
            }

            private static void flag_counted_on(sk_buff skb, int n)
            {
                var i = 0;
                consume_skb(skb);
                i = 1;
                i++;
                if (i == 0)
                {
                    trace([|skb|].len);
                }
            }

            private static void flag_says_consumed(sk_buff skb)
            {
                var queued = false;
                consume_skb(skb);
                queued = true;
                if (queued)
                {
                    trace([|skb|].len);
                }
            }
            """);
    }

    [Fact]
    public void flags_reads_on_the_results_that_consumed()
    {
        Verify(OnResult + """
            private static void hook_dropped(sk_buff skb)
            {
                var ret = hook(skb);
                if (ret != 1)
                {
                    trace([|skb|].len);
                }
            }

            private static void taken(sk_buff skb)
            {
                var reason = state_process(skb);
                if (reason == 0)
                {
                    trace([|skb|].len);
                }
            }

            private static void negative_test_does_not_settle_it(sk_buff skb)
            {
                var ret = hook(skb);
                if (ret < 0)
                {
                    return;
                }

                trace([|skb|].len);
            }

            private static void no_cookie(sk_buff skb)
            {
                var nsk = cookie_check(skb);
                if (nsk == null)
                {
                    trace([|skb|].len);
                }
            }

            private static void cleaned(sk_buff skb)
            {
                if (!cleanup(skb))
                {
                    return;
                }

                trace([|skb|].len);
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
