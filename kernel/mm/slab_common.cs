// Ports mm/slab_common.c: creating a named cache (kmem_cache_create ->
// __kmem_cache_create_args: its alignment, then SLUB's layout) on the
// kernel's list of caches, and /proc/slabinfo over that list.
//
// not ported: cache merging (find_mergeable), destroying caches, kmalloc's
// caches, usercopy regions, the slab_mutex (one thread).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Mm;

/// <summary>slab_common.c's globals: slab_caches, every cache of this kernel, newest first.</summary>
public sealed class slab_common_globals
{
    public List<kmem_cache> slab_caches { get; } = new();
}

public static class slab_common_c
{
    /// <summary>cache_line_size() on x86-64.</summary>
    private const uint cache_line_size = 64;

    /// <summary>arch_slab_minalign(): ARCH_SLAB_MINALIGN, a word.</summary>
    private const uint ARCH_SLAB_MINALIGN = 8;

    // mm/slab_common.c: calculate_alignment
    /// <summary>SLAB_HWCACHE_ALIGN aligns to a cache line, or to the largest power-of-two fraction of one that small objects still fill; never below a word.</summary>
    private static uint calculate_alignment(ulong flags, uint align, uint size)
    {
        // not ported: arch_slab_minalign — x86 has no arch override: it is ARCH_SLAB_MINALIGN, used here
        if ((flags & slab_h.SLAB_HWCACHE_ALIGN) != 0)
        {
            var ralign = cache_line_size;
            while (size <= ralign / 2)
            {
                ralign /= 2;
            }

            align = System.Math.Max(align, ralign);
        }

        align = System.Math.Max(align, ARCH_SLAB_MINALIGN);
        return (align + 7) & ~7U; // ALIGN(align, sizeof(void *))
    }

    // mm/slab_common.c: __kmem_cache_create_args
    /// <summary>
    /// kmem_cache_create: a new cache named <paramref name="name"/> for objects of
    /// <paramref name="object_size"/> bytes, laid out by SLUB, first on slab_caches.
    /// <paramref name="has_ctor"/>: a constructor initializes objects; <paramref name="use_freeptr_offset"/>:
    /// the object has a field for the free pointer (kmem_cache_args), so RCU-safe freeing needs no extra word.
    /// </summary>
    public static kmem_cache __kmem_cache_create_args(Vmlinux k, string name, uint object_size, uint align, ulong flags, bool has_ctor = false, bool use_freeptr_offset = false)
    {
        // not ported: create_cache — written out: the kmem_cache is constructed, laid out by do_kmem_cache_create, and put at the head of the list
        // not ported: __kmem_cache_alias — cache merging is not ported (see mm/slub.cs): each cache is its own
        // not ported: kmem_cache_sanity_check — a debug-only check (CONFIG_DEBUG_VM) of the name and size
        var s = new kmem_cache(name, object_size, calculate_alignment(flags, align, object_size), flags);
        var err = slub_c.do_kmem_cache_create(s, has_ctor, use_freeptr_offset);
        System.Diagnostics.Debug.Assert(err == 0, $"kmem_cache_create({name}) failed");

        // list_add: the newest cache heads the list, as /proc/slabinfo shows.
        k.globals<slab_common_globals>().slab_caches.Insert(0, s);
        return s;
    }

    // mm/slab_common.c: print_slabinfo_header
    private static void print_slabinfo_header(StringBuilder m)
    {
        m.Append("slabinfo - version: 2.1\n");
        m.Append("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
        m.Append(" : tunables <limit> <batchcount> <sharedfactor>");
        m.Append(" : slabdata <active_slabs> <num_slabs> <sharedavail>");
        m.Append('\n');
    }

    // mm/slab_common.c: cache_show
    /// <summary>One cache's line; SLUB has no tunables (0 0 0) and no shared array.</summary>
    private static void cache_show(kmem_cache s, StringBuilder m)
    {
        var (active_objs, num_objs, num_slabs) = slub_c.get_slabinfo(s);
        m.Append(string.Create(CultureInfo.InvariantCulture, $"{s.name,-17} {active_objs,6} {num_objs,6} {s.size,6} {s.oo_objects,4} {1 << (int)s.oo_order,4}"));
        m.Append(string.Create(CultureInfo.InvariantCulture, $" : tunables {0,4} {0,4} {0,4}"));
        m.Append(string.Create(CultureInfo.InvariantCulture, $" : slabdata {num_slabs,6} {num_slabs,6} {0,6}"));
        m.Append('\n');
    }

    // mm/slab_common.c: slab_show
    /// <summary>/proc/slabinfo: the header, then one line per cache, newest cache first.</summary>
    public static string slab_show(Vmlinux k)
    {
        var m = new StringBuilder();
        print_slabinfo_header(m);
        foreach (var s in k.globals<slab_common_globals>().slab_caches)
        {
            cache_show(s, m);
        }

        return m.ToString();
    }

    /// <summary>KMALLOC_MAX_CACHE_SIZE: SLUB's largest kmalloc cache (two pages); larger requests go to the page allocator.</summary>
    public const uint KMALLOC_MAX_CACHE_SIZE = 2 * slub_c.PAGE_SIZE;

    /// <summary>KMALLOC_MAX_SIZE: the largest kmalloc, 2^MAX_PAGE_ORDER pages (4 MiB on x86-64).</summary>
    public const uint KMALLOC_MAX_SIZE = slub_c.PAGE_SIZE << 10;

    /// <summary>kmalloc_size_index: the bucket of a small request, per 8 bytes; 1 and 2 name the 96- and 192-byte caches.</summary>
    private static ReadOnlySpan<byte> kmalloc_size_index =>
    [
        3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2,
    ];

    // mm/slab_common.c: kmalloc_size_roundup
    /// <summary>
    /// What kmalloc really hands out for <paramref name="size"/> bytes: the
    /// object size of its kmalloc-N cache (8 ... 8192, with 96 and 192), or
    /// whole pages above that. 0 and oversized requests come back unchanged.
    /// </summary>
    public static uint kmalloc_size_roundup(uint size)
    {
        // not ported: kmalloc_slab — written out as the kmalloc size-class lookup (see the comment below)
        if (size != 0 && size <= KMALLOC_MAX_CACHE_SIZE)
        {
            // kmalloc_slab(size)->object_size: small requests go by the
            // per-8-byte table, larger ones to the next power of two.
            var index = size <= 192
                ? kmalloc_size_index[(int)((size - 1) / 8)]
                : System.Numerics.BitOperations.Log2(size - 1) + 1; // fls(size - 1)

            return index switch
            {
                1 => 96,
                2 => 192,
                _ => 1u << index,
            };
        }

        if (size != 0 && size <= KMALLOC_MAX_SIZE)
        {
            return slub_c.PAGE_SIZE << (int)slub_c.get_order(size);
        }

        return size;
    }

    /// <summary>The cache named <paramref name="name"/> on slab_caches (what a /proc/slabinfo reader looks up), or null.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's lookup of a cache by name for /proc/slabinfo checks")]
    public static kmem_cache? find_cache(Vmlinux k, string name) =>
        k.globals<slab_common_globals>().slab_caches.Find(s => s.name == name);
}
