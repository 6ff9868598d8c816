// Ports include/uapi/linux/netfilter/nf_conntrack_common.h: what a packet is
// to its connection (enum ip_conntrack_info) and the connection's status bits.
namespace KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

/// <summary>enum ip_conntrack_info: the packet's relation to its conntrack, kept in the low bits of skb->_nfct.</summary>
public enum ip_conntrack_info
{
    /// <summary>Part of an established connection (either direction, original side).</summary>
    IP_CT_ESTABLISHED,

    /// <summary>Related to an established connection (an ICMP error, an expected flow).</summary>
    IP_CT_RELATED,

    /// <summary>Starts a new connection, or is a retransmission of one not yet answered.</summary>
    IP_CT_NEW,

    /// <summary>IP_CT_IS_REPLY: added to the above for the reply direction.</summary>
    IP_CT_IS_REPLY,

    IP_CT_ESTABLISHED_REPLY = IP_CT_ESTABLISHED + IP_CT_IS_REPLY,
    IP_CT_RELATED_REPLY = IP_CT_RELATED + IP_CT_IS_REPLY,

    /// <summary>IP_CT_NUMBER: the count of the states above.</summary>
    IP_CT_NUMBER,

    /// <summary>IP_CT_UNTRACKED: set by the raw table's NOTRACK (7).</summary>
    IP_CT_UNTRACKED = 7,
}

public static class nf_conntrack_common_h
{
    // enum ip_conntrack_status, as bit values
    public const uint IPS_EXPECTED = 1u << 0;
    public const uint IPS_SEEN_REPLY = 1u << 1;
    public const uint IPS_ASSURED = 1u << 2;
    public const uint IPS_CONFIRMED = 1u << 3;
    public const uint IPS_SRC_NAT = 1u << 4;
    public const uint IPS_DST_NAT = 1u << 5;
    public const uint IPS_NAT_MASK = IPS_DST_NAT | IPS_SRC_NAT;
    public const uint IPS_SEQ_ADJUST = 1u << 6;
    public const uint IPS_SRC_NAT_DONE = 1u << 7;
    public const uint IPS_DST_NAT_DONE = 1u << 8;
    public const uint IPS_NAT_DONE_MASK = IPS_DST_NAT_DONE | IPS_SRC_NAT_DONE;
    public const uint IPS_DYING = 1u << 9;
    public const uint IPS_FIXED_TIMEOUT = 1u << 10;
    public const uint IPS_TEMPLATE = 1u << 11;
    public const uint IPS_UNTRACKED = 1u << 12;
    public const uint IPS_NAT_CLASH = IPS_UNTRACKED;
    public const uint IPS_HELPER = 1u << 13;
    public const uint IPS_OFFLOAD = 1u << 14;
    public const uint IPS_HW_OFFLOAD = 1u << 15;
}
