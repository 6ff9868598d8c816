// Ports kernel/rcu/rcu_segcblist.c: queueing callbacks on a CPU's segmented
// list, giving them a grace period (accelerate), moving those whose grace
// period ended to the done segment (advance), and taking the done ones out
// for rcu_do_batch.
//
// not ported: the offload/nocb and lazy paths, rcu_segcblist_entrain
// (rcu_barrier), and the merge/insert helpers of CPU hotplug — no caller here.
// not ported: rcu_segcblist_is_enabled — every CPU's list is enabled from boot (no offload or hotplug disables one)
// not ported: rcu_segcblist_inc_len, rcu_segcblist_inc_seglen, rcu_segcblist_get_seglen, rcu_segcblist_set_seglen, rcu_segcblist_add_seglen, rcu_segcblist_move_seglen — each callback carries its segment number, so segment lengths are counted from the list (MoveSegment re-labels a segment) rather than kept per segment; the total is len
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.rcu_segcblist_h;
using static KernelNet.Kernel.Kernel.Rcu.rcu_h;

namespace KernelNet.Kernel.Kernel.Rcu;

public static class rcu_segcblist_c
{
    // kernel/rcu/rcu_segcblist.h: rcu_segcblist_empty
    /// <summary>No callback queued at all.</summary>
    public static bool rcu_segcblist_empty(rcu_segcblist rsclp) => rsclp.head.Count == 0;

    // kernel/rcu/rcu_segcblist.h: rcu_segcblist_n_cbs
    public static long rcu_segcblist_n_cbs(rcu_segcblist rsclp) => rsclp.len;

    // kernel/rcu/rcu_segcblist.h: rcu_segcblist_restempty
    /// <summary>No callback in the segments after <paramref name="seg"/>.</summary>
    public static bool rcu_segcblist_restempty(rcu_segcblist rsclp, int seg)
    {
        foreach (var rhp in rsclp.head)
        {
            if (rhp.seg > seg)
            {
                return false;
            }
        }

        return true;
    }

    // kernel/rcu/rcu_segcblist.h: rcu_segcblist_segempty
    /// <summary>No callback in segment <paramref name="seg"/>.</summary>
    public static bool rcu_segcblist_segempty(rcu_segcblist rsclp, int seg)
    {
        foreach (var rhp in rsclp.head)
        {
            if (rhp.seg == seg)
            {
                return false;
            }
        }

        return true;
    }

    // kernel/rcu/rcu_segcblist.c: rcu_segcblist_ready_cbs
    /// <summary>Some callback's grace period has ended: rcu_do_batch has work.</summary>
    public static bool rcu_segcblist_ready_cbs(rcu_segcblist rsclp) =>
        rsclp.head.Count > 0 && rsclp.head[0].seg == RCU_DONE_TAIL;

    // kernel/rcu/rcu_segcblist.c: rcu_segcblist_enqueue
    /// <summary>Queues a new callback at the end, in the NEXT segment (no grace period yet).</summary>
    public static void rcu_segcblist_enqueue(rcu_segcblist rsclp, rcu_head rhp)
    {
        rhp.seg = RCU_NEXT_TAIL;
        rsclp.head.Add(rhp);
    }

    // kernel/rcu/rcu_segcblist.c: rcu_segcblist_extract_done_cbs
    /// <summary>Takes the DONE segment out, in queueing order, for invocation.</summary>
    public static List<rcu_head> rcu_segcblist_extract_done_cbs(rcu_segcblist rsclp)
    {
        // not ported: rcu_segcblist_ready_cbs — the done callbacks are found by their segment number while walking the list
        var rclp = new List<rcu_head>();
        var n = 0;
        while (n < rsclp.head.Count && rsclp.head[n].seg == RCU_DONE_TAIL)
        {
            rclp.Add(rsclp.head[n]);
            n++;
        }

        rsclp.head.RemoveRange(0, n);
        return rclp;
    }

