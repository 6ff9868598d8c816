// Ports drivers/net/ethernet/intel/igb/igb.h: the adapter, its queue
// vectors and rings, the buffer bookkeeping kept parallel to each
// descriptor ring (TX-7), the driver's constants and its inline helpers.
//
// not ported: VF data, PTP and DCA state, XDP/AF_XDP rings, flow filters,
// the I2C/hwmon parts, Qav/CBS launch-time state.
using System;
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Uapi.Linux;
using static KernelNet.Kernel.Include.Linux.skbuff_h;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

/// <summary>struct igb_tx_buffer: what the driver remembers about the packet that starts at one TX descriptor (TX-7).</summary>
public sealed class igb_tx_buffer
{
    /// <summary>Index of the packet's last (EOP) descriptor, or -1 when nothing is pending (the C field is a descriptor pointer).</summary>
    public int next_to_watch { get; set; } = -1;

    public sk_buff? skb { get; set; }

    public uint bytecount { get; set; }

    public ushort gso_segs { get; set; }

    public ushort protocol { get; set; }

    /// <summary>dma_unmap_addr: the bus address to unmap at completion.</summary>
    public ulong dma { get; set; }

    /// <summary>dma_unmap_len: non-zero while a mapping is held.</summary>
    public uint len { get; set; }

    public uint tx_flags { get; set; }
}

/// <summary>struct igb_rx_buffer: the DMA buffer behind one RX descriptor.</summary>
public sealed class igb_rx_buffer
{
    public ulong dma { get; set; }

    /// <summary>The page the buffer is half of (a 4 KiB page; 8 KiB with 3K buffers).</summary>
    public page? page { get; set; }

    /// <summary>Where in the page the half in use starts (IGB_SKB_PAD into it with build_skb); flips between the halves.</summary>
    public uint page_offset { get; set; }

    /// <summary>
    /// The page references the driver took in advance and still holds
    /// (USHRT_MAX at allocation): handing a half to an skb costs one of them,
    /// not an atomic operation on the page.
    /// </summary>
    public int pagecnt_bias { get; set; }
}

/// <summary>struct igb_tx_queue_stats.</summary>
public sealed class igb_tx_queue_stats
{
    public ulong packets { get; set; }

    public ulong bytes { get; set; }

    public ulong restart_queue { get; set; }

    public ulong restart_queue2 { get; set; }
}

/// <summary>struct igb_rx_queue_stats.</summary>
public sealed class igb_rx_queue_stats
{
    public ulong packets { get; set; }

    public ulong bytes { get; set; }

    public ulong drops { get; set; }

    public ulong csum_err { get; set; }

    public ulong alloc_failed { get; set; }
}

/// <summary>struct igb_ring_container: a q_vector's view of one of its rings.</summary>
public sealed class igb_ring_container
{
    public igb_ring? ring { get; set; }

    public uint total_bytes { get; set; }

    public uint total_packets { get; set; }

    /// <summary>Descriptors cleaned per poll at most (tx.work_limit).</summary>
    public int work_limit { get; set; }

    public int count { get; set; }
}

/// <summary>struct igb_ring: one descriptor ring in coherent DMA memory and its software state.</summary>
public sealed class igb_ring
{
    public igb_ring(igb_q_vector q_vector, net_device netdev, int queue_index, int count)
    {
        this.q_vector = q_vector;
        this.netdev = netdev;
        this.queue_index = queue_index;
        this.count = count;
    }

    public igb_q_vector q_vector { get; }

    public net_device netdev { get; }

    /// <summary>The descriptor ring as the CPU sees it (desc) and its bus address (dma).</summary>
    public byte[] desc { get; set; } = Array.Empty<byte>();

    public ulong dma { get; set; }

    public igb_tx_buffer[] tx_buffer_info { get; set; } = Array.Empty<igb_tx_buffer>();

    public igb_rx_buffer[] rx_buffer_info { get; set; } = Array.Empty<igb_rx_buffer>();

