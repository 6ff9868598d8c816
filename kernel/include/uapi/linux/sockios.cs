// Ports include/uapi/linux/sockios.h (and the two asm-generic/ioctls.h
// numbers it aliases): the socket ioctl requests TCP answers.
//
// not ported: the interface requests (SIOCGIF*, SIOCSIF*), the routing and
// ARP ones.
namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class sockios_h
{
    /// <summary>SIOCINQ (FIONREAD): bytes waiting to be read.</summary>
    public const int SIOCINQ = 0x541B;

    /// <summary>SIOCOUTQ (TIOCOUTQ): bytes sent but not yet acknowledged (TCP), or queued (UDP).</summary>
    public const int SIOCOUTQ = 0x5411;

    /// <summary>SIOCOUTQNSD: bytes queued but not yet sent.</summary>
    public const int SIOCOUTQNSD = 0x894B;

    /// <summary>SIOCGSTAMP_OLD (asm-generic/sockios.h): the last read packet's time as a timeval.</summary>
    public const int SIOCGSTAMP_OLD = 0x8906;

    /// <summary>SIOCGSTAMPNS_OLD: the same as a timespec.</summary>
    public const int SIOCGSTAMPNS_OLD = 0x8907;
}
