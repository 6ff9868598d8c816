using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace KernelNet.Packetdrill.Run;

/// <summary>struct tcp_info (6.18's uapi layout, natural alignment) as the tcpi_* variables a %{ }% block reads.</summary>
public static class TcpInfo
{
    private static readonly (string Name, int Size)[] Layout =
    {
        ("tcpi_state", 1), ("tcpi_ca_state", 1), ("tcpi_retransmits", 1), ("tcpi_probes", 1), ("tcpi_backoff", 1), ("tcpi_options", 1),
        ("#wscale", 1), ("#flags", 1),
        ("tcpi_rto", 4), ("tcpi_ato", 4), ("tcpi_snd_mss", 4), ("tcpi_rcv_mss", 4), ("tcpi_unacked", 4), ("tcpi_sacked", 4), ("tcpi_lost", 4),
        ("tcpi_retrans", 4), ("tcpi_fackets", 4), ("tcpi_last_data_sent", 4), ("tcpi_last_ack_sent", 4), ("tcpi_last_data_recv", 4),
        ("tcpi_last_ack_recv", 4), ("tcpi_pmtu", 4), ("tcpi_rcv_ssthresh", 4), ("tcpi_rtt", 4), ("tcpi_rttvar", 4), ("tcpi_snd_ssthresh", 4),
        ("tcpi_snd_cwnd", 4), ("tcpi_advmss", 4), ("tcpi_reordering", 4), ("tcpi_rcv_rtt", 4), ("tcpi_rcv_space", 4), ("tcpi_total_retrans", 4),
        ("tcpi_pacing_rate", 8), ("tcpi_max_pacing_rate", 8), ("tcpi_bytes_acked", 8), ("tcpi_bytes_received", 8),
        ("tcpi_segs_out", 4), ("tcpi_segs_in", 4), ("tcpi_notsent_bytes", 4), ("tcpi_min_rtt", 4), ("tcpi_data_segs_in", 4), ("tcpi_data_segs_out", 4),
        ("tcpi_delivery_rate", 8), ("tcpi_busy_time", 8), ("tcpi_rwnd_limited", 8), ("tcpi_sndbuf_limited", 8),
        ("tcpi_delivered", 4), ("tcpi_delivered_ce", 4), ("tcpi_bytes_sent", 8), ("tcpi_bytes_retrans", 8),
        ("tcpi_dsack_dups", 4), ("tcpi_reord_seen", 4), ("tcpi_rcv_ooopack", 4), ("tcpi_snd_wnd", 4), ("tcpi_rcv_wnd", 4), ("tcpi_rehash", 4),
        ("tcpi_total_rto", 2), ("tcpi_total_rto_recoveries", 2), ("tcpi_total_rto_time", 4), ("tcpi_received_ce", 4),
        ("tcpi_delivered_e1_bytes", 4), ("tcpi_delivered_e0_bytes", 4), ("tcpi_delivered_ce_bytes", 4),
        ("tcpi_received_e1_bytes", 4), ("tcpi_received_e0_bytes", 4), ("tcpi_received_ce_bytes", 4),
        ("tcpi_accecn_fail_mode", 2), ("tcpi_accecn_opt_seen", 2),
    };

    /// <summary>sizeof(struct tcp_info) in 6.18.</summary>
    public const int Size = 280;

    /// <summary>SO_MEMINFO's u32 slots in order (uapi sock_diag.h's SK_MEMINFO_*).</summary>
    public static readonly string[] MemInfoNames =
    {
        "SK_MEMINFO_RMEM_ALLOC", "SK_MEMINFO_RCVBUF", "SK_MEMINFO_WMEM_ALLOC", "SK_MEMINFO_SNDBUF", "SK_MEMINFO_FWD_ALLOC",
        "SK_MEMINFO_WMEM_QUEUED", "SK_MEMINFO_OPTMEM", "SK_MEMINFO_BACKLOG", "SK_MEMINFO_DROPS",
    };

    /// <summary>Adds the SK_MEMINFO_* values present in the first <paramref name="len"/> bytes of <paramref name="b"/> to <paramref name="vars"/>.</summary>
    public static void DecodeMemInfo(ReadOnlySpan<byte> b, int len, Dictionary<string, long> vars)
    {
        for (var i = 0; i < MemInfoNames.Length && (i + 1) * 4 <= Math.Min(len, b.Length); i++)
        {
            vars[MemInfoNames[i]] = BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]);
        }
    }

    /// <summary>The fields present in the first <paramref name="len"/> bytes of <paramref name="b"/>.</summary>
    public static Dictionary<string, long> Decode(ReadOnlySpan<byte> b, int len)
    {
        var r = new Dictionary<string, long>(StringComparer.Ordinal);
        var off = 0;
        foreach (var (name, size) in Layout)
        {
            off = (off + size - 1) & ~(size - 1);
            if (off + size > len || off + size > b.Length)
            {
                break;
            }

            long v = size switch
            {
                1 => b[off],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(b[off..]),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(b[off..]),
                _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(b[off..]),
            };
            switch (name)
            {
                case "#wscale":
                    r["tcpi_snd_wscale"] = v & 0xf;
                    r["tcpi_rcv_wscale"] = v >> 4;
                    break;
                case "#flags":
                    r["tcpi_delivery_rate_app_limited"] = v & 1;
                    r["tcpi_fastopen_client_fail"] = (v >> 1) & 3;
                    break;
                default:
                    r[name] = v;
                    break;
            }

            off += size;
        }

        return r;
    }
}
