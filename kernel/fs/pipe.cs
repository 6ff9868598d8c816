// Ports fs/pipe.c: anonymous pipes — pipe2 (do_pipe2, create_pipe_files on a
// pipefs inode), pipe_read and pipe_write over the ring of page buffers
// (anon_pipe_read, anon_pipe_write: each byte copied once by the CPU, user to
// page and page to user, a partial last page merged into), the sleeps and
// wakeups on rd_wait and wr_wait, release of either end, and the generic
// pipe_buf_operations that splice's buffers use.
//
// not ported: FIFOs (fifo_open), O_NOTIFICATION_PIPE and watch queues,
// F_SETPIPE_SZ (pipe_set_size), pipe_poll, fasync/SIGIO, SIGPIPE delivery
// (the -EPIPE is returned; no signal is modelled), per-user pipe accounting.
// not ported: account_pipe_buffers, too_many_pipe_buffers_soft, too_many_pipe_buffers_hard, pipe_is_unprivileged_user — per-user pipe accounting, as said above
// not ported: pipe_has_watch_queue — watch queues, as said above
// not ported: wait_event_interruptible_exclusive — written as the port's wait_event_interruptible with exclusive: true
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.pipe_fs_i_h;
using static KernelNet.Kernel.Lib.iov_iter_c;

namespace KernelNet.Kernel.Fs;

public static class pipe_c
{
    // fs/pipe.c: pipe_lock
    /// <summary>The pipe's mutex: held across a read, a write or a splice (one thread here: nothing to take).</summary>
    public static void pipe_lock(pipe_inode_info pipe)
    {
        _ = pipe; // mutex_lock(&pipe->mutex): the simulation is single-threaded
    }

    // fs/pipe.c: pipe_unlock
    public static void pipe_unlock(pipe_inode_info pipe)
    {
        _ = pipe; // mutex_unlock
    }

    // fs/pipe.c: anon_pipe_get_page
    /// <summary>A page for a write: one kept from an earlier read (tmp_page), else a new one.</summary>
    private static page anon_pipe_get_page(Vmlinux k, pipe_inode_info pipe)
    {
        // not ported: alloc_page — called as alloc_pages(gfp, 0), which alloc_page is
        for (var i = 0; i < pipe.tmp_page.Length; i++)
        {
            if (pipe.tmp_page[i] is { } page)
            {
                pipe.tmp_page[i] = null;
                return page;
            }
        }

        return gfp_h.alloc_pages(k, 0, 0)!;
    }

    // fs/pipe.c: anon_pipe_put_page
    /// <summary>A page the pipe is done with: kept for the next write when nobody else holds it, else put.</summary>
    private static void anon_pipe_put_page(pipe_inode_info pipe, page page)
    {
        if (page_ref_h.page_count(page) == 1)
        {
            for (var i = 0; i < pipe.tmp_page.Length; i++)
            {
                if (pipe.tmp_page[i] is null)
                {
                    pipe.tmp_page[i] = page;
                    return;
                }
            }
        }

        mm_h.put_page(page);
    }

    // fs/pipe.c: anon_pipe_buf_release
    private static void anon_pipe_buf_release(pipe_inode_info pipe, pipe_buffer buf) => anon_pipe_put_page(pipe, buf.page!);

    // fs/pipe.c: anon_pipe_buf_try_steal
    private static bool anon_pipe_buf_try_steal(pipe_inode_info pipe, pipe_buffer buf) => page_ref_h.page_count(buf.page!) == 1;

    // fs/pipe.c: generic_pipe_buf_try_steal
    /// <summary>A buffer's page can be taken over when the buffer holds its only reference.</summary>
    public static bool generic_pipe_buf_try_steal(pipe_inode_info pipe, pipe_buffer buf) => page_ref_h.page_count(buf.page!) == 1;

    // fs/pipe.c: generic_pipe_buf_get
    /// <summary>Another reference to the buffer's page (try_get_page).</summary>
    public static bool generic_pipe_buf_get(pipe_inode_info pipe, pipe_buffer buf)
    {
        // not ported: try_get_page — the port's get_page cannot overflow a reference count, so the try form's failure case is absent
        mm_h.get_page(buf.page!);
        return true;
    }

    // fs/pipe.c: generic_pipe_buf_release
    /// <summary>Drops the buffer's page reference.</summary>
    public static void generic_pipe_buf_release(pipe_inode_info pipe, pipe_buffer buf) => mm_h.put_page(buf.page!);

