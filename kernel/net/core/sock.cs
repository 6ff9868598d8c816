// Ports net/core/sock.c: creating and initializing socks, the default
// callbacks (sock_def_readable wakes readers, RX-12), memory accounting of
// owned skbs, the generic receive queue (sock_queue_rcv_skb), send-buffer
// allocation (sock_alloc_send_pskb), the SOL_SOCKET options, a stream
// reader's sleep (sk_wait_data), and the forward allocation in pages
// (__sk_mem_schedule, __sk_mem_reclaim); SO_MEMINFO (sk_get_meminfo).
//
// not ported: protocol memory pressure (sk_prot->memory_allocated, udp_mem:
// __sk_mem_schedule always grants, in pages), cgroups, BPF filters
// (sk_filter), timestamps, SO_ATTACH_*, the fasync list.
// departure: the wakeups carry no poll key (kernel/sched/wait.cs's __wake_up
// takes none), so sock_def_write_space also wakes a reader sleeping on the
// same socket; it finds nothing, and sleeps again.
using System;
using System.Threading.Tasks;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Include.Net.sock_h;
using static KernelNet.Kernel.Include.Trace.Events.sock_h;
using static KernelNet.Kernel.Kernel.Rcu.tree_c;
using static KernelNet.Kernel.Kernel.Sched.wait_c;

namespace KernelNet.Kernel.Net.Core;

/// <summary>The slab caches proto_register made for one protocol in this kernel: prot->slab, twsk_prot->twsk_slab, rsk_prot->slab.</summary>
public sealed record proto_slabs(Mm.kmem_cache slab, Mm.kmem_cache? twsk_slab, Mm.kmem_cache? rsk_slab);

/// <summary>sock.c's globals: the caches of the registered protocols (the kernel hangs them off struct proto, which the port shares between kernels).</summary>
public sealed class sock_globals
{
    public System.Collections.Generic.Dictionary<proto, proto_slabs> proto_slabs { get; } = new();
}

public static class sock_c
{
    /// <summary>SOCK_MIN_RCVBUF (include/net/sock.h).</summary>
    public const int SOCK_MIN_RCVBUF = sock_h.SOCK_MIN_RCVBUF;

    /// <summary>SOCK_MIN_SNDBUF (include/net/sock.h).</summary>
    public const int SOCK_MIN_SNDBUF = sock_h.SOCK_MIN_SNDBUF;

    // net/core/sock.c: __sock_queue_rcv_skb
    /// <summary>
    /// The generic receive queue (raw, ping, packet sockets — UDP has its
    /// own, __udp_enqueue_schedule_skb): refuses with -ENOMEM once
    /// sk_rmem_alloc reached sk_rcvbuf (sock_rcvqueue_full), otherwise
    /// charges the skb (skb_set_owner_r), queues it and wakes the reader.
    /// Does not free the skb on failure: the caller drops it.
    /// </summary>
    [Consumes("skb", WhenReturns = 0)]
    public static int __sock_queue_rcv_skb(sock sk, sk_buff skb)
    {
        // not ported: sk_rmem_schedule, skb_dst_force, sock_skb_set_dropcount — the forward allocation is always granted (no protocol memory pressure); dst refs are not counted; SO_RXQ_OVFL is not ported
        var list = sk.sk_receive_queue;
        if (sk.sk_rmem_alloc >= sk.sk_rcvbuf)
        {
            sk_drops_inc(sk);
            trace_sock_rcvqueue_full(sk, (int)skb.truesize);
            return -errno_base_h.ENOMEM;
        }

        // sk_rmem_schedule: always granted (no protocol memory pressure).
        sk_forward_alloc_add(sk, sk_mem_pages((int)skb.truesize) * SK_MEM_QUANTUM);

        skb.dev = null;
        skb_set_owner_r(skb, sk);

        // spin_lock_irqsave(&list->lock): orders against the reader's dequeue.
        __skb_queue_tail(list, skb);

        if (!sock_flag(sk, sock_flags.SOCK_DEAD))
        {
            sk.sk_data_ready?.Invoke(sk);
        }

        return 0;
    }

    // net/core/sock.c: sock_queue_rcv_skb_reason
    /// <summary>__sock_queue_rcv_skb, with the drop reason its failure means (SOCKET_RCVBUFF, PROTO_MEM).</summary>
    [Consumes("skb", WhenReturns = 0)]
    public static int sock_queue_rcv_skb_reason(sock sk, sk_buff skb, out skb_drop_reason reason)
    {
        var err = __sock_queue_rcv_skb(sk, skb);
        reason = err switch
        {
            -errno_base_h.ENOMEM => skb_drop_reason.SKB_DROP_REASON_SOCKET_RCVBUFF,
            -errno_h.ENOBUFS => skb_drop_reason.SKB_DROP_REASON_PROTO_MEM,
            _ => skb_drop_reason.SKB_NOT_DROPPED_YET,
        };
        return err;
    }

    // net/core/sock.c: __sock_set_rcvbuf
    /// <summary>SO_RCVBUF: the kernel doubles the value (room for struct sk_buff overhead) and locks it against autotuning.</summary>
    private static void __sock_set_rcvbuf(sock sk, int val)
    {
        val = Math.Min(val, int.MaxValue / 2);
        sk.sk_userlocks |= SOCK_RCVBUF_LOCK;
        sk.sk_rcvbuf = Math.Max(val * 2, SOCK_MIN_RCVBUF);
    }

    // net/core/sock.c: sock_set_timeout
    /// <summary>SO_RCVTIMEO/SO_SNDTIMEO: a struct timeval (folded to microseconds here) to jiffies, rounded up; 0 means forever.</summary>
    private static int sock_set_timeout(ref long timeo_p, long usec_total)
    {
        // not ported: net_ratelimit, sock_copy_user_timeval — the timeval arrives as microseconds from the int form; a negative tv_sec sets 0 without the log line
        if (usec_total < 0)
        {
            // A negative tv_sec means "do not wait".
            timeo_p = 0;
            return 0;
        }

        var tv_sec = usec_total / 1_000_000;
        var tv_usec = usec_total % 1_000_000;
        timeo_p = sched_h.MAX_SCHEDULE_TIMEOUT;
        if (tv_sec == 0 && tv_usec == 0)
        {
            return 0;
        }

        if (tv_sec < (sched_h.MAX_SCHEDULE_TIMEOUT / Vmlinux.HZ) - 1)
        {
            timeo_p = (tv_sec * Vmlinux.HZ) + ((tv_usec + (1_000_000 / Vmlinux.HZ) - 1) / (1_000_000 / Vmlinux.HZ));
        }

        return 0;
    }

    /// <summary>min_t(u32, a, b) on a user's int: a negative value is a huge unsigned one.</summary>
    [KernelNet.Annotations.NotInLinux("min_t(u32, ...) of include/linux/minmax.h, as sock_setsockopt uses it")]
    private static long min_u32(long val, long max) => Math.Min((uint)(int)val, max);

    // net/core/sock.c: __sock_set_mark
    /// <summary>SO_MARK: a new mark forgets the cached route (it may have been chosen by the old mark).</summary>
    private static void __sock_set_mark(sock sk, uint val)
    {
        if (val != sk.sk_mark)
        {
            sk.sk_mark = val;
            sk_dst_reset(sk);
        }
    }

