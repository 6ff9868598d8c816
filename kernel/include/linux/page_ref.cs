// Ports include/linux/page_ref.h: reading and moving a page's reference count.
//
// not ported: the page_ref tracepoints (CONFIG_DEBUG_PAGE_REF is off).
namespace KernelNet.Kernel.Include.Linux;

public static class page_ref_h
{
    // include/linux/page_ref.h: page_ref_count
    /// <summary>How many holders the page has.</summary>
    public static int page_ref_count(page page) => page._refcount;

    // not ported: __page_ref_mod, page_ref_tracepoint_active — the count is changed in place; no page_ref tracepoints
    // include/linux/page_ref.h: page_ref_inc
    /// <summary>One more holder.</summary>
    public static void page_ref_inc(page page) => page._refcount++;

    // not ported: __page_ref_mod, page_ref_tracepoint_active — the count is changed in place; no page_ref tracepoints
    // include/linux/page_ref.h: page_ref_add
    /// <summary><paramref name="nr"/> more holders.</summary>
    public static void page_ref_add(page page, int nr) => page._refcount += nr;

    // include/linux/page_ref.h: page_ref_sub_and_test
    /// <summary><paramref name="nr"/> fewer holders; true when none is left (the page is to be freed).</summary>
    public static bool page_ref_sub_and_test(page page, int nr)
    {
        // not ported: __page_ref_mod_and_test, page_ref_tracepoint_active — the count is changed in place; no page_ref tracepoints
        page._refcount -= nr;
        return page._refcount == 0;
    }

    // not ported: folio_ref_count — no folios: the page keeps its own refcount
    // include/linux/page_ref.h: page_count
    /// <summary>The page's reference count (folio_ref_count of its folio).</summary>
    public static int page_count(page page) => page._refcount;
}
