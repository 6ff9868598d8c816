// Ports include/uapi/asm-generic/poll.h: the poll(2) event bits and struct
// pollfd (int fd, short events, short revents: 8 bytes, little-endian on
// x86-64), and the two kernel-internal bits that live beside them
// (POLLFREE, POLL_BUSY_LOOP).
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.AsmGeneric;

/// <summary>struct pollfd in user memory.</summary>
public readonly ref struct pollfd
{
    public const int Size = 8;
    private readonly Span<byte> _b;

    public pollfd(Span<byte> bytes)
    {
        _b = bytes;
    }

    public int fd => BinaryPrimitives.ReadInt32LittleEndian(_b);

    public ushort events => BinaryPrimitives.ReadUInt16LittleEndian(_b[4..]);

    public ushort revents
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_b[6..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_b[6..], value);
    }
}

public static class poll_h
{
    public const ushort POLLIN = 0x0001;
    public const ushort POLLPRI = 0x0002;
    public const ushort POLLOUT = 0x0004;
    public const ushort POLLERR = 0x0008;
    public const ushort POLLHUP = 0x0010;
    public const ushort POLLNVAL = 0x0020;
    public const ushort POLLRDNORM = 0x0040;
    public const ushort POLLRDBAND = 0x0080;
    public const ushort POLLWRNORM = 0x0100;
    public const ushort POLLWRBAND = 0x0200;
    public const ushort POLLMSG = 0x0400;
    public const ushort POLLREMOVE = 0x1000;
    public const ushort POLLRDHUP = 0x2000;

    /// <summary>In a wakeup key: the wait queue head is going away (poll's entries must unhook).</summary>
    public const uint POLLFREE = 0x4000;

    /// <summary>In a poll mask: the file can busy-poll (sk_can_busy_loop).</summary>
    public const uint POLL_BUSY_LOOP = 0x8000;
}
