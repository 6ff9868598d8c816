// Ports net/ipv4/inet_connection_sock.c: the bound-address comparison and the
// ephemeral port range, which UDP's bind path shares with TCP; TCP's local
// port allocation (inet_csk_get_port on the bind buckets), the connection
// timers' set-up and teardown, and the destruction of a closed socket.
//
// not ported: accept queues and request sockets (no listen yet), SO_REUSEADDR
// and SO_REUSEPORT sharing of a bound port (a port with an owner is
// EADDRINUSE), bhash2, the IPv6 address comparison (no IPv6 sockets).
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Kernel.Time;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
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

    // net/ipv4/inet_connection_sock.c: inet_csk_find_open_port
    /// <summary>
    /// An ephemeral port nobody in this namespace has bound: a scan of the
    /// range from a random offset (the kernel's odd/even halves, bhash2 and
    /// reuse conflicts are not ported). 0 when the range is full.
    /// </summary>
    private static ushort inet_csk_find_open_port(sock sk, inet_hashinfo hinfo)
    {
        inet_sk_get_local_port_range(sk, out var low, out var high);
        var remaining = high - low + 1;
        var offset = (int)Drivers.Char.random_c.__get_random_u32_below(sk.sk_net.k, (uint)remaining);
        for (var i = 0; i < remaining; i++)
        {
            var port = (ushort)(low + ((offset + i) % remaining));
            if (!hinfo.bhash.ContainsKey((sk.sk_net, port)))
            {
                return port;
            }
        }

        return 0;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_get_port
    /// <summary>
    /// Gives <paramref name="sk"/> the local port <paramref name="snum"/> (0:
    /// an ephemeral one): a port some socket already owns is EADDRINUSE (the
    /// SO_REUSEADDR/SO_REUSEPORT conflict rules are not ported); otherwise the
    /// port's bind bucket is made and the socket joins it.
    /// </summary>
    public static int inet_csk_get_port(sock sk, ushort snum)
    {
        var hinfo = tcp_ipv4_c.tcp_hashinfo(sk.sk_net.k);
        var net = sk.sk_net;
        var port = snum;
        if (port == 0)
        {
            port = inet_csk_find_open_port(sk, hinfo);
            if (port == 0)
            {
                return -errno_h.EADDRINUSE;
            }
        }

        // spin_lock_bh(&head->lock): the bucket against concurrent binds.
        if (hinfo.bhash.TryGetValue((net, port), out var tb) && tb.owners.Count != 0)
        {
            return -errno_h.EADDRINUSE;
        }

        tb ??= inet_hashtables_c.inet_bind_bucket_create(hinfo, net, port);
        if (inet_csk(sk).icsk_bind_hash is null)
        {
            inet_hashtables_c.inet_bind_hash(sk, tb, port);
        }

        return 0;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_init_xmit_timers
    /// <summary>Sets up the retransmit and delayed-ACK timers (keepalive is not ported).</summary>
    public static void inet_csk_init_xmit_timers(sock sk, System.Action<timer_list> retransmit_handler, System.Action<timer_list> delack_handler)
    {
        var icsk = inet_csk(sk);
        icsk.icsk_retransmit_timer = new timer_list(retransmit_handler) { owner = sk };
        icsk.icsk_delack_timer = new timer_list(delack_handler) { owner = sk };
        icsk.icsk_pending = 0;
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_clear_xmit_timers
    /// <summary>Stops the retransmit and delayed-ACK timers.</summary>
    public static void inet_csk_clear_xmit_timers(sock sk)
    {
        var icsk = inet_csk(sk);
        icsk.icsk_pending = 0;
        if (icsk.icsk_retransmit_timer is { } r)
        {
            timer_c.timer_delete(r);
        }

        if (icsk.icsk_delack_timer is { } d)
        {
            timer_c.timer_delete(d);
        }
    }

    // net/ipv4/inet_connection_sock.c: inet_csk_destroy_sock
    /// <summary>
    /// The end of a closed, orphaned socket: the protocol's destroy
    /// (tcp_v4_destroy_sock: queues, timers, port), then the queues are
    /// killed and the last reference dropped (sk_free).
    /// </summary>
    public static void inet_csk_destroy_sock(sock sk)
    {
        // WARN_ON(sk->sk_state != TCP_CLOSE), WARN_ON(!sock_flag(sk, SOCK_DEAD)), WARN_ON(!sk_unhashed(sk))
        sk.sk_prot!.destroy!(sk);

        // sk_stream_kill_queues: what is left in the receive and error queues goes.
        Include.Linux.skbuff_h.__skb_queue_purge(sk.sk_receive_queue);
        Include.Linux.skbuff_h.__skb_queue_purge(sk.sk_error_queue);

        // xfrm_sk_free_policy, tcp_orphan_count_dec: no IPsec, no orphan accounting.
        Core.sock_c.sk_free(sk);
    }
}
