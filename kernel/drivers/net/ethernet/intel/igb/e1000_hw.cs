// Ports drivers/net/ethernet/intel/igb/e1000_hw.h: struct e1000_hw, the
// driver's handle on one device, and the MAC data it keeps.
//
// not ported: the PHY, NVM, mailbox and function-pointer tables (one
// modelled part, the 82576, so there is nothing to dispatch on).
using KernelNet.Machine.Nic;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

/// <summary>struct e1000_mac_info: the addresses the driver read from the part.</summary>
public sealed class e1000_mac_info
{
    public byte[] addr { get; } = new byte[6];

    public byte[] perm_addr { get; } = new byte[6];
}

/// <summary>struct e1000_hw: the register window (hw_addr) and the MAC data.</summary>
public sealed class e1000_hw
{
    public e1000_hw(Igb82576 hw_addr)
    {
        this.hw_addr = hw_addr;
    }

    /// <summary>The ioremapped BAR 0: every register access goes through it.</summary>
    public Igb82576 hw_addr { get; }

    public e1000_mac_info mac { get; } = new();
}
