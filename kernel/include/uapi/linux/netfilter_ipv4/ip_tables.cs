// Ports include/uapi/linux/netfilter_ipv4/ip_tables.h: one iptables rule
// (struct ipt_entry) with its IP match (struct ipt_ip), a tcp/udp port match
// (struct xt_tcp / xt_udp of xt_tcpudp.h) and a standard target.
//
// departure: the kernel lays a table out as one blob of variable-length
// entries with offsets as jumps; here a chain is a list of entries, a jump
// names its user chain, and the matches a rule may carry are fields.
namespace KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;

/// <summary>struct ipt_ip: addresses with masks, interfaces, protocol, and which of them are inverted ("!").</summary>
public sealed class ipt_ip
{
    public uint src { get; init; }

    public uint smsk { get; init; }

    public uint dst { get; init; }

    public uint dmsk { get; init; }

    /// <summary>-i: the input device name ("" = any).</summary>
    public string iniface { get; init; } = "";

    /// <summary>-o: the output device name ("" = any).</summary>
    public string outiface { get; init; } = "";

    /// <summary>-p: 0 = any.</summary>
    public ushort proto { get; init; }

    public byte flags { get; init; }

    public byte invflags { get; init; }
}

/// <summary>struct xt_udp / xt_tcp: port ranges (-m udp --sport/--dport).</summary>
public sealed class xt_ports
{
    public ushort spts_lo { get; init; }

    public ushort spts_hi { get; init; } = 0xffff;

    public ushort dpts_lo { get; init; }

    public ushort dpts_hi { get; init; } = 0xffff;

    public byte invflags { get; init; }
}

/// <summary>struct ipt_entry: match, optional port match, standard target, and its counters.</summary>
public sealed class ipt_entry
{
    public ipt_ip ip { get; init; } = new();

    /// <summary>The tcp/udp match (xt_tcpudp), for proto 6 or 17; null when the rule has none.</summary>
    public xt_ports? ports { get; init; }

    /// <summary>-m length (xt_length), checked after the port match; null when the rule has none.</summary>
    public xt_length_info? length { get; init; }

    /// <summary>-m statistic (xt_statistic), checked last, so only packets the rest matched advance its counter.</summary>
    public xt_statistic_info? statistic { get; init; }

    /// <summary>-m conntrack --ctstate (xt_conntrack), checked after the port match; null when the rule has none.</summary>
    public Netfilter.xt_conntrack_mtinfo? conntrack { get; init; }

    /// <summary>The standard target's verdict: NF_ACCEPT or NF_DROP (when the rule neither jumps, returns nor has an extension target).</summary>
    public uint verdict { get; init; }

    /// <summary>-j CHAIN: a jump to a user chain (a standard target whose verdict is the chain's offset in C).</summary>
    public string? jump { get; init; }

    /// <summary>-j RETURN: back to the calling chain, or to the policy from a built-in chain (XT_RETURN).</summary>
    public bool is_return { get; init; }

    /// <summary>An extension target (MASQUERADE, SNAT, DNAT, REJECT) with its info; null for the standard target.</summary>
    public global::KernelNet.Kernel.Include.Linux.Netfilter.xt_entry_target? target { get; init; }

    /// <summary>struct xt_counters: packets and bytes that matched (iptables -L -v).</summary>
    public ulong pcnt { get; set; }

    public ulong bcnt { get; set; }
}

public static class ip_tables_h
{
    public const byte IPT_F_FRAG = 0x01;

    public const byte IPT_INV_VIA_IN = 0x01;
    public const byte IPT_INV_VIA_OUT = 0x02;
    public const byte IPT_INV_SRCIP = 0x08;
    public const byte IPT_INV_DSTIP = 0x10;
    public const byte IPT_INV_FRAG = 0x20;
    public const byte IPT_INV_PROTO = 0x40;

    /// <summary>XT_UDP_INV_SRCPT / XT_TCP_INV_SRCPT and the destination twin.</summary>
    public const byte XT_INV_SRCPT = 0x01;
    public const byte XT_INV_DSTPT = 0x02;
}

/// <summary>struct xt_length_info (include/uapi/linux/netfilter/xt_length.h): -m length --length MIN:MAX.</summary>
public sealed class xt_length_info
{
    public ushort min { get; init; }

    public ushort max { get; init; } = 0xffff;

    public bool invert { get; init; }
}

/// <summary>
/// struct xt_statistic_info (include/uapi/linux/netfilter/xt_statistic.h) in
/// nth mode: -m statistic --mode nth --every N --packet P keeps
/// every = N - 1 and a counter starting at P (its master, shared by the rule's copies).
/// </summary>
public sealed class xt_statistic_info
{
    /// <summary>XT_STATISTIC_MODE_NTH (1); random mode (0) is not ported: it needs the kernel's random stream per packet.</summary>
    public const ushort XT_STATISTIC_MODE_NTH = 1;

    public ushort mode { get; init; } = XT_STATISTIC_MODE_NTH;

    /// <summary>XT_STATISTIC_INVERT: match every packet but the nth.</summary>
    public bool invert { get; init; }

    /// <summary>u.nth.every: N - 1.</summary>
    public uint every { get; init; }

    /// <summary>u.nth.packet: where the counter starts.</summary>
    public uint packet { get; init; }

    /// <summary>master->count: the packets seen since the last match (statistic_mt_check sets it to packet).</summary>
    public uint count { get; set; }
}
