using System;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Machine;
using static KernelNet.Kernel.Net.socket_c;

namespace KernelNet.Kernel;

/// <summary>
/// The system call entry — x86's entry_SYSCALL_64 -> do_syscall_64 ->
/// sys_call_table[nr] — as one object: the machine's user-side calls
/// (<see cref="ISyscalls"/>) land here and go to the __sys_* functions of
/// net/socket.c with the calling task (current) and its network namespace.
/// Results are kernel-style: a value, or -errno. Not a port of a C file.
/// <para>
/// Starting a user program: <c>syscalls.Spawn("udp-server", cpu, ns, async libc =&gt; { var fd = (int)await libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0); ... })</c>,
/// or directly <c>machine.CreateTask("udp-server", cpu, async t =&gt; { var libc = new Libc(machine, syscalls, t); ... })</c>
/// (the task's sockets then live in init_net unless task_struct.net_ns is set).
/// </para>
/// </summary>
public sealed class SyscallTable : ISyscalls
{
    private readonly Vmlinux _k;

    public SyscallTable(Vmlinux k)
    {
        _k = k;
    }

    private task_struct Current => _k.current;

    private net Net => Current.net_ns ?? _k.init_net;

    /// <summary>The way back to user space after every call (syscall_exit_to_user_mode): a task asked to give way does so here.</summary>
    public Task ExitToUserMode() => Current.need_resched ? Kernel.Entry.common_c.exit_to_user_mode_loop(_k) : Task.CompletedTask;

    public ValueTask<long> Socket(int domain, int type, int protocol) => Widen(__sys_socket(Net, Current, domain, type, protocol));

    public ValueTask<long> Bind(int fd, byte[] addr, int addrlen) => Done(__sys_bind(Current, fd, addr, addrlen));

    public ValueTask<long> Connect(int fd, byte[] addr, int addrlen) => Widen(__sys_connect(Current, fd, addr, addrlen));

    public ValueTask<long> Listen(int fd, int backlog) => Done(__sys_listen(Current, fd, backlog));

    public ValueTask<long> Accept(int fd, int flags) => Widen(__sys_accept4(Current, fd, flags));

    public ValueTask<long> SendTo(int fd, byte[]? buf, int len, int flags, byte[]? addr, int addrlen) =>
        Widen(__sys_sendto(Current, fd, buf, len, flags, addr, addrlen));

    public ValueTask<long> RecvFrom(int fd, byte[]? buf, int len, int flags, byte[]? addr) =>
        Widen(__sys_recvfrom(Current, fd, buf, len, flags, addr));

    public ValueTask<long> SetSockOpt(int fd, int level, int optname, long optval) => Done(__sys_setsockopt(Current, fd, level, optname, optval));

    public ValueTask<long> SetSockOptBytes(int fd, int level, int optname, byte[] optval, int optlen) => Done(__sys_setsockopt(Current, fd, level, optname, optval, optlen));

    public ValueTask<long> GetSockOpt(int fd, int level, int optname)
    {
        var r = __sys_getsockopt(Current, fd, level, optname, out var v);
        return Done(r < 0 ? r : v);
    }

    public ValueTask<long> Shutdown(int fd, int how) => Done(__sys_shutdown(Current, fd, how));

    public ValueTask<long> GetSockName(int fd, byte[] addr) => Done(__sys_getsockname(Current, fd, addr));

    /// <summary>
    /// close(2): an epoll descriptor's last close releases the instance (ep_eventpoll_release);
    /// a socket's goes to sock_close, which may sleep (SO_LINGER with a time on a TCP socket).
    /// </summary>
    public async ValueTask<long> Close(int fd)
    {
        if (Current.files.TryGetValue(fd, out var f) && f is Fs.eventpoll ep)
        {
            Current.files.Remove(fd);
            return Fs.eventpoll_c.ep_eventpoll_release(_k, ep);
        }

        if (Current.files.TryGetValue(fd, out var t) && t is Drivers.Net.tun_file tfile)
        {
            // file_close_fd, then __fput's f_op->release: tun_chr_close
            Current.files.Remove(fd);
            return Drivers.Net.tun_c.tun_chr_close(tfile);
        }

        if (Current.files.TryGetValue(fd, out var o) && o is @file file)
        {
            // fs/file.c's file_close_fd, then filp_close
            Fs.file_c.file_close_fd(Current, fd);
            return Fs.open_c.filp_close(_k, file);
        }

        return await sock_close(Current, fd);
    }

