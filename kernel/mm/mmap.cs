// Ports mm/mmap.c: mmap(2) of a file (ksys_mmap_pgoff -> do_mmap): an
// address range of the task's address space bound to the file from a page
// offset; the file's mmap operation installs its fault handler. Nothing is
// mapped until the first touch faults a page in (mm/memory.c).
//
// departure: the address space is a sorted table of mappings (the maple
// tree) and get_unmapped_area is a bump pointer from mmap_base upward.
// not ported: anonymous mappings, MAP_FIXED, MAP_PRIVATE copy-on-write (a
// private mapping reads the same cache pages; a write through it is not
// modelled), mremap, mprotect, merging of neighbouring mappings, rlimits.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;

namespace KernelNet.Kernel.Mm;

public static class mmap_c
{
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_FIXED = 0x10;
    public const int MAP_ANONYMOUS = 0x20;

    // mm/mmap.c: do_mmap
    /// <summary>
    /// Maps <paramref name="len"/> bytes of <paramref name="file"/> from page
    /// <paramref name="pgoff"/>: a new vma with the protection's VM_ flags
    /// (VM_SHARED for MAP_SHARED) and the file's vm_ops; the start address, or
    /// -EACCES for a write mapping of a file not open for writing.
    /// </summary>
    public static long do_mmap(Vmlinux k, task_struct task, @file file, ulong addr, long len, int prot, int flags, long pgoff)
    {
        // not ported: can_do_mlock, mlock_future_ok — no MAP_LOCKED/mlock limits (rlimits are not ported)
        // not ported: file_mmap_ok, file_inode, IS_APPEND, IS_SWAPFILE, can_mmap_file — the offset overflow, append-only and swapfile checks: tmpfs files here have no such flags, and offsets are page numbers the caller checked
        // not ported: mmap_region — written out: the vma is made, inserted in the table and handed to the file's mmap
        // not ported: round_hint_to_min, __get_unmapped_area, find_vma_intersection — the address is the next range of the bump allocator (see the departure above); the hint is ignored without MAP_FIXED
        // not ported: PAGE_ALIGN — written out as the round-up to PAGE_SIZE (see the comment below)
        _ = addr; // a hint only without MAP_FIXED
        if (len == 0)
        {
            return -errno_base_h.EINVAL;
        }

        len = (len + mm_h.PAGE_SIZE - 1) & ~(long)(mm_h.PAGE_SIZE - 1); // PAGE_ALIGN
        if (len <= 0)
        {
            return -errno_base_h.ENOMEM;
        }

        var mm = task.mm;
        ulong vm_flags = 0;
        if ((prot & PROT_READ) != 0)
        {
            vm_flags |= mm_h.VM_READ;
        }

        if ((prot & PROT_WRITE) != 0)
        {
            vm_flags |= mm_h.VM_WRITE;
        }

        if ((flags & MAP_SHARED) != 0)
        {
            if ((prot & PROT_WRITE) != 0 && (file.f_mode & fs_h.FMODE_WRITE) == 0)
            {
                return -errno_base_h.EACCES;
            }

            vm_flags |= mm_h.VM_SHARED;
        }

        if ((file.f_mode & fs_h.FMODE_READ) == 0 || file.f_op.mmap is null)
        {
            return (file.f_mode & fs_h.FMODE_READ) == 0 ? -errno_base_h.EACCES : -errno_base_h.ENODEV;
        }

        // get_unmapped_area: the next free range
        var start = mm.mmap_base;
        mm.mmap_base += (ulong)len + (ulong)mm_h.PAGE_SIZE; // a guard gap between mappings

        // mmap_region -> __mmap_region: the vma, the file's mmap hook
        var vma = new vm_area_struct
        {
            vm_start = start,
            vm_end = start + (ulong)len,
            vm_pgoff = pgoff,
            vm_file = fs_h.get_file(file),
            vm_flags = vm_flags,
            vm_mm = mm,
        };
        var err = file.f_op.mmap(k, file, vma);
        if (err != 0)
        {
            Fs.file_table_c.fput(k, file);
            return err;
        }

        if ((vm_flags & (mm_h.VM_SHARED | mm_h.VM_WRITE)) == (mm_h.VM_SHARED | mm_h.VM_WRITE))
        {
            file.f_mapping.i_mmap_writable++; // mapping_map_writable
        }

        mm.mm_mt[start] = vma;
        return (long)start;
    }

    // mm/mmap.c: ksys_mmap_pgoff
    /// <summary>mmap(2): the descriptor's file mapped (-EBADF when it is none; anonymous mappings are not ported: -EINVAL).</summary>
    public static long ksys_mmap_pgoff(Vmlinux k, task_struct task, ulong addr, long len, int prot, int flags, int fd, long pgoff, long offset)
    {
        // not ported: fput — the port's fget takes no file reference (see fs/file.cs), so none is dropped
        if ((offset & (mm_h.PAGE_SIZE - 1)) != 0)
        {
            return -errno_base_h.EINVAL; // the old mmap's offset_in_page check
        }

        if ((flags & MAP_ANONYMOUS) != 0 || (flags & MAP_FIXED) != 0)
        {
            // not ported: anonymous and fixed mappings
            return -errno_base_h.EINVAL;
        }

        var file = Fs.file_c.fget(task, fd);
        if (file is null)
        {
            return -errno_base_h.EBADF;
        }

        // vm_mmap_pgoff: mmap_write_lock, do_mmap, populate (not asked for)
        return do_mmap(k, task, file, addr, len, prot, flags, pgoff);
    }
}
