// Ports mm/memory.c's file-backed page faults: handle_mm_fault -> do_fault
// -> do_read_fault / do_shared_fault -> __do_fault (the mapping's fault
// handler, shmem_fault for tmpfs), and the pte made to point at the page
// (finish_fault -> set_pte_range). A present page is a reference the page
// tables hold on the cache page; no byte is copied.
//
// not ported: anonymous and copy-on-write faults (do_anonymous_page,
// do_cow_fault, wp_page_copy), fault-around, huge pages, userfaultfd,
// NUMA, swap.
// not ported: folio_put, folio_unlock — a folio is the port's order-0 page and no page locks are modelled (see __do_fault)
// not ported: pte_offset_map_lock, pte_unmap_unlock, pte_alloc, pmd_install, pte_range_none, vmf_pte_changed — the page table is the mm's map from page address to page: no pte pages to allocate or lock, and one thread cannot race another fault on the same pte
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Mm;

public static class memory_c
{
    public const int FAULT_FLAG_WRITE = 0x01;

    // mm/memory.c: __do_fault
    /// <summary>The vma's fault handler finds (or allocates) the page; the page comes back referenced.</summary>
    private static int __do_fault(Vmlinux k, vm_fault vmf)
    {
        // not ported: page_mapped, unmap_mapping_folio — the pre-allocated-pte race with truncation (vmf->prealloc_pte); the port allocates no pte in advance
        var ret = vmf.vma.vm_ops!.fault!(k, vmf);
        // folio_unlock after VM_FAULT_LOCKED: no page locks are modelled
        return ret;
    }

    // mm/memory.c: finish_fault
    /// <summary>The pte at the fault's address points at the page; its reference moves to the page tables.</summary>
    private static int finish_fault(vm_fault vmf)
    {
        // not ported: do_set_pmd, folio_nr_pages, folio_page_idx, folio_ref_add, vma_pages, i_size_read, shmem_mapping — no huge pages or multi-page folios: one pte for one page, whose reference the fault handler took
        // not ported: add_mm_counter, mm_counter_file — no RSS counters are kept
        // not ported: set_pte_range — written out as the one pte store it is for an order-0 page
        var addr = vmf.address & ~(ulong)(mm_h.PAGE_SIZE - 1);
        vmf.vma.vm_mm.ptes[addr] = vmf.page!; // set_pte_range
        return 0;
    }

    // mm/memory.c: do_read_fault
    /// <summary>A read fault on a file mapping.</summary>
    private static int do_read_fault(Vmlinux k, vm_fault vmf)
    {
        // not ported: vmf_can_call_fault — no per-VMA lock fault path: every fault runs as if under mmap_lock
        // not ported: should_fault_around — fault-around is not ported (see the file header)
        // not ported: do_fault_around — one page at a time
        var ret = __do_fault(k, vmf);
        if ((ret & mm_h.VM_FAULT_SIGBUS) != 0)
        {
            return ret;
        }

        return finish_fault(vmf);
    }

    // mm/memory.c: do_shared_fault
    /// <summary>A write fault on a shared file mapping (the page is dirtied; tmpfs has nothing to write back).</summary>
    private static int do_shared_fault(Vmlinux k, vm_fault vmf)
    {
        // not ported: vmf_can_call_fault — no per-VMA lock fault path: every fault runs as if under mmap_lock
        var ret = __do_fault(k, vmf);
        if ((ret & mm_h.VM_FAULT_SIGBUS) != 0)
        {
            return ret;
        }

        // not ported: do_page_mkwrite, fault_dirty_shared_page — tmpfs has no page_mkwrite and no writeback
        return finish_fault(vmf);
    }

    // mm/memory.c: do_fault
    /// <summary>A fault on a file mapping: shared write faults dirty the page; others read it in.</summary>
    private static int do_fault(Vmlinux k, vm_fault vmf, int flags)
    {
        if ((flags & FAULT_FLAG_WRITE) == 0)
        {
            return do_read_fault(k, vmf);
        }

        if ((vmf.vma.vm_flags & mm_h.VM_SHARED) == 0)
        {
            // not ported: do_cow_fault — private write mappings
            return mm_h.VM_FAULT_SIGBUS;
        }

        return do_shared_fault(k, vmf);
    }

    // mm/memory.c: handle_mm_fault
    /// <summary>A fault at <paramref name="address"/> of <paramref name="vma"/>: 0 when the page is now mapped, VM_FAULT_SIGBUS past the end of the file.</summary>
    public static int handle_mm_fault(Vmlinux k, vm_area_struct vma, ulong address, int flags)
    {
        // not ported: sanitize_fault_flags, mm_account_fault, lru_gen_enter_fault, lru_gen_exit_fault, __set_current_state — no fault accounting (perf/min_flt), no multi-gen LRU, and flags come from the port's own callers only
        // not ported: __handle_mm_fault — its walk (no pte yet, a file vma) is written out as the do_fault call
        var pgoff = (long)((address - vma.vm_start) >> mm_h.PAGE_SHIFT) + vma.vm_pgoff;
        var vmf = new vm_fault(vma, address, pgoff);

        // __handle_mm_fault -> handle_pte_fault: no pte yet, a file vma -> do_fault
        return do_fault(k, vmf, flags);
    }
}
