// Ports net/netfilter/core.c: registering hooks and walking them.
//
// not ported: NF_QUEUE, hook blob reallocation (a list per hook).
using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.netfilter_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class core_c
{
    // net/netfilter/core.c: nf_register_net_hook
    /// <summary>Adds a hook to a namespace, ordered by priority.</summary>
    public static int nf_register_net_hook(net net, nf_hook_ops reg)
    {
        var entries = nf_hook_entries(net, reg.hooknum);
        var at = entries.FindIndex(e => e.priority > reg.priority);
        entries.Insert(at < 0 ? entries.Count : at, reg);
        return 0;
    }

    // net/netfilter/core.c: nf_unregister_net_hook
    public static void nf_unregister_net_hook(net net, nf_hook_ops reg) => nf_hook_entries(net, reg.hooknum).Remove(reg);

    // net/netfilter/core.c: nf_register_net_hooks
    /// <summary>Registers each of <paramref name="reg"/> in turn.</summary>
    public static int nf_register_net_hooks(net net, nf_hook_ops[] reg)
    {
        foreach (var r in reg)
        {
            nf_register_net_hook(net, r);
        }

        return 0;
    }

    // net/netfilter/core.c: nf_unregister_net_hooks
    public static void nf_unregister_net_hooks(net net, nf_hook_ops[] reg)
    {
        foreach (var r in reg)
        {
            nf_unregister_net_hook(net, r);
        }
    }

    // net/netfilter/core.c: nf_conntrack_destroy
    /// <summary>The last reference to a conntrack went: conntrack's destroy hook (nf_ct_hook->destroy) frees it.</summary>
    public static void nf_conntrack_destroy(Include.Linux.Netfilter.nf_conntrack nfct)
    {
        if (nfct is Include.Net.Netfilter.nf_conn ct)
        {
            nf_conntrack_core_c.nf_ct_destroy(ct);
        }
    }

    // net/netfilter/core.c: nf_hook_slow
    /// <summary>
    /// Calls each hook in priority order; on NF_DROP frees the skb with
    /// NETFILTER_DROP (what a tap before netfilter still saw, RX-10) and
    /// returns -EPERM; 1 when every hook accepted.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int nf_hook_slow(sk_buff skb, nf_hook_state state, List<nf_hook_ops> entries)
    {
        foreach (var e in entries)
        {
            var verdict = e.hook(e.priv, skb, state);
            switch (verdict & 0xff)
            {
                case NF_ACCEPT:
                    continue;
                case NF_DROP:
                    skbuff_h.kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NETFILTER_DROP);
                    var ret = NF_DROP_GETERR(verdict);
                    return ret == 0 ? -Include.Uapi.AsmGeneric.errno_base_h.EPERM : ret;
                case NF_STOLEN:
                    return NF_DROP_GETERR(verdict);
                default:
                    throw new InvalidOperationException($"netfilter verdict {verdict} not ported");
            }
        }

        return 1;
    }
}
