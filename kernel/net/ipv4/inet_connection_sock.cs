// Ports net/ipv4/inet_connection_sock.c: the bound-address comparison and the
// ephemeral port range, which UDP's bind path shares with TCP.
//
// not ported: the rest — bind buckets, accept queues, request sockets and the
// connection timers belong to TCP, which the port does not have; the IPv6
// address comparison (no IPv6 sockets).
using KernelNet.Kernel.Include.Net;
using static KernelNet.Kernel.Include.Net.ip_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class inet_connection_sock_c
{
    // net/ipv4/inet_connection_sock.c: ipv4_rcv_saddr_equal
    /// <summary>Two IPv4 bound addresses clash when equal, or when a side whose wildcard counts is INADDR_ANY.</summary>
    private static bool ipv4_rcv_saddr_equal(uint sk1_rcv_saddr, uint sk2_rcv_saddr, bool sk2_ipv6only, bool match_sk1_wildcard, bool match_sk2_wildcard)
    {
        if (sk2_ipv6only)
        {
            return false;
        }

        if (sk1_rcv_saddr == sk2_rcv_saddr)
        {
            return true;
        }

        return (match_sk1_wildcard && sk1_rcv_saddr == 0) || (match_sk2_wildcard && sk2_rcv_saddr == 0);
    }

    // net/ipv4/inet_connection_sock.c: inet_rcv_saddr_equal
    /// <summary>Whether <paramref name="sk"/> and <paramref name="sk2"/> are bound to clashing addresses (no socket is IPv6-only: there are none).</summary>
    public static bool inet_rcv_saddr_equal(sock sk, sock sk2, bool match_wildcard) =>
        ipv4_rcv_saddr_equal(((inet_sock)sk.proto_data!).inet_rcv_saddr, ((inet_sock)sk2.proto_data!).inet_rcv_saddr, false, match_wildcard, match_wildcard);

    // net/ipv4/inet_connection_sock.c: inet_sk_get_local_port_range
    /// <summary>
    /// The ephemeral range for <paramref name="sk"/>: the namespace's
    /// ip_local_port_range. Returns whether a per-socket IP_LOCAL_PORT_RANGE
    /// narrowed it — never, as that option is not ported.
    /// </summary>
    public static bool inet_sk_get_local_port_range(sock sk, out int low, out int high)
    {
        inet_get_local_port_range(sk.sk_net, out low, out high);
        return false;
    }
}
