using System.Threading.Tasks;
using KernelNet.Annotations;

namespace KernelNet.Machine;

/// <summary>
/// The system call ABI the kernel offers user programs, as raw calls:
/// buffers and sockaddrs are byte arrays (user memory), results are
/// kernel-style (a value, or -errno). A kernel installs its implementation;
/// programs reach it through <see cref="Libc"/>.
/// </summary>
[HardwareInterface]
public interface ISyscalls
{
    /// <summary>The kernel's return to user space after each call (pending work such as giving the CPU to a task that preempts this one).</summary>
    Task ExitToUserMode();

    ValueTask<long> Socket(int domain, int type, int protocol);

    ValueTask<long> Bind(int fd, byte[] addr, int addrlen);

    ValueTask<long> Connect(int fd, byte[] addr, int addrlen);

    ValueTask<long> Listen(int fd, int backlog);

    /// <summary>accept4 without the peer's address: the new socket's descriptor, or -errno.</summary>
    ValueTask<long> Accept(int fd, int flags);

    ValueTask<long> SendTo(int fd, byte[]? buf, int len, int flags, byte[]? addr, int addrlen);

    ValueTask<long> RecvFrom(int fd, byte[]? buf, int len, int flags, byte[]? addr);

    ValueTask<long> SetSockOpt(int fd, int level, int optname, long optval);

    /// <summary>setsockopt with a value that is not an int (TCP_CONGESTION's name): <paramref name="optlen"/> bytes of <paramref name="optval"/>.</summary>
    ValueTask<long> SetSockOptBytes(int fd, int level, int optname, byte[] optval, int optlen);

    ValueTask<long> GetSockOpt(int fd, int level, int optname);

    ValueTask<long> Shutdown(int fd, int how);

    /// <summary>getsockname: writes the bound sockaddr into <paramref name="addr"/>; returns its length or -errno.</summary>
    ValueTask<long> GetSockName(int fd, byte[] addr);

    ValueTask<long> Close(int fd);

    /// <summary>open(2) of a device path (/dev/net/tun); the descriptor or -errno.</summary>
    ValueTask<long> Open(string path, int flags);

    /// <summary>read(2): <paramref name="buf"/> null is a NULL pointer.</summary>
    ValueTask<long> Read(int fd, byte[]? buf, int count);

    /// <summary>write(2): <paramref name="buf"/> null is a NULL pointer.</summary>
    ValueTask<long> Write(int fd, byte[]? buf, int count);

    /// <summary>sendmsg(2).</summary>
    ValueTask<long> SendMsg(int fd, UserMsg msg, int flags);

    /// <summary>recvmsg(2): the data lands in msg's iovecs, msg.Flags and msg.Control are written back.</summary>
    ValueTask<long> RecvMsg(int fd, UserMsg msg, int flags);

    /// <summary>ioctl(2): <paramref name="arg"/> is the user memory the argument points to (an int, a struct ifreq).</summary>
    ValueTask<long> Ioctl(int fd, uint request, byte[]? arg);

    /// <summary>fcntl(2) with an int argument (F_GETFL, F_SETFL).</summary>
    ValueTask<long> Fcntl(int fd, int cmd, long arg);

    /// <summary>getsockopt(2) into a buffer; <paramref name="optlen"/> is in and out.</summary>
    ValueTask<(long Ret, int OptLen)> GetSockOptBytes(int fd, int level, int optname, byte[]? optval, int optlen);

    /// <summary>nanosleep: the task sleeps for <paramref name="ns"/> nanoseconds of virtual time.</summary>
    ValueTask<long> NanoSleep(long ns);

    /// <summary>epoll_create1(2): a new epoll descriptor or -errno.</summary>
    ValueTask<long> EpollCreate1(int flags);

    /// <summary>epoll_create(2): <paramref name="size"/> must be positive and is otherwise ignored.</summary>
    ValueTask<long> EpollCreate(int size);

    /// <summary>epoll_ctl(2): <paramref name="ev"/> is a struct epoll_event in user memory (12 bytes: u32 events, u64 data; null is a NULL pointer).</summary>
    ValueTask<long> EpollCtl(int epfd, int op, int fd, byte[]? ev);

    /// <summary>epoll_wait(2): up to <paramref name="maxevents"/> struct epoll_event written into <paramref name="events"/>; <paramref name="timeout"/> in ms (-1: forever).</summary>
    ValueTask<long> EpollWait(int epfd, byte[]? events, int maxevents, int timeout);

    /// <summary>poll(2): <paramref name="fds"/> holds <paramref name="nfds"/> struct pollfd (8 bytes: int fd, short events, short revents); revents are written back.</summary>
    ValueTask<long> Poll(byte[]? fds, int nfds, int timeout);

    /// <summary>open(2) with a mode for O_CREAT: a tmpfs path or /dev/net/tun; the descriptor or -errno.</summary>
    ValueTask<long> OpenMode(string path, int flags, int mode);

    /// <summary>unlink(2) of a tmpfs path.</summary>
    ValueTask<long> Unlink(string path);

    /// <summary>lseek(2): the new position or -errno.</summary>
    ValueTask<long> Lseek(int fd, long offset, int whence);

    /// <summary>ftruncate(2).</summary>
    ValueTask<long> Ftruncate(int fd, long length);

    /// <summary>pipe2(2): the read end's and the write end's descriptors written into <paramref name="fds"/>.</summary>
    ValueTask<long> Pipe2(int[] fds, int flags);

    /// <summary>sched_yield(2): the caller gives the CPU to whoever the scheduler picks (itself, possibly); 0.</summary>
    ValueTask<long> SchedYield();

    /// <summary>sendfile(2): <paramref name="offset"/> null is a NULL pointer (the input's position is used and moved); else offset[0] is read and written back.</summary>
    ValueTask<long> Sendfile(int outFd, int inFd, long[]? offset, long count);

    /// <summary>splice(2): a null offset is a NULL pointer; offset[0] is read and written back.</summary>
    ValueTask<long> Splice(int fdIn, long[]? offIn, int fdOut, long[]? offOut, long len, uint flags);

    /// <summary>mmap(2) of a file: the address of the new mapping, or -errno.</summary>
    ValueTask<long> Mmap(long addr, long length, int prot, int flags, int fd, long offset);

    /// <summary>munmap(2).</summary>
    ValueTask<long> Munmap(long addr, long length);

    /// <summary>write(2) from mapped memory: the buffer is the user address <paramref name="addr"/> inside an mmap'd region.</summary>
    ValueTask<long> WriteFromAddress(int fd, long addr, int count);
}

/// <summary>
/// struct msghdr in user memory: the peer address, the iovecs (a null base is
/// a NULL pointer), the control buffer's size, and what recvmsg writes back
/// (msg_flags and the control messages, as level/type/data).
/// </summary>
[HardwareInterface]
public sealed class UserMsg
{
    public byte[]? Name { get; set; }

    public System.Collections.Generic.List<(byte[]? Base, int Len)> Iov { get; } = new();

    /// <summary>msg_controllen: 0 for no control buffer.</summary>
    public int ControlLen { get; set; }

    public int Flags { get; set; }

    public System.Collections.Generic.List<(int Level, int Type, byte[] Data)> Control { get; } = new();
}
