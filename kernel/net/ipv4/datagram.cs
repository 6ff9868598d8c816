// Ports net/ipv4/datagram.c: connect() on a datagram socket.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Net.route_h;

namespace KernelNet.Kernel.Net.Ipv4;

public static class datagram_c
{
    // net/ipv4/datagram.c: __ip4_datagram_connect
    /// <summary>
    /// Fixes the peer: routes to it, takes the route's source address if
    /// unbound, records daddr/dport, state ESTABLISHED (so ICMP errors are
    /// reported to it), caches the route.
    /// </summary>
    private static int __ip4_datagram_connect(sock sk, byte[] uaddr, int addr_len)
    {
        // not ported: ip_rt_put — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: netif_index_is_l3_master — no VRF (l3mdev) devices in the simulation
        // not ported: reuseport_has_conns_set — no SO_REUSEPORT groups
        // not ported: sock_flag — field accessors: the port reads or sets these fields directly
        var inet = (inet_sock)sk.proto_data!;
        if (addr_len < in_h.SOCKADDR_IN_SIZE)
        {
            return -errno_base_h.EINVAL;
        }

        var usin = new sockaddr_in(uaddr);
        if (usin.sin_family != socket_h.AF_INET)
        {
            return -errno_h.EAFNOSUPPORT;
        }

        Include.Net.sock_h.sk_dst_reset(sk);

        // not ported: mc_index, mc_addr, uc_index — IP_MULTICAST_IF and IP_UNICAST_IF are not ported: the oif is
        //   the bound device's
        var fl4 = new flowi4();
        var rt = ip_route_connect(ref fl4, usin.sin_addr, inet.inet_saddr, inet.inet_bound_dev_if, (byte)sk.sk_protocol, inet.inet_sport, usin.sin_port, sk, out var err);
        if (rt is null)
        {
            if (err == -errno_h.ENETUNREACH)
            {
                Include.Net.ip_h.IP_INC_STATS(sk.sk_net, ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES);
            }

            return err;
        }

        if ((rt.rt_flags & RTCF_BROADCAST) != 0 && !sk.sock_flag_broadcast)
        {
            return -errno_base_h.EACCES;
        }

        if (inet.inet_saddr == 0)
        {
            inet.inet_saddr = fl4.saddr;
        }

        if (inet.inet_rcv_saddr == 0)
        {
            inet.inet_rcv_saddr = fl4.saddr;
        }

        inet.inet_daddr = fl4.daddr;
        inet.inet_dport = usin.sin_port;
        sk.sk_state = Include.Net.sock_h.TCP_ESTABLISHED;
        Include.Net.sock_h.sk_set_txhash(sk);

        // A connected socket's IP IDs count up from a random start (ip_select_ident_segs).
        inet.inet_id = (ushort)Drivers.Char.random_c.get_random_u32(sk.sk_net.k); // get_random_u16

        // not ported: sk_dst_set — the route is stored in the field sk_dst_cache (no dst refcounts)
        sk.sk_dst_cache = rt;
        return 0;
    }

    // not ported: lock_sock, release_sock — a departure: no socket ownership is taken, so a softirq arriving meanwhile is
    //   processed at once instead of waiting on the backlog (as in udp_sendmsg)
    // net/ipv4/datagram.c: ip4_datagram_connect
    public static int ip4_datagram_connect(sock sk, byte[] uaddr, int addr_len) => __ip4_datagram_connect(sk, uaddr, addr_len);
}
