using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Threading.Tasks;

namespace KernelNet.Machine;

/// <summary>An IPv4 socket address as user programs write it ("10.0.0.2:9000").</summary>
public readonly record struct SockAddrIn(uint Address, ushort Port)
{
    public const int Size = 16;
    private const ushort AfInet = 2;

    /// <summary>Parses "a.b.c.d:port".</summary>
    public static SockAddrIn Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var colon = s.LastIndexOf(':');
        if (colon < 0)
        {
            throw new FormatException($"'{s}' is not an address:port");
        }

        return new SockAddrIn(ParseAddress(s[..colon]), ushort.Parse(s[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Parses a dotted IPv4 address into a host-order number.</summary>
    public static uint ParseAddress(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var parts = s.Split('.');
        if (parts.Length != 4)
        {
            throw new FormatException($"'{s}' is not an IPv4 address");
        }

        uint a = 0;
        foreach (var p in parts)
        {
            a = (a << 8) | byte.Parse(p, CultureInfo.InvariantCulture);
        }

        return a;
    }

    /// <summary>struct sockaddr_in as user memory: family, port and address in network order.</summary>
    public byte[] ToBytes()
    {
        var b = new byte[Size];
        WriteTo(b);
        return b;
    }

    /// <summary>Writes struct sockaddr_in into <paramref name="b"/> (at least <see cref="Size"/> bytes; the padding is zeroed).</summary>
    public void WriteTo(Span<byte> b)
    {
        b[..Size].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(b, AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(b[2..], Port);
        BinaryPrimitives.WriteUInt32BigEndian(b[4..], Address);
    }

    public static SockAddrIn FromBytes(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(b[4..]), BinaryPrimitives.ReadUInt16BigEndian(b[2..]));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Address >> 24}.{(Address >> 16) & 0xff}.{(Address >> 8) & 0xff}.{Address & 0xff}:{Port}");
}

/// <summary>What recvfrom returned: the result (bytes or -errno), the data and the sender.</summary>
public readonly record struct RecvResult(long Ret, byte[] Data, SockAddrIn From);

/// <summary>
/// A link-layer socket address (struct sockaddr_ll) as AF_PACKET programs use
/// it: the ethertype (host order here, network order in the bytes), the
/// interface, and on receive the hardware type, the packet type
/// (0 PACKET_HOST ... 4 PACKET_OUTGOING) and the source hardware address.
/// </summary>
public readonly record struct SockAddrLl(ushort Protocol, int IfIndex, ushort HaType, byte PktType, byte[] Addr)
{
    public const int Size = 20;
    public const byte PacketHost = 0;
    public const byte PacketBroadcast = 1;
    public const byte PacketMulticast = 2;
    public const byte PacketOtherHost = 3;
    public const byte PacketOutgoing = 4;
    private const ushort AfPacket = 17;
    private const int AddrOffset = 12;

    /// <summary>struct sockaddr_ll as user memory: family and ifindex little-endian, protocol big-endian (htons).</summary>
    public byte[] ToBytes()
    {
        var b = new byte[Size];
        BinaryPrimitives.WriteUInt16LittleEndian(b, AfPacket);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), Protocol);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), IfIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), HaType);
        b[10] = PktType;
        var addr = Addr ?? Array.Empty<byte>();
        b[11] = (byte)Math.Min(addr.Length, 8);
        addr.AsSpan(0, b[11]).CopyTo(b.AsSpan(AddrOffset));
        return b;
    }

    public static SockAddrLl FromBytes(ReadOnlySpan<byte> b)
    {
        var halen = Math.Min((int)b[11], 8);
        return new SockAddrLl(
            BinaryPrimitives.ReadUInt16BigEndian(b[2..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[8..]),
            b[10],
            b.Slice(AddrOffset, halen).ToArray());
    }
}

/// <summary>What recvfrom on a packet socket returned: the result (bytes or -errno), the frame and where it was seen.</summary>
public readonly record struct PacketRecvResult(long Ret, byte[] Data, SockAddrLl From);

/// <summary>
/// The C library of a simulated process: wraps the raw system calls, packs
/// addresses, and charges each call's entry cost to the CPU.
/// </summary>
public sealed class Libc
{
    public const int AF_INET = 2;
    public const int AF_PACKET = 17;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_STREAM = 1;
    public const int IPPROTO_ICMP = 1;
    public const int IPPROTO_TCP = 6;
    public const int IPPROTO_UDP = 17;
    public const int TCP_CONGESTION = 13;
    public const int SO_SNDTIMEO = 21;
    public const int EINPROGRESS = 115;
    public const int SOL_RAW = 255;
    public const int ICMP_FILTER = 1;

