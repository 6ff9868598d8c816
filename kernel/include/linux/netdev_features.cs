// Ports include/linux/netdev_features.h: the NETIF_F_* offload bits a
// device advertises in dev->features (the bit numbers of 6.18's enum).
//
// not ported: the feature masks (NETIF_F_GSO_MASK, NETIF_F_ALL_TSO ...) and
// netdev_features_t helpers; only the bits a driver of the port sets are here.
namespace KernelNet.Kernel.Include.Linux;

public static class netdev_features_h
{
    public const ulong NETIF_F_SG = 1UL << 0;
    public const ulong NETIF_F_HW_CSUM = 1UL << 3;
    public const ulong NETIF_F_FRAGLIST = 1UL << 6;
    public const ulong NETIF_F_HW_VLAN_CTAG_TX = 1UL << 7;
    public const ulong NETIF_F_GSO = 1UL << 11;
    public const ulong NETIF_F_GRO = 1UL << 14;
    public const ulong NETIF_F_TSO = 1UL << 16;
    public const ulong NETIF_F_TSO_ECN = 1UL << 18;
    public const ulong NETIF_F_TSO6 = 1UL << 20;
    public const ulong NETIF_F_GSO_UDP_TUNNEL = 1UL << 26;
    public const ulong NETIF_F_GSO_UDP_TUNNEL_CSUM = 1UL << 27;
    public const ulong NETIF_F_GSO_UDP_L4 = 1UL << 33;
    public const ulong NETIF_F_HW_VLAN_STAG_TX = 1UL << 45;
}
