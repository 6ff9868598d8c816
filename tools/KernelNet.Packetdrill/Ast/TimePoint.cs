using System.Globalization;

namespace KernelNet.Packetdrill.Ast;

/// <summary>One written time: <c>+.01</c> is 10000 µs relative, <c>0.004</c> is 4000 µs absolute.</summary>
public readonly record struct TimePoint(long Microseconds, bool IsRelative)
{
    /// <summary>Script spelling, seconds with six decimals: <c>+0.010000</c>.</summary>
    public override string ToString()
    {
        var text = (Microseconds / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." +
                   (Microseconds % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        return IsRelative ? "+" + text : text;
    }
}
