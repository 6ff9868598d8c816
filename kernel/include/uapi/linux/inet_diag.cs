// Ports the part of include/uapi/linux/inet_diag.h that congestion control
// reports through: the INET_DIAG_VEGASINFO/INET_DIAG_BBRINFO attribute
// numbers, struct tcp_bbr_info and union tcp_cc_info (TCP_CC_INFO).
// not ported: the netlink request and message layouts (no sock_diag netlink
// family), tcpvegas_info and tcp_dctcp_info (neither algorithm is ported).
namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>struct tcp_bbr_info: BBR's model as ss -i and TCP_CC_INFO show it.</summary>
public sealed class tcp_bbr_info
{
    /// <summary>bbr_bw_lo, bbr_bw_hi: the bandwidth estimate in bytes per second, in two halves.</summary>
    public uint bbr_bw_lo { get; set; }

    public uint bbr_bw_hi { get; set; }

    /// <summary>bbr_min_rtt: the min RTT estimate (µs).</summary>
    public uint bbr_min_rtt { get; set; }

    /// <summary>bbr_pacing_gain, bbr_cwnd_gain: the gains &lt;&lt; 8.</summary>
    public uint bbr_pacing_gain { get; set; }

    public uint bbr_cwnd_gain { get; set; }

    /// <summary>sizeof(struct tcp_bbr_info).</summary>
    public const int Size = 20;

    /// <summary>The struct's bytes (host order, little-endian here).</summary>
    [KernelNet.Annotations.NotInLinux("the struct's layout in bytes: C copies the struct itself")]
    public void WriteTo(System.Span<byte> b)
    {
        System.Span<byte> all = stackalloc byte[Size];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(all, bbr_bw_lo);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(all[4..], bbr_bw_hi);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(all[8..], bbr_min_rtt);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(all[12..], bbr_pacing_gain);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(all[16..], bbr_cwnd_gain);
        all[..System.Math.Min(b.Length, Size)].CopyTo(b);
    }
}

/// <summary>union tcp_cc_info: what an algorithm's get_info fills (only BBR's member is ported).</summary>
public sealed class tcp_cc_info
{
    public tcp_bbr_info? bbr { get; set; }
}

public static class inet_diag_h
{
    /// <summary>INET_DIAG_VEGASINFO, INET_DIAG_BBRINFO: members of the INET_DIAG_* attribute enum.</summary>
    public const int INET_DIAG_VEGASINFO = 3;
    public const int INET_DIAG_BBRINFO = 16;
}
