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

/// <summary>struct minmax: the three best samples of the window, best first (s[0]). Plain data embedded by value (struct bbr's bw); the filter's functions take it by ref.</summary>
public struct minmax
{
    public minmax_sample_array3 s;
}

/// <summary>struct minmax_sample s[3], embedded in minmax as in the kernel.</summary>
[System.Runtime.CompilerServices.InlineArray(3)]
public struct minmax_sample_array3
{
    private minmax_sample _element0;
}

public static class win_minmax_h
{
    // include/linux/win_minmax.h: minmax_get
    /// <summary>The filter's current best value.</summary>
    public static uint minmax_get(in minmax m) => m.s[0].v;

    // include/linux/win_minmax.h: minmax_reset
    /// <summary>Forgets every sample: <paramref name="meas"/> taken at <paramref name="t"/> fills all three slots.</summary>
    public static uint minmax_reset(ref minmax m, uint t, uint meas)
    {
        var val = new minmax_sample { t = t, v = meas };

        m.s[2] = m.s[1] = m.s[0] = val;
        return m.s[0].v;
    }
}
