using System;

namespace KernelNet.Tests.Support;

/// <summary>
/// RFC 1071's one's-complement sum, written out here on purpose: tests check the port's checksums
/// against a reference that shares no code with it (linked into the oracle tests too).
/// </summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="b"/> as big-endian 16-bit words (an odd last byte padded with zero) to <paramref name="sum"/>, unfolded.</summary>
    public static uint Sum(ReadOnlySpan<byte> b, uint sum)
    {
        for (var i = 0; i + 1 < b.Length; i += 2)
        {
            sum += (uint)((b[i] << 8) | b[i + 1]);
        }

        if ((b.Length & 1) != 0)
        {
            sum += (uint)(b[^1] << 8);
        }

        return sum;
    }

    /// <summary>Folds the carries of <paramref name="sum"/> back into 16 bits.</summary>
    public static ushort Fold(uint sum)
    {
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)sum;
    }
}