    /// <summary>anon_pipe_buf_ops: pages a write filled.</summary>
    private static pipe_buf_operations anon_pipe_buf_ops { get; } = new()
    {
        release = anon_pipe_buf_release,
        try_steal = anon_pipe_buf_try_steal,
        get = generic_pipe_buf_get,
    };

    // fs/pipe.c: pipe_readable
    private static bool pipe_readable(pipe_inode_info pipe) => !pipe_empty(pipe.head, pipe.tail) || pipe.writers == 0;

    // fs/pipe.c: pipe_update_tail
    /// <summary>The tail buffer is used up: release it and move the tail on.</summary>
    private static uint pipe_update_tail(pipe_inode_info pipe, pipe_buffer buf, uint tail)
    {
        pipe_buf_release(pipe, buf);
        pipe.tail = ++tail;
        return tail;
    }

    // fs/pipe.c: anon_pipe_read
    /// <summary>
    /// read(2) of a pipe: copies from the tail buffers to the user until the
    /// request is met or the pipe is empty; an empty pipe with writers puts
    /// the reader to sleep on rd_wait (-EAGAIN when O_NONBLOCK); no writers is
    /// end of file. Wakes a writer that was waiting for room.
    /// </summary>
    [MightSleep]
    private static async Task<long> anon_pipe_read(Vmlinux k, kiocb iocb, iov_iter to)
    {
        // not ported: copy_to_iter — the packet/direct-I/O branch (O_DIRECT pipes): a buffer read is copy_page_to_iter here
        var total_len = uio_h.iov_iter_count(to);
        var filp = iocb.ki_filp;
        var pipe = (pipe_inode_info)filp.private_data!;
        bool wake_writer = false, wake_next_reader = false;
        long ret;

        if (total_len == 0)
        {
            return 0;
        }

        ret = 0;
        pipe_lock(pipe);

        for (;;)
        {
            var head = pipe.head;
            var tail = pipe.tail;

            if (!pipe_empty(head, tail))
            {
                var buf = pipe_buf(pipe, tail);
                var chars = buf.len;

                if (chars > total_len)
                {
                    if ((buf.flags & PIPE_BUF_FLAG_WHOLE) != 0)
                    {
                        if (ret == 0)
                        {
                            ret = -errno_h.ENOBUFS;
                        }

                        break;
                    }

                    chars = total_len;
                }

                var error = pipe_buf_confirm(pipe, buf);
                if (error != 0)
                {
                    if (ret == 0)
                    {
                        ret = error;
                    }

                    break;
                }

                var written = copy_page_to_iter(k, buf.page!, buf.offset, chars, to);
                if (written < chars)
                {
                    if (ret == 0)
                    {
                        ret = -errno_base_h.EFAULT;
                    }

                    break;
                }

                ret += chars;
                buf.offset += chars;
                buf.len -= chars;

                if ((buf.flags & PIPE_BUF_FLAG_PACKET) != 0)
                {
                    total_len = chars;
                    buf.len = 0;
                }

                if (buf.len == 0)
                {
                    wake_writer |= pipe_full(head, tail, pipe.max_usage);
                    tail = pipe_update_tail(pipe, buf, tail);
                }

                total_len -= chars;
                if (total_len == 0)
                {
                    break; // the usual case: the read is met
                }

                if (!pipe_empty(head, tail))
                {
                    continue;
                }
            }

            if (pipe.writers == 0)
            {
                break;
            }

            if (ret != 0)
            {
                break;
            }

            if ((filp.f_flags & fs_h.O_NONBLOCK) != 0)
            {
                ret = -errno_base_h.EAGAIN;
                break;
            }

            pipe_unlock(pipe);
            if (await wait_h.wait_event_interruptible(k, pipe.rd_wait, () => pipe_readable(pipe), exclusive: true) < 0)
            {
                return -Include.Net.sock_h.ERESTARTSYS;
            }

            wake_next_reader = true;
            pipe_lock(pipe);
        }

        if (pipe_is_empty(pipe))
        {
            wake_next_reader = false;
        }

        pipe_unlock(pipe);

        if (wake_writer)
        {
            wait_h.wake_up_interruptible_sync_poll(k, pipe.wr_wait, Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM);
        }

        if (wake_next_reader)
        {
            wait_h.wake_up_interruptible_sync_poll(k, pipe.rd_wait, Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM);
        }

        // kill_fasync: not ported
        return ret;
    }

    // fs/pipe.c: is_packetized
    private static bool is_packetized(@file file) => (file.f_flags & fs_h.O_DIRECT) != 0;

