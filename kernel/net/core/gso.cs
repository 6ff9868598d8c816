// Ports net/core/gso.c: software segmentation from the MAC layer down —
// __skb_gso_segment (the transmit path's entry) and skb_mac_gso_segment,
// which hands the skb, past its link header, to the network protocol's
// gso_segment callback.
// not ported: the offload_base list (the only packet_offload is IPv4's,
// inet_gso_segment, called directly), GSO_PARTIAL, skb_eth_gso_segment,
// skb_gso_validate_*_len (no forwarding of GSO packets), the checksum check
// of skb_needs_check (the port's TCP checksums in software: see
// netif_needs_gso).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
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
    public static sk_buff? skb_mac_gso_segment(sk_buff skb, ulong features)
    {
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

    // net/core/gso.c: __skb_gso_segment
    /// <summary>
    /// Cuts a GSO skb into a chain of wire-sized segments (linked by next)
    /// for a device that cannot do it; <paramref name="skb"/> itself is not
    /// consumed. Null when segmentation failed.
    /// </summary>
    public static sk_buff? __skb_gso_segment(sk_buff skb, ulong features, bool tx_path)
    {
        _ = tx_path;

        // SKB_GSO_CB's mac_offset and encap_level: no tunnels to come back out of.
        skb_reset_mac_header(skb);
        skb_reset_mac_len(skb);

        return skb_mac_gso_segment(skb, features);
    }
}
