// Ports arch/x86/mm/fault.c: a user-mode page fault (do_user_addr_fault) —
// the vma under the address found, its access checked, handle_mm_fault
// called. The port's copies from user memory call it for each page of a
// mapped user buffer that has no pte yet, as the MMU's exception would.
//
// not ported: kernel-mode faults, stack expansion, signals (a bad address
// is reported to the copy as a fault: -EFAULT), the retry protocol.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Arch.X86.Mm;

public static class fault_c
{
    /// <summary>X86_PF_WRITE in the error code: the access was a write.</summary>
    public const int X86_PF_WRITE = 0x2;

    // arch/x86/mm/fault.c: do_user_addr_fault
    /// <summary>Resolves a fault at <paramref name="address"/>: true when a page is mapped there now, false for a bad address (SIGSEGV/SIGBUS to the task; -EFAULT to a copy).</summary>
    public static bool do_user_addr_fault(Vmlinux k, task_struct task, ulong address, int error_code)
    {
        // not ported: local_irq_enable — faults are taken from the port's user-copy code, where interrupts are already on
        // not ported: kernelmode_fixup_or_oops, page_fault_oops, pgtable_bad, is_errata93 — kernel-mode faults, reserved-bit faults and the AMD erratum are not modelled (see the file header)
        // not ported: bad_area_nosemaphore, bad_area_access_error, do_sigbus — signals are not ported (see the file header): a bad or refused address returns false and the copy reports -EFAULT
        // not ported: access_error — written out as the read/write permission test (see the comment below)
        var mm = task.mm;

        // lock_mm_and_find_vma: the mapping at or below the address that covers it
        vm_area_struct? vma = null;
        foreach (var v in mm.mm_mt.Values)
        {
            if (address >= v.vm_start && address < v.vm_end)
            {
                vma = v;
                break;
            }
        }

        if (vma is null)
        {
            return false; // bad_area
        }

        // access_error
        var write = (error_code & X86_PF_WRITE) != 0;
        if (write ? (vma.vm_flags & mm_h.VM_WRITE) == 0 : (vma.vm_flags & mm_h.VM_READ) == 0)
        {
            return false;
        }

        var fault = KernelNet.Kernel.Mm.memory_c.handle_mm_fault(k, vma, address, write ? KernelNet.Kernel.Mm.memory_c.FAULT_FLAG_WRITE : 0);
        return (fault & mm_h.VM_FAULT_SIGBUS) == 0;
    }

    /// <summary>
    /// The pages behind [<paramref name="address"/>, +<paramref name="len"/>)
    /// of the task's address space, as the MMU resolves them during a copy:
    /// each page without a pte faults in (do_user_addr_fault). Null for a bad address.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the MMU's translation of user addresses during copy_from_user: hardware in C")]
    public static System.Collections.Generic.List<bio_vec>? user_pages(Vmlinux k, task_struct task, ulong address, int len, bool write)
    {
        var bvec = new System.Collections.Generic.List<bio_vec>();
        var a = address;
        var end = address + (ulong)len;
        while (a < end)
        {
            var pageaddr = a & ~(ulong)(mm_h.PAGE_SIZE - 1);
            if (!task.mm.ptes.TryGetValue(pageaddr, out var page))
            {
                if (!do_user_addr_fault(k, task, a, write ? X86_PF_WRITE : 0))
                {
                    return null;
                }

                page = task.mm.ptes[pageaddr];
            }

            var off = (int)(a - pageaddr);
            var n = (int)System.Math.Min((ulong)(mm_h.PAGE_SIZE - off), end - a);
            bvec.Add(bvec_h.bvec_set_page(page, n, off));
            a += (ulong)n;
        }

        return bvec;
    }
}
