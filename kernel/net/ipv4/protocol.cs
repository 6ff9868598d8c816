// Ports net/ipv4/protocol.c: inet_protos, the table ip_protocol_deliver_rcu
// dispatches on.
using KernelNet.Kernel.Include.Net;

namespace KernelNet.Kernel.Net.Ipv4;

/// <summary>protocol.c's globals: inet_protos[MAX_INET_PROTOS].</summary>
public sealed class protocol_globals
{
    public net_protocol?[] inet_protos { get; } = new net_protocol?[256];
}

public static class protocol_c
{
    // net/ipv4/protocol.c: inet_add_protocol
    /// <summary>Registers the receive handler of an IP protocol (udp_rcv for 17, icmp_rcv for 1).</summary>
    public static int inet_add_protocol(Vmlinux k, net_protocol prot, byte protocol)
    {
        var protos = k.globals<protocol_globals>().inet_protos;
        if (protos[protocol] is not null)
        {
            return -1;
        }

        protos[protocol] = prot;
        return 0;
    }
}
