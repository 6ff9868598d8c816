// Ports include/uapi/linux/netfilter/xt_conntrack.h: "-m conntrack --ctstate"
// (the state part of struct xt_conntrack_mtinfo).
namespace KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

/// <summary>struct xt_conntrack_mtinfo, the --ctstate part: a mask of XT_CONNTRACK_STATE_BIT(ctinfo) and the special states.</summary>
public sealed class xt_conntrack_mtinfo
{
    public ushort match_flags { get; init; } = xt_conntrack_h.XT_CONNTRACK_STATE;

    public ushort invert_flags { get; init; }

    public ushort state_mask { get; init; }
}

public static class xt_conntrack_h
{
    public const ushort XT_CONNTRACK_STATE = 1 << 0;

    // include/uapi/linux/netfilter/xt_conntrack.h: XT_CONNTRACK_STATE_BIT
    /// <summary>XT_CONNTRACK_STATE_BIT(ctinfo): 1 &lt;&lt; (ctinfo % IP_CT_IS_REPLY + 1).</summary>
    public static ushort XT_CONNTRACK_STATE_BIT(ip_conntrack_info ctinfo) =>
        (ushort)(1 << (((int)ctinfo % (int)ip_conntrack_info.IP_CT_IS_REPLY) + 1));

    public const ushort XT_CONNTRACK_STATE_INVALID = 1 << 0;
    public const ushort XT_CONNTRACK_STATE_SNAT = 1 << 8;
    public const ushort XT_CONNTRACK_STATE_DNAT = 1 << 9;
    public const ushort XT_CONNTRACK_STATE_UNTRACKED = 1 << 10;
}
