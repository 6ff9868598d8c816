// Ports include/uapi/linux/net_tstamp.h: the SO_TIMESTAMPING flags.
//
// not ported: struct so_timestamping's bind_phc (no PTP clocks), the hardware
// timestamping configuration (hwtstamp_config, HWTSTAMP_*: no NIC stamps).
namespace KernelNet.Kernel.Include.Uapi.Linux;

public static class net_tstamp_h
{
    public const uint SOF_TIMESTAMPING_TX_HARDWARE = 1 << 0;
    public const uint SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
    public const uint SOF_TIMESTAMPING_RX_HARDWARE = 1 << 2;
    public const uint SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3;
    public const uint SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
    public const uint SOF_TIMESTAMPING_SYS_HARDWARE = 1 << 5;
    public const uint SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6;
    public const uint SOF_TIMESTAMPING_OPT_ID = 1 << 7;
    public const uint SOF_TIMESTAMPING_TX_SCHED = 1 << 8;
    public const uint SOF_TIMESTAMPING_TX_ACK = 1 << 9;
    public const uint SOF_TIMESTAMPING_OPT_CMSG = 1 << 10;
    public const uint SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11;
    public const uint SOF_TIMESTAMPING_OPT_STATS = 1 << 12;
    public const uint SOF_TIMESTAMPING_OPT_PKTINFO = 1 << 13;
    public const uint SOF_TIMESTAMPING_OPT_TX_SWHW = 1 << 14;
    public const uint SOF_TIMESTAMPING_BIND_PHC = 1 << 15;
    public const uint SOF_TIMESTAMPING_OPT_ID_TCP = 1 << 16;
    public const uint SOF_TIMESTAMPING_OPT_RX_FILTER = 1 << 17;
    public const uint SOF_TIMESTAMPING_TX_COMPLETION = 1 << 18;

    public const uint SOF_TIMESTAMPING_LAST = SOF_TIMESTAMPING_TX_COMPLETION;
    public const uint SOF_TIMESTAMPING_MASK = (SOF_TIMESTAMPING_LAST - 1) | SOF_TIMESTAMPING_LAST;

    /// <summary>The flags that ask for a TX timestamp to be recorded (a socket option or a cmsg may set them).</summary>
    public const uint SOF_TIMESTAMPING_TX_RECORD_MASK = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
        SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_ACK | SOF_TIMESTAMPING_TX_COMPLETION;
}
