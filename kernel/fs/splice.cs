// Ports fs/splice.c: moving data between files and pipes by page reference —
// the page-cache and no-steal pipe buffer operations, splice_to_pipe (the
// pages of a splice_pipe_desc into a pipe), the splice-out side
// (iter_file_splice_write into a file, splice_to_socket: the pipe's pages
// handed to sendmsg with MSG_SPLICE_PAGES), splice_direct_to_actor (what
// sendfile runs: file -> the task's private pipe -> the output), and
// do_splice, which picks the direction for splice(2).
//
// departure: a socket descriptor holds the socket, not a struct file (see
// fs/read_write.cs), so the ends of a splice are objects; the file's mode,
// flags and splice operations come from what the object is (a socket is
// FMODE_READ|FMODE_WRITE, stream_open'd: no position, no pread/pwrite; its
// splice_read is the family's proto_ops.splice_read and its splice_write is
// splice_to_socket, as socket_file_ops has them).
// not ported: vmsplice, tee and pipe-to-pipe splice (splice_pipe_to_pipe,
// link_pipe), copy_splice_read (tmpfs and TCP have their own splice_read),
// splice_file_range (copy_file_range), fsnotify, SIGPIPE delivery.
// not ported: file_start_write, file_end_write — freeze protection is not modelled (no filesystem freeze)
// not ported: wake_up_interruptible, waitqueue_active — the pipe wakeups are the port's wake_up_interruptible_sync_poll with poll keys, which wakes the same waiters; waitqueue_active is only the empty-queue shortcut
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.pipe_fs_i_h;

namespace KernelNet.Kernel.Fs;

/// <summary>struct splice_desc: one splice in progress — bytes left, flags, where in the input, and the output.</summary>
public sealed class splice_desc
{
    /// <summary>total_len: the bytes still to move.</summary>
    public long total_len { get; set; }

    /// <summary>len: the bytes the current buffer still has for the actor.</summary>
    public long len { get; set; }

    /// <summary>flags: SPLICE_F_*.</summary>
    public uint flags { get; set; }

    /// <summary>pos: the input file's position.</summary>
    public long pos { get; set; }

    /// <summary>u.file: the output (a socket or a struct file).</summary>
    public object? file { get; set; }

    /// <summary>opos: the output's position (sendfile's out_pos).</summary>
    public StrongBox<long>? opos { get; set; }
}

/// <summary>struct splice_pipe_desc: pages with an offset and length each, to go into a pipe, and the buffer operations they get.</summary>
public sealed class splice_pipe_desc
{
    public List<page> pages { get; } = new();

    /// <summary>partial: (offset, len) of each page.</summary>
    public List<(int offset, int len)> partial { get; } = new();

    public int nr_pages => pages.Count;

    public int nr_pages_max { get; set; } = PIPE_DEF_BUFFERS;

    public pipe_buf_operations ops { get; set; } = null!;
}

public static class splice_c
{
    public const uint SPLICE_F_MOVE = 0x01;
    public const uint SPLICE_F_NONBLOCK = 0x02;
    public const uint SPLICE_F_MORE = 0x04;
    public const uint SPLICE_F_GIFT = 0x08;
    public const uint SPLICE_F_ALL = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT;

    // fs/splice.c: page_cache_pipe_buf_try_steal
    /// <summary>A page-cache page is never stolen out of its file here (the page would have to leave the cache, which needs the LRU and locking the port does not model).</summary>
    private static bool page_cache_pipe_buf_try_steal(pipe_inode_info pipe, pipe_buffer buf)
    {
        // not ported: folio_unlock, filemap_release_folio — the steal fails (see the comment below), so the folio is never locked or released from the cache
        // not ported: folio_lock, remove_mapping — the page stays in the cache and the steal fails
        return false;
    }

    // fs/splice.c: page_cache_pipe_buf_release
    /// <summary>The buffer's reference to the cache page is dropped (the cache keeps its own).</summary>
    private static void page_cache_pipe_buf_release(pipe_inode_info pipe, pipe_buffer buf)
    {
        mm_h.put_page(buf.page!);
        buf.flags &= ~PIPE_BUF_FLAG_LRU;
    }

