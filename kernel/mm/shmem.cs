// Ports mm/shmem.c as far as regular tmpfs files need: inodes
// (shmem_get_inode), the page lookup that allocates on write
// (shmem_get_folio_gfp), the buffered write's begin/end, read(2)
// (shmem_file_read_iter: a CPU copy from each cache page to the user),
// write(2) (shmem_file_write_iter -> generic_perform_write), splice out of
// the cache by page reference (shmem_file_splice_read), seeking, mmap and its
// fault handler, truncation (shmem_setattr, shmem_undo_range) and the
// directory operations create and unlink.
//
// departure: one tmpfs is mounted at / (with /tmp); a directory's entries are
// the mount's table from path to inode (the dcache and simple_offset of C
// are not ported), so only flat names under existing directories exist.
// not ported: swap, huge pages, seals, xattrs, quotas, fallocate, holes
// punched (SEEK_DATA/SEEK_HOLE), memory accounting (shmem_acct_*), the
// size and inode limits of a mount.
// not ported: folio_put, folio_unlock, folio_size, folio_order, folio_nr_pages, offset_in_folio — a folio is the port's order-0 page: its reference is dropped with put_page, its size is PAGE_SIZE, and there is no page lock to take (one thread)
// not ported: SHMEM_SB, shmem_inode_acct_blocks, shmem_inode_unacct_blocks, shmem_recalc_inode, shmem_unacct_size, shmem_reacct_size, shmem_free_inode — no per-mount size/inode limits or memory accounting (see above)
// not ported: cond_resched — the port's read/write loops run to completion: the simulated task is never preempted inside them
// not ported: inode_lock, inode_unlock — one thread: i_rwsem has nothing to exclude
// not ported: inode_set_ctime_current, inode_set_mtime_to_ts, inode_set_ctime_to_ts, inode_get_ctime, file_update_time, file_accessed — inode times are not kept (stat reports no times)
// not ported: shmem_swapin_folio, shmem_confirm_swap, shmem_free_swap — no swap
// not ported: IS_CASEFOLDED, generic_ci_validate_strict_name, shmem_get_offset_ctx, d_add, d_instantiate, d_invalidate, dput — no casefolding, and a name is the mount's path-to-inode table entry, not a dentry (see the departure above)
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.fs_h;
using static KernelNet.Kernel.Include.Linux.pipe_fs_i_h;

namespace KernelNet.Kernel.Mm;

/// <summary>The tmpfs mounted at /: its names (path to inode; directories are inodes with S_IFDIR) and the zero page.</summary>
public sealed class shmem_globals
{
    public Dictionary<string, inode> names { get; } = new(System.StringComparer.Ordinal);

    /// <summary>ZERO_PAGE(0): the shared page of zeros holes read as.</summary>
    public page? zero_page { get; set; }
}

public static class shmem_c
{
    /// <summary>enum sgp_type: what shmem_get_folio may do about a missing page.</summary>
    public const int SGP_READ = 0;
    public const int SGP_NOALLOC = 1;
    public const int SGP_CACHE = 2;
    public const int SGP_WRITE = 3;
    public const int SGP_FALLOC = 4;

    /// <summary>shmem_file_operations: tmpfs's regular files.</summary>
    private static file_operations shmem_file_operations { get; } = new()
    {
        mmap = shmem_mmap,
        llseek = shmem_file_llseek,
        read_iter = shmem_file_read_iter,
        write_iter = shmem_file_write_iter,
        splice_read = shmem_file_splice_read,
        splice_write = Fs.splice_c.iter_file_splice_write,
    };

    /// <summary>shmem_vm_ops: a mapping of a named tmpfs file faults its pages in from the cache.</summary>
    private static vm_operations_struct shmem_vm_ops { get; } = new() { fault = shmem_fault };

