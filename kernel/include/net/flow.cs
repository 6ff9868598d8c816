// Ports include/net/flow.h: struct flowi4, the key of an output route lookup.
namespace KernelNet.Kernel.Include.Net;

/// <summary>struct flowi4.</summary>
public sealed class flowi4
{
    public int flowi4_oif { get; set; }

    public int flowi4_iif { get; set; } = 1; // LOOPBACK_IFINDEX, as flowi4_init_output sets it

    public uint flowi4_mark { get; set; }

    public byte flowi4_tos { get; set; }

    public byte flowi4_scope { get; set; }

    public byte flowi4_proto { get; set; }

    public byte flowi4_flags { get; set; }

    public uint saddr { get; set; }

    public uint daddr { get; set; }

    public ushort fl4_sport { get; set; }

    public ushort fl4_dport { get; set; }

    /// <summary>fl4_icmp_type (uli.icmpt.type): the ICMP type an ICMP flow sends; __ip_make_skb counts raw sockets' OutType by it.</summary>
    public byte fl4_icmp_type { get; set; }

    /// <summary>fl4_icmp_code (uli.icmpt.code).</summary>
    public byte fl4_icmp_code { get; set; }
}
