namespace KernelNet.Machine.Nic;

/// <summary>
/// Register offsets and bits of the 82576 that the model implements, named
/// as the datasheet and the driver's e1000_regs.h / e1000_defines.h /
/// e1000_82575.h name them. Queue registers use the 82576's native block
/// (0x0C000 RX, 0x0E000 TX, 0x40 apart); queues 0-3 also answer at the
/// legacy aliases (0x02800 / 0x03800, 0x100 apart), which is where the
/// driver's E1000_RDT(n) etc. point for n &lt; 4 (see <see cref="Canonical"/>).
/// </summary>
public static class Igb82576Registers
{
    public const int CTRL = 0x00000;
    public const int STATUS = 0x00008;
    public const int EERD = 0x00014;
    public const int ICR = 0x000C0;
    public const int ICS = 0x000C8;
    public const int IMS = 0x000D0;
    public const int IMC = 0x000D8;
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
    public const int IVAR_MISC = 0x01740;
    public const int RXPBS = 0x02404;
    public const int MRQC = 0x05818;
    public const int RXCSUM = 0x05000;
    public const int RETA0 = 0x05C00;
    public const int RSSRK0 = 0x05C80;

    // Statistics (all clear on read; GORC/GOTC/TOR/TOT clear when the high half is read).
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
    public const int RUC = 0x040A4;
    public const int ROC = 0x040AC;
    public const int TORL = 0x040C0;
    public const int TORH = 0x040C4;
    public const int TOTL = 0x040C8;
    public const int TOTH = 0x040CC;
    public const int TPR = 0x040D0;
    public const int TPT = 0x040D4;
    public const int MPTC = 0x040F0;
    public const int BPTC = 0x040F4;

    public const uint CTRL_SLU = 0x00000040;
    public const uint CTRL_RST = 0x04000000;
    public const uint STATUS_FD = 0x00000001;
    public const uint STATUS_LU = 0x00000002;
    public const uint STATUS_SPEED_1000 = 0x00000080;
    public const uint NVM_RW_REG_START = 1;
    public const uint NVM_RW_REG_DONE = 2;
    public const int NVM_RW_ADDR_SHIFT = 2;
    public const int NVM_RW_REG_DATA = 16;
    public const uint ICR_LSC = 0x00000004;
    public const uint RCTL_EN = 0x00000002;
    public const uint RCTL_UPE = 0x00000008;
    public const uint RCTL_LPE = 0x00000020;
    public const uint RCTL_BAM = 0x00008000;
    public const uint RCTL_SECRC = 0x04000000;
    public const uint TCTL_EN = 0x00000002;
    public const uint TCTL_PSP = 0x00000008;
    public const uint RAH_AV = 0x80000000;
    public const uint SRRCTL_DROP_EN = 0x80000000;
    public const int SRRCTL_BSIZEPKT_SHIFT = 10;
    public const uint SRRCTL_BSIZEPKT_MASK = 0x7F;
    public const uint RXDCTL_QUEUE_ENABLE = 0x02000000;
    public const uint TXDCTL_QUEUE_ENABLE = 0x02000000;
    public const uint IVAR_VALID = 0x80;
    public const uint MRQC_ENABLE_RSS_MQ = 0x00000002;
    public const uint MRQC_RSS_FIELD_IPV4_TCP = 0x00010000;
    public const uint MRQC_RSS_FIELD_IPV4 = 0x00020000;
    public const uint MRQC_RSS_FIELD_IPV4_UDP = 0x00400000;
    public const uint EITR_INTERVAL_MASK = 0x7FFC;

    /// <summary>Advanced RX write-back status bits (upper.status_error).</summary>
    public const uint RXD_STAT_DD = 0x01;
    public const uint RXD_STAT_EOP = 0x02;
    public const uint RXD_STAT_UDPCS = 0x10;
    public const uint RXD_STAT_TCPCS = 0x20;
    public const uint RXD_STAT_IPCS = 0x40;
    public const uint RXDEXT_STATERR_TCPE = 0x20000000;
    public const uint RXDEXT_STATERR_IPE = 0x40000000;

    /// <summary>RXCSUM: IPv4 header and TCP/UDP checksum offload (both on at reset), packet checksum disable, CRC offload.</summary>
    public const uint RXCSUM_IPOFL = 0x00000100;
    public const uint RXCSUM_TUOFL = 0x00000200;

    /// <summary>Advanced RX write-back pkt_info: RSS type (bits 3:0) and packet type (bits 16:4, datasheet 7.1.5).</summary>
    public const ushort RXDADV_RSSTYPE_IPV4_TCP = 0x1;
    public const ushort RXDADV_RSSTYPE_IPV4 = 0x2;
    public const ushort RXDADV_RSSTYPE_IPV4_UDP = 0x7;
    public const ushort RXDADV_PKTTYPE_IPV4 = 0x0010;
    public const ushort RXDADV_PKTTYPE_TCP = 0x0100;
    public const ushort RXDADV_PKTTYPE_UDP = 0x0200;

    /// <summary>Advanced TX data descriptor command bits (read.cmd_type_len) and write-back status.</summary>
    public const uint TXD_STAT_DD = 0x01;
    public const uint ADVTXD_DCMD_EOP = 0x01000000;
    public const uint ADVTXD_DCMD_IFCS = 0x02000000;
    public const uint ADVTXD_DCMD_RS = 0x08000000;
    public const uint ADVTXD_DCMD_DEXT = 0x20000000;
    public const uint ADVTXD_DTYP_DATA = 0x00300000;
    public const uint ADVTXD_DTYP_CTXT = 0x00200000;

    /// <summary>Advanced TX context descriptor: MACLEN in vlan_macip_lens (bits 15:9, IPLEN below), the L4 type in type_tucmd_mlhl.</summary>
    public const int ADVTXD_MACLEN_SHIFT = 9;
    public const uint ADVTXD_IPLEN_MASK = 0x1FF;
    public const uint ADVTXD_TUCMD_L4T_TCP = 0x00000800;
    public const uint ADVTXD_TUCMD_L4T_MASK = 0x00001800;

    /// <summary>olinfo_status POPTS.TXSM (bit 9): insert the L4 checksum the context describes.</summary>
    public const uint ADVTXD_POPTS_TXSM = 0x00000200;
    public const uint ADVTXD_DTYP_MASK = 0x00F00000;
    public const uint ADVTXD_LEN_MASK = 0x0000FFFF;

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

    public static int RAL(int n) => 0x05400 + (n * 8);

    public static int RAH(int n) => 0x05404 + (n * 8);

    public static int RETA(int n) => RETA0 + (n * 4);

    public static int RSSRK(int n) => RSSRK0 + (n * 4);

    /// <summary>
    /// Folds the legacy alias of a queue register (0x028xx/0x038xx for
    /// queues 0-3) onto its native offset, so the model keeps one copy.
    /// </summary>
    public static int Canonical(int reg)
    {
        if (reg >= 0x02800 && reg < 0x02C00)
        {
            return 0x0C000 + (((reg - 0x02800) / 0x100) * 0x40) + ((reg - 0x02800) % 0x100);
        }

        if (reg >= 0x03800 && reg < 0x03C00)
        {
            return 0x0E000 + (((reg - 0x03800) / 0x100) * 0x40) + ((reg - 0x03800) % 0x100);
        }

        return reg;
    }
}
