// Ports include/uapi/linux/netfilter/nf_conntrack_tcp.h: the TCP tracker's
// states (what /proc/net/nf_conntrack prints) and its per-direction flags.
namespace KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

/// <summary>enum tcp_conntrack.</summary>
public enum tcp_conntrack : byte
{
    TCP_CONNTRACK_NONE,
    TCP_CONNTRACK_SYN_SENT,
    TCP_CONNTRACK_SYN_RECV,
    TCP_CONNTRACK_ESTABLISHED,
    TCP_CONNTRACK_FIN_WAIT,
    TCP_CONNTRACK_CLOSE_WAIT,
    TCP_CONNTRACK_LAST_ACK,
    TCP_CONNTRACK_TIME_WAIT,
    TCP_CONNTRACK_CLOSE,
    TCP_CONNTRACK_LISTEN,
    TCP_CONNTRACK_SYN_SENT2 = TCP_CONNTRACK_LISTEN,
    TCP_CONNTRACK_MAX,
    TCP_CONNTRACK_IGNORE,
    TCP_CONNTRACK_RETRANS,
    TCP_CONNTRACK_UNACK,
    TCP_CONNTRACK_TIMEOUT_MAX,
}

public static class nf_conntrack_tcp_h
{
    public const byte IP_CT_TCP_FLAG_WINDOW_SCALE = 0x01;
    public const byte IP_CT_TCP_FLAG_SACK_PERM = 0x02;
    public const byte IP_CT_TCP_FLAG_CLOSE_INIT = 0x04;
    public const byte IP_CT_TCP_FLAG_BE_LIBERAL = 0x08;
    public const byte IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED = 0x10;
    public const byte IP_CT_TCP_FLAG_MAXACK_SET = 0x20;
    public const byte IP_CT_EXP_CHALLENGE_ACK = 0x40;
    public const byte IP_CT_TCP_SIMULTANEOUS_OPEN = 0x80;
}
