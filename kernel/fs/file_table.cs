// Ports fs/file_table.c, the part a socket's file takes: the filp cache
// (files_init), a pseudo file and its dentry for a new socket
// (alloc_file_pseudo, alloc_empty_file), and their release on the last
// close (__fput: the release, then the dentry and the file freed).
//
// departure: the port has no struct file — a descriptor maps straight to
// its socket (net/socket.cs) — so the file is only its slab object, held
// by the socket (socket.filp_cachep) and freed with it.
// A struct file of a tmpfs file or a pipe end is counted (f_count): the
// last fput runs __fput, which calls the release and drops the inode.
// not ported: the RCU-deferred and task_work-deferred frees, nr_files,
// backing files.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Fs;

/// <summary>file_table.c's globals: filp_cachep, made at boot by files_init.</summary>
public sealed class file_table_globals
{
    public Mm.kmem_cache? filp_cachep { get; set; }
}

public static class file_table_c
{
    // fs/file_table.c: file_free
    /// <summary>The file's memory goes back to filp_cachep.</summary>
    private static void file_free(socket sock)
    {
        // not ported: backing_file, backing_file_user_path — no backing files (see the file header)
        if (sock.filp_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_free(cachep);
            sock.filp_cachep = null;
        }
    }

    // fs/file_table.c: alloc_empty_file
    /// <summary>A struct file from filp_cachep (the nr_files limit is not modelled).</summary>
    private static void alloc_empty_file(Vmlinux k, socket sock)
    {
        // not ported: init_file, kmem_cache_alloc, kmem_cache_free, get_nr_files, get_max_files — the file is its slab object counted through kmem_cache_alloc_noprof; no nr_files limit or credentials (see the file header)
        if (k.globals<file_table_globals>().filp_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cachep);
            sock.filp_cachep = cachep;
        }
    }

    // fs/file_table.c: alloc_file_pseudo
    /// <summary>The file sock_alloc_file gives a socket: a pseudo dentry ("TCP", "UDP"... on sockfs) and a file on it.</summary>
    public static void alloc_file_pseudo(Vmlinux k, socket sock)
    {
        // not ported: file_set_fsnotify_mode — no fsnotify
        // not ported: ihold — the socket's inode lives with the socket: no separate inode reference
        // not ported: alloc_path_pseudo, alloc_file — written out: d_alloc_pseudo for the dentry, then alloc_empty_file for the file
        dcache_c.d_alloc_pseudo(k, sock);
        alloc_empty_file(k, sock);
    }

    // fs/file_table.c: __fput
    /// <summary>The last reference to a socket's file: after the release (sock_close), the dentry is put and the file freed.</summary>
    public static void __fput(socket sock)
    {
        // not ported: dput, file_free, fops_put, S_ISCHR — for a socket this is __fput's tail (dentry and file freed); a tmpfs or pipe file is a managed object with no dentry, no module to unpin and no character-device count
        // not ported: eventpoll_release — __fput's head runs in the socket close path (net/socket.cs calls eventpoll_release, then the release, then this tail); tmpfs files and pipes are not watched by epoll here
        dcache_c.dentry_free(sock); // dput of the last reference
        file_free(sock);
    }

    // fs/file_table.c: files_init
    /// <summary>Boot (vfs_caches_init): the filp cache — struct file is 184 bytes in 6.18 on x86-64, cache-line aligned, RCU-safe with the free pointer in f_freeptr.</summary>
    public static void files_init(Vmlinux k)
    {
        // not ported: kmem_cache_create — written as __kmem_cache_create_args, which kmem_cache_create is for these arguments
        k.globals<file_table_globals>().filp_cachep = Mm.slab_common_c.__kmem_cache_create_args(
            k, "filp", 184, 0, slab_h.SLAB_HWCACHE_ALIGN | slab_h.SLAB_PANIC | slab_h.SLAB_ACCOUNT | slab_h.SLAB_TYPESAFE_BY_RCU, use_freeptr_offset: true);
    }

    // fs/file_table.c: __fput
    /// <summary>The last reference to a struct file: the file's release (a pipe end's pipe_release), then the inode reference dropped.</summary>
    private static void __fput(Vmlinux k, @file file)
    {
        // not ported: dput, file_free, fops_put, S_ISCHR — for a socket this is __fput's tail (dentry and file freed); a tmpfs or pipe file is a managed object with no dentry, no module to unpin and no character-device count
        // not ported: eventpoll_release — __fput's head runs in the socket close path (net/socket.cs calls eventpoll_release, then the release, then this tail); tmpfs files and pipes are not watched by epoll here
        file.f_op.release?.Invoke(k, file.f_inode, file);
        inode_c.iput(k, file.f_inode);
    }

    // fs/file_table.c: fput
    /// <summary>One holder of the file fewer; the last runs __fput (at once: there is no task_work to defer it to).</summary>
    public static void fput(Vmlinux k, @file file)
    {
        // not ported: __fput_deferred — the last reference runs __fput at once: the task_work and RCU deferrals are not ported (see the file header)
        if (--file.f_count == 0)
        {
            __fput(k, file);
        }
    }
}