    // mm/shmem.c: shmem_get_inode
    /// <summary>A new tmpfs inode of <paramref name="mode"/>: one link, empty, its operations by type.</summary>
    private static inode shmem_get_inode(Vmlinux k, int mode)
    {
        // not ported: __shmem_get_inode, iput — the inode is built inline (there is no failing step to unwind)
        var inode = new inode
        {
            i_ino = Fs.inode_c.get_next_ino(k),
            i_mode = mode,
            i_nlink = 1,
        };
        if (Include.Uapi.Linux.stat_h.S_ISREG(mode))
        {
            inode.i_fop = shmem_file_operations;
        }
        else if (Include.Uapi.Linux.stat_h.S_ISDIR(mode))
        {
            inode.i_nlink = 2;
        }

        return inode;
    }

    // mm/shmem.c: shmem_alloc_and_add_folio
    /// <summary>A new zeroed page added to the cache at <paramref name="index"/>: one reference the cache's, one the caller's.</summary>
    private static page shmem_alloc_and_add_folio(Vmlinux k, inode inode, long index)
    {
        // not ported: filemap_remove_folio — the error unwind after a failed add; adding to the port's cache cannot fail
        // not ported: shmem_suitable_orders, shmem_unused_huge_shrink — no huge pages
        // not ported: shmem_alloc_folio, shmem_add_to_page_cache — the page comes from alloc_pages and enters the cache through filemap_add_folio, the steps these two take for an order-0 page
        // departure: __GFP_ZERO, where shmem_get_folio_gfp and shmem_write_end clear the parts of a
        // new (not uptodate) page that nothing wrote: a page off the free lists holds its last user's bytes
        var folio = gfp_h.alloc_pages(k, gfp_h.__GFP_ZERO, 0)!;
        filemap_c.filemap_add_folio(inode.i_mapping, folio, index);
        return folio;
    }

    // mm/shmem.c: shmem_get_folio_gfp
    /// <summary>
    /// The cache page at <paramref name="index"/>, with a reference for the
    /// caller. A missing page is a hole for SGP_READ (folio null, 0) and is
    /// allocated for SGP_CACHE/SGP_WRITE; reading or faulting at or past the
    /// end of the file is -EINVAL.
    /// </summary>
    private static int shmem_get_folio_gfp(Vmlinux k, inode inode, long index, long write_end, out page? foliop, int sgp)
    {
        // not ported: shmem_mapping, filemap_remove_folio — the swap-entry and unwind paths; there is no swap and allocation cannot fail
        // not ported: limit_gfp_mask, shmem_allowable_huge_orders — no huge pages and no gfp masks
        _ = write_end; // huge page sizing: order-0 pages only
        foliop = null;
        if (index > (MAX_LFS_FILESIZE >> mm_h.PAGE_SHIFT))
        {
            return -errno_base_h.EFBIG;
        }

        if (sgp <= SGP_CACHE && (index << mm_h.PAGE_SHIFT) >= i_size_read(inode))
        {
            return -errno_base_h.EINVAL;
        }

        var folio = filemap_c.filemap_get_entry(inode.i_mapping, index);
        if (folio is not null)
        {
            foliop = folio;
            return 0;
        }

        // a hole: SGP_READ and SGP_NOALLOC leave it one
        if (sgp == SGP_READ || sgp == SGP_NOALLOC)
        {
            return 0;
        }

        foliop = shmem_alloc_and_add_folio(k, inode, index);
        return 0;
    }

    // mm/shmem.c: shmem_get_folio
    public static int shmem_get_folio(Vmlinux k, inode inode, long index, long write_end, out page? foliop, int sgp) =>
        shmem_get_folio_gfp(k, inode, index, write_end, out foliop, sgp);

    // mm/shmem.c: shmem_write_begin
    /// <summary>The page a buffered write of <paramref name="len"/> bytes at <paramref name="pos"/> copies into, allocated if need be.</summary>
    public static int shmem_write_begin(Vmlinux k, address_space mapping, long pos, int len, out page? foliop)
    {
        // not ported: folio_put, folio_unlock — the error path for a write past the seals; no seals
        _ = k; // seals are not ported
        var index = pos >> mm_h.PAGE_SHIFT;
        return shmem_get_folio(k, mapping.host, index, pos + len, out foliop, SGP_WRITE);
    }

