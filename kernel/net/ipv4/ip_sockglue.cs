// Ports net/ipv4/ip_sockglue.c: the SOL_IP socket options (IP_RECVERR,
// IP_TTL, IP_TOS, IP_MTU_DISCOVER, IP_FREEBIND).
//
// not ported: control messages (IP_PKTINFO, IP_RECVTTL...), multicast
// membership, IP_OPTIONS, the getsockopt side (udp_getsockopt answers the
// few options it needs), nf_setsockopt's fallback.
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.AsmGeneric;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.socket_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Kernel.Net.Ipv4;

public static class ip_sockglue_c
{
    // net/ipv4/ip_sockglue.c: ip_setsockopt
    /// <summary>
    /// The SOL_IP options UDP sockets use, with an int-sized value.
    /// do_ip_setsockopt is folded in: it has this one caller, and the port
    /// has no socket lock or RTNL for it to take.
    /// </summary>
    public static int ip_setsockopt(sock sk, int level, int optname, long val)
    {
        if (level != SOL_IP)
        {
            return -errno_h.ENOPROTOOPT;
        }

        var inet = (inet_sock)sk.proto_data!;
        switch (optname)
        {
            case in_h.IP_RECVERR:
                inet.recverr = val != 0;
                if (val == 0)
                {
                    skb_queue_purge_reason(sk.sk_error_queue, skb_drop_reason.SKB_CONSUMED);
                }

                return 0;
            case in_h.IP_TTL:
                if (val != -1 && (val < 1 || val > 255))
                {
                    return -errno_base_h.EINVAL;
                }

                inet.uc_ttl = (int)val;
                return 0;
            case in_h.IP_TOS:
                inet.tos = (byte)val;
                return 0;
            case in_h.IP_MTU_DISCOVER:
                if (val < 0 || val > 5)
                {
                    return -errno_base_h.EINVAL;
                }

                inet.pmtudisc = (byte)val;
                return 0;
            case in_h.IP_FREEBIND:
                inet.freebind = val != 0;
                return 0;
            default:
                return -errno_h.ENOPROTOOPT;
        }
    }
}
