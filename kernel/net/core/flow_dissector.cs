// Ports net/core/flow_dissector.c as far as eth_get_headlen needs it: how far
// a frame's headers go, read from the bytes a driver has (not an skb), for
// IPv4 and its first transport header.
//
// not ported: dissecting an skb (no caller passes one here), the BPF flow
// dissector (no BPF), VLAN, IPv6, MPLS, ARP, PPPoE and the other link
// protocols (a frame of any other protocol is "bad": its headers end with
// the Ethernet header), tunnels (IPIP, GRE: the inner headers are not
// followed), the keys a basic dissection does not fill (addresses, ports,
// TCP flags, ICMP), flow hashing (___skb_get_hash, flow_hash_from_keys).
using System;
using System.Buffers.Binary;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Net.flow_dissector_h;

namespace KernelNet.Kernel.Net.Core;

public static class flow_dissector_c
{
    // net/core/flow_dissector.c: __skb_flow_dissect
    /// <summary>
    /// Dissects the <paramref name="hlen"/> bytes of <paramref name="data"/>
    /// from <paramref name="nhoff"/>, a packet of network protocol
    /// <paramref name="proto"/>: an IPv4 header (not a later fragment; a
    /// first one only with FLOW_DISSECTOR_F_PARSE_1ST_FRAG) gives the
    /// transport protocol and where its header starts (thoff). False when
    /// the headers cannot be made out.
    /// </summary>
    [Borrows("skb")]
    public static bool __skb_flow_dissect(net? net, sk_buff? skb, flow_keys_basic keys, Span<byte> data, ushort proto, int nhoff, int hlen, uint flags)
    {
        var key_control = keys.control;
        var key_basic = keys.basic;
        byte ip_proto = 0;
        bool ret;

        // not ported: the skb case (data == NULL), the BPF program run (net->bpf.run_array), the Ethernet-address and VLAN-count keys.
        switch (proto)
        {
            case if_ether_h.ETH_P_IP:
                {
                    if (hlen < nhoff + iphdr.Size)
                    {
                        goto out_bad;
                    }

                    var iph = new iphdr(data[nhoff..hlen]);
                    var ihl = data[nhoff] & 0x0f;
                    if (ihl < 5)
                    {
                        goto out_bad;
                    }

                    nhoff += ihl * 4;
                    ip_proto = iph.protocol;

                    // __skb_flow_dissect_ipv4: the TOS/TTL key is not asked for.
                    if (Include.Net.ip_h.ip_is_fragment(iph))
                    {
                        key_control.flags |= FLOW_DIS_IS_FRAGMENT;
                        if ((iph.frag_off & Include.Uapi.Linux.ip_h.IP_OFFSET) != 0)
                        {
                            goto out_good;
                        }

                        key_control.flags |= FLOW_DIS_FIRST_FRAG;
                        if ((flags & FLOW_DISSECTOR_F_PARSE_1ST_FRAG) == 0)
                        {
                            goto out_good;
                        }
                    }

                    break;
                }

            default:
                // not ported: ETH_P_IPV6, VLAN, PPP_SES, TIPC, MPLS, FCOE, ARP/RARP, batman, 1588, HSR/PRP, CFM.
                goto out_bad;
        }

        // ip_proto_again: __skb_flow_dissect_tcp/icmp and the ports fill keys a basic dissection does not have.
        // not ported: IPPROTO_GRE, IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_MPLS (encapsulations), L2TP, ESP, AH.
    out_good:
        ret = true;

    @out:
        key_control.thoff = (ushort)Math.Min(nhoff, skb is not null ? skb.len : hlen);
        key_basic.n_proto = proto;
        key_basic.ip_proto = ip_proto;
        return ret;

    out_bad:
        ret = false;
        goto @out;
    }

    // net/core/flow_dissector.c: __skb_get_poff
    /// <summary>Where the payload starts: past the transport header the keys point at (TCP's doff, UDP's 8 bytes, ICMP's, IGMP's...), or at it for a later fragment.</summary>
    [Borrows("skb")]
    public static uint __skb_get_poff(sk_buff? skb, Span<byte> data, flow_keys_basic keys, int hlen)
    {
        uint poff = keys.control.thoff;

        // A fragment after the first has no transport header.
        if ((keys.control.flags & FLOW_DIS_IS_FRAGMENT) != 0 && (keys.control.flags & FLOW_DIS_FIRST_FRAG) == 0)
        {
            return poff;
        }

        switch (keys.basic.ip_proto)
        {
            case in_h.IPPROTO_TCP:
                {
                    // __skb_header_pointer over the bytes the caller has (no skb to copy from here).
                    if (poff + 12 >= hlen)
                    {
                        return poff;
                    }

                    poff += (uint)Math.Max(tcphdr.Size, (data[(int)poff + 12] & 0xF0) >> 2);
                    break;
                }

            case in_h.IPPROTO_UDP:
            case in_h.IPPROTO_UDPLITE:
                poff += udphdr.Size;
                break;

            case in_h.IPPROTO_ICMP:
                poff += 8;
                break;

            case in_h.IPPROTO_IGMP:
                poff += 8;
                break;

            // not ported: ICMPv6, DCCP and SCTP header sizes (no IPv6, DCCP or SCTP here).
        }

        return poff;
    }
}
