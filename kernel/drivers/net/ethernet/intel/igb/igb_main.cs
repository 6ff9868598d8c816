// Ports drivers/net/ethernet/intel/igb/igb_main.c: the igb driver's data
// path — rings in DMA memory, MSI-X vectors with NAPI, receive (RX-9),
// transmit (TX-6, TX-7) and transmit completion under NET_RX (TX-8) — and
// the set-up it needs (open, ring resources, RSS, interrupts, statistics).
//
// not ported: PCI probing and the PHY/MAC/NVM management (igb_probe takes a
// modelled device), link state machines and watchdog, VFs/SR-IOV, PTP, XDP
// and AF_XDP zero copy, TSO/checksum offload (packets are checksummed in
// software), VLANs, adaptive ITR (igb_update_itr), page reuse (each buffer
// is refilled with a fresh one), legacy/MSI interrupts, power management.
// departure: igb_construct_skb copies the whole frame into the skb's linear
// area (the kernel copies the headers and attaches the page as a frag).
using System;
using System.Buffers.Binary;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine.Nic;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.e1000_defines_h;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.e1000_regs_h;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.igb_h;
using static KernelNet.Kernel.Include.Linux.interrupt_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class igb_main_c
{
    private const int DescSize = 16;

    /// <summary>wr32(reg, val): a posted MMIO write.</summary>
    private static void wr32(igb_adapter adapter, int reg, uint val) => adapter.hw.wr32(reg, val);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_rd32
    /// <summary>An MMIO read (the driver's only way to see device state besides DMA).</summary>
    public static uint igb_rd32(igb_adapter adapter, int reg) => adapter.hw.rd32(reg);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_write_ivar
    /// <summary>Maps a queue's interrupt cause to an MSI-X vector (IVAR).</summary>
    private static void igb_write_ivar(igb_adapter adapter, int msix_vector, int index)
    {
        wr32(adapter, E1000_IVAR0(index), (uint)msix_vector | E1000_IVAR_VALID);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_assign_vector
    /// <summary>Routes the q_vector's rings to its vector.</summary>
    private static void igb_assign_vector(igb_q_vector q_vector, int msix_vector)
    {
        var adapter = q_vector.adapter;
        if (q_vector.rx_ring is { } rx)
        {
            igb_write_ivar(adapter, msix_vector, rx.reg_idx);
        }

        q_vector.itr_val = adapter.rx_itr_setting & E1000_ITR_MASK;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_msix
    /// <summary>Auto-clear and auto-mask for the queue vectors, and their throttle rates.</summary>
    private static void igb_configure_msix(igb_adapter adapter)
    {
        uint mask = 0;
        for (var i = 0; i < adapter.num_q_vectors; i++)
        {
            var q = adapter.q_vector[i];
            igb_assign_vector(q, i);
            wr32(adapter, E1000_EITR(i), q.itr_val);
            mask |= 1u << i;
        }

        wr32(adapter, E1000_EIAC, mask);
        wr32(adapter, E1000_EIAM, mask);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_request_msix
    /// <summary>One interrupt handler per queue vector, named like "eth0-TxRx-0" in /proc/interrupts.</summary>
    private static int igb_request_msix(igb_adapter adapter)
    {
        for (var i = 0; i < adapter.num_q_vectors; i++)
        {
            var q = adapter.q_vector[i];
            q.name = $"{adapter.netdev.name}-TxRx-{i}";
            var err = request_irq(adapter.k, adapter.hw.MsixVectors[i], (irq, data) => igb_msix_ring(irq, (igb_q_vector)data!), q.name, q);
            if (err != 0)
            {
                return err;
            }
        }

        igb_configure_msix(adapter);
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_q_vector
    /// <summary>A queue vector with one TX and one RX ring and its NAPI (weight 64, OBS-4).</summary>
    private static void igb_alloc_q_vector(igb_adapter adapter, int v_idx)
    {
        var q = new igb_q_vector(adapter, v_idx);
        q.napi = new napi_struct(adapter.k, adapter.netdev, igb_poll, 64) { priv = q };
        netif_napi_add_weight(adapter.netdev, q.napi);
        q.tx_ring = new igb_ring(q, v_idx, adapter.tx_ring_count);
        q.rx_ring = new igb_ring(q, v_idx, adapter.rx_ring_count);
        adapter.q_vector.Add(q);
        adapter.tx_ring.Add(q.tx_ring);
        adapter.rx_ring.Add(q.rx_ring);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_q_vectors
    private static void igb_alloc_q_vectors(igb_adapter adapter)
    {
        adapter.q_vector.Clear();
        adapter.tx_ring.Clear();
        adapter.rx_ring.Clear();
        for (var v = 0; v < adapter.num_q_vectors; v++)
        {
            igb_alloc_q_vector(adapter, v);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_irq_enable
    /// <summary>Unmasks every queue vector.</summary>
    private static void igb_irq_enable(igb_adapter adapter)
    {
        var ims = (1u << adapter.num_q_vectors) - 1;
        wr32(adapter, E1000_EIMS, ims);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure
    /// <summary>Programs the rings and RSS, then hands every RX descriptor a buffer.</summary>
    private static void igb_configure(igb_adapter adapter)
    {
        igb_setup_rctl(adapter);
        igb_setup_mrqc(adapter);
        igb_configure_tx(adapter);
        igb_configure_rx(adapter);
        foreach (var ring in adapter.rx_ring)
        {
            igb_alloc_rx_buffers(ring, igb_desc_unused(ring));
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_probe
    /// <summary>
    /// Binds the driver to a (modelled) 82576: a multi-queue Ethernet device
    /// with one queue pair per CPU (at most 8), its MAC from the NVM, the
    /// netdev and ethtool ops, registered in <paramref name="net"/>.
    /// </summary>
    public static net_device igb_probe(Vmlinux k, net net, Igb82576 hw, string name)
    {
        var netdev = alloc_etherdev_mqs(net, name, IGB_MAX_RX_QUEUES, IGB_MAX_RX_QUEUES);
        var adapter = new igb_adapter(netdev, hw);
        netdev.priv = adapter;
        netdev.dev_addr = (byte[])hw.MacAddress.Clone();
        netdev.driver_name = "igb";
        netdev.netdev_ops = new net_device_ops
        {
            ndo_open = igb_open,
            ndo_stop = igb_close,
            ndo_start_xmit = igb_xmit_frame,
            ndo_get_stats64 = igb_get_stats64,
        };
        netdev.ethtool_ops = igb_ethtool_c.igb_ethtool_ops;
        igb_sw_init(adapter);
        register_netdevice(netdev);
        return netdev;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_sw_init
    /// <summary>One queue pair per online CPU (at most the device's 8), as rss_queues defaults.</summary>
    private static void igb_sw_init(igb_adapter adapter)
    {
        adapter.rss_queues = Math.Min(adapter.k.nr_cpu_ids, IGB_MAX_RX_QUEUES);
        igb_set_queue_counts(adapter);
    }

    /// <summary>igb_init_queue_configuration's part that derives the counts from rss_queues.</summary>
    private static void igb_set_queue_counts(igb_adapter adapter)
    {
        adapter.num_rx_queues = adapter.rss_queues;
        adapter.num_tx_queues = adapter.rss_queues;
        adapter.num_q_vectors = adapter.rss_queues;
        adapter.netdev.real_num_tx_queues = adapter.rss_queues;
        adapter.netdev.real_num_rx_queues = adapter.rss_queues;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_reinit_queues
    /// <summary>After `ethtool -L`: rebuild queues and vectors with the new count (closing and reopening if up).</summary>
    public static int igb_reinit_queues(igb_adapter adapter)
    {
        var netdev = adapter.netdev;
        var running = netif_running(netdev);
        if (running)
        {
            igb_close(netdev);
        }

        igb_set_queue_counts(adapter);
        return running ? igb_open(netdev) : 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: __igb_open
    /// <summary>Ring memory, configuration, interrupts, NAPI, then unmask: the device is up.</summary>
    private static int __igb_open(net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        igb_alloc_q_vectors(adapter);
        var err = igb_setup_all_tx_resources(adapter);
        if (err != 0)
        {
            return err;
        }

        err = igb_setup_all_rx_resources(adapter);
        if (err != 0)
        {
            return err;
        }

        igb_configure(adapter);
        err = igb_request_msix(adapter);
        if (err != 0)
        {
            return err;
        }

        foreach (var q in adapter.q_vector)
        {
            q.napi.state &= ~napi_struct.NAPIF_STATE_DISABLE;
        }

        igb_irq_enable(adapter);
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_open
    public static int igb_open(net_device netdev) => __igb_open(netdev);

    // drivers/net/ethernet/intel/igb/igb_main.c: __igb_close
    /// <summary>Masks interrupts, frees the handlers, and returns every buffer and ring to memory.</summary>
    private static int __igb_close(net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        wr32(adapter, E1000_EIMC, ~0u);
        wr32(adapter, E1000_RCTL, 0);
        wr32(adapter, E1000_TCTL, 0);
        for (var i = 0; i < adapter.num_q_vectors; i++)
        {
            var q = adapter.q_vector[i];
            Kernel.Irq.manage_c.free_irq(adapter.k, adapter.hw.MsixVectors[i], q);
            // napi_disable + netif_napi_del
            q.napi.state |= napi_struct.NAPIF_STATE_DISABLE;
            netdev.napi_list.Remove(q.napi);
        }

        igb_free_all_tx_resources(adapter);
        igb_free_all_rx_resources(adapter);
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_close
    public static int igb_close(net_device netdev) => __igb_close(netdev);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_tx_resources
    /// <summary>The TX descriptor ring in coherent DMA memory and its parallel tx_buffer_info array (TX-7).</summary>
    private static int igb_setup_tx_resources(igb_ring tx_ring)
    {
        var size = tx_ring.count * DescSize;
        (tx_ring.desc, tx_ring.dma) = tx_ring.q_vector.adapter.k.machine.Dma.AllocCoherent(size);
        tx_ring.tx_buffer_info = new igb_tx_buffer[tx_ring.count];
        for (var i = 0; i < tx_ring.count; i++)
        {
            tx_ring.tx_buffer_info[i] = new igb_tx_buffer();
        }

        tx_ring.next_to_use = 0;
        tx_ring.next_to_clean = 0;
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_all_tx_resources
    private static int igb_setup_all_tx_resources(igb_adapter adapter)
    {
        foreach (var ring in adapter.tx_ring)
        {
            var err = igb_setup_tx_resources(ring);
            if (err != 0)
            {
                return err;
            }
        }

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_tx_ring
    /// <summary>Tells the device where the ring is, resets head and tail, enables the queue.</summary>
    private static void igb_configure_tx_ring(igb_adapter adapter, igb_ring ring)
    {
        var reg_idx = ring.reg_idx;
        wr32(adapter, E1000_TXDCTL(reg_idx), 0);
        wr32(adapter, E1000_TDLEN(reg_idx), (uint)(ring.count * DescSize));
        wr32(adapter, E1000_TDBAL(reg_idx), (uint)ring.dma);
        wr32(adapter, E1000_TDBAH(reg_idx), (uint)(ring.dma >> 32));
        ring.tail = E1000_TDT(reg_idx);
        wr32(adapter, E1000_TDH(reg_idx), 0);
        wr32(adapter, ring.tail, 0);
        wr32(adapter, E1000_TXDCTL(reg_idx), E1000_TXDCTL_QUEUE_ENABLE);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_tx
    private static void igb_configure_tx(igb_adapter adapter)
    {
        foreach (var ring in adapter.tx_ring)
        {
            igb_configure_tx_ring(adapter, ring);
        }

        wr32(adapter, E1000_TCTL, E1000_TCTL_EN);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_rx_resources
    private static int igb_setup_rx_resources(igb_ring rx_ring)
    {
        var size = rx_ring.count * DescSize;
        (rx_ring.desc, rx_ring.dma) = rx_ring.q_vector.adapter.k.machine.Dma.AllocCoherent(size);
        rx_ring.rx_buffer_info = new igb_rx_buffer[rx_ring.count];
        for (var i = 0; i < rx_ring.count; i++)
        {
            rx_ring.rx_buffer_info[i] = new igb_rx_buffer();
        }

        rx_ring.next_to_alloc = 0;
        rx_ring.next_to_clean = 0;
        rx_ring.next_to_use = 0;
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_all_rx_resources
    private static int igb_setup_all_rx_resources(igb_adapter adapter)
    {
        foreach (var ring in adapter.rx_ring)
        {
            var err = igb_setup_rx_resources(ring);
            if (err != 0)
            {
                return err;
            }
        }

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_mrqc
    /// <summary>RSS (RX-8): the Toeplitz key, the redirection table spread over the queues, hashing on IPv4 and IPv4/TCP.</summary>
    private static void igb_setup_mrqc(igb_adapter adapter)
    {
        // netdev_rss_key_fill: random in the kernel; a fixed key keeps runs identical.
        ReadOnlySpan<byte> rss_key = new byte[]
        {
            0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
            0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
            0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
        };
        for (var j = 0; j < 10; j++)
        {
            wr32(adapter, E1000_RSSRK(j), BinaryPrimitives.ReadUInt32LittleEndian(rss_key[(j * 4)..]));
        }

        // igb_write_rss_indir_tbl: entry i -> queue (i * num_rx_queues) / 128.
        for (var i = 0; i < 32; i++)
        {
            uint reta = 0;
            for (var b = 0; b < 4; b++)
            {
                var entry = (i * 4) + b;
                reta |= (uint)((entry * adapter.num_rx_queues) / 128) << (b * 8);
            }

            wr32(adapter, E1000_RETA(i), reta);
        }

        var mrqc = adapter.num_rx_queues > 1 ? E1000_MRQC_ENABLE_RSS_MQ : 0;
        mrqc |= E1000_MRQC_RSS_FIELD_IPV4 | E1000_MRQC_RSS_FIELD_IPV4_TCP;
        wr32(adapter, E1000_MRQC, mrqc);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_rctl
    private static void igb_setup_rctl(igb_adapter adapter) => wr32(adapter, E1000_RCTL, E1000_RCTL_EN);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_srrctl
    /// <summary>With several queues one full ring must not stall the others: drop (DROP_EN) instead.</summary>
    private static void igb_setup_srrctl(igb_adapter adapter, igb_ring ring)
    {
        uint srrctl = IGB_RXBUFFER_2048 >> 10;
        if (adapter.num_rx_queues > 1)
        {
            srrctl |= E1000_SRRCTL_DROP_EN;
        }

        wr32(adapter, E1000_SRRCTL(ring.reg_idx), srrctl);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_rx_ring
    private static void igb_configure_rx_ring(igb_adapter adapter, igb_ring ring)
    {
        var reg_idx = ring.reg_idx;
        wr32(adapter, E1000_RXDCTL(reg_idx), 0);
        wr32(adapter, E1000_RDBAL(reg_idx), (uint)ring.dma);
        wr32(adapter, E1000_RDBAH(reg_idx), (uint)(ring.dma >> 32));
        wr32(adapter, E1000_RDLEN(reg_idx), (uint)(ring.count * DescSize));
        ring.tail = E1000_RDT(reg_idx);
        wr32(adapter, E1000_RDH(reg_idx), 0);
        wr32(adapter, ring.tail, 0);
        igb_setup_srrctl(adapter, ring);
        wr32(adapter, E1000_RXDCTL(reg_idx), E1000_RXDCTL_QUEUE_ENABLE);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_rx
    private static void igb_configure_rx(igb_adapter adapter)
    {
        foreach (var ring in adapter.rx_ring)
        {
            igb_configure_rx_ring(adapter, ring);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_tx_resources
    private static void igb_free_tx_resources(igb_ring tx_ring)
    {
        igb_clean_tx_ring(tx_ring);
        tx_ring.q_vector.adapter.k.machine.Dma.Unmap(tx_ring.dma);
        tx_ring.desc = Array.Empty<byte>();
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_all_tx_resources
    private static void igb_free_all_tx_resources(igb_adapter adapter)
    {
        foreach (var ring in adapter.tx_ring)
        {
            igb_free_tx_resources(ring);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_tx_ring
    /// <summary>Frees what is still on the TX ring (the device is stopped).</summary>
    private static void igb_clean_tx_ring(igb_ring tx_ring)
    {
        var dma = tx_ring.q_vector.adapter.k.machine.Dma;
        var i = tx_ring.next_to_clean;
        while (i != tx_ring.next_to_use)
        {
            var buf = tx_ring.tx_buffer_info[i];
            if (buf.skb is { } skb)
            {
                dev_kfree_skb_any(skb);
                dma.Unmap(buf.dma);
                buf.skb = null;
            }

            buf.next_to_watch = -1;
            i = (i + 1) % tx_ring.count;
        }

        tx_ring.next_to_use = tx_ring.next_to_clean = 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_rx_resources
    private static void igb_free_rx_resources(igb_ring rx_ring)
    {
        igb_clean_rx_ring(rx_ring);
        rx_ring.q_vector.adapter.k.machine.Dma.Unmap(rx_ring.dma);
        rx_ring.desc = Array.Empty<byte>();
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_all_rx_resources
    private static void igb_free_all_rx_resources(igb_adapter adapter)
    {
        foreach (var ring in adapter.rx_ring)
        {
            igb_free_rx_resources(ring);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_rx_ring
    /// <summary>Unmaps every receive buffer still owned by the device.</summary>
    private static void igb_clean_rx_ring(igb_ring rx_ring)
    {
        var dma = rx_ring.q_vector.adapter.k.machine.Dma;
        var i = rx_ring.next_to_clean;
        while (i != rx_ring.next_to_alloc)
        {
            var buf = rx_ring.rx_buffer_info[i];
            if (buf.page is not null)
            {
                dma.Unmap(buf.dma);
                buf.page = null;
            }

            i = (i + 1) % rx_ring.count;
        }

        rx_ring.next_to_alloc = rx_ring.next_to_clean = rx_ring.next_to_use = 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: __igb_maybe_stop_tx
    private static int __igb_maybe_stop_tx(igb_ring tx_ring, int size)
    {
        var txq = netdev_get_tx_queue(tx_ring.netdev, tx_ring.queue_index);
        netif_tx_stop_queue(txq);
        // A completion may have freed room meanwhile (smp_mb in C).
        if (igb_desc_unused(tx_ring) < size)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EBUSY;
        }

        netif_tx_wake_queue(txq);
        tx_ring.stats.restart_queue++;
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_maybe_stop_tx
    private static int igb_maybe_stop_tx(igb_ring tx_ring, int size) =>
        igb_desc_unused(tx_ring) >= size ? 0 : __igb_maybe_stop_tx(tx_ring, size);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_map
    /// <summary>
    /// DMA-maps the skb's data, writes the data descriptor (EOP|RS on the
    /// last), records the skb in tx_buffer_info at the same index (TX-7),
    /// then bumps the tail register so the NIC fetches it (TX-6).
    /// </summary>
    private static void igb_tx_map(igb_ring tx_ring, igb_tx_buffer first)
    {
        var skb = first.skb!;
        var k = tx_ring.q_vector.adapter.k;
        var i = tx_ring.next_to_use;
        var size = skb_headlen(skb);
        var dma = k.machine.Dma.Map(skb.head, skb.data, size);
        first.dma = dma;
        first.len = (uint)size;

        var cmd_type = E1000_ADVTXD_DTYP_DATA | E1000_ADVTXD_DCMD_DEXT | E1000_ADVTXD_DCMD_IFCS;
        var d = tx_ring.desc.AsSpan(i * DescSize, DescSize);
        BinaryPrimitives.WriteUInt64LittleEndian(d, dma);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], cmd_type | (uint)size | E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS);
        BinaryPrimitives.WriteUInt32LittleEndian(d[12..], (uint)skb.len << E1000_ADVTXD_PAYLEN_SHIFT);

        // wmb(): descriptors are written before next_to_watch publishes them.
        first.next_to_watch = i;
        i = (i + 1) % tx_ring.count;
        tx_ring.next_to_use = i;
        igb_maybe_stop_tx(tx_ring, DESC_NEEDED);

        // The doorbell: the NIC reads descriptors up to the new tail by DMA.
        wr32(tx_ring.q_vector.adapter, tx_ring.tail, (uint)i);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_xmit_frame_ring
    /// <summary>Reserves descriptors (BUSY if the ring is full), remembers the skb, maps and sends it.</summary>
    [Consumes("skb")]
    private static netdev_tx_t igb_xmit_frame_ring(sk_buff skb, igb_ring tx_ring)
    {
        if (igb_maybe_stop_tx(tx_ring, 1 + 3) != 0)
        {
            return netdev_tx_t.NETDEV_TX_BUSY;
        }

        var first = tx_ring.tx_buffer_info[tx_ring.next_to_use];
        first.skb = skb;
        first.bytecount = (uint)Math.Max(skb.len, 60);
        first.gso_segs = 1;
        igb_tx_map(tx_ring, first);
        tx_ring.q_vector.adapter.k.machine.CurrentCpu.Charge(tx_ring.q_vector.adapter.k.machine.Costs.TxPacketNs);
        return netdev_tx_t.NETDEV_TX_OK;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_queue_mapping
    private static igb_ring igb_tx_queue_mapping(igb_adapter adapter, sk_buff skb)
    {
        var r_idx = skb.queue_mapping;
        if (r_idx >= adapter.num_tx_queues)
        {
            r_idx = (ushort)(r_idx % adapter.num_tx_queues);
        }

        return adapter.tx_ring[r_idx];
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_xmit_frame
    /// <summary>ndo_start_xmit: pads runt frames to 17 bytes as the hardware needs, then the ring's xmit.</summary>
    [Consumes("skb")]
    public static netdev_tx_t igb_xmit_frame(sk_buff skb, net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        if (skb.len < 17)
        {
            skb_put(skb, 17 - skb.len);
        }

        return igb_xmit_frame_ring(skb, igb_tx_queue_mapping(adapter, skb));
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_get_stats64
    /// <summary>ndo_get_stats64: refresh from the hardware, then report (OBS-1).</summary>
    private static void igb_get_stats64(net_device netdev, rtnl_link_stats64 stats)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        igb_update_stats(adapter);
        var s = adapter.stats64;
        stats.rx_packets = s.rx_packets;
        stats.rx_bytes = s.rx_bytes;
        stats.tx_packets = s.tx_packets;
        stats.tx_bytes = s.tx_bytes;
        stats.rx_errors = s.rx_errors;
        stats.rx_crc_errors = s.rx_crc_errors;
        stats.rx_missed_errors = s.rx_missed_errors;
        stats.rx_fifo_errors = s.rx_fifo_errors;
        stats.multicast = s.multicast;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_update_stats
    /// <summary>
    /// Folds the clear-on-read hardware counters into the adapter: packets
    /// and bytes from the rings, per-queue drops (RQDPC) and missed packets
    /// (MPC) into rx_fifo_errors, MPC also as rx_missed_errors (RX-2).
    /// </summary>
    public static void igb_update_stats(igb_adapter adapter)
    {
        var net_stats = adapter.stats64;
        ulong bytes = 0;
        ulong packets = 0;
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            var ring = adapter.rx_ring[i];
            var rqdpc = igb_rd32(adapter, E1000_RQDPC(i));
            if (rqdpc != 0)
            {
                ring.stats.drops += rqdpc;
                net_stats.rx_fifo_errors += rqdpc;
            }

            bytes += ring.stats.bytes;
            packets += ring.stats.packets;
        }

        net_stats.rx_bytes = bytes;
        net_stats.rx_packets = packets;

        bytes = 0;
        packets = 0;
        foreach (var ring in adapter.tx_ring)
        {
            bytes += ring.stats.bytes;
            packets += ring.stats.packets;
        }

        net_stats.tx_bytes = bytes;
        net_stats.tx_packets = packets;

        var stats = adapter.stats;
        stats.crcerrs += igb_rd32(adapter, E1000_CRCERRS);
        stats.gprc += igb_rd32(adapter, E1000_GPRC);
        stats.gorc += igb_rd32(adapter, E1000_GORCL);
        igb_rd32(adapter, E1000_GORCH);
        stats.bprc += igb_rd32(adapter, E1000_BPRC);
        stats.mprc += igb_rd32(adapter, E1000_MPRC);
        var mpc = igb_rd32(adapter, E1000_MPC);
        stats.mpc += mpc;
        net_stats.rx_fifo_errors += mpc;
        stats.rnbc += igb_rd32(adapter, E1000_RNBC);
        stats.gptc += igb_rd32(adapter, E1000_GPTC);
        stats.gotc += igb_rd32(adapter, E1000_GOTCL);
        igb_rd32(adapter, E1000_GOTCH);
        stats.mptc += igb_rd32(adapter, E1000_MPTC);
        stats.bptc += igb_rd32(adapter, E1000_BPTC);

        net_stats.multicast = stats.mprc;
        net_stats.rx_errors = stats.crcerrs;
        net_stats.rx_crc_errors = stats.crcerrs;
        net_stats.rx_missed_errors = stats.mpc;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_write_itr
    /// <summary>Writes the vector's throttle rate back to EITR.</summary>
    private static void igb_write_itr(igb_q_vector q_vector)
    {
        wr32(q_vector.adapter, E1000_EITR(q_vector.v_idx), q_vector.itr_val);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_msix_ring
    /// <summary>
    /// The queue vector's hard-IRQ handler (RX-4): the vector is already
    /// auto-masked by the hardware; write ITR and schedule NAPI — nothing else.
    /// </summary>
    [HardIrqContext]
    private static irqreturn_t igb_msix_ring(int irq, igb_q_vector q_vector)
    {
        igb_write_itr(q_vector);
        napi_schedule(q_vector.napi);
        return irqreturn_t.IRQ_HANDLED;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_ring_irq_enable
    /// <summary>Unmasks the vector once NAPI is done, so the next packet interrupts again.</summary>
    private static void igb_ring_irq_enable(igb_q_vector q_vector)
    {
        wr32(q_vector.adapter, E1000_EIMS, 1u << q_vector.v_idx);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_poll
    /// <summary>
    /// NAPI poll (NET_RX softirq): TX completions first, then up to
    /// <paramref name="budget"/> received packets; under budget, complete NAPI
    /// and re-enable the interrupt; at budget, stay scheduled (RX-5).
    /// </summary>
    [SoftirqContext]
    private static int igb_poll(napi_struct napi, int budget)
    {
        var q_vector = (igb_q_vector)napi.priv!;
        var clean_complete = true;
        var work_done = 0;

        if (q_vector.tx_ring is not null)
        {
            clean_complete = igb_clean_tx_irq(q_vector, budget);
        }

        if (q_vector.rx_ring is not null)
        {
            var cleaned = igb_clean_rx_irq(q_vector, budget);
            work_done += cleaned;
            if (cleaned >= budget)
            {
                clean_complete = false;
            }
        }

        if (!clean_complete)
        {
            return budget;
        }

        if (napi_complete_done(napi, work_done))
        {
            igb_ring_irq_enable(q_vector);
        }

        return Math.Min(work_done, budget - 1);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_tx_irq
    /// <summary>
    /// TX completion (TX-8): for each packet whose last descriptor the NIC
    /// marked done, unmap and free the skb (napi_consume_skb, in NET_RX),
    /// count it, and wake the queue if it had been stopped. Returns whether
    /// all was cleaned within the work limit.
    /// </summary>
    private static bool igb_clean_tx_irq(igb_q_vector q_vector, int napi_budget)
    {
        var tx_ring = q_vector.tx_ring!;
        var k = q_vector.adapter.k;
        var budget = q_vector.tx_work_limit;
        var i = tx_ring.next_to_clean;
        uint total_bytes = 0;
        uint total_packets = 0;

        do
        {
            var tx_buffer = tx_ring.tx_buffer_info[i];
            var eop = tx_buffer.next_to_watch;
            if (eop < 0)
            {
                break;
            }

            // dma_rmb(): read the status only after next_to_watch.
            var status = BinaryPrimitives.ReadUInt32LittleEndian(tx_ring.desc.AsSpan((eop * DescSize) + 12));
            if ((status & E1000_TXD_STAT_DD) == 0)
            {
                break;
            }

            tx_buffer.next_to_watch = -1;
            total_bytes += tx_buffer.bytecount;
            total_packets += tx_buffer.gso_segs;
            napi_consume_skb(tx_buffer.skb, napi_budget);
            k.machine.Dma.Unmap(tx_buffer.dma);
            tx_buffer.skb = null;
            k.machine.CurrentCpu.Charge(k.machine.Costs.TxCleanNs);

            i = (eop + 1) % tx_ring.count;
            budget--;
        }
        while (budget > 0);

        tx_ring.next_to_clean = i;
        tx_ring.stats.bytes += total_bytes;
        tx_ring.stats.packets += total_packets;

        var txq = netdev_get_tx_queue(tx_ring.netdev, tx_ring.queue_index);
        if (total_packets != 0 && igb_desc_unused(tx_ring) >= TX_WAKE_THRESHOLD && netif_tx_queue_stopped(txq))
        {
            netif_tx_wake_queue(txq);
            tx_ring.stats.restart_queue++;
        }

        return budget > 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_construct_skb
    /// <summary>An skb for a received frame, allocated from NAPI and filled from the DMA buffer.</summary>
    private static sk_buff? igb_construct_skb(igb_ring rx_ring, igb_rx_buffer rx_buffer, int size)
    {
        var skb = napi_alloc_skb(rx_ring.q_vector.napi, size);
        if (skb is null)
        {
            return null;
        }

        var at = skb_put(skb, size);
        rx_buffer.page.AsSpan(0, size).CopyTo(skb.head.AsSpan(at));
        return skb;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_rx_hash
    private static void igb_rx_hash(igb_ring ring, ReadOnlySpan<byte> rx_desc, sk_buff skb)
    {
        skb.hash = BinaryPrimitives.ReadUInt32LittleEndian(rx_desc[4..]);
        skb.l4_hash = false;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_is_non_eop
    /// <summary>Advances next_to_clean; true if the frame continues in the next descriptor.</summary>
    private static bool igb_is_non_eop(igb_ring rx_ring, ReadOnlySpan<byte> rx_desc)
    {
        var ntc = (rx_ring.next_to_clean + 1) % rx_ring.count;
        rx_ring.next_to_clean = ntc;
        var status = BinaryPrimitives.ReadUInt32LittleEndian(rx_desc[8..]);
        return (status & E1000_RXD_STAT_EOP) == 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_process_skb_fields
    /// <summary>Hash, queue, and protocol (eth_type_trans pulls the Ethernet header).</summary>
    private static void igb_process_skb_fields(igb_ring rx_ring, ReadOnlySpan<byte> rx_desc, sk_buff skb)
    {
        igb_rx_hash(rx_ring, rx_desc, skb);
        skb.queue_mapping = (ushort)rx_ring.queue_index;
        skb.protocol = eth_type_trans(skb, rx_ring.netdev);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_get_rx_buffer
    private static igb_rx_buffer igb_get_rx_buffer(igb_ring rx_ring) => rx_ring.rx_buffer_info[rx_ring.next_to_clean];

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_put_rx_buffer
    /// <summary>The buffer was copied out: unmap it; the slot is refilled by igb_alloc_rx_buffers.</summary>
    private static void igb_put_rx_buffer(igb_ring rx_ring, igb_rx_buffer rx_buffer)
    {
        rx_ring.q_vector.adapter.k.machine.Dma.Unmap(rx_buffer.dma);
        rx_buffer.page = null;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_rx_irq
    /// <summary>
    /// Turns up to <paramref name="budget"/> completed descriptors into skbs
    /// (RX-9), hands each to GRO, and gives the ring fresh buffers in batches.
    /// </summary>
    private static int igb_clean_rx_irq(igb_q_vector q_vector, int budget)
    {
        var rx_ring = q_vector.rx_ring!;
        var k = q_vector.adapter.k;
        uint total_bytes = 0;
        var total_packets = 0;
        var cleaned_count = igb_desc_unused(rx_ring);

        while (total_packets < budget)
        {
            if (cleaned_count >= IGB_RX_BUFFER_WRITE)
            {
                igb_alloc_rx_buffers(rx_ring, cleaned_count);
                cleaned_count = 0;
            }

            var rx_desc = rx_ring.desc.AsSpan(rx_ring.next_to_clean * DescSize, DescSize);
            var size = BinaryPrimitives.ReadUInt16LittleEndian(rx_desc[12..]);
            if (size == 0)
            {
                break;
            }

            // dma_rmb(): read the rest of the descriptor only after DD/length.
            var rx_buffer = igb_get_rx_buffer(rx_ring);
            var skb = igb_construct_skb(rx_ring, rx_buffer, size);
            if (skb is null)
            {
                rx_ring.stats.alloc_failed++;
                break;
            }

            igb_put_rx_buffer(rx_ring, rx_buffer);
            cleaned_count++;
            var desc_copy = rx_desc.ToArray();
            rx_desc.Clear();
            if (igb_is_non_eop(rx_ring, desc_copy))
            {
                kfree_skb_reason(skb, skb_drop_reason.SKB_DROP_REASON_NOT_SPECIFIED);
                continue;
            }

            total_bytes += (uint)skb.len;
            igb_process_skb_fields(rx_ring, desc_copy, skb);
            k.machine.CurrentCpu.Charge(k.machine.Costs.RxPacketNs);
            napi_gro_receive(q_vector.napi, skb);
            total_packets++;
        }

        rx_ring.stats.packets += (ulong)total_packets;
        rx_ring.stats.bytes += total_bytes;
        if (cleaned_count != 0)
        {
            igb_alloc_rx_buffers(rx_ring, cleaned_count);
        }

        return total_packets;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_mapped_page
    /// <summary>A fresh receive buffer, DMA-mapped for the device to write into.</summary>
    private static bool igb_alloc_mapped_page(igb_ring rx_ring, igb_rx_buffer bi)
    {
        if (bi.page is not null)
        {
            return true;
        }

        bi.page = new byte[IGB_RXBUFFER_2048];
        bi.dma = rx_ring.q_vector.adapter.k.machine.Dma.Map(bi.page, 0, IGB_RXBUFFER_2048);
        return true;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_rx_buffers
    /// <summary>
    /// Gives <paramref name="cleaned_count"/> descriptors a buffer and moves
    /// the tail register past them: the NIC may now DMA into them (RX-1, RX-9).
    /// </summary>
    private static void igb_alloc_rx_buffers(igb_ring rx_ring, int cleaned_count)
    {
        var i = rx_ring.next_to_use;
        if (cleaned_count == 0)
        {
            return;
        }

        do
        {
            var bi = rx_ring.rx_buffer_info[i];
            if (!igb_alloc_mapped_page(rx_ring, bi))
            {
                rx_ring.stats.alloc_failed++;
                break;
            }

            var d = rx_ring.desc.AsSpan(i * DescSize, DescSize);
            d.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(d, bi.dma);
            i = (i + 1) % rx_ring.count;
            cleaned_count--;
        }
        while (cleaned_count > 0);

        if (rx_ring.next_to_use != i)
        {
            rx_ring.next_to_use = i;
            rx_ring.next_to_alloc = i;
            // wmb(): descriptors are visible before the tail moves.
            wr32(rx_ring.q_vector.adapter, rx_ring.tail, (uint)i);
        }
    }
}
