// Ports mm/slab.h: struct kmem_cache, a SLUB cache as /proc/slabinfo shows
// it — its object size, the size each object takes in a slab (alignment and
// an out-of-object free pointer included), and how many objects a slab of
// 2^order pages holds.
//
// departure: no memory is carved: a cache counts the objects its users hold
// (the C# objects are the managed heap's), so the report is the kernel's
// arithmetic over the kernel's allocation and free calls. Slabs are counted
// as the fewest that hold the live objects (SLUB keeps partial and empty
// slabs cached besides: the real num_objs column runs a little higher).
namespace KernelNet.Kernel.Mm;

/// <summary>struct kmem_cache (SLUB): one named cache of equal-sized objects, and its live-object count.</summary>
public sealed class kmem_cache
{
    public kmem_cache(string name, uint object_size, uint align, ulong flags)
    {
        this.name = name;
        this.object_size = object_size;
        this.align = align;
        this.flags = flags;
    }

    public string name { get; }

    /// <summary>object_size: what the user asked for (sizeof the struct).</summary>
    public uint object_size { get; }

    /// <summary>size: the stride of objects in a slab (slabinfo's objsize column).</summary>
    public uint size { get; set; }

    public uint align { get; set; }

    public ulong flags { get; }

    /// <summary>oo: the slab's page order and the objects one slab holds.</summary>
    public uint oo_order { get; set; }

    public uint oo_objects { get; set; }

    /// <summary>Objects allocated and not yet freed (slabinfo's active_objs).</summary>
    public long active_objs { get; set; }

    /// <summary>Bytes the live objects take in their slabs: active_objs × size.</summary>
    public long active_bytes => active_objs * size;

    /// <summary>
    /// The CPU slab's freelist, for the users that hand out addresses through
    /// the cache (sockets): a freed object's address is pushed, and the next
    /// allocation takes the most recently freed one (LIFO), as SLUB's fast path does.
    /// </summary>
    public System.Collections.Generic.Stack<ulong> freelist { get; } = new();

    /// <summary>
    /// The CPU slab's freelist of objects, for the users whose objects are
    /// C# objects the cache hands out again (sk_buffs): a freed object is
    /// pushed, the next allocation takes the most recently freed one (LIFO).
    /// </summary>
    public System.Collections.Generic.Stack<object> objects { get; } = new();

    /// <summary>
    /// departure: KASAN's quarantine (mm/kasan/quarantine.c, not ported) as a
    /// per-cache FIFO: a freed object waits here for <see cref="quarantine_max"/>
    /// later frees before it reaches <see cref="objects"/>, so a use or a second
    /// free of it in that window still meets a freed object (the skb ledger
    /// reports it); 0 puts freed objects straight on the freelist.
    /// </summary>
    public System.Collections.Generic.Queue<object> quarantine { get; } = new();

    /// <summary>How many freed objects <see cref="quarantine"/> holds before the oldest goes back to the freelist.</summary>
    public int quarantine_max { get; set; }
}
