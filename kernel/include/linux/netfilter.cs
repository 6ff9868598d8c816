// Ports include/linux/netfilter.h: the hook points and NF_HOOK.
using System;
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Net.Netfilter.core_c;

namespace KernelNet.Kernel.Include.Linux;

/// <summary>The IPv4 hook points (enum nf_inet_hooks).</summary>
public enum nf_inet_hooks
{
    NF_INET_PRE_ROUTING,
    NF_INET_LOCAL_IN,
    NF_INET_FORWARD,
    NF_INET_LOCAL_OUT,
    NF_INET_POST_ROUTING,
    NF_INET_NUMHOOKS,
}

/// <summary>The continuation a hook passes an accepted packet to (okfn).</summary>
public delegate int nf_okfn(net net, sock? sk, sk_buff skb);

/// <summary>struct nf_hook_state.</summary>
public sealed record nf_hook_state(nf_inet_hooks hook, byte pf, net_device? @in, net_device? @out, sock? sk, net net, nf_okfn okfn);

/// <summary>A hook function: returns a verdict (NF_ACCEPT, NF_DROP).</summary>
public delegate uint nf_hookfn(object? priv, sk_buff skb, nf_hook_state state);

/// <summary>struct nf_hook_ops: one registered hook with its priority (dev and hook_ops_type not ported: no netdev hooks, no BPF).</summary>
/// <remarks>The hook blobs compare ops by reference, as C compares the pointers.</remarks>
public sealed record nf_hook_ops(nf_hookfn hook, byte pf, nf_inet_hooks hooknum, int priority, object? priv = null);

/// <summary>struct nf_hook_entry: what the packet path calls — the function and its private data.</summary>
public readonly record struct nf_hook_entry(nf_hookfn hook, object? priv);

/// <summary>
/// struct nf_hook_entries: the published blob of one hook point, the hooks in
/// ascending priority followed by the ops each came from. Never changed in
/// place except that an unregistered entry becomes accept_all/dummy_ops.
/// </summary>
public sealed class nf_hook_entries
{
    /// <summary>allocate_hook_entries_size's kvzalloc: the hook array and the ops trailer.</summary>
    public nf_hook_entries(ushort num)
    {
        num_hook_entries = num;
        hooks = new nf_hook_entry[num];
        orig_ops = new nf_hook_ops[num];
    }

    public ushort num_hook_entries { get; }

    /// <summary>hooks[]: one entry per registered hook.</summary>
    public nf_hook_entry[] hooks { get; }

    /// <summary>The trailer nf_hook_entries_get_hook_ops returns: the ops behind hooks[i].</summary>
    public nf_hook_ops[] orig_ops { get; }
}

public static class netfilter_h
{
    public const uint NF_DROP = 0;
    public const uint NF_ACCEPT = 1;
    public const uint NF_STOLEN = 2;
    public const uint NF_QUEUE = 3;
    public const uint NF_REPEAT = 4;
    public const uint NF_VERDICT_MASK = 0x000000ff;

    // include/linux/netfilter.h: NF_DROP_GETERR
    /// <summary>The errno an NF_DROP_ERR verdict carries in its upper bits (0 for a plain NF_DROP).</summary>
    public static int NF_DROP_GETERR(uint verdict) => -(int)(verdict >> 16);
    public const byte NFPROTO_IPV4 = 2;

    // include/linux/netfilter.h: nf_hook_entries_get_hook_ops
    /// <summary>The blob's trailer: the registered ops behind each hook, read only when registering or unregistering.</summary>
    public static nf_hook_ops[] nf_hook_entries_get_hook_ops(nf_hook_entries e) => e.orig_ops;

    // include/linux/netfilter.h: nf_hook_entry_hookfn
    /// <summary>Calls one entry's hook function with its private data.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint nf_hook_entry_hookfn(in nf_hook_entry entry, sk_buff skb, nf_hook_state state) => entry.hook(entry.priv, skb, state);

    // include/linux/netfilter.h: nf_hook
    /// <summary>
    /// Runs the hook point's published blob: 1 means "accepted, call okfn
    /// yourself"; otherwise the skb was consumed. With nothing registered the
    /// head is null and this is one load and one test.
    /// </summary>
    [KernelNet.Annotations.Consumes("skb", UnlessReturns = 1)]
    public static int nf_hook(byte pf, nf_inet_hooks hook, net net, sock? sk, sk_buff skb, net_device? indev, net_device? outdev, nf_okfn okfn)
    {
        nf_hook_entries? hook_head = null;
        var ret = 1;

        // not ported: the CONFIG_JUMP_LABEL nf_hooks_needed static key — the null head below is the test.
        // rcu_read_lock: the blob read here stays whole while it runs.
        switch (pf)
        {
            case NFPROTO_IPV4:
                hook_head = net.nf.hooks_ipv4[(int)hook];
                break;
            default:
                // not ported: the IPv6, ARP and bridge heads — IPv4 only. WARN_ON_ONCE for others.
                break;
        }

        if (hook_head is not null)
        {
            // nf_hook_state_init: C fills a stack struct; here the state is built only when a hook runs.
            var state = new nf_hook_state(hook, pf, indev, outdev, sk, net, okfn);
            ret = nf_hook_slow(skb, state, hook_head, 0);
        }

        return ret;
    }

    // include/linux/netfilter.h: NF_HOOK
    /// <summary>Runs the hook point, then the next stage <paramref name="okfn"/> if the packet was accepted (STYLE 5).</summary>
    [KernelNet.Annotations.Consumes("skb")]
    public static int NF_HOOK(byte pf, nf_inet_hooks hook, net net, sock? sk, sk_buff skb, net_device? @in, net_device? @out, nf_okfn okfn)
    {
        var ret = nf_hook(pf, hook, net, sk, skb, @in, @out, okfn);
        if (ret == 1)
        {
            ret = okfn(net, sk, skb);
        }

        return ret;
    }

    // include/linux/netfilter.h: NF_HOOK_COND
    [KernelNet.Annotations.Consumes("skb")]
    public static int NF_HOOK_COND(byte pf, nf_inet_hooks hook, net net, sock? sk, sk_buff skb, net_device? @in, net_device? @out, nf_okfn okfn, bool cond)
    {
        var ret = 1;
        if (cond)
        {
            ret = nf_hook(pf, hook, net, sk, skb, @in, @out, okfn);
        }

        if (ret == 1)
        {
            ret = okfn(net, sk, skb);
        }

        return ret;
    }
}
