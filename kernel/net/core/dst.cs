// Ports net/core/dst.c: releasing a route's reference.
//
// not ported: dst_alloc/dst_init (rt_dst_alloc constructs the rtable),
// dst_destroy and the RCU-deferred free (the garbage collector frees),
// dst_dev_put (device unregistration), metadata dsts.
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Core;

public static class dst_c
{
    // net/core/dst.c: dst_release
    /// <summary>Drops a reference; the last one marks the route dead (its memory goes to the garbage collector, not call_rcu).</summary>
    public static void dst_release(dst_entry? dst)
    {
        // not ported: dst_cache_reset_now — no metadata (tunnel) dsts.
        // not ported: dst_count_dec — the dst_ops entry count is not kept.
        // not ported: call_rcu_hurry — nothing to free by hand; the route is only marked dead.
        if (dst is null)
        {
            return;
        }

        // rcuref_put: true when this was the last reference.
        dst.__rcuref--;
        if (dst.__rcuref == 0)
        {
            dst.obsolete = dst_h.DST_OBSOLETE_DEAD;
        }
    }
}
