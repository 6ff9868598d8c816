// Ports net/ipv4/af_inet.c: the AF_INET family — the inetsw table of
// (type, protocol) pairs and inet_create, which makes sockets from it,
// bind/connect/sendmsg/recvmsg for datagram and raw sockets, the stream
// connect (inet_stream_connect: TCP's blocking connect), listen
// (inet_listen) and accept (inet_accept), the state stores that trace
// inet_sock_set_state (inet_sk_state_store, inet_sk_set_state), and inet_init, which brings IPv4 up (ARP,
// IP, ICMP, UDP, TCP, raw) at boot.
//
// not ported: inet_stream_ops' poll, sendmsg and recvmsg
// (TCP moves no data yet: they are the datagram ones, which TCP's proto
// does not implement), inet_sk_rebuild_header, and the SOCK_DGRAM/IPPROTO_ICMP
// ping sockets of inetsw_array (ping.c is a kernel-side stand-in so far),
// inet_unregister_protosw, inet_ioctl's route/ARP/interface requests (only the
// protocol's own ioctls pass), the proc entries, the offload registration
// (inet_gso_segment and inet_gro_receive/inet_gro_complete are called
// directly, and call TCP's and UDP's callbacks directly), ipip GRO (no
// tunnels); request_module (no modules to load) and CAP_NET_RAW (programs
// run as root) in inet_create.
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.ip_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Net.Core.sock_c;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>af_inet.c's globals: inetsw[SOCK_MAX], the registered inet_protosw of each socket type.</summary>
public sealed class af_inet_globals
{
    /// <summary>SOCK_MAX: SOCK_PACKET + 1.</summary>
    public const int SOCK_MAX = 11;

    public List<inet_protosw>[] inetsw { get; } = new List<inet_protosw>[SOCK_MAX];
}

public static class af_inet_c
{
    // net/ipv4/af_inet.c: inet_sock_destruct
    /// <summary>
    /// The last reference to an INET sock went (sk_destruct): what was never
    /// read is purged (QUEUE_PURGE), the forward allocation goes back
    /// (sk_mem_reclaim_final), the cached route is let go.
    /// </summary>
    public static void inet_sock_destruct(sock sk)
    {
        // not ported: kfree — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: dst_release — route references are counted (dst.__rcuref, bookkeeping only: the garbage collector frees routes), but this take or put is not made here, so the count need not balance
        // not ported: psp_sk_assoc_free — no IPsec (xfrm) or PSP
        // not ported: sock_flag — field accessors: the port reads or sets these fields directly
        __skb_queue_purge(sk.sk_receive_queue);
        __skb_queue_purge(sk.sk_error_queue);

        // sk_mem_reclaim_final
        sk.sk_forward_alloc = 0;

        // The kernel only complains (pr_err) about a live or unclosed socket here.
        sk.sk_dst_cache = null;
    }

    /// <summary>inet_dgram_ops: the BSD-side operations of SOCK_DGRAM INET sockets.</summary>
    private static proto_ops inet_dgram_ops { get; } = new()
    {
        family = AF_INET,
        release = inet_release,
        bind = inet_bind,
        connect = (s, a, l, f) => new ValueTask<int>(inet_dgram_connect(s, a, l, f)),
        getname = inet_getname,
        shutdown = inet_shutdown,
        setsockopt = sock_common_setsockopt,
        setsockopt_buf = sock_common_setsockopt,
        getsockopt = sock_common_getsockopt,
        sendmsg = inet_sendmsg,
        recvmsg = inet_recvmsg,
        ioctl = inet_ioctl,
        poll = udp_c.udp_poll,
    };

    /// <summary>inet_stream_ops: the BSD-side operations of SOCK_STREAM INET sockets (TCP).</summary>
    private static proto_ops inet_stream_ops { get; } = new()
    {
        family = AF_INET,
        release = inet_release,
        bind = inet_bind,
        connect = inet_stream_connect,
        listen = inet_listen,
        accept = inet_accept,
        getname = inet_getname,
        shutdown = inet_shutdown,
        setsockopt = sock_common_setsockopt,
        setsockopt_buf = sock_common_setsockopt,
        getsockopt = sock_common_getsockopt,
        sendmsg = inet_sendmsg,
        recvmsg = inet_recvmsg,
        ioctl = inet_ioctl,
        poll = tcp_c.tcp_poll,
        splice_read = tcp_c.tcp_splice_read,
    };

    /// <summary>inet_family_ops: how socket(AF_INET, ...) reaches inet_create (sock_register).</summary>
    private static net_proto_family inet_family_ops { get; } = new()
    {
        family = AF_INET,
        create = inet_create,
    };

    // net/ipv4/af_inet.c: inet_ioctl
    /// <summary>
    /// The family's ioctls: the route, ARP and interface requests are not
    /// modelled (-ENOIOCTLCMD, as for any request nobody knows); the rest go
    /// to the protocol (sk_ioctl: tcp_ioctl's SIOCINQ/SIOCOUTQ) when it has an
    /// ioctl entry.
    /// </summary>
    public static int inet_ioctl(socket sock, uint cmd, byte[]? arg)
    {
        // not ported: arp_ioctl, devinet_ioctl, get_user_ifreq, ip_rt_ioctl, put_user_ifreq — no ioctl interface
        var sk = sock.sk!;
        int err;
        if (sk.sk_prot?.ioctl is not null)
        {
            err = sk_ioctl(sk, cmd, arg);
        }
        else
        {
            err = -socket_c.ENOIOCTLCMD;
        }

        return err;
    }

