// Ports include/uapi/linux/sock_diag.h: the SK_MEMINFO_* indexes of the
// memory counters SO_MEMINFO (and sock_diag's INET_DIAG_SKMEMINFO) report.
// The netlink request and group definitions are not ported.
namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>The slots of the u32 array sk_get_meminfo fills.</summary>
public static class sock_diag_h
{
    public const int SK_MEMINFO_RMEM_ALLOC = 0;
    public const int SK_MEMINFO_RCVBUF = 1;
    public const int SK_MEMINFO_WMEM_ALLOC = 2;
    public const int SK_MEMINFO_SNDBUF = 3;
    public const int SK_MEMINFO_FWD_ALLOC = 4;
    public const int SK_MEMINFO_WMEM_QUEUED = 5;
    public const int SK_MEMINFO_OPTMEM = 6;
    public const int SK_MEMINFO_BACKLOG = 7;
    public const int SK_MEMINFO_DROPS = 8;
    public const int SK_MEMINFO_VARS = 9;
}
