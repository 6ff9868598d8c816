// Ports mm/slub.c: how SLUB lays a cache out — the object's stride
// (calculate_sizes: alignment, the free pointer moved out of objects that
// must stay intact after free) and the slab's page order (calculate_order,
// calc_slab_order: enough objects per slab, at most 1/16 wasted) — and the
// allocation and free of one object, which here only count it.
//
// not ported: per-CPU slabs, partial lists, debugging (red zones, poison,
// tracking), KASAN/KFENCE, memcg charging, cache merging (tcp_bind_bucket
// and tcp_bind2_bucket share one 128-byte cache on the real machine; here
// each is its own cache of the same geometry).
using System.Diagnostics;
using System.Numerics;
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Mm;

public static class slub_c
{
    /// <summary>PAGE_SIZE on x86-64.</summary>
    public const uint PAGE_SIZE = 4096;

    /// <summary>slub_max_order: PAGE_ALLOC_COSTLY_ORDER (3) by default.</summary>
    private const uint slub_max_order = 3;

    /// <summary>MAX_OBJS_PER_PAGE: what the slab's objects counter can hold.</summary>
    private const uint MAX_OBJS_PER_PAGE = 32767;

    /// <summary>The number of CPUs SLUB sizes slabs for (num_present_cpus of the machines the recordings come from: 2).</summary>
    private const uint nr_present_cpus = 2;

    // mm/slub.c: order_objects
    /// <summary>order_objects: how many objects of <paramref name="size"/> fit in a slab of 2^order pages.</summary>
    private static uint order_objects(uint order, uint size) => (PAGE_SIZE << (int)order) / size;

    /// <summary>get_order: the smallest order whose pages hold <paramref name="size"/> bytes.</summary>
    [KernelNet.Annotations.NotInLinux("stand-in for include/asm-generic/getorder.h's get_order, a header not ported")]
    internal static uint get_order(uint size)
    {
        uint order = 0;
        while ((PAGE_SIZE << (int)order) < size)
        {
            order++;
        }

        return order;
    }

    // mm/slub.c: calc_slab_order
    /// <summary>The smallest order from <paramref name="min_order"/> whose leftover is at most 1/<paramref name="fract_leftover"/> of the slab.</summary>
    private static uint calc_slab_order(uint size, uint min_order, uint max_order, uint fract_leftover)
    {
        uint order;
        for (order = min_order; order <= max_order; order++)
        {
            var slab_size = PAGE_SIZE << (int)order;
            var rem = slab_size % size;
            if (rem <= slab_size / fract_leftover)
            {
                break;
            }
        }

        return order;
    }

    // mm/slub.c: calculate_order
    /// <summary>
    /// The slab order for objects of <paramref name="size"/>: big enough for
    /// 4 × (fls(CPUs) + 1) objects (12 on two CPUs), then the least waste,
    /// tolerating more waste only if no order up to slub_max_order fits.
    /// </summary>
    private static int calculate_order(uint size)
    {
        var min_objects = 4 * ((uint)(32 - BitOperations.LeadingZeroCount(nr_present_cpus)) + 1);
        var max_objects = System.Math.Max(order_objects(slub_max_order, size), 1U);
        min_objects = System.Math.Min(min_objects, max_objects);

        var min_order = get_order(min_objects * size); // slub_min_order is 0
        if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
        {
            return (int)get_order(size * MAX_OBJS_PER_PAGE) - 1;
        }

        for (uint fraction = 16; fraction > 1; fraction /= 2)
        {
            var order = calc_slab_order(size, min_order, slub_max_order, fraction);
            if (order <= slub_max_order)
            {
                return (int)order;
            }
        }

        return (int)get_order(size);
    }

    // mm/slub.c: calculate_sizes
    /// <summary>
    /// The object's stride: its size rounded to a word; the free pointer
    /// goes after the object when freed memory must stay a valid object
    /// (SLAB_TYPESAFE_BY_RCU) or a constructor initialized it; then rounded
    /// to the alignment. Fills size and oo; false if no slab can hold one.
    /// </summary>
    private static bool calculate_sizes(kmem_cache s, bool has_ctor, bool use_freeptr_offset)
    {
        // not ported: slub_debug_orig_size — no slub debugging (see the file header)
        // not ported: oo_make — the order and object count are stored as two fields (oo_order, oo_objects) rather than packed into one word
        var size = s.object_size;
        size = (size + 7) & ~7U; // ALIGN(size, sizeof(void *))

        if (((s.flags & slab_h.SLAB_TYPESAFE_BY_RCU) != 0 && !use_freeptr_offset) || has_ctor)
        {
            // The free pointer may not overlay the object: it gets a word of its own.
            size += sizeof(ulong);
        }

        size = (size + s.align - 1) & ~(s.align - 1);
        s.size = size;
        var order = calculate_order(size);
        if (order < 0)
        {
            return false;
        }

        s.oo_order = (uint)order;
        s.oo_objects = order_objects((uint)order, size);
        return s.oo_objects != 0;
    }

