// Ports fs/read_write.c: read(2) and write(2) (ksys_read/ksys_write find the
// file of the descriptor, vfs_read/vfs_write call its read_iter or
// write_iter over the user's buffer, at the file's position), lseek(2)
// (generic_file_llseek_size, vfs_setpos), rw_verify_area, and sendfile(2)
// (do_sendfile: a file spliced to a socket or a pipe without passing
// through user memory).
//
// departure: sockets and tun queues have no struct file — the descriptor
// holds the object behind it, so f_op is chosen by what that object is (a
// socket: sock_read_iter/sock_write_iter; a tun queue file:
// tun_chr_read_iter/tun_chr_write_iter); tmpfs files and pipes are struct
// files with their f_op.
// not ported: readv/writev, pread/pwrite, copy_file_range, fsnotify, the
// security hooks, the rchar/wchar/syscr/syscw task I/O accounting.
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Drivers.Net;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Net.socket_c;

namespace KernelNet.Kernel.Fs;

public static class read_write_c
{
    // fs/read_write.c: vfs_read
    /// <summary>The file's read_iter over one user buffer (null: a NULL pointer, which the copy faults on).</summary>
    [MightSleep]
    private static async Task<long> vfs_read(Vmlinux k, object file, byte[]? buf, int count)
    {
        // not ported: rw_verify_area — with count checked non-negative above and f_pos never negative (vfs_setpos), its range checks cannot fail here, and its security_file_permission/fsnotify hooks are not ported
        if (count < 0)
        {
            return -errno_base_h.EINVAL;
        }

        return file switch
        {
            @file f => await new_sync_read(k, f, buf, count),
            socket sock => await sock_read_iter(sock, buf, count),
            tun_file tfile => await tun_c.tun_chr_read_iter(k, tfile, buf, count),
            _ => -errno_base_h.EINVAL,
        };
    }

    // fs/read_write.c: ksys_read
    /// <summary>read(2): -EBADF for a descriptor that is not open.</summary>
    [MightSleep]
    public static async Task<long> ksys_read(Vmlinux k, task_struct task, int fd, byte[]? buf, int count)
    {
        // not ported: file_ppos — the port's vfs_read works at the file's f_pos itself (stream files ignore it), so no local copy of the position is made
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        return await vfs_read(k, f, buf, count);
    }

    // fs/read_write.c: vfs_write
    [MightSleep]
    private static async Task<long> vfs_write(Vmlinux k, object file, byte[]? buf, int count)
    {
        // not ported: file_start_write, file_end_write — freeze protection is not modelled (no filesystem freeze)
        // not ported: rw_verify_area — with count checked non-negative above and f_pos never negative (vfs_setpos), its range checks cannot fail here, and its security_file_permission/fsnotify hooks are not ported
        if (count < 0)
        {
            return -errno_base_h.EINVAL;
        }

        return file switch
        {
            @file f => await new_sync_write(k, f, buf, count),
            socket sock => await sock_write_iter(sock, buf, count),
            tun_file tfile => tun_c.tun_chr_write_iter(k, tfile, buf, count),
            _ => -errno_base_h.EINVAL,
        };
    }

    // fs/read_write.c: ksys_write
    /// <summary>write(2): -EBADF for a descriptor that is not open.</summary>
    [MightSleep]
    public static async Task<long> ksys_write(Vmlinux k, task_struct task, int fd, byte[]? buf, int count)
    {
        // not ported: file_ppos — the port's vfs_write works at the file's f_pos itself (stream files ignore it), so no local copy of the position is made
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        return await vfs_write(k, f, buf, count);
    }

    // fs/read_write.c: vfs_setpos
    /// <summary>Moves the position to <paramref name="offset"/> when it lies in [0, maxsize]: the new position, or -EINVAL.</summary>
    public static long vfs_setpos(@file file, long offset, long maxsize)
    {
        // not ported: vfs_setpos_cookie — written out: the range check and the f_pos store (no f_version cookie)
        if (offset < 0 || offset > maxsize)
        {
            return -errno_base_h.EINVAL;
        }

        if (offset != file.f_pos)
        {
            file.f_pos = offset;
        }

        return offset;
    }

