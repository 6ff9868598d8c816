// Ports drivers/net/ethernet/intel/igb/e1000_defines.h (and the descriptor
// bits of e1000_82575.h) that the driver uses.
namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class e1000_defines_h
{
    public const uint E1000_RCTL_EN = 0x00000002;
    public const uint E1000_TCTL_EN = 0x00000002;
    public const uint E1000_SRRCTL_DROP_EN = 0x80000000;
    public const uint E1000_RXDCTL_QUEUE_ENABLE = 0x02000000;
    public const uint E1000_TXDCTL_QUEUE_ENABLE = 0x02000000;
    public const uint E1000_IVAR_VALID = 0x80;
    public const uint E1000_MRQC_ENABLE_RSS_MQ = 0x00000002;
    public const uint E1000_MRQC_RSS_FIELD_IPV4_TCP = 0x00010000;
    public const uint E1000_MRQC_RSS_FIELD_IPV4 = 0x00020000;
    public const uint E1000_ITR_MASK = 0x7FFC;

    public const uint E1000_RXD_STAT_DD = 0x01;
    public const uint E1000_RXD_STAT_EOP = 0x02;
    public const uint E1000_TXD_STAT_DD = 0x01;
    public const uint E1000_ADVTXD_DTYP_DATA = 0x00300000;
    public const uint E1000_ADVTXD_DCMD_IFCS = 0x02000000;
    public const uint E1000_ADVTXD_DCMD_DEXT = 0x20000000;
    public const uint E1000_TXD_CMD_EOP = 0x01000000;
    public const uint E1000_TXD_CMD_RS = 0x08000000;
    public const int E1000_ADVTXD_PAYLEN_SHIFT = 14;
}
