// Ports include/net/udp_tunnel.h, as far as UDP_GRO needs it: turning
// the encap static key on for a socket.
//
// not ported: the tunnel sockets, their GRO/GSO callbacks and the NIC
// tunnel port tables — no tunnels in the port.
using KernelNet.Kernel.Include.Linux;

namespace KernelNet.Kernel.Include.Net;

public static class udp_tunnel_h
{
    // include/net/udp_tunnel.h: udp_tunnel_encap_enable
    /// <summary>Counts the socket in udp_encap_needed_key the first time (ENCAP_ENABLED remembers it).</summary>
    public static void udp_tunnel_encap_enable(sock sk)
    {
        // not ported: udp_test_and_set_bit — the port's udp_sock keeps ENCAP_ENABLED as a bool
        var up = (udp_sock)sk.proto_data!;
        if (up.encap_enabled)
        {
            return;
        }

        up.encap_enabled = true;

        // udpv6_encap_enable: no IPv6.
        KernelNet.Kernel.Net.Ipv4.udp_c.udp_encap_enable(sk.sk_net.k);
    }
}
