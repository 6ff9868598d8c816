// Ports net/llc/llc_core.c: the LLC (IEEE 802.2) core — the list of open
// SAPs that llc_rcv looks a frame's DSAP up in, and the packet_type that
// hands ETH_P_802_2 frames (802.3 frames with a length, not an ethertype,
// after the addresses) to llc_rcv.
//
// not ported: llc_sap_open/llc_sap_close and the SAP's socket hash — no SAP
// user (STP's bridge PDUs, LLC sockets, IPX) is ported, so the SAP list
// stays empty and every frame with a DSAP ends in llc_rcv's drop.
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Net.Llc;

/// <summary>struct llc_sap: one open service access point (its local address, the LSAP byte).</summary>
public sealed class llc_sap
{
    /// <summary>laddr.lsap: the SAP value frames address as their DSAP.</summary>
    public byte lsap { get; init; }

    /// <summary>rcv_func: a protocol's own receive for this SAP (STP's), or null.</summary>
    public System.Func<sk_buff, net_device, packet_type, net_device, int>? rcv_func { get; init; }
}

/// <summary>What llc_core.c keeps for the whole kernel (llc_sap_list).</summary>
public sealed class llc_globals
{
    /// <summary>llc_sap_list: the open SAPs.</summary>
    public List<llc_sap> llc_sap_list { get; } = new();
}

public static class llc_core_c
{
    // net/llc/llc_core.c: __llc_sap_find
    /// <summary>The open SAP whose LSAP is <paramref name="sap_value"/>, or null.</summary>
    private static llc_sap? __llc_sap_find(Vmlinux k, byte sap_value)
    {
        foreach (var sap in k.globals<llc_globals>().llc_sap_list)
        {
            if (sap.lsap == sap_value)
            {
                return sap;
            }
        }

        return null;
    }

    // net/llc/llc_core.c: llc_sap_find
    /// <summary>The SAP a frame's DSAP names, or null (no reference count: SAPs are never closed here).</summary>
    public static llc_sap? llc_sap_find(Vmlinux k, byte sap_value)
    {
        // not ported: llc_sap_hold_safe — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // rcu_read_lock_bh; llc_sap_hold_safe: SAPs are never freed, the hold always succeeds.
        return __llc_sap_find(k, sap_value);
    }

    // net/llc/llc_core.c: llc_init
    /// <summary>module_init: registers llc_packet_type, so ETH_P_802_2 frames reach llc_rcv.</summary>
    public static int llc_init(Vmlinux k)
    {
        Core.dev_c.dev_add_pack(k, new packet_type(if_ether_h.ETH_P_802_2, llc_input_c.llc_rcv));
        return 0;
    }
}
