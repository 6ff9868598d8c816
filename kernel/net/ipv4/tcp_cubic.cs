// Ports net/ipv4/tcp_cubic.c: CUBIC's registration (cubictcp_register).
//
// not ported: the algorithm itself — the cubic function, HyStart, its
// parameters: no data flows yet, so an algorithm is only its name.
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Ipv4;

public static class tcp_cubic_c
{
    /// <summary>cubictcp: the struct tcp_congestion_ops of CUBIC.</summary>
    public static tcp_congestion_ops cubictcp { get; } = new() { name = "cubic" };

    // net/ipv4/tcp_cubic.c: cubictcp_register
    /// <summary>Registers CUBIC (built in on 6.18 kernels, and the default algorithm).</summary>
    public static int cubictcp_register(Vmlinux k) => tcp_cong_c.tcp_register_congestion_control(k, cubictcp);
}