    // fs/pipe.c: pipe_writable
    private static bool pipe_writable(pipe_inode_info pipe) => !pipe_full(pipe.head, pipe.tail, pipe.max_usage) || pipe.readers == 0;

    // fs/pipe.c: anon_pipe_write
    /// <summary>
    /// write(2) to a pipe: a short tail is merged into the last buffer's page
    /// when it has room (PIPE_BUF_FLAG_CAN_MERGE), the rest copied page by page
    /// into new buffers; a full pipe puts the writer to sleep on wr_wait
    /// (-EAGAIN when O_NONBLOCK). -EPIPE without readers. Wakes the readers.
    /// </summary>
    [MightSleep]
    private static async Task<long> anon_pipe_write(Vmlinux k, kiocb iocb, iov_iter from)
    {
        var filp = iocb.ki_filp;
        var pipe = (pipe_inode_info)filp.private_data!;
        uint head;
        long ret = 0;
        var total_len = uio_h.iov_iter_count(from);
        int chars;
        var was_empty = false;
        var wake_next_writer = false;

        if (total_len == 0)
        {
            return 0;
        }

        pipe_lock(pipe);

        if (pipe.readers == 0)
        {
            // send_sig(SIGPIPE): no signals are modelled
            ret = -errno_base_h.EPIPE;
            goto @out;
        }

        head = pipe.head;
        was_empty = pipe_empty(head, pipe.tail);
        chars = total_len & (mm_h.PAGE_SIZE - 1);
        if (chars != 0 && !was_empty)
        {
            var buf = pipe_buf(pipe, head - 1);
            var offset = buf.offset + buf.len;

            if ((buf.flags & PIPE_BUF_FLAG_CAN_MERGE) != 0 && offset + chars <= mm_h.PAGE_SIZE)
            {
                ret = pipe_buf_confirm(pipe, buf);
                if (ret != 0)
                {
                    goto @out;
                }

                ret = copy_page_from_iter(k, buf.page!, offset, chars, from);
                if (ret < chars)
                {
                    ret = -errno_base_h.EFAULT;
                    goto @out;
                }

                buf.len += (int)ret;
                if (uio_h.iov_iter_count(from) == 0)
                {
                    goto @out;
                }
            }
        }

        for (;;)
        {
            if (pipe.readers == 0)
            {
                if (ret == 0)
                {
                    ret = -errno_base_h.EPIPE;
                }

                break;
            }

            head = pipe.head;
            if (!pipe_full(head, pipe.tail, pipe.max_usage))
            {
                var page = anon_pipe_get_page(k, pipe);
                var copied = copy_page_from_iter(k, page, 0, mm_h.PAGE_SIZE, from);
                if (copied < mm_h.PAGE_SIZE && uio_h.iov_iter_count(from) != 0)
                {
                    anon_pipe_put_page(pipe, page);
                    if (ret == 0)
                    {
                        ret = -errno_base_h.EFAULT;
                    }

                    break;
                }

                pipe.head = head + 1;
                var buf = pipe_buf(pipe, head);
                buf.page = page;
                buf.ops = anon_pipe_buf_ops;
                buf.offset = 0;
                buf.flags = is_packetized(filp) ? PIPE_BUF_FLAG_PACKET : PIPE_BUF_FLAG_CAN_MERGE;
                buf.len = copied;
                ret += copied;

                if (uio_h.iov_iter_count(from) == 0)
                {
                    break;
                }

                continue;
            }

            if ((filp.f_flags & fs_h.O_NONBLOCK) != 0)
            {
                if (ret == 0)
                {
                    ret = -errno_base_h.EAGAIN;
                }

                break;
            }

            if (sched_h.signal_pending(k.current))
            {
                if (ret == 0)
                {
                    ret = -Include.Net.sock_h.ERESTARTSYS;
                }

                break;
            }

            pipe_unlock(pipe);
            if (was_empty)
            {
                wait_h.wake_up_interruptible_sync_poll(k, pipe.rd_wait, Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM);
            }

            await wait_h.wait_event_interruptible(k, pipe.wr_wait, () => pipe_writable(pipe), exclusive: true);
            pipe_lock(pipe);
            was_empty = pipe_is_empty(pipe);
            wake_next_writer = true;
        }

    @out:
        if (pipe_is_full(pipe))
        {
            wake_next_writer = false;
        }

        pipe_unlock(pipe);

        if (was_empty || pipe.poll_usage)
        {
            wait_h.wake_up_interruptible_sync_poll(k, pipe.rd_wait, Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM);
        }

        if (wake_next_writer)
        {
            wait_h.wake_up_interruptible_sync_poll(k, pipe.wr_wait, Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM);
        }

        return ret;
    }

