// Ports net/ipv4/raw.c: raw IPv4 sockets (SOCK_RAW) — the per-protocol hash
// of raw sockets, delivery of a clone of every incoming packet to each
// matching socket before its protocol handler sees it (raw_local_deliver,
// from ip_protocol_deliver_rcu), queueing with the IP header in front
// (raw_rcv -> raw_rcv_skb -> sock_queue_rcv_skb), reading (raw_recvmsg:
// skb_recv_datagram, skb_copy_datagram_msg, skb_free_datagram), sending
// without an IP header (raw_sendmsg -> ip_append_data with raw_getfrag ->
// ip_push_pending_frames), bind, close, and the ICMP_FILTER option.
//
// not ported: IP_HDRINCL sending (raw_send_hdrinc: an IPPROTO_RAW socket's
// sendmsg fails with EOPNOTSUPP); ICMP errors about a raw socket's own
// packets (raw_err, raw_icmp_error: nothing posts sk_err on raw sockets);
// raw_ioctl (SIOCINQ/SIOCOUTQ, ipmr); raw_abort (sock_diag); /proc/net/raw
// (raw_seq_*, raw_proc_init); raw_init's sysctl (raw_l3mdev_accept stays 1);
// control messages (ip_cmsg_send, sock_recv_cmsgs, ip_cmsg_recv, IP_PKTINFO);
// IP options; IP_UNICAST_IF/IP_MULTICAST_IF; multicast source filters;
// MSG_CONFIRM and MSG_PROBE; ICMP errors on the error queue (ip_icmp_error:
// MSG_ERRQUEUE reads it, but nothing queues there for raw sockets);
// getsockopt at IP levels (ip_getsockopt is not ported: ENOPROTOOPT);
// corking across calls (MSG_MORE is ignored: every sendmsg sends).
// departures: xfrm policy checks always pass (no IPsec); the NUMA drop
// counters are the one sk_drops; the hash table is reached through the
// kernel's globals, not raw_prot.h.raw_hash (see include/net/raw.cs).
using System;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Net.dst_h;
using static KernelNet.Kernel.Include.Net.inet_sock_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Net.raw_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Net.Core.datagram_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Core.sock_c;
using static KernelNet.Kernel.Net.Ipv4.ip_output_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>raw.c's globals: raw_v4_hashinfo, the raw sockets of every namespace.</summary>
public sealed class raw_globals
{
    public raw_hashinfo raw_v4_hashinfo { get; } = new();
}

/// <summary>
/// struct raw_frag_vec: what raw_getfrag copies — first the header bytes
/// raw_probe_proto_opt already took from the message, then the rest of it.
/// </summary>
internal sealed class raw_frag_vec
{
    public required msghdr msg { get; init; }

    /// <summary>hdr.c: room for an icmphdr; only its type and code are probed.</summary>
    public byte[] hdr { get; } = new byte[icmphdr.Size];

    public int hlen { get; set; }
}

public static class raw_c
{
    /// <summary>INET_DSCP_MASK (include/net/inet_dscp.h): the DSCP bits of the TOS byte that route lookups see.</summary>
    private const byte INET_DSCP_MASK = 0xfc;

    /// <summary>The kernel's raw_v4_hashinfo.</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of the global raw_v4_hashinfo, which the port hangs off Vmlinux")]
    private static raw_hashinfo raw_v4_hashinfo(net net) => net.k.globals<raw_globals>().raw_v4_hashinfo;

    // net/ipv4/raw.c: raw_hash_sk
    /// <summary>hash of raw_prot (socket() time): the socket joins its protocol's chain, at its head.</summary>
    public static int raw_hash_sk(sock sk)
    {
        // not ported: sk_add_node_rcu — the chain's list insert at its head; sock_prot_inuse_add — /proc/net/sockstat's counts are
        //   not kept
        var h = raw_v4_hashinfo(sock_net(sk));
        var hlist = h.ht[raw_hashfunc(sock_net(sk), inet_sk(sk).inet_num)];

        // spin_lock(&h->lock): chain writers; readers walk it under RCU.
        hlist.Insert(0, sk);
        sk.sk_hashed = true;
        sock_set_flag(sk, sock_flags.SOCK_RCU_FREE);

        // sock_prot_inuse_add: /proc/net/sockstat's counts are not kept.
        return 0;
    }

