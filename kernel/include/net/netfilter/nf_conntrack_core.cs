// Ports include/net/netfilter/nf_conntrack_core.h: nf_conntrack_confirm, the
// inline that confirms a packet's conntrack once it has made it through.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;

namespace KernelNet.Kernel.Include.Net.Netfilter;

public static class nf_conntrack_core_h
{
    // include/net/netfilter/nf_conntrack_core.h: nf_conntrack_confirm
    /// <summary>Confirms an unconfirmed conntrack (inserting it in the table); NF_ACCEPT for anything else.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint nf_conntrack_confirm(sk_buff skb)
    {
        // not ported: skb_nfct, nf_ct_ecache_exist — the conntrack comes from nf_ct_get; no conntrack event cache (ctnetlink)
        var ct = nf_ct_get(skb, out _);
        var ret = NF_ACCEPT;
        if (ct is not null)
        {
            if (!nf_ct_is_confirmed(ct))
            {
                ret = global::KernelNet.Kernel.Net.Netfilter.nf_conntrack_core_c.__nf_conntrack_confirm(skb);
            }

            // not ported: nf_ct_deliver_cached_events — no event listeners.
        }

        return ret;
    }
}
