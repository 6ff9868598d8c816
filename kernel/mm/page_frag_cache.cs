// Ports mm/page_frag_cache.c: the part drivers use to give back the
// references they hold in advance on a receive page (pagecnt_bias).
//
// not ported: the page_frag_cache allocator itself (page_frag_alloc and
// friends): the stack's frag pages come from sk_page_frag_refill here.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.page_ref_h;

namespace KernelNet.Kernel.Mm;

public static class page_frag_cache_c
{
    // mm/page_frag_cache.c: __page_frag_cache_drain
    /// <summary>Drops <paramref name="count"/> references at once; the page is freed when none is left.</summary>
    public static void __page_frag_cache_drain(page page, int count)
    {
        // not ported: compound_order — the page object knows its order (page.order)
        if (page_ref_count(page) == 0)
        {
            throw new System.InvalidOperationException("__page_frag_cache_drain on a freed page (VM_BUG_ON_PAGE)");
        }

        if (page_ref_sub_and_test(page, count))
        {
            page_alloc_c.free_frozen_pages(page, page.order);
        }
    }
}
