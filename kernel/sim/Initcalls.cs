using System;
using System.Collections.Immutable;

namespace KernelNet.Kernel;

/// <summary>
/// The initcalls of the subsystems beyond the core (inet_init, udp, arp,
/// drivers' module_init), in the order the kernel runs them. Each subsystem
/// adds its entry here when it is ported.
/// </summary>
public static class Initcalls
{
    /// <summary>Subsystem init functions in boot order.</summary>
    public static ImmutableArray<Action<Vmlinux>> All { get; } =
    [
        // fs_initcall, fs/ linked before net/: the epoll slabs.
        k => KernelNet.Kernel.Fs.eventpoll_c.eventpoll_init(k),

        k => KernelNet.Kernel.Net.Ipv4.af_inet_c.inet_init(k),

        // module_init (device_initcall): after inet_init's fs_initcall; net/ipv4 links before net/packet.
        k => KernelNet.Kernel.Net.Ipv4.tcp_bbr_c.bbr_register(k),
        k => KernelNet.Kernel.Net.Packet.af_packet_c.packet_init(k),

        // module_init of net/llc (built in: CONFIG_LLC=y on the machine recorded).
        k => KernelNet.Kernel.Net.Llc.llc_core_c.llc_init(k),

        // late_initcall: the default congestion control from the kernel's configuration.
        k => KernelNet.Kernel.Net.Ipv4.tcp_cong_c.tcp_congestion_default(k),
    ];
}
