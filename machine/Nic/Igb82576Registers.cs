namespace KernelNet.Machine.Nic;

/// <summary>
/// Register offsets and bits of the 82576 the model implements, as the
/// datasheet and the driver's e1000_regs.h/e1000_defines.h name them.
/// </summary>
public static class Igb82576Registers
{
    public const int CTRL = 0x00000;
    public const int STATUS = 0x00008;
    public const int RCTL = 0x00100;
    public const int TCTL = 0x00400;
    public const int GPIE = 0x01514;
    public const int EICS = 0x01520;
    public const int EIMS = 0x01524;
    public const int EIMC = 0x01528;
    public const int EIAC = 0x0152C;
    public const int EIAM = 0x01530;
    public const int EICR = 0x01580;
    public const int IVAR0 = 0x01700;
    public const int MRQC = 0x05818;
    public const int RETA0 = 0x05C00;
    public const int RSSRK0 = 0x05C80;
    public const int RAL0 = 0x05400;
    public const int RAH0 = 0x05404;

    public const int CRCERRS = 0x04000;
    public const int MPC = 0x04010;
    public const int GPRC = 0x04074;
    public const int BPRC = 0x04078;
    public const int MPRC = 0x0407C;
    public const int GPTC = 0x04080;
    public const int GORCL = 0x04088;
    public const int GORCH = 0x0408C;
    public const int GOTCL = 0x04090;
    public const int GOTCH = 0x04094;
    public const int RNBC = 0x040A0;
    public const int MPTC = 0x040F0;
    public const int BPTC = 0x040F4;

    public const uint RCTL_EN = 0x00000002;
    public const uint TCTL_EN = 0x00000002;
    public const uint SRRCTL_DROP_EN = 0x80000000;
    public const uint RXDCTL_QUEUE_ENABLE = 0x02000000;
    public const uint TXDCTL_QUEUE_ENABLE = 0x02000000;
    public const uint IVAR_VALID = 0x80;
    public const uint MRQC_ENABLE_RSS_MQ = 0x00000002;
    public const uint MRQC_RSS_FIELD_IPV4_TCP = 0x00010000;
    public const uint MRQC_RSS_FIELD_IPV4 = 0x00020000;
    public const uint MRQC_RSS_FIELD_IPV4_UDP = 0x00400000;

    /// <summary>Advanced descriptors: status DD (descriptor done) and EOP.</summary>
    public const uint RXD_STAT_DD = 0x01;
    public const uint RXD_STAT_EOP = 0x02;
    public const uint TXD_STAT_DD = 0x01;
    public const uint ADVTXD_DCMD_EOP = 0x01000000;
    public const uint ADVTXD_DCMD_IFCS = 0x02000000;
    public const uint ADVTXD_DCMD_RS = 0x08000000;
    public const uint ADVTXD_DCMD_DEXT = 0x20000000;
    public const uint ADVTXD_DTYP_DATA = 0x00300000;

    /// <summary>Bytes of one advanced descriptor.</summary>
    public const int DescSize = 16;

    public static int RDBAL(int n) => 0x0C000 + (n * 0x40);

    public static int RDBAH(int n) => 0x0C004 + (n * 0x40);

    public static int RDLEN(int n) => 0x0C008 + (n * 0x40);

    public static int SRRCTL(int n) => 0x0C00C + (n * 0x40);

    public static int RDH(int n) => 0x0C010 + (n * 0x40);

    public static int RDT(int n) => 0x0C018 + (n * 0x40);

    public static int RXDCTL(int n) => 0x0C028 + (n * 0x40);

    public static int RQDPC(int n) => 0x0C030 + (n * 0x40);

    public static int TDBAL(int n) => 0x0E000 + (n * 0x40);

    public static int TDBAH(int n) => 0x0E004 + (n * 0x40);

    public static int TDLEN(int n) => 0x0E008 + (n * 0x40);

    public static int TDH(int n) => 0x0E010 + (n * 0x40);

    public static int TDT(int n) => 0x0E018 + (n * 0x40);

    public static int TXDCTL(int n) => 0x0E028 + (n * 0x40);

    public static int EITR(int n) => 0x01680 + (n * 4);

    public static int IVAR(int n) => IVAR0 + (n * 4);
}
