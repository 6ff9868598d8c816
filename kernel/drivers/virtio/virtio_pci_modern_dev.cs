// Ports drivers/virtio/virtio_pci_modern_dev.c: the register accessors of a
// modern virtio-pci device — feature words, device status, queue selection,
// size, MSI-X vector, ring addresses and enable, and the notify address of a
// queue — all reads and writes of the common configuration structure in
// the device's BAR.
//
// not ported: finding the capabilities in PCI config space and mapping the
// BAR (vp_modern_probe takes the modelled device, whose capability offsets
// are fixed), the admin queue, extended (>64-bit) features, queue reset,
// notification data.
// not ported: vp_modern_get_extended_features, vp_modern_set_extended_features
// — the feature words beyond 64 bits are not modelled: the two 32-bit words
// are read and written here directly.
// not ported: check_offsets — a build-time check of the uapi structure
// offsets in C; the port's offsets are constants of the model.
// not ported: vp_ioread8, vp_ioread16, vp_iowrite8, vp_iowrite16, vp_iowrite64_twopart — virtio_pci_modern.h's little-endian MMIO wrappers: the modelled BAR's ioread/iowrite are little-endian already and are called directly; a 64-bit ring address is written as its low and high 32-bit halves, as vp_iowrite64_twopart does

using KernelNet.Machine.Nic;
using static KernelNet.Kernel.Include.Uapi.Linux.virtio_pci_h;

namespace KernelNet.Kernel.Drivers.Virtio;

/// <summary>struct virtio_pci_modern_device: the mapped regions of one modern virtio-pci function.</summary>
public sealed class virtio_pci_modern_device
{
    public virtio_pci_modern_device(VirtioNetPci bar)
    {
        this.bar = bar;
    }

    /// <summary>The BAR the capabilities point into (ioread/iowrite go to it).</summary>
    public VirtioNetPci bar { get; }

    /// <summary>Offset of the common configuration structure in the BAR.</summary>
    public int common { get; set; }

    /// <summary>Offset of the device-specific configuration.</summary>
    public int device { get; set; }

    /// <summary>Offset of the ISR byte.</summary>
    public int isr { get; set; }

    /// <summary>Offset of the notification area.</summary>
    public int notify_base { get; set; }

    public int notify_offset_multiplier { get; set; }
}

