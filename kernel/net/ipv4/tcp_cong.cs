// Ports net/ipv4/tcp_cong.c: the list of registered congestion control
// algorithms, choosing one by name (TCP_CONGESTION), the state changes
// (tcp_set_ca_state), an algorithm's init (tcp_init_congestion_control),
// and what every algorithm builds on: slow start (tcp_slow_start), additive
// increase (tcp_cong_avoid_ai), and Reno, the built-in fallback
// (tcp_reno_cong_avoid, tcp_reno_ssthresh, tcp_reno_undo_cwnd).
//
// not ported: the sysctls for the allowed/available lists (every registered
// algorithm is allowed: programs run as root, CAP_NET_ADMIN), module
// references, ECN-needing algorithms.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;
using static KernelNet.Kernel.Include.Net.tcp_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>tcp_cong.c's globals: tcp_cong_list.</summary>
public sealed class tcp_cong_globals
{
    public List<tcp_congestion_ops> tcp_cong_list { get; } = new();
}

public static class tcp_cong_c
{
    /// <summary>tcp_reno: the Reno algorithm, always there (TCP_CONG_NON_RESTRICTED).</summary>
    public static tcp_congestion_ops tcp_reno { get; } = new()
    {
        name = "reno",
        flags = 0x1,
        ssthresh = tcp_reno_ssthresh,
        cong_avoid = tcp_reno_cong_avoid,
        undo_cwnd = tcp_reno_undo_cwnd,
    };

    // net/ipv4/tcp_cong.c: tcp_set_ca_state
    /// <summary>The congestion state changes; the algorithm's set_state hook hears of it first.</summary>
    public static void tcp_set_ca_state(sock sk, byte ca_state)
    {
        var icsk = inet_csk(sk);

        Include.Trace.Events.tcp_h.trace_tcp_cong_state_set(sk, ca_state);
        icsk.icsk_ca_ops?.set_state?.Invoke(sk, ca_state);
        icsk.icsk_ca_state = ca_state;
    }