    // mm/shmem.c: shmem_write_end
    /// <summary>After the copy: i_size grows to cover it, the page is dirty; the write_begin reference is dropped. The bytes copied.</summary>
    public static long shmem_write_end(address_space mapping, long pos, int len, int copied, page folio)
    {
        _ = len;
        var inode = mapping.host;
        if (pos + copied > inode.i_size)
        {
            i_size_write(inode, pos + copied);
        }

        // folio_zero_segments, folio_mark_uptodate, folio_mark_dirty: a new page is zeroed already; no writeback
        mm_h.put_page(folio); // folio_put
        return copied;
    }

    // mm/shmem.c: shmem_file_read_iter
    /// <summary>
    /// read(2) of a tmpfs file: page by page up to the end of the file, each
    /// cache page copied to the user (copy_page_to_iter: the CPU copy of a file
    /// read), a hole read as the zero page. The bytes read, or -EFAULT.
    /// </summary>
    private static Task<long> shmem_file_read_iter(Vmlinux k, kiocb iocb, iov_iter to)
    {
        // not ported: mapping_writably_mapped — the flush_dcache_folio it guards is a no-op on x86
        // not ported: copy_folio_to_iter — each page is copied to the iov_iter by copy_page_to_iter, which a single page makes the same copy
        var inode = file_inode(iocb.ki_filp);
        var error = 0;
        long retval = 0;

        for (;;)
        {
            var i_size = i_size_read(inode);
            if (iocb.ki_pos >= i_size)
            {
                break;
            }

            var index = iocb.ki_pos >> mm_h.PAGE_SHIFT;
            error = shmem_get_folio(k, inode, index, 0, out var folio, SGP_READ);
            if (error != 0)
            {
                if (error == -errno_base_h.EINVAL)
                {
                    error = 0;
                }

                break;
            }

            // reads race truncate without i_rwsem: the size again
            i_size = i_size_read(inode);
            if (iocb.ki_pos >= i_size)
            {
                if (folio is not null)
                {
                    mm_h.put_page(folio);
                }

                break;
            }

            var end_offset = System.Math.Min(i_size, iocb.ki_pos + to.count);
            var fsize = mm_h.PAGE_SIZE;
            var offset = (int)(iocb.ki_pos & (fsize - 1));
            var nr = (int)System.Math.Min(end_offset - iocb.ki_pos, fsize - offset);
            int ret;

            if (folio is not null)
            {
                // flush_dcache_folio when writably mapped, folio_mark_accessed: nothing to do here
                ret = Lib.iov_iter_c.copy_page_to_iter(k, folio, offset, nr, to);
                mm_h.put_page(folio);
            }
            else if (uio_h.user_backed_iter(to))
            {
                // the zero page is copied, rather than the user buffer cleared
                ret = Lib.iov_iter_c.copy_page_to_iter(k, ZERO_PAGE(k), offset, nr, to);
            }
            else
            {
                ret = Lib.iov_iter_c.iov_iter_zero(nr, to);
            }

            retval += ret;
            iocb.ki_pos += ret;

            if (uio_h.iov_iter_count(to) == 0)
            {
                break;
            }

            if (ret < nr)
            {
                error = -errno_base_h.EFAULT;
                break;
            }
        }

        // file_accessed: atime is not kept
        return Task.FromResult(retval != 0 ? retval : error);
    }

    // mm/shmem.c: shmem_file_write_iter
    /// <summary>write(2) to a tmpfs file: the checks (O_APPEND writes at the end), then the buffered write.</summary>
    private static Task<long> shmem_file_write_iter(Vmlinux k, kiocb iocb, iov_iter from)
    {
        // not ported: file_remove_privs — no setuid/setgid bits or security capabilities to strip
        // inode_lock: one thread
        long ret = Fs.read_write_c.generic_write_checks(iocb, from);
        if (ret <= 0)
        {
            return Task.FromResult(ret);
        }

        // file_remove_privs, file_update_time: no ownership or timestamps
        return Task.FromResult(filemap_c.generic_perform_write(k, iocb, from));
    }