    // net/ipv4/raw.c: raw_unhash_sk
    /// <summary>unhash of raw_prot (close, connect(AF_UNSPEC)): the socket stops seeing packets.</summary>
    public static void raw_unhash_sk(sock sk)
    {
        // not ported: sk_del_node_init_rcu — the chain's list removal of a hashed socket; sock_prot_inuse_add —
        //   /proc/net/sockstat's counts are not kept
        var h = raw_v4_hashinfo(sock_net(sk));

        // spin_lock(&h->lock); sk_del_node_init_rcu removes only a hashed socket.
        if (sk_hashed(sk))
        {
            h.ht[raw_hashfunc(sock_net(sk), inet_sk(sk).inet_num)].Remove(sk);
            sk.sk_hashed = false;
        }
    }

    // net/ipv4/raw.c: raw_v4_match
    /// <summary>
    /// Does <paramref name="sk"/> want a packet of protocol <paramref name="num"/>
    /// from <paramref name="raddr"/> to <paramref name="laddr"/>: a connected
    /// peer or a bound address must match, a bound device too.
    /// </summary>
    public static bool raw_v4_match(net net, sock sk, ushort num, uint raddr, uint laddr, int dif, int sdif)
    {
        // not ported: net_eq — namespaces are compared by reference (==)
        var inet = inet_sk(sk);
        return sock_net(sk) == net && inet.inet_num == num &&
            !(inet.inet_daddr != 0 && inet.inet_daddr != raddr) &&
            !(inet.inet_rcv_saddr != 0 && inet.inet_rcv_saddr != laddr) &&
            raw_sk_bound_dev_eq(net, sk.sk_bound_dev_if, dif, sdif);
    }

    // net/ipv4/raw.c: icmp_filter
    /// <summary>ICMP_FILTER: 1 blocks the packet (its type's bit is set, or it has no whole ICMP header), 0 delivers.</summary>
    [Borrows("skb")]
    private static int icmp_filter(sock sk, sk_buff skb)
    {
        // not ported: skb_header_pointer — the type is read from the head after the length check (a received ICMP header is
        //   linear here)
        // skb_header_pointer: NULL when the header is not all there.
        if (skb_transport_offset(skb) + icmphdr.Size > skb.len)
        {
            return 1;
        }

        var type = skb.head[skb.transport_header];
        if (type < 32)
        {
            var data = raw_sk(sk).filter.data;
            return ((1u << type) & data) != 0 ? 1 : 0;
        }

        // types above the filter's 32 bits always pass
        return 0;
    }

    // net/ipv4/raw.c: raw_v4_input
    /// <summary>
    /// Gives each matching socket of the chain its own clone of
    /// <paramref name="skb"/> (the caller keeps the original for the
    /// protocol handler). A socket whose receive buffer is full is skipped
    /// before cloning: its sk_drops counts it, no skb is made or dropped.
    /// Returns 1 when some socket matched (full or filtered ones too).
    /// NET_RX softirq.
    /// </summary>
    [Borrows("skb")]
    private static int raw_v4_input(net net, sk_buff skb, iphdr iph, uint hash)
    {
        // not ported: ip_mc_sf_allow — no multicast memberships
        // not ported: sk_for_each_rcu — the chain is walked by index (no RCU: one thread)
        // inet_sdif: no L3 master (VRF) devices. inet_iif: the input route's interface, else the skb's.
        var sdif = 0;
        var dif = skb_rtable(skb) is { rt_iif: not 0 } rt ? rt.rt_iif : skb.skb_iif;
        var delivered = 0;
        var hlist = raw_v4_hashinfo(net).ht[hash];

        // rcu_read_lock(): the walk races only with process context, which cannot run during it here.
        for (var i = 0; i < hlist.Count; i++)
        {
            var sk = hlist[i];
            if (!raw_v4_match(net, sk, iph.protocol, iph.saddr, iph.daddr, dif, sdif))
            {
                continue;
            }

            if (sk.sk_rmem_alloc >= sk.sk_rcvbuf)
            {
                sk_drops_inc(sk);
                continue;
            }

            delivered = 1;

            // ip_mc_sf_allow: no IGMP memberships or source filters are ported, so it allows.
            if (iph.protocol != in_h.IPPROTO_ICMP || icmp_filter(sk, skb) == 0)
            {
                var clone = skb_clone(skb);

                // Not releasing hash table!
                if (clone is not null)
                {
                    raw_rcv(sk, clone);
                }
            }
        }

        return delivered;
    }