    // net/ipv4/tcp_cong.c: tcp_ca_find
    /// <summary>The registered algorithm called <paramref name="name"/>, or null.</summary>
    public static tcp_congestion_ops? tcp_ca_find(Vmlinux k, string name)
    {
        foreach (var e in k.globals<tcp_cong_globals>().tcp_cong_list)
        {
            if (e.name == name)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>
    /// jhash(ca->name, sizeof(ca->name), strlen(ca->name)): the name NUL-padded
    /// to TCP_CA_NAME_MAX, hashed as tcp_register_congestion_control does.
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the key tcp_register_congestion_control computes, computed when the ops is built since static ops are shared by every simulated kernel")]
    public static uint tcp_ca_name_key(string name)
    {
        System.Span<byte> buf = stackalloc byte[Include.Uapi.Linux.tcp_h.TCP_CA_NAME_MAX];
        System.Text.Encoding.ASCII.GetBytes(name, buf);
        return jhash_h.jhash(buf, (uint)buf.Length, (uint)name.Length);
    }

    // net/ipv4/tcp_cong.c: tcp_register_congestion_control
    /// <summary>Adds an algorithm; a second one of the same name is EEXIST.</summary>
    public static int tcp_register_congestion_control(Vmlinux k, tcp_congestion_ops ca)
    {
        // not ported: tcp_validate_congestion_control — it checks an algorithm (a module) has its required
        //   hooks: the port's algorithms are built in and complete
        // not ported: jhash, tcp_ca_find_key — ca->key = jhash(name) is computed when the ops is built
        //   (tcp_ca_name_key), since the static ops are shared by every simulated kernel and may not be written
        //   here; a duplicate is found by its name (tcp_ca_find)
        if (tcp_ca_find(k, ca.name) is not null)
        {
            return -errno_base_h.EEXIST;
        }

        k.globals<tcp_cong_globals>().tcp_cong_list.Add(ca);
        return 0;
    }

    // net/ipv4/tcp_cong.c: tcp_assign_congestion_control
    /// <summary>A new socket takes the namespace's default algorithm (reno if it has none).</summary>
    public static void tcp_assign_congestion_control(sock sk)
    {
        var ca = Include.Net.Netns.netns_ipv4.of(sk.sk_net).tcp_congestion_control as tcp_congestion_ops;
        inet_csk(sk).icsk_ca_ops = ca ?? tcp_reno;
        inet_csk(sk).icsk_ca_priv = default; // memset: the algorithm's state starts zeroed

        // not ported: INET_ECN_xmit_ect_1_negotiation — no algorithm here sets TCP_CONG_NEEDS_ECN (no DCTCP)
        inet_ecn_h.INET_ECN_dontxmit(sk);
    }

    // net/ipv4/tcp_cong.c: tcp_init_congestion_control
    /// <summary>The algorithm sets up its per-socket state (when the connection starts carrying data).</summary>
    public static void tcp_init_congestion_control(sock sk)
    {
        var icsk = inet_csk(sk);

        Include.Linux.tcp_h.tcp_sk(sk).prior_ssthresh = 0;
        icsk.icsk_ca_ops?.init?.Invoke(sk);

        // not ported: tcp_ca_needs_ecn, INET_ECN_xmit — no algorithm here sets TCP_CONG_NEEDS_ECN (no DCTCP)
        inet_ecn_h.INET_ECN_dontxmit(sk);
        icsk.icsk_ca_initialized = true;
    }

    // net/ipv4/tcp_cong.c: tcp_reinit_congestion_control
    /// <summary>Another algorithm takes over: its state starts fresh, and is initialized at once on a connected socket.</summary>
    private static void tcp_reinit_congestion_control(sock sk, tcp_congestion_ops ca)
    {
        var icsk = inet_csk(sk);

        tcp_cleanup_congestion_control(sk);
        icsk.icsk_ca_ops = ca;
        icsk.icsk_ca_priv = default; // memset

        // not ported: INET_ECN_xmit_ect_1_negotiation — no algorithm here sets TCP_CONG_NEEDS_ECN (no DCTCP)
        inet_ecn_h.INET_ECN_dontxmit(sk);

        if (((1 << sk.sk_state) & (Include.Net.tcp_states_h.TCPF_CLOSE | Include.Net.tcp_states_h.TCPF_LISTEN)) == 0)
        {
            tcp_init_congestion_control(sk);
        }
    }

    // net/ipv4/tcp_cong.c: tcp_cleanup_congestion_control
    /// <summary>The algorithm lets go of the socket (no algorithm here has a release hook).</summary>
    public static void tcp_cleanup_congestion_control(sock sk)
    {
        inet_csk(sk).icsk_ca_initialized = false;
    }

    // net/ipv4/tcp_cong.c: tcp_set_congestion_control
    /// <summary>TCP_CONGESTION: switch <paramref name="sk"/> to the algorithm <paramref name="name"/>; ENOENT if none is registered.</summary>
    public static int tcp_set_congestion_control(sock sk, string name, bool load, bool cap_net_admin)
    {
        var icsk = inet_csk(sk);
        // not ported: tcp_ca_find_autoload — no modules to load (request_module): tcp_ca_find finds the built-in
        //   algorithms
        var ca = tcp_ca_find(sk.sk_net.k, name);
        if (ca is null)
        {
            return -errno_base_h.ENOENT;
        }

        if (ca == icsk.icsk_ca_ops)
        {
            return 0;
        }

        // a socket not yet connected is initialized later, by tcp_init_transfer
        tcp_reinit_congestion_control(sk, ca);
        return 0;
    }

    // net/ipv4/tcp_cong.c: tcp_set_default_congestion_control
    /// <summary>net.ipv4.tcp_congestion_control.</summary>
    public static int tcp_set_default_congestion_control(net net, string name)
    {
        // not ported: tcp_ca_find_autoload — no modules to load (request_module): tcp_ca_find finds the built-in
        //   algorithms
        // not ported: net_eq — a namespace other than init_net may pick only an algorithm of
        //   tcp_allowed_congestion_control (TCP_CONG_NON_RESTRICTED): that restriction is not ported
        var ca = tcp_ca_find(net.k, name);
        if (ca is null)
        {
            return -errno_base_h.ENOENT;
        }

        Include.Net.Netns.netns_ipv4.of(net).tcp_congestion_control = ca;
        return 0;
    }

    // net/ipv4/tcp_cong.c: tcp_congestion_default
    /// <summary>late_initcall: init_net's default algorithm is the one the kernel was configured with (CONFIG_DEFAULT_TCP_CONG).</summary>
    public static int tcp_congestion_default(Vmlinux k) => tcp_set_default_congestion_control(k.init_net, Vmlinux.CONFIG_DEFAULT_TCP_CONG);

    // net/ipv4/tcp_cong.c: tcp_slow_start
    /// <summary>
    /// Slow start (RFC 5681): cwnd grows by one per segment acked, up to
    /// ssthresh; a stretch ACK counts for all it covers. Returns the acks
    /// left over once ssthresh is reached, for congestion avoidance.
    /// </summary>
    public static uint tcp_slow_start(tcp_sock tp, uint acked)
    {
        var cwnd = System.Math.Min(tcp_snd_cwnd(tp) + acked, tp.snd_ssthresh);

        acked -= cwnd - tcp_snd_cwnd(tp);
        tcp_snd_cwnd_set(tp, System.Math.Min(cwnd, tp.snd_cwnd_clamp));

        return acked;
    }

    // net/ipv4/tcp_cong.c: tcp_cong_avoid_ai
    /// <summary>Additive increase: one segment more per <paramref name="w"/> segments acked (credit saved at a larger w is spent first).</summary>
    public static void tcp_cong_avoid_ai(tcp_sock tp, uint w, uint acked)
    {
        if (tp.snd_cwnd_cnt >= w)
        {
            tp.snd_cwnd_cnt = 0;
            tcp_snd_cwnd_set(tp, tcp_snd_cwnd(tp) + 1);
        }

        tp.snd_cwnd_cnt += acked;
        if (tp.snd_cwnd_cnt >= w)
        {
            var delta = tp.snd_cwnd_cnt / w;

            tp.snd_cwnd_cnt -= delta * w;
            tcp_snd_cwnd_set(tp, tcp_snd_cwnd(tp) + delta);
        }

        tcp_snd_cwnd_set(tp, System.Math.Min(tcp_snd_cwnd(tp), tp.snd_cwnd_clamp));
    }

    // net/ipv4/tcp_cong.c: tcp_reno_cong_avoid
    /// <summary>Reno (Jacobson, SIGCOMM '88): slow start below ssthresh, one segment per window above; only while cwnd is what limits sending.</summary>
    public static void tcp_reno_cong_avoid(sock sk, uint ack, uint acked)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);

        if (!tcp_is_cwnd_limited(sk))
        {
            return;
        }

        if (tcp_in_slow_start(tp))
        {
            acked = tcp_slow_start(tp, acked);
            if (acked == 0)
            {
                return;
            }
        }

        tcp_cong_avoid_ai(tp, tcp_snd_cwnd(tp), acked);
    }

    // net/ipv4/tcp_cong.c: tcp_reno_ssthresh
    /// <summary>Half of cwnd, at least 2.</summary>
    public static uint tcp_reno_ssthresh(sock sk) => System.Math.Max(tcp_snd_cwnd(Include.Linux.tcp_h.tcp_sk(sk)) >> 1, 2U);

    // net/ipv4/tcp_cong.c: tcp_reno_undo_cwnd
    public static uint tcp_reno_undo_cwnd(sock sk)
    {
        var tp = Include.Linux.tcp_h.tcp_sk(sk);
        return System.Math.Max(tcp_snd_cwnd(tp), tp.prior_cwnd);
    }
}
