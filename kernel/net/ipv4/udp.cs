// Ports net/ipv4/udp.c: UDP over IPv4 — binding ports, sending a datagram
// (udp_sendmsg -> ip_make_skb -> udp_send_skb -> ip_send_skb), receiving
// (udp_rcv -> __udp4_lib_rcv -> socket lookup -> the receive queue ->
// sk_data_ready, RX-12), reading it (udp_recvmsg, RX-13), and ICMP errors.
//
// not ported: UDP-Lite, GSO/GRO, encapsulation, multicast and broadcast
// delivery to several sockets, SO_REUSEPORT groups, corking (UDP_CORK,
// MSG_MORE), the 2-tuple/4-tuple hash split (one table keyed by port),
// early demux, busy polling, the per-NUMA producer queues (one producer here).
// departure: the ephemeral port search starts from a seeded generator hung
// off the namespace instead of get_random_u32, so runs repeat.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.udp_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Net.ip_h;
using static KernelNet.Kernel.Include.Uapi.Linux.icmp_h;
using static KernelNet.Kernel.Include.Net.route_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Trace.Events.udp_h;
using static KernelNet.Kernel.Net.Core.datagram_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ipv4.ip_output_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>struct udp_table for one namespace: bound sockets by local port.</summary>
public sealed class udp_table
{
    public Dictionary<ushort, List<sock>> hash { get; } = new();

    /// <summary>Seeded state for the ephemeral port search (get_random_u32 in C).</summary>
    public uint rand_state { get; set; } = 0x2545F491;
}

public static class udp_c
{
    private static udp_table udp_table_of(net net)
    {
        var ipv4 = netns_ipv4.of(net);
        if (!ipv4.priv.TryGetValue(typeof(udp_table), out var o))
        {
            o = new udp_table();
            ipv4.priv[typeof(udp_table)] = o;
        }

        return (udp_table)o;
    }

    private static udp_sock udp_sk(sock sk) => (udp_sock)sk.proto_data!;

    private static void UDP_INC_STATS(net net, udp_mib_field field) => netns_ipv4.of(net).mib.udp_statistics[(int)field]++;

    private static uint next_random(udp_table t)
    {
        // xorshift32: deterministic stand-in for get_random_u32().
        var x = t.rand_state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        t.rand_state = x;
        return x;
    }

    // net/ipv4/udp.c: udp_lib_lport_inuse
    /// <summary>Another socket bound to the port conflicts unless addresses differ (or both set SO_REUSEADDR).</summary>
    private static bool udp_lib_lport_inuse(udp_table table, ushort num, sock sk)
    {
        if (!table.hash.TryGetValue(num, out var list))
        {
            return false;
        }

        var addr = ((inet_sock)sk.proto_data!).inet_rcv_saddr;
        foreach (var sk2 in list)
        {
            var a2 = ((inet_sock)sk2.proto_data!).inet_rcv_saddr;
            if (sk2 != sk && (!sk2.sk_reuse || !sk.sk_reuse) && (a2 == 0 || addr == 0 || a2 == addr))
            {
                return true;
            }
        }

        return false;
    }

    // net/ipv4/udp.c: udp_lib_get_port
    /// <summary>
    /// Binds <paramref name="snum"/>, or with 0 an ephemeral port from
    /// ip_local_port_range, searched from a random start in odd or even
    /// steps as the kernel does. -EADDRINUSE when taken or exhausted.
    /// </summary>
    public static int udp_lib_get_port(sock sk, ushort snum)
    {
        var net = sk.sk_net;
        var table = udp_table_of(net);
        if (snum == 0)
        {
            var (low, high) = netns_ipv4.of(net).ip_local_ports;
            var remaining = (uint)(high - low) + 1;
            var rand = next_random(table);
            var first = (ushort)(((ulong)rand * remaining >> 32) + (uint)low);
            // Even and odd: force an odd start, search with step 2 (connect() prefers even).
            rand = (rand | 1) * ((uint)table.hash.Count + 1);
            var last = (ushort)(first + remaining);
            for (var i = 0; i < remaining; i++)
            {
                var candidate = (ushort)(low + ((first - low + i) % remaining));
                if (!udp_lib_lport_inuse(table, candidate, sk))
                {
                    snum = candidate;
                    goto found;
                }
            }

            return -errno_h.EADDRINUSE;
        }

        if (udp_lib_lport_inuse(table, snum, sk))
        {
            return -errno_h.EADDRINUSE;
        }

    found:
        var inet = (inet_sock)sk.proto_data!;
        inet.inet_num = snum;
        if (!table.hash.TryGetValue(snum, out var list))
        {
            list = new List<sock>();
            table.hash.Add(snum, list);
        }

        list.Add(sk);
        return 0;
    }

