// Ports include/net/flow_dissector.h, the basic keys: where a packet's
// transport header starts and which protocols it carries, with the control
// flags a dissection reports (fragment, first fragment) and takes
// (FLOW_DISSECTOR_F_*).
//
// not ported: the other keys (addresses, ports, VLAN, tunnels, hashes:
// flow_keys) and struct flow_dissector itself (a dissection here always
// fills flow_keys_basic, as flow_keys_basic_dissector asks).
namespace KernelNet.Kernel.Include.Net;

/// <summary>struct flow_dissector_key_control.</summary>
public sealed class flow_dissector_key_control
{
    /// <summary>Where the transport header starts, from the start of the data dissected.</summary>
    public ushort thoff { get; set; }

    public ushort addr_type { get; set; }

    /// <summary>FLOW_DIS_* bits.</summary>
    public uint flags { get; set; }
}

/// <summary>struct flow_dissector_key_basic.</summary>
public sealed class flow_dissector_key_basic
{
    /// <summary>The network protocol (ETH_P_*, host order here).</summary>
    public ushort n_proto { get; set; }

    /// <summary>The transport protocol (IPPROTO_*).</summary>
    public byte ip_proto { get; set; }
}

/// <summary>struct flow_keys_basic: what eth_get_headlen asks the dissector for.</summary>
public sealed class flow_keys_basic
{
    public flow_dissector_key_control control { get; } = new();

    public flow_dissector_key_basic basic { get; } = new();
}

public static class flow_dissector_h
{
    /// <summary>FLOW_DIS_IS_FRAGMENT: the packet is an IP fragment.</summary>
    public const uint FLOW_DIS_IS_FRAGMENT = 1u << 0;

    /// <summary>FLOW_DIS_FIRST_FRAG: the fragment is the first (offset 0).</summary>
    public const uint FLOW_DIS_FIRST_FRAG = 1u << 1;

    /// <summary>FLOW_DISSECTOR_F_PARSE_1ST_FRAG: look past the IP header of a first fragment.</summary>
    public const uint FLOW_DISSECTOR_F_PARSE_1ST_FRAG = 1u << 0;
}