public static class virtio_pci_modern_dev_c
{
    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_probe
    /// <summary>Where the common, ISR, device and notify regions lie (the vendor capabilities); 0.</summary>
    public static int vp_modern_probe(virtio_pci_modern_device mdev)
    {
        // not ported: virtio_pci_find_capability, vp_modern_map_capability, pci_request_selected_regions —
        // the model's capabilities are at fixed offsets of its one BAR
        mdev.common = VirtioNetPci.CommonCfgOffset;
        mdev.isr = VirtioNetPci.IsrOffset;
        mdev.device = VirtioNetPci.DeviceCfgOffset;
        mdev.notify_base = VirtioNetPci.NotifyOffset;
        mdev.notify_offset_multiplier = VirtioNetPci.NotifyOffMultiplier;
        return 0;
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_generation
    public static uint vp_modern_generation(virtio_pci_modern_device mdev) =>
        mdev.bar.ioread8(mdev.common + VIRTIO_PCI_COMMON_CFGGENERATION);

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_get_status
    public static byte vp_modern_get_status(virtio_pci_modern_device mdev) =>
        mdev.bar.ioread8(mdev.common + VIRTIO_PCI_COMMON_STATUS);

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_set_status
    /// <summary>Writes device_status (0 resets the device).</summary>
    public static void vp_modern_set_status(virtio_pci_modern_device mdev, byte status)
    {
        // Per the spec, a driver never clears a status bit except by writing 0 (a reset).
        mdev.bar.iowrite8(status, mdev.common + VIRTIO_PCI_COMMON_STATUS);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_queue_vector
    /// <summary>Points queue <paramref name="index"/> at MSI-X entry <paramref name="vector"/>; returns what the device took (NO_VECTOR if it refused).</summary>
    public static ushort vp_modern_queue_vector(virtio_pci_modern_device mdev, int index, ushort vector)
    {
        var bar = mdev.bar;
        bar.iowrite16((ushort)index, mdev.common + VIRTIO_PCI_COMMON_Q_SELECT);
        bar.iowrite16(vector, mdev.common + VIRTIO_PCI_COMMON_Q_MSIX);

        // Flush the write out to the device.
        return bar.ioread16(mdev.common + VIRTIO_PCI_COMMON_Q_MSIX);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_config_vector
    /// <summary>Points configuration changes at MSI-X entry <paramref name="vector"/>; returns what the device took.</summary>
    public static ushort vp_modern_config_vector(virtio_pci_modern_device mdev, ushort vector)
    {
        var bar = mdev.bar;
        bar.iowrite16(vector, mdev.common + VIRTIO_PCI_COMMON_MSIX);

        // Flush the write out to the device.
        return bar.ioread16(mdev.common + VIRTIO_PCI_COMMON_MSIX);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_queue_address
    /// <summary>Tells the device where queue <paramref name="index"/>'s descriptor table, available and used rings are (64-bit, written in halves).</summary>
    public static void vp_modern_queue_address(virtio_pci_modern_device mdev, int index, ulong desc_addr, ulong driver_addr, ulong device_addr)
    {
        var bar = mdev.bar;
        bar.iowrite16((ushort)index, mdev.common + VIRTIO_PCI_COMMON_Q_SELECT);

        // vp_iowrite64_twopart
        bar.iowrite32((uint)desc_addr, mdev.common + VIRTIO_PCI_COMMON_Q_DESCLO);
        bar.iowrite32((uint)(desc_addr >> 32), mdev.common + VIRTIO_PCI_COMMON_Q_DESCHI);
        bar.iowrite32((uint)driver_addr, mdev.common + VIRTIO_PCI_COMMON_Q_AVAILLO);
        bar.iowrite32((uint)(driver_addr >> 32), mdev.common + VIRTIO_PCI_COMMON_Q_AVAILHI);
        bar.iowrite32((uint)device_addr, mdev.common + VIRTIO_PCI_COMMON_Q_USEDLO);
        bar.iowrite32((uint)(device_addr >> 32), mdev.common + VIRTIO_PCI_COMMON_Q_USEDHI);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_set_queue_enable
    public static void vp_modern_set_queue_enable(virtio_pci_modern_device mdev, int index, bool enable)
    {
        mdev.bar.iowrite16((ushort)index, mdev.common + VIRTIO_PCI_COMMON_Q_SELECT);
        mdev.bar.iowrite16((ushort)(enable ? 1 : 0), mdev.common + VIRTIO_PCI_COMMON_Q_ENABLE);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_get_queue_enable
    public static bool vp_modern_get_queue_enable(virtio_pci_modern_device mdev, int index)
    {
        mdev.bar.iowrite16((ushort)index, mdev.common + VIRTIO_PCI_COMMON_Q_SELECT);
        return mdev.bar.ioread16(mdev.common + VIRTIO_PCI_COMMON_Q_ENABLE) != 0;
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_set_queue_size
    public static void vp_modern_set_queue_size(virtio_pci_modern_device mdev, int index, int size)
    {
        mdev.bar.iowrite16((ushort)index, mdev.common + VIRTIO_PCI_COMMON_Q_SELECT);
        mdev.bar.iowrite16((ushort)size, mdev.common + VIRTIO_PCI_COMMON_Q_SIZE);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_get_queue_size
    /// <summary>The largest size the device allows for queue <paramref name="index"/> (0: no such queue).</summary>
    public static int vp_modern_get_queue_size(virtio_pci_modern_device mdev, int index)
    {
        mdev.bar.iowrite16((ushort)index, mdev.common + VIRTIO_PCI_COMMON_Q_SELECT);
        return mdev.bar.ioread16(mdev.common + VIRTIO_PCI_COMMON_Q_SIZE);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_get_num_queues
    public static int vp_modern_get_num_queues(virtio_pci_modern_device mdev) =>
        mdev.bar.ioread16(mdev.common + VIRTIO_PCI_COMMON_NUMQ);

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_get_queue_notify_off
    private static int vp_modern_get_queue_notify_off(virtio_pci_modern_device mdev, int index)
    {
        mdev.bar.iowrite16((ushort)index, mdev.common + VIRTIO_PCI_COMMON_Q_SELECT);
        return mdev.bar.ioread16(mdev.common + VIRTIO_PCI_COMMON_Q_NOFF);
    }

    // drivers/virtio/virtio_pci_modern_dev.c: vp_modern_map_vq_notify
    /// <summary>The BAR offset of queue <paramref name="index"/>'s notify register (notify_base + queue_notify_off * multiplier).</summary>
    public static int vp_modern_map_vq_notify(virtio_pci_modern_device mdev, int index)
    {
        var off = vp_modern_get_queue_notify_off(mdev, index);

        // not ported: mapping the notify capability per queue when notify_base is not mapped (vp_modern_map_capability)
        return mdev.notify_base + (off * mdev.notify_offset_multiplier);
    }
}