    // net/ipv4/af_inet.c: inet_create
    /// <summary>
    /// socket(AF_INET, type, protocol): finds the pair in inetsw (protocol 0
    /// takes the type's first entry; a wildcard entry — raw's IPPROTO_IP —
    /// takes any protocol but 0), allocates the sock with its proto,
    /// initializes it (sock_init_data); a raw socket's protocol becomes its
    /// "port" (inet_num) and it is hashed at once; then the proto's init.
    /// ESOCKTNOSUPPORT for a type with no entries, EPROTONOSUPPORT for no match.
    /// </summary>
    public static int inet_create(net net, socket sock, int protocol, bool kern = false)
    {
        // not ported: inet_assign_bit, inet_clear_bit, inet_set_bit — field accessors: the port reads or sets these fields directly
        // not ported: inet_init_csk_locks — one thread: no locks, RCU grace periods, BH or preemption to guard against
        if (protocol < 0 || protocol >= in_h.IPPROTO_MAX)
        {
            return -errno_base_h.EINVAL;
        }

        sock.state = socket_state.SS_UNCONNECTED;

        var err = -errno_h.ESOCKTNOSUPPORT;
        inet_protosw? answer = null;

        // rcu_read_lock(): inetsw is only written at boot here.
        foreach (var candidate in net.k.globals<af_inet_globals>().inetsw[sock.type])
        {
            answer = candidate;
            err = 0;

            // Check the non-wild match.
            if (protocol == candidate.protocol)
            {
                if (protocol != in_h.IPPROTO_IP)
                {
                    break;
                }
            }
            else
            {
                // a wildcard entry (IPPROTO_IP) matches any protocol but 0
                if (in_h.IPPROTO_IP == protocol)
                {
                    protocol = candidate.protocol;
                    break;
                }

                if (in_h.IPPROTO_IP == candidate.protocol)
                {
                    break;
                }
            }

            err = -errno_h.EPROTONOSUPPORT;
        }

        if (err != 0)
        {
            // request_module("net-pf-%d-proto-%d-type-%d"): there are no modules to load.
            return err;
        }

        // SOCK_RAW needs CAP_NET_RAW unless kern: simulated programs run as root.
        sock.ops = answer!.ops;
        var answer_prot = answer.prot;
        var answer_flags = answer.flags;

        var sk = sk_alloc(net, AF_INET, answer_prot, sock.type, protocol);
        if ((protocol_h.INET_PROTOSW_REUSE & answer_flags) != 0)
        {
            // SK_CAN_REUSE
            sk.sk_reuse = true;
        }

        // The udp_sock is made by udp_init_sock below (a departure): raw's comes with the sock.
        var inet = sk.proto_data as inet_sock;
        if (sock.type == SOCK_RAW)
        {
            inet!.inet_num = (ushort)protocol;
            if (in_h.IPPROTO_RAW == protocol)
            {
                inet.hdrincl = true;
            }
        }

        // pmtudisc: net.ipv4.ip_no_pmtu_disc is not ported, so IP_PMTUDISC_WANT (the inet_sock default).
        sock_init_data(sock, sk);
        sk.sk_destruct = inet_sock_destruct;

        // net.core.txrehash: its default, 1 (the net.core sysctls are not ported)
        sk.sk_txrehash = SOCK_TXREHASH_ENABLED;

        if (inet is { inet_num: not 0 })
        {
            inet.inet_sport = inet.inet_num;

            // Add to protocol hash chains.
            err = sk.sk_prot!.hash!(sk);
            if (err != 0)
            {
                goto out_sk_release;
            }
        }

        if (sk.sk_prot!.init is { } init)
        {
            err = init(sk);
            if (err != 0)
            {
                goto out_sk_release;
            }
        }

        ((inet_sock)sk.proto_data!).uc_ttl = -1;
        return err;

    out_sk_release:
        sk_common_release(sk);
        sock.sk = null;
        return err;
    }

    // net/ipv4/af_inet.c: inet_release
    /// <summary>
    /// close(): the protocol's close (tcp_close, udp_lib_close), given
    /// SO_LINGER's time when the flag is set — tcp_close may sleep that long
    /// for the FIN's ACK; then the BSD socket lets go of the sock. Process
    /// context.
    /// not ported: BPF_CGROUP_RUN_PROG_INET_SOCK_RELEASE (no cgroup BPF),
    /// ip_mc_drop_socket (no multicast memberships).
    /// </summary>
    [KernelNet.Annotations.MightSleep]
    public static async Task<int> inet_release(socket sock)
    {
        // not ported: ip_mc_drop_socket — no multicast memberships
        var sk = sock.sk;
        if (sk is not null)
        {
            // a task closing its descriptors on exit (PF_EXITING) never lingers
            long timeout = 0;
            if (Include.Net.sock_h.sock_flag(sk, sock_flags.SOCK_LINGER) && (sk.sk_net.k.current.flags & Include.Linux.sched_h.PF_EXITING) == 0)
            {
                timeout = sk.sk_lingertime;
            }

            await sk.sk_prot!.close!(sk, timeout);
            sock.sk = null;
        }

        return 0;
    }

    // net/ipv4/af_inet.c: inet_bind_sk
    /// <summary>A protocol with its own bind (raw_bind) does it all; the others go through __inet_bind.</summary>
    public static int inet_bind_sk(sock sk, byte[] uaddr, int addr_len)
    {
        if (sk.sk_prot!.bind is { } bind)
        {
            return bind(sk, uaddr, addr_len);
        }

        if (addr_len < in_h.SOCKADDR_IN_SIZE)
        {
            return -errno_base_h.EINVAL;
        }

        // BPF_CGROUP_RUN_PROG_INET_BIND_LOCK: no cgroup BPF.
        return __inet_bind(sk, uaddr, addr_len);
    }

