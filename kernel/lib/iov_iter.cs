// Ports lib/iov_iter.c: the copies between kernel pages and an iov_iter
// (copy_page_to_iter, copy_page_from_iter, copy_page_from_iter_atomic),
// iov_iter_zero, iov_iter_bvec, advance/revert, taking the pages out of a
// bvec iterator without copying (iov_iter_extract_pages), and pinning the
// user pages under a sendmsg's iovecs (iov_iter_get_pages2, for MSG_ZEROCOPY).
//
// Every copy here is a copy by the CPU: it is charged at the cost model's
// copy rate and counted on the task it runs for (Cpu.ChargeCopy) — the
// counts the seeds read. Clearing (iov_iter_zero) writes but copies nothing.
//
// departure: two iterators. File and pipe I/O uses iov_iter (a user array or
// bvecs); a socket's sendmsg iterates its msghdr itself: the user's iovecs
// laid end to end in iov_base, iov_offset how far it has advanced, iov_segs
// the iovec lengths. User memory is not an address space here: a user page
// is a struct page made on the first pin of that part of an iovec, holding
// the iovec's bytes at their page offsets; every iovec starts on a page of
// its own (in a real task malloc'd buffers share pages, which only decides
// whether two iovecs can share a frag). The pin is a page reference
// (get_user_pages_fast's FOLL_GET); the task's own mapping of the page holds
// none here, so the page lives as long as the skbs that pinned it.
//
// not ported: iovec arrays of several segments in iov_iter, kvec, folioq,
// xarray and discard iterators, iov_iter_get_pages_alloc2, the checksumming
// copies (net/core/datagram.c has its own).
// not ported: iter_is_ubuf, iter_is_iovec, iov_iter_is_bvec, iov_iter_is_kvec, iov_iter_is_folioq, iov_iter_is_xarray, iov_iter_is_discard, user_backed_iter, iter_iov — the port's iov_iter walks its segments through one iterate helper; the kvec, folioq, xarray and discard kinds are not ported (see above)
// not ported: iov_iter_iovec_advance, iov_iter_bvec_advance, iov_iter_folioq_advance, iov_iter_folioq_revert — advancing and reverting move the iterator's single offset (iov_offset), which the segment walk reads
// not ported: iov_iter_extract_folioq_pages, iov_iter_extract_kvec_pages, iov_iter_extract_xarray_pages, iov_iter_extract_user_pages — only bvec iterators are extracted (see iov_iter_extract_pages)
using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Lib;

public static class iov_iter_c
{
    /// <summary>Walks the iterator's memory from its cursor for <paramref name="bytes"/> bytes, piece by piece (a user array, or each page of the bvecs).</summary>
    [KernelNet.Annotations.NotInLinux("the walk over an iov_iter's pieces that iterate_and_advance (include/linux/iov_iter.h) makes with step functions")]
    private static int iterate(iov_iter i, int bytes, SpanAction step)
    {
        bytes = Math.Min(bytes, i.count);
        if (bytes <= 0)
        {
            return 0;
        }

        if (i.bvec is null)
        {
            // a NULL or too short user buffer faults: nothing moves
            if (i.ubuf is null || i.iov_offset + bytes > i.ubuf.Length)
            {
                return 0;
            }

            step(i.ubuf.AsSpan(i.iov_offset, bytes), 0);
            i.iov_offset += bytes;
            return bytes;
        }

        var skip = i.iov_offset;
        var done = 0;
        foreach (var bv in i.bvec)
        {
            if (skip >= bv.bv_len)
            {
                skip -= bv.bv_len;
                continue;
            }

            var n = Math.Min(bv.bv_len - skip, bytes - done);
            step(bv.bv_page.mem.AsSpan(bv.bv_offset + skip, n), done);
            done += n;
            skip = 0;
            if (done == bytes)
            {
                break;
            }
        }

        i.iov_offset += done;
        return done;
    }

    private delegate void SpanAction(Span<byte> piece, int progress);

