// Ports net/netfilter/xt_tcpudp.c: the "-p udp --dport N" / "-p tcp
// --sport N" matches.
//
// not ported: TCP flag and option matching (--syn, --tcp-flags), UDP-Lite.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4;
using static KernelNet.Kernel.Include.Uapi.Linux.NetfilterIpv4.ip_tables_h;

namespace KernelNet.Kernel.Net.Netfilter;

public static class xt_tcpudp_c
{
    // net/netfilter/xt_tcpudp.c: port_match
    private static bool port_match(ushort min, ushort max, ushort port, bool invert) => (port >= min && port <= max) ^ invert;

    // net/netfilter/xt_tcpudp.c: udp_mt
    /// <summary>Source and destination port in range; never on a non-first fragment; an unreadable header drops (hotdrop).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool udp_mt(sk_buff skb, xt_ports udpinfo, int fragoff, int thoff, ref bool hotdrop)
    {
        // not ported: skb_header_pointer — the two ports are read with ip_tables' read_port, which fails on a packet
        //   too short for them as the header pointer would
        if (fragoff != 0)
        {
            return false;
        }

        var sport = Ipv4.Netfilter.ip_tables_c.read_port(skb, thoff, 0);
        var dport = Ipv4.Netfilter.ip_tables_c.read_port(skb, thoff, 2);
        if (sport < 0 || dport < 0)
        {
            hotdrop = true;
            return false;
        }

        return port_match(udpinfo.spts_lo, udpinfo.spts_hi, (ushort)sport, (udpinfo.invflags & XT_INV_SRCPT) != 0)
            && port_match(udpinfo.dpts_lo, udpinfo.dpts_hi, (ushort)dport, (udpinfo.invflags & XT_INV_DSTPT) != 0);
    }

    // not ported: NF_INVF, port_match, skb_header_pointer, tcp_find_option — the tcp match is udp_mt's port test:
    //   flag and option matching are not ported (see the header), nor its hotdrops of a fragment at offset 1 and of
    //   a header shorter than 20 bytes
    // net/netfilter/xt_tcpudp.c: tcp_mt
    /// <summary>The port part of the tcp match (the ports sit where UDP's do).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool tcp_mt(sk_buff skb, xt_ports tcpinfo, int fragoff, int thoff, ref bool hotdrop) =>
        udp_mt(skb, tcpinfo, fragoff, thoff, ref hotdrop);

    /// <summary>Picks tcp_mt or udp_mt by the rule's protocol (the match's registration by name in C).</summary>
    [KernelNet.Annotations.NotInLinux("the port range checks tcp_mt and udp_mt share (port_match), with the header read")]
    [KernelNet.Annotations.Borrows("skb")]
    public static bool tcpudp_mt(sk_buff skb, ushort proto, xt_ports info, int fragoff, int thoff, ref bool hotdrop) =>
        proto == 6 ? tcp_mt(skb, info, fragoff, thoff, ref hotdrop) : udp_mt(skb, info, fragoff, thoff, ref hotdrop);
}