    // fs/read_write.c: generic_file_llseek_size
    /// <summary>lseek for a file of size <paramref name="eof"/>: SEEK_SET, SEEK_CUR (0 only reads the position) and SEEK_END; -EINVAL otherwise.</summary>
    public static long generic_file_llseek_size(@file file, long offset, int whence, long maxsize, long eof)
    {
        // not ported: must_set_pos, file_seek_cur_needs_f_lock — the SEEK_DATA/SEEK_HOLE cases are not ported (see below) and one thread needs no f_pos lock
        switch (whence)
        {
            case fs_h.SEEK_END:
                offset += eof;
                break;
            case fs_h.SEEK_CUR:
                // the position queried without a change; otherwise moved relative to it
                if (offset == 0)
                {
                    return file.f_pos;
                }

                offset += file.f_pos;
                break;
            case fs_h.SEEK_SET:
                break;
            default:
                // not ported: SEEK_DATA, SEEK_HOLE — tmpfs holes are not tracked apart from absent pages
                return -errno_base_h.EINVAL;
        }

        return vfs_setpos(file, offset, maxsize);
    }

    // fs/read_write.c: ksys_lseek
    /// <summary>lseek(2): -EBADF for a descriptor that is no struct file, -ESPIPE for a file that does not seek.</summary>
    public static long ksys_lseek(Vmlinux k, task_struct task, int fd, long offset, int whence)
    {
        // not ported: vfs_llseek — written out: the file's llseek, or -ESPIPE for a file without one
        if (!task.files.TryGetValue(fd, out var o))
        {
            return -errno_base_h.EBADF;
        }

        if (o is not @file f || f.f_op.llseek is null || (f.f_mode & fs_h.FMODE_LSEEK) == 0)
        {
            // no_llseek: sockets and pipes
            return -errno_base_h.ESPIPE;
        }

        if (whence > fs_h.SEEK_END)
        {
            return -errno_base_h.EINVAL;
        }

        return f.f_op.llseek(k, f, offset, whence);
    }

    // fs/read_write.c: rw_verify_area
    /// <summary>A transfer of <paramref name="count"/> bytes at <paramref name="pos"/> may go ahead: 0, or -EINVAL for a negative count or position, -EOVERFLOW past the largest offset.</summary>
    public static int rw_verify_area(int read_write, object file, long pos, long count)
    {
        // not ported: unsigned_offsets — no FMODE_UNSIGNED_OFFSET files (/dev/mem and the like) in the port
        _ = read_write; // MAY_READ/MAY_WRITE: security_file_permission and fsnotify are not ported
        _ = file;
        if (count < 0 || pos < 0)
        {
            return -errno_base_h.EINVAL;
        }

        if (pos + count < 0)
        {
            return -errno_h.EOVERFLOW;
        }

        return 0;
    }

    // fs/read_write.c: new_sync_read
    /// <summary>A read of a struct file: its read_iter over the user's buffer from f_pos, which moves on by what was read.</summary>
    [MightSleep]
    private static async Task<long> new_sync_read(Vmlinux k, @file filp, byte[]? buf, int len)
    {
        if ((filp.f_mode & fs_h.FMODE_READ) == 0 || filp.f_op.read_iter is null)
        {
            return -errno_base_h.EBADF;
        }

        var ret = rw_verify_area(fs_h.READ, filp, filp.f_pos, len);
        if (ret != 0)
        {
            return ret;
        }

        var kiocb = fs_h.init_sync_kiocb(filp);
        var iter = uio_h.iov_iter_ubuf(uio_h.ITER_DEST, buf, System.Math.Min(len, fs_h.MAX_RW_COUNT));
        var n = await filp.f_op.read_iter(k, kiocb, iter);
        if ((filp.f_mode & fs_h.FMODE_LSEEK) != 0)
        {
            filp.f_pos = kiocb.ki_pos;
        }

        return n;
    }

