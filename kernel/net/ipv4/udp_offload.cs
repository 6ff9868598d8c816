// Ports net/ipv4/udp_offload.c, the GRO half for IPv4: the checksum is
// verified once while GRO looks at the datagram; once a socket has asked
// for UDP_GRO (udp_encap_needed_key on), GRO looks the destination socket
// up, and datagrams of one flow to a socket with UDP_GRO are merged
// (udp_gro_receive_segment) into one skb that completes as SKB_GSO_UDP_L4
// with gso_size the datagrams' size. Anything else is flushed (goes up as
// it came).
//
// not ported: UDP segmentation (__udp_gso_segment, udp4_ufo_fragment,
// the tunnel GSO), the tunnel GRO (udp_tunnel_gro_rcv, udp_sk->gro_receive/
// gro_complete: no tunnel sockets), fraglist GRO (NETIF_F_GRO_FRAGLIST,
// skb_gro_receive_list) and forwarding GRO (NETIF_F_GRO_UDP_FWD): no device
// of the port offers either feature, so is_flist is always 0.
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Net.gro_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class udp_offload_c
{
    /// <summary>UDP_GRO_CNT_MAX: datagrams one merged skb may stand for.</summary>
    public const int UDP_GRO_CNT_MAX = 64;

    // net/ipv4/udp_offload.c: udp_gro_receive_segment
    /// <summary>
    /// Merges a datagram into the held skb of its flow (same ports, after
    /// the IP checks of gro_receive_network_flush): only while it is no
    /// longer than the held one's datagrams; a shorter one is merged and ends
    /// the flow, as do a failed merge (64 KiB) and the 64th datagram. A
    /// datagram without a checksum or with padding is flushed.
    /// </summary>
    [Borrows("skb")]
    private static sk_buff? udp_gro_receive_segment(List<sk_buff> head, sk_buff skb)
    {
        var uh = new udphdr(udp_gro_udphdr(skb));
        sk_buff? pp = null;
        var ret = 0;

        // A zero checksum is never merged (GSO would have to produce one).
        if (uh.check == 0)
        {
            NAPI_GRO_CB(skb).flush = 1;
            return null;
        }

        // Padded or inconsistent lengths are not merged.
        uint ulen = uh.len;
        if (ulen <= udphdr.Size || ulen != (uint)skb_gro_len(skb))
        {
            NAPI_GRO_CB(skb).flush = 1;
            return null;
        }

        var uh_source = uh.source;
        var uh_dest = uh.dest;
        skb_gro_pull(skb, udphdr.Size);

        foreach (var p in head)
        {
            if (!NAPI_GRO_CB(p).same_flow)
            {
                continue;
            }

            var uh2 = Include.Linux.udp_h.udp_hdr(p);

            // Ports only: both checksums are non-zero here.
            if (uh_source != uh2.source || uh_dest != uh2.dest)
            {
                NAPI_GRO_CB(p).same_flow = false;
                continue;
            }

            if (NAPI_GRO_CB(skb).is_flist != NAPI_GRO_CB(p).is_flist)
            {
                NAPI_GRO_CB(skb).flush = 1;
                return p;
            }

            var flush = gro_receive_network_flush(skb, skb_gro_offset(skb) - udphdr.Size, p);

            // A longer datagram, or an IP difference, completes the held skb without merging.
            if (ulen > uh2.len || flush != 0)
            {
                pp = p;
            }
            else
            {
                // not ported: pskb_may_pull, skb_set_network_header, skb_gro_receive_network_offset — the is_flist
                // branch (skb_gro_receive_list): is_flist is never set, see the file head.
                // not ported: skb_gro_postpull_rcsum — only for CHECKSUM_COMPLETE, which no device here produces.
                ret = Core.gro_c.skb_gro_receive(p, skb);
            }

            if (ret != 0 || ulen != uh2.len || NAPI_GRO_CB(p).count >= UDP_GRO_CNT_MAX)
            {
                pp = p;
            }

            return pp;
        }

        // No held flow of these ports: nothing to flush.
        return null;
    }

    // net/ipv4/udp_offload.c: udp_gro_receive
    /// <summary>
    /// Without a tunnel socket: merges (udp_gro_receive_segment) when the
    /// destination socket asked for UDP_GRO, else flushes the datagram.
    /// </summary>
    [Borrows("skb")]
    public static sk_buff? udp_gro_receive(List<sk_buff> head, sk_buff skb, Span<byte> uh, sock? sk)
    {
        // not ported: udp_test_bit — field accessors: the port reads or sets these fields directly
        // not ported: skb_gro_offset, skb_gro_pull, skb_gro_postpull_rcsum — the tunnel branch (a socket with
        //   gro_receive) pulls the outer UDP header: no tunnel sockets
        sk_buff? pp = null;
        var flush = 1;

        NAPI_GRO_CB(skb).is_flist = false;

        // !sk || !udp_sk(sk)->gro_receive: always — no tunnel socket sets gro_receive.
        // skb->encapsulation: never set on receive here.
        // NETIF_F_GRO_FRAGLIST, NETIF_F_GRO_UDP_FWD: no device of the port offers them (is_flist stays 0).
        if (sk is not null && ((udp_sock)sk.proto_data!).gro_enabled)
        {
            // call_gro_receive: its recursion guard was taken in inet_gro_receive already for this level.
            return udp_gro_receive_segment(head, skb);
        }

        // No GRO: be sure the datagram is flushed.
        skb_gro_flush_final(skb, pp, flush);
        return pp;
    }

    // net/ipv4/udp_offload.c: udp4_gro_lookup_skb
    /// <summary>The socket a datagram GRO holds would reach (__udp4_lib_lookup from the GRO network header).</summary>
    [Borrows("skb")]
    private static sock? udp4_gro_lookup_skb(sk_buff skb, ushort sport, ushort dport)
    {
        var iph = new iphdr(skb_gro_network_header(skb));
        var net = skb.dev!.nd_net;

        // not ported: udp_tunnel_sk — no tunnel sockets.
        // not ported: dev_net_rcu — no RCU here: the device's namespace is read directly.
        // not ported: inet_get_iif_sdif — no route yet, so the receiving device's index; no L3 master devices.
        var iif = skb.skb_iif != 0 ? skb.skb_iif : skb.dev.ifindex;
        return udp_c.__udp4_lib_lookup(net, iph.saddr, sport, iph.daddr, dport, iif, 0);
    }

    // net/ipv4/udp_offload.c: udp4_gro_receive
    /// <summary>UDP over IPv4's gro_receive: verifies a non-zero checksum once (skipped when the skb is flushed anyway), looks the socket up when any socket wants GRO, then udp_gro_receive.</summary>
    [Borrows("skb")]
    public static sk_buff? udp4_gro_receive(List<sk_buff> head, sk_buff skb)
    {
        var uh = udp_gro_udphdr(skb);
        sock? sk = null;
        if (uh.IsEmpty)
        {
            goto flush;
        }

        if (NAPI_GRO_CB(skb).flush != 0)
        {
            goto skip;
        }

        var check = new udphdr(uh).check;
        if (skb_gro_checksum_validate_zero_check(skb, in_h.IPPROTO_UDP, check, inet_gro_compute_pseudo) != 0)
        {
            goto flush;
        }
        else if (check != 0)
        {
            skb_gro_checksum_try_convert(skb, in_h.IPPROTO_UDP, inet_gro_compute_pseudo);
        }

    skip:
        if (skb.k.globals<udp_globals>().udp_encap_needed_key != 0)
        {
            var h = new udphdr(uh);
            sk = udp4_gro_lookup_skb(skb, h.source, h.dest);
        }

        return udp_gro_receive(head, skb, uh, sk);

    flush:
        NAPI_GRO_CB(skb).flush = 1;
        return null;
    }

    // net/ipv4/udp_offload.c: udp_gro_complete_segment
    /// <summary>The merged skb becomes a UDP GSO skb: CHECKSUM_PARTIAL over the UDP header, gso_segs the merged count, gso_type SKB_GSO_UDP_L4.</summary>
    [Borrows("skb")]
    private static int udp_gro_complete_segment(sk_buff skb)
    {
        // not ported: skb_shinfo — the port's sk_buff holds its shared info as skb.shinfo
        // not ported: udp_hdr — the header is at transport_header, which is all csum_start needs.
        skb.csum_start = skb.transport_header;
        skb.csum_offset = 6; // offsetof(struct udphdr, check)
        skb.ip_summed = CHECKSUM_PARTIAL;
        skb.shinfo.gso_segs = NAPI_GRO_CB(skb).count;
        skb.shinfo.gso_type |= SKB_GSO_UDP_L4;

        // skb->encapsulation: never set here.
        return 0;
    }

    // net/ipv4/udp_offload.c: udp_gro_complete
    /// <summary>The UDP length becomes the merged skb's, then the segment completion (no tunnel socket takes it).</summary>
    [Borrows("skb")]
    public static int udp_gro_complete(sk_buff skb, int nhoff)
    {
        var uh = new udphdr(skb.head.AsSpan(skb.data + nhoff, udphdr.Size));
        uh.len = (ushort)(skb.len - nhoff);

        // not ported: skb_shinfo, NAPI_GRO_CB — both used only on the tunnel branch.
        // udp4_lib_lookup_skb / udp_sk(sk)->gro_complete: only a tunnel socket has gro_complete, and there are none,
        // so the lookup's answer could change nothing. remcsum_offload: never set.
        return udp_gro_complete_segment(skb);
    }

    // net/ipv4/udp_offload.c: udp4_gro_complete
    /// <summary>IPv4's UDP completion: the check field gets the pseudo-header sum of the merged length (CHECKSUM_PARTIAL's seed), then udp_gro_complete.</summary>
    [Borrows("skb")]
    public static int udp4_gro_complete(sk_buff skb, int nhoff)
    {
        var offset = NAPI_GRO_CB(skb).network_offset;
        var iph = new iphdr(skb.head.AsSpan(skb.data + offset, iphdr.Size));
        var uh = new udphdr(skb.head.AsSpan(skb.data + nhoff, udphdr.Size));

        // not ported: skb_shinfo, __skb_incr_checksum_unnecessary — the fraglist completion: is_flist is never set
        // (no NETIF_F_GRO_FRAGLIST).
        if (uh.check != 0)
        {
            uh.check = (ushort)~Include.Net.udp_h.udp_v4_check(skb.len - nhoff, iph.saddr, iph.daddr, 0);
        }

        return udp_gro_complete(skb, nhoff);
    }
}
