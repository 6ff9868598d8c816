// Ports drivers/net/ethernet/intel/igb/igb.h: the adapter, its queue vectors
// and rings, and the buffer bookkeeping parallel to each descriptor ring.
using System.Collections.Generic;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Machine.Nic;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

/// <summary>struct igb_tx_buffer: what the driver remembers about each TX descriptor (TX-7).</summary>
public sealed class igb_tx_buffer
{
    /// <summary>The descriptor index that ends this packet, or -1 (next_to_watch).</summary>
    public int next_to_watch { get; set; } = -1;

    public sk_buff? skb { get; set; }

    public uint bytecount { get; set; }

    public ushort gso_segs { get; set; }

    public ulong dma { get; set; }

    public uint len { get; set; }
}

/// <summary>struct igb_rx_buffer: the DMA buffer behind one RX descriptor.</summary>
public sealed class igb_rx_buffer
{
    public ulong dma { get; set; }

    /// <summary>The page (here: a 2 KiB buffer) the NIC writes into.</summary>
    public byte[]? page { get; set; }
}

/// <summary>Per-ring packet/byte counters (struct igb_ring's stats / u64_stats).</summary>
public sealed class igb_ring_stats
{
    public ulong packets { get; set; }

    public ulong bytes { get; set; }

    public ulong restart_queue { get; set; }

    public ulong drops { get; set; }

    public ulong csum_err { get; set; }

    public ulong alloc_failed { get; set; }
}

/// <summary>struct igb_ring: one descriptor ring in coherent DMA memory and its software state.</summary>
public sealed class igb_ring
{
    public igb_ring(igb_q_vector q_vector, int queue_index, int count)
    {
        this.q_vector = q_vector;
        this.queue_index = queue_index;
        reg_idx = queue_index;
        this.count = count;
    }

    public igb_q_vector q_vector { get; }

    public net_device netdev => q_vector.adapter.netdev;

    public int queue_index { get; }

    public int reg_idx { get; }

    /// <summary>Descriptors in the ring (ethtool -g current).</summary>
    public int count { get; }

    /// <summary>The descriptor ring as the CPU sees it (desc) and its bus address (dma).</summary>
    public byte[] desc { get; set; } = System.Array.Empty<byte>();

    public ulong dma { get; set; }

    public int next_to_use { get; set; }

    public int next_to_clean { get; set; }

    public int next_to_alloc { get; set; }

    public igb_tx_buffer[] tx_buffer_info { get; set; } = System.Array.Empty<igb_tx_buffer>();

    public igb_rx_buffer[] rx_buffer_info { get; set; } = System.Array.Empty<igb_rx_buffer>();

    /// <summary>The tail register (RDT/TDT) of this ring.</summary>
    public int tail { get; set; }

    public igb_ring_stats stats { get; } = new();
}

/// <summary>struct igb_q_vector: one MSI-X vector, its NAPI, and the rings it serves.</summary>
public sealed class igb_q_vector
{
    public igb_q_vector(igb_adapter adapter, int v_idx)
    {
        this.adapter = adapter;
        this.v_idx = v_idx;
    }

    public igb_adapter adapter { get; }

    public int v_idx { get; }

    public napi_struct napi { get; set; } = null!;

    public igb_ring? tx_ring { get; set; }

    public igb_ring? rx_ring { get; set; }

    /// <summary>EITR value (interrupt throttle).</summary>
    public uint itr_val { get; set; }

    /// <summary>The name request_irq gets ("eth0-TxRx-0").</summary>
    public string name { get; set; } = "";

    /// <summary>tx.work_limit: descriptors cleaned per poll at most.</summary>
    public int tx_work_limit { get; set; } = igb_h.IGB_DEFAULT_TX_WORK;
}

/// <summary>The hardware statistics the driver accumulates (struct e1000_hw_stats).</summary>
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
    public ulong mptc { get; set; }
    public ulong bptc { get; set; }
}

/// <summary>struct igb_adapter.</summary>
public sealed class igb_adapter
{
    public igb_adapter(net_device netdev, Igb82576 hw)
    {
        this.netdev = netdev;
        this.hw = hw;
    }

    public net_device netdev { get; }

    /// <summary>The device (struct e1000_hw): registers and MSI-X through its hardware interface.</summary>
    public Igb82576 hw { get; }

    /// <summary>Queue pairs to use (ethtool -L combined).</summary>
    public int rss_queues { get; set; }

    public int num_q_vectors { get; set; }

    public int num_tx_queues { get; set; }

    public int num_rx_queues { get; set; }

    public List<igb_q_vector> q_vector { get; } = new();

    public List<igb_ring> tx_ring { get; } = new();

    public List<igb_ring> rx_ring { get; } = new();

    /// <summary>ethtool -G sizes.</summary>
    public int tx_ring_count { get; set; } = igb_h.IGB_DEFAULT_TXD;

    public int rx_ring_count { get; set; } = igb_h.IGB_DEFAULT_RXD;

    public uint rx_itr_setting { get; set; } = igb_h.IGB_START_ITR;

    public e1000_hw_stats stats { get; } = new();

    /// <summary>The net_device stats igb_update_stats keeps (struct rtnl_link_stats64 in C).</summary>
    public Include.Uapi.Linux.rtnl_link_stats64 stats64 { get; } = new();

    public ulong tx_timeout_count { get; set; }

    public Vmlinux k => netdev.nd_net.k;
}

public static class igb_h
{
    public const int IGB_DEFAULT_TXD = 256;
    public const int IGB_DEFAULT_RXD = 256;
    public const int IGB_MIN_TXD = 64;
    public const int IGB_MIN_RXD = 64;
    public const int IGB_MAX_TXD = 4096;
    public const int IGB_MAX_RXD = 4096;
    public const int IGB_DEFAULT_TX_WORK = 128;

    /// <summary>IGB_START_ITR: the initial EITR (about 6000 interrupts/s).</summary>
    public const uint IGB_START_ITR = 648;

    /// <summary>Buffers are returned to the hardware in batches of this many.</summary>
    public const int IGB_RX_BUFFER_WRITE = 16;

    public const int IGB_RXBUFFER_2048 = 2048;

    /// <summary>DESC_NEEDED: MAX_SKB_FRAGS + 4.</summary>
    public const int DESC_NEEDED = 17 + 4;

    public const int TX_WAKE_THRESHOLD = DESC_NEEDED * 2;

    public const int IGB_MAX_RX_QUEUES = 8;

    // drivers/net/ethernet/intel/igb/igb.h: igb_desc_unused
    /// <summary>Free descriptors; one always stays empty so that head == tail means "none".</summary>
    public static int igb_desc_unused(igb_ring ring)
    {
        var ntc = ring.next_to_clean;
        var ntu = ring.next_to_use;
        return (ntc > ntu ? 0 : ring.count) + ntc - ntu - 1;
    }
}
