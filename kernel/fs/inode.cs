// Ports fs/inode.c: inode numbers for pseudo and tmpfs inodes
// (get_next_ino), taking and dropping inode references (ihold, iput), and
// the end of an inode whose last reference and last name are gone (iput_final
// -> evict -> the file system's evict_inode, which drops the page cache).
//
// not ported: the inode hash and LRU, writeback, i_state transitions other
// than the final eviction, per-CPU inode number batches.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Fs;

/// <summary>fs/inode.c's globals: the last inode number get_next_ino gave out.</summary>
public sealed class inode_globals
{
    public ulong last_ino { get; set; }
}

public static class inode_c
{
    // fs/inode.c: get_next_ino
    /// <summary>The next inode number for an inode of no backing store (pipes, tmpfs files).</summary>
    public static ulong get_next_ino(Vmlinux k) => ++k.globals<inode_globals>().last_ino;

    // fs/inode.c: drop_nlink
    /// <summary>One name fewer.</summary>
    public static void drop_nlink(inode inode) => inode.i_nlink--;

    // fs/inode.c: ihold
    /// <summary>Another reference to an inode someone already holds.</summary>
    public static void ihold(inode inode) => inode.i_count++;

    // fs/inode.c: iput
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "writeback_lazytime_iput fires only for an inode with I_DIRTY_TIME (lazytime timestamps): the port keeps no timestamps")]
    /// <summary>Drops a reference; the last one, once the inode has no name, evicts it (its pages leave the page cache).</summary>
    public static void iput(Vmlinux k, inode inode)
    {
        // not ported: mark_inode_dirty_sync — the lazytime timestamp flush; inode times and writeback are not kept
        if (--inode.i_count == 0)
        {
            iput_final(k, inode);
        }
    }

    // fs/inode.c: iput_final
    /// <summary>The last reference: an unlinked inode is evicted; a named one stays cached (tmpfs inodes are their own backing store).</summary>
    private static void iput_final(Vmlinux k, inode inode)
    {
        // not ported: __inode_add_lru, inode_lru_list_del — no inode LRU (see the file header)
        // not ported: inode_generic_drop — written as its i_nlink test (tmpfs has no drop_inode); the hashed half is not ported (no inode hash)
        if (inode.i_nlink == 0)
        {
            evict(k, inode);
        }
    }

    // fs/inode.c: evict
    /// <summary>The file system's evict_inode (shmem_evict_inode for tmpfs: truncate the whole page cache).</summary>
    private static void evict(Vmlinux k, inode inode)
    {
        // not ported: clear_inode, destroy_inode — the inode is a managed object: after evict_inode it is simply unreferenced
        // not ported: inode_sb_list_del, remove_inode_hash, inode_wait_for_lru_isolating, inode_wake_up_bit — no super block inode list, inode hash or LRU (see the file header), so nothing to unlink or wait for
        // not ported: S_ISCHR — no character-device inodes (the tun device is opened without one), so there is no cdev to release
        if (Include.Uapi.Linux.stat_h.S_ISREG(inode.i_mode))
        {
            Mm.shmem_c.shmem_evict_inode(k, inode);
        }
    }
}