    // lib/iov_iter.c: _copy_to_iter
    /// <summary><paramref name="from"/> into the iterator's memory; the bytes copied (short on a fault). A CPU copy.</summary>
    public static int _copy_to_iter(Vmlinux k, ReadOnlySpan<byte> from, iov_iter i)
    {
        var src = from.ToArray();
        var n = iterate(i, src.Length, (piece, progress) => src.AsSpan(progress, piece.Length).CopyTo(piece));
        if (n > 0)
        {
            k.machine.CurrentCpu.ChargeCopy(n);
        }

        return n;
    }

    // lib/iov_iter.c: _copy_from_iter
    /// <summary>The iterator's next bytes into <paramref name="to"/>; the bytes copied. A CPU copy.</summary>
    public static int _copy_from_iter(Vmlinux k, Span<byte> to, iov_iter i)
    {
        // not ported: __copy_from_iter — its per-kind step functions are the iterate helper's copy
        var dst = new byte[to.Length];
        var n = iterate(i, dst.Length, (piece, progress) => piece.CopyTo(dst.AsSpan(progress)));
        dst.AsSpan(0, n).CopyTo(to);
        if (n > 0)
        {
            k.machine.CurrentCpu.ChargeCopy(n);
        }

        return n;
    }

    // not ported: page_copy_sane — a page's span bounds the copy (a bad offset throws)
    // lib/iov_iter.c: copy_page_to_iter
    /// <summary>Copies <paramref name="bytes"/> of <paramref name="page"/> from <paramref name="offset"/> out to the iterator (a read's copy_to_user).</summary>
    public static int copy_page_to_iter(Vmlinux k, page page, int offset, int bytes, iov_iter i) =>
        _copy_to_iter(k, page.mem.AsSpan(offset, bytes), i);

    // not ported: page_copy_sane — a page's span bounds the copy (a bad offset throws)
    // lib/iov_iter.c: copy_page_from_iter
    /// <summary>Copies the iterator's next <paramref name="bytes"/> into <paramref name="page"/> at <paramref name="offset"/> (a write's copy_from_user).</summary>
    public static int copy_page_from_iter(Vmlinux k, page page, int offset, int bytes, iov_iter i) =>
        _copy_from_iter(k, page.mem.AsSpan(offset, bytes), i);

    // not ported: __copy_from_iter — its per-kind step functions are the iterate helper's copy (through _copy_from_iter)
    // not ported: offset_in_page, page_copy_sane — a page is one order-0 object whose span bounds the copy (a bad offset throws), so there is no compound-page offset to fold or check
    // lib/iov_iter.c: copy_folio_from_iter_atomic
    /// <summary>copy_page_from_iter into a folio without sleeping on a fault (generic_perform_write's copy); the same copy here.</summary>
    public static int copy_folio_from_iter_atomic(Vmlinux k, page page, int offset, int bytes, iov_iter i) =>
        _copy_from_iter(k, page.mem.AsSpan(offset, bytes), i);

    // lib/iov_iter.c: iov_iter_zero
    /// <summary>Clears the iterator's next <paramref name="bytes"/> (clear_user): a store of zeros, not a copy.</summary>
    public static int iov_iter_zero(int bytes, iov_iter i) => iterate(i, bytes, (piece, _) => piece.Clear());

    // lib/iov_iter.c: iov_iter_bvec
    /// <summary>An iterator over <paramref name="count"/> bytes of the pages in <paramref name="bvec"/>.</summary>
    public static iov_iter iov_iter_bvec(bool direction, List<bio_vec> bvec, int count) =>
        new() { iter_type = uio_h.ITER_BVEC, data_source = direction, bvec = bvec, len = count };

    // lib/iov_iter.c: iov_iter_advance
    public static void iov_iter_advance(iov_iter i, int size) => i.iov_offset += Math.Min(size, i.count);

    // lib/iov_iter.c: iov_iter_revert
    public static void iov_iter_revert(iov_iter i, int unroll) => i.iov_offset -= Math.Min(unroll, i.iov_offset);

