// Ports include/uapi/linux/virtio_net.h: struct virtio_net_hdr (the 10-byte
// header a tun/tap file with IFF_VNET_HDR puts in front of every packet) and
// its flag and GSO type values.
//
// The feature bits and the config space offsets virtio_net negotiates and
// reads, and the 12-byte header of a VERSION_1 or MRG_RXBUF device
// (struct virtio_net_hdr_mrg_rxbuf: the plain header plus num_buffers).
//
// not ported: the control queue's commands, the v1 hash and tunnel header
// extensions — neither tun nor the modelled device uses them.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class virtio_net_h
{
    /// <summary>VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum from csum_start, stored at csum_start + csum_offset, is still to be done.</summary>
    public const byte VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;

    /// <summary>VIRTIO_NET_HDR_F_DATA_VALID: the checksum was verified already.</summary>
    public const byte VIRTIO_NET_HDR_F_DATA_VALID = 2;

    /// <summary>VIRTIO_NET_HDR_F_RSC_INFO: the csum fields carry coalescing info.</summary>
    public const byte VIRTIO_NET_HDR_F_RSC_INFO = 4;

    public const byte VIRTIO_NET_HDR_GSO_NONE = 0;
    public const byte VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    public const byte VIRTIO_NET_HDR_GSO_UDP = 3;
    public const byte VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    public const byte VIRTIO_NET_HDR_GSO_UDP_L4 = 5;
    public const byte VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4 = 0x20;
    public const byte VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6 = 0x40;
    public const byte VIRTIO_NET_HDR_GSO_UDP_TUNNEL = VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4 | VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6;

    /// <summary>VIRTIO_NET_HDR_GSO_ECN: the TCP segments carry ECN (CWR on the first).</summary>
    public const byte VIRTIO_NET_HDR_GSO_ECN = 0x80;

    /// <summary>VIRTIO_NET_F_CSUM: the device takes packets with a partial checksum.</summary>
    public const int VIRTIO_NET_F_CSUM = 0;

    /// <summary>VIRTIO_NET_F_GUEST_CSUM: the driver takes packets with a partial checksum.</summary>
    public const int VIRTIO_NET_F_GUEST_CSUM = 1;

    /// <summary>VIRTIO_NET_F_MTU: the config space has the device's maximum MTU.</summary>
    public const int VIRTIO_NET_F_MTU = 3;

    /// <summary>VIRTIO_NET_F_MAC: the config space has the device's MAC address.</summary>
    public const int VIRTIO_NET_F_MAC = 5;

    /// <summary>VIRTIO_NET_F_GUEST_TSO4: the driver takes TSOv4 packets.</summary>
    public const int VIRTIO_NET_F_GUEST_TSO4 = 7;

    /// <summary>VIRTIO_NET_F_HOST_TSO4: the device takes TSOv4 packets.</summary>
    public const int VIRTIO_NET_F_HOST_TSO4 = 11;

    /// <summary>VIRTIO_NET_F_MRG_RXBUF: a received packet may span several buffers (num_buffers).</summary>
    public const int VIRTIO_NET_F_MRG_RXBUF = 15;

    /// <summary>VIRTIO_NET_F_STATUS: the config space has a link status field.</summary>
    public const int VIRTIO_NET_F_STATUS = 16;

    /// <summary>VIRTIO_NET_F_CTRL_VQ: there is a control virtqueue.</summary>
    public const int VIRTIO_NET_F_CTRL_VQ = 17;

    /// <summary>VIRTIO_NET_F_MQ: more than one queue pair.</summary>
    public const int VIRTIO_NET_F_MQ = 22;

    /// <summary>VIRTIO_NET_S_LINK_UP: the status field's link-up bit.</summary>
    public const ushort VIRTIO_NET_S_LINK_UP = 1;

    /// <summary>offsetof(struct virtio_net_config, mac): six bytes.</summary>
    public const int VIRTIO_NET_CONFIG_MAC = 0;

    /// <summary>offsetof(struct virtio_net_config, status).</summary>
    public const int VIRTIO_NET_CONFIG_STATUS = 6;

    /// <summary>offsetof(struct virtio_net_config, max_virtqueue_pairs).</summary>
    public const int VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS = 8;

    /// <summary>sizeof(struct virtio_net_hdr_mrg_rxbuf): the plain header and num_buffers (le16) — the header of every VERSION_1 device.</summary>
    public const int VIRTIO_NET_HDR_MRG_RXBUF_SIZE = 12;

    /// <summary>offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers).</summary>
    public const int VIRTIO_NET_HDR_NUM_BUFFERS = 10;
}

/// <summary>
/// struct virtio_net_hdr: flags, gso_type, then four __virtio16 fields —
/// hdr_len, gso_size, csum_start, csum_offset — little-endian (the legacy
/// byte order of an x86 host, which is what tun uses without TUNSETVNETBE).
/// </summary>
public sealed class virtio_net_hdr
{
    /// <summary>sizeof(struct virtio_net_hdr).</summary>
    public const int Size = 10;

    public byte flags { get; set; }

    public byte gso_type { get; set; }

    /// <summary>Bytes of headers to put in the linear part (a hint).</summary>
    public ushort hdr_len { get; set; }

    /// <summary>Bytes of payload in each segment but the last.</summary>
    public ushort gso_size { get; set; }

    public ushort csum_start { get; set; }

    public ushort csum_offset { get; set; }

    /// <summary>The header as it lies in memory at <paramref name="b"/> (copy_from_iter of sizeof).</summary>
    [KernelNet.Annotations.NotInLinux("C# deserialization: C casts the buffer to struct virtio_net_hdr")]
    public static virtio_net_hdr FromBytes(ReadOnlySpan<byte> b) => new()
    {
        flags = b[0],
        gso_type = b[1],
        hdr_len = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]),
        gso_size = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]),
        csum_start = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]),
        csum_offset = BinaryPrimitives.ReadUInt16LittleEndian(b[8..]),
    };

    /// <summary>Writes the header's 10 bytes at <paramref name="b"/> (copy_to_iter of sizeof).</summary>
    [KernelNet.Annotations.NotInLinux("C# serialization: C writes the struct virtio_net_hdr in place")]
    public void WriteTo(Span<byte> b)
    {
        b[0] = flags;
        b[1] = gso_type;
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], hdr_len);
        BinaryPrimitives.WriteUInt16LittleEndian(b[4..], gso_size);
        BinaryPrimitives.WriteUInt16LittleEndian(b[6..], csum_start);
        BinaryPrimitives.WriteUInt16LittleEndian(b[8..], csum_offset);
    }
}
