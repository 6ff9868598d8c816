// Ports include/linux/netfilter.h: the hook points and NF_HOOK.
using System;
using System.Collections.Generic;
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

/// <summary>struct nf_hook_ops: one registered hook with its priority.</summary>
public sealed record nf_hook_ops(nf_hookfn hook, byte pf, nf_inet_hooks hooknum, int priority, object? priv = null);

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

    /// <summary>The hooks registered in a namespace for pf/hook (net->nf.hooks_ipv4).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor: C reads net->nf.hooks_ipv4[hook] in place")]
    public static List<nf_hook_ops> nf_hook_entries(net net, nf_inet_hooks hook)
    {
        var key = "nf_hooks_ipv4_" + ((int)hook).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!net.gen.TryGetValue(key, out var o))
        {
            o = new List<nf_hook_ops>();
            net.gen[key] = o;
        }

        return (List<nf_hook_ops>)o;
    }

    // include/linux/netfilter.h: nf_hook
    /// <summary>Runs the hook's entries: 1 means "accepted, call okfn yourself"; otherwise the skb was consumed.</summary>
    public static int nf_hook(byte pf, nf_inet_hooks hook, net net, sock? sk, sk_buff skb, net_device? indev, net_device? outdev, nf_okfn okfn)
    {
        var entries = nf_hook_entries(net, hook);
        if (entries.Count == 0)
        {
            return 1;
        }

        var state = new nf_hook_state(hook, pf, indev, outdev, sk, net, okfn);
        return nf_hook_slow(skb, state, entries);
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
