// Ports include/linux/fdtable.h: struct files_struct, the descriptor table
// threads made with CLONE_FILES share, as far as fs/file.c's allocation
// reads it — the table itself and next_fd, the lowest descriptor that may be
// free (alloc_fd starts its search there).
//
// departure: the fdtable's bitmaps and fd array are a dictionary from
// descriptor to the object installed there (a socket, a file, an epoll
// instance); removing an entry lowers next_fd as __put_unused_fd does.
// not ported: close_on_exec (no exec), the RCU-resized fdtable (the
// dictionary grows by itself: expand_files), full_fds_bits.
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct files_struct: descriptor to object, and the next_fd search hint.</summary>
public sealed class files_struct : Dictionary<int, object>
{
    /// <summary>next_fd: every descriptor below it is in use (alloc_fd's search starts here).</summary>
    public int next_fd { get; set; }

    /// <summary>Frees <paramref name="fd"/>; like __put_unused_fd, lowers next_fd to it.</summary>
    [KernelNet.Annotations.NotInLinux("the dictionary's removal: __clear_open_fd plus __put_unused_fd's next_fd update")]
    public new bool Remove(int fd)
    {
        if (!base.Remove(fd))
        {
            return false;
        }

        if (fd < next_fd)
        {
            next_fd = fd;
        }

        return true;
    }

    /// <summary>Frees <paramref name="fd"/> and hands back what was installed there.</summary>
    [KernelNet.Annotations.NotInLinux("the dictionary's removal: __clear_open_fd plus __put_unused_fd's next_fd update")]
    public new bool Remove(int fd, out object value)
    {
        if (!base.Remove(fd, out value!))
        {
            return false;
        }

        if (fd < next_fd)
        {
            next_fd = fd;
        }

        return true;
    }
}
