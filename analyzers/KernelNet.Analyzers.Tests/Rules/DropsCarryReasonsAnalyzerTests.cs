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
                private static void free(sk_buff a, sk_buff b, sk_buff c, sk_buff d, bool csum)
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