    // net/ipv4/af_inet.c: inet_bind
    public static int inet_bind(socket sock, byte[] uaddr, int addr_len) => inet_bind_sk(sock.sk!, uaddr, addr_len);

    // net/ipv4/af_inet.c: __inet_bind
    /// <summary>
    /// Binds address and port: the address must be local (or any, broadcast,
    /// multicast), the socket unbound, the port free (udp_v4_get_port:
    /// EADDRINUSE; port 0 picks an ephemeral one). A bound address or port is
    /// locked against disconnect (SOCK_BINDADDR_LOCK/SOCK_BINDPORT_LOCK).
    /// </summary>
    private static int __inet_bind(sock sk, byte[] uaddr, int addr_len)
    {
        // not ported: inet_port_requires_bind_service — programs run as root (see the header), so the CAP_NET_BIND_SERVICE check always passes
        // not ported: l3mdev_fib_table_by_index — no VRF (l3mdev) devices in the simulation
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        var addr = new sockaddr_in(uaddr);
        var inet = (inet_sock)sk.proto_data!;
        var net = sk.sk_net;
        int err;

        if (addr.sin_family != AF_INET)
        {
            err = -errno_h.EAFNOSUPPORT;
            if (addr.sin_family != AF_UNSPEC || addr.sin_addr != in_h.INADDR_ANY)
            {
                goto @out;
            }
        }

        var chk_addr_ret = fib_frontend_c.inet_addr_type_table(net, addr.sin_addr, route_h.RT_TABLE_LOCAL);

        // inet_addr_valid_or_nonlocal (IP_FREEBIND; ip_nonlocal_bind and IP_TRANSPARENT are not ported).
        err = -errno_h.EADDRNOTAVAIL;
        if (!inet.freebind && addr.sin_addr != in_h.INADDR_ANY && chk_addr_ret != rtn_type.RTN_LOCAL && chk_addr_ret != rtn_type.RTN_MULTICAST && chk_addr_ret != rtn_type.RTN_BROADCAST)
        {
            goto @out;
        }

        var snum = addr.sin_port;

        // Ports below 1024 need CAP_NET_BIND_SERVICE: simulated programs run as root.
        err = -errno_base_h.EINVAL;
        if (sk.sk_state != TCP_CLOSE || inet.inet_num != 0)
        {
            goto @out;
        }

        inet.inet_rcv_saddr = inet.inet_saddr = addr.sin_addr;
        if (chk_addr_ret is rtn_type.RTN_MULTICAST or rtn_type.RTN_BROADCAST)
        {
            inet.inet_saddr = 0; // Use device
        }

        err = sk.sk_prot!.get_port!(sk, snum);
        if (err != 0)
        {
            inet.inet_saddr = inet.inet_rcv_saddr = 0;
            goto @out;
        }

        if (inet.inet_rcv_saddr != 0)
        {
            sk.sk_userlocks |= SOCK_BINDADDR_LOCK;
        }

        if (snum != 0)
        {
            sk.sk_userlocks |= SOCK_BINDPORT_LOCK;
        }

        inet.inet_sport = inet.inet_num;
        inet.inet_daddr = 0;
        inet.inet_dport = 0;
        sk_dst_reset(sk);
        err = 0;
    @out:
        return err;
    }

    // net/ipv4/af_inet.c: inet_dgram_connect
    /// <summary>connect() on a datagram socket: AF_UNSPEC disconnects; otherwise autobind, then the protocol's connect.</summary>
    public static int inet_dgram_connect(socket sock, byte[] uaddr, int addr_len, int flags)
    {
        var sk = sock.sk!;
        if (addr_len < 2)
        {
            return -errno_base_h.EINVAL;
        }

        if (new sockaddr_in(uaddr).sin_family == AF_UNSPEC)
        {
            return sk.sk_prot!.disconnect!(sk, flags);
        }

        // udp_pre_connect: the BPF hook's length check.
        if (addr_len < in_h.SOCKADDR_IN_SIZE)
        {
            return -errno_base_h.EINVAL;
        }

        if (inet_autobind(sk) != 0)
        {
            return -errno_base_h.EAGAIN;
        }

        return sk.sk_prot!.connect!(sk, uaddr, addr_len);
    }

    // net/ipv4/af_inet.c: inet_wait_for_connect
    /// <summary>
    /// Sleeps on the socket's wait queue while it is in SYN_SENT or SYN_RECV,
    /// until woken (tcp_done's sk_state_change), a signal, or the timeout;
    /// returns the time left. departure: prepare_to_wait/finish_wait stand in
    /// for wait_woken/woken_wake_function (one task, no lost wakeups).
    /// </summary>
    [KernelNet.Annotations.MightSleep]
    private static async Task<long> inet_wait_for_connect(sock sk, long timeo, int writebias)
    {
        // not ported: DEFINE_WAIT_FUNC, add_wait_queue, remove_wait_queue, wait_woken — a waiting task is an awaited Task in the port, not a wait-queue entry
        var k = sk.sk_net.k;
        var wait = new wait_queue_entry(k.current, Kernel.Sched.wait_c.autoremove_wake_function);

        while (((1 << sk.sk_state) & (tcp_states_h.TCPF_SYN_SENT | tcp_states_h.TCPF_SYN_RECV)) != 0)
        {
            Kernel.Sched.wait_c.prepare_to_wait(k, sk_sleep(sk), wait, sched_h.TASK_INTERRUPTIBLE);

            // What arrived while we held the socket (the backlog) is processed now and may end the wait.
            release_sock(sk);
            if (((1 << sk.sk_state) & (tcp_states_h.TCPF_SYN_SENT | tcp_states_h.TCPF_SYN_RECV)) != 0)
            {
                timeo = await Kernel.Time.sleep_timeout_c.schedule_timeout(k, timeo);
            }
            else
            {
                // wait_woken returns at once: the wakeup (WQ_FLAG_WOKEN) came during release_sock.
                sched_h.__set_current_state(k, sched_h.TASK_RUNNING);
            }

            lock_sock(sk);
            if (sched_h.signal_pending(k.current) || timeo == 0)
            {
                break;
            }
        }

        Kernel.Sched.wait_c.finish_wait(k, sk_sleep(sk), wait);
        return timeo;
    }