    // net/ipv4/udp.c: udp_v4_get_port
    public static int udp_v4_get_port(sock sk, ushort snum) => udp_lib_get_port(sk, snum);

    // net/ipv4/udp.c: udp_lib_unhash
    public static void udp_lib_unhash(sock sk)
    {
        var inet = (inet_sock)sk.proto_data!;
        var table = udp_table_of(sk.sk_net);
        if (table.hash.TryGetValue(inet.inet_num, out var list))
        {
            list.Remove(sk);
            if (list.Count == 0)
            {
                table.hash.Remove(inet.inet_num);
            }
        }
    }

    // net/ipv4/udp.c: compute_score
    /// <summary>How well a bound socket matches a packet's 4-tuple; -1 if it does not.</summary>
    private static int compute_score(sock sk, net net, uint saddr, ushort sport, uint daddr, ushort hnum, int dif)
    {
        var inet = (inet_sock)sk.proto_data!;
        if (sk.sk_net != net || inet.inet_num != hnum)
        {
            return -1;
        }

        var score = sk.sk_family == socket_h.AF_INET ? 2 : 1;
        if (inet.inet_rcv_saddr != 0)
        {
            if (inet.inet_rcv_saddr != daddr)
            {
                return -1;
            }

            score += 4;
        }

        if (inet.inet_daddr != 0)
        {
            if (inet.inet_daddr != saddr)
            {
                return -1;
            }

            score += 4;
        }

        if (inet.inet_dport != 0)
        {
            if (inet.inet_dport != sport)
            {
                return -1;
            }

            score += 4;
        }

        if (inet.inet_bound_dev_if != 0)
        {
            if (inet.inet_bound_dev_if != dif)
            {
                return -1;
            }

            score += 4;
        }

        return score;
    }

    // net/ipv4/udp.c: __udp4_lib_lookup
    /// <summary>The best-scoring socket bound to dport for this packet (connected beats bound beats wildcard).</summary>
    public static sock? __udp4_lib_lookup(net net, uint saddr, ushort sport, uint daddr, ushort dport, int dif)
    {
        var table = udp_table_of(net);
        if (!table.hash.TryGetValue(dport, out var list))
        {
            return null;
        }

        sock? result = null;
        var badness = -1;
        foreach (var sk in list)
        {
            var score = compute_score(sk, net, saddr, sport, daddr, dport, dif);
            if (score > badness)
            {
                result = sk;
                badness = score;
            }
        }

        return result;
    }

    // net/ipv4/udp.c: udp_send_skb
    /// <summary>Writes the UDP header and checksum in front of the payload and sends (OutDatagrams).</summary>
    private static int udp_send_skb(sk_buff skb, flowi4 fl4)
    {
        var sk = skb.sk!;
        var inet = (inet_sock)sk.proto_data!;
        var len = skb.len - skb_transport_offset(skb);
        var uh = udp_hdr(skb);
        uh.source = inet.inet_sport;
        uh.dest = fl4.fl4_dport;
        uh.len = (ushort)len;
        uh.check = 0;
        var csum = checksum_h.csum_partial(skb.head.AsSpan(skb.transport_header, len), 0);
        uh.check = checksum_h.csum_tcpudp_magic(fl4.saddr, fl4.daddr, len, (byte)sk.sk_protocol, csum);
        if (uh.check == 0)
        {
            uh.check = 0xffff; // CSUM_MANGLED_0
        }

        var err = ip_send_skb(sk.sk_net, skb);
        if (err != 0)
        {
            if (err == -errno_h.ENOBUFS && !inet.recverr)
            {
                UDP_INC_STATS(sk.sk_net, udp_mib_field.UDP_MIB_SNDBUFERRORS);
                err = 0;
            }
        }
        else
        {
            UDP_INC_STATS(sk.sk_net, udp_mib_field.UDP_MIB_OUTDATAGRAMS);
        }

        return err;
    }

