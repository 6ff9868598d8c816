// Ports drivers/net/ethernet/intel/igb/e1000_regs.h: the register offsets
// the driver programs (the device's side is the machine's model).
namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class e1000_regs_h
{
    public const int E1000_CTRL = 0x00000;
    public const int E1000_RCTL = 0x00100;
    public const int E1000_TCTL = 0x00400;
    public const int E1000_EICS = 0x01520;
    public const int E1000_EIMS = 0x01524;
    public const int E1000_EIMC = 0x01528;
    public const int E1000_EIAC = 0x0152C;
    public const int E1000_EIAM = 0x01530;
    public const int E1000_EICR = 0x01580;
    public const int E1000_MRQC = 0x05818;
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
    public const int E1000_MPTC = 0x040F0;
    public const int E1000_BPTC = 0x040F4;

    public static int E1000_RDBAL(int n) => 0x0C000 + (n * 0x40);

    public static int E1000_RDBAH(int n) => 0x0C004 + (n * 0x40);

    public static int E1000_RDLEN(int n) => 0x0C008 + (n * 0x40);

    public static int E1000_SRRCTL(int n) => 0x0C00C + (n * 0x40);

    public static int E1000_RDH(int n) => 0x0C010 + (n * 0x40);

    public static int E1000_RDT(int n) => 0x0C018 + (n * 0x40);

    public static int E1000_RXDCTL(int n) => 0x0C028 + (n * 0x40);

    public static int E1000_RQDPC(int n) => 0x0C030 + (n * 0x40);

    public static int E1000_TDBAL(int n) => 0x0E000 + (n * 0x40);

    public static int E1000_TDBAH(int n) => 0x0E004 + (n * 0x40);

    public static int E1000_TDLEN(int n) => 0x0E008 + (n * 0x40);

    public static int E1000_TDH(int n) => 0x0E010 + (n * 0x40);

    public static int E1000_TDT(int n) => 0x0E018 + (n * 0x40);

    public static int E1000_TXDCTL(int n) => 0x0E028 + (n * 0x40);

    public static int E1000_EITR(int n) => 0x01680 + (n * 4);

    public static int E1000_IVAR0(int n) => 0x01700 + (n * 4);

    public static int E1000_RETA(int n) => 0x05C00 + (n * 4);

    public static int E1000_RSSRK(int n) => 0x05C80 + (n * 4);
}
