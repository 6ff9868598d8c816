// Ports include/net/netfilter/nf_conntrack_l4proto.h: the inline helpers the
// protocol trackers share.
//
// not ported: struct nf_conntrack_l4proto as a table of operations (the
// trackers are called directly by protocol number in nf_conntrack_handle_packet).
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.tcp_conntrack;

namespace KernelNet.Kernel.Include.Net.Netfilter;

public static class nf_conntrack_l4proto_h
{
    // include/net/netfilter/nf_conntrack_l4proto.h: nf_conntrack_tcp_established
    /// <summary>The TCP connection is ESTABLISHED and ASSURED (seen both ways, past the handshake).</summary>
    public static bool nf_conntrack_tcp_established(nf_conn ct) =>
        ct.tcp.state == TCP_CONNTRACK_ESTABLISHED && (ct.status & IPS_ASSURED) != 0;
}
