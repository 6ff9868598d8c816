// Ports include/linux/gfp.h: alloc_pages, the entry into the page allocator
// (mm/page_alloc.cs) for a (compound) page of 2^order pages.
//
// departure: alloc_pages takes the kernel (Vmlinux k) first: C reaches the
// zone and this CPU's pcp lists through globals and per-CPU pointers.
// not ported: most gfp flags (the simulation's allocations do not fail,
// reclaim or sleep; __GFP_ZERO is honoured), NUMA node selection, __GFP_COMP's
// tail pages (a compound page is one page object here).
namespace KernelNet.Kernel.Include.Linux;

public static class gfp_h
{
    /// <summary>__GFP_ZERO (include/linux/gfp_types.h, which gfp.h includes): the page comes back zeroed.</summary>
    public const int __GFP_ZERO = 0x100;

    // include/linux/gfp.h: alloc_pages
    /// <summary>A page of 2^<paramref name="order"/> pages with one reference (the caller's), from this CPU's free pages first.</summary>
    public static page? alloc_pages(Vmlinux k, int gfp, int order)
    {
        // not ported: alloc_pages_noprof, alloc_pages_node_noprof, __alloc_pages_node_noprof — one node: they come down to __alloc_pages_noprof with no nodemask
        return Mm.page_alloc_c.__alloc_pages_noprof(k, gfp, order);
    }
}
