// Ports include/uapi/linux/ip.h: struct iphdr, as a view over header bytes.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>struct iphdr: a big-endian view; read only after pskb_may_pull made the bytes safe.</summary>
public readonly ref struct iphdr
{
    public const int Size = 20;
    private const int OffVerIhl = 0;
    private const int OffTos = 1;
    private const int OffTotLen = 2;
    private const int OffId = 4;
    private const int OffFragOff = 6;
    private const int OffTtl = 8;
    private const int OffProtocol = 9;
    private const int OffCheck = 10;
    private const int OffSaddr = 12;
    private const int OffDaddr = 16;

    private readonly Span<byte> _b;

    public iphdr(Span<byte> bytes)
    {
        _b = bytes;
    }

    public Span<byte> bytes => _b;

    public int version
    {
        get => _b[OffVerIhl] >> 4;
        set => _b[OffVerIhl] = (byte)((value << 4) | (_b[OffVerIhl] & 0x0f));
    }

    /// <summary>Header length in 32-bit words.</summary>
    public int ihl
    {
        get => _b[OffVerIhl] & 0x0f;
        set => _b[OffVerIhl] = (byte)((_b[OffVerIhl] & 0xf0) | (value & 0x0f));
    }

    public byte tos
    {
        get => _b[OffTos];
        set => _b[OffTos] = value;
    }

    public ushort tot_len
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[OffTotLen..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[OffTotLen..], value);
    }

    public ushort id
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[OffId..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[OffId..], value);
    }

    /// <summary>Flags and fragment offset (IP_DF, IP_MF, IP_OFFSET) in host order.</summary>
    public ushort frag_off
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[OffFragOff..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[OffFragOff..], value);
    }

    public byte ttl
    {
        get => _b[OffTtl];
        set => _b[OffTtl] = value;
    }

    public byte protocol
    {
        get => _b[OffProtocol];
        set => _b[OffProtocol] = value;
    }

    public ushort check
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[OffCheck..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[OffCheck..], value);
    }

    /// <summary>Source address as a host-order number (10.0.0.1 = 0x0a000001).</summary>
    public uint saddr
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[OffSaddr..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[OffSaddr..], value);
    }

    public uint daddr
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[OffDaddr..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[OffDaddr..], value);
    }
}

public static class ip_h
{
    public const ushort IP_CE = 0x8000;
    public const ushort IP_DF = 0x4000;
    public const ushort IP_MF = 0x2000;
    public const ushort IP_OFFSET = 0x1FFF;
    public const int IPVERSION = 4;
    public const int IPDEFTTL = 64;

    /// <summary>IPOPT_COPY: the option-type bit that says "copy into every fragment".</summary>
    public const byte IPOPT_COPY = 0x80;

    // The option types ip_options_compile knows (class and number folded in).
    public const byte IPOPT_END = 0;
    public const byte IPOPT_NOOP = 1;
    public const byte IPOPT_SEC = 130;
    public const byte IPOPT_LSRR = 131;
    public const byte IPOPT_TIMESTAMP = 68;
    public const byte IPOPT_CIPSO = 134;
    public const byte IPOPT_RR = 7;
    public const byte IPOPT_SID = 136;
    public const byte IPOPT_SSRR = 137;
    public const byte IPOPT_RA = 148;

    // The timestamp option's flag values (low nibble of its fourth byte).
    public const byte IPOPT_TS_TSONLY = 0;
    public const byte IPOPT_TS_TSANDADDR = 1;
    public const byte IPOPT_TS_PRESPEC = 3;

    // include/uapi/linux/ip.h: IPOPT_COPIED
    public static bool IPOPT_COPIED(byte o) => (o & IPOPT_COPY) != 0;
}