    // mm/slub.c: do_kmem_cache_create
    /// <summary>SLUB's half of creating a cache: its layout (calculate_sizes).</summary>
    public static int do_kmem_cache_create(kmem_cache s, bool has_ctor, bool use_freeptr_offset)
    {
        // not ported: sysfs_slab_add, debugfs_slab_add — no sysfs or debugfs (/proc/slabinfo is read through get_slabinfo)
        // not ported: kmem_cache_flags, set_cpu_partial, init_cache_random_seq, alloc_kmem_cache_cpus, init_percpu_sheaves, init_kmem_cache_nodes, system_has_freelist_aba, __kmem_cache_release — the layout is all this port keeps of a cache (see the file header): no debug flags, per-CPU slabs, sheaves, node partial lists or freelist randomisation to set up
        return calculate_sizes(s, has_ctor, use_freeptr_offset) ? 0 : -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
    }

    // mm/slub.c: kmem_cache_alloc_noprof
    /// <summary>One object from <paramref name="s"/> (kmem_cache_alloc): counted live until kmem_cache_free.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kmem_cache_alloc: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static void kmem_cache_alloc_noprof(kmem_cache s)
    {
        // not ported: slab_alloc_node — an allocation is counted (and, with an address, taken from the CPU freelist) as its fast path would; no slabs are modelled
        s.active_objs++;
    }

    // mm/slub.c: kmem_cache_free
    /// <summary>An object goes back to <paramref name="s"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kmem_cache_free: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static void kmem_cache_free(kmem_cache s)
    {
        // not ported: cache_from_obj, virt_to_slab, slab_free — the cache is passed in and no slabs are modelled: the object is counted back (and pushed on the CPU freelist)
        Debug.Assert(s.active_objs > 0, $"{s.name}: more frees than allocations");
        s.active_objs--;
    }

    // mm/slub.c: kmem_cache_alloc_noprof
    /// <summary>
    /// One object from <paramref name="s"/>, with its address: the most recently
    /// freed object on the CPU freelist if there is one (slab_alloc_node's fast
    /// path), else <paramref name="fresh"/>, a new one from a fresh slab.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kmem_cache_alloc: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static ulong kmem_cache_alloc_noprof(kmem_cache s, ulong fresh)
    {
        // not ported: slab_alloc_node — an allocation is counted (and, with an address, taken from the CPU freelist) as its fast path would; no slabs are modelled
        kmem_cache_alloc_noprof(s);
        return s.freelist.Count > 0 ? s.freelist.Pop() : fresh;
    }

    // mm/slub.c: kmem_cache_free
    /// <summary>The object at <paramref name="x"/> goes back to <paramref name="s"/>, on top of the CPU freelist (do_slab_free's fast path).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kmem_cache_free: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static void kmem_cache_free(kmem_cache s, ulong x)
    {
        // not ported: cache_from_obj, virt_to_slab, slab_free — the cache is passed in and no slabs are modelled: the object is counted back (and pushed on the CPU freelist)
        kmem_cache_free(s);
        s.freelist.Push(x);
    }

    // mm/slub.c: kmem_cache_alloc_noprof
    /// <summary>
    /// One object of <paramref name="s"/> that the cache hands out again: the
    /// most recently freed one on the CPU freelist (slab_alloc_node's fast
    /// path), or null when the freelist is empty and the caller makes a new one
    /// (a fresh slab). Counted live until kmem_cache_free. The object comes
    /// back as it was freed: the caller clears what it needs cleared.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kmem_cache_alloc: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static T? kmem_cache_alloc_noprof<T>(kmem_cache s)
        where T : class
    {
        // not ported: slab_alloc_node — an allocation is counted and taken from the CPU freelist of objects as its fast path would; no slabs are modelled
        kmem_cache_alloc_noprof(s);
        return s.objects.Count > 0 ? (T)s.objects.Pop() : null;
    }

