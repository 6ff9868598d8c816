// Ports net/packet/af_packet.c: AF_PACKET sockets of type SOCK_RAW — the
// taps tcpdump opens. socket(AF_PACKET, SOCK_RAW, htons(proto)) registers a
// packet_type (prot_hook) whose func is packet_rcv: ETH_P_ALL lands in
// ptype_all and sees every frame of the namespace (or of the bound device),
// received (__netif_receive_skb_core) and sent (dev_queue_xmit_nit), as
// whole Ethernet frames. packet_snd injects a frame the user built, header
// and all, through dev_queue_xmit.
//
// not ported: SOCK_DGRAM (cooked mode) and SOCK_PACKET — packet_create
// refuses them with ESOCKTNOSUPPORT; TPACKET rx/tx rings and mmap
// (tpacket_rcv, tpacket_snd); fanout; BPF socket filters (run_filter passes
// everything); PACKET_* socket options (membership, auxdata, origdev,
// qdisc bypass, vnet headers, statistics — packet_setsockopt refuses them);
// control messages and timestamps; the netdevice notifier (packet_notifier:
// a bound device going down is not reported); /proc/net/packet; ioctls;
// packet_poll.
// departure: creating a packet socket needs CAP_NET_RAW; the simulation's
// tasks are root, so packet_create does not check it.
// departure: the port's skbs are linear, so packet_alloc_skb never builds a
// paged part.
using System;
using System.Buffers.Binary;
using System.Diagnostics;
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
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Uapi.Linux.if_packet_h;
using static KernelNet.Kernel.Net.Core.datagram_c;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Core.sock_c;
using static KernelNet.Kernel.Net.Packet.internal_h;

namespace KernelNet.Kernel.Net.Packet;

public static class af_packet_c
{
    /// <summary>VLAN_HLEN (include/linux/if_vlan.h): a raw frame may carry one 802.1Q tag beyond the MTU.</summary>
    private const int VLAN_HLEN = 4;

    /// <summary>ROOM_POW_OFF: below 1/4 of the receive buffer free, the socket is under pressure.</summary>
    private const int ROOM_POW_OFF = 2;

    private const int ROOM_NONE = 0;
    private const int ROOM_LOW = 1;
    private const int ROOM_NORMAL = 2;

    // net/packet/af_packet.c: PACKET_SKB_CB
    /// <summary>
    /// The sockaddr_ll packet_rcv leaves in skb->cb for packet_recvmsg
    /// (packet_skb_cb.sa.ll). Its first four bytes double as origlen until
    /// packet_recvmsg writes sll_family and sll_protocol over them.
    /// </summary>
    [Borrows("skb")]
    private static sockaddr_ll PACKET_SKB_CB(sk_buff skb) => new(skb.cb.AsSpan(0, SOCKADDR_LL_SIZE));

    // net/packet/af_packet.c: packet_xmit
    /// <summary>Sends a built frame: through the qdisc (PACKET_QDISC_BYPASS, dev_direct_xmit, is not ported).</summary>
    [Consumes("skb")]
    private static int packet_xmit(packet_sock po, sk_buff skb)
    {
        // not ported: dev_direct_xmit, nf_hook_direct_egress, packet_pick_tx_queue — no PACKET_QDISC_BYPASS (see the header): every frame goes through dev_queue_xmit
        // not ported: packet_sock_flag — field accessors: the port reads or sets these fields directly
        return dev_queue_xmit(skb);
    }

    // net/packet/af_packet.c: packet_cached_dev_get
    /// <summary>The bound device, where packet_snd sends a frame that names no address.</summary>
    private static net_device? packet_cached_dev_get(packet_sock po)
    {
        // not ported: dev_hold — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // rcu_read_lock(); dev_hold(): devices are never freed under a socket here.
        return po.cached_dev;
    }

    // net/packet/af_packet.c: packet_cached_dev_assign
    private static void packet_cached_dev_assign(packet_sock po, net_device? dev) => po.cached_dev = dev;

    // net/packet/af_packet.c: packet_cached_dev_reset
    private static void packet_cached_dev_reset(packet_sock po) => po.cached_dev = null;

    // net/packet/af_packet.c: __register_prot_hook
    /// <summary>
    /// Puts the socket's tap on its ptype list (dev_add_pack) unless it is
    /// there already. Callers hold bind_lock, or (packet_create) nobody else
    /// can see the socket yet.
    /// </summary>
    private static void __register_prot_hook(sock sk)
    {
        // not ported: __fanout_link — no PACKET_FANOUT
        // not ported: sock_hold — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        var po = pkt_sk(sk);
        if (!packet_sock_flag(po, packet_sock_flags.PACKET_SOCK_RUNNING))
        {
            // Fanout groups (__fanout_link) are not ported.
            dev_add_pack(sk.sk_net.k, po.prot_hook);

            // sock_hold(sk): the hook's reference; socks are not refcounted in the port.
            packet_sock_flag_set(po, packet_sock_flags.PACKET_SOCK_RUNNING, true);
        }
    }

