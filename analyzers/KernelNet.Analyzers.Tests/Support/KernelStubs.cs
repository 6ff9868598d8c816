namespace KernelNet.Analyzers.Tests.Support;

/// <summary>
/// Just enough of the port's shapes (sk_buff, skb_drop_reason, skbuff_h,
/// NF_HOOK, a machine device) for test files to compile. It lives outside
/// kernel/ and machine/, so no rule looks at it.
/// </summary>
public static class KernelStubs
{
    /// <summary>The usings a port file of the stubs' shapes starts with.</summary>
    public const string Usings = """
        using System;
        using KernelNet.Annotations;
        using KernelNet.Kernel.Include.Linux;
        using KernelNet.Kernel.Include.Net;
        using static KernelNet.Kernel.Include.Linux.gfp_types_h;
        using static KernelNet.Kernel.Include.Linux.netfilter_h;
        using static KernelNet.Kernel.Include.Linux.skbuff_h;
        using static KernelNet.Kernel.Include.Linux.trace_stubs;
        using static KernelNet.Kernel.Include.Net.skb_drop_reason;

        """;

    public const string Source = """
        using System;
        using KernelNet.Annotations;
        using KernelNet.Kernel.Include.Net;

        namespace KernelNet.Kernel.Include.Net
        {
            public enum skb_drop_reason
            {
                SKB_NOT_DROPPED_YET = 0,
                SKB_CONSUMED,
                SKB_DROP_REASON_NOT_SPECIFIED,
                SKB_DROP_REASON_NO_SOCKET,
                SKB_DROP_REASON_PKT_TOO_SMALL,
                SKB_DROP_REASON_IP_CSUM,
                SKB_DROP_REASON_IP_INHDR,
                SKB_DROP_REASON_OTHERHOST,
            }

            public enum other_reason { OTHER_A = 3 }

            public sealed class net { }

            public sealed class sock { }
        }

        namespace KernelNet.Kernel.Include.Linux
        {
            public sealed class sk_buff
            {
                public uint len;
                public uint pkt_type;
                public sk_buff? next;
                public net_device? dev;
            }

            public sealed class net_device
            {
                public Func<sk_buff, net_device, int>? ndo_start_xmit;
            }

            public static class gfp_types_h
            {
                public const uint GFP_ATOMIC = 0x820;
            }

            public static class skbuff_h
            {
                [Consumes("skb")] public static void kfree_skb(sk_buff skb) { }
                [Consumes("skb")] public static void kfree_skb_reason(sk_buff skb, skb_drop_reason reason) { }
                [Consumes("skb")] public static void consume_skb(sk_buff skb) { }
                [Consumes("skb")] public static sk_buff? skb_share_check(sk_buff skb, uint pri) => skb;
                public static bool pskb_may_pull(sk_buff skb, uint len) => skb.len >= len;
                public static bool skb_csum_bad(sk_buff skb) => false;
            }

            public static class netfilter_h
            {
                public const byte NFPROTO_IPV4 = 2;
                public const uint NF_INET_PRE_ROUTING = 0;

                [Consumes("skb")]
                public static int NF_HOOK(byte pf, uint hook, net net, sock? sk, sk_buff skb, net_device? @in, net_device? @out, Func<net, sock?, sk_buff, int> okfn) => okfn(net, sk, skb);
            }

            public static class trace_stubs
            {
                public static void trace_napi_poll(int work, int budget) { }
                public static void trace_consume_skb(sk_buff skb) { }
                public static void trace_netif_receive_skb(sk_buff skb) { }
            }
        }

        namespace KernelNet.Machine
        {
            [HardwareInterface]
            public sealed class NicRegisters
            {
                public uint Read(int reg) => 0;
                public void Write(int reg, uint value) { }
            }

            public sealed class EventQueue
            {
                public void Schedule(long at) { }
            }

            public sealed class Nic
            {
                [HardwareInterface] public NicRegisters Registers { get; } = new NicRegisters();
                public EventQueue Events { get; } = new EventQueue();
            }
        }
        """;
}
