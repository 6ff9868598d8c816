// Ports include/linux/mmzone.h: the zone the page allocator hands pages
// out of — its buddy free lists (free_area) and each CPU's list of pages
// freed there recently (per_cpu_pages) — and the constants that size them.
//
// departure: one node, one zone (ZONE_NORMAL): the machine's memory has no
// DMA/DMA32/movable split and no NUMA nodes, so no zonelist is walked.
// not ported: watermarks, vm_stat counters, pageblock bitmaps, compaction
// and reclaim state — nothing runs out of memory here.
namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct zone: the pages of one zone — free ones on the buddy lists by order
/// (free_area), and, in front of them, each CPU's pcp lists.
/// </summary>
public sealed class zone
{
    /// <summary>MAX_PAGE_ORDER: the largest order the buddy allocator hands out (x86-64 default).</summary>
    public const int MAX_PAGE_ORDER = 10;

    /// <summary>NR_PAGE_ORDERS: orders 0 .. MAX_PAGE_ORDER.</summary>
    public const int NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;

    /// <summary>PAGE_ALLOC_COSTLY_ORDER: above this order an allocation is costly (and skips the pcp lists but for THP).</summary>
    public const int PAGE_ALLOC_COSTLY_ORDER = 3;

    /// <summary>MIGRATE_UNMOVABLE: kernel allocations (no __GFP_MOVABLE/__GFP_RECLAIMABLE).</summary>
    public const int MIGRATE_UNMOVABLE = 0;

    /// <summary>MIGRATE_PCPTYPES: the migrate types that have pcp lists (unmovable, movable, reclaimable).</summary>
    public const int MIGRATE_PCPTYPES = 3;

    /// <summary>MIGRATE_TYPES with CONFIG_CMA and CONFIG_MEMORY_ISOLATION off: the pcp types and MIGRATE_HIGHATOMIC.</summary>
    public const int MIGRATE_TYPES = MIGRATE_PCPTYPES + 1;

    /// <summary>NR_PCP_THP: one pcp list for PMD-sized pages per pcp migrate type that has them (CONFIG_TRANSPARENT_HUGEPAGE).</summary>
    public const int NR_PCP_THP = 2;

    /// <summary>NR_LOWORDER_PCP_LISTS: a list per pcp migrate type and order up to PAGE_ALLOC_COSTLY_ORDER.</summary>
    public const int NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);

    /// <summary>NR_PCP_LISTS: the lists of one per_cpu_pages.</summary>
    public const int NR_PCP_LISTS = NR_LOWORDER_PCP_LISTS + NR_PCP_THP;

    internal zone(Vmlinux k, int nr_cpu_ids)
    {
        this.k = k;
        per_cpu_pageset = new per_cpu_pages[nr_cpu_ids];
        for (var cpu = 0; cpu < per_cpu_pageset.Length; cpu++)
        {
            per_cpu_pageset[cpu] = new per_cpu_pages();
        }

        for (var order = 0; order < free_area.Length; order++)
        {
            free_area[order] = new free_area();
        }
    }

    /// <summary>The kernel the zone belongs to: this_cpu_ptr(zone->per_cpu_pageset) needs the executing CPU.</summary>
    public Vmlinux k { get; }

    /// <summary>per_cpu_pageset: each CPU's pcp lists (a per-CPU pointer in C, indexed by CPU here).</summary>
    public per_cpu_pages[] per_cpu_pageset { get; }

    /// <summary>free_area: the buddy free lists, by order.</summary>
    public free_area[] free_area { get; } = new free_area[NR_PAGE_ORDERS];

    /// <summary>
    /// The pages the zone has made so far (its memmap's used part): a page is
    /// made on the first allocation that finds every free list empty, and is
    /// never given back to the garbage collector.
    /// </summary>
    public long present_pages { get; internal set; }

    /// <summary>NR_FREE_PAGES: pages on the buddy lists (the pcp lists' pages are counted in their pcp's count).</summary>
    public long nr_free_pages { get; internal set; }
}

