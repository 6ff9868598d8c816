// Ports include/net/netfilter/nf_nat.h: which side a hook rewrites
// (HOOK2MANIP), whether a connection's NAT is set up, and the masquerade
// interface check.
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux.Netfilter;
using static KernelNet.Kernel.Include.Uapi.Linux.Netfilter.nf_conntrack_common_h;

namespace KernelNet.Kernel.Include.Net.Netfilter;

/// <summary>enum nf_nat_manip_type.</summary>
public enum nf_nat_manip_type
{
    NF_NAT_MANIP_SRC,
    NF_NAT_MANIP_DST,
}

public static class nf_nat_h
{
    /// <summary>NF_NAT_MAX_ATTEMPTS / NF_NAT_HARDER_THRESH (nf_nat.h and nf_nat_core.c).</summary>
    public const uint NF_NAT_MAX_ATTEMPTS = 128;
    public const uint NF_NAT_HARDER_THRESH = NF_NAT_MAX_ATTEMPTS / 4;

    // include/net/netfilter/nf_nat.h: HOOK2MANIP
    /// <summary>HOOK2MANIP: POST_ROUTING and LOCAL_IN change the source, the others the destination.</summary>
    public static nf_nat_manip_type HOOK2MANIP(nf_inet_hooks hooknum) =>
        hooknum != nf_inet_hooks.NF_INET_POST_ROUTING && hooknum != nf_inet_hooks.NF_INET_LOCAL_IN
            ? nf_nat_manip_type.NF_NAT_MANIP_DST
            : nf_nat_manip_type.NF_NAT_MANIP_SRC;

    // not ported: nf_ct_ext_find — the NAT extension is a field of the conntrack
    // include/net/netfilter/nf_nat.h: nfct_nat
    public static nf_conn_nat? nfct_nat(nf_conn ct) => ct.nat;

    // include/net/netfilter/nf_nat.h: nf_nat_initialized
    /// <summary>Has the connection's SRC (or DST) mapping been decided?</summary>
    public static bool nf_nat_initialized(nf_conn ct, nf_nat_manip_type manip) =>
        manip == nf_nat_manip_type.NF_NAT_MANIP_SRC ? (ct.status & IPS_SRC_NAT_DONE) != 0 : (ct.status & IPS_DST_NAT_DONE) != 0;

    // include/net/netfilter/nf_nat.h: nf_nat_oif_changed
    /// <summary>A masqueraded flow leaving by another interface than the one whose address it took.</summary>
    public static bool nf_nat_oif_changed(nf_inet_hooks hooknum, ip_conntrack_info ctinfo, nf_conn_nat? nat, net_device? @out) =>
        nat is not null && nat.masq_index != 0 && hooknum == nf_inet_hooks.NF_INET_POST_ROUTING &&
        nf_conntrack_tuple_common_h.CTINFO2DIR(ctinfo) == ip_conntrack_dir.IP_CT_DIR_ORIGINAL && nat.masq_index != @out?.ifindex;
}
