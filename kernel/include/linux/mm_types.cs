// Ports include/linux/mm_types.h: struct page (the part the network stack
// uses — its reference count and its bytes) and struct page_frag, the
// cursor a socket or task keeps in a page it fills piece by piece.
//
// departure: a page's memory is a managed array; a compound page (order > 0)
// is one page object over all its bytes, as the head page stands for the
// whole compound page wherever the network stack holds a reference.
// not ported: the rest of struct page (flags, mapping, LRU, memcg, page_pool
// fields) — nothing in the ported stack reads them.
namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct page: a (possibly compound) page, referenced by skb frags and page
/// frag cursors. The last put_page frees it.
/// </summary>
public sealed class page
{
    internal page(int order)
    {
        this.order = order;
        mem = new byte[mm_h.PAGE_SIZE << order];
    }

    /// <summary>The page's bytes: what page_address points at (the whole compound page).</summary>
    public byte[] mem { get; }

    /// <summary>The compound order (0 for a single page; SKB_FRAG_PAGE_ORDER for the 32 KiB frag pages).</summary>
    public int order { get; }

    /// <summary>_refcount: holders of the page (frags, page_frag cursors).</summary>
    public int _refcount { get; set; } = 1;
}

/// <summary>struct page_frag: a page being filled, how far (offset) and how big it is (size).</summary>
public sealed class page_frag
{
    public page? page { get; set; }

    public int offset { get; set; }

    public int size { get; set; }
}
