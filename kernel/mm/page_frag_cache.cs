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
        // not ported: compound_order — a page is one object of any size here: the last reference's free needs no order (see the comment below)
        if (page_ref_count(page) == 0)
        {
            throw new System.InvalidOperationException("__page_frag_cache_drain on a freed page (VM_BUG_ON_PAGE)");
        }

        // free_unref_page: the last reference gone, the page goes back to the allocator (the garbage collector here).
        _ = page_ref_sub_and_test(page, count);
    }
}
