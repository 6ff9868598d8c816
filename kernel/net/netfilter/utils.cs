// Ports net/netfilter/utils.c: the checksum check conntrack runs on received
// packets (nf_ip_checksum), so that a corrupt packet is judged invalid
// rather than tracked.
//
// departure: the check leaves ip_summed and skb->csum as they were (skb->csum
// is not modelled); the transport verifies the sum again on delivery.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Net.checksum_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class utils_c
{
    // net/netfilter/utils.c: nf_ip_checksum
    /// <summary>0 when the transport checksum from <paramref name="dataoff"/> is right (or the device vouched for it); non-zero when it is wrong.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort nf_ip_checksum(sk_buff skb, nf_inet_hooks hook, int dataoff, byte protocol)
    {
        // not ported: __skb_checksum_complete — there is no skb->csum to take the pseudo-header sum: the sum from
        //   dataoff is taken here with the pseudo-header and folded, and ip_summed is left as it was (see the header)
        _ = hook;
        if (skb.ip_summed != skbuff_h.CHECKSUM_NONE && skb.ip_summed != skbuff_h.CHECKSUM_COMPLETE)
        {
            return 0;
        }

        var iph = Include.Linux.ip_h.ip_hdr(skb);
        uint csum = 0;
        if (protocol == Include.Uapi.Linux.in_h.IPPROTO_TCP || protocol == Include.Uapi.Linux.in_h.IPPROTO_UDP)
        {
            csum = csum_tcpudp_nofold(iph.saddr, iph.daddr, skb.len - dataoff, protocol, 0);
        }

        return csum_fold(Core.skbuff_c.skb_checksum(skb, dataoff, skb.len - dataoff, csum));
    }

    // not ported: nf_ip6_checksum — no IPv6
    // net/netfilter/utils.c: nf_checksum
    [KernelNet.Annotations.Borrows("skb")]
    public static ushort nf_checksum(sk_buff skb, nf_inet_hooks hook, int dataoff, byte protocol, byte family) =>
        family == netfilter_h.NFPROTO_IPV4 ? nf_ip_checksum(skb, hook, dataoff, protocol) : (ushort)0;
}