    // fs/splice.c: page_cache_pipe_buf_confirm
    /// <summary>The page's data is there: tmpfs pages are always uptodate and never truncated under a reader here (0).</summary>
    private static int page_cache_pipe_buf_confirm(pipe_inode_info pipe, pipe_buffer buf)
    {
        // not ported: folio_unlock — as folio_lock: no page locks
        // not ported: folio_lock, the uptodate and truncation checks — tmpfs pages are uptodate from birth
        return 0;
    }

    /// <summary>page_cache_pipe_buf_ops: buffers referencing page-cache pages (a file spliced into a pipe).</summary>
    public static pipe_buf_operations page_cache_pipe_buf_ops { get; } = new()
    {
        confirm = page_cache_pipe_buf_confirm,
        release = page_cache_pipe_buf_release,
        try_steal = page_cache_pipe_buf_try_steal,
        get = pipe_c.generic_pipe_buf_get,
    };

    /// <summary>nosteal_pipe_buf_ops: buffers whose pages may not be taken over (an skb's pages, spliced from a socket).</summary>
    public static pipe_buf_operations nosteal_pipe_buf_ops { get; } = new()
    {
        release = pipe_c.generic_pipe_buf_release,
        get = pipe_c.generic_pipe_buf_get,
    };

    // fs/splice.c: wakeup_pipe_readers
    /// <summary>Data went into the pipe: its readers are woken.</summary>
    private static void wakeup_pipe_readers(Vmlinux k, pipe_inode_info pipe)
    {
        // not ported: kill_fasync — no SIGIO
        wait_h.wake_up_interruptible_sync_poll(k, pipe.rd_wait, Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM);
    }

    // fs/splice.c: splice_to_pipe
    /// <summary>
    /// Puts the pages of <paramref name="spd"/> into the pipe as buffers (the
    /// page references move from the descriptor to the buffers), as many as
    /// the pipe has room for; what does not fit is released. The bytes added,
    /// -EPIPE without readers, -EAGAIN when the pipe was full.
    /// </summary>
    public static long splice_to_pipe(pipe_inode_info pipe, splice_pipe_desc spd)
    {
        var spd_pages = spd.nr_pages;
        var head = pipe.head;
        var tail = pipe.tail;
        var limit = pipe.max_usage;
        long ret = 0;
        var page_nr = 0;

        if (spd_pages == 0)
        {
            return 0;
        }

        if (pipe.readers == 0)
        {
            // send_sig(SIGPIPE): no signals are modelled
            ret = -errno_base_h.EPIPE;
            goto @out;
        }

        while (!pipe_full(head, tail, limit))
        {
            var buf = pipe_buf(pipe, head);
            buf.clear();
            buf.page = spd.pages[page_nr];
            buf.offset = spd.partial[page_nr].offset;
            buf.len = spd.partial[page_nr].len;
            buf.ops = spd.ops;
            buf.flags = 0;

            head++;
            pipe.head = head;
            page_nr++;
            ret += buf.len;

            if (--spd_pages == 0)
            {
                break;
            }
        }

        if (ret == 0)
        {
            ret = -errno_base_h.EAGAIN;
        }

    @out:
        while (page_nr < spd.nr_pages)
        {
            // spd_release_page: the pages that did not fit are put
            mm_h.put_page(spd.pages[page_nr++]);
        }

        return ret;
    }

    // fs/splice.c: wakeup_pipe_writers
    /// <summary>Room was made in the pipe: its writers are woken.</summary>
    private static void wakeup_pipe_writers(Vmlinux k, pipe_inode_info pipe)
    {
        // not ported: kill_fasync — no SIGIO
        wait_h.wake_up_interruptible_sync_poll(k, pipe.wr_wait, Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM);
    }

