using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using KernelNet.Scenarios.Scenario;

namespace KernelNet.Scenarios.Oracle;

/// <summary>The comparison at one level: match, and if not, the first differences side by side.</summary>
public sealed record LevelResult(ComparisonLevel Level, bool Required, bool Match, string Differences);

/// <summary>All levels of one comparison; <see cref="Passed"/> when every required level matches.</summary>
public sealed record ComparisonReport(IReadOnlyList<LevelResult> Levels)
{
    public bool Passed => Levels.All(l => l.Match || !l.Required);

    public string Render(string leftName, string rightName)
    {
        var sb = new StringBuilder();
        foreach (var l in Levels)
        {
            var tag = l.Required ? "required" : "informative";
            sb.Append($"{l.Level.ToString().ToLowerInvariant(),-9} {(l.Match ? "match" : "DIFFER"),-6} ({tag})\n");
            if (!l.Match)
            {
                sb.Append($"    left = {leftName}\n    right = {rightName}\n").Append(l.Differences);
            }
        }

        return sb.ToString();
    }
}

/// <summary>Compares two normalized recordings level by level (steps, counters, wire, sockets, journeys, timing, order).</summary>
public static class Comparer
{
    private const int Context = 2;
    private const int Shown = 6;
    private const int TimingShown = 8;

    /// <summary>One jiffy at HZ=250: what a timer may be late by on either side.</summary>
    public const long JiffyMicros = 4_000;

    public static ComparisonReport Compare(NormalizedRecording left, NormalizedRecording right, IReadOnlyCollection<ComparisonLevel> required)
    {
        LevelResult Level(ComparisonLevel level, string diff) => new(level, required.Contains(level), diff.Length == 0, diff);
        return new ComparisonReport(
        [
            Level(ComparisonLevel.Steps, FirstDifference(left.Steps, right.Steps)),
            Level(ComparisonLevel.Counters, FirstDifference(left.Counters, right.Counters)),
            Level(ComparisonLevel.Wire, Keyed(left.Wire, right.Wire, "link")),
            Level(ComparisonLevel.Sockets, Keyed(left.Sockets, right.Sockets, "socket")),
            Level(ComparisonLevel.Journeys, FirstDifference(left.Journeys, right.Journeys)),
            Level(ComparisonLevel.Timing, Timing(left.Timing, right.Timing)),
            Level(ComparisonLevel.Switches, Switches(left.Switches, right.Switches)),
            Level(ComparisonLevel.Order, FirstDifference(left.Order, right.Order)),
        ]);
    }

    /// <summary>Empty when equal; otherwise the first differing line with a little context, left | right.</summary>
    public static string FirstDifference(IReadOnlyList<string> left, IReadOnlyList<string> right)
    {
        var i = 0;
        while (i < left.Count && i < right.Count && left[i] == right[i])
        {
            i++;
        }

        if (i == left.Count && i == right.Count)
        {
            return "";
        }

        var sb = new StringBuilder($"    first difference at line {i + 1} (left has {left.Count} lines, right {right.Count}):\n");
        for (var k = Math.Max(0, i - Context); k < Math.Max(left.Count, right.Count) && k < i + Shown; k++)
        {
            var l = k < left.Count ? left[k] : "(none)";
            var r = k < right.Count ? right[k] : "(none)";
            var mark = l == r ? " " : "!";
            sb.Append($"  {mark} {k + 1,4} left:  {l}\n");
            if (l != r)
            {
                sb.Append($"         right: {r}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>Whether two gaps agree: within one jiffy plus 10% of the longer.</summary>
    public static bool GapsAgree(long left, long right) => Math.Abs(left - right) <= JiffyMicros + (Math.Max(left, right) / 10);

    /// <summary>
    /// The timing level: frame by frame on each link, wherever either side has a timer's gap
    /// (<see cref="FrameTiming.IsTimerGap"/>), both sides must have a gap there and the two must
    /// agree within <see cref="GapsAgree"/>.
    /// </summary>
    public static string Timing(IReadOnlyDictionary<string, IReadOnlyList<FrameTiming>> left, IReadOnlyDictionary<string, IReadOnlyList<FrameTiming>> right)
    {
        var sb = new StringBuilder();
        foreach (var link in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            var l = left.TryGetValue(link, out var lv) ? lv : [];
            var r = right.TryGetValue(link, out var rv) ? rv : [];
            var shown = 0;
            for (var i = 0; i < Math.Min(l.Count, r.Count); i++)
            {
                if (!l[i].IsTimerGap && !r[i].IsTimerGap)
                {
                    continue;
                }

                if (l[i].GapMicros is { } a && r[i].GapMicros is { } b && GapsAgree(a, b))
                {
                    continue;
                }

                if (shown++ < TimingShown)
                {
                    sb.Append($"    link {link} frame {i + 1}: left {Gap(l[i])}, right {Gap(r[i])} (one jiffy + 10% allowed)\n");
                    sb.Append($"         left:  {l[i].Line}\n");
                    if (r[i].Line != l[i].Line)
                    {
                        sb.Append($"         right: {r[i].Line}\n");
                    }
                }
            }

            if (shown > TimingShown)
            {
                sb.Append($"    link {link}: {shown - TimingShown} more timer gaps differ\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// How far two recordings' server sleeps per request may be apart (absolute): about twice the
    /// widest spread of real recordings of epoll-vs-threads on this machine (docs/scenarios.md,
    /// "Switches": epoll 1.12-1.26, threads 1.60-1.77). Preemptions are shown but not compared: they
    /// follow what else shares the CPU (41 against 84 for the same workload on a loaded machine).
    /// </summary>
    public const double SwitchesBand = 0.3;

    /// <summary>
    /// The switches level: the same echo_load steps on both sides, each with its server pids
    /// recorded, and the server's sleeps per request within <see cref="SwitchesBand"/> of each other.
    /// </summary>
    public static string Switches(IReadOnlyList<ServerSwitches> left, IReadOnlyList<ServerSwitches> right)
    {
        var sb = new StringBuilder();
        if (left.Count != right.Count)
        {
            sb.Append($"    left has {left.Count} echo_load steps, right {right.Count}\n");
        }

        for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
        {
            var (l, r) = (left[i], right[i]);
            if (l.PidsRecorded && r.PidsRecorded && l.Line == r.Line && l.Requests == r.Requests
                && Math.Abs(l.SleepsPerRequest - r.SleepsPerRequest) <= SwitchesBand + 1e-9)
            {
                continue;
            }

            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"    step {i + 1} (band ±{SwitchesBand:0.00} per request):\n         left:  {l}\n         right: {r}\n");
        }

        return sb.ToString();
    }

    private static string Gap(FrameTiming t) => t.GapMicros is { } g
        ? $"+{(g / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} ms{(t.IsTimerGap ? " (timer)" : t.StepInGap ? " (a step started in it)" : "")}"
        : "first of its flow";

    private static string Keyed(IReadOnlyDictionary<string, IReadOnlyList<string>> left, IReadOnlyDictionary<string, IReadOnlyList<string>> right, string what)
    {
        var sb = new StringBuilder();
        foreach (var key in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            if (!left.TryGetValue(key, out var l))
            {
                sb.Append($"    {what} {key}: only right has it\n");
            }
            else if (!right.TryGetValue(key, out var r))
            {
                sb.Append($"    {what} {key}: only left has it\n");
            }
            else if (FirstDifference(l, r) is { Length: > 0 } diff)
            {
                sb.Append($"    {what} {key}:\n").Append(diff);
            }
        }

        return sb.ToString();
    }
}
