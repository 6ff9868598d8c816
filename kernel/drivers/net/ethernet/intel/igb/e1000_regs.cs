// Ports drivers/net/ethernet/intel/igb/e1000_regs.h: the register offsets
// the driver programs, and its rd32/wr32 accessors (the device's side is
// the machine's model, machine/Nic/Igb82576.cs).
namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class e1000_regs_h
{
    public const int E1000_CTRL = 0x00000;
    public const int E1000_STATUS = 0x00008;
    public const int E1000_EERD = 0x00014;
    public const int E1000_ICR = 0x000C0;
    public const int E1000_ICS = 0x000C8;
    public const int E1000_IMS = 0x000D0;
    public const int E1000_IMC = 0x000D8;
    public const int E1000_RCTL = 0x00100;
    public const int E1000_EICR = 0x01580;
    public const int E1000_EICS = 0x01520;
    public const int E1000_EIMS = 0x01524;
    public const int E1000_EIMC = 0x01528;
    public const int E1000_EIAC = 0x0152C;
    public const int E1000_EIAM = 0x01530;
    public const int E1000_GPIE = 0x01514;
    public const int E1000_IVAR0 = 0x01700;
    public const int E1000_IVAR_MISC = 0x01740;
    public const int E1000_TCTL = 0x00400;
    public const int E1000_CRCERRS = 0x04000;
    public const int E1000_MPC = 0x04010;
    public const int E1000_GPRC = 0x04074;
    public const int E1000_BPRC = 0x04078;
    public const int E1000_MPRC = 0x0407C;
    public const int E1000_GPTC = 0x04080;
    public const int E1000_GORCL = 0x04088;
    public const int E1000_GORCH = 0x0408C;
    public const int E1000_GOTCL = 0x04090;
    public const int E1000_GOTCH = 0x04094;
    public const int E1000_RNBC = 0x040A0;
    public const int E1000_RUC = 0x040A4;
    public const int E1000_ROC = 0x040AC;
    public const int E1000_TORL = 0x040C0;
    public const int E1000_TORH = 0x040C4;
    public const int E1000_TOTL = 0x040C8;
    public const int E1000_TOTH = 0x040CC;
    public const int E1000_TPR = 0x040D0;
    public const int E1000_TPT = 0x040D4;
    public const int E1000_MPTC = 0x040F0;
    public const int E1000_BPTC = 0x040F4;
    public const int E1000_MRQC = 0x05818;

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_EITR
    public static int E1000_EITR(int n) => 0x01680 + (0x4 * n);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RQDPC
    public static int E1000_RQDPC(int n) => 0x0C030 + (n * 0x40);

    // Queues 0-3 keep their legacy (82575-compatible) offsets; 4 and up use the new block.
    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RDBAL
    public static int E1000_RDBAL(int n) => n < 4 ? 0x02800 + (n * 0x100) : 0x0C000 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RDBAH
    public static int E1000_RDBAH(int n) => n < 4 ? 0x02804 + (n * 0x100) : 0x0C004 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RDLEN
    public static int E1000_RDLEN(int n) => n < 4 ? 0x02808 + (n * 0x100) : 0x0C008 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_SRRCTL
    public static int E1000_SRRCTL(int n) => n < 4 ? 0x0280C + (n * 0x100) : 0x0C00C + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RDH
    public static int E1000_RDH(int n) => n < 4 ? 0x02810 + (n * 0x100) : 0x0C010 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RDT
    public static int E1000_RDT(int n) => n < 4 ? 0x02818 + (n * 0x100) : 0x0C018 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RXDCTL
    public static int E1000_RXDCTL(int n) => n < 4 ? 0x02828 + (n * 0x100) : 0x0C028 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_TDBAL
    public static int E1000_TDBAL(int n) => n < 4 ? 0x03800 + (n * 0x100) : 0x0E000 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_TDBAH
    public static int E1000_TDBAH(int n) => n < 4 ? 0x03804 + (n * 0x100) : 0x0E004 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_TDLEN
    public static int E1000_TDLEN(int n) => n < 4 ? 0x03808 + (n * 0x100) : 0x0E008 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_TDH
    public static int E1000_TDH(int n) => n < 4 ? 0x03810 + (n * 0x100) : 0x0E010 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_TDT
    public static int E1000_TDT(int n) => n < 4 ? 0x03818 + (n * 0x100) : 0x0E018 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_TXDCTL
    public static int E1000_TXDCTL(int n) => n < 4 ? 0x03828 + (n * 0x100) : 0x0E028 + (n * 0x40);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RAL
    public static int E1000_RAL(int i) => 0x05400 + (i * 8);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RAH
    public static int E1000_RAH(int i) => 0x05404 + (i * 8);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RETA
    public static int E1000_RETA(int i) => 0x05C00 + (i * 4);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: E1000_RSSRK
    public static int E1000_RSSRK(int i) => 0x05C80 + (i * 4);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: wr32
    /// <summary>wr32(reg, val): a posted MMIO write (writel).</summary>
    public static void wr32(e1000_hw hw, int reg, uint val) => hw.hw_addr.wr32(reg, val);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: rd32
    /// <summary>rd32(reg): igb_rd32, an MMIO read.</summary>
    public static uint rd32(e1000_hw hw, int reg) => igb_main_c.igb_rd32(hw, reg);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: array_wr32
    /// <summary>array_wr32(reg, offset, value): element <paramref name="offset"/> of a register array.</summary>
    public static void array_wr32(e1000_hw hw, int reg, int offset, uint value) => wr32(hw, reg + (offset << 2), value);

    // drivers/net/ethernet/intel/igb/e1000_regs.h: array_rd32
    /// <summary>array_rd32(reg, offset).</summary>
    public static uint array_rd32(e1000_hw hw, int reg, int offset) => rd32(hw, reg + (offset << 2));

    // drivers/net/ethernet/intel/igb/e1000_regs.h: wrfl
    /// <summary>wrfl(): a read of STATUS that flushes posted writes (nothing is posted in the model).</summary>
    public static void wrfl(e1000_hw hw) => rd32(hw, E1000_STATUS);
}