    // net/ipv4/udp.c: udp_sendmsg
    /// <summary>
    /// sendto() on a UDP socket: pick the destination (msg_name or the
    /// connected peer), route it, copy the user's data into a new skb
    /// (ip_make_skb: the only copy), add the header and send. Returns the
    /// length sent or -errno.
    /// </summary>
    public static int udp_sendmsg(sock sk, msghdr msg, int len)
    {
        var inet = (inet_sock)sk.proto_data!;
        var net = sk.sk_net;
        uint daddr;
        ushort dport;
        var connected = false;
        int err;

        if (len > 0xFFFF)
        {
            return -errno_h.EMSGSIZE;
        }

        if ((msg.msg_flags & MSG_OOB) != 0)
        {
            return -errno_h.EOPNOTSUPP;
        }

        var ulen = len + udphdr.Size;
        if (msg.msg_name is { } name)
        {
            if (msg.msg_namelen < in_h.SOCKADDR_IN_SIZE)
            {
                return -errno_base_h.EINVAL;
            }

            var usin = new sockaddr_in(name);
            if (usin.sin_family != AF_INET && usin.sin_family != AF_UNSPEC)
            {
                return -errno_h.EAFNOSUPPORT;
            }

            daddr = usin.sin_addr;
            dport = usin.sin_port;
            if (dport == 0)
            {
                return -errno_base_h.EINVAL;
            }
        }
        else
        {
            if (sk.sk_state != TCP_ESTABLISHED)
            {
                return -errno_h.EDESTADDRREQ;
            }

            daddr = inet.inet_daddr;
            dport = inet.inet_dport;
            connected = true;
        }

        var ipc = new ipcm_cookie { addr = inet.inet_saddr, oif = inet.inet_bound_dev_if, tos = inet.tos, ttl = inet.uc_ttl };
        var saddr = ipc.addr;
        var fl4 = new flowi4
        {
            flowi4_oif = ipc.oif,
            flowi4_mark = sk.sk_mark,
            flowi4_tos = (byte)(inet.tos & 0xfc),
            flowi4_proto = (byte)sk.sk_protocol,
            daddr = daddr,
            saddr = saddr,
            fl4_dport = dport,
            fl4_sport = inet.inet_sport,
        };

        var rt = connected ? sk.sk_dst_cache as rtable : null;
        if (rt is null)
        {
            rt = route_c.ip_route_output_flow(net, fl4, sk, out err);
            if (rt is null)
            {
                if (err == -errno_h.ENETUNREACH)
                {
                    IP_INC_STATS(net, ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES);
                }

                goto @out;
            }

            err = -errno_base_h.EACCES;
            if ((rt.rt_flags & RTCF_BROADCAST) != 0 && !sk.sock_flag_broadcast)
            {
                goto @out;
            }

            if (connected)
            {
                sk.sk_dst_cache = rt;
            }
        }

        var skb = ip_make_skb(sk, fl4, ip_generic_getfrag, msg.iov_base, ulen, udphdr.Size, ipc, rt, out err);
        if (skb is not null)
        {
            err = udp_send_skb(skb, fl4);
        }

    @out:
        if (err == 0)
        {
            return len;
        }

        if (err == -errno_h.ENOBUFS)
        {
            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_SNDBUFERRORS);
        }

