// Ports net/ipv4/netfilter/nf_defrag_ipv4.c: connection tracking needs whole
// datagrams, so a namespace that tracks connections first gathers fragments at
// PRE_ROUTING and LOCAL_OUT (priority NF_IP_PRI_CONNTRACK_DEFRAG, before raw
// and conntrack) on reassembly queues of their own (the defrag user
// IP_DEFRAG_CONNTRACK_IN/OUT + zone). A fragment that does not complete its
// datagram is stolen; the one that does goes on as the whole datagram.
//
// not ported: IP_NODEFRAG (the socket option is not ported), conntrack zones
// (only the default zone exists), bridge netfilter (nf_bridge_in_prerouting:
// no bridges), the module init/exit (nf_defrag_init, defrag4_net_exit: the
// hooks live and die with the namespace's conntrack users).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.netfilter_h;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

/// <summary>net->nf.defrag_ipv4_users: how many users (conntrack) asked for the defrag hooks in the namespace.</summary>
public sealed class nf_defrag_ipv4_net
{
    public uint defrag_ipv4_users { get; set; }

    [NotInLinux("C# accessor: the defrag_ipv4_users field of struct netns_nf, kept in net.gen")]
    public static nf_defrag_ipv4_net of(net net)
    {
        if (!net.gen.TryGetValue("nf_defrag_ipv4", out var o))
        {
            o = new nf_defrag_ipv4_net();
            net.gen["nf_defrag_ipv4"] = o;
        }

        return (nf_defrag_ipv4_net)o;
    }
}

public static class nf_defrag_ipv4_c
{
    /// <summary>NF_CT_DEFAULT_ZONE_ID: the only conntrack zone the port has.</summary>
    private const ushort NF_CT_DEFAULT_ZONE_ID = 0;

    // net/ipv4/netfilter/nf_defrag_ipv4.c: nf_ct_ipv4_gather_frags
    /// <summary>
    /// Hands the fragment to ip_defrag under <paramref name="user"/>'s queues.
    /// 0: it completed its datagram, which goes on (ignore_df set: the
    /// datagram may leave bigger than an MTU, to be fragmented again);
    /// otherwise the fragment was queued or freed.
    /// </summary>
    [Consumes("skb")]
    private static int nf_ct_ipv4_gather_frags(net net, sk_buff skb, uint user)
    {
        // not ported: local_bh_disable — one thread: nothing can interrupt the queue update.
        // not ported: local_bh_enable — see local_bh_disable.
        var err = ip_fragment_c.ip_defrag(net, skb, user);
        if (err == 0)
        {
            skb.ignore_df = true;
        }

        return err;
    }

    // net/ipv4/netfilter/nf_defrag_ipv4.c: nf_ct_defrag_user
    /// <summary>The reassembly queue owner for a hook: conntrack's in or out range, offset by the zone.</summary>
    [Borrows("skb")]
    private static uint nf_ct_defrag_user(nf_inet_hooks hooknum, sk_buff skb)
    {
        // not ported: skb_nfct — only the default zone exists, so the packet's conntrack cannot change the user.
        // not ported: nf_ct_get — see skb_nfct.
        // not ported: nf_ct_zone_id — see skb_nfct.
        // not ported: nf_ct_zone — see skb_nfct.
        // not ported: CTINFO2DIR — see skb_nfct.
        // not ported: nf_bridge_in_prerouting — no bridges.
        uint zone_id = NF_CT_DEFAULT_ZONE_ID;
        if (hooknum == nf_inet_hooks.NF_INET_PRE_ROUTING)
        {
            return ip_fragment_c.IP_DEFRAG_CONNTRACK_IN + zone_id;
        }

        return ip_fragment_c.IP_DEFRAG_CONNTRACK_OUT + zone_id;
    }

    // net/ipv4/netfilter/nf_defrag_ipv4.c: ipv4_conntrack_defrag
    /// <summary>
    /// The defrag hook: an untracked packet passes; a fragment is gathered
    /// (NF_STOLEN until its datagram is whole); anything else passes.
    /// </summary>
    [Consumes("skb")]
    private static uint ipv4_conntrack_defrag(object? priv, sk_buff skb, nf_hook_state state)
    {
        // not ported: sk_fullsock, inet_test_bit(NODEFRAG) — IP_NODEFRAG is not ported.
        // not ported: skb_nfct — the "seen before" test is compiled out with CONFIG_NF_NAT, which 6.18's configs set.
        // not ported: nf_ct_is_template — see skb_nfct.
        if (skb._nfct is null && skb._nfctinfo == ip_conntrack_info.IP_CT_UNTRACKED)
        {
            return NF_ACCEPT;
        }

        if (Include.Net.ip_h.ip_is_fragment(Include.Linux.ip_h.ip_hdr(skb)))
        {
            var user = nf_ct_defrag_user(state.hook, skb);
            if (nf_ct_ipv4_gather_frags(state.net, skb, user) != 0)
            {
                return NF_STOLEN;
            }
        }

        return NF_ACCEPT;
    }

    /// <summary>ipv4_defrag_ops: the hooks at PRE_ROUTING and LOCAL_OUT, one array per namespace (registration keeps them).</summary>
    [NotInLinux("the static ipv4_defrag_ops array, one copy per namespace")]
    private static nf_hook_ops[] ipv4_defrag_ops(net net)
    {
        if (!net.gen.TryGetValue("ipv4_defrag_ops", out var o))
        {
            o = new[]
            {
                new nf_hook_ops(ipv4_conntrack_defrag, NFPROTO_IPV4, nf_inet_hooks.NF_INET_PRE_ROUTING, netfilter_ipv4_h.NF_IP_PRI_CONNTRACK_DEFRAG),
                new nf_hook_ops(ipv4_conntrack_defrag, NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_OUT, netfilter_ipv4_h.NF_IP_PRI_CONNTRACK_DEFRAG),
            };
            net.gen["ipv4_defrag_ops"] = o;
        }

        return (nf_hook_ops[])o;
    }

    // net/ipv4/netfilter/nf_defrag_ipv4.c: nf_defrag_ipv4_enable
    /// <summary>A user (conntrack) takes the namespace's defrag hooks; the first registers them.</summary>
    public static int nf_defrag_ipv4_enable(net net)
    {
        // mutex_lock(&defrag4_mutex): one thread.
        var nf = nf_defrag_ipv4_net.of(net);
        if (nf.defrag_ipv4_users == uint.MaxValue)
        {
            return -Include.Uapi.AsmGeneric.errno_h.EOVERFLOW;
        }

        if (nf.defrag_ipv4_users != 0)
        {
            nf.defrag_ipv4_users++;
            return 0;
        }

        var err = Net.Netfilter.core_c.nf_register_net_hooks(net, ipv4_defrag_ops(net));
        if (err == 0)
        {
            nf.defrag_ipv4_users = 1;
        }

        return err;
    }

    // net/ipv4/netfilter/nf_defrag_ipv4.c: nf_defrag_ipv4_disable
    /// <summary>A user lets go; the last one unregisters the hooks.</summary>
    public static void nf_defrag_ipv4_disable(net net)
    {
        var nf = nf_defrag_ipv4_net.of(net);
        if (nf.defrag_ipv4_users != 0)
        {
            nf.defrag_ipv4_users--;
            if (nf.defrag_ipv4_users == 0)
            {
                var ops = ipv4_defrag_ops(net);
                Net.Netfilter.core_c.nf_unregister_net_hooks(net, ops, ops.Length);
            }
        }
    }
}