    /// <summary>open(2): the tun misc device (drivers/net/tun.c: tun_chr_open), else a path of the tmpfs (fs/open.c: do_sys_open).</summary>
    public ValueTask<long> Open(string path, int flags) => OpenMode(path, flags, 0x1a4);

    public ValueTask<long> OpenMode(string path, int flags, int mode)
    {
        var entry = SysEnter(__NR_open, 0, flags, mode);
        return SysExit(entry, path == "/dev/net/tun" ? Drivers.Net.tun_c.tun_chr_open(Current, (flags & O_NONBLOCK) != 0) : Fs.open_c.do_sys_open(_k, Current, path, flags, mode));
    }

    /// <summary>unlink(2): fs/namei.c's do_unlinkat over the tmpfs names (shmem_unlink).</summary>
    public ValueTask<long> Unlink(string path)
    {
        var names = _k.globals<Mm.shmem_globals>().names;
        if (!names.TryGetValue(path, out var inode))
        {
            return Done(-Include.Uapi.AsmGeneric.errno_base_h.ENOENT);
        }

        if (Include.Uapi.Linux.stat_h.S_ISDIR(inode.i_mode))
        {
            return Done(-Include.Uapi.AsmGeneric.errno_base_h.EISDIR);
        }

        return Done(Mm.shmem_c.shmem_unlink(_k, path, inode));
    }

    public ValueTask<long> Lseek(int fd, long offset, int whence)
    {
        var entry = SysEnter(__NR_lseek, fd, offset, whence);
        return SysExit(entry, Fs.read_write_c.ksys_lseek(_k, Current, fd, offset, whence));
    }

    public ValueTask<long> Ftruncate(int fd, long length) =>
        Done(Fs.file_c.fget(Current, fd) is { } f ? Fs.open_c.do_ftruncate(f, length) : -Include.Uapi.AsmGeneric.errno_base_h.EBADF);

    public ValueTask<long> Pipe2(int[] fds, int flags)
    {
        var entry = SysEnter(__NR_pipe2, 0, flags);
        return SysExit(entry, Fs.pipe_c.do_pipe2(_k, Current, fds, flags));
    }

    /// <summary>sched_yield(2): kernel/sched/syscalls.c.</summary>
    public ValueTask<long> SchedYield() => new(Kernel.Sched.syscalls_c.sys_sched_yield(_k));

    public ValueTask<long> Sendfile(int outFd, int inFd, long[]? offset, long count)
    {
        var entry = SysEnter(__NR_sendfile, outFd, inFd, 0, count);
        return SysExit(entry, Fs.read_write_c.do_sendfile(_k, Current, outFd, inFd, offset, count, 0));
    }

    public ValueTask<long> Splice(int fdIn, long[]? offIn, int fdOut, long[]? offOut, long len, uint flags)
    {
        var entry = SysEnter(__NR_splice, fdIn, 0, fdOut, 0, len, flags);
        return SysExit(entry, Fs.splice_c.sys_splice(_k, Current, fdIn, offIn, fdOut, offOut, len, flags));
    }

    public ValueTask<long> Mmap(long addr, long length, int prot, int flags, int fd, long offset)
    {
        var entry = SysEnter(__NR_mmap, addr, length, prot, flags, fd, offset);
        return SysExit(entry, Mm.mmap_c.ksys_mmap_pgoff(_k, Current, (ulong)addr, length, prot, flags, fd, offset >> Include.Linux.mm_h.PAGE_SHIFT, offset));
    }

    public ValueTask<long> Munmap(long addr, long length)
    {
        var entry = SysEnter(__NR_munmap, addr, length);
        return SysExit(entry, Mm.vma_c.__vm_munmap(_k, Current, (ulong)addr, length));
    }

    public ValueTask<long> WriteFromAddress(int fd, long addr, int count)
    {
        var entry = SysEnter(__NR_write, fd, addr, count);
        return SysExit(entry, Fs.read_write_c.ksys_write_addr(_k, Current, fd, (ulong)addr, count));
    }

    // x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl) of the calls traced here
    private const long __NR_read = 0;
    private const long __NR_write = 1;
    private const long __NR_open = 2;
    private const long __NR_close = 3;
    private const long __NR_lseek = 8;
    private const long __NR_mmap = 9;
    private const long __NR_munmap = 11;
    private const long __NR_sendfile = 40;
    private const long __NR_ftruncate = 77;
    private const long __NR_unlink = 87;
    private const long __NR_splice = 275;
    private const long __NR_pipe2 = 293;

