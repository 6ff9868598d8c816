// Ports include/uapi/linux/netfilter/nf_conntrack_tuple_common.h: the two
// directions of a connection.
namespace KernelNet.Kernel.Include.Uapi.Linux.Netfilter;

/// <summary>enum ip_conntrack_dir.</summary>
public enum ip_conntrack_dir
{
    IP_CT_DIR_ORIGINAL,
    IP_CT_DIR_REPLY,
    IP_CT_DIR_MAX,
}

public static class nf_conntrack_tuple_common_h
{
    // include/uapi/linux/netfilter/nf_conntrack_tuple_common.h: CTINFO2DIR
    /// <summary>The direction a packet of this ctinfo travels in.</summary>
    public static ip_conntrack_dir CTINFO2DIR(ip_conntrack_info ctinfo) =>
        ctinfo >= ip_conntrack_info.IP_CT_IS_REPLY ? ip_conntrack_dir.IP_CT_DIR_REPLY : ip_conntrack_dir.IP_CT_DIR_ORIGINAL;
}
