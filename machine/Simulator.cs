using System;
using System.Collections.Generic;

namespace KernelNet.Machine;

/// <summary>
/// The virtual clock and the one event queue everything runs from. Events run
/// in (time, sequence) order, so two runs of the same scenario interleave the
/// same way: no wall clock, no threads.
/// </summary>
public sealed class Simulator
{
    private readonly PriorityQueue<Action, (long Time, long Seq)> _events = new();
    private long _seq;

    /// <summary>Virtual time of the event being run, in nanoseconds since boot.</summary>
    public long Now { get; private set; }

    /// <summary>Number of events still queued.</summary>
    public int Pending => _events.Count;

    /// <summary>Queues <paramref name="action"/> to run at virtual time <paramref name="at"/> (never in the past).</summary>
    public void Schedule(long at, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _events.Enqueue(action, (Math.Max(at, Now), _seq++));
    }

    /// <summary>Runs one event; false when the queue is empty or the next one is after <paramref name="until"/>.</summary>
    public bool Step(long until = long.MaxValue)
    {
        if (!_events.TryPeek(out _, out var key) || key.Time > until)
        {
            return false;
        }

        var action = _events.Dequeue();
        Now = key.Time;
        action();
        return true;
    }

    /// <summary>Runs events until none is left at or before <paramref name="until"/>; then the clock stands at <paramref name="until"/> if given.</summary>
    public void RunUntil(long until)
    {
        while (Step(until))
        {
        }

        if (until != long.MaxValue && until > Now)
        {
            Now = until;
        }
    }
}