    // net/packet/af_packet.c: register_prot_hook
    private static void register_prot_hook(sock sk)
    {
        // not ported: pkt_sk — field accessors: the port reads or sets these fields directly
        __register_prot_hook(sk);
    }

    // net/packet/af_packet.c: __unregister_prot_hook
    /// <summary>
    /// Takes the tap off its list; from here on no frame reaches packet_rcv.
    /// With <paramref name="sync"/> the kernel waits (synchronize_net) for
    /// receivers still inside it; one thread has none.
    /// </summary>
    private static void __unregister_prot_hook(sock sk, bool sync)
    {
        // not ported: __fanout_unlink — no PACKET_FANOUT
        // not ported: __sock_put — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: synchronize_net — one thread: no locks, RCU grace periods, BH or preemption to guard against
        var po = pkt_sk(sk);
        packet_sock_flag_set(po, packet_sock_flags.PACKET_SOCK_RUNNING, false);
        __dev_remove_pack(sk.sk_net.k, po.prot_hook);

        // __sock_put(sk): the hook's reference goes.
    }

    // net/packet/af_packet.c: unregister_prot_hook
    private static void unregister_prot_hook(sock sk, bool sync)
    {
        var po = pkt_sk(sk);
        if (packet_sock_flag(po, packet_sock_flags.PACKET_SOCK_RUNNING))
        {
            __unregister_prot_hook(sk, sync);
        }
    }

    // net/packet/af_packet.c: __packet_rcv_has_room
    /// <summary>How full the receive queue is (no rings: sk_rmem_alloc against sk_rcvbuf).</summary>
    [Borrows("skb")]
    private static int __packet_rcv_has_room(packet_sock po, sk_buff? skb)
    {
        // not ported: __tpacket_has_room, __tpacket_v3_has_room — no PACKET_RX_RING/TX_RING mmap rings
        var sk = po.sk;
        var rcvbuf = sk.sk_rcvbuf;
        var avail = rcvbuf - sk.sk_rmem_alloc - (int)(skb?.truesize ?? 0);
        if (avail > (rcvbuf >> ROOM_POW_OFF))
        {
            return ROOM_NORMAL;
        }

        return avail > 0 ? ROOM_LOW : ROOM_NONE;
    }

    // net/packet/af_packet.c: packet_rcv_try_clear_pressure
    /// <summary>A reader made room: the socket is no longer under pressure (fanout's rollover reads the flag).</summary>
    private static void packet_rcv_try_clear_pressure(packet_sock po)
    {
        if (packet_sock_flag(po, packet_sock_flags.PACKET_SOCK_PRESSURE) && __packet_rcv_has_room(po, null) == ROOM_NORMAL)
        {
            packet_sock_flag_set(po, packet_sock_flags.PACKET_SOCK_PRESSURE, false);
        }
    }

