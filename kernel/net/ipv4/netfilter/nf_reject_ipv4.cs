// Ports net/ipv4/netfilter/nf_reject_ipv4.c: answering a rejected packet —
// here the ICMP destination-unreachable of nf_send_unreach.
//
// not ported: nf_send_reset and the RST builders (the tcp-reset answer),
// nf_reject_fill_skb_dst (a rejected packet in these hooks always has its
// route: INPUT, FORWARD and OUTPUT run after routing).
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Uapi.Linux.icmp_h;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

public static class nf_reject_ipv4_c
{
    // net/ipv4/netfilter/nf_reject_ipv4.c: nf_send_unreach
    /// <summary>ICMP destination unreachable (<paramref name="code"/>) about <paramref name="skb_in"/>, unless it is a later fragment or its checksum is wrong.</summary>
    [KernelNet.Annotations.Borrows("skb_in")]
    public static void nf_send_unreach(sk_buff skb_in, byte code, nf_inet_hooks hook)
    {
        // not ported: ip_hdrlen, skb_dst — field accessors: the port reads or sets these fields directly
        var iph = Include.Linux.ip_h.ip_hdr(skb_in);
        var dataoff = iph.ihl * 4;
        var proto = iph.protocol;
        if ((iph.frag_off & Include.Uapi.Linux.ip_h.IP_OFFSET) != 0)
        {
            return;
        }

        if (skb_in.dst is null)
        {
            return;
        }

        if (skbuff_h.skb_csum_unnecessary(skb_in) || !Include.Net.Netfilter.nf_reject_h.nf_reject_verify_csum(skb_in, dataoff, proto))
        {
            Include.Net.icmp_h.icmp_send(skb_in, ICMP_DEST_UNREACH, code, 0);
            return;
        }

        if (Net.Netfilter.utils_c.nf_ip_checksum(skb_in, hook, dataoff, proto) == 0)
        {
            Include.Net.icmp_h.icmp_send(skb_in, ICMP_DEST_UNREACH, code, 0);
        }
    }
}