    // fs/splice.c: iter_file_splice_write
    /// <summary>
    /// splice out of a pipe into a file: the pipe's buffers, up to
    /// <paramref name="len"/> bytes, become a bvec iterator written with the
    /// file's write_iter at *<paramref name="ppos"/> (a tmpfs write: the CPU
    /// copies page to page); written-out buffers are released. Sleeps for data
    /// while the pipe is empty and has writers. The bytes written.
    /// </summary>
    [MightSleep]
    public static async Task<long> iter_file_splice_write(Vmlinux k, pipe_inode_info pipe, object @out, StrongBox<long> ppos, int len, uint flags)
    {
        // not ported: kcalloc, kfree, init_sync_kiocb — the bio_vec array and the kiocb are managed objects built in the loop
        // not ported: splice_from_pipe_begin, splice_from_pipe_next, splice_from_pipe_end — their waiting and wakeups are written out in the loop below
        var outf = (@file)@out;
        long ret = 0;
        long spliced = 0;
        var need_wakeup = false;

        pipe_c.pipe_lock(pipe);
        while (len > 0)
        {
            // splice_from_pipe_next: wait for a buffer
            while (pipe_is_empty(pipe))
            {
                ret = 0;
                if (pipe.writers == 0 || spliced != 0)
                {
                    goto done;
                }

                ret = -errno_base_h.EAGAIN;
                if ((flags & SPLICE_F_NONBLOCK) != 0)
                {
                    goto done;
                }

                ret = -Include.Net.sock_h.ERESTARTSYS;
                if (sched_h.signal_pending(k.current))
                {
                    goto done;
                }

                if (need_wakeup)
                {
                    wakeup_pipe_writers(k, pipe);
                    need_wakeup = false;
                }

                await pipe_c.pipe_wait_readable(k, pipe);
            }

            var head = pipe.head;
            var tail = pipe.tail;
            var left = len;
            var array = new List<bio_vec>();
            for (; !pipe_empty(head, tail) && left > 0; tail++)
            {
                var buf = pipe_buf(pipe, tail);
                var this_len = Math.Min(buf.len, left);
                ret = pipe_buf_confirm(pipe, buf);
                if (ret != 0)
                {
                    goto done;
                }

                array.Add(bvec_h.bvec_set_page(buf.page!, this_len, buf.offset));
                left -= this_len;
            }

            var from = Lib.iov_iter_c.iov_iter_bvec(uio_h.ITER_SOURCE, array, len - left);
            var kiocb = new kiocb(outf, ppos.Value);
            ret = await outf.f_op.write_iter!(k, kiocb, from);
            ppos.Value = kiocb.ki_pos;
            if (ret <= 0)
            {
                break;
            }

            spliced += ret;
            len -= (int)ret;

            // dismiss the fully eaten buffers, adjust the partial one
            tail = pipe.tail;
            while (ret > 0)
            {
                var buf = pipe_buf(pipe, tail);
                if (ret >= buf.len)
                {
                    ret -= buf.len;
                    buf.len = 0;
                    pipe_buf_release(pipe, buf);
                    tail++;
                    pipe.tail = tail;
                    if (pipe.files != 0)
                    {
                        need_wakeup = true;
                    }
                }
                else
                {
                    buf.offset += (int)ret;
                    buf.len -= (int)ret;
                    ret = 0;
                }
            }
        }

    done:
        pipe_c.pipe_unlock(pipe);
        if (need_wakeup)
        {
            wakeup_pipe_writers(k, pipe);
        }

        return spliced != 0 ? spliced : ret;
    }

