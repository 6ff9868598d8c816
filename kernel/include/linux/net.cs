// Ports include/linux/net.h: struct socket, struct proto_ops and struct
// net_proto_family, the BSD socket side of a sock, and the socket types.
using System;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>enum socket_state.</summary>
public enum socket_state
{
    SS_FREE = 0,
    SS_UNCONNECTED,
    SS_CONNECTING,
    SS_CONNECTED,
    SS_DISCONNECTING,
}

/// <summary>struct proto_ops: the family's operations on a BSD socket (inet_dgram_ops).</summary>
public sealed class proto_ops
{
    public required int family { get; init; }

    /// <summary>release: the last close of the socket; may sleep (a TCP close lingering with SO_LINGER, inet_release).</summary>
    public required Func<socket, Task<int>> release { get; init; }

    public required Func<socket, byte[], int, int> bind { get; init; }

    /// <summary>connect: may sleep until a stream connection is established or refused (inet_stream_connect).</summary>
    public required Func<socket, byte[], int, int, ValueTask<int>> connect { get; init; }

    /// <summary>getname: writes the local (peer=false) or peer address; returns its length or -errno.</summary>
    public required Func<socket, byte[], bool, int> getname { get; init; }

    public required Func<socket, int, int> shutdown { get; init; }

    /// <summary>setsockopt for levels other than SOL_SOCKET, and SOL_SOCKET too on SOCK_CUSTOM_SOCKOPT sockets.</summary>
    public required Func<socket, int, int, long, int> setsockopt { get; init; }

    /// <summary>setsockopt with the value as a buffer (sockptr_t, optlen): options that are not an int. Null: read an int and use setsockopt.</summary>
    public Func<socket, int, int, byte[], int, int>? setsockopt_buf { get; init; }

    public required Func<socket, int, int, (int Err, long Val)> getsockopt { get; init; }

    /// <summary>sendmsg: may sleep for send buffer space.</summary>
    public required Func<socket, msghdr, int, ValueTask<int>> sendmsg { get; init; }

    /// <summary>recvmsg: may sleep until data arrives.</summary>
    public required Func<socket, msghdr, int, int, ValueTask<int>> recvmsg { get; init; }

    /// <summary>listen: null where the family has none (sock_no_listen: EOPNOTSUPP).</summary>
    public Func<socket, int, int>? listen { get; init; }

    /// <summary>ioctl(sock, cmd, argp): argp is the user memory the argument points to; -ENOIOCTLCMD for a request the family does not know. Null: sock_no_ioctl.</summary>
    public Func<socket, uint, byte[]?, int>? ioctl { get; init; }

    /// <summary>accept: graft the next connection onto the new socket; may sleep. Null: sock_no_accept (EOPNOTSUPP).</summary>
    public Func<socket, socket, int, ValueTask<int>>? accept { get; init; }

    /// <summary>poll(file, sock, wait): the socket's poll mask (EPOLL* bits), hooking the poller onto its wait queue through wait's _qproc. Null: sock_poll reports nothing.</summary>
    public Func<object, socket, poll_table_struct?, uint>? poll { get; init; }

    /// <summary>splice_read(sock, ppos, pipe, len, flags): splice(2) from the socket into a pipe; null: copy_splice_read (not ported).</summary>
    public Func<socket, System.Runtime.CompilerServices.StrongBox<long>, pipe_inode_info, int, uint, Task<long>>? splice_read { get; init; }

    /// <summary>gettstamp(sock, userstamp, timeval, time32): SIOCGSTAMP/SIOCGSTAMPNS; null where the family has none.</summary>
    public Func<socket, byte[]?, bool, bool, int>? gettstamp { get; init; }
}

/// <summary>
/// struct net_proto_family: how an address family creates its sockets
/// (inet_family_ops, packet_family_ops), registered with sock_register.
/// </summary>
public sealed class net_proto_family
{
    public required int family { get; init; }

    /// <summary>create(net, sock, protocol, kern): sets sock.ops and allocates sock.sk; -errno on failure.</summary>
    public required Func<net, socket, int, bool, int> create { get; init; }
}

/// <summary>struct socket.</summary>
public sealed class socket
{
    public socket_state state { get; set; }

    public short type { get; set; }

    /// <summary>SOCK_NOSPACE, SOCK_CUSTOM_SOCKOPT, ... (bit numbers in net_h).</summary>
    public ulong flags { get; set; }

    public proto_ops ops { get; set; } = null!;

    public sock? sk { get; set; }

    /// <summary>O_NONBLOCK on the file (file->f_flags, which the port folds into the socket).</summary>
    public bool nonblock { get; set; }

    /// <summary>SOCK_INODE(sock)->i_ino: the socket's inode number (sock_i_ino).</summary>
    public ulong i_ino { get; set; }

    /// <summary>The slab of the socket's inode (struct socket_alloc: sock_alloc_inode), until sock_free_inode.</summary>
    public Mm.kmem_cache? inode_cachep { get; set; }

    /// <summary>The slab of its file (alloc_empty_file), until file_free: the port's socket stands for its struct file.</summary>
    public Mm.kmem_cache? filp_cachep { get; set; }

    /// <summary>file->f_ep: the epoll items watching this socket's file (eventpoll_release removes them at the last close).</summary>
    public System.Collections.Generic.LinkedList<Fs.epitem>? f_ep { get; set; }

    /// <summary>The slab of its dentry (d_alloc_pseudo), until dentry_free.</summary>
    public Mm.kmem_cache? dentry_cachep { get; set; }
}

public static class net_h
{
    /// <summary>Bits of socket.flags.</summary>
    public const int SOCK_NOSPACE = 2;
    public const int SOCK_PASSCRED = 3;
    public const int SOCK_PASSSEC = 4;
    public const int SOCK_SUPPORT_ZC = 5;
    public const int SOCK_CUSTOM_SOCKOPT = 6;

    /// <summary>sk_wake_async's "how".</summary>
    public const int SOCK_WAKE_IO = 0;
    public const int SOCK_WAKE_WAITD = 1;
    public const int SOCK_WAKE_SPACE = 2;
    public const int SOCK_WAKE_URG = 3;

    /// <summary>NPROTO: address families are below this (AF_MAX).</summary>
    public const int NPROTO = 46;

    /// <summary>SOCK_MAX: socket types are below this.</summary>
    public const int SOCK_MAX = 11;

    // include/linux/net.h: net_warn_ratelimited
    /// <summary>pr_warn when net_ratelimit allows.</summary>
    public static void net_warn_ratelimited(Vmlinux k, string text)
    {
        if (KernelNet.Kernel.Net.Core.utils_c.net_ratelimit(k))
        {
            KernelNet.Kernel.Kernel.Printk.printk_c._printk(k, KernelNet.Kernel.Kernel.Printk.printk_c.KERN_WARNING, text);
        }
    }
}
