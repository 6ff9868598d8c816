// Ports include/uapi/linux/tcp.h: struct tcphdr, struct tcp_info (TCP_INFO's
// layout, byte for byte) and the socket option numbers of SOL_TCP this port knows.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>struct tcphdr: ports, sequence numbers, data offset, flags, window, checksum; big-endian on the wire.</summary>
public readonly ref struct tcphdr
{
    public const int Size = 20;
    private readonly Span<byte> _b;

    public tcphdr(Span<byte> bytes)
    {
        _b = bytes;
    }

    public ushort source
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b, value);
    }

    public ushort dest
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[2..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[2..], value);
    }

    public uint seq
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[4..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[4..], value);
    }

    public uint ack_seq
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_b[8..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_b[8..], value);
    }

    /// <summary>Header length in 32-bit words.</summary>
    public int doff
    {
        get => _b[12] >> 4;
        set => _b[12] = (byte)((value << 4) | (_b[12] & 0x0f));
    }

    /// <summary>The flag byte (tcp_flag_byte): CWR ECE URG ACK PSH RST SYN FIN from the top bit down.</summary>
    public byte flags
    {
        get => _b[13];
        set => _b[13] = value;
    }

    /// <summary>The AE bit (AccECN's third ACE bit): the lowest bit of the byte that holds doff.</summary>
    public bool ae => (_b[12] & 0x01) != 0;

    /// <summary>The three reserved bits between doff and AE.</summary>
    public int res1 => (_b[12] >> 1) & 0x07;

    public bool fin => (_b[13] & 0x01) != 0;

    public bool syn => (_b[13] & 0x02) != 0;

    public bool rst => (_b[13] & 0x04) != 0;

    public bool ack => (_b[13] & 0x10) != 0;

    public bool urg => (_b[13] & 0x20) != 0;

    public ushort window
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[14..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[14..], value);
    }

    public ushort check
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[16..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[16..], value);
    }

    public ushort urg_ptr
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_b[18..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_b[18..], value);
    }
}

public static class tcp_h
{
    public const int TCP_NODELAY = 1;
    public const int TCP_MAXSEG = 2;
    public const int TCP_CORK = 3;
    public const int TCP_KEEPIDLE = 4;
    public const int TCP_KEEPINTVL = 5;
    public const int TCP_KEEPCNT = 6;
    public const int TCP_SYNCNT = 7;
    public const int TCP_LINGER2 = 8;
    public const int TCP_DEFER_ACCEPT = 9;
    public const int TCP_WINDOW_CLAMP = 10;
    public const int TCP_INFO = 11;
    public const int TCP_QUICKACK = 12;
    public const int TCP_CONGESTION = 13;
    public const int TCP_USER_TIMEOUT = 18;

    /// <summary>TCP_FASTOPEN: a listener's Fast Open queue length (0 turns passive Fast Open off).</summary>
    public const int TCP_FASTOPEN = 23;

    /// <summary>TCP_FASTOPEN_CONNECT: connect() waits for the first write to send a SYN with data.</summary>
    public const int TCP_FASTOPEN_CONNECT = 30;

    /// <summary>TCP_FASTOPEN_KEY: the listener's own cookie key(s), 16 or 32 bytes.</summary>
    public const int TCP_FASTOPEN_KEY = 33;

    /// <summary>TCP_FASTOPEN_NO_COOKIE: Fast Open without a cookie on this socket.</summary>
    public const int TCP_FASTOPEN_NO_COOKIE = 34;

    /// <summary>enum tcp_fastopen_client_fail: why an active Fast Open failed (tcpi_fastopen_client_fail).</summary>
    public const byte TFO_STATUS_UNSPEC = 0;

    public const byte TFO_COOKIE_UNAVAILABLE = 1;

    public const byte TFO_DATA_NOT_ACKED = 2;

    public const byte TFO_SYN_RETRANSMITTED = 3;

    /// <summary>TCP_INQ: report the bytes left to read with each recvmsg (TCP_CM_INQ).</summary>
    public const int TCP_INQ = 36;

    /// <summary>TCP_NOTSENT_LOWAT: the unsent bytes above which the socket is not writable (tp->notsent_lowat).</summary>
    public const int TCP_NOTSENT_LOWAT = 25;

    /// <summary>TCP_CM_INQ: the control message TCP_INQ adds (an int).</summary>
    public const int TCP_CM_INQ = TCP_INQ;

