// Ports include/uapi/linux/if_packet.h: struct sockaddr_ll, the address of a
// packet socket, and the PACKET_* socket options the port knows.
//
// not ported: struct sockaddr_pkt (SOCK_PACKET), tpacket headers and rings,
// fanout, the PACKET_* options themselves (packet_setsockopt refuses them).
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class if_packet_h
{
    /// <summary>sizeof(struct sockaddr_ll).</summary>
    public const int SOCKADDR_LL_SIZE = 20;

    /// <summary>offsetof(struct sockaddr_ll, sll_addr).</summary>
    public const int SLL_ADDR_OFFSET = 12;

    /// <summary>sizeof(sll_addr).</summary>
    public const int SLL_ADDR_LEN = 8;
}

/// <summary>
/// struct sockaddr_ll as bytes: family, ifindex and hatype in host order
/// (little-endian), sll_protocol in network order (read here as host order).
/// </summary>
public readonly ref struct sockaddr_ll
{
    private const int Family = 0;
    private const int Protocol = 2;
    private const int Ifindex = 4;
    private const int Hatype = 8;
    private const int Pkttype = 10;
    private const int Halen = 11;

    private readonly Span<byte> _b;

    public sockaddr_ll(Span<byte> bytes)
    {
        _b = bytes;
    }

    public ushort sll_family
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_b[Family..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_b[Family..], value);
    }

    /// <summary>The ethertype, host order (the bytes are big-endian, as htons wrote them).</summary>
    public ushort sll_protocol
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[Protocol..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[Protocol..], value);
    }

    public int sll_ifindex
    {
        get => BinaryPrimitives.ReadInt32LittleEndian(_b[Ifindex..]);
        set => BinaryPrimitives.WriteInt32LittleEndian(_b[Ifindex..], value);
    }

    public ushort sll_hatype
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_b[Hatype..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_b[Hatype..], value);
    }

    public byte sll_pkttype
    {
        get => _b[Pkttype];
        set => _b[Pkttype] = value;
    }

    public byte sll_halen
    {
        get => _b[Halen];
        set => _b[Halen] = value;
    }

    /// <summary>The hardware address (sll_halen bytes used of 8).</summary>
    public Span<byte> sll_addr => _b.Slice(if_packet_h.SLL_ADDR_OFFSET, if_packet_h.SLL_ADDR_LEN);
}
