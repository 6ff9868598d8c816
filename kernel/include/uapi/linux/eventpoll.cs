// Ports include/uapi/linux/eventpoll.h: the epoll_ctl operations, the event
// bits of struct epoll_event and its packed layout on x86-64.
//
// not ported: the busy-poll ioctls (EPIOCSPARAMS/EPIOCGPARAMS) — no busy
// polling in the simulation.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>
/// struct epoll_event in user memory: events (u32) then data (u64), packed to
/// 12 bytes on x86-64 (EPOLL_PACKED), little-endian.
/// </summary>
public readonly ref struct epoll_event
{
    public const int Size = 12;
    private readonly Span<byte> _b;

    public epoll_event(Span<byte> bytes)
    {
        _b = bytes;
    }

    public uint events
    {
        get => BinaryPrimitives.ReadUInt32LittleEndian(_b);
        set => BinaryPrimitives.WriteUInt32LittleEndian(_b, value);
    }

    public ulong data
    {
        get => BinaryPrimitives.ReadUInt64LittleEndian(_b[4..]);
        set => BinaryPrimitives.WriteUInt64LittleEndian(_b[4..], value);
    }
}

public static class eventpoll_h
{
    /// <summary>EPOLL_CLOEXEC is O_CLOEXEC.</summary>
    public const int EPOLL_CLOEXEC = 0x80000;

    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;

    public const uint EPOLLIN = 0x00000001;
    public const uint EPOLLPRI = 0x00000002;
    public const uint EPOLLOUT = 0x00000004;
    public const uint EPOLLERR = 0x00000008;
    public const uint EPOLLHUP = 0x00000010;
    public const uint EPOLLNVAL = 0x00000020;
    public const uint EPOLLRDNORM = 0x00000040;
    public const uint EPOLLRDBAND = 0x00000080;
    public const uint EPOLLWRNORM = 0x00000100;
    public const uint EPOLLWRBAND = 0x00000200;
    public const uint EPOLLMSG = 0x00000400;
    public const uint EPOLLRDHUP = 0x00002000;

    /// <summary>Set in a wakeup key by io_uring; epoll passes it on to nested waiters.</summary>
    public const uint EPOLL_URING_WAKE = 1U << 27;

    /// <summary>Wake one of several epoll instances waiting on the same file (only at EPOLL_CTL_ADD).</summary>
    public const uint EPOLLEXCLUSIVE = 1U << 28;

    /// <summary>Hold a wakeup source while the event is pending (suspend blocking; needs CAP_BLOCK_SUSPEND).</summary>
    public const uint EPOLLWAKEUP = 1U << 29;

    /// <summary>Report once, then disable the item until EPOLL_CTL_MOD re-arms it.</summary>
    public const uint EPOLLONESHOT = 1U << 30;

    /// <summary>Edge-triggered: report a readiness change once, do not re-queue the item after reporting.</summary>
    public const uint EPOLLET = 1U << 31;
}
