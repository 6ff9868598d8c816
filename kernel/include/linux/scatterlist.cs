// Ports include/linux/scatterlist.h: struct scatterlist, one piece of a
// buffer a driver hands a device (virtio_ring maps or takes each entry), and
// the helpers that fill a table of them.
//
// not ported: chained tables (sg_chain), the page_link low-bit encoding
// (an entry names its memory directly, see below) and sg_alloc_table —
// drivers keep small fixed tables (sq->sg, rq->sg) as virtio_net does.
// not ported: offset_in_page, sg_set_page, sg_assign_page,
// page_range_contiguous — entries hold a buffer and its offset directly,
// not a page pointer with its low bits as flags.
// not ported: __sg_flags — the end mark is a bool of the entry, not a low
// bit of page_link.

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct scatterlist: <see cref="length"/> bytes at <see cref="offset"/> of
/// <see cref="mem"/> (a page's memory or an skb's head: what sg_page plus
/// offset point at in C), or, once mapped, <see cref="dma_address"/> and
/// <see cref="dma_length"/> as the device sees them.
/// </summary>
public sealed class scatterlist
{
    /// <summary>The memory the entry points into (page_address(sg_page(sg)) in C).</summary>
    public byte[]? mem { get; set; }

    public int offset { get; set; }

    public int length { get; set; }

    /// <summary>sg_dma_address: the bus address, for a premapped entry.</summary>
    public ulong dma_address { get; set; }

    /// <summary>sg_dma_len.</summary>
    public int dma_length { get; set; }

    /// <summary>sg_is_last: the end marker.</summary>
    public bool end { get; set; }
}

public static class scatterlist_h
{
    // include/linux/scatterlist.h: sg_mark_end
    public static void sg_mark_end(scatterlist sg) => sg.end = true;

    // include/linux/scatterlist.h: sg_unmark_end
    public static void sg_unmark_end(scatterlist sg) => sg.end = false;

    // include/linux/scatterlist.h: sg_set_buf
    /// <summary>Points the entry at <paramref name="buflen"/> bytes of <paramref name="buf"/> from <paramref name="offset"/>.</summary>
    public static void sg_set_buf(scatterlist sg, byte[] buf, int offset, int buflen)
    {
        sg.mem = buf;
        sg.offset = offset;
        sg.length = buflen;
    }

    // include/linux/scatterlist.h: sg_set_page
    /// <summary>Points the entry at <paramref name="len"/> bytes of <paramref name="page"/> from <paramref name="offset"/>.</summary>
    public static void sg_set_page(scatterlist sg, page page, int len, int offset)
    {
        sg.mem = page.mem;
        sg.offset = offset;
        sg.length = len;
    }

    // include/linux/scatterlist.h: sg_is_last
    public static bool sg_is_last(scatterlist sg) => sg.end;
}
