// Ports drivers/net/ethernet/intel/igb/e1000_82575.h: the advanced receive
// and transmit descriptors (as views over the ring's DMA memory) and the
// queue-control bits of the 82575 family.
using System;
using System.Buffers.Binary;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

/// <summary>
/// union e1000_adv_rx_desc over 16 bytes of a ring: the read format the
/// driver fills (pkt_addr, hdr_addr) and the write-back format the NIC
/// leaves (pkt_info, hdr_info, rss, status_error, length, vlan). Little
/// endian, as the device writes it.
/// </summary>
public readonly ref struct e1000_adv_rx_desc
{
    private readonly Span<byte> _d;

    public e1000_adv_rx_desc(Span<byte> d)
    {
        _d = d;
    }

    public ulong read_pkt_addr
    {
        get => BinaryPrimitives.ReadUInt64LittleEndian(_d);
        set => BinaryPrimitives.WriteUInt64LittleEndian(_d, value);
    }

    public ulong read_hdr_addr
    {
        get => BinaryPrimitives.ReadUInt64LittleEndian(_d[8..]);
        set => BinaryPrimitives.WriteUInt64LittleEndian(_d[8..], value);
    }

    /// <summary>wb.lower.lo_dword.pkt_info: RSS type (bits 3:0) and packet type.</summary>
    public ushort wb_lower_pkt_info => BinaryPrimitives.ReadUInt16LittleEndian(_d);

    /// <summary>wb.lower.hi_dword.rss: the Toeplitz hash.</summary>
    public uint wb_lower_hi_dword_rss => BinaryPrimitives.ReadUInt32LittleEndian(_d[4..]);

    public uint wb_upper_status_error => BinaryPrimitives.ReadUInt32LittleEndian(_d[8..]);

    /// <summary>wb.upper.length: bytes the NIC wrote; the driver zeroes it to know when the next write-back lands.</summary>
    public ushort wb_upper_length
    {
        get => BinaryPrimitives.ReadUInt16LittleEndian(_d[12..]);
        set => BinaryPrimitives.WriteUInt16LittleEndian(_d[12..], value);
    }
}

/// <summary>union e1000_adv_tx_desc: read format (buffer_addr, cmd_type_len, olinfo_status) and write-back (status).</summary>
public readonly ref struct e1000_adv_tx_desc
{
    private readonly Span<byte> _d;

    public e1000_adv_tx_desc(Span<byte> d)
    {
        _d = d;
    }

    public ulong read_buffer_addr
    {
        get => BinaryPrimitives.ReadUInt64LittleEndian(_d);
        set => BinaryPrimitives.WriteUInt64LittleEndian(_d, value);
    }

    public uint read_cmd_type_len
    {
        get => BinaryPrimitives.ReadUInt32LittleEndian(_d[8..]);
        set => BinaryPrimitives.WriteUInt32LittleEndian(_d[8..], value);
    }

    public uint read_olinfo_status
    {
        get => BinaryPrimitives.ReadUInt32LittleEndian(_d[12..]);
        set => BinaryPrimitives.WriteUInt32LittleEndian(_d[12..], value);
    }

    /// <summary>wb.status: DD once the NIC has fetched the packet (overlays olinfo_status).</summary>
    public uint wb_status => BinaryPrimitives.ReadUInt32LittleEndian(_d[12..]);
}

/// <summary>
/// struct e1000_adv_tx_context_desc: the descriptor that tells the NIC where
/// the headers are (MAC and IP lengths) and which L4 checksum to insert for
/// the packets that follow it.
/// </summary>
public readonly ref struct e1000_adv_tx_context_desc
{
    private readonly Span<byte> _d;

    public e1000_adv_tx_context_desc(Span<byte> d)
    {
        _d = d;
    }

    public uint vlan_macip_lens
    {
        get => BinaryPrimitives.ReadUInt32LittleEndian(_d);
        set => BinaryPrimitives.WriteUInt32LittleEndian(_d, value);
    }

    public uint seqnum_seed
    {
        get => BinaryPrimitives.ReadUInt32LittleEndian(_d[4..]);
        set => BinaryPrimitives.WriteUInt32LittleEndian(_d[4..], value);
    }

    public uint type_tucmd_mlhl
    {
        get => BinaryPrimitives.ReadUInt32LittleEndian(_d[8..]);
        set => BinaryPrimitives.WriteUInt32LittleEndian(_d[8..], value);
    }

    public uint mss_l4len_idx
    {
        get => BinaryPrimitives.ReadUInt32LittleEndian(_d[12..]);
        set => BinaryPrimitives.WriteUInt32LittleEndian(_d[12..], value);
    }
}

public static class e1000_82575_h
{
    public const int E1000_SRRCTL_BSIZEPKT_SHIFT = 10;
    public const int E1000_SRRCTL_BSIZEHDRSIZE_SHIFT = 2;
    public const uint E1000_SRRCTL_DESCTYPE_ADV_ONEBUF = 0x02000000;
    public const uint E1000_SRRCTL_DROP_EN = 0x80000000;

    public const uint E1000_MRQC_ENABLE_RSS_MQ = 0x00000002;
    public const uint E1000_MRQC_RSS_FIELD_IPV4_UDP = 0x00400000;

    public const uint E1000_ADVTXD_DTYP_DATA = 0x00300000;
    public const uint E1000_ADVTXD_DCMD_EOP = 0x01000000;
    public const uint E1000_ADVTXD_DCMD_IFCS = 0x02000000;
    public const uint E1000_ADVTXD_DCMD_RS = 0x08000000;
    public const uint E1000_ADVTXD_DCMD_DEXT = 0x20000000;
    public const int E1000_ADVTXD_PAYLEN_SHIFT = 14;
    public const uint E1000_ADVTXD_DTYP_CTXT = 0x00200000;
    public const int E1000_ADVTXD_MACLEN_SHIFT = 9;
    public const uint E1000_ADVTXD_TUCMD_L4T_UDP = 0x00000000;
    public const uint E1000_ADVTXD_TUCMD_IPV4 = 0x00000400;
    public const uint E1000_ADVTXD_TUCMD_L4T_TCP = 0x00000800;

    public const uint E1000_TXDCTL_QUEUE_ENABLE = 0x02000000;
    public const uint E1000_RXDCTL_QUEUE_ENABLE = 0x02000000;
}
