// Ports net/ipv4/ip_sockglue.c: the SOL_IP socket options (IP_RECVERR,
// IP_TTL, IP_TOS, IP_MTU_DISCOVER, IP_FREEBIND, IP_PKTINFO) and the
// IP_PKTINFO control message on receive (ipv4_pktinfo_prepare,
// ip_cmsg_recv_offset).
//
// Reading the error queue (ip_recv_error: recvmsg with MSG_ERRQUEUE) is here.
//
// not ported: the other control messages (IP_RECVTTL, IP_RECVTOS,
// IP_RECVOPTS, IP_RETOPTS, IP_PASSSEC, IP_RECVORIGDSTADDR, IP_CHECKSUM,
// IP_RECVFRAGSIZE) and sending any (ip_cmsg_send), multicast
// membership, IP_OPTIONS, the getsockopt side (udp_getsockopt answers the
// few options it needs), nf_setsockopt's fallback.
using System;
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
        // not ported: PKTINFO_SKB_CB — field accessors: the port reads or sets these fields directly
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

        // not ported: inet_cmsg_flags — written out: of the IP_CMSG_* flags only PKTINFO can be set (inet.pktinfo)
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
        // not ported: PKTINFO_SKB_CB, skb_rtable — field accessors: the port reads or sets these fields directly
        // not ported: ipv4_l3mdev_skb — no VRF (l3mdev) devices in the simulation
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

    // net/ipv4/ip_sockglue.c: ipv4_datagram_support_addr
    /// <summary>Does the error name an offender address for msg_name (an ICMP or local error, or one that carries a port)?</summary>
    private static bool ipv4_datagram_support_addr(Include.Linux.sock_exterr_skb serr) =>
        serr.ee.ee_origin == Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_ICMP || serr.ee.ee_origin == Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_LOCAL || serr.port != 0;

    // net/ipv4/ip_sockglue.c: ipv4_datagram_support_cmsg
    /// <summary>
    /// Does the offender in the IP_RECVERR cmsg get the packet's source
    /// address? For an ICMP error, yes; a local one, no; a timestamp only with
    /// SOF_TIMESTAMPING_OPT_CMSG and a known interface.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    private static bool ipv4_datagram_support_cmsg(sock sk, sk_buff skb, int ee_origin)
    {
        // not ported: ip_hdr — field accessors: the port reads or sets these fields directly
        if (ee_origin == Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_ICMP)
        {
            return true;
        }

        if (ee_origin == Include.Uapi.Linux.errqueue_h.SO_EE_ORIGIN_LOCAL)
        {
            return false;
        }

        // not ported: OPT_CMSG's IP_PKTINFO of a timestamp (PKTINFO_SKB_CB, ipi_spec_dst) — no IP control messages, so never
        _ = sk;
        _ = skb;
        return false;
    }

    // net/ipv4/ip_sockglue.c: ip_recv_error
    /// <summary>
    /// recvmsg(MSG_ERRQUEUE) on an IPv4 socket: the head of the error queue —
    /// its bytes (MSG_TRUNC past <paramref name="len"/>), its timestamps
    /// (sock_recv_timestamp), the offender's address when the error names
    /// one, and the SOL_IP/IP_RECVERR cmsg: sock_extended_err then the
    /// offender's sockaddr_in. Returns the bytes copied, or -EAGAIN when the
    /// queue is empty.
    /// </summary>
    public static int ip_recv_error(sock sk, msghdr msg, int len)
    {
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        Include.Linux.sock_exterr_skb serr;
        sk_buff? skb;
        int err;
        int copied;

        err = -errno_base_h.EAGAIN;
        skb = sock_dequeue_err_skb(sk);
        if (skb is null)
        {
            goto @out;
        }

        copied = skb.len;
        if (copied > len)
        {
            msg.msg_flags |= MSG_TRUNC;
            copied = len;
        }

        err = Include.Linux.skbuff_h.skb_copy_datagram_msg(skb, 0, msg, copied);
        if (err != 0)
        {
            // 6.18 frees with plain kfree_skb here
            Include.Linux.skbuff_h.kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return err;
        }

        sock_h.sock_recv_timestamp(msg, sk, skb);

        serr = Include.Linux.errqueue_h.SKB_EXT_ERR(skb);

        if (msg.msg_name is not null && ipv4_datagram_support_addr(serr))
        {
            // not ported: the offender's address in msg_name (skb_network_header + addr_offset) — only ICMP and local errors carry one, and the port queues neither
        }

        // errhdr: the extended error, then the offender (zeros unless ipv4_datagram_support_cmsg)
        var errhdr = new byte[sock_extended_err.Size + 16];
        serr.ee.write_to(errhdr);
        if (ipv4_datagram_support_cmsg(sk, skb, serr.ee.ee_origin))
        {
            // sin_family = AF_INET, sin_addr = ip_hdr(skb)->saddr
            // not ported: inet_cmsg_flags — ip_cmsg_recv of an error-queue skb is not ported: no IP_PKTINFO comes with an error
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(errhdr.AsSpan(sock_extended_err.Size), 2);
            skb.head.AsSpan(Include.Linux.skbuff_h.skb_network_header(skb) + 12, 4).CopyTo(errhdr.AsSpan(sock_extended_err.Size + 4));
        }

        Core.scm_c.put_cmsg(msg, SOL_IP, in_h.IP_RECVERR, errhdr);

        // offending packet options are not dumped (6.18 does not either)
        msg.msg_flags |= MSG_ERRQUEUE;
        err = copied;

        consume_skb(skb);
    @out:
        return err;
    }

    // net/ipv4/ip_sockglue.c: ip_setsockopt
    /// <summary>
    /// The SOL_IP options UDP sockets use, with an int-sized value.
    /// do_ip_setsockopt is folded in: it has this one caller, and the port
    /// has no socket lock or RTNL for it to take.
    /// </summary>
    public static int ip_setsockopt(sock sk, int level, int optname, long val)
    {
        // not ported: do_ip_setsockopt — written out here: the switch over the options ported (the header), no
        //   nf_setsockopt fallback and no BPF hook
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