    // net/ipv4/af_inet.c: __inet_stream_connect
    /// <summary>
    /// connect() on a stream socket: the protocol's connect (tcp_v4_connect)
    /// sends the SYN; a blocking caller then sleeps until the handshake ends.
    /// A socket that ended in CLOSE reports its error (sk_err: ECONNREFUSED
    /// after a RST) and is disconnected for reuse.
    /// </summary>
    [KernelNet.Annotations.MightSleep]
    public static async ValueTask<int> __inet_stream_connect(socket sock, byte[]? uaddr, int addr_len, int flags, int is_sendmsg)
    {
        var sk = sock.sk!;
        int err;
        long timeo;

        if (uaddr is not null)
        {
            if (addr_len < 2)
            {
                return -errno_base_h.EINVAL;
            }

            if (new sockaddr_in(uaddr).sin_family == AF_UNSPEC)
            {
                err = sk.sk_prot!.disconnect!(sk, flags);
                sock.state = err != 0 ? socket_state.SS_DISCONNECTING : socket_state.SS_UNCONNECTED;
                goto @out;
            }
        }

        switch (sock.state)
        {
            default:
                err = -errno_base_h.EINVAL;
                goto @out;
            case socket_state.SS_CONNECTED:
                err = -errno_h.EISCONN;
                goto @out;
            case socket_state.SS_CONNECTING:
                if (Include.Net.inet_sock_h.inet_sk(sk).defer_connect)
                {
                    err = is_sendmsg != 0 ? -errno_h.EINPROGRESS : -errno_h.EISCONN;
                }
                else
                {
                    err = -errno_h.EALREADY;
                }

                break;
            case socket_state.SS_UNCONNECTED:
                err = -errno_h.EISCONN;
                if (sk.sk_state != TCP_CLOSE)
                {
                    goto @out;
                }

                // BPF_CGROUP_PRE_CONNECT: no cgroup BPF.
                err = sk.sk_prot!.connect!(sk, uaddr!, addr_len);
                if (err < 0)
                {
                    goto @out;
                }

                sock.state = socket_state.SS_CONNECTING;

                // TCP_FASTOPEN_CONNECT with a cookie: the SYN waits for the first write
                if (err == 0 && Include.Net.inet_sock_h.inet_sk(sk).defer_connect)
                {
                    goto @out;
                }

                // Just entered SS_CONNECTING: EINPROGRESS for a non-blocking caller, rather than EALREADY.
                err = -errno_h.EINPROGRESS;
                break;
        }

        timeo = sock_sndtimeo(sk, (flags & 0x800 /* O_NONBLOCK */) != 0);

        if (((1 << sk.sk_state) & (tcp_states_h.TCPF_SYN_SENT | tcp_states_h.TCPF_SYN_RECV)) != 0)
        {
            var writebias = sk.sk_protocol == in_h.IPPROTO_TCP && Include.Linux.tcp_h.tcp_sk(sk).fastopen_req is { data: not null } ? 1 : 0;

            // Error code is set above
            if (timeo == 0 || await inet_wait_for_connect(sk, timeo, writebias) == 0)
            {
                goto @out;
            }

            err = sock_intr_errno(timeo);
            if (sched_h.signal_pending(sk.sk_net.k.current))
            {
                goto @out;
            }
        }

        if (sk.sk_state == TCP_CLOSE)
        {
            goto sock_error;
        }

        sock.state = socket_state.SS_CONNECTED;
        err = 0;
    @out:
        return err;

    sock_error:
        err = sock_error(sk);
        if (err == 0)
        {
            err = -errno_h.ECONNABORTED;
        }

        sock.state = socket_state.SS_UNCONNECTED;
        if (sk.sk_prot!.disconnect!(sk, flags) != 0)
        {
            sock.state = socket_state.SS_DISCONNECTING;
        }

        goto @out;
    }

    // net/ipv4/af_inet.c: inet_stream_connect
    [KernelNet.Annotations.MightSleep]
    public static async ValueTask<int> inet_stream_connect(socket sock, byte[] uaddr, int addr_len, int flags)
    {
        var sk = sock.sk!;
        lock_sock(sk);
        var err = await __inet_stream_connect(sock, uaddr, addr_len, flags, 0);
        release_sock(sk);
        return err;
    }

    // net/ipv4/af_inet.c: inet_autobind
    /// <summary>An unbound socket that sends or connects gets an ephemeral port first.</summary>
    private static int inet_autobind(sock sk)
    {
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        var inet = (inet_sock)sk.proto_data!;

        // lock_sock(sk): we may have raced with bind().
        if (inet.inet_num == 0)
        {
            if (sk.sk_prot!.get_port!(sk, 0) != 0)
            {
                return -errno_base_h.EAGAIN;
            }

            inet.inet_sport = inet.inet_num;
        }

        return 0;
    }

    // net/ipv4/af_inet.c: inet_send_prepare
    /// <summary>Records the flow's CPU for RFS, then autobinds before the first send.</summary>
    private static int inet_send_prepare(sock sk)
    {
        rps_h.sock_rps_record_flow(sk);
        return inet_autobind(sk) != 0 ? -errno_base_h.EAGAIN : 0;
    }