    /// <summary>The tail register (RDT/TDT) this ring's doorbell writes.</summary>
    public int tail { get; set; }

    /// <summary>Descriptors in the ring (ethtool -g current; -G changes it while the device is down).</summary>
    public int count { get; set; }

    public int queue_index { get; }

    /// <summary>The hardware queue (igb_cache_ring_register: the same number on the 82576 without VFs).</summary>
    public int reg_idx { get; set; }

    public int next_to_clean { get; set; }

    public int next_to_use { get; set; }

    public int next_to_alloc { get; set; }

    public igb_tx_queue_stats tx_stats { get; } = new();

    public igb_rx_queue_stats rx_stats { get; } = new();

    /// <summary>A frame whose first buffers were seen but not its EOP (rx_ring->skb).</summary>
    public sk_buff? skb { get; set; }

    /// <summary>The IGB_RING_FLAG_* bits (3K buffers, build_skb, allocation failed).</summary>
    public ulong flags { get; set; }
}

/// <summary>struct igb_q_vector: one MSI-X vector, its NAPI context and the rings it serves.</summary>
public sealed class igb_q_vector
{
    public igb_q_vector(igb_adapter adapter, int v_idx)
    {
        this.adapter = adapter;
        this.v_idx = v_idx;
    }

    public igb_adapter adapter { get; }

    public int v_idx { get; }

    /// <summary>The EIMS/EICR bit of this vector's MSI-X entry.</summary>
    public uint eims_value { get; set; }

    /// <summary>The interrupt throttle value written to EITR.</summary>
    public uint itr_val { get; set; }

    /// <summary>Write itr_val to EITR at the next interrupt.</summary>
    public bool set_itr { get; set; }

    /// <summary>The EITR register of this vector (an MMIO address in C).</summary>
    public int itr_register { get; set; }

    public igb_ring_container rx { get; } = new();

    public igb_ring_container tx { get; } = new() { work_limit = igb_h.IGB_DEFAULT_TX_WORK };

    public napi_struct napi { get; set; } = null!;

    /// <summary>The name request_irq gets ("eth0-TxRx-0").</summary>
    public string name { get; set; } = "";
}

/// <summary>struct e1000_hw_stats: the hardware counters the driver accumulates from the clear-on-read registers.</summary>
public sealed class e1000_hw_stats
{
    public ulong crcerrs { get; set; }
    public ulong mpc { get; set; }
    public ulong gprc { get; set; }
    public ulong bprc { get; set; }
    public ulong mprc { get; set; }
    public ulong gptc { get; set; }
    public ulong gorc { get; set; }
    public ulong gotc { get; set; }
    public ulong rnbc { get; set; }
    public ulong ruc { get; set; }
    public ulong roc { get; set; }
    public ulong tor { get; set; }
    public ulong tot { get; set; }
    public ulong tpr { get; set; }
    public ulong tpt { get; set; }
    public ulong mptc { get; set; }
    public ulong bptc { get; set; }
    public ulong colc { get; set; }
    public ulong algnerrc { get; set; }
    public ulong rxerrc { get; set; }
    public ulong cexterr { get; set; }
    public ulong ecol { get; set; }
    public ulong latecol { get; set; }
    public ulong tncrs { get; set; }
}

/// <summary>struct igb_adapter: the driver's private part of the net_device.</summary>
public sealed class igb_adapter
{
    public igb_adapter(net_device netdev, e1000_hw hw)
    {
        this.netdev = netdev;
        this.hw = hw;
    }

    public net_device netdev { get; }

    /// <summary>The device: its registers (hw_addr) and MAC data.</summary>
    public e1000_hw hw { get; }

    /// <summary>Bits of the queue vectors and the other vector in EIMS.</summary>
    public uint eims_enable_mask { get; set; }

    /// <summary>The EIMS bit of the "other" (link, reset) vector: MSI-X entry 0.</summary>
    public uint eims_other { get; set; }

    public int num_q_vectors { get; set; }

    public int num_tx_queues { get; set; }

    public int num_rx_queues { get; set; }