    // net/ipv4/raw.c: raw_local_deliver
    /// <summary>
    /// Offers a packet being delivered locally (transport header at data) to
    /// the raw sockets of its protocol; the caller still owns it. Nonzero
    /// when a raw socket took it, which spares an unknown protocol the
    /// ICMP protocol-unreachable.
    /// </summary>
    [Borrows("skb")]
    public static int raw_local_deliver(sk_buff skb, int protocol)
    {
        var net = skb.dev!.nd_net;
        return raw_v4_input(net, skb, ip_hdr(skb), raw_hashfunc(net, (uint)protocol));
    }

    // net/ipv4/raw.c: raw_rcv_skb
    /// <summary>
    /// Charges the skb to the socket and queues it (sock_queue_rcv_skb);
    /// when refused it is dropped with the queue's reason (SOCKET_RCVBUFF
    /// when full), the socket as rx_sk. Consumes the skb.
    /// </summary>
    [Consumes("skb")]
    private static int raw_rcv_skb(sock sk, sk_buff skb)
    {
        // not ported: ipv4_pktinfo_prepare — IP_PKTINFO is not ported (see the header)
        // ipv4_pktinfo_prepare(sk, skb, true): IP_PKTINFO is not ported; what is left is letting go of the route.
        skb_dst_drop(skb);
        if (sock_queue_rcv_skb_reason(sk, skb, out var reason) < 0)
        {
            sk_skb_reason_drop(sk, skb, reason);
            return NET_RX_DROP;
        }

        return NET_RX_SUCCESS;
    }

    // net/ipv4/raw.c: raw_rcv
    /// <summary>A packet for <paramref name="sk"/>: data goes back to the IP header, which the reader gets too. Consumes the skb.</summary>
    [Consumes("skb")]
    public static int raw_rcv(sock sk, sk_buff skb)
    {
        // not ported: xfrm4_policy_check — no IPsec (xfrm) or PSP
        // not ported: sk_drops_inc, sk_skb_reason_drop — only for an xfrm policy refusal (XFRM_POLICY): no xfrm
        nf_reset_ct(skb);
        skb_push(skb, -skb_network_offset(skb));
        raw_rcv_skb(sk, skb);
        return 0;
    }

    // net/ipv4/raw.c: raw_probe_proto_opt
    /// <summary>An ICMP socket's flow carries the ICMP type and code: the first two bytes of the message, taken now.</summary>
    private static int raw_probe_proto_opt(raw_frag_vec rfv, ref flowi4 fl4)
    {
        if (fl4.flowi4_proto != in_h.IPPROTO_ICMP)
        {
            return 0;
        }

        rfv.hlen = 2;
        var err = memcpy_from_msg(rfv.hdr, rfv.msg, rfv.hlen);
        if (err != 0)
        {
            return err;
        }

        fl4.fl4_icmp_type = rfv.hdr[0];
        fl4.fl4_icmp_code = rfv.hdr[1];
        return 0;
    }