    // lib/iov_iter.c: iov_iter_extract_pages
    /// <summary>
    /// The pages under the iterator's next bytes, without copying and without
    /// taking references (a bvec's pages are pinned by whoever built it): up
    /// to <paramref name="maxsize"/> bytes in at most <paramref name="maxpages"/>
    /// pages, from one bvec; <paramref name="offset0"/> is the offset in the
    /// first page. Advances the iterator; the bytes extracted, 0 at its end.
    /// </summary>
    public static int iov_iter_extract_pages(iov_iter i, List<page> pages, int maxsize, int maxpages, out int offset0)
    {
        offset0 = 0;
        if (i.iter_type != uio_h.ITER_BVEC || i.bvec is null)
        {
            // not ported: extracting user pages (pin_user_pages) — only bvec iterators reach MSG_SPLICE_PAGES here
            return -Include.Uapi.AsmGeneric.errno_base_h.EFAULT;
        }

        var skip = i.iov_offset;
        foreach (var bv in i.bvec)
        {
            if (skip >= bv.bv_len)
            {
                skip -= bv.bv_len;
                continue;
            }

            // iov_iter_extract_bvec_pages: the page under the cursor (a compound page is one object
            // here, so the run within one bvec is one page and the offset may pass PAGE_SIZE)
            _ = maxpages;
            offset0 = bv.bv_offset + skip;
            var len = Math.Min(bv.bv_len - skip, Math.Min(maxsize, i.count));
            pages.Add(bv.bv_page);
            i.iov_offset += len;
            return len;
        }

        return 0;
    }

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
    /// A made page carries a tag of this kernel's in its private word: the
    /// page allocator clears that word when it hands the page to someone else
    /// (post_alloc_hook), so a page the skbs gave back and another owner took
    /// is not mistaken for the user's.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("simulation glue: user memory is the syscall's copy of the iovecs, pages made on first pin (get_user_pages_fast's part)")]
    private static void pin_user_pages(Vmlinux k, msghdr i, int seg, int seg_start, int seg_len, int first, int n, page[] pages)
    {
        i.user_pages ??= new System.Collections.Generic.Dictionary<(int, int), (page page, ulong tag)>();
        for (var j = 0; j < n; j++)
        {
            var key = (seg, first + j);
            page p;
            // a page every skb has let go of (refcount 0) went back to the allocator, and may since be
            // someone else's (its private word no longer our tag): the next pin maps it afresh
            if (i.user_pages.TryGetValue(key, out var pinned) && pinned.page._refcount > 0 && pinned.page.@private == pinned.tag)
            {
                p = pinned.page;
                Include.Linux.page_ref_h.page_ref_inc(p); // FOLL_GET: one more holder
            }
            else
            {
                // the page's bytes: the part of the iovec it maps
                p = gfp_h.alloc_pages(k, 0, 0)!;
                var from = (first + j) * mm_h.PAGE_SIZE;
                var len = Math.Min(mm_h.PAGE_SIZE, seg_len - from);
                i.iov_base.AsSpan(seg_start + from, len).CopyTo(p.mem);
                var tag = ++k.globals<iov_iter_globals>().user_page_tags;
                p.@private = tag;
                i.user_pages[key] = (p, tag);
            }

            pages[j] = p;
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
    public static int iov_iter_get_pages2(Vmlinux k, msghdr i, page[] pages, int maxsize, int maxpages, out int start)
    {
        // not ported: __iov_iter_get_pages_alloc — its iovec branch (first_iovec_segment, want_pages_array, get_user_pages_fast) is written out here; the other kinds are not ported
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
        pin_user_pages(k, i, seg, seg_start, seg_len, off / mm_h.PAGE_SIZE, n, pages);
        maxsize = Math.Min((n * mm_h.PAGE_SIZE) - start, maxsize);

        // iov_iter_advance
        i.iov_offset += maxsize;
        return maxsize;
    }
}

/// <summary>The user-page tags this kernel has handed out (pin_user_pages), so that each is unique.</summary>
public sealed class iov_iter_globals
{
    public ulong user_page_tags { get; set; }
}
