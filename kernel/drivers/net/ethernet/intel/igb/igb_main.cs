// Ports drivers/net/ethernet/intel/igb/igb_main.c: the igb driver's data
// path on an 82576 — descriptor rings in DMA memory, MSI-X vectors with
// NAPI, receive (RX-1, RX-9), transmit (TX-6, TX-7) and transmit
// completion under NET_RX (TX-8) — and the set-up it needs (probe, open,
// close, ring resources, RSS, interrupts, statistics). Functions keep the
// order of igb_main.c.
//
// not ported: PCI probing and BAR mapping (igb_probe takes a modelled
// device), PHY/link management, the watchdog and reset tasks (open reads
// STATUS.LU once for link_speed), VFs/SR-IOV, PTP, DCA, XDP and AF_XDP,
// TSO (igb_tso: the stack segments in software; igb_tx_csum has the NIC
// insert TCP and UDP sums, igb_rx_checksum takes the sums it verified),
// VLANs, adaptive ITR (igb_update_ring_itr/igb_set_itr: EITR stays
// at IGB_START_ITR), Qav/launch time, legacy and MSI interrupts, power
// management, igb_reset (the part is reset once at probe), byte queue
// limits (netdev_tx_sent_queue/completed_queue) and xmit_more batching.
// Receive is 6.18's: each descriptor gets half a page (2 KiB of a 4 KiB
// page; 3 KiB of an 8 KiB page when the MTU needs large buffers), the skb
// is built around it (igb_build_skb) or its headers copied out of it
// (igb_construct_skb, with the legacy-rx flag), buffers after the first of
// a frame become page frags, and the page flips to its other half and is
// reused while no skb holds that half (pagecnt_bias) (RX-1, RX-9).
// not ported: the legacy-rx private flag's ethtool knob (IGB_FLAG_RX_LEGACY
// is honoured when set on the adapter), receive timestamps (TSIP), the
// RLPML long-packet limit igb_set_rx_mode writes (the 82576 model has no
// RLPML: with LPE set it takes any frame, so one longer than the ring's
// buffers allow at the configured MTU is not dropped by the hardware).
// departure: napi_enable/napi_disable/netif_napi_del are not in the port's
// core yet; the driver flips NAPI_STATE_DISABLE and edits the napi list
// itself at those points.
using System;
using KernelNet.Annotations;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Uapi.Linux;
using KernelNet.Machine.Nic;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.e1000_82575_h;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.e1000_defines_h;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.e1000_regs_h;
using static KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb.igb_h;
using static KernelNet.Kernel.Include.Linux.interrupt_h;
using static KernelNet.Kernel.Include.Linux.netdevice_h;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Include.Linux.mm_h;
using static KernelNet.Kernel.Include.Linux.page_ref_h;
using static KernelNet.Kernel.Net.Core.dev_c;
using static KernelNet.Kernel.Net.Core.skbuff_c;
using static KernelNet.Kernel.Net.Ethernet.eth_c;

namespace KernelNet.Kernel.Drivers.Net.Ethernet.Intel.Igb;

public static class igb_main_c
{
    /// <summary>The driver version ethtool -i reports (igb's is the kernel release).</summary>
    public const string igb_driver_version = "6.18.2-k";

    /// <summary>The fixed RSS key (netdev_rss_key_fill is random in the kernel; a fixed one keeps runs identical).</summary>
    private static ReadOnlySpan<byte> igb_rss_key => new byte[]
    {
        0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
        0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
        0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
    };

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_cache_ring_register
    /// <summary>Hardware queue of each ring: the same index on an 82576 without VFs.</summary>
    private static void igb_cache_ring_register(igb_adapter adapter)
    {
        // not ported: Q_IDX_82576 — no VMDq/SR-IOV pools: queue i uses register index i
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            adapter.rx_ring[i]!.reg_idx = i;
        }

