// Ports include/net/tcp.h (so far only what IPv4 namespace set-up needs).
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Include.Net;

public static class tcp_h
{
    /// <summary>TCP_RTO_MIN: 200 ms.</summary>
    public const int TCP_RTO_MIN_MS = 200;

    /// <summary>TCP_RTO_MAX: 120 s.</summary>
    public const int TCP_RTO_MAX_MS = 120_000;

    // include/net/tcp.h: tcp_mib_init
    /// <summary>The constant rows of the Tcp MIB: RtoAlgorithm 1, RtoMin, RtoMax, MaxConn -1.</summary>
    public static void tcp_mib_init(net net)
    {
        var mib = netns_ipv4.of(net).mib.tcp_statistics;
        mib[(int)tcp_mib_field.TCP_MIB_RTOALGORITHM] += 1;
        mib[(int)tcp_mib_field.TCP_MIB_RTOMIN] += TCP_RTO_MIN_MS;
        mib[(int)tcp_mib_field.TCP_MIB_RTOMAX] += TCP_RTO_MAX_MS;
        mib[(int)tcp_mib_field.TCP_MIB_MAXCONN] += -1;
    }
}
