// Ports include/linux/poll.h: the poll table a file's poll method is handed
// (poll_wait hooks the caller onto the file's wait queue through _qproc),
// what select/poll keep per call (poll_wqueues, poll_table_entry), and the
// mapping between the poll(2) bits and the EPOLL* bits.
//
// departure: the port has no struct file — the object a descriptor holds is
// the file (a socket, an eventpoll) — so vfs_poll chooses f_op->poll by
// what that object is.
// not ported: the inline entry array and the poll_table_page chain (a list
// of entries here), select's fd_set bits, the stack-allocation sizes.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Uapi.Linux.eventpoll_h;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>poll_queue_proc: hooks the caller onto <c>whead</c>, the wait queue of <c>file</c>.</summary>
public delegate void poll_queue_proc(object file, wait_queue_head whead, poll_table_struct p);

/// <summary>struct poll_table_struct (poll_table).</summary>
public sealed class poll_table_struct
{
    /// <summary>The queueing function; null once the caller needs no more wait queue entries.</summary>
    public poll_queue_proc? _qproc { get; set; }

    /// <summary>The events the caller asks about (~0: all).</summary>
    public uint _key { get; set; }

    /// <summary>The structure this table is embedded in (container_of: ep_pqueue, poll_wqueues).</summary>
    public object? container { get; set; }
}

/// <summary>struct poll_table_entry: one wait queue entry poll(2) hung on one file.</summary>
public sealed class poll_table_entry
{
    public poll_table_entry(object filp, uint key, wait_queue_entry wait, wait_queue_head wait_address, poll_wqueues wait_private)
    {
        this.filp = filp;
        this.key = key;
        this.wait = wait;
        this.wait_address = wait_address;
        this.wait_private = wait_private;
    }

    public object filp { get; }

    public uint key { get; }

    public wait_queue_entry wait { get; }

    public wait_queue_head wait_address { get; }

    /// <summary>wait.private: the call the entry belongs to (wait_queue_entry's private is typed as a task in the port).</summary>
    public poll_wqueues wait_private { get; }
}

/// <summary>struct poll_wqueues: the state of one poll(2) call.</summary>
public sealed class poll_wqueues
{
    public poll_wqueues(task_struct polling_task)
    {
        this.polling_task = polling_task;
        pt = new poll_table_struct { container = this };
    }

    public poll_table_struct pt { get; }

    /// <summary>The entries hung on wait queues (inline_entries and the table pages in C).</summary>
    public List<poll_table_entry> table { get; } = new();

    public task_struct polling_task { get; }

    /// <summary>Set by pollwake: an event came since the last scan.</summary>
    public int triggered { get; set; }

    public int error { get; set; }
}

public static class poll_h
{
    /// <summary>DEFAULT_POLLMASK: what a file without a poll method always reports.</summary>
    public const uint DEFAULT_POLLMASK = EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM;

    // include/linux/poll.h: poll_wait
    /// <summary>Hooks the caller onto <paramref name="wait_address"/> if the table still queues (_qproc set).</summary>
    public static void poll_wait(object filp, wait_queue_head wait_address, poll_table_struct? p)
    {
        if (p?._qproc is { } qproc)
        {
            qproc(filp, wait_address, p);

            // smp_mb(): pairs with wq_has_sleeper on the waking side (one thread: nothing to order).
        }
    }

    // include/linux/poll.h: poll_requested_events
    public static uint poll_requested_events(poll_table_struct? p) => p is not null ? p._key : ~0U;

    // include/linux/poll.h: init_poll_funcptr
    /// <summary>A table with <paramref name="qproc"/> (null: poll without queueing) asking about every event.</summary>
    public static void init_poll_funcptr(poll_table_struct pt, poll_queue_proc? qproc)
    {
        pt._qproc = qproc;
        pt._key = ~0U;
    }

    // include/linux/poll.h: file_can_poll
    /// <summary>The file has a poll method: sockets (sock_poll) and epoll files (ep_eventpoll_poll).</summary>
    public static bool file_can_poll(object file) => file is socket || file is Fs.eventpoll;

    // include/linux/poll.h: vfs_poll
    /// <summary>f_op->poll of the file: sock_poll for a socket, ep_eventpoll_poll for an epoll file; DEFAULT_POLLMASK for a file without one.</summary>
    public static uint vfs_poll(Vmlinux k, object file, poll_table_struct? pt) => file switch
    {
        socket => KernelNet.Kernel.Net.socket_c.sock_poll(file, pt),
        Fs.eventpoll => Fs.eventpoll_c.ep_eventpoll_poll(k, file, pt),
        _ => DEFAULT_POLLMASK, // tun_chr_poll is not ported: a tun file polls as always ready
    };

    // not ported: M, __MAP — POLL* and EPOLL* bits coincide on x86, so the mapping is a mask
    // include/linux/poll.h: mangle_poll
    /// <summary>EPOLL* bits to poll(2)'s POLL* bits: on x86-64 they are the same numbers, so the mapping keeps the 12 defined bits.</summary>
    public static ushort mangle_poll(uint val) =>
        (ushort)(val & (EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLERR | EPOLLNVAL | EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND | EPOLLHUP | EPOLLRDHUP | EPOLLMSG));

    // not ported: M, __MAP — POLL* and EPOLL* bits coincide on x86, so the mapping is a mask
    // include/linux/poll.h: demangle_poll
    /// <summary>poll(2)'s POLL* bits to EPOLL* bits (the same numbers on x86-64).</summary>
    public static uint demangle_poll(ushort val) =>
        val & (uint)(Uapi.AsmGeneric.poll_h.POLLIN | Uapi.AsmGeneric.poll_h.POLLOUT | Uapi.AsmGeneric.poll_h.POLLPRI | Uapi.AsmGeneric.poll_h.POLLERR | Uapi.AsmGeneric.poll_h.POLLNVAL | Uapi.AsmGeneric.poll_h.POLLRDNORM | Uapi.AsmGeneric.poll_h.POLLRDBAND |
                     Uapi.AsmGeneric.poll_h.POLLWRNORM | Uapi.AsmGeneric.poll_h.POLLWRBAND | Uapi.AsmGeneric.poll_h.POLLHUP | Uapi.AsmGeneric.poll_h.POLLRDHUP | Uapi.AsmGeneric.poll_h.POLLMSG);
}
