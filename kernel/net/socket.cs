// Ports net/socket.c: the socket system calls — creating a socket through the
// table of registered address families (sock_register: AF_INET, AF_PACKET)
// and its file descriptor, and passing bind/connect/sendto/recvfrom/
// setsockopt/shutdown/close on to the family's proto_ops.
//
// A socket takes its inode (sock_alloc_inode), file and dentry
// (sock_alloc_file) from their slab caches and gives them back on close.
// Also read/write on a socket (sock_read_iter/sock_write_iter), sendmsg and
// recvmsg (the iovecs arrive laid end to end in msghdr.iov_base: the
// syscall entry's copy_msghdr_from_user), ioctl (sock_ioctl/sock_do_ioctl to
// the family's ioctl), getsockopt into a user buffer.
//
// not ported: socketpair, sendmmsg/recvmmsg, SIOCGSTAMP and the
// socket-level and device ioctls of sock_ioctl, the file layer (a file descriptor maps straight to its socket, so
// 6.18's CLASS(fd, f) and fd_empty() are a lookup in task->files, followed
// by sock_from_file as in C).
using System;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.socket_h;

namespace KernelNet.Kernel.Net;

public static class socket_c
{
    // net/socket.c: sock_alloc_inode
    /// <summary>The socket comes with its inode: one struct socket_alloc from sock_inode_cachep.</summary>
    private static void sock_alloc_inode(Vmlinux k, socket sock)
    {
        // not ported: init_waitqueue_head — a waiting task is an awaited Task in the port, not a wait-queue entry
        // not ported: alloc_inode_sb — the inode is the socket object's own fields (i_ino), its slab object taken here
        if (k.globals<socket_globals>().sock_inode_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cachep);
            sock.inode_cachep = cachep;
        }

