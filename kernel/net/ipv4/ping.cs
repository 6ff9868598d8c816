// Ports net/ipv4/ping.c: echo replies are delivered to ICMP "ping" sockets
// by their echo identifier.
//
// not ported yet: the ping sockets themselves (SOCK_DGRAM, IPPROTO_ICMP):
// with none open, every echo reply is dropped NO_SOCKET, as on a kernel
// where no ping socket is bound to that identifier.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.skbuff_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class ping_c
{
    // net/ipv4/ping.c: ping_lookup
    private static sock? ping_lookup(net net, sk_buff skb, ushort ident) => null;

    // net/ipv4/ping.c: ping_rcv
    /// <summary>Pushes the ICMP header back and queues the reply on the ping socket with its identifier.</summary>
    [Consumes("skb")]
    public static skb_drop_reason ping_rcv(sk_buff skb)
    {
        var net = skb.dev!.nd_net;
        KernelNet.Kernel.Net.Core.skbuff_c.skb_push(skb, skb.data - skb.transport_header);
        var ident = get_be16(skb, skb.transport_header + 4);
        var sk = ping_lookup(net, skb, ident);
        if (sk is not null)
        {
            return skb_drop_reason.SKB_NOT_DROPPED_YET;
        }

        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NO_SOCKET);
        return skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
    }
}
