// Ports mm/page_alloc.c: the page allocator's fast paths. A freed page goes
// to the freeing CPU's pcp list of its order (free_frozen_page_commit); past
// the pcp's high mark a batch of the coldest pages goes on to the zone's buddy
// lists (free_pcppages_bulk). An allocation of a pcp order takes the hottest
// page of this CPU's list, refilling the list a batch at a time from the
// buddy lists when it is empty (rmqueue_bulk); other orders go to the buddy
// lists directly. So a page freed and allocated again on one CPU is the same
// struct page, its fields reset as post_alloc_hook and free_pages_prepare
// reset them.
//
// departure: no buddy merging or splitting. A page here is one managed array
// of its order's size, not a run of page frames, so two free buddies cannot
// become one page of the next order, nor a larger page be split into smaller
// ones: each order's free list holds pages of that order only. When every
// list of an order is empty, the zone makes a new page of that order (the
// first use of memory the machine has, where the kernel would split a larger
// free block); it is never given back to the garbage collector.
// not ported: the slow path (reclaim, compaction, OOM), watermarks, zone
// fallbacks and migrate type stealing, NUMA and cpusets, memcg charging,
// page owner/KASAN/KMSAN/debug_pagealloc hooks, vmstat counters (no
// /proc/vmstat), the kmem tracepoints (mm_page_alloc, mm_page_free,
// mm_page_pcpu_drain: not among the events the port emits), the dynamic pcp
// high and batch scaling (free_count, alloc_factor: high and batch stay at
// their boot values), and drain_pages (no CPU goes offline).
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.page_ref_h;

namespace KernelNet.Kernel.Mm;

public static class page_alloc_c
{
    /// <summary>HPAGE_PMD_ORDER on x86-64: a 2 MiB transparent huge page.</summary>
    private const int HPAGE_PMD_ORDER = 9;

    // mm/page_alloc.c: order_to_pindex
    /// <summary>The pcp list of <paramref name="migratetype"/> and <paramref name="order"/>: the THP lists after the low orders'.</summary>
    private static int order_to_pindex(int migratetype, int order)
    {
        if (order > zone.PAGE_ALLOC_COSTLY_ORDER)
        {
            // only HPAGE_PMD_ORDER gets here (pcp_allowed_order); MIGRATE_MOVABLE is 1
            return zone.NR_LOWORDER_PCP_LISTS + (migratetype == 1 ? 1 : 0);
        }

        return (zone.MIGRATE_PCPTYPES * order) + migratetype;
    }

    // mm/page_alloc.c: pindex_to_order
    /// <summary>The order of the pages on pcp list <paramref name="pindex"/>.</summary>
    private static int pindex_to_order(int pindex) =>
        pindex >= zone.NR_LOWORDER_PCP_LISTS ? HPAGE_PMD_ORDER : pindex / zone.MIGRATE_PCPTYPES;

    // mm/page_alloc.c: pcp_allowed_order
    /// <summary>Whether pages of <paramref name="order"/> go through the pcp lists: the cheap orders and THP.</summary>
    private static bool pcp_allowed_order(int order) => order <= zone.PAGE_ALLOC_COSTLY_ORDER || order == HPAGE_PMD_ORDER;

    // mm/page_alloc.c: __free_one_page
    /// <summary>Puts a free page on its zone's buddy list of its order and migrate type (zone->lock held).</summary>
    private static void __free_one_page(page page, zone zone, int order, int migratetype)
    {
        // not ported: find_buddy_page_pfn, buddy_merge_likely, del_page_from_free_list — no merging with the buddy (see the file header)
        // not ported: account_freepages, __add_to_free_list — the list and the counts are updated here
        var area = zone.free_area[order];
        area.free_list[migratetype].add(page);
        area.nr_free++;
        zone.nr_free_pages += 1L << order;
    }

    // mm/page_alloc.c: __free_pages_prepare
    /// <summary>
    /// Readies a page whose last reference is gone for the free lists: the
    /// flags the allocator checks at allocation, its private word and an
    /// anonymous page's mapping are cleared. False if the page must not be
    /// freed (never here: no hwpoison, no page checks).
    /// </summary>
    private static bool __free_pages_prepare(page page, int order)
    {
        // not ported: trace_mm_page_free, kmsan_free_page, memcg uncharging, mlock accounting, hwpoison, the page checks (is_check_pages_enabled is off by default), page owner, KASAN poisoning and init_on_free (off by default), arch_free_page, debug_pagealloc — see the file header
        // not ported: free_tail_page_prepare — a compound page is one object (include/linux/mm_types.h)
        _ = order;

        // folio_test_anon: a page no file holds has no mapping left to clear; a
        // page cache page lost its own when it left the cache (page_cache_delete).
        page.mapping = null;
        page.flags = 0; // page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP: no other flag is kept here
        page.@private = 0;
        return true;
    }