        // new_inode_pseudo: the inode's number (get_next_ino), what /proc/net/tcp's inode column shows.
        sock.i_ino = ++k.globals<socket_globals>().last_ino;
    }

    // net/socket.c: sock_free_inode
    /// <summary>The inode's last reference went (iput at release): back to sock_inode_cachep.</summary>
    private static void sock_free_inode(socket sock)
    {
        if (sock.inode_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_free(cachep);
            sock.inode_cachep = null;
        }
    }

    // net/socket.c: init_inodecache
    /// <summary>The sockfs inode cache: struct socket_alloc is 768 bytes in 6.18 on x86-64, cache-line aligned, with a constructor (init_once).</summary>
    private static void init_inodecache(Vmlinux k)
    {
        // not ported: kmem_cache_create — written out: __kmem_cache_create_args, which the macro expands to
        k.globals<socket_globals>().sock_inode_cachep = Mm.slab_common_c.__kmem_cache_create_args(
            k, "sock_inode_cache", 768, 0, slab_h.SLAB_HWCACHE_ALIGN | slab_h.SLAB_RECLAIM_ACCOUNT | slab_h.SLAB_ACCOUNT, has_ctor: true);
    }

    // net/socket.c: sock_alloc
    /// <summary>A new BSD socket with its sockfs inode (new_inode_pseudo -> sock_alloc_inode).</summary>
    private static socket sock_alloc(Vmlinux k)
    {
        // not ported: new_inode_pseudo, get_next_ino, SOCKET_I — sockfs is not mounted: the inode is the socket's own fields,
        //   numbered in sock_alloc_inode
        var sock = new socket();
        sock_alloc_inode(k, sock);
        return sock;
    }

    // net/socket.c: sock_init
    /// <summary>Boot (core_initcall): sockfs's inode cache (init_inodecache); the mount and the rest are not ported.</summary>
    public static int sock_init(Vmlinux k)
    {
        // not ported: ptp_classifier_init — no PTP timestamping
        // not ported: netfilter_init — each namespace's hook heads come with its struct net (net.nf)
        // not ported: net_sysctl_init — sysctls are read from the namespace's fields (no sysctl tree)
        Core.skbuff_c.skb_init(k);
        init_inodecache(k);
        return 0;
    }

    // net/socket.c: __sock_create
    /// <summary>
    /// Allocates the BSD socket and lets the family registered for
    /// <paramref name="family"/> (sock_register) create its sock:
    /// inet_create for AF_INET, packet_create for AF_PACKET.
    /// </summary>
    private static int __sock_create(net net, int family, int type, int protocol, out socket? res, bool kern)
    {
        // not ported: sock_release — a socket the family did not set up has only its inode to give back (written out)
        res = null;
        if (family < 0 || family >= net_h.NPROTO)
        {
            return -errno_h.EAFNOSUPPORT;
        }

        if (type < 0 || type >= net_h.SOCK_MAX)
        {
            return -errno_base_h.EINVAL;
        }

        // Compatibility: (PF_INET, SOCK_PACKET) is the obsolete spelling of PF_PACKET.
        if (family == AF_INET && type == SOCK_PACKET)
        {
            family = PF_PACKET;
        }

        // security_socket_create: no LSM in the simulation.
        var sock = sock_alloc(net.k);
        sock.type = (short)type;

        // No modules: every family is built in, so there is no request_module.
        var pf = net.k.globals<socket_globals>().net_families[family];
        var err = -errno_h.EAFNOSUPPORT;
        if (pf is null)
        {
            goto out_sock_release;
        }

        err = pf.create(net, sock, protocol, kern);
        if (err < 0)
        {
            goto out_sock_release;
        }

        res = sock;
        return 0;

    out_sock_release:
        // sock_release of a socket the family did not set up: only its inode to give back.
        sock_free_inode(sock);
        return err;
    }

    // net/socket.c: sock_create
    public static int sock_create(net net, int family, int type, int protocol, out socket? res) =>
        __sock_create(net, family, type, protocol, out res, false);

    // net/socket.c: sock_map_fd
    /// <summary>Gives the socket the lowest free file descriptor of the task (EMFILE at RLIMIT_NOFILE).</summary>
    private static int sock_map_fd(task_struct task, socket sock, int flags)
    {
        // not ported: fd_install, put_unused_fd — the descriptor table is the task's dictionary: the socket is added under the
        //   number (nothing to undo: sock_alloc_file cannot fail); sock_release — likewise never reached
        var fd = Fs.file_c.get_unused_fd_flags(task, flags);
        if (fd < 0)
        {
            return fd;
        }

        sock_alloc_file(sock);
        task.files.Add(fd, sock);
        sock.nonblock = (flags & SOCK_NONBLOCK) != 0;
        return fd;
    }

    // net/socket.c: sock_alloc_file
    /// <summary>The socket's file on sockfs (alloc_file_pseudo: a dentry and a struct file).</summary>
    private static void sock_alloc_file(socket sock)
    {
        // not ported: SOCK_INODE, stream_open, file_set_fsnotify_mode — the file is the socket itself (the header): only its
        //   slab objects are taken; sock_release — alloc_file_pseudo cannot fail here
        if (sock.sk is { } sk)
        {
            Fs.file_table_c.alloc_file_pseudo(sk.sk_net.k, sock);
        }
    }

    // net/socket.c: sock_from_file
    /// <summary>The socket behind an open file, or null when the file is something else (the caller's ENOTSOCK).</summary>
    public static socket? sock_from_file(object file) => file as socket;

    // net/socket.c: move_addr_to_kernel
    /// <summary>Copies the user's address into <paramref name="kaddr"/>, the caller's on-stack sockaddr_storage.</summary>
    private static int move_addr_to_kernel(byte[]? uaddr, int ulen, byte[] kaddr)
    {
        // not ported: audit_sockaddr — no audit subsystem
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

        uaddr.AsSpan(0, ulen).CopyTo(kaddr);
        return 0;
    }

    // net/socket.c: __sys_socket
    /// <summary>socket(2): the network namespace is the calling task's.</summary>
    public static async ValueTask<int> __sys_socket(net net, task_struct task, int family, int type, int protocol)
    {
        // not ported: __sys_socket_create — written out: the flag checks and sock_create; update_socket_protocol — a BPF fmod_ret
        //   hook (no BPF): the protocol stays as given
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
            await __sock_release(sock!); // a socket just made has nothing to linger on: this returns at once
        }

        return fd;
    }

    // net/socket.c: __sys_bind
    public static int __sys_bind(task_struct task, int fd, byte[]? umyaddr, int addrlen)
    {
        // not ported: __sys_bind_socket — written out: move_addr_to_kernel and ops->bind (security_socket_bind: no LSM)
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        var address = task.stack_sockaddr;
        var err = move_addr_to_kernel(umyaddr, addrlen, address);
        return err < 0 ? err : sock.ops.bind(sock, address, addrlen);
    }

    // net/socket.c: __sys_connect
    /// <summary>connect(2): the family's connect, which for a stream socket may sleep until the handshake ends.</summary>
    [MightSleep]
    public static async ValueTask<int> __sys_connect(task_struct task, int fd, byte[]? uservaddr, int addrlen)
    {
        // not ported: __sys_connect_file — written out: move_addr_to_kernel and ops->connect, O_NONBLOCK as the file's flags
        //   (security_socket_connect: no LSM)
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        var address = task.stack_sockaddr;
        var err = move_addr_to_kernel(uservaddr, addrlen, address);
        return err < 0 ? err : await sock.ops.connect(sock, address, addrlen, sock.nonblock ? 0x800 : 0);
    }

    // net/socket.c: __sys_listen
    /// <summary>listen(2): the backlog is capped at net.core.somaxconn.</summary>
    public static int __sys_listen(task_struct task, int fd, int backlog)
    {
        // not ported: __sys_listen_socket — written out: somaxconn's cap and ops->listen
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        var somaxconn = (int)sock.sk!.sk_net.core_sysctl["somaxconn"];
        if ((uint)backlog > (uint)somaxconn)
        {
            backlog = somaxconn;
        }

        // security_socket_listen: no LSM.
        return sock.ops.listen is { } listen ? listen(sock, backlog) : -errno_h.EOPNOTSUPP;
    }

    // net/socket.c: __sys_accept4
    /// <summary>accept4(2): a new socket of the listener's type and operations, the family's accept, and a descriptor for it (peer address not returned).</summary>
    [MightSleep]
    public static async ValueTask<int> __sys_accept4(task_struct task, int fd, int flags)
    {
        // not ported: __sys_accept4_file — written out below (the new socket, ops->accept, its descriptor)
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        if (sock.ops.accept is not { } accept)
        {
            return -errno_h.EOPNOTSUPP;
        }

        // do_accept: sock_alloc, the listener's type and ops.
        var newsock = sock_alloc(sock.sk!.sk_net.k);
        newsock.type = sock.type;
        newsock.ops = sock.ops;

        var err = await accept(sock, newsock, sock.nonblock ? 0x800 : 0);
        if (err < 0)
        {
            sock_free_inode(newsock); // sock_release of the socket never accepted into
            return err;
        }

        var newfd = sock_map_fd(task, newsock, flags);
        if (newfd < 0)
        {
            await __sock_release(newsock);
        }

        return newfd;
    }

    // net/socket.c: __sock_tx_timestamp
    /// <summary>The SOF_TIMESTAMPING_TX_* flags of a send as the skb's SKBTX_* requests.</summary>
    public static void __sock_tx_timestamp(uint tsflags, ref byte tx_flags)
    {
        var flags = tx_flags;

        if ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_TX_HARDWARE) != 0)
        {
            flags |= skbuff_h.SKBTX_HW_TSTAMP_NOBPF;
        }

        if ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_TX_SOFTWARE) != 0)
        {
            flags |= skbuff_h.SKBTX_SW_TSTAMP;
        }

        if ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_TX_SCHED) != 0)
        {
            flags |= skbuff_h.SKBTX_SCHED_TSTAMP;
        }

        if ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_TX_COMPLETION) != 0)
        {
            flags |= skbuff_h.SKBTX_COMPLETION_TSTAMP;
        }

        tx_flags = flags;
    }

    // net/socket.c: sock_sendmsg_nosec
    /// <summary>The family's sendmsg (inet_sendmsg), then the sock_send_length tracepoint.</summary>
    [MightSleep]
    private static async ValueTask<int> sock_sendmsg_nosec(socket sock, msghdr msg)
    {
        // not ported: msg_data_left — written out: iov_len - iov_offset; call_trace_sock_send_length — the
        //   tracepoint is emitted directly (the helper only keeps it out of line)
        var ret = await sock.ops.sendmsg(sock, msg, msg.iov_len - msg.iov_offset);
        Include.Trace.Events.sock_h.trace_sock_send_length(sock.sk!, ret, 0);
        return ret;
    }

    // not ported: __sock_sendmsg — written out: security_socket_sendmsg always allows (no LSM), and msg_name needs no
    //   saving from a BPF rewrite (no BPF): sock_sendmsg_nosec
    // net/socket.c: sock_sendmsg
    /// <summary>Sends a message through a socket (no LSM: security_socket_sendmsg always allows).</summary>
    [MightSleep]
    public static ValueTask<int> sock_sendmsg(socket sock, msghdr msg) => sock_sendmsg_nosec(sock, msg);

    /// <summary>
    /// struct msghdr msg, a local of __sys_sendto and __sys_recvfrom: the
    /// task's one stack msghdr with every field set as a fresh one's, the user
    /// buffer in its iterator (import_ubuf).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("C# stand-in for a struct on the kernel stack: the task's msghdr reset, not allocated, per call")]
    private static msghdr on_stack_msghdr(task_struct task, byte[]? ubuf, int len)
    {
        var msg = task.stack_msghdr;
        msg.msg_name = null;
        msg.msg_namelen = 0;
        msg.iov_base = ubuf;
        msg.iov_len = len;
        msg.iov_offset = 0;
        msg.msg_iter_type = 0;
        msg.msg_iter_bvec = null;
        msg.iov_segs = null;
        msg.user_pages = null;
        msg.msg_flags = 0;
        msg.msg_control = null;
        msg.msg_controllen = 0;
        return msg;
    }

    // net/socket.c: __sys_sendto
    /// <summary>sendto(2): the user's buffer and address become a msghdr for the protocol.</summary>
    public static async ValueTask<int> __sys_sendto(task_struct task, int fd, byte[]? buff, int len, int flags, byte[]? addr, int addr_len)
    {
        // not ported: __sock_sendmsg — the port uses sock_sendmsg
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        // A NULL buffer passes import_ubuf (user space starts at 0): the copy faults later.
        if (len < 0 || (buff is not null && len > buff.Length))
        {
            return -errno_base_h.EFAULT;
        }

        var msg = on_stack_msghdr(task, buff, len);
        if (addr is not null)
        {
            var address = task.stack_sockaddr;
            var err = move_addr_to_kernel(addr, addr_len, address);
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

    // net/socket.c: skb_is_err_queue
    /// <summary>Is this skb from the error queue? (skb_set_err_queue marks it PACKET_OUTGOING, a type no received packet has on a local socket.)</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool skb_is_err_queue(sk_buff skb) => skb.pkt_type == skbuff_h.PACKET_OUTGOING;

    // net/socket.c: __sock_recv_timestamp
    /// <summary>
    /// The timestamp control messages of a received or error-queue skb:
    /// SO_TIMESTAMP's timeval/timespec when asked for, and SCM_TIMESTAMPING
    /// with the software stamp in ts[0] when SOF_TIMESTAMPING_SOFTWARE is on
    /// and the stamp is wanted here (an RX stamp, an error-queue skb, or no
    /// OPT_RX_FILTER); an OPT_STATS payload follows as SCM_TIMESTAMPING_OPT_STATS.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void __sock_recv_timestamp(msghdr msg, sock sk, sk_buff skb)
    {
        // not ported: get_timestamp, skb_get_new_timestamp, skb_get_new_timestampns, skb_get_timestamp,
        //   skb_get_timestampns — SO_TIMESTAMP(NS)'s cmsgs are not built here (TCP's tcp_recv_timestamp is not ported);
        //   put_cmsg_scm_timestamping — only the 64-bit SOCK_TSTAMP_NEW form is put; skb_is_swtx_tstamp — no TX
        //   software-stamp skb reaches a read with a hardware stamp to prefer (no NIC stamps)
        var need_software_tstamp = sock_h.sock_flag(sk, sock_flags.SOCK_RCVTSTAMP);
        var empty = true;
        long ts0 = 0;

        // stamping was turned on after the packet arrived: now will do
        if (need_software_tstamp && skb.tstamp == 0)
        {
            skbuff_h.__net_timestamp(skb);
        }

        if (need_software_tstamp)
        {
            // not ported: SO_TIMESTAMP(NS)_OLD/NEW's cmsg here — TCP reads them through tcp_recv_timestamp, which is not ported either
        }

        // memset(&tss, 0, sizeof(tss))
        var tsflags = sk.sk_tsflags;
        if ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_SOFTWARE) != 0 &&
            ((tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_RX_SOFTWARE) != 0 || skb_is_err_queue(skb) ||
             (tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_RX_FILTER) == 0) &&
            skb.tstamp != 0) // ktime_to_timespec64_cond
        {
            ts0 = skb.tstamp;
            empty = false;
        }

        // not ported: the hardware stamp in ts[2] (skb_hwtstamps, SOF_TIMESTAMPING_RAW_HARDWARE, put_ts_pktinfo) — no NIC stamps
        if (!empty)
        {
            // put_cmsg_scm_timestamping64 for SOCK_TSTAMP_NEW: the same three timespecs on a 64-bit task
            Core.scm_c.put_cmsg(msg, SOL_SOCKET, SCM_TIMESTAMPING, Include.Uapi.Linux.errqueue_h.scm_timestamping_bytes(ts0, 0));

            if (skb_is_err_queue(skb) && skb.len != 0 && Include.Linux.errqueue_h.SKB_EXT_ERR(skb).opt_stats)
            {
                Core.scm_c.put_cmsg(msg, SOL_SOCKET, SCM_TIMESTAMPING_OPT_STATS, skb.head.AsSpan(skb.data, skb.len).ToArray());
            }
        }
    }

    // net/socket.c: sock_recvmsg_nosec
    /// <summary>The family's recvmsg (inet_recvmsg), then the sock_recv_length tracepoint.</summary>
    [MightSleep]
    private static async ValueTask<int> sock_recvmsg_nosec(socket sock, msghdr msg, int flags)
    {
        // not ported: msg_data_left — written out: iov_len - iov_offset; call_trace_sock_recv_length — the
        //   tracepoint is emitted directly
        var ret = await sock.ops.recvmsg(sock, msg, msg.iov_len - msg.iov_offset, flags);
        Include.Trace.Events.sock_h.trace_sock_recv_length(sock.sk!, ret, flags);
        return ret;
    }

    // not ported: msg_data_left — security_socket_recvmsg always allows (no LSM), so the length is not needed here
    // net/socket.c: sock_recvmsg
    /// <summary>Receives a message from a socket; may sleep (IO-1).</summary>
    [MightSleep]
    public static ValueTask<int> sock_recvmsg(socket sock, msghdr msg, int flags) => sock_recvmsg_nosec(sock, msg, flags);

    // net/socket.c: __sys_recvfrom
    /// <summary>recvfrom(2): may sleep until a datagram arrives; the sender's address is written back if asked.</summary>
    [MightSleep]
    public static async ValueTask<int> __sys_recvfrom(task_struct task, int fd, byte[]? ubuf, int size, int flags, byte[]? addr)
    {
        // not ported: import_ubuf — the user buffer is a byte array: its length is checked against size above
        if (size < 0 || (ubuf is not null && size > ubuf.Length))
        {
            return -errno_base_h.EFAULT;
        }

        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        var msg = on_stack_msghdr(task, ubuf, size);
        if (addr is not null)
        {
            // the on-stack sockaddr_storage: not cleared, as the kernel's is not; the protocol writes the whole name it
            //   reports and move_addr_to_user copies only msg_namelen bytes of it
            msg.msg_name = task.stack_sockaddr;
        }
        if (sock.nonblock)
        {
            flags |= MSG_DONTWAIT;
        }

        var err = await sock_recvmsg(sock, msg, flags);
        if (err >= 0 && addr is not null && msg.msg_name is { } name && msg.msg_namelen > 0)
        {
            var err2 = move_addr_to_user(name, msg.msg_namelen, addr);
            if (err2 < 0)
            {
                err = err2;
            }
        }

        return err;
    }

    // net/socket.c: sock_read_iter
    /// <summary>read(2) on a socket: a recvmsg of the one buffer, MSG_DONTWAIT when the file is O_NONBLOCK; 0 for an empty read.</summary>
    [MightSleep]
    public static async Task<int> sock_read_iter(socket sock, byte[]? ubuf, int count)
    {
        // not ported: iov_iter_count — the one buffer's count is the argument
        var msg = new msghdr { iov_base = ubuf, iov_len = count };
        var flags = sock.nonblock ? MSG_DONTWAIT : 0;
        if (count == 0)
        {
            return 0;
        }

        return await sock_recvmsg(sock, msg, flags);
    }

    // net/socket.c: sock_write_iter
    /// <summary>write(2) on a socket: a sendmsg of the one buffer, MSG_DONTWAIT when the file is O_NONBLOCK.</summary>
    [MightSleep]
    public static async Task<int> sock_write_iter(socket sock, byte[]? ubuf, int count)
    {
        // not ported: __sock_sendmsg — the port uses sock_sendmsg
        var msg = new msghdr { iov_base = ubuf, iov_len = count };
        if (sock.nonblock)
        {
            msg.msg_flags |= MSG_DONTWAIT;
        }

        // The SOCK_PACKET zero-length special case does not apply to the families here.
        return await sock_sendmsg(sock, msg);
    }

    // net/socket.c: sock_do_ioctl
    /// <summary>The family's ioctl; a request it does not know (-ENOIOCTLCMD) is not a socket ioctl either here (-ENOTTY).</summary>
    private static int sock_do_ioctl(net net, socket sock, uint cmd, byte[]? argp)
    {
        // not ported: dev_ioctl, get_user_ifreq, is_socket_ioctl_cmd, put_user_ifreq — the socket-level and device ioctls of sock_ioctl are not ported (see the header)
        var err = sock.ops.ioctl is { } ioctl ? ioctl(sock, cmd, argp) : -ENOIOCTLCMD;
        if (err != -ENOIOCTLCMD)
        {
            return err;
        }

        // is_socket_ioctl_cmd/dev_ioctl: no interface ioctls are modelled.
        return -ENOTTY;
    }

    /// <summary>ENOIOCTLCMD (include/linux/errno.h): the handler does not know the request.</summary>
    public const int ENOIOCTLCMD = 515;

    /// <summary>ENOTTY: not a request this file takes.</summary>
    public const int ENOTTY = 25;

    // net/socket.c: sock_ioctl
    /// <summary>ioctl(2) on a socket fd; <paramref name="argp"/> is the user memory the argument points to.</summary>
    public static int sock_ioctl(task_struct task, int fd, uint cmd, byte[]? argp)
    {
        // not ported: br_ioctl_call, dev_ifconf, dev_ioctl, get_user_ifreq, put_user_ifreq, wext_handle_ioctl — the socket-level and device ioctls of sock_ioctl are not ported (see the header)
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -ENOTTY;
        }

        if (cmd is KernelNet.Kernel.Include.Uapi.Linux.sockios_h.SIOCGSTAMP_OLD or KernelNet.Kernel.Include.Uapi.Linux.sockios_h.SIOCGSTAMPNS_OLD)
        {
            return sock.ops.gettstamp is { } gettstamp
                ? gettstamp(sock, argp, cmd == KernelNet.Kernel.Include.Uapi.Linux.sockios_h.SIOCGSTAMP_OLD, false)
                : -ENOIOCTLCMD;
        }

        // SIOCSPGRP, the bridge/vlan hooks ... are not modelled.
        return sock_do_ioctl(sock.sk!.sk_net, sock, cmd, argp);
    }

    // net/socket.c: ____sys_sendmsg
    /// <summary>The message as the syscall entry copied it in; the file's O_NONBLOCK adds MSG_DONTWAIT.</summary>
    [MightSleep]
    private static ValueTask<int> ____sys_sendmsg(socket sock, msghdr msg_sys, int flags)
    {
        // not ported: __sock_sendmsg — the port uses sock_sendmsg
        // not ported: sock_kfree_s, sock_kmalloc — a control buffer larger than the on-stack one is charged to sk_omem_alloc in 6.18; the port's control messages are C# objects and charge nothing
        // not ported: sock_sendmsg_nosec — through sock_sendmsg (no LSM, no BPF rewrite); CMSG_ALIGN — control messages on
        //   send are handed through as they are (no cmsg copy into a kernel buffer)
        if (sock.nonblock)
        {
            flags |= MSG_DONTWAIT;
        }

        msg_sys.msg_flags = flags;
        return sock_sendmsg(sock, msg_sys);
    }

    // not ported: sendmsg_copy_msghdr, kfree — the syscall entry hands a kernel msghdr (the header): nothing to copy in
    //   or free
    // net/socket.c: ___sys_sendmsg
    [MightSleep]
    private static ValueTask<int> ___sys_sendmsg(socket sock, msghdr msg, int flags) => ____sys_sendmsg(sock, msg, flags);

    // net/socket.c: __sys_sendmsg
    /// <summary>sendmsg(2): <paramref name="msg"/> holds the iovecs laid end to end (iov_base null: a NULL iovec, which faults).</summary>
    [MightSleep]
    public static async ValueTask<int> __sys_sendmsg(task_struct task, int fd, msghdr msg, int flags)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        return await ___sys_sendmsg(sock, msg, flags);
    }

    // net/socket.c: ____sys_recvmsg
    /// <summary>
    /// recvmsg of one message; the control messages land in msg_control
    /// (put_cmsg) and the protocol's flags (MSG_TRUNC, MSG_CTRUNC ...) in
    /// msg_flags, which the caller copies back to the user's msghdr.
    /// </summary>
    [MightSleep]
    private static async ValueTask<int> ____sys_recvmsg(socket sock, msghdr msg_sys, int flags)
    {
        // not ported: sock_recvmsg_nosec — through sock_recvmsg (no LSM); move_addr_to_user — the caller copies msg_name
        //   back; COMPAT_FLAGS, COMPAT_NAMELEN — no 32-bit compat tasks
        msg_sys.msg_flags = flags & MSG_CMSG_COMPAT;
        if (sock.nonblock)
        {
            flags |= MSG_DONTWAIT;
        }

        var err = await sock_recvmsg(sock, msg_sys, flags);
        if (err < 0)
        {
            return err;
        }

        msg_sys.msg_flags &= ~MSG_CMSG_COMPAT;
        return err;
    }

    // not ported: recvmsg_copy_msghdr, kfree — the syscall entry hands a kernel msghdr (the header): nothing to copy in
    //   or free
    // net/socket.c: ___sys_recvmsg
    [MightSleep]
    private static ValueTask<int> ___sys_recvmsg(socket sock, msghdr msg, int flags) => ____sys_recvmsg(sock, msg, flags);

    // net/socket.c: __sys_recvmsg
    /// <summary>recvmsg(2): data into msg.iov_base, ancillary data into msg.msg_control.</summary>
    [MightSleep]
    public static async ValueTask<int> __sys_recvmsg(task_struct task, int fd, msghdr msg, int flags)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        return await ___sys_recvmsg(sock, msg, flags);
    }

    // net/socket.c: sock_use_custom_sol_socket
    /// <summary>UDP (and TCP) take SOL_SOCKET options themselves (SOCK_CUSTOM_SOCKOPT).</summary>
    private static bool sock_use_custom_sol_socket(socket sock) => (sock.flags & (1UL << net_h.SOCK_CUSTOM_SOCKOPT)) != 0;

    // net/socket.c: do_sock_setsockopt
    /// <summary>SOL_SOCKET to sock_setsockopt unless the protocol wants it; everything else to ops->setsockopt.</summary>
    private static int do_sock_setsockopt(socket sock, int level, int optname, long optval)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        if (level == SOL_SOCKET && !sock_use_custom_sol_socket(sock))
        {
            return Core.sock_c.sock_setsockopt(sock, level, optname, optval);
        }

        return sock.ops.setsockopt(sock, level, optname, optval);
    }

    // net/socket.c: do_sock_setsockopt
    /// <summary>
    /// The value as a buffer (sockptr_t): a protocol that reads buffers
    /// (setsockopt_buf: TCP_CONGESTION's name) gets it whole; otherwise it
    /// must hold an int, which takes the int path.
    /// </summary>
    private static int do_sock_setsockopt(socket sock, int level, int optname, byte[] optval, int optlen)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        if (optlen < 0 || optlen > optval.Length)
        {
            return -errno_base_h.EFAULT;
        }

        if ((level != SOL_SOCKET || sock_use_custom_sol_socket(sock)) && sock.ops.setsockopt_buf is { } setsockopt_buf)
        {
            return setsockopt_buf(sock, level, optname, optval, optlen);
        }

        // SOL_SOCKET reads the buffer itself (struct linger is two ints)
        if (level == SOL_SOCKET && !sock_use_custom_sol_socket(sock))
        {
            return Core.sock_c.sock_setsockopt(sock, level, optname, optval, optlen);
        }

        if (optlen < sizeof(int))
        {
            return -errno_base_h.EINVAL;
        }

        return do_sock_setsockopt(sock, level, optname, BitConverter.ToInt32(optval, 0));
    }

    // net/socket.c: __sys_setsockopt
    /// <summary>setsockopt(2) with the value in a user buffer of <paramref name="optlen"/> bytes.</summary>
    public static int __sys_setsockopt(task_struct task, int fd, int level, int optname, byte[] optval, int optlen)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        return do_sock_setsockopt(sock, level, optname, optval, optlen);
    }

    // net/socket.c: __sys_setsockopt
    /// <summary>setsockopt(2) with an int-sized value (timeouts as microseconds: the port's struct timeval).</summary>
    public static int __sys_setsockopt(task_struct task, int fd, int level, int optname, long optval)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        return do_sock_setsockopt(sock, level, optname, optval);
    }

    // net/socket.c: do_sock_getsockopt
    private static int do_sock_getsockopt(socket sock, int level, int optname, out long optval)
    {
        if (level == SOL_SOCKET)
        {
            return Core.sock_c.sk_getsockopt(sock.sk!, level, optname, out optval);
        }

        var (e, v) = sock.ops.getsockopt(sock, level, optname);
        optval = v;
        return e;
    }

    // net/socket.c: __sys_getsockopt
    public static int __sys_getsockopt(task_struct task, int fd, int level, int optname, out long optval)
    {
        optval = 0;
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        return do_sock_getsockopt(sock, level, optname, out optval);
    }

    // net/socket.c: do_sock_getsockopt
    /// <summary>
    /// getsockopt into a user buffer of *optlen bytes: a protocol that fills
    /// buffers (getsockopt_buf: TCP_INFO) does; any other option is the int
    /// path, written as an int (optlen becomes 4). Returns 0 or -errno.
    /// </summary>
    private static int do_sock_getsockopt(socket sock, int level, int optname, byte[]? optval, ref int optlen)
    {
        if (optlen < 0)
        {
            return -errno_base_h.EINVAL;
        }

        if (level != SOL_SOCKET && sock.sk?.sk_prot?.getsockopt_buf is { } getsockopt_buf)
        {
            if (optval is null)
            {
                return -errno_base_h.EFAULT;
            }

            var (e, len) = getsockopt_buf(sock.sk, level, optname, optval);
            if (e < 0)
            {
                return e;
            }

            optlen = Math.Min(len, optlen);
            return 0;
        }

        if (level == SOL_SOCKET)
        {
            // sock_getsockopt: the socket layer writes its own values, structures included (SO_MEMINFO)
            return Core.sock_c.sk_getsockopt(sock.sk!, level, optname, optval, ref optlen);
        }

        var err = do_sock_getsockopt(sock, level, optname, out var v);
        if (err < 0)
        {
            return err;
        }

        var n = Math.Min(optlen, sizeof(int));
        if (n > 0)
        {
            if (optval is null || optval.Length < n)
            {
                return -errno_base_h.EFAULT;
            }

            BitConverter.GetBytes((int)v).AsSpan(0, n).CopyTo(optval);
        }

        optlen = n;
        return 0;
    }

    // net/socket.c: __sys_getsockopt
    /// <summary>getsockopt(2) with a user buffer and length (the length is updated as the kernel writes it back).</summary>
    public static int __sys_getsockopt(task_struct task, int fd, int level, int optname, byte[]? optval, ref int optlen)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        return do_sock_getsockopt(sock, level, optname, optval, ref optlen);
    }

    // net/socket.c: __sys_getsockname
    /// <summary>getsockname(2): the bound address and port (port 0 until bound or autobound).</summary>
    public static int __sys_getsockname(task_struct task, int fd, byte[] usockaddr)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        var address = new byte[_K_SS_MAXSIZE];
        var err = sock.ops.getname(sock, address, false);
        if (err < 0)
        {
            return err;
        }

        return move_addr_to_user(address, err, usockaddr);
    }

    // net/socket.c: __sys_getpeername
    /// <summary>getpeername(2): ENOTCONN unless connected.</summary>
    public static int __sys_getpeername(task_struct task, int fd, byte[] usockaddr)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        var address = new byte[_K_SS_MAXSIZE];
        var err = sock.ops.getname(sock, address, true);
        if (err < 0)
        {
            return err;
        }

        return move_addr_to_user(address, err, usockaddr);
    }

    // net/socket.c: move_addr_to_user
    /// <summary>Copies a kernel sockaddr to user memory, truncated to the user's buffer; returns the full length.</summary>
    private static int move_addr_to_user(byte[] kaddr, int klen, byte[]? uaddr)
    {
        if (klen > kaddr.Length)
        {
            return -errno_base_h.EINVAL;
        }

        if (uaddr is null || klen == 0)
        {
            return klen;
        }

        kaddr.AsSpan(0, Math.Min(klen, uaddr.Length)).CopyTo(uaddr);
        return klen;
    }

    // net/socket.c: __sys_shutdown
    public static int __sys_shutdown(task_struct task, int fd, int how)
    {
        // not ported: __sys_shutdown_sock — written out: ops->shutdown (security_socket_shutdown: no LSM)
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        return sock.ops.shutdown(sock, how);
    }

    // net/socket.c: __sock_release
    /// <summary>The family's release (may sleep: a lingering TCP close), then the inode goes.</summary>
    [MightSleep]
    private static async Task __sock_release(socket sock)
    {
        // not ported: inode_lock, inode_unlock — one thread: no locks, RCU grace periods, BH or preemption to guard against
        await sock.ops.release(sock);

        // iput(SOCK_INODE(sock)): the inode's last reference.
        sock_free_inode(sock);
    }

    // net/socket.c: sock_poll
    /// <summary>
    /// f_op->poll of a socket file: the family's poll (tcp_poll, udp_poll,
    /// datagram_poll, packet_poll); 0 for a family without one.
    /// </summary>
    public static uint sock_poll(object file, poll_table_struct? wait)
    {
        var sock = (socket)file; // file->private_data: the port's file is its socket
        var ops = sock.ops;
        if (ops.poll is null)
        {
            return 0;
        }

        // not ported: busy polling (poll_requested_events' POLL_BUSY_LOOP, sk_can_busy_loop, sk_busy_loop) — no busy polling in the simulation
        return ops.poll(file, sock, wait);
    }

    // net/socket.c: sock_close
    /// <summary>
    /// The last close of a socket's file descriptor (close(2) -> fput ->
    /// sock_close): the descriptor goes first, then the release, which may
    /// sleep for SO_LINGER's time.
    /// </summary>
    [MightSleep]
    public static async Task<int> sock_close(task_struct task, int fd)
    {
        // not ported: SOCKET_I — the file is the socket itself
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        var sock = sock_from_file(f);
        if (sock is null)
        {
            return -errno_h.ENOTSOCK;
        }

        task.files.Remove(fd);

        // __fput's head: the epoll items watching this file go first (eventpoll_release)
        eventpoll_h.eventpoll_release(sock);
        await __sock_release(sock);

        // __fput's tail: the dentry and the file go after the release.
        Fs.file_table_c.__fput(sock);
        return 0;
    }

    // net/socket.c: sock_register
    /// <summary>
    /// An address family announces itself (inet_init, packet_init): from now
    /// on socket(family, ...) reaches its create. -EEXIST if the family is
    /// taken, -ENOBUFS past NPROTO.
    /// </summary>
    public static int sock_register(Vmlinux k, net_proto_family ops)
    {
        if (ops.family >= net_h.NPROTO)
        {
            return -errno_h.ENOBUFS;
        }

        // spin_lock(&net_family_lock): one writer at a time; readers go by RCU.
        var net_families = k.globals<socket_globals>().net_families;
        if (net_families[ops.family] is not null)
        {
            return -errno_base_h.EEXIST;
        }

        net_families[ops.family] = ops;
        return 0;
    }

    // net/socket.c: sock_unregister
    /// <summary>Removes a family (a module's exit); sockets already made keep working.</summary>
    public static void sock_unregister(Vmlinux k, int family)
    {
        // not ported: synchronize_rcu — one thread: no locks, RCU grace periods, BH or preemption to guard against
        // synchronize_rcu(): no reader can still be inside a create afterwards.
        k.globals<socket_globals>().net_families[family] = null;
    }
}

/// <summary>net/socket.c's globals, one set per kernel (Vmlinux.globals).</summary>
public sealed class socket_globals
{
    /// <summary>net_families: the registered address families, indexed by AF_*.</summary>
    public net_proto_family?[] net_families { get; } = new net_proto_family?[net_h.NPROTO];

    /// <summary>get_next_ino's counter (fs/inode.c): the last inode number given out.</summary>
    public ulong last_ino { get; set; }

    /// <summary>sock_inode_cachep: the sockfs inodes' slab (init_inodecache).</summary>
    public Mm.kmem_cache? sock_inode_cachep { get; set; }
}
