// Ports include/linux/mm.h: the page helpers the network stack calls
// (get_page, put_page, page_address): the last put_page gives the page back
// to the page allocator (mm/page_alloc.cs), whose next allocation of that
// order on this CPU hands the same page out again.
//
// not ported: everything about mappings and folios (a page is its own folio
// here).
using System;

namespace KernelNet.Kernel.Include.Linux;

public static class mm_h
{
    /// <summary>PAGE_SIZE on x86-64.</summary>
    public const int PAGE_SIZE = 4096;

    public const ulong VM_READ = 0x1;
    public const ulong VM_WRITE = 0x2;
    public const ulong VM_SHARED = 0x8;

    /// <summary>VM_FAULT_LOCKED: the fault handler returns the page locked (and referenced).</summary>
    public const int VM_FAULT_LOCKED = 0x200;

    /// <summary>VM_FAULT_SIGBUS: no page there (beyond the end of the file).</summary>
    public const int VM_FAULT_SIGBUS = 0x2;

    /// <summary>PAGE_SHIFT on x86-64.</summary>
    public const int PAGE_SHIFT = 12;

    // include/linux/mm.h: PAGE_ALIGN
    /// <summary>Rounds <paramref name="x"/> up to a whole number of pages.</summary>
    public static int PAGE_ALIGN(int x) => (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

    // include/linux/mm.h: get_page
    /// <summary>Takes a reference on the page.</summary>
    public static void get_page(page page)
    {
        // not ported: folio_get — no folios: the page keeps its own refcount
        if (page._refcount <= 0)
        {
            throw new InvalidOperationException("get_page on a freed page (VM_BUG_ON)");
        }

        page._refcount++;
    }

    // include/linux/mm.h: put_page_testzero
    /// <summary>Drops one reference; true when it was the last (the page is then the caller's to free).</summary>
    public static bool put_page_testzero(page page)
    {
        // VM_BUG_ON_PAGE(page_ref_count(page) == 0): a put on a free page is a double free
        if (page_ref_h.page_ref_count(page) <= 0)
        {
            throw new InvalidOperationException("put_page on a freed page (VM_BUG_ON)");
        }

        // not ported: page_ref_dec_and_test — page_ref_sub_and_test by one, which it is
        return page_ref_h.page_ref_sub_and_test(page, 1);
    }

    // include/linux/mm.h: put_page
    /// <summary>Drops a reference; the last one gives the page back to the page allocator (free_frozen_pages).</summary>
    public static void put_page(page page)
    {
        // not ported: folio_put — no folios: for a page on no LRU and in no memcg, folio_put's
        // __folio_put is put_page_testzero then free_frozen_pages of the page's order, written here
        if (put_page_testzero(page))
        {
            Mm.page_alloc_c.free_frozen_pages(page, page.order);
        }
    }

    // include/linux/mm.h: page_address
    /// <summary>The page's bytes from <paramref name="off"/> (a pointer into the direct map in C).</summary>
    public static Span<byte> page_address(page page, int off, int len) => page.mem.AsSpan(off, len);

    /// <summary>The smallest order whose pages hold <paramref name="size"/> bytes.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/asm-generic/getorder.h's get_order, a header not ported")]
    public static int get_order(int size)
    {
        var order = 0;
        while ((PAGE_SIZE << order) < size)
        {
            order++;
        }

        return order;
    }
}

/// <summary>struct vm_fault: one page fault on a mapping — where, and the page the handler found.</summary>
public sealed class vm_fault
{
    public vm_fault(vm_area_struct vma, ulong address, long pgoff)
    {
        this.vma = vma;
        this.address = address;
        this.pgoff = pgoff;
    }

    public vm_area_struct vma { get; }

    public ulong address { get; }

    public long pgoff { get; }

    public page? page { get; set; }
}

/// <summary>struct vm_operations_struct: a mapping's fault handler.</summary>
public sealed class vm_operations_struct
{
    public Func<Vmlinux, vm_fault, int>? fault { get; init; }
}
