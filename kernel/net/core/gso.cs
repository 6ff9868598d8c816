// Ports net/core/gso.c: software segmentation from the MAC layer down —
// __skb_gso_segment (the transmit path's entry) and skb_mac_gso_segment,
// which hands the skb, past its link header, to the network protocol's
// gso_segment callback.
// not ported: the offload_base list (the only packet_offload is IPv4's,
// inet_gso_segment, called directly), GSO_PARTIAL, skb_eth_gso_segment,
// skb_gso_validate_mac_len and skb_gso_mac_seglen (no caller: no bridge or
// tunnel checks the MAC length), the encapsulation and SCTP branches of
// skb_gso_transport_seglen (no tunnels, no SCTP).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Annotations;
using static KernelNet.Kernel.Include.Linux.skbuff_h;

namespace KernelNet.Kernel.Net.Core;

public static class gso_c
{
    // net/core/gso.c: skb_mac_gso_segment
    /// <summary>
    /// Skips the link header and lets the network protocol segment the
    /// packet; the skb's data goes back to its MAC header afterwards. Null
    /// for a protocol without a segmentation handler (-EPROTONOSUPPORT).
    /// </summary>
    [Borrows("skb")]
    public static sk_buff? skb_mac_gso_segment(sk_buff skb, ulong features)
    {
        // not ported: skb_network_protocol — no VLAN in the protocol: skb->protocol is read directly, IPv4 is the one protocol with a gso_segment callback
        sk_buff? segs = null;
        var vlan_depth = skb.mac_len;

        __skb_pull(skb, vlan_depth);

        // the offload_base walk: IPv4 is the one protocol with a gso_segment callback
        if (skb.protocol == if_ether_h.ETH_P_IP)
        {
            segs = Ipv4.af_inet_c.inet_gso_segment(skb, features);
        }

        __skb_push(skb, skb.data - skb_mac_header(skb));
        return segs;
    }

    // net/core/gso.c: skb_needs_check
    /// <summary>
    /// Will segmenting this skb have to set up its transport checksum? On
    /// transmit, unless the sum is left to the device or was verified; on
    /// receive (forwarding), when nothing checked it.
    /// </summary>
    [Borrows("skb")]
    private static bool skb_needs_check(sk_buff skb, bool tx_path)
    {
        if (tx_path)
        {
            return skb.ip_summed != CHECKSUM_PARTIAL && skb.ip_summed != CHECKSUM_UNNECESSARY;
        }

        return skb.ip_summed == CHECKSUM_NONE;
    }

    // net/core/gso.c: __skb_gso_segment
    /// <summary>
    /// Cuts a GSO skb into a chain of wire-sized segments (linked by next)
    /// for a device that cannot do it; <paramref name="skb"/> itself is not
    /// consumed. Null when segmentation failed.
    /// </summary>
    [Borrows("skb")]
    [Borrows("skb")]
    public static sk_buff? __skb_gso_segment(sk_buff skb, ulong features, bool tx_path)
    {
        // The protocol will write the check field: the header must be the skb's own.
        if (skb_needs_check(skb, tx_path) && skb_cow_head(skb, 0) < 0)
        {
            return null;
        }
        // not ported: skb_gso_ok, SKB_GSO_CB, skb_headroom — no NETIF_F_GSO_PARTIAL, and no tunnels to come back out of

        // not ported: NETIF_F_GSO_PARTIAL — no device of the port offers it; skb_warn_bad_offload's
        // report of a segmented skb that needed the check — a kernel log the simulation does not keep.
        // SKB_GSO_CB's mac_offset and encap_level: no tunnels to come back out of.
        skb_reset_mac_header(skb);
        skb_reset_mac_len(skb);

        return skb_mac_gso_segment(skb, features);
    }

    // net/core/gso.c: skb_gso_transport_seglen
    /// <summary>The length each segment of a GSO skb will have from its transport header on: the TCP header (or UDP's for USO) plus gso_size.</summary>
    [Borrows("skb")]
    private static uint skb_gso_transport_seglen(sk_buff skb)
    {
        // not ported: skb_inner_transport_header, inner_tcp_hdrlen, skb_is_gso_sctp, skb_transport_header — no tunnels or SCTP; the TCP header length is read through tcp_hdrlen
        var shinfo = skb.shinfo;
        uint thlen = 0;

        // not ported: skb->encapsulation (inner headers) and SCTP — no tunnels, no SCTP in the port.
        if ((shinfo.gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) != 0)
        {
            thlen = (uint)Include.Linux.tcp_h.tcp_hdrlen(skb);
        }
        else if ((shinfo.gso_type & SKB_GSO_UDP_L4) != 0)
        {
            thlen = udphdr.Size;
        }

        // UFO counts the UDP header in gso_size already.
        return thlen + shinfo.gso_size;
    }

    // net/core/gso.c: skb_gso_network_seglen
    /// <summary>The length of each segment from the network header on: IP header, transport header, gso_size of payload.</summary>
    [Borrows("skb")]
    private static uint skb_gso_network_seglen(sk_buff skb)
    {
        var hdr_len = (uint)(skb_transport_header(skb) - skb_network_header(skb));
        return hdr_len + skb_gso_transport_seglen(skb);
    }

    // net/core/gso.c: skb_gso_size_check
    /// <summary>Whether every segment fits max_len: one comparison, or for GSO_BY_FRAGS each frag_list member's head.</summary>
    [Borrows("skb")]
    private static bool skb_gso_size_check(sk_buff skb, uint seg_len, uint max_len)
    {
        // not ported: skb_walk_frags — the frag_list is walked directly
        var shinfo = skb.shinfo;
        if (shinfo.gso_size != GSO_BY_FRAGS)
        {
            return seg_len <= max_len;
        }

        // the header sizes again, without the GSO_BY_FRAGS marker
        seg_len -= GSO_BY_FRAGS;
        for (var iter = shinfo.frag_list; iter is not null; iter = iter.next)
        {
            if (seg_len + skb_headlen(iter) > max_len)
            {
                return false;
            }
        }

        return true;
    }

    // net/core/gso.c: skb_gso_validate_network_len
    /// <summary>Whether a GSO skb, once cut into segments, gives IP packets of at most <paramref name="mtu"/> bytes (a router's check before forwarding it whole).</summary>
    [Borrows("skb")]
    public static bool skb_gso_validate_network_len(sk_buff skb, uint mtu) => skb_gso_size_check(skb, skb_gso_network_seglen(skb), mtu);
}