        for (var i = 0; i < adapter.num_tx_queues; i++)
        {
            adapter.tx_ring[i]!.reg_idx = i;
        }
    }

    // not ported: E1000_REMOVED — the modelled device is never surprise-removed (no all-ones reads)
    // drivers/net/ethernet/intel/igb/igb_main.c: igb_rd32
    /// <summary>An MMIO read: the driver's only way to see device state besides DMA. (The kernel also detects a removed device here.)</summary>
    public static uint igb_rd32(e1000_hw hw, int reg) => hw.hw_addr.rd32(reg);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_write_ivar
    /// <summary>Sets one byte (column <paramref name="offset"/>) of IVAR row <paramref name="index"/>: vector number and valid bit.</summary>
    private static void igb_write_ivar(e1000_hw hw, int msix_vector, int index, int offset)
    {
        var ivar = array_rd32(hw, E1000_IVAR0, index);
        ivar &= ~(0xFFu << offset);
        ivar |= ((uint)msix_vector | E1000_IVAR_VALID) << offset;
        array_wr32(hw, E1000_IVAR0, index, ivar);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_assign_vector
    /// <summary>
    /// Routes the q_vector's RX and TX queue causes to its MSI-X entry. The
    /// 82576 table is column-major: row = queue &amp; 7, RX in byte 0 (2 for
    /// queues 8-15), TX one byte above.
    /// </summary>
    private static void igb_assign_vector(igb_q_vector q_vector, int msix_vector)
    {
        // not ported: E1000_MSIXBM, array_wr32 — the 82575's MSIXBM bitmap; the 82576 model takes the IVAR path
        var adapter = q_vector.adapter;
        var hw = adapter.hw;
        var rx_queue = q_vector.rx.ring?.reg_idx ?? -1;
        var tx_queue = q_vector.tx.ring?.reg_idx ?? -1;

        if (rx_queue > -1)
        {
            igb_write_ivar(hw, msix_vector, rx_queue & 0x7, (rx_queue & 0x8) << 1);
        }

        if (tx_queue > -1)
        {
            igb_write_ivar(hw, msix_vector, tx_queue & 0x7, ((tx_queue & 0x8) << 1) + 8);
        }

        q_vector.eims_value = 1u << msix_vector;
        adapter.eims_enable_mask |= q_vector.eims_value;

        // Write the throttle rate at the first interrupt.
        q_vector.set_itr = true;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_msix
    /// <summary>MSI-X mode with auto-mask (GPIE); entry 0 takes the "other" causes, entries 1.. the queue vectors.</summary>
    private static void igb_configure_msix(igb_adapter adapter)
    {
        // not ported: E1000_MSIXBM, array_wr32, rd32 — the 82575's path (CTRL_EXT read, MSIXBM bitmaps); the 82576 model takes the GPIE/IVAR path
        var hw = adapter.hw;
        var vector = 0;
        adapter.eims_enable_mask = 0;

        // MSI-X capability first, or the other settings do not stick.
        wr32(hw, E1000_GPIE, E1000_GPIE_MSIX_MODE | E1000_GPIE_PBA | E1000_GPIE_EIAME | E1000_GPIE_NSICR);
        adapter.eims_other = 1u << vector;
        wr32(hw, E1000_IVAR_MISC, ((uint)vector++ | E1000_IVAR_VALID) << 8);
        adapter.eims_enable_mask |= adapter.eims_other;

        for (var i = 0; i < adapter.num_q_vectors; i++)
        {
            igb_assign_vector(adapter.q_vector[i]!, vector++);
        }

        wrfl(hw);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_request_msix
    /// <summary>
    /// One handler per MSI-X entry: igb_msix_other on entry 0 (named like the
    /// device, "eth0"), igb_msix_ring on each queue vector ("eth0-TxRx-0"),
    /// as /proc/interrupts shows them.
    /// </summary>
    private static int igb_request_msix(igb_adapter adapter)
    {
        // not ported: netif_napi_set_irq — no netdev-genl napi objects to report the IRQ through
        var netdev = adapter.netdev;
        var k = adapter.k;
        var vector = 0;
        var err = request_irq(k, adapter.msix_entries[vector], (irq, data) => igb_msix_other(irq, (igb_adapter)data!), netdev.name, adapter);
        if (err != 0)
        {
            return err;
        }

        for (var i = 0; i < adapter.num_q_vectors; i++)
        {
            var q_vector = adapter.q_vector[i]!;
            vector++;
            q_vector.itr_register = E1000_EITR(vector);
            q_vector.name = $"{netdev.name}-TxRx-{q_vector.rx.ring!.queue_index}";
            err = request_irq(k, adapter.msix_entries[vector], (irq, data) => igb_msix_ring(irq, (igb_q_vector)data!), q_vector.name, q_vector);
            if (err != 0)
            {
                goto err_free;
            }
        }

        igb_configure_msix(adapter);
        return 0;

    err_free:
        Kernel.Irq.manage_c.free_irq(k, adapter.msix_entries[0], adapter);
        for (var j = 1; j < vector; j++)
        {
            Kernel.Irq.manage_c.free_irq(k, adapter.msix_entries[j], adapter.q_vector[j - 1]);
        }

        return err;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_q_vector
    /// <summary>Forgets a q_vector and its rings (the kernel frees it after an RCU grace period).</summary>
    private static void igb_free_q_vector(igb_adapter adapter, int v_idx)
    {
        var q_vector = adapter.q_vector[v_idx]!;
        if (q_vector.tx.ring is { } tx)
        {
            adapter.tx_ring[tx.queue_index] = null;
        }

        if (q_vector.rx.ring is { } rx)
        {
            adapter.rx_ring[rx.queue_index] = null;
        }

        adapter.q_vector[v_idx] = null;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_q_vectors
    /// <summary>Removes every q_vector and its NAPI (netif_napi_del).</summary>
    private static void igb_free_q_vectors(igb_adapter adapter)
    {
        // not ported: igb_reset_q_vector — q_vectors are managed objects released with the adapter
        for (var v_idx = adapter.num_q_vectors - 1; v_idx >= 0; v_idx--)
        {
            var q_vector = adapter.q_vector[v_idx]!;
            adapter.netdev.napi_list.Remove(q_vector.napi);
            igb_free_q_vector(adapter, v_idx);
        }
    }

    // not ported: igb_reset_interrupt_capability — MSI-X vectors come from the modelled device and are not given back to a PCI core
    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clear_interrupt_scheme
    private static void igb_clear_interrupt_scheme(igb_adapter adapter) => igb_free_q_vectors(adapter);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_set_interrupt_capability
    /// <summary>One queue pair per q_vector (IGB_FLAG_QUEUE_PAIRS) plus the "other" entry: that many MSI-X entries.</summary>
    private static void igb_set_interrupt_capability(igb_adapter adapter)
    {
        // not ported: igb_reset_interrupt_capability, kfree, msleep, wr32, wrfl — the fall-back to MSI and the VF disable path; the model has only MSI-X
        adapter.num_rx_queues = adapter.rss_queues;
        adapter.num_tx_queues = adapter.rss_queues;
        adapter.num_q_vectors = adapter.num_rx_queues;
        var numvecs = adapter.num_q_vectors + 1;

        // pci_enable_msix_range: the device's table entries 0..numvecs-1.
        var table = adapter.hw.hw_addr.MsixVectors;
        adapter.msix_entries = new int[numvecs];
        for (var i = 0; i < numvecs; i++)
        {
            adapter.msix_entries[i] = table[i];
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_q_vector
    /// <summary>A queue vector with one TX and one RX ring, and its NAPI context (weight 64, OBS-4).</summary>
    private static int igb_alloc_q_vector(igb_adapter adapter, int v_count, int v_idx, int txr_count, int txr_idx, int rxr_count, int rxr_idx)
    {
        // not ported: netif_napi_add_config — the port's core has no per-queue NAPI config (netdev-genl); the napi is registered with netif_napi_add
        // not ported: igb_add_ring, kzalloc, ksize, kmalloc_size_roundup — q_vector and its rings are managed objects (no kzalloc/size rounding); rings are linked into the q_vector inline
        var netdev = adapter.netdev;
        var q_vector = new igb_q_vector(adapter, v_idx);
        q_vector.napi = new napi_struct(adapter.k, netdev, igb_poll, NAPI_POLL_WEIGHT) { priv = q_vector };
        netif_napi_add_weight(netdev, q_vector.napi);
        adapter.q_vector[v_idx] = q_vector;
        q_vector.tx.work_limit = adapter.tx_work_limit;
        q_vector.itr_register = E1000_EITR(0);
        q_vector.itr_val = IGB_START_ITR;

        if (txr_count != 0)
        {
            var ring = new igb_ring(q_vector, netdev, txr_idx, adapter.tx_ring_count);
            q_vector.tx.ring = ring;
            q_vector.tx.count++;
            adapter.tx_ring[txr_idx] = ring;
        }

        if (rxr_count != 0)
        {
            var ring = new igb_ring(q_vector, netdev, rxr_idx, adapter.rx_ring_count);
            q_vector.rx.ring = ring;
            q_vector.rx.count++;
            adapter.rx_ring[rxr_idx] = ring;
        }

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_q_vectors
    private static int igb_alloc_q_vectors(igb_adapter adapter)
    {
        // not ported: igb_free_q_vector — the port's igb_alloc_q_vector cannot fail (managed allocation), so the err_out unwind that frees vectors is absent
        var q_vectors = adapter.num_q_vectors;
        for (var v_idx = 0; v_idx < q_vectors; v_idx++)
        {
            var err = igb_alloc_q_vector(adapter, q_vectors, v_idx, 1, v_idx, 1, v_idx);
            if (err != 0)
            {
                return err;
            }
        }

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_init_interrupt_scheme
    /// <summary>MSI-X entries, q_vectors with their rings, and each ring's hardware queue.</summary>
    private static int igb_init_interrupt_scheme(igb_adapter adapter)
    {
        // not ported: igb_reset_interrupt_capability — MSI-X is the only mode and cannot fail, so the fall-back unwind is absent
        igb_set_interrupt_capability(adapter);
        var err = igb_alloc_q_vectors(adapter);
        if (err != 0)
        {
            return err;
        }

        igb_cache_ring_register(adapter);
        return 0;
    }

    // not ported: igb_assign_vector, igb_clear_interrupt_scheme, igb_configure, igb_free_all_rx_resources, igb_free_all_tx_resources, igb_init_interrupt_scheme, igb_reset_interrupt_capability, igb_setup_all_rx_resources, igb_setup_all_tx_resources, request_irq — the fall-back from MSI-X to MSI/legacy interrupts; the model has only MSI-X
    // drivers/net/ethernet/intel/igb/igb_main.c: igb_request_irq
    private static int igb_request_irq(igb_adapter adapter) => igb_request_msix(adapter);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_irq
    /// <summary>Releases the "other" handler and each queue vector's.</summary>
    private static void igb_free_irq(igb_adapter adapter)
    {
        var vector = 0;
        Kernel.Irq.manage_c.free_irq(adapter.k, adapter.msix_entries[vector++], adapter);
        for (var i = 0; i < adapter.num_q_vectors; i++)
        {
            Kernel.Irq.manage_c.free_irq(adapter.k, adapter.msix_entries[vector++], adapter.q_vector[i]);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_irq_disable
    /// <summary>Masks every vector and stops auto-clear/auto-mask for them.</summary>
    private static void igb_irq_disable(igb_adapter adapter)
    {
        // not ported: synchronize_irq — one CPU runs handlers to completion: there is no handler in flight to wait for
        var hw = adapter.hw;
        var regval = rd32(hw, E1000_EIAM);
        wr32(hw, E1000_EIAM, regval & ~adapter.eims_enable_mask);
        wr32(hw, E1000_EIMC, adapter.eims_enable_mask);
        regval = rd32(hw, E1000_EIAC);
        wr32(hw, E1000_EIAC, regval & ~adapter.eims_enable_mask);
        wr32(hw, E1000_IMC, ~0u);
        wrfl(hw);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_irq_enable
    /// <summary>Auto-clear and auto-mask on the driver's vectors (EIAC/EIAM, RX-4), then unmask them; link changes on "other".</summary>
    private static void igb_irq_enable(igb_adapter adapter)
    {
        var hw = adapter.hw;
        var regval = rd32(hw, E1000_EIAC);
        wr32(hw, E1000_EIAC, regval | adapter.eims_enable_mask);
        regval = rd32(hw, E1000_EIAM);
        wr32(hw, E1000_EIAM, regval | adapter.eims_enable_mask);
        wr32(hw, E1000_EIMS, adapter.eims_enable_mask);
        wr32(hw, E1000_IMS, E1000_IMS_LSC);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure
    /// <summary>Programs transmit, receive and RSS, then hands every RX descriptor a buffer (RX-9).</summary>
    private static void igb_configure(igb_adapter adapter)
    {
        // not ported: igb_alloc_rx_buffers_zc — no AF_XDP zero-copy rings
        // not ported: igb_get_hw_control, igb_nfc_filter_restore, igb_restore_vlan, igb_rx_fifo_flush_82575, igb_setup_tx_mode — no firmware handshake, n-tuple filters, VLANs, 82575 FIFO quirk or Qav transmit modes in the model
        igb_setup_tctl(adapter);
        igb_setup_mrqc(adapter);
        igb_setup_rctl(adapter);
        igb_configure_tx(adapter);
        igb_configure_rx(adapter);

        // One descriptor stays empty so that the tail never meets the head.
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            var ring = adapter.rx_ring[i]!;
            igb_alloc_rx_buffers(ring, igb_desc_unused(ring));
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_up
    /// <summary>Re-starts a configured device (after ethtool -G): configure, enable NAPI and interrupts, start the queues.</summary>
    private static int igb_up(igb_adapter adapter)
    {
        // not ported: schedule_work, wr32 — no watchdog: the kernel fires it through EICS to find the link
        // not ported: igb_set_queue_napi — no netdev-genl queue objects
        // not ported: igb_assign_vector — the port reprograms every vector through igb_configure_msix, which calls it
        igb_configure(adapter);
        adapter.down = false;
        foreach (var q_vector in adapter.q_vector)
        {
            if (q_vector is not null)
            {
                q_vector.napi.state &= ~napi_struct.NAPIF_STATE_DISABLE;
            }
        }

        igb_configure_msix(adapter);
        igb_irq_enable(adapter);
        rd32(adapter.hw, E1000_ICR);
        netif_tx_start_all_queues(adapter.netdev);
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_down
    /// <summary>Stops receive and transmit, masks interrupts, disables NAPI and cleans both rings of every queue.</summary>
    internal static void igb_down(igb_adapter adapter)
    {
        // not ported: netif_carrier_off, timer_delete_sync — no watchdog or PHY-info timers: the carrier is never turned on by the driver
        // not ported: igb_update_stats — statistics are read from the registers when asked (ndo_get_stats64), not cached at down
        // not ported: igb_nfc_filter_exit, igb_setup_dca, igb_set_queue_napi — no n-tuple filters, DCA or netdev-genl queue objects
        var netdev = adapter.netdev;
        var hw = adapter.hw;
        adapter.down = true;

        // Stop the NIC from writing into our buffers first.
        wr32(hw, E1000_RCTL, rd32(hw, E1000_RCTL) & ~E1000_RCTL_EN);
        netif_tx_stop_all_queues(netdev);
        wr32(hw, E1000_TCTL, rd32(hw, E1000_TCTL) & ~E1000_TCTL_EN);
        wrfl(hw);

        igb_irq_disable(adapter);
        foreach (var q_vector in adapter.q_vector)
        {
            if (q_vector is not null)
            {
                q_vector.napi.state |= napi_struct.NAPIF_STATE_DISABLE;
            }
        }

        adapter.link_speed = 0;
        igb_clean_all_tx_rings(adapter);
        igb_clean_all_rx_rings(adapter);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_probe
    /// <summary>
    /// Binds the driver to a (modelled) 82576 and registers its netdev in
    /// <paramref name="ns"/> as <paramref name="name"/>: resets the part,
    /// reads the permanent MAC from RAL0/RAH0 (loaded from the NVM), sets
    /// up one queue pair per CPU (at most 8) with their MSI-X entries and
    /// NAPI contexts, and installs the netdev and ethtool ops. The device
    /// stays down until dev_open/netif_open calls igb_open. Process context.
    /// </summary>
    public static net_device igb_probe(Vmlinux k, net ns, Igb82576 hw_addr, string name)
    {
        // not ported: igb_get_hw_control, igb_release_hw_control, igb_ptp_init, igb_setup_dca, igb_disable_sriov, igb_clear_interrupt_scheme, igb_set_default_mac_filter, netif_msg_init, netif_carrier_off — no firmware handshake, PTP, DCA, SR-IOV, RAR table or msglevel; the error unwind is not reached
        // not ported: eth_platform_get_mac_address, is_valid_ether_addr, eth_hw_addr_set — the modelled device's MAC is always valid and is installed with the net_device
        // not ported: SET_NETDEV_DEV, alloc_etherdev_mq, free_netdev, register_netdev, kfree — the net_device is created and registered by the port's machine set-up and handed to probe (see the file header)
        // not ported: NVM_82580_LAN_FUNC_OFFSET, igb_read_part_string, igb_set_fw_version, igb_get_flash_presence_i210, igb_validate_mdi_setting, igb_check_reset_block, igb_reset_phy, igb_init_mas, igb_init_i2c, igb_set_i2c_bb, igb_set_eee_i350, igb_set_eee_i354, igb_get_bus_info_pcie, igb_enable_mng_pass_thru — no NVM, PHY, i2c, EEE, manageability or PCIe config space in the 82576 model
        // not ported: INIT_WORK, timer_setup, igb_set_ethtool_ops, igb_sysfs_init — no reset/watchdog work or timers, and ethtool ops and hwmon sysfs are hooked up by the port's device set-up
        var netdev = alloc_etherdev_mqs(ns, name, IGB_MAX_TX_QUEUES, IGB_MAX_RX_QUEUES);
        var hw = new e1000_hw(hw_addr);
        var adapter = new igb_adapter(netdev, hw);
        netdev.priv = adapter;
        netdev.netdev_ops = new net_device_ops
        {
            ndo_open = igb_open,
            ndo_stop = igb_close,
            ndo_start_xmit = igb_xmit_frame,
            ndo_get_stats64 = igb_get_stats64,
            ndo_change_mtu = igb_change_mtu,
        };
        netdev.ethtool_ops = igb_ethtool_c.igb_ethtool_ops;
        netdev.driver_name = "igb";

        // MTU range: ETH_MIN_MTU .. MAX_STD_JUMBO_FRAME_SIZE.
        netdev.min_mtu = (uint)if_ether_h.ETH_MIN_MTU;
        netdev.max_mtu = MAX_STD_JUMBO_FRAME_SIZE;

        // 6.18 also offers TSO and TSO6 (with GSO_PARTIAL for tunnels); the port's igb has no igb_tso,
        // so it offers neither and the stack cuts TCP's GSO skbs in software (the segments keep
        // CHECKSUM_PARTIAL: igb_tx_csum has the NIC insert each one's sum).
        // departure: nor SG — igb_tx_map maps the linear head only (one descriptor), so the core
        // linearizes a paged skb before it comes here (validate_xmit_skb: skb_needs_linearize).
        // not ported: NETIF_F_SCTP_CRC and NETIF_F_GSO_UDP_L4 of the 82576 — no SCTP, no UDP GSO.
        netdev.features |= netdev_features_h.NETIF_F_RXHASH | netdev_features_h.NETIF_F_RXCSUM | netdev_features_h.NETIF_F_HW_CSUM;
        netdev.hw_features |= netdev.features | netdev_features_h.NETIF_F_HW_VLAN_CTAG_RX | netdev_features_h.NETIF_F_HW_VLAN_CTAG_TX;

        // Global reset: the part reloads its station address from the NVM.
        wr32(hw, E1000_CTRL, rd32(hw, E1000_CTRL) | E1000_CTRL_RST);
        e1000_nvm_c.igb_read_mac_addr(hw);
        netdev.dev_addr = (byte[])hw.mac.addr.Clone();
        if (eth_validate_addr(netdev) != 0)
        {
            throw new InvalidOperationException($"{name}: invalid MAC address");
        }

        var err = igb_sw_init(adapter);
        if (err != 0)
        {
            throw new InvalidOperationException($"{name}: igb_sw_init failed ({err})");
        }

        register_netdevice(netdev);
        return netdev;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_init_queue_configuration
    /// <summary>RSS queues: one per online CPU, at most the part's 8 (ethtool -L may change it later).</summary>
    private static void igb_init_queue_configuration(igb_adapter adapter)
    {
        // not ported: igb_get_max_rss_queues, igb_set_flag_queue_pairs — the maximum is the modelled device's queue count,
        // and the port always pairs a Tx and an Rx queue on one q_vector; 6.18 pairs them on an 82576 only above half
        // the maximum (4 queues) and otherwise gives each its own vector (a known departure)
        var max_rss_queues = Math.Min(IGB_MAX_RX_QUEUES, adapter.hw.hw_addr.NumQueues);
        adapter.rss_queues = Math.Min(max_rss_queues, adapter.k.nr_cpu_ids);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_sw_init
    /// <summary>Software defaults: ring sizes, ITR, work limit, queue counts, then the interrupt scheme; the device starts down.</summary>
    private static int igb_sw_init(igb_adapter adapter)
    {
        // not ported: kcalloc — the shadow VFTA is not allocated: no VLANs
        // not ported: igb_probe_vfs — no SR-IOV
        adapter.tx_ring_count = IGB_DEFAULT_TXD;
        adapter.rx_ring_count = IGB_DEFAULT_RXD;
        adapter.rx_itr_setting = IGB_START_ITR;
        adapter.tx_itr_setting = IGB_START_ITR;
        adapter.tx_work_limit = IGB_DEFAULT_TX_WORK;
        adapter.max_frame_size = (int)adapter.netdev.mtu + IGB_ETH_PKT_HDR_PAD;
        igb_init_queue_configuration(adapter);
        var err = igb_init_interrupt_scheme(adapter);
        if (err != 0)
        {
            return err;
        }

        // Mask everything until open.
        igb_irq_disable(adapter);
        adapter.down = true;
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: __igb_open
    /// <summary>Ring memory, configuration, interrupt handlers, NAPI, then unmask: the device is up.</summary>
    private static int __igb_open(net_device netdev, bool resuming)
    {
        // not ported: igb_free_irq — the only step after igb_request_irq that can fail here is none, so the err_set_queues unwind is not reached
        // not ported: netif_carrier_off, schedule_work, wr32 — no watchdog task: the kernel turns the carrier off and lets the watchdog find the link (and writes EICS to fire it); the port reads STATUS.LU once
        // not ported: igb_set_queue_napi, netif_set_real_num_tx_queues, netif_set_real_num_rx_queues — no netdev-genl queue objects and no sysfs queue kobjects: real_num_tx/rx_queues are set directly
        // not ported: igb_power_up_link, igb_power_down_link, igb_release_hw_control — no PHY power or firmware (manageability) handshake in the 82576 model
        var adapter = netdev_priv<igb_adapter>(netdev);
        var err = igb_setup_all_tx_resources(adapter);
        if (err != 0)
        {
            goto err_setup_tx;
        }

        err = igb_setup_all_rx_resources(adapter);
        if (err != 0)
        {
            goto err_setup_rx;
        }

        igb_configure(adapter);
        err = igb_request_irq(adapter);
        if (err != 0)
        {
            goto err_req_irq;
        }

        netdev.real_num_tx_queues = adapter.num_tx_queues;
        netdev.real_num_rx_queues = adapter.num_rx_queues;
        adapter.down = false;
        foreach (var q_vector in adapter.q_vector)
        {
            if (q_vector is not null)
            {
                q_vector.napi.state &= ~napi_struct.NAPIF_STATE_DISABLE;
            }
        }

        // Clear anything pending, then unmask.
        rd32(adapter.hw, E1000_ICR);
        igb_irq_enable(adapter);
        netif_tx_start_all_queues(netdev);

        // The watchdog would find the link; read it once.
        adapter.link_speed = (rd32(adapter.hw, E1000_STATUS) & E1000_STATUS_LU) != 0 ? 1000 : 0;
        return 0;

    err_req_irq:
        igb_free_all_rx_resources(adapter);
    err_setup_rx:
        igb_free_all_tx_resources(adapter);
    err_setup_tx:
        return err;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_open
    /// <summary>ndo_open.</summary>
    public static int igb_open(net_device netdev) => __igb_open(netdev, false);

    // drivers/net/ethernet/intel/igb/igb_main.c: __igb_close
    /// <summary>Down, free the handlers, and return every buffer and ring to memory (all DMA mappings released).</summary>
    private static int __igb_close(net_device netdev, bool suspending)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        igb_down(adapter);
        igb_free_irq(adapter);
        igb_free_all_tx_resources(adapter);
        igb_free_all_rx_resources(adapter);
        return 0;
    }

    // not ported: netif_device_present — no PCI hot removal or suspend in the simulation: the device is always present
    // drivers/net/ethernet/intel/igb/igb_main.c: igb_close
    /// <summary>ndo_stop.</summary>
    public static int igb_close(net_device netdev) => __igb_close(netdev, false);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_tx_resources
    /// <summary>The TX descriptor ring in coherent DMA memory and the tx_buffer_info array parallel to it (TX-7).</summary>
    internal static int igb_setup_tx_resources(igb_ring tx_ring)
    {
        tx_ring.tx_buffer_info = new igb_tx_buffer[tx_ring.count];
        for (var i = 0; i < tx_ring.count; i++)
        {
            tx_ring.tx_buffer_info[i] = new igb_tx_buffer();
        }

        (tx_ring.desc, tx_ring.dma) = tx_ring.q_vector.adapter.k.machine.Dma.AllocCoherent(tx_ring.count * IGB_DESC_SIZE);
        tx_ring.next_to_use = 0;
        tx_ring.next_to_clean = 0;
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_all_tx_resources
    private static int igb_setup_all_tx_resources(igb_adapter adapter)
    {
        for (var i = 0; i < adapter.num_tx_queues; i++)
        {
            var err = igb_setup_tx_resources(adapter.tx_ring[i]!);
            if (err != 0)
            {
                for (i--; i >= 0; i--)
                {
                    igb_free_tx_resources(adapter.tx_ring[i]!);
                }

                return err;
            }
        }

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_tctl
    /// <summary>Transmit control: pad short packets, enable.</summary>
    private static void igb_setup_tctl(igb_adapter adapter)
    {
        // not ported: igb_config_collision_dist — full duplex only: no collision distance to set
        var hw = adapter.hw;
        wr32(hw, E1000_TXDCTL(0), 0);
        var tctl = rd32(hw, E1000_TCTL);
        tctl |= E1000_TCTL_PSP;
        tctl |= E1000_TCTL_EN;
        wr32(hw, E1000_TCTL, tctl);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_tx_ring
    /// <summary>Tells the device where the ring is, zeroes head and tail, enables the queue.</summary>
    private static void igb_configure_tx_ring(igb_adapter adapter, igb_ring ring)
    {
        // not ported: igb_xsk_pool — no AF_XDP
        var hw = adapter.hw;
        var reg_idx = ring.reg_idx;
        wr32(hw, E1000_TDLEN(reg_idx), (uint)(ring.count * IGB_DESC_SIZE));
        wr32(hw, E1000_TDBAL(reg_idx), (uint)(ring.dma & 0xFFFFFFFF));
        wr32(hw, E1000_TDBAH(reg_idx), (uint)(ring.dma >> 32));
        ring.tail = E1000_TDT(reg_idx);
        wr32(hw, E1000_TDH(reg_idx), 0);
        wr32(hw, ring.tail, 0);
        foreach (var b in ring.tx_buffer_info)
        {
            b.next_to_watch = -1;
        }

        wr32(hw, E1000_TXDCTL(reg_idx), E1000_TXDCTL_QUEUE_ENABLE);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_tx
    private static void igb_configure_tx(igb_adapter adapter)
    {
        // not ported: E1000_TXDCTL, wr32, wrfl — queue 0 is disabled in igb_configure_tx_ring here, not once in igb_configure_tx (the model keeps no TXDCTL state between them)
        for (var i = 0; i < adapter.num_tx_queues; i++)
        {
            igb_configure_tx_ring(adapter, adapter.tx_ring[i]!);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_rx_resources
    /// <summary>The RX descriptor ring in coherent DMA memory and its rx_buffer_info array.</summary>
    internal static int igb_setup_rx_resources(igb_ring rx_ring)
    {
        // not ported: xdp_rxq_info_is_reg, xdp_rxq_info_reg, xdp_rxq_info_unreg — no XDP
        rx_ring.rx_buffer_info = new igb_rx_buffer[rx_ring.count];
        for (var i = 0; i < rx_ring.count; i++)
        {
            rx_ring.rx_buffer_info[i] = new igb_rx_buffer();
        }

        (rx_ring.desc, rx_ring.dma) = rx_ring.q_vector.adapter.k.machine.Dma.AllocCoherent(rx_ring.count * IGB_DESC_SIZE);
        rx_ring.next_to_alloc = 0;
        rx_ring.next_to_clean = 0;
        rx_ring.next_to_use = 0;
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_all_rx_resources
    private static int igb_setup_all_rx_resources(igb_adapter adapter)
    {
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            var err = igb_setup_rx_resources(adapter.rx_ring[i]!);
            if (err != 0)
            {
                for (i--; i >= 0; i--)
                {
                    igb_free_rx_resources(adapter.rx_ring[i]!);
                }

                return err;
            }
        }

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_mrqc
    /// <summary>
    /// RSS (RX-8): the Toeplitz key, the 128-entry redirection table spread
    /// over the queues, hashing IPv4 addresses and TCP ports. UDP ports join
    /// the hash only with IGB_FLAG_RSS_FIELD_IPV4_UDP (`ethtool -N eth0
    /// rx-flow-hash udp4 sdfn`), off by default.
    /// </summary>
    private static void igb_setup_mrqc(igb_adapter adapter)
    {
        // not ported: igb_vmm_control, rd32 — no VMDq/SR-IOV (the MRQC read-modify-write of VF bits)
        // not ported: igb_write_rss_indir_tbl — the model's RETA is fixed round-robin over the queues, as the default table igb writes
        var hw = adapter.hw;
        var rss_key = igb_rss_key;
        for (var j = 0; j < 10; j++)
        {
            wr32(hw, E1000_RSSRK(j), System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(rss_key[(j * 4)..]));
        }

        // igb_write_rss_indir_tbl with the default table: entry i -> queue (i * queues) / 128.
        for (var i = 0; i < 32; i++)
        {
            uint reta = 0;
            for (var b = 0; b < 4; b++)
            {
                var entry = (i * 4) + b;
                reta |= (uint)((entry * adapter.rss_queues) / 128) << (b * 8);
            }

            wr32(hw, E1000_RETA(i), reta);
        }

        var mrqc = E1000_MRQC_RSS_FIELD_IPV4 | E1000_MRQC_RSS_FIELD_IPV4_TCP;
        if (adapter.rss_queues > 1)
        {
            mrqc |= E1000_MRQC_ENABLE_RSS_MQ;
        }

        wr32(hw, E1000_MRQC, mrqc);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_rctl
    /// <summary>Receive control: enable, accept broadcast, strip the FCS (SECRC), allow long packets.</summary>
    private static void igb_setup_rctl(igb_adapter adapter)
    {
        var hw = adapter.hw;
        var rctl = rd32(hw, E1000_RCTL);
        rctl |= E1000_RCTL_EN | E1000_RCTL_BAM;
        rctl |= E1000_RCTL_SECRC;
        rctl |= E1000_RCTL_LPE;
        wr32(hw, E1000_RXDCTL(0), 0);
        wr32(hw, E1000_RCTL, rctl);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_setup_srrctl
    /// <summary>
    /// Buffer sizes, and DROP_EN with several queues (no flow control): a
    /// queue without buffers then drops at once (RQDPC) instead of holding
    /// the shared packet buffer for everyone (RX-2).
    /// </summary>
    private static void igb_setup_srrctl(igb_adapter adapter, igb_ring ring)
    {
        // not ported: xsk_pool_get_rx_frame_size — no AF_XDP
        var reg_idx = ring.reg_idx;
        var buf_size = ring_uses_large_buffer(ring) ? (uint)IGB_RXBUFFER_3072 : IGB_RXBUFFER_2048;
        var srrctl = (uint)IGB_RX_HDR_LEN << E1000_SRRCTL_BSIZEHDRSIZE_SHIFT;
        srrctl |= buf_size >> E1000_SRRCTL_BSIZEPKT_SHIFT;
        srrctl |= E1000_SRRCTL_DESCTYPE_ADV_ONEBUF;
        if (adapter.num_rx_queues > 1)
        {
            srrctl |= E1000_SRRCTL_DROP_EN;
        }

        wr32(adapter.hw, E1000_SRRCTL(reg_idx), srrctl);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_rx_ring
    /// <summary>Tells the device where the ring is, zeroes head and tail, sets buffer sizes, enables the queue.</summary>
    private static void igb_configure_rx_ring(igb_adapter adapter, igb_ring ring)
    {
        // not ported: igb_xsk_pool, xsk_pool_set_rxq_info, xdp_rxq_info_reg_mem_model, xdp_rxq_info_unreg_mem_model — no XDP or AF_XDP
        // not ported: igb_set_vmolr — no VMDq pools
        var hw = adapter.hw;
        var reg_idx = ring.reg_idx;
        wr32(hw, E1000_RXDCTL(reg_idx), 0);
        wr32(hw, E1000_RDBAL(reg_idx), (uint)(ring.dma & 0xFFFFFFFF));
        wr32(hw, E1000_RDBAH(reg_idx), (uint)(ring.dma >> 32));
        wr32(hw, E1000_RDLEN(reg_idx), (uint)(ring.count * IGB_DESC_SIZE));
        ring.tail = E1000_RDT(reg_idx);
        wr32(hw, E1000_RDH(reg_idx), 0);
        wr32(hw, ring.tail, 0);
        igb_setup_srrctl(adapter, ring);

        // The first write-back is recognised by a non-zero length.
        IGB_RX_DESC(ring, 0).wb_upper_length = 0;
        wr32(hw, E1000_RXDCTL(reg_idx), E1000_RXDCTL_QUEUE_ENABLE);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_set_rx_buffer_len
    /// <summary>
    /// Chooses how the ring receives: build_skb unless legacy-rx, and 3 KiB
    /// buffers in 8 KiB pages when a frame may not fit a build_skb half page
    /// (max_frame_size above 1536, or a store-bad-packets RCTL).
    /// </summary>
    private static void igb_set_rx_buffer_len(igb_adapter adapter, igb_ring rx_ring)
    {
        var hw = adapter.hw;
        clear_ring_build_skb_enabled(rx_ring);
        clear_ring_uses_large_buffer(rx_ring);
        if ((adapter.flags & IGB_FLAG_RX_LEGACY) != 0)
        {
            return;
        }

        set_ring_build_skb_enabled(rx_ring);

        // PAGE_SIZE < 8192.
        if (adapter.max_frame_size > IGB_MAX_FRAME_BUILD_SKB || IGB_2K_TOO_SMALL_WITH_PADDING || (rd32(hw, E1000_RCTL) & E1000_RCTL_SBP) != 0)
        {
            set_ring_uses_large_buffer(rx_ring);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_configure_rx
    private static void igb_configure_rx(igb_adapter adapter)
    {
        // not ported: igb_set_default_mac_filter — the model accepts its own MAC without the RAR entry (no RAR table)
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            var rx_ring = adapter.rx_ring[i]!;
            igb_set_rx_buffer_len(adapter, rx_ring);
            igb_configure_rx_ring(adapter, rx_ring);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_tx_resources
    /// <summary>Frees what is left on the ring, then the ring memory (its DMA mapping).</summary>
    internal static void igb_free_tx_resources(igb_ring tx_ring)
    {
        igb_clean_tx_ring(tx_ring);
        tx_ring.tx_buffer_info = Array.Empty<igb_tx_buffer>();
        if (tx_ring.desc.Length == 0)
        {
            return;
        }

        tx_ring.q_vector.adapter.k.machine.Dma.Unmap(tx_ring.dma);
        tx_ring.desc = Array.Empty<byte>();
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_all_tx_resources
    private static void igb_free_all_tx_resources(igb_adapter adapter)
    {
        for (var i = 0; i < adapter.num_tx_queues; i++)
        {
            if (adapter.tx_ring[i] is { } ring)
            {
                igb_free_tx_resources(ring);
            }
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_tx_ring
    /// <summary>Frees the skbs still on the ring and unmaps their buffers (the device is stopped).</summary>
    private static void igb_clean_tx_ring(igb_ring tx_ring)
    {
        // not ported: IGB_TX_DESC — descriptors are not re-read while unmapping: simulated DMA unmap needs only the buffer
        // not ported: netdev_tx_reset_queue, txring_txq — no byte queue limits to reset
        // not ported: xdp_return_frame, xsk_tx_completed — no XDP or AF_XDP transmit
        var dma = tx_ring.q_vector.adapter.k.machine.Dma;
        var i = tx_ring.next_to_clean;
        while (i != tx_ring.next_to_use)
        {
            var tx_buffer = tx_ring.tx_buffer_info[i];
            if (tx_buffer.skb is { } skb)
            {
                dev_kfree_skb_any(skb);
                tx_buffer.skb = null;
            }

            if (tx_buffer.len != 0)
            {
                dma.Unmap(tx_buffer.dma);
                tx_buffer.len = 0;
            }

            tx_buffer.next_to_watch = -1;
            i = (i + 1) % tx_ring.count;
        }

        // netdev_tx_reset_queue: no byte queue limits in the port.
        tx_ring.next_to_use = 0;
        tx_ring.next_to_clean = 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_all_tx_rings
    private static void igb_clean_all_tx_rings(igb_adapter adapter)
    {
        for (var i = 0; i < adapter.num_tx_queues; i++)
        {
            if (adapter.tx_ring[i] is { } ring && ring.tx_buffer_info.Length != 0)
            {
                igb_clean_tx_ring(ring);
            }
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_rx_resources
    /// <summary>Unmaps the buffers still owned by the device, then frees the ring memory.</summary>
    internal static void igb_free_rx_resources(igb_ring rx_ring)
    {
        // not ported: xdp_rxq_info_unreg — no XDP
        igb_clean_rx_ring(rx_ring);
        rx_ring.rx_buffer_info = Array.Empty<igb_rx_buffer>();
        if (rx_ring.desc.Length == 0)
        {
            return;
        }

        rx_ring.q_vector.adapter.k.machine.Dma.Unmap(rx_ring.dma);
        rx_ring.desc = Array.Empty<byte>();
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_free_all_rx_resources
    private static void igb_free_all_rx_resources(igb_adapter adapter)
    {
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            if (adapter.rx_ring[i] is { } ring)
            {
                igb_free_rx_resources(ring);
            }
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_rx_ring
    /// <summary>Drops a half-received frame; unmaps every page between next_to_clean and next_to_alloc and gives back the references the driver still holds on it.</summary>
    private static void igb_clean_rx_ring(igb_ring rx_ring)
    {
        // not ported: igb_rx_bufsz, igb_rx_pg_size — the kernel's DMA sync/unmap sizes; simulated DMA is coherent and unmapped by page
        // not ported: dev_kfree_skb — the port frees the partial rx_ring.skb through kfree_skb_reason/consume_skb as the port requires
        // not ported: igb_clean_rx_ring_zc — no AF_XDP zero-copy rings
        if (rx_ring.skb is { } partial)
        {
            dev_kfree_skb_any(partial);
            rx_ring.skb = null;
        }

        var dma = rx_ring.q_vector.adapter.k.machine.Dma;
        var i = rx_ring.next_to_clean;
        while (i != rx_ring.next_to_alloc)
        {
            var rx_buffer = rx_ring.rx_buffer_info[i];

            // dma_sync_single_range_for_cpu: the model's DMA is coherent.
            dma.Unmap(rx_buffer.dma);
            Mm.page_frag_cache_c.__page_frag_cache_drain(rx_buffer.page!, rx_buffer.pagecnt_bias);
            rx_buffer.page = null;
            i = (i + 1) % rx_ring.count;
        }

        rx_ring.next_to_alloc = 0;
        rx_ring.next_to_clean = 0;
        rx_ring.next_to_use = 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_all_rx_rings
    private static void igb_clean_all_rx_rings(igb_adapter adapter)
    {
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            if (adapter.rx_ring[i] is { } ring && ring.rx_buffer_info.Length != 0)
            {
                igb_clean_rx_ring(ring);
            }
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_ctxtdesc
    /// <summary>
    /// Writes a context descriptor at next_to_use (and takes the slot): the
    /// header lengths and the L4 type the NIC needs to insert a checksum into
    /// the packet whose data descriptors follow.
    /// </summary>
    private static void igb_tx_ctxtdesc(igb_ring tx_ring, igb_tx_buffer first, uint vlan_macip_lens, uint type_tucmd, uint mss_l4len_idx)
    {
        var i = tx_ring.next_to_use;
        var context_desc = IGB_TX_CTXTDESC(tx_ring, i);

        i++;
        tx_ring.next_to_use = i < tx_ring.count ? i : 0;

        // an advanced context descriptor
        type_tucmd |= E1000_TXD_CMD_DEXT | E1000_ADVTXD_DTYP_CTXT;

        // not ported: IGB_RING_FLAG_TX_CTX_IDX (the 82575's per-ring context index) — the port drives an 82576.
        context_desc.vlan_macip_lens = vlan_macip_lens;
        context_desc.type_tucmd_mlhl = type_tucmd;
        context_desc.mss_l4len_idx = mss_l4len_idx;

        // not ported: launchtime_enable (skb_txtime_consumed, seqnum_seed from the skb's tstamp) — no Qav/ETF.
        context_desc.seqnum_seed = 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_csum
    /// <summary>
    /// A CHECKSUM_PARTIAL skb whose sum the NIC can insert (a TCP or UDP
    /// check field) gets IGB_TX_FLAGS_CSUM and a context descriptor saying
    /// where the headers end; any other offset is summed here
    /// (skb_checksum_help). An skb with nothing to offload needs no context.
    /// </summary>
    private static void igb_tx_csum(igb_ring tx_ring, igb_tx_buffer first)
    {
        var skb = first.skb!;
        uint vlan_macip_lens = 0;
        uint type_tucmd = 0;

        if (skb.ip_summed != CHECKSUM_PARTIAL)
        {
            goto csum_failed;
        }

        switch (skb.csum_offset)
        {
            case 16: // offsetof(struct tcphdr, check)
                type_tucmd = E1000_ADVTXD_TUCMD_L4T_TCP;
                break;
            case 6: // offsetof(struct udphdr, check)
                break;
            default:
                // not ported: the SCTP case (skb_csum_is_sctp) — no SCTP.
                skb_checksum_help(skb);
                goto csum_failed;
        }

        first.tx_flags |= IGB_TX_FLAGS_CSUM;
        vlan_macip_lens = (uint)(skb_checksum_start_offset(skb) - skb_network_offset(skb));
        goto no_csum;

    // restructured: C# cannot jump into a block; 6.18's csum_failed label sits inside the first test.
    csum_failed:
        // not ported: launchtime_enable — no Qav/ETF; and no VLAN tag reaches the port's igb (IGB_TX_FLAGS_VLAN).
        if ((first.tx_flags & IGB_TX_FLAGS_VLAN) == 0)
        {
            return;
        }

    no_csum:
        vlan_macip_lens |= (uint)skb_network_offset(skb) << E1000_ADVTXD_MACLEN_SHIFT;
        vlan_macip_lens |= first.tx_flags & IGB_TX_FLAGS_VLAN_MASK;

        igb_tx_ctxtdesc(tx_ring, first, vlan_macip_lens, type_tucmd, 0);
    }

    // not ported: IGB_SET_FLAG — only the basic DEXT/DCMD flags are set: no TSO, VLAN or timestamp flags to translate
    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_cmd_type
    /// <summary>An advanced data descriptor whose FCS the NIC appends (no TSO, VLAN or timestamp here).</summary>
    [Borrows("skb")]
    private static uint igb_tx_cmd_type(sk_buff skb, uint tx_flags) =>
        E1000_ADVTXD_DTYP_DATA | E1000_ADVTXD_DCMD_DEXT | E1000_ADVTXD_DCMD_IFCS;

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_olinfo_status
    /// <summary>The payload length field of the first descriptor, and TXSM when the NIC is to insert the L4 checksum.</summary>
    private static void igb_tx_olinfo_status(igb_ring tx_ring, e1000_adv_tx_desc tx_desc, uint tx_flags, int paylen)
    {
        // not ported: IGB_SET_FLAG — the two flags are translated with plain tests
        var olinfo_status = (uint)paylen << E1000_ADVTXD_PAYLEN_SHIFT;

        // not ported: IGB_RING_FLAG_TX_CTX_IDX — an 82575 flag.
        if ((tx_flags & IGB_TX_FLAGS_CSUM) != 0)
        {
            olinfo_status |= E1000_TXD_POPTS_TXSM << 8;
        }

        // IGB_TX_FLAGS_IPV4 is set only with TSO (igb_tso), which is not ported.
        if ((tx_flags & IGB_TX_FLAGS_IPV4) != 0)
        {
            olinfo_status |= E1000_TXD_POPTS_IXSM << 8;
        }

        tx_desc.read_olinfo_status = olinfo_status;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: __igb_maybe_stop_tx
    /// <summary>Stops the queue, then re-checks: a completion on another CPU may have made room meanwhile.</summary>
    private static int __igb_maybe_stop_tx(igb_ring tx_ring, int size)
    {
        // not ported: netif_stop_subqueue, netif_wake_subqueue — the port stops and wakes the same queue through its netdev_queue (netif_tx_stop_queue/netif_tx_wake_queue on txring_txq)
        var txq = txring_txq(tx_ring);
        netif_tx_stop_queue(txq);

        // smp_mb(): the stop is visible before the re-read of next_to_clean.
        if (igb_desc_unused(tx_ring) < size)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.EBUSY;
        }

        netif_tx_wake_queue(txq);
        tx_ring.tx_stats.restart_queue2++;
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_maybe_stop_tx
    private static int igb_maybe_stop_tx(igb_ring tx_ring, int size) =>
        igb_desc_unused(tx_ring) >= size ? 0 : __igb_maybe_stop_tx(tx_ring, size);

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_map
    /// <summary>
    /// DMA-maps the skb's (linear) data, fills the data descriptor (EOP|RS on
    /// the last), records the mapping in tx_buffer_info at the same index
    /// (TX-7), points first.next_to_watch at the EOP descriptor, and rings
    /// the doorbell (TDT) so the NIC fetches it (TX-6).
    /// </summary>
    private static int igb_tx_map(igb_ring tx_ring, igb_tx_buffer first, byte hdr_len)
    {
        // not ported: txring_txq — no byte queue limits (netdev_tx_sent_queue needs the txq); the stop check uses the ring
        // not ported: dev_kfree_skb_any — the dma_error unwind: simulated DMA mapping never fails
        // not ported: skb_frag_dma_map, skb_frag_size — the port's igb does not offer NETIF_F_SG: skbs arrive linear, so there are no frags to map
        // not ported: netdev_xmit_more, netif_xmit_stopped — no xmit_more batching: the tail is written for every packet (see the file header)
        var skb = first.skb!;
        var k = tx_ring.q_vector.adapter.k;
        var cmd_type = igb_tx_cmd_type(skb, first.tx_flags);
        var i = tx_ring.next_to_use;
        var tx_desc = IGB_TX_DESC(tx_ring, i);
        igb_tx_olinfo_status(tx_ring, tx_desc, first.tx_flags, skb.len - hdr_len);

        var size = skb_headlen(skb);
        var dma = k.machine.Dma.Map(skb.head, skb.data, size);

        // dma_unmap_len_set/dma_unmap_addr_set: what completion will unmap.
        first.len = (uint)size;
        first.dma = dma;
        tx_desc.read_buffer_addr = dma;

        // The head is linear (no frags) and far below IGB_MAX_DATA_PER_TXD: one descriptor.
        cmd_type |= (uint)size | E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS;
        tx_desc.read_cmd_type_len = cmd_type;

        // netdev_tx_sent_queue would account the bytes for BQL (not ported).

        // first->time_stamp (the hang check's jiffies) is not ported; the software TX timestamp is taken here
        skbuff_h.skb_tx_timestamp(skb);

        // wmb(): the descriptor is complete before next_to_watch publishes it
        // to igb_clean_tx_irq and before the tail write hands it to the NIC.
        first.next_to_watch = i;

        i++;
        if (i == tx_ring.count)
        {
            i = 0;
        }

        tx_ring.next_to_use = i;

        // Make sure there is room for the next send.
        igb_maybe_stop_tx(tx_ring, DESC_NEEDED);

        // The doorbell: the NIC fetches descriptors up to the new tail by
        // DMA. The kernel skips it while netdev_xmit_more() promises more
        // packets (and the queue is not stopped); the port never batches.
        wr32(tx_ring.q_vector.adapter.hw, tx_ring.tail, (uint)i);

        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_xmit_frame_ring
    /// <summary>Reserves descriptors (BUSY if the ring is full), records the skb as the packet's first buffer, maps and sends it.</summary>
    [Consumes("skb")]
    private static netdev_tx_t igb_xmit_frame_ring(sk_buff skb, igb_ring tx_ring)
    {
        // not ported: dev_kfree_skb_any — igb_tso is not ported, so the out_drop path for a failed TSO is never taken
        // not ported: skb_vlan_tag_present, skb_vlan_tag_get, vlan_get_protocol — no VLANs
        // not ported: skb_get, schedule_work, cancel_work_sync — no PTP transmit timestamps (the ptp_tx_skb hold and work)
        // not ported: skb_frag_size — no NETIF_F_SG: skbs arrive linear, so only the head is counted
        var count = TXD_USE_COUNT(skb_headlen(skb));

        // One descriptor per buffer, a context descriptor, and a gap of two
        // so the tail never touches the head.
        if (igb_maybe_stop_tx(tx_ring, count + 3) != 0)
        {
            return netdev_tx_t.NETDEV_TX_BUSY;
        }

        var first = tx_ring.tx_buffer_info[tx_ring.next_to_use];
        first.skb = skb;
        first.bytecount = (uint)skb.len;
        first.gso_segs = 1;
        first.tx_flags = 0;
        first.protocol = skb.protocol;

        // not ported: igb_tso — no TSO (NETIF_F_TSO is not offered), so every skb takes igb_tx_csum.
        igb_tx_csum(tx_ring, first);

        igb_tx_map(tx_ring, first, 0);
        CostHooks.ChargeTxPacket(tx_ring.q_vector.adapter.k);
        return netdev_tx_t.NETDEV_TX_OK;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_tx_queue_mapping
    [Borrows("skb")]
    private static igb_ring igb_tx_queue_mapping(igb_adapter adapter, sk_buff skb)
    {
        var r_idx = skb.queue_mapping;
        if (r_idx >= adapter.num_tx_queues)
        {
            r_idx = (ushort)(r_idx % adapter.num_tx_queues);
        }

        return adapter.tx_ring[r_idx]!;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_xmit_frame
    /// <summary>ndo_start_xmit (process or NET_TX context, txq lock held): pad to the hardware's 17-byte minimum, then the ring's xmit.</summary>
    [Consumes("skb")]
    public static netdev_tx_t igb_xmit_frame(sk_buff skb, net_device netdev)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        if (skb_put_padto(skb, 17) != 0)
        {
            return netdev_tx_t.NETDEV_TX_OK;
        }

        return igb_xmit_frame_ring(skb, igb_tx_queue_mapping(adapter, skb));
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_get_stats64
    /// <summary>ndo_get_stats64: refresh from the hardware, then copy the adapter's whole rtnl_link_stats64 (OBS-1).</summary>
    private static void igb_get_stats64(net_device netdev, rtnl_link_stats64 stats)
    {
        var adapter = netdev_priv<igb_adapter>(netdev);
        igb_update_stats(adapter);
        adapter.stats64.CopyTo(stats);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_change_mtu
    /// <summary>
    /// A new MTU: max_frame_size follows (at least a standard frame), and a
    /// running device is taken down and up again so its rings are set up
    /// for it (3K buffers above 1536-byte frames).
    /// </summary>
    private static int igb_change_mtu(net_device netdev, int new_mtu)
    {
        // not ported: igb_xdp_is_enabled, igb_rx_bufsz — no XDP programs, so there is no XDP frame-size limit to check
        var adapter = netdev_priv<igb_adapter>(netdev);
        var max_frame = new_mtu + IGB_ETH_PKT_HDR_PAD;

        // not ported: the XDP frame-size check (no XDP).
        if (max_frame < if_ether_h.ETH_FRAME_LEN + if_ether_h.ETH_FCS_LEN)
        {
            max_frame = if_ether_h.ETH_FRAME_LEN + if_ether_h.ETH_FCS_LEN;
        }

        // igb_down reads max_frame_size.
        adapter.max_frame_size = max_frame;
        if (netif_running(netdev))
        {
            igb_down(adapter);
        }

        netdev.mtu = (uint)new_mtu;
        if (netif_running(netdev))
        {
            igb_up(adapter);
        }

        // not ported: igb_reset of a device that is down (it is reset at open).
        return 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_update_stats
    /// <summary>
    /// Folds the clear-on-read hardware counters into the adapter. Per-queue
    /// drops (RQDPC, DROP_EN) go to rx_queue_N_drops and rx_fifo_errors;
    /// missed packets (MPC, packet buffer full) to rx_fifo_errors as well and
    /// to rx_missed_errors — so in /proc/net/dev an MPC drop shows in both
    /// the "drop" and the "fifo" column (RX-2). Skipped while the link is down.
    /// </summary>
    public static void igb_update_stats(igb_adapter adapter)
    {
        // not ported: wr32 — the 82576 model has no SerDes/PHY idle-error or FC counters that the kernel clears by writing
        var net_stats = adapter.stats64;
        var hw = adapter.hw;
        if (adapter.link_speed == 0)
        {
            return;
        }

        ulong bytes = 0;
        ulong packets = 0;
        for (var i = 0; i < adapter.num_rx_queues; i++)
        {
            var ring = adapter.rx_ring[i]!;
            var rqdpc = rd32(hw, E1000_RQDPC(i));
            if (rqdpc != 0)
            {
                ring.rx_stats.drops += rqdpc;
                net_stats.rx_fifo_errors += rqdpc;
            }

            bytes += ring.rx_stats.bytes;
            packets += ring.rx_stats.packets;
        }

        net_stats.rx_bytes = bytes;
        net_stats.rx_packets = packets;

        bytes = 0;
        packets = 0;
        for (var i = 0; i < adapter.num_tx_queues; i++)
        {
            var ring = adapter.tx_ring[i]!;
            bytes += ring.tx_stats.bytes;
            packets += ring.tx_stats.packets;
        }

        net_stats.tx_bytes = bytes;
        net_stats.tx_packets = packets;

        // Read the statistics registers (each clears on read).
        var stats = adapter.stats;
        stats.crcerrs += rd32(hw, E1000_CRCERRS);
        stats.gprc += rd32(hw, E1000_GPRC);
        stats.gorc += rd32(hw, E1000_GORCL);
        rd32(hw, E1000_GORCH); // clears GORCL
        stats.bprc += rd32(hw, E1000_BPRC);
        stats.mprc += rd32(hw, E1000_MPRC);
        stats.roc += rd32(hw, E1000_ROC);
        var mpc = rd32(hw, E1000_MPC);
        stats.mpc += mpc;
        net_stats.rx_fifo_errors += mpc;
        stats.gptc += rd32(hw, E1000_GPTC);
        stats.gotc += rd32(hw, E1000_GOTCL);
        rd32(hw, E1000_GOTCH); // clears GOTCL
        stats.rnbc += rd32(hw, E1000_RNBC);
        stats.ruc += rd32(hw, E1000_RUC);
        stats.tor += rd32(hw, E1000_TORH);
        stats.tot += rd32(hw, E1000_TOTH);
        stats.tpr += rd32(hw, E1000_TPR);
        stats.mptc += rd32(hw, E1000_MPTC);
        stats.bptc += rd32(hw, E1000_BPTC);
        stats.tpt += rd32(hw, E1000_TPT);

        // Fill out the OS statistics.
        net_stats.multicast = stats.mprc;
        net_stats.collisions = stats.colc;
        net_stats.rx_errors = stats.rxerrc + stats.crcerrs + stats.algnerrc + stats.ruc + stats.roc + stats.cexterr;
        net_stats.rx_length_errors = stats.ruc + stats.roc;
        net_stats.rx_crc_errors = stats.crcerrs;
        net_stats.rx_frame_errors = stats.algnerrc;
        net_stats.rx_missed_errors = stats.mpc;
        net_stats.tx_errors = stats.ecol + stats.latecol;
        net_stats.tx_aborted_errors = stats.ecol;
        net_stats.tx_window_errors = stats.latecol;
        net_stats.tx_carrier_errors = stats.tncrs;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_msix_other
    /// <summary>The "other" vector's handler (hard IRQ): read and clear ICR (a link change would start the watchdog), re-enable itself.</summary>
    [HardIrqContext]
    private static irqreturn_t igb_msix_other(int irq, igb_adapter adapter)
    {
        // not ported: mod_timer, schedule_work — no watchdog: link changes (LSC) are not acted upon
        // not ported: igb_check_wvbr, igb_msg_task, igb_tsync_interrupt — no SR-IOV mailbox or PTP in the model
        var hw = adapter.hw;
        rd32(hw, E1000_ICR);
        wr32(hw, E1000_EIMS, adapter.eims_other);
        return irqreturn_t.IRQ_HANDLED;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_write_itr
    /// <summary>Writes the vector's throttle interval to its EITR if it changed (set_itr).</summary>
    private static void igb_write_itr(igb_q_vector q_vector)
    {
        var itr_val = q_vector.itr_val & 0x7FFC;
        if (!q_vector.set_itr)
        {
            return;
        }

        if (itr_val == 0)
        {
            itr_val = 0x4;
        }

        itr_val |= E1000_EITR_CNT_IGNR;
        wr32(q_vector.adapter.hw, q_vector.itr_register, itr_val);
        q_vector.set_itr = false;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_msix_ring
    /// <summary>
    /// A queue vector's hard-IRQ handler (RX-4): the hardware already masked
    /// the vector (EIAM); write the throttle rate and schedule NAPI — which
    /// puts it on this CPU's poll_list and raises NET_RX. Nothing else.
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
        // not ported: igb_irq_enable — the kernel's legacy/MSI (non-MSI-X) branch; the model has only MSI-X
        var adapter = q_vector.adapter;
        if (!adapter.down)
        {
            wr32(adapter.hw, E1000_EIMS, q_vector.eims_value);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_poll
    /// <summary>
    /// NAPI poll (NET_RX softirq, on the CPU that took the interrupt): TX
    /// completions first, then up to <paramref name="budget"/> received
    /// packets. All done: complete NAPI and unmask the vector. Budget used up
    /// (or TX work left): return the budget and stay on the poll list (RX-5).
    /// </summary>
    [SoftirqContext]
    private static int igb_poll(napi_struct napi, int budget)
    {
        // not ported: igb_update_dca — no DCA (Direct Cache Access) in the model
        // not ported: igb_clean_rx_irq_zc — no AF_XDP zero-copy rings
        var q_vector = (igb_q_vector)napi.priv!;
        var clean_complete = true;
        var work_done = 0;

        if (q_vector.tx.ring is not null)
        {
            clean_complete = igb_clean_tx_irq(q_vector, budget);
        }

        if (q_vector.rx.ring is not null)
        {
            var cleaned = igb_clean_rx_irq(q_vector, budget);
            work_done += cleaned;
            if (cleaned >= budget)
            {
                clean_complete = false;
            }
        }

        // If all work is not done, return the budget and keep polling.
        if (!clean_complete)
        {
            return budget;
        }

        if (napi_complete_done(napi, work_done))
        {
            igb_ring_irq_enable(q_vector);
        }

        return work_done;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_tx_irq
    /// <summary>
    /// TX completion in NAPI (TX-8, so counted under NET_RX): for each packet
    /// whose EOP descriptor the NIC marked done (DD), unmap its buffer and
    /// free the skb with napi_consume_skb; count it; wake the queue once
    /// enough descriptors are free. True if all was cleaned within tx.work_limit.
    /// </summary>
    private static bool igb_clean_tx_irq(igb_q_vector q_vector, int napi_budget)
    {
        // not ported: netif_carrier_ok — the driver never turns the carrier on or off (no watchdog), so the wake does not test it
        // not ported: __netif_subqueue_stopped, netif_wake_subqueue — written as netif_tx_queue_stopped/netif_tx_wake_queue on txring_txq, the same queue
        // not ported: netif_stop_subqueue — the Tx-hang detector's (see below)
        // not ported: __netif_tx_lock, __netif_tx_unlock, txq_trans_cond_update — around the AF_XDP zero-copy transmit (igb_xmit_zc), not ported
        // not ported: E1000_TDH, rd32, time_after, smp_processor_id — the Tx-hang detector (detect_tx_hung) needs the watchdog, which is not ported
        // not ported: netdev_tx_completed_queue — no byte queue limits (see the file header)
        // not ported: igb_xmit_zc, xsk_tx_completed, xsk_uses_need_wakeup, xsk_set_tx_need_wakeup, xdp_return_frame — no XDP or AF_XDP transmit
        var adapter = q_vector.adapter;
        var machine = adapter.k.machine;
        var budget = q_vector.tx.work_limit;
        var tx_ring = q_vector.tx.ring!;
        var i = tx_ring.next_to_clean;
        uint total_bytes = 0;
        uint total_packets = 0;

        if (adapter.down)
        {
            return true;
        }

        do
        {
            var tx_buffer = tx_ring.tx_buffer_info[i];
            var eop_desc = tx_buffer.next_to_watch;

            // No next_to_watch: no work pending.
            if (eop_desc < 0)
            {
                break;
            }

            // smp_rmb(): read the status only after next_to_watch.
            if ((IGB_TX_DESC(tx_ring, eop_desc).wb_status & E1000_TXD_STAT_DD) == 0)
            {
                break;
            }

            tx_buffer.next_to_watch = -1;
            total_bytes += tx_buffer.bytecount;
            total_packets += tx_buffer.gso_segs;

            napi_consume_skb(tx_buffer.skb, napi_budget);
            tx_buffer.skb = null;

            // Unmap the skb's data.
            machine.Dma.Unmap(tx_buffer.dma);
            tx_buffer.len = 0;
            CostHooks.ChargeTxClean(adapter.k);

            // Move one past the EOP descriptor: the start of the next packet.
            i = eop_desc + 1;
            if (i == tx_ring.count)
            {
                i = 0;
            }

            budget--;
        }
        while (budget > 0);

        // netdev_tx_completed_queue: BQL is not ported.
        tx_ring.next_to_clean = i;
        tx_ring.tx_stats.bytes += total_bytes;
        tx_ring.tx_stats.packets += total_packets;
        q_vector.tx.total_bytes += total_bytes;
        q_vector.tx.total_packets += total_packets;

        if (total_packets != 0 && igb_desc_unused(tx_ring) >= TX_WAKE_THRESHOLD)
        {
            // smp_mb(): the new next_to_clean is visible before the stopped check.
            var txq = txring_txq(tx_ring);
            if (netif_tx_queue_stopped(txq) && !adapter.down)
            {
                netif_tx_wake_queue(txq);
                tx_ring.tx_stats.restart_queue++;
            }
        }

        return budget > 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_reuse_rx_page
    /// <summary>Moves the page of <paramref name="old_buff"/> (now pointing at its free half) to the slot at next_to_alloc, so the NIC gets it again.</summary>
    private static void igb_reuse_rx_page(igb_ring rx_ring, igb_rx_buffer old_buff)
    {
        var nta = rx_ring.next_to_alloc;
        var new_buff = rx_ring.rx_buffer_info[nta];
        nta++;
        rx_ring.next_to_alloc = nta < rx_ring.count ? nta : 0;

        // The page, its mapping and its references change slots.
        new_buff.dma = old_buff.dma;
        new_buff.page = old_buff.page;
        new_buff.page_offset = old_buff.page_offset;
        new_buff.pagecnt_bias = old_buff.pagecnt_bias;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_can_reuse_rx_page
    /// <summary>
    /// The page may go back to the NIC only if the skb just made is its one
    /// holder besides the driver: the other half's skb is gone. When the
    /// driver's advance references run out, it takes USHRT_MAX - 1 more.
    /// </summary>
    private static bool igb_can_reuse_rx_page(igb_rx_buffer rx_buffer, int rx_buf_pgcnt)
    {
        // not ported: SKB_WITH_OVERHEAD — the 8 KiB-page last_offset check; the port reuses on 4 KiB pages only (the page_ref/pagecnt_bias branch)
        var pagecnt_bias = rx_buffer.pagecnt_bias;
        var page = rx_buffer.page!;
        if (!dev_page_is_reusable(page))
        {
            return false;
        }

        // PAGE_SIZE < 8192: reusable only when nobody else holds the other half.
        if (rx_buf_pgcnt - pagecnt_bias > 1)
        {
            return false;
        }

        if (pagecnt_bias == 1)
        {
            page_ref_h.page_ref_add(page, USHRT_MAX - 1);
            rx_buffer.pagecnt_bias = USHRT_MAX;
        }

        return true;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_add_rx_frag
    /// <summary>A later buffer of a frame becomes the skb's next frag (half a page of truesize); the buffer flips to the other half.</summary>
    [Borrows("skb")]
    private static void igb_add_rx_frag(igb_ring rx_ring, igb_rx_buffer rx_buffer, sk_buff skb, int size)
    {
        // not ported: SKB_DATA_ALIGN, ring_uses_build_skb — truesize is half the page on 4 KiB pages (PAGE_SIZE < 8192 branch); the 8 KiB-page build_skb sizing is not modelled
        // PAGE_SIZE < 8192: a buffer is half the page.
        var truesize = (uint)(igb_rx_pg_size(rx_ring) / 2);
        skb_add_rx_frag(skb, skb.shinfo.nr_frags, rx_buffer.page!, (int)rx_buffer.page_offset, size, truesize);
        rx_buffer.page_offset ^= truesize;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_construct_skb
    /// <summary>
    /// legacy-rx (no build_skb): a fresh skb with IGB_RX_HDR_LEN of head gets
    /// a CPU copy of the frame's headers — all of a short frame, eth_get_headlen's
    /// count of a longer one — and the rest of the half page becomes frag 0,
    /// the buffer flipping to the other half. A frame copied whole leaves the
    /// half to the driver (its reference goes back to pagecnt_bias).
    /// </summary>
    private static sk_buff? igb_construct_skb(igb_ring rx_ring, igb_rx_buffer rx_buffer, int data, int size)
    {
        // not ported: SKB_DATA_ALIGN, page_address — headers are copied out of simulated memory by offset; truesize is the half page (4 KiB pages)
        // not ported: net_prefetch — no CPU cache in the simulation
        // PAGE_SIZE < 8192: the half page is the truesize.
        var truesize = (uint)(igb_rx_pg_size(rx_ring) / 2);
        var page = rx_buffer.page!;

        // net_prefetch: no caches modelled.
        var skb = napi_alloc_skb(rx_ring.q_vector.napi, IGB_RX_HDR_LEN);
        if (skb is null)
        {
            return null;
        }

        // not ported: the hardware receive timestamp (skb_hwtstamps).
        var headlen = size;
        if (headlen > IGB_RX_HDR_LEN)
        {
            headlen = (int)eth_get_headlen(skb.dev!, page.mem.AsSpan(data, size), IGB_RX_HDR_LEN);
        }

        // The kernel copies ALIGN(headlen, sizeof(long)) bytes for speed; the extra ones land past tail, unused.
        page.mem.AsSpan(data, headlen).CopyTo(skb.head.AsSpan(__skb_put(skb, headlen), headlen));

        size -= headlen;
        if (size != 0)
        {
            skb_add_rx_frag(skb, 0, page, data + headlen, size, truesize);
            rx_buffer.page_offset ^= truesize;
        }
        else
        {
            rx_buffer.pagecnt_bias++;
        }

        return skb;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_build_skb
    /// <summary>
    /// Builds the skb around the half page the NIC wrote (napi_build_skb, a
    /// head_frag head): the DMA write is the only copy of the frame (RX-1).
    /// The IGB_SKB_PAD in front of it is the skb's headroom; the buffer
    /// flips to the page's other half.
    /// </summary>
    private static sk_buff? igb_build_skb(igb_ring rx_ring, igb_rx_buffer rx_buffer, int data_hard_start, int data, int size)
    {
        // not ported: skb_hwtstamps — no receive timestamps (TSIP) in the model
        // not ported: net_prefetch — no CPU cache in the simulation
        // not ported: SKB_DATA_ALIGN — truesize is the half page (4 KiB pages); the 8 KiB-page sizing is not modelled
        // PAGE_SIZE < 8192: the half page is the truesize.
        var truesize = igb_rx_pg_size(rx_ring) / 2;

        // net_prefetch: no caches modelled.
        var skb = napi_build_skb(rx_ring.q_vector.adapter.k, rx_buffer.page!, data_hard_start, truesize);
        if (skb is null)
        {
            return null;
        }

        skb_reserve(skb, data - data_hard_start);
        __skb_put(skb, size);

        // not ported: skb_metadata_set (no XDP metadata), the hardware timestamp.
        rx_buffer.page_offset ^= (uint)truesize;
        return skb;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_rx_hash
    /// <summary>The NIC's RSS hash, so RPS and the flow dissector need not compute it.</summary>
    [Borrows("skb")]
    private static void igb_rx_hash(igb_ring ring, e1000_adv_rx_desc rx_desc, sk_buff skb)
    {
        // not ported: skb_set_hash — the port's skbuff.h has only the field form; the hash is stored as an L3 hash, as skb_set_hash with PKT_HASH_TYPE_L3 would
        skb.hash = rx_desc.wb_lower_hi_dword_rss;
        skb.l4_hash = false;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_is_non_eop
    /// <summary>Advances next_to_clean; true if the frame continues in the next descriptor.</summary>
    private static bool igb_is_non_eop(igb_ring rx_ring, e1000_adv_rx_desc rx_desc)
    {
        // not ported: IGB_RX_DESC — the prefetch of the next descriptor; no CPU cache in the simulation
        var ntc = rx_ring.next_to_clean + 1;
        ntc = ntc < rx_ring.count ? ntc : 0;
        rx_ring.next_to_clean = ntc;
        return igb_test_staterr(rx_desc, E1000_RXD_STAT_EOP) == 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_cleanup_headers
    /// <summary>Drops a frame the NIC marked damaged, pads a runt to the 60-byte Ethernet minimum; true when the skb was freed.</summary>
    [Consumes("skb", WhenReturnsNonZero = true)]
    private static bool igb_cleanup_headers(igb_ring rx_ring, e1000_adv_rx_desc rx_desc, sk_buff skb)
    {
        // not ported: eth_skb_pad — the model delivers only frames of 60 bytes or more (no short-frame padding quirk)
        // NETIF_F_RXALL (keep bad frames) is not offered.
        if (igb_test_staterr(rx_desc, E1000_RXDEXT_ERR_FRAME_ERR_MASK) != 0)
        {
            dev_kfree_skb_any(skb);
            return true;
        }

        // eth_skb_pad: with the FCS stripped a minimal frame is 60 bytes.
        return skb_put_padto(skb, if_ether_h.ETH_ZLEN) != 0;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_rx_checksum
    /// <summary>
    /// What the NIC found when it checked the frame's sums: an L4 sum it
    /// verified (TCPCS/UDPCS) makes the skb CHECKSUM_UNNECESSARY; a bad IP
    /// or L4 sum (IPE/TCPE) is counted in csum_err and left for the stack to
    /// find again; no status (or RXCSUM off) leaves CHECKSUM_NONE.
    /// </summary>
    [Borrows("skb")]
    private static void igb_rx_checksum(igb_ring ring, e1000_adv_rx_desc rx_desc, sk_buff skb)
    {
        skb_checksum_none_assert(skb);

        // the NIC asks to be ignored
        if (igb_test_staterr(rx_desc, E1000_RXD_STAT_IXSM) != 0)
        {
            return;
        }

        // ethtool -K rx off
        if ((ring.netdev.features & netdev_features_h.NETIF_F_RXCSUM) == 0)
        {
            return;
        }

        if (igb_test_staterr(rx_desc, E1000_RXDEXT_STATERR_TCPE | E1000_RXDEXT_STATERR_IPE) != 0)
        {
            // not ported: the SCTP errata (IGB_RING_FLAG_RX_SCTP_CSUM on 60-byte frames) — no SCTP.
            // u64_stats_update_begin/end: no torn reads in a single-threaded simulation.
            ring.rx_stats.csum_err++;

            // the stack checks it again
            return;
        }

        if (igb_test_staterr(rx_desc, E1000_RXD_STAT_TCPCS | E1000_RXD_STAT_UDPCS) != 0)
        {
            skb.ip_summed = CHECKSUM_UNNECESSARY;
        }

        // not ported: dev_dbg — no kernel log.
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_process_skb_fields
    /// <summary>Hash, receive queue, and protocol (eth_type_trans pulls the Ethernet header and sets pkt_type).</summary>
    [Borrows("skb")]
    private static void igb_process_skb_fields(igb_ring rx_ring, e1000_adv_rx_desc rx_desc, sk_buff skb)
    {
        // not ported: igb_ptp_rx_rgtstamp, igb_test_staterr — no receive timestamps: the staterr test is the TS bit
        // not ported: __vlan_hwaccel_put_tag — no VLANs (see the file header)
        var dev = rx_ring.netdev;
        igb_rx_hash(rx_ring, rx_desc, skb);

        igb_rx_checksum(rx_ring, rx_desc, skb);

        // not ported: timestamps, VLAN stripping.
        skb_record_rx_queue(skb, (ushort)rx_ring.queue_index);
        skb.protocol = eth_type_trans(skb, dev);
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_rx_offset
    /// <summary>Where the NIC writes in a half page: after build_skb's headroom, or at its start.</summary>
    private static uint igb_rx_offset(igb_ring rx_ring) => ring_uses_build_skb(rx_ring) ? (uint)IGB_SKB_PAD : 0;

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_get_rx_buffer
    /// <summary>
    /// The buffer at next_to_clean, with the page's reference count as it
    /// is before this half goes to an skb (for igb_can_reuse_rx_page); one
    /// of the driver's advance references goes to the skb.
    /// </summary>
    private static igb_rx_buffer igb_get_rx_buffer(igb_ring rx_ring, int size, out int rx_buf_pgcnt)
    {
        var rx_buffer = rx_ring.rx_buffer_info[rx_ring.next_to_clean];
        rx_buf_pgcnt = page_count(rx_buffer.page!);

        // dma_sync_single_range_for_cpu: the model's DMA is coherent.
        rx_buffer.pagecnt_bias--;
        return rx_buffer;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_put_rx_buffer
    /// <summary>Hands the page's other half back to the ring if it can be reused; else unmaps it and gives back the driver's references. The slot is emptied either way.</summary>
    private static void igb_put_rx_buffer(igb_ring rx_ring, igb_rx_buffer rx_buffer, int rx_buf_pgcnt)
    {
        // not ported: igb_rx_pg_size — simulated DMA needs no unmap size
        if (igb_can_reuse_rx_page(rx_buffer, rx_buf_pgcnt))
        {
            igb_reuse_rx_page(rx_ring, rx_buffer);
        }
        else
        {
            rx_ring.q_vector.adapter.k.machine.Dma.Unmap(rx_buffer.dma);
            Mm.page_frag_cache_c.__page_frag_cache_drain(rx_buffer.page!, rx_buffer.pagecnt_bias);
        }

        rx_buffer.page = null;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_update_rx_stats
    private static void igb_update_rx_stats(igb_q_vector q_vector, int packets, uint bytes)
    {
        var ring = q_vector.rx.ring!;
        ring.rx_stats.packets += (ulong)packets;
        ring.rx_stats.bytes += bytes;
        q_vector.rx.total_packets += (uint)packets;
        q_vector.rx.total_bytes += bytes;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_clean_rx_irq
    /// <summary>
    /// NET_RX softirq: turns up to <paramref name="budget"/> frames into skbs
    /// (RX-9) and hands each to GRO. A frame's first buffer becomes the skb
    /// (igb_build_skb), each later one a page frag (igb_add_rx_frag) until the
    /// descriptor with EOP; a frame still incomplete at the end waits on the
    /// ring (rx_ring.skb). Buffers go back to the NIC every
    /// IGB_RX_BUFFER_WRITE and once more at the end.
    /// </summary>
    private static int igb_clean_rx_irq(igb_q_vector q_vector, int budget)
    {
        // not ported: page_address — pages are simulated memory addressed by offset, not by kernel virtual address
        // not ported: igb_ptp_rx_pktstamp, igb_test_staterr — no receive timestamps (TSIP): the staterr test is the E1000_RXDADV_STAT_TSIP check
        // not ported: igb_rx_buffer_flip — only used after XDP_TX/XDP_REDIRECT verdicts; without XDP the flip happens in igb_add_rx_frag/igb_build_skb
        // not ported: xdp_init_buff, xdp_prepare_buff, xdp_buff_clear_frags_flag, igb_rx_frame_truesize — no XDP programs: the kernel prepares an xdp_buff per frame only to run one
        var rx_ring = q_vector.rx.ring!;
        var total_bytes = 0u;
        var total_packets = 0;
        var cleaned_count = igb_desc_unused(rx_ring);
        var skb = rx_ring.skb;

        // not ported: XDP (igb_run_xdp, xdp_buff set-up, igb_finalize_xdp) — no XDP programs.
        while (total_packets < budget)
        {
            // Return some buffers to the hardware; one at a time is too slow.
            if (cleaned_count >= IGB_RX_BUFFER_WRITE)
            {
                igb_alloc_rx_buffers(rx_ring, cleaned_count);
                cleaned_count = 0;
            }

            var rx_desc = IGB_RX_DESC(rx_ring, rx_ring.next_to_clean);
            int size = rx_desc.wb_upper_length;
            if (size == 0)
            {
                break;
            }

            // dma_rmb(): read the rest of the descriptor only after its length.
            var rx_buffer = igb_get_rx_buffer(rx_ring, size, out var rx_buf_pgcnt);
            var pktbuf = (int)rx_buffer.page_offset;

            // not ported: the receive timestamp in front of the frame (E1000_RXDADV_STAT_TSIP).
            if (skb is not null)
            {
                igb_add_rx_frag(rx_ring, rx_buffer, skb, size);
            }
            else if (ring_uses_build_skb(rx_ring))
            {
                var hard_start = pktbuf - (int)igb_rx_offset(rx_ring);
                skb = igb_build_skb(rx_ring, rx_buffer, hard_start, pktbuf, size);
            }
            else
            {
                skb = igb_construct_skb(rx_ring, rx_buffer, pktbuf, size);
            }

            // Exit if no skb could be had.
            if (skb is null)
            {
                rx_ring.rx_stats.alloc_failed++;
                rx_buffer.pagecnt_bias++;
                rx_ring.flags |= 1UL << IGB_RING_FLAG_RX_ALLOC_FAILED;
                break;
            }

            igb_put_rx_buffer(rx_ring, rx_buffer, rx_buf_pgcnt);
            cleaned_count++;

            // The rest of the frame is in the next buffer.
            if (igb_is_non_eop(rx_ring, rx_desc))
            {
                continue;
            }

            if (igb_cleanup_headers(rx_ring, rx_desc, skb))
            {
                skb = null;
                continue;
            }

            // A little skewed: the FCS is gone.
            total_bytes += (uint)skb.len;
            igb_process_skb_fields(rx_ring, rx_desc, skb);
            CostHooks.ChargeRxPacket(q_vector.adapter.k);
            napi_gro_receive(q_vector.napi, skb);
            skb = null;
            total_packets++;
        }

        // An incomplete frame waits on the ring for its next buffers.
        rx_ring.skb = skb;
        igb_update_rx_stats(q_vector, total_packets, total_bytes);
        if (cleaned_count != 0)
        {
            igb_alloc_rx_buffers(rx_ring, cleaned_count);
        }

        return total_packets;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_mapped_page
    /// <summary>
    /// A slot still holding a (reused) page keeps it; an empty one gets a
    /// fresh page (8 KiB with 3K buffers), DMA-mapped whole, with
    /// USHRT_MAX - 1 references taken in advance (pagecnt_bias), pointing at
    /// its first half.
    /// </summary>
    private static bool igb_alloc_mapped_page(igb_ring rx_ring, igb_rx_buffer bi)
    {
        // Recycling makes a fresh page rare.
        if (bi.page is not null)
        {
            return true;
        }

        var page = dev_alloc_pages(rx_ring.q_vector.adapter.k, igb_rx_pg_order(rx_ring));
        if (page is null)
        {
            rx_ring.rx_stats.alloc_failed++;
            rx_ring.flags |= 1UL << IGB_RING_FLAG_RX_ALLOC_FAILED;
            return false;
        }

        // dma_map_page_attrs; a mapping error cannot happen in the model.
        var dma = rx_ring.q_vector.adapter.k.machine.Dma.Map(page.mem, 0, igb_rx_pg_size(rx_ring));
        bi.dma = dma;
        bi.page = page;
        bi.page_offset = igb_rx_offset(rx_ring);
        page_ref_h.page_ref_add(page, USHRT_MAX - 1);
        bi.pagecnt_bias = USHRT_MAX;
        return true;
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_alloc_rx_buffers
    /// <summary>
    /// Gives <paramref name="cleaned_count"/> descriptors a buffer (pkt_addr),
    /// zeroes the next descriptor's length, and moves the tail register past
    /// them: the NIC may now DMA into them (RX-1, RX-9).
    /// </summary>
    internal static void igb_alloc_rx_buffers(igb_ring rx_ring, int cleaned_count)
    {
        // not ported: igb_rx_bufsz — the descriptor is given the whole half page: the kernel's DMA sync of igb_rx_bufsz bytes has no model (coherent simulated DMA)
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
                break;
            }

            // dma_sync_single_range_for_device: the model's DMA is coherent.
            // Refresh the descriptor even if the address did not change: each write-back erases it.
            IGB_RX_DESC(rx_ring, i).read_pkt_addr = bi.dma + bi.page_offset;
            i++;
            if (i == rx_ring.count)
            {
                i = 0;
            }

            // Clear the length for the next_to_use descriptor.
            IGB_RX_DESC(rx_ring, i).wb_upper_length = 0;
            cleaned_count--;
        }
        while (cleaned_count != 0);

        if (rx_ring.next_to_use != i)
        {
            rx_ring.next_to_use = i;
            rx_ring.next_to_alloc = i;

            // dma_wmb(): descriptors are in memory before the NIC sees the new tail.
            wr32(rx_ring.q_vector.adapter.hw, rx_ring.tail, (uint)i);
        }
    }

    // drivers/net/ethernet/intel/igb/igb_main.c: igb_reinit_queues
    /// <summary>After `ethtool -L`: rebuild queues, vectors and NAPI with the new count (closing and reopening if up).</summary>
    public static int igb_reinit_queues(igb_adapter adapter)
    {
        // not ported: igb_reset_interrupt_capability — MSI-X vectors come from the modelled device and are not given back
        var netdev = adapter.netdev;
        if (netif_running(netdev))
        {
            igb_close(netdev);
        }

        igb_clear_interrupt_scheme(adapter);
        if (igb_init_interrupt_scheme(adapter) != 0)
        {
            return -Include.Uapi.AsmGeneric.errno_base_h.ENOMEM;
        }

        return netif_running(netdev) ? igb_open(netdev) : 0;
    }
}
