// Ports include/net/netfilter/nf_reject.h: the check shared by the reject
// targets of whether a packet's checksum must be verified before answering it.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net.Netfilter;

public static class nf_reject_h
{
    // include/net/netfilter/nf_reject.h: nf_reject_verify_csum
    /// <summary>Whether the transport checksum needs verifying: UDP without a checksum (0) does not.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool nf_reject_verify_csum(sk_buff skb, int dataoff, byte proto)
    {
        // not ported: the GRE, AH, ESP, SCTP and UDP-Lite cases — the simulation carries none of those protocols.
        if (proto == Uapi.Linux.in_h.IPPROTO_UDP)
        {
            System.Span<byte> buf = stackalloc byte[8];
            var udp = skbuff_h.skb_header_pointer(skb, dataoff, 8, buf);
            return udp.IsEmpty || System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(udp[6..]) != 0;
        }

        return true;
    }
}