    // kernel/rcu/rcu_segcblist.c: rcu_segcblist_insert_done_cbs
    /// <summary>Puts callbacks rcu_do_batch did not get to back at the front of the DONE segment.</summary>
    public static void rcu_segcblist_insert_done_cbs(rcu_segcblist rsclp, List<rcu_head> rclp)
    {
        rsclp.head.InsertRange(0, rclp);
    }

    // kernel/rcu/rcu_segcblist.c: rcu_segcblist_advance
    /// <summary>
    /// The grace periods up to <paramref name="seq"/> have ended: the WAIT and
    /// NEXT_READY segments they covered join DONE, and what is left moves
    /// down, keeping its grace-period numbers.
    /// </summary>
    public static void rcu_segcblist_advance(rcu_segcblist rsclp, ulong seq)
    {
        if (rcu_segcblist_restempty(rsclp, RCU_DONE_TAIL))
        {
            return;
        }

        int i;
        for (i = RCU_WAIT_TAIL; i < RCU_NEXT_TAIL; i++)
        {
            if (ULONG_CMP_LT(seq, rsclp.gp_seq[i]))
            {
                break;
            }

            MoveSegment(rsclp, i, RCU_DONE_TAIL);
        }

        if (i == RCU_WAIT_TAIL)
        {
            return;
        }

        // Close the gap the DONE segment left: the segments still waiting move down.
        for (var j = RCU_WAIT_TAIL; i < RCU_NEXT_TAIL; i++, j++)
        {
            if (WaitingSegmentsEmpty(rsclp, i))
            {
                break;
            }

            MoveSegment(rsclp, i, j);
            rsclp.gp_seq[j] = rsclp.gp_seq[i];
        }
    }

    // kernel/rcu/rcu_segcblist.c: rcu_segcblist_accelerate
    /// <summary>
    /// Gives the callbacks that have no grace period yet (and any waiting
    /// for a later one than <paramref name="seq"/>) the grace period
    /// <paramref name="seq"/>, merging them into the lowest segment that can
    /// hold them. True if some callback now waits for <paramref name="seq"/>,
    /// so that the caller must make sure that grace period starts.
    /// </summary>
    public static bool rcu_segcblist_accelerate(rcu_segcblist rsclp, ulong seq)
    {
        if (rcu_segcblist_restempty(rsclp, RCU_DONE_TAIL))
        {
            return false;
        }

        int i;
        for (i = RCU_NEXT_READY_TAIL; i > RCU_DONE_TAIL; i--)
        {
            if (!rcu_segcblist_segempty(rsclp, i) && ULONG_CMP_LT(rsclp.gp_seq[i], seq))
            {
                break;
            }
        }

        if (rcu_segcblist_restempty(rsclp, i) || ++i >= RCU_NEXT_TAIL)
        {
            return false;
        }

        for (var j = i + 1; j <= RCU_NEXT_TAIL; j++)
        {
            MoveSegment(rsclp, j, i);
        }

        for (; i < RCU_NEXT_TAIL; i++)
        {
            rsclp.gp_seq[i] = seq;
        }

        return true;
    }

    /// <summary>No callback in segments <paramref name="from"/> .. NEXT_READY (C: tails[j] == tails[RCU_NEXT_TAIL]).</summary>
    [KernelNet.Annotations.NotInLinux("C# helper over the segment tails: C compares the rsclp->tails[] pointers inline")]
    private static bool WaitingSegmentsEmpty(rcu_segcblist rsclp, int from)
    {
        foreach (var rhp in rsclp.head)
        {
            if (rhp.seg >= from && rhp.seg < RCU_NEXT_TAIL)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>rcu_segcblist_move_seglen plus the tail update: every callback of segment <paramref name="from"/> now belongs to <paramref name="to"/>.</summary>
    [KernelNet.Annotations.NotInLinux("C# helper over the segment tails: C moves rsclp->tails[] pointers inline")]
    private static void MoveSegment(rcu_segcblist rsclp, int from, int to)
    {
        foreach (var rhp in rsclp.head)
        {
            if (rhp.seg == from)
            {
                rhp.seg = to;
            }
        }
    }
}
