// Ports include/uapi/linux/netfilter_ipv4.h: the IPv4 hook priorities, which
// order conntrack, the tables and NAT at each hook.
namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>enum nf_ip_hook_priorities.</summary>
public static class netfilter_ipv4_h
{
    public const int NF_IP_PRI_FIRST = int.MinValue;
    public const int NF_IP_PRI_RAW_BEFORE_DEFRAG = -450;
    public const int NF_IP_PRI_CONNTRACK_DEFRAG = -400;
    public const int NF_IP_PRI_RAW = -300;
    public const int NF_IP_PRI_SELINUX_FIRST = -225;
    public const int NF_IP_PRI_CONNTRACK = -200;
    public const int NF_IP_PRI_MANGLE = -150;
    public const int NF_IP_PRI_NAT_DST = -100;
    public const int NF_IP_PRI_FILTER = 0;
    public const int NF_IP_PRI_SECURITY = 50;
    public const int NF_IP_PRI_NAT_SRC = 100;
    public const int NF_IP_PRI_SELINUX_LAST = 225;
    public const int NF_IP_PRI_CONNTRACK_HELPER = 300;
    public const int NF_IP_PRI_CONNTRACK_CONFIRM = int.MaxValue;
    public const int NF_IP_PRI_LAST = int.MaxValue;
}