    /// <summary>ZERO_PAGE(0) (arch/x86): the one page of zeros, made on first use.</summary>
    [KernelNet.Annotations.NotInLinux("ZERO_PAGE is arch/x86's macro over empty_zero_page; the port makes the page on first use")]
    private static page ZERO_PAGE(Vmlinux k)
    {
        var g = k.globals<shmem_globals>();
        return g.zero_page ??= gfp_h.alloc_pages(k, gfp_h.__GFP_ZERO, 0)!;
    }

    // mm/shmem.c: zero_pipe_buf_get
    private static bool zero_pipe_buf_get(pipe_inode_info pipe, pipe_buffer buf) => true;

    // mm/shmem.c: zero_pipe_buf_release
    private static void zero_pipe_buf_release(pipe_inode_info pipe, pipe_buffer buf)
    {
        // the zero page is never freed
    }

    // mm/shmem.c: zero_pipe_buf_try_steal
    private static bool zero_pipe_buf_try_steal(pipe_inode_info pipe, pipe_buffer buf) => false;

    /// <summary>zero_pipe_buf_ops: buffers over the zero page, which nobody takes a reference to.</summary>
    private static pipe_buf_operations zero_pipe_buf_ops { get; } = new()
    {
        release = zero_pipe_buf_release,
        try_steal = zero_pipe_buf_try_steal,
        get = zero_pipe_buf_get,
    };

    // mm/shmem.c: splice_zeropage_into_pipe
    /// <summary>A hole spliced into the pipe: a buffer over the zero page, up to the end of that page.</summary>
    private static int splice_zeropage_into_pipe(Vmlinux k, pipe_inode_info pipe, long fpos, int size)
    {
        var offset = (int)(fpos & (mm_h.PAGE_SIZE - 1));
        size = System.Math.Min(size, mm_h.PAGE_SIZE - offset);

        if (!pipe_is_full(pipe))
        {
            var buf = pipe_head_buf(pipe);
            buf.clear();
            buf.ops = zero_pipe_buf_ops;
            buf.page = ZERO_PAGE(k);
            buf.offset = offset;
            buf.len = size;
            pipe.head++;
        }

        return size;
    }

    // mm/shmem.c: shmem_file_splice_read
    /// <summary>
    /// Splices file bytes from *<paramref name="ppos"/> into the pipe by
    /// reference to the cache pages (splice_folio_into_pipe), holes as the
    /// zero page — no byte is copied. Limited by the room in the pipe and the
    /// end of the file; the bytes spliced (0 at the end), *ppos advanced.
    /// </summary>
    private static Task<long> shmem_file_splice_read(Vmlinux k, @file @in, StrongBox<long> ppos, pipe_inode_info pipe, int len, uint flags)
    {
        // not ported: mapping_writably_mapped — the flush_dcache_folio it guards is a no-op on x86
        var inode = file_inode(@in);
        long total_spliced = 0;
        var error = 0;

        // what the pipe has room for
        var used = pipe_buf_usage(pipe);
        var npages = System.Math.Max((long)pipe.max_usage - used, 0);
        len = (int)System.Math.Min(len, npages * mm_h.PAGE_SIZE);

        do
        {
            if (ppos.Value >= i_size_read(inode))
            {
                break;
            }

            var index = ppos.Value >> mm_h.PAGE_SHIFT;
            error = shmem_get_folio(k, inode, index, 0, out var folio, SGP_READ);
            if (error != 0)
            {
                if (error == -errno_base_h.EINVAL)
                {
                    error = 0;
                }

                break;
            }

            var isize = i_size_read(inode);
            if (ppos.Value >= isize)
            {
                if (folio is not null)
                {
                    mm_h.put_page(folio);
                }

                break;
            }

            var part = (int)System.Math.Min(isize - ppos.Value, len);
            int n;
            if (folio is not null)
            {
                n = filemap_c.splice_folio_into_pipe(pipe, folio, ppos.Value, part);
                mm_h.put_page(folio);
            }
            else
            {
                n = splice_zeropage_into_pipe(k, pipe, ppos.Value, part);
            }

            if (n == 0)
            {
                break;
            }

            len -= n;
            total_spliced += n;
            ppos.Value += n;
            if (pipe_is_full(pipe))
            {
                break;
            }
        }
        while (len != 0);

        return Task.FromResult(total_spliced != 0 ? total_spliced : error);
    }

