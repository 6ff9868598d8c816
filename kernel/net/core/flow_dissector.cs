// Ports net/core/flow_dissector.c in its two uses here. From bytes a driver
// has (no skb: eth_get_headlen), how far a frame's headers go, for IPv4 and
// its first transport header. From an skb, its software flow hash
// (__skb_get_hash_net, for RPS/RFS and XPS): dissect the IPv4 header and the
// ports, sort the two directions into one, and hash with a key drawn once
// (hashrnd).
//
// departure: C has one __skb_flow_dissect taking either data or an skb
// (data == NULL) and filling whatever keys the dissector asks for; the port
// has one overload per caller's keys (flow_keys_basic from bytes, flow_keys
// from an skb). The kernel runs siphash over the bytes of struct flow_keys
// from its basic key on; the port hashes the same fields (protocol, ports,
// addresses) as four words with siphash_4u32, so values differ from Linux's
// while the properties (keyed, both directions equal, never 0) hold.
// not ported: the BPF flow dissector (no BPF), VLAN, IPv6, MPLS, ARP, PPPoE
// and the other link protocols (from bytes, a frame of any other protocol is
// "bad": its headers end with the Ethernet header), tunnels (IPIP, GRE: the
// inner headers are not followed), ICMP keys, flow labels.
using System;
using System.Buffers.Binary;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.flow_dissector_h;

namespace KernelNet.Kernel.Net.Core;

/// <summary>struct flow_keys, reduced to the fields an IPv4 hash reads.</summary>
public struct flow_keys
{
    /// <summary>control.addr_type: FLOW_DISSECTOR_KEY_IPV4_ADDRS once addresses were found, else 0.</summary>
    public int addr_type;

    /// <summary>control.flags: FLOW_DIS_IS_FRAGMENT, FLOW_DIS_FIRST_FRAG.</summary>
    public uint flags;

    /// <summary>basic.n_proto (host order).</summary>
    public ushort n_proto;

    /// <summary>basic.ip_proto.</summary>
    public byte ip_proto;

    /// <summary>ports.src, ports.dst (host order).</summary>
    public ushort src_port;

    public ushort dst_port;

    /// <summary>addrs.v4addrs (host order).</summary>
    public uint src;

    public uint dst;
}

