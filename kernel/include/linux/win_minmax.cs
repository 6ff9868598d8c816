// Ports include/linux/win_minmax.h: a windowed min or max filter (Kathleen
// Nichols' algorithm) that keeps the best, second best and third best
// samples of a sliding window, each with the time it was taken; the time
// unit is the caller's (BBR counts round trips, RTT filters count jiffies).
namespace KernelNet.Kernel.Include.Linux;

/// <summary>struct minmax_sample: one measurement and when it was taken.</summary>
public struct minmax_sample
{
    /// <summary>t: when the measurement was taken (the caller's unit).</summary>
    public uint t;

    /// <summary>v: the value measured.</summary>
    public uint v;
}

/// <summary>struct minmax: the three best samples of the window, best first (s[0]).</summary>
public sealed class minmax
{
    public minmax_sample[] s { get; } = new minmax_sample[3];
}

public static class win_minmax_h
{
    // include/linux/win_minmax.h: minmax_get
    /// <summary>The filter's current best value.</summary>
    public static uint minmax_get(minmax m) => m.s[0].v;

    // include/linux/win_minmax.h: minmax_reset
    /// <summary>Forgets every sample: <paramref name="meas"/> taken at <paramref name="t"/> fills all three slots.</summary>
    public static uint minmax_reset(minmax m, uint t, uint meas)
    {
        var val = new minmax_sample { t = t, v = meas };

        m.s[2] = m.s[1] = m.s[0] = val;
        return m.s[0].v;
    }
}
