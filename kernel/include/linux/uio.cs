// Ports include/linux/uio.h: struct iov_iter, the cursor over the memory a
// read or write moves data from or to, in the forms the port has: a user
// buffer (ITER_UBUF) and pages (ITER_BVEC).
//
// departure: user memory is a managed array, or — for an address inside an
// mmap'd region — the pages that region maps (what the MMU resolves the user
// address to; the iterator stays ITER_UBUF, as in C).
// not ported: ITER_IOVEC with several segments (the syscalls lay them end to
// end), ITER_KVEC, ITER_FOLIOQ, ITER_XARRAY, ITER_DISCARD.
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct iov_iter: where the bytes are, how many in all (<see cref="len"/>) and how far the cursor is (<see cref="iov_offset"/>).</summary>
public sealed class iov_iter
{
    /// <summary>iter_type: ITER_UBUF or ITER_BVEC.</summary>
    public byte iter_type { get; set; }

    /// <summary>data_source: ITER_SOURCE (the iterator is read from, a write) or ITER_DEST.</summary>
    public bool data_source { get; set; }

    /// <summary>ubuf: the user buffer; null is a NULL pointer (the copy faults).</summary>
    public byte[]? ubuf { get; set; }

    /// <summary>bvec: the pages of an ITER_BVEC, or the mapped pages behind a user address.</summary>
    public List<bio_vec>? bvec { get; set; }

    /// <summary>The total the iterator covers (count + what was consumed).</summary>
    public int len { get; set; }

    /// <summary>How far the cursor has advanced.</summary>
    public int iov_offset { get; set; }

    /// <summary>count: what is left.</summary>
    public int count => len - iov_offset;
}

public static class uio_h
{
    public const byte ITER_UBUF = 0;
    public const byte ITER_IOVEC = 1;
    public const byte ITER_BVEC = 2;

    public const bool ITER_SOURCE = true;
    public const bool ITER_DEST = false;

    // include/linux/uio.h: iov_iter_count
    public static int iov_iter_count(iov_iter i) => i.count;

    // not ported: iter_is_ubuf, iter_is_iovec — the port builds no ITER_IOVEC iterators (uio.cs header): a user-backed iterator is ITER_UBUF
    // include/linux/uio.h: user_backed_iter
    /// <summary>Whether the iterator is user memory (the zero page is copied rather than cleared to it).</summary>
    public static bool user_backed_iter(iov_iter i) => i.iter_type == ITER_UBUF;

    // include/linux/uio.h: iov_iter_ubuf
    /// <summary>An iterator over one user buffer of <paramref name="count"/> bytes.</summary>
    public static iov_iter iov_iter_ubuf(bool direction, byte[]? buf, int count) =>
        new() { iter_type = ITER_UBUF, data_source = direction, ubuf = buf, len = count };
}
