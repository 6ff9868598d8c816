// Ports include/linux/rcu_segcblist.h: the segmented callback list each CPU's
// rcu_data keeps, and the names of its four segments.
//
// not ported: the offload (nocb) flags and the lazy-callback count — no CPU is
// offloaded on the machine these recordings come from (no rcu_nocbs= on its
// command line), and lazy callbacks exist only on offloaded CPUs.
using System.Collections.Generic;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>
/// struct rcu_segcblist: the callbacks of one CPU in the order call_rcu
/// queued them, each in a segment. C keeps one list with four tail pointers;
/// here each callback carries its segment number, and since segments only
/// move forward (NEXT, then NEXT_READY/WAIT, then DONE) the order of the list
/// is the order of the segments.
/// </summary>
public sealed class rcu_segcblist
{
    /// <summary>The callbacks, oldest first.</summary>
    public List<rcu_head> head { get; } = new();

    /// <summary>gp_seq[]: the grace period each of the WAIT and NEXT_READY segments waits for.</summary>
    public ulong[] gp_seq { get; } = new ulong[rcu_segcblist_h.RCU_CBLIST_NSEGS];

    /// <summary>len: how many callbacks are queued.</summary>
    public long len => head.Count;
}

public static class rcu_segcblist_h
{
    /// <summary>Callbacks whose grace period has ended: ready to invoke.</summary>
    public const int RCU_DONE_TAIL = 0;

    /// <summary>Callbacks waiting for the current grace period.</summary>
    public const int RCU_WAIT_TAIL = 1;

    /// <summary>Callbacks waiting for the next grace period.</summary>
    public const int RCU_NEXT_READY_TAIL = 2;

    /// <summary>Callbacks with no grace period assigned yet (newly queued).</summary>
    public const int RCU_NEXT_TAIL = 3;

    public const int RCU_CBLIST_NSEGS = 4;
}
