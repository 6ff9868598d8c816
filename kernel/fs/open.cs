// Ports fs/open.c: open(2) (do_sys_open -> do_sys_openat2: the flags checked,
// a descriptor reserved, the path opened, the file installed), the open of
// an inode into a struct file (do_dentry_open: f_mode from the access mode,
// seekable files FMODE_LSEEK|FMODE_PREAD|FMODE_PWRITE, O_TRUNC truncating),
// ftruncate(2) (do_ftruncate) and close (filp_close).
//
// departure: the path walk (fs/namei.c path_openat, lookup_open) is the
// tmpfs mount's table from absolute path to inode (mm/shmem.cs); a name is
// found or, with O_CREAT, created there by shmem_create. Only "/dev/net/tun"
// is a character device; its open is the tun driver's.
// not ported: permissions, credentials and modes beyond the file type,
// openat's directory descriptors, O_PATH, O_TMPFILE, O_DIRECTORY, symlinks,
// fsnotify, file locks and leases at close.
// not ported: file_inode — a file's inode is its f_inode field, read directly
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Fs;

public static class open_c
{
    // fs/open.c: do_dentry_open
    /// <summary>A struct file on <paramref name="inode"/> with the mode of the open flags; a regular file seeks and takes positioned I/O.</summary>
    private static @file do_dentry_open(Vmlinux k, inode inode, int flags)
    {
        // not ported: filemap_invalidate_lock, filemap_invalidate_unlock, unmap_mapping_range — the O_DIRECT/large-folio page-cache invalidation on open for write; no O_DIRECT files here
        // not ported: iocb_flags — the kiocb flags are derived from f_flags where each kiocb is made
        // not ported: file_set_fsnotify_mode — no fsnotify (see the file header)
        // not ported: fops_get, fops_put — the file operations are static objects with no module to pin
        // not ported: file_get_write_access, i_readcount_inc — no write denial (ETXTBSY) or IMA read counting
        // not ported: S_ISREG, S_ISDIR, special_file — only regular tmpfs files reach it (directories are refused by do_sys_openat2, the tun device has its own open), so every file is seekable: the FMODE_ATOMIC_POS and special-file cases do not arise
        var f = new @file(inode, inode.i_fop!)
        {
            f_flags = flags & ~(fs_h.O_CREAT | fs_h.O_EXCL | fs_h.O_TRUNC),
        };

        // OPEN_FMODE: the access mode's read and write bits
        var acc = flags & fs_h.O_ACCMODE;
        if (acc == fs_h.O_RDONLY || acc == fs_h.O_RDWR)
        {
            f.f_mode |= fs_h.FMODE_READ;
        }

        if (acc == fs_h.O_WRONLY || acc == fs_h.O_RDWR)
        {
            f.f_mode |= fs_h.FMODE_WRITE;
        }

        f.f_mode |= fs_h.FMODE_LSEEK | fs_h.FMODE_PREAD | fs_h.FMODE_PWRITE;
        inode_c.ihold(inode);
        _ = k;

        // not ported: f_op->open — shmem_file_operations has only generic_file_open, which checks O_LARGEFILE
        return f;
    }

    // fs/open.c: do_sys_openat2
    /// <summary>
    /// open(2) of an absolute path: the name looked up in the tmpfs (created
    /// with O_CREAT, -EEXIST with O_EXCL when it is there), truncated with
    /// O_TRUNC, opened, and installed at the lowest free descriptor.
    /// -ENOENT, -EISDIR for a directory opened to write, -EMFILE.
    /// </summary>
    public static int do_sys_openat2(Vmlinux k, task_struct task, string filename, int flags, int mode)
    {
        // not ported: put_unused_fd — get_unused_fd_flags reserves nothing (see fs/file.cs), so an error leaves no descriptor to give back
        // not ported: getname — the path is a C# string, not a user pointer to copy in
        // not ported: build_open_flags — the flags are used as given: no O_PATH/O_TMPFILE/O_DIRECTORY or mode checks (see the file header)
        var fd = file_c.get_unused_fd_flags(task, flags);
        if (fd < 0)
        {
            return fd;
        }

        var names = k.globals<Mm.shmem_globals>().names;
        if (!names.TryGetValue(filename, out var inode))
        {
            if ((flags & fs_h.O_CREAT) == 0)
            {
                return -errno_base_h.ENOENT;
            }

            // lookup_open: the parent directory must exist
            var slash = filename.LastIndexOf('/');
            var parent = slash <= 0 ? "/" : filename[..slash];
            if (slash < 0 || !names.TryGetValue(parent, out var dir) || !Include.Uapi.Linux.stat_h.S_ISDIR(dir.i_mode))
            {
                return -errno_base_h.ENOENT;
            }

            inode = Mm.shmem_c.shmem_create(k, filename, mode & 0xfff);
        }
        else if ((flags & (fs_h.O_CREAT | fs_h.O_EXCL)) == (fs_h.O_CREAT | fs_h.O_EXCL))
        {
            return -errno_base_h.EEXIST;
        }

        if (Include.Uapi.Linux.stat_h.S_ISDIR(inode.i_mode))
        {
            // not ported: opening directories for getdents
            return (flags & fs_h.O_ACCMODE) != fs_h.O_RDONLY ? -errno_base_h.EISDIR : -errno_base_h.ENOENT;
        }

        if ((flags & fs_h.O_TRUNC) != 0 && (flags & fs_h.O_ACCMODE) != fs_h.O_RDONLY)
        {
            // handle_truncate -> do_truncate -> shmem_setattr
            Mm.shmem_c.shmem_setattr(inode, 0);
        }

        var f = do_dentry_open(k, inode, flags);
        file_c.fd_install(task, fd, f);
        return fd;
    }

    // not ported: build_open_how — the flags and mode are passed on as they are
    // fs/open.c: do_sys_open
    /// <summary>open(2) and creat(2) (O_CREAT|O_WRONLY|O_TRUNC).</summary>
    public static int do_sys_open(Vmlinux k, task_struct task, string filename, int flags, int mode) =>
        do_sys_openat2(k, task, filename, flags, mode);

    // fs/open.c: do_ftruncate
    /// <summary>ftruncate(2) of an open file: -EINVAL for a negative length or a file not open for writing or not regular.</summary>
    public static int do_ftruncate(@file file, long length)
    {
        // not ported: IS_APPEND — no append-only inode flag (chattr) is modelled
        // not ported: do_truncate, sb_start_write, sb_end_write, file_mnt_idmap — written as shmem_setattr on the new size, which do_truncate's notify_change reaches; no freeze protection or idmapped mounts
        if (length < 0 || (file.f_mode & fs_h.FMODE_WRITE) == 0 || !Include.Uapi.Linux.stat_h.S_ISREG(file.f_inode.i_mode))
        {
            return -errno_base_h.EINVAL;
        }

        return Mm.shmem_c.shmem_setattr(file.f_inode, length);
    }

    // fs/open.c: filp_close
    /// <summary>The descriptor's reference to the file is dropped (the last one releases it).</summary>
    public static int filp_close(Vmlinux k, @file filp)
    {
        // not ported: fput_close — written as fput, the reference drop fput_close makes
        // not ported: filp_flush — no flush operation and no locks (see the comment below)
        // filp_flush: no flush operation, no locks
        file_table_c.fput(k, filp);
        return 0;
    }
}
