// Ports net/netfilter/nf_nat_masquerade.c: MASQUERADE's mapping — SNAT to
// the address the outgoing interface would use for the next hop, remembering
// the interface so that a flow that later leaves by another one is dropped.
//
// not ported: the device and address notifiers that flush masqueraded
// connections when an interface goes down or loses its address (no scenario
// changes addresses under a flow), IPv6.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netfilter;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;
using static KernelNet.Kernel.Include.Net.Netfilter.nf_conntrack_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class nf_nat_masquerade_c
{
    // net/netfilter/nf_nat_masquerade.c: nf_nat_masquerade_ipv4
    /// <summary>
    /// Picks the source address <paramref name="out"/> uses towards the next
    /// hop (inet_select_addr) and sets up a SRC mapping to it with the
    /// rule's port range; NF_DROP when the device has no address.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint nf_nat_masquerade_ipv4(sk_buff skb, nf_inet_hooks hooknum, in nf_nat_range2 range, net_device @out)
    {
        System.Diagnostics.Debug.Assert(hooknum == nf_inet_hooks.NF_INET_POST_ROUTING, "MASQUERADE outside POSTROUTING");
        var ct = nf_ct_get(skb, out _)!;

        // a locally generated packet with source 0.0.0.0 is not masqueraded
        if (ct.tuplehash[0].tuple.src.u3 == 0)
        {
            return NF_ACCEPT;
        }

        var rt = Include.Net.route_h.skb_rtable(skb)!;
        var nh = Include.Net.route_h.rt_nexthop(rt, Include.Linux.ip_h.ip_hdr(skb).daddr);
        var newsrc = Ipv4.devinet_c.inet_select_addr(@out, nh, Include.Net.route_h.RT_SCOPE_UNIVERSE);
        if (newsrc == 0)
        {
            // pr_info("%s ate my IP address")
            Kernel.Printk.printk_c._printk(skb.k, Kernel.Printk.printk_c.KERN_INFO, $"{@out.name} ate my IP address\n");
            return NF_DROP;
        }

        var nat = nf_nat_core_c.nf_ct_nat_ext_add(ct);
        if (nat is not null)
        {
            nat.masq_index = @out.ifindex;
        }

        var newrange = new nf_nat_range2
        {
            flags = range.flags | Include.Uapi.Linux.Netfilter.nf_nat_h.NF_NAT_RANGE_MAP_IPS,
            min_addr = newsrc,
            max_addr = newsrc,
            min_proto = range.min_proto,
            max_proto = range.max_proto,
        };
        return nf_nat_core_c.nf_nat_setup_info(ct, newrange, nf_nat_manip_type.NF_NAT_MANIP_SRC);
    }
}