    // fs/read_write.c: new_sync_write
    /// <summary>A write to a struct file: its write_iter over the user's buffer at f_pos, which moves on by what was written.</summary>
    [MightSleep]
    private static async Task<long> new_sync_write(Vmlinux k, @file filp, byte[]? buf, int len)
    {
        if ((filp.f_mode & fs_h.FMODE_WRITE) == 0 || filp.f_op.write_iter is null)
        {
            return -errno_base_h.EBADF;
        }

        var ret = rw_verify_area(fs_h.WRITE, filp, filp.f_pos, len);
        if (ret != 0)
        {
            return ret;
        }

        var kiocb = fs_h.init_sync_kiocb(filp);
        var iter = uio_h.iov_iter_ubuf(uio_h.ITER_SOURCE, buf, System.Math.Min(len, fs_h.MAX_RW_COUNT));
        var n = await filp.f_op.write_iter(k, kiocb, iter);
        if ((filp.f_mode & fs_h.FMODE_LSEEK) != 0)
        {
            filp.f_pos = kiocb.ki_pos;
        }

        return n;
    }

    // fs/read_write.c: do_sendfile
    /// <summary>
    /// sendfile(2): <paramref name="count"/> bytes of the input file from
    /// *ppos (or its f_pos) to the output — through the task's private pipe
    /// (do_splice_direct) to a socket or file, or straight into a pipe
    /// (splice_file_to_pipe). No byte passes through user memory: the file's
    /// cache pages go to the socket by reference. -EBADF for a descriptor not
    /// open the right way, -ESPIPE for an offset on a file without pread.
    /// </summary>
    [MightSleep]
    public static async Task<long> do_sendfile(Vmlinux k, task_struct task, int out_fd, int in_fd, long[]? ppos, long count, long max)
    {
        // not ported: file_inode — the inodes are wanted only for their super blocks' s_maxbytes: tmpfs's and sockfs's are both MAX_LFS_FILESIZE, used below
        long pos;
        long retval;
        uint fl;

        if (!task.files.TryGetValue(in_fd, out var ino) || ino is not @file @in)
        {
            // a socket as the input: no splice_read from a position (sockets are not FMODE_LSEEK)
            return task.files.ContainsKey(in_fd) ? -errno_base_h.EINVAL : -errno_base_h.EBADF;
        }

        if ((@in.f_mode & fs_h.FMODE_READ) == 0)
        {
            return -errno_base_h.EBADF;
        }

        if (ppos is null)
        {
            pos = @in.f_pos;
        }
        else
        {
            pos = ppos[0];
            if ((@in.f_mode & fs_h.FMODE_PREAD) == 0)
            {
                return -errno_base_h.ESPIPE;
            }
        }

        retval = rw_verify_area(fs_h.READ, @in, pos, count);
        if (retval < 0)
        {
            return retval;
        }

        if (count > fs_h.MAX_RW_COUNT)
        {
            count = fs_h.MAX_RW_COUNT;
        }

        if (!task.files.TryGetValue(out_fd, out var @out))
        {
            return -errno_base_h.EBADF;
        }

        if ((splice_c.f_mode_of(@out) & fs_h.FMODE_WRITE) == 0)
        {
            return -errno_base_h.EBADF;
        }

        var out_pos = new StrongBox<long>(@out is @file of ? of.f_pos : 0);

        if (max == 0)
        {
            max = fs_h.MAX_LFS_FILESIZE; // s_maxbytes of tmpfs and sockfs
        }

        if (pos + count > max || pos + count < 0)
        {
            if (pos >= max)
            {
                return -errno_h.EOVERFLOW;
            }

            count = max - pos;
        }

        fl = 0;
        var inpos = new StrongBox<long>(pos);
        var opipe = pipe_c.get_pipe_info(@out, true);
        if (opipe is null)
        {
            retval = rw_verify_area(fs_h.WRITE, @out, out_pos.Value, count);
            if (retval < 0)
            {
                return retval;
            }

            retval = await splice_c.do_splice_direct(k, @in, inpos, @out, out_pos, count, fl);
        }
        else
        {
            if ((splice_c.f_flags_of(@out) & fs_h.O_NONBLOCK) != 0)
            {
                fl |= splice_c.SPLICE_F_NONBLOCK;
            }

            retval = await splice_c.splice_file_to_pipe(k, @in, opipe, inpos, count, fl);
        }

        pos = inpos.Value;
        if (retval > 0)
        {
            // add_rchar, add_wchar, fsnotify: not ported
            if (@out is @file of2)
            {
                of2.f_pos = out_pos.Value;
            }

            if (ppos is not null)
            {
                ppos[0] = pos;
            }
            else
            {
                @in.f_pos = pos;
            }
        }

        if (pos > max)
        {
            retval = -errno_h.EOVERFLOW;
        }

        return retval;
    }

