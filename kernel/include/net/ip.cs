// Ports include/net/ip.h: the IPv4 control block (IPCB), ipcm_cookie, the
// counter macros and the small header helpers.
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;

namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// struct inet_skb_parm: IPv4's per-packet state in skb->cb. Not sealed:
/// reassembly's FRAG_CB (struct ipfrag_skb_cb) starts with it, as in C.
/// </summary>
public class inet_skb_parm : ISkbControlBlock
{
    public inet_skb_parm()
    {
    }

    /// <summary>The IPv4 state of <paramref name="h4"/>, into this block (a clone's, or a derived block's header.h4 that the C union overlays).</summary>
    [KernelNet.Annotations.NotInLinux("the memcpy of struct inet_skb_parm within skb->cb, field by field")]
    internal void copy_h4_from(inet_skb_parm h4)
    {
        iif = h4.iif;
        flags = h4.flags;
        frag_max_size = h4.frag_max_size;
        opt_len = h4.opt_len;
        _opt = h4._opt?.Clone();
    }

    /// <summary>memset(IPCB(skb), 0, sizeof(struct inet_skb_parm)): every IPv4 field zero, no options.</summary>
    [KernelNet.Annotations.NotInLinux("the memset of struct inet_skb_parm within skb->cb, field by field")]
    internal void memset_h4()
    {
        iif = 0;
        flags = 0;
        frag_max_size = 0;
        opt_len = 0;
        _opt = null;
    }

    private ip_options? _opt;

    /// <summary>The options ip_rcv_options compiled from the packet's header (all zero without options; made on first use).</summary>
    public ip_options opt => _opt ??= new ip_options();

    public int iif { get; set; }

    public ushort flags { get; set; }

    public ushort frag_max_size { get; set; }

    /// <summary>ICMP errors queued by the socket layer (sock_extended_err source).</summary>
    public int opt_len { get; set; }

    /// <summary>__copy_skb_header's memcpy of skb->cb: every field, a derived block's too (it overrides this).</summary>
    [KernelNet.Annotations.NotInLinux("C# copy of IPCB(skb): C copies skb->cb with memcpy")]
    [KernelNet.Annotations.Borrows("to")]
    public virtual ISkbControlBlock copy_to(sk_buff to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var c = to.cb_view<inet_skb_parm>();
        c.copy_h4_from(this);
        return c;
    }
}

/// <summary>
/// struct ip_fraglist_iter: ip_do_fragment's walk of a frag_list, each skb
/// sent as a fragment. iph (a pointer in C) is the header the next fragment
/// copies: the network header of <see cref="iph_skb"/>.
/// </summary>
public sealed class ip_fraglist_iter
{
    /// <summary>The next frag_list skb to send.</summary>
    public sk_buff? frag { get; set; }

    public sk_buff? iph_skb { get; set; }

    /// <summary>Payload bytes sent so far: the next fragment's offset.</summary>
    public int offset { get; set; }

    public int hlen { get; set; }
}

/// <summary>struct ipcm_cookie: per-send IP options from the socket and cmsgs, on the sender's stack (passed by ref, as C passes a pointer).</summary>
public struct ipcm_cookie
{
    /// <summary>A cookie with no TTL of its own (ttl -1: the socket's or the sysctl's).</summary>
    public ipcm_cookie()
    {
    }

    public uint addr;

    public int oif;

    /// <summary>ttl: the send's IP_TTL, -1 for none (the socket's or the sysctl's). departure: 6.18 keeps a __u8 with 0 for none and makes tos the __s16 with -1 for none (ipcm_init); the port keeps the none on ttl and tos a byte.</summary>
    public short ttl = -1;

    public byte tos;

    public uint mark;

    /// <summary>ipc->opt: IP options to build into the datagram's header (the ICMP reply's echoed options).</summary>
    public ip_options? opt;
}

public static class ip_h
{
    // include/net/ip.h: ip_defrag_user_in_between
    /// <summary>Whether a defrag user lies in [lower_bond, upper_bond].</summary>
    public static bool ip_defrag_user_in_between(uint user, uint lower_bond, uint upper_bond) => user >= lower_bond && user <= upper_bond;