    /// <summary>ETH_P_ALL: every protocol (a tap); pass Htons(ETH_P_ALL) to Socket, as C passes htons(ETH_P_ALL).</summary>
    public const int ETH_P_ALL = 3;
    public const int SOCK_NONBLOCK = 0x800;
    public const int MSG_DONTWAIT = 0x40;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVTIMEO = 20;
    public const int SO_SNDBUF = 7;
    public const int SO_ERROR = 4;
    public const int SO_REUSEADDR = 2;
    public const int SO_LINGER = 13;
    public const int SOL_IP = 0;
    public const int IP_RECVERR = 11;
    public const int MSG_PEEK = 2;
    public const int MSG_TRUNC = 0x20;
    public const int SHUT_RD = 0;
    public const int SHUT_WR = 1;
    public const int SHUT_RDWR = 2;
    public const int EAGAIN = 11;
    public const int EBADF = 9;
    public const int EINVAL = 22;
    public const int EMFILE = 24;
    public const int EADDRINUSE = 98;
    public const int ECONNREFUSED = 111;
    public const int ECONNRESET = 104;
    public const int ENOTCONN = 107;
    public const int EPROTONOSUPPORT = 93;
    public const int EADDRNOTAVAIL = 99;
    public const int ENXIO = 6;
    public const int ENODEV = 19;
    public const int ENETDOWN = 100;
    public const int EMSGSIZE = 90;
    public const int ESOCKTNOSUPPORT = 94;
    public const int EAFNOSUPPORT = 97;

    private readonly Machine _machine;
    private readonly ISyscalls _sys;
    private readonly byte[] _sockaddr = new byte[SockAddrIn.Size];

    public Libc(Machine machine, ISyscalls sys, SimTask task)
    {
        _machine = machine;
        _sys = sys;
        Task = task;
    }

    /// <summary>The process this library runs in.</summary>
    public SimTask Task { get; }

    /// <summary>Virtual time now, in nanoseconds (clock_gettime(CLOCK_MONOTONIC)).</summary>
    public long Now => _machine.Now;

    public ValueTask<long> Socket(int domain, int type, int protocol)
    {
        EnterKernel();
        return ExitToUser(_sys.Socket(domain, type, protocol));
    }

    public ValueTask<long> Bind(int fd, SockAddrIn addr)
    {
        EnterKernel();
        return ExitToUser(_sys.Bind(fd, addr.ToBytes(), SockAddrIn.Size));
    }

    /// <summary>htons: the 16-bit value in network byte order (socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) passes 0x0300).</summary>
    public static int Htons(int value) => BinaryPrimitives.ReverseEndianness((ushort)value);

    /// <summary>
    /// bind() of a packet socket to a sockaddr_ll: <paramref name="protocol"/>
    /// in host order (ETH_P_ALL, or 0 to keep the socket's), the interface by
    /// index (0: every interface of the namespace).
    /// </summary>
    public ValueTask<long> BindPacket(int fd, ushort protocol, int ifindex)
    {
        EnterKernel();
        return ExitToUser(_sys.Bind(fd, new SockAddrLl(protocol, ifindex, 0, 0, Array.Empty<byte>()).ToBytes(), SockAddrLl.Size));
    }

    public ValueTask<long> Connect(int fd, SockAddrIn addr)
    {
        EnterKernel();
        return ExitToUser(_sys.Connect(fd, addr.ToBytes(), SockAddrIn.Size));
    }

    /// <summary>connect(fd, addr, addrlen) with the address as raw sockaddr bytes (an AF_UNSPEC one disconnects).</summary>
    public ValueTask<long> Connect(int fd, byte[] addr, int addrlen)
    {
        EnterKernel();
        return ExitToUser(_sys.Connect(fd, addr, addrlen));
    }

    public ValueTask<long> Listen(int fd, int backlog)
    {
        EnterKernel();
        return ExitToUser(_sys.Listen(fd, backlog));
    }

    /// <summary>accept(fd, NULL, NULL): the new connection's descriptor, or -errno.</summary>
    public ValueTask<long> Accept(int fd)
    {
        EnterKernel();
        return ExitToUser(_sys.Accept(fd, 0));
    }