    // net/ipv4/raw.c: raw_getfrag
    /// <summary>
    /// getfrag of raw sockets: the probed header bytes, then the message
    /// from where the probe left it. The ICMP checksum is the user's: the
    /// kernel writes none (the skb->csum it sums on the way is not modelled:
    /// nothing reads it for a raw skb).
    /// </summary>
    [Borrows("skb")]
    private static int raw_getfrag(object? from, Span<byte> to, int offset, int len, int odd, sk_buff skb)
    {
        // not ported: csum_partial_copy_nocheck, csum_block_add — no running skb->csum while copying: nothing after sums a raw
        //   packet from it (the user writes its own checksum)
        var rfv = (raw_frag_vec)from!;
        if (offset < rfv.hlen)
        {
            var copy = Math.Min(rfv.hlen - offset, len);
            rfv.hdr.AsSpan(offset, copy).CopyTo(to);
            odd = 0;
            offset += copy;
            to = to[copy..];
            len -= copy;
            if (len == 0)
            {
                return 0;
            }
        }

        offset -= rfv.hlen;

        // The port's ip_generic_getfrag reads the user buffer at an offset:
        // the message's iterator stands past the probed bytes.
        return ip_generic_getfrag(rfv.msg.iov_base, to, rfv.msg.iov_offset + offset, len, odd, skb);
    }