    /// <summary>
    /// write(2) whose buffer is mapped memory (an mmap'd file): the user
    /// pages the address resolves to (faulted in as the copy touches them)
    /// are the iterator's memory — the one copy is the CPU's, from those
    /// pages into the socket's or file's own. -EFAULT for an unmapped address.
    /// </summary>
    [MightSleep]
    [NotInLinux("ksys_write with a user pointer: the port's user memory is managed arrays, so a mapped address takes this entry")]
    public static async Task<long> ksys_write_addr(Vmlinux k, task_struct task, int fd, ulong addr, int count)
    {
        if (!task.files.TryGetValue(fd, out var f))
        {
            return -errno_base_h.EBADF;
        }

        if (count < 0)
        {
            return -errno_base_h.EINVAL;
        }

        var pages = Arch.X86.Mm.fault_c.user_pages(k, task, addr, count, write: false);
        if (pages is null)
        {
            return -errno_base_h.EFAULT;
        }

        switch (f)
        {
            case socket sock:
            {
                // sock_write_iter over the ITER_UBUF iterator, whose bytes are in the mapped pages
                var msg = new msghdr { iov_len = count, msg_iter_type = uio_h.ITER_UBUF, msg_iter_bvec = pages };
                if (sock.nonblock)
                {
                    msg.msg_flags |= Include.Linux.socket_h.MSG_DONTWAIT;
                }

                return await sock_sendmsg(sock, msg);
            }

            case @file filp when (filp.f_mode & fs_h.FMODE_WRITE) != 0 && filp.f_op.write_iter is { } write_iter:
            {
                var kiocb = fs_h.init_sync_kiocb(filp);
                var iter = new iov_iter { iter_type = uio_h.ITER_UBUF, data_source = uio_h.ITER_SOURCE, bvec = pages, len = count };
                var n = await write_iter(k, kiocb, iter);
                filp.f_pos = kiocb.ki_pos;
                return n;
            }

            default:
                return -errno_base_h.EINVAL;
        }
    }

    // fs/read_write.c: generic_write_checks
    /// <summary>Before a buffered write: an O_APPEND write starts at the end of the file; the bytes to write (0: nothing).</summary>
    public static long generic_write_checks(kiocb iocb, iov_iter from)
    {
        // not ported: generic_write_checks_count, iov_iter_truncate — its limits (RLIMIT_FSIZE, s_maxbytes) are not ported (see below), so the count is never cut
        if (uio_h.iov_iter_count(from) == 0)
        {
            return 0;
        }

        // IOCB_APPEND: the write goes at the end
        if ((iocb.ki_filp.f_flags & fs_h.O_APPEND) != 0)
        {
            iocb.ki_pos = fs_h.i_size_read(iocb.ki_filp.f_inode);
        }

        // not ported: IOCB_NOWAIT, generic_write_check_limits (RLIMIT_FSIZE, s_maxbytes: tmpfs takes any size the port can hold)
        return uio_h.iov_iter_count(from);
    }
}