/// <summary>flow_dissector.c's global: hashrnd, the flow hash key (net_get_random_once).</summary>
public sealed class flow_dissector_globals
{
    public siphash_key_t hashrnd { get; } = new();
}


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
        // not ported: eth_hdr, skb_headlen, skb_network_offset, __skb_header_pointer, __skb_flow_dissect_ports — the bytes form has no skb: the caller's span is read directly and its ports are not keys here
        // not ported: skb_vlan_tag_present, skb_vlan_tag_get_id, skb_vlan_tag_get_prio, is_pppoe_ses_hdr_valid, tipc_hdr_rps_key, ip6_flowlabel, __skb_flow_dissect_ipv6, __skb_flow_dissect_mpls, __skb_flow_dissect_arp, __skb_flow_dissect_cfm, __skb_flow_dissect_batadv, __skb_flow_dissect_gre, __skb_flow_dissect_l2tpv3, __skb_flow_dissect_esp, __skb_flow_dissect_ah, __skb_flow_dissect_icmp — IPv4 only (file header)
        // not ported: bpf_flow_dissect, __skb_flow_bpf_to_target, skb_flow_dissect_allowed, dev_net_rcu, netdev_uses_dsa, dsa_tag_generic_flow_dissect, skb_metadata_dst, dissector_uses_key, skb_flow_dissector_target — no BPF, DSA or tunnel metadata; the keys are a flat struct
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
        // not ported: __skb_header_pointer — the caller's bytes are read directly (no skb to copy from here)
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

    /// <summary>FLOW_DISSECTOR_KEY_IPV4_ADDRS: the control key's addr_type for IPv4.</summary>
    public const int FLOW_DISSECTOR_KEY_IPV4_ADDRS = 3;

    // net/core/flow_dissector.c: __skb_flow_dissect
    /// <summary>
    /// Reads the flow's keys from the network header on (skb.protocol says
    /// which): the IPv4 addresses and protocol, and the ports of TCP, UDP,
    /// UDP-Lite, SCTP and DCCP, unless the packet is a fragment (the ports
    /// are then not there, or not in every fragment). False when the headers
    /// are too short or not IPv4.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static bool __skb_flow_dissect(sk_buff skb, ref flow_keys keys)
    {
        // not ported: eth_hdr, skb_headlen, __skb_header_pointer, __skb_flow_dissect_ipv4, __skb_flow_dissect_tcp, ip_is_fragment — the IPv4 header is read through skb_header_pointer at the network offset; no DSCP/TTL or TCP-flag keys; the fragment bits are tested inline
        // not ported: skb_vlan_tag_present, skb_vlan_tag_get_id, skb_vlan_tag_get_prio, is_pppoe_ses_hdr_valid, tipc_hdr_rps_key, ip6_flowlabel, __skb_flow_dissect_ipv6, __skb_flow_dissect_mpls, __skb_flow_dissect_arp, __skb_flow_dissect_cfm, __skb_flow_dissect_batadv, __skb_flow_dissect_gre, __skb_flow_dissect_l2tpv3, __skb_flow_dissect_esp, __skb_flow_dissect_ah, __skb_flow_dissect_icmp — IPv4 only (file header)
        // not ported: bpf_flow_dissect, __skb_flow_bpf_to_target, skb_flow_dissect_allowed, dev_net_rcu, netdev_uses_dsa, dsa_tag_generic_flow_dissect, skb_metadata_dst, dissector_uses_key, skb_flow_dissector_target — no BPF, DSA or tunnel metadata; the keys are a flat struct
        var nhoff = skb_network_offset(skb);
        keys.n_proto = skb.protocol;
        if (skb.protocol != if_ether_h.ETH_P_IP)
        {
            // not ported: IPv6, ARP, VLAN and tunnel protocols
            return false;
        }

        System.Span<byte> buf = stackalloc byte[iphdr.Size];
        var h = skb_header_pointer(skb, nhoff, iphdr.Size, buf);
        if (h.IsEmpty)
        {
            return false;
        }

        var iph = new iphdr(h);
        if (iph.ihl < 5)
        {
            return false;
        }

        keys.ip_proto = iph.protocol;
        keys.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
        keys.src = iph.saddr;
        keys.dst = iph.daddr;
        if ((iph.frag_off & (Include.Uapi.Linux.ip_h.IP_MF | Include.Uapi.Linux.ip_h.IP_OFFSET)) != 0)
        {
            keys.flags |= FLOW_DIS_IS_FRAGMENT;
            if ((iph.frag_off & Include.Uapi.Linux.ip_h.IP_OFFSET) == 0)
            {
                keys.flags |= FLOW_DIS_FIRST_FRAG;
            }

            // FLOW_DISSECTOR_F_PARSE_1ST_FRAG is not asked for: no ports
            return true;
        }

        nhoff += iph.ihl * 4;
        __skb_flow_dissect_ports(skb, nhoff, keys.ip_proto, ref keys);
        return true;
    }

    // net/core/flow_dissector.c: __skb_flow_dissect_ports
    /// <summary>The two 16-bit ports at the transport header of the protocols that have them there.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void __skb_flow_dissect_ports(sk_buff skb, int thoff, byte ip_proto, ref flow_keys keys)
    {
        // not ported: dissector_uses_key, skb_flow_dissector_target, skb_flow_get_ports — the port's keys are a flat struct: the ports are read into it directly
        switch (ip_proto)
        {
            case 6: // IPPROTO_TCP
            case 17: // IPPROTO_UDP
            case 33: // IPPROTO_DCCP
            case 132: // IPPROTO_SCTP
            case 136: // IPPROTO_UDPLITE
                break;
            default:
                return;
        }

        System.Span<byte> buf = stackalloc byte[4];
        var ports = skb_header_pointer(skb, thoff, 4, buf);
        if (ports.IsEmpty)
        {
            return;
        }

        keys.src_port = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(ports);
        keys.dst_port = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(ports[2..]);
    }

    // net/core/flow_dissector.c: __flow_hash_secret_init
    /// <summary>Draws hashrnd the first time a flow hash is needed (net_get_random_once).</summary>
    private static siphash_key_t __flow_hash_secret_init(Vmlinux k)
    {
        // not ported: net_get_random_once — the key is drawn once, when it is still zero, with get_random_bytes
        var key = k.globals<flow_dissector_globals>().hashrnd;
        if (siphash_h.siphash_key_is_zero(key))
        {
            Drivers.Char.random_c.get_random_bytes(k, key);
        }

        return key;
    }

    // net/core/flow_dissector.c: __flow_hash_consistentify
    /// <summary>Orders addresses and ports so that both directions of a flow hash alike.</summary>
    private static void __flow_hash_consistentify(ref flow_keys keys)
    {
        if (keys.addr_type != FLOW_DISSECTOR_KEY_IPV4_ADDRS)
        {
            return;
        }

        if (keys.dst < keys.src)
        {
            (keys.src, keys.dst) = (keys.dst, keys.src);
        }

        if (keys.dst_port < keys.src_port)
        {
            (keys.src_port, keys.dst_port) = (keys.dst_port, keys.src_port);
        }
    }

    // net/core/flow_dissector.c: __flow_hash_from_keys
    /// <summary>The keyed hash of the sorted keys; 0 is reserved for "no hash", so it becomes 1.</summary>
    private static uint __flow_hash_from_keys(ref flow_keys keys, siphash_key_t keyval)
    {
        // not ported: flow_keys_hash_start, flow_keys_hash_length, siphash — the port hashes the key fields as four words with siphash_4u32 (file header departure)
        __flow_hash_consistentify(ref keys);
        var hash = (uint)siphash_h.siphash_4u32(
            (uint)keys.n_proto << 16 | keys.ip_proto,
            (uint)keys.src_port << 16 | keys.dst_port,
            keys.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS ? keys.src : 0,
            keys.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS ? keys.dst : 0,
            keyval);
        return hash == 0 ? 1 : hash;
    }

    /// <summary>flow_keys_have_l4 (include/net/flow_dissector.h): ports went into the hash.</summary>
    [KernelNet.Annotations.NotInLinux("flow_keys_have_l4 is include/net/flow_dissector.h's inline")]
    private static bool FlowKeysHaveL4(in flow_keys keys) => keys.src_port != 0 || keys.dst_port != 0;

    // net/core/flow_dissector.c: __skb_get_hash_net
    /// <summary>
    /// Computes and stores the skb's software flow hash (sw_hash; l4_hash when
    /// ports went into it). A packet the dissector cannot read still gets the
    /// hash of what it found (at least its protocol), as in the kernel.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void __skb_get_hash_net(Include.Net.net? net, sk_buff skb)
    {
        // not ported: flow_keys_have_l4 — the port's flat flow_keys are tested by the FlowKeysHaveL4 helper
        _ = net;
        var keys = default(flow_keys);
        __skb_flow_dissect(skb, ref keys);
        var key = __flow_hash_secret_init(skb.k);
        var hash = __flow_hash_from_keys(ref keys, key);
        __skb_set_sw_hash(skb, hash, FlowKeysHaveL4(keys));
    }
}