    // fs/splice.c: splice_to_socket
    /// <summary>
    /// splice out of a pipe into a socket: up to 16 of the pipe's buffers at a
    /// time become a bvec iterator handed to sock_sendmsg with
    /// MSG_SPLICE_PAGES (MSG_MORE while more follows) — TCP then attaches the
    /// pages to its skbs as frags rather than copying them, when the route can
    /// scatter-gather. Sent buffers are released. Sleeps for data while the
    /// pipe is empty and has writers. The bytes sent, or the error.
    /// </summary>
    [MightSleep]
    public static async Task<long> splice_to_socket(Vmlinux k, pipe_inode_info pipe, object @out, StrongBox<long> ppos, int len, uint flags)
    {
        // not ported: iov_iter_bvec — the bio_vec iterator is built with the port's iov_iter constructor for ITER_BVEC
        // not ported: sock_from_file — a socket descriptor holds the socket itself (see the departure above)
        var sock = (socket)@out;
        long ret = 0;
        long spliced = 0;
        var need_wakeup = false;

        pipe_c.pipe_lock(pipe);

        while (len > 0)
        {
            uint head, tail;
            var remain = len;

            ret = -Include.Net.sock_h.ERESTARTSYS;
            if (sched_h.signal_pending(k.current))
            {
                break;
            }

            while (pipe_is_empty(pipe))
            {
                ret = 0;
                if (pipe.writers == 0)
                {
                    goto @out;
                }

                if (spliced != 0)
                {
                    goto @out;
                }

                ret = -errno_base_h.EAGAIN;
                if ((flags & SPLICE_F_NONBLOCK) != 0)
                {
                    goto @out;
                }

                ret = -Include.Net.sock_h.ERESTARTSYS;
                if (sched_h.signal_pending(k.current))
                {
                    goto @out;
                }

                if (need_wakeup)
                {
                    wakeup_pipe_writers(k, pipe);
                    need_wakeup = false;
                }

                await pipe_c.pipe_wait_readable(k, pipe);
            }

            head = pipe.head;
            tail = pipe.tail;
            var bvec = new List<bio_vec>(16);

            while (!pipe_empty(head, tail))
            {
                var buf = pipe_buf(pipe, tail);
                if (buf.len == 0)
                {
                    tail++;
                    continue;
                }

                var seg = Math.Min(remain, buf.len);
                ret = pipe_buf_confirm(pipe, buf);
                if (ret != 0)
                {
                    if (ret == -errno_h.ENODATA)
                    {
                        ret = 0;
                    }

                    break;
                }

                bvec.Add(bvec_h.bvec_set_page(buf.page!, seg, buf.offset));
                remain -= seg;
                if (remain == 0 || bvec.Count >= 16)
                {
                    break;
                }

                tail++;
            }

            if (bvec.Count == 0)
            {
                break;
            }

            var msg = new msghdr { msg_flags = socket_h.MSG_SPLICE_PAGES };
            if ((flags & SPLICE_F_MORE) != 0)
            {
                msg.msg_flags |= socket_h.MSG_MORE;
            }

            if (remain != 0 && pipe_occupancy(pipe.head, tail) > 0)
            {
                msg.msg_flags |= socket_h.MSG_MORE;
            }

            if (sock.nonblock)
            {
                msg.msg_flags |= socket_h.MSG_DONTWAIT;
            }

            // iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bvec, bc, len - remain)
            msg.msg_iter_type = uio_h.ITER_BVEC;
            msg.msg_iter_bvec = bvec;
            msg.iov_len = len - remain;
            ret = await Net.socket_c.sock_sendmsg(sock, msg);
            if (ret <= 0)
            {
                break;
            }

            spliced += ret;
            len -= (int)ret;
            tail = pipe.tail;
            while (ret > 0)
            {
                var buf = pipe_buf(pipe, tail);
                var seg = (int)Math.Min(ret, buf.len);

                buf.offset += seg;
                buf.len -= seg;
                ret -= seg;

                if (buf.len == 0)
                {
                    pipe_buf_release(pipe, buf);
                    tail++;
                }
            }

            if (tail != pipe.tail)
            {
                pipe.tail = tail;
                if (pipe.files != 0)
                {
                    need_wakeup = true;
                }
            }
        }

    @out:
        pipe_c.pipe_unlock(pipe);
        if (need_wakeup)
        {
            wakeup_pipe_writers(k, pipe);
        }

        return spliced != 0 ? spliced : ret;
    }

