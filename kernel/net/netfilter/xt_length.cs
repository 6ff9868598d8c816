// Ports net/netfilter/xt_length.c: "-m length --length MIN:MAX", a match on
// the IP datagram's total length.
//
// not ported: the IPv6 variant (length_mt6: no IPv6 tables).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;

namespace KernelNet.Kernel.Net.Netfilter;

public static class xt_length_c
{
    // net/netfilter/xt_length.c: length_mt
    /// <summary>The header's total length (skb_ip_totlen: skb->len for a BIG TCP packet whose tot_len is 0) within [min, max], or outside it when inverted.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool length_mt(sk_buff skb, xt_length_info info)
    {
        // not ported: skb_ip_totlen — field accessors: the port reads or sets these fields directly
        uint pktlen = ip_h.ip_hdr(skb).tot_len;
        if (pktlen == 0)
        {
            pktlen = (uint)skb.len;
        }

        return (pktlen >= info.min && pktlen <= info.max) ^ info.invert;
    }
}
