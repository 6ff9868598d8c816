// Ports include/linux/mm_types.h: struct page (the part the network stack
// and the page allocator use — its reference count, flags, private word,
// mapping, its place on the allocator's free lists, and its bytes) and
// struct page_frag, the cursor a socket or task keeps in a page it fills
// piece by piece.
//
// departure: a page's memory is a managed array, made once when the page is
// first handed out (mm/page_alloc.cs) and kept with the page across frees;
// a compound page (order > 0) is one page object over all its bytes, as the
// head page stands for the whole compound page wherever the network stack
// holds a reference.
// not ported: the rest of struct page (LRU, memcg, page_pool fields, the
// compound tail pages) — nothing in the ported stack reads them.
namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct page: a (possibly compound) page, referenced by skb frags and page
/// frag cursors. The last put_page gives it back to its zone's free lists,
/// from which the next alloc_pages of its order takes it again.
/// </summary>
public sealed class page
{
    internal page(zone zone, int order)
    {
        this.zone = zone;
        this.order = order;
        mem = new byte[mm_h.PAGE_SIZE << order];
    }

    /// <summary>The page's bytes: what page_address points at (the whole compound page).</summary>
    public byte[] mem { get; }

    /// <summary>The compound order (0 for a single page; SKB_FRAG_PAGE_ORDER for the 32 KiB frag pages).</summary>
    public int order { get; }

    /// <summary>The zone the page belongs to (page_zone: encoded in page->flags in C).</summary>
    public zone zone { get; }

    /// <summary>_refcount: holders of the page (frags, page_frag cursors, the page cache, pipe buffers); 0 while free.</summary>
    public int _refcount { get; set; }

    /// <summary>flags: the page flags the allocator checks and clears at free (PAGE_FLAGS_CHECK_AT_PREP).</summary>
    public ulong flags { get; set; }

    /// <summary>private: the owner's word (page_private); zero when the allocator hands the page out.</summary>
    public ulong @private { get; set; }

    /// <summary>mapping: the page cache this page belongs to, or null (a page of no file).</summary>
    public address_space? mapping { get; set; }

    /// <summary>index: the page's offset in its file, in pages.</summary>
    public long index { get; set; }

    /// <summary>pcp_list / buddy_list (one list_head in C): the next page on the free list holding this free page.</summary>
    internal page? lru_next { get; set; }

    /// <summary>The previous page on that free list.</summary>
    internal page? lru_prev { get; set; }
}

/// <summary>
/// struct vm_area_struct: one mapping of a task's address space — the
/// addresses it covers, the file and page offset behind them, its flags and
/// fault handler.
/// </summary>
public sealed class vm_area_struct
{
    public ulong vm_start { get; set; }

    public ulong vm_end { get; set; }

    /// <summary>vm_pgoff: the file offset of vm_start, in pages.</summary>
    public long vm_pgoff { get; set; }

    public @file? vm_file { get; set; }

    /// <summary>vm_flags: VM_READ, VM_WRITE, VM_SHARED ...</summary>
    public ulong vm_flags { get; set; }

    public vm_operations_struct? vm_ops { get; set; }

    public mm_struct vm_mm { get; set; } = null!;
}

/// <summary>
/// struct mm_struct: a process's address space — its mappings and, standing
/// for the page tables, the page each mapped user page resolves to.
/// </summary>
public sealed class mm_struct
{
    /// <summary>The mappings, by start address (the maple tree in C).</summary>
    public System.Collections.Generic.SortedDictionary<ulong, vm_area_struct> mm_mt { get; } = new();

    /// <summary>The page tables: a present pte's page, by page-aligned user address.</summary>
    public System.Collections.Generic.Dictionary<ulong, page> ptes { get; } = new();

    /// <summary>mmap_base: where get_unmapped_area starts looking (top-down in C; upward from here, one bump pointer).</summary>
    public ulong mmap_base { get; set; } = 0x7f00_0000_0000UL;
}

/// <summary>struct page_frag: a page being filled, how far (offset) and how big it is (size).</summary>
public sealed class page_frag
{
    public page? page { get; set; }

    public int offset { get; set; }

    public int size { get; set; }
}
