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
    Task<long> Socket(int domain, int type, int protocol);

    Task<long> Bind(int fd, byte[] addr, int addrlen);

    Task<long> Connect(int fd, byte[] addr, int addrlen);

    Task<long> Listen(int fd, int backlog);

    /// <summary>accept4 without the peer's address: the new socket's descriptor, or -errno.</summary>
    Task<long> Accept(int fd, int flags);

    Task<long> SendTo(int fd, byte[] buf, int len, int flags, byte[]? addr, int addrlen);

    Task<long> RecvFrom(int fd, byte[] buf, int len, int flags, byte[]? addr);

    Task<long> SetSockOpt(int fd, int level, int optname, long optval);

    /// <summary>setsockopt with a value that is not an int (TCP_CONGESTION's name): <paramref name="optlen"/> bytes of <paramref name="optval"/>.</summary>
    Task<long> SetSockOptBytes(int fd, int level, int optname, byte[] optval, int optlen);

    Task<long> GetSockOpt(int fd, int level, int optname);

    Task<long> Shutdown(int fd, int how);

    /// <summary>getsockname: writes the bound sockaddr into <paramref name="addr"/>; returns its length or -errno.</summary>
    Task<long> GetSockName(int fd, byte[] addr);

    Task<long> Close(int fd);

    /// <summary>nanosleep: the task sleeps for <paramref name="ns"/> nanoseconds of virtual time.</summary>
    Task<long> NanoSleep(long ns);
}
