using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// The few libc calls the recorder makes directly (Linux x86_64/arm64 numbering). Sockets are
/// made with libc rather than System.Net.Sockets so that every call maps to exactly one syscall,
/// the errno is the kernel's, and nothing (no SO_REUSEADDR, no non-blocking mode) is added behind
/// the scenario's back.
/// </summary>
internal static partial class Libc
{
    public const int AF_INET = 2;
    public const int AF_PACKET = 17;
    public const int SOCK_STREAM = 1;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int IPPROTO_ICMP = 1;
    public const int IPPROTO_TCP = 6;
    public const int IPPROTO_UDP = 17;
    public const int SOL_SOCKET = 1;
    public const int SOL_IP = 0;
    public const int SO_REUSEADDR = 2;
    public const int SO_BROADCAST = 6;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_KEEPALIVE = 9;
    public const int SO_LINGER = 13;
    public const int SO_REUSEPORT = 15;
    public const int SO_RCVTIMEO = 20;
    public const int SO_SNDTIMEO = 21;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;
    public const int IP_TTL = 2;
    public const int IP_MTU_DISCOVER = 10;
    public const int IP_RECVERR = 11;
    public const int TCP_NODELAY = 1;
    public const int TCP_MAXSEG = 2;
    public const int TCP_QUICKACK = 12;
    public const int TCP_CONGESTION = 13;
    public const int MSG_DONTWAIT = 0x40;
    public const int CLONE_NEWNET = 0x40000000;
    public const int PR_SET_NAME = 15;
    public const short POLLIN = 1;
    public const ushort ETH_P_ALL = 0x0003;
    public const int SIOCGSTAMP = 0x8906;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EINPROGRESS = 115;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrIn
    {
        public ushort Family;
        public ushort PortBe;
        public uint AddrBe;
        public ulong Zero;
    }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct SockaddrLl
    {
        public ushort Family;
        public ushort ProtocolBe;
        public int IfIndex;
        public ushort HaType;
        public byte PktType;
        public byte HaLen;
        public fixed byte Addr[8];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long Sec;
        public long Usec;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>The calling thread's id, as sched_switch prints it (prev_pid/next_pid).</summary>
    [LibraryImport("libc")]
    public static partial int gettid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int bind(int fd, ref SockaddrIn addr, int len);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int bind_ll(int fd, ref SockaddrLl addr, int len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int connect(int fd, ref SockaddrIn addr, int len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int accept(int fd, nint addr, nint len);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint sendto(int fd, byte* buf, nint len, int flags, SockaddrIn* to, int tolen);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint send(int fd, byte* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint recvfrom(int fd, byte* buf, nint len, int flags, void* from, int* fromlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int setsockopt(int fd, int level, int name, void* value, int len);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int poll(PollFd* fds, nuint n, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open_file(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint write(int fd, byte* buf, nint len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendfile(int outFd, int inFd, nint offset, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint splice(int fdIn, nint offIn, int fdOut, nint offOut, nint len, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint mmap(nint addr, nint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int munmap(nint addr, nint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, out Timeval tv);

    /// <summary>ioctl(2) with a struct ifreq (SIOCGIFFLAGS, SIOCSIFFLAGS).</summary>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int ioctl_ifreq(int fd, nuint request, byte* ifr);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int prctl(int option, string arg2, nint arg3, nint arg4, nint arg5);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint if_nametoindex(string name);

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sched_setaffinity(int pid, nint size, ref ulong mask);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sched_getaffinity(int pid, nint size, ref ulong mask);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint read(int fd, byte* buf, nint len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, ref EpollEvent ev);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial int epoll_wait(int epfd, EpollEvent* events, int maxevents, int timeoutMs);

    /// <summary>struct epoll_event: packed on x86-64 (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    public static int Errno => Marshal.GetLastPInvokeError();

    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [4] = "EINTR", [9] = "EBADF", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES",
        [22] = "EINVAL", [32] = "EPIPE", [88] = "ENOTSOCK", [89] = "EDESTADDRREQ", [90] = "EMSGSIZE", [92] = "ENOPROTOOPT",
        [95] = "EOPNOTSUPP", [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL", [100] = "ENETDOWN", [101] = "ENETUNREACH",
        [103] = "ECONNABORTED", [104] = "ECONNRESET", [105] = "ENOBUFS", [106] = "EISCONN", [107] = "ENOTCONN",
        [110] = "ETIMEDOUT", [111] = "ECONNREFUSED", [112] = "EHOSTDOWN", [113] = "EHOSTUNREACH", [114] = "EALREADY",
        [115] = "EINPROGRESS",
    };

    public static string ErrnoName(int errno) => Names.TryGetValue(errno, out var n) ? n : $"errno {errno}";

    public static ushort Htons(int v) => (ushort)(((v & 0xff) << 8) | ((v >> 8) & 0xff));

    public static SockaddrIn Sockaddr(System.Net.IPAddress address, int port)
    {
        var b = address.GetAddressBytes();
        return new SockaddrIn
        {
            Family = AF_INET,
            PortBe = Htons(port),
            AddrBe = BitConverter.ToUInt32(b, 0),
        };
    }
}