    // net/ipv4/raw.c: raw_sendmsg
    /// <summary>
    /// sendto() on a raw socket: the message is the IP payload (an ICMP
    /// socket sends the ICMP header and data, checksum included). Routes to
    /// msg_name's address (or the connected peer), probes the ICMP type for
    /// the flow, builds the packet on the write queue (ip_append_data,
    /// raw_getfrag) and sends it (ip_push_pending_frames, which counts
    /// OutType by the flow's ICMP type). Returns the length or -errno.
    /// Process context.
    /// </summary>
    private static int raw_sendmsg(sock sk, msghdr msg, int len)
    {
        // not ported: dst_confirm_neigh — MSG_CONFIRM is not ported (see the header)
        // not ported: flowi4_to_flowi_common — it only feeds security_sk_classify_flow: no LSM
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: l3mdev_master_ifindex_by_index, netif_index_is_l3_master — no VRF (l3mdev) devices in the simulation
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        // not ported: sk_uid — field accessors: the port reads or sets these fields directly
        // not ported: inet_sk_flowi_flags — the flow's flags stay 0: no IP_TRANSPARENT, and HDRINCL's FLOWI_FLAG_ANYSRC and
        //   KNOWN_NH are not ported (route.c, ip_output.c)
        var inet = inet_sk(sk);
        var net = sock_net(sk);
        var rfv = new raw_frag_vec { msg = msg };
        rtable? rt;
        uint daddr;
        int err;

        err = -errno_h.EMSGSIZE;
        if (len > 0xFFFF)
        {
            goto @out;
        }

        var hdrincl = inet.hdrincl;

        // Check the flags.
        err = -errno_h.EOPNOTSUPP;
        if ((msg.msg_flags & MSG_OOB) != 0)
        {
            // Mirror BSD error message compatibility.
            goto @out;
        }

        // Get and verify the address.
        if (msg.msg_namelen != 0)
        {
            err = -errno_base_h.EINVAL;
            if (msg.msg_namelen < in_h.SOCKADDR_IN_SIZE)
            {
                goto @out;
            }

            var usin = new sockaddr_in(msg.msg_name);
            if (usin.sin_family != AF_INET)
            {
                // pr_info_once: the program forgot to set AF_INET; 0 is let through.
                err = -errno_h.EAFNOSUPPORT;
                if (usin.sin_family != 0)
                {
                    goto @out;
                }
            }

            daddr = usin.sin_addr;
        }
        else
        {
            err = -errno_h.EDESTADDRREQ;
            if (sk.sk_state != TCP_ESTABLISHED)
            {
                goto @out;
            }

            daddr = inet.inet_daddr;
        }

        // ipcm_init_sk: the socket's TOS, bound device, source address and mark.
        // Control messages (msg_controllen) and IP options are not ported.
        var ipc = new ipcm_cookie { tos = inet.tos, oif = sk.sk_bound_dev_if, addr = inet.inet_saddr, mark = sk.sk_mark };
        var saddr = ipc.addr;
        ipc.addr = daddr;

        // ip_sendmsg_scope: SO_DONTROUTE or MSG_DONTROUTE keep the packet on link.
        var scope = sock_flag(sk, sock_flags.SOCK_LOCALROUTE) || (msg.msg_flags & MSG_DONTROUTE) != 0 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;

        // flowi4_init_output (IP_UNICAST_IF and multicast sources are not ported: the bound device decides).
        var fl4 = new flowi4
        {
            flowi4_oif = ipc.oif,
            flowi4_mark = ipc.mark,
            flowi4_tos = (byte)(ipc.tos & INET_DSCP_MASK),
            flowi4_scope = scope,
            flowi4_proto = (byte)(hdrincl ? in_h.IPPROTO_RAW : sk.sk_protocol),
            daddr = daddr,
            saddr = saddr,
            fl4_icmp_type = 0,
            fl4_icmp_code = 0,
        };

        if (!hdrincl)
        {
            rfv.hlen = 0;
            err = raw_probe_proto_opt(rfv, ref fl4);
            if (err != 0)
            {
                goto done;
            }
        }

        // security_sk_classify_flow: no LSM.
        rt = route_c.ip_route_output_flow(net, ref fl4, sk, out err);
        if (rt is null)
        {
            goto done;
        }

        err = -errno_base_h.EACCES;
        if ((rt.rt_flags & RTCF_BROADCAST) != 0 && !sock_flag(sk, sock_flags.SOCK_BROADCAST))
        {
            goto done;
        }

        // MSG_CONFIRM (do_confirm: dst_confirm_neigh) is not ported.
        if (hdrincl)
        {
            // raw_send_hdrinc is not ported.
            err = -errno_h.EOPNOTSUPP;
        }
        else
        {
            if (ipc.addr == 0)
            {
                ipc.addr = fl4.daddr;
            }

            // lock_sock(sk): the write queue and its cork are the socket's.
            err = ip_append_data(sk, ref fl4, raw_getfrag, rfv, len, 0, ref ipc, rt, (uint)msg.msg_flags);
            if (err != 0)
            {
                ip_flush_pending_frames(sk);
            }
            else
            {
                // MSG_MORE would leave the data corked; corking is not ported, so it goes now.
                err = ip_push_pending_frames(sk, ref fl4);
                if (err == -errno_h.ENOBUFS && !inet.recverr)
                {
                    err = 0;
                }
            }

            // release_sock(sk)
        }

    done:
        // ip_rt_put(rt): routes are not reference counted here.
    @out:
        if (err < 0)
        {
            return err;
        }

        return len;
    }

    // net/ipv4/raw.c: raw_close
    /// <summary>close of raw_prot: sk_common_release (destroy, unhash, orphan, free).</summary>
    private static void raw_close(sock sk, long timeout)
    {
        // not ported: ip_ra_control — IP_ROUTER_ALERT is not ported: no socket is on ip_ra_chain
        // drop what the kernel still holds for this socket:
        // ip_ra_control(sk, 0, NULL) — IP_ROUTER_ALERT is not ported, no socket is on ip_ra_chain.
        sk_common_release(sk);
    }

    // net/ipv4/raw.c: raw_destroy
    /// <summary>destroy of raw_prot: whatever ip_append_data left queued is thrown away.</summary>
    private static void raw_destroy(sock sk)
    {
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        // lock_sock(sk)
        ip_flush_pending_frames(sk);

        // release_sock(sk)
    }