    // net/packet/af_packet.c: packet_sock_destruct
    /// <summary>The sock's last reference went: nothing may still be charged to it.</summary>
    private static void packet_sock_destruct(sock sk)
    {
        skb_queue_purge(sk.sk_error_queue);

        // WARN_ON(sk_rmem_alloc): packet_release purged the receive queue. The
        // kernel also waits for sk_wmem_alloc to drain before it gets here;
        // the port's sk_free does not, so sent frames may still be in flight.
        Debug.Assert(sk.sk_rmem_alloc == 0, "packet socket released with receive memory charged");
        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            // pr_err("Attempt to release alive packet socket")
            return;
        }
    }

    // net/packet/af_packet.c: packet_extra_vlan_len_allowed
    /// <summary>A frame up to VLAN_HLEN over MTU + header is allowed only if it really is 802.1Q tagged.</summary>
    [Borrows("skb")]
    private static bool packet_extra_vlan_len_allowed(net_device dev, sk_buff skb)
    {
        // not ported: eth_hdr — field accessors: the port reads or sets these fields directly
        // Only Ethernet devices can be checked.
        if (dev.type != if_arp_h.ARPHRD_ETHER)
        {
            return false;
        }

        skb_reset_mac_header(skb);
        var eth = new ethhdr(skb.head.AsSpan(skb_mac_header(skb), if_ether_h.ETH_HLEN));
        return eth.h_proto == if_ether_h.ETH_P_8021Q;
    }

    // net/packet/af_packet.c: packet_parse_headers
    /// <summary>
    /// A raw socket bound to no particular protocol (0 or ETH_P_ALL) sends
    /// frames whose protocol only the Ethernet header knows: read it there.
    /// VLAN offsets and skb_probe_transport_header (the flow dissector) are
    /// not ported: the transport header stays unset.
    /// </summary>
    [Borrows("skb")]
    private static void packet_parse_headers(sk_buff skb, socket sock)
    {
        // not ported: eth_type_vlan, vlan_get_protocol_and_depth, skb_set_network_header — a tagged frame's network
        //   header is not moved past its tags (see the summary)
        // not ported: skb_probe_transport_header — the transport header of a sent frame stays unset (see the summary)
        if ((skb.protocol == 0 || skb.protocol == if_ether_h.ETH_P_ALL) && sock.type == SOCK_RAW)
        {
            skb_reset_mac_header(skb);
            skb.protocol = dev_parse_header_protocol(skb);
        }
    }

    // net/packet/af_packet.c: run_filter
    /// <summary>The socket filter's verdict (bytes to keep): no BPF in the port, so the whole frame.</summary>
    [Borrows("skb")]
    private static int run_filter(sk_buff skb, sock sk, int res)
    {
        // rcu_dereference(sk->sk_filter) is always NULL: SO_ATTACH_FILTER is not ported.
        return res;
    }

    // net/packet/af_packet.c: packet_rcv
    /// <summary>
    /// A tap's func: queues the frame on the socket, MAC header included for
    /// SOCK_RAW. The skb may be shared with the protocol handlers still to
    /// come (deliver_skb took a reference): then its data/len are pushed back
    /// to the MAC header only for as long as it takes to clone it, and the
    /// clone is what the socket keeps. A full receive buffer drops with
    /// PACKET_SOCK_ERROR and counts tp_drops and sk_drops. Consumes
    /// <paramref name="skb"/> (this reference) on every path; softirq
    /// context (NET_RX, or the sender's BH-off transmit).
    /// </summary>
    [Consumes("skb")]
    private static int packet_rcv(sk_buff skb, net_device dev, packet_type pt, net_device orig_dev)
    {
        // not ported: net_eq — namespaces are compared by reference (==)
        // not ported: skb_headlen — field accessors: the port reads or sets these fields directly
        // not ported: sock_skb_cb_check_size — C's build-time check that PACKET_SKB_CB fits skb->cb: the view is
        //   sized SOCKADDR_LL_SIZE over the cb array
        var drop_reason = skb_drop_reason.SKB_CONSUMED;
        sock? sk = null;
        packet_sock po;
        var skb_head = skb.data;
        var skb_len = skb.len;
        int snaplen;
        int res;

        // A multicast frame looped back to us was already seen going out.
        if (skb.pkt_type == PACKET_LOOPBACK)
        {
            goto drop;
        }

        sk = (sock)pt.af_packet_priv!;
        po = pkt_sk(sk);

        if (dev_net(dev) != sock_net(sk))
        {
            goto drop;
        }

        skb.dev = dev;

        if (dev_has_header(dev))
        {
            // The device has a link-layer header: a raw socket gets it too.
            if (sk.sk_type != SOCK_DGRAM)
            {
                skb_push(skb, skb.data - skb_mac_header(skb));
            }
            else if (skb.pkt_type == PACKET_OUTGOING)
            {
                // Outgoing frames start at the link-layer header.
                skb_pull(skb, skb_network_offset(skb));
            }
        }

        // skb_frags_readable: the head is linear, all of it is readable.
        snaplen = skb.len;

        res = run_filter(skb, sk, snaplen);
        if (res == 0)
        {
            goto drop_n_restore;
        }

        if (snaplen > res)
        {
            snaplen = res;
        }

        if (sk.sk_rmem_alloc >= sk.sk_rcvbuf)
        {
            goto drop_n_acct;
        }

        if (skb_shared(skb))
        {
            var nskb = skb_clone(skb);
            if (nskb is null)
            {
                goto drop_n_acct;
            }

            // The original goes on to the next handler as it came.
            if (skb_head != skb.data)
            {
                skb.data = skb_head;
                skb.len = skb_len;
            }

            consume_skb(skb);
            skb = nskb;
        }

        var sll = PACKET_SKB_CB(skb);
        sll.sll_hatype = dev.type;
        sll.sll_pkttype = skb.pkt_type;
        sll.sll_ifindex = packet_sock_flag(po, packet_sock_flags.PACKET_SOCK_ORIGDEV) ? orig_dev.ifindex : dev.ifindex;
        sll.sll_halen = (byte)dev_parse_header(skb, sll.sll_addr);

        // sll_family and sll_protocol are filled in by packet_recvmsg; until
        // then their four bytes keep the frame's length (origlen).
        BinaryPrimitives.WriteUInt32LittleEndian(skb.cb, (uint)skb.len);

        if (pskb_trim(skb, snaplen) != 0)
        {
            goto drop_n_acct;
        }

        skb_set_owner_r(skb, sk);
        skb.dev = null;
        skb_dst_drop(skb);

        // The queued skb lets go of its conntrack entry: an unread frame does not keep the connection alive.
        skbuff_h.nf_reset_ct(skb);

        // spin_lock(&sk->sk_receive_queue.lock): the reader dequeues under it.
        po.tp_packets++;

        // not ported: sock_skb_set_dropcount — SO_RXQ_OVFL is not ported: no drop count rides with the skb
        // not ported: skb_clear_delivery_time — the skb's tstamp is one clock's: no delivery-time type to reset
        __skb_queue_tail(sk.sk_receive_queue, skb);
        sk.sk_data_ready!(sk);
        return 0;

    drop_n_acct:
        po.tp_drops++;
        sk_drops_inc(sk);
        drop_reason = skb_drop_reason.SKB_DROP_REASON_PACKET_SOCK_ERROR;

    drop_n_restore:
        if (skb_head != skb.data && skb_shared(skb))
        {
            skb.data = skb_head;
            skb.len = skb_len;
        }

    drop:
        sk_skb_reason_drop(sk, skb, drop_reason);
        return 0;
    }

    // net/packet/af_packet.c: packet_alloc_skb
    /// <summary>
    /// An skb for a frame of <paramref name="len"/> bytes, charged to the
    /// socket (sock_alloc_send_pskb: may sleep for send-buffer space), with
    /// <paramref name="reserve"/> bytes of headroom and len bytes put. The
    /// port's skbs are linear: the whole frame goes in the head.
    /// </summary>
    [MightSleep]
    private static async Task<(sk_buff? Skb, int Err)> packet_alloc_skb(sock sk, int prepad, int reserve, int len, int linear, bool noblock)
    {
        // The kernel keeps frames past a page in page frags; the port has none.
        linear = len;

        var (skb, err) = await sock_alloc_send_pskb(sk, prepad + linear, len - linear, noblock);
        if (skb is null)
        {
            return (null, err);
        }

        skb_reserve(skb, reserve);
        skb_put(skb, linear);
        return (skb, 0);
    }

    // net/packet/af_packet.c: packet_snd
    /// <summary>
    /// sendto() on a packet socket: the user's bytes are the whole frame,
    /// Ethernet header included. Sent on the bound device, or on the one
    /// msg_name's sockaddr_ll names: -ENXIO without one, -ENETDOWN if it is
    /// down, -EMSGSIZE past MTU + header (+ 4 for a real 802.1Q tag).
    /// Returns the length sent.
    /// </summary>
    [MightSleep]
    private static async Task<int> packet_snd(socket sock, msghdr msg, int len)
    {
        // not ported: dev_hard_header — no SOCK_DGRAM (cooked mode, see the header): the user's frame carries its own header
        // not ported: sock_cmsg_send, sockcm_init, skb_setup_tx_timestamp, skb_set_delivery_type_by_clockid — control messages and timestamps are not ported (see the header)
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: dev_put — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: kfree_skb — the port uses kfree_skb_reason with the drop's reason
        // not ported: dev_get_by_index — called in packet_snd_addr, which holds msg_name's checks
        // not ported: packet_snd_vnet_parse, vio_le, virtio_net_hdr_set_proto, virtio_net_hdr_to_skb — no PACKET_VNET_HDR
        var sk = sock.sk!;
        var po = pkt_sk(sk);
        net_device? dev;
        ushort proto;
        int err;
        var reserve = 0;
        var offset = 0;
        var extra_len = 0;
        sk_buff? skb;

        if (msg.msg_name is null)
        {
            dev = packet_cached_dev_get(po);
            proto = po.num;
        }
        else
        {
            err = packet_snd_addr(sk, msg, out dev, out proto);
            if (err != 0)
            {
                goto @out;
            }
        }

        err = -errno_base_h.ENXIO;
        if (dev is null)
        {
            goto out_unlock;
        }

        err = -errno_h.ENETDOWN;
        if ((dev.flags & net_device.IFF_UP) == 0)
        {
            goto out_unlock;
        }

        // sockcm_init and control messages: no cmsgs in the port.
        if (sock.type == SOCK_RAW)
        {
            reserve = dev.hard_header_len;
        }

        // vnet headers (PACKET_VNET_HDR) are not ported. SO_NOFCS cannot be
        // set in the port, and no device supports it (netif_supports_nofcs).
        if (sock_flag(sk, sock_flags.SOCK_NOFCS))
        {
            err = -errno_h.EPROTONOSUPPORT;
            goto out_unlock;
        }

        err = -errno_h.EMSGSIZE;
        if (len > dev.mtu + reserve + VLAN_HLEN + extra_len)
        {
            goto out_unlock;
        }

        var hlen = LL_RESERVED_SPACE(dev);

        // needed_tailroom: none of the port's devices asks for any.
        var tlen = 0;
        var linear = Math.Max(0, Math.Min(len, (int)dev.hard_header_len));
        (skb, err) = await packet_alloc_skb(sk, hlen + tlen, hlen, len, linear, (msg.msg_flags & MSG_DONTWAIT) != 0);
        if (skb is null)
        {
            goto out_unlock;
        }

        skb_reset_network_header(skb);

        err = -errno_base_h.EINVAL;
        if (reserve != 0)
        {
            // The frame starts hard_header_len before the network header.
            // (min_header_len == hard_header_len on every device of the port:
            // the short-frame network header reset cannot happen.)
            skb_reserve(skb, -reserve);
        }

        err = skb_copy_datagram_from_iter(skb, offset, msg, len);
        if (err != 0)
        {
            goto out_free;
        }

        if ((sock.type == SOCK_RAW && !dev_validate_header(dev, skb.data_span, len)) || skb.len == 0)
        {
            err = -errno_base_h.EINVAL;
            goto out_free;
        }

        // skb_setup_tx_timestamp: SO_TIMESTAMPING is not ported.
        if (len > dev.mtu + reserve + extra_len && !packet_extra_vlan_len_allowed(dev, skb))
        {
            err = -errno_h.EMSGSIZE;
            goto out_free;
        }

        skb.protocol = proto;
        skb.dev = dev;
        skb.priority = sk.sk_priority;
        skb.mark = sk.sk_mark;

        packet_parse_headers(skb, sock);

        err = packet_xmit(po, skb);
        if (err != 0)
        {
            if (err > 0)
            {
                err = net_xmit_errno(err);
            }

            if (err != 0)
            {
                goto out_unlock;
            }
        }

        // dev_put(dev)
        return len;

    out_free:
        // 6.18 frees with kfree_skb: a drop without a more precise reason.
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
    out_unlock:
        // dev_put(dev)
    @out:
        return err;
    }

    /// <summary>
    /// packet_snd's "get and verify the address" for a msg_name: a
    /// sockaddr_ll whose ifindex picks the device and whose protocol the frame
    /// carries. A helper of packet_snd (sockaddr_ll is a view that cannot
    /// live across its awaits).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the address half of packet_snd (msg_name to device and protocol), split out")]
    private static int packet_snd_addr(sock sk, msghdr msg, out net_device? dev, out ushort proto)
    {
        dev = null;
        proto = 0;
        if (msg.msg_namelen < SOCKADDR_LL_SIZE || msg.msg_name!.Length < SOCKADDR_LL_SIZE)
        {
            return -errno_base_h.EINVAL;
        }

        var saddr = new sockaddr_ll(msg.msg_name);
        if (msg.msg_namelen < saddr.sll_halen + SLL_ADDR_OFFSET)
        {
            return -errno_base_h.EINVAL;
        }

        proto = saddr.sll_protocol;
        dev = dev_get_by_index(sock_net(sk), saddr.sll_ifindex);

        // SOCK_DGRAM's destination address (sll_addr) is not ported.
        return 0;
    }

    // net/packet/af_packet.c: packet_sendmsg
    /// <summary>sendmsg on a packet socket: packet_snd (the TX ring, tpacket_snd, is not ported).</summary>
    [MightSleep]
    private static ValueTask<int> packet_sendmsg(socket sock, msghdr msg, int len)
    {
        // not ported: pkt_sk — it finds the TX ring (tpacket_snd), which is not ported
        return new(packet_snd(sock, msg, len));
    }

    // net/packet/af_packet.c: packet_release
    /// <summary>
    /// close(): the tap comes off its list first — no frame reaches the
    /// socket afterwards — then unread frames are purged (QUEUE_PURGE) and
    /// the sock goes.
    /// </summary>
    private static int packet_release(socket sock)
    {
        // not ported: sk_del_node_init_rcu — written out: the sock leaves the namespace's sklist
        // not ported: fanout_release, fanout_release_data — no PACKET_FANOUT
        // not ported: kfree, kvfree, netdev_put, sock_put — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: lock_sock, release_sock — a departure: packet sockets have no backlog for ownership to defer to, and nothing else runs while this does
        // not ported: synchronize_net — one thread: no RCU readers to wait for
        // not ported: packet_flush_mclist — no multicast memberships
        // not ported: packet_free_pending, packet_set_ring — no PACKET_RX_RING/TX_RING mmap rings
        var sk = sock.sk;
        if (sk is null)
        {
            return 0;
        }

        var net = sock_net(sk);
        var po = pkt_sk(sk);

        net.packet.sklist.Remove(sk);

        // sock_prot_inuse_add: /proc/net/sockstat is not ported.

        // spin_lock(&po->bind_lock): bind and release do not interleave.
        unregister_prot_hook(sk, false);
        packet_cached_dev_reset(po);

        // netdev_put(po->prot_hook.dev)
        po.prot_hook.dev = null;

        // Multicast memberships, rings and fanout are not ported.

        // synchronize_net(): no receiver can still be inside packet_rcv.

        sock_orphan(sk);
        sock.sk = null;

        skb_queue_purge(sk.sk_receive_queue);

        // sock_put(sk): the last reference.
        sk_free(sk);
        return 0;
    }

    // net/packet/af_packet.c: packet_do_bind
    /// <summary>
    /// Moves the tap to <paramref name="ifindex"/>'s device (0: every device)
    /// and <paramref name="proto"/> (0: keep the socket's). A moved tap is
    /// unregistered and registered again; a socket with no protocol stays off
    /// the lists. Binding to a device that is down posts ENETDOWN instead.
    /// </summary>
    private static int packet_do_bind(sock sk, string? name, int ifindex, ushort proto)
    {
        // not ported: dev_get_by_index_rcu — dev_get_by_index does the same lookup: no RCU, and no device reference is counted
        // not ported: dev_get_by_name_rcu — dev_get_by_name does the same lookup: no RCU, and no device reference is counted
        // not ported: dev_hold, dev_put, netdev_hold, netdev_put — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        var po = pkt_sk(sk);
        net_device? dev = null;
        var unlisted = false;
        bool need_rehook;
        var ret = 0;

        if (proto == 0)
        {
            proto = po.num;
        }

        // Fanout members cannot rebind: fanout is not ported.
        if (name is not null)
        {
            dev = dev_get_by_name(sock_net(sk), name);
            if (dev is null)
            {
                ret = -errno_base_h.ENODEV;
                goto out_unlock;
            }
        }
        else if (ifindex != 0)
        {
            dev = dev_get_by_index(sock_net(sk), ifindex);
            if (dev is null)
            {
                ret = -errno_base_h.ENODEV;
                goto out_unlock;
            }
        }

        need_rehook = po.prot_hook.type != proto || po.prot_hook.dev != dev;

        if (need_rehook)
        {
            if (packet_sock_flag(po, packet_sock_flags.PACKET_SOCK_RUNNING))
            {
                // num = 0 keeps packet_notifier from registering the hook again.
                po.num = 0;
                __unregister_prot_hook(sk, true);
                if (dev is not null)
                {
                    unlisted = dev_get_by_index(sock_net(sk), dev.ifindex) is null;
                }
            }

            po.num = proto;
            po.prot_hook.type = proto;

            if (unlisted)
            {
                po.prot_hook.dev = null;
                po.ifindex = -1;
                packet_cached_dev_reset(po);
            }
            else
            {
                po.prot_hook.dev = dev;
                po.ifindex = dev?.ifindex ?? 0;
                packet_cached_dev_assign(po, dev);
            }
        }

        if (proto == 0 || !need_rehook)
        {
            goto out_unlock;
        }

        if (!unlisted && (dev is null || (dev.flags & net_device.IFF_UP) != 0))
        {
            register_prot_hook(sk);
        }
        else
        {
            sk.sk_err = errno_h.ENETDOWN;
            if (!sock_flag(sk, sock_flags.SOCK_DEAD))
            {
                sk_error_report(sk);
            }
        }

    out_unlock:
        return ret;
    }

    // net/packet/af_packet.c: packet_bind
    /// <summary>bind() with a sockaddr_ll: sll_ifindex and sll_protocol (network order) choose what the tap sees.</summary>
    private static int packet_bind(socket sock, byte[] uaddr, int addr_len)
    {
        var sk = sock.sk!;
        if (addr_len < SOCKADDR_LL_SIZE || uaddr.Length < SOCKADDR_LL_SIZE)
        {
            return -errno_base_h.EINVAL;
        }

        var sll = new sockaddr_ll(uaddr);
        if (sll.sll_family != AF_PACKET)
        {
            return -errno_base_h.EINVAL;
        }

        return packet_do_bind(sk, null, sll.sll_ifindex, sll.sll_protocol);
    }

    /// <summary>packet_proto: the sock-level protocol of packet sockets (nothing beyond its name).</summary>
    private static proto packet_proto { get; } = new() { name = "PACKET" };

    // net/packet/af_packet.c: packet_create
    /// <summary>
    /// socket(AF_PACKET, SOCK_RAW, htons(proto)): a sock with a tap whose
    /// func is packet_rcv, registered at once when proto is not 0 — with no
    /// device yet, on the namespace's list (ETH_P_ALL: ptype_all, every
    /// device). <paramref name="protocol"/> is the int the caller passed, in
    /// network byte order as in C; the port keeps ethertypes in host order.
    /// </summary>
    public static int packet_create(net net, socket sock, int protocol, bool kern)
    {
        // not ported: packet_alloc_pending — no PACKET_RX_RING/TX_RING mmap rings
        // not ported: pkt_sk — field accessors: the port reads or sets these fields directly
        // not ported: sk_add_node_tail_rcu — written out: the sock is appended to the namespace's sklist
        // not ported: sk_free — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // The protocol is a __be16 in an int: weird, but documented.
        var proto = BinaryPrimitives.ReverseEndianness((ushort)protocol);

        // ns_capable(CAP_NET_RAW): the simulation's tasks are root.
        if (sock.type != SOCK_RAW)
        {
            // SOCK_DGRAM (cooked) and SOCK_PACKET are not ported.
            return -errno_h.ESOCKTNOSUPPORT;
        }

        sock.state = socket_state.SS_UNCONNECTED;

        // sk_protocol stays 0: packet_create never sets it.
        var sk = sk_alloc(net, PF_PACKET, packet_proto, sock.type, 0);
        sock.ops = packet_ops;

        // packet_alloc_pending: only the TX ring uses it.
        var po = new packet_sock(sk, new packet_type(0, packet_rcv) { af_packet_priv = sk, af_packet_net = sock_net(sk) });
        sk.proto_data = po;
        sock_init_data(sock, sk);

        po.num = proto;
        packet_cached_dev_reset(po);
        sk.sk_destruct = packet_sock_destruct;

        if (proto != 0)
        {
            po.prot_hook.type = proto;
            __register_prot_hook(sk);
        }

        net.packet.sklist.Add(sk);

        // sock_prot_inuse_add: /proc/net/sockstat is not ported.
        return 0;
    }

    // net/packet/af_packet.c: packet_recvmsg
    /// <summary>
    /// recvfrom() on a packet socket: sleeps for a frame (skb_recv_datagram)
    /// and copies it whole, link-layer header first. A short buffer gets the
    /// head of the frame and MSG_TRUNC in msg_flags; MSG_TRUNC in flags
    /// returns the frame's full length. msg_name gets the sockaddr_ll:
    /// ifindex, pkttype (PACKET_OUTGOING for a sent frame), source MAC.
    /// </summary>
    [MightSleep]
    private static async ValueTask<int> packet_recvmsg(socket sock, msghdr msg, int len, int flags)
    {
        // not ported: put_cmsg, vlan_get_tci, vlan_get_protocol_dgram, eth_type_vlan, skb_csum_unnecessary, skb_is_gso, skb_is_gso_tcp, dev_get_by_index_rcu — PACKET_AUXDATA and PACKET_VNET_HDR are not ported (see the header), so no control message is built
        // not ported: sock_recv_errqueue — no error queue: timestamps are not ported (see the header)
        // not ported: PACKET_SKB_CB, packet_sock_flag, skb_network_offset, skb_vlan_tag_get, skb_vlan_tag_present — field accessors: the port reads or sets these fields directly
        // not ported: __sockaddr_check_size — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: packet_rcv_vnet — no PACKET_VNET_HDR
        var sk = sock.sk!;
        sk_buff? skb;
        int copied;
        int err;

        err = -errno_base_h.EINVAL;
        if ((flags & ~(MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_COMPAT | MSG_ERRQUEUE)) != 0)
        {
            goto @out;
        }

        if ((flags & MSG_ERRQUEUE) != 0)
        {
            // sock_recv_errqueue: TX timestamps are not ported, the error queue stays empty.
            err = -errno_base_h.EAGAIN;
            goto @out;
        }

        (skb, err) = await skb_recv_datagram(sk, flags);
        if (skb is null)
        {
            goto @out;
        }

        packet_rcv_try_clear_pressure(pkt_sk(sk));

        // Anything beyond the user's buffer is lost (vnet headers are not ported).
        copied = skb.len;
        if (copied > len)
        {
            copied = len;
            msg.msg_flags |= MSG_TRUNC;
        }

        // skb_copy_datagram_msg
        err = skb_copy_datagram_iter(skb, 0, msg, copied);
        if (err != 0)
        {
            goto out_free;
        }

        sock_recv_cmsgs(msg, sk, skb);

        // not ported: PACKET_AUXDATA (the only reader of origlen)
        packet_recvmsg_name(sock, msg, skb);

        err = (flags & MSG_TRUNC) != 0 ? skb.len : copied;

    out_free:
        skb_free_datagram(sk, skb);
    @out:
        return err;
    }

    /// <summary>
    /// packet_recvmsg's address half, kept out of the async body (sockaddr_ll
    /// is a view): completes the sockaddr_ll in skb->cb and copies it to msg_name.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the msg_name half of packet_recvmsg (the sockaddr_ll it fills), split out")]
    [Borrows("skb")]
    private static void packet_recvmsg_name(socket sock, msghdr msg, sk_buff skb)
    {
        var sll = PACKET_SKB_CB(skb);

        // The original length stored over sll_family/sll_protocol is no longer needed.
        sll.sll_family = AF_PACKET;
        sll.sll_protocol = skb.protocol;

        if (msg.msg_name is not { } name)
        {
            return;
        }

        var max_len = Math.Min(skb.cb.Length, Math.Min(_K_SS_MAXSIZE, name.Length));
        msg.msg_namelen = sll.sll_halen + SLL_ADDR_OFFSET;
        var copy_len = msg.msg_namelen;
        if (msg.msg_namelen < SOCKADDR_LL_SIZE)
        {
            name.AsSpan(SLL_ADDR_OFFSET, SLL_ADDR_LEN).Clear();
            msg.msg_namelen = SOCKADDR_LL_SIZE;
        }

        if (copy_len > max_len)
        {
            copy_len = max_len;
            msg.msg_namelen = copy_len;
        }

        skb.cb.AsSpan(0, copy_len).CopyTo(name);
    }

    // net/packet/af_packet.c: packet_getname
    /// <summary>getsockname(): the bound device's ifindex, the protocol and the device's address; no peer.</summary>
    private static int packet_getname(socket sock, byte[] uaddr, bool peer)
    {
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: dev_get_by_index_rcu — dev_get_by_index does the same lookup: no RCU, and no device reference is counted
        var sk = sock.sk!;
        var po = pkt_sk(sk);
        if (peer)
        {
            return -errno_h.EOPNOTSUPP;
        }

        var sll = new sockaddr_ll(uaddr);
        sll.sll_family = AF_PACKET;
        sll.sll_ifindex = po.ifindex;
        sll.sll_protocol = po.num;
        sll.sll_pkttype = 0;
        var dev = dev_get_by_index(sock_net(sk), po.ifindex);
        if (dev is not null)
        {
            sll.sll_hatype = dev.type;
            sll.sll_halen = dev.addr_len;
            dev.dev_addr.AsSpan(0, dev.addr_len).CopyTo(uaddr.AsSpan(SLL_ADDR_OFFSET));
        }
        else
        {
            // Bad: there is no ARPHRD_UNSPEC.
            sll.sll_hatype = 0;
            sll.sll_halen = 0;
        }

        return SLL_ADDR_OFFSET + sll.sll_halen;
    }

    // net/packet/af_packet.c: packet_setsockopt
    /// <summary>SOL_PACKET options: none is ported, so each is refused like an unknown one.</summary>
    private static int packet_setsockopt(socket sock, int level, int optname, long optval)
    {
        // not ported: fanout_add, fanout_set_data — no PACKET_FANOUT
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        // not ported: packet_mc_add, packet_mc_drop — no multicast memberships
        // not ported: packet_set_ring — no PACKET_RX_RING/TX_RING mmap rings
        // not ported: packet_sock_flag_set, pkt_sk — field accessors: the port reads or sets these fields directly
        if (level != SOL_PACKET)
        {
            return -errno_h.ENOPROTOOPT;
        }

        // PACKET_ADD_MEMBERSHIP, PACKET_RX_RING, PACKET_FANOUT, PACKET_AUXDATA,
        // PACKET_IGNORE_OUTGOING, ...: not ported.
        return -errno_h.ENOPROTOOPT;
    }

    // net/packet/af_packet.c: packet_getsockopt
    /// <summary>SOL_PACKET options: none is ported (PACKET_STATISTICS included: read tp_packets/tp_drops off the packet_sock).</summary>
    private static (int Err, long Val) packet_getsockopt(socket sock, int level, int optname)
    {
        // not ported: packet_sock_flag, pkt_sk — field accessors: the port reads or sets these fields directly
        if (level != SOL_PACKET)
        {
            return (-errno_h.ENOPROTOOPT, 0);
        }

        return (-errno_h.ENOPROTOOPT, 0);
    }

    // net/packet/af_packet.c: packet_poll
    /// <summary>poll of a packet socket: datagram_poll; a reader polling clears the receive pressure mark.</summary>
    private static uint packet_poll(object file, socket sock, poll_table_struct? wait)
    {
        var sk = sock.sk!;
        var po = pkt_sk(sk);
        var mask = Core.datagram_c.datagram_poll(file, sock, wait);

        // not ported: the mmap rings (rx_ring/tx_ring, packet_previous_rx_frame, packet_current_frame) — PACKET_RX_RING/TX_RING are not ported
        packet_rcv_try_clear_pressure(po);
        return mask;
    }

    /// <summary>packet_ops: the BSD-side operations of SOCK_RAW packet sockets.</summary>
    private static proto_ops packet_ops { get; } = new()
    {
        family = PF_PACKET,
        release = s => System.Threading.Tasks.Task.FromResult(packet_release(s)),
        bind = packet_bind,
        connect = (s, a, l, f) => new System.Threading.Tasks.ValueTask<int>(sock_no_connect(s, a, l, f)),
        getname = packet_getname,
        shutdown = sock_no_shutdown,
        setsockopt = packet_setsockopt,
        getsockopt = packet_getsockopt,
        sendmsg = packet_sendmsg,
        recvmsg = packet_recvmsg,
        gettstamp = sock_gettstamp,
        poll = packet_poll,
    };

    /// <summary>packet_family_ops: how socket(AF_PACKET, ...) reaches packet_create (sock_register).</summary>
    private static net_proto_family packet_family_ops { get; } = new()
    {
        family = PF_PACKET,
        create = packet_create,
    };

    // net/packet/af_packet.c: packet_net_init
    /// <summary>A namespace's packet state: its sklist comes with struct net; /proc/net/packet is not ported.</summary>
    private static int packet_net_init(net net)
    {
        net.packet.sklist.Clear();
        return 0;
    }

    // net/packet/af_packet.c: packet_init
    /// <summary>
    /// module_init: per-namespace state, then the AF_PACKET family with the
    /// socket layer. The netdevice notifier (packet_notifier) is not ported.
    /// </summary>
    public static int packet_init(Vmlinux k)
    {
        // not ported: register_netdevice_notifier, unregister_netdevice_notifier — the netdevice notifier (packet_notifier) is not ported (see the header)
        // not ported: proto_unregister, unregister_pernet_subsys — the unwinding when sock_register fails: the port
        //   keeps no list of protos (proto_register), and its pernet state is left registered
        var rc = Core.net_namespace_c.register_pernet_subsys(k, packet_net_init);
        if (rc != 0)
        {
            return rc;
        }

        // proto_register(&packet_proto): the port keeps no list of protos.
        return socket_c.sock_register(k, packet_family_ops);
    }
}
