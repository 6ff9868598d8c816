// Ports include/linux/virtio_net.h: turning a virtio_net_hdr that came with a
// packet into the skb's GSO fields (virtio_net_hdr_to_skb), and an skb's GSO
// and checksum state into a header for the reader (virtio_net_hdr_from_skb).
// tun uses both when the file was opened with IFF_VNET_HDR.
//
// not ported: the UDP tunnel header (virtio_net_hdr_tnl_to_skb/_from_skb
// beyond refusing a tunnel GSO type nobody negotiated), and
// VIRTIO_NET_HDR_F_NEEDS_CSUM on input — skb_partial_csum_set is not ported,
// so such a header is refused (-EINVAL) rather than half taken.
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_net_h;

namespace KernelNet.Kernel.Include.Linux;

public static class virtio_net_h
{
    private const int EINVAL = 22;

    /// <summary>sizeof(struct iphdr), sizeof(struct ipv6hdr), sizeof(struct tcphdr), sizeof(struct udphdr).</summary>
    private const uint IPHDR_LEN = 20, IPV6HDR_LEN = 40, TCPHDR_LEN = 20, UDPHDR_LEN = 8;

    /// <summary>__cpu_to_virtio16 (virtio_byteorder.h): the host is little-endian, so a big-endian header swaps.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/linux/virtio_byteorder.h's __virtio16_to_cpu, a header not ported")]
    private static ushort Virtio16(bool little_endian, ushort val) =>
        little_endian ? val : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(val);


