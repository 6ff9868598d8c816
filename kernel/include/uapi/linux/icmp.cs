// Ports include/uapi/linux/icmp.h: ICMP types, codes and struct icmphdr.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class icmp_h
{
    public const byte ICMP_ECHOREPLY = 0;
    public const byte ICMP_DEST_UNREACH = 3;
    public const byte ICMP_SOURCE_QUENCH = 4;
    public const byte ICMP_REDIRECT = 5;
    public const byte ICMP_ECHO = 8;
    public const byte ICMP_TIME_EXCEEDED = 11;
    public const byte ICMP_PARAMETERPROB = 12;
    public const byte ICMP_TIMESTAMP = 13;
    public const byte ICMP_TIMESTAMPREPLY = 14;
    public const byte ICMP_INFO_REQUEST = 15;
    public const byte ICMP_INFO_REPLY = 16;
    public const byte ICMP_ADDRESS = 17;
    public const byte ICMP_ADDRESSREPLY = 18;
    public const byte NR_ICMP_TYPES = 18;

    public const byte ICMP_NET_UNREACH = 0;
    public const byte ICMP_HOST_UNREACH = 1;
    public const byte ICMP_PROT_UNREACH = 2;
    public const byte ICMP_PORT_UNREACH = 3;
    public const byte ICMP_FRAG_NEEDED = 4;
    public const byte ICMP_SR_FAILED = 5;
    public const byte ICMP_PKT_FILTERED = 13;
    public const byte NR_ICMP_UNREACH = 15;
    public const byte ICMP_EXC_TTL = 0;
    public const byte ICMP_EXC_FRAGTIME = 1;

    /// <summary>ICMP_FILTER: the SOL_RAW option of raw ICMP sockets.</summary>
    public const int ICMP_FILTER = 1;
}

/// <summary>struct icmp_filter: bit N set blocks ICMP type N (below 32) from a raw ICMP socket.</summary>
public sealed class icmp_filter
{
    public uint data { get; set; }
}

/// <summary>struct icmphdr: type, code, checksum, and the 4-byte "un" (echo id/sequence, gateway, frag mtu).</summary>
public readonly ref struct icmphdr
{
    public const int Size = 8;
    private readonly Span<byte> _b;

    public icmphdr(Span<byte> bytes)
    {
        _b = bytes;
    }

    public byte type
    {
        get => _b[0];
        set => _b[0] = value;
    }

    public byte code
    {
        get => _b[1];
        set => _b[1] = value;
    }

    public ushort checksum
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[2..], value);
    }

    /// <summary>The 32-bit rest of header (un.gateway / echo id+sequence / frag mtu).</summary>
    public uint un
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[4..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[4..], value);
    }
}
