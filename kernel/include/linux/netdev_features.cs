// Ports include/linux/netdev_features.h: the NETIF_F_* offload bits a
// device advertises in dev->features (the bit numbers of 6.18's enum).
//
// Also the masks the GSO path reads (NETIF_F_GSO_MASK, NETIF_F_ALL_TSO,
// NETIF_F_GSO_SOFTWARE, NETIF_F_GSO_ENCAP_ALL, NETIF_F_CSUM_MASK).
// not ported: the netdev_features_t helpers; only the bits a driver of the
// port sets or the GSO path tests are here.
namespace KernelNet.Kernel.Include.Linux;

public static class netdev_features_h
{
    public const ulong NETIF_F_SG = 1UL << 0;
    public const ulong NETIF_F_IP_CSUM = 1UL << 1;
    public const ulong NETIF_F_HW_CSUM = 1UL << 3;
    public const ulong NETIF_F_IPV6_CSUM = 1UL << 4;
    public const ulong NETIF_F_HIGHDMA = 1UL << 5;
    public const ulong NETIF_F_FRAGLIST = 1UL << 6;
    public const ulong NETIF_F_HW_VLAN_CTAG_TX = 1UL << 7;
    public const ulong NETIF_F_HW_VLAN_CTAG_RX = 1UL << 8;
    public const ulong NETIF_F_VLAN_CHALLENGED = 1UL << 10;
    public const ulong NETIF_F_GSO = 1UL << 11;
    public const ulong NETIF_F_GRO = 1UL << 14;

    /// <summary>NETIF_F_GSO_SHIFT: SKB_GSO_* bit n is feature bit n + 16.</summary>
    public const int NETIF_F_GSO_SHIFT = 16;
    public const ulong NETIF_F_TSO = 1UL << 16;
    public const ulong NETIF_F_TSO_ECN = 1UL << 18;
    public const ulong NETIF_F_TSO_MANGLEID = 1UL << 19;
    public const ulong NETIF_F_TSO6 = 1UL << 20;
    public const ulong NETIF_F_GSO_GRE = 1UL << 22;
    public const ulong NETIF_F_GSO_GRE_CSUM = 1UL << 23;
    public const ulong NETIF_F_GSO_IPXIP4 = 1UL << 24;
    public const ulong NETIF_F_GSO_IPXIP6 = 1UL << 25;
    public const ulong NETIF_F_GSO_UDP_TUNNEL = 1UL << 26;
    public const ulong NETIF_F_GSO_UDP_TUNNEL_CSUM = 1UL << 27;
    public const ulong NETIF_F_GSO_SCTP = 1UL << 30;
    public const ulong NETIF_F_GSO_UDP_L4 = 1UL << 33;
    public const ulong NETIF_F_GSO_FRAGLIST = 1UL << 34;
    public const ulong NETIF_F_GSO_ACCECN = 1UL << 35;

    /// <summary>NETIF_F_GSO_LAST: the last GSO bit (NETIF_F_GSO_ACCECN).</summary>
    private const int NETIF_F_GSO_LAST = 35;
    public const ulong NETIF_F_SCTP_CRC = 1UL << 37;
    public const ulong NETIF_F_RXHASH = 1UL << 39;
    public const ulong NETIF_F_RXCSUM = 1UL << 40;
    public const ulong NETIF_F_LOOPBACK = 1UL << 42;
    public const ulong NETIF_F_HW_VLAN_STAG_TX = 1UL << 45;
    public const ulong NETIF_F_HW_VLAN_STAG_RX = 1UL << 46;
    public const ulong NETIF_F_GRO_FRAGLIST = 1UL << 57;
    public const ulong NETIF_F_GRO_UDP_FWD = 1UL << 59;

    /// <summary>NETIF_F_SOFT_FEATURES: what the core does in software for every device (register_netdevice turns them on).</summary>
    public const ulong NETIF_F_SOFT_FEATURES = NETIF_F_GSO | NETIF_F_GRO;

    /// <summary>NETIF_F_SOFT_FEATURES_OFF: software features a device may turn on, off by default.</summary>
    public const ulong NETIF_F_SOFT_FEATURES_OFF = NETIF_F_GRO_FRAGLIST | NETIF_F_GRO_UDP_FWD;

    /// <summary>NETIF_F_GSO_MASK: every segmentation bit.</summary>
    public const ulong NETIF_F_GSO_MASK = ((1UL << (NETIF_F_GSO_LAST + 1)) - 1) & ~((1UL << NETIF_F_GSO_SHIFT) - 1);

    /// <summary>NETIF_F_CSUM_MASK: any transmit checksum offload.</summary>
    public const ulong NETIF_F_CSUM_MASK = NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM | NETIF_F_HW_CSUM;

    public const ulong NETIF_F_ALL_TSO = NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN | NETIF_F_TSO_MANGLEID;

    /// <summary>NETIF_F_GSO_SOFTWARE: what software GSO can always segment.</summary>
    public const ulong NETIF_F_GSO_SOFTWARE = NETIF_F_ALL_TSO | NETIF_F_GSO_ACCECN | NETIF_F_GSO_SCTP | NETIF_F_GSO_UDP_L4 | NETIF_F_GSO_FRAGLIST;

    public const ulong NETIF_F_GSO_ENCAP_ALL = NETIF_F_GSO_GRE | NETIF_F_GSO_GRE_CSUM | NETIF_F_GSO_IPXIP4 | NETIF_F_GSO_IPXIP6 |
        NETIF_F_GSO_UDP_TUNNEL | NETIF_F_GSO_UDP_TUNNEL_CSUM;
}