    /// <summary>file->f_mode of a descriptor's object: a socket's file is read-write and stream_open'd (no seeking, no positioned I/O).</summary>
    [NotInLinux("the port's sockets have no struct file: their file's mode is what sock_alloc_file gives")]
    public static uint f_mode_of(object f) => f switch
    {
        @file file => file.f_mode,
        socket => fs_h.FMODE_READ | fs_h.FMODE_WRITE,
        _ => 0,
    };

    /// <summary>file->f_flags of a descriptor's object (a socket's O_NONBLOCK is kept on the socket).</summary>
    [NotInLinux("the port's sockets have no struct file: their file's flags are folded into the socket")]
    public static int f_flags_of(object f) => f switch
    {
        @file file => file.f_flags,
        socket s => fs_h.O_RDWR | (s.nonblock ? fs_h.O_NONBLOCK : 0),
        _ => 0,
    };

    /// <summary>f_op->splice_write of a descriptor's object: splice_to_socket for a socket (socket_file_ops), the file's own otherwise.</summary>
    [NotInLinux("the port's sockets have no struct file: socket_file_ops' splice_write is chosen by type")]
    private static Func<Vmlinux, pipe_inode_info, object, StrongBox<long>, int, uint, Task<long>>? splice_write_of(object f) => f switch
    {
        @file file => file.f_op.splice_write,
        socket => splice_to_socket,
        _ => null,
    };

    // fs/splice.c: do_splice_from
    /// <summary>The output's splice_write (-EINVAL where it has none).</summary>
    [MightSleep]
    private static async Task<long> do_splice_from(Vmlinux k, pipe_inode_info pipe, object @out, StrongBox<long> ppos, int len, uint flags)
    {
        // not ported: warn_unsupported — only a one-line kernel log warning in C
        var splice_write = splice_write_of(@out);
        if (splice_write is null)
        {
            // warn_unsupported: only a one-line warning in C
            return -errno_base_h.EINVAL;
        }

        return await splice_write(k, pipe, @out, ppos, len, flags);
    }

    // fs/splice.c: do_splice_read
    /// <summary>
    /// The input's splice_read into the pipe, limited to the pipe's free
    /// slots (0 when it has none); a socket's goes to its family's
    /// proto_ops.splice_read (sock_splice_read), a file's to f_op->splice_read.
    /// </summary>
    [MightSleep]
    private static async Task<long> do_splice_read(Vmlinux k, object @in, StrongBox<long> ppos, pipe_inode_info pipe, long len, uint flags)
    {
        // not ported: IS_DAX — no DAX filesystems
        // not ported: warn_unsupported — only a one-line kernel log warning in C
        if (len == 0)
        {
            return 0;
        }

        if (len > fs_h.MAX_RW_COUNT)
        {
            len = fs_h.MAX_RW_COUNT;
        }

        // the pipe's room
        var p_space = (long)pipe.max_usage - pipe_buf_usage(pipe);
        len = Math.Min(len, p_space << mm_h.PAGE_SHIFT);
        if (len == 0)
        {
            return 0;
        }

        switch (@in)
        {
            case socket sock:
                // net/socket.c: sock_splice_read — the family's splice_read, else copy_splice_read
                if (sock.ops.splice_read is null)
                {
                    // not ported: copy_splice_read — every spliced socket here is TCP
                    return -errno_base_h.EINVAL;
                }

                if (sock.nonblock)
                {
                    flags |= SPLICE_F_NONBLOCK;
                }

                return await sock.ops.splice_read(sock, ppos, pipe, (int)len, flags);
            case @file f when f.f_op.splice_read is { } splice_read:
                return await splice_read(k, f, ppos, pipe, (int)len, flags);
            default:
                return -errno_base_h.EINVAL;
        }
    }

