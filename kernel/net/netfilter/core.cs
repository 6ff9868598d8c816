// Ports net/netfilter/core.c: registering hooks and walking them. Each
// namespace and hook point has one published blob (struct nf_hook_entries) of
// the hook functions in priority order; registering builds a grown copy and
// publishes it, unregistering swaps the entry for a dummy and then publishes a
// shrunk copy, so the packet path only ever reads a finished array.
//
// not ported: NF_QUEUE (nf_queue, nf_queue_nf_hook_drop) — no userspace queue;
// the netdev/inet ingress and egress heads and the arp/bridge/ipv6 families —
// the port registers IPv4 hooks only; the jump-label static keys
// (nf_static_key_inc/dec) — nf_hook's null check of the head is the only test;
// nf_hook_mutex and RCU (call_rcu in nf_hook_entries_free) — one thread, and an
// old blob a walker still holds stays alive until the collector sees it unused.
// not ported: nf_entry_dereference — the mutex-held RCU read is a plain read here.
// not ported: kvzalloc — a blob is a C# object (hooks and the ops trailer as arrays).
// not ported: dev_net, nf_ingress_check, nf_ingress_hook, nf_egress_hook,
// net_inc_ingress_queue, net_dec_ingress_queue, net_inc_egress_queue,
// net_dec_egress_queue — the device-bound netdev heads are not ported.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Uapi.AsmGeneric.errno_base_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class core_c
{
    /// <summary>MAX_HOOK_COUNT: how many hooks one family/hook point may hold.</summary>
    private const int MAX_HOOK_COUNT = 1024;

    // net/netfilter/core.c: allocate_hook_entries_size
    /// <summary>A blob with room for <paramref name="num"/> hooks and their ops; null for none.</summary>
    private static nf_hook_entries? allocate_hook_entries_size(ushort num)
    {
        if (num == 0)
        {
            return null;
        }

        // kvzalloc: the hook array and the ops trailer in one object.
        return new nf_hook_entries(num);
    }

    // net/netfilter/core.c: nf_hook_entries_free
    /// <summary>Retires a blob that is no longer published.</summary>
    private static void nf_hook_entries_free(nf_hook_entries? e)
    {
        if (e is null)
        {
            return;
        }

        // not ported: nf_hook_entries_get_hook_ops (finding the rcu_head past the ops trailer) and call_rcu(__nf_hook_entries_free) — no RCU grace period: a
        // walker still holding the old blob keeps it alive, the collector frees it.
    }

    // net/netfilter/core.c: accept_all
    /// <summary>The hook an unregistered entry is swapped for: accepts, so nf_hook_slow goes on to the next.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static uint accept_all(object? priv, sk_buff skb, nf_hook_state state) => NF_ACCEPT;

    /// <summary>dummy_ops: what an unregistered entry's ops become until the blob is shrunk (priority INT_MIN).</summary>
    private static readonly nf_hook_ops dummy_ops = new(accept_all, 0, 0, int.MinValue);

    // net/netfilter/core.c: nf_hook_entries_grow
    /// <summary>
    /// A new blob holding <paramref name="old"/>'s live hooks (dummies dropped)
    /// with <paramref name="reg"/> inserted before the first hook of a higher
    /// priority (after those of equal priority). Null and <paramref name="err"/>
    /// set (-E2BIG) when the hook point is full.
    /// </summary>
    private static nf_hook_entries? nf_hook_entries_grow(nf_hook_entries? old, nf_hook_ops reg, out int err)
    {
        nf_hook_ops[]? orig_ops = null;
        var alloc_entries = 1;
        var old_entries = old?.num_hook_entries ?? 0;
        err = 0;

        if (old is not null)
        {
            orig_ops = nf_hook_entries_get_hook_ops(old);
            for (var j = 0; j < old_entries; j++)
            {
                if (!ReferenceEquals(orig_ops[j], dummy_ops))
                {
                    alloc_entries++;
                }

                // not ported: the NF_HOOK_OP_BPF unique-priority check (-EBUSY) — no BPF hooks.
            }
        }

        if (alloc_entries > MAX_HOOK_COUNT)
        {
            err = -E2BIG;
            return null;
        }

        var @new = allocate_hook_entries_size((ushort)alloc_entries)!;
        var new_ops = nf_hook_entries_get_hook_ops(@new);
        var inserted = false;
        var i = 0;
        var nhooks = 0;
        while (i < old_entries)
        {
            if (ReferenceEquals(orig_ops![i], dummy_ops))
            {
                ++i;
                continue;
            }

            if (inserted || reg.priority > orig_ops[i].priority)
            {
                new_ops[nhooks] = orig_ops[i];
                @new.hooks[nhooks] = old!.hooks[i];
                i++;
            }
            else
            {
                new_ops[nhooks] = reg;
                @new.hooks[nhooks] = new nf_hook_entry(reg.hook, reg.priv);
                inserted = true;
            }

            nhooks++;
        }

        if (!inserted)
        {
            new_ops[nhooks] = reg;
            @new.hooks[nhooks] = new nf_hook_entry(reg.hook, reg.priv);
        }

        return @new;
    }

    // net/netfilter/core.c: hooks_validate
    /// <summary>CONFIG_DEBUG_MISC's check that the live hooks are in ascending priority.</summary>
    private static void hooks_validate(nf_hook_entries hooks)
    {
        var orig_ops = nf_hook_entries_get_hook_ops(hooks);
        var prio = int.MinValue;
        for (var i = 0; i < hooks.num_hook_entries; i++)
        {
            if (ReferenceEquals(orig_ops[i], dummy_ops))
            {
                continue;
            }

            Debug.Assert(orig_ops[i].priority >= prio, "netfilter hooks out of priority order");
            if (orig_ops[i].priority > prio)
            {
                prio = orig_ops[i].priority;
            }
        }
    }

    // net/netfilter/core.c: nf_hook_entries_insert_raw
    /// <summary>Adds <paramref name="reg"/> to a private hook head (NAT's lookup hooks): grow, validate, publish, free the old.</summary>
    public static int nf_hook_entries_insert_raw(ref nf_hook_entries? pp, nf_hook_ops reg)
    {
        var p = pp;
        var new_hooks = nf_hook_entries_grow(p, reg, out var err);
        if (new_hooks is null)
        {
            return err;
        }

        hooks_validate(new_hooks);

        // rcu_assign_pointer: publish the finished blob.
        pp = new_hooks;

        Debug.Assert(!ReferenceEquals(p, new_hooks));
        nf_hook_entries_free(p);
        return 0;
    }

    // net/netfilter/core.c: __nf_hook_entries_try_shrink
    /// <summary>
    /// After an unregistration: publishes a copy of <paramref name="old"/>
    /// without its dummies (or null when none are left live) and returns the
    /// old blob to free; null when there was nothing to shrink.
    /// </summary>
    private static nf_hook_entries? __nf_hook_entries_try_shrink(nf_hook_entries? old, ref nf_hook_entries? pp)
    {
        nf_hook_entries? @new = null;
        if (old is null)
        {
            // WARN_ON_ONCE
            return null;
        }

        var orig_ops = nf_hook_entries_get_hook_ops(old);
        var skip = 0;
        for (var i = 0; i < old.num_hook_entries; i++)
        {
            if (ReferenceEquals(orig_ops[i], dummy_ops))
            {
                skip++;
            }
        }

        int hook_entries = old.num_hook_entries;
        if (skip == hook_entries)
        {
            goto out_assign;
        }

        if (skip == 0)
        {
            return null;
        }

        hook_entries -= skip;
        @new = allocate_hook_entries_size((ushort)hook_entries)!;
        var new_ops = nf_hook_entries_get_hook_ops(@new);
        for (int i = 0, j = 0; i < old.num_hook_entries; i++)
        {
            if (ReferenceEquals(orig_ops[i], dummy_ops))
            {
                continue;
            }

            @new.hooks[j] = old.hooks[i];
            new_ops[j] = orig_ops[i];
            j++;
        }

        hooks_validate(@new);
    out_assign:
        // rcu_assign_pointer
        pp = @new;
        return old;
    }

    // net/netfilter/core.c: nf_hook_entry_head
    /// <summary>The slot of the namespace's hook head for pf/hooknum (net->nf.hooks_ipv4 + hooknum); null for a family the port lacks.</summary>
    private static nf_hook_entries?[]? nf_hook_entry_head(net net, byte pf, nf_inet_hooks hooknum)
    {
        // not ported: NFPROTO_NETDEV/INET ingress-egress, ARP, BRIDGE and IPV6 heads — IPv4 only.
        if (pf != NFPROTO_IPV4 || (int)hooknum >= net.nf.hooks_ipv4.Length)
        {
            // WARN_ON_ONCE
            return null;
        }

        return net.nf.hooks_ipv4;
    }

    // net/netfilter/core.c: __nf_register_net_hook
    /// <summary>Publishes a grown copy of the hook point's blob with <paramref name="reg"/> in it.</summary>
    private static int __nf_register_net_hook(net net, byte pf, nf_hook_ops reg)
    {
        var pp = nf_hook_entry_head(net, pf, reg.hooknum);
        if (pp is null)
        {
            return -EINVAL;
        }

        // mutex_lock(&nf_hook_mutex): serialises writers; one thread here.
        var p = pp[(int)reg.hooknum];
        var new_hooks = nf_hook_entries_grow(p, reg, out var err);
        if (new_hooks is not null)
        {
            hooks_validate(new_hooks);

            // rcu_assign_pointer: readers see the old blob or the whole new one.
            pp[(int)reg.hooknum] = new_hooks;
        }

        if (new_hooks is null)
        {
            return err;
        }

        // not ported: net_inc_ingress_queue/net_inc_egress_queue and nf_static_key_inc — no ingress/egress heads, no jump labels.
        Debug.Assert(!ReferenceEquals(p, new_hooks));
        nf_hook_entries_free(p);
        return 0;
    }

    // net/netfilter/core.c: nf_remove_net_hook
    /// <summary>Swaps <paramref name="unreg"/>'s entry for accept_all and its ops for the dummy; cannot fail beyond "not found".</summary>
    private static bool nf_remove_net_hook(nf_hook_entries old, nf_hook_ops unreg)
    {
        var orig_ops = nf_hook_entries_get_hook_ops(old);
        for (var i = 0; i < old.num_hook_entries; i++)
        {
            if (!ReferenceEquals(orig_ops[i], unreg))
            {
                continue;
            }

            // WRITE_ONCE twice: a concurrent walker sees either the hook or accept_all.
            old.hooks[i] = new nf_hook_entry(accept_all, null);
            orig_ops[i] = dummy_ops;
            return true;
        }

        return false;
    }

    // net/netfilter/core.c: __nf_unregister_net_hook
    /// <summary>Removes <paramref name="reg"/> from its hook point and publishes the shrunk blob.</summary>
    private static void __nf_unregister_net_hook(net net, byte pf, nf_hook_ops reg)
    {
        var pp = nf_hook_entry_head(net, pf, reg.hooknum);
        if (pp is null)
        {
            return;
        }

        var p = pp[(int)reg.hooknum];
        if (p is null)
        {
            // WARN_ON_ONCE
            return;
        }

        // not ported: nf_static_key_dec and the ingress/egress queue counts — see the file header.
        // WARN_ONCE "hook not found" when nf_remove_net_hook returns false.
        nf_remove_net_hook(p, reg);

        p = __nf_hook_entries_try_shrink(p, ref pp[(int)reg.hooknum]);
        if (p is null)
        {
            return;
        }

        // not ported: nf_queue_nf_hook_drop — no NF_QUEUE.
        nf_hook_entries_free(p);
    }

    // net/netfilter/core.c: nf_unregister_net_hook
    /// <summary>Unregisters one hook (NFPROTO_INET registrations would go from both families; the port has IPv4 only).</summary>
    public static void nf_unregister_net_hook(net net, nf_hook_ops reg) => __nf_unregister_net_hook(net, reg.pf, reg);

    // net/netfilter/core.c: nf_hook_entries_delete_raw
    /// <summary>Removes <paramref name="reg"/> from a private hook head (NAT's lookup hooks).</summary>
    public static void nf_hook_entries_delete_raw(ref nf_hook_entries? pp, nf_hook_ops reg)
    {
        var p = pp;
        if (p is not null && nf_remove_net_hook(p, reg))
        {
            p = __nf_hook_entries_try_shrink(p, ref pp);
            nf_hook_entries_free(p);
        }
    }

    // net/netfilter/core.c: nf_register_net_hook
    /// <summary>Registers one hook in its family's hook point (NFPROTO_INET's two-family registration is not ported: IPv4 only).</summary>
    public static int nf_register_net_hook(net net, nf_hook_ops reg)
    {
        // not ported: __nf_unregister_net_hook — it undoes the IPv4 half of an NFPROTO_INET registration whose IPv6
        //   half failed: no NFPROTO_INET registration (IPv4 only, see the summary)
        var err = __nf_register_net_hook(net, reg.pf, reg);
        if (err < 0)
        {
            return err;
        }

        return 0;
    }

    // net/netfilter/core.c: nf_register_net_hooks
    /// <summary>Registers each of <paramref name="reg"/> in turn; on a failure unregisters those already in.</summary>
    public static int nf_register_net_hooks(net net, nf_hook_ops[] reg)
    {
        var err = 0;
        var i = 0;
        for (; i < reg.Length; i++)
        {
            err = nf_register_net_hook(net, reg[i]);
            if (err != 0)
            {
                goto err;
            }
        }

        return err;
    err:
        if (i > 0)
        {
            nf_unregister_net_hooks(net, reg, i);
        }

        return err;
    }

    // net/netfilter/core.c: nf_unregister_net_hooks
    /// <summary>Unregisters the first <paramref name="hookcount"/> of <paramref name="reg"/>.</summary>
    public static void nf_unregister_net_hooks(net net, nf_hook_ops[] reg, int hookcount)
    {
        for (var i = 0; i < hookcount; i++)
        {
            nf_unregister_net_hook(net, reg[i]);
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
    /// Calls the blob's hooks from index <paramref name="s"/> in priority order;
    /// on NF_DROP frees the skb with NETFILTER_DROP (what a tap before netfilter
    /// still saw, RX-10) and returns the verdict's errno or -EPERM; NF_STOLEN
    /// means the hook took the skb; 1 when every hook accepted.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int nf_hook_slow(sk_buff skb, nf_hook_state state, nf_hook_entries e, int s)
    {
        for (; s < e.num_hook_entries; s++)
        {
            var verdict = nf_hook_entry_hookfn(e.hooks[s], skb, state);
            switch (verdict & NF_VERDICT_MASK)
            {
                case NF_ACCEPT:
                    break;
                case NF_DROP:
                    skbuff_h.kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NETFILTER_DROP);
                    var ret = NF_DROP_GETERR(verdict);
                    if (ret == 0)
                    {
                        ret = -EPERM;
                    }

                    return ret;
                case NF_QUEUE:
                    // not ported: nf_queue — no userspace queue (the port's hooks never return NF_QUEUE).
                    throw new InvalidOperationException("NF_QUEUE is not ported");
                case NF_STOLEN:
                    return NF_DROP_GETERR(verdict);
                default:
                    // WARN_ON_ONCE: an unknown verdict; the skb is left as it is.
                    return 0;
            }
        }

        return 1;
    }
}
