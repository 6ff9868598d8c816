using System;
using System.Collections.Generic;

namespace KernelNet.Scenarios.Oracle;

/// <summary>
/// Picks out of a system-wide trace the events that belong to one recording. tracefs has no
/// per-namespace filter, so an event is the recording's when
/// <list type="bullet">
/// <item>it names one of the recording's devices (unique names: <c>kn&lt;pid&gt;l&lt;link&gt;&lt;end&gt;</c>
///   for link ends, <c>kn&lt;pid&gt;h&lt;host&gt;</c> for a host's own lo);</item>
/// <item>it runs in process context on one of the recording's host threads (comm <c>kn-HOST</c>);</item>
/// <item>(not in the task of another recorder's host thread, even in softirq: that recording runs
///   the same scenarios with the same addresses) it is a state change of a socket (protocol and
///   four-tuple) whose earlier state change was the recording's, from the state that one left it in;</item>
/// <item>it is not a netlink message's free (an rtnetlink notification nobody listened to);</item>
/// <item>(likewise) it names an skb already seen in the recording and not yet freed, and does not run in
///   process context of a task outside the recording (an skb freed without a tracepoint, as
///   skb_attempt_defer_free frees a read datagram, leaves its address to be reused); an address
///   seen on a device outside the recording is no longer the recording's;</item>
/// <item>(likewise) it carries neither skb nor device (sock_rcvqueue_full, udp_fail_queue_rcv_skb, ...),
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
    private readonly Dictionary<string, string> _sockets = new(StringComparer.Ordinal);
    private readonly Dictionary<int, bool> _lastOnCpuWasOurs = [];
    private readonly Dictionary<int, string> _commOf = [];

    public List<TraceEvent> Filter(IEnumerable<TraceEvent> events)
    {
        var all = events as IReadOnlyList<TraceEvent> ?? new List<TraceEvent>(events);
        var kept = new List<TraceEvent>();
        for (var i = 0; i < all.Count; i++)
        {
            var e = Named(all[i]);
            var ours = IsOurs(e) || IsNeighbourDrop(all, i);
            _lastOnCpuWasOurs[e.Cpu] = ours;
            if (!ours)
            {
                continue;
            }

            kept.Add(e);
            if (SocketKey(e) is { } sk)
            {
                // a closed socket's address may be the next socket of another namespace
                if (e.Field("newstate") is not { } newstate || newstate == "TCP_CLOSE")
                {
                    _sockets.Remove(sk);
                }
                else
                {
                    _sockets[sk] = newstate;
                }
            }

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
    /// The event with its task's comm where tracefs printed <c>&lt;...&gt;</c>: the trace's comm column comes
    /// from saved_cmdlines, a small global cache (128 pids), and a step that starts many threads
    /// (echo_load) outruns it. The scheduler's own events name each task they switch to or wake, and a
    /// thread is switched in before it does anything, so its comm is known by its first event.
    /// </summary>
    private TraceEvent Named(TraceEvent e)
    {
        switch (e.Name)
        {
            case "sched_switch":
                Learn(e.Field("prev_pid"), e.Field("prev_comm"));
                Learn(e.Field("next_pid"), e.Field("next_comm"));
                break;
            case "sched_waking" or "sched_wakeup" or "sched_wakeup_new":
                Learn(e.Field("pid"), e.Field("comm"));
                break;
        }

        return e.Task == "<...>" && _commOf.TryGetValue(e.Pid, out var comm) ? e with { Task = comm } : e;
    }

    private void Learn(string? pid, string? comm)
    {
        if (comm is not null && int.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p))
        {
            _commOf[p] = comm;
        }
    }

    /// <summary>
    /// A netlink message freed in netlink_broadcast* (an rtnetlink notification such as
    /// neigh_update's RTM_NEWNEIGH that nobody listens to) is no packet of the recording, even
    /// when the slab gave it the address of one of its skbs that was freed without a tracepoint.
    /// </summary>
    private static bool IsNetlinkFree(TraceEvent e) =>
        e.FreesSkb && (e.Field("location") ?? "").StartsWith("netlink_", StringComparison.Ordinal);

    /// <summary>A host thread of another recorder (<c>kn&lt;pid&gt;-HOST</c>, or the simulation's <c>kn-HOST</c>) than this recording's.</summary>
    private bool IsOtherRecorder(string task) =>
        !tasks.Contains(task) && task.StartsWith("kn", StringComparison.Ordinal) && task.Contains('-', StringComparison.Ordinal)
        && task.AsSpan(2, task.IndexOf('-', StringComparison.Ordinal) - 2).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>
    /// A socket as inet_sock_set_state names it (its format prints no address): protocol and the
    /// four-tuple. Another namespace may use the same tuple, but not while the recording's socket
    /// of that tuple is open.
    /// </summary>
    private static string? SocketKey(TraceEvent e) => e.Name == "inet_sock_set_state"
        ? $"{e.Field("protocol")} {e.Field("saddr")}:{e.Field("sport")}>{e.Field("daddr")}:{e.Field("dport")}"
        : null;

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
        // a scheduler event is the recording's when it names one of its tasks (the threads a step
        // starts carry their host thread's comm), whoever's context it ran in
        switch (e.Name)
        {
            case "sched_switch":
                return tasks.Contains(e.Field("prev_comm") ?? "") || tasks.Contains(e.Field("next_comm") ?? "");
            case "sched_waking" or "sched_wakeup" or "sched_wakeup_new":
                return tasks.Contains(e.Field("comm") ?? "");
        }

        var previousOurs = _lastOnCpuWasOurs.TryGetValue(e.Cpu, out var p) && p;
        if (e.Device is { } dev)
        {
            if (!devices.Contains(dev) && e.SkbAddress is { } foreign)
            {
                // an address of ours on another namespace's device: our skb was freed without a
                // tracepoint (tcp_rcv_established frees a pure ACK with __kfree_skb) and the slab
                // gave the address to that namespace's packet, whose later events are not ours
                _liveSkbs.Remove(foreign);
            }

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

        // softirq work in the task of another recorder's host thread is that recording's: it
        // runs the same scenarios, with the same addresses and tuples
        if (IsOtherRecorder(e.Task))
        {
            return false;
        }

        // a socket of the recording (seen in one of its events, not closed since) is the
        // recording's wherever its events run: a retransmission timer's softirq gives up on a
        // SYN_SENT socket on whatever CPU the timer fires, after anything else
        if (SocketKey(e) is { } sk && _sockets.TryGetValue(sk, out var state))
        {
            // from another state: another namespace's socket of the same tuple
            return e.Field("oldstate") == state;
        }

        if (e.SkbAddress is { } skb)
        {
            return _liveSkbs.Contains(skb);
        }

        return previousOurs;
    }
}