    // net/ipv4/raw.c: raw_bind
    /// <summary>
    /// bind of raw_prot: only the local address (a raw socket has no port;
    /// sin_family is not checked). The address must be any or local,
    /// multicast or broadcast here (EADDRNOTAVAIL); EINVAL once connected.
    /// </summary>
    private static int raw_bind(sock sk, byte[] uaddr, int addr_len)
    {
        // not ported: l3mdev_fib_table_by_index — no VRF (l3mdev) devices in the simulation
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        var inet = inet_sk(sk);
        var net = sock_net(sk);
        var ret = -errno_base_h.EINVAL;

        // lock_sock(sk)
        if (sk.sk_state != TCP_CLOSE || addr_len < in_h.SOCKADDR_IN_SIZE)
        {
            goto @out;
        }

        // A bound device's L3 master table (l3mdev_fib_table_by_index): no VRF, the local table.
        var addr = new sockaddr_in(uaddr);
        var chk_addr_ret = fib_frontend_c.inet_addr_type_table(net, addr.sin_addr, RT_TABLE_LOCAL);

        ret = -errno_h.EADDRNOTAVAIL;
        if (!inet_addr_valid_or_nonlocal(net, inet, addr.sin_addr, chk_addr_ret))
        {
            goto @out;
        }

        inet.inet_rcv_saddr = inet.inet_saddr = addr.sin_addr;
        if (chk_addr_ret == rtn_type.RTN_MULTICAST || chk_addr_ret == rtn_type.RTN_BROADCAST)
        {
            // Use device
            inet.inet_saddr = 0;
        }

        sk_dst_reset(sk);
        ret = 0;
    @out:
        // release_sock(sk)
        return ret;
    }

    // net/ipv4/raw.c: raw_recvmsg
    /// <summary>
    /// recvfrom() on a raw socket: takes the next packet (sleeping for one
    /// unless MSG_DONTWAIT), copies it from the IP header on
    /// (skb_copy_datagram_msg traces skb_copy_datagram_iovec), cut to the
    /// buffer with MSG_TRUNC set; the sender's address with port 0; frees
    /// the skb (skb_free_datagram: a consume). With MSG_TRUNC the packet's
    /// full length is returned.
    /// </summary>
    [MightSleep]
    private static async ValueTask<int> raw_recvmsg(sock sk, msghdr msg, int len, int flags)
    {
        // not ported: inet_cmsg_flags — control messages are not ported (see the header)
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        var copied = 0;
        var err = -errno_h.EOPNOTSUPP;
        sk_buff? skb;

        if ((flags & MSG_OOB) != 0)
        {
            goto @out;
        }

        if ((flags & MSG_ERRQUEUE) != 0)
        {
            err = ip_sockglue_c.ip_recv_error(sk, msg, len);
            goto @out;
        }

        (skb, err) = await skb_recv_datagram(sk, flags);
        if (skb is null)
        {
            goto @out;
        }

        copied = skb.len;
        if (len < copied)
        {
            msg.msg_flags |= MSG_TRUNC;
            copied = len;
        }

        err = skb_copy_datagram_msg(skb, 0, msg, copied);
        if (err != 0)
        {
            goto done;
        }

        // sock_recv_cmsgs: no timestamps or other control messages.

        // Copy the address.
        if (msg.msg_name is { } name)
        {
            var sin = new sockaddr_in(name);
            sin.sin_family = AF_INET;
            sin.sin_addr = ip_hdr(skb).saddr;
            sin.sin_port = 0;
            name.AsSpan(8, 8).Clear();
            msg.msg_namelen = in_h.SOCKADDR_IN_SIZE;
        }

        // inet_cmsg_flags / ip_cmsg_recv: not ported.
        if ((flags & MSG_TRUNC) != 0)
        {
            copied = skb.len;
        }

    done:
        skb_free_datagram(sk, skb);
    @out:
        if (err != 0)
        {
            return err;
        }

        return copied;
    }