    /// <summary>tcpi_options bits.</summary>
    public const byte TCPI_OPT_TIMESTAMPS = 1;
    public const byte TCPI_OPT_SACK = 2;
    public const byte TCPI_OPT_WSCALE = 4;
    public const byte TCPI_OPT_ECN = 8;
    public const byte TCPI_OPT_ECN_SEEN = 16;
    public const byte TCPI_OPT_SYN_DATA = 32;
    public const byte TCPI_OPT_USEC_TS = 64;
    public const byte TCPI_OPT_TFO_CHILD = 128;

    // include/uapi/linux/tcp.h: tcp_flag_word
    /// <summary>The header's fourth 32-bit word (data offset, flags, window), read big-endian.</summary>
    [KernelNet.Annotations.Borrows("skb")]
    public static uint tcp_flag_word(KernelNet.Kernel.Include.Linux.sk_buff skb) =>
        BinaryPrimitives.ReadUInt32BigEndian(System.MemoryExtensions.AsSpan(skb.head, skb.transport_header + 12, 4));

    /// <summary>TCP_CA_NAME_MAX: an algorithm's name, NUL included.</summary>
    public const int TCP_CA_NAME_MAX = 16;
}

/// <summary>
/// struct tcp_info (include/uapi/linux/tcp.h, 6.18): what getsockopt(TCP_INFO)
/// copies out, 280 bytes in the x86-64 layout (little-endian, natural
/// alignment; checked with gcc against the 6.18 header). Byte 6 packs
/// tcpi_snd_wscale (low nibble) and tcpi_rcv_wscale; byte 7
/// tcpi_delivery_rate_app_limited (bit 0) and tcpi_fastopen_client_fail (bits 1-2).
/// </summary>
public sealed class tcp_info
{
    /// <summary>sizeof(struct tcp_info).</summary>
    public const int Size = 280;

    public byte tcpi_state { get; set; }

    public byte tcpi_ca_state { get; set; }

    public byte tcpi_retransmits { get; set; }

    public byte tcpi_probes { get; set; }

    public byte tcpi_backoff { get; set; }

    public byte tcpi_options { get; set; }

    public byte tcpi_snd_wscale { get; set; }

    public byte tcpi_rcv_wscale { get; set; }

    public byte tcpi_delivery_rate_app_limited { get; set; }

    public byte tcpi_fastopen_client_fail { get; set; }

    public uint tcpi_rto { get; set; }

    public uint tcpi_ato { get; set; }

    public uint tcpi_snd_mss { get; set; }

    public uint tcpi_rcv_mss { get; set; }

    public uint tcpi_unacked { get; set; }

    public uint tcpi_sacked { get; set; }

    public uint tcpi_lost { get; set; }

    public uint tcpi_retrans { get; set; }

    public uint tcpi_fackets { get; set; }

    public uint tcpi_last_data_sent { get; set; }

    public uint tcpi_last_ack_sent { get; set; }

    public uint tcpi_last_data_recv { get; set; }

    public uint tcpi_last_ack_recv { get; set; }

    public uint tcpi_pmtu { get; set; }

    public uint tcpi_rcv_ssthresh { get; set; }

    public uint tcpi_rtt { get; set; }

    public uint tcpi_rttvar { get; set; }

    public uint tcpi_snd_ssthresh { get; set; }

    public uint tcpi_snd_cwnd { get; set; }

    public uint tcpi_advmss { get; set; }

    public uint tcpi_reordering { get; set; }

    public uint tcpi_rcv_rtt { get; set; }

    public uint tcpi_rcv_space { get; set; }

    public uint tcpi_total_retrans { get; set; }

    public ulong tcpi_pacing_rate { get; set; }

    public ulong tcpi_max_pacing_rate { get; set; }

    public ulong tcpi_bytes_acked { get; set; }

    public ulong tcpi_bytes_received { get; set; }

    public uint tcpi_segs_out { get; set; }

    public uint tcpi_segs_in { get; set; }

    public uint tcpi_notsent_bytes { get; set; }

    public uint tcpi_min_rtt { get; set; }

    public uint tcpi_data_segs_in { get; set; }

    public uint tcpi_data_segs_out { get; set; }

    public ulong tcpi_delivery_rate { get; set; }

    public ulong tcpi_busy_time { get; set; }

    public ulong tcpi_rwnd_limited { get; set; }

    public ulong tcpi_sndbuf_limited { get; set; }

    public uint tcpi_delivered { get; set; }

    public uint tcpi_delivered_ce { get; set; }

    public ulong tcpi_bytes_sent { get; set; }

    public ulong tcpi_bytes_retrans { get; set; }

    public uint tcpi_dsack_dups { get; set; }

    public uint tcpi_reord_seen { get; set; }

    public uint tcpi_rcv_ooopack { get; set; }

