using KernelNet.Analyzers.Rules;
using KernelNet.Analyzers.Tests.Support;
using Xunit;

namespace KernelNet.Analyzers.Tests.Rules;

public sealed class DropsCarryReasonsAnalyzerTests
{
    [Fact]
    public void flags_kfree_skb_without_reason()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/udp.cs", """
                private static void drop(sk_buff skb)
                {
                    [|kfree_skb(skb)|];
                }
                """)
            .Verify<DropsCarryReasonsAnalyzer>();
    }

    [Fact]
    public void flags_not_specified_where_6_18_gives_a_reason_and_allows_it_where_6_18_does_not()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/udp.cs", """
                // net/ipv4/udp.c: udp_lib_get_port
                private static int udp_lib_get_port(sk_buff skb)
                {
                    kfree_skb_reason(skb, [|SKB_DROP_REASON_NOT_SPECIFIED|]);
                    return 0;
                }

                // net/ipv4/udp.c: udp_queue_rcv_one_skb
                private static int udp_queue_rcv_one_skb(sk_buff skb)
                {
                    var drop_reason = SKB_DROP_REASON_NOT_SPECIFIED;
                    kfree_skb_reason(skb, drop_reason);
                    return 0;
                }

                // net/ipv4/udp.c: udp_recvmsg
                private static int udp_recvmsg(sk_buff skb)
                {
                    kfree_skb(skb);
                    return 0;
                }

                // net/ipv4/udp.c: udp_err
                private static int udp_err(sk_buff skb)
                {
                    [|kfree_skb(skb)|];
                    return 0;
                }
                """)
            .Verify<DropsCarryReasonsAnalyzer>();
    }

    [Fact]
    public void the_message_names_the_function_and_the_fix()
    {
        var diagnostics = new KernelProject()
            .Port("kernel/net/ipv4/udp.cs", """
                // net/ipv4/udp.c: udp_err
                private static void udp_err(sk_buff skb) => kfree_skb(skb);
                """)
            .Run(new DropsCarryReasonsAnalyzer());

        Assert.Equal(
            "kfree_skb drops without a reason, but 6.18's udp_err (net/ipv4/udp.c) never drops with SKB_DROP_REASON_NOT_SPECIFIED: pass the SKB_DROP_REASON_* 6.18 gives at this site to kfree_skb_reason, or call consume_skb if this is not a drop",
            Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public void flags_reasons_given_as_numbers_or_casts()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/udp.cs", """
                private static void drop(sk_buff a, sk_buff b, sk_buff c, sk_buff d)
                {
                    kfree_skb_reason(a, [|(skb_drop_reason)3|]);
                    kfree_skb_reason(b, [|0|]);
                    kfree_skb_reason(c, [|default|]);
                    udp_drop(d, [|(skb_drop_reason)other_reason.OTHER_A|]);
                }

                private static void udp_drop(sk_buff skb, skb_drop_reason reason) => kfree_skb_reason(skb, reason);
                """)
            .Verify<DropsCarryReasonsAnalyzer>();
    }

    [Fact]
    public void allows_enum_members_reason_variables_and_consume_skb()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/udp.cs", """
                // net/ipv4/udp.c: udp_queue_rcv_one_skb
                private static void udp_queue_rcv_one_skb(sk_buff a, sk_buff b, sk_buff c, sk_buff d, bool csum)
                {
                    kfree_skb_reason(a, SKB_DROP_REASON_NO_SOCKET);
                    kfree_skb_reason(b, skb_drop_reason.SKB_DROP_REASON_PKT_TOO_SMALL);
                    var reason = csum ? SKB_DROP_REASON_IP_CSUM : SKB_DROP_REASON_NOT_SPECIFIED;
                    udp_drop(c, reason);
                    consume_skb(d);
                }

                private static void udp_drop(sk_buff skb, skb_drop_reason reason) => kfree_skb_reason(skb, reason);
                """)
            .Verify<DropsCarryReasonsAnalyzer>();
    }

    [Fact]
    public void ignores_code_outside_kernel()
    {
        new KernelProject()
            .File("tests/net/udp_tests.cs", KernelStubs.Usings + """
                namespace KernelNet.Tests;
                public static class udp_tests
                {
                    public static void frees(sk_buff skb) => kfree_skb(skb);
                }
                """)
            .Verify<DropsCarryReasonsAnalyzer>();
    }

    [Fact]
    public void kernel_shaped_ip_rcv_core_label_ladder_stays_clean()
    {
        new KernelProject()
            .Port("kernel/net/ipv4/ip_input.cs", """
                private const uint PACKET_OTHERHOST = 3;

                // net/ipv4/ip_input.c: ip_rcv_core
                [Consumes("skb")]
                private static sk_buff? ip_rcv_core(sk_buff skb, net net)
                {
                    skb_drop_reason drop_reason;

                    if (skb.pkt_type == PACKET_OTHERHOST)
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

                    if (skb.len < 20)
                    {
                        drop_reason = SKB_DROP_REASON_PKT_TOO_SMALL;
                        goto drop;
                    }

                    return skb;

                csum_error:
                    drop_reason = SKB_DROP_REASON_IP_CSUM;
                inhdr_error:
                    if (drop_reason == SKB_DROP_REASON_NOT_SPECIFIED)
                    {
                        drop_reason = SKB_DROP_REASON_IP_INHDR;
                    }
                drop:
                    kfree_skb_reason(skb, drop_reason);
                @out:
                    return null;
                }
                """)
            .Verify<DropsCarryReasonsAnalyzer>();
    }
}
