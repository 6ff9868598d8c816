// Ports include/uapi/linux/udp.h: struct udphdr.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>struct udphdr: ports, length and checksum, big-endian on the wire.</summary>
public readonly ref struct udphdr
{
    public const int Size = 8;
    private readonly Span<byte> _b;

    public udphdr(Span<byte> bytes)
    {
        _b = bytes;
    }

    public ushort source
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b, value);
    }

    public ushort dest
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[2..], value);
    }

    public ushort len
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[4..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[4..], value);
    }

    public ushort check
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[6..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[6..], value);
    }
}