    // fs/pipe.c: put_pipe_info
    /// <summary>One file fewer on the pipe; the last frees it.</summary>
    private static void put_pipe_info(inode inode, pipe_inode_info pipe)
    {
        if (--pipe.files == 0)
        {
            inode.i_pipe = null;
            free_pipe_info(pipe);
        }
    }

    // fs/pipe.c: pipe_release
    /// <summary>The last close of one end: one reader or writer fewer; the other side, if still there, is woken (to see EOF or -EPIPE).</summary>
    private static void pipe_release(Vmlinux k, inode inode, @file file)
    {
        // not ported: wake_up_interruptible_all — written as __wake_up(TASK_INTERRUPTIBLE, 0) on each wait queue, its definition
        var pipe = (pipe_inode_info)file.private_data!;

        pipe_lock(pipe);
        if ((file.f_mode & fs_h.FMODE_READ) != 0)
        {
            pipe.readers--;
        }

        if ((file.f_mode & fs_h.FMODE_WRITE) != 0)
        {
            pipe.writers--;
        }

        // the last reader or writer gone while the other side stays
        if ((pipe.readers == 0) != (pipe.writers == 0))
        {
            // wake_up_interruptible_all
            Kernel.Sched.wait_c.__wake_up(k, pipe.rd_wait, sched_h.TASK_INTERRUPTIBLE, 0);
            Kernel.Sched.wait_c.__wake_up(k, pipe.wr_wait, sched_h.TASK_INTERRUPTIBLE, 0);
        }

        pipe_unlock(pipe);
        put_pipe_info(inode, pipe);
    }

    // not ported: kzalloc, kcalloc, kfree, init_waitqueue_head — the pipe_inode_info, its buffer ring and wait queues are one managed object built by its constructor; no per-user limit can refuse it
    // fs/pipe.c: alloc_pipe_info
    /// <summary>A pipe with the default ring of PIPE_DEF_BUFFERS buffers (pipe-max-size and per-user limits are not modelled).</summary>
    public static pipe_inode_info alloc_pipe_info() => new(PIPE_DEF_BUFFERS);

    // fs/pipe.c: free_pipe_info
    /// <summary>Releases what the ring still holds and the kept pages.</summary>
    public static void free_pipe_info(pipe_inode_info pipe)
    {
        // not ported: __free_page — the spare pages go back with put_page (the page's last reference), which frees them
        // not ported: kfree, account_pipe_buffers — the ring is a managed array, and there is no per-user accounting
        for (var i = 0; i < pipe.ring_size; i++)
        {
            var buf = pipe.bufs[i];
            if (buf.ops is not null)
            {
                pipe_buf_release(pipe, buf);
            }
        }

        for (var i = 0; i < pipe.tmp_page.Length; i++)
        {
            if (pipe.tmp_page[i] is { } page)
            {
                mm_h.put_page(page); // __free_page
                pipe.tmp_page[i] = null;
            }
        }
    }

    /// <summary>pipeanon_fops: read and write on the ring, splice out through write_iter, release per end.</summary>
    private static file_operations pipeanon_fops { get; } = new()
    {
        read_iter = anon_pipe_read,
        write_iter = anon_pipe_write,
        release = pipe_release,
        splice_write = splice_c.iter_file_splice_write,
    };

    // fs/pipe.c: get_pipe_inode
    /// <summary>A pipefs inode with a new pipe: two files (both ends), one reader and one writer.</summary>
    private static inode get_pipe_inode(Vmlinux k)
    {
        // not ported: new_inode_pseudo, iput — the inode is constructed directly on no super block (pipefs is not a mount here); nothing fails to unwind
        var inode = new inode { i_ino = inode_c.get_next_ino(k) };
        var pipe = alloc_pipe_info();
        inode.i_pipe = pipe;
        pipe.files = 2;
        pipe.readers = pipe.writers = 1;
        inode.i_fop = pipeanon_fops;
        inode.i_mode = Include.Uapi.Linux.stat_h.S_IFIFO | 0x180; // S_IRUSR | S_IWUSR
        return inode;
    }

