// Ports net/core/sock.c: creating and initializing socks, the default
// callbacks (sock_def_readable wakes readers, RX-12), memory accounting of
// owned skbs, and the SOL_SOCKET options.
//
// not ported: memory pressure and forward allocation (sk_mem_charge is
// tracked only as rmem/wmem), SO_* options beyond the ones listed in
// sk_setsockopt, cgroups, BPF filters.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Trace.Events.sock_h;
using static KernelNet.Kernel.Kernel.Sched.wait_c;

namespace KernelNet.Kernel.Net.Core;

public static class sock_c
{
    /// <summary>SOCK_MIN_RCVBUF: 2 * (2048 + sizeof(struct sk_buff)) rounded as the kernel computes it.</summary>
    public const int SOCK_MIN_RCVBUF = 2304;

    /// <summary>SOCK_MIN_SNDBUF.</summary>
    public const int SOCK_MIN_SNDBUF = 4608;

    // net/core/sock.c: sk_alloc
    /// <summary>A new sock in <paramref name="net"/> for <paramref name="family"/>/<paramref name="type"/>/<paramref name="protocol"/>.</summary>
    public static sock sk_alloc(net net, ushort family, int type, int protocol) => new(net, family, type, protocol);

    // net/core/sock.c: sock_init_data
    /// <summary>Defaults from net.core: rmem_default/wmem_default buffers, the default callbacks, no timeouts.</summary>
    public static void sock_init_data(socket? sock, sock sk)
    {
        sk.sk_rcvbuf = (int)sk.sk_net.core_sysctl["rmem_default"];
        sk.sk_sndbuf = (int)sk.sk_net.core_sysctl["wmem_default"];
        sk.sk_state = 7; // TCP_CLOSE
        sk.sk_socket = sock;
        sk.sk_data_ready = sock_def_readable;
        sk.sk_write_space = sock_def_write_space;
        sk.sk_error_report = sock_def_error_report;
        if (sock is not null)
        {
            sock.sk = sk;
        }
    }

    // net/core/sock.c: sock_def_readable
    /// <summary>Data arrived (RX-12): trace sk_data_ready, then wake one reader sleeping on the socket's wait queue.</summary>
    public static void sock_def_readable(sock sk)
    {
        trace_sk_data_ready(sk, "sock_def_readable");
        if (Include.Linux.wait_h.wq_has_sleeper(sk.sk_wq))
        {
            // wake_up_interruptible_sync_poll(&wq->wait, EPOLLIN | EPOLLPRI | EPOLLRDNORM | EPOLLRDBAND)
            __wake_up(sk.sk_net.k, sk.sk_wq, sched_h.TASK_INTERRUPTIBLE, 1);
        }
    }

    // net/core/sock.c: sock_def_write_space
    /// <summary>Send buffer space freed: wake writers once at least half of sk_sndbuf is free.</summary>
    public static void sock_def_write_space(sock sk)
    {
        if ((sk.sk_wmem_alloc << 1) <= sk.sk_sndbuf && Include.Linux.wait_h.wq_has_sleeper(sk.sk_wq))
        {
            __wake_up(sk.sk_net.k, sk.sk_wq, sched_h.TASK_INTERRUPTIBLE, 1);
        }
    }

    // net/core/sock.c: sock_def_error_report
    /// <summary>An error was posted (sk_err): wake everyone waiting on the socket.</summary>
    public static void sock_def_error_report(sock sk)
    {
        if (Include.Linux.wait_h.wq_has_sleeper(sk.sk_wq))
        {
            __wake_up(sk.sk_net.k, sk.sk_wq, sched_h.TASK_INTERRUPTIBLE, 0);
        }
    }

    // net/core/sock.c: sock_wfree
    /// <summary>The destructor of a sent skb: returns its truesize to the sender's sndbuf.</summary>
    public static void sock_wfree(sk_buff skb)
    {
        var sk = skb.sk!;
        sk.sk_wmem_alloc -= (int)skb.truesize;
        sk.sk_write_space?.Invoke(sk);
    }

    // net/core/sock.c: skb_set_owner_w
    /// <summary>Charges an skb being sent to its socket (sk_wmem_alloc), released by sock_wfree.</summary>
    public static void skb_set_owner_w(sk_buff skb, sock sk)
    {
        skbuff_h.skb_orphan(skb);
        skb.sk = sk;
        skb.destructor = sock_wfree;
        sk.sk_wmem_alloc += (int)skb.truesize;
    }

    // net/core/sock.c: sock_rfree
    /// <summary>The destructor of a received skb owned by a socket: uncharge sk_rmem_alloc.</summary>
    public static void sock_rfree(sk_buff skb)
    {
        var sk = skb.sk!;
        sk.sk_rmem_alloc -= (int)skb.truesize;
    }

    // net/core/sock.c: sk_error_report
    /// <summary>Tells the socket's owner an error was posted (sk_err).</summary>
    public static void sk_error_report(sock sk) => sk.sk_error_report?.Invoke(sk);

    // net/core/sock.c: sk_setsockopt
    /// <summary>SOL_SOCKET options: SO_RCVBUF/SO_SNDBUF double the value (capped by rmem_max/wmem_max), SO_RCVTIMEO, SO_BROADCAST.</summary>
    public static int sk_setsockopt(sock sk, int optname, long val)
    {
        switch (optname)
        {
            case SO_SNDBUF:
                sk.sk_sndbuf = (int)System.Math.Max(System.Math.Min(val, sk.sk_net.core_sysctl["wmem_max"]) * 2, SOCK_MIN_SNDBUF);
                return 0;
            case SO_RCVBUF:
                sk.sk_rcvbuf = (int)System.Math.Max(System.Math.Min(val, sk.sk_net.core_sysctl["rmem_max"]) * 2, SOCK_MIN_RCVBUF);
                return 0;
            case SO_RCVTIMEO_OLD:
                // val in microseconds here (struct timeval folded); 0 means no timeout.
                sk.sk_rcvtimeo = val == 0 ? sched_h.MAX_SCHEDULE_TIMEOUT : System.Math.Max(1, (val * Vmlinux.HZ + 999_999) / 1_000_000);
                return 0;
            case SO_SNDTIMEO_OLD:
                sk.sk_sndtimeo = val == 0 ? sched_h.MAX_SCHEDULE_TIMEOUT : System.Math.Max(1, (val * Vmlinux.HZ + 999_999) / 1_000_000);
                return 0;
            case SO_BROADCAST:
                sk.sock_flag_broadcast = val != 0;
                return 0;
            case SO_REUSEADDR:
                sk.sk_reuse = val != 0;
                return 0;
            default:
                return -errno_h.ENOPROTOOPT;
        }
    }

    // net/core/sock.c: sk_getsockopt
    public static int sk_getsockopt(sock sk, int optname, out long val)
    {
        switch (optname)
        {
            case SO_SNDBUF:
                val = sk.sk_sndbuf;
                return 0;
            case SO_RCVBUF:
                val = sk.sk_rcvbuf;
                return 0;
            case SO_ERROR:
                val = -Include.Net.sock_h.sock_error(sk);
                return 0;
            default:
                val = 0;
                return -errno_h.ENOPROTOOPT;
        }
    }

    // net/core/sock.c: sk_common_release
    /// <summary>Closing a datagram socket: unhash, orphan, and destruct (the protocol frees what was unread).</summary>
    public static void sk_common_release(sock sk)
    {
        sk.sk_prot_unhash?.Invoke(sk);
        sk.sock_flag_dead = true;
        sk.sk_socket = null;
        sk.sk_destruct?.Invoke(sk);
    }
}