    // not ported: mapping_seek_hole_data — no SEEK_DATA/SEEK_HOLE (see above)
    // not ported: vfs_setpos — SEEK_SET/CUR/END go through generic_file_llseek_size, which sets f_pos
    // mm/shmem.c: shmem_file_llseek
    /// <summary>lseek(2) on a tmpfs file: SEEK_SET/CUR/END as generic_file_llseek_size does (SEEK_DATA/SEEK_HOLE are not ported: -EINVAL).</summary>
    private static long shmem_file_llseek(Vmlinux k, @file file, long offset, int whence) =>
        Fs.read_write_c.generic_file_llseek_size(file, offset, whence, MAX_LFS_FILESIZE, i_size_read(file.f_inode));

    // mm/shmem.c: shmem_mmap
    /// <summary>mmap of a tmpfs file: its pages fault in from the cache (shmem_vm_ops).</summary>
    private static int shmem_mmap(Vmlinux k, @file file, vm_area_struct vma)
    {
        // not ported: file_inode — the mapping is reached through the file's f_mapping
        // file_accessed; an unlinked file is anonymous shared memory (shmem_anon_vm_ops): the same fault here
        vma.vm_ops = shmem_vm_ops;
        return 0;
    }

    // mm/shmem.c: shmem_fault
    /// <summary>A fault on a tmpfs mapping: the cache page at the fault's offset (allocated for a hole), referenced and locked; SIGBUS past the end of the file.</summary>
    private static int shmem_fault(Vmlinux k, vm_fault vmf)
    {
        // not ported: vmf_error — the port's errors (-EINVAL past the end, -EFBIG) are all VM_FAULT_SIGBUS, which vmf_error gives for anything but -ENOMEM; allocation cannot fail
        // not ported: shmem_falloc_wait — no fallocate hole punching to wait for
        var inode = file_inode(vmf.vma.vm_file!);
        var err = shmem_get_folio_gfp(k, inode, vmf.pgoff, 0, out var folio, SGP_CACHE);
        if (err != 0)
        {
            return mm_h.VM_FAULT_SIGBUS; // vmf_error
        }

        vmf.page = folio;
        return mm_h.VM_FAULT_LOCKED;
    }

    // mm/shmem.c: shmem_undo_range
    /// <summary>Drops the cache pages wholly inside [lstart, lend] and zeroes the partial page at lstart; pages held elsewhere (skb frags, pipes) live on.</summary>
    private static void shmem_undo_range(inode inode, long lstart, long lend)
    {
        // not ported: find_lock_entries, find_get_entries, shmem_get_partial_folio — the port walks the cache's index table directly (no xarray batches)
        var mapping = inode.i_mapping;
        var start = (lstart + mm_h.PAGE_SIZE - 1) >> mm_h.PAGE_SHIFT;
        var end = lend == -1 ? long.MaxValue : (lend + 1) >> mm_h.PAGE_SHIFT;

        // a partial first page keeps its head and loses its tail
        var partial_start = (int)(lstart & (mm_h.PAGE_SIZE - 1));
        if (partial_start != 0 && mapping.i_pages.TryGetValue(lstart >> mm_h.PAGE_SHIFT, out var head))
        {
            head.mem.AsSpan(partial_start, mm_h.PAGE_SIZE - partial_start).Clear(); // folio_zero_range
        }

        var victims = new List<page>();
        foreach (var (index, folio) in mapping.i_pages)
        {
            if (index >= start && index < end)
            {
                victims.Add(folio);
            }
        }

        foreach (var folio in victims)
        {
            filemap_c.filemap_remove_folio(folio); // truncate_inode_folio
        }
    }

