// Ports net/ipv4/ip_sockglue.c: the SOL_IP socket options (IP_RECVERR,
// IP_TTL, IP_TOS, IP_MTU_DISCOVER, IP_FREEBIND, IP_PKTINFO) and the
// IP_PKTINFO control message on receive (ipv4_pktinfo_prepare,
// ip_cmsg_recv_offset).
//
// not ported: the other control messages (IP_RECVTTL, IP_RECVTOS,
// IP_RECVOPTS, IP_RETOPTS, IP_PASSSEC, IP_RECVORIGDSTADDR, IP_CHECKSUM,
// IP_RECVFRAGSIZE) and sending any (ip_cmsg_send), multicast
// membership, IP_OPTIONS, the getsockopt side (udp_getsockopt answers the
// few options it needs), nf_setsockopt's fallback.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class ip_sockglue_c
{
    /// <summary>LOOPBACK_IFINDEX (include/net/flow.h): lo's ifindex in every namespace.</summary>
    private const int LOOPBACK_IFINDEX = 1;

    /// <summary>sizeof(struct in_pktinfo): ipi_ifindex, ipi_spec_dst, ipi_addr.</summary>
    private const int in_pktinfo_size = 12;

    // net/ipv4/ip_sockglue.c: ip_cmsg_recv_pktinfo
    /// <summary>IP_PKTINFO's control message: the in_pktinfo ipv4_pktinfo_prepare left in skb->cb, with the datagram's destination as ipi_addr.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static void ip_cmsg_recv_pktinfo(msghdr msg, sk_buff skb)
    {
        var info = System.MemoryExtensions.AsSpan(skb.cb, 0, in_pktinfo_size).ToArray(); // *PKTINFO_SKB_CB(skb)
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(System.MemoryExtensions.AsSpan(info, 8), Include.Linux.ip_h.ip_hdr(skb).daddr);
        Core.scm_c.put_cmsg(msg, SOL_IP, in_h.IP_PKTINFO, info);
    }

    // net/ipv4/ip_sockglue.c: ip_cmsg_recv_offset
    /// <summary>The SOL_IP control messages the socket asked for, for one datagram being read (of them only IP_PKTINFO is ported).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ip_cmsg_recv_offset(msghdr msg, sock sk, sk_buff skb, int tlen, int offset)
    {
        _ = tlen;
        _ = offset;
        var inet = (inet_sock)sk.proto_data!;

        // inet_cmsg_flags: of the IP_CMSG_* flags only PKTINFO can be set.
        if (!inet.pktinfo)
        {
            return;
        }

        ip_cmsg_recv_pktinfo(msg, skb);

        // not ported: ip_cmsg_recv_ttl, ip_cmsg_recv_tos, ip_cmsg_recv_opts, ip_cmsg_recv_retopts,
        // ip_cmsg_recv_security, ip_cmsg_recv_dstaddr, ip_cmsg_recv_checksum, ip_cmsg_recv_fragsize —
        // their socket options are not ported, so their flags are never set.
    }

    // net/ipv4/ip_sockglue.c: ipv4_pktinfo_prepare
    /// <summary>
    /// Before a datagram is queued: for a socket with IP_PKTINFO, the
    /// in_pktinfo (the interface it came in on — the sending one for a
    /// packet looped back over lo — and the local address a reply would come
    /// from, fib_compute_spec_dst) goes into skb->cb, where recvmsg finds it;
    /// otherwise zeros. Then the route is let go when <paramref name="drop_dst"/>.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ipv4_pktinfo_prepare(sock sk, sk_buff skb, bool drop_dst)
    {
        var pktinfo = System.MemoryExtensions.AsSpan(skb.cb, 0, in_pktinfo_size); // PKTINFO_SKB_CB(skb)
        var prepare = ((inet_sock)sk.proto_data!).pktinfo; // || ipv6_sk_rxinfo: no IPv6

        if (prepare && skb.dst is not null)
        {
            // departure: skb->cb overlays IPCB, whose first member is the iif, on in_pktinfo's
            // ipi_ifindex; the port keeps IPCB apart (cb_obj), so the iif is copied over.
            var ipi_ifindex = Include.Net.ip_h.IPCB(skb).iif;
            if (ipi_ifindex == LOOPBACK_IFINDEX)
            {
                ipi_ifindex = skb.skb_iif; // inet_iif
            }

            // not ported: the l3mdev (VRF) slave case — no VRF.
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(pktinfo, ipi_ifindex);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(pktinfo[4..], fib_frontend_c.fib_compute_spec_dst(skb));
        }
        else
        {
            pktinfo[..8].Clear();
        }

        if (drop_dst)
        {
            Include.Net.dst_h.skb_dst_drop(skb);
        }
    }

    // net/ipv4/ip_sockglue.c: ip_setsockopt
    /// <summary>
    /// The SOL_IP options UDP sockets use, with an int-sized value.
    /// do_ip_setsockopt is folded in: it has this one caller, and the port
    /// has no socket lock or RTNL for it to take.
    /// </summary>
    public static int ip_setsockopt(sock sk, int level, int optname, long val)
    {
        if (level != SOL_IP)
        {
            return -errno_h.ENOPROTOOPT;
        }

        var inet = (inet_sock)sk.proto_data!;
        switch (optname)
        {
            case in_h.IP_RECVERR:
                inet.recverr = val != 0;
                if (val == 0)
                {
                    skb_queue_purge_reason(sk.sk_error_queue, skb_drop_reason.SKB_CONSUMED);
                }

                return 0;
            case in_h.IP_TTL:
                if (val != -1 && (val < 1 || val > 255))
                {
                    return -errno_base_h.EINVAL;
                }

                inet.uc_ttl = (int)val;
                return 0;
            case in_h.IP_TOS:
                inet.tos = (byte)val;
                return 0;
            case in_h.IP_MTU_DISCOVER:
                if (val < 0 || val > 5)
                {
                    return -errno_base_h.EINVAL;
                }

                inet.pmtudisc = (byte)val;
                return 0;
            case in_h.IP_FREEBIND:
                inet.freebind = val != 0;
                return 0;
            case in_h.IP_PKTINFO:
                inet.pktinfo = val != 0; // inet_assign_bit(PKTINFO, sk, val)
                return 0;
            default:
                return -errno_h.ENOPROTOOPT;
        }
    }
}
