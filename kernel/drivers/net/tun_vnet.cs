// Ports drivers/net/tun_vnet.h: the virtio_net_hdr side of tun — the vnet
// header size ioctls, taking a written header off the user's buffer, and the
// header to and from an skb (through include/linux/virtio_net.h).
//
// not ported: TUNSETVNETLE/TUNSETVNETBE and the cross-endian flags (the
// header is little-endian, as on x86), the tunnel-sized header
// (tun_vnet_parse_size is always sizeof(struct virtio_net_hdr) here, so
// tun_vnet_hdr_guest_features is 0).
// not ported: tun_vnet_is_little_endian, tun_vnet16_to_cpu, cpu_to_tun_vnet16, tun_get_vnet_be, tun_set_vnet_be — the header is little-endian, as on x86 (see above): no byte-order choice to make or ioctl to set it
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Drivers.Net;

public static class tun_vnet_h
{
    // drivers/net/tun_vnet.h: tun_vnet_ioctl
    /// <summary>
    /// TUNGETVNETHDRSZ puts vnet_hdr_sz at <paramref name="sp"/>;
    /// TUNSETVNETHDRSZ takes a new size from it, no smaller than a
    /// virtio_net_hdr (-EINVAL). No user memory is -EFAULT.
    /// </summary>
    internal static int tun_vnet_ioctl(tun_struct tun, uint cmd, byte[]? sp)
    {
        if (sp is null || sp.Length < sizeof(int))
        {
            return -errno_base_h.EFAULT;
        }

        switch (cmd)
        {
            case tun_c.TUNGETVNETHDRSZ:
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(sp, tun.vnet_hdr_sz);
                return 0;
            case tun_c.TUNSETVNETHDRSZ:
                var s = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(sp);
                if (s < virtio_net_hdr.Size)
                {
                    return -errno_base_h.EINVAL;
                }

                tun.vnet_hdr_sz = s;
                return 0;
            default:
                return -errno_base_h.EINVAL;
        }
    }

    // drivers/net/tun_vnet.h: __tun_vnet_hdr_get
    /// <summary>
    /// Takes the vnet header off the front of the user's buffer: -EINVAL if
    /// the buffer is shorter than <paramref name="sz"/>, or than the header's
    /// hdr_len after it. Returns hdr_len (the bytes of headers the writer says
    /// come first).
    /// </summary>
    internal static int __tun_vnet_hdr_get(int sz, ReadOnlySpan<byte> from, out virtio_net_hdr hdr)
    {
        // not ported: iov_iter_count, copy_from_iter_full, iov_iter_advance — the written packet is a byte span, not an iov_iter: the header is read from its start and the caller skips sz bytes
        hdr = new virtio_net_hdr();
        if (from.Length < sz)
        {
            return -errno_base_h.EINVAL;
        }

        // tun_vnet_parse_size: the plain header (no tunnel offload negotiated here); the rest of sz is skipped
        hdr = virtio_net_hdr.FromBytes(from);
        var hdr_len = hdr.hdr_len;

        if ((hdr.flags & Include.Uapi.Linux.virtio_net_h.VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0)
        {
            hdr_len = (ushort)Math.Max(hdr.csum_start + hdr.csum_offset + 2, hdr_len);
            hdr.hdr_len = hdr_len;
        }

        if (hdr_len > from.Length - sz)
        {
            return -errno_base_h.EINVAL;
        }

        return hdr_len;
    }

    // drivers/net/tun_vnet.h: tun_vnet_hdr_tnl_from_skb
    /// <summary>The header for the reader from the skb (virtio_net_hdr_from_skb); an skb it cannot describe is -EINVAL.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    internal static int tun_vnet_hdr_tnl_from_skb(tun_struct tun, sk_buff skb, virtio_net_hdr hdr)
    {
        // not ported: net_ratelimit — the rate-limited error report (see the comment below)
        // not ported: skb_vlan_tag_present — no VLAN tags in the port's skbs (see the comment below)
        // not ported: virtio_net_hdr_tnl_from_skb — the tunnel-sized header is not ported (see above): virtio_net_hdr_from_skb fills the plain header, which is what the tnl form does without tunnel GSO
        // no VLAN tags in the port's skbs: vlan_hlen 0
        if (Include.Linux.virtio_net_h.virtio_net_hdr_from_skb(skb, hdr, true, true, 0) != 0)
        {
            // not ported: netdev_err's rate-limited "unexpected GSO type" report and hex dump
            return -errno_base_h.EINVAL;
        }

        _ = tun;
        return 0;
    }

    // drivers/net/tun_vnet.h: tun_vnet_hdr_tnl_to_skb
    /// <summary>
    /// The written header applied to the skb (virtio_net_hdr_tnl_to_skb),
    /// little-endian; the tunnel offloads count as negotiated only if
    /// <paramref name="features"/> (tun_vnet_hdr_guest_features) has them.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    internal static int tun_vnet_hdr_tnl_to_skb(tun_struct tun, ulong features, sk_buff skb, virtio_net_hdr hdr)
    {
        _ = tun;
        return Include.Linux.virtio_net_h.virtio_net_hdr_tnl_to_skb(skb, hdr,
            (features & netdev_features_h.NETIF_F_GSO_UDP_TUNNEL) != 0,
            (features & netdev_features_h.NETIF_F_GSO_UDP_TUNNEL_CSUM) != 0,
            true);
    }
}
