// Ports net/ipv4/ping.c: echo replies are delivered to ICMP "ping" sockets
// by their echo identifier (ping_rcv -> ping_lookup).
//
// not ported yet: the SOCK_DGRAM/IPPROTO_ICMP socket interface (the socket
// layer's to add). Until then a kernel-side ping socket stands in for it —
// ping_kernel_open / ping_kernel_send below, which have no kernel
// counterpart: they do what ping_v4_sendmsg does for a ping socket (route,
// ip_make_skb with the echo header and data, which counts OutMsgs/OutEchos,
// ip_send_skb)
// and ping_rcv records each echo reply on it instead of queueing the skb
// for recvmsg. Echo replies for no open identifier are dropped NO_SOCKET.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using static KernelNet.Kernel.Include.Linux.skbuff_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>An echo reply a kernel ping socket received: who answered, which sequence, how many data bytes, when (ns).</summary>
public readonly record struct ping_reply(uint saddr, ushort sequence, int data_len, byte ttl, long at_ns);

/// <summary>A kernel-side ping socket (see the file header): an identifier and the replies it got.</summary>
public sealed class ping_kernel_sock
{
    internal ping_kernel_sock(sock sk, ushort ident)
    {
        this.sk = sk;
        this.ident = ident;
    }

    /// <summary>The SOCK_DGRAM/IPPROTO_ICMP sock its packets carry (skb->sk).</summary>
    public sock sk { get; }

    /// <summary>The echo identifier (the ping socket's "port").</summary>
    public ushort ident { get; }

    public List<ping_reply> replies { get; } = new();
}

public static class ping_c
{
    private const int SOCK_DGRAM = 2;
    private const byte IPPROTO_ICMP = 1;

    /// <summary>The namespace's open ping sockets by identifier (ping_table, per namespace here).</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of the per-net table of the simulation's ping sockets")]
    private static Dictionary<ushort, ping_kernel_sock> ping_table(net net)
    {
        var ipv4 = netns_ipv4.of(net);
        if (!ipv4.priv.TryGetValue(typeof(ping_kernel_sock), out var o))
        {
            o = new Dictionary<ushort, ping_kernel_sock>();
            ipv4.priv[typeof(ping_kernel_sock)] = o;
        }

        return (Dictionary<ushort, ping_kernel_sock>)o;
    }

    // not ported: ping_hashslot, sk_for_each_rcu, net_eq, ip_hdr, inet_iif, inet_sdif, ipv6_addr_any, ipv6_addr_equal —
    //   the kernel ping sockets (the header) sit in a per-namespace table keyed by identifier: no hash chain to walk,
    //   no bound address or device to match, no IPv6
    // net/ipv4/ping.c: ping_lookup
    [Borrows("skb")]
    private static ping_kernel_sock? ping_lookup(net net, sk_buff skb, ushort ident) =>
        ping_table(net).TryGetValue(ident, out var p) ? p : null;

    // net/ipv4/ping.c: ping_rcv
    /// <summary>
    /// An echo reply (ICMP header already pulled): pushes the header back,
    /// finds the ping socket by identifier and hands it the reply; consumes
    /// the skb on every path (NO_SOCKET when nobody pings with that ident).
    /// NET_RX softirq.
    /// </summary>
    [Consumes("skb")]
    public static skb_drop_reason ping_rcv(sk_buff skb)
    {
        // not ported: __ping_queue_rcv_skb — the port uses ping_queue_rcv_skb
        var net = skb.dev!.nd_net;
        KernelNet.Kernel.Net.Core.skbuff_c.skb_push(skb, skb.data - skb.transport_header);
        var ident = get_be16(skb, skb.transport_header + 4);
        var p = ping_lookup(net, skb, ident);
        if (p is not null)
        {
            var iph = Include.Linux.ip_h.ip_hdr(skb);
            p.replies.Add(new ping_reply(iph.saddr, get_be16(skb, skb.transport_header + 6), skb.len - Include.Uapi.Linux.icmphdr.Size, iph.ttl, net.k.ktime_get_ns()));
            // ping_queue_rcv_skb would queue it for recvmsg, which frees it after the copy.
            KernelNet.Kernel.Net.Core.skbuff_c.consume_skb(skb);
            return skb_drop_reason.SKB_NOT_DROPPED_YET;
        }

        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NO_SOCKET);
        return skb_drop_reason.SKB_DROP_REASON_NO_SOCKET;
    }

    /// <summary>
    /// Opens a kernel ping socket in <paramref name="net"/> with echo
    /// identifier <paramref name="ident"/> (what socket(AF_INET, SOCK_DGRAM,
    /// IPPROTO_ICMP) + bind gives a process). Not a kernel function.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ping(8): opens an in-kernel ping socket")]
    public static ping_kernel_sock ping_kernel_open(net net, ushort ident)
    {
        var sk = new sock(net, 2, SOCK_DGRAM, IPPROTO_ICMP);
        sk.proto_data = new inet_sock(sk);
        var p = new ping_kernel_sock(sk, ident);
        ping_table(net)[ident] = p;
        return p;
    }

    /// <summary>
    /// Sends one ICMP echo request to <paramref name="daddr"/> with
    /// <paramref name="data_len"/> bytes of pattern data, as ping_v4_sendmsg
    /// would: 0, or a negative errno (-ENETUNREACH without a route). The
    /// reply shows up in <see cref="ping_kernel_sock.replies"/>. Process
    /// context (call it from a task). Not a kernel function.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ping(8): sends an echo request from an in-kernel ping socket")]
    public static int ping_kernel_send(ping_kernel_sock p, uint daddr, ushort sequence, int data_len = 56)
    {
        var sk = p.sk;
        var net = sk.sk_net;
        var fl4 = new flowi4 { daddr = daddr, flowi4_proto = IPPROTO_ICMP };
        var rt = route_h.ip_route_output_key(net, ref fl4, out var err);
        if (rt is null)
        {
            return err;
        }

        var msg = new byte[Include.Uapi.Linux.icmphdr.Size + data_len];
        msg[0] = Include.Uapi.Linux.icmp_h.ICMP_ECHO;
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(4), p.ident);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(6), sequence);
        for (var i = 0; i < data_len; i++)
        {
            msg[Include.Uapi.Linux.icmphdr.Size + i] = (byte)i;
        }

        // ping_getfrag folds the checksum over header and data as it copies.
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(2), checksum_h.csum_fold(checksum_h.csum_partial(msg, 0)));

        var ipc = new ipcm_cookie();
        var skb = ip_output_c.ip_make_skb(sk, ref fl4, ip_output_c.ip_generic_getfrag, msg, msg.Length, 0, ref ipc, rt, 0, out err);
        if (skb is null)
        {
            return err;
        }

        // __ip_make_skb counted the echo request (OutMsgs, OutType8).
        err = ip_output_c.ip_send_skb(net, skb);
        return err > 0 ? 0 : err;
    }

    /// <summary>Closes a kernel ping socket: replies to its identifier are dropped NO_SOCKET again.</summary>
    [KernelNet.Annotations.NotInLinux("the simulation's ping(8): closes its in-kernel ping socket")]
    public static void ping_kernel_close(ping_kernel_sock p) => ping_table(p.sk.sk_net).Remove(p.ident);
}
