// Ports mm/filemap.c: the page cache — adding a page to a file's cache
// (__filemap_add_folio, filemap_add_folio), finding one (filemap_get_entry),
// taking one out (filemap_remove_folio), the buffered write loop
// (generic_perform_write: a CPU copy from the user into each cache page),
// and handing cache pages to a pipe by reference (splice_folio_into_pipe).
//
// departure: a folio is one page here (order 0): tmpfs allocates no large
// folios in the port, so folio_size is PAGE_SIZE and the folio is its page.
// not ported: filemap_read/filemap_get_pages and readahead — the one file
// system, tmpfs, reads through its own shmem_file_read_iter; writeback,
// dirty accounting and LRU (tmpfs pages are not written back); the
// a_ops table (generic_perform_write calls tmpfs's write_begin/write_end).
// not ported: folio_nr_pages, folio_order, folio_size, offset_in_folio, folio_get, folio_put, folio_put_refs, folio_ref_add, folio_try_get — a folio is the port's order-0 page: one page, PAGE_SIZE bytes, its references taken and dropped with get_page/put_page (a page in the cache always has one, so a try-get cannot fail)
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.pipe_fs_i_h;

namespace KernelNet.Kernel.Mm;

public static class filemap_c
{
    // mm/filemap.c: __filemap_add_folio
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "filemap:mm_filemap_add_to_page_cache prints the backing device and the page frame number; tmpfs pages in the port have neither")]
    /// <summary>Puts <paramref name="folio"/> at <paramref name="index"/> of the cache; the cache takes a reference of its own.</summary>
    public static int __filemap_add_folio(address_space mapping, page folio, long index)
    {
        // not ported: shmem_mapping — it only chooses whether to charge the folio to the memcg (shmem folios are charged by shmem): no memcgs
        if (mapping.i_pages.ContainsKey(index))
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EEXIST;
        }

        mm_h.get_page(folio); // folio_ref_add(folio, nr)
        folio.mapping = mapping;
        folio.index = index;
        mapping.i_pages.Add(index, folio);
        mapping.nrpages++;
        return 0;
    }

    // not ported: folio_pgdat — no NUMA nodes or LRU lists: the folio is not put on an LRU (workingset refault accounting is not ported)
    // mm/filemap.c: filemap_add_folio
    /// <summary>Adds a new page to the cache (memcg charging and the LRU are not modelled).</summary>
    public static int filemap_add_folio(address_space mapping, page folio, long index) => __filemap_add_folio(mapping, folio, index);

    // mm/filemap.c: filemap_get_entry
    /// <summary>The cached page at <paramref name="index"/> with a reference for the caller, or null.</summary>
    public static page? filemap_get_entry(address_space mapping, long index)
    {
        if (!mapping.i_pages.TryGetValue(index, out var folio))
        {
            return null;
        }

        mm_h.get_page(folio); // folio_try_get
        return folio;
    }

    // mm/filemap.c: page_cache_delete
    /// <summary>Takes the page out of the cache's index.</summary>
    private static void page_cache_delete(address_space mapping, page folio)
    {
        mapping.i_pages.Remove(folio.index);
        folio.mapping = null;
        mapping.nrpages--;
    }

    // mm/filemap.c: filemap_remove_folio
    /// <summary>Removes the page from its file's cache and drops the cache's reference (filemap_free_folio); holders such as skb frags or pipe buffers keep the page alive.</summary>
    public static void filemap_remove_folio(page folio)
    {
        // not ported: inode_add_lru — no inode LRU (no reclaim)
        // not ported: filemap_free_folio — written as the put_page of the cache's reference, which is what it does for a mapping without free_folio
        // not ported: __filemap_remove_folio — its cache deletion is page_cache_delete, called directly (no shadow entries, no accounting)
        var mapping = folio.mapping!;
        page_cache_delete(mapping, folio);
        mm_h.put_page(folio); // filemap_free_folio: folio_put_refs(folio, nr)
    }

    // mm/filemap.c: generic_perform_write
    /// <summary>
    /// The buffered write: for each page the range touches, tmpfs's
    /// write_begin finds or allocates the cache page, the user's bytes are
    /// copied into it (the CPU copy of a @file write), write_end moves i_size.
    /// The bytes written (the position advanced), or the error if none.
    /// </summary>
    public static long generic_perform_write(Vmlinux k, kiocb iocb, iov_iter i)
    {
        // not ported: cond_resched — the write loop runs to completion: the simulated task is not preempted inside it
        // not ported: mapping_writably_mapped — the flush_dcache_folio it guards is a no-op on x86
        // not ported: fault_in_iov_iter_readable — the user's buffer is always present (no page faults on user memory), so the copy never comes up short for that reason
        var pos = iocb.ki_pos;
        var mapping = iocb.ki_filp.f_mapping;
        long chunk = mm_h.PAGE_SIZE; // mapping_max_folio_size: order-0 folios
        long status = 0;
        long written = 0;

        do
        {
            long bytes = uio_h.iov_iter_count(i);
            var offset = pos & (chunk - 1);
            bytes = System.Math.Min(chunk - offset, bytes);

            // balance_dirty_pages_ratelimited: tmpfs pages are not written back
            if (sched_h.signal_pending(k.current))
            {
                status = -Include.Uapi.AsmGeneric.errno_base_h.EINTR;
                break;
            }

            status = shmem_c.shmem_write_begin(k, mapping, pos, (int)bytes, out var folio);
            if (status < 0)
            {
                break;
            }

            // flush_dcache_folio: nothing to do on x86
            var copied = Lib.iov_iter_c.copy_folio_from_iter_atomic(k, folio!, (int)offset, (int)bytes, i);

            status = shmem_c.shmem_write_end(mapping, pos, (int)bytes, copied, folio!);
            if (status != copied)
            {
                Lib.iov_iter_c.iov_iter_revert(i, copied - (int)System.Math.Max(status, 0L));
                if (status < 0)
                {
                    break;
                }
            }

            if (status == 0)
            {
                // nothing copied: the user buffer faults (fault_in_iov_iter_readable finds no page)
                status = -Include.Uapi.AsmGeneric.errno_base_h.EFAULT;
                break;
            }

            pos += status;
            written += status;
        }
        while (uio_h.iov_iter_count(i) != 0);

        if (written == 0)
        {
            return status;
        }

        iocb.ki_pos += written;
        return written;
    }

    // mm/filemap.c: splice_folio_into_pipe
    /// <summary>
    /// Puts up to <paramref name="size"/> bytes of a cache page, from file
    /// position <paramref name="fpos"/>, into the pipe as buffers holding a
    /// page reference each (page_cache_pipe_buf_ops): no byte is copied. The bytes spliced.
    /// </summary>
    public static int splice_folio_into_pipe(pipe_inode_info pipe, page folio, long fpos, int size)
    {
        var spliced = 0;
        var offset = (int)(fpos & (mm_h.PAGE_SIZE - 1)); // offset_in_folio
        size = System.Math.Min(size, mm_h.PAGE_SIZE - offset);

        while (spliced < size && !pipe_is_full(pipe))
        {
            var buf = pipe_head_buf(pipe);
            var part = System.Math.Min(mm_h.PAGE_SIZE - offset, size - spliced);

            buf.clear();
            buf.ops = Fs.splice_c.page_cache_pipe_buf_ops;
            buf.page = folio;
            buf.offset = offset;
            buf.len = part;
            mm_h.get_page(folio); // folio_get
            pipe.head++;
            spliced += part;
            offset = 0;
        }

        return spliced;
    }
}
