using System;
using System.Globalization;
using KernelNet.Packetdrill.Ast;

namespace KernelNet.Packetdrill.Run;

/// <summary>
/// packetdrill's timing rule, in our words: an event at script time T passes
/// when it happened within the tolerance of T (of [T, END] for a range), the
/// tolerance being the larger of --tolerance_usecs and --tolerance_percent of
/// the time since the previous event.
/// </summary>
public static class TimeCheck
{
    /// <summary>The tolerance for an event at <paramref name="scriptUs"/> whose previous event was at <paramref name="lastEventUs"/> (null: none).</summary>
    public static long Tolerance(RunConfig config, long scriptUs, long? lastEventUs)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tol = config.ToleranceUsecs;
        if (lastEventUs is { } last)
        {
            var dynamic = (long)(config.TolerancePercent / 100.0 * (scriptUs - last));
            tol = Math.Max(tol, dynamic);
        }

        return tol;
    }

    /// <summary>Null when <paramref name="actualUs"/> is acceptable, else the one-line timing error.</summary>
    public static string? Verify(RunConfig config, TimeKind kind, long scriptUs, long? scriptEndUs, long actualUs, long? lastEventUs, string what)
    {
        if (kind is TimeKind.Any or TimeKind.None)
        {
            return null;
        }

        var tol = Tolerance(config, scriptUs, lastEventUs);
        if (kind == TimeKind.Range && scriptEndUs is { } end)
        {
            if (actualUs < scriptUs - tol || actualUs > end + tol)
            {
                return string.Create(CultureInfo.InvariantCulture, $"timing error: expected {what} in time range {Secs(scriptUs)}~{Secs(end)} sec but happened at {Secs(actualUs)} sec");
            }

            return null;
        }

        if (actualUs < scriptUs - tol || actualUs > scriptUs + tol)
        {
            return string.Create(CultureInfo.InvariantCulture, $"timing error: expected {what} at {Secs(scriptUs)} sec but happened at {Secs(actualUs)} sec; tolerance {Secs(tol)} sec");
        }

        return null;
    }

    /// <summary>Microseconds as seconds with six decimals.</summary>
    public static string Secs(long us) => (us / 1e6).ToString("0.000000", CultureInfo.InvariantCulture);
}
