// Ports include/linux/igmp.h: the IGMPv3 code decoding macros.

namespace KernelNet.Kernel.Include.Linux;

public static class igmp_h
{
    // include/linux/igmp.h: IGMPV3_EXP
    /// <summary>An IGMPv3 max response code (or QQIC) decoded: below 128 it is the value, above it a floating-point form.</summary>
    public static int IGMPV3_EXP(int thresh, int nbmant, int nbexp, int value)
        => value < thresh ? value : ((value & ((1 << nbmant) - 1)) | (1 << nbmant)) << (((value >> nbmant) & ((1 << nbexp) - 1)) + nbexp);

    // include/linux/igmp.h: IGMPV3_MRC
    /// <summary>The max response code of an IGMPv3 query, in tenths of a second.</summary>
    public static int IGMPV3_MRC(int value) => IGMPV3_EXP(0x80, 4, 3, value);

    // include/linux/igmp.h: IGMPV3_QQIC
    /// <summary>The querier's query interval code of an IGMPv3 query, in seconds.</summary>
    public static int IGMPV3_QQIC(int value) => IGMPV3_EXP(0x80, 4, 3, value);
}