    public ValueTask<long> SendTo(int fd, byte[] data, int flags, SockAddrIn? to)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnterKernel();
        return ExitToUser(_sys.SendTo(fd, data, data.Length, flags, UserSockAddr(to), to is null ? 0 : SockAddrIn.Size));
    }

    public async Task<RecvResult> RecvFrom(int fd, int size, int flags)
    {
        var buf = new byte[size];
        var addr = new byte[SockAddrIn.Size];
        EnterKernel();
        var ret = await ExitToUser(_sys.RecvFrom(fd, buf, size, flags, addr));
        var n = ret > 0 ? (int)Math.Min(ret, size) : 0;
        return new RecvResult(ret, buf.AsSpan(0, n).ToArray(), SockAddrIn.FromBytes(addr));
    }

    /// <summary>sendto() of a whole frame on a packet socket, out of the interface <paramref name="to"/> names.</summary>
    public ValueTask<long> SendToLl(int fd, byte[] frame, int flags, SockAddrLl to)
    {
        ArgumentNullException.ThrowIfNull(frame);
        EnterKernel();
        return ExitToUser(_sys.SendTo(fd, frame, frame.Length, flags, to.ToBytes(), SockAddrLl.Size));
    }

    /// <summary>recvfrom() on a packet socket: the frame (link-layer header first) and its sockaddr_ll.</summary>
    public async Task<PacketRecvResult> RecvFromLl(int fd, int size, int flags)
    {
        var buf = new byte[size];
        var addr = new byte[SockAddrLl.Size];
        EnterKernel();
        var ret = await ExitToUser(_sys.RecvFrom(fd, buf, size, flags, addr));
        var n = ret > 0 ? (int)Math.Min(ret, size) : 0;
        return new PacketRecvResult(ret, buf.AsSpan(0, n).ToArray(), SockAddrLl.FromBytes(addr));
    }

    public ValueTask<long> SetSockOpt(int fd, int level, int optname, long value)
    {
        EnterKernel();
        return ExitToUser(_sys.SetSockOpt(fd, level, optname, value));
    }

    /// <summary>setsockopt with a byte buffer (a string option such as TCP_CONGESTION).</summary>
    public ValueTask<long> SetSockOpt(int fd, int level, int optname, byte[] value)
    {
        EnterKernel();
        return ExitToUser(_sys.SetSockOptBytes(fd, level, optname, value, value.Length));
    }

    public ValueTask<long> GetSockOpt(int fd, int level, int optname)
    {
        EnterKernel();
        return ExitToUser(_sys.GetSockOpt(fd, level, optname));
    }

    public ValueTask<long> Shutdown(int fd, int how)
    {
        EnterKernel();
        return ExitToUser(_sys.Shutdown(fd, how));
    }

    /// <summary>getsockname: the bound address, or the errno as Ret.</summary>
    public async Task<(long Ret, SockAddrIn Addr)> GetSockName(int fd)
    {
        var addr = new byte[SockAddrIn.Size];
        EnterKernel();
        var ret = await ExitToUser(_sys.GetSockName(fd, addr));
        return (ret, SockAddrIn.FromBytes(addr));
    }

    public ValueTask<long> Close(int fd)
    {
        EnterKernel();
        return ExitToUser(_sys.Close(fd));
    }

    public ValueTask<long> Open(string path, int flags)
    {
        EnterKernel();
        return ExitToUser(_sys.Open(path, flags));
    }

    public ValueTask<long> Read(int fd, byte[]? buf, int count)
    {
        EnterKernel();
        return ExitToUser(_sys.Read(fd, buf, count));
    }

    public ValueTask<long> Write(int fd, byte[]? buf, int count)
    {
        EnterKernel();
        return ExitToUser(_sys.Write(fd, buf, count));
    }

    /// <summary>open(2) with a creation mode (O_CREAT).</summary>
    public ValueTask<long> Open(string path, int flags, int mode)
    {
        EnterKernel();
        return ExitToUser(_sys.OpenMode(path, flags, mode));
    }

    public ValueTask<long> Unlink(string path)
    {
        EnterKernel();
        return ExitToUser(_sys.Unlink(path));
    }

    public ValueTask<long> Lseek(int fd, long offset, int whence)
    {
        EnterKernel();
        return ExitToUser(_sys.Lseek(fd, offset, whence));
    }

    public ValueTask<long> Ftruncate(int fd, long length)
    {
        EnterKernel();
        return ExitToUser(_sys.Ftruncate(fd, length));
    }

    /// <summary>pipe2(2): fds[0] the read end, fds[1] the write end.</summary>
    public ValueTask<long> Pipe2(int[] fds, int flags)
    {
        EnterKernel();
        return ExitToUser(_sys.Pipe2(fds, flags));
    }

    /// <summary>sched_yield(2).</summary>
    public ValueTask<long> SchedYield()
    {
        EnterKernel();
        return ExitToUser(_sys.SchedYield());
    }

    /// <summary>sendfile(2); <paramref name="offset"/> null uses and moves the input file's position.</summary>
    public ValueTask<long> Sendfile(int outFd, int inFd, long[]? offset, long count)
    {
        EnterKernel();
        return ExitToUser(_sys.Sendfile(outFd, inFd, offset, count));
    }

    public ValueTask<long> Splice(int fdIn, long[]? offIn, int fdOut, long[]? offOut, long len, uint flags)
    {
        EnterKernel();
        return ExitToUser(_sys.Splice(fdIn, offIn, fdOut, offOut, len, flags));
    }

    /// <summary>mmap(2): the mapping's address or -errno.</summary>
    public ValueTask<long> Mmap(long addr, long length, int prot, int flags, int fd, long offset)
    {
        EnterKernel();
        return ExitToUser(_sys.Mmap(addr, length, prot, flags, fd, offset));
    }

    public ValueTask<long> Munmap(long addr, long length)
    {
        EnterKernel();
        return ExitToUser(_sys.Munmap(addr, length));
    }

    /// <summary>write(2) whose buffer is mapped memory at <paramref name="addr"/>.</summary>
    public ValueTask<long> Write(int fd, long addr, int count)
    {
        EnterKernel();
        return ExitToUser(_sys.WriteFromAddress(fd, addr, count));
    }

    public ValueTask<long> SendMsg(int fd, UserMsg msg, int flags)
    {
        EnterKernel();
        return ExitToUser(_sys.SendMsg(fd, msg, flags));
    }

    public ValueTask<long> RecvMsg(int fd, UserMsg msg, int flags)
    {
        EnterKernel();
        return ExitToUser(_sys.RecvMsg(fd, msg, flags));
    }

    public ValueTask<long> Ioctl(int fd, uint request, byte[]? arg)
    {
        EnterKernel();
        return ExitToUser(_sys.Ioctl(fd, request, arg));
    }

    public ValueTask<long> Fcntl(int fd, int cmd, long arg)
    {
        EnterKernel();
        return ExitToUser(_sys.Fcntl(fd, cmd, arg));
    }

    public ValueTask<(long Ret, int OptLen)> GetSockOptBytes(int fd, int level, int optname, byte[]? optval, int optlen)
    {
        _machine.CurrentCpu.Charge(_machine.Costs.SyscallNs);
        return _sys.GetSockOptBytes(fd, level, optname, optval, optlen);
    }

    /// <summary>sendto() with a possibly NULL buffer of <paramref name="len"/> bytes.</summary>
    public ValueTask<long> SendTo(int fd, byte[]? data, int len, int flags, SockAddrIn? to)
    {
        EnterKernel();
        return ExitToUser(_sys.SendTo(fd, data, len, flags, UserSockAddr(to), to is null ? 0 : SockAddrIn.Size));
    }

    /// <summary>recvfrom() into a caller's (possibly NULL) buffer.</summary>
    public ValueTask<long> RecvFrom(int fd, byte[]? buf, int len, int flags)
    {
        EnterKernel();
        return ExitToUser(_sys.RecvFrom(fd, buf, len, flags, null));
    }

    public ValueTask<long> Sleep(long ns)
    {
        EnterKernel();
        return ExitToUser(_sys.NanoSleep(ns));
    }

    /// <summary>epoll_create1(flags).</summary>
    public ValueTask<long> EpollCreate1(int flags)
    {
        EnterKernel();
        return ExitToUser(_sys.EpollCreate1(flags));
    }

    /// <summary>epoll_create(size).</summary>
    public ValueTask<long> EpollCreate(int size)
    {
        EnterKernel();
        return ExitToUser(_sys.EpollCreate(size));
    }

    /// <summary>epoll_ctl with a struct epoll_event built from <paramref name="events"/> and <paramref name="data"/> (ignored by EPOLL_CTL_DEL).</summary>
    public ValueTask<long> EpollCtl(int epfd, int op, int fd, uint events, ulong data)
    {
        var ev = new byte[EpollEventSize];
        BinaryPrimitives.WriteUInt32LittleEndian(ev, events);
        BinaryPrimitives.WriteUInt64LittleEndian(ev.AsSpan(4), data);
        EnterKernel();
        return ExitToUser(_sys.EpollCtl(epfd, op, fd, ev));
    }

    /// <summary>epoll_ctl with a raw (possibly NULL) struct epoll_event.</summary>
    public ValueTask<long> EpollCtl(int epfd, int op, int fd, byte[]? ev)
    {
        EnterKernel();
        return ExitToUser(_sys.EpollCtl(epfd, op, fd, ev));
    }

    /// <summary>epoll_wait into <paramref name="events"/> (its length is maxevents): the count, each slot filled with (events, data).</summary>
    public async ValueTask<long> EpollWait(int epfd, (uint Events, ulong Data)[] events, int timeout)
    {
        ArgumentNullException.ThrowIfNull(events);
        var buf = new byte[events.Length * EpollEventSize];
        EnterKernel();
        var n = await ExitToUser(_sys.EpollWait(epfd, buf, events.Length, timeout));
        for (var i = 0; i < n; i++)
        {
            var e = buf.AsSpan(i * EpollEventSize, EpollEventSize);
            events[i] = (BinaryPrimitives.ReadUInt32LittleEndian(e), BinaryPrimitives.ReadUInt64LittleEndian(e[4..]));
        }

        return n;
    }

    /// <summary>poll over <paramref name="fds"/>: each Revents is written back.</summary>
    public async ValueTask<long> Poll(PollFd[] fds, int timeout)
    {
        ArgumentNullException.ThrowIfNull(fds);
        var buf = new byte[fds.Length * PollFdSize];
        for (var i = 0; i < fds.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(i * PollFdSize), fds[i].Fd);
            BinaryPrimitives.WriteInt16LittleEndian(buf.AsSpan((i * PollFdSize) + 4), fds[i].Events);
        }

        EnterKernel();
        var n = await ExitToUser(_sys.Poll(buf, fds.Length, timeout));
        for (var i = 0; i < fds.Length; i++)
        {
            fds[i].Revents = BinaryPrimitives.ReadInt16LittleEndian(buf.AsSpan((i * PollFdSize) + 6));
        }

        return n;
    }

    /// <summary>sizeof(struct epoll_event) on x86-64 (packed).</summary>
    public const int EpollEventSize = 12;

    /// <summary>sizeof(struct pollfd).</summary>
    public const int PollFdSize = 8;

    /// <summary>
    /// The sockaddr_in a sendto passes, written into this process's one
    /// sockaddr buffer (a C program's local struct): the kernel copies it in
    /// (move_addr_to_kernel) and keeps no reference, so one buffer serves every call.
    /// </summary>
    private byte[]? UserSockAddr(SockAddrIn? to)
    {
        if (to is not { } a)
        {
            return null;
        }

        a.WriteTo(_sockaddr);
        return _sockaddr;
    }

    /// <summary>The syscall instruction: the entry's cost is charged before the kernel runs the call.</summary>
    private void EnterKernel() => _machine.CurrentCpu.Charge(_machine.Costs.SyscallNs);

    /// <summary>
    /// The call's result once the kernel returns to user mode. A call that did
    /// not sleep, on a return that does not reschedule, completes here without
    /// allocating: no closure, and a ValueTask rather than a Task per layer.
    /// </summary>
    private ValueTask<long> ExitToUser(ValueTask<long> call)
    {
        if (!call.IsCompletedSuccessfully)
        {
            return ExitToUserAfter(call);
        }

        var ret = call.Result;
        var exit = _sys.ExitToUserMode();
        return exit.IsCompletedSuccessfully ? new ValueTask<long>(ret) : ExitToUserAfterResched(ret, exit);
    }

    /// <summary><see cref="ExitToUser"/> for a call that has not finished yet.</summary>
    private async ValueTask<long> ExitToUserAfter(ValueTask<long> call)
    {
        var ret = await call;
        await _sys.ExitToUserMode();
        return ret;
    }

    /// <summary><see cref="ExitToUser"/> for a finished call whose return to user mode gives way to another task first.</summary>
    private static async ValueTask<long> ExitToUserAfterResched(long ret, Task exit)
    {
        await exit;
        return ret;
    }
}