    /// <summary>
    /// do_syscall_64's tracing around one call: raw_syscalls:sys_enter on the
    /// way in and sys_exit on the way out — the two switches between user and
    /// kernel mode a system call costs — and the copies the call made, counted
    /// on the task (SimTask.SyscallCopies). The file and pipe calls go through
    /// here; the socket calls do not trace raw_syscalls yet. Entry takes the
    /// arguments as they are (no array) and the call's
    /// result comes to <see cref="SysExit(in SyscallEntry, ValueTask{long})"/>
    /// already started: no closure and no state machine unless the call waits.
    /// </summary>
    private SyscallEntry SysEnter(long nr, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0)
    {
        var task = _k.machine.CurrentCpu.Current;
        var dma = _k.machine.Dma;
        var entry = new SyscallEntry(nr, task, task.CpuCopies, task.CpuCopyBytes, dma.Reads, dma.BytesRead, dma.Writes, dma.BytesWritten);
        Include.Trace.Events.syscalls_h.trace_sys_enter(_k, nr, a0, a1, a2, a3, a4, a5);
        return entry;
    }

    /// <inheritdoc cref="SysExit(in SyscallEntry, ValueTask{long})"/>
    private ValueTask<long> SysExit(in SyscallEntry entry, long ret) => new(SysExitNow(entry, ret));

    /// <inheritdoc cref="SysExit(in SyscallEntry, ValueTask{long})"/>
    private ValueTask<long> SysExit(in SyscallEntry entry, Task<long> call) =>
        call.IsCompletedSuccessfully ? new(SysExitNow(entry, call.Result)) : SysExitLater(entry, new ValueTask<long>(call));

    /// <summary>The way out of a call <see cref="SysEnter"/> began: sys_exit and the copy counts when <paramref name="call"/> has finished.</summary>
    private ValueTask<long> SysExit(in SyscallEntry entry, ValueTask<long> call) =>
        call.IsCompletedSuccessfully ? new(SysExitNow(entry, call.Result)) : SysExitLater(entry, call);

    /// <summary>A call that had to wait: its exit once it finishes (the one state machine a waiting call needs).</summary>
    private async ValueTask<long> SysExitLater(SyscallEntry entry, ValueTask<long> call) => SysExitNow(entry, await call);

    private long SysExitNow(in SyscallEntry entry, long ret)
    {
        var task = entry.Task;
        var dma = _k.machine.Dma;
        Include.Trace.Events.syscalls_h.trace_sys_exit(_k, entry.Nr, ret);

        // the copies this call made: the CPU's in this task's context, the devices' DMA meanwhile
        var name = SyscallName(entry.Nr);
        if (!task.SyscallCopies.TryGetValue(name, out var count))
        {
            count = new SyscallCopyCount();
            task.SyscallCopies.Add(name, count);
        }

        count.Calls++;
        count.CpuCopies += task.CpuCopies - entry.Copies;
        count.CpuBytes += task.CpuCopyBytes - entry.Bytes;
        count.DmaReads += dma.Reads - entry.Reads;
        count.DmaBytesRead += dma.BytesRead - entry.BytesRead;
        count.DmaWrites += dma.Writes - entry.Writes;
        count.DmaBytesWritten += dma.BytesWritten - entry.BytesWritten;
        return ret;
    }

    /// <summary>What <see cref="SysEnter"/> saw: the call, its task, and the copy counters to take the call's share from.</summary>
    private readonly record struct SyscallEntry(long Nr, SimTask Task, long Copies, long Bytes, long Reads, long BytesRead, long Writes, long BytesWritten);