    // net/core/sock.c: sock_set_timestamping
    /// <summary>
    /// SO_TIMESTAMPING's flags (so_timestamping.flags): unknown bits,
    /// OPT_ID_TCP without OPT_ID and OPT_STATS without OPT_TSONLY are EINVAL.
    /// Turning OPT_ID on starts the keys: for TCP at snd_una (write_seq with
    /// OPT_ID_TCP) — EINVAL on a closed or listening socket — else at 0.
    /// RX_SOFTWARE turns receive stamping on.
    /// </summary>
    public static int sock_set_timestamping(sock sk, int optname, uint val)
    {
        if ((val & ~Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_MASK) != 0)
        {
            return -errno_base_h.EINVAL;
        }

        if ((val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_ID_TCP) != 0 &&
            (val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_ID) == 0)
        {
            return -errno_base_h.EINVAL;
        }

        if ((val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_ID) != 0 &&
            (sk.sk_tsflags & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_ID) == 0)
        {
            if (sk_is_tcp(sk))
            {
                if (((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_CLOSE | Include.Net.tcp_states_h.TCPF_LISTEN)) != 0)
                {
                    return -errno_base_h.EINVAL;
                }

                var tp = Include.Linux.tcp_h.tcp_sk(sk);
                sk.sk_tskey = (val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_ID_TCP) != 0 ? tp.write_seq : tp.snd_una;
            }
            else
            {
                sk.sk_tskey = 0;
            }
        }

        if ((val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_STATS) != 0 &&
            (val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_OPT_TSONLY) == 0)
        {
            return -errno_base_h.EINVAL;
        }

        if ((val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_BIND_PHC) != 0)
        {
            // not ported: sock_timestamping_bind_phc — no PTP clocks; a socket bound to no device gets EOPNOTSUPP there too
            return -errno_h.EOPNOTSUPP;
        }

        sk.sk_tsflags = val;
        sock_valbool_flag(sk, sock_flags.SOCK_TSTAMP_NEW, optname == SO_TIMESTAMPING_NEW);
        sock_valbool_flag(sk, sock_flags.SOCK_TIMESTAMPING_ANY,
            (val & (Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_SOFTWARE | Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_RAW_HARDWARE)) != 0);

        if ((val & Include.Uapi.Linux.net_tstamp_h.SOF_TIMESTAMPING_RX_SOFTWARE) != 0)
        {
            sock_enable_timestamp(sk, sock_flags.SOCK_TIMESTAMPING_RX_SOFTWARE);
        }
        else
        {
            // sock_disable_timestamp: the flag goes; net_disable_timestamp is not ported (net stamping, once on, stays on)
            sock_reset_flag(sk, sock_flags.SOCK_TIMESTAMPING_RX_SOFTWARE);
        }

        return 0;
    }

    // net/core/sock.c: sk_setsockopt
    /// <summary>
    /// SOL_SOCKET options. SO_RCVBUF/SO_SNDBUF are capped by
    /// net.core.rmem_max/wmem_max, then doubled; the *FORCE variants skip the
    /// cap (CAP_NET_ADMIN is assumed). Timeouts are in microseconds here.
    /// </summary>
    public static int sk_setsockopt(sock sk, int level, int optname, long val)
    {
        // not ported: sock_bindtoindex_locked, sock_setbindtodevice, sock_set_priority, sock_set_timestamp, sockopt_validate_clockid, sock_devmem_dontneed, sock_reserve_memory, sock_release_reserved_memory, dst_negative_advice, sk_dst_reset, sk_is_inet, sk_is_tcp, sk_is_unix, sk_may_scm_recv, sock_flag, sock_set_flag, sock_reset_flag — only the options in the switch are ported: no SO_BINDTODEVICE, SO_PRIORITY, SO_TIMESTAMP*, SO_TXREHASH, devmem or SO_RESERVE_MEM, SO_PASSCRED/PASSSEC
        // not ported: sockopt_capable, sockopt_ns_capable, sk_set_prio_allowed, sockopt_lock_sock, sockopt_release_sock — CAP_NET_ADMIN is assumed; the caller already holds the socket lock
        // not ported: copy_bpf_fprog_from_user, sk_attach_filter, sk_detach_filter, sk_attach_bpf, sk_reuseport_attach_filter, sk_reuseport_attach_bpf, reuseport_detach_prog, reuseport_update_incoming_cpu — no BPF or classic socket filters
        var valbool = val != 0;
        var ret = 0;
        long t;
        switch (optname)
        {
            case SO_REUSEADDR:
                sk.sk_reuse = valbool;
                break;
            case SO_REUSEPORT:
                sk.sk_reuseport = valbool;
                break;
            case SO_BROADCAST:
                sock_valbool_flag(sk, sock_flags.SOCK_BROADCAST, valbool);
                break;
            case SO_KEEPALIVE:
                // the protocol first (TCP arms or stops its timer), while SOCK_KEEPOPEN still says what was
                sk.sk_prot?.keepalive?.Invoke(sk, valbool ? 1 : 0);
                sock_valbool_flag(sk, sock_flags.SOCK_KEEPOPEN, valbool);
                break;
            case SO_MARK:
                // CAP_NET_RAW or CAP_NET_ADMIN: programs run as root
                __sock_set_mark(sk, (uint)val);
                break;
            case SO_MAX_PACING_RATE:
                {
                    // a 32-bit ~0U means no limit; a 64-bit value is taken whole
                    var ulval = val == uint.MaxValue ? ulong.MaxValue : (ulong)val;
                    if (ulval != ulong.MaxValue && sk.sk_pacing_status == SK_PACING_NONE)
                    {
                        // cmpxchg(NONE -> NEEDED): sch_fq, had it claimed the flow, would keep it
                        sk.sk_pacing_status = SK_PACING_NEEDED;
                    }

                    sk.sk_max_pacing_rate = ulval;
                    if (ulval < sk.sk_pacing_rate)
                    {
                        sk.sk_pacing_rate = ulval;
                    }

                    break;
                }
            case SO_ZEROCOPY:
                // only TCP and UDP over IP take the flag (the port has no RDS)
                if (!((sk.sk_type == SOCK_STREAM && sk.sk_protocol == Include.Uapi.Linux.in_h.IPPROTO_TCP) || (sk.sk_type == SOCK_DGRAM && sk.sk_protocol == Include.Uapi.Linux.in_h.IPPROTO_UDP)))
                {
                    ret = -errno_h.EOPNOTSUPP;
                }
                else if (val < 0 || val > 1)
                {
                    ret = -errno_base_h.EINVAL;
                }
                else
                {
                    sock_valbool_flag(sk, sock_flags.SOCK_ZEROCOPY, valbool);
                }

                break;
            case SO_TIMESTAMPING_NEW:
            case SO_TIMESTAMPING_OLD:
                // an int is the flags alone (bind_phc 0); struct so_timestamping comes through the buffer form
                ret = sock_set_timestamping(sk, optname, (uint)val);
                break;
            case SO_SNDBUF:
                // a hint, never an error: compared as unsigned, so a negative size asks for the most
                val = min_u32(val, sk.sk_net.core_sysctl["wmem_max"]);
                goto set_sndbuf;
            case SO_SNDBUFFORCE:
                val = Math.Max(val, 0);
            set_sndbuf:
                val = Math.Min(val, int.MaxValue / 2);
                sk.sk_userlocks |= SOCK_SNDBUF_LOCK;
                sk.sk_sndbuf = (int)Math.Max(val * 2, SOCK_MIN_SNDBUF);
                sk.sk_write_space?.Invoke(sk);
                break;
            case SO_RCVBUF:
                __sock_set_rcvbuf(sk, (int)min_u32(val, sk.sk_net.core_sysctl["rmem_max"]));
                break;
            case SO_RCVBUFFORCE:
                __sock_set_rcvbuf(sk, (int)Math.Max(Math.Min(val, int.MaxValue), 0));
                break;
            case SO_RCVLOWAT:
                sk.sk_rcvlowat = (int)(val < 0 ? int.MaxValue : Math.Max(val, 1));
                break;
            case SO_RCVTIMEO_OLD:
                t = sk.sk_rcvtimeo;
                ret = sock_set_timeout(ref t, val);
                sk.sk_rcvtimeo = t;
                break;
            case SO_SNDTIMEO_OLD:
                t = sk.sk_sndtimeo;
                ret = sock_set_timeout(ref t, val);
                sk.sk_sndtimeo = t;
                break;
            case SO_LINGER:
                // an int is shorter than struct linger (POSIX.1g: EINVAL)
                ret = -errno_base_h.EINVAL;
                break;
            default:
                ret = -errno_h.ENOPROTOOPT;
                break;
        }

        return ret;
    }

