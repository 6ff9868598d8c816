// Ports net/socket.c: the socket system calls — creating a socket and its
// file descriptor, and passing bind/connect/sendto/recvfrom/setsockopt/
// shutdown/close on to the family's proto_ops.
//
// not ported: sendmsg/recvmsg with control messages, socketpair, accept,
// poll, the file layer (a file descriptor maps straight to its socket).
using System;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.socket_h;

namespace KernelNet.Kernel.Net;

public static class socket_c
{
    // net/socket.c: sock_alloc
    private static socket sock_alloc() => new();

    // net/socket.c: __sock_create
    /// <summary>Allocates the BSD socket and lets the family create its sock (inet_create for AF_INET).</summary>
    private static int __sock_create(net net, int family, int type, int protocol, out socket? res)
    {
        res = null;
        if (family < 0 || family >= 46)
        {
            return -errno_h.EAFNOSUPPORT;
        }

        if (type < 0 || type >= 11)
        {
            return -errno_base_h.EINVAL;
        }

        if (family != AF_INET)
        {
            return -errno_h.EAFNOSUPPORT;
        }

        var sock = sock_alloc();
        sock.type = (short)type;
        var err = Ipv4.af_inet_c.inet_create(net, sock, protocol);
        if (err < 0)
        {
            return err;
        }

        res = sock;
        return 0;
    }

    // net/socket.c: sock_create
    public static int sock_create(net net, int family, int type, int protocol, out socket? res) =>
        __sock_create(net, family, type, protocol, out res);

    // net/socket.c: sock_map_fd
    /// <summary>Gives the socket the lowest free file descriptor of the task (EMFILE at RLIMIT_NOFILE).</summary>
    private static int sock_map_fd(task_struct task, socket sock, int flags)
    {
        for (var fd = 3; fd < task.rlimit_nofile; fd++)
        {
            if (!task.files.ContainsKey(fd))
            {
                task.files.Add(fd, sock);
                sock.nonblock = (flags & SOCK_NONBLOCK) != 0;
                return fd;
            }
        }

        return -errno_base_h.EMFILE;
    }

    // net/socket.c: sockfd_lookup_light
    private static socket? sockfd_lookup_light(task_struct task, int fd, out int err)
    {
        if (!task.files.TryGetValue(fd, out var file))
        {
            err = -errno_base_h.EBADF;
            return null;
        }

        if (file is not socket sock)
        {
            err = -errno_h.ENOTSOCK;
            return null;
        }

        err = 0;
        return sock;
    }

    // net/socket.c: move_addr_to_kernel
    private static int move_addr_to_kernel(byte[]? uaddr, int ulen, out byte[] kaddr)
    {
        kaddr = Array.Empty<byte>();
        if (ulen < 0 || ulen > 128)
        {
            return -errno_base_h.EINVAL;
        }

        if (ulen == 0)
        {
            return 0;
        }

        if (uaddr is null || uaddr.Length < ulen)
        {
            return -errno_base_h.EFAULT;
        }

        kaddr = uaddr.AsSpan(0, ulen).ToArray();
        return 0;
    }

    // net/socket.c: __sys_socket
    /// <summary>socket(2): the network namespace is the calling task's.</summary>
    public static int __sys_socket(net net, task_struct task, int family, int type, int protocol)
    {
        var flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        type &= SOCK_TYPE_MASK;
        var retval = sock_create(net, family, type, protocol, out var sock);
        if (retval < 0)
        {
            return retval;
        }

        var fd = sock_map_fd(task, sock!, flags);
        if (fd < 0)
        {
            sock!.ops.release(sock);
        }

        return fd;
    }

    // net/socket.c: __sys_bind
    public static int __sys_bind(task_struct task, int fd, byte[]? umyaddr, int addrlen)
    {
        var sock = sockfd_lookup_light(task, fd, out var err);
        if (sock is null)
        {
            return err;
        }

        err = move_addr_to_kernel(umyaddr, addrlen, out var address);
        return err < 0 ? err : sock.ops.bind(sock, address, addrlen);
    }

    // net/socket.c: __sys_connect
    public static int __sys_connect(task_struct task, int fd, byte[]? uservaddr, int addrlen)
    {
        var sock = sockfd_lookup_light(task, fd, out var err);
        if (sock is null)
        {
            return err;
        }

        err = move_addr_to_kernel(uservaddr, addrlen, out var address);
        return err < 0 ? err : sock.ops.connect(sock, address, addrlen, sock.nonblock ? 0x800 : 0);
    }

