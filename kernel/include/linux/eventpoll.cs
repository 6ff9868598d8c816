// Ports include/linux/eventpoll.h: what the rest of the kernel calls of
// epoll — whether an epoll_ctl operation carries an event, the release hook __fput runs for a file some epoll watches, and
// the copy of one ready event to user memory.
using System;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Linux;

public static class eventpoll_h
{
    // include/linux/eventpoll.h: ep_op_has_event
    /// <summary>Every epoll_ctl operation but EPOLL_CTL_DEL carries an event.</summary>
    public static bool ep_op_has_event(int op) => op != Uapi.Linux.eventpoll_h.EPOLL_CTL_DEL;

    // include/linux/eventpoll.h: eventpoll_release
    /// <summary>__fput's call: only a file some epoll watches has anything to release.</summary>
    public static void eventpoll_release(socket file)
    {
        if (file.f_ep is not { Count: > 0 } || file.sk is not { } sk)
        {
            return;
        }

        Fs.eventpoll_c.eventpoll_release_file(sk.sk_net.k, file);
    }

    // include/linux/eventpoll.h: epoll_put_uevent
    /// <summary>Writes one struct epoll_event at slot <paramref name="slot"/> of the user's array and advances it; false on a fault.</summary>
    public static bool epoll_put_uevent(uint revents, ulong data, byte[] uevent, ref int slot)
    {
        var off = slot * epoll_event.Size;
        if (off + epoll_event.Size > uevent.Length)
        {
            return false;
        }

        var e = new epoll_event(uevent.AsSpan(off, epoll_event.Size))
        {
            events = revents,
            data = data,
        };
        _ = e;
        slot++;
        return true;
    }
}