    public uint tcpi_snd_wnd { get; set; }

    public uint tcpi_rcv_wnd { get; set; }

    public uint tcpi_rehash { get; set; }

    public ushort tcpi_total_rto { get; set; }

    public ushort tcpi_total_rto_recoveries { get; set; }

    public uint tcpi_total_rto_time { get; set; }

    public uint tcpi_received_ce { get; set; }

    public uint tcpi_delivered_e1_bytes { get; set; }

    public uint tcpi_delivered_e0_bytes { get; set; }

    public uint tcpi_delivered_ce_bytes { get; set; }

    public uint tcpi_received_e1_bytes { get; set; }

    public uint tcpi_received_e0_bytes { get; set; }

    public uint tcpi_received_ce_bytes { get; set; }

    public ushort tcpi_accecn_fail_mode { get; set; }

    public ushort tcpi_accecn_opt_seen { get; set; }

    /// <summary>The struct's bytes, as copy_to_user sees them: the first <paramref name="b"/>.Length of them (a shorter buffer gets a prefix).</summary>
    [KernelNet.Annotations.NotInLinux("C# serialization of struct tcp_info for getsockopt: C copies the struct to user memory")]
    public void WriteTo(Span<byte> b)
    {
        Span<byte> all = stackalloc byte[Size];
        Write(all);
        all[..Math.Min(b.Length, Size)].CopyTo(b);
    }