    // net/ipv4/af_inet.c: inet_sendmsg
    /// <summary>sendmsg on an INET socket: autobind, then the protocol's sendmsg (udp_sendmsg).</summary>
    [KernelNet.Annotations.MightSleep]
    public static ValueTask<int> inet_sendmsg(socket sock, msghdr msg, int size)
    {
        var sk = sock.sk!;
        if (inet_send_prepare(sk) != 0)
        {
            return new ValueTask<int>(-errno_base_h.EAGAIN);
        }

        return sk.sk_prot!.sendmsg!(sk, msg, size);
    }

    // net/ipv4/af_inet.c: inet_recvmsg
    /// <summary>recvmsg on an INET socket: the protocol's recvmsg (udp_recvmsg), which may sleep.</summary>
    [KernelNet.Annotations.MightSleep]
    public static ValueTask<int> inet_recvmsg(socket sock, msghdr msg, int size, int flags)
    {
        var sk = sock.sk!;

        // RFS: the reader runs here, so should the flow's receive processing
        if ((flags & MSG_ERRQUEUE) == 0)
        {
            rps_h.sock_rps_record_flow(sk);
        }

        return sk.sk_prot!.recvmsg!(sk, msg, size, flags);
    }

    // net/ipv4/af_inet.c: inet_recv_error
    /// <summary>recvmsg(MSG_ERRQUEUE) on an INET socket: ip_recv_error for AF_INET; -EINVAL otherwise (no IPv6 in the port).</summary>
    public static int inet_recv_error(sock sk, msghdr msg, int len)
    {
        var family = sk.sk_family;

        if (family == AF_INET)
        {
            return ip_sockglue_c.ip_recv_error(sk, msg, len);
        }

        // not ported: pingv6_ops.ipv6_recv_error — the port has no IPv6
        return -errno_base_h.EINVAL;
    }

    // net/ipv4/af_inet.c: inet_shutdown
    /// <summary>shutdown(): SHUT_RD wakes a blocked reader (it returns 0); an unconnected datagram socket reports ENOTCONN but is shut down all the same.</summary>
    public static int inet_shutdown(socket sock, int how)
    {
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        var sk = sock.sk!;
        var err = 0;

        how++; // maps 0->1, 1->2, 2->3
        if ((how & ~SHUTDOWN_MASK) != 0 || how == 0)
        {
            return -errno_base_h.EINVAL;
        }

        // lock_sock(sk)
        if (sk.sk_state == TCP_CLOSE)
        {
            sock.state = sock.state == socket_state.SS_CONNECTING ? socket_state.SS_DISCONNECTING : socket_state.SS_CONNECTED;
        }

        switch (sk.sk_state)
        {
            case TCP_CLOSE:
                err = -errno_h.ENOTCONN;

                sk.sk_shutdown |= (byte)how;
                sk.sk_prot?.shutdown?.Invoke(sk, how);
                break;
            default:
                sk.sk_shutdown |= (byte)how;
                sk.sk_prot?.shutdown?.Invoke(sk, how);
                break;
        }

        sk.sk_state_change?.Invoke(sk);
        return err;
    }

