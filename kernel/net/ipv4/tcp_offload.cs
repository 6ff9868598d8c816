// Ports net/ipv4/tcp_offload.c: software segmentation of a TCP GSO skb
// (tcp4_gso_segment, tcp_gso_segment) for a device without TSO.
// departure: 6.18 patches each segment's checksum from the pseudo-header sum
// (CHECKSUM_PARTIAL, or gso_make_checksum); the port's TCP checksums in
// software (CHECKSUM_NONE), so each segment's checksum is computed afresh
// over its own header and payload.
// not ported: GRO (tcp4_gro_receive, tcp_gro_complete), fraglist GSO
// (__tcp4_gso_segment_list), GSO_PARTIAL, ooo_okay (no XPS).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.tcp_h;
using static KernelNet.Kernel.Include.Net.tcp_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_offload_c
{
    /// <summary>TCPHDR_CWR (include/net/tcp.h): the CWR bit of the flags byte.</summary>
    private const byte TCPHDR_CWR = 0x80;

    // net/ipv4/tcp_offload.c: tcp_gso_tstamp
    /// <summary>The TX timestamp request of a segmented skb goes to the one segment that holds its key (the stamped byte).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    [KernelNet.Annotations.Borrows("gso_skb")]
    private static void tcp_gso_tstamp(sk_buff? skb, sk_buff gso_skb, uint seq, uint mss)
    {
        var flags = (byte)(gso_skb.shinfo.tx_flags & SKBTX_ANY_TSTAMP);
        var ts_seq = gso_skb.shinfo.tskey;

        while (skb is not null)
        {
            if (before(ts_seq, seq + mss))
            {
                skb.shinfo.tx_flags |= flags;
                skb.shinfo.tskey = ts_seq;
                return;
            }

            skb = skb.next;
            seq += mss;
        }
    }

    // net/ipv4/tcp_offload.c: tcp4_gso_segment
    /// <summary>IPv4's TCP gso_segment callback: only a TCPV4 GSO skb with a whole TCP header is cut.</summary>
    public static sk_buff? tcp4_gso_segment(sk_buff skb, ulong features)
    {
        if ((skb.shinfo.gso_type & SKB_GSO_TCPV4) == 0)
        {
            return null;
        }

        if (skb.len < tcphdr.Size)
        {
            return null;
        }

        return tcp_gso_segment(skb, features);
    }

    // net/ipv4/tcp_offload.c: tcp_gso_segment
    /// <summary>
    /// Cuts the payload into gso_size segments (skb_segment) and makes each a
    /// TCP segment of its own: consecutive sequence numbers, FIN and PSH only
    /// on the last, CWR only on the first, its own checksum. The socket's
    /// write-memory charge moves to the segments (so the memory is given back
    /// as the last of them leaves), as 6.18 does for skbs of tcp_wfree.
    /// Null when nothing needs cutting or on failure.
    /// </summary>
    public static sk_buff? tcp_gso_segment(sk_buff skb, ulong features)
    {
        var gso_skb = skb;
        uint sum_truesize = 0;

        var th = tcp_hdr(skb);
        var thlen = th.doff * 4;
        if (thlen < tcphdr.Size || skb.len < thlen)
        {
            return null;
        }

        __skb_pull(skb, thlen);

        var mss = (int)skb.shinfo.gso_size;
        if (skb.len <= mss)
        {
            __skb_push(skb, thlen);
            return null;
        }

        var copy_destructor = gso_skb.destructor == tcp_output_c.tcp_wfree;

        var segs = skb_segment(skb, features);
        __skb_push(skb, thlen);
        if (segs is null)
        {
            return null;
        }

        var iph = ip_hdr(gso_skb);
        var saddr = iph.saddr;
        var daddr = iph.daddr;
        var flags = th.flags;
        var seq = th.seq;

        if ((gso_skb.shinfo.tx_flags & SKBTX_ANY_TSTAMP) != 0)
        {
            tcp_gso_tstamp(segs, gso_skb, seq, (uint)mss);
        }

        for (var seg = segs; seg is not null; seg = seg.next)
        {
            var sth = tcp_hdr(seg);
            sth.seq = seq;
            var f = flags;
            if (seg.next is not null)
            {
                f = (byte)(f & ~(TCPHDR_FIN | TCPHDR_PSH));
            }

            if (seg != segs)
            {
                // ecn_cwr_mask: CWR stays on the first segment (AccECN is not ported)
                f = (byte)(f & ~TCPHDR_CWR);
            }

            sth.flags = f;
            seq += (uint)mss;

            tcp_ipv4_c.__tcp_v4_send_check(seg, saddr, daddr);

            if (copy_destructor && seg.next is not null)
            {
                seg.destructor = gso_skb.destructor;
                seg.sk = gso_skb.sk;
                sum_truesize += seg.truesize;
            }
        }

        // the last segment carries the socket's accounting: what the gso skb held moves to the segments
        if (copy_destructor)
        {
            var last = segs.prev!;
            (gso_skb.sk, last.sk) = (last.sk, gso_skb.sk);
            (gso_skb.destructor, last.destructor) = (last.destructor, gso_skb.destructor);
            sum_truesize += last.truesize;
            var delta = (int)sum_truesize - (int)gso_skb.truesize;
            last.sk!.sk_wmem_alloc += delta;
        }

        return segs;
    }
}
