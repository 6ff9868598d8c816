// Ports net/netfilter/xt_statistic.c: "-m statistic --mode nth", which
// matches every Nth packet that reaches it (a rule that drops the 5th data
// segment of a transfer, say).
//
// not ported: random mode (it draws from the kernel's random stream for
// every packet; no scenario asks for it), the IPv6 registration.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;

namespace KernelNet.Kernel.Net.Netfilter;

public static class xt_statistic_c
{
    // net/netfilter/xt_statistic.c: statistic_mt
    /// <summary>
    /// Nth mode: the shared counter advances once per packet and wraps to 0
    /// after <c>every</c>; the packet that wraps it matches (the match is
    /// flipped by XT_STATISTIC_INVERT).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool statistic_mt(sk_buff skb, xt_statistic_info info)
    {
        // not ported: get_random_u32 — XT_STATISTIC_MODE_RANDOM: statistic_mt_check refuses it
        _ = skb;
        var ret = info.invert;
        if (info.mode == xt_statistic_info.XT_STATISTIC_MODE_NTH)
        {
            // atomic_cmpxchg loop in C: other CPUs may advance the counter too (one thread here).
            var oval = info.count;
            var nval = oval == info.every ? 0 : oval + 1;
            info.count = nval;
            if (nval == 0)
            {
                ret = !ret;
            }
        }

        return ret;
    }

    // net/netfilter/xt_statistic.c: statistic_mt_check
    /// <summary>Checks the mode and starts the counter at u.nth.packet; -EINVAL for an unknown mode.</summary>
    public static int statistic_mt_check(xt_statistic_info info)
    {
        // not ported: kzalloc — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        if (info.mode != xt_statistic_info.XT_STATISTIC_MODE_NTH)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        info.count = info.packet;
        return 0;
    }
}