    // include/net/ip.h: ip4h_dscp
    /// <summary>The DSCP bits of the header's TOS byte, as route lookups take them.</summary>
    public static byte ip4h_dscp(iphdr ip4h)
    {
        // not ported: inet_dsfield_to_dscp — the port's dscp is the byte masked with INET_DSCP_MASK (0xfc), done here.
        return (byte)(ip4h.tos & 0xfc);
    }

    public const ushort IPSKB_FORWARDED = 1;
    public const ushort IPSKB_XFRM_TUNNEL_SIZE = 2;
    public const ushort IPSKB_XFRM_TRANSFORMED = 4;
    public const ushort IPSKB_FRAG_COMPLETE = 8;
    public const ushort IPSKB_REROUTED = 16;
    public const ushort IPSKB_DOREDIRECT = 32;
    public const ushort IPSKB_FRAG_PMTU = 64;

    /// <summary>IP_MAX_MTU: the largest IPv4 datagram.</summary>
    public const int IP_MAX_MTU = 0xFFFF;

    /// <summary>IP_FRAG_TIME: how long a datagram's fragments may take to arrive (ipfrag_time, 30 s).</summary>
    public const int IP_FRAG_TIME = 30 * Vmlinux.HZ;

    // include/net/ip.h: ip_fraglist_next
    /// <summary>The next skb of the frag_list, unlinked: the next fragment to send.</summary>
    public static sk_buff ip_fraglist_next(ip_fraglist_iter iter)
    {
        var skb = iter.frag!;
        iter.frag = skb.next;
        Linux.skbuff_h.skb_mark_not_on_list(skb);
        return skb;
    }

    // include/net/ip.h: ip_hdrlen
    [KernelNet.Annotations.Borrows("skb")]
    public static int ip_hdrlen(sk_buff skb) => ip_hdr(skb).ihl * 4;

    // include/net/ip.h: IPCB
    /// <summary>The IPv4 control block of an skb, created on first use (memset to 0 in ip_rcv_core).</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static inet_skb_parm IPCB(sk_buff skb)
    {
        return skb.cb_obj as inet_skb_parm ?? IPCB_memset(skb);
    }

    /// <summary>memset(IPCB(skb), 0, sizeof(struct inet_skb_parm)): the skb's own IPv4 block, cleared and made its control block.</summary>
    [KernelNet.Annotations.NotInLinux("the memset of skb->cb as struct inet_skb_parm: C clears the bytes in place")]
    [KernelNet.Annotations.Borrows("skb")]
    public static inet_skb_parm IPCB_memset(sk_buff skb)
    {
        var p = skb.cb_view<inet_skb_parm>();
        p.memset_h4();
        skb.cb_obj = p;
        return p;
    }

    // include/net/ip.h: IP_INC_STATS
    /// <summary>__IP_INC_STATS / IP_INC_STATS.</summary>
    public static void IP_INC_STATS(net net, ipstats_mib_field field) => netns_ipv4.of(net).mib.ip_statistics[(int)field]++;

    // include/net/ip.h: IP_ADD_STATS
    /// <summary>IP_ADD_STATS.</summary>
    public static void IP_ADD_STATS(net net, ipstats_mib_field field, long val) => netns_ipv4.of(net).mib.ip_statistics[(int)field] += val;

    // include/net/ip.h: IP_UPD_PO_STATS
    /// <summary>IP_UPD_PO_STATS(net, IN|OUT, bytes): packets and octets together.</summary>
    public static void IP_UPD_PO_STATS(net net, ipstats_mib_field pkts, ipstats_mib_field octets, long bytes)
    {
        var mib = netns_ipv4.of(net).mib.ip_statistics;
        mib[(int)pkts]++;
        mib[(int)octets] += bytes;
    }

    // include/net/ip.h: NET_INC_STATS
    /// <summary>NET_INC_STATS (LINUX_MIB_*).</summary>
    public static void NET_INC_STATS(net net, linux_mib_field field) => netns_ipv4.of(net).mib.net_statistics[(int)field]++;

    // include/net/ip.h: NET_ADD_STATS
    public static void NET_ADD_STATS(net net, linux_mib_field field, int val) => netns_ipv4.of(net).mib.net_statistics[(int)field] += val;