    /// <summary>Queue pairs to use (ethtool -L combined).</summary>
    public int rss_queues { get; set; }

    public igb_q_vector?[] q_vector { get; } = new igb_q_vector?[igb_h.MAX_Q_VECTORS];

    public igb_ring?[] tx_ring { get; } = new igb_ring?[igb_h.IGB_MAX_TX_QUEUES];

    public igb_ring?[] rx_ring { get; } = new igb_ring?[igb_h.IGB_MAX_RX_QUEUES];

    /// <summary>ethtool -G sizes.</summary>
    public int tx_ring_count { get; set; } = igb_h.IGB_DEFAULT_TXD;

    public int rx_ring_count { get; set; } = igb_h.IGB_DEFAULT_RXD;

    public uint rx_itr_setting { get; set; } = igb_h.IGB_START_ITR;

    public uint tx_itr_setting { get; set; } = igb_h.IGB_START_ITR;

    public int tx_work_limit { get; set; } = igb_h.IGB_DEFAULT_TX_WORK;

    /// <summary>The interrupt vectors of the device's MSI-X table (pci_alloc_irq_vectors' result).</summary>
    public int[] msix_entries { get; set; } = Array.Empty<int>();

    public e1000_hw_stats stats { get; } = new();

    /// <summary>What igb_update_stats keeps and ndo_get_stats64 copies out.</summary>
    public rtnl_link_stats64 stats64 { get; } = new();

    public ulong tx_timeout_count { get; set; }

    /// <summary>__IGB_DOWN: set while the interface is closed.</summary>
    public bool down { get; set; } = true;

    /// <summary>The IGB_FLAG_* bits (IGB_FLAG_RX_LEGACY: no build_skb).</summary>
    public uint flags { get; set; }

    /// <summary>The largest frame the MTU allows, with Ethernet header, FCS and two VLAN tags (mtu + IGB_ETH_PKT_HDR_PAD).</summary>
    public int max_frame_size { get; set; }

    /// <summary>Mbit/s once the link came up (igb_update_stats skips while 0).</summary>
    public int link_speed { get; set; }

    public Vmlinux k => netdev.nd_net.k;
}

public static class igb_h
{
    /// <summary>IGB_START_ITR: the initial EITR (about 6000 interrupts/s).</summary>
    public const uint IGB_START_ITR = 648;

    /// <summary>The tx_flags of a packet (enum in igb.h): a VLAN tag, TSO, a timestamp, IPv4 (for TSO), an L4 checksum to insert.</summary>
    public const uint IGB_TX_FLAGS_VLAN = 0x01;
    public const uint IGB_TX_FLAGS_TSO = 0x02;
    public const uint IGB_TX_FLAGS_TSTAMP = 0x04;
    public const uint IGB_TX_FLAGS_IPV4 = 0x10;
    public const uint IGB_TX_FLAGS_CSUM = 0x20;
    public const uint IGB_TX_FLAGS_VLAN_MASK = 0xffff0000;
    public const int IGB_DEFAULT_TXD = 256;
    public const int IGB_DEFAULT_TX_WORK = 128;
    public const int IGB_MIN_TXD = 64;
    public const int IGB_MAX_TXD = 4096;
    public const int IGB_DEFAULT_RXD = 256;
    public const int IGB_MIN_RXD = 64;
    public const int IGB_MAX_RXD = 4096;
    public const int MAX_Q_VECTORS = 8;
    public const int IGB_MAX_RX_QUEUES = 8;
    public const int IGB_MAX_TX_QUEUES = 8;
    public const int IGB_RXBUFFER_256 = 256;
    public const int IGB_RXBUFFER_1536 = 1536;
    public const int IGB_RXBUFFER_2048 = 2048;
    public const int IGB_RXBUFFER_3072 = 3072;

    /// <summary>IGB_TS_HDR_LEN: the timestamp the NIC may put in front of a frame.</summary>
    public const int IGB_TS_HDR_LEN = 16;

