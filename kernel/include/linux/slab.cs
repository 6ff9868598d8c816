// Ports include/linux/slab.h: the flags a cache is created with that change
// its layout (alignment, where the free pointer lives) or only its
// accounting. kmem_cache_create and kmem_cache_alloc are macros over
// __kmem_cache_create_args and kmem_cache_alloc_noprof (mm/).
namespace KernelNet.Kernel.Include.Linux;

/// <summary>The flags are bits of enum _slab_flag_bits; the later bits move with the config (these are a config with FAILSLAB, MEMCG and KFENCE).</summary>
public static class slab_h
{
    /// <summary>SLAB_HWCACHE_ALIGN: objects start on cache lines.</summary>
    public const ulong SLAB_HWCACHE_ALIGN = 1UL << 4;

    /// <summary>SLAB_PANIC: a failed create is fatal.</summary>
    public const ulong SLAB_PANIC = 1UL << 8;

    /// <summary>SLAB_TYPESAFE_BY_RCU: freed memory stays this type until a grace period, so the free pointer must live outside the object.</summary>
    public const ulong SLAB_TYPESAFE_BY_RCU = 1UL << 9;

    /// <summary>SLAB_ACCOUNT: charged to the allocating task's memory cgroup.</summary>
    public const ulong SLAB_ACCOUNT = 1UL << 14;

    /// <summary>SLAB_RECLAIM_ACCOUNT: counted as reclaimable (dentries, inodes).</summary>
    public const ulong SLAB_RECLAIM_ACCOUNT = 1UL << 17;
}
