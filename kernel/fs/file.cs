// Ports fs/file.c: the descriptor table's allocation — the lowest free
// descriptor (get_unused_fd_flags, EMFILE at RLIMIT_NOFILE), installing a
// file there (fd_install), and looking one up (fget) and closing it
// (file_close_fd + filp_close).
//
// departure: the table is the task's descriptor array (task_struct.files,
// include/linux/fdtable.cs), shared by threads made with CLONE_FILES; a reserved
// descriptor is not held between get_unused_fd_flags and fd_install (one
// thread: nothing can take it in between).
// not ported: close-on-exec (no exec), the fdtable's growth and RCU.
// not ported: files_fdtable — the descriptor table is the task's files_struct (see the departure above), read directly
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Fs;

public static class file_c
{
    // fs/file.c: find_next_fd
    /// <summary>The first descriptor from <paramref name="start"/> on that nothing is installed at.</summary>
    private static int find_next_fd(files_struct files, int start)
    {
        var fd = start;
        while (files.ContainsKey(fd))
        {
            fd++;
        }

        return fd;
    }

    // fs/file.c: alloc_fd
    /// <summary>
    /// The lowest free descriptor in [<paramref name="start"/>, <paramref name="end"/>), searched from
    /// files->next_fd when that is higher (everything below it is in use), or -EMFILE. Departure: next_fd
    /// moves to the descriptor found, not past it — the port does not reserve the descriptor until
    /// fd_install (__set_open_fd), so a caller that gives up leaves it free and the hint stays true.
    /// </summary>
    private static int alloc_fd(task_struct task, int start, int end, int flags)
    {
        _ = flags; // O_CLOEXEC: close-on-exec has no meaning without exec
        var files = task.files;
        var fd = start;
        if (fd < files.next_fd)
        {
            fd = files.next_fd;
        }

        fd = find_next_fd(files, fd);
        if (fd >= end)
        {
            return -errno_base_h.EMFILE;
        }

        // not ported: expand_files — installing a descriptor past the array's end doubles it (files_struct, as expand_fdtable sizes it)
        // not ported: __set_open_fd — no reservation before fd_install (one thread: nothing can take it in between)
        if (start <= files.next_fd)
        {
            files.next_fd = fd;
        }

        return fd;
    }

    // not ported: __get_unused_fd_flags — written as alloc_fd from 0..RLIMIT_NOFILE, which it is (the port starts at 3: 0-2 are the standard streams)
    // fs/file.c: get_unused_fd_flags
    /// <summary>The lowest descriptor the task has free (from 3: 0-2 are the standard streams), or -EMFILE at RLIMIT_NOFILE.</summary>
    public static int get_unused_fd_flags(task_struct task, int flags) =>
        alloc_fd(task, 3, task.rlimit_nofile, flags);

    // fs/file.c: fd_install
    /// <summary>Puts <paramref name="f"/> at descriptor <paramref name="fd"/>; the table takes the caller's reference.</summary>
    public static void fd_install(task_struct task, int fd, object f) => task.files[fd] = f;

    // not ported: __fget — written out: the object at fd, when it is a struct file; no reference is taken (no file reference counts here)
    // fs/file.c: fget
    /// <summary>The struct file at <paramref name="fd"/>, or null when the descriptor is free or is not a struct file (a socket, an epoll instance).</summary>
    public static @file? fget(task_struct task, int fd) => task.files.TryGetValue(fd, out var f) ? f as @file : null;

    // fs/file.c: file_close_fd
    /// <summary>Takes the file out of the table; null when the descriptor was free.</summary>
    public static object? file_close_fd(task_struct task, int fd)
    {
        // not ported: file_close_fd_locked — written out: the entry is removed from the table (one thread, so no file_lock)
        if (!task.files.Remove(fd, out var f))
        {
            return null;
        }

        return f;
    }
}
