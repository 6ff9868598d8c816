// Ports include/uapi/linux/tcp.h: struct tcphdr and the socket option
// numbers of SOL_TCP this port knows.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>struct tcphdr: ports, sequence numbers, data offset, flags, window, checksum; big-endian on the wire.</summary>
public readonly ref struct tcphdr
{
    public const int Size = 20;
    private readonly Span<byte> _b;

    public tcphdr(Span<byte> bytes)
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

    public uint seq
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[4..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[4..], value);
    }

    public uint ack_seq
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[8..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[8..], value);
    }

    /// <summary>Header length in 32-bit words.</summary>
    public int doff
    {
        get => _b[12] >> 4;
        set => _b[12] = (byte)((value << 4) | (_b[12] & 0x0f));
    }

    /// <summary>The flag byte (tcp_flag_byte): CWR ECE URG ACK PSH RST SYN FIN from the top bit down.</summary>
    public byte flags
    {
        get => _b[13];
        set => _b[13] = value;
    }

    public bool fin => (_b[13] & 0x01) != 0;

    public bool syn => (_b[13] & 0x02) != 0;

    public bool rst => (_b[13] & 0x04) != 0;

    public bool ack => (_b[13] & 0x10) != 0;

    public ushort window
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[14..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[14..], value);
    }

    public ushort check
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[16..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[16..], value);
    }

    public ushort urg_ptr
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[18..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[18..], value);
    }
}

public static class tcp_h
{
    public const int TCP_NODELAY = 1;
    public const int TCP_MAXSEG = 2;
    public const int TCP_CORK = 3;
    public const int TCP_CONGESTION = 13;

    /// <summary>TCP_INQ: report the bytes left to read with each recvmsg (TCP_CM_INQ).</summary>
    public const int TCP_INQ = 36;

    /// <summary>TCP_CM_INQ: the control message TCP_INQ adds (an int).</summary>
    public const int TCP_CM_INQ = TCP_INQ;

    /// <summary>TCP_CA_NAME_MAX: an algorithm's name, NUL included.</summary>
    public const int TCP_CA_NAME_MAX = 16;
}
