// Ports include/net/ip.h: the IPv4 control block (IPCB), ipcm_cookie, the
// counter macros and the small header helpers.
using System;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.ip_h;

namespace KernelNet.Kernel.Include.Net;

/// <summary>struct inet_skb_parm: IPv4's per-packet state in skb->cb.</summary>
public sealed class inet_skb_parm
{
    public int iif { get; set; }

    public ushort flags { get; set; }

    public ushort frag_max_size { get; set; }

    /// <summary>ICMP errors queued by the socket layer (sock_extended_err source).</summary>
    public int opt_len { get; set; }
}

/// <summary>struct ipcm_cookie: per-send IP options from the socket and cmsgs.</summary>
public sealed class ipcm_cookie
{
    public uint addr { get; set; }

    public int oif { get; set; }

    public int ttl { get; set; } = -1;

    public byte tos { get; set; }

    public uint mark { get; set; }
}

public static class ip_h
{
    public const ushort IPSKB_FORWARDED = 1;
    public const ushort IPSKB_XFRM_TUNNEL_SIZE = 2;
    public const ushort IPSKB_XFRM_TRANSFORMED = 4;
    public const ushort IPSKB_FRAG_COMPLETE = 8;
    public const ushort IPSKB_REROUTED = 16;

    // include/net/ip.h: IPCB
    /// <summary>The IPv4 control block of an skb, created on first use (memset to 0 in ip_rcv_core).</summary>
    public static inet_skb_parm IPCB(sk_buff skb)
    {
        if (skb.cb_obj is not inet_skb_parm p)
        {
            p = new inet_skb_parm();
            skb.cb_obj = p;
        }

        return p;
    }

    /// <summary>__IP_INC_STATS / IP_INC_STATS.</summary>
    public static void IP_INC_STATS(net net, ipstats_mib_field field) => netns_ipv4.of(net).mib.ip_statistics[(int)field]++;

    /// <summary>IP_ADD_STATS.</summary>
    public static void IP_ADD_STATS(net net, ipstats_mib_field field, long val) => netns_ipv4.of(net).mib.ip_statistics[(int)field] += val;

    /// <summary>IP_UPD_PO_STATS(net, IN|OUT, bytes): packets and octets together.</summary>
    public static void IP_UPD_PO_STATS(net net, ipstats_mib_field pkts, ipstats_mib_field octets, long bytes)
    {
        var mib = netns_ipv4.of(net).mib.ip_statistics;
        mib[(int)pkts]++;
        mib[(int)octets] += bytes;
    }

    /// <summary>NET_INC_STATS (LINUX_MIB_*).</summary>
    public static void NET_INC_STATS(net net, linux_mib_field field) => netns_ipv4.of(net).mib.net_statistics[(int)field]++;

    // include/net/ip.h: inet_get_local_port_range
    /// <summary>net.ipv4.ip_local_port_range: where ephemeral ports come from.</summary>
    public static void inet_get_local_port_range(net net, out int low, out int high) =>
        (low, high) = netns_ipv4.of(net).ip_local_ports;

    // include/net/ip.h: ip_is_fragment
    public static bool ip_is_fragment(iphdr iph) => (iph.frag_off & (Uapi.Linux.ip_h.IP_MF | Uapi.Linux.ip_h.IP_OFFSET)) != 0;

    // include/net/ip.h: ip_sk_ignore_df
    /// <summary>Below IP_PMTUDISC_DO (DONT, WANT), or with OMIT, the socket's packets may be fragmented locally.</summary>
    public static bool ip_sk_ignore_df(sock sk)
    {
        var pmtudisc = ((inet_sock)sk.proto_data!).pmtudisc;
        return pmtudisc < 2 /* IP_PMTUDISC_DO */ || pmtudisc == 5 /* IP_PMTUDISC_OMIT */;
    }

    // include/net/ip.h: ip_select_ident_segs
    /// <summary>
    /// The IP ID: a connected socket's own counter; a DF packet that may not
    /// be fragmented (not ignore_df) gets 0; any other the counter its flow
    /// hashes to (__ip_select_ident).
    /// </summary>
    public static void ip_select_ident_segs(net net, sk_buff skb, sock? sk, int segs)
    {
        var iph = ip_hdr(skb);
        if (sk?.proto_data is inet_sock inet && inet.inet_daddr != 0)
        {
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
}
