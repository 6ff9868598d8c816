// Ports fs/dcache.c, the part a socket takes: the dentry cache (dcache_init)
// and the unhashed pseudo dentry each socket's file sits on (d_alloc_pseudo,
// __d_alloc), freed when the file goes (dentry_free).
//
// departure: the dentry is only its slab object, held by the socket
// (socket.dentry_cachep). not ported: the rest of the dcache (lookup,
// hashing, the LRU, names, RCU-deferred freeing).
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Fs;

/// <summary>dcache.c's globals: dentry_cache, made at boot by dcache_init.</summary>
public sealed class dcache_globals
{
    public Mm.kmem_cache? dentry_cache { get; set; }
}

public static class dcache_c
{
    // fs/dcache.c: dentry_free
    /// <summary>The dentry's memory goes back to dentry_cache (short names need no external allocation).</summary>
    public static void dentry_free(socket sock)
    {
        // not ported: external_name, dname_external — no stored names (see the file header)
        // not ported: __d_free, call_rcu — freed at once: RCU-deferred freeing is not ported (see the file header)
        if (sock.dentry_cachep is { } cachep)
        {
            Mm.slub_c.kmem_cache_free(cachep);
            sock.dentry_cachep = null;
        }
    }

    // fs/dcache.c: __d_alloc
    /// <summary>A dentry from dentry_cache.</summary>
    private static void __d_alloc(Vmlinux k, socket sock)
    {
        // not ported: kmalloc, kfree, external_name, dname_external — a socket's pseudo dentry has no name stored (see the file header), so no external name buffer
        // not ported: kmem_cache_alloc_lru, kmem_cache_free — the dentry is its slab object, counted through kmem_cache_alloc_noprof (no LRU list); nothing after it can fail
        if (k.globals<dcache_globals>().dentry_cache is { } cachep)
        {
            Mm.slub_c.kmem_cache_alloc_noprof(cachep);
            sock.dentry_cachep = cachep;
        }
    }

    // fs/dcache.c: d_alloc_pseudo
    /// <summary>An unhashed dentry on a pseudo filesystem (sockfs): never looked up by name.</summary>
    public static void d_alloc_pseudo(Vmlinux k, socket sock) => __d_alloc(k, sock);

    // fs/dcache.c: dcache_init
    /// <summary>Boot (vfs_caches_init): the dentry cache — struct dentry is 192 bytes in 6.18 on x86-64, word aligned.</summary>
    public static void dcache_init(Vmlinux k)
    {
        // not ported: KMEM_CACHE_USERCOPY — written as __kmem_cache_create_args with the dentry's size and flags (the usercopy region matters only to hardened usercopy, not ported)
        k.globals<dcache_globals>().dentry_cache = Mm.slab_common_c.__kmem_cache_create_args(
            k, "dentry", 192, 0, slab_h.SLAB_RECLAIM_ACCOUNT | slab_h.SLAB_PANIC | slab_h.SLAB_ACCOUNT);
    }
}