    /// <summary>IGB_ETH_PKT_HDR_PAD: what a frame adds to the MTU (Ethernet header, FCS, two VLAN tags).</summary>
    public const int IGB_ETH_PKT_HDR_PAD = 14 + 4 + (4 * 2);

    /// <summary>IGB_2K_TOO_SMALL_WITH_PADDING: would a 1536-byte frame with headroom and timestamp overflow half a 4 KiB page? (Not with 64-byte NET_SKB_PAD.)</summary>
    public static bool IGB_2K_TOO_SMALL_WITH_PADDING => NET_SKB_PAD + IGB_TS_HDR_LEN + IGB_RXBUFFER_1536 > SKB_WITH_OVERHEAD(IGB_RXBUFFER_2048);

    /// <summary>IGB_FLAG_RX_LEGACY: the legacy-rx private flag (construct_skb, 2 KiB buffers, no build_skb).</summary>
    public const uint IGB_FLAG_RX_LEGACY = 1u << 16;

    /// <summary>enum igb_ring_flags_t: bit numbers of igb_ring.flags.</summary>
    public const int IGB_RING_FLAG_RX_3K_BUFFER = 0;
    public const int IGB_RING_FLAG_RX_BUILD_SKB_ENABLED = 1;
    public const int IGB_RING_FLAG_RX_ALLOC_FAILED = 7;

    /// <summary>USHRT_MAX: the references igb takes on a receive page in advance.</summary>
    public const int USHRT_MAX = 0xFFFF;

    // drivers/net/ethernet/intel/igb/igb.h: ring_uses_large_buffer
    public static bool ring_uses_large_buffer(igb_ring ring) => (ring.flags & (1UL << IGB_RING_FLAG_RX_3K_BUFFER)) != 0;

    // drivers/net/ethernet/intel/igb/igb.h: set_ring_uses_large_buffer
    public static void set_ring_uses_large_buffer(igb_ring ring) => ring.flags |= 1UL << IGB_RING_FLAG_RX_3K_BUFFER;

    // drivers/net/ethernet/intel/igb/igb.h: clear_ring_uses_large_buffer
    public static void clear_ring_uses_large_buffer(igb_ring ring) => ring.flags &= ~(1UL << IGB_RING_FLAG_RX_3K_BUFFER);

    // drivers/net/ethernet/intel/igb/igb.h: ring_uses_build_skb
    public static bool ring_uses_build_skb(igb_ring ring) => (ring.flags & (1UL << IGB_RING_FLAG_RX_BUILD_SKB_ENABLED)) != 0;

    // drivers/net/ethernet/intel/igb/igb.h: set_ring_build_skb_enabled
    public static void set_ring_build_skb_enabled(igb_ring ring) => ring.flags |= 1UL << IGB_RING_FLAG_RX_BUILD_SKB_ENABLED;

    // drivers/net/ethernet/intel/igb/igb.h: clear_ring_build_skb_enabled
    public static void clear_ring_build_skb_enabled(igb_ring ring) => ring.flags &= ~(1UL << IGB_RING_FLAG_RX_BUILD_SKB_ENABLED);

    // drivers/net/ethernet/intel/igb/igb.h: igb_rx_pg_order
    /// <summary>Order of a receive page: 1 (8 KiB, two 4 KiB halves) for 3K buffers, else 0.</summary>
    public static int igb_rx_pg_order(igb_ring ring) => ring_uses_large_buffer(ring) ? 1 : 0;

    // drivers/net/ethernet/intel/igb/igb.h: igb_rx_pg_size
    public static int igb_rx_pg_size(igb_ring ring) => mm_h.PAGE_SIZE << igb_rx_pg_order(ring);
    public const int IGB_RX_HDR_LEN = IGB_RXBUFFER_256;
    public const int IGB_MAX_FRAME_BUILD_SKB = IGB_RXBUFFER_1536 - NET_IP_ALIGN;

    /// <summary>IGB_SKB_PAD: headroom in front of the frame so build_skb can use the buffer as the skb head.</summary>
    public const int IGB_SKB_PAD = NET_SKB_PAD + NET_IP_ALIGN;

