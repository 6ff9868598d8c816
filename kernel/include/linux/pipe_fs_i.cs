// Ports include/linux/pipe_fs_i.h: struct pipe_buffer (a page reference with
// an offset and a length), struct pipe_inode_info (the ring of buffers, its
// readers and writers and their wait queues), struct pipe_buf_operations,
// and the ring's inline helpers.
//
// not ported: watch queues (pipe_has_watch_queue is always false), fasync,
// per-user pipe buffer accounting.
namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct pipe_buffer: <see cref="len"/> bytes of <see cref="page"/> from <see cref="offset"/>, released through <see cref="ops"/>.</summary>
public sealed class pipe_buffer
{
    public page? page { get; set; }

    public int offset { get; set; }

    public int len { get; set; }

    public pipe_buf_operations? ops { get; set; }

    public uint flags { get; set; }

    /// <summary>Empties the slot (the struct assignment of a fresh buffer in C).</summary>
    [KernelNet.Annotations.NotInLinux("C assigns a fresh struct; a C# class needs a method")]
    public void clear()
    {
        page = null;
        offset = 0;
        len = 0;
        ops = null;
        flags = 0;
    }
}

/// <summary>struct pipe_buf_operations: confirm, release, try_steal, get.</summary>
public sealed class pipe_buf_operations
{
    public System.Func<pipe_inode_info, pipe_buffer, int>? confirm { get; init; }

    public System.Action<pipe_inode_info, pipe_buffer> release { get; init; } = null!;

    public System.Func<pipe_inode_info, pipe_buffer, bool>? try_steal { get; init; }

    public System.Func<pipe_inode_info, pipe_buffer, bool> get { get; init; } = null!;
}

/// <summary>struct pipe_inode_info: a pipe — a ring of ring_size buffers indexed by free-running head and tail.</summary>
public sealed class pipe_inode_info
{
    public pipe_inode_info(int ring_size)
    {
        this.ring_size = (uint)ring_size;
        max_usage = (uint)ring_size;
        bufs = new pipe_buffer[ring_size];
        for (var i = 0; i < ring_size; i++)
        {
            bufs[i] = new pipe_buffer();
        }
    }

    public uint head { get; set; }

    public uint tail { get; set; }

    public uint max_usage { get; set; }

    public uint ring_size { get; }

    public uint readers { get; set; }

    public uint writers { get; set; }

    /// <summary>files: how many files (both ends) refer to the pipe.</summary>
    public uint files { get; set; }

    /// <summary>poll_usage: someone polled the pipe (writers then always wake readers).</summary>
    public bool poll_usage { get; set; }

    public wait_queue_head rd_wait { get; } = new();

    public wait_queue_head wr_wait { get; } = new();

    /// <summary>tmp_page: a page kept for the next write after a read freed one.</summary>
    public page?[] tmp_page { get; } = new page?[2];

    public pipe_buffer[] bufs { get; }
}

public static class pipe_fs_i_h
{
    /// <summary>PIPE_DEF_BUFFERS: a new pipe's ring holds 16 pages.</summary>
    public const int PIPE_DEF_BUFFERS = 16;

    public const uint PIPE_BUF_FLAG_LRU = 0x01;
    public const uint PIPE_BUF_FLAG_GIFT = 0x04;
    public const uint PIPE_BUF_FLAG_PACKET = 0x08;
    public const uint PIPE_BUF_FLAG_CAN_MERGE = 0x10;
    public const uint PIPE_BUF_FLAG_WHOLE = 0x20;

    // include/linux/pipe_fs_i.h: pipe_occupancy
    public static uint pipe_occupancy(uint head, uint tail) => unchecked(head - tail);

    // not ported: pipe_occupancy — head == tail is what a zero occupancy means
    // include/linux/pipe_fs_i.h: pipe_empty
    public static bool pipe_empty(uint head, uint tail) => head == tail;

    // include/linux/pipe_fs_i.h: pipe_full
    public static bool pipe_full(uint head, uint tail, uint limit) => pipe_occupancy(head, tail) >= limit;

    // include/linux/pipe_fs_i.h: pipe_is_full
    public static bool pipe_is_full(pipe_inode_info pipe) => pipe_full(pipe.head, pipe.tail, pipe.max_usage);

    // include/linux/pipe_fs_i.h: pipe_is_empty
    public static bool pipe_is_empty(pipe_inode_info pipe) => pipe_empty(pipe.head, pipe.tail);

    // include/linux/pipe_fs_i.h: pipe_buf_usage
    public static uint pipe_buf_usage(pipe_inode_info pipe) => pipe_occupancy(pipe.head, pipe.tail);

    // include/linux/pipe_fs_i.h: pipe_buf
    /// <summary>The buffer in slot <paramref name="slot"/> of the ring (masked by ring_size).</summary>
    public static pipe_buffer pipe_buf(pipe_inode_info pipe, uint slot) => pipe.bufs[slot & (pipe.ring_size - 1)];

    // include/linux/pipe_fs_i.h: pipe_head_buf
    public static pipe_buffer pipe_head_buf(pipe_inode_info pipe) => pipe_buf(pipe, pipe.head);

    // include/linux/pipe_fs_i.h: pipe_buf_get
    /// <summary>Another reference to the buffer's page.</summary>
    public static bool pipe_buf_get(pipe_inode_info pipe, pipe_buffer buf) => buf.ops!.get(pipe, buf);

    // include/linux/pipe_fs_i.h: pipe_buf_release
    /// <summary>Drops the buffer's page reference and empties the slot (ops NULL).</summary>
    public static void pipe_buf_release(pipe_inode_info pipe, pipe_buffer buf)
    {
        var ops = buf.ops!;
        buf.ops = null;
        ops.release(pipe, buf);
    }

    // include/linux/pipe_fs_i.h: pipe_buf_confirm
    /// <summary>Whether the buffer's data is there to read (0: it is).</summary>
    public static int pipe_buf_confirm(pipe_inode_info pipe, pipe_buffer buf) => buf.ops!.confirm is { } c ? c(pipe, buf) : 0;
}