    // mm/shmem.c: shmem_truncate_range
    public static void shmem_truncate_range(inode inode, long lstart, long lend) => shmem_undo_range(inode, lstart, lend);

    // mm/shmem.c: shmem_setattr
    /// <summary>ftruncate/O_TRUNC: the new size, and the pages past it dropped when it shrinks.</summary>
    public static int shmem_setattr(inode inode, long newsize)
    {
        // not ported: unmap_mapping_range — mappings keep their ptes (see the comment below)
        // not ported: S_ISREG, i_uid_needs_update, i_gid_needs_update — only a size change (ftruncate/O_TRUNC) reaches it: no chown, and only regular files are truncated
        var oldsize = inode.i_size;
        if (newsize != oldsize)
        {
            i_size_write(inode, newsize);
        }

        if (newsize <= oldsize)
        {
            // unmap_mapping_range of the part past the end: mappings keep their ptes here (not ported)
            shmem_truncate_range(inode, newsize, -1);
        }

        return 0;
    }

    // mm/shmem.c: shmem_evict_inode
    /// <summary>The inode's last reference and name are gone: its whole page cache is dropped.</summary>
    public static void shmem_evict_inode(Vmlinux k, inode inode)
    {
        // not ported: shmem_mapping, clear_inode — the inode object is simply dropped: it has no other address-space operations or state to clear
        _ = k;
        inode.i_size = 0;
        shmem_truncate_range(inode, 0, -1);
    }

    // mm/shmem.c: shmem_mknod
    /// <summary>A new inode under <paramref name="path"/> in the mount (the directory must exist: the caller looked it up).</summary>
    private static inode shmem_mknod(Vmlinux k, string path, int mode)
    {
        // not ported: inode_set_ctime_current, inode_set_mtime_to_ts — directory times are not kept
        // not ported: iput — nothing fails after the inode is created
        var inode = shmem_get_inode(k, mode);
        k.globals<shmem_globals>().names[path] = inode; // d_instantiate, dget: the name holds the first reference
        return inode;
    }

    // mm/shmem.c: shmem_create
    /// <summary>The create of open(O_CREAT): a regular file.</summary>
    public static inode shmem_create(Vmlinux k, string path, int mode) => shmem_mknod(k, path, mode | Include.Uapi.Linux.stat_h.S_IFREG);

    // not ported: inc_nlink — link counts are not kept: a name holds the inode (see the departure above)
    // mm/shmem.c: shmem_mkdir
    public static inode shmem_mkdir(Vmlinux k, string path, int mode) => shmem_mknod(k, path, mode | Include.Uapi.Linux.stat_h.S_IFDIR);

    // mm/shmem.c: shmem_unlink
    /// <summary>Removes the name: one link fewer and the name's reference dropped (dput); open files and mappings keep the inode.</summary>
    public static int shmem_unlink(Vmlinux k, string path, inode inode)
    {
        // not ported: S_ISDIR, shmem_free_inode — link counts are not kept: the name is removed from the mount's table and the inode lives while referenced
        k.globals<shmem_globals>().names.Remove(path); // simple_offset_remove
        Fs.inode_c.drop_nlink(inode);
        Fs.inode_c.iput(k, inode); // dput of the last dentry reference
        return 0;
    }

    // mm/shmem.c: shmem_init
    /// <summary>Boot: tmpfs mounted at / with a /tmp directory (what init and systemd leave for user programs).</summary>
    public static void shmem_init(Vmlinux k)
    {
        // not ported: shmem_init_inodecache, shmem_destroy_inodecache, tmpfs_sysfs_init — no slab caches or sysfs: inodes are managed objects
        shmem_mkdir(k, "/", 0x1ed);
        shmem_mkdir(k, "/tmp", 0x3ff);
    }
}