    // include/net/ip.h: inet_get_local_port_range
    /// <summary>net.ipv4.ip_local_port_range: where ephemeral ports come from.</summary>
    public static void inet_get_local_port_range(net net, out int low, out int high) =>
        (low, high) = netns_ipv4.of(net).ip_local_ports;

    // include/net/ip.h: ip_is_fragment
    public static bool ip_is_fragment(iphdr iph) => (iph.frag_off & (Uapi.Linux.ip_h.IP_MF | Uapi.Linux.ip_h.IP_OFFSET)) != 0;

    // include/net/ip.h: ip_sendmsg_scope
    /// <summary>RT_SCOPE_LINK when the send may not leave the link (SO_DONTROUTE, MSG_DONTROUTE, a strict source route), else RT_SCOPE_UNIVERSE.</summary>
    public static byte ip_sendmsg_scope(inet_sock inet, in ipcm_cookie ipc, Linux.msghdr msg)
    {
        if (sock_h.sock_flag(inet.sk, sock_flags.SOCK_LOCALROUTE) ||
            (msg.msg_flags & Linux.socket_h.MSG_DONTROUTE) != 0 ||
            (ipc.opt is { } opt && opt.is_strictroute))
        {
            return route_h.RT_SCOPE_LINK;
        }

        return route_h.RT_SCOPE_UNIVERSE;
    }

    // include/net/ip.h: ip_sk_use_pmtu
    /// <summary>Below IP_PMTUDISC_PROBE (DONT, WANT, DO) the socket sizes its packets by the learned path MTU; PROBE and above use the device's.</summary>
    public static bool ip_sk_use_pmtu(sock sk) => ((inet_sock)sk.proto_data!).pmtudisc < 3 /* IP_PMTUDISC_PROBE */;

    // include/net/ip.h: ip_sk_ignore_df
    /// <summary>Below IP_PMTUDISC_DO (DONT, WANT), or with OMIT, the socket's packets may be fragmented locally.</summary>
    public static bool ip_sk_ignore_df(sock sk)
    {
        var pmtudisc = ((inet_sock)sk.proto_data!).pmtudisc;
        return pmtudisc < 2 /* IP_PMTUDISC_DO */ || pmtudisc == 5 /* IP_PMTUDISC_OMIT */;
    }

    // include/net/ip.h: ip_sk_accept_pmtu
    /// <summary>Whether ICMP frag-needed may change the socket's path MTU (not with IP_PMTUDISC_INTERFACE or OMIT).</summary>
    public static bool ip_sk_accept_pmtu(sock sk)
    {
        var pmtudisc = ((inet_sock)sk.proto_data!).pmtudisc;
        return pmtudisc != 4 /* IP_PMTUDISC_INTERFACE */ && pmtudisc != 5 /* IP_PMTUDISC_OMIT */;
    }