/// <summary>
/// struct per_cpu_pages: one CPU's cache of free pages in front of the buddy
/// lists — freed pages go here first, allocations of pcp orders come from
/// here, refilled from and drained to the buddy lists a batch at a time.
/// </summary>
public sealed class per_cpu_pages
{
    /// <summary>
    /// zone_batchsize for a zone of 1 GiB or more: a quarter of 1 MiB of pages
    /// (64), taken to the power of two under one and a half times that, less one.
    /// </summary>
    public const int PCP_BATCH = 63;

    internal per_cpu_pages()
    {
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = new page_list();
        }
    }

    /// <summary>count: pages on the lists (in order-0 pages).</summary>
    public int count { get; internal set; }

    /// <summary>high: above this many pages the lists are drained by a batch.</summary>
    public int high { get; internal set; } = PCP_BATCH << 2;

    /// <summary>batch: how many pages move between these lists and the buddy lists at a time.</summary>
    public int batch { get; internal set; } = PCP_BATCH;

    /// <summary>lists: one per migrate type and order (order_to_pindex).</summary>
    public page_list[] lists { get; } = new page_list[zone.NR_PCP_LISTS];
}

/// <summary>struct free_area: the free pages of one order, by migrate type, and how many there are.</summary>
public sealed class free_area
{
    internal free_area()
    {
        for (var i = 0; i < free_list.Length; i++)
        {
            free_list[i] = new page_list();
        }
    }

    public page_list[] free_list { get; } = new page_list[zone.MIGRATE_TYPES];

    public long nr_free { get; internal set; }
}

/// <summary>
/// A list_head of free pages, linked through each page's pcp_list/buddy_list
/// (lru_next/lru_prev): list_add puts a page first, list_first_entry and
/// list_last_entry take from either end, as the allocator uses them.
/// </summary>
public sealed class page_list
{
    public page? first { get; private set; }

    public page? last { get; private set; }

    /// <summary>list_add: at the head (the hottest page, taken first).</summary>
    [KernelNet.Annotations.NotInLinux("include/linux/list.h's list_add on a page's pcp_list/buddy_list, as a method of the list")]
    internal void add(page page) => __list_add(page, null, first);

    /// <summary>list_add_tail: at the tail (a cold page, taken last).</summary>
    [KernelNet.Annotations.NotInLinux("include/linux/list.h's list_add_tail on a page's pcp_list/buddy_list, as a method of the list")]
    internal void add_tail(page page) => __list_add(page, last, null);

    /// <summary>__list_add: links <paramref name="page"/> between <paramref name="prev"/> and <paramref name="next"/> (null: the list's end).</summary>
    [KernelNet.Annotations.NotInLinux("include/linux/list.h's __list_add, with the list's ends standing for the head")]
    private void __list_add(page page, page? prev, page? next)
    {
        page.lru_prev = prev;
        page.lru_next = next;
        if (prev is not null)
        {
            prev.lru_next = page;
        }
        else
        {
            first = page;
        }

        if (next is not null)
        {
            next.lru_prev = page;
        }
        else
        {
            last = page;
        }
    }

    /// <summary>list_del: unlinks <paramref name="page"/>.</summary>
    [KernelNet.Annotations.NotInLinux("include/linux/list.h's list_del on a page's pcp_list/buddy_list, as a method of the list")]
    internal void del(page page)
    {
        if (page.lru_prev is not null)
        {
            page.lru_prev.lru_next = page.lru_next;
        }
        else
        {
            first = page.lru_next;
        }

        if (page.lru_next is not null)
        {
            page.lru_next.lru_prev = page.lru_prev;
        }
        else
        {
            last = page.lru_prev;
        }

        page.lru_next = null;
        page.lru_prev = null;
    }
}