    // net/ipv4/af_inet.c: inet_getname
    /// <summary>getsockname/getpeername.</summary>
    public static int inet_getname(socket sock, byte[] uaddr, bool peer)
    {
        // not ported: DECLARE_SOCKADDR — no user memory: messages and addresses are C# objects, nothing to copy or check from user space
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
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

    // net/ipv4/af_inet.c: __inet_listen_sk
    /// <summary>listen() under the socket lock: a CLOSE socket starts listening; a listener only takes the new backlog.</summary>
    public static int __inet_listen_sk(sock sk, int backlog)
    {
        // not ported: tcp_call_bpf — no BPF programs
        var old_state = sk.sk_state;
        int err;

        // sk_max_ack_backlog: the caller capped it at somaxconn.
        sk.sk_max_ack_backlog = (uint)backlog;

        if (old_state != tcp_states_h.TCP_LISTEN)
        {
            // Passive Fast Open without TCP_FASTOPEN (TFO_SERVER_WO_SOCKOPT1); a queue length set
            // before (a listener shut down, not closed) stands.
            var tcp_fastopen = Include.Net.Netns.netns_ipv4.of(sk.sk_net).sysctl_tcp_fastopen;
            if ((tcp_fastopen & Include.Net.tcp_h.TFO_SERVER_WO_SOCKOPT1) != 0 &&
                (tcp_fastopen & Include.Net.tcp_h.TFO_SERVER_ENABLE) != 0 &&
                (Include.Net.inet_connection_sock_h.inet_csk(sk).icsk_accept_queue?.fastopenq.max_qlen ?? 0) == 0)
            {
                Include.Linux.tcp_h.fastopen_queue_tune(sk, backlog);
                tcp_fastopen_c.tcp_fastopen_init_key_once(sk.sk_net);
            }

            err = inet_connection_sock_c.inet_csk_listen_start(sk);
            if (err != 0)
            {
                return err;
            }

            // BPF_CGROUP_RUN_PROG_INET_SOCK_LISTEN: no BPF.
        }

        return 0;
    }

    // net/ipv4/af_inet.c: inet_listen
    /// <summary>listen(2) on an INET socket.</summary>
    public static int inet_listen(socket sock, int backlog)
    {
        var sk = sock.sk!;
        var err = -errno_base_h.EINVAL;

        lock_sock(sk);
        if (sock.state != socket_state.SS_UNCONNECTED || sock.type != SOCK_STREAM)
        {
            goto @out;
        }

        if (((1 << sk.sk_state) & (tcp_states_h.TCPF_CLOSE | tcp_states_h.TCPF_LISTEN)) == 0)
        {
            goto @out;
        }

        err = __inet_listen_sk(sk, backlog);

    @out:
        release_sock(sk);
        return err;
    }

    // net/ipv4/af_inet.c: __inet_accept
    /// <summary>Grafts the accepted child onto the new BSD socket: connected.</summary>
    public static void __inet_accept(socket sock, socket newsock, sock newsk)
    {
        rps_h.sock_rps_record_flow(newsk);

        lock_sock(newsk);

        // SOCK_SUPPORT_ZC: no zero-copy sendmsg here.
        sock_graft(newsk, newsock);
        newsock.state = socket_state.SS_CONNECTED;
        release_sock(newsk);
    }

    // net/ipv4/af_inet.c: inet_accept
    /// <summary>Accept a pending connection: the protocol's accept (inet_csk_accept) and the graft.</summary>
    [KernelNet.Annotations.MightSleep]
    public static async ValueTask<int> inet_accept(socket sock, socket newsock, int flags)
    {
        // not ported: lock_sock, release_sock — a departure: this path does not take socket ownership, so a softirq arriving meanwhile processes its packet at once instead of leaving it on the backlog
        var sk1 = sock.sk!;
        var (sk2, err) = await sk1.sk_prot!.accept!(sk1, flags);
        if (sk2 is null)
        {
            return err;
        }

        __inet_accept(sock, newsock, sk2);
        return 0;
    }

    // net/ipv4/af_inet.c: inet_sk_set_state
    /// <summary>Sets a new state, tracing inet_sock_set_state first (a plain store: the socket is not yet visible).</summary>
    public static void inet_sk_set_state(sock sk, int state)
    {
        Include.Trace.Events.sock_h.trace_inet_sock_set_state(sk, sk.sk_state, state);
        sk.sk_state = state;
    }

    // net/ipv4/af_inet.c: inet_sk_state_store
    /// <summary>Stores a new state, tracing inet_sock_set_state first (smp_store_release: the state is read locklessly).</summary>
    public static void inet_sk_state_store(sock sk, int newstate)
    {
        Include.Trace.Events.sock_h.trace_inet_sock_set_state(sk, sk.sk_state, newstate);
        sk.sk_state = newstate;
    }

    /// <summary>inet_sockraw_ops: the BSD-side operations of SOCK_RAW (and ping) INET sockets.</summary>
    private static proto_ops inet_sockraw_ops { get; } = new()
    {
        family = AF_INET,
        release = inet_release,
        bind = inet_bind,
        connect = (s, a, l, f) => new ValueTask<int>(inet_dgram_connect(s, a, l, f)),
        getname = inet_getname,
        shutdown = inet_shutdown,
        setsockopt = sock_common_setsockopt,
        getsockopt = sock_common_getsockopt,
        sendmsg = inet_sendmsg,
        recvmsg = inet_recvmsg,
        poll = Core.datagram_c.datagram_poll,
    };

    /// <summary>
    /// inetsw_array: what socket() can make — TCP, UDP, and raw sockets of
    /// any protocol (IPPROTO_IP is the wildcard). Ping sockets are not
    /// ported yet.
    /// </summary>
    private static ImmutableArray<inet_protosw> inetsw_array { get; } = ImmutableArray.Create(
        new inet_protosw
        {
            type = SOCK_STREAM,
            protocol = in_h.IPPROTO_TCP,
            prot = tcp_ipv4_c.tcp_prot,
            ops = inet_stream_ops,
            flags = protocol_h.INET_PROTOSW_PERMANENT | protocol_h.INET_PROTOSW_ICSK,
        },
        new inet_protosw
        {
            type = SOCK_DGRAM,
            protocol = in_h.IPPROTO_UDP,
            prot = udp_c.udp_prot,
            ops = inet_dgram_ops,
            flags = protocol_h.INET_PROTOSW_PERMANENT,
        },
        new inet_protosw
        {
            type = SOCK_RAW,
            protocol = in_h.IPPROTO_IP, // wild card
            prot = raw_c.raw_prot,
            ops = inet_sockraw_ops,
            flags = protocol_h.INET_PROTOSW_REUSE,
        });

    // net/ipv4/af_inet.c: inet_register_protosw
    /// <summary>
    /// Adds an entry to its type's list after the last permanent one, so a
    /// wildcard lookup never prefers it over a permanent protocol; a
    /// permanent protocol cannot be overridden.
    /// </summary>
    public static void inet_register_protosw(Vmlinux k, inet_protosw p)
    {
        var inetsw = k.globals<af_inet_globals>().inetsw;

        // spin_lock_bh(&inetsw_lock): registration against lookups.
        if (p.type >= af_inet_globals.SOCK_MAX)
        {
            // an out-of-range socket type is refused (the kernel logs it)
            return;
        }

        var list = inetsw[p.type];
        var last_perm = 0;
        foreach (var answer in list)
        {
            if ((protocol_h.INET_PROTOSW_PERMANENT & answer.flags) == 0)
            {
                break;
            }

            if (p.protocol == answer.protocol)
            {
                // a permanent entry cannot be replaced (the kernel logs it)
                return;
            }

            last_perm++;
        }

        list.Insert(last_perm, p);
    }

    // net/ipv4/af_inet.c: inet_gso_segment
    /// <summary>
    /// IPv4's gso_segment callback: steps past the IP header, lets TCP cut the
    /// payload, then gives every segment its own total length, IP ID (one more
    /// per segment unless the type fixes the ID) and header checksum. Null
    /// when the protocol has no segmentation handler or the header is bad.
    /// not ported: UDP fragmentation offload, tunnels (encap), GSO_PARTIAL.
    /// </summary>
    [Borrows("skb")]
    public static sk_buff? inet_gso_segment(sk_buff skb, ulong features)
    {
        // not ported: SKB_GSO_CB, skb_network_header — field accessors: the port reads or sets these fields directly
        // not ported: skb_is_gso, skb_reset_inner_headers — only for GSO_PARTIAL and encapsulated segments (not ported,
        //   see the summary)
        skb_reset_network_header(skb);
        var nhoff = skb.network_header - skb_mac_header(skb);
        if (!pskb_may_pull(skb, iphdr.Size))
        {
            return null;
        }

        var iph = ip_hdr(skb);
        var ihl = iph.ihl * 4;
        if (ihl < iphdr.Size)
        {
            return null;
        }

        if (!pskb_may_pull(skb, ihl))
        {
            return null;
        }

        iph = ip_hdr(skb);

        int id = iph.id;
        var proto = iph.protocol;
        __skb_pull(skb, ihl);
        skb_reset_transport_header(skb);

        // inet_offloads[proto]: TCP is the one transport with a gso_segment callback here
        if (proto != in_h.IPPROTO_TCP)
        {
            return null;
        }

        var segs = tcp_offload_c.tcp4_gso_segment(skb, features);
        if (segs is null)
        {
            return null;
        }

        var fixedid = (skb.shinfo.gso_type & SKB_GSO_TCP_FIXEDID) != 0;
        for (var seg = segs; seg is not null; seg = seg.next)
        {
            seg.network_header = (ushort)(skb_mac_header(seg) + nhoff);
            var siph = ip_hdr(seg);
            if (!fixedid)
            {
                siph.id = (ushort)id++;
            }

            siph.tot_len = (ushort)(seg.len - nhoff);
            ip_output_c.ip_send_check(siph);
            skb_reset_mac_len(seg);
        }

        return segs;
    }

    // net/ipv4/af_inet.c: inet_gro_receive
    /// <summary>
    /// IPv4's gro_receive: a plain 20-byte header, not a fragment, with a good
    /// header checksum, for a protocol with a GRO handler (TCP, UDP) — else
    /// the skb is flushed. Held skbs with other addresses or protocol stop
    /// being candidates; the ID, TTL and TOS rule is applied by the transport
    /// (gro_receive_network_flush). Returns a held skb to complete, or null.
    /// </summary>
    [Borrows("skb")]
    public static sk_buff? inet_gro_receive(List<sk_buff> head, sk_buff skb)
    {
        // not ported: indirect_call_gro_receive — the offload registration is not ported: TCP's and UDP's callbacks are called directly (see the header)
        sk_buff? pp = null;
        var flush = 1;
        var off = gro_h.skb_gro_offset(skb);
        var hlen = off + iphdr.Size;
        var ip = gro_h.skb_gro_header(skb, hlen, off);
        if (ip.IsEmpty)
        {
            goto @out;
        }

        var iph = new iphdr(ip);
        int proto = iph.protocol;

        // inet_offloads[proto]: TCP and UDP have gro_receive.
        if (proto != in_h.IPPROTO_TCP && proto != in_h.IPPROTO_UDP)
        {
            goto @out;
        }

        if (ip[0] != 0x45)
        {
            goto @out;
        }

        if (Include.Net.ip_h.ip_is_fragment(iph))
        {
            goto @out;
        }

        if (checksum_h.ip_fast_csum(ip, 5) != 0)
        {
            goto @out;
        }

        gro_h.NAPI_GRO_CB(skb).proto = (ushort)proto;

        // A length other than this packet's, or an ID with flags other than DF, means flush.
        var word0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip);
        var word1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip[4..]);
        flush = (ushort)((word0 ^ (uint)gro_h.skb_gro_len(skb)) | (word1 & ~(uint)Include.Uapi.Linux.ip_h.IP_DF));

