// Ports mm/vma.c's unmapping: munmap(2) (__vm_munmap -> do_vmi_munmap) takes
// whole mappings out of the address space, drops their present pages'
// references (the ptes zapped) and the file reference.
//
// not ported: splitting a mapping (a munmap of part of one: -EINVAL here),
// merging, the maple tree itself (mm_struct.mm_mt is a sorted table).
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Mm;

public static class vma_c
{
    // mm/vma.c: __vm_munmap
    /// <summary>Removes the mapping that starts at <paramref name="start"/> and is <paramref name="len"/> bytes long (page-rounded).</summary>
    public static int __vm_munmap(Vmlinux k, task_struct task, ulong start, long len)
    {
        // not ported: VMA_ITERATOR, do_vmi_munmap — the mapping is found by its start in the table (see mm/mmap.cs's departure) and removed whole; splitting is not ported (see the comment below)
        var mm = task.mm;
        if ((start & (ulong)(mm_h.PAGE_SIZE - 1)) != 0 || len <= 0)
        {
            return -errno_base_h.EINVAL;
        }

        if (!mm.mm_mt.TryGetValue(start, out var vma))
        {
            return 0; // nothing mapped there: not an error
        }

        var end = start + (ulong)((len + mm_h.PAGE_SIZE - 1) & ~(long)(mm_h.PAGE_SIZE - 1));
        if (end != vma.vm_end)
        {
            // not ported: split_vma — only whole mappings are unmapped
            return -errno_base_h.EINVAL;
        }

        // unmap_region -> zap_pte_range: each present page's mapping reference is dropped
        for (var a = vma.vm_start; a < vma.vm_end; a += (ulong)mm_h.PAGE_SIZE)
        {
            if (mm.ptes.Remove(a, out var page))
            {
                mm_h.put_page(page);
            }
        }

        mm.mm_mt.Remove(start);
        if ((vma.vm_flags & (mm_h.VM_SHARED | mm_h.VM_WRITE)) == (mm_h.VM_SHARED | mm_h.VM_WRITE))
        {
            vma.vm_file!.f_mapping.i_mmap_writable--; // mapping_unmap_writable
        }

        // remove_vma: the file reference
        Fs.file_table_c.fput(k, vma.vm_file!);
        return 0;
    }
}
