// Ports mm/memory.c's file-backed page faults: handle_mm_fault -> do_fault
// -> do_read_fault / do_shared_fault -> __do_fault (the mapping's fault
// handler, shmem_fault for tmpfs), and the pte made to point at the page
// (finish_fault -> set_pte_range). A present page is a reference the page
// tables hold on the cache page; no byte is copied.
//
// not ported: anonymous and copy-on-write faults (do_anonymous_page,
// do_cow_fault, wp_page_copy), fault-around, huge pages, userfaultfd,
// NUMA, swap.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Mm;

public static class memory_c
{
    public const int FAULT_FLAG_WRITE = 0x01;

    // mm/memory.c: __do_fault
    /// <summary>The vma's fault handler finds (or allocates) the page; the page comes back referenced.</summary>
    private static int __do_fault(Vmlinux k, vm_fault vmf)
    {
        var ret = vmf.vma.vm_ops!.fault!(k, vmf);
        // folio_unlock after VM_FAULT_LOCKED: no page locks are modelled
        return ret;
    }

    // mm/memory.c: finish_fault
    /// <summary>The pte at the fault's address points at the page; its reference moves to the page tables.</summary>
    private static int finish_fault(vm_fault vmf)
    {
        var addr = vmf.address & ~(ulong)(mm_h.PAGE_SIZE - 1);
        vmf.vma.vm_mm.ptes[addr] = vmf.page!; // set_pte_range
        return 0;
    }

    // mm/memory.c: do_read_fault
    /// <summary>A read fault on a file mapping.</summary>
    private static int do_read_fault(Vmlinux k, vm_fault vmf)
    {
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
        var pgoff = (long)((address - vma.vm_start) >> mm_h.PAGE_SHIFT) + vma.vm_pgoff;
        var vmf = new vm_fault(vma, address, pgoff);

        // __handle_mm_fault -> handle_pte_fault: no pte yet, a file vma -> do_fault
        return do_fault(k, vmf, flags);
    }
}
