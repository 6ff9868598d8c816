// Ports net/ipv4/af_inet.c: the AF_INET family — creating INET sockets,
// bind/connect/sendmsg/recvmsg for datagram sockets, and inet_init, which
// brings IPv4 up (ARP, IP, ICMP, UDP) at boot.
//
// not ported: SOCK_STREAM and SOCK_RAW (TCP and raw sockets come later),
// inet_ioctl, the proc entries, GSO/GRO offload registration.
using System.Threading.Tasks;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.sock_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class af_inet_c
{
    private static proto_ops inet_dgram_ops => new()
    {
        family = AF_INET,
        release = inet_release,
        bind = inet_bind,
        connect = inet_dgram_connect,
        sendmsg = inet_sendmsg,
        recvmsg = inet_recvmsg,
        shutdown = inet_shutdown,
        getname = inet_getname,
    };

    // net/ipv4/af_inet.c: inet_create
    /// <summary>socket(AF_INET, SOCK_DGRAM, 0|IPPROTO_UDP): a UDP sock behind the BSD socket.</summary>
    public static int inet_create(net net, socket sock, int protocol)
    {
        if (sock.type != SOCK_DGRAM)
        {
            return -errno_h.ESOCKTNOSUPPORT;
        }

        if (protocol != 0 && protocol != in_h.IPPROTO_UDP)
        {
            return -errno_h.EPROTONOSUPPORT;
        }

        sock.state = socket_state.SS_UNCONNECTED;
        sock.ops = inet_dgram_ops;
        var sk = sk_alloc(net, AF_INET, SOCK_DGRAM, in_h.IPPROTO_UDP);
        sock_init_data(sock, sk);
        return udp_c.udp_init_sock(sk);
    }

    // net/ipv4/af_inet.c: inet_release
    /// <summary>close(): the protocol's close (udp_lib_close).</summary>
    public static int inet_release(socket sock)
    {
        var sk = sock.sk;
        if (sk is not null)
        {
            sock.sk = null;
            Include.Net.udp_h.udp_lib_close(sk, 0);
        }

        return 0;
    }

    // net/ipv4/af_inet.c: __inet_bind
    /// <summary>Binds address and port: the address must be local (or any), the port free (EADDRINUSE).</summary>
    private static int __inet_bind(sock sk, byte[] uaddr, int addr_len)
    {
        var inet = (inet_sock)sk.proto_data!;
        var addr = new sockaddr_in(uaddr);
        var net = sk.sk_net;

        var chk_addr_ret = fib_frontend_c.inet_addr_type_table(net, addr.sin_addr, route_h.RT_TABLE_LOCAL);
        if (addr.sin_addr != in_h.INADDR_ANY && chk_addr_ret != rtn_type.RTN_LOCAL && chk_addr_ret != rtn_type.RTN_MULTICAST && chk_addr_ret != rtn_type.RTN_BROADCAST)
        {
            return -errno_h.EADDRNOTAVAIL;
        }

        var snum = addr.sin_port;
        if (inet.inet_num != 0)
        {
            return -errno_base_h.EINVAL;
        }

        inet.inet_rcv_saddr = inet.inet_saddr = addr.sin_addr;
        if (chk_addr_ret is rtn_type.RTN_MULTICAST or rtn_type.RTN_BROADCAST)
        {
            inet.inet_saddr = 0;
        }

        var err = udp_c.udp_v4_get_port(sk, snum);
        if (err != 0)
        {
            inet.inet_saddr = inet.inet_rcv_saddr = 0;
            return err;
        }

        inet.inet_sport = inet.inet_num;
        inet.inet_daddr = 0;
        inet.inet_dport = 0;
        sk.sk_dst_cache = null;
        return 0;
    }

    // net/ipv4/af_inet.c: inet_bind
    public static int inet_bind(socket sock, byte[] uaddr, int addr_len)
    {
        if (addr_len < in_h.SOCKADDR_IN_SIZE)
        {
            return -errno_base_h.EINVAL;
        }

        var addr = new sockaddr_in(uaddr);
        if (addr.sin_family != AF_INET && !(addr.sin_family == AF_UNSPEC && addr.sin_addr == in_h.INADDR_ANY))
        {
            return -errno_h.EAFNOSUPPORT;
        }

        return __inet_bind(sock.sk!, uaddr, addr_len);
    }

    // net/ipv4/af_inet.c: inet_autobind
    /// <summary>An unbound socket that sends gets an ephemeral port first.</summary>
    private static int inet_autobind(sock sk)
    {
        var inet = (inet_sock)sk.proto_data!;
        if (inet.inet_num == 0)
        {
            if (udp_c.udp_v4_get_port(sk, 0) != 0)
            {
                return -errno_base_h.EAGAIN;
            }

            inet.inet_sport = inet.inet_num;
        }

        return 0;
    }

    // net/ipv4/af_inet.c: inet_dgram_connect
    public static int inet_dgram_connect(socket sock, byte[] uaddr, int addr_len, int flags)
    {
        var sk = sock.sk!;
        if (addr_len < 2)
        {
            return -errno_base_h.EINVAL;
        }

        if (new sockaddr_in(uaddr).sin_family == AF_UNSPEC)
        {
            // Disconnect (udp_disconnect).
            var inet = (inet_sock)sk.proto_data!;
            inet.inet_daddr = 0;
            inet.inet_dport = 0;
            sk.sk_state = Include.Net.sock_h.TCP_CLOSE;
            sk.sk_dst_cache = null;
            return 0;
        }

        if (inet_autobind(sk) != 0)
        {
            return -errno_base_h.EAGAIN;
        }

        return datagram_c.ip4_datagram_connect(sk, uaddr, addr_len);
    }

    // net/ipv4/af_inet.c: inet_sendmsg
    /// <summary>sendmsg on an INET socket: autobind, then the protocol's sendmsg (udp_sendmsg).</summary>
    public static Task<int> inet_sendmsg(socket sock, msghdr msg, int size)
    {
        var sk = sock.sk!;
        if (inet_autobind(sk) != 0)
        {
            return Task.FromResult(-errno_base_h.EAGAIN);
        }

        return Task.FromResult(udp_c.udp_sendmsg(sk, msg, size));
    }

    // net/ipv4/af_inet.c: inet_recvmsg
    /// <summary>recvmsg on an INET socket: the protocol's recvmsg (udp_recvmsg), which may sleep.</summary>
    [KernelNet.Annotations.MightSleep]
    public static Task<int> inet_recvmsg(socket sock, msghdr msg, int size, int flags) => udp_c.udp_recvmsg(sock.sk!, msg, size, flags);

    // net/ipv4/af_inet.c: inet_shutdown
    public static int inet_shutdown(socket sock, int how)
    {
        var sk = sock.sk!;
        how++;
        if ((how & ~3) != 0 || how == 0)
        {
            return -errno_base_h.EINVAL;
        }

        sk.sk_shutdown |= (byte)how;
        if (sk.sk_state != Include.Net.sock_h.TCP_ESTABLISHED)
        {
            // A datagram socket that is not connected reports ENOTCONN but still shuts down.
            Core.sock_c.sk_error_report(sk);
            sk.sk_state_change?.Invoke(sk);
            Core.sock_c.sock_def_readable(sk);
            return -errno_h.ENOTCONN;
        }

        Core.sock_c.sock_def_readable(sk);
        return 0;
    }

    // net/ipv4/af_inet.c: inet_getname
    /// <summary>getsockname/getpeername.</summary>
    public static int inet_getname(socket sock, byte[] uaddr, bool peer)
    {
        var inet = (inet_sock)sock.sk!.proto_data!;
        var sin = new sockaddr_in(uaddr);
        sin.sin_family = AF_INET;
        if (peer)
        {
            if (inet.inet_dport == 0)
            {
                return -errno_h.ENOTCONN;
            }

            sin.sin_port = inet.inet_dport;
            sin.sin_addr = inet.inet_daddr;
        }
        else
        {
            sin.sin_port = inet.inet_sport;
            sin.sin_addr = inet.inet_rcv_saddr != 0 ? inet.inet_rcv_saddr : inet.inet_saddr;
        }

        return in_h.SOCKADDR_IN_SIZE;
    }

    // net/ipv4/af_inet.c: ipv4_mib_init_net
    /// <summary>A namespace's IPv4 MIBs, with TCP's constant rows set.</summary>
    private static int ipv4_mib_init_net(net net)
    {
        Include.Net.tcp_h.tcp_mib_init(net);
        return 0;
    }

    // net/ipv4/af_inet.c: inet_init
    /// <summary>
    /// Boot-time IPv4: register ICMP and UDP with inet_protos, set up ARP,
    /// and register ip_rcv for ETH_P_IP (ip_init, ip_packet_type).
    /// </summary>
    public static int inet_init(Vmlinux k)
    {
        Core.net_namespace_c.register_pernet_subsys(k, ipv4_mib_init_net);
        icmp_c.icmp_init(k);
        protocol_c.inet_add_protocol(k, new net_protocol { handler = udp_c.udp_rcv, err_handler = udp_c.udp_err }, (byte)in_h.IPPROTO_UDP);
        arp_c.arp_init(k);
        dev_add_pack(k, new packet_type(if_ether_h.ETH_P_IP, ip_input_c.ip_rcv));
        return 0;
    }
}
