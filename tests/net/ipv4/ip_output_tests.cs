using System.Collections.Generic;
using System.Linq;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Ipv4;

/// <summary>demonstrates LAYER-2 and RX-14: one buffer from the sender's IP layer to the receiver's, headers pushed and pulled in place.</summary>
public sealed class ip_output_tests
{
    [Fact]
    public void headers_are_pushed_and_pulled_in_the_same_buffer_without_copying_the_payload()
    {
        var hosts = TwoHosts.OnVeth();
        var (t, a, b, _, vb) = hosts;
        var seen = new List<(string Where, byte[] Head, int Data, int Net)>();
        uint Record(string where, sk_buff skb)
        {
            if (skb.protocol == if_ether_h.ETH_P_IP && Include_ip(skb) == 17)
            {
                seen.Add((where, skb.head, skb.data, skb.network_header));
            }

            return KernelNet.Kernel.Include.Linux.netfilter_h.NF_ACCEPT;
        }

        KernelNet.Kernel.Net.Netfilter.core_c.nf_register_net_hook(a.Net, new nf_hook_ops((_, skb, _) => Record("A LOCAL_OUT", skb), 2, nf_inet_hooks.NF_INET_LOCAL_OUT, 0));
        KernelNet.Kernel.Net.Netfilter.core_c.nf_register_net_hook(b.Net, new nf_hook_ops((_, skb, _) => Record("B LOCAL_IN", skb), 2, nf_inet_hooks.NF_INET_LOCAL_IN, 0));
        dev_add_pack(t.K, new packet_type(if_ether_h.ETH_P_ALL, (skb, dev, pt, orig) =>
        {
            Record("B tap", skb);
            consume_skb(skb);
            return 0;
        }) { dev = vb });
        byte[]? got = null;
        hosts.ReceiveOnceOnB(100, r => got = r.Data);
        hosts.SendOnceFromA(new byte[] { 9, 8, 7 });

        t.Run(1_000_000_000);

        Assert.Equal(new byte[] { 9, 8, 7 }, got);
        Assert.Equal(new[] { "A LOCAL_OUT", "B tap", "B LOCAL_IN" }, seen.Select(s => s.Where).ToArray());
        // The same buffer all the way: the IP header never moved.
        Assert.All(seen, s => Assert.Same(seen[0].Head, s.Head));
        Assert.All(seen, s => Assert.Equal(seen[0].Net, s.Net));
        // IP layer: data at the IP header. The tap runs after eth_type_trans
        // pulled the 14-byte Ethernet header that A pushed in front of it.
        Assert.Equal(seen[0].Net, seen[0].Data);
        Assert.Equal(seen[1].Net, seen[1].Data);
        Assert.Equal(seen[2].Net, seen[2].Data);
        Assert.Equal(0, t.K.leaked_skbs());
    }

    private static byte Include_ip(sk_buff skb) => skb.head[skb.network_header + 9];
}
