// Ports net/netfilter/nf_conntrack_proto.c: conntrack's IPv4 hooks (tracking
// at PRE_ROUTING and LOCAL_OUT, confirming at POST_ROUTING and LOCAL_IN) and
// their registration in a namespace on demand: the first rule or table that
// needs conntrack calls nf_ct_netns_get, the last one gone unregisters them.
// A namespace with no such rule runs no conntrack at all, as in 6.18.
//
// not ported: IPv6 and
// bridge tracking, the SO_ORIGINAL_DST sockopt, helpers and seqadj in
// nf_confirm (none are ported), nf_ct_tcp_fixup (no entries exist before the
// hooks), nf_l4proto_log_invalid (it logs only with nf_conntrack_log_invalid
// set and an nf_log backend, neither of which the simulation has).
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class nf_conntrack_proto_c
{
    // net/netfilter/nf_conntrack_proto.c: nf_confirm
    /// <summary>The confirm hook (POST_ROUTING, LOCAL_IN, last of all): the packet made it, so its new conntrack enters the table.</summary>
    [Borrows("skb")]
    public static uint nf_confirm(object? priv, sk_buff skb, nf_hook_state state)
    {
        // not ported: in_vrf_postrouting — no VRF (l3mdev) devices in the simulation
        // not ported: ip_hdrlen, nf_ct_l3num, nf_ct_net, skb_network_offset — field accessors: the port reads or sets these fields directly
        // not ported: nf_ct_seq_adjust, nfct_help — no conntrack extensions: helpers, expectations, events, zones, timeout policies, accounting, timestamps, labels, seqadj, synproxy
        // not ported: nf_is_loopback_packet, help, NF_CT_STAT_INC_ATOMIC — the helper call and its drop count, and the
        //   loopback test of the seqadj case: no helpers or seqadj (above)
        var ct = nf_ct_get(skb, out _);
        if (ct is null)
        {
            return NF_ACCEPT;
        }

        // no helper, no seqadj: straight to the confirmation
        return nf_conntrack_core_h.nf_conntrack_confirm(skb);
    }

    // net/netfilter/nf_conntrack_proto.c: ipv4_conntrack_in
    [Borrows("skb")]
    private static uint ipv4_conntrack_in(object? priv, sk_buff skb, nf_hook_state state) =>
        nf_conntrack_core_c.nf_conntrack_in(skb, state);

    // net/netfilter/nf_conntrack_proto.c: ipv4_conntrack_local
    /// <summary>LOCAL_OUT tracking; a local fragment (IP_NODEFRAG) is let through untracked.</summary>
    [Borrows("skb")]
    private static uint ipv4_conntrack_local(object? priv, sk_buff skb, nf_hook_state state)
    {
        // not ported: ip_is_fragment — written out as a test of frag_off's MF and offset bits
        var iph = Include.Linux.ip_h.ip_hdr(skb);
        if ((iph.frag_off & (Include.Uapi.Linux.ip_h.IP_MF | Include.Uapi.Linux.ip_h.IP_OFFSET)) != 0)
        {
            var tmpl = nf_ct_get(skb, out _);
            if (tmpl is not null && nf_ct_is_template(tmpl))
            {
                skb._nfct = null;
                nf_ct_put(tmpl);
            }

            return NF_ACCEPT;
        }

        return nf_conntrack_core_c.nf_conntrack_in(skb, state);
    }

    /// <summary>ipv4_conntrack_ops: conntrack's four hooks in a namespace (one set per namespace, as registration copies them).</summary>
    [NotInLinux("the static ipv4_conntrack_ops array, one copy per namespace")]
    private static nf_hook_ops[] ipv4_conntrack_ops(net net)
    {
        if (!net.gen.TryGetValue("ipv4_conntrack_ops", out var o))
        {
            o = new[]
            {
                new nf_hook_ops(ipv4_conntrack_in, NFPROTO_IPV4, nf_inet_hooks.NF_INET_PRE_ROUTING, netfilter_ipv4_h.NF_IP_PRI_CONNTRACK),
                new nf_hook_ops(ipv4_conntrack_local, NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_OUT, netfilter_ipv4_h.NF_IP_PRI_CONNTRACK),
                new nf_hook_ops(nf_confirm, NFPROTO_IPV4, nf_inet_hooks.NF_INET_POST_ROUTING, netfilter_ipv4_h.NF_IP_PRI_CONNTRACK_CONFIRM),
                new nf_hook_ops(nf_confirm, NFPROTO_IPV4, nf_inet_hooks.NF_INET_LOCAL_IN, netfilter_ipv4_h.NF_IP_PRI_CONNTRACK_CONFIRM),
            };
            net.gen["ipv4_conntrack_ops"] = o;
        }

        return (nf_hook_ops[])o;
    }

    // net/netfilter/nf_conntrack_proto.c: nf_ct_netns_do_get
    /// <summary>The first IPv4 user in the namespace registers conntrack's hooks.</summary>
    private static int nf_ct_netns_do_get(net net, byte nfproto)
    {
        var cnet = nf_ct_pernet(net);
        if (nfproto != NFPROTO_IPV4)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EINVAL;
        }

        cnet.users4++;
        if (cnet.users4 > 1)
        {
            return 0;
        }

        var err = Net.Ipv4.Netfilter.nf_defrag_ipv4_c.nf_defrag_ipv4_enable(net);
        if (err != 0)
        {
            cnet.users4 = 0;
            return err;
        }

        _ = netns_ct.of(net);
        err = core_c.nf_register_net_hooks(net, ipv4_conntrack_ops(net));
        if (err != 0)
        {
            cnet.users4 = 0;
        }

        // not ported: nf_ct_iterate_cleanup_net — nf_ct_tcp_fixup, which turns liberal the window tracking of TCP
        //   entries that outlived an earlier registration, is not ported: such entries keep strict tracking

        return err;
    }

    // net/netfilter/nf_conntrack_proto.c: nf_ct_netns_do_put
    private static void nf_ct_netns_do_put(net net, byte nfproto)
    {
        var cnet = nf_ct_pernet(net);
        if (nfproto == NFPROTO_IPV4 && cnet.users4 != 0 && --cnet.users4 == 0)
        {
            var ops = ipv4_conntrack_ops(net);
            core_c.nf_unregister_net_hooks(net, ops, ops.Length);
            Net.Ipv4.Netfilter.nf_defrag_ipv4_c.nf_defrag_ipv4_disable(net);
        }
    }

    // not ported: nf_ct_netns_inet_get, nf_ct_netns_put — NFPROTO_INET and NFPROTO_BRIDGE users: IPv4 only
    // net/netfilter/nf_conntrack_proto.c: nf_ct_netns_get
    /// <summary>A rule or table that needs conntrack takes the namespace's IPv4 tracking (loading it on first use).</summary>
    public static int nf_ct_netns_get(net net, byte nfproto) => nf_ct_netns_do_get(net, nfproto);

    // net/netfilter/nf_conntrack_proto.c: nf_ct_netns_put
    public static void nf_ct_netns_put(net net, byte nfproto) => nf_ct_netns_do_put(net, nfproto);

    // net/netfilter/nf_conntrack_proto.c: nf_conntrack_proto_pernet_init
    /// <summary>The protocols' default timeouts for a namespace.</summary>
    public static void nf_conntrack_proto_pernet_init(net net, netns_ct ct)
    {
        // not ported: nf_conntrack_gre_init_net, nf_conntrack_sctp_init_net — no SCTP or GRE
        // not ported: nf_conntrack_icmpv6_init_net — no IPv6
        nf_conntrack_proto_tcp_c.nf_conntrack_tcp_init_net(net, ct);
        nf_conntrack_proto_udp_c.nf_conntrack_udp_init_net(net, ct);
        nf_conntrack_proto_icmp_c.nf_conntrack_icmp_init_net(net, ct);

        // not ported: nf_conntrack_generic_init_net — written out: the generic protocol's one timeout
        ct.generic_timeout = 600 * (uint)Vmlinux.HZ;
    }
}