    [KernelNet.Annotations.NotInLinux("C# serialization of struct tcp_info's fields in their uapi layout")]
    private void Write(Span<byte> b)
    {
        b[0] = tcpi_state;
        b[1] = tcpi_ca_state;
        b[2] = tcpi_retransmits;
        b[3] = tcpi_probes;
        b[4] = tcpi_backoff;
        b[5] = tcpi_options;
        b[6] = (byte)((tcpi_snd_wscale & 0xf) | (tcpi_rcv_wscale << 4));
        b[7] = (byte)((tcpi_delivery_rate_app_limited & 1) | ((tcpi_fastopen_client_fail & 3) << 1));
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], tcpi_rto);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], tcpi_ato);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], tcpi_snd_mss);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], tcpi_rcv_mss);
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], tcpi_unacked);
        BinaryPrimitives.WriteUInt32LittleEndian(b[28..], tcpi_sacked);
        BinaryPrimitives.WriteUInt32LittleEndian(b[32..], tcpi_lost);
        BinaryPrimitives.WriteUInt32LittleEndian(b[36..], tcpi_retrans);
        BinaryPrimitives.WriteUInt32LittleEndian(b[40..], tcpi_fackets);
        BinaryPrimitives.WriteUInt32LittleEndian(b[44..], tcpi_last_data_sent);
        BinaryPrimitives.WriteUInt32LittleEndian(b[48..], tcpi_last_ack_sent);
        BinaryPrimitives.WriteUInt32LittleEndian(b[52..], tcpi_last_data_recv);
        BinaryPrimitives.WriteUInt32LittleEndian(b[56..], tcpi_last_ack_recv);
        BinaryPrimitives.WriteUInt32LittleEndian(b[60..], tcpi_pmtu);
        BinaryPrimitives.WriteUInt32LittleEndian(b[64..], tcpi_rcv_ssthresh);
        BinaryPrimitives.WriteUInt32LittleEndian(b[68..], tcpi_rtt);
        BinaryPrimitives.WriteUInt32LittleEndian(b[72..], tcpi_rttvar);
        BinaryPrimitives.WriteUInt32LittleEndian(b[76..], tcpi_snd_ssthresh);
        BinaryPrimitives.WriteUInt32LittleEndian(b[80..], tcpi_snd_cwnd);
        BinaryPrimitives.WriteUInt32LittleEndian(b[84..], tcpi_advmss);
        BinaryPrimitives.WriteUInt32LittleEndian(b[88..], tcpi_reordering);
        BinaryPrimitives.WriteUInt32LittleEndian(b[92..], tcpi_rcv_rtt);
        BinaryPrimitives.WriteUInt32LittleEndian(b[96..], tcpi_rcv_space);
        BinaryPrimitives.WriteUInt32LittleEndian(b[100..], tcpi_total_retrans);
        BinaryPrimitives.WriteUInt64LittleEndian(b[104..], tcpi_pacing_rate);
        BinaryPrimitives.WriteUInt64LittleEndian(b[112..], tcpi_max_pacing_rate);
        BinaryPrimitives.WriteUInt64LittleEndian(b[120..], tcpi_bytes_acked);
        BinaryPrimitives.WriteUInt64LittleEndian(b[128..], tcpi_bytes_received);
        BinaryPrimitives.WriteUInt32LittleEndian(b[136..], tcpi_segs_out);
        BinaryPrimitives.WriteUInt32LittleEndian(b[140..], tcpi_segs_in);
        BinaryPrimitives.WriteUInt32LittleEndian(b[144..], tcpi_notsent_bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(b[148..], tcpi_min_rtt);
        BinaryPrimitives.WriteUInt32LittleEndian(b[152..], tcpi_data_segs_in);
        BinaryPrimitives.WriteUInt32LittleEndian(b[156..], tcpi_data_segs_out);
        BinaryPrimitives.WriteUInt64LittleEndian(b[160..], tcpi_delivery_rate);
        BinaryPrimitives.WriteUInt64LittleEndian(b[168..], tcpi_busy_time);
        BinaryPrimitives.WriteUInt64LittleEndian(b[176..], tcpi_rwnd_limited);
        BinaryPrimitives.WriteUInt64LittleEndian(b[184..], tcpi_sndbuf_limited);
        BinaryPrimitives.WriteUInt32LittleEndian(b[192..], tcpi_delivered);
        BinaryPrimitives.WriteUInt32LittleEndian(b[196..], tcpi_delivered_ce);
        BinaryPrimitives.WriteUInt64LittleEndian(b[200..], tcpi_bytes_sent);
        BinaryPrimitives.WriteUInt64LittleEndian(b[208..], tcpi_bytes_retrans);
        BinaryPrimitives.WriteUInt32LittleEndian(b[216..], tcpi_dsack_dups);
        BinaryPrimitives.WriteUInt32LittleEndian(b[220..], tcpi_reord_seen);
        BinaryPrimitives.WriteUInt32LittleEndian(b[224..], tcpi_rcv_ooopack);
        BinaryPrimitives.WriteUInt32LittleEndian(b[228..], tcpi_snd_wnd);
        BinaryPrimitives.WriteUInt32LittleEndian(b[232..], tcpi_rcv_wnd);
        BinaryPrimitives.WriteUInt32LittleEndian(b[236..], tcpi_rehash);
        BinaryPrimitives.WriteUInt16LittleEndian(b[240..], tcpi_total_rto);
        BinaryPrimitives.WriteUInt16LittleEndian(b[242..], tcpi_total_rto_recoveries);
        BinaryPrimitives.WriteUInt32LittleEndian(b[244..], tcpi_total_rto_time);
        BinaryPrimitives.WriteUInt32LittleEndian(b[248..], tcpi_received_ce);
        BinaryPrimitives.WriteUInt32LittleEndian(b[252..], tcpi_delivered_e1_bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(b[256..], tcpi_delivered_e0_bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(b[260..], tcpi_delivered_ce_bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(b[264..], tcpi_received_e1_bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(b[268..], tcpi_received_e0_bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(b[272..], tcpi_received_ce_bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(b[276..], tcpi_accecn_fail_mode);
        BinaryPrimitives.WriteUInt16LittleEndian(b[278..], tcpi_accecn_opt_seen);
    }

    /// <summary>
    /// Every tcpi_* field by name, for a packetdrill %{ }% block (CodeEnvironment's
    /// variables: "tcpi_rto", "tcpi_snd_cwnd", ...).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the simulation's named view of tcp_info for scenario checks (ss -i prints the same fields)")]
    public System.Collections.Generic.IReadOnlyDictionary<string, long> ToVariables() =>
        new System.Collections.Generic.Dictionary<string, long>
        {
            ["tcpi_state"] = (long)tcpi_state,
            ["tcpi_ca_state"] = (long)tcpi_ca_state,
            ["tcpi_retransmits"] = (long)tcpi_retransmits,
            ["tcpi_probes"] = (long)tcpi_probes,
            ["tcpi_backoff"] = (long)tcpi_backoff,
            ["tcpi_options"] = (long)tcpi_options,
            ["tcpi_snd_wscale"] = (long)tcpi_snd_wscale,
            ["tcpi_rcv_wscale"] = (long)tcpi_rcv_wscale,
            ["tcpi_delivery_rate_app_limited"] = (long)tcpi_delivery_rate_app_limited,
            ["tcpi_fastopen_client_fail"] = (long)tcpi_fastopen_client_fail,
            ["tcpi_rto"] = (long)tcpi_rto,
            ["tcpi_ato"] = (long)tcpi_ato,
            ["tcpi_snd_mss"] = (long)tcpi_snd_mss,
            ["tcpi_rcv_mss"] = (long)tcpi_rcv_mss,
            ["tcpi_unacked"] = (long)tcpi_unacked,
            ["tcpi_sacked"] = (long)tcpi_sacked,
            ["tcpi_lost"] = (long)tcpi_lost,
            ["tcpi_retrans"] = (long)tcpi_retrans,
            ["tcpi_fackets"] = (long)tcpi_fackets,
            ["tcpi_last_data_sent"] = (long)tcpi_last_data_sent,
            ["tcpi_last_ack_sent"] = (long)tcpi_last_ack_sent,
            ["tcpi_last_data_recv"] = (long)tcpi_last_data_recv,
            ["tcpi_last_ack_recv"] = (long)tcpi_last_ack_recv,
            ["tcpi_pmtu"] = (long)tcpi_pmtu,
            ["tcpi_rcv_ssthresh"] = (long)tcpi_rcv_ssthresh,
            ["tcpi_rtt"] = (long)tcpi_rtt,
            ["tcpi_rttvar"] = (long)tcpi_rttvar,
            ["tcpi_snd_ssthresh"] = (long)tcpi_snd_ssthresh,
            ["tcpi_snd_cwnd"] = (long)tcpi_snd_cwnd,
            ["tcpi_advmss"] = (long)tcpi_advmss,
            ["tcpi_reordering"] = (long)tcpi_reordering,
            ["tcpi_rcv_rtt"] = (long)tcpi_rcv_rtt,
            ["tcpi_rcv_space"] = (long)tcpi_rcv_space,
            ["tcpi_total_retrans"] = (long)tcpi_total_retrans,
            ["tcpi_pacing_rate"] = (long)tcpi_pacing_rate,
            ["tcpi_max_pacing_rate"] = (long)tcpi_max_pacing_rate,
            ["tcpi_bytes_acked"] = (long)tcpi_bytes_acked,
            ["tcpi_bytes_received"] = (long)tcpi_bytes_received,
            ["tcpi_segs_out"] = (long)tcpi_segs_out,
            ["tcpi_segs_in"] = (long)tcpi_segs_in,
            ["tcpi_notsent_bytes"] = (long)tcpi_notsent_bytes,
            ["tcpi_min_rtt"] = (long)tcpi_min_rtt,
            ["tcpi_data_segs_in"] = (long)tcpi_data_segs_in,
            ["tcpi_data_segs_out"] = (long)tcpi_data_segs_out,
            ["tcpi_delivery_rate"] = (long)tcpi_delivery_rate,
            ["tcpi_busy_time"] = (long)tcpi_busy_time,
            ["tcpi_rwnd_limited"] = (long)tcpi_rwnd_limited,
            ["tcpi_sndbuf_limited"] = (long)tcpi_sndbuf_limited,
            ["tcpi_delivered"] = (long)tcpi_delivered,
            ["tcpi_delivered_ce"] = (long)tcpi_delivered_ce,
            ["tcpi_bytes_sent"] = (long)tcpi_bytes_sent,
            ["tcpi_bytes_retrans"] = (long)tcpi_bytes_retrans,
            ["tcpi_dsack_dups"] = (long)tcpi_dsack_dups,
            ["tcpi_reord_seen"] = (long)tcpi_reord_seen,
            ["tcpi_rcv_ooopack"] = (long)tcpi_rcv_ooopack,
            ["tcpi_snd_wnd"] = (long)tcpi_snd_wnd,
            ["tcpi_rcv_wnd"] = (long)tcpi_rcv_wnd,
            ["tcpi_rehash"] = (long)tcpi_rehash,
            ["tcpi_total_rto"] = (long)tcpi_total_rto,
            ["tcpi_total_rto_recoveries"] = (long)tcpi_total_rto_recoveries,
            ["tcpi_total_rto_time"] = (long)tcpi_total_rto_time,
            ["tcpi_received_ce"] = (long)tcpi_received_ce,
            ["tcpi_delivered_e1_bytes"] = (long)tcpi_delivered_e1_bytes,
            ["tcpi_delivered_e0_bytes"] = (long)tcpi_delivered_e0_bytes,
            ["tcpi_delivered_ce_bytes"] = (long)tcpi_delivered_ce_bytes,
            ["tcpi_received_e1_bytes"] = (long)tcpi_received_e1_bytes,
            ["tcpi_received_e0_bytes"] = (long)tcpi_received_e0_bytes,
            ["tcpi_received_ce_bytes"] = (long)tcpi_received_ce_bytes,
            ["tcpi_accecn_fail_mode"] = (long)tcpi_accecn_fail_mode,
            ["tcpi_accecn_opt_seen"] = (long)tcpi_accecn_opt_seen,
        };
}
