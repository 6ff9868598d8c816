// Ports drivers/net/ethernet/intel/igb/e1000_defines.h: the register bits
// the driver uses.
namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class e1000_defines_h
{
    public const uint E1000_IVAR_VALID = 0x80;
    public const uint E1000_GPIE_NSICR = 0x00000001;
    public const uint E1000_GPIE_MSIX_MODE = 0x00000010;
    public const uint E1000_GPIE_EIAME = 0x40000000;
    public const uint E1000_GPIE_PBA = 0x80000000;

    public const uint E1000_RXD_STAT_DD = 0x01;
    public const uint E1000_RXD_STAT_EOP = 0x02;
    public const uint E1000_RXD_STAT_IXSM = 0x04;
    public const uint E1000_RXD_STAT_UDPCS = 0x10;
    public const uint E1000_RXD_STAT_TCPCS = 0x20;
    public const uint E1000_RXDEXT_STATERR_TCPE = 0x20000000;
    public const uint E1000_RXDEXT_STATERR_IPE = 0x40000000;

    public const uint E1000_MRQC_RSS_FIELD_IPV4_TCP = 0x00010000;
    public const uint E1000_MRQC_RSS_FIELD_IPV4 = 0x00020000;

    public const uint E1000_RXDEXT_STATERR_CE = 0x01000000;
    public const uint E1000_RXDEXT_STATERR_SE = 0x02000000;
    public const uint E1000_RXDEXT_STATERR_SEQ = 0x04000000;
    public const uint E1000_RXDEXT_STATERR_CXE = 0x10000000;
    public const uint E1000_RXDEXT_STATERR_RXE = 0x80000000;

    /// <summary>E1000_RXDEXT_ERR_FRAME_ERR_MASK: the write-back bits of a damaged frame.</summary>
    public const uint E1000_RXDEXT_ERR_FRAME_ERR_MASK = E1000_RXDEXT_STATERR_CE | E1000_RXDEXT_STATERR_SE | E1000_RXDEXT_STATERR_SEQ | E1000_RXDEXT_STATERR_CXE | E1000_RXDEXT_STATERR_RXE;

    /// <summary>MAX_STD_JUMBO_FRAME_SIZE: igb's max_mtu.</summary>
    public const int MAX_STD_JUMBO_FRAME_SIZE = 9216;

    public const uint E1000_RCTL_EN = 0x00000002;
    public const uint E1000_RCTL_SBP = 0x00000004;
    public const uint E1000_RCTL_UPE = 0x00000008;
    public const uint E1000_RCTL_MPE = 0x00000010;
    public const uint E1000_RCTL_LPE = 0x00000020;
    public const uint E1000_RCTL_BAM = 0x00008000;
    public const uint E1000_RCTL_SECRC = 0x04000000;

    public const uint E1000_CTRL_SLU = 0x00000040;
    public const uint E1000_CTRL_RST = 0x04000000;

    public const uint E1000_STATUS_LU = 0x00000002;

    public const uint E1000_TXD_CMD_EOP = 0x01000000;
    public const uint E1000_TXD_CMD_IFCS = 0x02000000;
    public const uint E1000_TXD_CMD_RS = 0x08000000;
    public const uint E1000_TXD_CMD_DEXT = 0x20000000;
    public const uint E1000_TXD_POPTS_IXSM = 0x01;
    public const uint E1000_TXD_POPTS_TXSM = 0x02;
    public const uint E1000_TXD_STAT_DD = 0x00000001;

    public const uint E1000_TCTL_EN = 0x00000002;
    public const uint E1000_TCTL_PSP = 0x00000008;

    public const uint E1000_ICR_LSC = 0x00000004;
    public const uint E1000_IMS_LSC = E1000_ICR_LSC;
    public const uint E1000_ICS_LSC = E1000_ICR_LSC;

    public const uint E1000_EITR_CNT_IGNR = 0x80000000;

    public const int E1000_RAL_MAC_ADDR_LEN = 4;
    public const int E1000_RAH_MAC_ADDR_LEN = 2;
}
