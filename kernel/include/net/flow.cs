// Ports include/net/flow.h: struct flowi4, the key of an output route lookup.
namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// struct flowi4. A value, as in C: it lives on its caller's stack or inside
/// its owner (inet_cork.fl), and is passed by <c>ref</c> where C passes a
/// pointer, so a lookup's writes (saddr, oif) reach the caller's copy.
/// </summary>
public struct flowi4
{
    /// <summary>The zero flow with flowi4_iif LOOPBACK_IFINDEX, as flowi4_init_output leaves it.</summary>
    public flowi4()
    {
    }

    public int flowi4_oif;

    public int flowi4_iif = 1; // LOOPBACK_IFINDEX, as flowi4_init_output sets it

    public uint flowi4_mark;

    public byte flowi4_tos;

    public byte flowi4_scope;

    public byte flowi4_proto;

    public byte flowi4_flags;

    public uint saddr;

    public uint daddr;

    public ushort fl4_sport;

    public ushort fl4_dport;

    /// <summary>fl4_icmp_type (uli.icmpt.type): the ICMP type an ICMP flow sends; __ip_make_skb counts raw sockets' OutType by it.</summary>
    public byte fl4_icmp_type;

    /// <summary>fl4_icmp_code (uli.icmpt.code).</summary>
    public byte fl4_icmp_code;
}