        foreach (var p in head)
        {
            if (!gro_h.NAPI_GRO_CB(p).same_flow)
            {
                continue;
            }

            // The same offset in p: only flows with the same header lengths get this far.
            var iph2 = new iphdr(p.head.AsSpan(p.data + off));
            if ((iph.protocol ^ iph2.protocol) != 0 || iph.saddr != iph2.saddr || iph.daddr != iph2.daddr)
            {
                gro_h.NAPI_GRO_CB(p).same_flow = false;
            }
        }

        gro_h.NAPI_GRO_CB(skb).flush |= flush;
        gro_h.NAPI_GRO_CB(skb).network_offset = (ushort)off;

        // No skb_gro_postpull_rcsum: the header summed to 0.
        gro_h.skb_gro_pull(skb, iphdr.Size);
        skb_set_transport_header(skb, gro_h.skb_gro_offset(skb));

        // indirect_call_gro_receive: the recursion guard, then TCP's or UDP's handler.
        if (gro_h.gro_recursion_inc_test(skb))
        {
            gro_h.NAPI_GRO_CB(skb).flush |= 1;
            pp = null;
        }
        else
        {
            pp = proto == in_h.IPPROTO_TCP ? tcp_offload_c.tcp4_gro_receive(head, skb) : udp_offload_c.udp4_gro_receive(head, skb);
        }