    // net/socket.c: sock_sendmsg
    public static Task<int> sock_sendmsg(socket sock, msghdr msg) => sock.ops.sendmsg(sock, msg, msg.iov_len);

    // net/socket.c: __sys_sendto
    /// <summary>sendto(2): the user's buffer and address become a msghdr for the protocol.</summary>
    public static async Task<int> __sys_sendto(task_struct task, int fd, byte[] buff, int len, int flags, byte[]? addr, int addr_len)
    {
        var sock = sockfd_lookup_light(task, fd, out var err);
        if (sock is null)
        {
            return err;
        }

        if (len < 0 || len > buff.Length)
        {
            return -errno_base_h.EFAULT;
        }

        var msg = new msghdr { iov_base = buff, iov_len = len };
        if (addr is not null)
        {
            err = move_addr_to_kernel(addr, addr_len, out var address);
            if (err < 0)
            {
                return err;
            }

            msg.msg_name = address;
            msg.msg_namelen = addr_len;
        }

        if (sock.nonblock)
        {
            flags |= MSG_DONTWAIT;
        }

        msg.msg_flags = flags;
        return await sock_sendmsg(sock, msg);
    }

    // net/socket.c: sock_recvmsg
    [MightSleep]
    public static Task<int> sock_recvmsg(socket sock, msghdr msg, int flags) => sock.ops.recvmsg(sock, msg, msg.iov_len, flags);

    // net/socket.c: __sys_recvfrom
    /// <summary>recvfrom(2): may sleep until a datagram arrives; the sender's address is written back if asked.</summary>
    [MightSleep]
    public static async Task<int> __sys_recvfrom(task_struct task, int fd, byte[] ubuf, int size, int flags, byte[]? addr)
    {
        var sock = sockfd_lookup_light(task, fd, out var err);
        if (sock is null)
        {
            return err;
        }

        var msg = new msghdr { iov_base = ubuf, iov_len = Math.Min(size, ubuf.Length), msg_name = addr is null ? null : new byte[in_h.SOCKADDR_IN_SIZE] };
        if (sock.nonblock)
        {
            flags |= MSG_DONTWAIT;
        }

        err = await sock_recvmsg(sock, msg, flags);
        if (err >= 0 && addr is not null && msg.msg_name is { } name && msg.msg_namelen > 0)
        {
            name.AsSpan(0, Math.Min(name.Length, addr.Length)).CopyTo(addr);
        }

        return err;
    }

    // net/socket.c: __sys_setsockopt
    public static int __sys_setsockopt(task_struct task, int fd, int level, int optname, long optval)
    {
        var sock = sockfd_lookup_light(task, fd, out var err);
        if (sock is null)
        {
            return err;
        }

        if (level == SOL_SOCKET)
        {
            return Core.sock_c.sk_setsockopt(sock.sk!, optname, optval);
        }

        if (level == SOL_IP && optname == IP_RECVERR)
        {
            ((inet_sock)sock.sk!.proto_data!).recverr = optval != 0;
            return 0;
        }

        return -errno_h.ENOPROTOOPT;
    }

    // net/socket.c: __sys_getsockopt
    public static int __sys_getsockopt(task_struct task, int fd, int level, int optname, out long optval)
    {
        optval = 0;
        var sock = sockfd_lookup_light(task, fd, out var err);
        if (sock is null)
        {
            return err;
        }

        return level == SOL_SOCKET ? Core.sock_c.sk_getsockopt(sock.sk!, optname, out optval) : -errno_h.ENOPROTOOPT;
    }

    // net/socket.c: __sys_shutdown
    public static int __sys_shutdown(task_struct task, int fd, int how)
    {
        var sock = sockfd_lookup_light(task, fd, out var err);
        return sock is null ? err : sock.ops.shutdown(sock, how);
    }

    // net/socket.c: __sock_release
    private static void __sock_release(socket sock)
    {
        sock.ops.release(sock);
    }

    // net/socket.c: sock_close
    /// <summary>The last close of a socket's file descriptor (close(2) -> fput -> sock_close).</summary>
    public static int sock_close(task_struct task, int fd)
    {
        var sock = sockfd_lookup_light(task, fd, out var err);
        if (sock is null)
        {
            return err;
        }

        task.files.Remove(fd);
        __sock_release(sock);
        return 0;
    }
}
