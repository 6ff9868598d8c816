// Ports net/ipv4/udp_offload.c, the GRO half for IPv4, as far as a UDP
// socket without UDP_GRO gets: the checksum is verified once while GRO
// looks at the datagram, and the datagram is flushed (it goes up as it
// came) — 6.18 merges UDP only for a socket with UDP_GRO or a tunnel
// (udp_gro_receive_segment, udp_tunnel_gro_rcv), on a device with
// NETIF_F_GRO_FRAGLIST, or when forwarding with NETIF_F_GRO_UDP_FWD.
//
// not ported: UDP segmentation (__udp_gso_segment, udp4_ufo_fragment,
// the tunnel GSO), udp_gro_receive_segment and udp4_gro_complete /
// udp_gro_complete (no UDP_GRO socket option, no tunnels, neither feature
// offered, so no UDP flow is ever held), udp4_gro_lookup_skb (the lookup
// is made only once udp_encap_needed_key is on, which UDP_GRO or a tunnel
// turns on).
using System;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Net.gro_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class udp_offload_c
{
    // net/ipv4/udp_offload.c: udp_gro_receive
    /// <summary>
    /// Without a socket that asked for GRO (<paramref name="sk"/> is null
    /// here), and with neither fraglist nor UDP forwarding GRO on the
    /// device, a datagram is not aggregated: it is flushed.
    /// </summary>
    [Borrows("skb")]
    public static sk_buff? udp_gro_receive(List<sk_buff> head, sk_buff skb, Span<byte> uh, sock? sk)
    {
        sk_buff? pp = null;
        var flush = 1;

        NAPI_GRO_CB(skb).is_flist = false;

        // !sk || !udp_sk(sk)->gro_receive: no tunnel socket here.
        // skb->encapsulation: never set on receive here.
        // NETIF_F_GRO_FRAGLIST, NETIF_F_GRO_UDP_FWD: not offered by any device of the port;
        // udp_test_bit(GRO_ENABLED, sk): UDP_GRO is not ported — no aggregation, be sure to flush.
        skb_gro_flush_final(skb, pp, flush);
        return pp;
    }

    // net/ipv4/udp_offload.c: udp4_gro_receive
    /// <summary>UDP over IPv4's gro_receive: verifies a non-zero checksum once (skipped when the skb is flushed anyway), then udp_gro_receive.</summary>
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
        // static_branch_unlikely(&udp_encap_needed_key): off (no UDP_GRO, no tunnels), so no socket lookup.
        return udp_gro_receive(head, skb, uh, sk);

    flush:
        NAPI_GRO_CB(skb).flush = 1;
        return null;
    }
}