    @out:
        gro_h.skb_gro_flush_final(skb, pp, flush);
        return pp;
    }

    // net/ipv4/af_inet.c: inet_gro_complete
    /// <summary>A merged skb leaves GRO: the IP total length becomes the whole packet's (checksum patched), then the transport completes it.</summary>
    [Borrows("skb")]
    public static int inet_gro_complete(sk_buff skb, int nhoff)
    {
        // not ported: iph_set_totlen — written out: the tot_len write (no BIG TCP: a merged packet stays under 64 KB);
        //   skb_set_inner_network_header, skb_set_inner_protocol — only for skb->encapsulation (no tunnels)
        var iph = new iphdr(skb.head.AsSpan(skb.data + nhoff));
        var totlen = iph.tot_len;
        int proto = iph.protocol;
        var err = -errno_h.ENOSYS;

        // skb->encapsulation: no tunnels.
        iph.tot_len = (ushort)(skb.len - nhoff);
        iph.check = checksum_h.csum_replace2(iph.check, totlen, iph.tot_len);

        // inet_offloads[proto]: TCP and UDP have gro_complete.
        if (proto != in_h.IPPROTO_TCP && proto != in_h.IPPROTO_UDP)
        {
            goto @out;
        }

        // Headers with options were flushed in inet_gro_receive: the transport header follows 20 bytes on.
        err = proto == in_h.IPPROTO_TCP ? tcp_offload_c.tcp4_gro_complete(skb, nhoff + iphdr.Size) : udp_offload_c.udp4_gro_complete(skb, nhoff + iphdr.Size);

    @out:
        return err;
    }

    // net/ipv4/af_inet.c: ipv4_mib_init_net
    /// <summary>A namespace's IPv4 MIBs, with TCP's constant rows set.</summary>
    private static int ipv4_mib_init_net(net net)
    {
        // not ported: kzalloc — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        Include.Net.tcp_h.tcp_mib_init(net);
        return 0;
    }

    // net/ipv4/af_inet.c: inet_current_timestamp
    /// <summary>
    /// The time for an IP timestamp option (RFC 791): milliseconds since
    /// midnight UT. ktime_get_real: the simulation has one clock, the
    /// virtual one, so the count runs from its start.
    /// </summary>
    public static uint inet_current_timestamp(Vmlinux k)
    {
        // not ported: ktime_get_real_ts64 — the simulation's one clock, the virtual one (ktime_get_ns), stands
        //   for the real-time clock
        const long SECONDS_PER_DAY = 86400;
        var ns = k.ktime_get_ns();
        var secs = (uint)(ns / 1_000_000_000 % SECONDS_PER_DAY);
        var msecs = secs * 1000;
        msecs += (uint)(ns % 1_000_000_000 / 1_000_000);
        return msecs;
    }

    // net/ipv4/af_inet.c: inet_init
    /// <summary>
    /// Boot-time IPv4: register the AF_INET family with the socket layer,
    /// the raw socket table, ICMP and UDP in inet_protos, the inetsw entries
    /// socket() looks up, ARP, and ip_rcv for ETH_P_IP (ip_init,
    /// ip_packet_type).
    /// </summary>
    public static int inet_init(Vmlinux k)
    {
        // not ported: ipv4_proc_init — the proc entries are not ported (see the header)
        // not ported: ping_init — ping sockets are not ported (see the header)
        // not ported: raw_init — raw's sysctl is not ported (raw_l3mdev_accept stays 1, see raw.cs's header)
        // not ported: ip_mr_init — no multicast routing
        // not ported: ip_tunnel_core_init — no lightweight tunnels, tunnel metadata or UDP encapsulation
        // not ported: udplite4_register — no UDP-Lite
        // not ported: init_inet_pernet_ops — the per-namespace IPv4 defaults come with netns_ipv4; init_ipv4_mibs —
        //   written out: register_pernet_subsys(ipv4_mib_init_net); ip_static_sysctl_init — no sysctl tree; ipfrag_init — each
        //   namespace's fragment queues are made on first use (ipv4_fqdir), ip4_frags' hooks are static; udp_init — the one
        //   UDP table every namespace shares is made on first use (udp_get_table), udp_mem is not ported
        // not ported: proto_unregister — the failure paths: a registration cannot fail here; sock_skb_cb_check_size — a
        //   BUILD_BUG_ON on skb->cb's size (the port's cb is an object)
        // TCP's socket, request and timewait caches (UDP, raw and ping keep no caches here).
        Core.sock_c.proto_register(k, tcp_ipv4_c.tcp_prot, true);

        // from here on socket(AF_INET, ...) reaches inet_create
        socket_c.sock_register(k, inet_family_ops);
        raw_h.raw_hashinfo_init(k.globals<raw_globals>().raw_v4_hashinfo);
        route_c.ip_rt_init(k); // ip_init's first step (it starts devinet and the FIB)
        Core.net_namespace_c.register_pernet_subsys(k, ipv4_mib_init_net);
        icmp_c.icmp_init(k);
        protocol_c.inet_add_protocol(k, new net_protocol { handler = igmp_c.igmp_rcv, no_policy = false }, (byte)in_h.IPPROTO_IGMP); // igmp_protocol (CONFIG_IP_MULTICAST)
        protocol_c.inet_add_protocol(k, new net_protocol { handler = udp_c.udp_rcv, err_handler = udp_c.udp_err }, (byte)in_h.IPPROTO_UDP);
        protocol_c.inet_add_protocol(k, new net_protocol { handler = tcp_ipv4_c.tcp_v4_rcv, err_handler = tcp_ipv4_c.tcp_v4_err }, (byte)in_h.IPPROTO_TCP); // tcp_protocol

        var inetsw = k.globals<af_inet_globals>().inetsw;
        for (var r = 0; r < af_inet_globals.SOCK_MAX; r++)
        {
            inetsw[r] = new List<inet_protosw>();
        }

        foreach (var q in inetsw_array)
        {
            inet_register_protosw(k, q);
        }

        arp_c.arp_init(k);

        // Set up TCP (tcp_init: congestion control, tcp_v4_init).
        tcp_c.tcp_init(k);
        dev_add_pack(k, new packet_type(if_ether_h.ETH_P_IP, ip_input_c.ip_rcv));
        return 0;
    }
}