    // fs/splice.c: splice_direct_to_actor
    /// <summary>
    /// File to anything, through the task's private pipe (current->splice_pipe,
    /// made on first use): splice a stretch of the input into the pipe, let the
    /// actor drain it into the output, until the length is met, the input
    /// ends or the output takes less. SPLICE_F_MORE while more is to come.
    /// The bytes moved, or the error if none.
    /// </summary>
    [MightSleep]
    public static async Task<long> splice_direct_to_actor(Vmlinux k, @file @in, splice_desc sd, Func<Vmlinux, pipe_inode_info, splice_desc, Task<long>> actor)
    {
        // not ported: file_accessed — inode times are not kept
        // not ported: pipe_is_empty — the private pipe is drained by the actor each round; the kernel's check only warns on leftovers
        long ret, bytes;
        long len;
        uint flags, more;

        // the input must be seekable: a socket to socket transfer would lose data
        if ((@in.f_mode & fs_h.FMODE_LSEEK) == 0)
        {
            return -errno_base_h.EINVAL;
        }

        var pipe = k.current.splice_pipe;
        if (pipe is null)
        {
            pipe = pipe_c.alloc_pipe_info();
            pipe.readers = 1; // read right after the splice in, by the actor
            k.current.splice_pipe = pipe;
        }

        bytes = 0;
        len = sd.total_len;

        // the output must not be nonblocking: the private pipe has to drain
        flags = sd.flags;
        sd.flags &= ~SPLICE_F_NONBLOCK;

        more = sd.flags & SPLICE_F_MORE;
        sd.flags |= SPLICE_F_MORE;

        while (len != 0)
        {
            var pos = new StrongBox<long>(sd.pos);
            var prev_pos = pos.Value;

            ret = await do_splice_read(k, @in, pos, pipe, len, flags);
            if (ret <= 0)
            {
                goto read_failure;
            }

            var read_len = ret;
            sd.total_len = read_len;

            if (read_len >= len && more == 0)
            {
                sd.flags &= ~SPLICE_F_MORE;
            }

            ret = await actor(k, pipe, sd);
            if (ret <= 0)
            {
                sd.pos = prev_pos;
                goto out_release;
            }

            bytes += ret;
            len -= ret;
            sd.pos = pos.Value;

            if (ret < read_len)
            {
                sd.pos = prev_pos + ret;
                goto out_release;
            }
        }

    done:
        pipe.tail = pipe.head = 0;
        // file_accessed: atime is not kept
        return bytes;

    read_failure:
        // not ported: do_splice_eof (->splice_eof, tcp_splice_eof) when the input ended early with MSG_MORE still set — the send is left to the autocork and push timers

    out_release:
        for (var i = 0; i < pipe.ring_size; i++)
        {
            var buf = pipe.bufs[i];
            if (buf.ops is not null)
            {
                pipe_buf_release(pipe, buf);
            }
        }

        if (bytes == 0)
        {
            bytes = ret;
        }

        goto done;
    }

    // fs/splice.c: direct_splice_actor
    /// <summary>sendfile's actor: the private pipe's contents out to sd.file.</summary>
    [MightSleep]
    private static async Task<long> direct_splice_actor(Vmlinux k, pipe_inode_info pipe, splice_desc sd)
    {
        // file_start_write/file_end_write: freeze protection is not modelled
        return await do_splice_from(k, pipe, sd.file!, sd.opos!, (int)sd.total_len, sd.flags);
    }

