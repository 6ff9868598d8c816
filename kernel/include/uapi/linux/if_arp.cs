// Ports include/uapi/linux/if_arp.h: ARP constants and struct arphdr.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class if_arp_h
{
    public const ushort ARPHRD_ETHER = 1;
    public const ushort ARPHRD_IEEE802 = 6;
    public const ushort ARPHRD_LOOPBACK = 772;
    public const ushort ARPOP_REQUEST = 1;
    public const ushort ARPOP_REPLY = 2;
}

/// <summary>struct arphdr followed by the Ethernet/IPv4 addresses (sha, sip, tha, tip).</summary>
public readonly ref struct arphdr
{
    public const int Size = 8;
    private readonly Span<byte> _b;

    public arphdr(Span<byte> bytes)
    {
        _b = bytes;
    }

    public ushort ar_hrd
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b, value);
    }

    public ushort ar_pro
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[2..], value);
    }

    public byte ar_hln
    {
        get => _b[4];
        set => _b[4] = value;
    }

    public byte ar_pln
    {
        get => _b[5];
        set => _b[5] = value;
    }

    public ushort ar_op
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[6..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[6..], value);
    }

    /// <summary>The address block after the fixed header (sha, sip, tha, tip for hln bytes of hardware address).</summary>
    public Span<byte> addrs => _b[Size..];
}