    // mm/slub.c: kmem_cache_free
    /// <summary>
    /// The object <paramref name="x"/> goes back to <paramref name="s"/>: on top
    /// of the CPU freelist (do_slab_free's fast path), through the cache's
    /// quarantine when it has one (see <see cref="kmem_cache.quarantine"/>).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kmem_cache_free: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static void kmem_cache_free(kmem_cache s, object x)
    {
        // not ported: cache_from_obj, virt_to_slab, slab_free — the cache is passed in and no slabs are modelled: the object is counted back and pushed on the CPU freelist of objects
        kmem_cache_free(s);
        if (s.quarantine_max > 0)
        {
            // kasan_slab_free: the object is quarantined; the oldest one leaves the quarantine for the freelist
            s.quarantine.Enqueue(x);
            if (s.quarantine.Count <= s.quarantine_max)
            {
                return;
            }

            x = s.quarantine.Dequeue();
        }

        s.objects.Push(x);
    }

    // mm/slub.c: __do_kmalloc_node
    /// <summary>
    /// kmalloc of a buffer of <paramref name="size"/> bytes (the caller has
    /// already rounded the request to its cache's object size): the most
    /// recently freed buffer of that size on the CPU freelist (slab_alloc_node's
    /// fast path, LIFO), else a new one. A reused buffer is zeroed: SLUB hands
    /// back stale bytes, but the port's code was written against the runtime's
    /// zeroed arrays and must read the same bytes it did before.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kmalloc: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static byte[] __do_kmalloc_node(Vmlinux k, int size)
    {
        // not ported: __kmalloc_large_node_noprof, kmalloc_slab, slab_alloc_node, kasan_kmalloc — one freelist per buffer size stands for the kmalloc-N caches and the page allocator behind large requests; no KASAN
        var g = k.globals<kmalloc_globals>();
        byte[] ret;
        if (g.freelists.TryGetValue(size, out var freelist) && freelist.Count > 0)
        {
            ret = freelist.Pop();
            System.Array.Clear(ret);
        }
        else
        {
            ret = new byte[size];
        }

        g.live.Add(ret);
        return ret;
    }

    // mm/slub.c: kfree
    /// <summary>
    /// Frees a buffer <see cref="__do_kmalloc_node"/> handed out: it goes on
    /// top of its size's freelist for the next kmalloc of that size. A buffer
    /// kmalloc did not hand out (an array a test or the hardware model made)
    /// is left to the garbage collector; each freelist holds at most
    /// <see cref="kmalloc_globals.MaxCachedBytes"/> bytes, the rest goes to the
    /// garbage collector too (SLUB gives empty slabs back to the page allocator).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("KernelNet.Port", "KN0009", Justification = "kfree: the kmem: tracepoints (include/trace/events/kmem.h) are not ported; no recording enables them")]
    public static void kfree(Vmlinux k, byte[] objp)
    {
        // not ported: virt_to_folio, folio_test_slab, free_large_kmalloc, folio_slab, slab_free — the buffer's size names its freelist; no folios or slabs are modelled
        if (objp.Length == 0)
        {
            return; // ZERO_OR_NULL_PTR
        }

        var g = k.globals<kmalloc_globals>();
        if (!g.live.Remove(objp))
        {
            return;
        }

        if (!g.freelists.TryGetValue(objp.Length, out var freelist))
        {
            freelist = new System.Collections.Generic.Stack<byte[]>();
            g.freelists.Add(objp.Length, freelist);
        }

        if ((long)(freelist.Count + 1) * objp.Length <= kmalloc_globals.MaxCachedBytes || freelist.Count == 0)
        {
            freelist.Push(objp);
        }
    }

    // mm/slub.c: get_slabinfo
    /// <summary>The numbers of one slabinfo line: (active_objs, num_objs, num_slabs); the slabs are the fewest that hold the live objects.</summary>
    public static (long active_objs, long num_objs, long num_slabs) get_slabinfo(kmem_cache s)
    {
        // not ported: for_each_kmem_cache_node, node_nr_slabs, node_nr_objs, count_partial_free_approx, oo_order — the cache keeps one count of live objects, not per-node slab and partial lists: the slabs are the fewest that hold them
        var nr_slabs = (s.active_objs + s.oo_objects - 1) / s.oo_objects;
        return (s.active_objs, nr_slabs * s.oo_objects, nr_slabs);
    }
}

/// <summary>
/// The kmalloc side of SLUB as the port models it: the buffers kmalloc has
/// handed out and not yet freed, and per buffer size a CPU freelist of freed
/// ones (what the kmalloc-N caches' slabs keep for the next allocation).
/// </summary>
public sealed class kmalloc_globals
{
    /// <summary>The most bytes one size's freelist keeps (16 MiB: a TCP send queue of 64 KiB heads).</summary>
    public const long MaxCachedBytes = 16L << 20;

    public System.Collections.Generic.HashSet<byte[]> live { get; } = new(System.Collections.Generic.ReferenceEqualityComparer.Instance);

    public System.Collections.Generic.Dictionary<int, System.Collections.Generic.Stack<byte[]>> freelists { get; } = new();
}