    // net/core/sock.c: sk_setsockopt
    /// <summary>
    /// SOL_SOCKET with the value in a buffer: SO_LINGER reads struct linger
    /// (l_onoff, l_linger: two ints, 8 bytes; shorter is EINVAL) — off clears
    /// SOCK_LINGER, on sets it with l_linger seconds in jiffies (forever past
    /// MAX_SCHEDULE_TIMEOUT). Any other option reads its int from the buffer.
    /// </summary>
    public static int sk_setsockopt(sock sk, int level, int optname, byte[] optval, int optlen)
    {
        // not ported: sock_bindtoindex_locked, sock_devmem_dontneed, sock_flag, sock_release_reserved_memory, sock_reserve_memory, sock_set_priority, sock_set_timeout, sock_set_timestamp, sock_set_timestamping, sock_setbindtodevice, sock_valbool_flag, sockopt_capable, sockopt_lock_sock, sockopt_ns_capable, sockopt_release_sock, sockopt_validate_clockid — the same: ported in, or named by, the int form
        // not ported: __sock_set_mark, __sock_set_rcvbuf, copy_bpf_fprog_from_user, dst_negative_advice, reuseport_detach_prog, reuseport_update_incoming_cpu, sk_attach_bpf, sk_attach_filter, sk_detach_filter, sk_dst_reset, sk_is_inet, sk_is_tcp, sk_is_unix, sk_may_scm_recv, sk_reuseport_attach_bpf, sk_reuseport_attach_filter, sk_set_prio_allowed — only SO_LINGER reads a structure here; every other option goes through the int form above
        if (optname != SO_LINGER)
        {
            if (optlen < sizeof(int))
            {
                return -errno_base_h.EINVAL;
            }

            return sk_setsockopt(sk, level, optname, BitConverter.ToInt32(optval, 0));
        }

        if (optlen < 2 * sizeof(int))
        {
            return -errno_base_h.EINVAL;
        }

        var l_onoff = BitConverter.ToInt32(optval, 0);
        var l_linger = BitConverter.ToInt32(optval, sizeof(int));
        if (l_onoff == 0)
        {
            sock_reset_flag(sk, sock_flags.SOCK_LINGER);
        }
        else
        {
            // l_linger is an int widened to unsigned long: a negative one lingers forever
            var t_sec = (ulong)(long)l_linger;
            sk.sk_lingertime = t_sec >= (ulong)(sched_h.MAX_SCHEDULE_TIMEOUT / Vmlinux.HZ) ? sched_h.MAX_SCHEDULE_TIMEOUT : (long)t_sec * Vmlinux.HZ;
            sock_set_flag(sk, sock_flags.SOCK_LINGER);
        }

        return 0;
    }

    // net/core/sock.c: sock_setsockopt
    /// <summary>setsockopt(SOL_SOCKET) on a socket without SOCK_CUSTOM_SOCKOPT.</summary>
    public static int sock_setsockopt(socket sock, int level, int optname, long val) => sk_setsockopt(sock.sk!, level, optname, val);

    // net/core/sock.c: sock_setsockopt
    /// <summary>setsockopt(SOL_SOCKET) with the value in a buffer (struct linger).</summary>
    public static int sock_setsockopt(socket sock, int level, int optname, byte[] optval, int optlen) => sk_setsockopt(sock.sk!, level, optname, optval, optlen);

    // net/core/sock.c: sk_getsockopt
    /// <summary>getsockopt(SOL_SOCKET): SO_RCVBUF reads back the doubled value; SO_ERROR takes the pending error.</summary>
    public static int sk_getsockopt(sock sk, int level, int optname, out long val)
    {
        // not ported: cred_to_ucred, fd_install, fput, getname, groups_to_user, put_unused_fd, sk_get_peer_cred, sk_is_unix, sk_may_scm_recv, sk_get_filter, napi_id_valid, sk_is_tcp, sock_get_timeout, sock_getbindtodevice — only the options listed in the switch are ported: no SO_PEERCRED/PEERGROUPS/PEERPIDFD/PEERNAME (unix), SO_GET_FILTER, SO_INCOMING_NAPI_ID or SO_BINDTODEVICE; timeouts are read directly in microseconds
        // not ported: sk_get_meminfo — SO_MEMINFO takes the buffer form below
        switch (optname)
        {
            case SO_REUSEADDR:
                val = sk.sk_reuse ? 1 : 0;
                return 0;
            case SO_REUSEPORT:
                val = sk.sk_reuseport ? 1 : 0;
                return 0;
            case SO_BROADCAST:
                val = sock_flag(sk, sock_flags.SOCK_BROADCAST) ? 1 : 0;
                return 0;
            case SO_KEEPALIVE:
                val = sock_flag(sk, sock_flags.SOCK_KEEPOPEN) ? 1 : 0;
                return 0;
            case SO_MARK:
                val = sk.sk_mark;
                return 0;
            case SO_MAX_PACING_RATE:
                // an int's worth (the 32-bit optlen): ~0U at most
                val = (long)Math.Min(uint.MaxValue, sk.sk_max_pacing_rate);
                return 0;
            case SO_TYPE:
                val = sk.sk_type;
                return 0;
            case SO_PROTOCOL:
                val = sk.sk_protocol;
                return 0;
            case SO_DOMAIN:
                val = sk.sk_family;
                return 0;
            case SO_ZEROCOPY:
                val = sock_flag(sk, sock_flags.SOCK_ZEROCOPY) ? 1 : 0;
                return 0;
            case SO_TIMESTAMPING_OLD:
            case SO_TIMESTAMPING_NEW:
                // the flags (so_timestamping's first int; bind_phc is never set); _NEW only when set through _NEW
                val = optname == SO_TIMESTAMPING_OLD || sock_flag(sk, sock_flags.SOCK_TSTAMP_NEW) ? sk.sk_tsflags : 0;
                return 0;
            case SO_SNDBUF:
                val = sk.sk_sndbuf;
                return 0;
            case SO_RCVBUF:
                val = sk.sk_rcvbuf;
                return 0;
            case SO_RCVLOWAT:
                val = sk.sk_rcvlowat;
                return 0;
            case SO_ERROR:
                val = -sock_error(sk);
                if (val == 0)
                {
                    val = sk.sk_err_soft;
                    sk.sk_err_soft = 0;
                }

                return 0;
            case SO_RCVTIMEO_OLD:
                val = sock_get_timeout_usec(sk.sk_rcvtimeo);
                return 0;
            case SO_SNDTIMEO_OLD:
                val = sock_get_timeout_usec(sk.sk_sndtimeo);
                return 0;
            case SO_LINGER:
                // struct linger's 8 bytes read as one little-endian value: l_onoff low, l_linger (seconds) high
                val = (sock_flag(sk, sock_flags.SOCK_LINGER) ? 1L : 0L) | ((long)(int)(sk.sk_lingertime / Vmlinux.HZ) << 32);
                return 0;
            default:
                val = 0;
                return -errno_h.ENOPROTOOPT;
        }
    }

    // net/core/sock.c: sk_getsockopt
    /// <summary>
    /// The SOL_SOCKET options whose value is a structure rather than an int
    /// (SO_MEMINFO: as many of the SK_MEMINFO_* counters as the buffer holds);
    /// every other option takes the int path. Returns 0 or -errno; optlen is
    /// what was written.
    /// </summary>
    public static int sk_getsockopt(sock sk, int level, int optname, byte[]? optval, ref int optlen)
    {
        // not ported: cred_to_ucred, fd_install, fput, getname, groups_to_user, put_unused_fd, sk_get_peer_cred, sk_is_unix, sk_may_scm_recv, sk_get_filter, napi_id_valid, sk_is_tcp, sock_get_timeout, sock_getbindtodevice, sock_error, sock_flag — only SO_MEMINFO takes the buffer; every other option goes through the int form above
        if (optname == SO_MEMINFO)
        {
            var meminfo = new uint[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_VARS];
            sk_get_meminfo(sk, meminfo);

            var len = System.Math.Min(optlen, meminfo.Length * sizeof(uint));
            if (len > 0 && (optval is null || optval.Length < len))
            {
                return -errno_base_h.EFAULT;
            }

            var bytes = new byte[meminfo.Length * sizeof(uint)];
            System.Buffer.BlockCopy(meminfo, 0, bytes, 0, bytes.Length);
            bytes.AsSpan(0, System.Math.Max(len, 0)).CopyTo(optval);
            optlen = len;
            return 0;
        }

        var err = sk_getsockopt(sk, level, optname, out var v);
        if (err < 0)
        {
            return err;
        }

        var n = System.Math.Min(optlen, sizeof(int));
        if (n > 0)
        {
            if (optval is null || optval.Length < n)
            {
                return -errno_base_h.EFAULT;
            }

            System.BitConverter.GetBytes((int)v).AsSpan(0, n).CopyTo(optval);
        }

        optlen = n;
        return 0;
    }