    // fs/pipe.c: create_pipe_files
    /// <summary>The two files of a new pipe: [0] the read end, [1] the write end (O_NONBLOCK and O_DIRECT from the flags).</summary>
    public static @file[] create_pipe_files(Vmlinux k, int flags)
    {
        // not ported: fput, free_pipe_info, iput, put_pipe_info — the error unwind; constructing the files cannot fail
        // not ported: alloc_file_pseudo, alloc_file_clone, file_set_fsnotify_mode, stream_open — the two files are constructed on the pipefs inode directly, with stream_open's modes (no lseek/pread/pwrite) and no fsnotify
        var inode = get_pipe_inode(k);

        // alloc_file_pseudo / alloc_file_clone on the pipefs mount
        var f = new @file(inode, pipeanon_fops)
        {
            f_flags = fs_h.O_WRONLY | (flags & (fs_h.O_NONBLOCK | fs_h.O_DIRECT)),
            f_mode = fs_h.FMODE_WRITE,
            private_data = inode.i_pipe,
        };
        inode_c.ihold(inode); // alloc_file_clone: the second file's inode reference
        var r = new @file(inode, pipeanon_fops)
        {
            f_flags = fs_h.O_RDONLY | (flags & fs_h.O_NONBLOCK),
            f_mode = fs_h.FMODE_READ,
            private_data = inode.i_pipe,
        };

        // stream_open: neither end seeks (no FMODE_LSEEK, FMODE_PREAD, FMODE_PWRITE)
        return new[] { r, f };
    }

    // fs/pipe.c: __do_pipe_flags
    /// <summary>Both ends' files and two free descriptors, or -EINVAL for a flag pipe2 does not take, -EMFILE.</summary>
    private static int __do_pipe_flags(Vmlinux k, task_struct task, int[] fd, out @file[]? files, int flags)
    {
        // not ported: put_unused_fd — the descriptors are taken only after both files exist (do_pipe2), so there is no reserved fd to give back
        files = null;
        if ((flags & ~(fs_h.O_CLOEXEC | fs_h.O_NONBLOCK | fs_h.O_DIRECT)) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        files = create_pipe_files(k, flags);

        var fdr = file_c.get_unused_fd_flags(task, flags);
        if (fdr < 0)
        {
            goto err_read_pipe;
        }

        // the read end's descriptor is not held yet: the next free one after it
        task.files[fdr] = files[0];
        var fdw = file_c.get_unused_fd_flags(task, flags);
        task.files.Remove(fdr);
        if (fdw < 0)
        {
            fdr = fdw;
            goto err_read_pipe;
        }

        fd[0] = fdr;
        fd[1] = fdw;
        return 0;

    err_read_pipe:
        file_table_c.fput(k, files[0]);
        file_table_c.fput(k, files[1]);
        files = null;
        return fdr;
    }

    // fs/pipe.c: do_pipe2
    /// <summary>pipe2(2): the two descriptors, read end first, written into <paramref name="fildes"/>.</summary>
    public static int do_pipe2(Vmlinux k, task_struct task, int[] fildes, int flags)
    {
        // not ported: fput, put_unused_fd — the error unwind of copying the fds to user space; the descriptors are returned in an array that cannot fault
        var fd = new int[2];
        var error = __do_pipe_flags(k, task, fd, out var files, flags);
        if (error == 0)
        {
            fildes[0] = fd[0];
            fildes[1] = fd[1];
            file_c.fd_install(task, fd[0], files![0]);
            file_c.fd_install(task, fd[1], files[1]);
        }

        return error;
    }

    // fs/pipe.c: pipe_wait_readable
    /// <summary>Sleeps until the pipe has data or no writers (the pipe lock dropped meanwhile).</summary>
    [MightSleep]
    public static async Task pipe_wait_readable(Vmlinux k, pipe_inode_info pipe)
    {
        pipe_unlock(pipe);
        await wait_h.wait_event_interruptible(k, pipe.rd_wait, () => pipe_readable(pipe));
        pipe_lock(pipe);
    }

    // fs/pipe.c: pipe_wait_writable
    /// <summary>Sleeps until the pipe has room or no readers.</summary>
    [MightSleep]
    public static async Task pipe_wait_writable(Vmlinux k, pipe_inode_info pipe)
    {
        pipe_unlock(pipe);
        await wait_h.wait_event_interruptible(k, pipe.wr_wait, () => pipe_writable(pipe));
        pipe_lock(pipe);
    }

    // fs/pipe.c: get_pipe_info
    /// <summary>The pipe behind an open file, or null (a socket, a regular file).</summary>
    public static pipe_inode_info? get_pipe_info(object file, bool for_splice)
    {
        _ = for_splice; // watch-queue pipes refuse splice: none here
        return file is @file f && f.f_op.read_iter == pipeanon_fops.read_iter ? f.private_data as pipe_inode_info : null;
    }
}