    // mm/page_alloc.c: free_pcppages_bulk
    /// <summary>
    /// Moves <paramref name="count"/> pages (in order-0 pages) from the pcp
    /// lists to the buddy lists: list <paramref name="pindex"/> first, then
    /// round robin; each list gives its coldest pages (its tail) first.
    /// </summary>
    private static void free_pcppages_bulk(zone zone, int count, per_cpu_pages pcp, int pindex)
    {
        // not ported: get_pfnblock_migratetype — every page is of the migrate type it was allocated as (no pageblock bitmap): its pcp list's
        // not ported: trace_mm_page_pcpu_drain — see the file header
        count = System.Math.Min(pcp.count, count);
        pindex--;

        // spin_lock_irqsave(&zone->lock): a single-threaded simulation takes no lock
        while (count > 0)
        {
            page_list list;
            do
            {
                if (++pindex > zone.NR_PCP_LISTS - 1)
                {
                    pindex = 0;
                }

                list = pcp.lists[pindex];
            }
            while (list.first is null);

            var order = pindex_to_order(pindex);
            var nr_pages = 1 << order;
            var mt = pindex >= zone.NR_LOWORDER_PCP_LISTS ? pindex - zone.NR_LOWORDER_PCP_LISTS : pindex % zone.MIGRATE_PCPTYPES;
            do
            {
                var page = list.last!;
                list.del(page);
                count -= nr_pages;
                pcp.count -= nr_pages;
                __free_one_page(page, zone, order, mt);
            }
            while (count > 0 && list.first is not null);
        }
    }

    // mm/page_alloc.c: free_one_page
    /// <summary>Gives one page to the buddy lists under the zone lock (a page of an order the pcp lists do not take).</summary>
    private static void free_one_page(zone zone, page page, int order)
    {
        // not ported: add_page_to_zone_llist, spin_trylock_irqsave — FPI_TRYLOCK is never passed (no NMI-context frees)
        // not ported: get_pfnblock_migratetype — every page is MIGRATE_UNMOVABLE (see get_page_from_freelist)
        // spin_lock_irqsave(&zone->lock): a single-threaded simulation takes no lock
        __free_one_page(page, zone, order, zone.MIGRATE_UNMOVABLE);
    }

    // mm/page_alloc.c: __free_pages_ok
    /// <summary>Frees a page of a non-pcp order straight to the buddy lists.</summary>
    private static void __free_pages_ok(page page, int order)
    {
        // not ported: page_to_pfn — no pfns: the page is its own handle
        if (__free_pages_prepare(page, order))
        {
            free_one_page(page.zone, page, order);
        }
    }

    // mm/page_alloc.c: post_alloc_hook
    /// <summary>Readies a page taken off a free list for its new owner: no private word, zeroed if __GFP_ZERO asked.</summary>
    private static void post_alloc_hook(page page, int order, int gfp_flags)
    {
        // not ported: arch_alloc_page, debug_pagealloc_map_pages, kernel_unpoison_pages, KASAN tags, set_page_owner, page_table_check_alloc, pgalloc_tag_add — see the file header
        // want_init_on_alloc: init_on_alloc is off by default, so only __GFP_ZERO clears
        page.@private = 0; // set_page_private(page, 0)
        if ((gfp_flags & gfp_h.__GFP_ZERO) != 0)
        {
            // kernel_init_pages: clear_highpage over every page of the order
            System.Array.Clear(page.mem, 0, mm_h.PAGE_SIZE << order);
        }
    }

    // mm/page_alloc.c: prep_new_page
    /// <summary>post_alloc_hook; a compound page needs no tail set-up here (one object).</summary>
    private static void prep_new_page(page page, int order, int gfp_flags)
    {
        // not ported: prep_compound_page — a compound page is one object (include/linux/mm_types.h)
        // not ported: set_page_pfmemalloc, clear_page_pfmemalloc — no watermarks: ALLOC_NO_WATERMARKS is never needed
        post_alloc_hook(page, order, gfp_flags);
    }

    // mm/page_alloc.c: __rmqueue_smallest
    /// <summary>The first page on the buddy list of <paramref name="order"/> and <paramref name="migratetype"/>, taken off it; null if it is empty.</summary>
    private static page? __rmqueue_smallest(zone zone, int order, int migratetype)
    {
        // not ported: expand, page_del_and_expand — no splitting of a larger free page (see the file header): only the order's own list is looked at
        var area = zone.free_area[order];
        var page = area.free_list[migratetype].first;
        if (page is null)
        {
            return null;
        }

        area.free_list[migratetype].del(page);
        area.nr_free--;
        zone.nr_free_pages -= 1L << order;
        return page;
    }

