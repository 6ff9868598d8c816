// Ports include/linux/gfp.h: alloc_pages, the entry into the page allocator
// for a (compound) page of 2^order pages.
//
// not ported: gfp flags (the simulation's allocations do not fail, reclaim
// or sleep), NUMA node selection, __GFP_COMP's tail pages (a compound page
// is one page object here).
namespace KernelNet.Kernel.Include.Linux;

public static class gfp_h
{
    // include/linux/gfp.h: alloc_pages
    /// <summary>A page of 2^<paramref name="order"/> pages with one reference (the caller's).</summary>
    public static page? alloc_pages(int gfp, int order)
    {
        _ = gfp;
        return new page(order);
    }
}
