// Ports include/net/inet_sock.h: struct inet_sock, a socket's IPv4 identity,
// and the inline helpers socket lookups share.
namespace KernelNet.Kernel.Include.Net;

/// <summary>
/// struct ip_options: where a packet's IP options sit (offsets from the IP
/// header, 0 for absent) and what ip_options_compile found them to ask for.
/// <see cref="__data"/> holds the option bytes when the options are built
/// for sending (ipcm_cookie, the ICMP reply's echoed options); a received
/// packet's options stay in its header.
/// </summary>
public sealed class ip_options
{
    /// <summary>The first hop of a source route (the final destination while routing).</summary>
    public uint faddr { get; set; }

    public uint nexthop { get; set; }

    /// <summary>Bytes of options (the header length past 20).</summary>
    public int optlen { get; set; }

    public int srr { get; set; }

    public int rr { get; set; }

    public int ts { get; set; }

    public bool is_strictroute { get; set; }

    public bool srr_is_hit { get; set; }

    public bool is_changed { get; set; }

    public bool rr_needaddr { get; set; }

    public bool ts_needtime { get; set; }

    public bool ts_needaddr { get; set; }

    public int router_alert { get; set; }

    public int cipso { get; set; }

    /// <summary>The option bytes (40 at most) of options built for sending.</summary>
    public byte[] __data { get; private set; } = new byte[40];

    /// <summary>A copy (the memcpy of struct ip_options that copying skb->cb makes).</summary>
    [KernelNet.Annotations.NotInLinux("C# copy: C copies ip_options with memcpy")]
    public ip_options Clone()
    {
        var c = (ip_options)MemberwiseClone();
        c.__data = (byte[])__data.Clone();
        return c;
    }
}

/// <summary>struct inet_sock (the IPv4 part of every INET socket; protocol parts extend it).</summary>
public class inet_sock
{
    public inet_sock(sock sk)
    {
        this.sk = sk;
    }

    public sock sk { get; }

    /// <summary>Bound local address (inet_rcv_saddr).</summary>
    public uint inet_rcv_saddr { get; set; }

    /// <summary>Source address used for sending.</summary>
    public uint inet_saddr { get; set; }

    /// <summary>Connected peer address.</summary>
    public uint inet_daddr { get; set; }

    /// <summary>Local port number (inet_num, host order).</summary>
    public ushort inet_num { get; set; }

    /// <summary>Source port (inet_sport, host order here).</summary>
    public ushort inet_sport { get; set; }

    /// <summary>Destination port of a connected socket.</summary>
    public ushort inet_dport { get; set; }

    /// <summary>The per-socket IP ID counter.</summary>
    public int inet_id { get; set; }

    public int uc_ttl { get; set; } = -1;

    public byte tos { get; set; }

    /// <summary>IP_PMTUDISC_*: WANT by default (DF set on packets that fit).</summary>
    public byte pmtudisc { get; set; } = 1;

    /// <summary>IP_RECVERR.</summary>
    public bool recverr { get; set; }

    /// <summary>INET_FLAGS_PKTINFO (IP_PKTINFO): inet_cmsg_flags has IP_CMSG_PKTINFO, so recvmsg adds an in_pktinfo.</summary>
    public bool pktinfo { get; set; }

    /// <summary>FREEBIND (IP_FREEBIND): bind may name an address not (yet) configured here.</summary>
    public bool freebind { get; set; }

    /// <summary>HDRINCL (an inet_flags bit): the user writes the IP header (IP_HDRINCL; set for IPPROTO_RAW sockets).</summary>
    public bool hdrincl { get; set; }

    /// <summary>DEFER_CONNECT (an inet_flags bit): TCP_FASTOPEN_CONNECT put the SYN off until the first write.</summary>
    public bool defer_connect { get; set; }

    public int inet_bound_dev_if { get; set; }

    /// <summary>inet->cork: the options and route of the data queued by ip_append_data (a copy of the call's cookie, as ip_setup_cork copies it).</summary>
    public ipcm_cookie cork_ipc;

    public rtable? cork_rt { get; set; }

    /// <summary>
    /// inet->cork.fl.u.ip4: the flow of a connected TCP socket (tcp_v4_connect
    /// routes it, ip_queue_xmit sends on it). Embedded by value, as in C: a
    /// field, so callers take <c>ref inet.cork_fl</c>, never a copy.
    /// </summary>
    public flowi4 cork_fl = new();
}

public static class inet_sock_h
{
    // include/net/inet_sock.h: inet_sk
    /// <summary>The inet_sock a sock is the first member of (container_of).</summary>
    public static inet_sock inet_sk(sock sk) => (inet_sock)sk.proto_data!;

    // include/net/inet_sock.h: inet_bound_dev_eq
    /// <summary>
    /// Does a socket bound to <paramref name="bound_dev_if"/> (0: none) take a
    /// packet that came in on <paramref name="dif"/> (its L3 master
    /// <paramref name="sdif"/>, 0 without VRF)?
    /// </summary>
    public static bool inet_bound_dev_eq(bool l3mdev_accept, int bound_dev_if, int dif, int sdif)
    {
        if (bound_dev_if == 0)
        {
            return sdif == 0 || l3mdev_accept;
        }

        return bound_dev_if == dif || bound_dev_if == sdif;
    }

    // include/net/inet_sock.h: __inet_ehashfn
    /// <summary>jhash of a 4-tuple (both ports in one word) under <paramref name="initval"/>: the established table's hash.</summary>
    public static uint __inet_ehashfn(uint laddr, ushort lport, uint faddr, ushort fport, uint initval) =>
        Linux.jhash_h.jhash_3words(laddr, faddr, (uint)lport << 16 | fport, initval);

    // not ported: inet_can_nonlocal_bind — no IP_TRANSPARENT or ip_nonlocal_bind: only freebind is tested
    // include/net/inet_sock.h: inet_addr_valid_or_nonlocal
    /// <summary>
    /// May a socket bind <paramref name="addr"/>: any, or local, multicast or
    /// broadcast here, or any address for a socket with IP_FREEBIND
    /// (inet_can_nonlocal_bind; ip_nonlocal_bind and IP_TRANSPARENT are not ported).
    /// </summary>
    public static bool inet_addr_valid_or_nonlocal(net net, inet_sock inet, uint addr, rtn_type addr_type) =>
        inet.freebind ||
        addr == Uapi.Linux.in_h.INADDR_ANY ||
        addr_type == rtn_type.RTN_LOCAL ||
        addr_type == rtn_type.RTN_MULTICAST ||
        addr_type == rtn_type.RTN_BROADCAST;
}