    private static string SyscallName(long nr) => nr switch
    {
        __NR_read => "read",
        __NR_write => "write",
        __NR_open => "open",
        __NR_close => "close",
        __NR_lseek => "lseek",
        __NR_mmap => "mmap",
        __NR_munmap => "munmap",
        __NR_sendfile => "sendfile",
        __NR_ftruncate => "ftruncate",
        __NR_unlink => "unlink",
        __NR_splice => "splice",
        __NR_pipe2 => "pipe2",
        _ => nr.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public ValueTask<long> Read(int fd, byte[]? buf, int count)
    {
        var entry = SysEnter(__NR_read, fd, 0, count);
        return SysExit(entry, Fs.read_write_c.ksys_read(_k, Current, fd, buf, count));
    }

    public ValueTask<long> Write(int fd, byte[]? buf, int count)
    {
        var entry = SysEnter(__NR_write, fd, 0, count);
        return SysExit(entry, Fs.read_write_c.ksys_write(_k, Current, fd, buf, count));
    }

    /// <summary>net/socket.c's copy_msghdr_from_user, as the port carries iovecs: laid end to end in one buffer.</summary>
    private static msghdr CopyMsghdrFromUser(UserMsg u)
    {
        var total = 0;
        var faulting = false;
        foreach (var (b, len) in u.Iov)
        {
            total += len;
            faulting |= b is null && len > 0;
        }

        byte[]? buf = null;
        if (!faulting)
        {
            buf = new byte[total];
            var off = 0;
            foreach (var (b, len) in u.Iov)
            {
                b?.AsSpan(0, Math.Min(len, b.Length)).CopyTo(buf.AsSpan(off));
                off += len;
            }
        }

        // the iovec boundaries: MSG_ZEROCOPY pins each iovec's own pages (lib/iov_iter.cs)
        int[]? segs = null;
        if (u.Iov.Count > 1)
        {
            segs = new int[u.Iov.Count];
            for (var i = 0; i < segs.Length; i++)
            {
                segs[i] = u.Iov[i].Len;
            }
        }

        return new msghdr
        {
            iov_base = buf,
            iov_len = total,
            iov_segs = segs,
            msg_name = u.Name,
            msg_namelen = u.Name?.Length ?? 0,
            msg_control = u.ControlLen > 0 ? new System.Collections.Generic.List<cmsghdr>() : null,
            msg_controllen = u.ControlLen,
        };
    }

    public ValueTask<long> SendMsg(int fd, UserMsg msg, int flags)
    {
        ArgumentNullException.ThrowIfNull(msg);
        return Widen(__sys_sendmsg(Current, fd, CopyMsghdrFromUser(msg), flags));
    }
    public async ValueTask<long> RecvMsg(int fd, UserMsg msg, int flags)
    {
        ArgumentNullException.ThrowIfNull(msg);
        var m = CopyMsghdrFromUser(msg);
        var ret = await __sys_recvmsg(Current, fd, m, flags);
        if (ret >= 0 && m.iov_base is { } data)
        {
            // Scatter what was received back over the user's iovecs.
            var off = 0;
            foreach (var (b, len) in msg.Iov)
            {
                if (b is not null && off < ret)
                {
                    data.AsSpan(off, (int)Math.Min(len, ret - off)).CopyTo(b);
                }

                off += len;
            }
        }

        msg.Flags = m.msg_flags;
        msg.Control.Clear();
        if (m.msg_control is { } control)
        {
            foreach (var c in control)
            {
                msg.Control.Add((c.cmsg_level, c.cmsg_type, c.cmsg_data));
            }
        }

        return ret;
    }

    /// <summary>ioctl(2): fs/ioctl.c's vfs_ioctl to the file's unlocked_ioctl — sock_ioctl, or the tun device's TUNSETIFF.</summary>
    public ValueTask<long> Ioctl(int fd, uint request, byte[]? arg)
    {
        if (Current.files.TryGetValue(fd, out var f) && f is Drivers.Net.tun_file tfile)
        {
            // TUNSETOFFLOAD passes its TUN_F_* bits as the argument itself; here they come as 4 little-endian bytes
            if (request == Drivers.Net.tun_c.TUNSETOFFLOAD)
            {
                if (arg is null || arg.Length < 4)
                {
                    return Done(-Include.Uapi.AsmGeneric.errno_base_h.EFAULT);
                }

                var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(arg);
                return Done(Drivers.Net.tun_c.__tun_chr_ioctl(Net, tfile, request, string.Empty, 0, bits));
            }

            // TUNSETVNETHDRSZ/TUNGETVNETHDRSZ: the argument points at an int
            if (request == Drivers.Net.tun_c.TUNSETVNETHDRSZ || request == Drivers.Net.tun_c.TUNGETVNETHDRSZ)
            {
                return Done(Drivers.Net.tun_c.__tun_chr_ioctl(Net, tfile, request, string.Empty, 0, 0, arg));
            }

            // struct ifreq: ifr_name[IFNAMSIZ], then ifr_flags (a short).
            if (arg is null || arg.Length < 18)
            {
                return Done(-Include.Uapi.AsmGeneric.errno_base_h.EFAULT);
            }

            var name = System.Text.Encoding.ASCII.GetString(arg, 0, 16).TrimEnd('\0');
            var flags = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(arg.AsSpan(16));
            return Done(Drivers.Net.tun_c.__tun_chr_ioctl(Net, tfile, request, name, flags));
        }

        return Done(sock_ioctl(Current, fd, request, arg));
    }

    private const int O_RDWR = 2;
    private const int O_NONBLOCK = 0x800;
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;

    /// <summary>fcntl(2) F_GETFL/F_SETFL (fs/fcntl.c: setfl): O_NONBLOCK is the only status flag the port keeps, on the socket or tun file.</summary>
    public ValueTask<long> Fcntl(int fd, int cmd, long arg)
    {
        if (!Current.files.TryGetValue(fd, out var f))
        {
            return Done(-Include.Uapi.AsmGeneric.errno_base_h.EBADF);
        }

        switch (cmd)
        {
            case F_GETFL:
                var nonblock = f switch
                {
                    socket s => s.nonblock,
                    Drivers.Net.tun_file t => t.nonblock,
                    _ => false,
                };
                return Done(O_RDWR | (nonblock ? O_NONBLOCK : 0));
            case F_SETFL:
                var on = (arg & O_NONBLOCK) != 0;
                if (f is socket sock)
                {
                    sock.nonblock = on;
                }
                else if (f is Drivers.Net.tun_file tf)
                {
                    tf.nonblock = on;
                }

                return Done(0);
            default:
                return Done(-Include.Uapi.AsmGeneric.errno_base_h.EINVAL);
        }
    }

    public ValueTask<(long Ret, int OptLen)> GetSockOptBytes(int fd, int level, int optname, byte[]? optval, int optlen)
    {
        var len = optlen;
        var r = __sys_getsockopt(Current, fd, level, optname, optval, ref len);
        return new ValueTask<(long Ret, int OptLen)>(((long)r, len));
    }

    public async ValueTask<long> NanoSleep(long ns)
    {
        // kernel/time/hrtimer.c's do_nanosleep, on the timer wheel: a jiffy's granularity.
        sched_h.set_current_state(_k, sched_h.TASK_INTERRUPTIBLE);
        var jiffies = Math.Max(1, (ns + (1_000_000_000L / Vmlinux.HZ) - 1) / (1_000_000_000L / Vmlinux.HZ));
        await Kernel.Time.sleep_timeout_c.schedule_timeout(_k, jiffies);
        return 0;
    }

    public ValueTask<long> EpollCreate1(int flags) => Done(Fs.eventpoll_c.sys_epoll_create1(_k, Current, flags));

    public ValueTask<long> EpollCreate(int size) => Done(Fs.eventpoll_c.sys_epoll_create(_k, Current, size));

    public ValueTask<long> EpollCtl(int epfd, int op, int fd, byte[]? ev) => Done(Fs.eventpoll_c.sys_epoll_ctl(_k, Current, epfd, op, fd, ev));

    public ValueTask<long> EpollWait(int epfd, byte[]? events, int maxevents, int timeout) =>
        Widen(new ValueTask<int>(Fs.eventpoll_c.sys_epoll_wait(_k, Current, epfd, events, maxevents, timeout)));

    public ValueTask<long> Poll(byte[]? fds, int nfds, int timeout) => Widen(new ValueTask<int>(Fs.select_c.sys_poll(_k, Current, fds, (uint)nfds, timeout)));

    private static ValueTask<long> Done(long v) => new(v);

    /// <summary>An int-returning call's result as the syscall's long: no allocation when it finished at once.</summary>
    private static ValueTask<long> Widen(ValueTask<int> call) => call.IsCompletedSuccessfully ? new(call.Result) : WidenLater(call);

    /// <summary>The result of a call that had to wait.</summary>
    private static async ValueTask<long> WidenLater(ValueTask<int> call) => await call;

    /// <summary>Starts a user process in <paramref name="ns"/> running <paramref name="program"/> (fork+exec).</summary>
    public SimTask Spawn(string comm, int cpu, net ns, Func<Libc, Task> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        SimTask? task = null;
        task = _k.machine.CreateTask(comm, cpu, t => program(new Libc(_k.machine, this, t)));
        _k.task_of(task).net_ns = ns;
        return task;
    }

    /// <summary>
    /// Starts another thread of <paramref name="leader"/>'s process (clone with CLONE_FILES):
    /// same namespace, same file descriptors, its own name.
    /// </summary>
    public SimTask SpawnThread(SimTask leader, string comm, int cpu, Func<Libc, Task> program)
    {
        ArgumentNullException.ThrowIfNull(leader);
        var parent = _k.task_of(leader);
        var thread = Spawn(comm, cpu, parent.net_ns ?? _k.init_net, program);
        _k.task_of(thread).files = parent.files;
        return thread;
    }
}