    // include/linux/virtio_net.h: __virtio_net_hdr_to_skb
    /// <summary>
    /// Checks the header against the packet and, for a GSO header whose packet
    /// is longer than one segment, makes the skb a GSO skb: gso_size from the
    /// header, gso_type the SKB_GSO_* of the header's type (ECN kept), marked
    /// SKB_GSO_DODGY with gso_segs 0 — the writer is not trusted, so the
    /// segment count is for whoever segments it to work out. A packet that
    /// fits in one segment is left alone. -EINVAL for an unknown type, a zero
    /// or GSO_BY_FRAGS size, or headers too short for the type.
    /// </summary>
    [Borrows("skb")]
    public static int __virtio_net_hdr_to_skb(sk_buff skb, virtio_net_hdr hdr, bool little_endian, byte hdr_gso_type)
    {
        System.ArgumentNullException.ThrowIfNull(skb);
        System.ArgumentNullException.ThrowIfNull(hdr);
        var nh_min_len = IPHDR_LEN;
        uint gso_type = 0;
        uint thlen = 0;
        uint p_off = 0;

        if (hdr_gso_type != VIRTIO_NET_HDR_GSO_NONE)
        {
            switch (hdr_gso_type & ~VIRTIO_NET_HDR_GSO_ECN)
            {
                case VIRTIO_NET_HDR_GSO_TCPV4:
                    gso_type = SKB_GSO_TCPV4;
                    thlen = TCPHDR_LEN;
                    break;
                case VIRTIO_NET_HDR_GSO_TCPV6:
                    gso_type = SKB_GSO_TCPV6;
                    thlen = TCPHDR_LEN;
                    nh_min_len = IPV6HDR_LEN;
                    break;
                case VIRTIO_NET_HDR_GSO_UDP:
                    gso_type = SKB_GSO_UDP;
                    thlen = UDPHDR_LEN;
                    break;
                case VIRTIO_NET_HDR_GSO_UDP_L4:
                    gso_type = SKB_GSO_UDP_L4;
                    thlen = UDPHDR_LEN;
                    break;
                default:
                    return -EINVAL;
            }

            if ((hdr_gso_type & VIRTIO_NET_HDR_GSO_ECN) != 0)
            {
                gso_type |= SKB_GSO_TCP_ECN;
            }

            if (hdr.gso_size == 0)
            {
                return -EINVAL;
            }
        }

        skb_reset_mac_header(skb);

        if ((hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0)
        {
            // not ported: skb_partial_csum_set, skb_transport_offset — the NEEDS_CSUM branch (see the file head):
            //   such a header is refused
            return -EINVAL;
        }

        if (gso_type != 0 && skb.network_header != 0)
        {
            // not ported: dev_parse_header_protocol, virtio_net_hdr_set_proto, virtio_net_hdr_match_proto,
            //   skb_flow_dissect_flow_keys_basic, skb_set_transport_header — no flow dissector: a GSO header whose
            //   caller set a network header first (packet sockets) is refused; tun calls before setting one, so
            //   it takes the branch below
            return -EINVAL;
        }

        if (gso_type != 0)
        {
            // the IP and transport headers the type names must at least be there
            p_off = nh_min_len + thlen;
            if (!pskb_may_pull(skb, (int)p_off))
            {
                return -EINVAL;
            }
        }

        if (hdr_gso_type != VIRTIO_NET_HDR_GSO_NONE)
        {
            var gso_size = little_endian ? hdr.gso_size : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(hdr.gso_size);
            var nh_off = p_off;
            var shinfo = skb.shinfo;

            switch (gso_type & ~SKB_GSO_TCP_ECN)
            {
                case SKB_GSO_UDP:
                    // UFO's gso_size may count the UDP header too
                    nh_off -= thlen;
                    break;
                case SKB_GSO_UDP_L4:
                    // needs NEEDS_CSUM, which was refused above
                    return -EINVAL;
            }

            if (gso_size == GSO_BY_FRAGS)
            {
                return -EINVAL;
            }

            // one segment's worth or less is not GSO at all: the header is ignored
            if (skb.len - nh_off > gso_size)
            {
                shinfo.gso_size = gso_size;
                shinfo.gso_type = gso_type;

                // untrusted: the headers are to be checked and gso_segs worked out by whoever segments it
                shinfo.gso_type |= SKB_GSO_DODGY;
                shinfo.gso_segs = 0;
            }
        }

        return 0;
    }

    // include/linux/virtio_net.h: virtio_net_hdr_to_skb
    /// <summary>The header's own GSO type applied to the skb (__virtio_net_hdr_to_skb).</summary>
    [Borrows("skb")]
    public static int virtio_net_hdr_to_skb(sk_buff skb, virtio_net_hdr hdr, bool little_endian)
    {
        System.ArgumentNullException.ThrowIfNull(hdr);
        return __virtio_net_hdr_to_skb(skb, hdr, little_endian, hdr.gso_type);
    }

    // include/linux/virtio_net.h: virtio_net_hdr_tnl_to_skb
    /// <summary>
    /// A header without a UDP tunnel type goes to virtio_net_hdr_to_skb; one
    /// with it needs the tunnel offload negotiated (a vnet header of at least
    /// TUN_VNET_TNL_SIZE), else -EINVAL.
    /// </summary>
    [Borrows("skb")]
    public static int virtio_net_hdr_tnl_to_skb(sk_buff skb, virtio_net_hdr vhdr, bool tnl_hdr_negotiated, bool tnl_csum_negotiated, bool little_endian)
    {
        System.ArgumentNullException.ThrowIfNull(vhdr);
        if ((vhdr.gso_type & VIRTIO_NET_HDR_GSO_UDP_TUNNEL) == 0)
        {
            return virtio_net_hdr_to_skb(skb, vhdr, little_endian);
        }

        // not ported: __virtio_net_hdr_to_skb, skb_headroom, skb_set_inner_protocol, virtio_l3min — the tunnel
        //   offsets (outer/inner headers) once negotiated: the port's tun has no tunnel-sized header, so a
        //   tunnel GSO type is refused
        _ = tnl_hdr_negotiated;
        _ = tnl_csum_negotiated;
        return -EINVAL;
    }

    // include/linux/virtio_net.h: virtio_net_hdr_from_skb
    /// <summary>
    /// The header for a reader: a GSO skb's size and type (hdr_len the linear
    /// length, as a hint; -EINVAL for a GSO type the header cannot name), and
    /// the checksum state — NEEDS_CSUM for CHECKSUM_PARTIAL, DATA_VALID for
    /// CHECKSUM_UNNECESSARY when the reader takes it, else nothing.
    /// </summary>
    [Borrows("skb")]
    public static int virtio_net_hdr_from_skb(sk_buff skb, virtio_net_hdr hdr, bool little_endian, bool has_data_valid, int vlan_hlen)
    {
        System.ArgumentNullException.ThrowIfNull(skb);
        System.ArgumentNullException.ThrowIfNull(hdr);
        hdr.flags = 0;
        hdr.gso_type = 0;
        hdr.hdr_len = 0;
        hdr.gso_size = 0;
        hdr.csum_start = 0;
        hdr.csum_offset = 0;

        if (skb_is_gso(skb))
        {
            var sinfo = skb.shinfo;
            hdr.hdr_len = Virtio16(little_endian, (ushort)skb_headlen(skb));
            hdr.gso_size = Virtio16(little_endian, sinfo.gso_size);
            if ((sinfo.gso_type & SKB_GSO_TCPV4) != 0)
            {
                hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
            }
            else if ((sinfo.gso_type & SKB_GSO_TCPV6) != 0)
            {
                hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
            }
            else if ((sinfo.gso_type & SKB_GSO_UDP_L4) != 0)
            {
                hdr.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
            }
            else
            {
                return -EINVAL;
            }

            if ((sinfo.gso_type & SKB_GSO_TCP_ECN) != 0)
            {
                hdr.gso_type |= VIRTIO_NET_HDR_GSO_ECN;
            }
        }
        else
        {
            hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE;
        }

        if (skb.ip_summed == CHECKSUM_PARTIAL)
        {
            hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;

            hdr.csum_start = Virtio16(little_endian, (ushort)(skb_checksum_start_offset(skb) + vlan_hlen));
            hdr.csum_offset = Virtio16(little_endian, skb.csum_offset);
        }
        else if (has_data_valid && skb.ip_summed == CHECKSUM_UNNECESSARY)
        {
            hdr.flags = VIRTIO_NET_HDR_F_DATA_VALID;
        }

        return 0;
    }

    // include/linux/virtio_net.h: virtio_net_handle_csum_offload
    /// <summary>
    /// NEEDS_CSUM would make the skb CHECKSUM_PARTIAL, DATA_VALID
    /// CHECKSUM_UNNECESSARY; -EINVAL for a partial checksum the port cannot
    /// carry. The device here sets neither (GUEST_CSUM is not negotiated).
    /// </summary>
    [Borrows("skb")]
    public static int virtio_net_handle_csum_offload(sk_buff skb, virtio_net_hdr hdr)
    {
        if ((hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0)
        {
            // not ported: virtio_net_hdr_partial_csum — the port's sk_buff has no csum_start/csum_offset
            return -EINVAL;
        }

        if ((hdr.flags & VIRTIO_NET_HDR_F_DATA_VALID) != 0)
        {
            skb.ip_summed = CHECKSUM_UNNECESSARY;
        }

        return 0;
    }
}