    // include/net/ip.h: ip_decrease_ttl
    /// <summary>
    /// One hop less, with the header checksum patched in place (RFC 1624:
    /// the TTL's byte went down by one, so the checksum goes up by 0x0100,
    /// done as the kernel does it on the little-endian load of the field).
    /// </summary>
    public static int ip_decrease_ttl(iphdr iph)
    {
        uint check = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(iph.check);
        check += 0x0001; // htons(0x0100), as loaded on a little-endian CPU
        check += check >= 0xFFFF ? 1u : 0u;
        iph.check = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)check);
        iph.ttl--;
        return iph.ttl;
    }

    // include/net/ip.h: ip_dst_mtu_maybe_forward
    /// <summary>
    /// The MTU of a route: a learned path MTU while it lasts — for a forwarded
    /// packet only with ip_forward_use_pmtu or a locked MTU — else the device's.
    /// </summary>
    public static uint ip_dst_mtu_maybe_forward(rtable rt, bool forwarding)
    {
        // not ported: dev_net_rcu, dst_dev_rcu, dst_rtable, dst_metric_raw, lwtunnel_headroom — the route's device and MTU fields are read directly; no metrics or lwtunnels
        var dev = rt.dev!;
        var net = dev.nd_net;
        uint mtu;
        if (netns_ipv4.of(net).sysctl_ip_fwd_use_pmtu || ip_mtu_locked(rt) || !forwarding)
        {
            mtu = rt.rt_pmtu;
            if (mtu != 0 && jiffies_h.time_before(net.k.jiffies, rt.expires))
            {
                goto @out;
            }
        }

        // not ported: a route's own MTU metric (`ip route ... mtu N`).
        mtu = dev.mtu;
        if (ip_mtu_locked(rt) && rt.rt_uses_gateway && mtu > 576)
        {
            mtu = 576;
        }

    @out:
        // not ported: lwtunnel headroom (no lightweight tunnels).
        return Math.Min(mtu, (uint)IP_MAX_MTU);
    }

    // include/net/ip.h: ip_skb_dst_mtu
    /// <summary>
    /// The MTU a packet is fragmented to on output: the route's
    /// (ip_dst_mtu_maybe_forward, forwarded packets by the forwarding rule)
    /// unless its full socket probes (IP_PMTUDISC_PROBE and above), which
    /// sizes by the device alone.
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint ip_skb_dst_mtu(sock? sk, sk_buff skb)
    {
        // not ported: lwtunnel_headroom — no lightweight tunnels
        // not ported: dst_dev — the route's device is the field dst.dev
        var dst = skbuff_h.skb_dst(skb)!;
        if (sk is null || !sock_h.sk_fullsock(sk) || ip_sk_use_pmtu(sk))
        {
            var forwarding = (IPCB(skb).flags & IPSKB_FORWARDED) != 0;
            return ip_dst_mtu_maybe_forward((rtable)dst, forwarding);
        }

        return Math.Min(dst.dev!.mtu, (uint)IP_MAX_MTU);
    }

    // include/net/ip.h: ip_mtu_locked
    /// <summary>The route's MTU may not shrink further: an ICMP frag-needed asked for less than ip_rt_min_pmtu, which the exception holds at that floor.</summary>
    public static bool ip_mtu_locked(dst_entry dst)
    {
        // not ported: dst_metric_locked — routes carry no metrics (`ip route ... mtu lock N` is not ported): only a learned exception locks
        // not ported: dst_rtable — the route is the same object, cast
        return dst is rtable rt && rt.rt_mtu_locked;
    }

    // include/net/ip.h: ip_dont_fragment
    /// <summary>DF with IP_PMTUDISC_DO, and with WANT unless the route's MTU is locked (then the path may fragment).</summary>
    public static bool ip_dont_fragment(sock sk, dst_entry dst)
    {
        var pmtudisc = ((inet_sock)sk.proto_data!).pmtudisc;
        return pmtudisc == 2 /* IP_PMTUDISC_DO */ || (pmtudisc == 1 /* IP_PMTUDISC_WANT */ && !ip_mtu_locked(dst));
    }

    // include/net/ip.h: ip_select_ident_segs
    /// <summary>
    /// The IP ID: a connected socket's own counter; a DF packet that may not
    /// be fragmented (not ignore_df) gets 0; any other the counter its flow
    /// hashes to (__ip_select_ident).
    /// </summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static void ip_select_ident_segs(net net, sk_buff skb, sock? sk, int segs)
    {
        // not ported: sk_is_tcp — the protocol and type test is written inline
        var iph = ip_hdr(skb);
        if (sk?.proto_data is inet_sock inet && inet.inet_daddr != 0)
        {
            if (sk.sk_protocol == Uapi.Linux.in_h.IPPROTO_TCP && sk.sk_type == 1 /* SOCK_STREAM: sk_is_tcp */)
            {
                // The socket lock serializes TCP's sends: the ID is the counter, then it advances.
                iph.id = (ushort)inet.inet_id;
                inet.inet_id += segs;
                return;
            }

            inet.inet_id += segs;
            iph.id = (ushort)inet.inet_id;
            return;
        }

        if ((iph.frag_off & Uapi.Linux.ip_h.IP_DF) != 0 && !skb.ignore_df)
        {
            iph.id = 0;
        }
        else
        {
            KernelNet.Kernel.Net.Ipv4.route_c.__ip_select_ident(net, iph, segs);
        }
    }

    // include/net/ip.h: ipv4_portaddr_hash
    /// <summary>The (address, port) hash of a listener or of a bind2 bucket: jhash of the address under the namespace's hash mix, xor the port.</summary>
    public static uint ipv4_portaddr_hash(net net, uint saddr, uint port) => Linux.jhash_h.jhash_1word(saddr, Netns.hash_h.net_hash_mix(net)) ^ port;
}