    /// <summary>Buffers are returned to the hardware in batches of this many.</summary>
    public const int IGB_RX_BUFFER_WRITE = 16;

    public const uint IGB_MAX_DATA_PER_TXD = 1u << 15;

    /// <summary>MAX_SKB_FRAGS (17) + 4.</summary>
    public const int DESC_NEEDED = 17 + 4;

    public const int TX_WAKE_THRESHOLD = DESC_NEEDED * 2;

    /// <summary>Bytes of one advanced descriptor (sizeof(union e1000_adv_rx_desc)).</summary>
    public const int IGB_DESC_SIZE = 16;

    // drivers/net/ethernet/intel/igb/igb.h: TXD_USE_COUNT
    /// <summary>TXD_USE_COUNT: descriptors for a buffer of <paramref name="s"/> bytes.</summary>
    public static int TXD_USE_COUNT(int s) => (int)(((uint)s + IGB_MAX_DATA_PER_TXD - 1) / IGB_MAX_DATA_PER_TXD);

    // drivers/net/ethernet/intel/igb/igb.h: IGB_RX_DESC
    /// <summary>IGB_RX_DESC: a view of descriptor <paramref name="i"/> of an RX ring.</summary>
    public static e1000_adv_rx_desc IGB_RX_DESC(igb_ring r, int i) => new(r.desc.AsSpan(i * IGB_DESC_SIZE, IGB_DESC_SIZE));

    // drivers/net/ethernet/intel/igb/igb.h: IGB_TX_DESC
    /// <summary>IGB_TX_DESC: a view of descriptor <paramref name="i"/> of a TX ring.</summary>
    public static e1000_adv_tx_desc IGB_TX_DESC(igb_ring r, int i) => new(r.desc.AsSpan(i * IGB_DESC_SIZE, IGB_DESC_SIZE));

    // drivers/net/ethernet/intel/igb/igb.h: IGB_TX_CTXTDESC
    /// <summary>IGB_TX_CTXTDESC: descriptor <paramref name="i"/> of a TX ring seen as a context descriptor.</summary>
    public static e1000_adv_tx_context_desc IGB_TX_CTXTDESC(igb_ring r, int i) => new(r.desc.AsSpan(i * IGB_DESC_SIZE, IGB_DESC_SIZE));

    // drivers/net/ethernet/intel/igb/igb.h: igb_rx_bufsz
    /// <summary>How much of a receive buffer the NIC may fill: 3072 with large buffers, 1536 when build_skb needs the rest of the 2 KiB half for headroom and shared info, else 2048.</summary>
    public static int igb_rx_bufsz(igb_ring ring)
    {
        if (ring_uses_large_buffer(ring))
        {
            return IGB_RXBUFFER_3072;
        }

        if (ring_uses_build_skb(ring))
        {
            return IGB_MAX_FRAME_BUILD_SKB;
        }

        return IGB_RXBUFFER_2048;
    }

    // drivers/net/ethernet/intel/igb/igb.h: igb_test_staterr
    /// <summary>Tests bits of the write-back's status_error.</summary>
    public static uint igb_test_staterr(e1000_adv_rx_desc rx_desc, uint stat_err_bits) => rx_desc.wb_upper_status_error & stat_err_bits;

    // drivers/net/ethernet/intel/igb/igb.h: igb_desc_unused
    /// <summary>Free descriptors; one always stays empty so that head == tail means "none".</summary>
    public static int igb_desc_unused(igb_ring ring)
    {
        var ntc = ring.next_to_clean;
        var ntu = ring.next_to_use;
        return (ntc > ntu ? 0 : ring.count) + ntc - ntu - 1;
    }

    // drivers/net/ethernet/intel/igb/igb.h: txring_txq
    public static netdev_queue txring_txq(igb_ring tx_ring) => netdevice_h.netdev_get_tx_queue(tx_ring.netdev, tx_ring.queue_index);
}
