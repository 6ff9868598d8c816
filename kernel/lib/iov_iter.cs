// Ports lib/iov_iter.c: pinning the user pages under an iovec iterator
// (iov_iter_get_pages2), for MSG_ZEROCOPY.
//
// The port's iterator is the msghdr itself: the user's iovecs laid end to
// end in iov_base, iov_offset how far it has advanced, iov_segs the iovec
// lengths. departure: user memory is not an address space here. The bytes
// are the syscall's copy of the iovecs (kernel/sim/SyscallTable's
// copy_msghdr_from_user), and a user page is a struct page made on the first
// pin of that part of an iovec, holding the iovec's bytes at their page
// offsets; every iovec starts on a page of its own (malloc'd buffers in a
// real task share pages, which only decides whether two iovecs can share a
// frag; the kernel never merges frags across iovecs anyway unless their bytes
// are contiguous). The pin is a page reference (get_user_pages_fast's
// FOLL_GET); the task's own mapping of the page holds none here, so the page
// lives as long as the skbs that pinned it.
//
// not ported: the other iterator kinds (kvec, bvec, folioq, xarray,
// discard), iov_iter_get_pages_alloc2, copy_page_from_iter (the callers copy
// from iov_base directly).
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Lib;

public static class iov_iter_c
{
    /// <summary>Where the iterator stands: the iovec (segment), its start in iov_base, and the offset into it.</summary>
    [KernelNet.Annotations.NotInLinux("the port's iovec iterator keeps offsets into one buffer: which iovec the offset is in")]
    private static (int Seg, int SegStart, int SegLen, int Off) current_segment(msghdr i)
    {
        var segs = i.iov_segs;
        if (segs is null)
        {
            return (0, 0, i.iov_len, i.iov_offset);
        }

        var start = 0;
        for (var s = 0; s < segs.Length; s++)
        {
            // an iovec the iterator has used up, or an empty one, is skipped (as iterate_iovec does)
            if (i.iov_offset < start + segs[s])
            {
                return (s, start, segs[s], i.iov_offset - start);
            }

            start += segs[s];
        }

        return (segs.Length, start, 0, 0);
    }

    /// <summary>
    /// get_user_pages_fast for <paramref name="n"/> pages from page
    /// <paramref name="first"/> of iovec <paramref name="seg"/>: each page is
    /// made on its first pin (see the file header) and gets one reference per pin.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("simulation glue: user memory is the syscall's copy of the iovecs, pages made on first pin (get_user_pages_fast's part)")]
    private static void pin_user_pages(msghdr i, int seg, int seg_start, int seg_len, int first, int n, page[] pages)
    {
        i.user_pages ??= new System.Collections.Generic.Dictionary<(int, int), page>();
        for (var k = 0; k < n; k++)
        {
            var key = (seg, first + k);
            // a page every skb has let go of (refcount 0) went back to the allocator: the next pin maps it afresh
            if (i.user_pages.TryGetValue(key, out var p) && p._refcount > 0)
            {
                Include.Linux.page_ref_h.page_ref_inc(p); // FOLL_GET: one more holder
            }
            else
            {
                // the page's bytes: the part of the iovec it maps
                p = gfp_h.alloc_pages(0, 0)!;
                var from = (first + k) * mm_h.PAGE_SIZE;
                var len = Math.Min(mm_h.PAGE_SIZE, seg_len - from);
                i.iov_base.AsSpan(seg_start + from, len).CopyTo(p.mem);
                i.user_pages[key] = p;
            }

            pages[k] = p;
        }
    }

    // lib/iov_iter.c: iov_iter_get_pages2
    /// <summary>
    /// Pins the user pages under the next bytes of the iterator — at most
    /// <paramref name="maxsize"/> bytes and <paramref name="maxpages"/> pages,
    /// and never past the end of the current iovec — and advances past them.
    /// <paramref name="start"/> is the offset of the first byte in the first
    /// page. Returns the bytes covered, 0 when nothing is left, -EFAULT for an
    /// unmapped buffer.
    /// </summary>
    public static int iov_iter_get_pages2(msghdr i, page[] pages, int maxsize, int maxpages, out int start)
    {
        start = 0;
        maxsize = Math.Min(maxsize, i.iov_len - i.iov_offset);
        if (maxsize <= 0)
        {
            return 0;
        }

        if (i.iov_base is null)
        {
            return -errno_base_h.EFAULT;
        }

        // first_iovec_segment: the current iovec's address and what is left of it
        var (seg, seg_start, seg_len, off) = current_segment(i);
        maxsize = Math.Min(maxsize, seg_len - off);
        start = off % mm_h.PAGE_SIZE;

        // want_pages_array: the pages that span [start, start + maxsize), no more than maxpages
        var n = Math.Min((maxsize + start + mm_h.PAGE_SIZE - 1) / mm_h.PAGE_SIZE, maxpages);
        pin_user_pages(i, seg, seg_start, seg_len, off / mm_h.PAGE_SIZE, n, pages);
        maxsize = Math.Min((n * mm_h.PAGE_SIZE) - start, maxsize);

        // iov_iter_advance
        i.iov_offset += maxsize;
        return maxsize;
    }
}
