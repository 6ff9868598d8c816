// Ports net/ipv4/netfilter/ipt_REJECT.c: "-j REJECT": the packet is dropped
// and answered with an ICMP destination-unreachable (port unreachable by
// default) through nf_send_unreach.
//
// not ported: --reject-with tcp-reset (nf_send_reset builds and routes its
// own RST; the scenario language refuses it), the other ICMP codes are.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Linux.Netfilter;
using static KernelNet.Kernel.Include.Linux.netfilter_h;

namespace KernelNet.Kernel.Net.Ipv4.Netfilter;

/// <summary>struct ipt_reject_info: which answer to send (enum ipt_reject_with).</summary>
public sealed class ipt_reject_info
{
    /// <summary>The ICMP code of destination unreachable (IPT_ICMP_PORT_UNREACHABLE -> ICMP_PORT_UNREACH, ...).</summary>
    public byte icmp_code { get; init; } = Include.Uapi.Linux.icmp_h.ICMP_PORT_UNREACH;
}

public static class ipt_REJECT_c
{
    // net/ipv4/netfilter/ipt_REJECT.c: reject_tg
    /// <summary>Sends the ICMP error about the packet, then drops it.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static uint reject_tg(sk_buff skb, xt_action_param par)
    {
        // not ported: xt_hooknum, xt_net — field accessors: the port reads or sets these fields directly
        var reject = (ipt_reject_info)par.targinfo!;
        nf_reject_ipv4_c.nf_send_unreach(skb, reject.icmp_code, par.hooknum);
        return NF_DROP;
    }

    /// <summary>reject_tg_reg: filter-table hooks INPUT, FORWARD, OUTPUT.</summary>
    public static readonly xt_target reject_tg_reg = new()
    {
        name = "REJECT",
        target = reject_tg,
        table = "filter",
        hooks = (1u << (int)nf_inet_hooks.NF_INET_LOCAL_IN) | (1u << (int)nf_inet_hooks.NF_INET_FORWARD) | (1u << (int)nf_inet_hooks.NF_INET_LOCAL_OUT),
    };
}
