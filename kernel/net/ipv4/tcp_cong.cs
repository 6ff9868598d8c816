// Ports net/ipv4/tcp_cong.c: the list of registered congestion control
// algorithms, choosing one by name (TCP_CONGESTION), and Reno, the built-in
// fallback.
//
// not ported: the algorithms' hooks (ssthresh, cong_avoid, undo_cwnd...):
// an algorithm is only its name until data flows; tcp_reno's functions with
// it; the sysctls for the allowed/available lists (every registered
// algorithm is allowed: programs run as root, CAP_NET_ADMIN).
using System.Collections.Generic;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using static KernelNet.Kernel.Include.Net.inet_connection_sock_h;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>tcp_cong.c's globals: tcp_cong_list.</summary>
public sealed class tcp_cong_globals
{
    public List<tcp_congestion_ops> tcp_cong_list { get; } = new();
}

public static class tcp_cong_c
{
    /// <summary>tcp_reno: the Reno algorithm, always there (TCP_CONG_NON_RESTRICTED).</summary>
    public static tcp_congestion_ops tcp_reno { get; } = new() { name = "reno", flags = 0x1 };

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

    // net/ipv4/tcp_cong.c: tcp_register_congestion_control
    /// <summary>Adds an algorithm; a second one of the same name is EEXIST.</summary>
    public static int tcp_register_congestion_control(Vmlinux k, tcp_congestion_ops ca)
    {
        // tcp_validate_congestion_control: the ssthresh/cong_avoid hooks are not ported.
        ca.key = (uint)ca.name.GetHashCode(System.StringComparison.Ordinal) & 0x7fffffff; // jhash in C; any stable key serves
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
    }

    // net/ipv4/tcp_cong.c: tcp_reinit_congestion_control
    private static void tcp_reinit_congestion_control(sock sk, tcp_congestion_ops ca)
    {
        // tcp_cleanup_congestion_control and the new ops' init: no hooks yet.
        inet_csk(sk).icsk_ca_ops = ca;
    }

    // net/ipv4/tcp_cong.c: tcp_set_congestion_control
    /// <summary>TCP_CONGESTION: switch <paramref name="sk"/> to the algorithm <paramref name="name"/>; ENOENT if none is registered.</summary>
    public static int tcp_set_congestion_control(sock sk, string name, bool load, bool cap_net_admin)
    {
        var icsk = inet_csk(sk);
        var ca = tcp_ca_find(sk.sk_net.k, name); // no modules to load (request_module)
        if (ca is null)
        {
            return -errno_base_h.ENOENT;
        }

        if (ca == icsk.icsk_ca_ops)
        {
            return 0;
        }

        // A closed (not yet connected) socket just takes it; tcp_init_transfer initializes it later.
        tcp_reinit_congestion_control(sk, ca);
        return 0;
    }

    // net/ipv4/tcp_cong.c: tcp_set_default_congestion_control
    /// <summary>net.ipv4.tcp_congestion_control.</summary>
    public static int tcp_set_default_congestion_control(net net, string name)
    {
        var ca = tcp_ca_find(net.k, name);
        if (ca is null)
        {
            return -errno_base_h.ENOENT;
        }

        Include.Net.Netns.netns_ipv4.of(net).tcp_congestion_control = ca;
        return 0;
    }
}
