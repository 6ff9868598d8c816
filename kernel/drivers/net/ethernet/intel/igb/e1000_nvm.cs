// Ports drivers/net/ethernet/intel/igb/e1000_nvm.c: only reading the
// permanent MAC address, which the part loads from its NVM into RAL0/RAH0
// at reset.
//
// not ported: NVM reads, writes and checksums over EERD/EEWR, SPI and
// flash access, the part-number and firmware-version words.
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.e1000_defines_h;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.e1000_regs_h;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class e1000_nvm_c
{
    // drivers/net/ethernet/intel/igb/e1000_nvm.c: igb_read_mac_addr
    /// <summary>Reads receive-address register 0 (loaded from the NVM) into mac.perm_addr and mac.addr.</summary>
    public static int igb_read_mac_addr(e1000_hw hw)
    {
        var rar_high = rd32(hw, E1000_RAH(0));
        var rar_low = rd32(hw, E1000_RAL(0));

        for (var i = 0; i < E1000_RAL_MAC_ADDR_LEN; i++)
        {
            hw.mac.perm_addr[i] = (byte)(rar_low >> (i * 8));
        }

        for (var i = 0; i < E1000_RAH_MAC_ADDR_LEN; i++)
        {
            hw.mac.perm_addr[i + 4] = (byte)(rar_high >> (i * 8));
        }

        hw.mac.perm_addr.CopyTo(hw.mac.addr, 0);
        return 0;
    }
}