        return err;
    }

    // net/ipv4/udp.c: udp_rmem_release
    /// <summary>Returns a read datagram's memory to the socket's receive budget.</summary>
    private static void udp_rmem_release(sock sk, int size)
    {
        sk.sk_rmem_alloc -= size;
    }

    // net/ipv4/udp.c: udp_skb_destructor
    private static void udp_skb_destructor(sock sk, sk_buff skb) => udp_rmem_release(sk, (int)skb.truesize);

    // net/ipv4/udp.c: __skb_recv_udp
    /// <summary>
    /// Takes the next datagram: from the reader queue, refilled from
    /// sk_receive_queue; if both are empty, sleeps until one arrives (or the
    /// timeout, or an error). Returns null with <paramref name="err"/> set.
    /// </summary>
    [MightSleep]
    private static async Task<(sk_buff? Skb, int Err)> __skb_recv_udp(sock sk, int flags)
    {
        var sk_queue = sk.sk_receive_queue;
        var queue = udp_sk(sk).reader_queue;
        var timeo = sock_rcvtimeo(sk, (flags & MSG_DONTWAIT) != 0);
        int error;

        do
        {
            error = sock_error(sk);
            if (error != 0)
            {
                break;
            }

            error = -errno_base_h.EAGAIN;
            var skb = __skb_try_recv_from_queue(queue, flags, out _);
            if (skb is not null)
            {
                if ((flags & MSG_PEEK) == 0)
                {
                    udp_skb_destructor(sk, skb);
                }

                return (skb, 0);
            }

            if (!skb_queue_empty(sk_queue))
            {
                skb_queue_splice_tail_init(sk_queue, queue);
                skb = __skb_try_recv_from_queue(queue, flags, out _);
                if (skb is not null && (flags & MSG_PEEK) == 0)
                {
                    udp_skb_destructor(sk, skb);
                }

                if (skb is not null)
                {
                    return (skb, 0);
                }
            }

            if (timeo == 0)
            {
                break;
            }

            var w = await __skb_wait_for_more_packets(sk, sk_queue, timeo, sk_queue.last);
            timeo = w.timeo;
            if (w.error != 0)
            {
                error = w.err;
                break;
            }
        }
        while (true);

        return (null, error);
    }

    // net/ipv4/udp.c: udp_recvmsg
    /// <summary>
    /// recvfrom() on a UDP socket: take a datagram (sleeping if none), copy
    /// it to the user — copy_linear_skb for a linear skb, as 6.18 chooses —
    /// fill in the sender's address, free the skb. InDatagrams counts here.
    /// </summary>
    [MightSleep]
    public static async Task<int> udp_recvmsg(sock sk, msghdr msg, int len, int flags)
    {
        var (skb, err) = await __skb_recv_udp(sk, flags);
        if (skb is null)
        {
            return err;
        }

        var net = sk.sk_net;
        var ulen = skb.len;
        var copied = len;
        if (copied > ulen)
        {
            copied = ulen;
        }
        else if (copied < ulen)
        {
            msg.msg_flags |= MSG_TRUNC;
        }

        // copy_linear_skb: a linear skb goes straight to the user's buffer,
        // without the skb_copy_datagram_iovec tracepoint.
        err = copy_to_iter(skb, 0, msg, copied);
        if (err < 0)
        {
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
            return err;
        }

        if ((flags & MSG_PEEK) == 0)
        {
            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INDATAGRAMS);
        }

        if (msg.msg_name is { } name && name.Length >= in_h.SOCKADDR_IN_SIZE)
        {
            var sin = new sockaddr_in(name);
            sin.sin_family = AF_INET;
            sin.sin_port = udp_hdr(skb).source;
            sin.sin_addr = ip_hdr(skb).saddr;
            msg.msg_namelen = in_h.SOCKADDR_IN_SIZE;
        }

        err = (flags & MSG_TRUNC) != 0 ? ulen : copied;
        skb_consume_udp(sk, skb, 0);
        return err;
    }

    // net/ipv4/udp.c: skb_consume_udp
    /// <summary>Frees a read datagram (a consume, not a drop).</summary>
    [Consumes("skb")]
    private static void skb_consume_udp(sock sk, sk_buff skb, int len)
    {
        skb_attempt_defer_free(skb);
    }

    // net/ipv4/udp.c: __udp_enqueue_schedule_skb
    /// <summary>
    /// Charges the datagram to the socket and queues it, then sk_data_ready.
    /// Over sk_rcvbuf (unless the queue is empty) it is refused with -ENOMEM.
    /// </summary>
    public static int __udp_enqueue_schedule_skb(sock sk, sk_buff skb)
    {
        var rmem = sk.sk_rmem_alloc;
        var rcvbuf = sk.sk_rcvbuf;
        var size = (int)skb.truesize;
        if (rmem + size > rcvbuf)
        {
            if (rcvbuf > int.MaxValue >> 1 || rmem != 0)
            {
                goto drop;
            }
        }

        sk.sk_rmem_alloc += size;
        __skb_queue_tail(sk.sk_receive_queue, skb);
        if (!sk.sock_flag_dead)
        {
            sk.sk_data_ready?.Invoke(sk);
        }

        return 0;

    drop:
        sk.sk_drops++;
        return -errno_base_h.ENOMEM;
    }

    // net/ipv4/udp.c: __udp_queue_rcv_skb
    /// <summary>Queues to the socket; a full receive buffer drops SOCKET_RCVBUFF and counts RcvbufErrors + InErrors.</summary>
    [Consumes("skb")]
    private static int __udp_queue_rcv_skb(sock sk, sk_buff skb)
    {
        var rc = __udp_enqueue_schedule_skb(sk, skb);
        if (rc < 0)
        {
            var net = sk.sk_net;
            skb_drop_reason drop_reason;
            if (rc == -errno_base_h.ENOMEM)
            {
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_RCVBUFERRORS);
                drop_reason = skb_drop_reason.SKB_DROP_REASON_SOCKET_RCVBUFF;
            }
            else
            {
                UDP_INC_STATS(net, udp_mib_field.UDP_MIB_MEMERRORS);
                drop_reason = skb_drop_reason.SKB_DROP_REASON_PROTO_MEM;
            }

            UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
            trace_udp_fail_queue_rcv_skb(rc, sk, skb);
            sk_skb_reason_drop(sk, skb, drop_reason);
            return -1;
        }

        return 0;
    }

    // net/ipv4/udp.c: udp_queue_rcv_one_skb
    /// <summary>Pulls the UDP header (udp_csum_pull_header) and queues the payload.</summary>
    [Consumes("skb")]
    private static int udp_queue_rcv_one_skb(sock sk, sk_buff skb)
    {
        // udp_csum_pull_header: the payload is what the reader gets (RX-14).
        __skb_pull(skb, udphdr.Size);
        return __udp_queue_rcv_skb(sk, skb);
    }

    // net/ipv4/udp.c: udp_queue_rcv_skb
    [Consumes("skb")]
    private static int udp_queue_rcv_skb(sock sk, sk_buff skb) => udp_queue_rcv_one_skb(sk, skb);

    // net/ipv4/udp.c: udp_unicast_rcv_skb
    [Consumes("skb")]
    private static int udp_unicast_rcv_skb(sock sk, sk_buff skb)
    {
        var ret = udp_queue_rcv_skb(sk, skb);
        return ret > 0 ? -ret : 0;
    }

    /// <summary>udp4_csum_init + udp_lib_checksum_complete: verify the checksum unless the device did.</summary>
    private static bool udp4_csum_bad(sk_buff skb, udphdr uh, int ulen)
    {
        if (uh.check == 0 || skb.ip_summed == CHECKSUM_UNNECESSARY)
        {
            return false;
        }

        var iph = ip_hdr(skb);
        var sum = checksum_h.csum_partial(skb.head.AsSpan(skb.transport_header, ulen), 0);
        return checksum_h.csum_tcpudp_magic(iph.saddr, iph.daddr, ulen, (byte)in_h.IPPROTO_UDP, sum) != 0;
    }

    // net/ipv4/udp.c: __udp4_lib_rcv
    /// <summary>
    /// Validates length and checksum, finds the socket by the 4-tuple and
    /// queues the datagram; with no socket: NoPorts, ICMP port unreachable,
    /// NO_SOCKET. Consumes the skb on every path.
    /// </summary>
    [Consumes("skb")]
    private static int __udp4_lib_rcv(sk_buff skb, int proto)
    {
        var net = skb.dev!.nd_net;
        var rt = skb_rtable(skb)!;
        var drop_reason = skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED;
        sock? sk = null;

        if (!pskb_may_pull(skb, udphdr.Size))
        {
            goto drop;
        }

        var uh = udp_hdr(skb);
        var ulen = uh.len;
        var saddr = ip_hdr(skb).saddr;
        var daddr = ip_hdr(skb).daddr;
        if (ulen > skb.len)
        {
            goto short_packet;
        }

        if (ulen < udphdr.Size)
        {
            goto short_packet;
        }

        pskb_trim(skb, ulen);
        if (udp4_csum_bad(skb, udp_hdr(skb), ulen))
        {
            goto csum_error;
        }

        if ((rt.rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) != 0)
        {
            // __udp4_lib_mcast_deliver is not ported: treated like unicast to the best socket.
        }

        sk = __udp4_lib_lookup(net, saddr, udp_hdr(skb).source, daddr, udp_hdr(skb).dest, skb.skb_iif);
        if (sk is not null)
        {
            return udp_unicast_rcv_skb(sk, skb);
        }

        drop_reason = skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
        UDP_INC_STATS(net, udp_mib_field.UDP_MIB_NOPORTS);
        Include.Net.icmp_h.icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
        sk_skb_reason_drop(null, skb, drop_reason);
        return 0;

    short_packet:
        drop_reason = skb_drop_reason.SKB_DROP_REASON_PKT_TOO_SMALL;
        goto drop;

    csum_error:
        drop_reason = skb_drop_reason.SKB_DROP_REASON_UDP_CSUM;
        UDP_INC_STATS(net, udp_mib_field.UDP_MIB_CSUMERRORS);
    drop:
        UDP_INC_STATS(net, udp_mib_field.UDP_MIB_INERRORS);
        sk_skb_reason_drop(sk, skb, drop_reason);
        return 0;
    }

    // net/ipv4/udp.c: udp_rcv
    /// <summary>IPPROTO_UDP's handler (net_protocol).</summary>
    [Consumes("skb")]
    public static int udp_rcv(sk_buff skb) => __udp4_lib_rcv(skb, in_h.IPPROTO_UDP);

    // net/ipv4/udp.c: __udp4_lib_err
    /// <summary>
    /// An ICMP error about a datagram we sent: find its socket; port
    /// unreachable becomes ECONNREFUSED, host unreachable EHOSTUNREACH —
    /// reported (sk_err) only on a connected socket or with IP_RECVERR.
    /// </summary>
    private static int __udp4_lib_err(sk_buff skb, uint info)
    {
        var iph = new iphdr(skb.head.AsSpan(skb.data));
        var uh = new udphdr(skb.head.AsSpan(skb.data + (iph.ihl * 4)));
        var icmph = new icmphdr(skb.head.AsSpan(skb.transport_header));
        var type = icmph.type;
        var code = icmph.code;
        var net = skb.dev!.nd_net;

        var sk = __udp4_lib_lookup(net, iph.daddr, uh.dest, iph.saddr, uh.source, skb.dev.ifindex);
        if (sk is null)
        {
            netns_ipv4.of(net).mib.icmp_statistics[(int)icmp_mib_field.ICMP_MIB_INERRORS]++;
            return 0;
        }

        var err = 0;
        var harderr = false;
        switch (type)
        {
            case ICMP_TIME_EXCEEDED:
                err = errno_h.EHOSTUNREACH;
                break;
            case ICMP_SOURCE_QUENCH:
                goto @out;
            case ICMP_PARAMETERPROB:
                err = errno_h.EPROTO;
                harderr = true;
                break;
            case ICMP_DEST_UNREACH:
                if (code == ICMP_FRAG_NEEDED)
                {
                    err = errno_h.EMSGSIZE;
                    harderr = true;
                    break;
                }

                err = errno_h.EHOSTUNREACH;
                if (code <= NR_ICMP_UNREACH)
                {
                    (err, harderr) = icmp_err_convert(code);
                }

                break;
        }

        var inet = (inet_sock)sk.proto_data!;
        if (!inet.recverr)
        {
            if (!harderr || sk.sk_state != TCP_ESTABLISHED)
            {
                goto @out;
            }
        }

        sk.sk_err = err;
        Core.sock_c.sk_error_report(sk);
    @out:
        return 0;
    }

    /// <summary>icmp_err_convert[] (net/ipv4/icmp.c): errno and whether it is fatal, by unreachable code.</summary>
    private static (int Errno, bool Fatal) icmp_err_convert(byte code) => code switch
    {
        0 => (errno_h.ENETUNREACH, false),
        1 => (errno_h.EHOSTUNREACH, false),
        2 => (errno_h.ENOPROTOOPT, true),
        3 => (errno_h.ECONNREFUSED, true),
        4 => (errno_h.EMSGSIZE, false),
        5 => (errno_h.EOPNOTSUPP, false),
        6 => (errno_h.ENETUNREACH, true),
        7 => (errno_h.EHOSTDOWN, true),
        8 => (errno_h.ENETUNREACH, true),
        9 or 10 => (errno_h.ENETUNREACH, true),
        11 => (errno_h.ENETUNREACH, false),
        12 => (errno_h.EHOSTUNREACH, false),
        13 => (errno_h.EHOSTUNREACH, true),
        14 => (errno_h.EHOSTUNREACH, true),
        _ => (errno_h.EHOSTUNREACH, true),
    };

    // net/ipv4/udp.c: udp_err
    public static int udp_err(sk_buff skb, uint info) => __udp4_lib_err(skb, info);

    // net/ipv4/udp.c: udp_destruct_common
    /// <summary>The last reference went: what was never read is freed (SOCKET_CLOSE).</summary>
    private static void udp_destruct_common(sock sk)
    {
        var up = udp_sk(sk);
        skb_queue_splice_tail_init(sk.sk_receive_queue, up.reader_queue);
        while (__skb_dequeue(up.reader_queue) is { } skb)
        {
            sk.sk_rmem_alloc -= (int)skb.truesize;
            kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_SOCKET_CLOSE);
        }
    }

    // net/ipv4/udp.c: udp_init_sock
    public static int udp_init_sock(sock sk)
    {
        sk.proto_data = new udp_sock(sk);
        sk.sk_prot_unhash = udp_lib_unhash;
        sk.sk_destruct = udp_destruct_common;
        return 0;
    }
}