    // mm/page_alloc.c: __rmqueue
    /// <summary>A free page of the order from the buddy lists, or null.</summary>
    private static page? __rmqueue(zone zone, int order, int migratetype)
    {
        // not ported: __rmqueue_cma_fallback, __rmqueue_claim, __rmqueue_steal — no CMA; one migrate type: no fallback to steal from
        return __rmqueue_smallest(zone, order, migratetype);
    }

    // mm/page_alloc.c: rmqueue_bulk
    /// <summary>Up to <paramref name="count"/> pages from the buddy lists onto the tail of a pcp list; returns how many.</summary>
    private static int rmqueue_bulk(zone zone, int order, int count, page_list list, int migratetype)
    {
        // spin_lock_irqsave(&zone->lock): a single-threaded simulation takes no lock
        int i;
        for (i = 0; i < count; ++i)
        {
            var page = __rmqueue(zone, order, migratetype);
            if (page is null)
            {
                break;
            }

            list.add_tail(page);
        }

        return i;
    }

    // mm/page_alloc.c: nr_pcp_free
    /// <summary>How many pages a drain past high frees: the batch, within [batch, high - batch].</summary>
    private static int nr_pcp_free(per_cpu_pages pcp, int batch, int high)
    {
        // not ported: the free_high case and free_count scaling — see the file header
        _ = pcp;
        if (high < batch)
        {
            return 1;
        }

        return System.Math.Clamp(batch, batch, high - batch);
    }

    // mm/page_alloc.c: free_frozen_page_commit
    /// <summary>Puts the page first on this CPU's list for its order; past high, a batch of the lists' coldest pages goes back to the buddy lists.</summary>
    private static void free_frozen_page_commit(zone zone, per_cpu_pages pcp, page page, int migratetype, int order)
    {
        // not ported: __count_vm_events — no /proc/vmstat
        // not ported: nr_pcp_high, zone_watermark_ok, high_wmark_pages — the pcp's high stays at its boot value and no zone is below a watermark
        var pindex = order_to_pindex(migratetype, order);
        pcp.lists[pindex].add(page);
        pcp.count += 1 << order;

        var batch = pcp.batch;
        var high = pcp.high;
        if (pcp.count < high)
        {
            return;
        }

        free_pcppages_bulk(zone, nr_pcp_free(pcp, batch, high), pcp, pindex);
    }

    // mm/page_alloc.c: __free_frozen_pages
    /// <summary>Frees a page nobody references any more: to this CPU's pcp list for the pcp orders, else to the buddy lists.</summary>
    private static void __free_frozen_pages(page page, int order)
    {
        // not ported: page_to_pfn, get_pfnblock_migratetype, is_migrate_isolate — every page is MIGRATE_UNMOVABLE, none isolated
        // not ported: add_page_to_zone_llist, pcp_trylock_prepare, pcp_trylock_finish — FPI_TRYLOCK is never passed
        if (!pcp_allowed_order(order))
        {
            __free_pages_ok(page, order);
            return;
        }

        if (!__free_pages_prepare(page, order))
        {
            return;
        }

        var zone = page.zone; // page_zone(page)
        var migratetype = zone.MIGRATE_UNMOVABLE;

        // pcp_spin_trylock(zone->per_cpu_pageset): this CPU's pcp; the trylock cannot fail without concurrency
        var pcp = zone.per_cpu_pageset[zone.k.smp_processor_id()];
        free_frozen_page_commit(zone, pcp, page, migratetype, order);
        // not ported: free_one_page's use here — only when the pcp trylock fails, which it cannot
    }

    // mm/page_alloc.c: free_frozen_pages
    /// <summary>Frees a (compound) page of <paramref name="order"/> whose reference count is already zero.</summary>
    public static void free_frozen_pages(page page, int order)
    {
        if (page_ref_count(page) != 0)
        {
            throw new System.InvalidOperationException("free_frozen_pages on a referenced page (VM_BUG_ON_PAGE)");
        }

        __free_frozen_pages(page, order);
    }

    // mm/page_alloc.c: rmqueue_buddy
    /// <summary>A page of <paramref name="order"/> from the buddy lists; when they hold none, a page of the zone's memory not used before.</summary>
    private static page rmqueue_buddy(zone zone, int order, int migratetype)
    {
        // not ported: __rmqueue_smallest with MIGRATE_HIGHATOMIC, check_new_pages, __mod_zone_freepage_state, zone_statistics — no high-atomic reserve, no page checks, no vmstat
        // spin_lock_irqsave(&zone->lock): a single-threaded simulation takes no lock
        var page = __rmqueue(zone, order, migratetype);
        if (page is not null)
        {
            return page;
        }

        // departure: memory not yet handed out, as a new page object (see the file header)
        zone.present_pages += 1L << order;
        return new page(zone, order);
    }

