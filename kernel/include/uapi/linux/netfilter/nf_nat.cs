// Ports include/uapi/linux/netfilter/nf_nat.h: a NAT range (what SNAT/DNAT/
// MASQUERADE map to) and its flags.
namespace KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

/// <summary>struct nf_nat_range2: addresses and the port (or ICMP id) range, host order.</summary>
public struct nf_nat_range2
{
    public uint flags;
    public uint min_addr;
    public uint max_addr;
    public ushort min_proto;
    public ushort max_proto;
    public ushort base_proto;
}

public static class nf_nat_h
{
    public const uint NF_NAT_RANGE_MAP_IPS = 1u << 0;
    public const uint NF_NAT_RANGE_PROTO_SPECIFIED = 1u << 1;
    public const uint NF_NAT_RANGE_PROTO_RANDOM = 1u << 2;
    public const uint NF_NAT_RANGE_PERSISTENT = 1u << 3;
    public const uint NF_NAT_RANGE_PROTO_RANDOM_FULLY = 1u << 4;
    public const uint NF_NAT_RANGE_PROTO_OFFSET = 1u << 5;
    public const uint NF_NAT_RANGE_NETMAP = 1u << 6;
    public const uint NF_NAT_RANGE_PROTO_RANDOM_ALL = NF_NAT_RANGE_PROTO_RANDOM | NF_NAT_RANGE_PROTO_RANDOM_FULLY;
}
