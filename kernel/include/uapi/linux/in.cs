// Ports include/uapi/linux/in.h: protocol numbers and struct sockaddr_in.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class in_h
{
    public const int IPPROTO_IP = 0;
    public const int IPPROTO_ICMP = 1;
    public const int IPPROTO_IGMP = 2;
    public const int IPPROTO_TCP = 6;
    public const int IPPROTO_UDP = 17;
    public const int IPPROTO_UDPLITE = 136;
    public const int IPPROTO_RAW = 255;
    public const int IPPROTO_MPTCP = 262;
    public const int IPPROTO_MAX = 263;

    public const uint INADDR_ANY = 0;
    public const uint INADDR_BROADCAST = 0xffffffff;
    public const uint INADDR_LOOPBACK = 0x7f000001;

    public const int IP_TOS = 1;
    public const int IP_TTL = 2;
    public const int IP_MTU_DISCOVER = 10;
    public const int IP_RECVERR = 11;

    /// <summary>IP_PKTINFO: deliver a struct in_pktinfo (receiving interface, local and destination address) with each datagram.</summary>
    public const int IP_PKTINFO = 8;

    /// <summary>IP_PMTUDISC_DONT: the IP_MTU_DISCOVER value that never sets DF.</summary>
    public const byte IP_PMTUDISC_DONT = 0;
    public const int IP_FREEBIND = 15;

    /// <summary>sizeof(struct sockaddr_in).</summary>
    public const int SOCKADDR_IN_SIZE = 16;
}

/// <summary>struct sockaddr_in, as the 16 bytes user space passes: family (host order), port and address (network order).</summary>
public readonly ref struct sockaddr_in
{
    private readonly Span<byte> _b;

    public sockaddr_in(Span<byte> bytes)
    {
        _b = bytes;
    }

    public ushort sin_family
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_b);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_b, value);
    }

    /// <summary>The port, host order.</summary>
    public ushort sin_port
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[2..], value);
    }

    /// <summary>The address, host order (10.0.0.1 = 0x0a000001).</summary>
    public uint sin_addr
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[4..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[4..], value);
    }
}
