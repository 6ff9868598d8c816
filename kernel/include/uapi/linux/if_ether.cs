// Ports include/uapi/linux/if_ether.h: Ethernet constants and struct ethhdr.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class if_ether_h
{
    public const int ETH_ALEN = 6;
    public const int ETH_TLEN = 2;
    public const int ETH_HLEN = 14;
    public const int ETH_ZLEN = 60;
    public const int ETH_DATA_LEN = 1500;
    public const int ETH_FRAME_LEN = 1514;
    public const int ETH_FCS_LEN = 4;
    public const int ETH_MIN_MTU = 68;
    public const int ETH_MAX_MTU = 0xFFFF;

    public const ushort ETH_P_LOOP = 0x0060;
    public const ushort ETH_P_IP = 0x0800;
    public const ushort ETH_P_ARP = 0x0806;
    public const ushort ETH_P_8021Q = 0x8100;
    public const ushort ETH_P_8021AD = 0x88A8;
    public const ushort ETH_P_IPV6 = 0x86DD;
    public const ushort ETH_P_802_3_MIN = 0x0600;
    public const ushort ETH_P_802_3 = 0x0001;
    public const ushort ETH_P_ALL = 0x0003;
    public const ushort ETH_P_802_2 = 0x0004;
}

/// <summary>struct ethhdr as a view over the bytes at a header offset.</summary>
public readonly ref struct ethhdr
{
    private const int HDest = 0;
    private const int HSource = 6;
    private const int HProto = 12;

    private readonly Span<byte> _b;

    public ethhdr(Span<byte> bytes)
    {
        _b = bytes;
    }

    public Span<byte> h_dest => _b.Slice(HDest, if_ether_h.ETH_ALEN);

    public Span<byte> h_source => _b.Slice(HSource, if_ether_h.ETH_ALEN);

    /// <summary>The ethertype in host order.</summary>
    public ushort h_proto
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b.Slice(HProto, 2));
        set => BinaryPrimitives.WriteUInt16BigEndian(_b.Slice(HProto, 2), value);
    }
}