    // net/core/sock.c: sk_get_meminfo
    /// <summary>The socket's memory counters in SK_MEMINFO_* order, as SO_MEMINFO and ss -m report them.</summary>
    public static void sk_get_meminfo(sock sk, uint[] mem)
    {
        System.Array.Clear(mem);

        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_RMEM_ALLOC] = (uint)sock_h.sk_rmem_alloc_get(sk);
        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_RCVBUF] = (uint)sk.sk_rcvbuf;
        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_WMEM_ALLOC] = (uint)sock_h.sk_wmem_alloc_get(sk);
        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_SNDBUF] = (uint)sk.sk_sndbuf;
        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_FWD_ALLOC] = (uint)sk.sk_forward_alloc;
        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_WMEM_QUEUED] = (uint)sk.sk_wmem_queued;

        // sk_omem_alloc: no option memory (filters, multicast lists) is charged in the port, so the slot stays 0.
        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_BACKLOG] = (uint)sk.sk_backlog_len;
        mem[Include.Uapi.Linux.sock_diag_h.SK_MEMINFO_DROPS] = (uint)sock_h.sk_drops_read(sk);
    }

    /// <summary>sock_get_timeout: jiffies back to a timeval (microseconds here); forever reads as 0.</summary>
    [KernelNet.Annotations.NotInLinux("the microseconds half of sock_get_timeout, split out for the old and new timeval layouts")]
    private static long sock_get_timeout_usec(long timeo) =>
        timeo == sched_h.MAX_SCHEDULE_TIMEOUT ? 0 : timeo * (1_000_000 / Vmlinux.HZ);

    // net/core/sock.c: sk_prot_alloc
    /// <summary>The protocol's socket struct, from its slab cache when proto_register made one (obj_size bytes), else as the protocol makes it.</summary>
    private static void sk_prot_alloc(proto prot, sock sk)
    {
        // not ported: kmalloc, kfree, kmem_cache_alloc, kmem_cache_free, sk_prot_clear_nulls, want_init_on_alloc — the sock is a C# object: only its address comes from the protocol's slab (kmem_cache_alloc_noprof); no security or owner hooks that could fail
        if (proto_slabs_of(sk.sk_net.k, prot) is { } slabs)
        {
            // the slab hands back the most recently freed socket's memory first
            sk.addr = Mm.slub_c.kmem_cache_alloc_noprof(slabs.slab, sk.addr);
            sk.sk_slab = slabs.slab;
            sk.sk_net.k.sock_ledger.OnAlloc(sk);
        }

        sk.proto_data = prot.slab?.Invoke(sk);
    }

    // net/core/sock.c: sk_prot_free
    /// <summary>The socket struct goes back to the cache it came from.</summary>
    private static void sk_prot_free(sock sk)
    {
        // not ported: kfree, sk_owner_put — the address goes back to the named cache; no module owner refs
        if (sk.sk_slab is { } slab)
        {
            Mm.slub_c.kmem_cache_free(slab, sk.addr);
            sk.sk_slab = null;
            sk.sk_net.k.sock_ledger.OnFree(sk);
        }
    }

    // net/core/sock.c: sk_alloc
    /// <summary>A new sock in <paramref name="net"/> for the protocol <paramref name="prot"/>.</summary>
    public static sock sk_alloc(net net, ushort family, proto prot, int type, int protocol)
    {
        // not ported: __netns_tracker_alloc, get_net_track, net_passive_inc, sock_net_set, sock_lock_init, sk_tx_queue_clear, sock_inuse_add, sock_update_classid, sock_update_netprioidx — the sock object takes its netns and defaults in its constructor; no netns refs, lockdep, inuse counters or cgroups
        var sk = new sock(net, family, type, protocol) { sk_prot = prot, sk_prot_unhash = prot.unhash };
        sk_prot_alloc(prot, sk);
        return sk;
    }

    // not ported: __netns_tracker_alloc, get_net_track, net_passive_inc, sock_net_set, sock_lock_init, sk_tx_queue_clear, sock_inuse_add, sock_update_classid, sock_update_netprioidx, sk_prot_alloc — kernel-internal socks get no slab object; the constructor sets netns and defaults; no netns refs, lockdep, inuse counters or cgroups
    // net/core/sock.c: sk_alloc
    /// <summary>The protocol-less form kept for callers that build kernel-internal socks (icmp, ping).</summary>
    public static sock sk_alloc(net net, ushort family, int type, int protocol) => new(net, family, type, protocol);

    // net/core/sock.c: __sk_destruct
    /// <summary>
    /// The last reference went: the protocol's destructor frees what was never
    /// read, then the sock goes back to its cache. For a SOCK_RCU_FREE socket
    /// (UDP, raw, TCP listeners) this is an RCU callback, in RCU_SOFTIRQ after a grace period.
    /// </summary>
    private static void __sk_destruct(rcu_head head)
    {
        // not ported: __netns_tracker_free, put_net_track, net_passive_dec, bpf_sk_storage_free, sk_filter_uncharge, sock_disable_timestamp, put_page — not kept by the port's socks (see the line below)
        var sk = (sock)head.container;
        sk.sk_destruct?.Invoke(sk);

        // not ported: sk_filter, timestamps, bpf storage, sk_frag's page, peer cred/pid, the netns reference — not kept by the port's socks.
        sk_prot_free(sk);
    }

    // net/core/sock.c: sk_destruct
    /// <summary>
    /// A SOCK_RCU_FREE socket may still be seen by lockless lookups (UDP, raw,
    /// listeners): its destruction waits a grace period (call_rcu); any other
    /// is destroyed now.
    /// </summary>
    public static void sk_destruct(sock sk)
    {
        var use_call_rcu = sock_flag(sk, sock_flags.SOCK_RCU_FREE);

        // not ported: reuseport_detach_sock — no reuseport groups (sk_reuseport_cb) in the port.
        if (use_call_rcu)
        {
            call_rcu(sk.sk_net.k, sk.sk_rcu, __sk_destruct);
        }
        else
        {
            __sk_destruct(sk.sk_rcu);
        }
    }

    // net/core/sock.c: __sk_free
    /// <summary>The sock's last reference and its last sent skb are gone.</summary>
    private static void __sk_free(sock sk)
    {
        // not ported: sock_diag_broadcast_destroy — no sock_diag listeners
        // not ported: sock_inuse_add and sock_diag's destroy broadcast — no sock_diag listeners in the simulation.
        sk_destruct(sk);
    }

    // net/core/sock.c: sk_free
    /// <summary>Drops the socket's own reference; in-flight sent skbs (sk_wmem_alloc) do not delay the destructor here.</summary>
    public static void sk_free(sock sk)
    {
        __sk_free(sk);
    }

    // net/core/sock.c: sk_dst_gso_max_size
    /// <summary>The largest GSO packet the device takes for this socket's family, less room for the headers TCP adds.</summary>
    private static uint sk_dst_gso_max_size(sock sk, net_device dev)
    {
        // not ported: ipv6_addr_v4mapped — no IPv6 sockets
        // no IPv6: the IPv4 limit applies
        var max_size = dev.gso_ipv4_max_size;
        if (max_size > netdevice_h.GSO_LEGACY_MAX_SIZE && !sk_is_tcp(sk))
        {
            max_size = netdevice_h.GSO_LEGACY_MAX_SIZE;
        }

        return max_size - (Ipv4.tcp_output_c.MAX_TCP_HEADER + 1);
    }

    // net/core/sock.c: __sk_dst_check
    /// <summary>
    /// The socket's cached route if it still holds (dst_check: for IPv4,
    /// not obsolete and not flushed); otherwise it is dropped from the socket,
    /// its reference released, and null tells the caller to route again.
    /// </summary>
    public static dst_entry? __sk_dst_check(sock sk, uint cookie)
    {
        // not ported: __sk_dst_get — an RCU dereference of sk_dst_cache, read directly.
        var dst = sk.sk_dst_cache as dst_entry;
        if (dst is not null && dst.obsolete != dst_h.DST_OBSOLETE_NONE && dst_h.dst_check(dst, cookie) is null)
        {
            sk_tx_queue_clear(sk);

            // not ported: sk_dst_pending_confirm — no neighbour confirmation from sockets.
            sk.sk_dst_cache = null;
            dst_c.dst_release(dst);
            return null;
        }

        return dst;
    }

    // net/core/sock.c: sk_setup_caps
    /// <summary>
    /// Makes <paramref name="dst"/> the socket's route and takes the offloads
    /// of its device: TCP always builds GSO skbs (NETIF_F_GSO, which brings
    /// every software-segmentable type), sized by the device's GSO limits;
    /// a device without TSO gets them cut in software at transmit.
    /// </summary>
    public static void sk_setup_caps(sock sk, dst_entry dst)
    {
        // not ported: dst_dev_rcu, dst_metric, sk_dst_set, xfrm_dst_offload_ok — the device is read as dst.dev; no route metrics (RTAX_QUICKACK) or xfrm; sk_dst_set is the field write at the end
        uint max_segs = 1;
        var dev = dst.dev!;

        // rcu_read_lock(): the device is read under RCU; one thread here.
        sk.sk_route_caps = dev.features;
        if (sk_is_tcp(sk))
        {
            // icsk_ack.dst_quick_ack (RTAX_QUICKACK): no route metrics modelled.
            sk.sk_route_caps |= netdev_features_h.NETIF_F_GSO;
        }

        if ((sk.sk_route_caps & netdev_features_h.NETIF_F_GSO) != 0)
        {
            sk.sk_route_caps |= netdev_features_h.NETIF_F_GSO_SOFTWARE;
        }

        // sk_gso_disabled: nothing in the port turns GSO off for a socket (no MD5/AO).
        if (sk_can_gso(sk))
        {
            // dst->header_len: no xfrm routes, so nothing to strip
            sk.sk_route_caps |= netdev_features_h.NETIF_F_SG | netdev_features_h.NETIF_F_HW_CSUM;
            sk.sk_gso_max_size = sk_dst_gso_max_size(sk, dev);
            max_segs = Math.Max(dev.gso_max_segs, 1U);
        }

        sk.sk_gso_max_segs = (ushort)Math.Min(max_segs, ushort.MaxValue);
        sk.sk_dst_cache = dst; // sk_dst_set
    }

    // net/core/sock.c: sock_wfree
    /// <summary>The destructor of a sent skb: returns its truesize to the sender's budget and lets writers in.</summary>
    [Borrows("skb")]
    public static void sock_wfree(sk_buff skb)
    {
        // not ported: __sk_free, sock_def_write_space_wfree — socket lifetime is the GC's; the wakeup goes through sk_write_space
        var sk = skb.sk!;
        var len = (int)skb.truesize;
        if (!sock_flag(sk, sock_flags.SOCK_USE_WRITE_QUEUE))
        {
            // sk_write_space may look at sk_wmem_alloc: hold a reference over the call.
            sk.sk_wmem_alloc -= len - 1;
            if (sk.sk_socket is not null)
            {
                sk.sk_write_space?.Invoke(sk);
            }

            len = 1;
        }

        sk.sk_wmem_alloc -= len;
    }

    // net/core/sock.c: __sock_wfree
    /// <summary>The destructor of a sent TCP pure ACK: its truesize (2) leaves sk_wmem_alloc, with no write-space wakeup and no TSQ.</summary>
    [Borrows("skb")]
    public static void __sock_wfree(sk_buff skb)
    {
        // not ported: __sk_free — socket lifetime is the GC's: sk_wmem_alloc reaching zero frees nothing
        var sk = skb.sk!;

        // refcount_sub_and_test: the port does not free the socket when sk_wmem_alloc reaches 0 (__sk_free).
        sk.sk_wmem_alloc -= (int)skb.truesize;
    }

    // net/core/sock.c: sock_ofree
    /// <summary>The destructor of an option-memory skb: its truesize leaves sk_omem_alloc.</summary>
    [Borrows("skb")]
    private static void sock_ofree(sk_buff skb)
    {
        var sk = skb.sk!;

        sk.sk_omem_alloc -= (int)skb.truesize;
    }

    // net/core/sock.c: sock_omalloc
    /// <summary>
    /// An skb of <paramref name="size"/> bytes charged to the socket's option
    /// memory (net.core.optmem_max; null past it): MSG_ZEROCOPY's notification.
    /// </summary>
    public static sk_buff? sock_omalloc(sock sk, int size)
    {
        sk_buff? skb;

        // a small race in C: SKB_TRUESIZE(size) may differ from the skb's final truesize
        if (sk.sk_omem_alloc + SKB_TRUESIZE(size) > sk.sk_net.core_sysctl["optmem_max"])
        {
            return null;
        }

        skb = alloc_skb(sk.sk_net.k, size);
        if (skb is null)
        {
            return null;
        }

        sk.sk_omem_alloc += (int)skb.truesize;
        skb.sk = sk;
        skb.destructor = sock_ofree;
        return skb;
    }

    // net/core/sock.c: skb_set_owner_w
    /// <summary>Charges an skb being sent to its socket (sk_wmem_alloc), released by sock_wfree.</summary>
    [Borrows("skb")]
    public static void skb_set_owner_w(sk_buff skb, sock sk)
    {
        // not ported: sk_fullsock, skb_set_owner_edemux, skb_set_hash_from_sk — every caller passes a full socket (a SYN-ACK's request sock is set by tcp_make_synack itself); sk_txhash is not copied to skb->hash
        skb_orphan(skb);
        skb.sk = sk;
        skb.destructor = sock_wfree;
        sk.sk_wmem_alloc += (int)skb.truesize;
    }

    // net/core/sock.c: __sk_mem_schedule
    /// <summary>Raises the forward allocation by whole pages for <paramref name="size"/> bytes; the protocol-wide limits (tcp_mem, memory pressure) are not ported, so it always grants.</summary>
    public static int __sk_mem_schedule(sock sk, int size, int kind)
    {
        // not ported: __sk_mem_raise_allocated — no protocol memory pressure: the pages are always granted (file header)
        var amt = sk_mem_pages(size);
        sk_forward_alloc_add(sk, amt * SK_MEM_QUANTUM);

        // __sk_mem_raise_allocated: no memory_allocated accounting.
        _ = kind;
        return 1;
    }

    // net/core/sock.c: __sk_mem_reclaim
    /// <summary>Gives back the whole pages of <paramref name="amount"/>.</summary>
    public static void __sk_mem_reclaim(sock sk, int amount)
    {
        // not ported: __sk_mem_reduce_allocated — no protocol-wide memory_allocated to reduce: only sk_forward_alloc is kept
        amount /= SK_MEM_QUANTUM;
        sk_forward_alloc_add(sk, -(amount * SK_MEM_QUANTUM));

        // __sk_mem_reduce_allocated: no memory_allocated accounting.
    }

    // net/core/sock.c: sock_rfree
    /// <summary>The destructor of a received skb owned by a socket: uncharge sk_rmem_alloc.</summary>
    [Borrows("skb")]
    public static void sock_rfree(sk_buff skb)
    {
        var sk = skb.sk!;
        var len = (int)skb.truesize;
        sk.sk_rmem_alloc -= len;
        sk_mem_uncharge(sk, len);
    }

    // net/core/sock.c: sock_wait_for_wmem
    /// <summary>Sleeps until the socket's sent skbs have been freed below sk_sndbuf (or error, shutdown, timeout).</summary>
    [MightSleep]
    private static async Task<long> sock_wait_for_wmem(sock sk, long timeo)
    {
        // not ported: DEFINE_WAIT, sk_clear_bit — the wait entry is built directly for prepare_to_wait; no fasync bits
        var k = sk.sk_net.k;
        var wait = new wait_queue_entry(k.current, autoremove_wake_function);
        while (true)
        {
            if (timeo == 0)
            {
                break;
            }

            if (sched_h.signal_pending(k.current))
            {
                break;
            }

            if (sk.sk_socket is socket s)
            {
                s.flags |= 1UL << net_h.SOCK_NOSPACE;
            }

            prepare_to_wait(k, sk_sleep(sk), wait, sched_h.TASK_INTERRUPTIBLE);
            if (sk.sk_wmem_alloc < sk.sk_sndbuf)
            {
                break;
            }

            if ((sk.sk_shutdown & SEND_SHUTDOWN) != 0)
            {
                break;
            }

            if (sk.sk_err != 0)
            {
                break;
            }

            timeo = await Kernel.Time.sleep_timeout_c.schedule_timeout(k, timeo);
        }

        finish_wait(k, sk_sleep(sk), wait);
        return timeo;
    }

    // net/core/sock.c: sock_alloc_send_pskb
    /// <summary>
    /// An skb for sending, charged to the socket: fails with the pending
    /// error (ECONNREFUSED after a port unreachable), -EPIPE after
    /// shutdown(SHUT_WR), or -EAGAIN when the send buffer is full and the
    /// call may not block; otherwise sleeps until sent skbs are freed.
    /// </summary>
    [MightSleep]
    public static async Task<(sk_buff? Skb, int Err)> sock_alloc_send_pskb(sock sk, int header_len, int data_len, bool noblock)
    {
        // not ported: alloc_skb_with_frags, sk_set_bit — the skb is allocated whole and linear with __alloc_skb; no SOCKWQ_ASYNC_NOSPACE (no fasync)
        var timeo = sock_sndtimeo(sk, noblock);
        int err;
        while (true)
        {
            err = sock_error(sk);
            if (err != 0)
            {
                goto failure;
            }

            err = -errno_base_h.EPIPE;
            if ((sk.sk_shutdown & SEND_SHUTDOWN) != 0)
            {
                goto failure;
            }

            if (sk_wmem_alloc_get(sk) < sk.sk_sndbuf)
            {
                break;
            }

            if (sk.sk_socket is socket s)
            {
                s.flags |= 1UL << net_h.SOCK_NOSPACE;
            }

            err = -errno_base_h.EAGAIN;
            if (timeo == 0)
            {
                goto failure;
            }

            if (sched_h.signal_pending(sk.sk_net.k.current))
            {
                goto interrupted;
            }

            timeo = await sock_wait_for_wmem(sk, timeo);
        }

        var skb = Net.Core.skbuff_c.__alloc_skb(sk.sk_net.k, header_len + data_len, 0);
        if (skb is null)
        {
            return (null, -errno_h.ENOBUFS);
        }

        skb_set_owner_w(skb, sk);
        return (skb, 0);

    interrupted:
        err = sock_intr_errno(timeo);
    failure:
        return (null, err);
    }

    /// <summary>SKB_FRAG_PAGE_ORDER: get_order(32768), the 32 KiB compound pages a page frag is refilled with.</summary>
    public const int SKB_FRAG_PAGE_ORDER = 3;

    // net/core/sock.c: skb_page_frag_refill
    /// <summary>
    /// Makes sure <paramref name="pfrag"/> has room for at least
    /// <paramref name="sz"/> bytes: a page nobody else holds any more is
    /// reused from its start, one with room kept, else it is let go and a new
    /// 32 KiB compound page taken (from the page allocator's free pages of
    /// this CPU first: <paramref name="k"/>, as alloc_pages takes it). False
    /// when no page can be had.
    /// </summary>
    public static bool skb_page_frag_refill(Vmlinux k, int sz, Include.Linux.page_frag pfrag, int gfp)
    {
        // not ported: alloc_page — the order-0 fallback calls alloc_pages(gfp, 0), what alloc_page expands to
        if (pfrag.page is { } page)
        {
            if (Include.Linux.page_ref_h.page_ref_count(page) == 1)
            {
                pfrag.offset = 0;
                return true;
            }

            if (pfrag.offset + sz <= pfrag.size)
            {
                return true;
            }

            Include.Linux.mm_h.put_page(page);
        }

        pfrag.offset = 0;

        // net_high_order_alloc_disable_key is off: the compound page first
        pfrag.page = Include.Linux.gfp_h.alloc_pages(k, gfp, SKB_FRAG_PAGE_ORDER);
        if (pfrag.page is not null)
        {
            pfrag.size = Include.Linux.mm_h.PAGE_SIZE << SKB_FRAG_PAGE_ORDER;
            return true;
        }

        pfrag.page = Include.Linux.gfp_h.alloc_pages(k, gfp, 0);
        if (pfrag.page is not null)
        {
            pfrag.size = Include.Linux.mm_h.PAGE_SIZE;
            return true;
        }

        return false;
    }

    // net/core/sock.c: sk_page_frag_refill
    /// <summary>skb_page_frag_refill for a socket's frag (at least 32 bytes of room); false when no page can be had.</summary>
    public static bool sk_page_frag_refill(sock sk, Include.Linux.page_frag pfrag)
    {
        if (skb_page_frag_refill(sock_net(sk).k, 32, pfrag, 0))
        {
            return true;
        }

        // not ported: sk_enter_memory_pressure, sk_stream_moderate_sndbuf — alloc_pages does not fail here.
        return false;
    }

    // net/core/sock.c: sock_no_connect
    /// <summary>proto_ops.connect of a family without connections (packet sockets).</summary>
    public static int sock_no_connect(socket sock, byte[] saddr, int len, int flags) => -errno_h.EOPNOTSUPP;

    // net/core/sock.c: sock_no_shutdown
    /// <summary>proto_ops.shutdown of a family that has none (packet sockets).</summary>
    public static int sock_no_shutdown(socket sock, int how) => -errno_h.EOPNOTSUPP;

    // net/core/sock.c: sock_def_error_report
    /// <summary>An error was posted (sk_err): wake everyone waiting on the socket (EPOLLERR).</summary>
    private static void sock_def_error_report(sock sk)
    {
        // not ported: sk_wake_async_rcu — the same step through sk_wake_async
        var wq = sk.sk_wq_made; // rcu_dereference(sk->sk_wq)
        if (skwq_has_sleeper(wq))
        {
            Include.Linux.wait_h.wake_up_interruptible_poll(sk.sk_net.k, wq, Include.Uapi.Linux.eventpoll_h.EPOLLERR);
        }

        sk_wake_async(sk, net_h.SOCK_WAKE_IO, 0);
    }

    // net/core/sock.c: sock_def_readable
    /// <summary>
    /// Data arrived (RX-12): trace sk_data_ready, then wake one reader
    /// sleeping on the socket's wait queue (wake_up_interruptible_sync_poll:
    /// exclusive waiters, one at a time). Runs in the softirq that delivered.
    /// </summary>
    public static void sock_def_readable(sock sk)
    {
        // not ported: sk_wake_async_rcu — the same step through sk_wake_async
        trace_sk_data_ready(sk, "sock_def_readable");

        // rcu_read_lock: sk_wq cannot go away under us.
        var wq = sk.sk_wq_made; // rcu_dereference(sk->sk_wq)
        if (skwq_has_sleeper(wq))
        {
            Include.Linux.wait_h.wake_up_interruptible_sync_poll(sk.sk_net.k, wq, Include.Uapi.Linux.eventpoll_h.EPOLLIN | Include.Uapi.Linux.eventpoll_h.EPOLLPRI | Include.Uapi.Linux.eventpoll_h.EPOLLRDNORM | Include.Uapi.Linux.eventpoll_h.EPOLLRDBAND);
        }

        sk_wake_async(sk, net_h.SOCK_WAKE_WAITD, 0);
    }

    // net/core/sock.c: sock_def_write_space
    /// <summary>Send buffer space freed: wake writers once sk_wmem_alloc fell to half of sk_sndbuf (sock_writeable).</summary>
    private static void sock_def_write_space(sock sk)
    {
        // not ported: sk_wake_async_rcu, sock_writeable — the same steps through sk_wake_async and sock_writeable's test written inline
        if ((sk.sk_wmem_alloc << 1) < sk.sk_sndbuf)
        {
            var wq = sk.sk_wq_made; // rcu_dereference(sk->sk_wq)
            if (skwq_has_sleeper(wq))
            {
                Include.Linux.wait_h.wake_up_interruptible_sync_poll(sk.sk_net.k, wq, Include.Uapi.Linux.eventpoll_h.EPOLLOUT | Include.Uapi.Linux.eventpoll_h.EPOLLWRNORM | Include.Uapi.Linux.eventpoll_h.EPOLLWRBAND);
            }

            sk_wake_async(sk, net_h.SOCK_WAKE_SPACE, 0);
        }
    }

    // net/core/sock.c: sock_def_wakeup
    /// <summary>sk_state_change: wake everyone (wake_up_interruptible_all: no key, so every poll and epoll entry sees it).</summary>
    private static void sock_def_wakeup(sock sk)
    {
        // not ported: wake_up_interruptible_all — written as __wake_up(TASK_INTERRUPTIBLE, 0), what it expands to
        var wq = sk.sk_wq_made; // rcu_dereference(sk->sk_wq)
        if (skwq_has_sleeper(wq))
        {
            __wake_up(sk.sk_net.k, wq, sched_h.TASK_INTERRUPTIBLE, 0);
        }
    }

    // net/core/sock.c: sk_clone_lock
    /// <summary>
    /// A new sock copying <paramref name="sk"/>'s settings (buffers, locks,
    /// device, mark, priority, timeouts, callbacks and state); owned by no
    /// BSD socket, with empty queues. The protocol's part is the caller's.
    /// </summary>
    public static sock sk_clone_lock(sock sk)
    {
        // not ported: __netns_tracker_alloc, get_net_track, net_passive_inc, bpf_sk_storage_clone, sk_filter_charge, xfrm_sk_clone_policy, sk_sockets_allocated_inc, sock_inuse_add, sock_needs_netstamp, net_enable_timestamp, bh_lock_sock, bh_unlock_sock, raw_smp_processor_id, sk_free — no netns refs, BPF, filters, xfrm, counters or timestamp key; single-threaded; the clone cannot fail
        // not ported: sk_prot_alloc, sock_copy, sk_init_common, sk_node_init, sock_lock_init, sk_tx_queue_clear, sk_drops_reset, sk_set_socket, sk_user_data_is_nocopy, sock_reset_flag — the child is a fresh sk_alloc with the listener's fields copied one by one, so the state the kernel resets starts empty
        var newsk = sk_alloc(sk.sk_net, sk.sk_family, sk.sk_prot!, sk.sk_type, sk.sk_protocol);
        newsk.sk_state = sk.sk_state;
        newsk.sk_flags = sk.sk_flags;

        // sock_copy takes every field; the child keeps SO_REUSEADDR/SO_REUSEPORT, but not the port lock of a bind()
        newsk.sk_reuse = sk.sk_reuse;
        newsk.sk_reuseport = sk.sk_reuseport;
        newsk.sk_userlocks = (byte)(sk.sk_userlocks & ~Include.Net.sock_h.SOCK_BINDPORT_LOCK);
        newsk.sk_bound_dev_if = sk.sk_bound_dev_if;
        newsk.sk_rcvbuf = sk.sk_rcvbuf;
        newsk.sk_sndbuf = sk.sk_sndbuf;
        newsk.sk_rcvtimeo = sk.sk_rcvtimeo;
        newsk.sk_sndtimeo = sk.sk_sndtimeo;
        newsk.sk_lingertime = sk.sk_lingertime;
        newsk.sk_rcvlowat = sk.sk_rcvlowat;
        newsk.sk_mark = sk.sk_mark;
        newsk.sk_txrehash = sk.sk_txrehash;
        newsk.sk_priority = sk.sk_priority;
        newsk.sk_data_ready = sk.sk_data_ready;
        newsk.sk_write_space = sk.sk_write_space;
        newsk.sk_error_report = sk.sk_error_report;
        newsk.sk_state_change = sk.sk_state_change;
        newsk.sk_destruct = sk.sk_destruct;

        // sk_set_socket(newsk, NULL), RCU_INIT_POINTER(newsk->sk_wq, NULL): the child belongs to nobody yet.
        newsk.sk_socket = null;
        return newsk;
    }

    // net/core/sock.c: sock_init_data
    /// <summary>
    /// Defaults: net.core.rmem_default/wmem_default (212992) buffers,
    /// TCP_CLOSE, the default callbacks, no timeouts, SOCK_ZAPPED; and the
    /// graft onto the BSD socket.
    /// </summary>
    public static void sock_init_data(socket? sock, sock sk)
    {
        // not ported: SOCK_INODE, sock_init_data_uid — no inodes or uids: sk_uid is 0
        sk.sk_rcvbuf = (int)sk.sk_net.core_sysctl["rmem_default"];
        sk.sk_sndbuf = (int)sk.sk_net.core_sysctl["wmem_default"];
        sk.sk_state = TCP_CLOSE;
        sock_set_flag(sk, sock_flags.SOCK_ZAPPED);
        if (sock is not null)
        {
            sock_graft(sk, sock);
        }

        sk.sk_state_change = sock_def_wakeup;
        sk.sk_data_ready = sock_def_readable;
        sk.sk_write_space = sock_def_write_space;
        sk.sk_error_report = sock_def_error_report;
        sk.sk_rcvlowat = 1;
        sk.sk_rcvtimeo = sched_h.MAX_SCHEDULE_TIMEOUT;
        sk.sk_sndtimeo = sched_h.MAX_SCHEDULE_TIMEOUT;
    }

    // net/core/sock.c: sk_error_report
    /// <summary>Tells the socket's owner an error was posted (sk_err), and traces inet_sk_error_report.</summary>
    public static void sk_error_report(sock sk)
    {
        sk.sk_error_report?.Invoke(sk);
        trace_inet_sk_error_report(sk);
    }

    // net/core/sock.c: sock_common_getsockopt
    /// <summary>getsockopt of an INET socket: the protocol's getsockopt (udp_getsockopt).</summary>
    public static (int Err, long Val) sock_common_getsockopt(socket sock, int level, int optname) =>
        sock.sk!.sk_prot!.getsockopt!(sock.sk, level, optname);

    // net/core/sock.c: sk_wait_data
    /// <summary>
    /// Sleeps until the receive queue's tail is no longer <paramref name="skb"/>
    /// (new data), a wakeup, or the timeout: the socket is released while
    /// asleep (its backlog processed), and taken again after (sk_wait_event).
    /// A real sleep (IO-1): the task leaves the CPU in schedule_timeout and
    /// sock_def_readable's wakeup puts it back. Returns whether data came
    /// and the time left. Process context.
    /// </summary>
    [MightSleep]
    [Borrows("skb")]
    public static async Task<(int Rc, long Timeo)> sk_wait_data(sock sk, long timeo, sk_buff? skb)
    {
        // not ported: DEFINE_WAIT_FUNC, add_wait_queue, remove_wait_queue, sk_wait_event, sk_set_bit, sk_clear_bit, skb_peek_tail — written with prepare_to_wait/finish_wait around schedule_timeout (wait_woken is not ported); no fasync bits; the tail is sk_receive_queue.last
        var k = sk.sk_net.k;

        // DEFINE_WAIT_FUNC(wait, woken_wake_function) with wait_woken: prepare_to_wait and
        // schedule_timeout make the same sleep here (wait_woken is not ported).
        var wait = new wait_queue_entry(k.current, autoremove_wake_function);

        // sk_set_bit(SOCKWQ_ASYNC_WAITDATA): no fasync.
        // sk_wait_event
        release_sock(sk);
        prepare_to_wait(k, sk_sleep(sk), wait, sched_h.TASK_INTERRUPTIBLE);
        var rc = sk.sk_receive_queue.last != skb;
        if (!rc)
        {
            timeo = await Kernel.Time.sleep_timeout_c.schedule_timeout(k, timeo);
        }

        finish_wait(k, sk_sleep(sk), wait);
        lock_sock(sk);
        rc = sk.sk_receive_queue.last != skb;
        return (rc ? 1 : 0, timeo);
    }

    // net/core/sock.c: sock_common_setsockopt
    /// <summary>setsockopt of an INET socket: the protocol's setsockopt (udp_setsockopt).</summary>
    public static int sock_common_setsockopt(socket sock, int level, int optname, long val) =>
        sock.sk!.sk_prot!.setsockopt!(sock.sk, level, optname, val);

    // net/core/sock.c: lock_sock_nested
    /// <summary>The task takes the socket (one thread: nobody else can hold it, so no waiting).</summary>
    [MightSleep]
    public static void lock_sock_nested(sock sk, int subclass)
    {
        // not ported: __lock_sock, sock_owned_by_user_nocheck — single-threaded: no other context holds the socket when lock_sock is taken, so ownership is taken at once
        sk.sk_lock_owned = true;
    }

    // net/core/sock.c: __release_sock
    /// <summary>
    /// Processes what softirq queued on the backlog while the socket was owned, oldest first,
    /// until it stays empty. Called with bottom halves off (release_sock's spin_lock_bh); they
    /// are on while each batch is processed, so softirq may queue more meanwhile.
    /// </summary>
    public static void __release_sock(sock sk)
    {
        // not ported: cond_resched, skb_dst_is_noref, skb_mark_not_on_list — the simulation is not preemptible; dst refs are not counted; the chain is unlinked in place (next and prev cleared)
        while (sk.sk_backlog_head is { } head)
        {
            sk_buff? skb = head;
            sk.sk_backlog_head = null;
            sk.sk_backlog_tail = null;

            // spin_unlock_bh: softirq may add more while these are processed.
            bottom_half_h.local_bh_enable(sk.sk_net.k);
            while (skb is not null)
            {
                var next = skb.next;
                skb.next = null;
                skb.prev = null;
                sk_backlog_rcv(sk, skb);
                skb = next;
            }

            bottom_half_h.local_bh_disable(sk.sk_net.k);
        }

        sk.sk_backlog_len = 0;
    }

    // net/core/sock.c: __sk_flush_backlog
    /// <summary>The backlog is processed now, the socket staying owned (release_cb: nothing is deferred yet).</summary>
    public static bool __sk_flush_backlog(sock sk)
    {
        bottom_half_h.local_bh_disable(sk.sk_net.k);
        __release_sock(sk);
        bottom_half_h.local_bh_enable(sk.sk_net.k);
        return true;
    }

    // net/core/sock.c: release_sock
    /// <summary>
    /// Gives the socket back: the backlog is processed first, in the task's context. Bottom
    /// halves stay off (the C's spin_lock_bh on sk_lock.slock) from the last backlog batch
    /// until ownership is released, so a segment that arrives while release_cb transmits is
    /// processed by softirq once the socket is free, never left on a backlog nobody drains.
    /// </summary>
    public static void release_sock(sock sk)
    {
        // not ported: sock_release_ownership, waitqueue_active, wake_up — ownership is cleared as sk_lock_owned = false; no waiter can queue on sk_lock in a single-threaded run
        var k = sk.sk_net.k;
        bottom_half_h.local_bh_disable(k);
        if (sk.sk_backlog_tail is not null)
        {
            __release_sock(sk);
        }

        sk.sk_prot?.release_cb?.Invoke(sk);
        sk.sk_lock_owned = false;
        bottom_half_h.local_bh_enable(k);
    }

    // net/core/sock.c: sock_enable_timestamp
    /// <summary>Sets a timestamp flag; the first of SOCK_TIMESTAMP/SOCK_TIMESTAMPING_RX_SOFTWARE turns on net timestamping.</summary>
    public static void sock_enable_timestamp(sock sk, sock_flags flag)
    {
        // not ported: sock_needs_netstamp — every socket needs the timestamp key: no PF_UNIX special case
        const ulong SK_FLAGS_TIMESTAMP = (1UL << (int)sock_flags.SOCK_TIMESTAMP) | (1UL << (int)sock_flags.SOCK_TIMESTAMPING_RX_SOFTWARE);
        if (!sock_flag(sk, flag))
        {
            var previous_flags = sk.sk_flags;
            sock_set_flag(sk, flag);

            // sock_needs_netstamp: true for every family but AF_UNIX, which the port has not
            if ((previous_flags & SK_FLAGS_TIMESTAMP) == 0)
            {
                dev_c.net_enable_timestamp(sk.sk_net.k);
            }
        }
    }

    // net/core/sock.c: sock_gettstamp
    /// <summary>
    /// SIOCGSTAMP/SIOCGSTAMPNS: the time of the last packet read, as a timeval or timespec of two
    /// 64-bit words; the first call turns timestamping on and has nothing yet (ENOENT).
    /// </summary>
    public static int sock_gettstamp(socket sock, byte[]? userstamp, bool timeval, bool time32)
    {
        // not ported: put_timespec64 — the value is returned to the syscall layer, which copies it out
        var sk = sock.sk!;
        sock_enable_timestamp(sk, sock_flags.SOCK_TIMESTAMP);
        var ts = sock_read_timestamp(sk);
        if (ts == SK_DEFAULT_STAMP)
        {
            return -errno_base_h.ENOENT;
        }

        if (ts == 0)
        {
            // ktime_get_real: the simulation has one clock, the virtual one
            ts = sk.sk_net.k.ktime_get_ns();
            sock_write_timestamp(sk, ts);
        }

        // not ported: put_old_timespec32 — time32 is for 32-bit tasks, the simulation's are 64-bit
        _ = time32;
        if (userstamp is null || userstamp.Length < 16)
        {
            return -errno_base_h.EFAULT;
        }

        var sec = ts / 1_000_000_000;
        var nsec = ts % 1_000_000_000;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(userstamp, sec);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(userstamp.AsSpan(8), timeval ? nsec / 1000 : nsec);
        return 0;
    }

    // net/core/sock.c: sock_ioctl_out
    /// <summary>The protocol's ioctl into a kernel int, then put_user of it (-EFAULT when the user's int is not there).</summary>
    private static int sock_ioctl_out(sock sk, uint cmd, byte[]? arg)
    {
        var (ret, karg) = sk.sk_prot!.ioctl!(sk, (int)cmd);
        if (ret != 0)
        {
            return ret;
        }

        if (arg is null || arg.Length < sizeof(int))
        {
            return -errno_base_h.EFAULT;
        }

        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(arg, karg);
        return 0;
    }

    // not ported: ipmr_sk_ioctl, phonet_sk_ioctl, sk_is_phonet — no multicast routing or phonet sockets
    // net/core/sock.c: sk_ioctl
    /// <summary>A socket ioctl with its int result copied out (the multicast-routing and phonet cases do not apply).</summary>
    public static int sk_ioctl(sock sk, uint cmd, byte[]? arg) => sock_ioctl_out(sk, cmd, arg);

    // net/core/sock.c: sock_common_setsockopt
    /// <summary>setsockopt of an INET socket with the value as a buffer: the protocol's (tcp_setsockopt).</summary>
    public static int sock_common_setsockopt(socket sock, int level, int optname, byte[] optval, int optlen) =>
        sock.sk!.sk_prot!.setsockopt_buf!(sock.sk, level, optname, optval, optlen);

    // net/core/sock.c: sk_common_release
    /// <summary>Closing a datagram socket: the protocol's destroy, unhash, orphan, and the last put (destructor).</summary>
    public static void sk_common_release(sock sk)
    {
        // not ported: sock_put, xfrm_sk_free_policy — socket lifetime is the GC's; no xfrm policies
        sk.sk_prot?.destroy?.Invoke(sk);
        (sk.sk_prot?.unhash ?? sk.sk_prot_unhash)?.Invoke(sk);
        sock_orphan(sk);
        sk_free(sk);
    }

    // net/core/sock.c: proto_register
    /// <summary>
    /// Registers a protocol; with <paramref name="alloc_slab"/>, makes its
    /// socket cache (named after it, cache-line aligned, plus its slab_flags),
    /// then its request-sock and timewait caches (req_prot_init, tw_prot_init:
    /// "request_sock_" and "tw_sock_" + name, word aligned), newest first on slab_caches.
    /// </summary>
    public static int proto_register(Vmlinux k, proto prot, bool alloc_slab)
    {
        // not ported: assign_proto_idx, kmem_cache_create_usercopy, kmem_cache_destroy, req_prot_init, req_prot_cleanup, tw_prot_init, tw_prot_cleanup — no /proc/net/protocols index; the three slabs are made with __kmem_cache_create_args (no usercopy region) and never fail, so nothing is unwound
        if (alloc_slab && prot.obj_size != 0)
        {
            var flags = Include.Linux.slab_h.SLAB_HWCACHE_ALIGN | Include.Linux.slab_h.SLAB_ACCOUNT | prot.slab_flags;
            var slab = Mm.slab_common_c.__kmem_cache_create_args(k, prot.name, prot.obj_size, 0, flags);
            var rsk_slab = prot.rsk_obj_size == 0 ? null :
                Mm.slab_common_c.__kmem_cache_create_args(k, "request_sock_" + prot.name, prot.rsk_obj_size, 0, Include.Linux.slab_h.SLAB_ACCOUNT | prot.slab_flags);
            var twsk_slab = prot.twsk_obj_size == 0 ? null :
                Mm.slab_common_c.__kmem_cache_create_args(k, "tw_sock_" + prot.name, prot.twsk_obj_size, 0, Include.Linux.slab_h.SLAB_ACCOUNT | prot.slab_flags);
            k.globals<sock_globals>().proto_slabs[prot] = new proto_slabs(slab, twsk_slab, rsk_slab);
        }

        // assign_proto_idx, the proto_list: the port keeps no list of protos.
        return 0;
    }

    /// <summary>The caches proto_register made for <paramref name="prot"/> in this kernel (prot->slab and friends), or null if it made none.</summary>
    [KernelNet.Annotations.NotInLinux("C# accessor of a proto's slab caches (prot->slab in C)")]
    public static proto_slabs? proto_slabs_of(Vmlinux k, proto prot) =>
        k.globals<sock_globals>().proto_slabs.TryGetValue(prot, out var s) ? s : null;

    // net/core/sock.c: sock_recv_errqueue
    /// <summary>
    /// recvmsg(MSG_ERRQUEUE) for a family without its own reader: the head
    /// of the error queue — its bytes (MSG_TRUNC past <paramref name="len"/>),
    /// its timestamps and the extended error as a (level, type) cmsg. -EAGAIN
    /// when the queue is empty.
    /// </summary>
    public static int sock_recv_errqueue(sock sk, msghdr msg, int len, int level, int type)
    {
        // not ported: kfree_skb — the skb is freed where the kernel does, with kfree_skb_reason(NOT_SPECIFIED), what kfree_skb expands to
        sock_exterr_skb serr;
        sk_buff? skb;
        int copied, err;

        err = -errno_base_h.EAGAIN;
        skb = skbuff_c.sock_dequeue_err_skb(sk);
        if (skb is null)
        {
            goto @out;
        }

        copied = skb.len;
        if (copied > len)
        {
            msg.msg_flags |= MSG_TRUNC;
            copied = len;
        }

        err = skb_copy_datagram_msg(skb, 0, msg, copied);
        if (err != 0)
        {
            goto out_free_skb;
        }

        sock_recv_timestamp(msg, sk, skb);

        serr = Include.Linux.errqueue_h.SKB_EXT_ERR(skb);
        var ee = new byte[Include.Uapi.Linux.sock_extended_err.Size];
        serr.ee.write_to(ee);
        scm_c.put_cmsg(msg, level, type, ee);

        msg.msg_flags |= MSG_ERRQUEUE;
        err = copied;

    out_free_skb:
        // 6.18 frees with plain kfree_skb here, read or not
        kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
    @out:
        return err;
    }
}
