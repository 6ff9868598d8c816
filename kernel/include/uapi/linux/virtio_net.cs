// Ports include/uapi/linux/virtio_net.h: struct virtio_net_hdr (the 10-byte
// header a tun/tap file with IFF_VNET_HDR puts in front of every packet) and
// its flag and GSO type values.
//
// not ported: the device config space and feature bits, the control queue,
// virtio_net_hdr_mrg_rxbuf, the v1 hash and tunnel header extensions — tun
// parses only the plain header here (see drivers/net/tun.cs).
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