    // fs/splice.c: do_splice_direct_actor
    /// <summary>The descriptor of a direct splice; -EBADF for an output not open for writing, -EINVAL for O_APPEND.</summary>
    [MightSleep]
    private static async Task<long> do_splice_direct_actor(Vmlinux k, @file @in, StrongBox<long> ppos, object @out, StrongBox<long> opos, long len, uint flags, Func<Vmlinux, pipe_inode_info, splice_desc, Task<long>> actor)
    {
        var sd = new splice_desc
        {
            len = len,
            total_len = len,
            flags = flags,
            pos = ppos.Value,
            file = @out,
            opos = opos,
        };

        if ((f_mode_of(@out) & fs_h.FMODE_WRITE) == 0)
        {
            return -errno_base_h.EBADF;
        }

        if ((f_flags_of(@out) & fs_h.O_APPEND) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        var ret = await splice_direct_to_actor(k, @in, sd, actor);
        if (ret > 0)
        {
            ppos.Value = sd.pos;
        }

        return ret;
    }

    // fs/splice.c: do_splice_direct
    /// <summary>sendfile's transfer: <paramref name="in"/> to <paramref name="out"/> through the task's private pipe.</summary>
    [MightSleep]
    public static Task<long> do_splice_direct(Vmlinux k, @file @in, StrongBox<long> ppos, object @out, StrongBox<long> opos, long len, uint flags) =>
        do_splice_direct_actor(k, @in, ppos, @out, opos, len, flags, direct_splice_actor);

    // fs/splice.c: wait_for_space
    /// <summary>Waits for room in the pipe: 0, -EPIPE without readers, -EAGAIN when nonblocking.</summary>
    [MightSleep]
    private static async Task<int> wait_for_space(Vmlinux k, pipe_inode_info pipe, uint flags)
    {
        for (;;)
        {
            if (pipe.readers == 0)
            {
                // send_sig(SIGPIPE): no signals are modelled
                return -errno_base_h.EPIPE;
            }

            if (!pipe_is_full(pipe))
            {
                return 0;
            }

            if ((flags & SPLICE_F_NONBLOCK) != 0)
            {
                return -errno_base_h.EAGAIN;
            }

            if (sched_h.signal_pending(k.current))
            {
                return -Include.Net.sock_h.ERESTARTSYS;
            }

            await pipe_c.pipe_wait_writable(k, pipe);
        }
    }

    // fs/splice.c: splice_file_to_pipe
    /// <summary>A file or socket spliced into a pipe, once there is room; readers woken when something went in.</summary>
    [MightSleep]
    public static async Task<long> splice_file_to_pipe(Vmlinux k, object @in, pipe_inode_info opipe, StrongBox<long> offset, long len, uint flags)
    {
        long ret;

        pipe_c.pipe_lock(opipe);
        ret = await wait_for_space(k, opipe, flags);
        if (ret == 0)
        {
            ret = await do_splice_read(k, @in, offset, opipe, len, flags);
        }

        pipe_c.pipe_unlock(opipe);
        if (ret > 0)
        {
            wakeup_pipe_readers(k, opipe);
        }

        return ret;
    }

    // fs/splice.c: do_splice
    /// <summary>
    /// splice(2)'s direction: pipe to file or socket (do_splice_from), file or
    /// socket to pipe (splice_file_to_pipe); offsets only on the side that is
    /// not a pipe, and only where the file takes positioned I/O. -EBADF for an
    /// end opened the wrong way, -EINVAL when neither end is a pipe.
    /// </summary>
    [MightSleep]
    public static async Task<long> do_splice(Vmlinux k, object @in, StrongBox<long>? off_in, object @out, StrongBox<long>? off_out, long len, uint flags)
    {
        long ret;

        if ((f_mode_of(@in) & fs_h.FMODE_READ) == 0 || (f_mode_of(@out) & fs_h.FMODE_WRITE) == 0)
        {
            return -errno_base_h.EBADF;
        }

        var ipipe = pipe_c.get_pipe_info(@in, true);
        var opipe = pipe_c.get_pipe_info(@out, true);

        if (ipipe is not null && opipe is not null)
        {
            // not ported: splice_pipe_to_pipe — pipe-to-pipe splice
            if (off_in is not null || off_out is not null)
            {
                return -errno_base_h.ESPIPE;
            }

            return -errno_base_h.EINVAL;
        }
        else if (ipipe is not null)
        {
            if (off_in is not null)
            {
                return -errno_base_h.ESPIPE;
            }

            var offset = new StrongBox<long>();
            if (off_out is not null)
            {
                if ((f_mode_of(@out) & fs_h.FMODE_PWRITE) == 0)
                {
                    return -errno_base_h.EINVAL;
                }

                offset.Value = off_out.Value;
            }
            else
            {
                offset.Value = @out is @file f ? f.f_pos : 0;
            }

            if ((f_flags_of(@out) & fs_h.O_APPEND) != 0)
            {
                return -errno_base_h.EINVAL;
            }

            ret = read_write_c.rw_verify_area(fs_h.WRITE, @out, offset.Value, len);
            if (ret < 0)
            {
                return ret;
            }

            if ((f_flags_of(@in) & fs_h.O_NONBLOCK) != 0)
            {
                flags |= SPLICE_F_NONBLOCK;
            }

            ret = await do_splice_from(k, ipipe, @out, offset, (int)Math.Min(len, int.MaxValue), flags);

            if (off_out is null)
            {
                if (@out is @file f2)
                {
                    f2.f_pos = offset.Value;
                }
            }
            else
            {
                off_out.Value = offset.Value;
            }
        }
        else if (opipe is not null)
        {
            if (off_out is not null)
            {
                return -errno_base_h.ESPIPE;
            }

            var offset = new StrongBox<long>();
            if (off_in is not null)
            {
                if ((f_mode_of(@in) & fs_h.FMODE_PREAD) == 0)
                {
                    return -errno_base_h.EINVAL;
                }

                offset.Value = off_in.Value;
            }
            else
            {
                offset.Value = @in is @file f ? f.f_pos : 0;
            }

            ret = read_write_c.rw_verify_area(fs_h.READ, @in, offset.Value, len);
            if (ret < 0)
            {
                return ret;
            }

            if ((f_flags_of(@out) & fs_h.O_NONBLOCK) != 0)
            {
                flags |= SPLICE_F_NONBLOCK;
            }

            ret = await splice_file_to_pipe(k, @in, opipe, offset, len, flags);

            if (off_in is null)
            {
                if (@in is @file f2)
                {
                    f2.f_pos = offset.Value;
                }
            }
            else
            {
                off_in.Value = offset.Value;
            }
        }
        else
        {
            ret = -errno_base_h.EINVAL;
        }

        // fsnotify_modify, fsnotify_access: no fsnotify
        return ret;
    }

    // fs/splice.c: __do_splice
    /// <summary>splice(2) after the descriptors: the user's offsets read and written back (a pipe end with an offset is -ESPIPE).</summary>
    [MightSleep]
    private static async Task<long> __do_splice(Vmlinux k, object @in, long[]? off_in, object @out, long[]? off_out, long len, uint flags)
    {
        // not ported: pipe_clear_nowait — no IOCB_NOWAIT/FMODE_NOWAIT pipes (io_uring is not ported)
        var ipipe = pipe_c.get_pipe_info(@in, true);
        var opipe = pipe_c.get_pipe_info(@out, true);

        if (ipipe is not null && off_in is not null)
        {
            return -errno_base_h.ESPIPE;
        }

        if (opipe is not null && off_out is not null)
        {
            return -errno_base_h.ESPIPE;
        }

        var offin = off_in is null ? null : new StrongBox<long>(off_in[0]);
        var offout = off_out is null ? null : new StrongBox<long>(off_out[0]);

        var ret = await do_splice(k, @in, offin, @out, offout, len, flags);
        if (ret < 0)
        {
            return ret;
        }

        if (off_out is not null)
        {
            off_out[0] = offout!.Value;
        }

        if (off_in is not null)
        {
            off_in[0] = offin!.Value;
        }

        return ret;
    }

    // fs/splice.c: sys_splice (SYSCALL_DEFINE)
    // fs/splice.c: sys_splice
    /// <summary>splice(2): -EBADF for a descriptor that is not open, -EINVAL for unknown flags; 0 for a zero length.</summary>
    [MightSleep]
    public static async Task<long> sys_splice(Vmlinux k, task_struct task, int fd_in, long[]? off_in, int fd_out, long[]? off_out, long len, uint flags)
    {
        if (len == 0)
        {
            return 0;
        }

        if ((flags & ~SPLICE_F_ALL) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        if (!task.files.TryGetValue(fd_in, out var @in) || !task.files.TryGetValue(fd_out, out var @out))
        {
            return -errno_base_h.EBADF;
        }

        return await __do_splice(k, @in, off_in, @out, off_out, len, flags);
    }
}