    // mm/page_alloc.c: nr_pcp_alloc
    /// <summary>How many pages to move onto an empty pcp list: the batch, scaled down by the order (at least 2).</summary>
    private static int nr_pcp_alloc(per_cpu_pages pcp, int order)
    {
        // not ported: alloc_factor scaling and pcp->high growth — see the file header
        var high = pcp.high;
        var batch = pcp.batch;
        if (high < batch)
        {
            return 1;
        }

        if (batch > 1)
        {
            batch = System.Math.Max(batch >> order, 2);
        }

        return batch;
    }

    // mm/page_alloc.c: __rmqueue_pcplist
    /// <summary>The first page of a pcp list, refilling the list from the buddy lists a batch at a time when it is empty; null if they have none.</summary>
    private static page? __rmqueue_pcplist(zone zone, int order, int migratetype, per_cpu_pages pcp, page_list list)
    {
        // not ported: check_new_pages — the page checks are off by default
        if (list.first is null)
        {
            var batch = nr_pcp_alloc(pcp, order);
            var alloced = rmqueue_bulk(zone, order, batch, list, migratetype);
            pcp.count += alloced << order;
            if (list.first is null)
            {
                return null;
            }
        }

        var page = list.first;
        list.del(page);
        pcp.count -= 1 << order;
        return page;
    }

    // mm/page_alloc.c: rmqueue_pcplist
    /// <summary>A page of a pcp order from this CPU's list for it.</summary>
    private static page? rmqueue_pcplist(zone zone, int order, int migratetype)
    {
        // not ported: pcp_trylock_prepare, pcp_spin_trylock, pcp_spin_unlock, pcp_trylock_finish — no concurrency: the trylock cannot fail
        // not ported: __count_zid_vm_events, zone_statistics — no /proc/vmstat
        var pcp = zone.per_cpu_pageset[zone.k.smp_processor_id()];
        var list = pcp.lists[order_to_pindex(migratetype, order)];
        return __rmqueue_pcplist(zone, order, migratetype, pcp, list);
    }

    // mm/page_alloc.c: rmqueue
    /// <summary>A page of <paramref name="order"/> from the zone: this CPU's pcp list for the pcp orders, else the buddy lists.</summary>
    private static page rmqueue(zone zone, int order, int migratetype)
    {
        // not ported: wakeup_kswapd, bad_range — no reclaim, no watermark boosting
        if (pcp_allowed_order(order))
        {
            var page = rmqueue_pcplist(zone, order, migratetype);
            if (page is not null)
            {
                return page;
            }
        }

        return rmqueue_buddy(zone, order, migratetype);
    }

    // mm/page_alloc.c: get_page_from_freelist
    /// <summary>The zone's page for this allocation, prepared for its new owner (no reference yet: a frozen page).</summary>
    private static page get_page_from_freelist(zone zone, int gfp_mask, int order)
    {
        // not ported: the zonelist walk (for_next_zone_zonelist_nodemask), cpuset checks, dirty limits, watermark checks, node reclaim, reserve_highatomic_pageblock — one zone, no watermarks
        // gfp_migratetype: the port's allocations carry no __GFP_MOVABLE or __GFP_RECLAIMABLE, so every page is MIGRATE_UNMOVABLE
        var page = rmqueue(zone, order, zone.MIGRATE_UNMOVABLE);
        prep_new_page(page, order, gfp_mask);
        return page;
    }

    // mm/page_alloc.c: __alloc_frozen_pages_noprof
    /// <summary>A page of 2^<paramref name="order"/> pages with no reference yet, from the fast path (which does not fail here).</summary>
    public static page? __alloc_frozen_pages_noprof(Vmlinux k, int gfp, int order)
    {
        // not ported: current_gfp_context, prepare_alloc_pages, alloc_flags_nofragment — no scoped gfp constraints, one zone
        // not ported: __alloc_pages_slowpath — the fast path does not fail (see the file header)
        // not ported: memcg_kmem_online, __memcg_kmem_charge_page, trace_mm_page_alloc, kmsan_alloc_page — see the file header
        if (order > zone.MAX_PAGE_ORDER)
        {
            return null; // WARN_ON_ONCE_GFP
        }

        return get_page_from_freelist(k.zone_normal, gfp, order);
    }

    // mm/page_alloc.c: __alloc_pages_noprof
    /// <summary>A page of 2^<paramref name="order"/> pages holding one reference, the caller's.</summary>
    public static page? __alloc_pages_noprof(Vmlinux k, int gfp, int order)
    {
        var page = __alloc_frozen_pages_noprof(k, gfp, order);
        if (page is not null)
        {
            page._refcount = 1; // set_page_refcounted
        }

        return page;
    }
}
