using System;
using System.Collections.Generic;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// Picks out of a system-wide trace the events that belong to one recording. tracefs has no
/// per-namespace filter, so an event is the recording's when
/// <list type="bullet">
/// <item>it names one of the recording's devices (unique names, <c>kn&lt;pid&gt;l&lt;link&gt;&lt;end&gt;</c>);</item>
/// <item>it runs in process context on one of the recording's host threads (comm <c>kn-HOST</c>);</item>
/// <item>it is not a netlink message's free (an rtnetlink notification nobody listened to);</item>
/// <item>it names an skb already seen in the recording and not yet freed, and does not run in
///   process context of a task outside the recording (an skb freed without a tracepoint, as
///   skb_attempt_defer_free frees a read datagram, leaves its address to be reused);</item>
/// <item>it carries neither skb nor device (sock_rcvqueue_full, udp_fail_queue_rcv_skb, ...),
///   does not run in process context of a task outside the recording, and the previous event
///   on its CPU was the recording's; or</item>
/// <item>it is a kfree_skb with a NEIGH_* reason and the next neigh_* event on its CPU (within a few events) is on
///   one of the recording's devices (a packet queued on an unresolved neighbour is seen first when
///   neigh_invalidate drops it, just before neigh_timer_handler's tracepoint).</item>
/// </list>
/// The simulation's traces pass through the same filter unchanged when their names follow the same rules.
/// </summary>
public sealed class TraceScope(IReadOnlySet<string> devices, IReadOnlySet<string> tasks)
{
    private const int NeighbourLookahead = 4;

    private readonly HashSet<string> _liveSkbs = new(StringComparer.Ordinal);
    private readonly Dictionary<int, bool> _lastOnCpuWasOurs = [];

    public List<TraceEvent> Filter(IEnumerable<TraceEvent> events)
    {
        var all = events as IReadOnlyList<TraceEvent> ?? new List<TraceEvent>(events);
        var kept = new List<TraceEvent>();
        for (var i = 0; i < all.Count; i++)
        {
            var e = all[i];
            var ours = IsOurs(e) || IsNeighbourDrop(all, i);
            _lastOnCpuWasOurs[e.Cpu] = ours;
            if (!ours)
            {
                continue;
            }

            kept.Add(e);
            if (e.SkbAddress is { } skb)
            {
                if (e.FreesSkb)
                {
                    _liveSkbs.Remove(skb);
                }
                else
                {
                    _liveSkbs.Add(skb);
                }
            }
        }

        return kept;
    }

    /// <summary>
    /// A netlink message freed in netlink_broadcast* (an rtnetlink notification such as
    /// neigh_update's RTM_NEWNEIGH that nobody listens to) is no packet of the recording, even
    /// when the slab gave it the address of one of its skbs that was freed without a tracepoint.
    /// </summary>
    private static bool IsNetlinkFree(TraceEvent e) =>
        e.FreesSkb && (e.Field("location") ?? "").StartsWith("netlink_", StringComparison.Ordinal);

    private bool IsNeighbourDrop(IReadOnlyList<TraceEvent> all, int index)
    {
        var e = all[index];
        if (e.Name != "kfree_skb" || !(e.Field("reason") ?? "").StartsWith("NEIGH_", StringComparison.Ordinal))
        {
            return false;
        }

        // neigh_invalidate may be followed by a netlink notification (its own consume_skb) first
        var seen = 0;
        for (var j = index + 1; j < all.Count && seen < NeighbourLookahead; j++)
        {
            if (all[j].Cpu != e.Cpu)
            {
                continue;
            }

            if (all[j].Name.StartsWith("neigh_", StringComparison.Ordinal))
            {
                return all[j].Device is { } d && devices.Contains(d);
            }

            seen++;
        }

        return false;
    }

    private bool IsOurs(TraceEvent e)
    {
        var previousOurs = _lastOnCpuWasOurs.TryGetValue(e.Cpu, out var p) && p;
        if (e.Device is { } dev)
        {
            return devices.Contains(dev);
        }

        if (IsNetlinkFree(e))
        {
            return false;
        }

        if (e.Context == TraceContext.Process)
        {
            if (tasks.Contains(e.Task))
            {
                return true;
            }

            if (e.Task != "<idle>")
            {
                return false;
            }
        }

        if (e.SkbAddress is { } skb)
        {
            return _liveSkbs.Contains(skb);
        }

        return previousOurs;
    }
}