    // net/ipv4/raw.c: raw_sk_init
    /// <summary>init of raw_prot: an ICMP socket starts with an empty filter (every type passes).</summary>
    private static int raw_sk_init(sock sk)
    {
        var rp = raw_sk(sk);

        // sk->sk_drop_counters = &rp->drop_counters: sk_drops is a single counter here.
        if (inet_sk(sk).inet_num == in_h.IPPROTO_ICMP)
        {
            rp.filter.data = 0;
        }

        return 0;
    }

    // net/ipv4/raw.c: raw_seticmpfilter
    /// <summary>The option's value is the filter word (struct icmp_filter is one __u32).</summary>
    private static int raw_seticmpfilter(sock sk, long optval)
    {
        raw_sk(sk).filter.data = unchecked((uint)optval);
        return 0;
    }

    // net/ipv4/raw.c: raw_geticmpfilter
    private static (int Err, long Val) raw_geticmpfilter(sock sk) => (0, raw_sk(sk).filter.data);

    // net/ipv4/raw.c: do_raw_setsockopt
    /// <summary>SOL_RAW: ICMP_FILTER, on ICMP sockets only (EOPNOTSUPP on others).</summary>
    private static int do_raw_setsockopt(sock sk, int optname, long optval)
    {
        if (optname == Include.Uapi.Linux.icmp_h.ICMP_FILTER)
        {
            if (inet_sk(sk).inet_num != in_h.IPPROTO_ICMP)
            {
                return -errno_h.EOPNOTSUPP;
            }

            return raw_seticmpfilter(sk, optval);
        }

        return -errno_h.ENOPROTOOPT;
    }

    // net/ipv4/raw.c: raw_setsockopt
    /// <summary>setsockopt of raw_prot: SOL_RAW here, other levels are IP's.</summary>
    private static int raw_setsockopt(sock sk, int level, int optname, long optval)
    {
        if (level != SOL_RAW)
        {
            return ip_sockglue_c.ip_setsockopt(sk, level, optname, optval);
        }

        return do_raw_setsockopt(sk, optname, optval);
    }

    // net/ipv4/raw.c: do_raw_getsockopt
    private static (int Err, long Val) do_raw_getsockopt(sock sk, int optname)
    {
        if (optname == Include.Uapi.Linux.icmp_h.ICMP_FILTER)
        {
            if (inet_sk(sk).inet_num != in_h.IPPROTO_ICMP)
            {
                return (-errno_h.EOPNOTSUPP, 0);
            }

            return raw_geticmpfilter(sk);
        }

        return (-errno_h.ENOPROTOOPT, 0);
    }

    // net/ipv4/raw.c: raw_getsockopt
    /// <summary>getsockopt of raw_prot: SOL_RAW here; ip_getsockopt is not ported (ENOPROTOOPT).</summary>
    private static (int Err, long Val) raw_getsockopt(sock sk, int level, int optname)
    {
        if (level != SOL_RAW)
        {
            return (-errno_h.ENOPROTOOPT, 0);
        }

        return do_raw_getsockopt(sk, optname);
    }

    /// <summary>raw_prot: struct proto of SOCK_RAW INET sockets.</summary>
    public static proto raw_prot { get; } = new()
    {
        name = "RAW",
        close = (sk, timeout) => { raw_close(sk, timeout); return System.Threading.Tasks.Task.CompletedTask; }, // never sleeps
        destroy = raw_destroy,
        connect = datagram_c.ip4_datagram_connect,
        disconnect = udp_c.__udp_disconnect,
        init = raw_sk_init,
        setsockopt = raw_setsockopt,
        getsockopt = raw_getsockopt,
        sendmsg = (sk, msg, len) => new ValueTask<int>(raw_sendmsg(sk, msg, len)),
        recvmsg = raw_recvmsg,
        bind = raw_bind,
        hash = raw_hash_sk,
        unhash = raw_unhash_sk,
        slab = sk => new raw_sock(sk),
    };
}
